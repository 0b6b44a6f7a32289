"""The schema.org JSON-LD of the partner page (partners/structured_data.py)."""

import pytest

from cooperation.core.partial_dates import PartialDate
from tests import factories as f
from tests.helpers.pages import json_ld

pytestmark = pytest.mark.django_db


def test_partner_page_describes_an_organization_with_its_names_parent_and_sub_bodies(client):
    un = f.PartnerFactory(name="United Nations", acronym="UN", slug="un")
    iom = f.PartnerFactory(
        name="International Organization for Migration",
        acronym="IOM",
        slug="iom",
        parent=un,
        founded=PartialDate(1951),
        website="https://www.iom.int/",
        other_names="International Organization of Migration\n",
        headquarters="Geneva, Switzerland",
    )
    f.PartnerFactory(name="IOM Council", acronym="", slug="iom-council", parent=iom)
    f.PartnerFactory(name="Quokka Council", acronym="", slug="quokka-council", parent=iom, published=False)

    [data] = json_ld(client.get("/partners/iom/"))

    assert data["@type"] == "Organization"
    assert data["name"] == "International Organization for Migration"
    assert data["alternateName"] == ["IOM", "International Organization of Migration"]
    assert (data["foundingDate"], data["sameAs"]) == ("1951", "https://www.iom.int/")
    assert data["location"] == {"@type": "Place", "name": "Geneva, Switzerland"}
    assert data["parentOrganization"]["@id"] == "http://testserver/partners/un/"
    assert [body["name"] for body in data["subOrganization"]] == ["IOM Council"]
    assert "quokka" not in str(data).lower()


def test_a_draft_parent_is_not_named(client):
    parent = f.PartnerFactory(name="Quokka Union", slug="quokka-union", published=False)
    f.PartnerFactory(slug="sub-body", parent=parent)

    [data] = json_ld(client.get("/partners/sub-body/"))

    assert "parentOrganization" not in data and "quokka" not in str(data).lower()


def test_a_partners_data_is_in_the_pages_language_with_its_english_names_among_the_others(client):
    f.PartnerFactory(
        name="International Organization for Migration",
        name_ru="Международная организация по миграции",
        acronym="IOM",
        acronym_ru="МОМ",
        slug="iom",
        other_names="International Organization of Migration\n",
        headquarters="Geneva, Switzerland",
        headquarters_ru="Женева, Швейцария",
        description="An organisation.",
        description_ru="Организация.",
    )

    [ru] = json_ld(client.get("/ru/partners/iom/"))
    [az] = json_ld(client.get("/az/partners/iom/"))

    assert ru["name"] == "Международная организация по миграции"
    assert ru["alternateName"] == [
        "МОМ",
        "International Organization for Migration",
        "IOM",
        "International Organization of Migration",
    ]
    assert ru["description"] == "Организация."
    assert ru["location"] == {"@type": "Place", "name": "Женева, Швейцария"}
    # Nothing translated into Azerbaijani: the English, each name once.
    assert az["name"] == "International Organization for Migration"
    assert az["alternateName"] == ["IOM", "International Organization of Migration"]
    assert (az["description"], az["location"]["name"]) == ("An organisation.", "Geneva, Switzerland")
