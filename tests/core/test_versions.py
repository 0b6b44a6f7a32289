"""A save makes stale what it changed and nothing else (cooperation/core/versions.py), and
concurrent misses of one value wait for one computation (cooperation/core/cache.py)."""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.core import cache
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import ProjectPartnerTotal
from events.models import Meeting, MeetingPartnerTotal
from tests import factories as f
from tests.helpers.listing import DATA_VERSION, queries

pytestmark = pytest.mark.django_db


def warm_queries(client, url):
    """The queries of a request for ``url`` once it has been asked for (and so cached)."""
    client.get(url)
    return queries(client, url)[1]


# What a save leaves cached --------------------------------------------------------------------


def test_a_meeting_saved_leaves_the_projects_list_and_its_facets_cached(client, meetings):
    f.ProjectFactory(title="A project", topics=[f.TopicFactory()])
    warm = warm_queries(client, "/projects/?sort=title")

    meeting = Meeting.objects.get(kind="summit")
    meeting.title = "A summit, renamed"
    meeting.save()

    response, after = queries(client, "/projects/?sort=title")
    assert after == warm  # the count, facets and rows still cached
    assert "A project" in response.content.decode()
    assert "A summit, renamed" in client.get("/meetings/").content.decode()


def test_a_partner_renamed_leaves_other_partners_pages_cached_and_shows_on_its_own(client, meetings):
    assert warm_queries(client, "/partners/unhcr/") == DATA_VERSION
    client.get("/partners/iom/")

    meetings["iom"].name = "International Organization for Migration (renamed)"
    meetings["iom"].save()

    response, unhcr = queries(client, "/partners/unhcr/")
    assert unhcr == DATA_VERSION  # read from the cache: only the versions were read
    _, iom = queries(client, "/partners/iom/")
    assert iom > DATA_VERSION
    assert "(renamed)" in client.get("/partners/iom/").content.decode()


def test_a_partner_renamed_shows_on_every_page_that_names_it(client):
    iom, unhcr = f.PartnerFactory(slug="iom", name="IOM"), f.PartnerFactory(slug="unhcr", name="UNHCR")
    agreement = f.AgreementFactory(title="A joint agreement", parties=[iom, unhcr])
    meeting = f.MeetingFactory(title="A joint visit", partners=[iom, unhcr])
    for url in ("/partners/iom/", agreement.get_absolute_url(), meeting.get_absolute_url()):
        client.get(url)

    unhcr.name = "UN Refugee Agency"
    unhcr.save()

    for url in (agreement.get_absolute_url(), meeting.get_absolute_url()):
        assert "UN Refugee Agency" in client.get(url).content.decode(), url


def test_a_draft_published_shows_on_the_pages_of_the_records_linked_to_it(client):
    iom = f.PartnerFactory(slug="iom", name="IOM")
    draft = f.PartnerFactory(slug="newcomer", name="A newcomer partner", published=False)
    meeting = f.MeetingFactory(title="A visit", partners=[iom, draft])
    assert "A newcomer partner" not in client.get(meeting.get_absolute_url()).content.decode()

    draft.published = True
    draft.save()

    assert "A newcomer partner" in client.get(meeting.get_absolute_url()).content.decode()
    draft.published = False
    draft.save()
    assert "A newcomer partner" not in client.get(meeting.get_absolute_url()).content.decode()


def test_a_partner_published_reads_the_records_pointing_to_it_and_not_the_tables_of_figures():
    partner = f.PartnerFactory(slug="iom", name="IOM", published=False)
    f.MeetingFactory(title="A visit", partners=[partner])
    f.ProjectPartnerFactory(partner=partner)
    figures = {model._meta.db_table for model in (ProjectPartnerTotal, MeetingPartnerTotal)}

    partner.published = True
    with CaptureQueriesContext(connection) as captured:
        partner.save()

    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "events_meeting_partners" in read and "cooperation_projectpartner" in read  # what links to it
    assert not [table for table in figures if table in read]


def test_a_meeting_added_unpublished_or_deleted_shows_on_its_partners_page(client, meetings):
    assert "<strong>3</strong> meetings" in client.get("/partners/iom/").content.decode()

    added = f.MeetingFactory(partners=[meetings["iom"]], start=PD(2018), title="A later visit")
    text = client.get("/partners/iom/").content.decode()
    assert "A later visit" in text and "<strong>4</strong> meetings" in text

    added.published = False
    added.save()
    text = client.get("/partners/iom/").content.decode()
    assert "A later visit" not in text and "<strong>3</strong> meetings" in text

    Meeting.objects.filter(kind="visit").first().delete()
    assert "<strong>2</strong> meetings" in client.get("/partners/iom/").content.decode()

    Meeting.objects.get(kind="summit").partners.add(meetings["iom"])
    assert "<strong>3</strong> meetings" in client.get("/partners/iom/").content.decode()


def test_links_cleared_from_either_side_show_on_both_records_pages(client, meetings):
    summit = Meeting.objects.get(kind="summit")
    client.get(summit.get_absolute_url())
    client.get("/partners/unhcr/")

    summit.partners.clear()

    assert "UNHCR" not in client.get(summit.get_absolute_url()).content.decode()
    assert client.get("/partners/unhcr/").context["counts"]["meetings"] == 0


def test_data_changed_makes_every_cached_value_stale(client, meetings):
    warm = warm_queries(client, "/partners/unhcr/")
    cache.data_changed()
    _, after = queries(client, "/partners/unhcr/")
    assert after > warm


# One computation at a time --------------------------------------------------------------------


def test_concurrent_misses_of_one_value_wait_for_one_computation(monkeypatch):
    monkeypatch.setattr(cache.Entry, "is_current", lambda entry: True)  # no database in the threads
    computed, results = [], []

    def compute():
        computed.append(1)
        time.sleep(0.3)
        return cache.Entry("the value", ())

    def ask():
        results.append(cache._once("registry:test:single-flight", compute))

    def ask_and_store():  # the first computes and stores; the others find what it stored
        entry = cache._once("registry:test:single-flight", compute)
        cache.cache().set("registry:test:single-flight", entry)
        results.append(entry)

    threads = [threading.Thread(target=ask_and_store)] + [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
        time.sleep(0.01)
    for thread in threads:
        thread.join()

    assert len(computed) <= 2  # one, or two if the first had not stored before another gave up
    assert [entry.value for entry in results] == ["the value"] * 6


def test_a_figure_read_from_a_table_the_database_keeps_goes_stale_with_the_records_it_counts(client, meetings):
    """The year index reads the year tally (written by triggers, no signal): it depends on the
    meetings and projects it counts."""
    client.get("/years/")
    f.MeetingFactory(partners=[meetings["unhcr"]], start=PD(2016, 6), kind="visit")
    assert [(year.year, year.meetings) for year in client.get("/years/").context["years"]] == [(2017, 1), (2016, 4)]
