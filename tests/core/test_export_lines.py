"""CSV lines kept in the database (cooperation/core/export_lines.py): the projects' CSV read from
its stored lines is byte for byte the CSV made from the records, before and after every kind of
change to what a line shows; a line made while something was written is not kept."""

import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.core import export_lines, versions
from cooperation.core.models import ExportLine
from cooperation.core.partial_dates import PartialDate
from cooperation.exports import PROJECTS
from cooperation.models import Budget, Citation, Project, ProjectPartner, TransactionTotal
from cooperation.views import ProjectListView
from tests import factories as f
from tests.helpers.exports import streamed_body

pytestmark = pytest.mark.django_db

PATHS = [
    "/projects/?format=csv",
    "/projects/?format=csv&sort=title",
    "/az/projects/?format=csv&topic=borders&sort=title",
]


@pytest.fixture
def made(client):
    """The CSV of ``path`` made from the records, as every export was before lines were stored."""

    def get(path):
        stored = PROJECTS.stored
        object.__setattr__(PROJECTS, "stored", None)
        try:
            return streamed_body(client.get(path))
        finally:
            object.__setattr__(PROJECTS, "stored", stored)

    return get


@pytest.fixture
def world():
    """Projects with everything a line shows: partners with roles, topics, agreements, budgets,
    transactions, sources; text a CSV must quote, a formula trigger, translations, open dates."""
    iom, eu = f.PartnerFactory(name="IOM", slug="iom"), f.PartnerFactory(name='EU "Delegation"', slug="eu")
    asylum, borders = f.TopicFactory(name="Asylum", slug="asylum"), f.TopicFactory(name="Borders", slug="borders")
    agreement = f.AgreementFactory(title="Cooperation Agreement, 1999", slug="agreement")
    source = f.SourceFactory(title="Annual report; 2015", slug="report")
    projects = [
        f.ProjectFactory(
            slug=f"project-{n}",
            title=f"Project {n}, with a comma" if n % 2 else f"=Project {n}\nover two lines",
            title_az=f"Layihə {n}" if n % 3 == 0 else "",
            start=PartialDate(2010 + n),
            end=PartialDate(2012 + n, 6) if n % 2 else None,
            status=Project.Status.ONGOING if n % 2 else Project.Status.COMPLETED,
            topics=[asylum] if n % 2 else [asylum, borders],
        )
        for n in range(6)
    ]
    for n, project in enumerate(projects):
        f.ProjectPartnerFactory(project=project, partner=iom)
        if n % 2:
            f.ProjectPartnerFactory(project=project, partner=eu, role=ProjectPartner.Role.FUNDING)
            project.agreements.add(agreement)
            f.BudgetFactory(project=project, amount=Decimal(1000 * n))
            f.TransactionTotalFactory(project=project, amount=Decimal(10 * n))
            f.CitationFactory(content_object=project, source=source)
    return {
        "projects": projects,
        "iom": iom,
        "eu": eu,
        "asylum": asylum,
        "borders": borders,
        "agreement": agreement,
        "source": source,
    }


@pytest.mark.parametrize("path", PATHS)
def test_the_csv_from_stored_lines_is_the_csv_made_from_the_records(client, made, world, path):
    expected = made(path)
    first = streamed_body(client.get(path))  # makes the lines and keeps them
    assert ExportLine.objects.exists()
    second = streamed_body(client.get(path))  # reads them
    assert first == expected
    assert second == expected
    assert b'"\'=Project 0\nover two lines"' in expected  # a formula trigger quoted, a line break kept


@pytest.mark.parametrize("chunk_size", [1, 2, 4])
def test_lines_kept_chunk_by_chunk_while_the_rows_are_read_are_the_lines_made(
    client, made, world, monkeypatch, chunk_size
):
    monkeypatch.setattr(ProjectListView, "export_chunk_size", chunk_size)
    expected = made("/projects/?format=csv&sort=title")
    ExportLine.objects.filter(record_id=world["projects"][2].pk).delete()
    assert streamed_body(client.get("/projects/?format=csv&sort=title")) == expected  # some lines kept, some made
    assert streamed_body(client.get("/projects/?format=csv")) == made("/projects/?format=csv")
    assert ExportLine.objects.count() == len(world["projects"])
    assert streamed_body(client.get("/projects/?format=csv&sort=title")) == expected


def test_every_published_project_gets_its_line_and_an_export_that_has_them_reads_no_relation(client, world):
    streamed_body(client.get("/projects/?format=csv"))
    assert set(ExportLine.objects.values_list("record_id", flat=True)) == {p.pk for p in world["projects"]}
    with CaptureQueriesContext(connection) as queries:
        body = streamed_body(client.get("/projects/?format=csv"))
    read = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("projectpartner", "budget", "transactiontotal", "citation", "project_topics"):
        assert table not in read  # no line made again
    assert body.count(b"/projects/project-") == len(world["projects"])


def test_the_address_column_is_the_requests_own_host(client, world):
    streamed_body(client.get("/projects/?format=csv"))
    other = streamed_body(client.get("/projects/?format=csv", HTTP_HOST="localhost"))
    assert b"//localhost/projects/project-1/" in other
    assert b"//testserver/" not in other


def _rename_partner(world):
    world["eu"].name, world["eu"].acronym = "European Union", "EU"
    world["eu"].save()


def _unpublish_partner(world):
    world["eu"].published = False
    world["eu"].save()


def _change_role(world):
    role = ProjectPartner.objects.filter(partner=world["eu"]).first()
    role.role = ProjectPartner.Role.BENEFICIARY
    role.save()


def _move_role(world):
    role = ProjectPartner.objects.filter(partner=world["eu"], project=world["projects"][1]).get()
    role.project = world["projects"][0]
    role.save()


def _delete_role(world):
    ProjectPartner.objects.filter(partner=world["eu"], project=world["projects"][1]).delete()


def _link_partner(world):
    world["projects"][0].partners.add(world["eu"], through_defaults={"role": ProjectPartner.Role.OTHER})


def _unlink_partner_from_its_side(world):
    world["eu"].projects.remove(world["projects"][3])


def _rename_topic(world):
    world["borders"].name = "Border management"
    world["borders"].save()


def _unpublish_topic(world):
    world["asylum"].published = False
    world["asylum"].save()


def _add_topic(world):
    world["projects"][1].topics.add(world["borders"])


def _remove_topic_from_its_side(world):
    world["asylum"].projects.remove(world["projects"][2])


def _clear_topic_from_its_side(world):
    world["asylum"].projects.clear()


def _clear_topics_of_a_project(world):
    world["projects"][0].topics.clear()


def _rename_agreement(world):
    world["agreement"].short_title = "CA 1999"
    world["agreement"].save()


def _link_agreement(world):
    world["agreement"].projects.add(world["projects"][0])


def _unpublish_agreement(world):
    world["agreement"].published = False
    world["agreement"].save()


def _add_budget(world):
    f.BudgetFactory(project=world["projects"][0], amount=Decimal("123.45"), currency="USD")


def _change_budget(world):
    budget = Budget.objects.filter(project=world["projects"][1]).get()
    budget.amount = Decimal("999.99")
    budget.save()


def _move_budget(world):
    budget = Budget.objects.filter(project=world["projects"][1]).get()
    budget.project = world["projects"][0]
    budget.save()


def _delete_transactions(world):
    TransactionTotal.objects.filter(project=world["projects"][3]).delete()


def _add_transaction(world):
    f.TransactionTotalFactory(project=world["projects"][2], year=2021, amount=Decimal("1.00"))


def _cite(world):
    f.CitationFactory(content_object=world["projects"][0], source=world["source"])


def _move_citation(world):
    citation = Citation.objects.filter(object_id=world["projects"][1].pk).get()
    citation.object_id = world["projects"][2].pk
    citation.save()


def _rename_source(world):
    world["source"].title = "Annual report, revised"
    world["source"].save()


def _unpublish_source(world):
    world["source"].published = False
    world["source"].save()


def _edit_project(world):
    project = world["projects"][2]
    project.title, project.status = "A new title", Project.Status.PLANNED
    project.save()


def _unpublish_project(world):
    project = world["projects"][3]
    project.published = False
    project.save()


def _delete_project_and_make_one_like_it(world):
    project = world["projects"][5]
    project.delete()
    f.ProjectFactory(slug="project-5", title="Another project", start=PartialDate(2001))


def _update_without_signals(world):
    Project.objects.filter(pk=world["projects"][0].pk).update(title="Updated in bulk")
    versions.data_changed()


CHANGES = [
    _rename_partner,
    _unpublish_partner,
    _change_role,
    _move_role,
    _delete_role,
    _link_partner,
    _unlink_partner_from_its_side,
    _rename_topic,
    _unpublish_topic,
    _add_topic,
    _remove_topic_from_its_side,
    _clear_topic_from_its_side,
    _clear_topics_of_a_project,
    _rename_agreement,
    _link_agreement,
    _unpublish_agreement,
    _add_budget,
    _change_budget,
    _move_budget,
    _delete_transactions,
    _add_transaction,
    _cite,
    _move_citation,
    _rename_source,
    _unpublish_source,
    _edit_project,
    _unpublish_project,
    _delete_project_and_make_one_like_it,
    _update_without_signals,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_after_a_change_to_what_a_line_shows_the_csv_is_the_one_made_from_the_records(client, made, world, change):
    path = "/projects/?format=csv"
    before = streamed_body(client.get(path))
    assert ExportLine.objects.exists()
    change(world)
    after = streamed_body(client.get(path))
    assert after == made(path)
    assert after != before  # the change shows


def test_a_change_deletes_only_the_lines_it_changes(client, world):
    streamed_body(client.get("/projects/?format=csv"))
    kept = set(ExportLine.objects.values_list("record_id", flat=True))
    _rename_partner(world)  # the EU is a partner of the odd projects
    assert set(ExportLine.objects.values_list("record_id", flat=True)) == {
        project.pk for n, project in enumerate(world["projects"]) if n % 2 == 0
    }
    assert len(kept) == len(world["projects"])
    f.MeetingFactory(partners=[world["eu"], world["iom"]])  # a meeting shows in no project's line
    assert ExportLine.objects.count() == len(world["projects"]) // 2


def test_lines_made_while_something_was_written_are_not_kept(world):
    kind = PROJECTS.stored.kind(PROJECTS)
    current = versions.read_fresh([versions.ALL])
    export_lines.store(kind.name, kind.code(), current[versions.ALL], current[versions.DATA], {1: "a line"})
    assert ExportLine.objects.filter(record_id=1).exists()
    before = versions.read_fresh([versions.ALL])
    _rename_topic(world)  # a write after the export read DATA
    export_lines.store(
        kind.name, kind.code(), before[versions.ALL], before[versions.DATA], {2: "a line made before it"}
    )
    assert not ExportLine.objects.filter(record_id=2).exists()


def test_a_line_made_under_an_older_version_of_all_is_made_again(client, made, world):
    streamed_body(client.get("/projects/?format=csv"))
    ExportLine.objects.update(line="not this")
    versions.data_changed()  # as migrate does
    assert streamed_body(client.get("/projects/?format=csv")) == made("/projects/?format=csv")
    assert not ExportLine.objects.filter(line="not this").exists()


def test_a_line_kept_by_another_releases_code_is_not_read(client, made, world, monkeypatch):
    streamed_body(client.get("/projects/?format=csv"))
    ExportLine.objects.update(line="written by the release before")
    monkeypatch.setattr(export_lines, "code_fingerprint", lambda: "the next release")
    assert streamed_body(client.get("/projects/?format=csv")) == made("/projects/?format=csv")


@pytest.mark.django_db(transaction=True)
def test_an_export_does_not_wait_for_a_writer_holding_data_and_keeps_nothing(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (a busy SQLite database refuses the insert instead)")
    import psycopg2

    current = versions.read_fresh([versions.ALL])
    writer = psycopg2.connect(
        **{
            key: value
            for key, value in connection.get_connection_params().items()
            if key in ("dbname", "user", "host", "port", "password")
        }
    )
    try:
        with writer.cursor() as cursor:  # a long import's transaction, holding DATA's row
            cursor.execute("SELECT version FROM core_dataversion WHERE name = 'data' FOR UPDATE")
        kind = PROJECTS.stored.kind(PROJECTS)
        with connection.cursor() as cursor:  # were it to wait, it would fail after 2 s, not hang
            cursor.execute("SET lock_timeout = '2s'")
        started = time.monotonic()
        export_lines.store(kind.name, kind.code(), current[versions.ALL], current[versions.DATA], {1: "a line"})
        assert time.monotonic() - started < 1
        assert not ExportLine.objects.exists()
    finally:
        writer.rollback()
        writer.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
