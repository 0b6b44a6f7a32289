"""Meetings as iCalendar (RFC 5545): ``/meetings/calendar.ics`` for every published meeting,
``/partners/<slug>/calendar.ics`` for the meetings with one published partner.

Each published meeting with a date is one all-day ``VEVENT``: the registry keeps the days of a
meeting, never its hours, so ``DTSTART`` and ``DTEND`` are ``VALUE=DATE`` and ``DTEND`` is
exclusive (the day after the last day), as RFC 5545 (3.6.1, 3.8.2.2) defines it.

Dates the sources give only to the month or the year
    An event spans the whole period the source names: "October 2000" runs from 1 October to
    31 October (``DTEND`` 1 November), "2000" from 1 January to 31 December. A calendar event
    can only say when something happened, not how sure we are of it; a period the meeting
    certainly fell within is true, while a single day (the first of the month, say) would
    put a date into subscribers' calendars that no source gives, and a program reading
    ``DTSTART`` could not tell it from a known date. So that a reader does not take the span
    for a month-long meeting, the summary ends with the month or year as the source writes
    it ("Official visit of … (October 2000)"), the description says "The source gives only
    the month." (or year), and every event is ``TRANSP:TRANSPARENT``: it never marks a
    subscriber as busy.

Whether a meeting took place is what a source reported on a date: a held meeting is
``STATUS:CONFIRMED``; a planned one, or one no source says was held, ``STATUS:TENTATIVE``; a
cancelled one ``STATUS:CANCELLED``. For all but a held meeting the summary ends with the status
as reported ("(planned, reported as of 2008)") and the description says it.

Meetings without a date are left out, and a calendar holds the :data:`CALENDAR_LIMIT` meetings
with the latest dates (the calendar's description says both). The calendar's own properties
are written by the ``icalendar`` package; its events are written here, line by line, exactly
as that package writes them (escaped, folded at 75 octets, CRLF; see :func:`meeting_event`),
from plain rows (cooperation/core/export_rows.py), and what many meetings share (the dates as
written, a status, a place) is worked out once. The calendar of all meetings keeps its events in
the database, one a meeting in each language and host (``EVENTS``, cooperation/core/export_lines.py:
a write deletes the events it changes), and reads them with the meetings: two queries, whatever
the number of meetings (four more for the events it has to make); a partner's calendar reads those
kept and makes the rest (three queries, or five).
"""

import datetime
import hashlib
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from icalendar import Calendar, Timezone, TimezoneStandard, vDuration

from cooperation.core.export_lines import LineKind
from cooperation.core.export_rows import Related, choice_label, light_records, remembered, row_class
from cooperation.core.exports import url_pattern
from cooperation.core.identifiers import host_name
from cooperation.core.partial_dates import Precision, format_range
from cooperation.core.text import join_names, lowercase, plain
from cooperation.core.translation import localized
from events.models import Meeting
from partners.models import Partner

CONTENT_TYPE = "text/calendar; charset=utf-8"
REFRESH_INTERVAL = datetime.timedelta(days=1)

PRECISION_NOTES = {
    Precision.MONTH: gettext_lazy("The source gives only the month."),
    Precision.QUARTER: gettext_lazy("The source gives only the quarter of the year."),
    Precision.HALF: gettext_lazy("The source gives only the half of the year."),
    Precision.YEAR: gettext_lazy("The source gives only the year."),
}
_PRECISION_RANK = {Precision.YEAR: 0, Precision.HALF: 1, Precision.QUARTER: 2, Precision.MONTH: 3, Precision.DAY: 4}


# A calendar holds the latest meetings only: subscribers want what is coming and what just
# happened, and calendar apps choke on files of a million events. The lists (filter by year or
# partner) and their CSV export have every one.
CALENDAR_LIMIT = 1000

# A meeting's published partners, as an export reads them: plain rows, one query.
PARTNERS = Related("partners", ("slug", *Partner.NAME_FIELDS))


# The calendar's events kept in the database (cooperation/core/export_lines.py), one a meeting
# and a variant for each language and host asked for: what an event shows. The calendar of all
# meetings keeps its 1,000; a partner's calendar reads those it holds.
EVENTS = LineKind("calendar", Meeting, reads={Meeting: "pk", Partner: "partners"})


def calendar_meetings(partner=None, limit=CALENDAR_LIMIT):
    """The query of the ``limit`` published meetings with the latest dates, latest first. With
    ``partner``, only the meetings with that partner."""
    meetings = Meeting.objects.published().filter(start__isnull=False)
    if partner is not None:
        meetings = meetings.filter(partners=partner)
    return meetings.order_by(F("start").desc(), F("title").desc(), F("pk").desc())[:limit]


def meeting_events(meetings, texts, *, keep):
    """The VEVENTs of ``meetings`` (a query, latest first), oldest first: each meeting's kept
    event in the texts' language and host, or, for those without one, the event made from the
    meeting and its published partners (light rows, two queries), then kept if ``keep``."""

    def make(missing):
        rows = [
            row
            for chunk in light_records(Meeting.objects.published().filter(pk__in=missing), len(missing))
            for row in chunk
        ]
        if rows:
            PARTNERS.attach(Meeting, rows)
        return {row.pk: meeting_event(row, texts) for row in rows}

    size = meetings.query.high_mark or CALENDAR_LIMIT
    events = [event for _row, event in EVENTS.lines(meetings, make, variant=texts.variant, chunk_size=size, keep=keep)]
    return events[::-1]


def date_precision(meeting):
    """The coarsest precision of a meeting's start and end: what the sources give of it."""
    dates = [date for date in (meeting.start, meeting.end) if date is not None]
    return min((date.precision for date in dates), key=_PRECISION_RANK.__getitem__)


def event_days(meeting):
    """``(DTSTART, DTEND)``: the first day the meeting may have begun on and the day after the
    last day it may have ended on (None if that would be past the last date Python knows)."""
    first = meeting.start.first_day
    last = (meeting.end or meeting.start).last_day
    try:
        return first, last + datetime.timedelta(days=1)
    except OverflowError:
        return first, None


# RFC 5545 3.8.1.11: the statuses a VEVENT may have.
EVENT_STATUS = {
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.UNKNOWN: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_summary(meeting):
    """The title, followed by the dates as the source writes them when it gives no day
    (unless the title already says them: "Cluster Process meeting, 2001"), and by the status
    as reported when the meeting is not known to have been held."""
    return _summary(meeting, _dates(meeting.start, meeting.end, get_language()), _status(meeting, get_language()))


def _summary(meeting, dates, status):
    notes = []
    title = localized(meeting, "title")
    if dates.precision != Precision.DAY and dates.text not in title:
        notes.append(dates.text)
    if status.text is not None:
        notes.append(lowercase(status.text[0]) + status.text[1:])
    return plain(f"{title} ({'; '.join(notes)})" if notes else title)


class _Dates(NamedTuple):
    """What a meeting's dates give its event, the same for every meeting with those dates."""

    precision: Precision
    text: str  # as written: "June 2030"
    lines: str  # DTSTART (and DTEND) with CRLF


@lru_cache(maxsize=8192)
def _dates(start, end, language):
    meeting = SimpleNamespace(start=start, end=end)
    first, after = event_days(meeting)
    lines = f"DTSTART;VALUE=DATE:{first:%Y%m%d}\r\n"
    if after is not None:
        lines += f"DTEND;VALUE=DATE:{after:%Y%m%d}\r\n"
    return _Dates(date_precision(meeting), format_range(start, end), lines)


class _Status(NamedTuple):
    text: str | None  # the status as reported, for a meeting not known to have been held
    line: str


def _status(meeting, language):
    return _status_of(meeting.status, meeting.status_as_of, language)


@lru_cache(maxsize=4096)
def _status_of(status, as_of, language):
    meeting = row_class(Meeting)({"status": status, "status_as_of": as_of})
    text = None if meeting.held else meeting.status_text
    return _Status(text, f"STATUS:{EVENT_STATUS.get(status, 'TENTATIVE')}\r\n")


@lru_cache(maxsize=4096)
def _place_of(city, country, language):
    return plain(row_class(Meeting)({"city": city, "country": country}).place)


class EventTexts:
    """What every event of one calendar shares, looked up once: the translated sentences, the
    address of a meeting's page around its slug, the host."""

    def __init__(self, request, host):
        before, after = url_pattern(Meeting, get_language())
        self.url_before, self.url_after = request.build_absolute_uri(before), after
        self.host = host
        self.language = get_language()
        self.with_partners = _("With %(partners)s.")
        self.spans = _("The event spans all of %(dates)s.")
        self.details = _("Details and sources: %(url)s")
        self.notes = {precision: str(note) for precision, note in PRECISION_NOTES.items()}
        # What an event depends on besides its meeting: the key of its kept copies.
        where = f"{self.language}|{self.url_before}|{self.url_after}|{host}"
        self.variant = hashlib.sha1(where.encode()).hexdigest()[:16]


def meeting_description(meeting, url, texts, dates, status):
    paragraphs = [plain(localized(meeting, "description")).strip()]
    if status.text is not None:
        paragraphs.append(f"{status.text}.")
    if meeting.export_partners:
        names = (remembered(partner, "_calendar_name", str) for partner in meeting.export_partners)
        paragraphs.append(texts.with_partners % {"partners": plain(join_names(names))})
    note = texts.notes.get(dates.precision)
    if note:
        paragraphs.append(f"{note} " + texts.spans % {"dates": dates.text})
    paragraphs.append(texts.details % {"url": url})
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def meeting_event(meeting, texts):
    """The meeting's VEVENT, as RFC 5545 lines (CRLF after each), written here rather than with
    the icalendar package (which took 0.7 s for a calendar of 1,000 events) in the order and
    form that package writes them: its canonical properties first, then the rest by name;
    text escaped, lines folded (see ical_line); times in UTC."""
    url = f"{texts.url_before}{meeting.slug}{texts.url_after}"
    dates = _dates(meeting.start, meeting.end, texts.language)
    status = _status(meeting, texts.language)
    created, updated = utc(meeting.created_at), utc(meeting.updated_at)
    place = _place_of(localized(meeting, "city"), meeting.country, texts.language)
    kind = choice_label(Meeting, "kind", meeting.kind, texts.language)
    return "".join(
        (
            "BEGIN:VEVENT\r\n",
            ical_line("SUMMARY", ical_text(_summary(meeting, dates, status))),
            dates.lines,
            f"DTSTAMP:{updated}\r\n",
            ical_line("UID", ical_text(f"{meeting.slug}@{texts.host}")),
            ical_line("CATEGORIES", ical_text(kind)),
            f"CREATED:{created}\r\n",
            ical_line("DESCRIPTION", ical_text(meeting_description(meeting, url, texts, dates, status))),
            f"LAST-MODIFIED:{updated}\r\n",
            ical_line("LOCATION", ical_text(place)) if place else "",
            status.line,
            "TRANSP:TRANSPARENT\r\n",
            ical_line("URL", url),
            "END:VEVENT\r\n",
        )
    )


def utc(moment):
    """A time as an iCalendar UTC DATE-TIME: 20240301T093000Z."""
    moment = moment.astimezone(datetime.UTC)
    return f"{moment:%Y%m%dT%H%M%S}Z"


def ical_text(value):
    """A TEXT value escaped as RFC 5545 (3.3.11) and the icalendar package escape it: backslash,
    semicolon and comma escaped, every line break written as ``\\n``."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


FOLD = 74  # octets of a line before its fold (RFC 5545 3.1: at most 75 with the fold's space)


def ical_line(name, value):
    """``NAME:value`` folded as RFC 5545 (3.1) and the icalendar package fold it, with CRLF: a
    line longer than 74 octets goes on in lines that begin with a space, never splitting a
    UTF-8 character, nor a backslash from the character it escapes."""
    line = f"{name}:{value}"
    if len(line) <= FOLD and line.isascii():
        return line + "\r\n"
    if line.isascii():
        pieces, start = [], 0
        while len(line) - start > FOLD:
            end = start + FOLD
            if line[end - 1] in "\\^":
                end -= 1
            pieces.append(line[start:end])
            start = end
        pieces.append(line[start:])
        return "\r\n ".join(pieces) + "\r\n"
    pieces, current, size = [], [], 0
    for character in line:
        length = len(character.encode())
        if current and size + length > FOLD:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                pieces.append("".join(current))
                current, size = [carried], len(carried.encode())
            else:
                pieces.append("".join(current))
                current, size = [], 0
        current.append(character)
        size += length
    pieces.append("".join(current))
    return "\r\n ".join(pieces) + "\r\n"


def utc_timezone():
    """A VTIMEZONE for UTC. RFC 5545 wants at least one component in a calendar, so one with
    no meetings carries this instead of being empty."""
    standard = TimezoneStandard()
    standard.add("DTSTART", datetime.datetime(1970, 1, 1))
    standard.add("TZOFFSETFROM", datetime.timedelta(0))
    standard.add("TZOFFSETTO", datetime.timedelta(0))
    standard.add("TZNAME", "UTC")
    timezone = Timezone()
    timezone.add("TZID", "UTC")
    timezone.add_component(standard)
    return timezone


def build_calendar(request, meetings, *, name, description, uid, page_url, keep=True):
    """The calendar's text: its properties (written by the icalendar package, once), then one
    VEVENT a meeting of the query ``meetings`` (meeting_events; the events made are kept if
    ``keep``); a calendar without meetings holds a UTC VTIMEZONE instead, as RFC 5545 wants at
    least one component."""
    events = meeting_events(meetings, EventTexts(request, host_name(request)), keep=keep)
    calendar = Calendar.new(
        prodid=f"-//{plain(settings.SITE_NAME)}//Meetings//EN",
        calscale="GREGORIAN",
        name=plain(name),
        description=plain(description),
        uid=uid,
        url=request.build_absolute_uri(page_url),
        source=request.build_absolute_uri(request.path),
        refresh_interval=REFRESH_INTERVAL,
    )
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))  # Outlook's REFRESH-INTERVAL
    if not events:
        calendar.add_component(utc_timezone())
        return calendar.to_ical().decode()
    head = calendar.to_ical().decode()
    end = "END:VCALENDAR\r\n"
    assert head.endswith(end)
    return "".join((head[: -len(end)], *events, end))


def calendar_note():
    """What every calendar's description says of what it holds, in the page's language."""
    return _(
        "It holds the %(limit)s meetings with the latest dates; the registry's list of meetings has "
        "every one. Meetings the sources give no date for are left out. Where a source gives only the month "
        "or the year, the event spans that whole month or year and its title ends with the month "
        "or year as the source gives it."
    ) % {"limit": f"{CALENDAR_LIMIT:,}"}


def calendar_response(calendar, filename):
    response = HttpResponse(calendar.encode(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class MeetingCalendarView(View):
    """``/meetings/calendar.ics``: every published meeting with a date."""

    def get(self, request):
        host = host_name(request)
        calendar = build_calendar(
            request,
            calendar_meetings(),
            name=_("%(site)s: meetings") % {"site": settings.SITE_NAME},
            description=_("Meetings and visits recorded in the %(site)s.") % {"site": settings.SITE_NAME}
            + " "
            + calendar_note(),
            uid=f"meetings@{host}",
            page_url=reverse("events:meeting-list"),
        )
        return calendar_response(calendar, "meetings.ics")


class PartnerMeetingCalendarView(View):
    """``/partners/<slug>/calendar.ics``: the published meetings with one published partner;
    an unknown or draft partner is a 404."""

    def get(self, request, slug):
        partner = get_object_or_404(Partner.objects.published(), slug=slug)
        host = host_name(request)
        calendar = build_calendar(
            request,
            calendar_meetings(partner),
            name=_("%(site)s: meetings with %(partner)s") % {"site": settings.SITE_NAME, "partner": partner.short_name},
            description=_("Meetings and visits with %(partner)s recorded in the %(site)s.")
            % {"partner": partner, "site": settings.SITE_NAME}
            + " "
            + calendar_note(),
            uid=f"partner-{partner.slug}-meetings@{host}",
            page_url=partner.get_absolute_url(),
            # It reads the events the calendar of all meetings keeps, and keeps none of its own:
            # kept for every partner's calendar, the events of all meetings would be kept, a
            # million in each language (a partner's hundred meetings are made in a few ms).
            keep=False,
        )
        return calendar_response(calendar, f"{partner.slug}-meetings.ics")
