"""The country shapes and their drawing (cooperation/pictures/geo.py, basemap.py).

Measured on this machine (2 cores): decoding the 1:50m file takes about 0.15 s, once a process;
one view's outline then takes 0.04 s (the Caucasus) to 0.12 s (New York to Baku), once a view.
"""

import math

from cooperation.pictures import basemap, geo


def test_arcs_are_delta_decoded_and_transformed():
    topology = {
        "transform": {"scale": [0.5, 2], "translate": [10, -5]},
        "arcs": [[[0, 0], [2, 0], [0, 3]], [[2, 3], [-2, -3]]],
        "objects": {"countries": {"geometries": [{"type": "Polygon", "arcs": [[0, 1]], "id": "031"}]}},
    }

    assert geo.decode_arcs(topology) == [[(10, -5), (11, -5), (11, 1)], [(11, 1), (10, -5)]]
    (country,) = geo.decode_countries(topology)
    assert country.code == "031"
    assert country.rings == ([(10, -5), (11, -5), (11, 1), (10, -5)],)
    assert country.bbox == (10, -5, 11, 1)


def test_a_reversed_arc_is_read_backwards():
    arcs = [[(0, 0), (1, 0)], [(0, 1), (1, 0)], [(0, 1), (0, 0)]]
    # ~1 is arc 1 reversed: (1, 0) → (0, 1)
    assert geo.ring_of([0, ~1, 2], arcs) == [(0, 0), (1, 0), (0, 1), (0, 0)]


def test_the_world_file_holds_the_countries_with_azerbaijan_and_its_exclave():
    countries = {country.code: country for country in geo.countries()}

    assert len(countries) > 200
    azerbaijan = countries["031"]
    west, south, east, north = azerbaijan.bbox
    assert 44 < west < 45 and 38 < south < 39 and 50 < east < 51 and 41 < north < 42.5
    assert len(azerbaijan.rings) >= 2  # Nakhchivan apart from the rest


def test_one_city_gets_its_region_not_a_blank_square():
    view = geo.fit(49.87, 40.41, 49.87, 40.41, width=1000, height=600)

    assert view.north - view.south >= 14
    assert view.west < 49.87 < view.east and view.south < 40.41 < view.north
    x, y = view.project(49.87, 40.41)
    assert abs(x - 500) < 1 and abs(y - view.height / 2) < 1


def test_the_view_takes_the_pictures_proportions_without_stretching():
    view = geo.fit(6.1, 46.2, 49.9, 41.7, width=1000, height=600)  # Geneva to Baku
    width_km = (view.east - view.west) * math.cos(math.radians(view.parallel))
    height_km = view.north - view.south

    assert abs(width_km / height_km - 1000 / view.height) < 0.01
    assert view.height == 600


def test_new_york_widens_the_view_to_the_atlantic():
    view = geo.fit(-74.0, 40.7, 49.9, 46.2, width=1000, height=600)

    assert view.west < -74 and view.east > 49.9


def test_the_view_stays_within_the_world():
    view = geo.fit(-170, -50, 170, 70, width=1000, height=600)

    assert view.west >= -180 and view.east <= 180 and view.south >= -85 and view.north <= 85


def test_a_ring_is_clipped_to_the_rectangle():
    square = [(-10, -10), (10, -10), (10, 10), (-10, 10)]

    clipped = geo.clip(square, 0, 0, 5, 5)

    assert sorted(set(clipped)) == [(0, 0), (0, 5), (5, 0), (5, 5)]


def test_simplify_drops_points_closer_than_the_tolerance():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 0), (3, 5)]

    assert geo.simplify(line, 0.5) == [(0, 0), (3, 0), (3, 5)]


def test_path_data_is_relative_and_rounded():
    assert geo.path_data([[(0, 0), (10.2, 0), (10, 10), (0, 0)], [(20, 20), (30, 20), (30, 30)]]) == (
        "m0 0l10 0 0 10zm20 20l10 0 0 10z"
    )


def test_the_outline_of_the_caucasus_holds_the_host_country_apart_and_is_small():
    view = geo.fit(44.8, 40.4, 49.9, 41.7, width=1000, height=600)

    outline = basemap.outline(view, "031")

    assert outline.host.startswith("m") and outline.host.count("z") >= 2  # the mainland and Nakhchivan
    assert outline.land.startswith("m")
    assert len(outline.land) + len(outline.host) < 20_000


def test_a_ring_across_the_antimeridian_goes_on_past_the_edge():
    ring = [(170, 60), (179.9, 60), (-179.9, 61), (-170, 61), (-179.9, 62), (179.9, 62)]

    assert geo.unwrapped(ring) == [(170, 60), (179.9, 60), (180.1, 61), (190, 61), (180.1, 62), (179.9, 62)]
