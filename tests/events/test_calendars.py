"""The iCalendar feeds of meetings (events/calendars.py): ``/meetings/calendar.ics`` and
``/partners/<slug>/calendar.ics``.

Each calendar is read back the way a client reads it, with ``icalendar.Calendar.from_ical``.
Drafts appear in none of them. The query-count test builds the calendars with 1 and with 50
meetings and expects the same literal number of queries.
"""

import datetime

import icalendar
import pytest
from django.conf import settings

from cooperation.core.partial_dates import PartialDate
from cooperation.core.partial_dates import PartialDate as PD
from events import calendars
from events.models import Meeting
from tests import factories as f
from tests.helpers.feeds import UTC, events_by_title, read_calendar, touch

pytestmark = pytest.mark.django_db

# iCalendar ------------------------------------------------------------------------------------


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


def test_a_calendar_in_another_language_gives_the_meetings_in_it(client):
    iom = f.PartnerFactory(
        name="International Organization for Migration", name_az="Beynəlxalq Miqrasiya Təşkilatı", acronym="IOM"
    )
    eu = f.PartnerFactory(name="European Union", name_az="Avropa İttifaqı", acronym="EU")
    f.MeetingFactory(
        title="A visit to Baku",
        title_az="Bakıya səfər",
        description="Talks on borders.",
        description_az="Sərhədlər üzrə danışıqlar.",
        city="Baku",
        city_az="Bakı",
        country="AZ",
        start=PartialDate(2017, 3),
        partners=[iom, eu],
    )

    event = read_calendar(client, "/az/meetings/calendar.ics").walk("VEVENT")[0]

    assert str(event["SUMMARY"]) == "Bakıya səfər (mart 2017)"
    assert str(event["LOCATION"]).startswith("Bakı, ")
    assert str(event["DESCRIPTION"]).startswith(
        "Sərhədlər üzrə danışıqlar.\n\nTərəfdaşlar: Avropa İttifaqı (EU) və Beynəlxalq Miqrasiya Təşkilatı (IOM).\n\n"
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_calendar_query_count_is_constant(client, django_assert_num_queries, rows):
    partners = [f.PartnerFactory(slug="iom"), f.PartnerFactory()]
    for _ in range(rows):
        f.MeetingFactory(partners=partners)

    # The versions, the meetings with their kept events; the first time, those without one and
    # their partners, then the events kept (a savepoint, DATA's row, the insert, its release).
    with django_assert_num_queries(2 + 2 + 4):
        made = client.get("/meetings/calendar.ics")
    assert len(icalendar.Calendar.from_ical(made.content).walk("VEVENT")) == rows
    with django_assert_num_queries(2):
        response = client.get("/meetings/calendar.ics")
    assert response.content == made.content

    with django_assert_num_queries(1 + 2):  # the partner, then as above (its meetings' events are kept)
        response = client.get("/partners/iom/calendar.ics")
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == rows


# A long calendar ------------------------------------------------------------------------------


def test_the_calendar_holds_the_latest_meetings_oldest_first(client, monkeypatch):
    monkeypatch.setattr(calendars.calendar_meetings, "__defaults__", (None, 2))
    for year in (2014, 2015, 2016):
        f.MeetingFactory(start=PD(year, 1, 10), title=f"Meeting {year}")

    response = client.get("/meetings/calendar.ics")

    text = response.content.decode()
    assert "Meeting 2014" not in text
    assert text.index("Meeting 2015") < text.index("Meeting 2016")


# Lines written as the icalendar package writes them --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Short",
        "x" * 73,
        "x" * 74,
        "x" * 75,
        "Talks; on return, and \\ reintegration\nin two lines\r\nand a carriage return\r" * 3,
        "a" * 72 + "\\" + "b" * 200,  # an escape where the line folds
        "a" * 73 + ";" + "^" * 80,
        "Встреча рабочей группы по реадмиссии, Баку; " * 5,  # two octets a letter
        "Miqrasiya üzrə əməkdaşlıq görüşü — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " * 4,  # up to four octets a character
    ],
)
def test_event_lines_are_escaped_and_folded_as_the_icalendar_package_writes_them(text):
    written = calendars.ical_line("DESCRIPTION", calendars.ical_text(text)).encode()

    event = icalendar.Event()
    event.add("DESCRIPTION", text)
    assert event.to_ical() == b"BEGIN:VEVENT\r\n" + written + b"END:VEVENT\r\n"
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))
    assert str(icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + written + b"END:VEVENT\r\n")["DESCRIPTION"]) == (
        text.replace("\r\n", "\n").replace("\r", "\n")
    )


def test_calendar_is_written_as_the_icalendar_package_writes_it(client):
    """Each event, byte for byte, as the package writes it back once it has read it (the events
    were built with it until they were written line by line): a planned meeting, a month,
    partners, a long Russian description with commas and semicolons, a place."""
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM")
    f.MeetingFactory(
        title="Working meeting, Geneva",
        start=PartialDate(2016, 12, 5),
        end=PartialDate(2016, 12, 8),
        city="Geneva",
        country="CH",
        description="Переговоры о реадмиссии; возвращение, реинтеграция. " * 6,
        partners=[iom],
    )
    f.MeetingFactory(title="Planned visit", start=PartialDate(2030, 6), status=Meeting.Status.PLANNED)
    f.MeetingFactory(title="Year only", start=PartialDate(2001), end=PartialDate(2002), country="")

    written = client.get("/meetings/calendar.ics").content

    blocks = [
        b"BEGIN:VEVENT" + block.split(b"END:VEVENT")[0] + b"END:VEVENT\r\n"
        for block in written.split(b"BEGIN:VEVENT")[1:]
    ]
    events = icalendar.Calendar.from_ical(written).walk("VEVENT")
    assert len(blocks) == len(events) == 3
    assert [event.to_ical() for event in events] == blocks
