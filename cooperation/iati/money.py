"""An activity's money written into the project's (cooperation/models/money.py): its budgets,
those for the same kind, status, period and currency added up; its transactions summed per
year, kind and currency, with how many were summed. Each in its own currency, never converted.
What the file says replaces what the project held: the activity is where they come from."""

from collections import defaultdict
from decimal import Decimal

from cooperation.iati import codelists
from cooperation.iati.data import Activity, Problem
from cooperation.models import Budget, Project, TransactionTotal
from cooperation.models.money import (
    BUDGET_KIND_BY_IATI_CODE,
    BUDGET_STATUS_BY_IATI_CODE,
    TRANSACTION_KIND_BY_IATI_CODE,
)

MIN_YEAR = 1900


def write(project: Project, activity: Activity, attribute) -> None:
    """Replace ``project``'s budgets and transaction totals with ``activity``'s (``attribute``
    names who and why on each row, for its history)."""
    budgets: dict[tuple, list] = {}
    for line in activity.budgets:
        if line.amount < 0:
            activity.problems.append(
                Problem(activity.identifier, "budget/value", line.line, "A negative budget: left out.")
            )
            continue
        key = (line.kind, line.status, line.period_start, line.period_end, line.currency)
        total = budgets.setdefault(key, [Decimal(0), line.value_date])
        total[0] += line.amount
    totals: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    for line in activity.transactions:
        kind = TRANSACTION_KIND_BY_IATI_CODE.get(line.type)
        if kind is None or line.date.year < MIN_YEAR:
            name = codelists.name_of("TransactionType", line.type)
            reason = f"The registry keeps no {name} transactions" if kind is None else f"{line.date} is too early"
            activity.problems.append(
                Problem(activity.identifier, "transaction", line.line, f"{reason}: left out of the totals.")
            )
            continue
        total = totals[(line.date.year, kind, line.currency)]
        total[0] += line.amount
        total[1] += 1
    # Saved one by one (not bulk_create), so that history records them and the project's and
    # partners' cached pages go stale (cooperation/core/versions.py): a few rows an activity.
    Budget.objects.filter(project=project).delete()
    TransactionTotal.objects.filter(project=project).delete()
    rows = [
        Budget(
            project=project,
            kind=BUDGET_KIND_BY_IATI_CODE[kind],
            status=BUDGET_STATUS_BY_IATI_CODE[status],
            period_start=start,
            period_end=end,
            amount=amount,
            currency=currency,
            value_date=value_date,
        )
        for (kind, status, start, end, currency), (amount, value_date) in budgets.items()
    ]
    rows += [
        TransactionTotal(project=project, year=year, kind=kind, currency=currency, amount=amount, count=count)
        for (year, kind, currency), (amount, count) in totals.items()
    ]
    for row in rows:
        attribute(row)
        row.save()
