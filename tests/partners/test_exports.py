"""The partner and people lists' export columns (partners/exports.py); the office list's are tested with the
meeting list's (tests/events/test_exports.py)."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.exports import export

pytestmark = pytest.mark.django_db


def test_partner_export_has_labels_country_parent_year_dates_numbers_and_other_names(client):
    austria = f.PartnerFactory(slug="austria", name="Republic of Austria", acronym="", kind="state", scope="bilateral")
    f.PartnerFactory(
        slug="austrian-interior",
        name="Austrian Federal Ministry of the Interior",
        acronym="BMI",
        kind="state-agency",
        scope="bilateral",
        country="AT",
        parent=austria,
        founded=PD(1848),
        member_states=None,
        other_names="Bundesministerium für Inneres\nAustrian Ministry of Interior\n",
    )
    f.PartnerFactory(
        slug="iom",
        name="International Organization for Migration",
        acronym="IOM",
        headquarters="Geneva, Switzerland",
        member_states=175,
        website="https://www.iom.int/",
    )
    rows = {row["slug"]: row for row in export(client, "/partners/", "csv")}
    ministry = rows["austrian-interior"]
    assert (ministry["kind"], ministry["scope"]) == ("State agency", "Bilateral")
    assert (ministry["country"], ministry["country_code"]) == ("Austria", "AT")
    assert (ministry["parent"], ministry["parent_slug"]) == ("Republic of Austria", "austria")
    assert (ministry["founded"], ministry["founded_iso"], ministry["founded_precision"]) == ("1848", "1848", "year")
    assert ministry["other_names"] == "Bundesministerium für Inneres; Austrian Ministry of Interior"
    assert ministry["member_states"] == ""
    iom = rows["iom"]
    assert (iom["kind"], iom["scope"], iom["member_states"]) == ("International organisation", "Multilateral", "175")
    assert (iom["country"], iom["country_code"], iom["parent"], iom["parent_slug"]) == ("", "", "", "")
    results = {result["slug"]: result for result in export(client, "/partners/", "json")}
    assert results["iom"]["member_states"] == 175
    assert results["austrian-interior"]["other_names"] == [
        "Bundesministerium für Inneres",
        "Austrian Ministry of Interior",
    ]
    assert results["iom"]["other_names"] == [] and results["iom"]["parent"] is None


def test_people_export_lists_posts_at_published_organisations_with_their_dates(client):
    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    swing = f.PersonFactory(slug="swing", name="William Lacy Swing", other_names="W. L. Swing\nWilliam Swing")
    f.PostFactory(person=swing, organisation=iom, title="Director General", start=PD(2008, 10), end=PD(2018, 9))
    f.PostFactory(person=swing, organisation=f.PartnerFactory(published=False), title="Draft post")

    (row,) = export(client, "/people/?partner=iom", "json")

    assert row["name"] == "William Lacy Swing"
    assert row["other_names"] == ["W. L. Swing", "William Swing"]
    assert row["posts"] == ["Director General, IOM (October 2008 – September 2018)"]
    assert row["post_organisation_slugs"] == ["iom"]
    assert row["url"] == "http://testserver/people/swing/"
