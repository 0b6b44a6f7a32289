"""A partner page's table of offices and list of projects (partners/page_items.py), as a reader
sees them in each language: links, names (escaped, and marked where they are English on another
language's page), kinds, places, dates and roles."""

import re

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import ProjectPartner
from tests import factories as f
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db


def section(html, heading_id):
    """The HTML of the page's section headed ``heading_id``."""
    return re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S).group(1)


@pytest.fixture
def iom():
    partner = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    f.OfficeFactory(
        partner=partner,
        name="IOM <Baku> & Absheron office",
        name_az="BMT-nin <Bakı> & Abşeron ofisi",
        slug="iom-baku",
        city="Baku",
        city_az="Bakı",
        country="AZ",
        opened=PartialDate(1996, 4),
    )
    f.OfficeFactory(
        partner=partner,
        name="IOM Tbilisi office",
        slug="iom-tbilisi",
        kind="country-office",
        city="",
        country="GE",
        opened=PartialDate(2001),
        closed=PartialDate(2009, 6),
    )
    f.OfficeFactory(
        partner=partner,
        name="IOM Abidjan office",
        slug="iom-abidjan",
        city="Abidjan & Plateau",
        city_ru="Абиджан & Плато",
        country="CI",
        opened=PartialDate(2010),
    )
    project = f.ProjectFactory(title="Kahriz <Rehabilitation> & Co", slug="kahriz", start=PartialDate(2014), end=None)
    f.ProjectPartnerFactory(project=project, partner=partner, role=ProjectPartner.Role.IMPLEMENTING)
    f.ProjectPartnerFactory(project=project, partner=partner, role=ProjectPartner.Role.FUNDING)
    return partner


def test_offices_table_links_each_office_with_its_kind_place_and_dates(client, iom):
    page = get(client, "/partners/iom/")
    offices = section(page.html, "offices-heading")

    assert '<a href="/offices/iom-baku/">IOM &lt;Baku&gt; &amp; Absheron office</a>' in offices
    assert "IOM <Baku> & Absheron office Field office Baku, Azerbaijan since April 1996" in page.text
    # No city: the country alone; a closed office: when it was open.
    assert "IOM Tbilisi office Country office Georgia 2001 – June 2009" in page.text
    assert offices.count("<tr>") == 4  # the heading's row and one an office
    # A city and a country with characters HTML must escape, each escaped once.
    assert "Abidjan &amp; Plateau, Côte d&#x27;Ivoire" in offices


def test_offices_table_is_in_the_pages_language_and_marks_english_names(client, iom):
    page = get(client, "/az/partners/iom/")
    offices = section(page.html, "offices-heading")

    assert '<a href="/az/offices/iom-baku/">BMT-nin &lt;Bakı&gt; &amp; Abşeron ofisi</a>' in offices
    assert '<a href="/az/offices/iom-tbilisi/"><span lang="en">IOM Tbilisi office</span></a>' in offices
    assert "Bakı, Azərbaycan" in offices and "Gürcüstan" in offices
    assert "Sahə ofisi" in offices  # the kind, translated
    russian = section(get(client, "/ru/partners/iom/").html, "offices-heading")
    assert '<span lang="en">Baku</span>, Азербайджан' in russian  # a city nobody has translated
    assert "Абиджан &amp; Плато, Кот-д&#x27;Ивуар" in russian


def test_projects_list_links_each_project_once_with_its_dates_and_every_role(client, iom):
    page = get(client, "/partners/iom/")
    projects = section(page.html, "projects-heading")

    assert '<a href="/projects/kahriz/">Kahriz &lt;Rehabilitation&gt; &amp; Co</a>' in projects
    assert projects.count("<li>") == 1
    assert "Kahriz <Rehabilitation> & Co 2014 · Funding, implementing" in page.text
    assert "Kahriz <Rehabilitation> & Co 2014 · Донор, исполнитель" in get(client, "/ru/partners/iom/").text
