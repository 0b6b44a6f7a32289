"""Dates as spreadsheets rewrite them (cooperation/core/date_parsing.py): Excel shows 2000-12 as
“Dec-00”, a US-locale Excel writes 23 February 2017 as “2/23/2017”, a German one “23.02.2017”.
What can mean one date only is read; the rest is refused with a message that repeats the value
and says what to type. The admin's date fields and the import read dates alike."""

import pytest
from django.core.exceptions import ValidationError

from cooperation.core.partial_dates import PartialDate
from tests.helpers.dates import d


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2/23/2017", d(2017, 2, 23)),  # US order: 23 is no month
        ("23/02/2017", d(2017, 2, 23)),  # day first: 23 is no month
        ("23.02.2017", d(2017, 2, 23)),
        ("3.4.2017", d(2017, 4, 3)),  # dots always put the day first
        ("23-02-2017", d(2017, 2, 23)),
        ("5/5/2017", d(2017, 5, 5)),  # either order, the same day
        ("2017/02/23", d(2017, 2, 23)),
        ("Dec-2000", d(2000, 12)),
        ("December-2000", d(2000, 12)),
        ("23-Feb-2017", d(2017, 2, 23)),
        ("12/2000", d(2000, 12)),
        ("about Dec-2000", PartialDate(2000, 12, qualifier="~")),
    ],
)
def test_dates_a_spreadsheet_wrote_that_mean_one_date_are_read(text, expected):
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "3/4/2017",
            "“3/4/2017” may be 3 April 2017 or 4 March 2017: the order of day and month differs between "
            "countries. Write 2017-04-03 or 3 April 2017, or 2017-03-04 or 4 March 2017.",
        ),
        (
            "08-12-1999",
            "“08-12-1999” may be 8 December 1999 or 12 August 1999: the order of day and month differs between "
            "countries. Write 1999-12-08 or 8 December 1999, or 1999-08-12 or 12 August 1999.",
        ),
        (
            "Dec-00",
            "“Dec-00” gives the year in two digits (as a spreadsheet shows a date): write it in full, 2000-12 or "
            "December 2000 (or 1900-12 if that is meant). Formatting the column as Text keeps a spreadsheet from "
            "rewriting dates.",
        ),
        (
            "Jun-45",
            "“Jun-45” gives the year in two digits (as a spreadsheet shows a date): write it in full, 1945-06 or "
            "June 1945 (or 2045-06 if that is meant). Formatting the column as Text keeps a spreadsheet from "
            "rewriting dates.",
        ),
        (
            "23-Feb-17",
            "“23-Feb-17” gives the year in two digits (as a spreadsheet shows a date): write it in full, "
            "2017-02-23 or 23 February 2017 (or 1917-02-23 if that is meant). Formatting the column as Text keeps "
            "a spreadsheet from rewriting dates.",
        ),
        (
            "2/23/17",
            "“2/23/17” gives the year in two digits (as a spreadsheet shows a date): write it in full, "
            "2017-02-23 or 23 February 2017 (or 1917-02-23 if that is meant). Formatting the column as Text keeps "
            "a spreadsheet from rewriting dates.",
        ),
        (
            "3/4/17",
            "“3/4/17” gives the year in two digits and may put the day or the month first: write the date in "
            "full, 2017-04-03 for 3 April 2017 or 2017-03-04 for 4 March 2017.",
        ),
        ("13/14/2017", "The month must be between 1 and 12."),
    ],
)
def test_dates_a_spreadsheet_wrote_that_may_mean_several_are_refused_saying_what_to_type(text, message):
    with pytest.raises(ValidationError) as excinfo:
        PartialDate.parse(text)
    assert excinfo.value.messages == [message]


def test_a_period_in_edtf_is_still_explained():
    with pytest.raises(ValidationError) as excinfo:
        PartialDate.parse("2004/2006")
    assert excinfo.value.messages == [
        "“2004/2006” is EDTF for a period: give its start and its end each in its own field."
    ]
