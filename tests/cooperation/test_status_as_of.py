"""A project's status is what a source said on a date (issue #14, section 2).

``active in year`` never runs a project past the last date it is known to be active, and the
SQL (``Project.objects.active_in``, the ``year`` filter and its facet, the year pages and the
years index) and the Python (``Project.last_active_year``) agree on every case of one table.
Run on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.filters import ActiveYearFilter
from cooperation.models import Project
from cooperation.pages.selectors import year_index
from tests import factories as f
from tests.helpers.exports import export
from tests.helpers.listing import facet, titles
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db

ONGOING, COMPLETED, UNKNOWN, PLANNED = (
    Project.Status.ONGOING,
    Project.Status.COMPLETED,
    Project.Status.UNKNOWN,
    Project.Status.PLANNED,
)

# (slug, start, end, status, status_as_of, the years it is active in)
CASES = [
    ("period", PD(2007), PD(2008), COMPLETED, None, {2007, 2008}),
    ("period-months", PD(2007, 11), PD(2008, 2), COMPLETED, None, {2007, 2008}),
    ("one-year", PD(2009, 3), PD(2009, 9), COMPLETED, None, {2009}),
    ("ongoing-as-of", PD(2014), None, ONGOING, PD(2017, 5), {2014, 2015, 2016, 2017}),
    ("ongoing-as-of-start", PD(2014, 3), None, ONGOING, PD(2014), {2014}),
    ("ongoing-as-of-before-start", PD(2014), None, ONGOING, PD(2012), {2014}),
    ("ongoing-undated-report", PD(2011), None, ONGOING, None, {2011}),
    ("ongoing-with-end", PD(2010), PD(2012), ONGOING, PD(2011), {2010, 2011, 2012}),
    ("completed-no-end", PD(2005), None, COMPLETED, PD(2010), {2005}),
    ("unknown-no-end", PD(2006), None, UNKNOWN, None, {2006}),
    ("planned-no-end", PD(2019), None, PLANNED, PD(2018), {2019}),
    ("no-start", None, PD(2004), COMPLETED, None, set()),
    ("undated", None, None, ONGOING, PD(2017), set()),
]
YEARS = range(2003, 2021)


@pytest.fixture
def table():
    return {
        slug: f.ProjectFactory(slug=slug, title=slug, start=start, end=end, status=status, status_as_of=as_of)
        for slug, start, end, status, as_of, _years in CASES
    }


@pytest.mark.parametrize(("slug", "start", "end", "status", "as_of", "years"), CASES, ids=[c[0] for c in CASES])
def test_python_rule_gives_the_years_of_the_table(slug, start, end, status, as_of, years):
    project = Project(start=start, end=end, status=status, status_as_of=as_of)
    assert set(project.active_years()) == years


def test_active_in_agrees_with_the_python_rule_on_every_case(table):
    for year in YEARS:
        expected = {slug for slug, *_rest, years in CASES if year in years}
        found = set(Project.objects.active_in([year]).values_list("slug", flat=True))
        assert found == expected, year
        python = {slug for slug, project in table.items() if year in Project.objects.get(pk=project.pk).active_years()}
        assert python == expected, year


def test_year_filter_facet_counts_agree_with_active_in(table):
    counts = ActiveYearFilter(field_name="start").year_counts(Project.objects.all())
    for year in YEARS:
        assert counts.get(year, 0) == Project.objects.active_in([year]).count(), year


def test_years_index_counts_agree_with_active_in_and_ended_years(table):
    index = year_index()
    for year in YEARS:
        expected = (Project.objects.active_in([year]) | Project.objects.filter(end__year=year)).distinct().count()
        counted = index[year].projects if year in index else 0
        assert counted == expected, year


def test_a_project_reported_ongoing_in_2017_is_not_running_in_later_years(client):
    f.ProjectFactory(title="Border project", start=PD(2014), status=ONGOING, status_as_of=PD(2017))

    assert titles(client.get("/projects/?year=2017")) == ["Border project"]
    assert titles(client.get("/projects/?year=2018")) == []
    assert titles(client.get("/projects/?year=2024")) == []
    response = client.get("/projects/")
    assert facet(response, "year") == {str(year): 1 for year in range(2017, 2013, -1)}
    assert "Border project" in get(client, "/years/2017/").text
    assert get(client, "/years/2018/").status == 404
    assert "2024" not in {str(year) for year in year_index()}


def test_an_ongoing_project_without_a_report_date_counts_in_its_start_year_only(client):
    f.ProjectFactory(title="Awareness", start=PD(2012), status=ONGOING, status_as_of=None)

    assert titles(client.get("/projects/?year=2012")) == ["Awareness"]
    assert titles(client.get("/projects/?year=2013")) == []
    assert list(year_index()) == [2012]


# What a reader sees ---------------------------------------------------------------------------


def test_project_pages_say_reported_ongoing_as_of_the_date(client):
    project = f.ProjectFactory(slug="unimig", title="UNIMIG", start=PD(2014), status=ONGOING, status_as_of=PD(2017, 3))

    detail = get(client, project.get_absolute_url())
    assert "Status Reported ongoing as of March 2017" in detail.text
    assert "Ended Not recorded" in detail.text
    row = get(client, "/projects/")
    assert "UNIMIG 2014 · Reported ongoing as of March 2017" in row.text
    year = get(client, "/years/2015/")
    assert "UNIMIG 2014 · Reported ongoing as of March 2017" in year.text
    for page in (detail, year):
        assert " Ongoing" not in page.text
    assert "Reported ongoing" in row.text.split("with these filters", 1)[1]
    assert " Ongoing" not in row.text.split("with these filters", 1)[1]


def test_project_pages_say_when_the_date_of_the_report_is_not_recorded(client):
    project = f.ProjectFactory(title="Awareness", start=PD(2012), status=ONGOING, status_as_of=None)
    planned = f.ProjectFactory(title="Workshops", start=PD(2007, 7), status=PLANNED, status_as_of=PD(2007, 2))

    assert "Status Reported ongoing (date of report not recorded)" in get(client, project.get_absolute_url()).text
    assert "Status Planned (reported as of February 2007)" in get(client, planned.get_absolute_url()).text
    listed = get(client, "/projects/").text
    assert "Awareness 2012 · Reported ongoing (date of report not recorded)" in listed
    assert "Workshops July 2007 · Planned (reported as of February 2007)" in listed


def test_status_text_of_each_status():
    assert Project(status=COMPLETED, status_as_of=PD(2017)).status_text == "Completed (reported as of 2017)"
    assert Project(status=COMPLETED).status_text == "Completed (date of report not recorded)"
    assert Project(status=PLANNED, status_as_of=PD(2008)).status_text == "Planned (reported as of 2008)"
    assert Project(status=UNKNOWN, status_as_of=PD(2008)).status_text == "Status not known"


def test_the_api_and_the_exports_carry_the_date_of_the_status_report(client):
    f.ProjectFactory(slug="unimig", title="UNIMIG", start=PD(2014), status=ONGOING, status_as_of=PD(2017, 3))

    row = client.get("/api/projects/").json()["results"][0]
    assert row["status_as_of"] == {"text": "March 2017", "iso": "2017-03", "edtf": "2017-03", "precision": "month"}
    assert row["status_text"] == "Reported ongoing as of March 2017"
    [cells] = export(client, "/projects/")
    assert (cells["status"], cells["status_as_of"], cells["status_as_of_iso"], cells["status_as_of_precision"]) == (
        "Ongoing",
        "March 2017",
        "2017-03",
        "month",
    )
