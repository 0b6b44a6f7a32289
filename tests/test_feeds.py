"""Data for machines: the Atom feed of new and changed records, the iCalendar feeds of
meetings, the sitemap and robots.txt.

Each feed is read back the way a client reads it: the Atom feed with feedparser (and its
required elements with an XML parser), the calendars with ``icalendar.Calendar.from_ical``,
the sitemap with ``xml.etree`` and robots.txt with ``urllib.robotparser``. Drafts appear in
none of them. The query-count tests build every feed with 1 and with 50 records of each
kind and expect the same literal number of queries.
"""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest
from django.conf import settings

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Project, ProjectPartner, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RECORD_MODELS = [Partner, Agreement, Project, Meeting, Office, Person, Topic, Source]


def at(day, hour=12):
    return datetime.datetime(2024, 1, day, hour, tzinfo=UTC)


def touch(record, when):
    """Set ``updated_at`` (auto_now: only an UPDATE can set it to a given time)."""
    type(record).objects.filter(pk=record.pk).update(updated_at=when)
    record.refresh_from_db()
    return record


def one_of_each_kind(published=True, when=None, **names):
    """A record of every kind; with ``when``, all changed at that time."""
    partner = f.PartnerFactory(published=published)
    records = [
        partner,
        f.AgreementFactory(published=published, parties=[partner]),
        f.ProjectFactory(published=published),
        f.MeetingFactory(published=published, partners=[partner]),
        f.OfficeFactory(published=published, partner=partner),
        f.PersonFactory(published=published),
        f.TopicFactory(published=published),
        f.SourceFactory(published=published),
    ]
    if when is not None:
        records = [touch(record, when) for record in records]
    return records


# Atom ------------------------------------------------------------------------------------


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
        "Azerbaijan and IOM",
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
        "Completed project, 2014–2016. Implementing: International Organization for Migration (IOM)."
    )
    assert summaries["IOM Baku office"] == (
        "Field office of International Organization for Migration (IOM) in Baku, Azerbaijan, opened in 1996."
    )
    assert summaries["Brunson McKinley"] == (
        "Director General, International Organization for Migration (IOM), from October 1998."
    )
    assert summaries["Azerbaijan and IOM"] == "Web page published by Ministry of Foreign Affairs in 2021."
    assert summaries["Border management"] == "Topic. Managing the state border."
    assert summaries["International Organization for Migration (IOM)"] == (
        "International organisation headquartered in Geneva, Switzerland."
    )
    assert "Draft Partner" not in " ".join(summaries)
    assert "Draft Partner" not in " ".join(summaries.values())


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


# iCalendar -------------------------------------------------------------------------------


def read_calendar(client, url="/meetings/calendar.ics"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    # Lines end with CRLF, and none is longer than 75 octets (RFC 5545 3.1).
    lines = response.content.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    calendar = icalendar.Calendar.from_ical(response.content)
    calendar.validate()
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["PRODID"] == f"-//{settings.SITE_NAME}//Meetings//EN"
    return calendar


def events_by_title(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_calendar_holds_every_published_dated_meeting(client):
    dated = [f.MeetingFactory(start=PartialDate(2016, 12, day)) for day in (5, 6, 7)]
    undated = f.MeetingFactory(title="Undated meeting", start=None)
    draft = f.MeetingFactory(title="Draft meeting", published=False)

    calendar = read_calendar(client)

    assert calendar["X-WR-CALNAME"] == f"{settings.SITE_NAME}: meetings"
    assert "Meetings the sources give no date for are left out." in calendar["X-WR-CALDESC"]
    events = calendar.walk("VEVENT")
    assert len(events) == Meeting.objects.published().filter(start__isnull=False).count() == 3
    assert [str(event["UID"]) for event in events] == [f"{meeting.slug}@testserver" for meeting in dated]
    titles = {str(event["SUMMARY"]) for event in events}
    assert undated.title not in titles
    assert draft.title not in titles


def test_calendar_event_for_a_known_day(client):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM")
    hidden = f.PartnerFactory(name="Draft Partner", published=False)
    meeting = f.MeetingFactory(
        title="Working meeting in Geneva",
        kind=Meeting.Kind.BILATERAL_MEETING,
        start=PartialDate(2016, 12, 5),
        city="Geneva",
        country="CH",
        description="Talks on return and reintegration.",
        partners=[iom, hidden],
    )
    touch(meeting, datetime.datetime(2024, 3, 1, 9, 30, tzinfo=UTC))

    event = events_by_title(read_calendar(client))["Working meeting in Geneva"]

    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.start == datetime.date(2016, 12, 5)
    assert event.end == datetime.date(2016, 12, 6)
    assert event["DTSTAMP"].dt == datetime.datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert event["UID"] == f"{meeting.slug}@testserver"
    assert event["LOCATION"] == "Geneva, Switzerland"
    assert event["URL"] == f"http://testserver/meetings/{meeting.slug}/"
    assert event["TRANSP"] == "TRANSPARENT"
    assert event.categories == ["Bilateral meeting"]
    assert str(event["DESCRIPTION"]) == (
        "Talks on return and reintegration.\n\n"
        "With International Organization for Migration (IOM).\n\n"
        f"Details and sources: http://testserver/meetings/{meeting.slug}/"
    )


def test_calendar_event_for_a_range_of_days_ends_the_day_after(client):
    f.MeetingFactory(title="Cluster meeting", start=PartialDate(2006, 5, 10), end=PartialDate(2006, 5, 11))
    f.MeetingFactory(title="Across months", start=PartialDate(2006, 5, 30), end=PartialDate(2006, 6, 2))

    events = events_by_title(read_calendar(client))

    assert (events["Cluster meeting"].start, events["Cluster meeting"].end) == (
        datetime.date(2006, 5, 10),
        datetime.date(2006, 5, 12),
    )
    assert (events["Across months"].start, events["Across months"].end) == (
        datetime.date(2006, 5, 30),
        datetime.date(2006, 6, 3),
    )


def test_calendar_event_for_a_known_month_spans_the_month(client):
    f.MeetingFactory(title="Official visit", start=PartialDate(2000, 10), description="")
    f.MeetingFactory(title="Workshops", start=PartialDate(2007, 7), end=PartialDate(2007, 12), description="")

    events = events_by_title(read_calendar(client))

    visit = events["Official visit (October 2000)"]
    assert visit["DTSTART"].params["VALUE"] == "DATE"
    assert (visit.start, visit.end) == (datetime.date(2000, 10, 1), datetime.date(2000, 11, 1))
    assert "The source gives only the month. The event spans all of October 2000." in visit["DESCRIPTION"]
    workshops = events["Workshops (July–December 2007)"]
    assert (workshops.start, workshops.end) == (datetime.date(2007, 7, 1), datetime.date(2008, 1, 1))


def test_calendar_event_for_a_known_year_spans_the_year(client):
    f.MeetingFactory(title="Cluster Process meeting", start=PartialDate(2001))
    f.MeetingFactory(title="Cluster Process meeting, 2002", start=PartialDate(2002))
    f.MeetingFactory(title="Trainings", start=PartialDate(2007), end=PartialDate(2008))

    events = events_by_title(read_calendar(client))

    meeting = events["Cluster Process meeting (2001)"]
    assert (meeting.start, meeting.end) == (datetime.date(2001, 1, 1), datetime.date(2002, 1, 1))
    assert "The source gives only the year. The event spans all of 2001." in meeting["DESCRIPTION"]
    # A title that already names the year does not name it twice.
    assert events["Cluster Process meeting, 2002"].start == datetime.date(2002, 1, 1)
    trainings = events["Trainings (2007–2008)"]
    assert (trainings.start, trainings.end) == (datetime.date(2007, 1, 1), datetime.date(2009, 1, 1))


def test_calendar_uids_are_unique_and_stable(client):
    meetings = [f.MeetingFactory() for _ in range(5)]
    first = [str(event["UID"]) for event in read_calendar(client).walk("VEVENT")]

    meetings[0].title = "Renamed meeting"
    meetings[0].save()
    second = read_calendar(client).walk("VEVENT")

    assert len(set(first)) == 5
    assert sorted(str(event["UID"]) for event in second) == sorted(first)
    renamed = next(event for event in second if event["SUMMARY"] == "Renamed meeting")
    assert renamed["UID"] == f"{meetings[0].slug}@testserver"
    assert renamed["DTSTAMP"].dt == Meeting.objects.get(pk=meetings[0].pk).updated_at.replace(microsecond=0)


def test_partner_calendar_holds_only_that_partners_meetings(client):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    unhcr = f.PartnerFactory(slug="unhcr")
    with_iom = f.MeetingFactory(title="With IOM", partners=[iom])
    f.MeetingFactory(title="With both", partners=[iom, unhcr])
    f.MeetingFactory(title="With UNHCR", partners=[unhcr])
    f.MeetingFactory(title="Draft with IOM", partners=[iom], published=False)
    f.MeetingFactory(title="Undated with IOM", partners=[iom], start=None)

    calendar = read_calendar(client, "/partners/iom/calendar.ics")

    assert calendar["X-WR-CALNAME"] == f"{settings.SITE_NAME}: meetings with IOM"
    assert "left out" in calendar["X-WR-CALDESC"]
    assert sorted(events_by_title(calendar)) == ["With IOM", "With both"]
    assert events_by_title(calendar)["With IOM"]["UID"] == f"{with_iom.slug}@testserver"


def test_partner_calendar_without_meetings_is_still_a_valid_calendar(client):
    f.PartnerFactory(slug="iom")

    calendar = read_calendar(client, "/partners/iom/calendar.ics")

    assert calendar.walk("VEVENT") == []
    assert [component.name for component in calendar.subcomponents] == ["VTIMEZONE"]


def test_partner_calendar_of_an_unknown_or_draft_partner_is_a_404(client):
    f.PartnerFactory(slug="hidden", published=False)

    assert client.get("/partners/hidden/calendar.ics").status_code == 404
    assert client.get("/partners/nobody/calendar.ics").status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_calendar_query_count_is_constant(client, django_assert_num_queries, rows):
    partners = [f.PartnerFactory(slug="iom"), f.PartnerFactory()]
    for _ in range(rows):
        f.MeetingFactory(partners=partners)

    with django_assert_num_queries(2):  # the meetings and their partners
        response = client.get("/meetings/calendar.ics")
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == rows

    with django_assert_num_queries(3):  # the partner, its meetings, their partners
        response = client.get("/partners/iom/calendar.ics")
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == rows


# Sitemap and robots.txt ------------------------------------------------------------------

LIST_PAGES = ["/", "/partners/", "/agreements/", "/projects/", "/meetings/", "/offices/", "/years/"]


def read_sitemap(client):
    """{address: lastmod} of every page in the sitemaps that /sitemap.xml (a sitemap index) names."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    index = ET.fromstring(response.content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = {}
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        response = client.get(sitemap.findtext(f"{SITEMAP}loc").removeprefix("http://testserver"))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert root.tag == f"{SITEMAP}urlset"
        urls.update(
            {
                url.findtext(f"{SITEMAP}loc").removeprefix("http://testserver"): url.findtext(f"{SITEMAP}lastmod")
                for url in root.findall(f"{SITEMAP}url")
            }
        )
    return urls


def test_sitemap_lists_every_published_record_page_and_list_page(client):
    partner = f.PartnerFactory()
    records = [
        partner,
        f.AgreementFactory(signed=PartialDate(1999, 12, 8), parties=[partner]),
        f.ProjectFactory(start=PartialDate(2014), end=PartialDate(2015), status=Project.Status.COMPLETED),
        f.MeetingFactory(start=PartialDate(2016, 12, 5), partners=[partner]),
        f.OfficeFactory(partner=partner, opened=PartialDate(1998)),
        f.PersonFactory(),
        f.TopicFactory(),
        f.SourceFactory(),
    ]
    touch(records[1], at(7))
    drafts = one_of_each_kind(published=False)
    f.MeetingFactory(start=PartialDate(2020), published=False)
    office_of_draft = f.OfficeFactory(partner=drafts[0])

    urls = read_sitemap(client)

    years = ["/years/1998/", "/years/1999/", "/years/2014/", "/years/2015/", "/years/2016/"]
    assert set(urls) == {*LIST_PAGES, *years, *(record.get_absolute_url() for record in records)}
    assert urls[records[1].get_absolute_url()] == "2024-01-07"
    assert all(urls[page] is None for page in LIST_PAGES)
    assert not {record.get_absolute_url() for record in [*drafts, office_of_draft]} & set(urls)


@pytest.mark.parametrize("rows", [1, 50])
def test_sitemap_query_count_is_constant(client, django_assert_num_queries, rows):
    for _ in range(rows):
        one_of_each_kind()

    # The index: a count (and latest change) for each of the eight kinds, four for the years
    # with records, all then cached; each kind's sitemap: its page.
    with django_assert_num_queries(20):
        urls = read_sitemap(client)

    # Years: offices opened 1998, agreements signed 1999, ongoing projects from 2014 on.
    years = {1998, 1999, *range(2014, datetime.date.today().year + 1)}
    assert len(urls) == len(LIST_PAGES) + len(years) + 8 * rows


# Where pages point to the feeds ----------------------------------------------------------


def test_pages_link_to_the_feeds(client):
    f.PartnerFactory(slug="iom", acronym="IOM")

    home = client.get("/").content.decode()
    partner = client.get("/partners/iom/").content.decode()
    meetings = client.get("/meetings/").content.decode()

    atom = '<link rel="alternate" type="application/atom+xml"'
    assert atom in home and atom in partner and atom in meetings
    assert '<a href="/partners/iom/calendar.ics" type="text/calendar">Calendar of meetings with IOM</a>' in partner
    assert '<a href="/meetings/calendar.ics" type="text/calendar">Calendar of every dated meeting</a>' in meetings
