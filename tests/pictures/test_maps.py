"""Maps of places drawn from plain points (cooperation/pictures/maps.py and its template)."""

import xml.etree.ElementTree as ET

from cooperation.pictures.maps import RADIUS_MAX, RADIUS_MIN, MapLink, MapPoint, draw_map, map_html, radius

SVG = "{http://www.w3.org/2000/svg}"


def point(name, latitude, longitude, count=1, **kwargs):
    return MapPoint(name.lower(), name, latitude, longitude, count, f"/{name.lower()}/", **kwargs)


def test_no_points_no_map():
    assert draw_map([]) is None


def test_markers_are_sized_by_area_and_drawn_biggest_first():
    picture = draw_map([point("Geneva", 46.2, 6.14, 3), point("Baku", 40.41, 49.87, 12), point("Tbilisi", 41.7, 44.8)])

    assert [marker.point.name for marker in picture.markers] == ["Baku", "Geneva", "Tbilisi"]
    assert [marker.r for marker in picture.markers] == [RADIUS_MAX, radius(3, 12), RADIUS_MIN]
    assert picture.total == 16
    assert radius(1, 1) == RADIUS_MIN


def test_places_of_the_same_name_and_count_come_in_the_order_of_their_slugs_whatever_the_query_gave():
    first = MapPoint("springfield-1", "Springfield", 39.8, -89.6, 2, "/1/")
    second = MapPoint("springfield-2", "Springfield", 42.1, -72.6, 2, "/2/")

    for given in ([first, second], [second, first]):
        picture = draw_map(given)
        assert [point.key for point in picture.points] == ["springfield-1", "springfield-2"]
        assert map_html(picture, "Places") == map_html(draw_map([first, second]), "Places")


def test_markers_are_inside_the_picture():
    picture = draw_map([point("New York", 40.71, -74.0), point("Baku", 40.41, 49.87)])

    for marker in picture.markers:
        assert 0 < marker.x < picture.width and 0 < marker.y < picture.height


def test_labels_never_overlap():
    points = [point(f"Place {i}", 40 + i * 0.05, 49 + i * 0.05, i + 1) for i in range(10)]

    picture = draw_map(points)

    assert 1 <= len(picture.labels) < 10  # crowded places: a few names, the rest in the list


def render(points):
    return map_html(draw_map(points), "Where", "Places")


def test_the_svg_is_well_formed_with_a_titled_link_per_marker():
    points = [
        point("Geneva", 46.2, 6.14, 3, links=(MapLink("3 offices", "/offices/?place=geneva"),)),
        point("Baku", 40.41, 49.87, 1),
    ]
    html = render(points)
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]

    root = ET.fromstring(svg)
    links = root.findall(f"{SVG}a")
    assert [(a.get("href"), a.find(f"{SVG}title").text) for a in links] == [
        ("/geneva/", "Geneva: 3 offices"),
        ("/baku/", "Baku"),
    ]
    assert root.find(f"{SVG}title").text == "Where"
    assert 'style="' not in html and "<script" not in html


def test_the_list_beside_the_map_names_every_place_with_its_links():
    html = render([point("Geneva", 46.2, 6.14, 3, links=(MapLink("3 offices", "/offices/?place=geneva"),))])

    assert '<li id="map-geneva"><a href="/geneva/">Geneva</a>' in html
    assert '<a href="/offices/?place=geneva">3 offices</a>' in html


def test_the_list_names_a_places_country_unless_the_place_is_the_country():
    html = render(
        [point("Tbilisi", 41.7, 44.8, country="GE"), point("Georgia", 42.3, 43.4, country="GE", is_country=True)]
    )

    assert '<a href="/tbilisi/">Tbilisi</a> <span class="meta">Georgia</span>' in html
    assert '<a href="/georgia/">Georgia</a><br>' in html or '<a href="/georgia/">Georgia</a></li>' in html
