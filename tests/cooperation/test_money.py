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


# The project page: a table a year ------------------------------------------------------------


def money_rows(html):
    """The money table's rows as the reader sees them: [[year, cell, …]], a cell's amounts joined by " + "."""
    table = html.split('class="stack-table money-table"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = [cell.split(">", 1)[1] for cell in row.replace("<th", "<td").split("<td")[1:]]
        texts = []
        for cell in cells:
            cell = cell.split("</t")[0]
            texts.append(
                " + ".join(part.split("</span>")[0] for part in cell.split('<span class="amount">')[1:]) or cell
            )
        rows.append(texts)
    return rows


def test_project_page_shows_a_year_a_row_each_currency_apart():
    project = f.ProjectFactory(slug="p")
    f.BudgetFactory(project=project, amount=Decimal("1200000"), currency="EUR")
    f.BudgetFactory(project=project, amount=Decimal("300000.50"), currency="USD")
    f.BudgetFactory(project=project, kind="revised", amount=Decimal("1250000"), currency="EUR")
    f.TransactionTotalFactory(project=project, year=2021, kind="expenditure", amount=Decimal("80000"), currency="EUR")
    f.TransactionTotalFactory(project=project, year=2021, kind="expenditure", amount=Decimal("1000"), currency="AZN")
    from django.test import Client

    html = Client().get("/projects/p/").content.decode()

    heads = ["Year", "Original budget", "Revised budget", "Expenditure"]
    assert "".join(f'<th scope="col">{head}</th>' for head in heads) in html
    assert money_rows(html) == [
        ["2021", "", "", "AZN\xa01,000 + €80,000"],
        ["2020", "€1,200,000 + US$300,000.50", "€1,250,000", ""],
    ]
    assert "neither converted nor added together" in html


@pytest.mark.parametrize(("language", "amount"), [("az", "1.200.000\xa0€"), ("ru", "1\xa0200\xa0000\xa0€")])
def test_project_page_writes_amounts_as_its_language_does(client, language, amount):
    project = f.ProjectFactory(slug="p")
    f.BudgetFactory(project=project, amount=Decimal("1200000"), currency="EUR")
    html = client.get(f"/{language}/projects/p/").content.decode()
    assert amount in html


def test_a_project_without_money_has_no_money_section(client):
    f.ProjectFactory(slug="p")
    assert "money-heading" not in client.get("/projects/p/").content.decode()


# The partner page: totals by role and currency ------------------------------------------------


def test_partner_page_totals_its_projects_money_by_role_and_currency(client):
    iom = f.PartnerFactory(slug="iom")
    funded = f.ProjectPartnerFactory(partner=iom, role="funding").project
    implemented = f.ProjectPartnerFactory(partner=iom, role="implementing").project
    draft = f.ProjectPartnerFactory(partner=iom, role="funding", project=f.ProjectFactory(published=False)).project
    f.BudgetFactory(project=funded, amount=Decimal("100"), currency="EUR")
    f.BudgetFactory(project=funded, kind="revised", amount=Decimal("150"), currency="EUR")  # replaces the 100
    f.BudgetFactory(project=funded, amount=Decimal("40"), currency="USD", period_start=datetime.date(2021, 1, 1))
    f.BudgetFactory(project=implemented, amount=Decimal("7"), currency="EUR")
    f.TransactionTotalFactory(project=implemented, amount=Decimal("5"), currency="EUR", kind="disbursement")
    f.BudgetFactory(project=draft, amount=Decimal("1000000"), currency="EUR")  # a draft: not counted

    html = client.get("/partners/iom/").content.decode()

    assert "Money of its projects" in html
    assert money_rows(html) == [["Implementing", "€7", "€5"], ["Funding", "€150 + US$40", ""]]

    # A budget saved shows at once: the page's cached record is stale.
    f.BudgetFactory(project=implemented, amount=Decimal("3"), currency="EUR", period_start=datetime.date(2022, 1, 1))
    assert money_rows(client.get("/partners/iom/").content.decode())[0] == ["Implementing", "€10", "€5"]


# The admin: inlines on the project ------------------------------------------------------------


def test_staff_add_a_budget_and_a_transaction_total_on_the_project_form(superuser_client):
    from cooperation.models import Project
    from tests.helpers.admin import add_row, admin_url, changed_data, inline_errors

    project = f.ProjectFactory()
    data = changed_data(superuser_client, project)
    add_row(
        data,
        "budgets",
        kind="original",
        status="committed",
        period_start="2020-01-01",
        period_end="2020-12-31",
        amount="250000",
        currency="AZN",
    )
    add_row(data, "transaction_totals", year="2020", kind="disbursement", amount="1000.5", currency="USD", count="1")

    response = superuser_client.post(admin_url(Project, "change", project.pk), data)

    assert response.status_code == 302, response.context and inline_errors(response, "budgets")
    budget = project.budgets.get()
    assert (budget.amount, budget.currency, budget.status) == (Decimal("250000"), "AZN", "committed")
    assert project.transaction_totals.get().amount == Decimal("1000.50")


def test_the_project_form_refuses_an_unknown_currency_and_a_period_backwards(superuser_client):
    from cooperation.models import Project
    from tests.helpers.admin import add_row, admin_url, changed_data, inline_errors

    project = f.ProjectFactory()
    data = changed_data(superuser_client, project)
    add_row(
        data,
        "budgets",
        kind="original",
        status="indicative",
        period_start="2021-01-01",
        period_end="2020-12-31",
        amount="-3",
        currency="XXZ",
    )

    response = superuser_client.post(admin_url(Project, "change", project.pk), data)

    assert response.status_code == 200
    errors, _ = inline_errors(response, "budgets")
    assert set(errors[0]) == {"currency", "amount", "period_end"}
    assert not Budget.objects.exists()
    assert 'value="AZN">AZN – Azerbaijani Manat</option>' in response.content.decode()


# The API -------------------------------------------------------------------------------------


def test_the_api_gives_a_projects_budgets_and_totals_and_a_partners_money(client):
    link = f.ProjectPartnerFactory(partner=f.PartnerFactory(slug="iom"), role="funding")
    link.project.slug = "p"
    link.project.save()
    f.BudgetFactory(project=link.project, amount=Decimal("1200000"), currency="EUR", status="committed")
    f.TransactionTotalFactory(project=link.project, amount=Decimal("5.5"), currency="USD", count=3)

    project = client.get("/api/projects/p/").json()
    partner = client.get("/api/partners/iom/").json()

    assert project["budgets"] == [
        {
            "kind": "original",
            "kind_label": "Original",
            "status": "committed",
            "status_label": "Committed",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            "amount": "1200000.00",
            "currency": "EUR",
            "value_date": None,
        }
    ]
    assert project["transaction_totals"] == [
        {
            "year": 2020,
            "kind": "disbursement",
            "kind_label": "Disbursement",
            "amount": "5.50",
            "currency": "USD",
            "count": 3,
        }
    ]
    assert [(row["role"], row["kind"], row["currency"], row["amount"]) for row in partner["money"]] == [
        ("funding", "budget", "EUR", "1200000.00"),
        ("funding", "disbursement", "USD", "5.50"),
    ]
    schema = client.get("/api/schema/").content.decode()
    assert "TransactionTotal" in schema and "PartnerMoney" in schema


# Exports -------------------------------------------------------------------------------------


def test_the_projects_export_has_the_money_columns_for_reading(client):
    import csv
    import io

    from cooperation.core.exports import DERIVED
    from cooperation.exports import PROJECTS

    project = f.ProjectFactory(slug="p")
    f.BudgetFactory(project=project, amount=Decimal("100"), currency="EUR", status="committed")
    f.BudgetFactory(project=project, kind="revised", amount=Decimal("120"), currency="EUR")
    f.BudgetFactory(project=project, amount=Decimal("9"), currency="USD", period_start=datetime.date(2021, 1, 1))
    f.TransactionTotalFactory(project=project, year=2021, kind="expenditure", amount=Decimal("7.5"), count=4)

    body = b"".join(client.get("/projects/?format=csv").streaming_content).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(body)))

    assert row["budget_total"] == "120.00 EUR; 9.00 USD"  # the revised 120 replaces the original 100
    assert row["budgets"] == (
        "original | committed | 2020-01-01/2020-12-31 | 100.00 EUR; "
        "revised | indicative | 2020-01-01/2020-12-31 | 120.00 EUR; "
        "original | indicative | 2021-01-01/2021-12-31 | 9.00 USD"
    )
    assert row["transactions"] == "2021 | expenditure | 7.50 EUR | 4"
    uses = {column.name: column.use for column in PROJECTS.columns}
    assert {uses["budget_total"], uses["budgets"], uses["transactions"]} == {DERIVED}  # never read back
    data = client.get("/projects/?format=json")
    result = __import__("json").loads(b"".join(data.streaming_content))["results"][0]
    assert result["budget_total"] == ["120.00 EUR", "9.00 USD"]


# History -------------------------------------------------------------------------------------


def test_a_budget_added_in_the_admin_shows_in_the_projects_history():
    from cooperation.models import Project
    from tests.helpers.admin import add_row, admin_url, form_data
    from tests.helpers.history import pass_time, versions_shown
    from tests.helpers.users import login

    project = f.ProjectFactory(title="UNIMIG")
    pass_time()
    client, _user = login("alice")
    data = form_data(client.get(admin_url(Project, "change", project.pk)))
    add_row(
        data,
        "budgets",
        kind="revised",
        status="committed",
        period_start="2020-01-01",
        period_end="2020-12-31",
        amount="250000",
        currency="EUR",
    )
    add_row(data, "transaction_totals", year="2020", kind="expenditure", amount="1000", currency="EUR", count="2")
    assert client.post(admin_url(Project, "change", project.pk), data).status_code == 302

    shown = versions_shown(client.get(admin_url(Project, "history", project.pk)))
    assert "Budget “Revised, 2020-01-01–2020-12-31: 250000.00 EUR”: added" in shown[0][2]
    assert "Transaction total “2020, Expenditure: 1000.00 EUR”: added" in shown[0][2]
