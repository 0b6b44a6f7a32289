"""An IATI activity as plain data, as ``parse`` reads it and ``apply`` writes it: no XML, no
database."""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass
class Problem:
    activity: str  # the activity's identifier ("" before it is known, or for the file)
    element: str
    line: int | None
    reason: str


@dataclass
class Texts:
    """One text in the registry's languages, and what the file gave in others ({lang: text})."""

    en: str = ""
    az: str = ""
    ru: str = ""
    others: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.en or self.az or self.ru or self.others)

    def any(self) -> str:
        return self.en or next(iter(self.others.values()), "") or self.az or self.ru


@dataclass
class Organisation:
    ref: str
    name: Texts
    role: str  # OrganisationRole code, "1" … "4"
    type: str
    line: int | None


@dataclass
class Classification:
    element: str  # "sector" or "tag"
    vocabulary: str
    code: str
    name: str
    line: int | None


@dataclass
class Document:
    url: str
    title: str
    category: str
    language: str
    date: datetime.date | None
    line: int | None


@dataclass
class BudgetLine:
    kind: str  # BudgetType code
    status: str  # BudgetStatus code
    period_start: datetime.date
    period_end: datetime.date
    amount: Decimal
    currency: str
    value_date: datetime.date | None
    line: int | None


@dataclass
class TransactionLine:
    type: str  # TransactionType code
    date: datetime.date
    amount: Decimal
    currency: str
    line: int | None


@dataclass
class Activity:
    identifier: str
    line: int | None
    last_updated: datetime.datetime | None = None
    default_currency: str = ""
    publisher_ref: str = ""
    publisher_name: str = ""
    title: Texts = field(default_factory=Texts)
    description: Texts = field(default_factory=Texts)
    status: str = ""
    dates: dict[str, datetime.date] = field(default_factory=dict)  # ActivityDateType code → date
    organisations: list[Organisation] = field(default_factory=list)
    classifications: list[Classification] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    budgets: list[BudgetLine] = field(default_factory=list)
    transactions: list[TransactionLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def fingerprint(self) -> str:
        """A hash of what the file says of the activity (not where it says it)."""
        data = asdict(self)
        data.pop("problems")
        return hashlib.sha256(json.dumps(_without_lines(data), sort_keys=True, default=str).encode()).hexdigest()


def _without_lines(value):
    if isinstance(value, dict):
        return {key: _without_lines(item) for key, item in value.items() if key != "line"}
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    return value
