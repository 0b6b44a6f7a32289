"""The projects list's count tables (cooperation/counts.py): after every kind of write they hold
what a GROUP BY of the data gives, and the facets and counts read from them are those counted on
the fly — on SQLite and PostgreSQL alike. A partner in two roles counts a project once."""

import pytest
from django.db.models import Sum
from django.http import QueryDict

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.filters import ProjectFilterSet
from cooperation.models import (
    Project,
    ProjectCount,
    ProjectPartner,
    ProjectPartnerCount,
    ProjectPartnerPair,
    ProjectPartnerTotal,
    ProjectTopicCount,
    ProjectTopicPartnerCount,
    ProjectTopicTotal,
)
from cooperation.selectors import _topic_year_rows
from tests import factories as f
from tests.helpers.counts import assert_exact as exact
from tests.helpers.listing import facet, queries

pytestmark = pytest.mark.django_db

TABLES = (
    ProjectCount,
    ProjectTopicCount,
    ProjectPartnerCount,
    ProjectTopicPartnerCount,
    ProjectTopicTotal,
    ProjectPartnerTotal,
    ProjectPartnerPair,
)
QUESTIONS = (
    "",
    "topic=asylum",
    "partner=iom",
    "status=ongoing",
    "year=2016",
    "topic=asylum&partner=iom&year=2016",
    "topic=asylum&topic=returns&status=completed",
    "partner=iom&partner=eu&status=completed",
    "partner=iom&partner=eu&year=2016",
    "partner=iom&partner=eu",
    "partner=iom&partner=eu&topic=asylum",
    "topic=asylum&topic=returns&partner=eu",
    "topic=asylum&topic=returns&partner=iom&partner=eu",
)


def assert_exact():
    exact(ProjectFilterSet, TABLES, QUESTIONS)


@pytest.fixture
def world():
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    returns = f.TopicFactory(slug="returns", name="Returns")
    draft_topic = f.TopicFactory(slug="draft-topic", published=False)
    iom = f.PartnerFactory(slug="iom", name="IOM")
    eu = f.PartnerFactory(slug="eu", name="EU")
    ongoing = f.ProjectFactory(start=PD(2014), status="ongoing", status_as_of=PD(2017), topics=[asylum, returns])
    f.ProjectPartnerFactory(project=ongoing, partner=iom, role="implementing")
    f.ProjectPartnerFactory(project=ongoing, partner=iom, role="funding")
    f.ProjectPartnerFactory(project=ongoing, partner=eu, role="funding")
    done = f.ProjectFactory(start=PD(2016, 5), end=PD(2018), status="completed", topics=[asylum, draft_topic])
    f.ProjectPartnerFactory(project=done, partner=eu)
    f.ProjectFactory(start=None, status="planned", topics=[returns])
    f.ProjectFactory(start=PD(2016), published=False, topics=[asylum])
    return {"asylum": asylum, "returns": returns, "iom": iom, "eu": eu, "ongoing": ongoing, "done": done}


def test_counts_are_exact_after_creating(world):
    assert_exact()
    # IOM in two roles of one project: one project.
    assert ProjectPartnerTotal.objects.get(partner=world["iom"]).n == 1


def test_counts_are_exact_after_a_change_of_status_or_dates(world):
    project = world["ongoing"]
    project.status_as_of = PD(2019)
    project.save()
    assert_exact()
    project.status, project.end = "completed", PD(2015)
    project.save()
    assert_exact()


def test_counts_are_exact_after_unpublishing_and_deleting(world):
    world["done"].published = False
    world["done"].save()
    assert_exact()
    Project.objects.update(published=True)
    assert_exact()
    world["ongoing"].delete()
    assert_exact()
    Project.objects.all().delete()
    assert_exact()
    assert not ProjectCount.objects.filter(n__gt=0).exists()


def test_counts_are_exact_after_roles_and_topics_change(world):
    project = world["ongoing"]
    ProjectPartner.objects.filter(project=project, partner=world["iom"], role="funding").delete()
    assert_exact()  # still IOM's project, in one role
    ProjectPartner.objects.filter(project=project, partner=world["iom"]).delete()
    assert_exact()  # no longer
    ProjectPartner.objects.bulk_create(
        [ProjectPartner(project=project, partner=world["iom"], role=role) for role in ("funding", "other")]
    )
    assert_exact()
    ProjectPartner.objects.filter(project=project, role="funding").update(role="beneficiary")
    ProjectPartner.objects.filter(project=project, partner=world["eu"]).update(
        partner=world["iom"], role="implementing"
    )
    assert_exact()
    project.topics.remove(world["asylum"])
    assert_exact()
    project.topics.clear()
    project.topics.add(world["returns"], world["asylum"])
    assert_exact()


def test_projects_list_reads_the_count_tables(client, world):
    """A draft topic is not listed; the project in two roles of IOM counts once; in as many
    queries with one project or many."""
    response, few = queries(client, "/projects/?year=2016")
    assert facet(response, "topic") == {"asylum": 2, "returns": 1}
    assert facet(response, "partner") == {"iom": 1, "eu": 2}
    assert facet(response, "status") == {"ongoing": 1, "completed": 1}
    for project in f.ProjectFactory.create_batch(4, start=PD(2016), topics=[world["returns"]]):
        f.ProjectPartnerFactory(project=project, partner=world["iom"])
    response, many = queries(client, "/projects/?year=2016")
    assert facet(response, "partner") == {"iom": 5, "eu": 2}
    assert many == few


def test_two_partners_are_counted_from_the_tables_less_the_projects_of_both(client, world):
    """IOM's and the EU's projects: the ongoing one, of both (IOM in two roles), is counted once;
    a project of three ticked partners, once too. The topics' chart says the same."""
    third = f.PartnerFactory(slug="third")
    project = f.ProjectFactory(start=PD(2016), status="completed", topics=[world["returns"]])
    for partner in (world["iom"], world["eu"], third):
        f.ProjectPartnerFactory(project=project, partner=partner)
    assert_exact()
    exact(ProjectFilterSet, TABLES, ["partner=iom&partner=eu&partner=third", "partner=iom&partner=third&year=2017"])
    response = client.get("/projects/?partner=iom&partner=eu&partner=third")
    assert response.context["result_count"] == 3
    assert facet(response, "topic") == {"asylum": 2, "returns": 2}
    assert facet(response, "status") == {"ongoing": 1, "completed": 2}
    for params in ("partner=iom&partner=eu&partner=third", "partner=iom&partner=eu&year=2016"):
        assert chart_rows(params) == chart_rows(params, on_the_fly=True), params
    assert {"slug": "returns", "year": 2016, "started": 1, "ended": 0} in chart_rows(
        "partner=iom&partner=eu&partner=third"
    )


def chart_rows(params, on_the_fly=False):
    """The rows of the projects list's chart of topics over time (selectors.topic_year_rows)."""
    filterset = ProjectFilterSet(QueryDict(params), queryset=Project.objects.published())
    if on_the_fly:
        filterset.count_tables = None
    rows = [{key: row[key] for key in ("slug", "year", "started", "ended")} for row in _topic_year_rows(filterset)]
    return sorted(rows, key=lambda row: (row["slug"], row["year"]))


@pytest.mark.django_db(transaction=True)  # VACUUM, outside a transaction
def test_partners_topic_counts_are_read_from_an_index_alone_on_postgresql(world):
    """Migration cooperation.0025: the topic facet and the topics' chart of the projects list
    filtered to partners read their rows of ProjectTopicPartnerCount from a covering index."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("a covering index is PostgreSQL's")
    partners = [world["iom"].pk, world["eu"].pk]
    rows = (
        ProjectTopicPartnerCount.objects.filter(partner__in=partners, n__gt=0)
        .values("topic", "status", "first_year", "last_year")
        .annotate(count=Sum("n"))
    )
    with connection.cursor() as cursor:  # as on a table of a million rows, vacuumed: this one has a few
        cursor.execute("VACUUM ANALYZE cooperation_projecttopicpartnercount")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = rows.order_by().explain()
    assert "Index Only Scan using projecttopicpartnercount_cover" in plan
