"""Reading an export's rows (cooperation/core/export_rows.py): plain values, not model instances,
with the same values the records give."""

import pytest

from cooperation.core.export_rows import light_records, stored_date
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Project
from events.models import Meeting
from tests import factories as f
from tests.helpers.exports import csv_rows

pytestmark = pytest.mark.django_db


def no_model_instances(monkeypatch, *models):
    """Fail the test if a record of ``models`` is read into a model instance."""

    def refuse(cls, *args, **kwargs):
        raise AssertionError(f"{cls.__name__} read as a model instance")

    for model in models:
        monkeypatch.setattr(model, "from_db", classmethod(refuse))


def test_exports_read_projects_and_meetings_without_model_instances(client, monkeypatch):
    partner = f.PartnerFactory(name="International Organization for Migration", acronym="IOM")
    project = f.ProjectFactory(title="Border management", start=PD(2008, qualifier="~"), end=PD(2010, 5))
    f.ProjectPartnerFactory(project=project, partner=partner, role="funding")
    f.MeetingFactory(title="Working meeting", start=PD(2016, 12, 5), country="CH", partners=[partner])
    no_model_instances(monkeypatch, Project, Meeting)

    [project_row] = csv_rows(client.get("/projects/?format=csv"))
    [meeting_row] = csv_rows(client.get("/meetings/?format=csv"))

    assert (project_row["start"], project_row["start_edtf"], project_row["end"]) == ("about 2008", "2008~", "May 2010")
    assert project_row["partners"] == "IOM (funding)"
    assert (meeting_row["start_iso"], meeting_row["country"], meeting_row["country_code"]) == (
        "2016-12-05",
        "Switzerland",
        "CH",
    )
    assert meeting_row["partners"] == "IOM"


def test_light_records_hold_what_the_records_hold():
    f.MeetingFactory(start=PD(2008, qualifier="?"), end=PD(2009), status_as_of=PD(2009, 3), country="AZ", city="Baku")
    f.MeetingFactory(start=None, country="")
    queryset = Meeting.objects.order_by("pk")

    rows = [row for chunk in light_records(queryset, 1) for row in chunk]

    for row, record in zip(rows, queryset, strict=True):
        for name in ("pk", "slug", "title", "start", "end", "status_as_of", "country", "place", "dates", "status_text"):
            assert getattr(row, name) == getattr(record, name), name
        assert row.get_kind_display() == record.get_kind_display()
        assert str(row) == str(record)


def test_rows_of_the_same_date_share_one_date():
    assert stored_date(20081200, "~") is stored_date(20081200, "~")
    assert stored_date(20081200, "~") == PD(2008, 12, qualifier="~")
    assert stored_date(20081200, "") == PD(2008, 12)
