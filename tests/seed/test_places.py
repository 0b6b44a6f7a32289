"""The seed's places (cooperation/seed/data/azerbaijan.yaml ``places:``) and the ``location:`` of
its offices, meetings and agreement actions."""

import textwrap
from decimal import Decimal

import pytest

from cooperation.models import AgreementAction, Place
from cooperation.models.places import location_mismatch
from cooperation.seed.loader import DEFAULT_SEED_FILE, SeedDataError
from cooperation.seed.services import load_seed
from events.models import Meeting
from partners.models import Office


@pytest.fixture
def seeded(db):
    return load_seed(path=DEFAULT_SEED_FILE)


def write_seed(tmp_path, text):
    path = tmp_path / "seed.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_seeded_record_that_names_a_place_has_its_location(seeded):
    """An office or meeting with a city is at that city; one with only a country, at a place in
    that country; an action with a place, at that place; and the words and the place agree."""
    located = 0
    for record in [*Office.objects.select_related("location"), *Meeting.objects.select_related("location")]:
        if record.city:
            assert record.location is not None, record.slug
            assert record.location.kind == Place.Kind.CITY, record.slug
        if record.country:
            assert record.location is not None, record.slug
            assert record.location.country == record.country, record.slug
        assert location_mismatch(record.city, record.country, record.location) == "", record.slug
        located += record.location_id is not None
    for action in AgreementAction.objects.select_related("location", "agreement"):
        if action.place:
            assert action.location is not None, action.agreement.slug
            assert location_mismatch(action.place, "", action.location) == ""
            located += 1
    assert located == 34


def test_the_seeds_places_are_where_they_are(seeded):
    baku = Place.objects.get(slug="baku")
    assert (baku.name, baku.name_az, baku.name_ru) == ("Baku", "Bakı", "Баку")
    assert (baku.country.code, baku.kind) == ("AZ", "city")
    assert (baku.latitude, baku.longitude) == (Decimal("40.4093"), Decimal("49.8671"))
    assert Place.objects.get(slug="new-york").longitude < 0
    assert {p.slug for p in Place.objects.filter(kind="country")} == {"azerbaijan", "austria", "germany", "georgia"}
    nakhchivan = Office.objects.filter(location__slug="nakhchivan-autonomous-republic")
    assert set(nakhchivan.values_list("slug", flat=True)) == {"iom-nakhchivan", "mic-nakhchivan"}
    # Loading again changes nothing.
    assert not load_seed(path=DEFAULT_SEED_FILE).changed


PLACE_SEED = """
    sources:
      - slug: doc
        title: Document
    places:
      - slug: baku
        name: Baku
        name_ru: Баку
        kind: city
        country: AZ
        latitude: 40.4093
        longitude: 49.8671
      - slug: geneva
        name: Geneva
        kind: city
        country: CH
        latitude: 46.2044
        longitude: 6.1432
    partners:
      - slug: org
        name: Example Organisation
        kind: international-organisation
        scope: multilateral
        cite: [{source: doc}]
    offices:
      - slug: org-baku
        name: Org office
        partner: org
        kind: country-office
        city: {city}
        country: AZ
        location: {location}
        cite: [{source: doc}]
"""


def place_seed(city, location):
    return PLACE_SEED.replace("{city}", city).replace("{location}", location)


def test_an_office_is_located_at_the_place_its_city_names(db, tmp_path):
    load_seed(path=write_seed(tmp_path, place_seed("Baku", "baku")))
    assert Office.objects.get().location == Place.objects.get(slug="baku")


@pytest.mark.parametrize(
    ("city", "location", "message"),
    [
        ("Ganja", "baku", "“Ganja” does not name the place Baku"),
        ("Baku", "geneva", "The place Geneva is in Switzerland, not in the record's country"),
        ("Baku", "bern", "location: no places record with slug “bern”"),
    ],
)
def test_an_office_whose_city_and_location_disagree_stops_the_load(db, tmp_path, city, location, message):
    with pytest.raises(SeedDataError, match=message):
        load_seed(path=write_seed(tmp_path, place_seed(city, location)))
    assert not Office.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("latitude: 40.4093", "latitude: 91", "latitude: Ensure this value is less than or equal to 90"),
        ("longitude: 6.1432", "longitude: -180.5", "longitude: Ensure this value is greater than or equal to -180"),
        ("kind: city\n        country: AZ", "kind: town\n        country: AZ", "kind: Value 'town' is not a valid"),
        ("name_ru: Баку", "cite: [{source: doc}]", "unknown key"),
    ],
)
def test_a_wrong_place_stops_the_load(db, tmp_path, old, new, message):
    text = place_seed("Baku", "baku").replace(old, new, 1)
    with pytest.raises(SeedDataError, match=message):
        load_seed(path=write_seed(tmp_path, text))


def test_an_action_is_located_at_its_place(db, tmp_path):
    seed = place_seed("Baku", "baku") + textwrap.indent(
        textwrap.dedent("""
        agreements:
          - slug: accord
            title: Accord
            kind: cooperation-agreement
            parties: [org]
            cite: [{source: doc}]
            actions:
              - {kind: signature, date: "2001-02-03", place: Geneva, location: geneva}
        """),
        "    ",
    )
    load_seed(path=write_seed(tmp_path, seed))
    assert AgreementAction.objects.get().location.slug == "geneva"
    with pytest.raises(SeedDataError, match="actions: location: “Geneva” does not name the place Baku"):
        load_seed(path=write_seed(tmp_path, seed.replace("location: geneva", "location: baku")))
