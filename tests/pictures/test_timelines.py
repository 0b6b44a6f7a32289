"""The timelines' geometry (cooperation/pictures/timelines.py): dates as spans, bars with open
and uncertain ends, rows that never overlap, the scale and its ticks. No database."""

import math
import xml.etree.ElementTree as ET

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.pictures.relationships import periods
from cooperation.pictures.timelines import (
    APPROXIMATE_MARGIN,
    OPEN,
    SOLID,
    UNKNOWN_END,
    UNKNOWN_START,
    UNKNOWN_YEARS,
    VAGUE_END,
    VAGUE_START,
    Bar,
    Bubble,
    Lane,
    Mark,
    Piece,
    Scale,
    bar_segments,
    bubble_radius,
    count_labels,
    extent,
    fit_label,
    pack_rows,
    row_height,
    year_fraction,
)


def span(text):
    return extent(PartialDate.parse(text))


def kinds(segments):
    return [segment.kind for segment in segments]


SVG = "{http://www.w3.org/2000/svg}"


# Dates as spans ------------------------------------------------------------------------------


def test_a_year_is_the_whole_year_and_a_day_is_one_day():
    assert (span("2007").lo, span("2007").hi) == (2007.0, 2008.0)
    day = span("1999-12-08")
    assert day.lo == pytest.approx(year_fraction(PartialDate(1999, 12, 8).first_day))
    assert day.hi - day.lo == pytest.approx(1 / 365)
    assert span("2007").vague and not day.vague and not span("2006-08").vague


def test_halves_and_quarters_are_their_months():
    second_half = span("second half of 2007")
    assert second_half.lo == pytest.approx(2007 + 181 / 365)  # 1 July
    assert second_half.hi == 2008.0
    third_quarter = span("Q3 2010")
    assert third_quarter.lo == pytest.approx(2010 + 181 / 365)
    assert third_quarter.hi == pytest.approx(2010 + 273 / 365)  # up to 1 October


def test_an_approximate_date_reaches_further_and_an_uncertain_one_is_doubtful():
    about = span("about 2008")
    assert (about.lo, about.hi) == (2008 - APPROXIMATE_MARGIN, 2009 + APPROXIMATE_MARGIN)
    assert about.doubtful and about.vague
    uncertain = span("2007-05-03?")
    assert uncertain.doubtful and uncertain.vague
    assert uncertain.hi - uncertain.lo == pytest.approx(1 / 365)  # uncertain, not wider


# Bars ----------------------------------------------------------------------------------------


def test_a_bar_between_two_days_is_solid():
    segments = bar_segments(span("2006-03-01"), span("2008-06-30"))
    assert kinds(segments) == [SOLID]
    assert segments[0].lo == pytest.approx(2006 + 59 / 365)
    assert segments[0].hi == pytest.approx(2008 + 182 / 366)  # the end of 30 June of a leap year


def test_year_only_ends_are_vague_at_both_ends_and_solid_between():
    segments = bar_segments(span("2007"), span("2010"))
    assert kinds(segments) == [VAGUE_START, SOLID, VAGUE_END]
    assert [(s.lo, s.hi) for s in segments] == [(2007, 2008), (2008, 2010), (2010, 2011)]


def test_about_2008_start_is_a_wide_vague_start():
    segments = bar_segments(span("about 2008"), span("2012-01-15"))
    assert kinds(segments) == [VAGUE_START, SOLID]
    assert segments[0].lo == 2007.5 and segments[0].hi == 2009.5


def test_a_period_within_one_vague_year_is_one_vague_piece():
    segments = bar_segments(span("2007"), span("2007"))
    assert kinds(segments) == [VAGUE_START, VAGUE_END] or kinds(segments) == [VAGUE_START]
    assert min(s.lo for s in segments) == 2007 and max(s.hi for s in segments) == 2008
    assert SOLID not in kinds(segments)


def test_a_precise_end_inside_a_vague_start_year():
    segments = bar_segments(span("2007"), span("2007-03-10"))
    assert kinds(segments) == [VAGUE_START]
    assert segments[0].lo == 2007 and segments[0].hi == pytest.approx(2007 + 69 / 365)


def test_still_running_runs_open_to_the_end_of_the_axis():
    segments = bar_segments(span("2006-01-01"), None, open_end=True)
    assert kinds(segments) == [OPEN]
    assert segments[0].lo == 2006 and segments[0].hi == math.inf


def test_reported_ongoing_as_of_is_solid_until_then_then_open():
    segments = bar_segments(span("2006-01-01"), None, open_end=True, running_until=span("2017"))
    assert kinds(segments) == [SOLID, OPEN]
    assert segments[0].hi == 2017 and segments[1].lo == 2017


def test_an_end_not_recorded_fades_out_and_a_start_not_recorded_fades_in():
    ended = bar_segments(span("2006-01-01"), None, open_end=False)
    assert kinds(ended) == [UNKNOWN_END]
    assert ended[0].hi - ended[0].lo == UNKNOWN_YEARS
    started = bar_segments(None, span("2010-06-01"))
    assert kinds(started) == [UNKNOWN_START, SOLID]  # fading in up to the end day, which is sure
    assert started[0].hi == pytest.approx(2010 + 151 / 365)
    assert started[0].hi - started[0].lo == UNKNOWN_YEARS


def test_nothing_dated_is_no_bar():
    assert bar_segments(None, None, open_end=True) == []


# Rows ----------------------------------------------------------------------------------------


def test_overlapping_spans_go_to_rows_of_their_own_and_others_share_one():
    spans = [(2000, 2005), (2003, 2008), (2006, 2009), (2001, 2002), (2010, 2011)]
    rows = pack_rows(spans, gap=0.5)
    assert rows == [0, 1, 0, 1, 0]  # 2003–2008 follows 2001–2002 in the second row
    for row in set(rows):
        in_row = sorted(s for s, r in zip(spans, rows, strict=True) if r == row)
        assert all(a[1] + 0.5 <= b[0] for a, b in zip(in_row, in_row[1:], strict=False))


def test_rows_are_as_few_as_the_most_spans_at_one_moment():
    spans = [(year, year + 3) for year in range(2000, 2020)]
    rows = pack_rows(spans, gap=0.1)
    assert max(rows) + 1 == 4  # at any moment 4 spans (3 years each, a start every year) overlap
    assert pack_rows([]) == []


def test_a_gap_keeps_touching_spans_apart():
    assert pack_rows([(0, 10), (10, 20)], gap=0) == [0, 0]
    assert pack_rows([(0, 10), (10, 20)], gap=1) == [0, 1]


# Scale, labels, counts -----------------------------------------------------------------------


def test_scale_spans_whole_years_with_room_for_what_is_still_running():
    scale = Scale.spanning([1996.2, 2017.9, math.inf])
    assert (scale.first, scale.last) == (1996, 2018)
    assert Scale.spanning([1996.2, 2017.9], room_after=True).last == 2019
    assert scale.x(1996) == scale.left and scale.x(2018) == scale.right
    assert scale.x(1990) == scale.left  # clamped
    assert Scale.spanning([2010.5]).last - Scale.spanning([2010.5]).first >= 3


def test_ticks_thin_out_on_a_long_axis():
    assert Scale(2000, 2010).ticks() == list(range(2000, 2011))
    assert Scale(1950, 2020).ticks() == list(range(1950, 2021, 5))
    assert len(Scale(1000, 2020).ticks()) <= 16


def test_labels_are_shortened_to_fit_or_left_out():
    assert fit_label("IOM Baku office", 200) == "IOM Baku office"
    short = fit_label("Regional programme on migration dialogue", 100)
    assert short.endswith("…") and len(short) <= 14
    assert fit_label("Anything", 30) == ""


def test_a_count_bubble_grows_with_its_area():
    assert bubble_radius(0, 10) == 0
    small, large = bubble_radius(1, 100), bubble_radius(100, 100)
    assert small < bubble_radius(25, 100) < large == 9.5
    assert bubble_radius(25, 100) - 3 == pytest.approx((large - 3) / 2, abs=0.1)  # √(1/4)


@pytest.mark.parametrize("shape", ["circle", "diamond", "triangle", "square"])
def test_every_mark_shape_is_a_closed_path_around_its_point(shape):
    path = Mark("", "", 100, 50, shape).path
    assert path.startswith("M") and path.endswith("z")


def test_an_agreements_marks_are_pushed_apart_just_enough_to_be_seen():
    from cooperation.pictures.relationships import dodge

    assert dodge([100, 104, 300]) == [100, 112, 300]
    assert dodge([100, 105, 110]) == [100, 112, 124]
    assert dodge([]) == []


def test_counts_are_written_in_one_line_or_staggered_or_left_to_the_links_name():
    assert count_labels([1, 12, 3], per_year=30) == (True, False)
    assert count_labels([1200, 5, 30], per_year=25) == (True, True)  # 4 digits: two columns
    assert count_labels([203000], per_year=10) == (False, False)
    assert count_labels([], per_year=10) == (True, False)


def test_a_busy_lane_draws_thinner_rows():
    assert row_height(1) == row_height(6) == 22
    assert row_height(25) == 12


def test_a_long_axis_is_counted_in_periods_of_whole_years_at_most_twenty():
    assert periods(1999, 2017) == [(year, year) for year in range(1999, 2018)]
    assert periods(1990, 2030) == [(year, year + 4) for year in range(1990, 2030, 5)] + [(2030, 2030)]
    assert periods(1993, 2030)[:2] == [(1993, 1993), (1994, 1995)]  # periods start on a multiple of their length
    assert periods(1983, 2030)[:2] == [(1983, 1984), (1985, 1989)]
    assert len(periods(1800, 2030)) <= 20


def test_a_lanes_links_are_well_formed_with_their_names_and_addresses_escaped():
    lane = Lane("Projects", 40, 60, lines=[(100, 112.5, 50)])
    lane.bars.append(
        Bar(
            'Project: "A" <b>&</b>',
            "/projects/a/?x=1&y=2",
            [Piece(10, 50.5, SOLID), Piece(60.5, 20, UNKNOWN_END)],
            30,
            "A <b>",
            14,
        )
    )
    lane.marks.append(Mark("Agreement: <i>", "/agreements/a/", 100, 50, "diamond", 90, 20.5, True, "action-signature"))
    lane.bubbles.append(Bubble("3 meetings in 2015", "/meetings/?partner=a&year=2015", 200, 50, 4.5, 3))
    html = f'<svg xmlns="http://www.w3.org/2000/svg">{lane.items_html("partner-1")}</svg>'

    links = list(ET.fromstring(html).iter(f"{SVG}a"))
    assert [(a.get("aria-label"), a.find(f"{SVG}title").text) for a in links] == [
        ('Project: "A" <b>&</b>', 'Project: "A" <b>&</b>'),
        ("Agreement: <i>", "Agreement: <i>"),
        ("3 meetings in 2015", "3 meetings in 2015"),
    ]
    assert [a.get("href") for a in links] == [
        "/projects/a/?x=1&y=2",
        "/agreements/a/",
        "/meetings/?partner=a&year=2015",
    ]
    assert [rect.get("fill") for rect in links[0].iter(f"{SVG}rect")] == [None, "url(#partner-1-fade-out)"]
    assert links[0].find(f"{SVG}text").text == "A <b>"
    assert links[1].get("class") == "tl-mark tl-action-signature tl-doubtful"
    assert links[2].find(f"{SVG}text").text == "3"
    assert 'x2="112.5"' in html  # coordinates as SVG reads them, whatever the page's language
