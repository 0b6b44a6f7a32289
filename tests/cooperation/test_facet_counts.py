"""The projects list's count tables (cooperation/counts.py): after every kind of write they hold
what a GROUP BY of the data gives, and the facets and counts read from them are those counted on
the fly — on SQLite and PostgreSQL alike. A partner in two roles counts a project once."""

import pytest

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
