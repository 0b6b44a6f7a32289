"""How a record page names a fact and shows what each source says of it (cooperation/core/citations.py)."""

import pytest

from cooperation.core.citations import fact_phrase, shown_claim
from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Claim
from events.models import Meeting
from partners.models import Office, Partner


@pytest.mark.parametrize(
    ("model", "field", "phrase"),
    [
        (Agreement, "signed", "the date of signing"),
        (Agreement, "in_force", "the date of entry into force"),
        (Office, "opened", "the date it opened"),
        (Meeting, "start", "the start date"),
        (Partner, "member_states", "the member states"),
        (Partner, "name", "the name"),
        (Partner, "no_such_field", "the no such field"),
    ],
)
def test_a_fact_is_named_as_a_sentence_names_it(model, field, phrase):
    assert fact_phrase(model, field) == phrase


@pytest.mark.parametrize(
    ("value", "shown", "date"),
    [
        ("November 8, 1999", "8 November 1999", PartialDate(1999, 11, 8)),
        ("June 2001", "June 2001", PartialDate(2001, 6)),
        ("1999-12-08", "8 December 1999", PartialDate(1999, 12, 8)),
        ("second half of 2007", "second half of 2007", PartialDate(2007, group=41)),
        ("late 1999", "late 1999", None),  # worded loosely: kept as the source states it
    ],
)
def test_a_claim_about_a_date_is_shown_in_the_sites_style_and_kept_as_stated(value, shown, date):
    claim = Claim(field="signed", value=value)

    result = shown_claim(Agreement, claim)

    assert (result.value, result.date) == (shown, date)
    assert claim.value == value


def test_a_claim_about_other_words_is_shown_as_stated():
    assert shown_claim(Partner, Claim(field="name", value="November 8, 1999")).value == "November 8, 1999"


def test_a_reason_ends_the_sentence_once():
    assert shown_claim(Partner, Claim(field="name", value="IOM", reason=" the page is IOM's own. ")).reason == (
        "the page is IOM's own"
    )
