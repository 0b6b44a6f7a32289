"""A year page's list items, written in Python (templates/pages/_year_lists.html writes them in).

A year page lists up to :data:`~cooperation.core.related.RELATED_LIMIT` records of each of nine
lists (four agreement stages, offices opened and closed, projects started, ended and running,
meetings), each with its partners: some 250 items and 700 links. Written by template loops they
took 29 ms of each first request after a change (2010 at the benchmark's size); written here, as
the maps write their markers and places (cooperation/pictures/maps.py), with the same words,
escaping and markup. What the page says around them (headings, "The first 25 of 400") stays in the
template.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cooperation.core.html import esc
from cooperation.core.related import Some
from cooperation.core.templatetags.partial_dates import partial_date
from cooperation.core.templatetags.translated import localized_tag
from cooperation.core.translation import localized


@dataclass
class YearItems:
    """The items of a year page's lists, beside the lists themselves."""

    agreement_stages: list  # [(label, field, Some of agreements, their items)] in stage order
    offices_opened: SafeString
    offices_closed: SafeString
    project_lists: list  # [(field, label, Some of projects, their items)]: started, ended, ran
    meetings: SafeString


def year_items(page) -> YearItems:
    """The items of ``page`` (a :class:`~cooperation.pages.selectors.YearPage`), in the page's language."""
    return YearItems(
        agreement_stages=[
            (label, field, agreements, agreement_items(agreements, field))
            for label, field, agreements in page.agreement_stages
        ],
        offices_opened=office_items(page.offices_opened, "opened"),
        offices_closed=office_items(page.offices_closed, "closed"),
        project_lists=[
            (field, label, projects, project_items(projects)) for field, label, projects in page.project_lists
        ],
        meetings=meeting_items(page.meetings),
    )


def partner_links(partners: Iterable) -> str:
    """Links to ``partners`` by their short names, separated by commas."""
    return ", ".join(
        f'<a href="{esc(partner.get_absolute_url())}">{esc(partner.short_name)}</a>' for partner in partners
    )


def _safe(items: Iterable[str]) -> SafeString:
    return mark_safe("".join(items))  # noqa: S308 - every value in it is escaped


def agreement_items(agreements: Some, field: str) -> SafeString:
    """An agreement a line: the date of its ``field`` stage, its title, where it was signed (on the
    "signed" list) and its published parties."""

    def item(agreement) -> str:
        place = ""
        if field == "signed" and agreement.signed_place:
            words = gettext("in %(place)s") % {"place": esc(str(localized(agreement, "signed_place")))}
            place = f' <span class="meta">{words}</span>'
        parties = agreement.public_parties
        parties = f'<span class="meta">· {partner_links(parties)}</span>' if parties else ""
        return (
            f"<li>{partial_date(getattr(agreement, field))}: "
            f'<a href="{esc(agreement.get_absolute_url())}">{esc(agreement)}</a>{place} {parties}</li>\n'
        )

    return _safe(item(agreement) for agreement in agreements)


def office_items(offices: Some, field: str) -> SafeString:
    """An office a line: the date it was opened or closed (``field``), its name, city and country,
    and its partner (when published)."""

    def item(office) -> str:
        city = f"{localized_tag(office, 'city')}, " if office.city else ""
        partner = f" · {partner_links([office.partner])}" if office.partner.published else ""
        return (
            f"<li>{partial_date(getattr(office, field))}: "
            f'<a href="{esc(office.get_absolute_url())}">{localized_tag(office, "name")}</a> '
            f'<span class="meta">{city}{esc(office.country.name)}{partner}</span></li>\n'
        )

    return _safe(item(office) for office in offices)


def project_items(projects: Some) -> SafeString:
    """A project a line: its title, its dates, its status where it has no end or is planned, and
    its published partners."""

    def item(project) -> str:
        status = f" · {esc(project.status_text)}" if not project.end or project.status == "planned" else ""
        links = project.public_project_partners
        partners = f" · {partner_links(link.partner for link in links)}" if links else ""
        return (
            f'<li><a href="{esc(project.get_absolute_url())}">{esc(project)}</a> '
            f'<span class="meta">{partial_date(project.start, end=project.end)}{status}{partners}</span></li>\n'
        )

    return _safe(item(project) for project in projects)


def meeting_items(meetings: Some) -> SafeString:
    """A meeting a line: its dates, its title, kind, status (unless held), place and published partners."""

    def item(meeting) -> str:
        status = "" if meeting.held else f" · {esc(meeting.status_text)}"
        place = ""
        if meeting.place:
            city = localized_tag(meeting, "city") if meeting.city else ""
            country = esc(meeting.country.name) if meeting.country else ""
            place = f" · {city}{', ' if meeting.city and meeting.country else ''}{country}"
        partners = f" · {partner_links(meeting.public_partners)}" if meeting.public_partners else ""
        return (
            f"<li>{partial_date(meeting.start, text=meeting.dates)}: "
            f'<a href="{esc(meeting.get_absolute_url())}">{localized_tag(meeting, "title")}</a> '
            f'<span class="meta">{esc(meeting.get_kind_display())}{status}{place}{partners}</span></li>\n'
        )

    return _safe(item(meeting) for meeting in meetings)
