"""The timelines the site draws (their geometry: ``timelines.py``): a partner's relationship with
the registry on its page, and every year's records on ``/years/``.

A partner's picture is made of what its page already read (``partners.selectors``: the latest
agreements with their actions, projects and offices, at most ``RELATED_LIMIT`` of each, as the
text timeline under it) and of its meetings counted per year (one grouped query, kept with the
cached record): a count per year whatever the number of meetings, so the busiest partner's
picture is no bigger than a quiet one's. The registry's picture draws the year index's counts
(``pages.selectors.year_index()``, cached): no query of its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, ngettext

from cooperation.core import date_words
from cooperation.core.partial_dates import format_range
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


def _choice_label(record, name: str) -> str:
    """The label of ``record``'s choice field ``name`` in the active language, in lower case
    (``get_FOO_display()`` hashes its lazy choices on each call: a hundred marks felt it)."""
    labels = _choice_labels(type(record), name, get_language())
    value = getattr(record, name)
    return labels.get(value, value)


@lru_cache(maxsize=64)
def _choice_labels(model, name: str, language: str | None) -> dict:
    return {value: str(label).lower() for value, label in model._meta.get_field(name).flatchoices}


def _year_url(year: int) -> str:
    return reverse("cooperation:year-detail", kwargs={"year": str(year)})


def _axis(scale: Scale, *, links: bool = False) -> list[Tick]:
    return [Tick(scale.x(year), year, _year_url(year) if links else "", scale.x(year + 1)) for year in scale.ticks()]


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
        "status": _choice_label(project, "status"),
    }


def office_bar(office) -> tuple[list, str]:
    opened, closed = office.opened, office.closed
    segments = bar_segments(extent(opened) if opened else None, extent(closed) if closed else None, open_end=not closed)
    if closed is None and opened:
        dates = gettext("open since %(date)s") % {"date": opened}
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
        url = agreement.get_absolute_url()
        xs = dodge([scale.x(span.mid) for _, span in actions])
        if len(xs) > 1:
            lane.lines.append((xs[0], xs[-1], middle))
        for (action, span), x in zip(actions, xs, strict=True):
            lo, hi = scale.x(span.lo), scale.x(span.hi)
            vague = span.vague and hi - lo > 2
            name = gettext("Agreement: %(title)s, %(action)s, %(date)s") % {
                "title": agreement,
                "action": _choice_label(action, "kind"),
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


# Every year in the registry ------------------------------------------------------------------

KINDS = ("agreements", "offices", "projects", "meetings")


def registry_timeline_picture(years: Iterable) -> Picture | None:
    """The year index (``YearCounts`` per year) as lanes per kind, a bubble a year sized by its
    count; each year's column a link to its page, named with its counts."""
    years = sorted(years, key=lambda entry: entry.year)
    if not years:
        return None
    scale = Scale.spanning([years[0].year, years[-1].year + 1])
    labels = {
        "agreements": gettext("Agreements"),
        "offices": gettext("Offices"),
        "projects": gettext("Projects"),
        "meetings": gettext("Meetings"),
    }
    most = {kind: max(getattr(entry, kind) for entry in years) for kind in KINDS}
    lanes, y = [], AXIS_HEIGHT + LANE_GAP
    height = LANE_LABEL_HEIGHT + ROW_HEIGHT + 14 + COUNT_LINE  # room for the counts under the circles
    for kind in KINDS:
        lanes.append(Lane(labels[kind], y, height))
        y += height + LANE_GAP
    labels_of = {kind: count_labels([getattr(entry, kind) for entry in years], scale.per_year) for kind in KINDS}
    columns = []
    for entry in years:
        bubbles = []
        for lane, kind in zip(lanes, KINDS, strict=True):
            count = getattr(entry, kind)
            if count:
                middle = round(lane.y + LANE_LABEL_HEIGHT - 12 + ROW_HEIGHT / 2, 1)
                radius = bubble_radius(count, most[kind])
                shown, staggered = labels_of[kind]
                lower = staggered and entry.year % 2 == 1
                bubbles.append(Bubble("", "", scale.x(entry.year + 0.5), middle, radius, count, shown, lower))
        name = year_name(entry)
        tick = Tick(scale.x(entry.year), entry.year, _year_url(entry.year), scale.x(entry.year + 1))
        columns.append((tick, name, bubbles))
    labelled = set(scale.ticks())
    ticks = [tick for tick, *_ in columns if tick.year in labelled]
    return Picture(
        name=gettext("Records per year, by kind"),
        key="registry",
        ticks=ticks,
        lanes=lanes,
        height=y,
        columns=columns,
    )


def year_name(entry) -> str:
    """ "2012: 3 agreements, 1 office, 10 projects, 200 meetings" (those with any)."""
    parts = [
        ngettext("%(count)s agreement", "%(count)s agreements", entry.agreements) % {"count": entry.agreements},
        ngettext("%(count)s office", "%(count)s offices", entry.offices) % {"count": entry.offices},
        ngettext("%(count)s project", "%(count)s projects", entry.projects) % {"count": entry.projects},
        ngettext("%(count)s meeting", "%(count)s meetings", entry.meetings) % {"count": entry.meetings},
    ]
    counts = [part for part, kind in zip(parts, KINDS, strict=True) if getattr(entry, kind)]
    return f"{entry.year}: {', '.join(counts)}"
