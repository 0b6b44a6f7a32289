"""The seed dataset and its loader (cooperation/seed/, manage.py load_seed_data)."""

import io
import textwrap

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.core.partial_dates import PartialDate, Precision
from cooperation.models import (
    Agreement,
    AgreementAction,
    Citation,
    Claim,
    Place,
    Project,
    ProjectPartner,
    Source,
    Topic,
)
from cooperation.seed.loader import DEFAULT_SEED_FILE, SeedDataError
from cooperation.seed.services import load_seed
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

RECORD_MODELS = [Source, Topic, Partner, Person, Office, Agreement, Project, Meeting]
ALL_MODELS = [*RECORD_MODELS, Place, Post, ProjectPartner, AgreementAction, Citation, Claim]

EXPECTED_COUNTS = {
    "Source": 5,
    "Topic": 16,
    "Place": 12,
    "Partner": 40,
    "Person": 9,
    "Post": 9,
    "Office": 7,
    "Agreement": 10,
    "AgreementAction": 12,
    "Project": 16,
    "ProjectPartner": 36,
    "Meeting": 46,
    "Citation": 238,
    "Claim": 15,
}


@pytest.fixture
def seeded(db):
    return load_seed(path=DEFAULT_SEED_FILE)


def claims_of(obj, field):
    return sorted(
        (claim.value, claim.source.slug, claim.preferred) for claim in Claim.objects.for_object(obj).filter(field=field)
    )


def write_seed(tmp_path, text):
    path = tmp_path / "seed.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


SMALL_SEED = """
    sources:
      - slug: doc-a
        title: Document A
      - slug: doc-b
        title: Document B
    partners:
      - slug: org
        name: Example Organisation
        acronym: EO
        kind: international-organisation
        scope: multilateral
        founded: "1951"
        member_states: 175
        cite:
          - {source: doc-a, locator: paragraph 1}
        claims:
          - {field: member_states, value: "156", source: doc-a, preferred: false}
          - {field: member_states, value: "175", source: doc-b, preferred: true}
"""


# Counts and idempotence ---------------------------------------------------------------------


def test_load_seed_creates_every_record(seeded):
    counts = {model._meta.object_name: model.objects.count() for model in ALL_MODELS}
    assert counts == EXPECTED_COUNTS
    assert {name: c.get("created", 0) for name, c in seeded.summary().items()} == EXPECTED_COUNTS
    assert all(c.get("updated", 0) == 0 and c.get("deleted", 0) == 0 for c in seeded.summary().values())


def test_load_seed_publishes_every_record(seeded):
    for model in RECORD_MODELS:
        assert not model.objects.filter(published=False).exists(), model


def test_load_seed_second_run_changes_nothing(seeded):
    def snapshot():
        return {
            model._meta.object_name: sorted(
                model.objects.values_list("pk", "updated_at")
                if model in RECORD_MODELS
                else model.objects.values_list("pk", flat=True)
            )
            for model in ALL_MODELS
        }

    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = load_seed(path=DEFAULT_SEED_FILE)
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]

    assert writes == []
    assert not report.changed
    assert {name: c.get("unchanged", 0) for name, c in report.summary().items()} == EXPECTED_COUNTS
    assert snapshot() == before


def test_load_seed_data_command_prints_counts_per_model(db):
    out = io.StringIO()
    call_command("load_seed_data", stdout=out)
    call_command("load_seed_data", stdout=out)
    lines = out.getvalue().splitlines()

    assert "Partner                40        0        0          0      40" in lines
    assert "Meeting                 0        0        0         46      46" in lines
    assert lines[-1] == "Seed data already up to date: nothing changed."


# Known facts, at the precision the sources give --------------------------------------------


def test_seed_iom_agreement_signed_on_a_day_with_both_claims(seeded):
    agreement = Agreement.objects.get(slug="azerbaijan-iom-cooperation-agreement")

    assert str(agreement.signed) == "8 December 1999"
    assert agreement.signed.precision == Precision.DAY
    assert agreement.signed_place == "Baku"
    assert agreement.ratified == PartialDate(2000, 2, 8)
    assert sorted(agreement.parties.values_list("slug", flat=True)) == ["azerbaijan", "iom"]
    assert claims_of(agreement, "signed") == [
        ("8 December 1999", "azerbaijan-and-iom", True),
        ("November 8, 1999", "sms-international-cooperation-2008", False),
    ]


def test_seed_mingachevir_office_opened_in_a_month(seeded):
    office = Office.objects.get(slug="iom-mingachevir")

    assert str(office.opened) == "August 2006"
    assert office.opened.precision == Precision.MONTH
    assert office.partner.slug == "iom"
    assert claims_of(office, "opened") == [
        ("2006", "azerbaijan-and-iom", False),
        ("August 2006", "sms-international-cooperation-2008", True),
    ]


def test_seed_iom_founded_in_a_year_with_member_state_claims(seeded):
    iom = Partner.objects.get(slug="iom")

    assert str(iom.founded) == "1951"
    assert iom.founded.precision == Precision.YEAR
    assert iom.headquarters == "Geneva, Switzerland"
    assert iom.member_states == 175
    assert claims_of(iom, "member_states") == [
        ("156 member states and 11 observer states", "azerbaijan-and-iom", False),
        ("175 member states", "iom-azerbaijan-who-we-are", True),
    ]


def test_seed_brussels_cluster_meeting_spans_two_days(seeded):
    meeting = Meeting.objects.get(slug="cluster-meeting-brussels-2006")

    assert meeting.dates == "10–11 May 2006"
    assert meeting.place == "Brussels, Belgium"
    assert list(meeting.projects.values_list("slug", flat=True)) == ["south-caucasus-eu-cluster-programme"]


def test_seed_undated_meeting_keeps_start_empty(seeded):
    meeting = Meeting.objects.get(slug="swing-official-visit")

    assert meeting.start is None
    assert meeting.dates == ""
    assert sorted(meeting.participants.values_list("slug", flat=True)) == ["ilham-aliyev", "william-lacy-swing"]


def test_seed_unimig_project_topics_and_partners(seeded):
    project = Project.objects.get(slug="unimig")

    assert project.short_title == "UNIMIG"
    assert sorted(project.topics.values_list("slug", flat=True)) == ["capacity-building", "education"]
    assert sorted(project.project_partners.values_list("partner__slug", "role")) == [
        ("azerbaijan", "implementing"),
        ("iom", "implementing"),
    ]


def test_seed_voluntary_return_agreement_in_force(seeded):
    agreement = Agreement.objects.get(slug="sms-iom-voluntary-return-pilot-agreement")

    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.in_force == PartialDate(2017, 3, 2)
    # Approved by presidential decree, which is not a ratification: an action of its own kind.
    approval = agreement.actions.get(kind="approval")
    assert approval.date == PartialDate(2017, 2, 23)
    assert "Decree of the President" in approval.act
    assert not agreement.actions.filter(kind="ratification").exists()
    assert agreement.ratified == PartialDate(2017, 2, 23)  # the column keeps the first consent to be bound
    assert list(agreement.projects.values_list("slug", flat=True)) == ["voluntary-return-pilot-project"]


# Corrections after reading the seed documents again (issue #14, section 6) ---------------------

TOGETHER_WITH_IOM = [
    "solidifying-awareness-on-trafficking-phase-iii",
    "combat-trafficking-capacity-building-phase-iii",
    "safeguarding-rights-of-migrants",
    "unimig",
    "kahriz-rehabilitation",
    "readmission-management",
]


def test_seed_projects_implemented_together_with_iom_have_azerbaijan_implementing(seeded):
    rows = ProjectPartner.objects.filter(project__slug__in=TOGETHER_WITH_IOM, partner__slug="azerbaijan")

    assert sorted(rows.values_list("project__slug", "role")) == sorted(
        (slug, "implementing") for slug in TOGETHER_WITH_IOM
    )
    assert all("together with IOM" in row.note for row in rows)


def test_seed_regional_programme_keeps_its_planned_length_as_text_without_an_end(seeded):
    project = Project.objects.get(slug="south-caucasus-eu-cluster-programme")

    assert project.start == PartialDate(2005, 12)
    assert project.end is None
    # IOM's page (latest event March 2007) reports it as under way.
    assert (project.status, project.status_as_of) == (Project.Status.ONGOING, PartialDate(2007))
    assert "planned to last two years" in " ".join(project.description.split())
    assert "No source gives an end date" in project.description


def test_seed_mieux_status_is_not_known_and_its_funder_not_claimed(seeded):
    project = Project.objects.get(slug="mieux")

    assert project.status == Project.Status.UNKNOWN
    assert not project.project_partners.filter(role="funding").exists()


def test_seed_eu_is_not_recorded_as_funder_of_twinning_or_taiex(seeded):
    for slug in ("eu-twinning", "taiex"):
        rows = Project.objects.get(slug=slug).project_partners
        assert sorted(rows.values_list("partner__slug", "role")) == [("eu", "other"), ("sms", "beneficiary")], slug
        assert "does not say who funds it" in rows.get(partner__slug="eu").note
        assert "pairing" not in Project.objects.get(slug=slug).description


def test_seed_accession_to_the_iom_constitution_is_not_stored_as_a_signature(seeded):
    agreement = Agreement.objects.get(slug="iom-constitution-accession")

    assert agreement.signed is None
    assert agreement.in_force == PartialDate(2001, 6, 7)
    assert [(a.kind, a.date, a.party.slug) for a in agreement.actions.order_by("date")] == [
        ("accession", PartialDate(2000, 12), "azerbaijan"),
        ("entry-into-force", PartialDate(2001, 6, 7), "azerbaijan"),
    ]
    assert "acceded to the IOM Constitution (1953) in December 2000" in " ".join(agreement.legal_summary.split())


def test_seed_states_where_trainings_were_merely_held_are_not_their_partners(seeded):
    trainings = Meeting.objects.filter(kind=Meeting.Kind.TRAINING)

    assert not trainings.filter(partners__slug__in=["austria", "germany", "georgia"]).exists()
    assert Meeting.objects.get(slug="iom-training-austria").title == "Trainings in Austria"
    assert Meeting.objects.get(slug="training-georgia-labour-migration").country == "GE"


def test_seed_european_commission_is_funder_of_the_programme_not_partner_of_its_meetings(seeded):
    slugs = [
        "cluster-meeting-brussels-2006",
        "cluster-meeting-tbilisi-2007",
        "labour-migration-training-workshops-2007",
    ]

    assert not Meeting.objects.filter(slug__in=slugs, partners__slug="european-commission").exists()
    assert (
        Project.objects.get(slug="south-caucasus-eu-cluster-programme")
        .project_partners.filter(partner__slug="european-commission", role="funding")
        .exists()
    )


def test_seed_descriptions_make_no_claims_the_sources_do_not(seeded):
    assert "leads" not in Partner.objects.get(slug="sms").description
    assert "signs the cooperation" not in Partner.objects.get(slug="azerbaijan").description
    assert "founding" not in Agreement.objects.get(slug="azerbaijan-iom-cooperation-agreement").description
    assert "praised" not in Meeting.objects.get(slug="ilham-aliyev-receives-mckinley-2006").description
    assert "The second Migration" not in Office.objects.get(slug="mic-nakhchivan").description


def test_seed_nakhchivan_office_is_in_the_autonomous_republic_not_a_named_city(seeded):
    office = Office.objects.get(slug="iom-nakhchivan")

    assert office.city == ""
    assert "Nakhchivan Autonomous Republic" in " ".join(office.description.split())
    assert Office.objects.get(slug="mic-nakhchivan").city == ""


def test_seed_georgia_cites_iom_page_for_the_tbilisi_meeting(seeded):
    georgia = Partner.objects.get(slug="georgia")

    cited = set(Citation.objects.for_object(georgia).values_list("source__slug", "locator"))
    assert ("iom-azerbaijan-who-we-are", "paragraph 4") in cited
    assert "Tbilisi" in georgia.description


def test_seed_iom_presence_and_international_dialogue_on_migration(seeded):
    iom = Partner.objects.get(slug="iom")
    idm = Partner.objects.get(slug="iom-international-dialogue-on-migration")

    assert "presence in over 100 countries" in " ".join(iom.description.split())
    assert idm.parent == iom
    assert idm.name == "International Dialogue on Migration"
    assert "iom-international-dialogue-on-migration" in Meeting.objects.get(
        slug="idm-global-compact-2017"
    ).partners.values_list("slug", flat=True)


def test_seed_iom_directors_general_have_undated_posts(seeded):
    directors = Post.objects.filter(organisation__slug="iom", title="Director General")

    assert sorted(directors.values_list("person__name", flat=True)) == [
        "António Vitorino",
        "Brunson McKinley",
        "William Lacy Swing",
    ]
    assert not directors.exclude(start=None).exists()
    assert "Haydar Aliyev" in Person.objects.get(slug="heydar-aliyev").other_names.splitlines()


def test_seed_every_record_cites_a_source(seeded):
    for model in RECORD_MODELS:
        if model is Source:
            continue
        for obj in model.objects.all():
            assert Citation.objects.for_object(obj).exists(), f"{model.__name__} {obj.slug} cites no source"


def test_seed_preferred_claims_are_one_per_fact(seeded):
    facts = set(Claim.objects.values_list("content_type", "object_id", "field"))
    preferred = list(Claim.objects.filter(preferred=True).values_list("content_type", "object_id", "field"))

    assert sorted(preferred) == sorted(facts)


# Seed corrections that need the new keys (issue #14, section 6: statuses as of, actions, reasons) -

STATUS_AS_OF = {
    "solidifying-awareness-on-trafficking-phase-iii": 2014,
    "combat-trafficking-capacity-building-phase-iii": 2014,
    "safeguarding-rights-of-migrants": 2014,
    "unimig": 2014,
    "kahriz-rehabilitation": 2014,
    "readmission-management": 2014,
    "migration-and-border-management-capacities": 2017,
    "asylum-systems-quality-initiative": 2017,
    "eu-twinning": 2017,
    "taiex": 2017,
    # The 2023 press release is undated (it names Azerbaijan's 2023-2024 chairmanship of the Almaty
    # Process only): its two projects say "date of report not recorded".
    "regional-training-center-on-migration": None,
    "idp-return-support": None,
    "south-caucasus-eu-cluster-programme": 2007,
}


def test_seed_ongoing_projects_are_reported_as_of_their_sources_latest_event(seeded):
    ongoing = Project.objects.filter(status=Project.Status.ONGOING)

    assert {p.slug: p.status_as_of for p in ongoing} == {
        slug: year and PartialDate(year) for slug, year in STATUS_AS_OF.items()
    }
    assert not Project.objects.exclude(status=Project.Status.ONGOING).exclude(status_as_of=None).exists()


def test_seed_planned_meetings_are_not_reported_as_held(seeded):
    workshops = Meeting.objects.get(slug="labour-migration-training-workshops-2007")
    third = Meeting.objects.get(slug="cluster-meeting-third-planned")

    assert workshops.start == PartialDate.parse("2007-41")
    assert str(workshops.start) == "second half of 2007"
    assert workshops.end is None
    assert (workshops.status, workshops.status_as_of) == (Meeting.Status.PLANNED, PartialDate(2007))
    assert (third.status, third.status_as_of, third.start) == (Meeting.Status.PLANNED, PartialDate(2007), None)
    assert list(third.projects.values_list("slug", flat=True)) == ["south-caucasus-eu-cluster-programme"]
    assert sorted(Meeting.objects.exclude(status=Meeting.Status.HELD).values_list("slug", flat=True)) == [
        "cluster-meeting-third-planned",
        "labour-migration-training-workshops-2007",
    ]


def test_seed_signatures_reported_without_a_date_are_undated_actions(seeded):
    for slug in ("eu-azerbaijan-mobility-partnership", "azerbaijan-icmpd-cooperation-agreement"):
        agreement = Agreement.objects.get(slug=slug)
        assert [(a.kind, a.date, a.place) for a in agreement.actions.all()] == [("signature", None, "")], slug
        assert agreement.signed is None
    memorandum = Agreement.objects.get(slug="regional-training-center-mou")
    assert [(a.kind, a.date, a.place) for a in memorandum.actions.all()] == [("signature", None, "Baku")]
    assert memorandum.signed_place == "Baku"
    assert "inferred" in memorandum.legal_summary


def test_seed_iom_agreement_ratification_is_an_action_of_the_parliaments_state(seeded):
    agreement = Agreement.objects.get(slug="azerbaijan-iom-cooperation-agreement")
    ratification = agreement.actions.get(kind="ratification")

    assert (ratification.date, ratification.party.slug) == (PartialDate(2000, 2, 8), "azerbaijan")
    assert "Parliament of Azerbaijan" in ratification.act
    assert "Ratified by" not in agreement.legal_notes


def test_seed_public_words_beside_the_staff_notes(seeded):
    for source in Source.objects.all():
        assert source.description and source.notes, source.slug
    for agreement in Agreement.objects.exclude(legal_notes=""):
        assert agreement.legal_summary, agreement.slug
    public = [
        *Source.objects.values_list("description", flat=True),
        *Agreement.objects.values_list("legal_summary", flat=True),
        *Claim.objects.values_list("reason", flat=True),
    ]
    for text in public:
        assert not any(words in text.lower() for words in ("staff should", "stored as", "slug", "confirm")), text


def test_seed_claims_give_a_reason_that_follows_because(seeded):
    for claim in Claim.objects.all():
        assert claim.reason, (claim.field, claim.value)
        assert claim.reason[0].islower() or claim.reason.startswith("IOM"), claim.reason
        assert not claim.reason.endswith("."), claim.reason


# Loader rules ------------------------------------------------------------------------------


def test_load_seed_bad_date_names_the_record_and_saves_nothing(db, tmp_path):
    path = write_seed(tmp_path, SMALL_SEED.replace('founded: "1951"', 'founded: "31 February 1951"'))

    with pytest.raises(SeedDataError) as error:
        load_seed(path=path)

    assert "partners “org”" in str(error.value)
    assert "founded" in str(error.value)
    assert Source.objects.count() == 0
    assert Partner.objects.count() == 0


def test_load_seed_invalid_choice_names_the_record(db, tmp_path):
    path = write_seed(tmp_path, SMALL_SEED.replace("kind: international-organisation", "kind: club"))

    with pytest.raises(SeedDataError, match="partners “org”: kind: Value 'club' is not a valid choice."):
        load_seed(path=path)


def test_load_seed_unknown_slug_names_the_record(db, tmp_path):
    path = write_seed(tmp_path, SMALL_SEED.replace("{source: doc-a, locator: paragraph 1}", "{source: doc-z}"))

    with pytest.raises(SeedDataError, match="partners “org”: cite: no sources record with slug “doc-z”"):
        load_seed(path=path)


def test_load_seed_record_without_citation_fails(db, tmp_path):
    path = write_seed(tmp_path, SMALL_SEED.replace("          - {source: doc-a, locator: paragraph 1}\n", ""))

    with pytest.raises(SeedDataError, match="partners “org”: cite at least one source"):
        load_seed(path=path)


def test_load_seed_command_reports_bad_file(db, tmp_path):
    path = write_seed(tmp_path, SMALL_SEED.replace('founded: "1951"', 'founded: "sometime"'))

    with pytest.raises(CommandError, match="Nothing was loaded. partners “org”: founded:"):
        call_command("load_seed_data", file=str(path), stdout=io.StringIO())


def test_load_seed_names_the_user_it_is_given_in_the_history(django_user_model, tmp_path):
    editor = django_user_model.objects.create_user("editor")

    load_seed(path=write_seed(tmp_path, SMALL_SEED), user=editor)

    row = Partner.objects.get(slug="org").history.get()
    assert (row.history_user, row.history_change_reason) == (editor, "seed loader")


def test_load_seed_changed_file_updates_only_what_changed(db, tmp_path):
    load_seed(path=write_seed(tmp_path, SMALL_SEED))
    source_stamp = Source.objects.get(slug="doc-a").updated_at
    partner = Partner.objects.get(slug="org")

    changed = (
        SMALL_SEED.replace("member_states: 175", "member_states: 156")
        .replace("preferred: false}", "preferred: true}", 1)
        .replace("source: doc-b, preferred: true}", "source: doc-b, preferred: false}")
        .replace("locator: paragraph 1}", "locator: paragraph 2}")
    )
    report = load_seed(path=write_seed(tmp_path, changed))
    partner.refresh_from_db()

    assert partner.member_states == 156
    assert claims_of(partner, "member_states") == [("156", "doc-a", True), ("175", "doc-b", False)]
    assert list(Citation.objects.for_object(partner).values_list("locator", flat=True)) == ["paragraph 2"]
    assert report.summary()["Partner"] == {"updated": 1}
    assert report.summary()["Source"] == {"unchanged": 2}
    assert report.summary()["Claim"] == {"updated": 2}
    assert report.summary()["Citation"] == {"created": 1, "deleted": 1}
    assert Source.objects.get(slug="doc-a").updated_at == source_stamp


PUBLIC_WORDS_SEED = """
    sources:
      - slug: doc-a
        title: Document A
        description: The agency's page on its partners.
        notes: No URL was kept with the copy.
      - slug: doc-b
        title: Document B
    agreements:
      - slug: pact
        title: Example pact
        kind: cooperation-agreement
        signed: "1999-12-08"
        legal_summary: Approved by decree.
        legal_notes: Stored as the ratification date.
        cite: [{source: doc-a}]
        claims:
          - field: signed
            value: 8 December 1999
            source: doc-a
            preferred: true
            reason: >-
              the page is devoted to
              these relations
            note: Staff should confirm it.
          - {field: signed, value: "November 8, 1999", source: doc-b}
"""


def test_load_seed_reads_the_public_words_beside_the_staff_notes(db, tmp_path):
    load_seed(path=write_seed(tmp_path, PUBLIC_WORDS_SEED))

    source = Source.objects.get(slug="doc-a")
    agreement = Agreement.objects.get(slug="pact")
    claim = Claim.objects.get(preferred=True)
    assert (source.description, source.notes) == (
        "The agency's page on its partners.",
        "No URL was kept with the copy.",
    )
    assert (agreement.legal_summary, agreement.legal_notes) == (
        "Approved by decree.",
        "Stored as the ratification date.",
    )
    assert (claim.reason, claim.note) == ("the page is devoted to these relations", "Staff should confirm it.")


CHILD_FIRST_SEED = """
    sources:
      - slug: doc-a
        title: Document A
    partners:
      - slug: council
        name: Example Council
        kind: governing-body
        scope: multilateral
        parent: org
        cite: [{source: doc-a}]
      - slug: org
        name: Example Organisation
        kind: international-organisation
        scope: multilateral
        cite: [{source: doc-a}]
"""


def test_load_seed_parent_listed_after_child(db, tmp_path):
    load_seed(path=write_seed(tmp_path, CHILD_FIRST_SEED))

    assert Partner.objects.get(slug="council").parent.slug == "org"


def test_load_seed_parent_loop_fails(db, tmp_path):
    looped = CHILD_FIRST_SEED.replace(
        "kind: international-organisation\n", "kind: international-organisation\n        parent: council\n"
    )

    with pytest.raises(SeedDataError, match="chain loops back to itself"):
        load_seed(path=write_seed(tmp_path, looped))
    assert Partner.objects.count() == 0


# Agreement actions -------------------------------------------------------------------------

ACTIONS_SEED = """
    sources:
      - slug: doc-a
        title: Document A
    partners:
      - slug: az
        name: Republic of Azerbaijan
        kind: state
        scope: bilateral
        cite: [{source: doc-a}]
      - slug: org
        name: Example Organisation
        kind: international-organisation
        scope: multilateral
        cite: [{source: doc-a}]
    agreements:
      - slug: return
        title: Voluntary return agreement
        kind: cooperation-agreement
        parties: [az, org]
        cite: [{source: doc-a}]
        actions:
          - {kind: signature, date: "2016-12-08", place: Geneva}
          - kind: approval
            date: "2017-02-23"
            party: az
            act: Presidential Decree of 23 February 2017
            note: The decree approves the agreement.
            cite: [{source: doc-a, locator: paragraph 4}]
          - {kind: entry-into-force, date: "2017-03-02"}
      - slug: old-keys
        title: Agreement given with the old keys
        kind: cooperation-agreement
        parties: [az, org]
        cite: [{source: doc-a}]
        signed: "1999-12-08"
        signed_place: Baku
        ratified: "2000-02-08"
        in_force: "2000-03"
        ended: "2010"
"""


def test_load_seed_reads_an_agreements_actions_with_party_act_and_sources(db, tmp_path):
    load_seed(path=write_seed(tmp_path, ACTIONS_SEED))

    agreement = Agreement.objects.get(slug="return")
    actions = [(a.kind, a.date, a.party and a.party.slug, a.place, a.act) for a in agreement.actions.order_by("date")]
    assert actions == [
        ("signature", PartialDate(2016, 12, 8), None, "Geneva", ""),
        ("approval", PartialDate(2017, 2, 23), "az", "", "Presidential Decree of 23 February 2017"),
        ("entry-into-force", PartialDate(2017, 3, 2), None, "", ""),
    ]
    approval = agreement.actions.get(kind="approval")
    assert list(Citation.objects.for_object(approval).values_list("source__slug", "locator")) == [
        ("doc-a", "paragraph 4")
    ]
    assert (agreement.signed, agreement.signed_place, agreement.ratified, agreement.in_force) == (
        PartialDate(2016, 12, 8),
        "Geneva",
        PartialDate(2017, 2, 23),
        PartialDate(2017, 3, 2),
    )
    assert agreement.status == Agreement.Status.IN_FORCE


def test_load_seed_turns_the_old_date_keys_into_actions(db, tmp_path):
    load_seed(path=write_seed(tmp_path, ACTIONS_SEED))

    agreement = Agreement.objects.get(slug="old-keys")
    assert [(a.kind, str(a.date), a.place, a.party_id) for a in agreement.actions.order_by("date")] == [
        ("signature", "8 December 1999", "Baku", None),
        ("ratification", "8 February 2000", "", None),
        ("entry-into-force", "March 2000", "", None),
        ("termination", "2010", "", None),
    ]
    assert agreement.status == Agreement.Status.ENDED


def test_load_seed_actions_second_run_changes_nothing_and_a_changed_date_updates_the_action(db, tmp_path):
    load_seed(path=write_seed(tmp_path, ACTIONS_SEED))
    approval = AgreementAction.objects.get(kind="approval")

    again = load_seed(path=write_seed(tmp_path, ACTIONS_SEED))
    assert not again.changed and again.summary()["AgreementAction"] == {"unchanged": 7}

    changed = load_seed(path=write_seed(tmp_path, ACTIONS_SEED.replace('date: "2017-02-23"', 'date: "2017-02"')))
    assert changed.summary()["AgreementAction"] == {"updated": 1, "unchanged": 6}
    approval.refresh_from_db()
    assert approval.date == PartialDate(2017, 2)
    assert Agreement.objects.get(slug="return").ratified == PartialDate(2017, 2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("kind: approval", "agreements “return”: actions: “ratify” is not a kind of action"),
        ("party: az", "agreements “return”: actions: no partners record with slug “nobody”"),
        (
            'date: "2017-02-23"',
            "agreements “return”: actions: Approval by Republic of Azerbaijan, 2015: date: "
            "Approval cannot come before the signature (8 December 2016).",
        ),
        ("act: Presidential", "agreements “return”: actions: unknown key"),
    ],
)
def test_load_seed_bad_action_names_the_agreement(db, tmp_path, change, message):
    bad = {
        "kind: approval": "kind: ratify",
        "party: az": "party: nobody",
        'date: "2017-02-23"': 'date: "2015"',
        "act: Presidential": "deed: Presidential",
    }[change]
    path = write_seed(tmp_path, ACTIONS_SEED.replace(change, bad, 1))

    with pytest.raises(SeedDataError) as error:
        load_seed(path=path)

    assert message in str(error.value)
    assert not Agreement.objects.exists()


def test_load_seed_refuses_a_date_given_both_as_an_old_key_and_as_an_action(db, tmp_path):
    both = ACTIONS_SEED.replace(
        '        signed: "1999-12-08"\n',
        '        signed: "1999-12-08"\n        actions: [{kind: signature, date: "1999"}]\n',
    )

    with pytest.raises(SeedDataError, match="old-keys”: signed: give the signature once"):
        load_seed(path=write_seed(tmp_path, both))


def test_seed_voluntary_return_agreement_keeps_its_dates_as_actions(seeded):
    agreement = Agreement.objects.get(slug="sms-iom-voluntary-return-pilot-agreement")

    actions = agreement.actions.order_by("date").select_related("party")
    assert [(a.kind, str(a.date), a.party and a.party.slug, a.place) for a in actions] == [
        ("signature", "8 December 2016", None, "Geneva"),
        ("approval", "23 February 2017", "sms", ""),
        ("entry-into-force", "2 March 2017", None, ""),
    ]
    assert "Decree of the President" in agreement.actions.get(kind="approval").act
    for action in actions:
        cited = list(Citation.objects.for_object(action).values_list("source__slug", "locator"))
        assert cited == [("sms-international-cooperation-2017", "paragraph 4")], action.kind


# Statuses reported as of a date -----------------------------------------------------------------

STATUS_SEED = (
    SMALL_SEED
    + """
    projects:
      - slug: unimig
        title: UNIMIG
        start: 2014
        status: ongoing
        status_as_of: 2017
        cite: [{source: doc-a}]
      - slug: awareness
        title: Awareness raising
        start: 2012-03
        status: ongoing
        cite: [{source: doc-a}]
    meetings:
      - slug: workshops
        title: Labour migration workshops
        kind: training
        start: 2007-07
        end: 2007-12
        status: planned
        status_as_of: February 2007
        cite: [{source: doc-b}]
      - slug: cluster
        title: Cluster meeting
        kind: working-group
        start: 2006-05-10
        cite: [{source: doc-b}]
"""
)


def test_load_seed_reads_status_as_of_on_projects_and_status_on_meetings(db, tmp_path):
    load_seed(path=write_seed(tmp_path, STATUS_SEED))

    unimig, awareness = Project.objects.get(slug="unimig"), Project.objects.get(slug="awareness")
    assert (unimig.status, unimig.status_as_of) == ("ongoing", PartialDate(2017))
    assert awareness.status_as_of is None
    workshops, cluster = Meeting.objects.get(slug="workshops"), Meeting.objects.get(slug="cluster")
    assert (workshops.status, workshops.status_as_of) == ("planned", PartialDate(2007, 2))
    assert (cluster.status, cluster.status_as_of) == ("held", None)


def test_load_seed_bad_status_as_of_names_the_record(db, tmp_path):
    path = write_seed(tmp_path, STATUS_SEED.replace("status_as_of: 2017", "status_as_of: someday"))

    with pytest.raises(SeedDataError, match="projects “unimig”: status_as_of"):
        load_seed(path=path)
