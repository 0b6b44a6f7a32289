"""The geometry of a timeline drawn as SVG: years along a horizontal axis, lanes of bars, marks
and counts under it (templates/includes/pictures/timeline.html draws it).

Pure Python, no database: a builder (``cooperation/pictures/relationships.py``) gives each
record's dates and link, this module places them. A date is a span of time, not a point: "2007"
is the whole year, "second half of 2007" six months, "8 December 1999" one day
(:func:`extent`); an approximate one ("about 2008") reaches :data:`APPROXIMATE_MARGIN` further
each side. A bar is solid only where the record surely ran; where its start or end may lie it is
drawn faded and dashed; an end still open runs on to the axis's end, solid, with an arrow; an end
(or a start) not recorded fades out within :data:`UNKNOWN_YEARS`.

Bars that would overlap are put in rows of their own (:func:`pack_rows`, first fit), so no
lane draws two records over each other. Everything is in years until :class:`Scale` turns
it into the SVG's units (the picture is :data:`WIDTH` wide, and scaled by CSS).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from cooperation.core.html import esc
from cooperation.core.templatetags.translated import lang_attribute
from cooperation.pictures.charts import shorten

WIDTH = 960  # the SVG's viewBox width
MARGIN = 24  # left and right of the axis
AXIS_HEIGHT = 28  # the year labels at the top
LANE_LABEL_HEIGHT = 20  # a lane's name, above its rows
ROW_HEIGHT = 22  # one row of bars or marks
BAR_HEIGHT = 14
BUSY_ROWS = 6  # a lane of more rows than this draws them thinner, without labels
THIN_ROW_HEIGHT, THIN_BAR_HEIGHT = 12, 8
ARROW = 9  # the arrowhead of an open end, past the bar's end
LANE_GAP = 10
CHAR_WIDTH = 6.6  # the average width of a character of the bars' labels (12 units)
APPROXIMATE_MARGIN = 0.5  # years an approximate date may lie beyond what it says
UNKNOWN_YEARS = 1.0  # how far a bar fades out where its end (or start) is not recorded
VAGUE = 0.1  # a date spanning more than this (years; over a month) is drawn as a span
ROW_GAP = 0.15  # years between two bars in one row
MIN_YEARS = 3  # the shortest axis
BUBBLE_MIN, BUBBLE_MAX = 3.0, 9.5  # radii of the count bubbles
COUNT_CHAR = 6.6  # the width of a digit of a count (11 units), and the line it takes
COUNT_LINE = 11


# Dates as spans of years -------------------------------------------------------------------


def year_fraction(day: datetime.date) -> float:
    """The moment ``day`` begins, in years: 1 July 2007 is about 2007.5."""
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


@dataclass(frozen=True)
class Extent:
    """When a dated event may have happened, in years (``lo`` ≤ ``hi``); ``doubtful`` when the
    source calls the date approximate or uncertain."""

    lo: float
    hi: float
    doubtful: bool = False

    @property
    def vague(self) -> bool:
        """Too wide, or too doubtful, to draw as a point."""
        return self.doubtful or self.hi - self.lo > VAGUE

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2


def extent(date) -> Extent:
    """The span a partial date may mean (anything with PartialDate's ``first_day``,
    ``last_day``, ``approximate`` and ``uncertain``): "2007" is 2007.0–2008.0, "about 2008"
    2007.5–2009.5, "8 December 1999" one day."""
    lo = year_fraction(date.first_day)
    hi = year_fraction(date.last_day + datetime.timedelta(days=1))
    if date.approximate:
        lo, hi = lo - APPROXIMATE_MARGIN, hi + APPROXIMATE_MARGIN
    return Extent(lo, hi, doubtful=bool(date.approximate or date.uncertain))


# Bars --------------------------------------------------------------------------------------

SOLID = "solid"  # surely running
VAGUE_START, VAGUE_END = "vague-start", "vague-end"  # the start or end lies somewhere in here
UNKNOWN_START, UNKNOWN_END = "unknown-start", "unknown-end"  # not recorded: fades out
OPEN = "open"  # still running: on to the axis's end


@dataclass(frozen=True)
class Segment:
    lo: float
    hi: float
    kind: str


def bar_segments(
    start: Extent | None, end: Extent | None, *, open_end: bool = False, running_until: Extent | None = None
) -> list[Segment]:
    """The pieces of a bar from ``start`` to ``end`` (in years; the :data:`OPEN` piece ends at
    ``math.inf``, the axis's end, until the picture knows it). ``open_end``: without an end, the
    record is still running (an ongoing project, an office not closed), surely until
    ``running_until`` (when a source last reported it ongoing) if given."""
    if start is None and end is None:
        return []
    segments = []
    if start is None:
        segments.append(Segment(end.lo - UNKNOWN_YEARS, end.lo, UNKNOWN_START))
        certain_from = end.lo
    elif start.vague:
        segments.append(Segment(start.lo, start.hi, VAGUE_START))
        certain_from = start.hi
    else:
        certain_from = start.lo
    if end is not None:
        certain_until = end.lo if end.vague else end.hi
        if certain_until > certain_from:
            segments.append(Segment(certain_from, certain_until, SOLID))
        if end.vague:
            segments.append(Segment(max(end.lo, certain_from), end.hi, VAGUE_END))
        elif certain_until <= certain_from and start is not None and start.vague:
            # A vague start and a precise end inside it: the end is what is sure.
            segments[-1] = Segment(start.lo, end.hi, VAGUE_START)
        return [segment for segment in segments if segment.hi > segment.lo]
    if open_end:
        until = max(certain_from, running_until.lo if running_until else certain_from)
        if until > certain_from:
            segments.append(Segment(certain_from, until, SOLID))
        segments.append(Segment(until, math.inf, OPEN))
    else:
        segments.append(Segment(certain_from, certain_from + UNKNOWN_YEARS, UNKNOWN_END))
    return segments


def pack_rows(spans: Sequence[tuple[float, float]], gap: float = ROW_GAP) -> list[int]:
    """A row for each (lo, hi) span, so that no two in a row overlap (nor come within ``gap``):
    first fit, the earliest start first; as few rows as that finds (the optimum for intervals)."""
    order = sorted(range(len(spans)), key=lambda index: (spans[index][0], spans[index][1]))
    ends: list[float] = []  # the end of the last span of each row
    rows = [0] * len(spans)
    for index in order:
        lo, hi = spans[index]
        row = next((row for row, row_end in enumerate(ends) if row_end + gap <= lo), len(ends))
        if row == len(ends):
            ends.append(hi)
        ends[row] = hi
        rows[index] = row
    return rows


# The picture -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """Years ``first`` (its start) to ``last`` (its end) across the picture's width."""

    first: int
    last: int
    left: float = MARGIN
    right: float = WIDTH - MARGIN

    @classmethod
    def spanning(cls, values: Iterable[float], *, room_after: bool = False) -> Scale:
        """The whole years holding every value (at least :data:`MIN_YEARS`); ``room_after``:
        one year more at the end, for what is still running."""
        values = [value for value in values if math.isfinite(value)]
        first, last = math.floor(min(values)), math.ceil(max(values))
        last = max(last, first + 1) + (1 if room_after else 0)
        while last - first < MIN_YEARS:
            first, last = first - (1 if (last - first) % 2 else 0), last + 1
        return cls(first, last)

    @property
    def per_year(self) -> float:
        return (self.right - self.left) / (self.last - self.first)

    def x(self, years: float) -> float:
        years = min(max(years, self.first), self.last)
        return round(self.left + (years - self.first) * self.per_year, 1)

    def ticks(self, most: int = 16) -> list[int]:
        """The years to label: every one, or every 2nd, 5th, 10th … so that at most ``most``."""
        span = self.last - self.first
        step = next(step for step in (1, 2, 5, 10, 20, 50, 100, 1000) if span / step <= most)
        return [year for year in range(self.first, self.last + 1) if year % step == 0]


@dataclass
class Tick:
    x: float
    year: int
    url: str = ""


@dataclass
class Piece:
    """A drawn part of a bar: ``x`` to ``x + width``."""

    x: float
    width: float
    kind: str


@dataclass
class Bar:
    name: str  # its accessible name
    url: str
    pieces: list
    y: float
    label: str = ""  # drawn inside, when it fits
    label_x: float = 0.0
    css: str = ""
    height: float = BAR_HEIGHT

    @property
    def arrow_x(self) -> float:
        """Where the arrow of an open end points (0: none)."""
        last = self.pieces[-1] if self.pieces else None
        return last.x + last.width if last is not None and last.kind == OPEN else 0.0

    @property
    def arrow_path(self) -> str:
        """The arrowhead of an open end ("" for none)."""
        x = self.arrow_x
        half = self.height / 2 + 3
        return f"M{x:g} {self.y - 3:g} l{ARROW:g} {half:g} l-{ARROW:g} {half:g} z" if x else ""

    @property
    def text_y(self) -> float:
        return round(self.y + self.height - 3, 1)


@dataclass
class Mark:
    name: str
    url: str
    x: float
    y: float
    shape: str  # circle, diamond, triangle, square
    span_x: float = 0.0  # where a vague date may lie: from span_x …
    span_width: float = 0.0  # … this wide (0: precise)
    doubtful: bool = False
    css: str = ""

    @property
    def path(self) -> str:
        """The mark's outline, about 13 units across, centred on (x, y)."""
        x, y = self.x, self.y
        if self.shape == "diamond":
            return f"M{x:g} {y - 7:g} l7 7 l-7 7 l-7 -7 z"
        if self.shape == "triangle":
            return f"M{x:g} {y - 7:g} l7 12 h-14 z"
        if self.shape == "square":
            return f"M{x - 6:g} {y - 6:g} h12 v12 h-12 z"
        return f"M{x - 6:g} {y:g} a6 6 0 1 0 12 0 a6 6 0 1 0 -12 0 z"

    @property
    def span_y(self) -> float:
        return round(self.y - 3, 1)


@dataclass
class Bubble:
    """A count: how many records in a year (a circle whose area grows with the count)."""

    name: str
    url: str
    x: float
    y: float
    r: float
    count: int
    show_count: bool = True
    lower: bool = False  # the count a line lower, clear of its neighbours' (see count_labels)
    square: bool = False  # drawn as a square ``2 * r`` wide (a count of another kind beside circles)

    @property
    def corner_x(self) -> float:
        return round(self.x - self.r, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - self.r, 1)

    @property
    def side(self) -> float:
        return round(2 * self.r, 1)

    @property
    def text_y(self) -> float:
        """The count's baseline, under the circles of its lane."""
        return round(self.y + BUBBLE_MAX + 11 + (COUNT_LINE if self.lower else 0), 1)


@dataclass
class Lane:
    label: str
    y: float  # its label's baseline
    height: float
    bars: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    bubbles: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # (x1, x2, y): what joins an agreement's marks

    def items_html(self, key: str) -> SafeString:
        """The lane's lines, bars, marks and counts, each a link with its accessible name (``key``:
        the picture's, whose gradients fade a bar's unknown end). Written here rather than by
        template loops, as a chart's marks are (cooperation/pictures/charts.py): the busiest
        partner's timeline took 8 ms to render through the template language."""
        parts = [
            f'<line class="tl-agreement-line" x1="{x1:g}" x2="{x2:g}" y1="{y:g}" y2="{y:g}" aria-hidden="true"/>'
            for x1, x2, y in self.lines
        ]
        fills = {UNKNOWN_END: f' fill="url(#{esc(key)}-fade-out)"', UNKNOWN_START: f' fill="url(#{esc(key)}-fade-in)"'}
        for bar in self.bars:
            name = esc(bar.name)
            parts.append(
                f'<a href="{esc(bar.url)}" class="tl-bar tl-{esc(bar.css)}" aria-label="{name}"><title>{name}</title>'
            )
            parts.extend(
                f'<rect class="tl-{esc(piece.kind)}" x="{piece.x:g}" y="{bar.y:g}" width="{piece.width:g}" '
                f'height="{bar.height:g}" rx="2"{fills.get(piece.kind, "")}/>'
                for piece in bar.pieces
            )
            if arrow := bar.arrow_path:
                parts.append(f'<path class="tl-arrow" d="{esc(arrow)}"/>')
            if bar.label:
                parts.append(
                    f'<text class="tl-bar-label" x="{bar.label_x:g}" y="{bar.text_y:g}"{lang_attribute(bar.label)}>'
                    f"{esc(bar.label)}</text>"
                )
            parts.append("</a>")
        for mark in self.marks:
            name = esc(mark.name)
            doubtful = " tl-doubtful" if mark.doubtful else ""
            parts.append(
                f'<a href="{esc(mark.url)}" class="tl-mark tl-{esc(mark.css)}{doubtful}" aria-label="{name}">'
                f"<title>{name}</title>"
            )
            if mark.span_width:
                parts.append(
                    f'<rect class="tl-mark-span" x="{mark.span_x:g}" y="{mark.span_y:g}" '
                    f'width="{mark.span_width:g}" height="6" rx="3"/>'
                )
            parts.append(f'<path class="tl-shape" d="{esc(mark.path)}"/></a>')
        for bubble in self.bubbles:
            name = esc(bubble.name)
            parts.append(f'<a href="{esc(bubble.url)}" class="tl-count" aria-label="{name}"><title>{name}</title>')
            if bubble.square:
                side = f"{bubble.side:g}"
                parts.append(
                    f'<rect class="tl-count-square" x="{bubble.corner_x:g}" y="{bubble.corner_y:g}" '
                    f'width="{side}" height="{side}"/>'
                )
            else:
                parts.append(f'<circle class="tl-count-dot" cx="{bubble.x:g}" cy="{bubble.y:g}" r="{bubble.r:g}"/>')
            if bubble.show_count:
                parts.append(
                    f'<text class="tl-count-text" x="{bubble.x:g}" y="{bubble.text_y:g}">{bubble.count:d}</text>'
                )
            parts.append("</a>")
        return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


@dataclass
class Picture:
    """What the template draws: ``lanes`` under an axis of ``ticks``, ``height`` high."""

    name: str  # the SVG's accessible name
    key: str  # unique on its page: ids of its gradients and caption
    ticks: list
    lanes: list
    height: float
    width: int = WIDTH

    @property
    def bottom(self) -> float:
        return self.height - 4


def row_height(rows: int, thin: float = THIN_ROW_HEIGHT) -> float:
    """The height of each of a lane's ``rows``: thinner for a busy lane, so that 25 projects
    running at once make a picture still seen whole on a screen."""
    return ROW_HEIGHT if rows <= BUSY_ROWS else thin


def lane_rows(count: int, height: float = ROW_HEIGHT) -> float:
    return LANE_LABEL_HEIGHT + max(count, 1) * height


def fit_label(text: str, width: float) -> str:
    """``text``, shortened with "…" to fit ``width`` units (:func:`charts.shorten`, which keeps an
    English title marked); "" when not even a few letters fit."""
    room = int((width - 8) / CHAR_WIDTH)
    if room < 6:
        return ""
    return shorten(text, room)


def bubble_radius(count: int, most: int) -> float:
    """A count's radius: its area grows with the count, the lane's largest is :data:`BUBBLE_MAX`."""
    if count <= 0 or most <= 0:
        return 0.0
    return round(BUBBLE_MIN + (BUBBLE_MAX - BUBBLE_MIN) * math.sqrt(count / most), 1)


def count_labels(counts: Sequence[int], per_year: float) -> tuple[bool, bool]:
    """(shown, staggered): whether a lane's counts (one a year, in columns ``per_year`` wide) are
    written under their circles, and whether every other year's goes a line lower so that wide
    numbers do not run into their neighbours'. Neither when even two columns are too narrow
    (the link's name and the table still give the number)."""
    widest = max((len(str(count)) * COUNT_CHAR + 4 for count in counts), default=0)
    if widest <= per_year:
        return True, False
    return (True, True) if widest <= 2 * per_year else (False, False)
