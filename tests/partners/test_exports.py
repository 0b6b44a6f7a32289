"""The partner list's export columns (partners/exports.py); the office list's are tested with the
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
