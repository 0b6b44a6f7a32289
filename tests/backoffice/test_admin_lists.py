"""The admin's lists: partial dates sorted by value, status and year filters, the publish actions,
and a constant number of queries per list (cooperation/backoffice/changelist.py, admin.py)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.utils.html import strip_tags

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    PostFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    SourceFactory,
    TopicFactory,
)
from tests.helpers.admin import admin_url, rows
from tests.helpers.listing import DATA_VERSION

pytestmark = pytest.mark.django_db


# Helpers -------------------------------------------------------------------------------------


def headers(response):
    return [str(header["text"]) for header in response.context["result_headers"]][1:]


# Lists: dates, status, filters, actions ------------------------------------------------------


def test_agreement_changelist_sorts_partial_dates_by_stored_value(superuser_client):
    for signed in [PartialDate(2006, 8), PartialDate(1999, 12, 8), PartialDate(1999), PartialDate(2006)]:
        AgreementFactory(signed=signed)
    response = superuser_client.get(admin_url(Agreement, "changelist"))
    column = headers(response).index("signed")
    assert [row[column] for row in rows(response)] == ["August 2006", "2006", "8 December 1999", "1999"]

    index = response.context["cl"].list_display.index("signed")
    response = superuser_client.get(admin_url(Agreement, "changelist"), {"o": str(index)})
    assert [row[column] for row in rows(response)] == ["1999", "8 December 1999", "2006", "August 2006"]


def test_agreement_changelist_filters_and_sorts_by_status(superuser_client):
    AgreementFactory(title="Signed only")
    AgreementFactory(title="In force", in_force=PartialDate(2000))
    AgreementFactory(title="Ended", in_force=PartialDate(2000), ended=PartialDate(2010))
    AgreementFactory(title="Undated", signed=None)
    url = admin_url(Agreement, "changelist")

    response = superuser_client.get(url, {"status": "in-force"})
    assert [row[0] for row in rows(response)] == ["In force"]

    index = response.context["cl"].list_display.index("status")
    response = superuser_client.get(url, {"o": f"-{index}"})
    column = headers(response).index("status")
    assert [(row[0], row[column]) for row in rows(response)] == [
        ("Ended", "Ended"),
        ("In force", "In force"),
        ("Signed only", "Signed"),
        ("Undated", "Dates not recorded"),
    ]


def test_agreement_changelist_year_filter_lists_years_newest_first(superuser_client):
    AgreementFactory(title="Of 1999")
    AgreementFactory(title="Of August 2006", signed=PartialDate(2006, 8))
    AgreementFactory(title="Of 2006", signed=PartialDate(2006))
    AgreementFactory(title="Undated", signed=None)
    url = admin_url(Agreement, "changelist")

    response = superuser_client.get(url)
    year_filter = next(spec for spec in response.context["cl"].filter_specs if spec.title == "year signed")
    assert [choice["display"] for choice in year_filter.choices(response.context["cl"])] == [
        "All",
        "2006",
        "1999",
        "No date",
    ]

    response = superuser_client.get(url, {"signed_year": "2006"})
    assert sorted(row[0] for row in rows(response)) == ["Of 2006", "Of August 2006"]
    response = superuser_client.get(url, {"signed_year": "none"})
    assert [row[0] for row in rows(response)] == ["Undated"]
    response = superuser_client.get(url, {"signed_year": "abc"})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_publish_action_publishes_the_drafts_and_records_it(superuser_client):
    drafts = [AgreementFactory(published=False), AgreementFactory(published=False)]
    published = AgreementFactory()
    url = admin_url(Agreement, "changelist")

    response = superuser_client.post(
        url, {"action": "publish", "_selected_action": [obj.pk for obj in [*drafts, published]]}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == ["2 agreements published."]
    assert Agreement.objects.filter(published=False).count() == 0
    assert sorted(int(entry.object_id) for entry in LogEntry.objects.all()) == sorted(obj.pk for obj in drafts)


def test_unpublish_action_makes_records_drafts(superuser_client):
    project = ProjectFactory()

    response = superuser_client.post(
        admin_url(Project, "changelist"), {"action": "unpublish", "_selected_action": [project.pk]}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == ["1 project made drafts."]
    project.refresh_from_db()
    assert project.published is False


def test_publish_and_unpublish_actions_update_site_search(superuser_client):
    def found():
        page = superuser_client.get("/search/?q=seasonal").content.decode()
        return "Memorandum on seasonal workers" in strip_tags(page)

    draft = AgreementFactory(title="Memorandum on seasonal workers", published=False)
    assert not found()
    superuser_client.post(admin_url(Agreement, "changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    assert found()
    superuser_client.post(admin_url(Agreement, "changelist"), {"action": "unpublish", "_selected_action": [draft.pk]})
    assert not found()


# Query counts: a list page costs the same number of queries for 1 row or many ------------------


def _partners(n):
    parent = PartnerFactory()
    for _ in range(n):
        OfficeFactory(partner=PartnerFactory(parent=parent, country="AT"))


def _offices(n):
    OfficeFactory.create_batch(n)


def _people(n):
    for _ in range(n):
        person = PersonFactory()
        PostFactory.create_batch(2, person=person)


def _topics(n):
    for topic in TopicFactory.create_batch(n):
        ProjectFactory(topics=[topic])


def _sources(n):
    for source in SourceFactory.create_batch(n):
        CitationFactory(source=source)


def _agreements(n):
    for _ in range(n):
        AgreementFactory(parties=PartnerFactory.create_batch(2), in_force=PartialDate(2000))


def _projects(n):
    for project in ProjectFactory.create_batch(n, topics=[TopicFactory()]):
        ProjectPartnerFactory.create_batch(2, project=project)


def _meetings(n):
    MeetingFactory.create_batch(n, partners=PartnerFactory.create_batch(2))


@pytest.mark.parametrize(
    ("model", "build", "queries"),
    # The data version where a filter's choices are cached. No second count of the whole table
    # (show_full_result_count off); a filter by a related record (parties, topics, partners) finds
    # its busiest choices in one more query, cached (cooperation/backoffice/changelist.py).
    [
        (Partner, _partners, DATA_VERSION + 5),
        (Office, _offices, DATA_VERSION + 6),
        (Person, _people, 6),
        (Topic, _topics, 4),
        (Source, _sources, DATA_VERSION + 6),
        (Agreement, _agreements, DATA_VERSION + 8),
        (Project, _projects, DATA_VERSION + 10),
        (Meeting, _meetings, DATA_VERSION + 9),
    ],
)
@pytest.mark.parametrize("count", [1, 20])
def test_changelist_query_count_is_the_same_for_one_or_many_rows(
    superuser_client, django_assert_num_queries, model, build, queries, count
):
    build(count)
    url = admin_url(model, "changelist")
    # On PostgreSQL each sidebar filter of years or countries first asks the planner's estimate
    # of the table's size (one query each: a big table's values are read one index lookup a value).
    sized = {Partner: 1, Office: 2, Source: 1, Agreement: 1, Project: 1, Meeting: 2}.get(model, 0)
    with django_assert_num_queries(queries + (sized if connection.vendor == "postgresql" else 0)):
        response = superuser_client.get(url)
    assert len(rows(response)) >= count
