"""Partial dates: "1998", "August 2006", "8 December 1999", in Python and in the database.

The database tests run on whichever backend DATABASE_URL selects; CI runs them on SQLite and
on PostgreSQL.
"""

import datetime

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError

from cooperation.core.partial_dates import PartialDate, PartialDateFormField, Precision, format_range
from cooperation.models import Project, Source
from tests.factories import ProjectFactory, SourceFactory
from tests.helpers.dates import d

EXPECTED = (
    "a year (1998), a month (2006-08 or August 2006), a day (1999-12-08 or 8 December 1999), "
    "a half or quarter (second half of 2007, Q3 2010), or an approximate or uncertain date (about 2008, 2007?)"
)


def messages_of(excinfo):
    return excinfo.value.messages


# Parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1998", d(1998)),
        ("  1998 ", d(1998)),
        ("2006-08", d(2006, 8)),
        ("2006-8", d(2006, 8)),
        ("1999-12-08", d(1999, 12, 8)),
        ("1999-12-8", d(1999, 12, 8)),
        ("8.12.1999", d(1999, 12, 8)),
        ("23/12/1999", d(1999, 12, 23)),
        ("August 2006", d(2006, 8)),
        ("august 2006", d(2006, 8)),
        ("Aug 2006", d(2006, 8)),
        ("Aug. 2006", d(2006, 8)),
        ("Sept 2007", d(2007, 9)),
        ("8 December 1999", d(1999, 12, 8)),
        ("8 Dec 1999", d(1999, 12, 8)),
        ("8  December   1999", d(1999, 12, 8)),
        ("December 8, 1999", d(1999, 12, 8)),
        ("29 February 2000", d(2000, 2, 29)),
    ],
)
def test_parse_accepts_the_ways_sources_write_dates(text, expected):
    parsed = PartialDate.parse(text)

    assert parsed == expected
    assert parsed.precision == expected.precision


def test_parse_passes_partial_dates_through_and_reads_python_dates():
    assert PartialDate.parse(d(2006, 8)) == d(2006, 8)
    assert PartialDate.parse(datetime.date(1999, 12, 8)) == d(1999, 12, 8)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2001-02-30", "February 2001 has no day 30."),
        ("30 February 2001", "February 2001 has no day 30."),
        ("29 February 1900", "February 1900 has no day 29."),
        ("2006-08-00", "August 2006 has no day 0."),
        ("2006-13", "The month must be between 1 and 12."),
        ("1998-00", "The month must be between 1 and 12."),
        ("13.13.2006", "The month must be between 1 and 12."),
        ("0999", "The year must be between 1000 and 9999."),
        ("abc", f"“abc” is not a date this registry understands. Enter {EXPECTED}."),
        ("Smarch 2006", f"“Smarch 2006” is not a date this registry understands. Enter {EXPECTED}."),
        ("sometime in 2007", f"“sometime in 2007” is not a date this registry understands. Enter {EXPECTED}."),
        ("98", f"“98” is not a date this registry understands. Enter {EXPECTED}."),
        ("", f"Enter {EXPECTED}."),
        ("   ", f"Enter {EXPECTED}."),
    ],
)
def test_parse_rejects_what_is_not_a_date_with_a_readable_message(text, message):
    with pytest.raises(ValidationError) as excinfo:
        PartialDate.parse(text)

    assert messages_of(excinfo) == [message]


def test_parse_quotes_at_most_forty_characters_of_bad_input():
    with pytest.raises(ValidationError) as excinfo:
        PartialDate.parse("x" * 100)

    assert messages_of(excinfo) == [f"“{'x' * 40}” is not a date this registry understands. Enter {EXPECTED}."]


def test_partial_date_day_without_month_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        PartialDate(1998, None, 5)

    assert messages_of(excinfo) == ["A day needs a month."]


# Display and conversions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown", "iso", "precision"),
    [
        (d(1998), "1998", "1998", Precision.YEAR),
        (d(2006, 8), "August 2006", "2006-08", Precision.MONTH),
        (d(1999, 12, 8), "8 December 1999", "1999-12-08", Precision.DAY),
    ],
)
def test_partial_date_displays_as_written(value, shown, iso, precision):
    assert str(value) == shown
    assert value.iso == iso
    assert value.precision == precision
    assert repr(value) == f"PartialDate({iso!r})"


@pytest.mark.parametrize(
    ("value", "stored"),
    [(d(1998), 19980000), (d(2006, 8), 20060800), (d(1999, 12, 8), 19991208)],
)
def test_partial_date_stores_as_one_integer(value, stored):
    assert int(value) == stored
    assert PartialDate.from_int(stored) == value


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        (d(1998), datetime.date(1998, 1, 1), datetime.date(1998, 12, 31)),
        (d(2000, 2), datetime.date(2000, 2, 1), datetime.date(2000, 2, 29)),
        (d(1999, 12, 8), datetime.date(1999, 12, 8), datetime.date(1999, 12, 8)),
    ],
)
def test_partial_date_spans_the_days_it_may_mean(value, first, last):
    assert (value.first_day, value.last_day) == (first, last)


# Ordering -------------------------------------------------------------------------------

IN_ORDER = [d(1998), d(1998, 1), d(1998, 1, 5), d(1998, 2), d(1999)]


def test_ordering_puts_a_year_before_the_months_and_days_inside_it():
    assert d(1998) < d(1998, 1) < d(1998, 1, 5) < d(1999)
    assert d(1999) > d(1998, 12, 31) >= d(1998, 12, 31)
    assert sorted([d(1999), d(1998, 1, 5), d(1998), d(1998, 2), d(1998, 1)]) == IN_ORDER


def test_equal_partial_dates_are_equal_and_hash_alike():
    assert d(2006, 8) == PartialDate.parse("August 2006")
    assert d(2006, 8) != d(2006)
    assert len({d(2006, 8), PartialDate.parse("2006-08"), d(2006)}) == 2


def test_partial_dates_do_not_compare_with_other_types():
    with pytest.raises(TypeError):
        assert d(1998) < 1999


@pytest.mark.django_db
def test_ordering_in_the_database_matches_python():
    for value in [d(1999), d(1998, 1, 5), d(1998), d(1998, 2), d(1998, 1)]:
        SourceFactory(date=value)

    assert list(Source.objects.order_by("date").values_list("date", flat=True)) == IN_ORDER
    assert list(Source.objects.order_by("-date").values_list("date", flat=True)) == IN_ORDER[::-1]


# The model field ------------------------------------------------------------------------


@pytest.mark.django_db
def test_field_reads_back_what_was_saved_whatever_form_it_was_given_in():
    given = {"1998": d(1998), "August 2006": d(2006, 8), 19991208: d(1999, 12, 8), d(2007, 5): d(2007, 5)}
    sources = {value: SourceFactory(date=text) for text, value in given.items()}

    for value, source in sources.items():
        source.refresh_from_db()
        assert source.date == value


@pytest.mark.django_db
def test_field_keeps_an_empty_date_empty():
    source = SourceFactory(date=None)
    source.refresh_from_db()

    assert source.date is None
    assert Source.objects.filter(date__isnull=True).count() == 1


@pytest.mark.django_db
def test_field_filters_by_a_partial_date_written_any_way():
    SourceFactory(title="August", date=d(2006, 8))
    SourceFactory(title="Day", date=d(2006, 8, 10))

    assert list(Source.objects.filter(date="August 2006").values_list("title", flat=True)) == ["August"]
    assert list(Source.objects.filter(date__gt=d(2006, 8)).values_list("title", flat=True)) == ["Day"]


@pytest.mark.django_db
def test_field_serialises_as_iso_and_loads_back_losslessly():
    SourceFactory(slug="year", date=d(1998))
    SourceFactory(slug="month", date=d(2006, 8))
    SourceFactory(slug="day", date=d(1999, 12, 8))
    SourceFactory(slug="none", date=None)

    data = serializers.serialize("json", Source.objects.order_by("slug"), fields=["slug", "date"])
    assert '"date": "1998"' in data
    assert '"date": "2006-08"' in data
    assert '"date": "1999-12-08"' in data

    loaded = {obj.object.slug: obj.object.date for obj in serializers.deserialize("json", data)}
    assert loaded == {"day": d(1999, 12, 8), "month": d(2006, 8), "none": None, "year": d(1998)}


# Filtering by year ----------------------------------------------------------------------


@pytest.fixture
def dated_sources():
    values = {
        "1997-12-31": d(1997, 12, 31),
        "1998": d(1998),
        "1998-01-05": d(1998, 1, 5),
        "1998-12": d(1998, 12),
        "1998-12-31": d(1998, 12, 31),
        "1999": d(1999),
        "1999-01-01": d(1999, 1, 1),
        "none": None,
    }
    for slug, value in values.items():
        SourceFactory(slug=slug, date=value)


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


@pytest.mark.django_db
@pytest.mark.usefixtures("dated_sources")
@pytest.mark.parametrize(
    ("lookup", "expected"),
    [
        ({"date__year": 1998}, ["1998", "1998-01-05", "1998-12", "1998-12-31"]),
        ({"date__year": "1998"}, ["1998", "1998-01-05", "1998-12", "1998-12-31"]),
        ({"date__year": 2000}, []),
        ({"date__year__gte": 1998}, ["1998", "1998-01-05", "1998-12", "1998-12-31", "1999", "1999-01-01"]),
        ({"date__year__gt": 1998}, ["1999", "1999-01-01"]),
        ({"date__year__lte": 1998}, ["1997-12-31", "1998", "1998-01-05", "1998-12", "1998-12-31"]),
        ({"date__year__lt": 1999}, ["1997-12-31", "1998", "1998-01-05", "1998-12", "1998-12-31"]),
        ({"date__year__lt": 1998}, ["1997-12-31"]),
        ({"date__year__gte": 1998, "date__year__lt": 1999}, ["1998", "1998-01-05", "1998-12", "1998-12-31"]),
        ({"date__year__in": [1997, 1999]}, ["1997-12-31", "1999", "1999-01-01"]),
    ],
)
def test_year_filter_in_the_database(lookup, expected):
    assert slugs(Source.objects.filter(**lookup)) == expected


@pytest.mark.django_db
@pytest.mark.usefixtures("dated_sources")
def test_year_of_a_partial_date_in_the_database():
    years = Source.objects.exclude(date=None).order_by("date").values_list("date__year", flat=True)

    assert list(years) == [1997, 1998, 1998, 1998, 1998, 1999, 1999]


@pytest.mark.django_db
def test_year_filter_compares_the_stored_value_so_an_index_can_serve_it():
    sql = str(Source.objects.filter(date__year=1998).query)

    assert "BETWEEN 19980000 AND 19989999" in sql


@pytest.mark.django_db
def test_year_filter_on_projects_follows_the_start():
    ProjectFactory(slug="old", start=d(2005, 3))
    ProjectFactory(slug="new", start=d(2006, 8, 10))

    assert slugs(Project.objects.filter(start__year=2006)) == ["new"]


# Ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (d(2006, 5, 10), d(2006, 5, 11), "10–11 May 2006"),
        (d(2016, 11, 30), d(2016, 12, 2), "30 November – 2 December 2016"),
        (d(2016, 12, 30), d(2017, 1, 2), "30 December 2016 – 2 January 2017"),
        (d(2007), d(2008), "2007–2008"),
        (d(2006, 5), d(2006, 6), "May–June 2006"),
        (d(2005, 12), d(2007), "December 2005 – 2007"),
        (d(2028, 10), d(2028), "October 2028 – 2028"),
        (d(2005, 12), d(2006, 3, 1), "December 2005 – 1 March 2006"),
        (d(1999, 12, 8), None, "8 December 1999"),
        (d(1999, 12, 8), d(1999, 12, 8), "8 December 1999"),
        (d(2007), d(2007), "2007"),
        (None, d(2007), "until 2007"),
        (None, None, ""),
    ],
)
def test_format_range_writes_a_period_as_a_person_would(start, end, shown):
    assert format_range(start, end) == shown


@pytest.mark.parametrize(
    ("start", "end", "may_end"),
    [
        (d(2006, 5, 10), d(2006, 5, 11), True),
        (d(2006, 5, 10), d(2006, 5, 10), True),
        (d(2006, 5, 10), d(2006, 5), True),
        (d(2006, 5, 10), d(2006), True),
        (d(2006), d(2006, 1, 1), True),
        (d(2006, 5, 10), d(2006, 5, 9), False),
        (d(2006, 5, 10), d(2006, 4), False),
        (d(2006), d(2005), False),
        (d(2006), d(2005, 12, 31), False),
    ],
)
def test_may_end_is_generous_with_partial_dates(start, end, may_end):
    assert end.may_end(start) is may_end


# The form field -------------------------------------------------------------------------


def test_form_field_reads_what_staff_type():
    field = PartialDateFormField()

    assert field.clean("August 2006") == d(2006, 8)
    assert field.clean(" 1999-12-08 ") == d(1999, 12, 8)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2001-02-30", "February 2001 has no day 30."),
        ("2006-13", "The month must be between 1 and 12."),
        ("abc", f"“abc” is not a date this registry understands. Enter {EXPECTED}."),
    ],
)
def test_form_field_explains_what_is_wrong(text, message):
    with pytest.raises(ValidationError) as excinfo:
        PartialDateFormField().clean(text)

    assert messages_of(excinfo) == [message]


def test_form_field_empty_is_required_or_none():
    with pytest.raises(ValidationError) as excinfo:
        PartialDateFormField().clean("")

    assert messages_of(excinfo) == ["This field is required."]
    assert PartialDateFormField(required=False).clean("") is None
    assert PartialDateFormField(required=False).clean("   ") is None


def test_form_field_shows_a_stored_date_as_the_site_writes_it():
    field = PartialDateFormField()

    assert field.prepare_value(d(2006, 8)) == "August 2006"
    assert field.prepare_value(19991208) == "8 December 1999"
    assert field.prepare_value("as typed") == "as typed"
    assert field.prepare_value(None) is None


def test_form_field_tells_staff_the_formats():
    field = PartialDateFormField()

    assert field.help_text == "e.g. 1998, 2006-08, 1999-12-08, about 2008, 2007?, second half of 2007 or Q3 2010"
    assert field.widget.attrs["placeholder"] == "YYYY, YYYY-MM or YYYY-MM-DD"


def test_model_form_field_is_the_partial_date_field_and_optional_when_blank():
    field = Project._meta.get_field("start").formfield()

    assert isinstance(field, PartialDateFormField)
    assert field.required is False
    assert field.clean("2006") == d(2006)
