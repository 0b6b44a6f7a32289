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
with the latest dates (the calendar's description says both). The calendars
are built with the ``icalendar`` package, which escapes text, folds long lines and ends them
with CRLF. Queries: two for the calendar of all meetings, three for one partner's, whatever
the number of meetings.
"""

import datetime

from django.conf import settings
from django.db.models import F, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from icalendar import Calendar, Event, Timezone, TimezoneStandard, vDuration

from cooperation.core.identifiers import host_name
from cooperation.core.partial_dates import Precision
from cooperation.core.text import join_names, plain
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


def calendar_meetings(partner=None, limit=CALENDAR_LIMIT):
    """The ``limit`` published meetings with the latest dates, oldest first, with their
    published partners (two queries). With ``partner``, only the meetings with that partner."""
    meetings = Meeting.objects.published().filter(start__isnull=False)
    if partner is not None:
        meetings = meetings.filter(partners=partner)
    latest = meetings.order_by(F("start").desc(), F("title").desc(), F("pk").desc()).prefetch_related(
        Prefetch("partners", queryset=Partner.objects.published(), to_attr="public_partners")
    )[:limit]
    return list(latest)[::-1]


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
    notes = []
    if date_precision(meeting) != Precision.DAY and meeting.dates not in meeting.title:
        notes.append(meeting.dates)
    if not meeting.held:
        notes.append(meeting.status_text[0].lower() + meeting.status_text[1:])
    return plain(f"{meeting.title} ({'; '.join(notes)})" if notes else meeting.title)


def meeting_description(meeting, url):
    paragraphs = [plain(meeting.description).strip()]
    if not meeting.held:
        paragraphs.append(f"{meeting.status_text}.")
    if meeting.public_partners:
        paragraphs.append(_("With %(partners)s.") % {"partners": plain(join_names(meeting.public_partners))})
    note = PRECISION_NOTES.get(date_precision(meeting))
    if note:
        paragraphs.append(f"{note} " + _("The event spans all of %(dates)s.") % {"dates": meeting.dates})
    paragraphs.append(_("Details and sources: %(url)s") % {"url": url})
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def meeting_event(meeting, request, host):
    url = request.build_absolute_uri(meeting.get_absolute_url())
    start, end = event_days(meeting)
    return Event.new(
        uid=f"{meeting.slug}@{host}",
        stamp=meeting.updated_at.astimezone(datetime.UTC),
        created=meeting.created_at.astimezone(datetime.UTC),
        last_modified=meeting.updated_at.astimezone(datetime.UTC),
        start=start,
        end=end,
        summary=meeting_summary(meeting),
        description=meeting_description(meeting, url),
        location=plain(meeting.place) or None,
        categories=[meeting.get_kind_display()],
        status=EVENT_STATUS.get(meeting.status, "TENTATIVE"),
        transparency="TRANSPARENT",
        url=url,
    )


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


def build_calendar(request, meetings, *, name, description, uid, page_url):
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
    host = host_name(request)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, request, host))
    if not calendar.subcomponents:
        calendar.add_component(utc_timezone())
    return calendar


def calendar_note():
    """What every calendar's description says of what it holds, in the page's language."""
    return _(
        "It holds the %(limit)s meetings with the latest dates; the registry's list of meetings has "
        "every one. Meetings the sources give no date for are left out. Where a source gives only the month "
        "or the year, the event spans that whole month or year and its title ends with the month "
        "or year as the source gives it."
    ) % {"limit": f"{CALENDAR_LIMIT:,}"}


def calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
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
        )
        return calendar_response(calendar, f"{partner.slug}-meetings.ics")
