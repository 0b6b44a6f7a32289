"""The schema.org JSON-LD of the agreement and project pages (cooperation/structured_data.py)."""

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import ProjectPartner
from tests import factories as f
from tests.helpers.pages import json_ld

pytestmark = pytest.mark.django_db


def test_agreement_page_describes_it_as_legislation_with_its_date_place_kind_parties_and_force(client):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    draft = f.PartnerFactory(name="Quokka Ministry", slug="quokka", published=False)
    f.AgreementFactory(
        slug="iom-agreement",
        title="Agreement on Cooperation </script><b>with IOM",
        short_title="IOM agreement",
        signed=PartialDate(1999, 12),
        signed_place="Baku",
        in_force=PartialDate(2000, 3, 1),
        parties=[iom, draft],
    )

    [data] = json_ld(client.get("/agreements/iom-agreement/"))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Legislation"
    assert data["@id"] == data["url"] == "http://testserver/agreements/iom-agreement/"
    assert data["name"] == "Agreement on Cooperation </script><b>with IOM"
    assert data["alternateName"] == "IOM agreement"
    assert data["legislationType"] == "Cooperation agreement"
    assert data["legislationDate"] == "1999-12"
    assert data["locationCreated"] == {"@type": "Place", "name": "Baku"}
    assert data["legislationLegalForce"] == "https://schema.org/InForce"
    assert data["legislationPassedBy"] == [
        {
            "@type": "Organization",
            "@id": "http://testserver/partners/iom/",
            "name": "International Organization for Migration (IOM)",
            "url": "http://testserver/partners/iom/",
        }
    ]
    assert "quokka" not in str(data).lower()


def test_an_agreement_not_known_to_be_in_force_says_nothing_of_its_force(client):
    f.AgreementFactory(slug="signed-only", signed=PartialDate(2013, 11, 29), in_force=None)

    [data] = json_ld(client.get("/agreements/signed-only/"))

    assert "legislationLegalForce" not in data and data["legislationDate"] == "2013-11-29"


def test_project_page_describes_a_project_with_its_dates_funders_and_topics(client):
    eu = f.PartnerFactory(name="European Union", acronym="EU", slug="eu")
    iom = f.PartnerFactory(name="IOM", acronym="", slug="iom")
    draft_funder = f.PartnerFactory(name="Quokka Fund", slug="quokka-fund", published=False)
    project = f.ProjectFactory(
        slug="readmission",
        title="Readmission management",
        start=PartialDate(2006, 8),
        end=PartialDate(2008),
        topics=[f.TopicFactory(name="Readmission"), f.TopicFactory(name="Quokka topic", published=False)],
    )
    f.ProjectPartnerFactory(project=project, partner=eu, role=ProjectPartner.Role.FUNDING)
    f.ProjectPartnerFactory(project=project, partner=draft_funder, role=ProjectPartner.Role.FUNDING)
    f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)

    [data] = json_ld(client.get("/projects/readmission/"))

    assert data["@type"] == "Project"
    assert (data["name"], data["foundingDate"], data["dissolutionDate"]) == (
        "Readmission management",
        "2006-08",
        "2008",
    )
    assert [funder["name"] for funder in data["funder"]] == ["European Union (EU)"]
    assert data["keywords"] == ["Readmission"]
    assert "quokka" not in str(data).lower()


def test_an_agreements_and_a_projects_data_are_in_the_pages_language(client):
    agreement = f.AgreementFactory(
        slug="iom-agreement",
        title="Agreement on Cooperation",
        title_az="Əməkdaşlıq haqqında Saziş",
        short_title="IOM agreement",
        short_title_az="BMT saziş",
        description="Signed in Baku.",
        description_az="Bakıda imzalanıb.",
        signed=PartialDate(1999, 12),
        signed_place="Baku",
    )
    signature = agreement.actions.get()  # the place of signing is its signature's
    signature.place_az = "Bakı"
    signature.save()
    f.ProjectFactory(
        slug="readmission",
        title="Readmission management",
        title_ru="Управление реадмиссией",
        short_title="Readmission",
        description="A project.",
        description_ru="Проект.",
        topics=[f.TopicFactory(name="Readmission", name_ru="Реадмиссия")],
    )

    [agreement] = json_ld(client.get("/az/agreements/iom-agreement/"))
    [project] = json_ld(client.get("/ru/projects/readmission/"))

    assert (agreement["name"], agreement["alternateName"], agreement["description"]) == (
        "Əməkdaşlıq haqqında Saziş",
        "BMT saziş",
        "Bakıda imzalanıb.",
    )
    assert agreement["legislationType"] == "Əməkdaşlıq sazişi"
    assert agreement["locationCreated"] == {"@type": "Place", "name": "Bakı"}
    assert (project["name"], project["description"], project["keywords"]) == (
        "Управление реадмиссией",
        "Проект.",
        ["Реадмиссия"],
    )
    # A short title not translated: the English, as the page shows it.
    assert project["alternateName"] == "Readmission"
