"""Country shapes for maps drawn on the server: Natural Earth's, from a TopoJSON file, projected
into a map's view, clipped to it and simplified to what shows at its size.

The shapes are ``data/countries-50m.json``: the npm package ``world-atlas`` 2.0.2 (Natural Earth
4.1.0 Admin 0 countries, 1:50m, public domain; the package's TopoJSON under the ISC licence in
``data/world-atlas-LICENSE``), copied unchanged (``npm pack world-atlas``, then the file from
the archive's ``package/``).

TopoJSON keeps every border once, as an *arc*: a list of points, quantised to integers and
delta-encoded (each point is the difference from the previous one), which ``transform`` (scale
and translate) turns back into degrees. A country is rings of arcs by index (``~i``: arc ``i``
reversed). :func:`countries` decodes the file once a process, lazily, into rings of
(longitude, latitude); :class:`View` projects them (an equirectangular projection whose
standard parallel is the view's middle latitude, so the Caucasus is not stretched wide; the
whole world is then close to plate carrée), :func:`clip` cuts them to the view and
:func:`simplify` drops what is finer than a unit of the picture.

Why decoded at run time rather than a generated file: decoding the 1:50m file takes about a
fifth of a second, once a process (measured in tests/pictures/test_geo.py's docstring), and a
map's outline is then cached for its view (cooperation/pictures/basemap.py); a generated file
would be a second copy of the same data (several megabytes of projected text) to keep in step.
"""

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "countries-50m.json"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Country:
    """One country of the file: its ISO 3166 numeric code ("031", "" for a few territories
    without one), and its rings of (longitude, latitude), outer rings and holes alike."""

    code: str
    rings: tuple[Ring, ...]
    bbox: tuple[float, float, float, float]  # west, south, east, north


def decode_arcs(topology: dict) -> list[Ring]:
    """Every arc of ``topology`` in degrees: the quantised deltas summed and transformed."""
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            if transform:
                x, y = x + dx, y + dy
            else:
                x, y = dx, dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs: list[Ring]) -> Ring:
    """A closed ring from arcs by index (``~i``, that is ``-i - 1``: arc ``i`` reversed); each arc
    after the first starts where the previous ended, so its first point is dropped."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def unwrapped(ring: Ring) -> Ring:
    """The ring without jumps across the antimeridian: where a step crosses from 180° to -180°
    (Russia's Chukotka, Fiji), the rest is shifted by 360° so it goes on past the edge instead of
    drawing a line across the whole world; the part past it lies outside every view."""
    shift, previous, out = 0.0, None, []
    for x, y in ring:
        if previous is not None and abs(x + shift - previous) > 180:
            shift += 360 if previous > x + shift else -360
        previous = x + shift
        out.append((previous, y))
    return out


def geometry_rings(geometry: dict, arcs: list[Ring]) -> list[Ring]:
    if geometry["type"] == "Polygon":
        return [unwrapped(ring_of(ring, arcs)) for ring in geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return [unwrapped(ring_of(ring, arcs)) for polygon in geometry["arcs"] for ring in polygon]
    return []


def bounds(rings: list[Ring]) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def decode_countries(topology: dict, name: str = "countries") -> tuple[Country, ...]:
    arcs = decode_arcs(topology)
    found = []
    for geometry in topology["objects"][name]["geometries"]:
        rings = geometry_rings(geometry, arcs)
        if rings:
            found.append(Country(str(geometry.get("id", "")), tuple(rings), bounds(rings)))
    return tuple(found)


@functools.cache
def countries() -> tuple[Country, ...]:
    """The world's countries, decoded once a process."""
    with DATA.open(encoding="utf-8") as file:
        return decode_countries(json.load(file))


# Projecting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """The part of the world a map shows, in degrees, and the picture's size in its units:
    ``x = (longitude - west) * k * cos(parallel)``, ``y = (north - latitude) * k``."""

    west: float
    south: float
    east: float
    north: float
    width: int
    height: int

    @property
    def parallel(self) -> float:
        return (self.south + self.north) / 2

    @property
    def stretch(self) -> float:
        """cos of the standard parallel: how much narrower a degree of longitude is drawn."""
        return math.cos(math.radians(self.parallel))

    @property
    def scale(self) -> float:
        return self.height / (self.north - self.south)

    def project(self, longitude: float, latitude: float) -> tuple[float, float]:
        return (
            (longitude - self.west) * self.scale * self.stretch,
            (self.north - latitude) * self.scale,
        )

    def contains(self, west: float, south: float, east: float, north: float, margin: float = 0) -> bool:
        """Whether a box of degrees overlaps the view (widened by ``margin`` degrees)."""
        return not (
            east < self.west - margin
            or west > self.east + margin
            or north < self.south - margin
            or south > self.north + margin
        )


def fit(
    west: float,
    south: float,
    east: float,
    north: float,
    *,
    width: int,
    height: int,
    padding: float = 0.12,
    minimum: float = 14.0,
) -> View:
    """The view showing the box of degrees (the markers' extent) with ``padding`` of its size
    around it, at least ``minimum`` degrees of latitude high (one city is shown with its region,
    not alone on a blank square), widened one way or the other to the picture's proportions and
    kept within the world (latitude ±85, longitude ±180)."""
    middle_y, middle_x = (south + north) / 2, (west + east) / 2
    span_y = max((north - south) * (1 + 2 * padding), minimum)
    span_x = max((east - west) * (1 + 2 * padding), minimum)
    stretch = math.cos(math.radians(max(-70.0, min(70.0, middle_y))))
    # Widen the narrower way until the view has the picture's proportions.
    aspect = width / height
    if span_x * stretch / span_y < aspect:
        span_x = span_y * aspect / stretch
    else:
        span_y = span_x * stretch / aspect
    span_y, span_x = min(span_y, 170.0), min(span_x, 360.0)
    south, north = middle_y - span_y / 2, middle_y + span_y / 2
    if north > 85:
        south, north = south - (north - 85), 85.0
    if south < -85:
        south, north = -85.0, min(85.0, north + (-85 - south))
    west, east = middle_x - span_x / 2, middle_x + span_x / 2
    if east > 180:
        west, east = west - (east - 180), 180.0
    if west < -180:
        west, east = -180.0, min(180.0, east + (-180 - west))
    # The view's own proportions may have changed where the world ended: the picture's height
    # follows from them, so nothing is distorted.
    view = View(west, south, east, north, width, height)
    drawn_height = round(width / ((east - west) * view.stretch) * (north - south))
    return View(west, south, east, north, width, max(1, drawn_height))


# Clipping and simplifying ---------------------------------------------------------------------


def _clip_edge(points: Ring, inside, cross) -> Ring:
    """One step of Sutherland–Hodgman: the ring cut by one edge of the rectangle."""
    if not points:
        return points
    out: Ring = []
    previous = points[-1]
    previous_in = inside(previous)
    for point in points:
        point_in = inside(point)
        if point_in:
            if not previous_in:
                out.append(cross(previous, point))
            out.append(point)
        elif previous_in:
            out.append(cross(previous, point))
        previous, previous_in = point, point_in
    return out


def clip(ring: Ring, left: float, top: float, right: float, bottom: float) -> Ring:
    """The ring (projected) cut to the rectangle: parts outside run along its edges, which lie
    outside the picture when the rectangle is a little larger than it."""

    def at_x(x):
        def cross(a, b):
            t = (x - a[0]) / (b[0] - a[0])
            return x, a[1] + t * (b[1] - a[1])

        return cross

    def at_y(y):
        def cross(a, b):
            t = (y - a[1]) / (b[1] - a[1])
            return a[0] + t * (b[0] - a[0]), y

        return cross

    ring = _clip_edge(ring, lambda p: p[0] >= left, at_x(left))
    ring = _clip_edge(ring, lambda p: p[0] <= right, at_x(right))
    ring = _clip_edge(ring, lambda p: p[1] >= top, at_y(top))
    return _clip_edge(ring, lambda p: p[1] <= bottom, at_y(bottom))


def simplify(points: Ring, tolerance: float) -> Ring:
    """Ramer–Douglas–Peucker: the fewest points that stay within ``tolerance`` of the line
    (iterative, so a long coast does not recurse deeply)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                distance = cross * cross / length
            if distance > farthest:
                farthest, index = distance, i
        if farthest > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def path_data(rings: list[Ring]) -> str:
    """SVG path data of closed rings with integer coordinates, relative moves (``m``/``l``),
    repeated points left out: the shortest text for the shape."""
    parts = []
    x0 = y0 = 0
    for ring in rings:
        points = []
        for x, y in ring:
            point = (round(x), round(y))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        (x, y), rest = points[0], points[1:]
        steps = [f"m{x - x0} {y - y0}"]
        for px, py in rest:
            steps.append(f"{px - x} {py - y}")
            x, y = px, py
        parts.append(steps[0] + "l" + " ".join(steps[1:]).replace(" -", "-") + "z")
        x0, y0 = points[0]  # after z the current point is the ring's start
    return "".join(parts).replace(" -", "-")
