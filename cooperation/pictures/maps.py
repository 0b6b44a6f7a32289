"""Maps of places drawn on the server: a marker a place, sized by how many records it has, each a
link, over Natural Earth's countries (cooperation/pictures/basemap.py), zoomed to the markers.

A map is drawn from :class:`MapPoint` s, whatever they count (offices, meetings, signings): the
caller says where each marker leads (the record itself when the place has one, else the list
filtered to the place) and what it holds, in the page's language. :func:`draw_map` gives a
:class:`MapPicture`, which ``templates/includes/pictures/map.html`` writes as an inline SVG
(links and titles, classes styled in static/css/site.css: no inline style, no script) beside
the same places as a list.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_countries import countries

from cooperation.core.html import esc
from cooperation.core.templatetags.translated import lang_attribute, marked_text
from cooperation.core.translation import LocalizedText, country_name, localized_value
from cooperation.core.words import gettext as _
from cooperation.pictures.basemap import Basemap, outline
from cooperation.pictures.geo import fit
from cooperation.pictures.html import cached_html

WIDTH, HEIGHT = 1000, 600  # the picture's units; it is drawn as wide as its column
RADIUS_MIN, RADIUS_MAX = 7.0, 26.0  # a marker's radius, for one record and for the most
# Markers drawn at most: the places with the most records (the list beside the map says how
# many more there are).
MAX_MARKERS = 300
# Place names written on the map (the others are in the list and the markers' titles): the
# places with the most records first, where a name has room.
MAX_LABELS = 12
LABEL_SIZE = 15  # font size in the picture's units (static/css/site.css hides them on phones)


@dataclass(frozen=True)
class MapLink:
    """One kind of record at a place: "3 meetings", and where they are listed (or the record)."""

    text: str
    url: str


@dataclass(frozen=True)
class MapPoint:
    """A place and its records: ``name`` in the page's language, ``count`` records in all,
    ``url`` where its marker leads, ``links`` one per kind of record it holds."""

    key: str  # the place's slug: the anchor of its row in the list
    name: str
    latitude: float
    longitude: float
    count: int
    url: str
    links: tuple[MapLink, ...] = ()
    country: str = ""  # ISO 3166 alpha-2
    is_country: bool = False  # the place is the country itself: its line names no country after it
    selected: bool = False  # the place the list is filtered to

    @property
    def country_name(self) -> str:
        return country_name(self.country, get_language()) if self.country else ""


@dataclass(frozen=True)
class Marker:
    point: MapPoint
    x: float
    y: float
    r: float
    title: str  # the link's accessible name: "Geneva: 3 offices, 12 meetings"


@dataclass(frozen=True)
class Label:
    text: str  # the place's name: a LocalizedText, marked where it is English on another language's page
    x: float
    y: float
    anchor: str  # "start" or "end"


@dataclass
class MapPicture:
    width: int
    height: int
    basemap: Basemap
    markers: list[Marker]
    labels: list[Label]
    points: list[MapPoint]  # every place given, for the list beside the map (most records first)
    hidden: int = 0  # places with records left off the map (past MAX_MARKERS)
    total: int = 0  # records in all
    # Places left out of both the map and its list (home's and a partner's map: places.draw_busiest),
    # and the lists whose maps have every place.
    left_out: int = 0
    elsewhere: tuple[MapLink, ...] = ()

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    # Its hundreds of markers and list items are written here rather than by template loops:
    # rendering them through the template language took ~150 ms at ~500 places, on every first
    # request after a change; and with conditional_escape and one mark_safe, not format_html
    # (which escapes the same way): 300 markers in 0.9 ms instead of 2.9.

    def markers_html(self) -> SafeString:
        return mark_safe(  # noqa: S308 - every value in it is escaped
            "".join(
                f'<a class="map-marker{" map-marker-selected" if marker.point.selected else ""}" '
                f'href="{esc(marker.point.url)}"{CURRENT if marker.point.selected else ""}>'
                f"<title>{esc(marker.title)}</title>"
                f'<circle cx="{number(marker.x)}" cy="{number(marker.y)}" r="{number(marker.r)}"/></a>'
                for marker in self.markers
            )
        )

    def labels_html(self) -> SafeString:
        return mark_safe(  # noqa: S308 - every value in it is escaped
            "".join(
                f'<text class="map-label" x="{number(label.x)}" y="{number(label.y)}" '
                f'text-anchor="{esc(label.anchor)}" aria-hidden="true"{lang_attribute(label.text)}>'
                f"{esc(label.text)}</text>"
                for label in self.labels
            )
        )

    def places_html(self, map_id: str) -> SafeString:
        """The list beside the map: a place a line, with its records by kind."""
        return mark_safe("".join(place_item(point, map_id) for point in self.points))  # noqa: S308 - place_item escapes


CURRENT = mark_safe(' aria-current="true"')


def number(value: float) -> str:
    """A coordinate as the SVG is written: the shortest form ("12.5", "40")."""
    return f"{value:g}"


def place_item(point: MapPoint, map_id: str) -> SafeString:
    """A place's ``<li>``: its name (a link where its marker leads), country, and its records by kind.

    Written with ``conditional_escape`` and one ``mark_safe`` rather than ``format_html`` (which
    escapes the same way): a map lists up to a few thousand places, and five ``format_html`` a
    place were a fifth of a cold list page's time."""
    links = [
        esc(link.text) if link.url == point.url else f'<a href="{esc(link.url)}">{esc(link.text)}</a>'
        for link in point.links
    ]
    counts = f'<br><span class="map-place-counts">{" · ".join(links)}</span>' if links else ""
    country = "" if point.is_country else point.country_name  # "Georgia", not "Georgia Georgia"
    country = f' <span class="meta">{esc(country)}</span>' if country else ""
    selected = ' class="map-place-selected"' if point.selected else ""
    current = CURRENT if point.selected else ""
    return mark_safe(  # noqa: S308 - every value in it is escaped
        f'<li id="{esc(map_id)}-{esc(point.key)}"{selected}>'
        f'<a href="{esc(point.url)}"{current}>{esc(marked_text(point.name))}</a>{country}{counts}</li>'
    )


def radius(count: int, most: int) -> float:
    """Marker sizes by area: a place of ``most`` records gets RADIUS_MAX, one of a single record
    RADIUS_MIN, between them the area grows with the count."""
    if most <= 1:
        return RADIUS_MIN
    share = math.sqrt((count - 1) / (most - 1))
    return round(RADIUS_MIN + (RADIUS_MAX - RADIUS_MIN) * share, 1)


def marker_title(point: MapPoint) -> str:
    if not point.links:
        return str(point.name)
    return f"{point.name}: " + ", ".join(link.text for link in point.links)


def place_labels(markers: list[Marker], width: int, height: int) -> list[Label]:
    """Names beside the markers, the most records first, where one fits without covering another
    name or marker: right of the marker, else left; at most MAX_LABELS."""
    taken = [(m.x - m.r, m.y - m.r, m.x + m.r, m.y + m.r) for m in markers]
    labels = []
    for marker in sorted(markers, key=lambda m: -m.point.count):
        if len(labels) >= MAX_LABELS:
            break
        text = marker.point.name
        text_width = len(text) * LABEL_SIZE * 0.56
        top, bottom = marker.y - LABEL_SIZE * 0.7, marker.y + LABEL_SIZE * 0.4
        for anchor, x0 in (("start", marker.x + marker.r + 4), ("end", marker.x - marker.r - 4)):
            box = (x0, top, x0 + text_width, bottom) if anchor == "start" else (x0 - text_width, top, x0, bottom)
            if box[0] < 2 or box[2] > width - 2 or box[1] < 2 or box[3] > height - 2:
                continue
            own = (marker.x - marker.r, marker.y - marker.r, marker.x + marker.r, marker.y + marker.r)
            if any(_overlap(box, other) for other in taken if other != own):
                continue
            taken.append(box)
            labels.append(Label(text, round(x0, 1), round(marker.y + LABEL_SIZE * 0.35, 1), anchor))
            break
    return labels


def _overlap(a: tuple, b: tuple) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def host_numeric_code() -> str:
    """The host country's ISO 3166 numeric code as the shapes name it ("031" for Azerbaijan)."""
    number = countries.numeric(settings.HOST_COUNTRY)
    return f"{number:03d}" if number is not None else ""


def draw_map(
    points: list[MapPoint],
    width: int = WIDTH,
    height: int = HEIGHT,
    left_out: int = 0,
    elsewhere: tuple[MapLink, ...] = (),
) -> MapPicture | None:
    """The map of ``points`` (None if there are none): zoomed to the MAX_MARKERS places with the
    most records, the biggest markers drawn first so a small one is never hidden under a big one.
    ``left_out``: places the caller left out of ``points``, whose every place the maps of the
    lists ``elsewhere`` have."""
    # Places of the same name and count in the order of their slugs, whatever order the query gave.
    points = sorted(points, key=lambda p: (-p.count, str(p.name).casefold(), p.key))
    if not points:
        return None
    shown = points[:MAX_MARKERS]
    view = fit(
        min(p.longitude for p in shown),
        min(p.latitude for p in shown),
        max(p.longitude for p in shown),
        max(p.latitude for p in shown),
        width=width,
        height=height,
    )
    most = shown[0].count
    markers = []
    for point in shown:
        x, y = view.project(point.longitude, point.latitude)
        markers.append(Marker(point, round(x, 1), round(y, 1), radius(point.count, most), marker_title(point)))
    return MapPicture(
        width=view.width,
        height=view.height,
        basemap=outline(view, host_numeric_code()),
        markers=markers,
        labels=place_labels(markers, view.width, view.height),
        points=points,
        hidden=len(points) - len(shown),
        total=sum(p.count for p in points),
        left_out=left_out,
        elsewhere=elsewhere,
    )


def localized_name(row: dict, prefix: str = "") -> LocalizedText:
    """A place's name in the page's language from a row of values (``name``, ``name_az``,
    ``name_ru``, with ``prefix``), marked as English where it has no translation."""
    return localized_value(lambda name: row.get(prefix + name), "name")


def rendered_map(
    name: str,
    parts: Sequence[object],
    picture: Callable[[], "MapPicture | None"],
    heading: str,
    records: Sequence[str] | None = None,
) -> SafeString:
    """The HTML of the map ``picture()`` draws under ``heading`` ("" without a place), cached
    in the page's language until the data it was drawn from changes: a warm page neither reads
    the places, nor lays out, nor renders its hundreds of markers and list items again (at a
    million meetings, ~500 places: ~150 ms a request). ``records``: the record names it depends
    on instead of the tables it read (see cooperation/core/cache.py)."""

    def render():
        drawn = picture()
        return "" if drawn is None else map_html(drawn, str(heading))

    return cached_html(f"map-html:{name}", parts, render, records)


def map_html(picture: MapPicture, heading: str, places_heading: str = "", map_id: str = "map") -> SafeString:
    """The map as HTML: a figure captioned ``heading``, the SVG beside the list of places."""
    context = {
        "picture": picture,
        "map_id": map_id,
        "map_heading": heading,
        "map_places_heading": places_heading or _("Places"),
        "place_items": picture.places_html(map_id),
    }
    return render_to_string("includes/pictures/map.html", context)
