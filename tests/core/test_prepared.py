"""Querysets whose SQL is built once a connection (cooperation/core/prepared.py): the same records,
rows and counts as the querysets give, for any id, one query each."""

import pytest
from django.db.models import F

from cooperation.core import prepared, related
from cooperation.core.partial_dates import PartialDate
from cooperation.core.prepared import Prepared, attach_prefetched
from cooperation.models import Agreement, AgreementAction
from partners.models import Office, Partner, Post
from tests import factories as f

pytestmark = pytest.mark.django_db

OFFICES = Prepared(
    lambda partner, limit: Office.objects.filter(partner=partner).select_related("partner").order_by("name")[:limit],
    params=["partner"],
)


def _offices(partner, names):
    return [f.OfficeFactory(partner=partner, name=name, opened=PartialDate(2000 + n)) for n, name in enumerate(names)]


def test_records_are_the_querysets_for_each_id_with_their_related_records(django_assert_num_queries):
    iom, unhcr = f.PartnerFactory(name="IOM"), f.PartnerFactory(name="UNHCR")
    _offices(iom, ["Baku", "Ganja", "Astara"])
    _offices(unhcr, ["Baku office"])

    for partner in (iom, unhcr, iom):
        expected = list(Office.objects.filter(partner=partner).select_related("partner").order_by("name")[:2])
        with django_assert_num_queries(1):
            found = OFFICES.records(partner=partner.pk, limit=2)
            assert [office.partner.name for office in found] == [partner.name] * len(expected)  # no query more
        assert [vars(office).keys() - {"_state"} for office in found] == [
            vars(office).keys() - {"_state"} for office in expected
        ]
        assert [(office.pk, office.name, office.opened, office.country) for office in found] == [
            (office.pk, office.name, office.opened, office.country) for office in expected
        ]
        assert all(isinstance(office.opened, PartialDate) for office in found)  # converted, as the queryset does
    assert [office.name for office in OFFICES.records(partner=iom.pk, limit=2)] == ["Astara", "Baku"]


def test_a_value_that_shapes_the_sql_gets_its_own_statement():
    iom = f.PartnerFactory()
    _offices(iom, ["A", "B", "C"])

    assert len(OFFICES.records(partner=iom.pk, limit=1)) == 1
    assert len(OFFICES.records(partner=iom.pk, limit=3)) == 3  # not the first statement's LIMIT 1
    assert len(OFFICES.records(partner=iom.pk, limit=1)) == 1


def test_rows_of_values_are_converted_as_the_queryset_converts_them():
    iom = f.PartnerFactory()
    _offices(iom, ["Baku"])
    opened = Prepared(
        lambda partner: Office.objects.filter(partner=partner).values_list("name", F("partner__name"), "opened"),
        params=["partner"],
    )

    assert opened.rows(partner=iom.pk) == [("Baku", iom.name, PartialDate(2000))]
    assert opened.rows(partner=iom.pk + 1000) == []


def test_an_id_must_reach_the_sql_as_a_parameter_and_only_there():
    ignored = Prepared(lambda partner: Office.objects.all(), params=["partner"])
    with pytest.raises(ValueError, match="partner: not a parameter"):
        ignored.records(partner=1)
    # An id the build uses otherwise would give each id its own SQL: refused, not kept for all.
    shaped = Prepared(lambda partner: Office.objects.filter(partner=partner)[: partner % 7], params=["partner"])
    with pytest.raises(ValueError, match="its SQL changes with the ids"):
        shaped.records(partner=1)
    with pytest.raises(TypeError, match="must be an id"):
        OFFICES.records(partner="1", limit=1)


def test_records_and_rows_are_asked_of_the_queries_that_give_them():
    names = Prepared(lambda partner: Office.objects.filter(partner=partner).values_list("name"), params=["partner"])
    with pytest.raises(TypeError, match="use rows"):
        names.records(partner=1)
    with pytest.raises(TypeError, match="use records"):
        OFFICES.rows(partner=1, limit=1)
    flat = Prepared(
        lambda partner: Office.objects.filter(partner=partner).values_list("name", flat=True), params=["partner"]
    )
    with pytest.raises(TypeError, match="use records"):
        flat.rows(partner=1)


def test_attached_related_records_are_read_without_a_query_and_filtered_by_the_database(django_assert_num_queries):
    first, second, third = (f.AgreementFactory(signed=None) for _ in range(3))
    actions = [
        f.AgreementActionFactory(agreement=agreement, kind=kind, date=PartialDate(2001, month))
        for agreement, kind, month in [
            (first, AgreementAction.Kind.SIGNATURE, 1),
            (first, AgreementAction.Kind.RATIFICATION, 5),
            (second, AgreementAction.Kind.SIGNATURE, 3),
        ]
    ]
    agreements = list(Agreement.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("pk"))

    signatures = AgreementAction.objects.filter(kind=AgreementAction.Kind.SIGNATURE)

    attach_prefetched(agreements, "actions", actions, queryset=signatures)

    with django_assert_num_queries(0):
        assert [[action.pk for action in agreement.actions.all()] for agreement in agreements] == [
            [actions[0].pk, actions[1].pk],
            [actions[2].pk],
            [],
        ]
        assert agreements[0].actions.count() == 2
        assert agreements[0].actions.all()[0].agreement is agreements[0]  # each knows its agreement, as prefetched
    with django_assert_num_queries(1):  # a filter asks the database, of that agreement's actions of the queryset
        assert [action.pk for action in agreements[0].actions.filter(date__isnull=False)] == [actions[0].pk]


def test_related_counts_of_a_prepared_statement_are_those_of_the_querysets(django_assert_num_queries):
    counts = related.RelatedCounts(
        Partner,
        lambda partner: {
            "offices": Office.objects.filter(partner=partner),
            "posts": Post.objects.filter(organisation=partner),
        },
    )
    iom, unhcr = f.PartnerFactory(), f.PartnerFactory()
    _offices(iom, ["A", "B"])
    f.PostFactory(organisation=unhcr)

    assert counts(iom) == {"offices": 2, "posts": 0}
    assert counts(unhcr) == {"offices": 0, "posts": 1}
    assert counts(iom) == related.related_counts(
        iom, {"offices": Office.objects.filter(partner=iom), "posts": Post.objects.filter(organisation=iom)}
    )
    f.OfficeFactory(partner=iom)  # renews the partner's version: counted again
    assert counts(iom) == {"offices": 3, "posts": 0}


def test_sql_written_by_hand_runs_with_the_ids_of_each_call():
    iom, unhcr = f.PartnerFactory(), f.PartnerFactory()
    _offices(iom, ["Ganja", "Baku"])
    _offices(unhcr, ["Astara"])
    names = Prepared(
        lambda partner, limit: (
            f"SELECT name, opened FROM {Office._meta.db_table} WHERE partner_id = %s ORDER BY name LIMIT %s",
            [partner, limit],
        ),
        params=["partner"],
        model=Office,
    )

    stored = {year: int(PartialDate(year)) for year in (2000, 2001)}  # as the database gives a date: not converted
    assert names.rows(partner=iom.pk, limit=5) == [("Baku", stored[2001]), ("Ganja", stored[2000])]
    assert names.rows(partner=unhcr.pk, limit=5) == [("Astara", stored[2000])]
    assert names.rows(partner=iom.pk, limit=1) == [("Baku", stored[2001])]
    with pytest.raises(TypeError, match="use rows"):
        names.records(partner=iom.pk, limit=1)


def test_sql_written_by_hand_names_the_model_whose_database_it_reads():
    unnamed = Prepared(lambda partner: ("SELECT 1 WHERE 1 = %s", [partner]), params=["partner"])
    with pytest.raises(TypeError, match="model="):
        unnamed.rows(partner=1)


def test_a_statement_reads_the_database_the_router_names(monkeypatch):
    """An anonymous visitor's page reads a replica (cooperation/core/db_router.py): the prepared
    queries of that request too, from that connection, with a statement built for it."""
    iom = f.PartnerFactory()
    _offices(iom, ["Baku"])
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(prepared.router, "db_for_read", db_for_read)
    offices = Prepared(lambda partner: Office.objects.filter(partner=partner), params=["partner"])

    found = offices.records(partner=iom.pk)

    assert [office.name for office in found] == ["Baku"]
    assert asked == [Office]
    assert found[0]._state.db == "default"
