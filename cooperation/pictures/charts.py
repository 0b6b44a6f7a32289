"""Chart geometry: scales, round ticks, and where each column, line and bar goes, in the
coordinates of an SVG ``viewBox``. Pure Python (no database, no Django): a page's builder
(cooperation/pictures/figures.py) gives it the numbers, the labels and the addresses, and the
templates under templates/includes/pictures/ draw what it returns.

Three shapes:

- :func:`column_chart`: a column per category (a year), its series stacked (records per year
  by kind, a topic's projects by status);
- :func:`line_chart`: a line per series over the categories (projects by topic over time:
  a project on two topics counts on both, so stacking them would add up to more projects than
  there are);
- :func:`bar_chart`: a row per item (a partner) and a panel per series, each on its own scale
  (projects and meetings: a partner has tens of projects and thousands of meetings).

Each category or row may be a link (``urls``) with an accessible name (``names``); its whole
column or row is then the link's target, so a keyboard reaches one stop per year, not per bar.
"""

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from cooperation.core.html import esc
from cooperation.core.translation import in_language_of

# The palette: ``series-1`` … ``series-8``, classes of static/css/site.css (Okabe and Ito's
# eight colours, told apart with every common colour blindness).
PALETTE_SIZE = 8
WIDTH = 720  # the viewBox's width; the page scales it
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 30  # room for the value ticks, the category labels
CHARACTER = 8  # the width of a character of a tick label, roughly (14 px text)
ROW = 26  # the height of a row of a bar chart
LABEL = 220  # the width of a bar chart's row labels
GAP = 40  # between the panels of a bar chart
BAR = 48  # the widest a column is drawn


def nice_step(maximum: float, count: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten, never under 1) that divides 0…``maximum``
    into about ``count`` intervals."""
    if maximum <= 0:
        return 1
    raw = maximum / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return max(1, int(multiple * power))
    return max(1, int(10 * power))  # pragma: no cover (the loop always returns)


def nice_ticks(maximum: float, count: int = 5) -> list[int]:
    """0 and the multiples of :func:`nice_step` up to the first at or over ``maximum``."""
    step = nice_step(maximum, count)
    top = max(step, math.ceil(maximum / step) * step)
    return list(range(0, top + 1, step))


@dataclass(frozen=True)
class LinearScale:
    """Values 0…``top`` onto the pixels ``start``…``end`` (``end`` may be smaller: a y axis)."""

    top: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.top <= 0:
            return self.start
        return round(self.start + (self.end - self.start) * value / self.top, 2)


def bands(count: int, start: float, end: float, padding: float = 0.2, widest: float = BAR) -> list[tuple[float, float]]:
    """``count`` equal bands across ``start``…``end``: [(left edge of the band's bar, bar
    width)], a fraction ``padding`` of each band left empty, half on each side, and a bar never
    wider than ``widest`` (a few years' columns stay columns)."""
    if count <= 0:
        return []
    band = (end - start) / count
    width = min(band * (1 - padding), widest)
    return [(round(start + band * index + (band - width) / 2, 2), round(width, 2)) for index in range(count)]


def label_step(count: int, room: float, longest: int) -> int:
    """Label every n-th of ``count`` categories so that labels of ``longest`` characters fit
    in ``room`` pixels, with a little space between them."""
    if count <= 0:
        return 1
    needed = longest * CHARACTER + 8
    return max(1, math.ceil(count * needed / room))


def format_number(value: float) -> str:
    """A count as the site writes large numbers (``f"{n:,}"``, as its notices do)."""
    return f"{int(value):,}"


@dataclass(frozen=True)
class Series:
    """A series of a chart: ``key`` names its values, ``label`` its legend entry; ``css`` is its
    colour's class."""

    key: Hashable
    label: str
    css: str = ""


def palette(series: Sequence[Series]) -> list[Series]:
    """``series`` with their colour classes, in order (the ninth takes the first's again)."""
    return [
        Series(item.key, item.label, item.css or f"series-{index % PALETTE_SIZE + 1}")
        for index, item in enumerate(series)
    ]


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Segment:
    """A drawn rectangle: one series' value in a column or row."""

    x: float
    y: float
    width: float
    height: float
    series: Series
    value: int
    url: str = ""  # a bar chart's bar: the item's records of this series


@dataclass
class Mark:
    """A category of a column or line chart, or a row of a bar chart: what it draws, and the
    area its link covers (``hit``: x, y, width, height)."""

    key: Hashable
    label: str
    segments: list[Segment] = field(default_factory=list)
    url: str = ""
    name: str = ""  # the link's accessible name: what the mark says in words
    hit: tuple[float, float, float, float] = (0, 0, 0, 0)
    label_x: float = 0
    label_y: float = 0
    show_label: bool = True
    full_label: str = ""  # the label in the table, when ``label`` is cut short
    values: dict = field(default_factory=dict)  # {series key: value}


@dataclass
class Line:
    """A series' line. Lines that run together would hide each other: each is drawn over the
    ones before it and narrower than they are (``layer``, a class of static/css/site.css: the
    first the widest), so that where they meet every colour shows, as stripes."""

    series: Series
    points: str  # "x,y x,y …" for a <polyline>
    dots: list[tuple[float, float, int]]
    layer: int = 1
    radius: float = 3


@dataclass
class Panel:
    """A series' panel of a bar chart: its scale's ticks and where it starts."""

    series: Series
    x: float
    width: float
    ticks: list[Tick]


@dataclass
class Chart:
    """Everything a template draws: the viewBox, the plot area, the ticks, the marks (columns,
    points or rows), lines, panels and the legend (``series``)."""

    shape: str  # "columns", "lines" or "bars"
    width: float
    height: float
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    series: list[Series]
    marks: list[Mark]
    y_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)

    @property
    def legend(self) -> list[Series]:
        """The series with any value: what the legend lists."""
        return [item for item in self.series if any(mark.values.get(item.key) for mark in self.marks)]

    @property
    def empty(self) -> bool:
        return not any(mark.values.get(s.key) for mark in self.marks for s in self.series)

    @property
    def baseline(self) -> float:
        return self.plot[3]

    def lines_html(self) -> SafeString:
        """The lines of a line chart, each with a dot on every point of a value (hidden from
        assistive technology: the marks carry the numbers). Written here, as the marks are: the
        projects list's six topics over 45 years are 270 dots."""
        parts = []
        for line in self.lines:
            css = esc(line.series.css)
            parts.append(
                f'<g class="chart-series" aria-hidden="true"><polyline class="chart-line '
                f'chart-layer-{coordinate(line.layer)} {css}" points="{esc(line.points)}"/>'
            )
            radius = coordinate(line.radius)
            parts.extend(
                f'<circle class="chart-dot {css}" cx="{coordinate(x)}" cy="{coordinate(y)}" r="{radius}"/>'
                for x, y, value in line.dots
                if value
            )
            parts.append("</g>")
        return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped

    def column_marks_html(self) -> SafeString:
        """The marks of a column or line chart: each a link (or a group) over its hit area, its
        columns' segments and its label. Written here rather than by a template loop, as a map's
        markers are (cooperation/pictures/maps.py): a topic's 45 years took 5 ms to render
        through the template language on every first request after a change."""
        parts = []
        for mark in self.marks:
            if mark.url:
                name = esc(mark.name)
                parts.append(f'<a href="{esc(mark.url)}" class="chart-link" aria-label="{name}"><title>{name}</title>')
            else:
                parts.append("<g>")
            x, y, width, height = (coordinate(value) for value in mark.hit)
            parts.append(f'<rect class="chart-hit" x="{x}" y="{y}" width="{width}" height="{height}"/>')
            parts.extend(
                f'<rect class="chart-bar {esc(segment.series.css)}" x="{coordinate(segment.x)}" '
                f'y="{coordinate(segment.y)}" width="{coordinate(segment.width)}" '
                f'height="{coordinate(segment.height)}"/>'
                for segment in mark.segments
            )
            if mark.show_label:
                parts.append(
                    f'<text class="chart-tick chart-tick-x" x="{coordinate(mark.label_x)}" '
                    f'y="{coordinate(mark.label_y)}">{esc(mark.label)}</text>'
                )
            parts.append("</a>" if mark.url else "</g>")
        return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


def coordinate(value: object) -> str:
    """A number as the chart's template writes it with ``{% localize off %}`` ("12.5", never "12,5")."""
    return esc(localize(value, use_l10n=False))


Values = Mapping[tuple[Hashable, Hashable], int]  # {(category or row, series key): value}


def _marks(categories, values, series, urls, names, label_of) -> list[Mark]:
    return [
        Mark(
            key=category,
            label=label_of(category),
            url=(urls or {}).get(category, ""),
            name=(names or {}).get(category, ""),
            values={s.key: values.get((category, s.key), 0) for s in series},
        )
        for category in categories
    ]


def _y_axis(maximum: float, height: float) -> tuple[LinearScale, list[Tick]]:
    ticks = nice_ticks(maximum)
    scale = LinearScale(ticks[-1], height - BOTTOM, TOP)
    return scale, [Tick(scale(value), format_number(value)) for value in ticks]


def _category_labels(marks: list[Mark], left: float, right: float) -> None:
    step = label_step(len(marks), right - left, max((len(mark.label) for mark in marks), default=0))
    for index, mark in enumerate(marks):
        mark.show_label = index % step == 0 or index == len(marks) - 1 and index % step > step // 2


def column_chart(
    categories: Sequence[Hashable],
    series: Sequence[Series],
    values: Values,
    *,
    urls: Mapping | None = None,
    names: Mapping | None = None,
    label_of: Callable[[Hashable], str] = str,
    height: float = HEIGHT,
) -> Chart:
    """A column per category, its series stacked bottom up in their order."""
    series = palette(series)
    marks = _marks(categories, values, series, urls, names, label_of)
    scale, ticks = _y_axis(max((sum(mark.values.values()) for mark in marks), default=0), height)
    left, right, bottom = LEFT, WIDTH - RIGHT, height - BOTTOM
    band = (right - left) / max(len(marks), 1)
    for mark, (x, width) in zip(marks, bands(len(marks), left, right), strict=True):
        total = 0
        for item in series:
            value = mark.values[item.key]
            if value:
                y = scale(total + value)
                mark.segments.append(Segment(x, y, width, round(scale(total) - y, 2), item, value))
            total += value
        mark.hit = (round(x - (band - width) / 2, 2), TOP, round(band, 2), bottom - TOP)
        mark.label_x, mark.label_y = round(x + width / 2, 2), bottom + 18
    _category_labels(marks, left, right)
    return Chart("columns", WIDTH, height, (left, TOP, right, bottom), series, marks, ticks)


def line_chart(
    categories: Sequence[Hashable],
    series: Sequence[Series],
    values: Values,
    *,
    urls: Mapping | None = None,
    names: Mapping | None = None,
    label_of: Callable[[Hashable], str] = str,
    height: float = HEIGHT,
) -> Chart:
    """A line per series through its value at each category (0 where it has none)."""
    series = palette(series)
    marks = _marks(categories, values, series, urls, names, label_of)
    scale, ticks = _y_axis(max((max(mark.values.values(), default=0) for mark in marks), default=0), height)
    left, right, bottom = LEFT, WIDTH - RIGHT, height - BOTTOM
    band = (right - left) / max(len(marks), 1)
    for index, mark in enumerate(marks):
        centre = round(left + band * (index + 0.5), 2)
        mark.hit = (round(left + band * index, 2), TOP, round(band, 2), bottom - TOP)
        mark.label_x, mark.label_y = centre, bottom + 18
    lines = []
    for number, item in enumerate(series):
        dots = [(mark.label_x, scale(mark.values[item.key]), mark.values[item.key]) for mark in marks]
        layer = len(series) - number  # the first series the widest, at the bottom
        points = " ".join(f"{x},{y}" for x, y, _value in dots)
        layer = min(layer, PALETTE_SIZE)
        lines.append(Line(item, points, dots, layer=layer, radius=1.75 + 0.75 * layer))  # half the width, and 1
    _category_labels(marks, left, right)
    return Chart("lines", WIDTH, height, (left, TOP, right, bottom), series, marks, ticks, lines=lines)


def bar_chart(
    rows: Sequence[Hashable],
    series: Sequence[Series],
    values: Values,
    *,
    urls: Mapping | None = None,
    names: Mapping | None = None,
    label_of: Callable[[Hashable], str] = str,
    series_urls: Mapping | None = None,
) -> Chart:
    """A row per item, a panel per series side by side, each panel on its own scale from 0.
    ``urls`` link a row's label (the item's page); ``series_urls`` {(row, series key): url}
    link a bar (the item's records of that series)."""
    series = palette(series)
    marks = _marks(rows, values, series, urls, names, label_of)
    height = TOP + ROW * len(marks) + BOTTOM + 12  # the ticks, and each panel's title under them
    bottom = TOP + ROW * len(marks)
    room = (WIDTH - RIGHT - LABEL - GAP * (len(series) - 1)) / max(len(series), 1)
    panels = []
    for number, item in enumerate(series):
        x = LABEL + number * (room + GAP)
        ticks = nice_ticks(max((mark.values[item.key] for mark in marks), default=0), count=3)
        scale = LinearScale(ticks[-1], x, x + room)
        panels.append(Panel(item, x, round(room, 2), [Tick(scale(value), format_number(value)) for value in ticks]))
        for index, mark in enumerate(marks):
            value = mark.values[item.key]
            y = TOP + ROW * index + 5
            mark.segments.append(Segment(x, y, round(scale(value) - x, 2), ROW - 10, item, value))
    for index, mark in enumerate(marks):
        mark.hit = (0, TOP + ROW * index, LABEL - 6, ROW)
        mark.label_x, mark.label_y = LABEL - 8, TOP + ROW * index + ROW / 2 + 4
    for mark in marks:
        for segment in mark.segments:
            segment.url = (series_urls or {}).get((mark.key, segment.series.key), "")
    return Chart("bars", WIDTH, height, (LABEL, TOP, WIDTH - RIGHT, bottom), series, marks, panels=panels)


def shorten(text: str, limit: int = 23) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (a row label; its full text is
    in the link's name and the table), in its language (an English name stays marked)."""
    return text if len(text) <= limit else in_language_of(text, text[: limit - 1].rstrip() + "…")


def shorten_apart(texts: Mapping[Hashable, str], limit: int = 23) -> dict[Hashable, str]:
    """Each of ``texts`` cut as :func:`shorten` cuts it, but where a cut label would read like
    another text's label (bodies whose names start alike: "Azərbaycan Respublikas…" three times,
    or beside "Azərbaycan Respublikası" itself), the cut ones keep their last words instead,
    which tell them apart ("…Miqrasiya Xidməti", "…Xarici İşlər Nazirliyi"); where even those
    are alike, the first cut stays."""
    cut = {key: shorten(text, limit) for key, text in texts.items()}
    alike: dict[str, set[str]] = {}
    for key, label in cut.items():
        alike.setdefault(_start(label, limit), set()).add(texts[key])
    ends = {
        key: _last_words(text, limit)
        for key, text in texts.items()
        if cut[key] != text and len(alike[_start(cut[key], limit)]) > 1
    }
    for key, end in ends.items():
        if end and sum(other == end for other in ends.values()) == 1:
            cut[key] = in_language_of(texts[key], end)
    return cut


def _start(label: str, limit: int) -> str:
    """What a reader compares of a label: its text before a cut ("Azərbaycan Respublikas" of
    both "Azərbaycan Respublikas…" and "Azərbaycan Respublikası")."""
    return label.removesuffix("…")[: limit - 1]


def _last_words(text: str, limit: int) -> str:
    """ "…" and the last whole words of ``text`` that fit in ``limit`` characters with it ("" if
    the last word alone does not)."""
    words, end = text.split(), ""
    while words and len(words[-1]) + len(end) + (1 if end else 0) + 1 <= limit:
        end = f"{words.pop()} {end}".rstrip()
    return f"…{end}" if end else ""
