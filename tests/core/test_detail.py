"""What every record page shares (cooperation/core/detail.py): the day the record was last
updated, and "Cite this record" as text and as CSL-JSON and BibTeX files at the page's own
address (``?format=csl-json``, ``?format=bibtex``), with no query beyond the page's own."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.helpers.cite import parse_bibtex
from tests.helpers.listing import DATA_VERSION
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db

# kind: (factory, the title a citation gives it)
KINDS = {
    "partners": (lambda: f.PartnerFactory(name="International Organization for Migration", acronym="IOM"), None),
    "offices": (lambda: f.OfficeFactory(name="IOM office in Baku"), None),
    "people": (lambda: f.PersonFactory(name="Firudin Nabiyev"), None),
    "agreements": (
        lambda: f.AgreementFactory(title="Agreement on Cooperation with IOM", short_title="IOM agreement"),
        "Agreement on Cooperation with IOM",
    ),
    "projects": (lambda: f.ProjectFactory(title="Readmission management", phase="Phase II"), None),
    "topics": (lambda: f.TopicFactory(name="Readmission"), None),
    "sources": (lambda: f.SourceFactory(title="International cooperation"), None),
    "meetings": (lambda: f.MeetingFactory(title="Visit to Geneva"), None),
}
UPDATED = datetime.datetime(2025, 11, 8, 9, 30, tzinfo=datetime.UTC)


def record_of(kind):
    factory, _title = KINDS[kind]
    record = factory()
    type(record).objects.filter(pk=record.pk).update(updated_at=UPDATED)
    record.refresh_from_db()
    return record


@pytest.mark.parametrize("kind", list(KINDS))
def test_record_page_says_when_it_was_last_updated_and_how_to_cite_it(client, kind):
    record = record_of(kind)
    title = KINDS[kind][1] or str(record)
    url = f"http://testserver{record.get_absolute_url()}"
    today = timezone.localdate()

    page = get(client, record.get_absolute_url())

    assert '<p class="meta">Last updated <time datetime="2025-11-08">8 November 2025</time></p>' in page.html
    assert (
        f"Cite this record “{title}”. {type(record)._meta.verbose_name.capitalize()}, Migration Cooperation Registry. "
        f"Last updated 8 November 2025. {url} (accessed {today.day} {today:%B} {today.year})."
    ) in page.text
    assert (f"{record.get_absolute_url()}?format=csl-json", "CSL-JSON") in page.links
    assert (f"{record.get_absolute_url()}?format=bibtex", "BibTeX") in page.links


@pytest.mark.parametrize("kind", list(KINDS))
def test_citation_downloads_are_csl_json_and_bibtex_files(client, kind):
    record = record_of(kind)
    title = KINDS[kind][1] or str(record)
    key = f"{type(record)._meta.model_name}-{record.slug}"

    csl = client.get(f"{record.get_absolute_url()}?format=csl-json")
    bibtex = client.get(f"{record.get_absolute_url()}?format=bibtex")

    assert csl["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert csl["Content-Disposition"] == f'attachment; filename="{key}.json"'
    [item] = json.loads(csl.content)
    assert (item["id"], item["type"], item["title"]) == (key, "webpage", title)
    assert item["URL"] == f"http://testserver{record.get_absolute_url()}"
    assert item["issued"] == {"date-parts": [[2025, 11, 8]]}
    assert bibtex["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bibtex["Content-Disposition"] == f'attachment; filename="{key}.bib"'
    entry_key, fields = parse_bibtex(bibtex.content.decode())
    assert entry_key == key and fields["url"] == item["URL"] and fields["year"] == "2025"


def test_citation_names_the_agency_that_keeps_the_registry(client, settings):
    settings.AGENCY_NAME = "State Migration Service"
    record = record_of("topics")

    page = get(client, record.get_absolute_url())
    [item] = client.get(f"{record.get_absolute_url()}?format=csl-json").json()

    assert "Cite this record State Migration Service. “Readmission”. Topic," in page.text
    assert item["author"] == [{"literal": "State Migration Service"}]


def test_a_draft_has_no_citation_files(client):
    draft = f.AgreementFactory(published=False)

    assert client.get(f"{draft.get_absolute_url()}?format=bibtex").status_code == 404
    assert client.get(f"{draft.get_absolute_url()}?format=csl-json").status_code == 404


def test_an_unknown_format_shows_the_page(client):
    record = record_of("topics")

    response = client.get(f"{record.get_absolute_url()}?format=xml")

    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"


def test_citation_files_read_no_more_than_the_page(client, warm_content_types):
    record = record_of("agreements")
    url = record.get_absolute_url()
    with CaptureQueriesContext(connection) as first_page:
        client.get(url)
    with CaptureQueriesContext(connection) as first_file:
        client.get(f"{url}?format=bibtex")
    with CaptureQueriesContext(connection) as repeated_page:
        client.get(url)

    # The file is the page's record, cached until the data changes: the data version alone.
    assert len(first_page) > DATA_VERSION
    assert len(first_file) == len(repeated_page) == DATA_VERSION
