"""The timelines the site draws (their geometry: ``timelines.py``): a partner's relationship with
the registry on its page, and the relationships of the partners with the most records on ``/years/``.

A partner's picture is made of what its page already read (``partners.selectors``: the latest
agreements with their actions, projects and offices, at most ``RELATED_LIMIT`` of each, as the
text timeline under it) and of its meetings counted per year (one grouped query, kept with the
cached record): a count per year whatever the number of meetings, so the busiest partner's
picture is no bigger than a quiet one's. The registry's picture draws what
``pages.activity.registry_activity()`` read from the count tables (three queries, cached): a lane a
partner, a mark, a square and a circle a year at most, whatever the number of records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from cooperation.core import date_words
from cooperation.core.partial_dates import PartialDate, format_range
from cooperation.core.text import lowercase
from cooperation.core.translation import LocalizedText, first_localized, localized
from cooperation.core.words import gettext, ngettext
from cooperation.pictures.html import cached_html
from cooperation.pictures.timelines import (
    ARROW,
    AXIS_HEIGHT,
    BAR_HEIGHT,
    COUNT_LINE,
    LANE_GAP,
    LANE_LABEL_HEIGHT,
    OPEN,
    ROW_HEIGHT,
    SOLID,
    THIN_BAR_HEIGHT,
    Bar,
    Bubble,
    Lane,
    Mark,
    Picture,
    Piece,
    Scale,
    Tick,
    bar_segments,
    bubble_radius,
    count_labels,
    extent,
    fit_label,
    lane_rows,
    pack_rows,
    row_height,
)

# The shape of an agreement action's mark, by kind (the others: a circle, as a signature).
SHAPES = {
    "ratification": "diamond",
    "acceptance": "diamond",
    "approval": "diamond",
    "accession": "diamond",
    "succession": "diamond",
    "entry-into-force": "triangle",
    "provisional-application": "triangle",
    "denunciation": "square",
    "termination": "square",
}


def _axis(scale: Scale) -> list[Tick]:
    return [Tick(scale.x(year), year) for year in scale.ticks()]


# A partner's relationship ------------------------------------------------------------------


def project_bar(project) -> tuple[list, str]:
    """(segments, accessible name) of a project's bar."""
    # Each read of a qualified date builds it anew: read once.
    start_date, end_date, as_of_date = project.start, project.end, project.status_as_of
    start = extent(start_date) if start_date else None
    end = extent(end_date) if end_date else None
    ongoing = project.status == "ongoing" and end_date is None
    as_of = extent(as_of_date) if ongoing and as_of_date else None
    segments = bar_segments(start, end, open_end=ongoing, running_until=as_of)
    dates = date_words.since_text(start_date) if ongoing and start_date else format_range(start_date, end_date)
    return segments, gettext("Project: %(title)s, %(dates)s (%(status)s)") % {
        "title": project,
        "dates": dates or gettext("dates not recorded"),
        "status": lowercase(project.get_status_display()),
    }


def office_bar(office) -> tuple[list, str]:
    opened, closed = office.opened, office.closed
    segments = bar_segments(extent(opened) if opened else None, extent(closed) if closed else None, open_end=not closed)
    if closed is None and opened:
        dates = gettext("open %(since)s") % {"since": date_words.since_text(opened)}
    else:
        dates = format_range(opened, closed)
    return segments, gettext("Office: %(name)s, %(dates)s") % {"name": office, "dates": dates}


def partner_projects(partner) -> list:
    """The partner's projects its page read, once each (a project can hold several roles)."""
    return list({link.project.pk: link.project for link in partner.public_project_roles}.values())


def partner_timeline_picture(partner, meeting_years: Mapping[int, int] | None = None) -> Picture | None:
    """``partner``'s relationship: its agreements' actions as marks, its projects and offices as
    bars, its meetings as a count per year (``meeting_years``: {year: meetings}); None when none
    of them is dated."""
    meeting_years = {year: count for year, count in (meeting_years or {}).items() if year and count}
    bars = {"projects": [], "offices": []}
    for project in partner_projects(partner):
        segments, name = project_bar(project)
        if segments:
            bars["projects"].append((segments, name, str(project), project.get_absolute_url()))
    for office in partner.public_offices:
        segments, name = office_bar(office)
        if segments:
            bars["offices"].append((segments, name, str(office), office.get_absolute_url()))
    agreements = []
    for agreement in partner.public_agreements:
        actions = [(action, extent(action.date)) for action in agreement.actions.all() if action.date]
        if actions:
            agreements.append((agreement, sorted(actions, key=lambda pair: pair[1].lo)))

    values = [year + edge for year in meeting_years for edge in (0, 1)]
    values += [value for group in bars.values() for segments, *_ in group for s in segments for value in (s.lo, s.hi)]
    values += [value for _, actions in agreements for _, span in actions for value in (span.lo, span.hi)]
    if not [value for value in values if math.isfinite(value)]:
        return None
    open_ends = any(s.hi == math.inf for group in bars.values() for segments, *_ in group for s in segments)
    scale = Scale.spanning(values, room_after=open_ends)

    lanes, y = [], AXIS_HEIGHT + LANE_GAP
    if agreements:
        lane = agreement_lane(agreements, scale, y)
        lanes.append(lane)
        y += lane.height + LANE_GAP
    for key, label in (("projects", gettext("Projects")), ("offices", gettext("Offices"))):
        if bars[key]:
            lane = bar_lane(label, bars[key], scale, y, key)
            lanes.append(lane)
            y += lane.height + LANE_GAP
    if meeting_years:
        lane = meeting_lane(partner, meeting_years, scale, y)
        lanes.append(lane)
        y += lane.height + LANE_GAP
    return Picture(
        name=gettext("Timeline of %(partner)s") % {"partner": partner.short_name or partner},
        key=f"partner-{partner.pk}",
        ticks=_axis(scale),
        lanes=lanes,
        height=y,
    )


def _pieces(segments, scale: Scale) -> list[Piece]:
    pieces = []
    for segment in segments:
        x1 = scale.x(segment.lo)
        x2 = scale.right - ARROW if segment.hi == math.inf else scale.x(segment.hi)
        pieces.append(Piece(x1, round(max(x2 - x1, 2.0), 1), segment.kind))
    return pieces


def bar_lane(label: str, bars: list, scale: Scale, y: float, css: str) -> Lane:
    """A lane of bars [(segments, name, title, url)], packed into rows."""
    placed = [(_pieces(segments, scale), name, title, url) for segments, name, title, url in bars]
    spans = [(pieces[0].x, pieces[-1].x + pieces[-1].width) for pieces, *_ in placed]
    rows = pack_rows(spans, gap=6)
    count = max(rows, default=0) + 1
    height = row_height(count)
    thin = height != ROW_HEIGHT
    bar_height = THIN_BAR_HEIGHT if thin else BAR_HEIGHT
    lane = Lane(label, y, lane_rows(count, height))
    for (pieces, name, title, url), row in zip(placed, rows, strict=True):
        top = y + LANE_LABEL_HEIGHT - 12 + row * height + (height - bar_height) / 2
        solid = [piece for piece in pieces if piece.kind in (SOLID, OPEN)] or pieces
        text = "" if thin else fit_label(title, solid[-1].x + solid[-1].width - solid[0].x)
        lane.bars.append(Bar(name, url, pieces, round(top, 1), text, round(solid[0].x + 4, 1), css, bar_height))
    return lane


def agreement_lane(agreements: list, scale: Scale, y: float) -> Lane:
    """Each agreement a row's stretch from its first action to its last, a mark on each."""
    spans = [
        (
            scale.x(actions[0][1].lo) - 6,
            max(scale.x(actions[-1][1].hi), dodge([scale.x(s.mid) for _, s in actions])[-1]) + 6,
        )
        for _, actions in agreements
    ]
    rows = pack_rows(spans, gap=4)
    count = max(rows, default=0) + 1
    height = row_height(count, thin=16)
    lane = Lane(gettext("Agreements"), y, lane_rows(count, height))
    for (agreement, actions), row in zip(agreements, rows, strict=True):
        middle = round(y + LANE_LABEL_HEIGHT - 12 + row * height + height / 2, 1)
        url, title = agreement.get_absolute_url(), str(agreement)  # the same on each of its marks
        xs = dodge([scale.x(span.mid) for _, span in actions])
        if len(xs) > 1:
            lane.lines.append((xs[0], xs[-1], middle))
        for (action, span), x in zip(actions, xs, strict=True):
            lo, hi = scale.x(span.lo), scale.x(span.hi)
            vague = span.vague and hi - lo > 2
            name = gettext("Agreement: %(title)s, %(action)s, %(date)s") % {
                "title": title,
                "action": lowercase(action.get_kind_display()),
                "date": action.date,
            }
            if action.party_id:
                name += " — " + gettext("by %(party)s") % {"party": action.party}
            lane.marks.append(
                Mark(
                    name,
                    url,
                    x,
                    middle,
                    SHAPES.get(action.kind, "circle"),
                    lo if vague else 0.0,
                    round(hi - lo, 1) if vague else 0.0,
                    span.doubtful,
                    f"action-{action.kind}",
                )
            )
    return lane


def dodge(xs: list[float], apart: float = 12.0) -> list[float]:
    """Marks of one agreement at least ``apart`` from each other, left to right (a signature and
    an entry into force weeks apart would hide each other): each pushed right as little as that
    takes; the accessible name keeps the exact date."""
    placed = []
    for x in xs:
        placed.append(round(max(x, placed[-1] + apart), 1) if placed else x)
    return placed


def meeting_lane(partner, meeting_years: Mapping[int, int], scale: Scale, y: float) -> Lane:
    """The partner's meetings as a count per year, each leading to the meetings of that year."""
    lane = Lane(gettext("Meetings"), y, LANE_LABEL_HEIGHT + 2 * ROW_HEIGHT + COUNT_LINE)
    most = max(meeting_years.values())
    shown, staggered = count_labels(list(meeting_years.values()), scale.per_year)
    middle = round(y + LANE_LABEL_HEIGHT - 12 + ROW_HEIGHT, 1)
    meetings_url = reverse("events:meeting-list")
    for year, count in sorted(meeting_years.items()):
        url = meetings_url + "?" + urlencode({"partner": partner.slug, "year": year})
        name = ngettext("%(count)s meeting in %(year)s", "%(count)s meetings in %(year)s", count) % {
            "count": count,
            "year": year,
        }
        radius = bubble_radius(count, most)
        lower = staggered and year % 2 == 1
        lane.bubbles.append(Bubble(name, url, scale.x(year + 0.5), middle, radius, count, shown, lower))
    return lane


# The registry's partners over time (/years/) --------------------------------------------------

ACTIVITY_ROW = 18  # each of a partner lane's two rows: its span and signings; its years' counts
SPAN_HEIGHT = 6
PROJECT_SIDE = (2.5, 8.0)  # the side of a year's projects square, fewest to most
MEETING_RADIUS = (1.5, 4.5)  # the radius of a year's meetings circle, fewest to most
MAX_PERIODS = 20  # the most years (or periods of years) a lane counts: a longer axis groups them
LIST_URLS = (
    ("agreements", "cooperation:agreement-list"),
    ("projects", "cooperation:project-list"),
    ("meetings", "events:meeting-list"),
)


def _sized(count: int, most: int, smallest: float, largest: float) -> float:
    """A size whose area grows with ``count`` (``largest`` for ``most``)."""
    return round(smallest + (largest - smallest) * math.sqrt(count / most), 1) if count and most else 0.0


def _partner_name(partner) -> LocalizedText:
    """Its acronym, else its name, in the page's language (the English, marked, where untranslated)."""
    return first_localized(partner, "acronym", "name")


def periods(first: int, last: int, most: int = MAX_PERIODS) -> list[tuple[int, int]]:
    """The years ``first`` to ``last`` in periods of 1, 2, 5, 10 … years (starting on a multiple
    of their length: 2010–2014), as few years a period as keep them at ``most``."""
    for step in (1, 2, 5, 10, 20, 50, 100, 1000):
        start = first - first % step
        if (last - start) // step + 1 <= most:
            return [(max(year, first), min(year + step - 1, last)) for year in range(start, last + 1, step)]
    return [(first, last)]


def _years_query(slug: str, first: int, last: int) -> str:
    return "?" + urlencode([("partner", slug), *(("year", year) for year in range(first, last + 1))])


def activity_timeline_picture(partners: Iterable) -> Picture | None:
    """The relationships of ``partners`` (``PartnerActivity``, from ``pages.activity.registry_activity``)
    over time, a lane each in their order: a line from the first year with any of its records to
    the last (leading to its page), and for each year (or period of years, when the axis is long:
    :func:`periods`) a mark for its agreements first signed then (leading to the agreement, or to
    the list of them when several), a square for its projects active and a circle for its
    meetings, their areas growing with the numbers (leading to the lists filtered by the partner
    and those years). None when none of them has a dated record.

    Its size is bounded by the partners and the periods drawn (a mark, a square and a circle a
    period at most: at most 12 × 20 × 3 links), never by the number of records."""
    partners = [partner for partner in partners if partner.span]
    if not partners:
        return None
    scale = Scale.spanning([value for partner in partners for year in partner.span for value in (year, year + 1)])
    drawn = periods(scale.first, scale.last - 1)
    counts = {
        partner.slug: [(partner.projects_during(lo, hi), partner.meetings_during(lo, hi)) for lo, hi in drawn]
        for partner in partners
    }
    most_projects = max((p for rows in counts.values() for p, _ in rows), default=0)
    most_meetings = max((m for rows in counts.values() for _, m in rows), default=0)
    lanes, y = [], AXIS_HEIGHT + LANE_GAP
    for partner in partners:
        lane = partner_activity_lane(partner, scale, y, drawn, counts[partner.slug], (most_projects, most_meetings))
        lanes.append(lane)
        y += lane.height + LANE_GAP
    return Picture(
        name=gettext("The partners with the most projects and meetings, over time"),
        key="registry",
        ticks=_axis(scale),
        lanes=lanes,
        height=y,
    )


def _during(lo: int, hi: int) -> dict:
    """The words of a period for a link's name: "2014", or "2010–2014" (a count ``in`` it)."""
    return {"year": lo} if lo == hi else {"year": f"{lo}–{hi}"}


def partner_activity_lane(partner, scale: Scale, y: float, drawn: list, counts: list, most: tuple) -> Lane:
    name = _partner_name(partner)
    lane = Lane(name, y, LANE_LABEL_HEIGHT + 2 * ACTIVITY_ROW)
    span_middle = round(y + LANE_LABEL_HEIGHT - 12 + ACTIVITY_ROW / 2, 1)
    middle = round(span_middle + ACTIVITY_ROW, 1)  # the row of the periods' counts
    first, last = partner.span
    x1, x2 = scale.x(first), scale.x(last + 1)
    lane.bars.append(
        Bar(
            relationship_name(partner, name, first, last),
            reverse("partners:partner-detail", args=[partner.slug]),
            [Piece(x1, round(max(x2 - x1, 2.0), 1), "span")],
            round(span_middle - SPAN_HEIGHT / 2, 1),
            css="relationship",
            height=SPAN_HEIGHT,
        )
    )
    lists = {name: reverse(url) for name, url in LIST_URLS}
    signed = []
    for lo, hi in drawn:
        signings = [signing for signing in partner.signings if lo <= signing.year <= hi]
        count = sum(signing.count for signing in signings)
        if count == 1 and signings[0].slug:
            signing = signings[0]
            url = reverse("cooperation:agreement-detail", args=[signing.slug])
            label = gettext("%(partner)s: agreement signed — %(title)s, %(date)s") % {
                "partner": name,
                "title": first_localized(signing, "short_title", "title"),
                "date": PartialDate.from_int(signing.date) if signing.date else signing.year,
            }
            signed.append((label, url, _signing_x(signing, scale)))
        elif count:
            label = ngettext(
                "%(partner)s: %(count)s agreement signed in %(year)s",
                "%(partner)s: %(count)s agreements signed in %(year)s",
                count,
            ) % {"partner": name, "count": count, **_during(lo, hi)}
            years = sorted({signing.year for signing in signings})
            x = scale.x((years[0] + years[-1] + 1) / 2)
            signed.append((label, lists["agreements"] + _years_query(partner.slug, lo, hi), x))
    xs = dodge([x for *_, x in signed], apart=8.0)
    for (label, url, _), x in zip(signed, xs, strict=True):
        lane.marks.append(Mark(label, url, x, span_middle, "circle", css="action-signature"))
    for (lo, hi), (projects, meetings) in zip(drawn, counts, strict=True):
        query, width = _years_query(partner.slug, lo, hi), hi - lo + 1
        if projects:
            label = ngettext(
                "%(partner)s: %(count)s project active in %(year)s",
                "%(partner)s: %(count)s projects active in %(year)s",
                projects,
            ) % {"partner": name, "count": projects, **_during(lo, hi)}
            half = _sized(projects, most[0], *PROJECT_SIDE) / 2
            x = scale.x(lo + 0.3 * width)
            lane.bubbles.append(Bubble(label, lists["projects"] + query, x, middle, half, projects, False))
            lane.bubbles[-1].square = True
        if meetings:
            label = ngettext(
                "%(partner)s: %(count)s meeting in %(year)s", "%(partner)s: %(count)s meetings in %(year)s", meetings
            ) % {"partner": name, "count": meetings, **_during(lo, hi)}
            radius = _sized(meetings, most[1], *MEETING_RADIUS)
            x = scale.x(lo + 0.7 * width)
            lane.bubbles.append(Bubble(label, lists["meetings"] + query, x, middle, radius, meetings, False))
    return lane


def _signing_x(signing, scale: Scale) -> float:
    if signing.count == 1 and signing.date:
        return scale.x(extent(PartialDate.from_int(signing.date)).mid)
    return scale.x(signing.year + 0.5)


def relationship_name(partner, name: str, first: int, last: int) -> str:
    """ "IOM, 1999–2017: 2 agreements signed, 12 projects, 24 meetings" (those it has)."""
    parts = [
        ngettext("%(count)s agreement signed", "%(count)s agreements signed", partner.agreements)
        % {"count": partner.agreements},
        ngettext("%(count)s project", "%(count)s projects", partner.projects) % {"count": partner.projects},
        ngettext("%(count)s meeting", "%(count)s meetings", partner.meetings) % {"count": partner.meetings},
    ]
    numbers = (partner.agreements, partner.projects, partner.meetings)
    counts = [part for part, number in zip(parts, numbers, strict=True) if number]
    years = str(first) if first == last else f"{first}–{last}"
    return f"{name}, {years}: {', '.join(counts)}"


REGISTRY_TEMPLATE = "includes/pictures/registry_timeline.html"


@dataclass
class ActivityRow:
    """A partner's row of the table beside the registry's timeline."""

    name: str  # a LocalizedText: the table marks an English name
    url: str
    years: str
    agreements: int
    agreements_url: str
    projects: int
    projects_url: str
    meetings: int
    meetings_url: str


def activity_rows(partners: Iterable) -> list[ActivityRow]:
    lists = {kind: reverse(name) for kind, name in LIST_URLS}
    rows = []
    for partner in partners:
        query = "?" + urlencode({"partner": partner.slug})
        first, last = partner.span or (0, 0)
        span = "" if not first else str(first) if first == last else f"{first}–{last}"
        rows.append(
            ActivityRow(
                localized(partner, "name"),
                reverse("partners:partner-detail", args=[partner.slug]),
                span,
                partner.agreements,
                lists["agreements"] + query,
                partner.projects,
                lists["projects"] + query,
                partner.meetings,
                lists["meetings"] + query,
            )
        )
    return rows


def registry_timeline_html(read: Callable[[], object]) -> SafeString:
    """The registry's timeline and its table (``read()``: a ``RegistryActivity``, from
    ``pages.activity.registry_activity``), rendered once a language and cached until the data
    it was drawn from changes (a partner, project, meeting or agreement saved)."""

    def render() -> str:
        activity = read()
        return render_to_string(
            REGISTRY_TEMPLATE,
            {
                "picture": activity_timeline_picture(activity.partners),
                "rows": activity_rows(activity.partners),
                "shown": len(activity.partners),
                "total": activity.total,
            },
        )

    return cached_html("timeline-html:registry", [], render)
