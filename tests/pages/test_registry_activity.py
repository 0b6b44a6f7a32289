"""What the registry's timeline on /years/ is drawn from (cooperation/pages/activity.py
``registry_activity``): the partners in the most published projects and meetings, each with its
projects and meetings per year and its agreements' signatures per year, read from the count
tables in three queries whatever the number of records."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Agreement, Project
from cooperation.pages.activity import compute_registry_activity, registry_activity
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners():
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    eu = f.PartnerFactory(name="European Union", acronym="EU", slug="eu")
    quiet = f.PartnerFactory(name="Quiet", slug="quiet")
    f.PartnerFactory(name="Draft", slug="draft", published=False)
    f.MeetingFactory(partners=[iom, eu], start=PD(2014, 6, 9))
    f.MeetingFactory(partners=[iom], start=PD(2015, 12, 30), end=PD(2016, 1, 2))  # on both years
    f.MeetingFactory(partners=[iom], start=None)  # undated: in the totals, in no year
    f.MeetingFactory(partners=[iom], start=PD(2014, 1, 1), published=False)  # a draft: nowhere
    for title, start, end in (("A", PD(2012), PD(2014, 3)), ("B", PD(2013, 5), PD(2013, 9))):
        project = f.ProjectFactory(title=title, start=start, end=end, status=Project.Status.COMPLETED)
        f.ProjectPartnerFactory(partner=eu, project=project)
    f.AgreementFactory(title="Readmission", slug="readmission", parties=[eu], signed=PD(2014, 2, 28))
    f.AgreementFactory(title="Visas", slug="visas", parties=[eu], signed=PD(2013, 11, 29))
    f.AgreementFactory(title="Visas bis", slug="visas-bis", parties=[eu], signed=PD(2013, 5))
    f.AgreementFactory(title="Unsigned", slug="unsigned", parties=[eu], signed=None)  # no signature: no mark
    f.AgreementFactory(title="Draft", slug="draft-agreement", parties=[eu], signed=PD(2010), published=False)
    f.MeetingFactory(partners=[quiet], start=PD(2001))
    return iom, eu, quiet


def test_the_partners_in_most_projects_and_meetings_come_first_with_their_years(partners):
    activity = compute_registry_activity(limit=2)

    assert activity.total == 3  # published partners in any published project or meeting
    eu, iom = activity.partners  # 2 projects and 1 meeting; 3 meetings (a tie: by name)
    assert (eu.slug, eu.projects, eu.meetings, eu.agreements) == ("eu", 2, 1, 3)
    assert (iom.slug, iom.projects, iom.meetings, iom.agreements) == ("iom", 0, 3, 0)
    assert [iom.meetings_during(year, year) for year in (2013, 2014, 2015, 2016)] == [0, 1, 1, 1]
    assert iom.meetings_during(2014, 2016) == 2  # the meeting over New Year counts once
    assert eu.meetings_during(2010, 2020) == 1
    assert [eu.projects_during(year, year) for year in (2011, 2012, 2013, 2014, 2015)] == [0, 1, 2, 1, 0]
    assert eu.projects_during(2012, 2014) == 2
    assert iom.span == (2014, 2016)
    assert eu.span == (2012, 2014)


def test_signatures_are_grouped_by_year_and_a_single_one_keeps_its_agreement(partners):
    iom = partners[0]
    f.AgreementFactory(title="Transit", slug="transit", parties=[iom], signed=PD(2014, 7))
    f.AgreementFactory(title="Return", slug="return", parties=[iom], signed=PD(2014))
    f.AgreementFactory(title="Office", slug="office", parties=[iom], signed=PD(2013, 5, 1))
    f.AgreementFactory(title="Draft", slug="draft-2014", parties=[partners[1]], signed=PD(2014, 12), published=False)

    activity = {partner.slug: partner for partner in compute_registry_activity(limit=5).partners}

    eu = activity["eu"]
    assert [(signing.year, signing.count) for signing in eu.signings] == [(2013, 2), (2014, 1)]
    single = eu.signings[1]
    # (Not the draft eu also signed that year.)
    assert (single.slug, single.title, single.date) == ("readmission", "Readmission", int(PD(2014, 2, 28)))
    assert eu.signings[0].slug == ""  # two agreements: the mark leads to the list of them
    # Another partner's single and double years are its own.
    assert [(s.year, s.count, s.slug) for s in activity["iom"].signings] == [(2013, 1, "office"), (2014, 2, "")]


def test_a_partner_of_many_single_years_leads_to_each_agreement(partners):
    eu = partners[1]
    # A thousand years with one agreement each (made in bulk: the count tables' triggers count them).
    agreements = Agreement.objects.bulk_create(
        Agreement(slug=f"a-{year}", title=f"A {year}", published=True, signed=PD(year)) for year in range(1000, 2000)
    )
    Agreement.parties.through.objects.bulk_create(
        Agreement.parties.through(agreement=agreement, partner=eu) for agreement in agreements
    )

    eu_activity = next(partner for partner in compute_registry_activity(limit=5).partners if partner.slug == "eu")

    assert [signing.slug for signing in eu_activity.signings[:2]] == ["a-1000", "a-1001"]
    assert len([signing for signing in eu_activity.signings if signing.slug.startswith("a-")]) == 1000


@pytest.mark.parametrize("meetings", [1, 30])
def test_three_queries_whatever_the_number_of_records(partners, django_assert_num_queries, meetings):
    iom = partners[0]
    for day in range(meetings):
        f.MeetingFactory(partners=[iom], start=PD(2000 + day % 20, 3, 1))

    with django_assert_num_queries(3):
        activity = compute_registry_activity(limit=12)

    assert activity.partners[0].meetings == 3 + meetings


def test_it_is_cached_until_a_save(partners, django_assert_max_num_queries):
    assert registry_activity().partners[0].slug == "eu"
    with django_assert_max_num_queries(1):  # the versions
        registry_activity()

    for _ in range(3):
        f.MeetingFactory(partners=[partners[0]], start=PD(2020))

    assert registry_activity().partners[0].slug == "iom"


def test_no_partner_without_published_records():
    f.PartnerFactory(slug="idle")

    assert compute_registry_activity(limit=12).partners == []
