"""The meetings list's count tables (cooperation/core/listing/counts.py): published meetings by
kind and years, the same per partner, each partner's total, and by place (by its first year alone,
a few rows a place; with kind and years; or per partner). The triggers that keep them are created
by migration 0016 (0010 made the first three, 0012 those by place but the totals at each place,
0014 a partner's, 0015 a place's, 0016 those of each kind); ``recount(MEETING_COUNTS)`` rebuilds
them."""

from dataclasses import replace

from cooperation.core.listing.counts import YEARS, CountTables, Cube, Link

# The years a meeting is on: from its start's to its end's (Meeting.years(); 0 when undated).
FIRST_YEAR = "COALESCE({m}.start / 10000, 0)"
LAST_YEAR = (
    'COALESCE(CASE WHEN {m}."end" / 10000 > {m}.start / 10000 THEN {m}."end" / 10000 ELSE {m}.start / 10000 END, 0)'
)

PARTNER = Link("partner", table="events_meeting_partners", record="meeting_id", value="partner_id")
KIND_AND_YEARS = {"kind": "{m}.kind", "first_year": FIRST_YEAR, "last_year": LAST_YEAR}
# Smallest first: a question is answered by the first that can.
MEETING_COUNT = Cube("events.MeetingCount", "events_meetingcount", (), ("kind", "first_year", "last_year"))
PARTNER_TOTAL = Cube("events.MeetingPartnerTotal", "events_meetingpartnertotal", ("partner",), ())
PARTNER_COUNT = Cube(
    "events.MeetingPartnerCount", "events_meetingpartnercount", ("partner",), ("kind", "first_year", "last_year")
)
BY_KIND_AND_PARTNER = [MEETING_COUNT, PARTNER_TOTAL, PARTNER_COUNT]
FILTERS = {"partner": "partner", "kind": "kind", "year": YEARS}

# What migrations 0010 and 0011 installed, before places: a migration installs the tables of its
# time (a newer declaration names tables and columns that do not exist yet).
MEETING_COUNTS_0010 = CountTables(
    record="events_meeting", dims=KIND_AND_YEARS, links=[PARTNER], cubes=BY_KIND_AND_PARTNER, filters=FILTERS
)

PLACE_YEAR = Cube("events.MeetingPlaceYear", "events_meetingplaceyear", (), ("location", "first_year"))
PLACE_COUNT = Cube(
    "events.MeetingPlaceCount", "events_meetingplacecount", (), ("location", "kind", "first_year", "last_year")
)
PLACE_CUBES = [PLACE_YEAR, PLACE_COUNT]
PARTNER_PLACE_COUNT = Cube(
    "events.MeetingPartnerPlaceCount", "events_meetingpartnerplacecount", ("partner",), ("location", "first_year")
)
PARTNER_PLACE_TOTAL = Cube(
    "events.MeetingPartnerPlaceTotal", "events_meetingpartnerplacetotal", ("partner",), ("location",)
)

# What migration 0012 installed, before a partner's total at each place (0014).
MEETING_COUNTS_0012 = CountTables(
    record="events_meeting",
    dims={**KIND_AND_YEARS, "location": "COALESCE({m}.location_id, 0)"},
    references=("location",),
    links=[PARTNER],
    cubes=[*BY_KIND_AND_PARTNER, *PLACE_CUBES, PARTNER_PLACE_COUNT],
    filters={**FILTERS, "place": "location"},
)

# What migration 0014 installed: the cubes smallest first (CountTables.cube_for), a partner's
# places in all before by year.
MEETING_COUNTS_0014 = replace(
    MEETING_COUNTS_0012, cubes=[*BY_KIND_AND_PARTNER, *PLACE_CUBES, PARTNER_PLACE_TOTAL, PARTNER_PLACE_COUNT]
)

PLACE_TOTAL = Cube("events.MeetingPlaceTotal", "events_meetingplacetotal", (), ("location",))

# What migration 0015 installed: a place's total before its years.
MEETING_COUNTS_0015 = replace(
    MEETING_COUNTS_0014,
    cubes=[*BY_KIND_AND_PARTNER, PLACE_TOTAL, *PLACE_CUBES, PARTNER_PLACE_TOTAL, PARTNER_PLACE_COUNT],
)

PARTNER_KIND = Cube("events.MeetingPartnerKind", "events_meetingpartnerkind", ("partner",), ("kind",))
PLACE_KIND = Cube("events.MeetingPlaceKind", "events_meetingplacekind", (), ("location", "kind"))

# What migration 0016 installed: a partner's and a place's meetings of each kind, before those by
# kind and years.
MEETING_COUNTS_0016 = replace(
    MEETING_COUNTS_0015,
    cubes=[
        MEETING_COUNT,
        PARTNER_TOTAL,
        PARTNER_KIND,
        PARTNER_COUNT,
        PLACE_TOTAL,
        PLACE_YEAR,
        PLACE_KIND,
        PLACE_COUNT,
        PARTNER_PLACE_TOTAL,
        PARTNER_PLACE_COUNT,
    ],
)

MEETING_COUNTS = MEETING_COUNTS_0016  # what the triggers keep now: the latest migration's
