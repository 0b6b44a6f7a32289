"""Places in the admin: their own list and form, the autocomplete that picks one, and how a
record's location is filled from its words and checked against them (cooperation/backoffice/places.py)."""

import json

import pytest

from cooperation.models import AgreementAction, Place
from events.models import Meeting
from partners.models import Office
from tests.factories import MeetingFactory, OfficeFactory, PartnerFactory, PlaceFactory
from tests.helpers.admin import admin_url, agreement, changed_data, field_errors, form_data, messages_of, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def baku():
    return PlaceFactory(slug="baku", name="Baku", name_az="Bakı", name_ru="Баку", country="AZ")


@pytest.fixture
def geneva():
    return PlaceFactory(slug="geneva", name="Geneva", name_ru="Женева", country="CH", latitude="46.2044")


def test_the_place_list_searches_every_language_and_filters_by_kind_and_country(superuser_client, baku, geneva):
    PlaceFactory(slug="georgia", name="Georgia", kind="country", country="GE")
    url = admin_url(Place, "changelist")
    assert [row[0] for row in rows(superuser_client.get(url, {"q": "Женева"}))] == ["Geneva"]
    assert [row[0] for row in rows(superuser_client.get(url, {"q": "Bakı"}))] == ["Baku"]
    assert [row[0] for row in rows(superuser_client.get(url, {"kind__exact": "country"}))] == ["Georgia"]
    assert [row[0] for row in rows(superuser_client.get(url, {"country": "CH"}))] == ["Geneva"]
    assert rows(superuser_client.get(url, {"q": "Baku"}))[0] == ["Baku", "City", "Azerbaijan", "40.409300", "49.867100"]


def test_adding_a_place_refuses_coordinates_off_the_earth(superuser_client):
    url = admin_url(Place, "add")
    data = form_data(superuser_client.get(url))
    data.update(name="Ganja", slug="ganja", kind="city", country="AZ", latitude="95", longitude="46.3606")
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert list(field_errors(response)) == ["latitude"]
    data.update(latitude="40.6828")
    assert superuser_client.post(url, data).status_code == 302
    assert str(Place.objects.get(slug="ganja").latitude) == "40.682800"


def test_the_location_autocomplete_finds_a_place_by_any_of_its_names(superuser_client, baku, geneva):
    response = superuser_client.get(
        "/admin/autocomplete/",
        {"term": "Жен", "app_label": "events", "model_name": "meeting", "field_name": "location"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in json.loads(response.content)["results"]] == ["Geneva"]


def test_a_meeting_is_placed_from_its_city_when_its_location_is_empty(superuser_client, baku, geneva):
    meeting = MeetingFactory(city="Geneva", country="CH", location=None)
    data = changed_data(superuser_client, meeting, location="")
    response = superuser_client.post(admin_url(Meeting, "change", meeting.pk), data, follow=True)
    meeting.refresh_from_db()
    assert meeting.location == geneva
    assert any("placed at Geneva" in message for message in messages_of(response))


def test_a_location_its_words_do_not_name_is_saved_with_a_warning(superuser_client, baku):
    office = OfficeFactory(city="Sumgait", country="AZ")
    data = changed_data(superuser_client, office, location=str(baku.pk))
    response = superuser_client.post(admin_url(Office, "change", office.pk), data, follow=True)
    office.refresh_from_db()
    assert office.location == baku
    assert any("“Sumgait” does not name the place Baku" in message for message in messages_of(response))


def test_a_location_in_another_country_is_refused(superuser_client, geneva):
    office = OfficeFactory(city="Baku", country="AZ")
    data = changed_data(superuser_client, office, location=str(geneva.pk))
    response = superuser_client.post(admin_url(Office, "change", office.pk), data)
    assert response.status_code == 200
    assert field_errors(response) == {"location": ["The place Geneva is in Switzerland, not in the record's country."]}


def test_an_agreements_actions_are_placed_from_their_place(superuser_client, geneva):
    record = agreement()
    action = record.actions.get(kind="signature")
    data = changed_data(superuser_client, record)
    row = next(
        key
        for key, value in data.items()
        if key.startswith("actions-") and key.endswith("-id") and value == str(action.pk)
    )
    data[row.replace("-id", "-place")] = "Geneva"
    response = superuser_client.post(admin_url(type(record), "change", record.pk), data)
    assert response.status_code == 302
    assert AgreementAction.objects.get(pk=action.pk).location == geneva


def test_partner_inline_offices_are_placed_from_their_city(superuser_client, baku):
    partner = PartnerFactory()
    office = OfficeFactory(partner=partner, city="Baku", country="AZ")
    data = changed_data(superuser_client, partner)
    data["offices-0-name"] = "Renamed office"
    response = superuser_client.post(admin_url(type(partner), "change", partner.pk), data)
    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.name, office.location) == ("Renamed office", baku)


def test_the_history_says_where_a_meeting_was_placed_and_keeps_a_places_versions(superuser_client, baku, geneva):
    meeting = MeetingFactory(city="", country="", location=geneva)
    data = changed_data(superuser_client, meeting, location=str(baku.pk))
    assert superuser_client.post(admin_url(Meeting, "change", meeting.pk), data).status_code == 302
    history = superuser_client.get(admin_url(Meeting, "history", meeting.pk))
    assert history.status_code == 200
    assert "Baku" in history.content.decode() and "Geneva" in history.content.decode()
    data = changed_data(superuser_client, baku, name_az="Bakı şəhəri")
    assert superuser_client.post(admin_url(Place, "change", baku.pk), data).status_code == 302
    response = superuser_client.get(admin_url(Place, "history", baku.pk))
    assert response.status_code == 200
    assert "Bakı şəhəri" in response.content.decode()
