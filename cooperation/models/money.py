"""A project's money: its budgets, and its transactions summed per year and kind, each in its own
currency. Amounts in different currencies are never converted nor added together: a total is
always a total per currency (cooperation/money.py formats and groups them).

The kinds follow the IATI standard's codelists (BudgetType, BudgetStatus, TransactionType), so
what a partner publishes in IATI comes in as it is; the ``*_BY_IATI_CODE`` tables give the
codelists' codes their kind here."""

from decimal import Decimal

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation.core.labels import label
from cooperation.core.models import ReadableText, RecordHistory
from cooperation.core.money import MoneyTable, currency_name
from cooperation.core.prepared import Prepared
from cooperation.models.money_totals import BUDGET, PartnerMoneyTotal
from cooperation.models.projects import Project, ProjectPartner

CURRENCY_CODES = frozenset(list_currencies())


# The currencies a choice offers first: those of the registry's partners, most amounts are in.
COMMON_CURRENCIES = ("AZN", "EUR", "USD", "GBP", "CHF", "SEK", "NOK", "JPY")


def currency_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The ISO 4217 codes as a form's choices, named in the active language: the common ones
    first, then every code Babel knows."""
    named = [(code, f"{code} – {currency_name(code)}") for code in sorted(CURRENCY_CODES)]
    return [
        ("", "---------"),
        (_("Common"), [choice for choice in named if choice[0] in COMMON_CURRENCIES]),
        (_("All currencies"), [choice for choice in named if choice[0] not in COMMON_CURRENCIES]),
    ]


def validate_currency(value: str) -> None:
    """An ISO 4217 code Babel knows (upper case: "AZN", "EUR", "USD")."""
    if value not in CURRENCY_CODES:
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code (e.g. AZN, EUR, USD)."),
            code="currency",
            params={"code": value},
        )


def currency_field() -> models.CharField:
    return models.CharField(
        max_length=3,
        validators=[validate_currency],
        help_text=_("ISO 4217 code, e.g. AZN, EUR, USD. Amounts are kept in the currency the source gives."),
    )


def amount_field(*validators) -> models.DecimalField:
    return models.DecimalField(max_digits=20, decimal_places=2, validators=list(validators))


class BudgetKind(models.TextChoices):
    ORIGINAL = "original", _("Original")  # IATI BudgetType 1
    REVISED = "revised", _("Revised")  # IATI BudgetType 2


class BudgetStatus(models.TextChoices):
    INDICATIVE = "indicative", _("Indicative")  # IATI BudgetStatus 1
    COMMITTED = "committed", _("Committed")  # IATI BudgetStatus 2


class TransactionKind(models.TextChoices):
    """IATI TransactionType, without the codes for equity and guarantees (8, 9, 10), which no
    migration project uses."""

    INCOMING_FUNDS = "incoming-funds", _("Incoming funds")  # 1
    OUTGOING_COMMITMENT = "commitment", _("Commitment")  # 2
    DISBURSEMENT = "disbursement", _("Disbursement")  # 3
    EXPENDITURE = "expenditure", _("Expenditure")  # 4
    INTEREST_PAYMENT = "interest-payment", _("Interest payment")  # 5
    LOAN_REPAYMENT = "loan-repayment", _("Loan repayment")  # 6
    REIMBURSEMENT = "reimbursement", _("Reimbursement")  # 7
    INCOMING_COMMITMENT = "incoming-commitment", _("Incoming commitment")  # 11
    OUTGOING_PLEDGE = "outgoing-pledge", _("Outgoing pledge")  # 12
    INCOMING_PLEDGE = "incoming-pledge", _("Incoming pledge")  # 13


BUDGET_KIND_BY_IATI_CODE = {"1": BudgetKind.ORIGINAL, "2": BudgetKind.REVISED}
BUDGET_STATUS_BY_IATI_CODE = {"1": BudgetStatus.INDICATIVE, "2": BudgetStatus.COMMITTED}
TRANSACTION_KIND_BY_IATI_CODE = {
    "1": TransactionKind.INCOMING_FUNDS,
    "2": TransactionKind.OUTGOING_COMMITMENT,
    "3": TransactionKind.DISBURSEMENT,
    "4": TransactionKind.EXPENDITURE,
    "5": TransactionKind.INTEREST_PAYMENT,
    "6": TransactionKind.LOAN_REPAYMENT,
    "7": TransactionKind.REIMBURSEMENT,
    "11": TransactionKind.INCOMING_COMMITMENT,
    "12": TransactionKind.OUTGOING_PLEDGE,
    "13": TransactionKind.INCOMING_PLEDGE,
}


class ProjectMoney(ReadableText):
    """A row of a project's money: the project's page and its partners' pages show it, so saving
    it renews their versions (``renews_linked``, cooperation/core/versions.py)."""

    # The project's partners show their projects' money on their pages.
    renews_linked = {"project": "partners"}

    class Meta:
        abstract = True

    @property
    def currency_name(self) -> str:
        return currency_name(self.currency)


class BudgetQuerySet(models.QuerySet):
    def effective(self) -> "BudgetQuerySet":
        """The budgets a project's total adds up (as IATI reads them): the revised ones, and the
        original ones that no revised budget of the same project for the same period (its
        start) replaces."""
        revised = Budget.objects.filter(
            project=OuterRef("project"), kind=BudgetKind.REVISED, period_start=OuterRef("period_start")
        )
        return self.filter(Q(kind=BudgetKind.REVISED) | ~Exists(revised))


class Budget(ProjectMoney):
    """What a project plans to spend in a period (IATI ``budget``)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budgets")
    kind = models.CharField(max_length=10, choices=BudgetKind.choices, default=BudgetKind.ORIGINAL)
    status = models.CharField(max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.INDICATIVE)
    period_start = models.DateField()
    period_end = models.DateField()
    amount = amount_field(MinValueValidator(Decimal(0)))
    currency = currency_field()
    value_date = models.DateField(
        null=True, blank=True, help_text=_("The date the amount's currency value is given for.")
    )

    history = RecordHistory()
    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["project", "period_start", "kind", "currency", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="budget_period_in_order",
                violation_error_message=_("A budget's period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}: {self.amount} {self.currency}"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("A budget's period cannot end before it starts.")})


class TransactionTotal(ProjectMoney):
    """A project's transactions of one kind in one year and currency, summed (IATI
    ``transaction``s added up by the import; one row by hand)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transaction_totals")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1900)])
    kind = models.CharField(max_length=20, choices=TransactionKind.choices)
    currency = currency_field()
    amount = amount_field()
    count = models.PositiveIntegerField(
        default=1, help_text=_("How many transactions were summed (1 for an entry by hand).")
    )

    history = RecordHistory()

    class Meta:
        ordering = ["project", "year", "kind", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "kind", "currency"],
                name="transaction_total_unique",
                violation_error_message=_("This project already has a total of this kind for this year and currency."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}: {self.amount} {self.currency}"


def effective_budgets(budgets):
    """:meth:`BudgetQuerySet.effective` of budgets already read: those of ``budgets`` a total adds
    up (any objects with ``kind`` and ``period_start``, of one project)."""
    budgets = list(budgets)
    revised = {budget.period_start for budget in budgets if budget.kind == BudgetKind.REVISED}
    return [budget for budget in budgets if budget.kind == BudgetKind.REVISED or budget.period_start not in revised]


def partner_money(partner_id: int) -> list[tuple[str, str, str, Decimal]]:
    """(role, kind, currency, amount): the money of the published projects ``partner_id`` has a
    role in, summed per role, kind (:data:`BUDGET` for the budgets a total adds up, else the
    transaction kind) and currency over every year; one query, of the totals the database keeps
    (cooperation/models/money_totals.py)."""
    return PARTNER_MONEY.rows(partner=partner_id)


# Its statement built once a connection (cooperation/core/prepared.py): a partner's page reads it.
PARTNER_MONEY = Prepared(
    lambda partner: PartnerMoneyTotal.objects.filter(partner_id=partner, entries__gt=0).values_list(
        "role", "kind", "currency", "amount"
    ),
    params=["partner"],
)


def money_columns() -> list[tuple[str, str]]:
    """The columns of a money table: the budgets (original, revised), then each transaction kind."""
    budgets = [
        (f"{BUDGET}-{BudgetKind.ORIGINAL}", _("Original budget")),
        (f"{BUDGET}-{BudgetKind.REVISED}", _("Revised budget")),
    ]
    return [*budgets, (BUDGET, pgettext_lazy("money", "Budget")), *TransactionKind.choices]


def project_money_table(budgets: list["Budget"], totals: list["TransactionTotal"]) -> MoneyTable:
    """A project's money a year (the last first): its budgets by kind (a budget counts in the
    year its period starts) and its transactions by kind, each cell a sum per currency."""
    entries = [(b.period_start.year, f"{BUDGET}-{b.kind}", b.currency, b.amount) for b in budgets]
    entries += [(t.year, t.kind, t.currency, t.amount) for t in totals]
    return MoneyTable.build(entries, money_columns(), reverse=True)


def partner_money_table(rows: list[tuple[str, str, str, Decimal]]) -> MoneyTable:
    """A partner's projects' money (:func:`partner_money`'s rows), a row a role in the roles'
    order, each cell a sum per currency."""
    roles = dict(ProjectPartner.Role.choices)
    order = list(roles)
    entries = [(order.index(role), kind, currency, amount) for role, kind, currency, amount in rows]
    return MoneyTable.build(entries, money_columns(), row_label=lambda index: roles[order[index]])


label(
    Budget,
    _("budget"),
    _("budgets"),
    project=_("project"),
    kind=_("kind"),
    status=_("status"),
    period_start=_("period start"),
    period_end=_("period end"),
    amount=_("amount"),
    currency=_("currency"),
    value_date=_("value date"),
)
label(
    TransactionTotal,
    _("transaction total"),
    _("transaction totals"),
    project=_("project"),
    year=_("year"),
    kind=_("kind"),
    currency=_("currency"),
    amount=_("amount"),
    count=_("transactions"),
)
