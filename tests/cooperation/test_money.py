"""A project's money (cooperation/models/money.py): what a budget and a transaction total accept,
and that saving one makes its project's page and its partners' pages stale."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cooperation.core import versions
from cooperation.models import Budget, TransactionKind, TransactionTotal
from partners.models import Partner
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_budget_needs_a_known_currency_an_ordered_period_and_no_negative_amount():
    project = f.ProjectFactory()
    budget = Budget(
        project=project,
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2020, 1, 1),
        amount=Decimal("-1"),
        currency="XYZ",
    )
    with pytest.raises(ValidationError) as error:
        budget.full_clean()
    assert set(error.value.message_dict) == {"currency", "amount", "period_end"}

    budget.period_end, budget.amount, budget.currency = datetime.date(2021, 12, 31), Decimal("1000.50"), "AZN"
    budget.full_clean()
    budget.save()
    assert budget.currency_name == "Azerbaijani Manat"


def test_the_database_refuses_a_budget_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.BudgetFactory(period_start=datetime.date(2021, 1, 1), period_end=datetime.date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        f.BudgetFactory(amount=Decimal("-5"))


def test_one_transaction_total_a_project_year_kind_and_currency():
    total = f.TransactionTotalFactory(kind=TransactionKind.EXPENDITURE, currency="USD")
    f.TransactionTotalFactory(project=total.project, kind=TransactionKind.EXPENDITURE, currency="EUR")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.TransactionTotalFactory(project=total.project, kind=TransactionKind.EXPENDITURE, currency="USD")
    assert TransactionTotal.objects.filter(project=total.project).count() == 2


@pytest.mark.parametrize("factory", [f.BudgetFactory, f.TransactionTotalFactory])
def test_saving_or_deleting_money_renews_its_project_and_its_partners(factory):
    link = f.ProjectPartnerFactory(role="funding")
    other = f.PartnerFactory()
    names = [
        versions.record_name(type(link.project), link.project.pk),
        versions.record_name(Partner, link.partner.pk),
        versions.record_name(Partner, other.pk),
    ]
    before = versions.read_fresh(names)
    row = factory(project=link.project)
    saved = versions.read_fresh(names)
    assert saved[names[0]] != before[names[0]] and saved[names[1]] != before[names[1]]
    assert saved[names[2]] == before[names[2]]  # a partner of no project of it: untouched

    row.delete()
    deleted = versions.read_fresh(names)
    assert deleted[names[0]] != saved[names[0]] and deleted[names[1]] != saved[names[1]]
