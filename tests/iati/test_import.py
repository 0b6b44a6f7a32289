"""Writing IATI activities into the registry (cooperation/iati/apply.py and its helpers): what a
project, its partners, topics, money and sources become; re-imports, newer files, staff edits
and refusals; never half an activity."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.iati import money
from cooperation.models import Budget, Citation, IatiActivity, Project, Source, TransactionTotal
from partners.models import Partner
from tests import factories as f
from tests.helpers.users import editor, publisher
from tests.iati.helpers import IOM, MESSY, WORKED_EXAMPLE, actions, activity_xml, run

pytestmark = pytest.mark.django_db


def write(tmp_path, name="activity.xml", **values):
    path = tmp_path / name
    path.write_text(activity_xml(**values), encoding="utf-8")
    return path


def test_the_worked_example_becomes_a_draft_project():
    report = run(WORKED_EXAMPLE)
    assert actions(report) == [("AA-AAA-123456789-ABC123", "created")]
    project = Project.objects.get(iati_activity__identifier="AA-AAA-123456789-ABC123")
    assert not project.published
    assert project.title == "Activity title"
    assert project.description.startswith("General activity description text.")
    assert project.status == Project.Status.ONGOING
    assert project.status_as_of == PD(2014, 9, 10)
    # The actual start is preferred; no actual end, so the planned one; both plans kept.
    assert (project.start, project.end) == (PD(2012, 4, 28), PD(2015, 12, 31))
    assert (project.planned_start, project.planned_end) == (PD(2012, 4, 15), PD(2015, 12, 31))
    roles = sorted((link.partner.name, link.role, link.note) for link in project.project_partners.all())
    assert roles == [
        ("Name of Agency A", "other", "Extending"),
        ("Name of Agency B", "funding", ""),
        ("Name of Agency C", "other", "Accountable"),
    ]
    created = Partner.objects.get(name="Name of Agency B")
    assert (created.published, created.iati_ref, created.kind) == (
        False,
        "BB-BBB-123456789",
        "international-organisation",
    )
    [budget] = Budget.objects.filter(project=project)
    assert (budget.amount, budget.currency, budget.kind, budget.status) == (
        Decimal("3000.00"),
        "EUR",
        "original",
        "indicative",
    )
    [total] = TransactionTotal.objects.filter(project=project)
    assert (total.year, total.kind, total.currency, total.amount, total.count) == (
        2012,
        "incoming-funds",
        "EUR",
        Decimal("1000.00"),
        1,
    )
    record = IatiActivity.objects.get(project=project)
    assert record.recipient_countries == ["AF", "AG"]
    assert [country.code for country in project.recipient_countries] == ["AF", "AG"]
    assert (record.publisher, record.publisher_name, record.line) == ("AA-AAA-123456789", "Organisation name", 8)
    # Provenance: the project and the partners it created cite the file, at the activity.
    [citation] = project.citations.all()
    assert citation.locator == "iati-activity AA-AAA-123456789-ABC123"
    assert citation.source.title == "IATI activities: iati-203-worked-example-annotated.xml"
    assert not citation.source.published
    assert created.citations.get().locator == "participating-org of iati-activity AA-AAA-123456789-ABC123"


def test_organisations_are_matched_by_reference_then_by_name():
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", iati_ref="xm-dac-47066")
    japan = f.PartnerFactory(name="Japan", name_ru="Japan - Ministry of Foreign Affairs")
    partners = Partner.objects.count()
    run(IOM)
    project = Project.objects.get(iati_activity__identifier="XM-DAC-47066-DP.2154")
    assert sorted((link.partner_id, link.role) for link in project.project_partners.all()) == sorted(
        [(iom.pk, "other"), (japan.pk, "funding")]
    )
    assert Partner.objects.count() == partners


def test_a_name_with_its_acronym_finds_the_partner():
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM")
    run(IOM)
    project = Project.objects.get(iati_activity__identifier="XM-DAC-47066-DP.2154")
    assert iom.pk in {link.partner_id for link in project.project_partners.all()}


def test_sectors_and_tags_become_topics_through_the_mapping():
    relief = f.IatiTopicMappingFactory(vocabulary="1", code="72010").topic
    report = run(IOM)
    project = Project.objects.get(iati_activity__identifier="XM-DAC-47066-DP.2154")
    assert list(project.topics.all()) == [relief]
    unmapped = [p.reason for p in report.problems if p.element == "sector"]
    assert len(unmapped) == 2 and "98/01" in unmapped[1]


def test_money_from_a_messy_file():
    run(MESSY)
    project = Project.objects.get(iati_activity__identifier="XM-TEST-MESSY-1")
    assert list(project.budgets.values_list("amount", "currency", "status")) == [
        (Decimal("1000.00"), "EUR", "committed")
    ]
    assert sorted(project.transaction_totals.values_list("year", "kind", "currency", "amount", "count")) == [
        (2021, "disbursement", "USD", Decimal("150.50"), 2),
        (2022, "expenditure", "EUR", Decimal("20.00"), 1),
    ]
    # The document link is a draft source the project cites.
    document = Source.objects.get(url="https://example.org/report.pdf")
    assert (document.title, document.kind, document.date, document.published) == (
        "Annual report",
        "report",
        PD(2022, 3, 1),
        False,
    )
    assert project.citations.filter(source=document).exists()
    assert (project.title_az, project.title_ru) == ("Sərhəd idarəçiliyinə dəstək", "Поддержка управления границами")


def counts():
    return [model.objects.count() for model in (Project, Partner, Source, Citation, Budget, TransactionTotal)] + [
        Project.history.count()
    ]


def test_importing_the_same_files_again_changes_nothing():
    run(WORKED_EXAMPLE), run(IOM), run(MESSY)
    before = counts()
    reports = [run(WORKED_EXAMPLE), run(IOM), run(MESSY)]
    assert [action for report in reports for _, action in actions(report)] == [
        "unchanged",
        "unchanged",
        "unchanged",
        "skipped",
        "skipped",
        "unchanged",
    ]
    assert counts() == before


def test_a_newer_file_updates_and_an_older_one_does_not(tmp_path):
    run(write(tmp_path))
    report = run(write(tmp_path, updated="2024-06-01T00:00:00Z", title="Second title"))
    assert actions(report) == [("XM-TEST-1", "updated")]
    project = Project.objects.get(iati_activity__identifier="XM-TEST-1")
    assert project.title == "Second title"
    assert IatiActivity.objects.get().last_updated == datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    [older] = run(write(tmp_path, updated="2023-01-01T00:00:00Z", title="Old title")).results
    assert older.action == "skipped" and "older than the one imported" in older.reason
    project.refresh_from_db()
    assert project.title == "Second title"


def test_a_staff_edit_is_not_overwritten_silently(tmp_path):
    run(write(tmp_path))
    project = Project.objects.get(iati_activity__identifier="XM-TEST-1")
    project.title = "Title as staff corrected it"
    project.save()
    newer = write(tmp_path, updated="2024-06-01T00:00:00Z", title="Second title")
    [result] = run(newer).results
    assert result.action == "skipped"
    assert result.reason.startswith("Conflict: staff changed title of project “Title as staff corrected it”")
    project.refresh_from_db()
    assert project.title == "Title as staff corrected it"
    # Asked to, the import writes over the edit.
    [result] = run(newer, overwrite=True).results
    assert result.action == "updated"
    project.refresh_from_db()
    assert project.title == "Second title"


def test_a_staff_edit_of_the_money_is_a_conflict_too(tmp_path):
    run(
        write(
            tmp_path,
            extra=(
                '<budget><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>'
                "<value>5</value></budget>"
            ),
        )
    )
    Budget.objects.update(amount=Decimal("7.00"))
    [result] = run(write(tmp_path, updated="2024-06-01T00:00:00Z")).results
    assert result.action == "skipped" and "budgets" in result.reason


COUNTRIES = '<recipient-country code="AZ"/><recipient-country code="GE"/>'


def test_recipient_countries_are_the_projects_and_a_staff_edit_of_them_is_a_conflict(tmp_path):
    run(write(tmp_path, extra=COUNTRIES))
    project = Project.objects.get(iati_activity__identifier="XM-TEST-1")
    assert [country.code for country in project.recipient_countries] == ["AZ", "GE"]
    # The same countries saved in another order (as a form may) are no edit.
    project.recipient_countries = ["GE", "AZ"]
    project.save()
    newer = write(tmp_path, updated="2024-06-01T00:00:00Z", extra='<recipient-country code="AM"/>')
    assert actions(run(newer)) == [("XM-TEST-1", "updated")]
    project.refresh_from_db()
    assert [country.code for country in project.recipient_countries] == ["AM"]
    # Staff add a country: a newer file does not take it away silently.
    project.recipient_countries = ["AM", "TR"]
    project.save()
    [result] = run(write(tmp_path, updated="2024-07-01T00:00:00Z", extra=COUNTRIES)).results
    assert result.action == "skipped"
    assert result.reason.startswith("Conflict: staff changed recipient_countries of project")
    project.refresh_from_db()
    assert [country.code for country in project.recipient_countries] == ["AM", "TR"]


def test_never_half_an_activity(tmp_path, monkeypatch):
    original = money.write

    def fail(*args):
        raise DatabaseError("disk full")

    monkeypatch.setattr(money, "write", fail)
    before = counts()
    [result] = run(WORKED_EXAMPLE).results
    assert result.action == "skipped"
    assert result.reason == "The registry refused it, so nothing of it was saved: disk full"
    assert counts() == before
    # The partners and the file's source it had created are forgotten with it: the next
    # activity of the same import creates them again.
    calls = []

    def fail_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise DatabaseError("disk full")
        return original(*args)

    monkeypatch.setattr(money, "write", fail_once)
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("<iati-activity "), text.index("</iati-activity>") + len("</iati-activity>")
    second = text[start:end].replace("AA-AAA-123456789-ABC123", "AA-AAA-123456789-SECOND")
    path = tmp_path / "two.xml"
    path.write_text(text[:end] + second + text[end:], encoding="utf-8")
    assert actions(run(path)) == [("AA-AAA-123456789-ABC123", "skipped"), ("AA-AAA-123456789-SECOND", "created")]
    project = Project.objects.get()
    assert project.citations.get().source.title == "IATI activities: two.xml"
    assert Partner.objects.filter(name="Name of Agency B").count() == 1
    Project.objects.all().delete()
    monkeypatch.undo()
    assert actions(run(WORKED_EXAMPLE)) == [("AA-AAA-123456789-ABC123", "created")]
    assert Partner.objects.filter(name="Name of Agency B").count() == 1


def test_text_a_reader_cannot_see_is_refused(tmp_path):
    [result] = run(write(tmp_path, title="Evil \u202etitle")).results
    assert result.action == "skipped"
    assert "title:" in result.reason and "U+202E" in result.reason
    assert not Project.objects.exists()


def test_a_published_project_is_updated_only_by_a_publisher(tmp_path):
    run(write(tmp_path))
    Project.objects.update(published=True)
    project = Project.objects.get()
    IatiActivity.objects.update(written={**IatiActivity.objects.get().written})
    newer = write(tmp_path, updated="2024-06-01T00:00:00Z", title="Second title")
    [result] = run(newer, user=editor()).results
    assert result.action == "skipped" and "permission to publish" in result.reason
    [result] = run(newer, user=publisher()).results
    assert result.action == "updated"
    project.refresh_from_db()
    assert (project.title, project.published) == ("Second title", True)


def test_a_repeated_identifier_in_one_file_is_skipped(tmp_path):
    text = activity_xml().replace("</iati-activities>", "")
    body = text[text.index("<iati-activity ") :]
    path = tmp_path / "twice.xml"
    path.write_text(text + body + "</iati-activities>", encoding="utf-8")
    report = run(path)
    assert actions(report) == [("XM-TEST-1", "created"), ("XM-TEST-1", "skipped")]
