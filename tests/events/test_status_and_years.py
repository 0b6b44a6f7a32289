"""Meetings over New Year are on both years, and whether a meeting took place is what a source
reported on a date (issue #14, section 2): the year filter, its facet, the year pages, the
years index, the pages and the calendars. Run on SQLite and, with ``DATABASE_URL``, on
PostgreSQL."""

import pytest
from icalendar import Calendar

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.pages.selectors import year_index
from events.models import Meeting
from tests import factories as f
from tests.helpers.exports import export
from tests.helpers.listing import DATA_VERSION, facet, queries, titles
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_year():
    return {
        "spanning": f.MeetingFactory(
            title="Winter school", start=PD(2006, 12, 28), end=PD(2007, 1, 3), city="Baku", country="AZ"
        ),
        "in_2006": f.MeetingFactory(title="Summer visit", start=PD(2006, 6, 20)),
        "in_2007": f.MeetingFactory(title="Spring conference", start=PD(2007, 4, 2)),
        "long": f.MeetingFactory(title="Working group 2005-2008", start=PD(2005, 10), end=PD(2008, 2)),
        "undated": f.MeetingFactory(title="Undated meeting", start=None),
    }


def test_a_meeting_over_new_year_is_in_the_list_of_both_years(client, new_year):
    assert titles(client.get("/meetings/?year=2006&sort=oldest")) == [
        "Working group 2005-2008",
        "Summer visit",
        "Winter school",
    ]
    assert titles(client.get("/meetings/?year=2007&sort=oldest")) == [
        "Working group 2005-2008",
        "Winter school",
        "Spring conference",
    ]
    assert titles(client.get("/meetings/?year=2005")) == ["Working group 2005-2008"]
    assert titles(client.get("/meetings/?year=2009")) == []


def test_the_year_facet_counts_a_meeting_on_every_year_it_spans(client, new_year):
    assert facet(client.get("/meetings/"), "year") == {"2008": 1, "2007": 3, "2006": 3, "2005": 1}


def test_year_pages_and_the_years_index_count_a_meeting_on_both_years(client, new_year):
    index = year_index()
    assert {year: counts.meetings for year, counts in index.items()} == {2005: 1, 2006: 3, 2007: 3, 2008: 1}
    for year in (2006, 2007):
        page = get(client, f"/years/{year}/")
        assert "28 December 2006 – 3 January 2007: Winter school" in page.text
        assert "Working group 2005-2008" in page.text
        assert "3 meetings" in page.text


@pytest.mark.parametrize("rows", [1, 30])
def test_the_year_filter_runs_the_same_queries_whatever_the_rows(client, rows):
    for n in range(rows):
        f.MeetingFactory(start=PD(2006, 12, 20 + n % 10), end=PD(2007, 1, 2))
    _response, count = queries(client, "/meetings/?year=2007")
    # The rows, their count, the facets (partner, kind, year), the partners of the rows shown and
    # the map's places (the place facet counts them).
    assert count == DATA_VERSION + 7


def test_the_year_filter_reads_meetings_spanning_years_through_their_partial_index():
    sql = str(Meeting.objects.in_years([2007]).query)
    assert "BETWEEN 20070000 AND 20079999" in sql
    assert '"end" >= (((' in sql  # the partial index's condition, spelled the same


# Planned versus held ---------------------------------------------------------------------------


@pytest.fixture
def statuses():
    return {
        "held": f.MeetingFactory(slug="held", title="Cluster meeting I", start=PD(2006, 5, 10)),
        "planned": f.MeetingFactory(
            slug="planned",
            title="Labour migration workshops",
            start=PD(2007, 7),
            end=PD(2007, 12),
            status=Meeting.Status.PLANNED,
            status_as_of=PD(2007, 2),
        ),
        "cancelled": f.MeetingFactory(
            slug="cancelled", title="Cancelled summit", start=PD(2008, 3, 4), status=Meeting.Status.CANCELLED
        ),
        "unknown": f.MeetingFactory(
            slug="unknown", title="Cluster meeting III", start=PD(2009), status=Meeting.Status.UNKNOWN
        ),
    }


def test_pages_say_a_meeting_was_planned_as_reported_on_a_date(client, statuses):
    detail = get(client, statuses["planned"].get_absolute_url())
    assert "Took place Planned (reported as of February 2007)" in detail.text
    assert "Took place Held" in get(client, statuses["held"].get_absolute_url()).text
    assert "Took place Cancelled (date of report not recorded)" in get(client, "/meetings/cancelled/").text
    assert "Took place Not known whether it took place" in get(client, "/meetings/unknown/").text
    listed = get(client, "/meetings/").text
    assert "July–December 2007 · Geneva, Switzerland · Planned (reported as of February 2007)" in listed
    assert "10 May 2006 · Geneva, Switzerland Cluster" in listed or "10 May 2006 · Geneva, Switzerland" in listed
    assert "Held" not in listed.replace("Held (", "")
    year = get(client, "/years/2007/")
    assert "Labour migration workshops Bilateral meeting · Planned (reported as of February 2007)" in year.text


def test_calendars_mark_planned_meetings_tentative_and_cancelled_ones_cancelled(client, statuses):
    calendar = Calendar.from_ical(client.get("/meetings/calendar.ics").content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert {summary: str(event["STATUS"]) for summary, event in events.items()} == {
        "Cluster meeting I": "CONFIRMED",
        "Labour migration workshops (July–December 2007; planned (reported as of February 2007))": "TENTATIVE",
        "Cancelled summit (cancelled (date of report not recorded))": "CANCELLED",
        "Cluster meeting III (2009; not known whether it took place)": "TENTATIVE",
    }
    planned = events["Labour migration workshops (July–December 2007; planned (reported as of February 2007))"]
    assert "Planned (reported as of February 2007)." in str(planned["DESCRIPTION"])


def test_the_api_and_exports_carry_the_meeting_status(client, statuses):
    rows = {row["slug"]: row for row in client.get("/api/meetings/").json()["results"]}
    assert rows["planned"]["status"] == "planned"
    assert rows["planned"]["status_as_of"] == {
        "text": "February 2007",
        "iso": "2007-02",
        "edtf": "2007-02",
        "precision": "month",
    }
    assert rows["planned"]["status_text"] == "Planned (reported as of February 2007)"
    assert rows["held"]["status_as_of"] is None
    data = {row["slug"]: row for row in export(client, "/meetings/", "json")}
    assert (data["planned"]["status"], data["planned"]["status_as_of_iso"]) == ("Planned", "2007-02")
