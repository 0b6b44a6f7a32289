"""The agreement, project, topic and source lists' export columns (cooperation/exports.py): labels, dates in three
forms, related records by name and by slug."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.exports import export

pytestmark = pytest.mark.django_db


def test_agreement_export_has_labels_dates_in_three_forms_and_related_names_and_slugs(client):
    eu = f.PartnerFactory(slug="eu", name="European Union", acronym="EU")
    azerbaijan = f.PartnerFactory(slug="azerbaijan", name="Republic of Azerbaijan", acronym="")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    agreement = f.AgreementFactory(
        slug="eu-readmission",
        title="Agreement between the EU and Azerbaijan on readmission",
        short_title="EU readmission agreement",
        kind="readmission-agreement",
        signed=PD(2014, 2, 28),
        signed_place="Vilnius",
        in_force=PD(2014, 9),
        parties=[eu, azerbaijan],
    )
    agreement.topics.set([readmission])
    source = f.SourceFactory(slug="eu-press-release", title="Press release, 28 February 2014")
    f.CitationFactory(content_object=agreement, source=source, locator="p. 1")
    f.CitationFactory(content_object=agreement, source=source, locator="p. 2")
    [row] = export(client, "/agreements/", "csv")
    assert row == {
        "slug": "eu-readmission",
        "title": "Agreement between the EU and Azerbaijan on readmission",
        "title_az": "",
        "title_ru": "",
        "short_title": "EU readmission agreement",
        "short_title_az": "",
        "short_title_ru": "",
        "kind": "Readmission agreement",
        "status": "In force",
        "parties": "EU; Republic of Azerbaijan",
        "party_slugs": "eu; azerbaijan",
        "topics": "Readmission",
        "topic_slugs": "readmission",
        "signed": "28 February 2014",
        "signed_iso": "2014-02-28",
        "signed_edtf": "2014-02-28",
        "signed_precision": "day",
        "signed_place": "Vilnius",
        "signed_place_az": "",
        "signed_place_ru": "",
        "signed_location": "",
        "signed_location_slug": "",
        "signed_latitude": "",
        "signed_longitude": "",
        "ratified": "",
        "ratified_iso": "",
        "ratified_edtf": "",
        "ratified_precision": "",
        "in_force": "September 2014",
        "in_force_iso": "2014-09",
        "in_force_edtf": "2014-09",
        "in_force_precision": "month",
        "ended": "",
        "ended_iso": "",
        "ended_edtf": "",
        "ended_precision": "",
        "actions": "signature | 2014-02-28 | place=Vilnius; entry-into-force | 2014-09",
        "legal_summary": "",
        "legal_summary_az": "",
        "legal_summary_ru": "",
        "description": "",
        "description_az": "",
        "description_ru": "",
        "sources": "Press release, 28 February 2014, Ministry of Foreign Affairs",
        "source_slugs": "eu-press-release",
        "url": "http://testserver/agreements/eu-readmission/",
    }
    [result] = export(client, "/agreements/", "json")
    assert result["parties"] == ["EU", "Republic of Azerbaijan"] and result["party_slugs"] == ["eu", "azerbaijan"]
    assert (result["in_force"], result["in_force_iso"], result["in_force_precision"]) == (
        "September 2014",
        "2014-09",
        "month",
    )
    assert result["ratified"] is None and result["ratified_iso"] is None and result["legal_summary"] is None
    assert result["sources"] == ["Press release, 28 February 2014, Ministry of Foreign Affairs"]


def test_project_export_lists_partners_with_their_roles(client):
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    eu = f.PartnerFactory(slug="eu", acronym="EU")
    agreement = f.AgreementFactory(slug="eu-readmission", title="Readmission agreement")
    project = f.ProjectFactory(
        slug="unimig",
        title="Support to migration management",
        short_title="UNIMIG",
        phase="Phase II",
        start=PD(2006, 8),
        end=PD(2008),
        status="completed",
        topics=[f.TopicFactory(slug="asylum", name="Asylum")],
    )
    project.agreements.set([agreement])
    f.ProjectPartnerFactory(project=project, partner=iom, role="implementing")
    f.ProjectPartnerFactory(project=project, partner=eu, role="funding")
    f.ProjectPartnerFactory(project=project, partner=iom, role="beneficiary")
    [row] = export(client, "/projects/", "csv")
    assert row["partners"] == "IOM (beneficiary); EU (funding); IOM (implementing)"
    assert row["partner_slugs"] == "iom:beneficiary; eu:funding; iom:implementing"
    assert (row["status"], row["phase"], row["short_title"]) == ("Completed", "Phase II", "UNIMIG")
    assert (row["dates"], row["start"], row["start_iso"], row["start_precision"]) == (
        "August 2006 – 2008",
        "August 2006",
        "2006-08",
        "month",
    )
    assert (row["end"], row["end_iso"], row["end_precision"]) == ("2008", "2008", "year")
    assert (row["start_edtf"], row["end_edtf"]) == ("2006-08", "2008")
    assert (row["topics"], row["topic_slugs"]) == ("Asylum", "asylum")
    assert (row["agreements"], row["agreement_slugs"]) == ("Readmission agreement", "eu-readmission")
    [result] = export(client, "/projects/", "json")
    assert result["partner_slugs"] == ["iom:beneficiary", "eu:funding", "iom:implementing"]


def test_project_export_gives_each_date_in_edtf_beside_text_iso_and_precision(client):
    f.ProjectFactory(slug="workshops", start=PD(2007, group=41), end=None, published=True, title="Workshops")
    f.ProjectFactory(slug="about", start=PD(2005, qualifier="~"), end=PD(2007, qualifier="?"), published=True)
    rows = {row["slug"]: row for row in export(client, "/projects/", "csv")}

    workshops = rows["workshops"]
    assert (workshops["dates"], workshops["start"], workshops["start_iso"]) == (
        "second half of 2007",
        "second half of 2007",
        "2007-41",
    )
    assert (workshops["start_edtf"], workshops["start_precision"]) == ("2007-41", "half")
    about = rows["about"]
    assert about["dates"] == "about 2005 – 2007 (uncertain)"
    assert (about["start"], about["start_iso"], about["start_edtf"], about["start_precision"]) == (
        "about 2005",
        "2005",
        "2005~",
        "year",
    )
    assert (about["end"], about["end_iso"], about["end_edtf"]) == ("2007 (uncertain)", "2007", "2007?")
    [result] = [row for row in export(client, "/projects/", "json") if row["slug"] == "about"]
    assert (result["start_edtf"], result["end_edtf"]) == ("2005~", "2007?")


def test_agreement_export_gives_each_action_in_one_parseable_cell(client):
    sms = f.PartnerFactory(slug="sms")
    draft = f.PartnerFactory(slug="draft-party", published=False)
    agreement = f.AgreementFactory(slug="return", parties=[sms, draft], signed=PD(2016, 12, 8), signed_place="Geneva")
    f.AgreementActionFactory(
        agreement=agreement,
        kind="approval",
        party=sms,
        date=PD(2017, 2, 23),
        act="Presidential Decree; No. 1|2",
        note="Two lines:\nthe second.",
    )
    f.AgreementActionFactory(agreement=agreement, kind="ratification", party=draft, date=PD(2018))

    [row] = export(client, "/agreements/", "csv")
    [record] = export(client, "/agreements/", "json")

    expected = [
        "signature | 2016-12-08 | place=Geneva",
        "approval | 2017-02-23 | party=sms | act=Presidential Decree\\; No. 1\\|2 | note=Two lines:\\nthe second.",
    ]
    assert row["actions"] == "; ".join(expected)
    assert record["actions"] == expected


def test_topic_export_counts_published_projects_and_agreements_with_sources(client):
    asylum = f.TopicFactory(slug="asylum", name="Asylum", description="Protection of refugees.")
    f.ProjectFactory(topics=[asylum])
    f.ProjectFactory(topics=[asylum], published=False)
    f.AgreementFactory().topics.set([asylum])
    f.CitationFactory(content_object=asylum, source=f.SourceFactory(slug="unhcr-report", title="UNHCR report"))

    (row,) = export(client, "/topics/?has=projects", "json")

    assert row["slug"] == "asylum" and row["name"] == "Asylum" and row["description"] == "Protection of refugees."
    assert (row["project_count"], row["agreement_count"]) == (1, 1)
    assert row["source_slugs"] == ["unhcr-report"]
    assert row["url"] == "http://testserver/topics/asylum/"


def test_source_export_has_kind_label_date_in_three_forms_language_and_both_addresses(client):
    f.SourceFactory(
        slug="iom-report",
        title="Annual report",
        label="2006",
        kind="report",
        publisher="IOM",
        date=PD(2006, 5),
        language="ru",
        url="https://example.org/report.pdf",
    )

    (row,) = export(client, "/sources/?language=ru", "csv")

    assert {key: row[key] for key in ["title", "label", "kind", "publisher", "language", "address", "copy"]} == {
        "title": "Annual report",
        "label": "2006",
        "kind": "Report",
        "publisher": "IOM",
        "language": "ru",
        "address": "https://example.org/report.pdf",
        "copy": "",
    }
    assert (row["date"], row["date_iso"], row["date_precision"]) == ("May 2006", "2006-05", "month")
    assert row["url"] == "http://testserver/sources/iom-report/"


@pytest.mark.parametrize("export_format", ["csv", "json", "xlsx"])
def test_project_export_has_the_planned_dates_and_the_recipient_countries_after_the_dates(client, export_format):
    f.ProjectFactory(
        slug="border",
        start=PD(2016, 3),
        end=PD(2019),
        planned_start=PD(2016, 1, 15),
        planned_end=PD(2018, 12),
        recipient_countries=["GE", "AZ"],
    )
    f.ProjectFactory(slug="plain", start=PD(2015), planned_start=None, planned_end=None)
    rows = {row["slug"]: row for row in export(client, "/projects/", export_format)}

    columns = list(rows["border"])
    planned = [f"planned_{end}{part}" for end in ("start", "end") for part in ("", "_iso", "_edtf", "_precision")]
    countries = ["recipient_countries", "recipient_country_codes"]
    assert columns[columns.index("end_precision") + 1 : columns.index("partners")] == planned + countries
    border, plain = rows["border"], rows["plain"]
    assert [border[name] for name in planned] == [
        "15 January 2016", "2016-01-15", "2016-01-15", "day", "December 2018", "2018-12", "2018-12", "month",
    ]  # fmt: skip
    empty = {"csv": "", "json": None, "xlsx": None}[export_format]
    assert [plain[name] for name in planned] == [empty] * 8
    if export_format == "json":
        assert (border["recipient_countries"], border["recipient_country_codes"]) == (
            ["Azerbaijan", "Georgia"],
            ["AZ", "GE"],
        )
        assert (plain["recipient_countries"], plain["recipient_country_codes"]) == ([], [])
    else:
        assert (border["recipient_countries"], border["recipient_country_codes"]) == ("Azerbaijan; Georgia", "AZ; GE")
        assert (plain["recipient_countries"], plain["recipient_country_codes"]) == (empty, empty)
