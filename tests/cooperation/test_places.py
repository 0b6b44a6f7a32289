"""Places (cooperation/models/places.py): the model's rules, its history, the exports' and the
API's location of offices, meetings and signings, the import of a meeting's location, and the
cache of the pages that show one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import translation

from cooperation.core.cache import cached_entry, records_in
from cooperation.core.partial_dates import PartialDate
from cooperation.imports import UNCHANGED, plan_import, read_table
from cooperation.models.places import fill_location, location_mismatch
from events.models import Meeting
from events.selectors import meeting_get
from tests.factories import (
    AgreementActionFactory,
    AgreementFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PlaceFactory,
)
from tests.helpers.exports import export
from tests.helpers.imports import csv_cells, export_csv, make_csv, run_import
from tests.helpers.users import publisher

pytestmark = pytest.mark.django_db


@pytest.fixture
def baku():
    return PlaceFactory(
        slug="baku", name="Baku", name_az="Bakı", name_ru="Баку", latitude="40.409300", longitude="49.867100"
    )


@pytest.fixture
def geneva():
    return PlaceFactory(slug="geneva", name="Geneva", country="CH", latitude="46.204400", longitude="6.143200")


# The model ------------------------------------------------------------------------------------


def test_a_place_is_named_in_the_pages_language(baku):
    with translation.override("az"):
        assert str(baku) == "Bakı"
    with translation.override("ru"):
        assert str(baku) == "Баку"
    assert str(baku) == "Baku"
    assert baku.coordinates == (40.4093, 49.8671)


@pytest.mark.parametrize(("field", "value"), [("latitude", "90.5"), ("latitude", "-91"), ("longitude", "180.01")])
def test_coordinates_off_the_earth_are_refused(field, value):
    place = PlaceFactory.build(slug="nowhere", **{field: Decimal(value)})
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert list(error.value.message_dict) == [field]


def test_a_place_in_use_cannot_be_deleted(baku):
    OfficeFactory(location=baku)
    with pytest.raises(ProtectedError):
        baku.delete()


def test_the_text_and_the_place_must_agree(baku, geneva):
    assert location_mismatch("Baku", "AZ", baku) == ""
    assert location_mismatch("bakı", "AZ", baku) == ""  # any language, any case
    assert location_mismatch("Baku, Gulustan Palace", "AZ", baku) == ""
    assert location_mismatch("", "AZ", baku) == ""
    assert location_mismatch("Ganja", "", None) == ""
    assert "does not name the place Baku" in location_mismatch("Bakuriani", "AZ", baku)
    assert "is in Switzerland" in location_mismatch("Geneva", "AZ", geneva)


def test_an_empty_location_is_filled_when_one_place_only_is_so_called(baku, geneva):
    meeting = MeetingFactory.build(city="GENEVA", country="CH", location=None)
    assert fill_location(meeting, "city") == geneva and meeting.location == geneva
    PlaceFactory(slug="geneva-ny", name="Geneva", country="US", latitude="42.8690", longitude="-76.9777")
    undecided = MeetingFactory.build(city="Geneva", country="", location=None)
    assert fill_location(undecided, "city") is None and undecided.location is None
    kept = MeetingFactory.build(city="Baku", country="AZ", location=geneva)
    assert fill_location(kept, "city") is None and kept.location == geneva  # a location set is never replaced


def test_a_meetings_location_in_another_country_than_its_own_is_refused(geneva):
    meeting = MeetingFactory(city="Baku", country="AZ", location=geneva)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.message_dict == {
        "location": ["The place Geneva is in Switzerland, not in the record's country."]
    }


def test_a_place_has_a_history(baku):
    baku.name_az = "Bakı şəhəri"
    baku.save()
    assert [h.name_az for h in baku.history.order_by("history_date")] == ["Bakı", "Bakı şəhəri"]


# Exports --------------------------------------------------------------------------------------


def test_offices_and_meetings_export_their_place_and_its_coordinates(client, baku, geneva):
    iom = PartnerFactory(slug="iom", acronym="IOM")
    OfficeFactory(partner=iom, city="Baku", location=baku)
    MeetingFactory(city="Geneva", country="CH", location=geneva)
    MeetingFactory(city="", country="", location=None, start=PartialDate(2001))
    [office] = export(client, "/offices/", "csv")
    assert (office["location"], office["location_slug"], office["latitude"], office["longitude"]) == (
        "Baku",
        "baku",
        "40.4093",
        "49.8671",
    )
    placed, unplaced = export(client, "/meetings/", "json")
    assert {key: placed[key] for key in ("location", "location_slug", "latitude", "longitude")} == {
        "location": "Geneva",
        "location_slug": "geneva",
        "latitude": 46.2044,
        "longitude": 6.1432,
    }
    assert (unplaced["location"], unplaced["latitude"]) == (None, None)


def test_an_agreement_exports_the_place_of_its_first_signature(client, baku, geneva):
    agreement = AgreementFactory(slug="accord", signed=None, actions=False)
    AgreementActionFactory(agreement=agreement, kind="signature", date=PartialDate(2001, 5, 3), place="Geneva")
    AgreementActionFactory(agreement=agreement, kind="ratification", date=PartialDate(2002), location=baku)
    [row] = export(client, "/agreements/", "csv")
    assert (row["signed_location"], row["signed_latitude"]) == ("", "")  # the signature has no place on the map
    signature = agreement.actions.get(kind="signature")
    signature.location = geneva
    signature.save()
    [row] = export(client, "/agreements/", "csv")
    assert (row["signed_place"], row["signed_location"], row["signed_location_slug"]) == ("Geneva", "Geneva", "geneva")
    assert (row["signed_latitude"], row["signed_longitude"]) == ("46.2044", "6.1432")


# The API --------------------------------------------------------------------------------------


def test_the_api_gives_each_records_location(client, baku, geneva):
    OfficeFactory(slug="iom-baku", location=baku)
    MeetingFactory(slug="council", city="Geneva", country="CH", location=geneva)
    agreement = AgreementFactory(slug="accord", signed=None, actions=False)
    AgreementActionFactory(agreement=agreement, kind="signature", place="Baku", location=baku)
    expected_baku = {
        "slug": "baku",
        "name": "Baku",
        "name_az": "Bakı",
        "name_ru": "Баку",
        "kind": "city",
        "kind_label": "City",
        "country": {"code": "AZ", "name": "Azerbaijan"},
        "latitude": 40.4093,
        "longitude": 49.8671,
    }
    [office] = client.get("/api/offices/").json()["results"]
    assert office["location"] == expected_baku
    assert client.get("/api/offices/iom-baku/").json()["location"] == expected_baku
    [meeting] = client.get("/api/meetings/").json()["results"]
    assert meeting["location"]["slug"] == "geneva"
    assert client.get("/api/meetings/council/").json()["location"]["latitude"] == 46.2044
    [row] = client.get("/api/agreements/").json()["results"]
    assert row["signed_location"] == expected_baku
    assert row["actions"][0]["location"] == expected_baku
    assert client.get("/api/agreements/accord/").json()["actions"][0]["location"]["slug"] == "baku"


def test_the_api_schema_describes_the_location():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    assert {"slug", "name", "kind", "country", "latitude", "longitude"} <= set(components["Place"]["properties"])
    assert components["Meeting"]["properties"]["location"]["allOf"] == [{"$ref": "#/components/schemas/Place"}]
    assert "location" in components["Office"]["properties"]
    assert "signed_location" in components["Agreement"]["properties"]


# The cache ------------------------------------------------------------------------------------


def test_a_page_that_shows_a_place_goes_stale_when_the_place_changes(baku):
    meeting = MeetingFactory(slug="visit", city="Baku", country="AZ", location=baku)
    entry = cached_entry("test-record", ["visit"], lambda: meeting_get(slug="visit"), records=records_in)
    assert entry.value.location.name == "Baku" and entry.is_current()
    PlaceFactory(slug="ganja", name="Ganja", latitude="40.6828", longitude="46.3606")  # any place: places are few
    assert not entry.is_current()
    entry = cached_entry("test-record", ["visit"], lambda: meeting_get(slug="visit"), records=records_in)
    baku.name = "Bakú"
    baku.save()
    assert not entry.is_current()
    fresh = cached_entry("test-record", ["visit"], lambda: meeting_get(slug="visit"), records=records_in)
    assert fresh.value.location.name == "Bakú"
    assert Meeting.objects.get(pk=meeting.pk).location_id == baku.pk


# The import -----------------------------------------------------------------------------------


def test_a_meetings_location_is_read_back_from_its_export_by_slug(client, baku, geneva):
    meeting = MeetingFactory(slug="council", city="", country="", location=geneva)
    data = export_csv(client, "meetings")
    plan = plan_import(Meeting, read_table("meetings.csv", data), publisher())
    assert [row.action for row in plan.rows] == [UNCHANGED]
    header, *rows = csv_cells(data)
    column = header.index("location_slug")
    rows[0][column] = "baku"
    rows[0][header.index("location")] = "Geneva"  # a derived column: not read
    run_import(Meeting, "meetings.csv", make_csv([header, *rows]), publisher())
    meeting.refresh_from_db()
    assert meeting.location == baku
    rows[0][column] = "bern"
    plan = plan_import(Meeting, read_table("meetings.csv", make_csv([header, *rows])), publisher())
    assert [(issue.column, issue.message) for issue in plan.errors] == [
        ("location_slug", "No place has the slug “bern”.")
    ]
