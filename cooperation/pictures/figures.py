"""The registry's charts: each page's numbers (read by a selector, one cached query a chart)
turned into a :class:`Figure` — the chart's geometry (charts.py), its words in the page's
language, its links, and the table of the same numbers — that
``templates/includes/pictures/chart.html`` draws.

- :func:`years_figure`: records per year by kind (``/years/``);
- :func:`topics_figure`: the projects a list's filters leave, by topic over time (``/projects/``);
- :func:`topic_figure`: a topic's projects per year by status (a topic's page);
- :func:`partners_figure`: the partners a list's filters leave in the most projects and
  meetings (``/partners/``).
"""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cooperation.core.date_words import ordinal_year
from cooperation.core.html import esc
from cooperation.core.listing.views import querystring
from cooperation.core.spans import per_year, running_sum
from cooperation.core.templatetags.translated import marked_text
from cooperation.core.text import lowercase
from cooperation.core.translation import first_localized_value, localized_value
from cooperation.models import Project
from cooperation.pictures.charts import Chart, Series, bar_chart, column_chart, line_chart, shorten_apart
from cooperation.pictures.html import cached_html

TOPIC_LINES = 6  # the topics the projects list's chart draws: those with the most dated projects
UNDATED = gettext_lazy("Projects without dates are not drawn: the table's last row counts them.")


@dataclass
class Figure:
    """A chart with its words: ``title`` (the figure's caption and the SVG's title),
    ``description`` (the SVG's desc: what it shows, in a sentence or two), and the table of its
    numbers, one row a mark (``headers``: the category's and each series' label)."""

    key: str  # unique on the page: the ids of the SVG's title and desc
    title: str
    description: str
    chart: Chart
    headers: list[str] = field(default_factory=list)
    note: str = ""  # what the chart leaves out, under it
    table: bool = True  # False when the page already has the table (the year index)
    undated: list[int] = field(default_factory=list)  # each series' records without dates, not drawn

    @property
    def rows(self) -> list[tuple[str, str, list[int]]]:
        """(label, url, [value of each series]) of each mark with any value: the table."""
        rows = []
        for mark in self.chart.marks:
            values = [mark.values[item.key] for item in self.chart.series]
            if any(values):
                rows.append((mark.full_label or mark.label, mark.url, values))
        if any(self.undated):
            rows.append((_("Without dates"), "", self.undated))
        return rows

    def rows_html(self) -> SafeString:
        """The table's rows (:attr:`rows`), written here rather than by template loops: the
        projects list's chart has a cell a year and topic, some 300. An English name on a page in
        another language is marked (``marked_text``)."""
        parts = []
        for label, url, values in self.rows:
            name = f'<a href="{esc(url)}">{marked_text(label)}</a>' if url else marked_text(label)
            cells = "".join(f'<td class="num">{esc(localize(value))}</td>' for value in values)
            parts.append(f'<tr><th scope="row">{name}</th>{cells}</tr>')
        return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


TEMPLATE = "includes/pictures/chart.html"


def rendered(name: str, parts: Sequence[object], build: Callable[[], Figure]) -> SafeString:
    """The HTML of the chart ``build()`` makes, cached (in the page's language) until the data
    it was drawn from changes: a warm page neither reads the chart's numbers nor lays it out nor
    renders its few hundred SVG elements again."""
    return cached_html(f"chart-html:{name}", parts, lambda: render_to_string(TEMPLATE, {"figure": build()}))


def counted(words: str, plural: str, number: int) -> str:
    return ngettext(words, plural, number) % {"count": number}


def _years(found: Iterable[int]) -> list[int]:
    found = sorted(set(found))
    return list(range(found[0], found[-1] + 1)) if found else []


def _peak(values: dict[Hashable, int]) -> tuple[Hashable, int, bool]:
    """The last key of the largest value, the value, and whether other keys have it too (then a
    description says so, not "the most in 2017" of seven years of one project each)."""
    key = max(values, key=lambda k: (values[k], k)) if values else None
    most = values.get(key, 0)
    return key, most, sum(1 for value in values.values() if value == most) > 1


# Records per year by kind ------------------------------------------------------------------


def years_figure(index: Iterable) -> Figure:
    """Records per year by kind, stacked: every year from the first to the last with records
    (``index``: the year index's YearCounts), each column a link to its year's page."""
    entries = {entry.year: entry for entry in index}
    kinds = [
        Series("agreements", _("Agreements")),
        Series("offices", _("Offices")),
        Series("projects", _("Projects")),
        Series("meetings", _("Meetings")),
    ]
    years = _years(entries)
    values = {(entry.year, kind.key): getattr(entry, kind.key) for entry in entries.values() for kind in kinds}
    urls = {year: reverse("cooperation:year-detail", args=[year]) for year in entries}
    names = {year: _year_name(entry) for year, entry in entries.items()}
    chart = column_chart(years, kinds, values, urls=urls, names=names)
    totals = {year: entry.total for year, entry in entries.items()}
    peak, most, shared = _peak(totals)
    description = (
        (
            _(
                "Agreements, offices, projects and meetings recorded in each year from %(first)s to %(last)s, "
                "stacked; the most (%(count)s) in more than one year, the last of them %(peak)s. The table below "
                "gives every number."
            )
            if shared
            else _(
                "Agreements, offices, projects and meetings recorded in each year from %(first)s to %(last)s, "
                "stacked; the most in %(peak)s (%(count)s). The table below gives every number."
            )
        )
        % {"first": years[0], "last": ordinal_year(years[-1]), "peak": ordinal_year(peak), "count": most}
        if years
        else _("No dated records are published yet.")
    )
    return Figure("years", _("Records per year, by kind"), description, chart, table=False)


def _year_name(entry) -> str:
    parts = [
        counted("%(count)s agreement", "%(count)s agreements", entry.agreements),
        counted("%(count)s office", "%(count)s offices", entry.offices),
        counted("%(count)s project", "%(count)s projects", entry.projects),
        counted("%(count)s meeting", "%(count)s meetings", entry.meetings),
    ]
    return f"{entry.year}: {', '.join(parts)}"


# Projects by topic over time ---------------------------------------------------------------


def topics_figure(rows: list[dict], params: QueryDict, path: str) -> Figure:
    """A line per topic (the :data:`TOPIC_LINES` with the most projects) through its number of
    projects active each year; ``rows`` (changes a year) from ``selectors.projects_by_topic``.
    Each year is a link to the same list (``path`` with ``params``) filtered to that year."""
    totals: dict[str, int] = {}
    labels: dict[str, str] = {}
    changes: dict[str, dict[int, int]] = {}
    undated: dict[str, int] = {}
    for row in rows:
        slug, year = row["slug"], row["year"]
        if slug not in labels:  # a topic has a row a year: one name
            labels[slug] = localized_value(row.get, "name")
        if not year:
            undated[slug] = undated.get(slug, 0) + row["started"]
            continue
        if row["started"]:
            totals[slug] = totals.get(slug, 0) + row["started"]
        years = changes.setdefault(slug, {})
        years[year] = years.get(year, 0) + row["started"] - row["ended"]
    # Ties by slug, not by the name in the page's language: every language draws the same topics.
    drawn = sorted(totals, key=lambda slug: (-totals[slug], slug))[:TOPIC_LINES]
    series = [Series(slug, labels[slug]) for slug in drawn]
    per_topic = {slug: running_sum(changes[slug]) for slug in drawn}
    years = _years(year for counts in per_topic.values() for year in counts)
    values = {(year, slug): count for slug, counts in per_topic.items() for year, count in counts.items()}
    urls = {year: path + querystring(params, year=str(year), page=None) for year in years}
    names = {
        year: f"{year}: "
        + ", ".join(
            f"{item.label} {counted('%(count)s project', '%(count)s projects', values.get((year, item.key), 0))}"
            for item in series
        )
        for year in years
    }
    chart = line_chart(years, series, values, urls=urls, names=names)
    left = len(set(totals) | set(undated)) - len(drawn)
    notes = [
        ngettext(
            "%(count)s more topic is not drawn: filter by it to see it.",
            "%(count)s more topics are not drawn: filter by one to see it.",
            left,
        )
        % {"count": left}
        if left
        else "",
        str(UNDATED) if any(undated.get(slug) for slug in drawn) else "",
    ]
    if years:
        description = _(
            "Projects active each year from %(first)s to %(last)s on the topics with the most of them "
            "(%(topics)s); a project on two topics counts on both. Each year leads to its projects."
        ) % {"first": years[0], "last": ordinal_year(years[-1]), "topics": ", ".join(item.label for item in series)}
    else:
        description = _("No dated projects match these filters.")
    headers = [_("Year"), *(item.label for item in series)]
    return Figure(
        "topics",
        _("Projects by topic over time"),
        description,
        chart,
        headers,
        " ".join(note for note in notes if note),
        undated=[undated.get(slug, 0) for slug in drawn],
    )


# A topic's projects per year, by status ----------------------------------------------------

STATUS_ORDER = [Project.Status.COMPLETED, Project.Status.ONGOING, Project.Status.PLANNED, Project.Status.UNKNOWN]


def topic_figure(slug: str, rows: list[tuple[str, int, int, int]]) -> Figure:
    """A column per year, its projects stacked by status; ``rows`` from
    ``selectors.topic_status_years``. Each year leads to the projects list filtered by the
    topic and the year."""
    series = [Series(status.value, str(status.label)) for status in STATUS_ORDER]
    per_status = {
        status.value: per_year((first, last, n) for s, first, last, n in rows if s == status) for status in STATUS_ORDER
    }
    years = _years(year for counts in per_status.values() for year in counts)
    values = {(year, status): n for status, counts in per_status.items() for year, n in counts.items()}
    projects = reverse("cooperation:project-list")
    urls = {year: f"{projects}?topic={slug}&year={year}" for year in years}

    def name(year):
        total = sum(values.get((year, item.key), 0) for item in series)
        parts = [
            f"{lowercase(item.label)} {values[(year, item.key)]}" for item in series if values.get((year, item.key))
        ]
        projects = counted("%(count)s project", "%(count)s projects", total)
        return f"{year}: {projects} ({', '.join(parts)})" if parts else f"{year}: {projects}"

    chart = column_chart(years, series, values, urls=urls, names={year: name(year) for year in years})
    totals = {year: sum(values.get((year, item.key), 0) for item in series) for year in years}
    peak, most, shared = _peak(totals)
    description = (
        (
            _(
                "Projects on this topic active each year from %(first)s to %(last)s, stacked by status; the most "
                "(%(count)s) in more than one year, the last of them %(peak)s. Each year leads to its projects."
            )
            if shared
            else _(
                "Projects on this topic active each year from %(first)s to %(last)s, stacked by status; the most in "
                "%(peak)s (%(count)s). Each year leads to its projects."
            )
        )
        % {"first": years[0], "last": ordinal_year(years[-1]), "peak": ordinal_year(peak), "count": most}
        if years
        else _("No dated projects on this topic are recorded.")
    )
    headers = [_("Year"), *(item.label for item in series)]
    undated = [sum(n for s, first, _last, n in rows if s == item.key and not first) for item in series]
    return Figure(
        "topic-years",
        _("Projects per year, by status"),
        description,
        chart,
        headers,
        str(UNDATED) if any(undated) else "",
        undated=undated,
    )


# Partners by projects and meetings ---------------------------------------------------------


def partners_figure(rows: list[dict], total: int) -> Figure:
    """A row per partner (``rows`` from ``partners.selectors.partners_by_activity``, of the
    ``total`` the list holds), a panel of projects and one of meetings beside it: the name leads
    to the partner's page, a bar to its projects or meetings."""
    series = [Series("projects", _("Projects")), Series("meetings", _("Meetings"))]
    keys = [row["slug"] for row in rows]
    full = {row["slug"]: localized_value(row.get, "name") for row in rows}
    # A row's label is the partner's short name, as the site gives it (Partner.short_name): the
    # acronym, else the name, in the page's language before the English ("IOM", "Avropa Şurası"),
    # cut short where it is long; names cut to the same first words keep their last words instead.
    short = shorten_apart({row["slug"]: first_localized_value(row.get, "acronym", "name") for row in rows})
    values = {(row["slug"], kind): row[kind] for row in rows for kind in ("projects", "meetings")}
    projects, meetings = reverse("cooperation:project-list"), reverse("events:meeting-list")
    series_urls = {}
    for slug in keys:
        series_urls[(slug, "projects")] = f"{projects}?partner={slug}"
        series_urls[(slug, "meetings")] = f"{meetings}?partner={slug}"
    names = {
        row["slug"]: f"{full[row['slug']]}: "
        + counted("%(count)s project", "%(count)s projects", row["projects"])
        + ", "
        + counted("%(count)s meeting", "%(count)s meetings", row["meetings"])
        for row in rows
    }
    chart = bar_chart(
        keys,
        series,
        values,
        urls={slug: reverse("partners:partner-detail", args=[slug]) for slug in keys},
        names=names,
        label_of=short.__getitem__,
        series_urls=series_urls,
    )
    for mark in chart.marks:
        mark.full_label = full[mark.key]
    if rows:
        description = _(
            "The %(shown)s partners of this list in the most projects and meetings, most first: %(first)s leads "
            "with %(projects)s and %(meetings)s. Projects and meetings each have their own scale."
        ) % {
            "shown": len(rows),
            "first": full[keys[0]],
            "projects": counted("%(count)s project", "%(count)s projects", rows[0]["projects"]),
            "meetings": counted("%(count)s meeting", "%(count)s meetings", rows[0]["meetings"]),
        }
    else:
        description = _("None of the partners of this list is in a published project or meeting.")
    note = (
        _("The %(shown)s of %(total)s partners with the most projects and meetings.")
        % {"shown": len(rows), "total": total}
        if total > len(rows)
        else ""
    )
    return Figure(
        "partners",
        _("Partners by projects and meetings"),
        description,
        chart,
        [_("Partner"), *(s.label for s in series)],
        note,
    )
