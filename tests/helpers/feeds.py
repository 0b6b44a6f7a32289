"""Records in time for the feeds, the sitemaps and the calendars: a time in January 2024, a record
changed at a given time, one record of every kind, and an iCalendar read back as a client reads it."""

import datetime

import icalendar
from django.conf import settings

from tests import factories as f

UTC = datetime.UTC


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
