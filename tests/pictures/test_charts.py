"""Chart geometry (cooperation/pictures/charts.py): round ticks, scales, bands, and where each
column, line and bar of a chart goes."""

import pytest

from cooperation.core.translation import LocalizedText
from cooperation.pictures import charts
from cooperation.pictures.charts import LinearScale, Series, bands, nice_step, nice_ticks


@pytest.mark.parametrize(
    ("maximum", "step"),
    [(0, 1), (1, 1), (3, 1), (7, 2), (10, 2), (23, 5), (48, 10), (100, 20), (1234, 500), (203_000, 50_000)],
)
def test_a_step_is_1_2_or_5_times_a_power_of_ten_and_never_under_1(maximum, step):
    assert nice_step(maximum) == step


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [(0, [0, 1]), (1, [0, 1]), (6, [0, 2, 4, 6]), (23, [0, 5, 10, 15, 20, 25]), (20, [0, 5, 10, 15, 20])],
)
def test_ticks_start_at_0_and_reach_the_maximum(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_a_scale_maps_0_to_its_start_and_its_top_to_its_end_either_way():
    y = LinearScale(10, 270, 12)
    assert (y(0), y(10), y(5)) == (270, 12, 141)
    assert LinearScale(0, 5, 50)(3) == 5  # nothing to draw: everything at the start


def test_bands_share_the_room_and_a_bar_is_never_wider_than_the_widest():
    assert bands(2, 0, 100, padding=0.2, widest=100) == [(5, 40), (55, 40)]
    assert bands(1, 0, 600, widest=48) == [(276, 48)]  # centred in its band
    assert bands(0, 0, 100) == []


def test_every_nth_category_is_labelled_when_all_would_not_fit():
    assert charts.label_step(10, 700, 4) == 1
    assert charts.label_step(60, 600, 4) == 4


def values(table):
    return {(row, key): value for row, by_key in table.items() for key, value in by_key.items()}


SERIES = [Series("a", "A"), Series("b", "B")]


def test_a_column_chart_stacks_its_series_bottom_up_and_says_each_column():
    chart = charts.column_chart(
        [2001, 2002, 2003],
        SERIES,
        values({2001: {"a": 2, "b": 3}, 2003: {"b": 10}}),
        urls={2001: "/years/2001/"},
        names={2001: "2001: 5"},
    )
    first, empty, last = chart.marks
    a, b = first.segments
    assert (a.series.key, a.value, b.series.key, b.value) == ("a", 2, "b", 3)
    assert a.y + a.height == chart.baseline  # a stands on the axis
    assert b.y + b.height == pytest.approx(a.y)  # b on a
    assert empty.segments == [] and empty.values == {"a": 0, "b": 0}
    assert last.segments[0].y == chart.plot[1]  # the tallest reaches the top tick (10)
    assert [tick.label for tick in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert (first.url, first.name, empty.url) == ("/years/2001/", "2001: 5", "")
    assert [item.css for item in chart.series] == ["series-1", "series-2"]
    assert [item.key for item in chart.legend] == ["a", "b"]


def test_the_legend_lists_only_the_series_drawn():
    chart = charts.column_chart([1], SERIES, {(1, "b"): 1})
    assert [item.key for item in chart.legend] == ["b"]


def test_a_line_chart_has_a_line_per_series_through_every_category_and_the_first_drawn_widest():
    chart = charts.line_chart([1, 2, 3], SERIES, values({1: {"a": 4}, 2: {"a": 2, "b": 4}}))
    line_a, line_b = chart.lines
    assert [value for _x, _y, value in line_a.dots] == [4, 2, 0]
    assert [value for _x, _y, value in line_b.dots] == [0, 4, 0]
    assert line_a.dots[0][1] == line_b.dots[1][1] == chart.plot[1]  # 4, the top
    assert line_a.dots[2][1] == chart.baseline
    assert line_a.points.count(",") == 3
    assert line_a.layer > line_b.layer


def test_a_bar_chart_gives_each_series_its_own_panel_and_scale():
    chart = charts.bar_chart(
        ["iom", "eu"],
        [Series("projects", "Projects"), Series("meetings", "Meetings")],
        values({"iom": {"projects": 10, "meetings": 2000}, "eu": {"projects": 5, "meetings": 1000}}),
        series_urls={("iom", "projects"): "/projects/?partner=iom"},
    )
    projects, meetings = chart.panels
    assert projects.x + projects.width < meetings.x
    iom, eu = chart.marks
    assert iom.segments[0].width == pytest.approx(2 * eu.segments[0].width)
    assert iom.segments[1].width == pytest.approx(2 * eu.segments[1].width)
    assert iom.segments[0].width == pytest.approx(iom.segments[1].width)  # each the top of its own scale
    assert (iom.segments[0].url, iom.segments[1].url) == ("/projects/?partner=iom", "")
    assert chart.height > charts.ROW * 2


def test_a_long_label_is_cut_with_an_ellipsis():
    assert charts.shorten("International Organization for Migration") == "International Organiza…"
    assert charts.shorten("IOM") == "IOM"


def test_labels_that_would_be_cut_alike_keep_their_last_words_instead():
    """Three Azerbaijani bodies read "Azərbaycan Respublikas…" on the partners chart, beside the
    state, "Azərbaycan Respublikası": each now ends as it does, and a label that was not cut alike,
    or whose ending is alike too, stays."""
    labels = charts.shorten_apart(
        {
            "az": "Azərbaycan Respublikası",
            "dmx": "Azərbaycan Respublikasının Dövlət Miqrasiya Xidməti",
            "xin": "Azərbaycan Respublikasının Xarici İşlər Nazirliyi",
            "din": "Azərbaycan Respublikasının Daxili İşlər Nazirliyi",
            "iom": "International Organization for Migration",
            "un": "UN",
            "a": "Ministry of Justice of the Republic of Georgia",
            "b": "Ministry of Justice of the Autonomous Republic of Georgia",
        }
    )
    assert labels == {
        "az": "Azərbaycan Respublikası",  # not cut: it stays, the others read apart from it
        "dmx": "…Miqrasiya Xidməti",
        "xin": "…Xarici İşlər Nazirliyi",
        "din": "…Daxili İşlər Nazirliyi",
        "iom": "International Organiza…",
        "un": "UN",
        "a": "Ministry of Justice of…",  # both would end "…Georgia": cut as before
        "b": "Ministry of Justice of…",
    }
    assert all(len(label) <= 23 for label in labels.values())


def test_a_label_cut_at_its_end_stays_marked_as_english():
    english = [
        LocalizedText(name, "en", fallback=True)
        for name in ("International Organization for Migration", "International Organization for Peace")
    ]
    labels = charts.shorten_apart(dict(enumerate(english)))
    assert labels == {0: "…for Migration", 1: "…Organization for Peace"}
    assert all(isinstance(label, LocalizedText) and label.fallback for label in labels.values())
