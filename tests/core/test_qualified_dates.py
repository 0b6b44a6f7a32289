"""Dates as the sources give them beyond a plain day, month or year: approximate ("about 2008"),
uncertain ("2007?"), both, and quarters and halves of a year ("second half of 2007"), with their
EDTF (ISO 8601-2) text. The database tests run on whichever backend DATABASE_URL selects."""

import edtf
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cooperation.core.partial_dates import PartialDate, PartialDateFormField, Precision, format_range
from cooperation.models import Project, Source
from events.models import Meeting
from tests.factories import AgreementFactory, MeetingFactory, ProjectFactory, SourceFactory


def d(*parts, group=None, qualifier=""):
    return PartialDate(*parts, group=group, qualifier=qualifier)


ABOUT_2008 = d(2008, qualifier="~")
MAYBE_2007 = d(2007, qualifier="?")
BOTH_2007 = d(2007, qualifier="%")
H2_2007 = d(2007, group=41)
Q1_2010 = d(2010, group=33)
Q3_2010 = d(2010, group=35)

# Parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 2008", ABOUT_2008),
        ("About 2008", ABOUT_2008),
        ("c. 2008", ABOUT_2008),
        ("c.2008", ABOUT_2008),
        ("ca. 2008", ABOUT_2008),
        ("circa 2008", ABOUT_2008),
        ("2008~", ABOUT_2008),
        ("2007?", MAYBE_2007),
        ("2007 (uncertain)", MAYBE_2007),
        ("2007%", BOTH_2007),
        ("about 2007?", BOTH_2007),
        ("about August 2006", d(2006, 8, qualifier="~")),
        ("2006-08~", d(2006, 8, qualifier="~")),
        ("8 December 1999?", d(1999, 12, 8, qualifier="?")),
        ("1999-12-08%", d(1999, 12, 8, qualifier="%")),
        ("second half of 2007", H2_2007),
        ("the second half of 2007", H2_2007),
        ("Second half 2007", H2_2007),
        ("H2 2007", H2_2007),
        ("2007 H2", H2_2007),
        ("2007-41", H2_2007),
        ("first semester of 2007", d(2007, group=40)),
        ("Q3 2010", Q3_2010),
        ("q3 2010", Q3_2010),
        ("2010-Q3", Q3_2010),
        ("third quarter of 2010", Q3_2010),
        ("3rd quarter of 2010", Q3_2010),
        ("2010-35", Q3_2010),
        ("first quarter of 2010", Q1_2010),
        ("last quarter of 2010", d(2010, group=36)),
    ],
)
def test_parse_reads_approximate_uncertain_and_part_of_year_dates(text, expected):
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2007-41~", "EDTF cannot call a quarter or half of a year approximate or uncertain"),
        ("about second half of 2007", "EDTF cannot call a quarter or half of a year approximate or uncertain"),
        ("2004/2006", "“2004/2006” is EDTF for a period: give its start and its end each in its own field."),
        ("201X", "“201X” is EDTF for a date with unspecified digits"),
        ("2007-21", "“2007-21” is EDTF for a season or a grouping the registry does not keep"),
        ("?2004-06", "“?2004-06” is EDTF for a date qualified in parts"),
        ("H3 2007", "“H3 2007” is not a date this registry understands."),
        ("fifth quarter of 2007", "“fifth quarter of 2007” is not a date this registry understands."),
        ("about", "“about” is not a date this registry understands."),
    ],
)
def test_parse_says_what_it_cannot_keep(text, message):
    with pytest.raises(ValidationError) as excinfo:
        PartialDate.parse(text)

    assert excinfo.value.messages[0].startswith(message)


# Display, EDTF, storage --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown", "iso", "text", "precision", "stored"),
    [
        (ABOUT_2008, "about 2008", "2008", "2008~", Precision.YEAR, 20080000),
        (MAYBE_2007, "2007 (uncertain)", "2007", "2007?", Precision.YEAR, 20070000),
        (BOTH_2007, "about 2007 (uncertain)", "2007", "2007%", Precision.YEAR, 20070000),
        (d(2006, 8, qualifier="~"), "about August 2006", "2006-08", "2006-08~", Precision.MONTH, 20060800),
        (
            d(1999, 12, 8, qualifier="?"),
            "8 December 1999 (uncertain)",
            "1999-12-08",
            "1999-12-08?",
            Precision.DAY,
            19991208,
        ),
        (H2_2007, "second half of 2007", "2007-41", "2007-41", Precision.HALF, 20074100),
        (d(2007, group=40), "first half of 2007", "2007-40", "2007-40", Precision.HALF, 20074000),
        (Q1_2010, "first quarter of 2010", "2010-33", "2010-33", Precision.QUARTER, 20103300),
        (Q3_2010, "third quarter of 2010", "2010-35", "2010-35", Precision.QUARTER, 20103500),
        (d(1999, 12, 8), "8 December 1999", "1999-12-08", "1999-12-08", Precision.DAY, 19991208),
        (d(2000, 12), "December 2000", "2000-12", "2000-12", Precision.MONTH, 20001200),
    ],
)
def test_display_edtf_and_storage(value, shown, iso, text, precision, stored):
    assert str(value) == shown
    assert (value.iso, value.edtf, value.precision) == (iso, text, precision)
    assert repr(value) == f"PartialDate({text!r})"
    assert int(value) == stored
    assert PartialDate.from_int(stored) == value.unqualified
    # The EDTF text is valid EDTF, means the same days, and reads back as the same date.
    parsed = edtf.parse_edtf(value.edtf)
    assert str(parsed) == value.edtf
    assert parsed.lower_strict()[:3] == value.first_day.timetuple()[:3]
    assert parsed.upper_strict()[:3] == value.last_day.timetuple()[:3]
    assert PartialDate.parse(value.edtf) == value
    assert PartialDate.parse(str(value)) == value


def test_edtf_package_marks_the_qualifier_as_we_do():
    assert edtf.parse_edtf(ABOUT_2008.edtf).is_approximate
    assert edtf.parse_edtf(MAYBE_2007.edtf).is_uncertain
    assert edtf.parse_edtf(BOTH_2007.edtf).is_uncertain_and_approximate


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (d(2005, qualifier="~"), d(2007), "about 2005 – 2007"),
        (d(2005), d(2007, qualifier="?"), "2005 – 2007 (uncertain)"),
        (H2_2007, d(2008), "second half of 2007 – 2008"),
        (Q1_2010, Q3_2010, "first quarter – third quarter of 2010"),
        (d(2007, 7), H2_2007, "July 2007 – second half of 2007"),
        (ABOUT_2008, ABOUT_2008, "about 2008"),
        (None, H2_2007, "until second half of 2007"),
        (d(2007), d(2008), "2007–2008"),
    ],
)
def test_format_range_with_qualified_and_grouped_dates(start, end, shown):
    assert format_range(start, end) == shown


# Ordering and range checks in Python -----------------------------------------------------


def test_a_half_or_quarter_sorts_after_the_months_of_its_year_and_before_the_next():
    assert d(2007) < d(2007, 12, 31) < d(2007, group=40) < H2_2007 < d(2008)
    assert sorted([d(2008), H2_2007, d(2007, 3), Q3_2010, d(2007)]) == [d(2007), d(2007, 3), H2_2007, d(2008), Q3_2010]


@pytest.mark.parametrize(
    ("start", "end", "may_end"),
    [
        (H2_2007, d(2007, 12), True),
        (H2_2007, d(2007, 7, 1), True),
        (H2_2007, d(2007, 6), False),
        (d(2007, 8), H2_2007, True),
        (d(2007, 8), d(2007, group=40), False),
        (d(2007), H2_2007, True),
        (Q1_2010, Q3_2010, True),
        (Q3_2010, Q1_2010, False),
        (ABOUT_2008, d(2008), True),
        (d(2009, qualifier="~"), d(2008), False),
    ],
)
def test_may_end_knows_the_months_of_a_quarter_or_half(start, end, may_end):
    assert end.may_end(start) is may_end


# The database --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_qualifier_is_stored_beside_the_date_and_read_back_with_it():
    project = ProjectFactory(start=ABOUT_2008, end=d(2010, qualifier="?"))
    assert (project.start_qualifier, project.end_qualifier) == ("~", "?")

    project = Project.objects.get(pk=project.pk)
    assert (project.start, project.end) == (ABOUT_2008, d(2010, qualifier="?"))
    assert Project.objects.filter(pk=project.pk).values_list("start", "start_qualifier").get() == (d(2008), "~")

    project.start = d(2009)
    project.save()
    project.refresh_from_db()
    assert (project.start, project.start_qualifier) == (d(2009), "")


@pytest.mark.parametrize("date", [d(2008), d(2008, 5), d(2008, 5, 31), H2_2007, ABOUT_2008])
@pytest.mark.parametrize("qualifier", ["", "~", "?", "%"])
def test_a_date_given_a_qualifier_is_a_new_date_equal_to_the_one_made_with_it(date, qualifier):
    if qualifier and date.group is not None:
        with pytest.raises(ValidationError, match="EDTF cannot call a quarter or half"):
            date.with_qualifier(qualifier)
        return
    made = d(date.year, date.month, date.day, group=date.group, qualifier=qualifier)
    given = date.with_qualifier(qualifier)
    assert given is not date
    assert (given, hash(given), str(given), given.edtf) == (made, hash(made), str(made), made.edtf)


def test_a_date_refuses_a_qualifier_edtf_has_not():
    with pytest.raises(ValidationError, match="approximate"):
        d(2008).with_qualifier("x")


@pytest.mark.django_db
def test_typed_text_sets_the_qualifier_too_and_loading_without_it_keeps_it():
    source = SourceFactory(date="c. 2008")
    source.refresh_from_db()
    assert source.date == ABOUT_2008

    # A date read on its own (the qualifier deferred) does not clear the qualifier.
    source = Source.objects.only("pk", "date").get(pk=source.pk)
    assert source.date == ABOUT_2008
    source.save()
    assert Source.objects.get(pk=source.pk).date == ABOUT_2008


@pytest.mark.django_db
def test_meeting_dates_can_be_approximate_or_part_of_a_year():
    meeting = MeetingFactory(start=H2_2007, end=None)
    meeting.refresh_from_db()
    assert meeting.start == H2_2007
    assert meeting.dates == "second half of 2007"


@pytest.mark.django_db
def test_a_date_field_without_a_qualifier_column_refuses_about():
    agreement = AgreementFactory.build(signed=ABOUT_2008)
    with pytest.raises(ValidationError) as excinfo:
        agreement.full_clean(exclude=["slug"])
    assert "not approximate or uncertain" in excinfo.value.message_dict["signed"][0]


@pytest.mark.django_db
def test_ordering_in_the_database():
    for value in [d(2008), H2_2007, d(2007, 12, 31), ABOUT_2008, d(2007)]:
        SourceFactory(date=value)

    dates = list(Source.objects.order_by("date", "date_qualifier").values_list("date", flat=True))
    assert dates == [d(2007), d(2007, 12, 31), H2_2007, d(2008), d(2008)]


@pytest.mark.django_db
def test_year_filter_finds_a_half_and_an_approximate_year_in_their_year():
    SourceFactory(slug="h2-2007", date=H2_2007)
    SourceFactory(slug="q4-2006", date=d(2006, group=36))
    SourceFactory(slug="about-2007", date=d(2007, qualifier="~"))
    SourceFactory(slug="2008", date=d(2008))

    def slugs(**lookup):
        return sorted(Source.objects.filter(**lookup).values_list("slug", flat=True))

    assert slugs(date__year=2007) == ["about-2007", "h2-2007"]
    assert slugs(date__year=2006) == ["q4-2006"]
    assert slugs(date__year__lt=2007) == ["q4-2006"]
    assert slugs(date__year__gt=2007) == ["2008"]
    assert list(Source.objects.filter(slug="h2-2007").values_list("date__year", flat=True)) == [2007]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [(H2_2007, d(2007, 12)), (H2_2007, d(2007, 7, 1)), (d(2007, 8), H2_2007), (Q1_2010, Q3_2010), (H2_2007, H2_2007)],
)
def test_the_database_accepts_a_period_that_starts_or_ends_in_a_half_or_quarter(start, end):
    MeetingFactory(start=start, end=end)
    ProjectFactory(start=start, end=end)

    assert Meeting.objects.filter(start=start).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(H2_2007, d(2006, 12)), (d(2008, 1), H2_2007)])
def test_the_database_refuses_a_half_that_ends_before_the_start(start, end):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(start=start, end=end)


@pytest.mark.django_db
def test_clean_refuses_what_the_database_would_let_through_to_the_month():
    project = ProjectFactory.build(start=d(2007, 12), end=d(2007, group=40))
    with pytest.raises(ValidationError) as excinfo:
        project.full_clean(exclude=["slug"])
    assert excinfo.value.message_dict["end"] == ["A project cannot end before it started."]


# The form field ------------------------------------------------------------------------


def test_the_form_field_reads_the_new_forms_and_shows_them_in_words():
    field = PartialDateFormField()

    assert field.clean("about 2008") == ABOUT_2008
    assert field.clean("H2 2007") == H2_2007
    assert field.prepare_value(ABOUT_2008) == "about 2008"
    assert field.prepare_value(H2_2007) == "second half of 2007"


def test_the_date_box_says_how_it_understood_the_date():
    widget = PartialDateFormField().widget

    html = widget.render("start", "c. 2008")
    assert "Understood as about 2008 (EDTF 2008~)." in html
    assert "Understood as second half of 2007 (EDTF 2007-41)." in widget.render("start", "2007-41")
    assert "Understood" not in widget.render("start", "sometime")
    assert "Understood" not in widget.render("start", "")


@pytest.mark.parametrize(
    "value",
    [
        d(1998),
        d(2006, 8),
        d(1999, 12, 8),
        ABOUT_2008,
        MAYBE_2007,
        BOTH_2007,
        d(2006, 8, qualifier="~"),
        d(1999, 12, 8, qualifier="?"),
        H2_2007,
        d(2007, group=40),
        Q1_2010,
        d(2010, group=34),
        Q3_2010,
        d(2010, group=36),
    ],
)
def test_the_form_shows_a_date_in_words_that_read_back_to_it(value):
    field = PartialDateFormField()

    shown = field.prepare_value(value)

    assert shown == str(value)
    assert field.clean(shown) == value
    assert field.prepare_value(int(value)) == str(value.unqualified)


def test_a_time_element_gives_a_half_or_quarter_as_its_year():
    # HTML's datetime attribute has no quarters or halves: "2007-41" would be a 41st month.
    values = [H2_2007, Q3_2010, d(2006, 8), d(1999, 12, 8), ABOUT_2008]
    assert [value.html_datetime for value in values] == ["2007", "2010", "2006-08", "1999-12-08", "2008"]


@pytest.mark.django_db
def test_pages_mark_up_a_half_year_as_its_year(client):
    agreement = AgreementFactory(signed=H2_2007)

    for url in ("/agreements/", agreement.get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<time datetime="2007">second half of 2007</time>' in html, url
        assert 'datetime="2007-41"' not in html, url
