"""The money totals (cooperation/models/money_totals.py): the database keeps each project's and
each partner's money summed, whatever writes it, and a partner's page reads the sums instead of
adding up its projects' budgets and transactions."""

import datetime
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from cooperation.models import Budget, PartnerMoneyTotal, Project, ProjectMoneyTotal, ProjectPartner, TransactionTotal
from cooperation.models.money import BUDGET, BudgetKind, TransactionKind, partner_money
from tests import factories as f

Role = ProjectPartner.Role


def summed_afresh():
    """What the totals should hold, added up from the budgets and transactions: ({(project,
    kind, currency): amount}, {(partner, role, kind, currency): amount})."""
    projects = defaultdict(Decimal)
    for row in Budget.objects.effective().values("project", "currency").annotate(total=Sum("amount")):
        projects[row["project"], BUDGET, row["currency"]] += row["total"]
    for row in TransactionTotal.objects.values("project", "kind", "currency").annotate(total=Sum("amount")):
        projects[row["project"], row["kind"], row["currency"]] += row["total"]
    partners = defaultdict(Decimal)
    for role in ProjectPartner.objects.filter(project__published=True):
        for (project, kind, currency), amount in projects.items():
            if project == role.project_id:
                partners[role.partner_id, role.role, kind, currency] += amount
    return dict(projects), dict(partners)


def kept():
    projects = {
        (row.project_id, row.kind, row.currency): row.amount for row in ProjectMoneyTotal.objects.filter(entries__gt=0)
    }
    partners = {
        (row.partner_id, row.role, row.kind, row.currency): row.amount
        for row in PartnerMoneyTotal.objects.filter(entries__gt=0)
    }
    return projects, partners


def assert_exact():
    assert kept() == summed_afresh()


@pytest.mark.django_db
def test_every_kind_of_write_keeps_the_totals_exact():
    iom, unhcr, eu = f.PartnerFactory.create_batch(3)
    project = f.ProjectFactory()
    f.ProjectPartnerFactory(project=project, partner=iom, role=Role.IMPLEMENTING)
    f.ProjectPartnerFactory(project=project, partner=eu, role=Role.FUNDING)
    original = f.BudgetFactory(project=project, amount=Decimal("100.50"))
    f.BudgetFactory(project=project, period_start=datetime.date(2021, 1, 1), amount=Decimal("200"))
    disbursed = f.TransactionTotalFactory(project=project, amount=Decimal("40"))
    f.TransactionTotalFactory(project=project, year=2021, amount=Decimal("10"), currency="USD")
    assert_exact()
    assert sorted(partner_money(eu.pk)) == [
        (Role.FUNDING, BUDGET, "EUR", Decimal("300.50")),
        (Role.FUNDING, TransactionKind.DISBURSEMENT, "EUR", Decimal("40.00")),
        (Role.FUNDING, TransactionKind.DISBURSEMENT, "USD", Decimal("10.00")),
    ]

    # A revised budget replaces the original one of its period; deleting it brings it back.
    revised = f.BudgetFactory(project=project, kind=BudgetKind.REVISED, amount=Decimal("150"))
    assert (Role.FUNDING, BUDGET, "EUR", Decimal("350.00")) in partner_money(eu.pk)
    assert_exact()
    revised.delete()
    assert_exact()

    # A form's save, a change of currency, a move to another project, a delete.
    original.amount = Decimal("120")
    original.save()
    assert_exact()
    disbursed.currency = "AZN"
    disbursed.save()
    assert_exact()
    other = f.ProjectFactory()
    f.ProjectPartnerFactory(project=other, partner=unhcr)
    disbursed.project = other
    disbursed.save()
    assert_exact()
    disbursed.delete()
    assert_exact()

    # Roles added, changed and removed.
    role = f.ProjectPartnerFactory(project=project, partner=unhcr, role=Role.IMPLEMENTING)
    assert_exact()
    role.role = Role.FUNDING
    role.save()
    assert_exact()
    role.delete()
    assert_exact()

    # Unpublished, published again; writes that send no signal; a project deleted.
    Project.objects.filter(pk=project.pk).update(published=False)
    assert partner_money(eu.pk) == []
    assert_exact()
    Project.objects.filter(pk=project.pk).update(published=True)
    assert_exact()
    Budget.objects.filter(project=project).update(amount=Decimal("7"))
    Budget.objects.bulk_create(
        [
            Budget(
                project=other,
                period_start=datetime.date(2019, 1, 1),
                period_end=datetime.date(2019, 12, 31),
                amount=Decimal("5"),
                currency="EUR",
            )
        ]
    )
    TransactionTotal.objects.filter(currency="USD").delete()
    assert_exact()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cooperation_budget SET currency = 'GBP' WHERE amount = 5")
    assert_exact()
    project.delete()
    assert_exact()
    assert partner_money(eu.pk) == []
    assert not ProjectMoneyTotal.objects.filter(project=project.pk).exists()


@pytest.mark.django_db
def test_a_draft_project_counts_on_no_partner_page_and_a_budget_of_nothing_does():
    partner = f.PartnerFactory()
    draft = f.ProjectFactory(published=False)
    f.ProjectPartnerFactory(project=draft, partner=partner)
    f.BudgetFactory(project=draft)
    published = f.ProjectFactory()
    f.ProjectPartnerFactory(project=published, partner=partner)
    f.BudgetFactory(project=published, amount=Decimal("0"))
    assert partner_money(partner.pk) == [(Role.IMPLEMENTING, BUDGET, "EUR", Decimal("0.00"))]
    assert_exact()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_of_one_projects_money_keep_its_partners_totals_exact():
    """On PostgreSQL two transactions write budgets and roles of the same project at once: each
    trigger waits for the project's lock, and reads what the other committed."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: nothing is concurrent.")
    partners = f.PartnerFactory.create_batch(4)
    project = f.ProjectFactory()
    f.ProjectPartnerFactory(project=project, partner=partners[0])
    barrier = threading.Barrier(4)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for year in range(2000, 2010):
                f.BudgetFactory(project=project, period_start=datetime.date(year + 10 * n, 1, 1), amount=Decimal(n + 1))
            f.ProjectPartnerFactory(project=project, partner=partners[n], role=Role.FUNDING)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_exact()
    assert (Role.FUNDING, BUDGET, "EUR", Decimal("100.00")) in partner_money(partners[3].pk)


@pytest.mark.django_db
def test_a_project_deleted_before_its_roles_and_money_leaves_no_money_behind():
    """A raw delete may remove the project first (the foreign keys are checked at commit)."""
    partner = f.PartnerFactory()
    project = f.ProjectFactory()
    f.ProjectPartnerFactory(project=project, partner=partner)
    f.BudgetFactory(project=project)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cooperation_project WHERE id = %s", [project.pk])
    assert partner_money(partner.pk) == []
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cooperation_budget WHERE project_id = %s", [project.pk])
        cursor.execute("DELETE FROM cooperation_projectpartner WHERE project_id = %s", [project.pk])
    assert_exact()
    assert not ProjectMoneyTotal.objects.filter(project=project.pk).exists()


def budget_rows_read_in_full():
    """How many budget rows this transaction has read by scanning the whole table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq_tup_read FROM pg_stat_xact_user_tables WHERE relname = 'cooperation_budget'")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_writing_a_budget_reads_only_its_projects_budgets():
    """However many budgets other projects have, the triggers of a budget read its own project's
    through the index: a plan the connection cached while the table was small never scans the
    whole table for a project's revised budgets (that made loading 100,000 projects slower with
    every one)."""
    if connection.vendor != "postgresql":
        pytest.skip("The plans a trigger caches are PostgreSQL's.")
    others = f.ProjectFactory.create_batch(4)
    Budget.objects.bulk_create(
        f.BudgetFactory.build(project=others[n % 4], period_start=datetime.date(1000 + n, 1, 1)) for n in range(1200)
    )
    project = f.ProjectFactory()
    f.ProjectPartnerFactory(project=project)
    before = budget_rows_read_in_full()
    for year in range(2000, 2012):
        f.BudgetFactory(project=project, period_start=datetime.date(year, 1, 1))
    f.BudgetFactory(project=project, kind=BudgetKind.REVISED, period_start=datetime.date(2000, 1, 1))
    assert budget_rows_read_in_full() - before < 1200
    assert_exact()
