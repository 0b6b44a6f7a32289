"""A map's background: the countries in its view, as two SVG paths (the host country, the rest),
kept in memory for each view drawn (a few distinct views per site: the markers decide them)."""

import functools
from dataclasses import dataclass

from cooperation.pictures.geo import View, clip, countries, path_data, simplify

# How far past the picture's edges the shapes are cut (in its units): the cut runs along
# lines no one sees, so no border is drawn at the frame.
BLEED = 4
# Details finer than this (in the picture's units, under a screen pixel at 1280 px) are left out.
TOLERANCE = 1.0


@dataclass(frozen=True)
class Basemap:
    land: str  # path data of every country but the host
    host: str  # path data of the host country ("" when outside the view)


def outline(view: View, host_code: str = "") -> Basemap:
    """The countries seen in ``view``, projected, clipped and simplified: ``host_code`` (ISO 3166
    numeric, "031") apart, to be drawn in its own colour."""
    return _outline(view, host_code)


@functools.lru_cache(maxsize=64)
def _outline(view: View, host_code: str) -> Basemap:
    left, top, right, bottom = -BLEED, -BLEED, view.width + BLEED, view.height + BLEED
    land, host = [], []
    for country in countries():
        if not view.contains(*country.bbox, margin=1):
            continue
        for ring in country.rings:
            projected = [view.project(x, y) for x, y in ring]
            xs = [x for x, _ in projected]
            ys = [y for _, y in projected]
            if max(xs) < left or min(xs) > right or max(ys) < top or min(ys) > bottom:
                continue
            if max(xs) - min(xs) < TOLERANCE and max(ys) - min(ys) < TOLERANCE:
                continue  # an island smaller than a pixel
            cut = clip(projected, left, top, right, bottom)
            if len(cut) >= 3:
                (host if country.code == host_code else land).append(simplify(cut + [cut[0]], TOLERANCE))
    return Basemap(path_data(land), path_data(host))
