"""“Cite this record” as text, CSL-JSON and BibTeX (cooperation/core/cite.py)."""

import datetime
import json

import pytest

from cooperation.core.cite import RecordCitation, bibtex_escape
from tests.helpers.cite import parse_bibtex


def citation(**changes):
    values = {
        "key": "agreement-iom-agreement",
        "title": "Agreement between Azerbaijan and IOM",
        "kind": "Agreement",
        "url": "https://registry.example.org/agreements/iom-agreement/",
        "site_name": "Migration Cooperation Registry",
        "agency": "State Migration Service",
        "updated": datetime.date(2026, 11, 8),
        "accessed": datetime.date(2026, 12, 3),
    }
    return RecordCitation(**{**values, **changes})


def test_citation_text_names_agency_title_site_address_and_both_dates_in_the_site_style():
    assert citation().text() == (
        "State Migration Service. “Agreement between Azerbaijan and IOM”. Agreement, Migration Cooperation "
        "Registry. Last updated 8 November 2026. https://registry.example.org/agreements/iom-agreement/ "
        "(accessed 3 December 2026)."
    )


def test_citation_text_without_an_agency_starts_with_the_title():
    assert citation(agency="").text().startswith("“Agreement between Azerbaijan and IOM”. Agreement, Migration")


def test_csl_json_is_one_webpage_item_with_its_dates_as_date_parts():
    items = json.loads(json.dumps(citation().csl_json()))

    assert items == [
        {
            "id": "agreement-iom-agreement",
            "type": "webpage",
            "title": "Agreement between Azerbaijan and IOM",
            "genre": "Agreement",
            "container-title": "Migration Cooperation Registry",
            "URL": "https://registry.example.org/agreements/iom-agreement/",
            "issued": {"date-parts": [[2026, 11, 8]]},
            "accessed": {"date-parts": [[2026, 12, 3]]},
            "author": [{"literal": "State Migration Service"}],
            "publisher": "State Migration Service",
        }
    ]
    assert "author" not in citation(agency="").csl_json()[0]


def test_bibtex_is_one_misc_entry_with_url_and_urldate():
    key, fields = parse_bibtex(citation().bibtex())

    assert key == "agreement-iom-agreement"
    assert fields == {
        "title": "{Agreement between Azerbaijan and IOM}",
        "author": "{State Migration Service}",
        "howpublished": "Migration Cooperation Registry",
        "year": "2026",
        "month": "11",
        "url": "https://registry.example.org/agreements/iom-agreement/",
        "urldate": "2026-12-03",
        "note": "Agreement. Last updated 8 November 2026",
    }


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Trafficking {Phase III}", r"Trafficking \{Phase III\}"),
        ("50% & more_of #1 $", r"50\% \& more\_of \#1 \$"),
        ("back\\slash ~ ^", r"back\textbackslash{}slash \~{} \^{}"),
        ("two\nlines", "two lines"),
    ],
)
def test_bibtex_escapes_what_bibtex_would_read_as_commands_or_groups(text, escaped):
    assert bibtex_escape(text) == escaped
    key, fields = parse_bibtex(citation(title=text).bibtex())
    assert fields["title"] == "{" + escaped + "}"
