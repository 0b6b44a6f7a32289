"""The meeting page (events/views.py, events/selectors.py).

Each test asserts what a reader sees (the text of the page and its links). The query-count
tests build every page with 1 and with 50 related rows of each kind and expect the same
literal number of queries.
"""

import pytest

from cooperation.core.partial_dates import PartialDate
from events.models import Meeting
from tests import factories as f
from tests.helpers.listing import DATA_VERSION, RECORD_VERSIONS
from tests.helpers.pages import cite, get

pytestmark = pytest.mark.django_db


# Meeting --------------------------------------------------------------------------------------


def test_meeting_page_shows_dates_as_a_range_place_partners_participants_agreements_and_projects(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    person = f.PersonFactory(name="William Lacy Swing", slug="swing")
    agreement = f.AgreementFactory(title="Readmission Agreement")
    project = f.ProjectFactory(title="Readmission project")
    meeting = f.MeetingFactory(
        title="Regional conference",
        slug="regional-conference",
        kind=Meeting.Kind.CONFERENCE,
        start=PartialDate(2006, 5, 10),
        end=PartialDate(2006, 5, 11),
        city="Baku",
        country="AZ",
        partners=[iom],
        participants_note="SMS employees",
    )
    meeting.participants.add(person)
    meeting.agreements.add(agreement)
    meeting.projects.add(project)

    page = get(client, "/meetings/regional-conference/")

    assert page.h1 == "Regional conference"
    assert "Date 10–11 May 2006 Place Baku, Azerbaijan" in page.text
    assert '<time datetime="2006-05-10">10–11 May 2006</time>' in page.html
    assert "Participants William Lacy Swing SMS employees" in page.text
    assert all(page.links_to(record) for record in [iom, person, agreement, project])
    for record in [iom, person, agreement, project]:
        assert get(client, record.get_absolute_url()).links_to(meeting), record


FOOTER_CALENDAR = "Meetings calendar"  # every page's footer links the whole calendar


def test_a_dated_meeting_page_links_the_calendars_it_is_in(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    f.MeetingFactory(slug="visit", start=PartialDate(2006, 5), partners=[iom])
    f.MeetingFactory(slug="undated", start=None, end=None, partners=[iom])

    page = get(client, "/meetings/visit/")
    assert "In your calendar app (iCalendar): every meeting · meetings with IOM" in page.text
    calendars = [(href, text) for href, text in page.links if href.endswith(".ics") and text != FOOTER_CALENDAR]
    assert calendars == [
        ("/meetings/calendar.ics", "every meeting"),
        ("/partners/iom/calendar.ics", "meetings with IOM"),
    ]
    assert client.get("/partners/iom/calendar.ics")["Content-Type"] == "text/calendar; charset=utf-8"
    # A meeting without a date is in no calendar: its page offers none.
    undated = get(client, "/meetings/undated/").links
    assert not [href for href, text in undated if href.endswith(".ics") and text != FOOTER_CALENDAR]


# Query counts ---------------------------------------------------------------------------------


def build_meeting(n):
    meeting = f.MeetingFactory(slug="subject", partners=[f.PartnerFactory() for _ in range(n)])
    meeting.participants.set([f.PersonFactory() for _ in range(n)])
    meeting.agreements.set([f.AgreementFactory() for _ in range(n)])
    meeting.projects.set([f.ProjectFactory() for _ in range(n)])
    cite(meeting, n)
    return meeting.get_absolute_url()


# (page, builder, queries): every page runs this many queries, whatever the number of rows.
# A record page lists at most 25 (RELATED_LIMIT) of each big relation and counts them all in one
# more query (cached until the data changes: these are the counts of a first, uncached request).
QUERY_COUNTS = [
    # meeting; partners, participants, agreements, projects; citations, claims
    ("meeting", build_meeting, DATA_VERSION + RECORD_VERSIONS - 1 + 7)  # no numbers,
]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("page", "build", "queries"), QUERY_COUNTS, ids=[name for name, *_ in QUERY_COUNTS])
def test_page_runs_the_same_number_of_queries_for_1_or_50_related_rows(
    client, django_assert_num_queries, warm_content_types, page, build, queries, rows
):
    url = build(rows)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1
