"""``manage.py generate_demo_data`` makes places: every generated office and meeting is at the
place its city names, so the benchmark's map has data."""

from io import StringIO

import pytest
from django.core.management import call_command

from cooperation.models import AgreementAction, Place
from events.models import Meeting
from partners.models import Office

pytestmark = pytest.mark.django_db


def generate():
    call_command("generate_demo_data", stdout=StringIO(), partners=20, projects=10, meetings=200)


def test_generated_offices_and_meetings_are_at_their_citys_place():
    generate()
    places = Place.objects.count()
    assert 200 <= places <= 2 * 250  # two cities a country
    for model in (Office, Meeting):
        records = list(model.objects.filter(slug__startswith="demo-").select_related("location"))
        assert records
        assert all((r.location.name, r.location.country) == (r.city, r.country) for r in records)
    signatures = AgreementAction.objects.filter(kind="signature").select_related("location")
    assert signatures and all(action.location.name == action.place for action in signatures)
    assert all(-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180 for p in Place.objects.all())
    generate()  # a second run names the same cities: their places are used again
    assert Place.objects.count() == places
    assert not Meeting.objects.filter(slug__startswith="demo-2-", location__isnull=True).exists()
