"""What the import does with each column: the columns it reads are the export's, values are read
generously, and every bad value is an error naming its row and column (cooperation/imports/
columns.py; the checks of a whole row or across rows: plan.py)."""

import pytest

from cooperation.core import exports
from cooperation.imports import CREATE, ERROR, SCHEMAS, UNCHANGED
from cooperation.imports.formats import SPECS
from cooperation.models import Agreement, Project, ProjectPartner
from events.models import Meeting
from partners.models import Partner
from tests.helpers.imports import LISTS, errors, make_csv, plan_of, run_import, seed_like
from tests.helpers.users import publisher

pytestmark = pytest.mark.django_db


# The columns the import reads -------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_schema_reads_every_key_and_read_column_of_the_export_and_nothing_else(name):
    schema = SCHEMAS[LISTS[name]]
    spec = SPECS[name]
    assert schema.spec is spec
    assert schema.columns == [column.name for column in spec.columns if column.use != exports.DERIVED]
    assert schema.columns[0] == "slug"
    assert sorted(reader.column for reader in schema.readers) == sorted(schema.columns[1:])
    assert schema.derived == [column.name for column in spec.columns if column.use == exports.DERIVED]


def test_partial_dates_are_read_from_their_written_iso_and_edtf_columns():
    for spec in SPECS.values():
        for column in spec.columns:
            if column.name.endswith("_precision"):
                assert column.use == exports.DERIVED
                date = column.name.removesuffix("_precision")
                uses = [c.use for c in spec.columns if c.name in (date, f"{date}_iso", f"{date}_edtf")]
                # An agreement's dates are read from its actions; its date columns are their summary.
                assert uses == [exports.DERIVED if spec.name == "agreements" else exports.READ] * 3


def test_labels_codes_and_names_are_read_generously():
    seed_like()
    rows = [
        ["slug", "name", "kind", "scope", "country_code", "website", "other_names", "member_states"],
        ["x", " Spaced  name ", "STATE", "bilateral", "Switzerland", "example.org", "A;B ; ;C", "1,000"],
    ]
    run_import(Partner, "partners.csv", make_csv(rows))
    partner = Partner.objects.get(slug="x")
    assert (partner.name, partner.kind, partner.scope, partner.country.code) == (
        "Spaced  name",
        "state",
        "bilateral",
        "CH",
    )
    assert (partner.website, partner.other_names, partner.member_states) == ("https://example.org", "A\nB\nC", 1000)
    assert partner.published is False


def test_project_partner_roles_keep_their_notes_and_draft_partners(client):
    seed_like()
    rows = [
        ["slug", "title", "partner_slugs"],
        ["unimig", "Capacity building in migration management", "iom:implementing; iom:funding"],
    ]
    run_import(Project, "projects.csv", make_csv(rows), publisher())
    assert sorted(
        ProjectPartner.objects.filter(project__slug="unimig").values_list("partner__slug", "role", "note")
    ) == [
        ("draft-agency", "beneficiary", "kept"),
        ("iom", "funding", ""),
        ("iom", "implementing", "lead"),
    ]


def test_project_recipient_countries_and_planned_dates_are_read_by_code_or_name(client):
    seed_like()
    rows = [
        ["slug", "title", "recipient_country_codes", "planned_start_iso", "planned_end"],
        ["unimig", "Capacity building in migration management", "ge; Azerbaijan; Türkiye; GE", "2005-10", "June 2008"],
        ["new-one", "A new project", "", "", ""],
        ["bad", "Bad countries", "AZ; Atlantis", "about 2005", ""],
    ]
    plan = plan_of(Project, rows, publisher())
    assert errors(plan) == [
        (
            4,
            "recipient_country_codes",
            "“Atlantis” is not a country: give its ISO 3166-1 alpha-2 code, such as AZ or CH.",
        ),
        (
            4,
            "planned_start_iso",
            "This date may be a year, month, day, half or quarter, but not approximate or uncertain: leave out "
            "“about” and “?”.",
        ),
    ]
    run_import(Project, "projects.csv", make_csv(rows[:3]), publisher())
    unimig = Project.objects.get(slug="unimig")
    assert [country.code for country in unimig.recipient_countries] == ["AZ", "GE", "TR"]
    assert (unimig.planned_start.iso, unimig.planned_end.iso) == ("2005-10", "2008-06")
    assert list(Project.objects.get(slug="new-one").recipient_countries) == []
    # The same countries in another order are no change.
    same = [rows[0], ["unimig", "Capacity building in migration management", "TR; AZ; GE", "2005-10", "June 2008"]]
    assert [row.action for row in plan_of(Project, same, publisher()).rows] == [UNCHANGED]


# Bad values: each an error naming its row and column --------------------------------------------


PARTNER_HEADER = [
    "slug",
    "name",
    "kind",
    "scope",
    "country_code",
    "parent_slug",
    "founded_iso",
    "member_states",
    "website",
    "source_slugs",
]


PARTNER_ROW = ["new", "New partner", "State", "Bilateral", "AZ", "", "2001", "", "", ""]


def partner_row(**cells):
    row = list(PARTNER_ROW)
    for name, value in cells.items():
        row[PARTNER_HEADER.index(name)] = value
    return row


ROW_ERRORS = [
    ({"slug": ""}, "slug", "Every row needs a slug: it says which record the row is."),
    ({"slug": "not a slug"}, "slug", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    ({"slug": "Upper"}, "slug", "Slugs are lower-case: write “upper”."),
    ({"slug": "x" * 121}, "slug", "A slug has at most 120 characters (this one has 121)."),
    ({"name": ""}, "name", "This field cannot be blank."),
    ({"name": "n" * 201}, "name", "Ensure this value has at most 200 characters (it has 201)."),
    (
        {"name": "International Organization for Migration"},
        "name",
        "Another partner, “iom”, already has the name “International Organization for Migration”.",
    ),
    (
        {"kind": "Planet"},
        "kind",
        "“Planet” is not a kind: use one of International organisation, Governing body, "
        "EU body, State, State agency, Dialogue process, Non-governmental organisation, Other.",
    ),
    ({"scope": ""}, "scope", "This field cannot be blank."),
    (
        {"country_code": "XX"},
        "country_code",
        "“XX” is not a country: give its ISO 3166-1 alpha-2 code, such as AZ or CH.",
    ),
    ({"parent_slug": "nobody"}, "parent_slug", "No partner has the slug “nobody”."),
    ({"parent_slug": "new"}, "parent_slug", "A partner cannot be its own parent body."),
    (
        {"founded_iso": "sometime"},
        "founded_iso",
        "“sometime” is not a date this registry understands. Enter a year (1998), a month (2006-08 or "
        "August 2006), a day (1999-12-08 or 8 December 1999), a half or quarter (second half of 2007, Q3 2010), "
        "or an approximate or uncertain date (about 2008, 2007?).",
    ),
    ({"founded_iso": "1999-13"}, "founded_iso", "The month must be between 1 and 12."),
    ({"member_states": "many"}, "member_states", "“many” is not a whole number."),
    ({"member_states": "2.5"}, "member_states", "“2.5” is not a whole number."),
    ({"member_states": "-3"}, "member_states", "Ensure this value is greater than or equal to 0."),
    ({"website": "http://"}, "website", "Enter a valid URL."),
    ({"source_slugs": "sms-report; nothing; none"}, "source_slugs", "No sources have the slugs “nothing”, “none”."),
    ({"source_slugs": "sms-report; sms-report"}, "source_slugs", "“sms-report” is listed twice."),
]


@pytest.mark.parametrize(
    ("cells", "column", "message"), ROW_ERRORS, ids=[e[1] + str(i) for i, e in enumerate(ROW_ERRORS)]
)
def test_every_kind_of_bad_value_is_an_error_naming_the_row_and_column(cells, column, message):
    seed_like()
    plan = plan_of(
        Partner, [PARTNER_HEADER, ["ok", "Fine", "State", "Bilateral", "", "", "", "", "", ""], partner_row(**cells)]
    )
    assert errors(plan) == [(3, column, message)]
    assert [row.action for row in plan.rows] == [CREATE, ERROR]


def test_errors_that_span_rows():
    seed_like()
    rows = [
        PARTNER_HEADER,
        partner_row(slug="one", name="Same name"),
        partner_row(slug="two", name="Same name"),
        partner_row(slug="one", name="Again"),
        partner_row(
            slug="iom",
            name="International Organization for Migration",
            kind="International organisation",
            scope="Multilateral",
            country_code="",
            founded_iso="1951-12-05",
            member_states="175",
            website="https://www.iom.int",
            parent_slug="iom-council",
        ),
    ]
    plan = plan_of(Partner, rows)
    assert errors(plan) == [
        (3, "name", "“Same name” is also the name on row 2."),
        (4, "slug", "“one” is also on row 2: each record may appear only once in a file."),
        (5, "parent_slug", "This would make the partner a parent of itself: iom → iom-council → iom."),
    ]


def test_errors_of_agreements_projects_and_meetings():
    seed_like()
    agreements = plan_of(
        Agreement,
        [
            ["slug", "title", "kind", "party_slugs", "actions"],
            ["a", "No parties", "Other", "", ""],
            ["b", "Backwards", "Other", "iom", "signature | 2001 | party=iom; ratification | 2000 | party=iom"],
            ["c", "Ends before force", "Other", "eu", "signature | 2001; entry-into-force | 2005; termination | 2003"],
            ["d", "Unknown kind", "Other", "eu", "signature | 2001; ratify | 2002"],
            ["e", "Unknown party", "Other", "eu", "approval | 2002 | party=nobody"],
            ["f", "Bad date", "Other", "eu", "approval | 2002-13"],
        ],
    )
    assert errors(agreements) == [
        (2, "party_slugs", "This agreement needs parties: give at least one slug."),
        (3, "actions", "ratification | 2000 | party=iom: Ratification cannot come before the signature (2001)."),
        (4, "actions", "termination | 2003: It cannot end before it entered into force (2005)."),
        (
            5,
            "actions",
            "“ratify” is not a kind of action: use signature, definitive-signature, ratification, acceptance, "
            "approval, accession, succession, provisional-application, entry-into-force, denunciation, termination.",
        ),
        (6, "actions", "No partner has the slug “nobody”."),
        (7, "actions", "The month must be between 1 and 12."),
    ]
    projects = plan_of(
        Project,
        [
            ["slug", "title", "status", "start_iso", "end_iso", "partner_slugs"],
            ["p", "No role", "Ongoing", "", "", "iom"],
            ["q", "Bad role", "Finished", "", "", "iom:sponsor"],
            ["r", "Twice", "", "2008", "2007", "iom:funding; iom:Funding"],
        ],
    )
    assert errors(projects) == [
        (
            2,
            "partner_slugs",
            "“iom” has no role: write slug:role, e.g. iom:implementing (roles: implementing, "
            "funding, beneficiary, other).",
        ),
        (3, "status", "“Finished” is not a status: use one of Planned, Ongoing, Completed, Not known."),
        (3, "partner_slugs", "“sponsor” is not a role: use implementing, funding, beneficiary, other."),
        (4, "end_iso", "A project cannot end before it started."),
        (4, "partner_slugs", "“iom:Funding” is listed twice."),
    ]
    meetings = plan_of(
        Meeting,
        [
            ["slug", "title", "kind", "start_iso", "end_iso", "participant_slugs", "project_slugs"],
            ["m", "Only an end", "Visit", "", "2001", "nobody", "unimig"],
        ],
    )
    assert errors(meetings) == [
        (2, "start_iso", "Give the start date too, or leave both empty."),
        (2, "participant_slugs", "No person has the slug “nobody”."),
    ]
