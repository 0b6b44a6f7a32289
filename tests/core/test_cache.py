"""Cached figures, record pages and list rows that a change makes fresh at once
(cooperation/core/cache.py, and the list and record views that cache through it)."""

from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models import F

from cooperation.core import cache, versions
from cooperation.core.models import DataVersion
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Project
from events.models import Meeting
from tests import factories as f
from tests.helpers.listing import DATA_VERSION, facet, queries

pytestmark = pytest.mark.django_db


# Cached counts --------------------------------------------------------------------------------


def test_a_list_counts_and_facets_once_then_reads_them_from_the_cache(client, meetings):
    first, cold = queries(client, "/meetings/?kind=visit")
    second, warm = queries(client, "/meetings/?kind=visit")

    # The count, one query per facet (partner, kind, year) and one for the names of the partners
    # the partner facet lists, the rows' partners and the map's places (which the place facet
    # counts) are not run again.
    assert cold - warm == 7
    assert second.context["result_count"] == first.context["result_count"] == 3
    assert facet(second, "partner") == facet(first, "partner") == {"iom": 3}


def test_a_saved_record_makes_every_cached_count_fresh(client, meetings):
    client.get("/meetings/")
    client.get("/years/")

    f.MeetingFactory(partners=[meetings["unhcr"]], start=PD(2016, 6), kind="visit")

    response = client.get("/meetings/")
    assert response.context["result_count"] == 5
    assert facet(response, "partner") == {"iom": 3, "unhcr": 2}
    assert facet(response, "year") == {"2017": 1, "2016": 4}
    assert [(year.year, year.meetings) for year in client.get("/years/").context["years"]] == [(2017, 1), (2016, 4)]


def test_a_deleted_record_and_a_changed_link_make_the_counts_fresh_too(client, meetings):
    meeting = Meeting.objects.get(kind="summit")
    assert facet(client.get("/meetings/"), "partner") == {"iom": 3, "unhcr": 1}

    meeting.partners.add(meetings["iom"])
    assert facet(client.get("/meetings/"), "partner") == {"iom": 4, "unhcr": 1}

    meeting.delete()
    response = client.get("/meetings/")
    assert facet(response, "partner") == {"iom": 3}
    assert response.context["result_count"] == 3


def test_unpublishing_a_partner_drops_it_from_the_cached_facets_and_record_counts(client, meetings):
    assert facet(client.get("/meetings/"), "partner") == {"iom": 3, "unhcr": 1}
    assert client.get("/partners/iom/").context["counts"]["meetings"] == 3

    Meeting.objects.filter(kind="visit").first().delete()
    meetings["unhcr"].published = False
    meetings["unhcr"].save()

    assert facet(client.get("/meetings/"), "partner") == {"iom": 2}
    assert client.get("/partners/iom/").context["counts"]["meetings"] == 2


def test_a_write_that_sends_no_signal_is_announced_with_data_changed(client, meetings):
    assert client.get("/meetings/").context["result_count"] == 4
    Meeting.objects.filter(kind="summit").update(published=False)  # no signal

    cache.data_changed()

    assert client.get("/meetings/").context["result_count"] == 3


def test_the_version_lives_in_the_database_and_a_change_never_repeats_one():
    before = cache.data_version()
    caches["default"].clear()
    assert cache.data_version() == before  # an emptied cache holds nothing old to hide

    seen = {before}
    for _ in range(20):
        cache.data_changed()
        seen.add(cache.data_version())
    assert len(seen) == 21


@contextmanager
def a_request():
    """As a request does: the versions read once, for its length (the test's database connection
    kept, as the test client keeps it)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_a_value_another_process_wrote_under_names_what_it_read_for_the_value_that_uses_it_again():
    """A value computed while another process writes is not stored (it may mix data from before
    and after); a computation that takes it again from a kept Entry (Entry.use) still depends on
    the records it showed, so the change to one of them reaches what it was used in; and its
    fingerprint, under which a record page keeps a fragment, is not the next unstored value's."""
    meeting = f.MeetingFactory(title="Before")
    shown = [versions.record_name(Meeting, meeting.pk)]

    def inner():
        title = Meeting.objects.get(pk=meeting.pk).title
        DataVersion.objects.filter(name=versions.DATA).update(version=F("version") + 1)  # elsewhere
        return title

    with a_request():
        kept = cache.cached_entry("inner", [], inner, records=lambda _: shown)
        assert cache.cached("outer", [], kept.use) == "Before"
    with a_request():  # the next value left unstored has another fingerprint
        assert cache.cached_entry("inner", [], inner, records=lambda _: shown).fingerprint != kept.fingerprint

    Meeting.objects.filter(pk=meeting.pk).update(title="After")
    versions.renew(shown)  # as the meeting's save does

    assert cache.cached("outer", [], lambda: "After") == "After"  # not the value kept before


# Cached record pages --------------------------------------------------------------------------


def test_a_record_page_is_read_once_then_from_the_cache_until_the_data_changes(client, meetings):
    _, cold = queries(client, "/partners/iom/")
    second, warm = queries(client, "/partners/iom/")
    assert cold > DATA_VERSION
    assert warm == DATA_VERSION  # all but the version it is cached under
    assert "<strong>3</strong> meetings" in second.content.decode()

    f.MeetingFactory(partners=[meetings["iom"]], start=PD(2018), title="A later visit")
    meetings["iom"].name = "International Organization for Migration (renamed)"
    meetings["iom"].save()

    text = client.get("/partners/iom/").content.decode()
    assert "International Organization for Migration (renamed)" in text
    assert "A later visit" in text
    assert "<strong>4</strong> meetings" in text


def test_an_unpublished_record_leaves_its_cached_page(client, meetings):
    meeting = Meeting.objects.get(kind="summit")
    assert client.get(meeting.get_absolute_url()).status_code == 200

    meeting.published = False
    meeting.save()

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get("/partners/nobody/").status_code == 404
    assert client.get("/partners/nobody/").status_code == 404  # a 404 is not cached, and stays a 404


def test_a_drafts_preview_is_never_read_from_the_cache(admin_client):
    meeting = f.MeetingFactory(published=False, title="First draft")
    url = f"/preview/meetings/{meeting.slug}/"
    assert "First draft" in admin_client.get(url).content.decode()

    Meeting.objects.filter(pk=meeting.pk).update(title="Second draft")  # no signal, no new data version

    assert "Second draft" in admin_client.get(url).content.decode()


# Cached rows ----------------------------------------------------------------------------------


@pytest.fixture
def projects():
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    made = []
    for n in range(30):
        made.append(f.ProjectFactory(title=f"Project {n:02}", start=PD(2000 + n), topics=[asylum]))
        f.ProjectPartnerFactory(project=made[-1], partner=iom if n % 2 else unhcr, role="funding")
    return {"iom": iom, "unhcr": unhcr, "asylum": asylum, "projects": made}


def row_texts(response):
    return [str(row) for row in response.context["rows"]]


def test_a_list_reads_the_rows_related_records_once_then_shows_the_cached_rows(client, projects):
    first, cold = queries(client, "/projects/?sort=title")
    second, warm = queries(client, "/projects/?sort=title")

    # Only the page's own rows are read again: their partners and topics come with the cached rows
    # (and the count, the four facets, the names of the topics and partners they list and the topics
    # chart with the cached figures), and the data version.
    assert (cold, warm) == (DATA_VERSION + 1 + 2 + 8, DATA_VERSION + 1)
    assert row_texts(second) == row_texts(first)
    assert len(row_texts(second)) == 25
    assert "Project 00" in row_texts(second)[0] and "UNHCR" in row_texts(second)[0]
    assert "Asylum" in row_texts(second)[0]


def test_a_page_of_cached_and_new_rows_shows_each_in_its_place_reading_the_new_ones_at_once(client, projects):
    client.get("/projects/?sort=title")  # rows 00-24 cached

    response, mixed = queries(client, "/projects/?sort=newest")  # 29-05: 29-25 new, 24-05 cached
    _, warm = queries(client, "/projects/?sort=newest")

    numbers = [int(text.split("Project ")[1][:2]) for text in row_texts(response)]
    assert numbers == list(range(29, 4, -1))
    for number, text in zip(numbers, row_texts(response), strict=True):
        assert ("IOM" if number % 2 else "UNHCR") in text
    assert mixed - warm == 2  # the five new rows' partners and topics, one query each


def test_a_change_to_a_related_record_shows_on_every_cached_row(client, projects):
    client.get("/projects/?sort=title")
    projects["iom"].acronym = "IOM-renamed"
    projects["iom"].save()
    projects["asylum"].published = False
    projects["asylum"].save()

    rows = row_texts(client.get("/projects/?sort=title"))
    assert "IOM-renamed" in rows[1] and "Asylum" not in rows[1]

    projects["unhcr"].published = False  # a partner that is no longer public leaves the rows
    projects["unhcr"].save()
    rows = row_texts(client.get("/projects/?sort=title"))
    assert "UNHCR" not in "".join(rows)


def test_a_releases_migrate_makes_every_cached_row_fresh(client, projects):
    client.get("/projects/?sort=title")
    # A release changes what a row shows without a signal (here: its title, written behind the ORM).
    Project.objects.filter(title="Project 00").update(title="Project 00, renamed")
    assert "renamed" not in row_texts(client.get("/projects/?sort=title"))[0]

    call_command("migrate", verbosity=0)

    assert "Project 00, renamed" in row_texts(client.get("/projects/?sort=title"))[0]


@pytest.mark.parametrize(
    ("path", "text"),
    [("/partners/", "UNHCR"), ("/agreements/", "An agreement"), ("/meetings/", "A meeting"), ("/offices/", "Baku")],
)
def test_every_list_shows_its_rows_from_the_cache_as_it_rendered_them(client, path, text):
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    f.AgreementFactory(title="An agreement", parties=[unhcr])
    f.MeetingFactory(title="A meeting", partners=[unhcr])
    f.OfficeFactory(partner=unhcr, city="Baku")

    first, cold = queries(client, path)
    second, warm = queries(client, path)

    assert text in "".join(row_texts(first))
    assert row_texts(second) == row_texts(first)
    assert (cold > 2, warm) == (True, DATA_VERSION + 1)  # the page's rows alone
