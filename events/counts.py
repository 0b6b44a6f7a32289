"""The meetings list's count tables (cooperation/core/listing/counts.py): published meetings by
kind and years, the same per partner, and each partner's total. The triggers that keep them are
created by migration 0008; ``recount(MEETING_COUNTS)`` rebuilds them."""

from cooperation.core.listing.counts import YEARS, CountTables, Cube, Link

# The years a meeting is on: from its start's to its end's (Meeting.years(); 0 when undated).
FIRST_YEAR = "COALESCE({m}.start / 10000, 0)"
LAST_YEAR = (
    'COALESCE(CASE WHEN {m}."end" / 10000 > {m}.start / 10000 THEN {m}."end" / 10000 ELSE {m}.start / 10000 END, 0)'
)

MEETING_COUNTS = CountTables(
    record="events_meeting",
    dims={"kind": "{m}.kind", "first_year": FIRST_YEAR, "last_year": LAST_YEAR},
    links=[Link("partner", table="events_meeting_partners", record="meeting_id", value="partner_id")],
    # Smallest first: a question is answered by the first that can.
    cubes=[
        Cube("events.MeetingCount", "events_meetingcount", (), ("kind", "first_year", "last_year")),
        Cube("events.MeetingPartnerTotal", "events_meetingpartnertotal", ("partner",), ()),
        Cube(
            "events.MeetingPartnerCount",
            "events_meetingpartnercount",
            ("partner",),
            ("kind", "first_year", "last_year"),
        ),
    ],
    filters={"partner": "partner", "kind": "kind", "year": YEARS},
)
