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

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from cooperation.core import date_words
from cooperation.core.partial_dates import format_range
from cooperation.pictures.timelines import (
    ARROW,
    AXIS_HEIGHT,
    BAR_HEIGHT,
    LANE_GAP,
    LANE_LABEL_HEIGHT,
    OPEN,
    ROW_HEIGHT,
    SOLID,
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
    extent,
    fit_label,
    lane_rows,
    pack_rows,
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


def _year_url(year: int) -> str:
    return reverse("cooperation:year-detail", kwargs={"year": str(year)})


def _axis(scale: Scale, *, links: bool = False) -> list[Tick]:
    return [Tick(scale.x(year), year, _year_url(year) if links else "", scale.x(year + 1)) for year in scale.ticks()]


# A partner's relationship ------------------------------------------------------------------


def project_bar(project) -> tuple[list, str]:
    """(segments, accessible name) of a project's bar."""
    start = extent(project.start) if project.start else None
    end = extent(project.end) if project.end else None
    ongoing = project.status == "ongoing" and project.end is None
    as_of = extent(project.status_as_of) if ongoing and project.status_as_of else None
    segments = bar_segments(start, end, open_end=ongoing, running_until=as_of)
    if ongoing and project.start:
        dates = date_words.since_text(project.start)
    else:
        dates = format_range(project.start, project.end)
    status = project.get_status_display()
    return segments, gettext("Project: %(title)s, %(dates)s (%(status)s)") % {
        "title": project,
        "dates": dates or gettext("dates not recorded"),
        "status": str(status).lower(),
    }


def office_bar(office) -> tuple[list, str]:
    start = extent(office.opened) if office.opened else None
    end = extent(office.closed) if office.closed else None
    segments = bar_segments(start, end, open_end=office.closed is None)
    if office.closed is None and office.opened:
        dates = gettext("open since %(date)s") % {"date": office.opened}
    else:
        dates = format_range(office.opened, office.closed)
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
    lane = Lane(label, y, lane_rows(max(rows, default=0) + 1))
    for (pieces, name, title, url), row in zip(placed, rows, strict=True):
        top = y + LANE_LABEL_HEIGHT - 12 + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        solid = [piece for piece in pieces if piece.kind in (SOLID, OPEN)] or pieces
        text = fit_label(title, solid[-1].x + solid[-1].width - solid[0].x)
        lane.bars.append(Bar(name, url, pieces, round(top, 1), text, round(solid[0].x + 4, 1), css))
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
    lane = Lane(gettext("Agreements"), y, lane_rows(max(rows, default=0) + 1))
    for (agreement, actions), row in zip(agreements, rows, strict=True):
        middle = round(y + LANE_LABEL_HEIGHT - 12 + row * ROW_HEIGHT + ROW_HEIGHT / 2, 1)
        xs = dodge([scale.x(span.mid) for _, span in actions])
        if len(xs) > 1:
            lane.lines.append((xs[0], xs[-1], middle))
        for (action, span), x in zip(actions, xs, strict=True):
            lo, hi = scale.x(span.lo), scale.x(span.hi)
            vague = span.vague and hi - lo > 2
            name = gettext("Agreement: %(title)s, %(action)s, %(date)s") % {
                "title": agreement,
                "action": str(action.get_kind_display()).lower(),
                "date": action.date,
            }
            if action.party_id:
                name += " — " + gettext("by %(party)s") % {"party": action.party}
            lane.marks.append(
                Mark(
                    name,
                    agreement.get_absolute_url(),
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
    lane = Lane(gettext("Meetings"), y, LANE_LABEL_HEIGHT + 2 * ROW_HEIGHT)
    most = max(meeting_years.values())
    middle = round(y + LANE_LABEL_HEIGHT - 12 + ROW_HEIGHT, 1)
    for year, count in sorted(meeting_years.items()):
        url = reverse("events:meeting-list") + "?" + urlencode({"partner": partner.slug, "year": year})
        name = ngettext("%(count)s meeting in %(year)s", "%(count)s meetings in %(year)s", count) % {
            "count": count,
            "year": year,
        }
        fits = len(str(count)) * 6.6 + 6 <= scale.per_year
        lane.bubbles.append(
            Bubble(name, url, scale.x(year + 0.5), middle, bubble_radius(count, most), count, show_count=fits)
        )
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
    height = LANE_LABEL_HEIGHT + ROW_HEIGHT + 14  # room for the counts under the circles
    for kind in KINDS:
        lanes.append(Lane(labels[kind], y, height))
        y += height + LANE_GAP
    columns = []
    for entry in years:
        bubbles = []
        for lane, kind in zip(lanes, KINDS, strict=True):
            count = getattr(entry, kind)
            if count:
                middle = round(lane.y + LANE_LABEL_HEIGHT - 12 + ROW_HEIGHT / 2, 1)
                fits = len(str(count)) * 6.6 + 4 <= scale.per_year
                radius = bubble_radius(count, most[kind])
                bubbles.append(Bubble("", "", scale.x(entry.year + 0.5), middle, radius, count, fits))
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
