"""Money in the page's language (cooperation/core/money.py): ``{% for text in cell|amounts %}``
gives each sum of a table cell, one a currency, written as the page's language writes it."""

from decimal import Decimal

from django import template

from cooperation.core.money import Amounts, currency_name, format_money

register = template.Library()


@register.filter
def amounts(cell: Amounts) -> list[str]:
    return cell.formatted() if cell else []


@register.filter
def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


@register.filter(name="currency_name")
def currency_name_filter(code: str) -> str:
    return currency_name(code)
