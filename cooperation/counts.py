"""The projects and agreements lists' count tables (cooperation/core/listing/counts.py).

Projects: published projects by status and the years they are active in, the same per topic, per
partner and per topic and partner, and each topic's and partner's total (the triggers are created
by migration 0016; ``recount(PROJECT_COUNTS)`` rebuilds them). Agreements: published agreements
by kind and the year they were signed, the same per topic, per partner and per topic and partner,
and each topic's and partner's total (migration 0027), per place of signing and per partner and
place (migration 0028), per place and year of signing and per partner, place and year
(migration 0029), and by the years of their four stages, for the year index (migration 0031;
``recount(AGREEMENT_COUNTS)``). An agreement's status is not kept: it changes
with the day (signed, in force, ended), so the status facet, and any list filtered by status, is
counted on the fly."""

from dataclasses import replace

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


# The year an agreement was signed, 0 when not recorded: its first and its last year on the list
# (the year filter's columns, as a project's years; an agreement is on one).
SIGNED_YEAR = "COALESCE({m}.signed / 10000, 0)"
AGREEMENT_YEAR_DIMS = ("kind", "first_year", "last_year")

# As migration 0027 installed them: a later change declares its own, so that 0027 stays what it was.
AGREEMENT_COUNTS_0027 = CountTables(
    record="cooperation_agreement",
    dims={"kind": "{m}.kind", "first_year": SIGNED_YEAR, "last_year": SIGNED_YEAR},
    links=[
        Link("topic", table="cooperation_agreement_topics", record="agreement_id", value="topic_id"),
        Link("partner", table="cooperation_agreement_parties", record="agreement_id", value="partner_id"),
    ],
    cubes=[
        Cube("cooperation.AgreementCount", "cooperation_agreementcount", (), AGREEMENT_YEAR_DIMS),
        Cube("cooperation.AgreementTopicTotal", "cooperation_agreementtopictotal", ("topic",), ()),
        Cube("cooperation.AgreementPartnerTotal", "cooperation_agreementpartnertotal", ("partner",), ()),
        Cube("cooperation.AgreementTopicCount", "cooperation_agreementtopiccount", ("topic",), AGREEMENT_YEAR_DIMS),
        Cube(
            "cooperation.AgreementPartnerCount", "cooperation_agreementpartnercount", ("partner",), AGREEMENT_YEAR_DIMS
        ),
        Cube(
            "cooperation.AgreementTopicPartnerCount",
            "cooperation_agreementtopicpartnercount",
            ("topic", "partner"),
            AGREEMENT_YEAR_DIMS,
        ),
    ],
    filters={"topic": "topic", "partner": "partner", "kind": "kind", "year": YEARS},
)

# Migration 0028: the places of signing, a many-to-many dimension kept through a table of an
# agreement's distinct places (AgreementPlacePair) from its signatures that have a place (the
# place facet and the maps count an agreement signed twice at a place once).
SIGNED_AT = Link(
    "place",
    table="cooperation_agreementplacepair",
    record="agreement_id",
    value="location_id",
    through="cooperation_agreementaction",
    where="{r}.kind IN ('signature', 'definitive-signature') AND {r}.location_id IS NOT NULL",
)
PLACE_TOTAL = Cube("cooperation.AgreementPlaceTotal", "cooperation_agreementplacetotal", ("place",), ())
PARTNER_PLACE_TOTAL = Cube(
    "cooperation.AgreementPartnerPlaceTotal", "cooperation_agreementpartnerplacetotal", ("partner", "place"), ()
)
AGREEMENT_COUNTS_0028 = replace(
    AGREEMENT_COUNTS_0027,
    links=[*AGREEMENT_COUNTS_0027.links, SIGNED_AT],
    cubes=[*AGREEMENT_COUNTS_0027.cubes[:3], PLACE_TOTAL, *AGREEMENT_COUNTS_0027.cubes[3:], PARTNER_PLACE_TOTAL],
    filters={**AGREEMENT_COUNTS_0027.filters, "place": "place"},
)

# Migration 0029: the places of signing by the year of each signature, through a table of an
# agreement's distinct places and years (AgreementPlaceYearPair): a partner's map says the first
# year of its agreements' signatures at each place (the least year of the place's rows), and home's
# map of all of them, which they grouped from every signature before (the busiest partner's 1,935:
# 11-12 ms of its page's map; home's 8,962: 15-18 ms).
# Named "location" (the "place" link is the one above), as the maps read a place: Kind.first_years.
SIGNED_AT_BY_YEAR = replace(
    SIGNED_AT,
    name="location",
    table="cooperation_agreementplaceyearpair",
    year="COALESCE({r}.date / 10000, 0)",
)
PLACE_YEARS = Cube("cooperation.AgreementPlaceYear", "cooperation_agreementplaceyear", ("location",), ())
PARTNER_PLACE_YEARS = Cube(
    "cooperation.AgreementPartnerPlaceYear", "cooperation_agreementpartnerplaceyear", ("partner", "location"), ()
)
AGREEMENT_COUNTS_0029 = replace(
    AGREEMENT_COUNTS_0028,
    links=[*AGREEMENT_COUNTS_0028.links, SIGNED_AT_BY_YEAR],
    cubes=[*AGREEMENT_COUNTS_0028.cubes, PLACE_YEARS, PARTNER_PLACE_YEARS],
)

# Migration 0031: the published agreements by the years of their four stages (0: not recorded),
# which the year index grouped from every agreement (8,969: 6-8 ms of home, /years/ and a year page).
STAGE_YEARS = {
    f"{stage}_year": f"COALESCE({{m}}.{stage} / 10000, 0)" for stage in ("signed", "ratified", "in_force", "ended")
}
STAGES_BY_YEAR = Cube("cooperation.AgreementStageYears", "cooperation_agreementstageyears", (), tuple(STAGE_YEARS))
AGREEMENT_COUNTS_0031 = replace(
    AGREEMENT_COUNTS_0029,
    dims={**AGREEMENT_COUNTS_0029.dims, **STAGE_YEARS},
    cubes=[*AGREEMENT_COUNTS_0029.cubes, STAGES_BY_YEAR],
)
# The years of ratification, entry into force and end filter the list too (?ratified=2010: a year
# page's links), read from the same table (no migration: the filters name no SQL).
AGREEMENT_COUNTS = replace(
    AGREEMENT_COUNTS_0031,
    filters={
        **AGREEMENT_COUNTS_0031.filters,
        **{stage: f"{stage}_year" for stage in ("ratified", "in_force", "ended")},
    },
)
