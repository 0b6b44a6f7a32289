"""A partner page's tables of offices and projects, written in Python
(templates/partners/partner_detail.html writes them in).

The busiest partner's page lists 25 offices and 25 projects under its timeline. Written by
template loops (a ``{% localized %}``, a ``{% partial_date %}``, a filter and an address a cell)
they took about 4 ms of each first request after a change; written here, as a year page's items
(cooperation/pages/year_items.py) and a timeline's entries are, with the same words, escaping and
markup, about 1.5. What the page says around them (headings, "The first 25 of 552") stays in the
template.
"""

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from cooperation.core.html import esc
from cooperation.core.templatetags.partial_dates import partial_date
from cooperation.core.templatetags.translated import country_name_filter, localized_tag
from cooperation.core.text import upper_first
from cooperation.models import Project
from cooperation.pictures.places import address_of
from partners.models import Office


def office_rows(offices: Iterable[Office]) -> SafeString:
    """An office a table row: its name (a link) and kind, its city and country, and the dates it
    was open ("since 2008", "2001 – 2009")."""
    address = address_of(Office)

    def row(office: Office) -> str:
        city = f"{localized_tag(office, 'city')}, " if office.city else ""
        country = esc(country_name_filter(office.country))
        return (
            f'<tr>\n<th scope="row"><a href="{esc(address(office.slug))}">{localized_tag(office, "name")}</a> '
            f'<span class="meta">{esc(office.get_kind_display())}</span></th>\n'
            f"<td>{city}{country}</td>\n"
            f"<td>{partial_date(date=office.opened, end=office.closed, since=True)}</td>\n</tr>\n"
        )

    return mark_safe("".join(row(office) for office in offices))  # noqa: S308 - every value in it is escaped


def project_items(projects: Iterable[tuple[Project, list[str]]]) -> SafeString:
    """A project a list item: its title (a link), its dates and the partner's roles in it."""
    address = address_of(Project)

    def item(project: Project, roles: list[str]) -> str:
        return (
            f'<li><a href="{esc(address(project.slug))}">{esc(str(project))}</a> '
            f'<span class="meta">{partial_date(date=project.start, end=project.end)} · '
            f"{esc(upper_first(', '.join(roles)))}</span></li>\n"
        )

    return mark_safe("".join(item(project, roles) for project, roles in projects))  # noqa: S308 - escaped
