"""Money as a reader sees it: an amount with its currency, written the way the page's language
writes it (Babel: "€1,200,000" in English, "1.200.000 €" in Azerbaijani, "1 200 000 €" in
Russian), and tables whose cells hold one amount per currency. Amounts in different currencies
are never converted nor added together: a cell with euros and dollars shows both."""

import functools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberPattern, format_currency, get_currency_name, get_currency_symbol, parse_pattern
from django.utils.translation import get_language, to_locale


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of ``language`` (the active one by default): "en-gb" → "en_GB"."""
    return to_locale(language or get_language() or "en")


# Currency signs too new for many fonts (the manat's, 2014): written as their ISO code instead.
UNREADABLE_SIGNS = {"₼"}


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """``amount`` in ``currency`` as ``language`` writes it; whole amounts without their cents."""
    locale, pattern = _money_pattern(babel_locale(language), currency, amount == amount.to_integral_value())
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


@functools.lru_cache(maxsize=512)
def _money_pattern(locale: str, currency: str, whole: bool) -> tuple[Locale, NumberPattern]:
    """The locale and parsed pattern :func:`format_money` writes ``currency`` with, remembered:
    working them out took 50 µs an amount, and a partner's money table writes dozens."""
    parsed = Locale.parse(locale)
    pattern = parsed.currency_formats["standard"].pattern
    if whole:
        pattern = pattern.replace(".00", "")
    symbol = get_currency_symbol(currency, locale=locale)
    if symbol in UNREADABLE_SIGNS:
        pattern, symbol = pattern.replace("¤", "¤¤"), currency
    if symbol.isalpha() and pattern.startswith("¤"):  # "AZN 250,000", not "AZN250,000"
        pattern = pattern.replace("¤#", "¤\xa0#")
    return parsed, parse_pattern(pattern)


def currency_name(code: str, language: str | None = None) -> str:
    """The currency's name in ``language`` (the active one by default): "euro", "евро"."""
    try:
        return get_currency_name(code, locale=babel_locale(language))
    except (ValueError, LookupError):
        return code


@dataclass
class Amounts:
    """Sums per currency ({currency: amount}), in the order of the currencies' codes."""

    by_currency: dict[str, Decimal] = field(default_factory=dict)

    def add(self, currency: str, amount: Decimal) -> None:
        self.by_currency[currency] = self.by_currency.get(currency, Decimal(0)) + amount

    def __bool__(self) -> bool:
        return bool(self.by_currency)

    def __iter__(self):
        return iter(sorted(self.by_currency.items()))

    def formatted(self, language: str | None = None) -> list[str]:
        return [format_money(amount, currency, language) for currency, amount in self]


@dataclass
class MoneyRow:
    """One row of a :class:`MoneyTable`: its heading (a year, a role) and a cell a column, with
    the column's label (a narrow screen writes it before the cell)."""

    key: Hashable
    label: str
    cells: list[tuple[str, Amounts]]


@dataclass
class MoneyTable:
    """Amounts pivoted: a row a key, a column a kind, each cell its sums per currency; only the
    columns some row has an amount in."""

    columns: list[tuple[str, str]]  # (kind, label)
    rows: list[MoneyRow]

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def currencies(self) -> list[str]:
        return sorted({currency for row in self.rows for _, cell in row.cells for currency, _ in cell})

    @classmethod
    def build(
        cls,
        entries: Iterable[tuple[Hashable, str, str, Decimal]],
        columns: Iterable[tuple[str, str]],
        row_label: Callable[[Hashable], str] = str,
        reverse: bool = False,
    ) -> "MoneyTable":
        """From (row key, column kind, currency, amount) entries, summed per currency; the rows
        in the order of their keys (``reverse``: the last first), the columns in ``columns``'
        order."""
        cells: dict[Hashable, dict[str, Amounts]] = defaultdict(lambda: defaultdict(Amounts))
        for key, kind, currency, amount in entries:
            cells[key][kind].add(currency, amount)
        used = {kind for row in cells.values() for kind in row}
        shown = [(kind, label) for kind, label in columns if kind in used]
        rows = [
            MoneyRow(key, row_label(key), [(label, cells[key].get(kind, Amounts())) for kind, label in shown])
            for key in sorted(cells, reverse=reverse)
        ]
        return cls(shown, rows)
