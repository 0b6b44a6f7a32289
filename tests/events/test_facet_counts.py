"""The meetings list's count tables (events/counts.py): after every kind of write they hold what
a GROUP BY of the data gives, and the facets and counts read from them are those counted on the
fly — on SQLite and PostgreSQL alike."""

from unittest.mock import patch

import pytest
from django.db.models import Sum
from django.http import QueryDict

from cooperation.core.listing import count_reads
from cooperation.core.partial_dates import PartialDate as PD
from events.filters import MeetingFilterSet
from events.models import (
    Meeting,
    MeetingCount,
    MeetingPartnerCount,
    MeetingPartnerKind,
    MeetingPartnerPlaceCount,
    MeetingPartnerPlaceTotal,
    MeetingPartnerTotal,
    MeetingPlaceCount,
    MeetingPlaceKind,
    MeetingPlaceTotal,
    MeetingPlaceYear,
)
from tests import factories as f
from tests.helpers.counts import assert_exact as exact
from tests.helpers.listing import facet, queries

pytestmark = pytest.mark.django_db

TABLES = (
    MeetingCount,
    MeetingPartnerCount,
    MeetingPartnerTotal,
    MeetingPlaceTotal,
    MeetingPlaceYear,
    MeetingPlaceCount,
    MeetingPartnerPlaceCount,
    MeetingPartnerPlaceTotal,
    MeetingPartnerKind,
    MeetingPlaceKind,
)
QUESTIONS = (
    "",
    "partner=iom",
    "kind=visit",
    "year=2016",
    "partner=iom&kind=visit&year=2016",
    "partner=iom&kind=visit",
    "kind=visit&place=geneva",
    "kind=visit&kind=summit",
    "year=2006&year=2007",
    "place=baku",
    "place=baku&place=geneva",
    "partner=iom&place=geneva",
    "kind=visit&year=2016&place=baku",
    "partner=iom&partner=cis",
    "partner=iom&partner=cis&kind=visit",
    "partner=iom&partner=cis&year=2016&place=baku",
    "partner=iom&partner=cis&partner=draft",
)


def assert_exact():
    exact(MeetingFilterSet, TABLES, QUESTIONS)


@pytest.fixture
def world():
    iom = f.PartnerFactory(slug="iom", name="IOM")
    cis = f.PartnerFactory(slug="cis", name="CIS")
    draft_partner = f.PartnerFactory(slug="draft", published=False)
    baku = f.PlaceFactory(slug="baku", name="Baku")
    geneva = f.PlaceFactory(slug="geneva", name="Geneva", country="CH")
    visit = f.MeetingFactory(kind="visit", start=PD(2016, 3), partners=[iom, cis], location=baku)
    f.MeetingFactory(
        kind="summit", start=PD(2006, 12, 28), end=PD(2007, 1, 3), partners=[iom, draft_partner], location=geneva
    )
    f.MeetingFactory(kind="visit", start=None, partners=[cis], location=baku)
    f.MeetingFactory(kind="visit", start=PD(2016), partners=[iom], published=False, location=geneva)
    f.MeetingFactory(kind="training", start=PD(2017), partners=[iom])  # at no place
    return {"iom": iom, "cis": cis, "draft": draft_partner, "visit": visit, "baku": baku, "geneva": geneva}


def test_counts_are_exact_after_creating(world):
    assert_exact()
    assert MeetingPartnerTotal.objects.get(partner=world["iom"]).n == 3


def test_counts_are_exact_after_a_change_of_kind_or_dates(world):
    meeting = world["visit"]
    meeting.kind = "summit"
    meeting.start, meeting.end = PD(2015, 12, 30), PD(2016, 1, 2)
    meeting.save()
    assert_exact()


def test_counts_are_exact_after_a_change_of_place(world):
    meeting = world["visit"]
    meeting.location = world["geneva"]
    meeting.save()
    assert_exact()
    Meeting.objects.filter(location=world["geneva"]).update(location=None)
    assert_exact()
    Meeting.objects.update(location=world["baku"])
    assert_exact()
    assert MeetingPlaceCount.objects.filter(location=world["baku"]).aggregate(n=Sum("n"))["n"] == 4


def test_the_place_facet_is_read_from_the_tables(world):
    """With a place, alone or beside the kind, the year or one partner: the tables answer (the
    facet of places lists the places, not "no place")."""
    for params in ("", "kind=visit&year=2016", "partner=iom", "place=baku"):
        filterset = MeetingFilterSet(QueryDict(params), queryset=Meeting.objects.published())
        rows = count_reads.facet_counts(filterset, "place")
        assert rows is not None, params
    filterset = MeetingFilterSet(QueryDict("partner=iom"), queryset=Meeting.objects.published())
    rows = filterset.list_filters["place"].named(count_reads.facet_counts(filterset, "place"))
    assert sorted((row["slug"], row["count"]) for row in rows) == [
        ("baku", 1),
        ("geneva", 1),
    ]


def test_counts_are_exact_after_unpublishing_and_publishing(world):
    meeting = world["visit"]
    meeting.published = False
    meeting.save()
    assert_exact()
    Meeting.objects.filter(published=False).update(published=True)
    assert_exact()
    Meeting.objects.update(published=False)
    assert_exact()
    assert not MeetingCount.objects.filter(n__gt=0).exists()


def test_counts_are_exact_after_deleting(world):
    world["visit"].delete()
    assert_exact()
    Meeting.objects.all().delete()
    assert_exact()
    assert not MeetingPartnerCount.objects.filter(n__gt=0).exists()


def test_counts_are_exact_after_links_change(world):
    meeting = world["visit"]
    meeting.partners.remove(world["cis"])
    assert_exact()
    meeting.partners.add(world["draft"], world["cis"])
    assert_exact()
    meeting.partners.clear()
    assert_exact()
    meeting.partners.set([world["iom"]])
    world["cis"].meetings.clear()  # from the partner's side
    assert_exact()


def test_counts_are_exact_after_a_partner_is_deleted_or_unpublished(world):
    world["cis"].published = False
    world["cis"].save()
    assert_exact()
    Meeting.partners.through.objects.filter(partner=world["cis"]).delete()
    world["cis"].delete()
    assert_exact()


def test_counts_are_exact_after_bulk_writes(world):
    """bulk_create of meetings and of their links (as generate_demo_data and the importer write)."""
    made = Meeting.objects.bulk_create(
        [
            Meeting(title=f"Bulk {n}", slug=f"bulk-{n}", kind="training", start=PD(2000 + n), published=True)
            for n in range(5)
        ]
    )
    Meeting.partners.through.objects.bulk_create(
        [Meeting.partners.through(meeting_id=meeting.pk, partner_id=world["iom"].pk) for meeting in made]
    )
    assert_exact()


def test_two_partners_are_counted_from_the_tables_less_the_meetings_of_both(world):
    """Two values of the partner filter: the tables count the visit with both partners twice,
    so it is subtracted once (count_reads.overlaps); with too many such meetings to subtract, the
    list counts on the fly. Exact either way."""

    def count(params):
        return count_reads.result_count(MeetingFilterSet(QueryDict(params), queryset=Meeting.objects.published()))

    # the visit, the summit, the undated visit, the training
    assert count("partner=iom&partner=cis") == 4
    assert count("partner=iom&partner=cis&kind=visit") == 2
    assert count("partner=iom&partner=cis&year=2016") == 1
    with patch.object(count_reads, "OVERLAP_LIMIT", 0):
        assert count("partner=iom&partner=cis") is None
        filterset = MeetingFilterSet(QueryDict("partner=iom&partner=cis"), queryset=Meeting.objects.published())
        assert filterset.compute_count() == 4
        assert count_reads.facet_counts(filterset, "kind") is None


def test_a_meeting_with_three_of_the_partners_is_subtracted_twice(world):
    third = f.PartnerFactory(slug="third")
    f.MeetingFactory(kind="visit", start=PD(2016, 4), partners=[world["iom"], world["cis"], third])
    filterset = MeetingFilterSet(
        QueryDict("partner=iom&partner=cis&partner=third"), queryset=Meeting.objects.published()
    )
    assert count_reads.result_count(filterset) == 5
    assert count_reads.facet_counts(filterset, "kind")["visit"] == 3
    exact(MeetingFilterSet, TABLES, ["partner=iom&partner=cis&partner=third", "partner=iom&partner=third&year=2016"])


def test_meetings_list_reads_the_count_tables(client, world):
    """The page's facets are those of the tables (a draft partner's meetings are counted, the
    draft partner is not listed), in as many queries with one meeting or many."""
    response, few = queries(client, "/meetings/?kind=visit")
    assert facet(response, "partner") == {"iom": 1, "cis": 2}
    assert facet(response, "year") == {"2016": 1}
    assert response.context["result_count"] == 2
    f.MeetingFactory.create_batch(5, kind="visit", start=PD(2010), partners=[world["cis"]])
    response, many = queries(client, "/meetings/?kind=visit")
    assert facet(response, "partner") == {"iom": 1, "cis": 7}
    assert many == few


@pytest.mark.django_db(transaction=True)  # VACUUM, outside a transaction
def test_a_partners_place_counts_are_read_from_an_index_alone_on_postgresql(client):
    """Migration events.0013: the map of the meetings list filtered to one partner, and the first
    years of a partner's map, read its rows of MeetingPartnerPlaceCount from a covering index, not
    the table. (Vacuumed first, as a table of a million rows is: before, with its few rows fresh, a
    plain scan of the unique key cost the planner the same, and it chose either.)"""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("a covering index is PostgreSQL's")
    iom = f.PartnerFactory(slug="iom")
    geneva = f.PlaceFactory(name="Geneva")
    f.MeetingFactory(partners=[iom], location=geneva)
    rows = MeetingPartnerPlaceCount.objects.filter(partner=iom, n__gt=0).values("location").annotate(count=Sum("n"))
    with connection.cursor() as cursor:  # as on a table of a million rows, vacuumed: this one has one
        cursor.execute("VACUUM ANALYZE events_meetingpartnerplacecount")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = rows.order_by().explain()
    assert "Index Only Scan using meetingpartnerplacecount_cover" in plan
