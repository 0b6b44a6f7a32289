"""Partial dates written short."""

from cooperation.core.partial_dates import PartialDate


def d(*parts):
    return PartialDate(*parts)
