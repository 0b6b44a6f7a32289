"""The agreements list's count tables (cooperation/counts.py, AGREEMENT_COUNTS): after every kind of
write they hold what a GROUP BY of the data gives, and the facets and counts read from them are
those counted on the fly — on SQLite and PostgreSQL alike. The places of signing are kept from
the signatures that have a place (an agreement signed twice at a place counts there once). The
status is not in the tables: a list filtered by it is counted on the fly, and still exact."""

from dataclasses import replace

import pytest
from django.http import QueryDict

from cooperation.core.listing import count_reads
from cooperation.core.listing.counts import Cube
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.counts import AGREEMENT_COUNTS, AGREEMENT_YEAR_DIMS, SIGNED_AT
from cooperation.filters import AgreementFilterSet
from cooperation.models import (
    Agreement,
    AgreementAction,
    AgreementCount,
    AgreementPartnerCount,
    AgreementPartnerPlaceTotal,
    AgreementPartnerPlaceYear,
    AgreementPartnerTotal,
    AgreementPlacePair,
    AgreementPlaceTotal,
    AgreementPlaceYear,
    AgreementPlaceYearPair,
    AgreementStageYears,
    AgreementTopicCount,
    AgreementTopicPartnerCount,
    AgreementTopicTotal,
)
from cooperation.models.actions import SIGNATURES
from cooperation.selectors import agreement_list
from tests import factories as f
from tests.helpers.counts import assert_exact as exact
from tests.helpers.listing import facet, queries

pytestmark = pytest.mark.django_db

TABLES = (
    AgreementCount,
    AgreementTopicCount,
    AgreementPartnerCount,
    AgreementTopicPartnerCount,
    AgreementTopicTotal,
    AgreementPartnerTotal,
    AgreementPlaceTotal,
    AgreementPartnerPlaceTotal,
    AgreementPartnerPlaceYear,
    AgreementPlacePair,
    AgreementPlaceYear,
    AgreementPlaceYearPair,
    AgreementStageYears,
)
QUESTIONS = (
    "",
    "topic=asylum",
    "partner=iom",
    "kind=readmission-agreement",
    "year=2016",
    "year=2016&year=2004",
    "topic=asylum&partner=iom&year=2016",
    "partner=iom&kind=cooperation-agreement",
    "topic=asylum&topic=returns&kind=cooperation-agreement",
    "partner=iom&partner=eu&year=2016",
    "partner=iom&partner=eu",
    "partner=iom&partner=eu&topic=asylum",
    "topic=asylum&topic=returns&partner=iom&partner=eu",
    "status=in-force",
    "partner=iom&status=signed",
    "place=geneva",
    "partner=eu&place=geneva",
    "place=geneva&place=baku",
    "place=geneva&kind=readmission-agreement",
    "partner=iom&partner=eu&place=baku",
    # The years of the later stages (a year page's links): from the stages' table alone, else on the fly.
    "in_force=2016",
    "in_force=2016&in_force=2018",
    "ratified=2017",
    "ended=2030&in_force=2018",
    "in_force=2016&year=2016",
    "in_force=2016&partner=iom",
)


def test_the_places_are_kept_from_the_signatures():
    """The count tables' migration names the signature kinds in SQL: they are the model's."""
    for kind in SIGNATURES:
        assert f"'{kind}'" in SIGNED_AT.where
    assert SIGNED_AT.where.count("'") == 2 * len(SIGNATURES)


def test_no_filter_or_dimension_reads_a_links_year_as_its_own():
    """A link with a year counts an agreement once a place and year: a facet reading it would
    count one signed at a place in two years twice, and its year's column is the year dimension's."""
    with pytest.raises(ValueError, match="no filter can read link location"):
        replace(AGREEMENT_COUNTS, filters={**AGREEMENT_COUNTS.filters, "signed_at": "location"})
    with pytest.raises(ValueError, match="a column twice"):
        replace(AGREEMENT_COUNTS, cubes=[Cube("cooperation.Nothing", "nothing", ("location",), AGREEMENT_YEAR_DIMS)])


def assert_exact():
    exact(AgreementFilterSet, TABLES, QUESTIONS, rows=agreement_list)


@pytest.fixture
def world():
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    returns = f.TopicFactory(slug="returns", name="Returns")
    draft_topic = f.TopicFactory(slug="draft-topic", published=False)
    iom = f.PartnerFactory(slug="iom", name="IOM")
    eu = f.PartnerFactory(slug="eu", name="EU")
    draft_partner = f.PartnerFactory(slug="draft-partner", published=False)
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH")
    baku = f.PlaceFactory(slug="baku", name="Baku")
    framework = f.AgreementFactory(signed=PD(2016, 3), in_force=PD(2016, 9), parties=[iom, eu])
    framework.topics.set([asylum, returns])
    # Signed by each party on its own day, both in Baku: there once.
    framework.actions.filter(kind="signature").update(location=baku, party=iom)
    f.AgreementActionFactory(agreement=framework, party=eu, date=PD(2016, 4), location=baku)
    readmission = f.AgreementFactory(kind="readmission-agreement", signed=PD(2004), parties=[eu, draft_partner])
    readmission.topics.set([asylum, draft_topic])
    readmission.actions.filter(kind="signature").update(location=geneva)
    undated = f.AgreementFactory(signed=None, parties=[iom])
    undated.topics.set([returns])
    f.AgreementFactory(signed=PD(2016), published=False, parties=[iom]).topics.set([asylum])
    return {
        "geneva": geneva,
        "baku": baku,
        "asylum": asylum,
        "returns": returns,
        "iom": iom,
        "eu": eu,
        "framework": framework,
        "readmission": readmission,
        "undated": undated,
    }


def test_the_tables_answer_all_but_the_status_and_place(world):
    def answers(params, name):
        return count_reads.facet_counts(AgreementFilterSet(QueryDict(params), queryset=agreement_list()), name)

    assert dict(answers("partner=iom&year=2016", "topic")) == {world["asylum"].pk: 1, world["returns"].pk: 1}
    assert answers("topic=asylum", "kind") == {"cooperation-agreement": 1, "readmission-agreement": 1}
    assert dict(answers("", "place")) == {world["geneva"].pk: 1, world["baku"].pk: 1}
    assert dict(answers("partner=iom", "place")) == {world["baku"].pk: 1}
    assert answers("", "status") is None
    assert answers("status=signed", "partner") is None
    assert answers("place=geneva", "kind") is None  # no table of places by kind
    # The year an agreement entered into force, from the table of its stages' years (0: not recorded).
    assert answers("", "in_force") == {2016: 1, 0: 2}
    assert answers("in_force=2016", "ratified") == {0: 1}
    assert count_reads.result_count(AgreementFilterSet(QueryDict("in_force=2016"), queryset=agreement_list())) == 1
    assert answers("in_force=2016", "kind") is None  # no table of stages by kind: on the fly


def test_counts_are_exact_after_creating(world):
    assert_exact()
    assert AgreementPartnerTotal.objects.get(partner=world["iom"]).n == 2  # the draft agreement not
    assert AgreementCount.objects.get(kind="cooperation-agreement", first_year=0).n == 1  # undated: year 0


def test_counts_are_exact_after_a_change_of_kind_or_date(world):
    agreement = world["framework"]
    agreement.kind = "memorandum-of-understanding"
    agreement.save()
    assert_exact()
    Agreement.objects.filter(pk=world["undated"].pk).update(signed=PD(2004, 6))
    assert_exact()
    agreement.signed = None
    agreement.save()
    assert_exact()
    Agreement.objects.filter(pk=agreement.pk).update(ratified=PD(2017), in_force=PD(2018, 1), ended=PD(2030))
    assert_exact()
    stages = AgreementStageYears.objects.filter(n__gt=0).values_list(
        "signed_year", "ratified_year", "in_force_year", "ended_year", "n"
    )
    # (The framework's signing date is its signatures', 2016; the undated one was signed in 2004 above.)
    assert sorted(stages) == [(2004, 0, 0, 0, 2), (2016, 2017, 2018, 2030, 1)]


def test_counts_are_exact_after_unpublishing_and_deleting(world):
    world["readmission"].published = False
    world["readmission"].save()
    assert_exact()
    Agreement.objects.update(published=True)
    assert_exact()
    world["framework"].delete()
    assert_exact()
    Agreement.objects.all().delete()
    assert_exact()
    assert not AgreementCount.objects.filter(n__gt=0).exists()


def test_counts_are_exact_after_parties_and_topics_change(world):
    agreement = world["framework"]
    agreement.parties.remove(world["iom"])
    assert_exact()
    agreement.parties.clear()
    agreement.parties.add(world["iom"], world["eu"])
    assert_exact()
    Agreement.parties.through.objects.filter(agreement=world["undated"]).update(partner=world["eu"])
    assert_exact()
    agreement.topics.remove(world["asylum"])
    assert_exact()
    agreement.topics.set([world["returns"], world["asylum"]])
    assert_exact()


def test_signatures_count_once_a_place(world):
    """A second signature at a place, a signature moved, a signature that is no longer one, one
    without a place, one deleted: the agreement is at the places of its signatures, once each."""
    framework, baku, geneva = world["framework"], world["baku"], world["geneva"]
    assert_exact()
    assert AgreementPlaceTotal.objects.get(place=baku).n == 1
    assert AgreementPlacePair.objects.get(agreement=framework, location=baku).n == 2
    second = framework.actions.get(party=world["eu"])
    second.location = geneva
    second.save()
    assert_exact()
    assert AgreementPlaceTotal.objects.get(place=geneva).n == 2
    second.kind = "ratification"
    second.save()
    assert_exact()
    AgreementAction.objects.filter(pk=second.pk).update(kind="definitive-signature", location=None)
    assert_exact()
    f.AgreementActionFactory(agreement=framework, party=world["eu"], date=PD(2016, 4), location=geneva)
    AgreementAction.objects.filter(agreement=framework, location=baku).delete()
    assert_exact()
    assert not AgreementPlacePair.objects.filter(location=baku).exists()
    framework.parties.remove(world["eu"])
    assert_exact()


def test_a_partners_places_of_signing_are_kept_with_the_year_of_each_signature(world):
    """A place's years are those of its signatures (not the agreement's first): a signature moved
    to another year or place, an undated one (year 0), a party leaving, the agreement withdrawn."""
    framework, baku, geneva, iom = world["framework"], world["baku"], world["geneva"], world["iom"]

    def years(partner, place):
        rows = AgreementPartnerPlaceYear.objects.filter(partner=partner, location=place, n__gt=0)
        return sorted(rows.values_list("first_year", flat=True))

    assert years(iom, baku) == [2016]
    assert AgreementPlaceYear.objects.get(location=baku, first_year=2016).n == 1  # one agreement, signed twice
    later = f.AgreementActionFactory(agreement=framework, party=iom, date=PD(2018, 2), location=geneva)
    assert years(iom, geneva) == [2018]
    assert_exact()
    later.date = PD(2017)
    later.save()
    assert years(iom, geneva) == [2017]
    assert_exact()
    AgreementAction.objects.filter(pk=later.pk).update(date=None)
    assert years(iom, geneva) == [0]
    assert_exact()
    AgreementAction.objects.filter(pk=later.pk).update(date=PD(2019), location=baku)
    assert years(iom, baku) == [2016, 2019] and years(iom, geneva) == []
    assert AgreementPlaceYearPair.objects.filter(agreement=framework, location=baku).count() == 2
    assert_exact()
    framework.parties.remove(iom)
    assert years(iom, baku) == []
    assert_exact()
    framework.parties.add(iom)
    framework.published = False
    framework.save()
    assert years(iom, baku) == []
    assert_exact()


def test_agreements_list_reads_the_count_tables(client, world):
    """A draft topic or partner is not listed, the draft agreement not counted, and the status and
    place facets (counted on the fly) beside them; in as many queries with one agreement or many."""
    response, few = queries(client, "/agreements/?topic=asylum")
    assert response.context["result_count"] == 2
    assert facet(response, "partner") == {"iom": 1, "eu": 2}
    assert facet(response, "kind") == {"cooperation-agreement": 1, "readmission-agreement": 1}
    assert facet(response, "year") == {"2016": 1, "2004": 1}
    assert facet(response, "status") == {"in-force": 1, "signed": 1}
    assert facet(response, "place") == {"geneva": 1, "baku": 1}
    for agreement in f.AgreementFactory.create_batch(4, signed=PD(2016), parties=[world["iom"]]):
        agreement.topics.set([world["asylum"]])
    response, many = queries(client, "/agreements/?topic=asylum")
    assert facet(response, "partner") == {"iom": 5, "eu": 2}
    assert facet(response, "year") == {"2016": 5, "2004": 1}
    assert many == few
    # A party linked to an agreement the cached page counted: counted at once.
    world["readmission"].parties.add(world["iom"])
    response = client.get("/agreements/?topic=asylum")
    assert facet(response, "partner") == {"iom": 6, "eu": 2}
