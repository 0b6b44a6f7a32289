"""A partner's map (partners/maps.py): its kinds of record are made once a partner, language and
script prefix in a process, so each language's page links its own addresses, and a partner whose
slug changed links the lists by its new one."""

import pytest
from django.core.cache import caches

from cooperation.core.partial_dates import PartialDate
from tests import factories as f
from tests.helpers.pages import map_figure

pytestmark = pytest.mark.django_db


def markers(client, path):
    """{a marker's title: where it leads} of the map on the page at ``path``, drawn afresh."""
    for cache in caches.all():
        cache.clear()
    response = client.get(path)
    assert response.status_code == 200
    return map_figure(response.content.decode())[1]


@pytest.fixture
def iom():
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    baku, geneva = f.PlaceFactory(slug="baku", name="Baku"), f.PlaceFactory(slug="geneva", name="Geneva")
    f.MeetingFactory(slug="m1", location=baku, start=PartialDate(2015), partners=[iom])
    for slug in ("m2", "m3"):
        f.MeetingFactory(slug=slug, location=geneva, start=PartialDate(2016), partners=[iom])
    return iom


def test_each_languages_map_links_its_own_addresses(client, iom):
    english = markers(client, "/partners/iom/")
    assert set(english.values()) == {"/meetings/m1/", "/meetings/?partner=iom&place=geneva"}
    azerbaijani = markers(client, "/az/partners/iom/")
    assert set(azerbaijani.values()) == {"/az/meetings/m1/", "/az/meetings/?partner=iom&place=geneva"}
    # And back: the English page's kinds are not the Azerbaijani page's.
    assert markers(client, "/partners/iom/") == english


def test_a_partner_whose_slug_changed_links_the_lists_by_its_new_one(client, iom):
    assert "/meetings/?partner=iom&place=geneva" in markers(client, "/partners/iom/").values()
    iom.slug = "international-organization-for-migration"
    iom.save()
    links = markers(client, "/partners/international-organization-for-migration/").values()
    assert "/meetings/?partner=international-organization-for-migration&place=geneva" in links
