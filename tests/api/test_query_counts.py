"""The API answers every list and record in a constant number of queries, whatever the rows."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.listing import DATA_VERSION

pytestmark = pytest.mark.django_db


def populate(rows):
    """``rows`` records of each kind around one partner, topic, person and source (the hubs),
    each with published and draft relations."""
    hub = f.PartnerFactory(slug="hub")
    draft = f.PartnerFactory(published=False)
    topic = f.TopicFactory(slug="hub-topic")
    source = f.SourceFactory(slug="hub-source", date=PD(2001))
    person = f.PersonFactory(slug="hub-person")
    for number in range(rows):
        partner = f.PartnerFactory(parent=hub, country="AZ")
        agreement = f.AgreementFactory(slug=f"agreement-{number:03d}", parties=[hub, partner, draft])
        agreement.topics.set([topic])
        action = f.AgreementActionFactory(agreement=agreement, kind="ratification", party=partner, date=PD(2001))
        f.CitationFactory(source=source, content_object=action, locator=f"p. {number}")
        project = f.ProjectFactory(slug=f"project-{number:03d}", topics=[topic])
        f.ProjectPartnerFactory(project=project, partner=hub)
        f.ProjectPartnerFactory(project=project, partner=partner, role="funding")
        f.ProjectPartnerFactory(project=project, partner=draft, role="beneficiary")
        project.agreements.set([agreement])
        f.BudgetFactory(project=project)
        f.TransactionTotalFactory(project=project)
        meeting = f.MeetingFactory(slug=f"meeting-{number:03d}", partners=[hub, partner, draft])
        meeting.participants.set([person])
        meeting.agreements.set([agreement])
        meeting.projects.set([project])
        f.OfficeFactory(slug=f"office-{number:03d}", partner=hub)
        f.PostFactory(person=person, organisation=hub, title=f"Post {number}")
        f.PersonFactory()
        f.TopicFactory()
        f.SourceFactory(date=PD(2002))
        for record in (hub, agreement, project, meeting, person, topic):
            f.CitationFactory(source=source, content_object=record, locator=f"p. {number}")
        f.ClaimFactory(content_object=agreement, source=source)


LIST_QUERIES = [
    # the data version, count, rows, the list's own prefetches, one facet query per filter, and one
    # naming the options of each facet of related records with rows (partners, topics, organisations)
    ("/api/partners/", DATA_VERSION + 2 + 2),
    ("/api/partners/?kind=state&kind=international-organisation&q=partner", DATA_VERSION + 2 + 2),
    # (an agreement's prefetches: its parties, its actions; its facets include the place signed)
    ("/api/agreements/", DATA_VERSION + 2 + 2 + 6 + 2),
    # + resolving the slugs
    ("/api/agreements/?partner=hub&topic=hub-topic&year=1999&sort=title", DATA_VERSION + 2 + 2 + 2 + 6 + 2),
    ("/api/projects/", DATA_VERSION + 2 + 2 + 4 + 2),
    ("/api/projects/?partner=hub&year=2014", DATA_VERSION + 2 + 1 + 2 + 4 + 2),
    # + the place facet (the filter a map's markers lead to)
    ("/api/meetings/", DATA_VERSION + 2 + 1 + 3 + 1 + 1),
    # (+ the years opened and closed: both facets from one grouping)
    ("/api/offices/", DATA_VERSION + 2 + 3 + 1 + 1 + 1),
    ("/api/people/", DATA_VERSION + 2 + 2 + 1),
    ("/api/topics/", DATA_VERSION + 2 + 1),
    ("/api/sources/", DATA_VERSION + 2 + 4),
]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("url", "queries"), LIST_QUERIES)
def test_list_query_count_is_constant(client, django_assert_num_queries, rows, url, queries):
    populate(rows)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(rows, 1)


DETAIL_QUERIES = [
    # the versions (where the record's numbers are cached), the record, then its selector's
    # queries: the big relations are the latest 25 of each, counted in one more query, and the
    # record's version read again to store the numbers under (cached until the record or one that
    # points to it changes; these are first requests)
    # (a partner's agreements come with their actions, for its timeline)
    # (and its projects' money)
    ("/api/partners/hub/", DATA_VERSION + 2 + 11),
    # (an agreement's actions, and their citations)
    ("/api/agreements/agreement-000/", DATA_VERSION + 2 + 9),
    # (a project's budgets and transaction totals)
    ("/api/projects/project-000/", DATA_VERSION + 2 + 9),
    ("/api/meetings/meeting-000/", 1 + 6),
    ("/api/offices/office-000/", DATA_VERSION + 2 + 4),
    ("/api/people/hub-person/", DATA_VERSION + 2 + 5),
    ("/api/topics/hub-topic/", DATA_VERSION + 2 + 7),
    # the source, then one query per kind of record that may cite it, each with how many there
    # are (no query of the numbers, kept under the record's version: no version read)
    ("/api/sources/hub-source/", 1 + 7),
]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("url", "queries"), DETAIL_QUERIES)
def test_record_query_count_is_constant(client, django_assert_num_queries, rows, url, queries):
    populate(rows)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
