"""The projects list's count tables (cooperation/core/listing/counts.py): published projects by
status and the years they are active in, the same per topic, per partner and per topic and
partner, and each topic's and partner's total. The triggers that keep them are created by
migration 0014; ``recount(PROJECT_COUNTS)`` rebuilds them."""

from cooperation.core.listing.counts import YEARS, CountTables, Cube, Link

# The years a project is active in (ProjectQuerySet.active_in, Project.last_active_year): from
# its start's to its end's; without an end, to the year an ongoing status was reported as of
# (not before its start), else its start's. 0 when undated.
FIRST_YEAR = "COALESCE({m}.start / 10000, 0)"
LAST_YEAR = (
    "CASE WHEN {m}.start IS NULL THEN 0"
    ' WHEN {m}."end" IS NOT NULL THEN {m}."end" / 10000'
    " WHEN {m}.status = 'ongoing' AND {m}.status_as_of / 10000 > {m}.start / 10000 THEN {m}.status_as_of / 10000"
    " ELSE {m}.start / 10000 END"
)
YEAR_DIMS = ("status", "first_year", "last_year")

PROJECT_COUNTS = CountTables(
    record="cooperation_project",
    dims={"status": "{m}.status", "first_year": FIRST_YEAR, "last_year": LAST_YEAR},
    links=[
        Link("topic", table="cooperation_project_topics", record="project_id", value="topic_id"),
        Link(
            "partner",
            table="cooperation_projectpartnerpair",
            record="project_id",
            value="partner_id",
            through="cooperation_projectpartner",
        ),
    ],
    # Smallest first: a question is answered by the first that can.
    cubes=[
        Cube("cooperation.ProjectCount", "cooperation_projectcount", (), YEAR_DIMS),
        Cube("cooperation.ProjectTopicTotal", "cooperation_projecttopictotal", ("topic",), ()),
        Cube("cooperation.ProjectPartnerTotal", "cooperation_projectpartnertotal", ("partner",), ()),
        Cube("cooperation.ProjectTopicCount", "cooperation_projecttopiccount", ("topic",), YEAR_DIMS),
        Cube("cooperation.ProjectPartnerCount", "cooperation_projectpartnercount", ("partner",), YEAR_DIMS),
        Cube(
            "cooperation.ProjectTopicPartnerCount",
            "cooperation_projecttopicpartnercount",
            ("topic", "partner"),
            YEAR_DIMS,
        ),
    ],
    filters={"topic": "topic", "partner": "partner", "status": "status", "year": YEARS},
)
