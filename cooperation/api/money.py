"""A project's money in the API: its budgets and transaction totals, each amount with its own
currency (ISO 4217), never converted; and a partner's projects' money, summed by role, kind and
currency (as its page shows it)."""

from rest_framework import serializers

from cooperation.api.fields import label
from cooperation.models import Budget, ProjectPartner, TransactionTotal
from cooperation.models.money import BUDGET, TransactionKind

AMOUNT_HELP = "A decimal number as a string (e.g. “1200000.00”), in `currency`."
CURRENCY_HELP = "ISO 4217 code, e.g. AZN, EUR, USD. Amounts in different currencies are never added together."


class BudgetSerializer(serializers.ModelSerializer):
    kind_label = label("get_kind_display")
    status_label = label("get_status_display")

    class Meta:
        model = Budget
        fields = ["kind", "kind_label", "status", "status_label", "period_start", "period_end", "amount", "currency",
                  "value_date"]  # fmt: skip
        extra_kwargs = {
            "kind": {"help_text": "original, or revised (a revised budget replaces the original for its period)."},
            "status": {"help_text": "indicative, or committed."},
            "amount": {"help_text": AMOUNT_HELP},
            "currency": {"help_text": CURRENCY_HELP},
            "value_date": {"help_text": "The date the amount's currency value is given for; null if not given."},
        }
        read_only_fields = fields


class TransactionTotalSerializer(serializers.ModelSerializer):
    kind_label = label("get_kind_display")

    class Meta:
        model = TransactionTotal
        fields = ["year", "kind", "kind_label", "amount", "currency", "count"]
        extra_kwargs = {
            "kind": {"help_text": "The IATI transaction type: commitment, disbursement, expenditure, incoming-funds …"},
            "amount": {"help_text": AMOUNT_HELP + " The sum of the year's transactions of this kind."},
            "currency": {"help_text": CURRENCY_HELP},
            "count": {"help_text": "How many transactions were summed."},
        }
        read_only_fields = fields


ROLE_LABELS = dict(ProjectPartner.Role.choices)
KIND_LABELS = {BUDGET: "Budget", **dict(TransactionKind.choices)}


class PartnerMoneySerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ProjectPartner.Role.choices, help_text="Its role in the projects summed.")
    role_label = serializers.CharField()
    kind = serializers.CharField(
        help_text="budget (the budgets a total adds up: revised ones, and original ones no revised one replaces), "
        "or a transaction kind."
    )
    kind_label = serializers.CharField()
    currency = serializers.CharField(help_text=CURRENCY_HELP)
    amount = serializers.DecimalField(max_digits=22, decimal_places=2, help_text=AMOUNT_HELP)


def partner_money_rows(rows):
    """:func:`cooperation.models.money.partner_money`'s rows as the API writes them, in the
    roles' order."""
    order = list(ROLE_LABELS)
    return [
        {
            "role": role,
            "role_label": str(ROLE_LABELS[role]),
            "kind": kind,
            "kind_label": str(KIND_LABELS.get(kind, kind)),
            "currency": currency,
            "amount": amount,
        }
        for role, kind, currency, amount in sorted(rows, key=lambda row: (order.index(row[0]), row[1], row[2]))
    ]
