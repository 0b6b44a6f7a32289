"""``manage.py generate_demo_data``: realistic demo records in bulk, beside what is there."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cooperation.core.partial_dates import Precision
from cooperation.devtools.demo_choices import Demo, Skewed
from cooperation.devtools.demo_factories import DemoMeetingFactory
from cooperation.models import Agreement, Citation, Project, ProjectPartner, SearchDocument, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

SIZES = {"partners": 60, "projects": 300, "meetings": 1500}


def generate(**sizes):
    out = StringIO()
    call_command("generate_demo_data", stdout=out, **{**SIZES, **sizes})
    return out.getvalue()


def demo(model, run=1):
    return model.objects.filter(slug__startswith=f"demo-{run}-")


@pytest.fixture
def seed():
    """A few records as the seed loader would leave them, with their relations."""
    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    topic = f.TopicFactory(slug="asylum", name="Asylum")
    project = f.ProjectFactory(slug="unimig", topics=[topic])
    f.ProjectPartnerFactory(project=project, partner=iom)
    meeting = f.MeetingFactory(slug="visit-2006", partners=[iom])
    return {"iom": iom, "topic": topic, "project": project, "meeting": meeting}


def test_adds_the_sizes_asked_for_and_the_rest_in_proportion(seed):
    output = generate()

    assert demo(Partner).count() == 60
    assert demo(Project).count() == 300
    assert demo(Meeting).count() == 1500
    assert demo(Agreement).count() == 60  # as many as partners
    assert demo(Office).count() == 30 and demo(Person).count() == 30  # half the partners
    assert demo(Topic).count() == 40
    assert "Added" in output and "a second" in output and "meetings" in output


def test_a_few_partners_are_in_most_meetings_and_projects():
    generate()

    links = Counter(Meeting.partners.through.objects.values_list("partner_id", flat=True))
    ranked = [count for _partner, count in links.most_common()]
    top_tenth = sum(ranked[: len(ranked) // 10])
    assert top_tenth > 0.4 * sum(ranked)  # the top 10% of partners are in over 40% of the links
    roles = Counter(ProjectPartner.objects.values_list("project_id", flat=True))
    assert set(roles.values()) <= {1, 2, 3, 4} and {1, 4} <= set(roles.values())
    topics = Counter(Project.topics.through.objects.values_list("project_id", flat=True))
    assert set(topics.values()) <= {1, 2, 3, 4} and len(topics) == 300  # every project has 1-4 topics


def test_drafts_are_among_them_and_dates_mix_precisions_within_1990_to_2030():
    generate()

    meetings = list(demo(Meeting))
    drafts = sum(1 for meeting in meetings if not meeting.published)
    assert 0.04 * len(meetings) < drafts < 0.2 * len(meetings)
    assert 0 < demo(Project).filter(published=False).count() < 300
    dated = [meeting for meeting in meetings if meeting.start is not None]
    assert {meeting.start.precision for meeting in dated} == {Precision.YEAR, Precision.MONTH, Precision.DAY}
    assert {meeting.start.year for meeting in dated} <= set(range(1990, 2031))
    assert min(m.start.year for m in dated) < 1995 and max(m.start.year for m in dated) > 2025
    for record in [*dated, *demo(Project)]:
        assert record.end is None or record.end.may_end(record.start)
    for agreement in demo(Agreement):
        for later in (agreement.ratified, agreement.in_force, agreement.ended):
            assert later is None or later.may_end(agreement.signed)


def test_seed_records_are_neither_changed_nor_linked_to(seed):
    before = {name: type(record).objects.get(pk=record.pk).updated_at for name, record in seed.items()}

    generate()

    after = {name: type(record).objects.get(pk=record.pk).updated_at for name, record in seed.items()}
    assert after == before
    iom, topic = seed["iom"], seed["topic"]
    assert list(iom.meetings.values_list("slug", flat=True)) == ["visit-2006"]
    assert list(iom.project_roles.values_list("project__slug", flat=True)) == ["unimig"]
    assert list(topic.projects.values_list("slug", flat=True)) == ["unimig"]
    assert not Partner.objects.filter(slug__startswith="demo-", name="International Organization for Migration")


def test_every_published_demo_record_is_in_the_search_index_and_found(client):
    generate()

    published = demo(Meeting).filter(published=True)
    meetings = SearchDocument.objects.filter(kind="meeting", object_id__in=published.values("pk"))
    assert meetings.count() == published.count()
    assert not SearchDocument.objects.filter(kind="meeting", object_id__in=demo(Meeting).filter(published=False))
    meeting = published.order_by("pk")[7]
    partner = meeting.partners.filter(published=True).first()

    response = client.get("/search/", {"q": meeting.title})

    assert response.status_code == 200
    assert meeting.get_absolute_url() in response.content.decode()
    if partner is not None:  # a meeting is found by the names of its partners too
        document = SearchDocument.objects.get(kind="meeting", object_id=meeting.pk)
        assert partner.name in document.body


def test_every_record_cites_a_demo_source():
    generate()

    meetings = Citation.objects.filter(object_id__in=demo(Meeting).values("pk"), content_type__model="meeting")
    assert meetings.count() == 1500
    assert not meetings.exclude(source__slug__startswith="demo-1-")


def test_a_second_run_adds_as_much_again_with_fresh_slugs():
    generate(partners=20, projects=40, meetings=100)
    first = set(Meeting.objects.values_list("slug", flat=True))

    output = generate(partners=20, projects=40, meetings=100)

    assert "Run 2" in output
    assert demo(Meeting, run=2).count() == 100 and demo(Partner, run=2).count() == 20
    assert set(demo(Meeting, run=1).values_list("slug", flat=True)) == first
    assert Partner.objects.filter(slug__startswith="demo-").count() == 40  # names stayed unique


def test_the_same_seed_builds_the_same_records():
    def build(seed):
        run = Demo(seed=seed, run=1, today=datetime.date(2026, 1, 1))
        run.topics = [Topic(name="Asylum (Central Asia, demo 1)")]
        partners = [Partner(pk=n, name=f"Partner {n}", acronym=f"P{n}", published=True) for n in range(30)]
        run.partners = Skewed(partners, run.rng)
        meetings = [DemoMeetingFactory.build(demo=run, partners=run.partners.some(2)) for _ in range(50)]
        return [(m.title, m.kind, m.start, m.end, m.city, m.country.code, m.published) for m in meetings]

    assert build(seed=7) == build(seed=7)
    assert build(seed=7) != build(seed=8)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"partners": "many"}, "“many” is not a whole number."),
        ({"meetings": "-5"}, "-5 is out of range"),
        ({"partners": "0"}, "need partners"),
    ],
)
def test_bad_sizes_are_refused_with_a_message(arguments, message):
    with pytest.raises(CommandError, match=message):
        generate(**arguments)
    assert not Partner.objects.exists()


def test_generated_projects_have_budgets_and_disbursements_in_one_currency_each():
    from cooperation.models import Budget, TransactionTotal

    generate(partners=20, projects=80, meetings=10)

    budgets = Budget.objects.all()
    assert budgets.exists() and TransactionTotal.objects.exists()
    assert all(
        len(set(Budget.objects.filter(project=project).values_list("currency", flat=True))) == 1
        for project in budgets.values_list("project", flat=True).distinct()
    )
    for budget in budgets:
        budget.full_clean()
