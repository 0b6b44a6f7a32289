"""The Atom feed of new and changed records (cooperation/pages/feeds.py).

The feed is read back the way a client reads it: with feedparser, and its required elements with
an XML parser. Drafts do not appear in it. The query-count test builds the feed with 1 and with 50
records of each kind and expects the same literal number of queries.
"""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.conf import settings

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Project, ProjectPartner
from events.models import Meeting
from partners.models import Partner
from tests import factories as f
from tests.helpers.feeds import at, events_by_title, one_of_each_kind, read_calendar, touch

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def read_atom(client):
    response = client.get("/feeds/latest.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    # What RFC 4287 requires of the feed and of every entry.
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ["id", "title", "updated", "author"]:
        assert root.find(f"{ATOM}{name}") is not None, name
    for entry in root.findall(f"{ATOM}entry"):
        for name in ["id", "title", "updated", "link", "summary"]:
            assert entry.find(f"{ATOM}{name}") is not None, name
    return feed


# Atom -----------------------------------------------------------------------------------------


def test_atom_feed_lists_records_of_every_kind_newest_change_first(client):
    partner = touch(f.PartnerFactory(name="International Organization for Migration", acronym="IOM"), at(1))
    agreement = touch(f.AgreementFactory(title="Cooperation Agreement", parties=[partner]), at(3))
    meeting = touch(f.MeetingFactory(title="Visit of the Director General", partners=[partner]), at(2))
    topic = touch(f.TopicFactory(name="Anti-trafficking"), at(5))
    source = touch(f.SourceFactory(title="Azerbaijan and IOM"), at(4))

    feed = read_atom(client)

    assert feed.feed.title == settings.SITE_NAME
    assert feed.feed.link == "http://testserver/"
    assert [entry.title for entry in feed.entries] == [
        "Anti-trafficking",
        "Azerbaijan and IOM, Ministry of Foreign Affairs",
        "Cooperation Agreement",
        "Visit of the Director General",
        "International Organization for Migration (IOM)",
    ]
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{record.get_absolute_url()}" for record in [topic, source, agreement, meeting, partner]
    ]
    assert [entry.tags[0].term for entry in feed.entries] == ["Topic", "Source", "Agreement", "Meeting", "Partner"]
    entry = feed.entries[2]
    assert entry.updated == "2024-01-03T12:00:00+00:00"
    assert entry.published == agreement.created_at.isoformat()
    assert entry.id == f"tag:testserver,{agreement.created_at.date().isoformat()}:cooperation.agreement/{agreement.pk}"


def test_atom_feed_summaries_say_what_each_record_is(client):
    iom = f.PartnerFactory(
        name="International Organization for Migration", acronym="IOM", headquarters="Geneva, Switzerland"
    )
    sms = f.PartnerFactory(
        name="State Migration Service", acronym="SMS", kind=Partner.Kind.STATE_AGENCY, scope=Partner.Scope.DOMESTIC
    )
    hidden = f.PartnerFactory(name="Draft Partner", published=False)
    f.AgreementFactory(
        title="Cooperation Agreement",
        signed=PartialDate(1999, 12, 8),
        signed_place="Baku",
        parties=[iom, sms, hidden],
    )
    f.AgreementFactory(title="Memorandum", kind=Agreement.Kind.MEMORANDUM, signed=None, parties=[sms])
    f.MeetingFactory(
        title="Official visit",
        kind=Meeting.Kind.VISIT,
        start=PartialDate(2000, 10),
        city="",
        country="AZ",
        partners=[iom, hidden],
    )
    f.MeetingFactory(title="Cluster meeting", start=PartialDate(2006, 5, 10), end=PartialDate(2006, 5, 11))
    project = f.ProjectFactory(
        title="Kahriz Project", start=PartialDate(2014), end=PartialDate(2016), status=Project.Status.COMPLETED
    )
    f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)
    f.ProjectPartnerFactory(project=project, partner=hidden, role=ProjectPartner.Role.FUNDING)
    f.OfficeFactory(
        name="IOM Baku office", partner=iom, city="Baku", country="AZ", opened=PartialDate(1996), closed=None
    )
    person = f.PersonFactory(name="Brunson McKinley")
    f.PostFactory(person=person, title="Director General", organisation=iom, start=PartialDate(1998, 10))
    f.PostFactory(person=person, title="Adviser", organisation=hidden, start=PartialDate(2010))
    f.SourceFactory(title="Azerbaijan and IOM", publisher="Ministry of Foreign Affairs", date=PartialDate(2021))
    f.TopicFactory(name="Border management", description="Managing the state border.")

    summaries = {entry.title: entry.summary for entry in read_atom(client).entries}

    assert summaries["Cooperation Agreement"] == (
        "Cooperation agreement signed 8 December 1999 in Baku by International Organization for Migration (IOM) "
        "and State Migration Service (SMS)."
    )
    assert summaries["Memorandum"] == (
        "Memorandum of understanding. Party: State Migration Service (SMS). The date of signing is not recorded."
    )
    assert summaries["Official visit"] == (
        "Visit in October 2000 in Azerbaijan with International Organization for Migration (IOM)."
    )
    assert summaries["Cluster meeting"] == "Bilateral meeting on 10–11 May 2006 in Geneva, Switzerland."
    assert summaries["Kahriz Project"] == (
        "Project, 2014–2016. Completed (date of report not recorded). "
        "Implementing: International Organization for Migration (IOM)."
    )
    assert summaries["IOM Baku office"] == (
        "Field office of International Organization for Migration (IOM) in Baku, Azerbaijan, opened in 1996."
    )
    assert summaries["Brunson McKinley"] == (
        "Director General, International Organization for Migration (IOM), from October 1998."
    )
    assert (
        summaries["Azerbaijan and IOM, Ministry of Foreign Affairs, 2021"]
        == "Web page published by Ministry of Foreign Affairs in 2021."
    )
    assert summaries["Border management"] == "Topic. Managing the state border."
    assert summaries["International Organization for Migration (IOM)"] == (
        "International organisation headquartered in Geneva, Switzerland."
    )
    assert "Draft Partner" not in " ".join(summaries)
    assert "Draft Partner" not in " ".join(summaries.values())


def test_atom_feed_names_a_meetings_and_an_offices_place_in_the_feeds_language(client):
    f.MeetingFactory(title="Field visit", start=PartialDate(2016, 5), city="Baku", city_az="Bakı", country="AZ")
    f.OfficeFactory(name="Field office", city="Baku", city_az="Bakı", country="AZ")

    response = client.get("/az/feeds/latest.atom")
    entries = feedparser.parse(response.content).entries
    summaries = {entry.title: entry.summary for entry in entries if entry.title in ("Field visit", "Field office")}

    # The city was "Baku" beside the country's "Azərbaycan".
    assert [("Bakı, Azərbaycan" in text, "Baku" in text) for text in summaries.values()] == [(True, False)] * 2


def test_atom_feed_leaves_out_drafts(client):
    published = one_of_each_kind(when=at(1))
    drafts = one_of_each_kind(published=False, when=at(2))
    draft_partner = f.PartnerFactory(published=False)
    hidden_office = touch(f.OfficeFactory(partner=draft_partner, name="Office of a draft partner"), at(3))

    feed = read_atom(client)

    links = [entry.link for entry in feed.entries]
    assert sorted(links) == sorted(f"http://testserver{record.get_absolute_url()}" for record in published)
    assert not {f"http://testserver{record.get_absolute_url()}" for record in [*drafts, hidden_office]} & set(links)


def test_atom_feed_moves_a_changed_record_to_the_top_under_the_same_id(client):
    older = touch(f.AgreementFactory(title="Older agreement", slug="older"), at(1))
    touch(f.MeetingFactory(title="Newer meeting"), at(2))
    before = read_atom(client)
    assert [entry.title for entry in before.entries] == ["Newer meeting", "Older agreement"]

    older.title = "Older agreement, corrected"
    older.slug = "older-corrected"
    older.save()
    after = read_atom(client)

    assert [entry.title for entry in after.entries] == ["Older agreement, corrected", "Newer meeting"]
    assert after.entries[0].id == before.entries[1].id
    assert after.entries[0].link == "http://testserver/agreements/older-corrected/"
    assert after.entries[0].updated_parsed > before.entries[1].updated_parsed


def test_atom_feed_keeps_the_newest_fifty(client):
    meetings = [touch(f.MeetingFactory(), at(1, hour)) for hour in range(20)]
    topics = [touch(f.TopicFactory(), at(2, hour)) for hour in range(20)]
    sources = [touch(f.SourceFactory(), at(3, hour)) for hour in range(20)]

    feed = read_atom(client)

    expected = [*sources[::-1], *topics[::-1], *meetings[::-1]][:50]
    assert [entry.title for entry in feed.entries] == [str(record) for record in expected]


def test_atom_feed_without_records_is_valid(client):
    feed = read_atom(client)

    assert feed.entries == []
    assert feed.feed.title == settings.SITE_NAME


def test_atom_feed_and_calendar_carry_any_text_staff_enter(client):
    meeting = f.MeetingFactory(
        title="Talks on R&D <b>now</b>",
        description="Pasted from a word processor:\x0bline two. <script>alert(1)</script> & more\x01",
    )

    feed = read_atom(client)
    event = events_by_title(read_calendar(client))["Talks on R&D <b>now</b>"]

    assert feed.entries[0].title == "Talks on R&D <b>now</b>"
    assert "<script" not in feed.entries[0].summary
    assert "Pasted from a word processor: line two." in feed.entries[0].summary
    assert str(event["DESCRIPTION"]).startswith(
        "Pasted from a word processor:\nline two. <script>alert(1)</script> & more\n\n"
    )
    assert event["UID"] == f"{meeting.slug}@testserver"


@pytest.mark.parametrize("rows", [1, 50])
def test_atom_feed_query_count_is_constant(client, django_assert_num_queries, rows):
    for _ in range(rows):
        one_of_each_kind()

    # One query per kind, and one per prefetched relation: agreement parties, project
    # partners, meeting partners, the posts of people.
    with django_assert_num_queries(12):
        response = client.get("/feeds/latest.atom")

    assert len(feedparser.parse(response.content).entries) == (50 if rows == 50 else 8)


# Where pages point to the feeds ---------------------------------------------------------------


def test_pages_link_to_the_feeds(client):
    f.PartnerFactory(slug="iom", acronym="IOM")

    home = client.get("/").content.decode()
    partner = client.get("/partners/iom/").content.decode()
    meetings = client.get("/meetings/").content.decode()

    atom = '<link rel="alternate" type="application/atom+xml"'
    assert atom in home and atom in partner and atom in meetings
    assert '<a href="/partners/iom/calendar.ics" type="text/calendar">Calendar of meetings with IOM</a>' in partner
    assert '<a href="/meetings/calendar.ics" type="text/calendar">Calendar of every dated meeting</a>' in meetings
