"""A year page's list items, written in Python (templates/pages/_year_lists.html writes them in).

A year page lists up to :data:`~cooperation.core.related.RELATED_LIMIT` records of each of ten
lists (four agreement stages, offices opened and closed, projects started, ended and running,
meetings), each with its partners: some 250 items and 700 links. Written by template loops they
took 29 ms of each first request after a change (2010 at the benchmark's size); written here, as
the maps write their markers and places (cooperation/pictures/maps.py), with the same words,
escaping and markup, 10 ms. What the page says around them (headings, "The first 25 of 400") stays in the
template.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django_countries.fields import Country

from cooperation.core.html import esc
from cooperation.core.related import Some
from cooperation.core.templatetags.partial_dates import partial_date
from cooperation.core.templatetags.translated import localized_tag
from cooperation.core.translation import country_name, localized
from cooperation.models import Agreement, Project
from cooperation.pictures.places import address_of
from events.models import Meeting
from partners.models import Office, Partner


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
    names = Names(get_language())
    return YearItems(
        agreement_stages=[
            (label, field, agreements, agreement_items(agreements, field, names))
            for label, field, agreements in page.agreement_stages
        ],
        offices_opened=office_items(page.offices_opened, "opened", names),
        offices_closed=office_items(page.offices_closed, "closed", names),
        project_lists=[
            (field, label, projects, project_items(projects, names)) for field, label, projects in page.project_lists
        ],
        meetings=meeting_items(page.meetings, names),
    )


class Names:
    """What every list of a year page names, in ``language``: partners (links by their short
    names) and countries. Worked out in the one language rather than each asking for the page's
    (as ``get_absolute_url()``, ``short_name`` and django-countries do): of the 21 ms a year
    page's items took that way, 11 were asking."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.address = address_of(Partner)

    def country(self, country: Country) -> str:
        """A country's name in the language (remembered: django-countries looks it up anew)."""
        return country_name(country.code, self.language)

    def partners(self, partners: Iterable[Partner]) -> str:
        """Links to ``partners`` by their short names, separated by commas."""
        return ", ".join(
            f'<a href="{esc(self.address(partner.slug))}">{esc(partner.short_name_in(self.language))}</a>'
            for partner in partners
        )


def _safe(items: Iterable[str]) -> SafeString:
    return mark_safe("".join(items))  # noqa: S308 - every value in it is escaped


def _record_link(address: Callable[[str], str], record: object, text: str) -> str:
    return f'<a href="{esc(address(record.slug))}">{text}</a>'


def agreement_items(agreements: Some, field: str, names: Names) -> SafeString:
    """An agreement a line: the date of its ``field`` stage, its title, where it was signed (on the
    "signed" list) and its published parties."""
    address = address_of(Agreement)

    def item(agreement: Agreement) -> str:
        place = ""
        if field == "signed" and agreement.signed_place:
            words = gettext("in %(place)s") % {"place": esc(str(localized(agreement, "signed_place")))}
            place = f' <span class="meta">{words}</span>'
        parties = agreement.public_parties
        parties = f'<span class="meta">· {names.partners(parties)}</span>' if parties else ""
        link = _record_link(address, agreement, esc(agreement))
        return f"<li>{partial_date(getattr(agreement, field))}: {link}{place} {parties}</li>\n"

    return _safe(item(agreement) for agreement in agreements)


def office_items(offices: Some, field: str, names: Names) -> SafeString:
    """An office a line: the date it was opened or closed (``field``), its name, city and country,
    and its partner (when published)."""
    address = address_of(Office)

    def item(office: Office) -> str:
        city = f"{localized_tag(office, 'city')}, " if office.city else ""
        partner = f" · {names.partners([office.partner])}" if office.partner.published else ""
        link = _record_link(address, office, localized_tag(office, "name"))
        return (
            f"<li>{partial_date(getattr(office, field))}: {link} "
            f'<span class="meta">{city}{esc(names.country(office.country))}{partner}</span></li>\n'
        )

    return _safe(item(office) for office in offices)


def project_items(projects: Some, names: Names) -> SafeString:
    """A project a line: its title, its dates, its status where it has no end or is planned, and
    its published partners."""
    address = address_of(Project)

    def item(project: Project) -> str:
        status = f" · {esc(project.status_text)}" if not project.end or project.status == Project.Status.PLANNED else ""
        links = project.public_project_partners
        partners = f" · {names.partners(link.partner for link in links)}" if links else ""
        return (
            f"<li>{_record_link(address, project, esc(project))} "
            f'<span class="meta">{partial_date(project.start, end=project.end)}{status}{partners}</span></li>\n'
        )

    return _safe(item(project) for project in projects)


def meeting_items(meetings: Some, names: Names) -> SafeString:
    """A meeting a line: its dates, its title, kind, status (unless held), place and published partners."""
    address = address_of(Meeting)

    def item(meeting: Meeting) -> str:
        status = "" if meeting.held else f" · {esc(meeting.status_text)}"
        place = ""
        if meeting.place:
            city = localized_tag(meeting, "city") if meeting.city else ""
            country = esc(names.country(meeting.country)) if meeting.country else ""
            place = f" · {city}{', ' if meeting.city and meeting.country else ''}{country}"
        partners = f" · {names.partners(meeting.public_partners)}" if meeting.public_partners else ""
        link = _record_link(address, meeting, localized_tag(meeting, "title"))
        return (
            f"<li>{partial_date(meeting.start, text=meeting.dates)}: {link} "
            f'<span class="meta">{esc(meeting.get_kind_display())}{status}{place}{partners}</span></li>\n'
        )

    return _safe(item(meeting) for meeting in meetings)
