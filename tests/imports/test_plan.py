"""Planning an import and carrying it out: what a plan says (each row's action and changes), the
dry run, all or nothing, errors of the header and of rows, who may import what, and the history
each imported row leaves (cooperation/imports/plan.py)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from cooperation.imports import CREATE, ERROR, UNCHANGED, UPDATE, ImportRefused, apply_import, plan_import, read_table
from cooperation.models import Agreement
from events.models import Meeting
from partners.models import Partner
from tests import factories as f
from tests.helpers.imports import LISTS, errors, make_csv, plan_of, run_import, seed_like, snapshot
from tests.helpers.users import editor, publisher

pytestmark = pytest.mark.django_db


# What a plan says -------------------------------------------------------------------------------


def test_a_plan_lists_each_row_with_its_action_and_changes_old_to_new():
    seed_like()
    rows = [
        ["slug", "title", "kind", "party_slugs", "topic_slugs", "actions", "source_slugs"],
        ["readmission-2014", "Readmission agreement", "Readmission agreement", "eu", "", "signature | 2013-12", ""],
        ["readmission-2014-protocol", "Protocol", "Other", "eu; iom", "asylum", "Signature | 2014", ""],
        [
            "cooperation-1999",
            "New title",
            "cooperation-agreement",
            "iom; eu",
            "",
            "signature | 1999-12 | place=Baku; ratification | 2000; entry-into-force | 2000-05",
            "iom-page",
        ],
    ]
    plan = plan_of(Agreement, rows)
    assert [(row.number, row.slug, row.action) for row in plan.rows] == [
        (2, "readmission-2014", UNCHANGED),
        (3, "readmission-2014-protocol", CREATE),
        (4, "cooperation-1999", UPDATE),
    ]
    assert [(change.column, change.summary) for change in plan.rows[1].changes] == [
        ("title", "“Protocol”"),
        ("kind", "Other"),
        ("party_slugs", "+ eu; + iom"),
        ("topic_slugs", "+ asylum"),
        ("actions", "+ signature | 2014"),
    ]
    assert [(change.column, change.summary) for change in plan.rows[2].changes] == [
        ("title", '“Agreement on cooperation, with quotes "and" commas” → “New title”'),
        ("kind", "Memorandum of understanding → Cooperation agreement"),
        ("party_slugs", "+ eu"),  # the draft party stays, and is not shown as removed
        ("topic_slugs", "− asylum"),
        # The draft party's accession stays, and is not shown as removed.
        (
            "actions",
            "+ signature | 1999-12 | place=Baku; "
            "− approval | 2000-02 | party=iom | act=Decree No. 1\\; art. 2\\|3 | note=Two\\nlines; "
            "− signature | 1999-12-08 | place=Baku",
        ),
        ("source_slugs", "+ iom-page; − sms-report"),
    ]
    assert plan.counts == {CREATE: 1, UPDATE: 1, UNCHANGED: 1, ERROR: 0}
    assert plan.ignored_columns == []


def test_derived_columns_are_listed_as_ignored_and_do_not_change_anything():
    seed_like()
    rows = [
        ["slug", "name", "kind", "scope", "country", "url"],
        ["turkiye", "Republic of Türkiye", "State", "Bilateral", "Atlantis", "http://elsewhere/"],
    ]
    plan = plan_of(Partner, rows)
    assert plan.ignored_columns == ["country", "url"]
    assert [row.action for row in plan.rows] == [UNCHANGED]


def test_a_dry_run_writes_nothing(client, django_assert_num_queries):
    seed_like()
    before = {model: snapshot(model) for model in LISTS.values()}
    entries, history = LogEntry.objects.count(), Partner.history.count()
    rows = [
        ["slug", "name", "kind", "scope", "parent_slug"],
        ["brand-new", "Brand new", "State", "Bilateral", "iom"],
        ["iom", "Changed name", "State", "Bilateral", ""],
    ]
    plan = plan_of(Partner, rows, publisher())
    assert [row.action for row in plan.rows] == [CREATE, UPDATE]
    assert {model: snapshot(model) for model in LISTS.values()} == before
    assert (LogEntry.objects.count(), Partner.history.count()) == (entries, history)


def test_planning_costs_the_same_queries_for_one_row_and_for_thirty(django_assert_num_queries):
    seed_like()
    existing = [meeting.slug for meeting in f.MeetingFactory.create_batch(15)]
    header = [
        "slug",
        "title",
        "kind",
        "start_iso",
        "country_code",
        "partner_slugs",
        "participant_slugs",
        "agreement_slugs",
        "project_slugs",
        "source_slugs",
    ]

    def table(slugs):
        rows = [
            [
                slug,
                f"Meeting {slug}",
                "Visit",
                "2001-05",
                "AZ",
                "iom; eu",
                "director",
                "cooperation-1999",
                "unimig",
                "sms-report",
            ]
            for slug in slugs
        ]
        return read_table("meetings.csv", make_csv([header, *rows]))

    one, thirty = table(existing[:1]), table([*existing, *(f"new-{n}" for n in range(15))])
    ContentType.objects.get_for_model(Meeting)  # cached for the process, as in a running server
    # The records by slug; the partners, people, agreements, projects and sources the slug
    # columns name; the current links of each relation column (partners, participants,
    # agreements, projects, citations): the same queries whatever the number of rows.
    with django_assert_num_queries(11):
        assert plan_import(Meeting, one).counts == {CREATE: 0, UPDATE: 1, UNCHANGED: 0, ERROR: 0}
    with django_assert_num_queries(11):
        assert plan_import(Meeting, thirty).counts == {CREATE: 15, UPDATE: 15, UNCHANGED: 0, ERROR: 0}


def test_a_file_may_create_a_partner_and_its_parent_in_any_order():
    rows = [
        ["slug", "name", "kind", "scope", "parent_slug"],
        ["child", "Child agency", "State agency", "Bilateral", "parent"],
        ["parent", "Parent state", "State", "Bilateral", ""],
    ]
    run_import(Partner, "partners.csv", make_csv(rows), publisher())
    assert Partner.objects.get(slug="child").parent == Partner.objects.get(slug="parent")


def test_a_blank_row_keeps_the_numbering_of_the_rows_after_it():
    rows = [
        ["slug", "name", "kind", "scope"],
        ["a", "A", "State", "Bilateral"],
        [],
        ["", "", "", ""],
        ["b", "B", "Nowhere", "Bilateral"],
    ]
    plan = plan_of(Partner, rows)
    assert [(row.number, row.action) for row in plan.rows] == [(2, CREATE), (5, ERROR)]


def test_each_imported_row_leaves_one_history_version_holding_its_links():
    seed_like()
    user = publisher()
    rows = [
        ["slug", "title", "kind", "partner_slugs", "participant_slugs", "agreement_slugs", "source_slugs"],
        ["new-meeting", "New", "Visit", "iom; eu", "director", "cooperation-1999", "sms-report"],
        ["visit-2000", "Visit", "Visit", "eu", "director", "", ""],
    ]
    visit = Meeting.objects.get(slug="visit-2000")
    versions_before = visit.history.count()

    run_import(Meeting, "meetings.csv", make_csv(rows), user)

    created = Meeting.objects.get(slug="new-meeting")
    (version,) = created.history.all()
    assert (version.history_type, version.history_user, version.history_change_reason) == (
        "+",
        user,
        "Imported from meetings.csv",
    )
    assert sorted(link.partner.slug for link in version.partners.all()) == ["eu", "iom"]
    assert [link.person.slug for link in version.participants.all()] == ["director"]
    assert [link.agreement.slug for link in version.agreements.all()] == ["cooperation-1999"]
    assert visit.history.count() == versions_before + 1
    latest = visit.history.latest()
    assert (latest.history_type, [link.partner.slug for link in latest.partners.all()]) == ("~", ["eu"])
    assert [link.person.slug for link in latest.participants.all()] == ["director"]


# Errors: one bad row saves nothing --------------------------------------------------------------


def test_one_bad_row_saves_nothing_and_the_error_names_row_column_and_problem():
    seed_like()
    before = snapshot(Partner)
    rows = [
        ["slug", "name", "kind", "scope", "founded_iso"],
        ["good-one", "Good one", "State", "Bilateral", "2001"],
        ["iom", "Renamed IOM", "International organisation", "Multilateral", ""],
        ["bad-one", "Bad one", "State", "Bilateral", "2019-02-30"],
    ]
    plan = plan_of(Partner, rows, publisher())
    assert [row.action for row in plan.rows] == [CREATE, UPDATE, ERROR]
    assert errors(plan) == [(4, "founded_iso", "February 2019 has no day 30.")]
    assert str(plan.errors[0]) == "row 4, column founded_iso: February 2019 has no day 30."
    with pytest.raises(ValueError):
        apply_import(plan=plan)
    assert snapshot(Partner) == before


def test_a_direction_control_or_control_character_is_an_error_naming_row_and_column_and_nothing_is_saved():
    seed_like()
    before = snapshot(Partner)
    rows = [
        ["slug", "name", "kind", "scope", "headquarters", "other_names", "description"],
        ["good-one", "Good one", "State", "Bilateral", "", "", "Line one\n\tLine two"],
        ["iom", "IOM\u202e", "International organisation", "Multilateral", "", "", ""],
        ["bad-one", "Bad one", "State", "Bilateral", "Baku\x1b", "A; B\u2067", "Line\u200f one"],
    ]
    plan = plan_of(Partner, rows, publisher())
    assert [row.action for row in plan.rows] == [CREATE, ERROR, ERROR]
    direction = (
        "Remove the invisible direction control {} (character {}): it makes text display in another order "
        "than it is written. Right-to-left text such as Arabic displays correctly without it."
    )
    assert errors(plan) == [
        (3, "name", direction.format("U+202E RIGHT-TO-LEFT OVERRIDE", 4)),
        (4, "headquarters", "Remove the invisible control character U+001B (character 5): text never needs it."),
        (4, "other_names", direction.format("U+2067 RIGHT-TO-LEFT ISOLATE", 4)),
        (4, "description", direction.format("U+200F RIGHT-TO-LEFT MARK", 5)),
    ]
    with pytest.raises(ValueError):
        apply_import(plan=plan)
    assert snapshot(Partner) == before


def test_a_row_the_database_refuses_while_saving_rolls_back_the_rows_before_it():
    seed_like()
    before = snapshot(Partner)
    rows = [
        ["slug", "name", "kind", "scope"],
        ["first", "First", "State", "Bilateral"],
        ["second", "Second", "State", "Bilateral"],
    ]
    plan = plan_of(Partner, rows, publisher())
    assert not plan.has_errors
    someone_else = f.PartnerFactory(slug="someone-else", name="Second")  # between the preview and the save
    with pytest.raises(ImportRefused, match="nothing was saved"):
        apply_import(plan=plan, user=publisher())
    assert snapshot(Partner) == {**before, "someone-else": snapshot(Partner)["someone-else"]}
    assert not Partner.objects.filter(slug__in=["first", "second"]).exists()
    assert someone_else.name == "Second"


HEADER_ERRORS = [
    (
        ["slug", "name", "kind", "scope", "colour"],
        (
            None,
            "colour",
            "Unknown column “colour”. The partners import reads "
            "slug, name, name_az, name_ru, acronym, acronym_az, acronym_ru, kind, scope, country_code, headquarters, "
            "headquarters_az, headquarters_ru, parent_slug, founded, founded_iso, founded_edtf, member_states, "
            "website, other_names, description, description_az, description_ru, source_slugs.",
        ),
    ),
    (["slug", "name", "kind"], (None, "scope", "The file has no “scope” column; every partners import needs one.")),
    (["name", "kind", "scope"], (None, "slug", "The file has no “slug” column; every partners import needs one.")),
    (["slug", "name", "kind", "scope", "Name"], (None, "name", "The column “name” appears twice (columns 2 and 5).")),
    (
        ["slug", "", "name", "kind", "scope"],
        (None, "column 2", "This column has no name in row 1 but holds values (row 2). Name it, or delete the column."),
    ),
]


@pytest.mark.parametrize(("header", "error"), HEADER_ERRORS)
def test_unknown_missing_repeated_and_unnamed_columns_are_errors_naming_the_column(header, error):
    plan = plan_of(Partner, [header, ["a", "A", "State", "Bilateral", "x"][: len(header)]])
    assert errors(plan) == [error]
    assert plan.rows == []


def test_headers_are_read_without_case_or_spaces_and_empty_trailing_columns_are_ignored():
    plan = plan_of(Partner, [[" Slug", "NAME ", "kind", "scope", "", ""], ["a", "A", "State", "Bilateral", "", ""]])
    assert errors(plan) == []


def test_a_csv_row_with_cells_missing_or_extra_is_an_error():
    plan = plan_of(
        Partner, [["slug", "name", "kind", "scope"], ["a", "A", "State"], ["b", "B", "State", "Bilateral", "", "extra"]]
    )
    assert errors(plan) == [
        (2, "", "This row has 3 cells but row 1 names 4 columns: a separator or a quote is probably missing."),
        (3, "column 6", "This row has a value in column 6, but row 1 names only 4 columns."),
    ]


# Who may import what ----------------------------------------------------------------------------


def test_an_editor_may_create_drafts_and_change_drafts_but_not_published_records():
    seed_like()
    Partner.objects.filter(slug="turkiye").update(published=False)
    rows = [
        ["slug", "name", "kind", "scope", "acronym"],
        ["new-state", "New State", "State", "Bilateral", ""],
        ["turkiye", "Republic of Türkiye", "State", "Bilateral", "TR"],  # a draft: may change
        ["iom", "International Organization for Migration", "International organisation", "Multilateral", "IOM"],
        ["eu", "European Union", "EU body", "Multilateral", "E.U."],  # published: may not change
    ]
    plan = plan_of(Partner, rows, editor())
    assert [row.action for row in plan.rows] == [CREATE, UPDATE, UNCHANGED, ERROR]
    assert errors(plan) == [
        (
            5,
            "",
            "This partner is published: only staff who may publish partners can change it. Leave the row as it "
            "is, or ask a publisher.",
        ),
    ]
    publishers_plan = plan_of(Partner, rows, publisher())
    assert [row.action for row in publishers_plan.rows] == [CREATE, UPDATE, UNCHANGED, UPDATE]


def test_a_user_with_only_the_publish_permission_of_another_model_is_still_an_editor_here():
    seed_like()
    user = editor()
    user.user_permissions.add(Permission.objects.get(codename="publish_meeting"))
    plan = plan_of(Partner, [["slug", "name", "kind", "scope"], ["eu", "EU", "EU body", "Multilateral"]], user)
    assert [row.action for row in plan.rows] == [ERROR]
