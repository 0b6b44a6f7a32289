"""Sources a reader can open: a source's file served for download, the reading view of a text
copy, the source page's facts, citations that link to their place in the copy, and sources with
one title told apart (cooperation/views.py, cooperation/models/sources.py,
cooperation/core/document_files.py, cooperation/backoffice/documents.py)."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Source
from cooperation.seed.loader import SEED_DATA_DIR
from tests import factories as f
from tests.helpers.admin import admin_url, field_errors, rows
from tests.helpers.listing import DATA_VERSION, RECORD_VERSIONS
from tests.helpers.pages import get

pytestmark = pytest.mark.django_db

TEXT = (
    "A page title\n\n"
    "The first paragraph of the document, in a sentence.\n\n"
    "The second paragraph lists three things:\n"
    "• the first thing;\n"
    "• the second thing;\n"
    "• the third thing.\n\n"
    "The third paragraph closes the document here.\n"
)


def with_file(source, name="copy.txt", content=None):
    source.file.save(name, ContentFile(TEXT.encode() if content is None else content), save=True)
    return source


def text_source(**fields):
    return with_file(f.SourceFactory(**fields))


# The file, for download -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("copy.txt", TEXT.encode(), "text/plain; charset=utf-8"),
        ("page.html", b"<!doctype html><script>alert(document.cookie)</script>", "text/html; charset=utf-8"),
        ("report.pdf", b"%PDF-1.4 the report", "application/pdf"),
        ("scan.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
    ],
)
def test_a_published_sources_file_downloads_with_headers_that_keep_it_inert(client, name, content, content_type):
    with_file(f.SourceFactory(slug="iom-page"), name, content)

    response = client.get("/sources/iom-page/file/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="iom-page.{name.rsplit(".", 1)[1]}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp


def test_a_drafts_file_and_reading_view_are_404_like_its_page(client):
    text_source(slug="draft-page", published=False)

    for url in ["/sources/draft-page/", "/sources/draft-page/file/", "/sources/draft-page/text/"]:
        assert client.get(url).status_code == 404, url


def test_a_source_without_a_file_has_neither_address(client):
    f.SourceFactory(slug="no-copy")

    assert client.get("/sources/no-copy/file/").status_code == 404
    assert client.get("/sources/no-copy/text/").status_code == 404
    assert "registry's copy" not in get(client, "/sources/no-copy/").text


def test_a_pdf_copy_downloads_but_has_no_reading_view(client):
    with_file(f.SourceFactory(slug="report"), "report.pdf", b"%PDF-1.4 the report")

    page = get(client, "/sources/report/")

    assert client.get("/sources/report/text/").status_code == 404
    assert "The document Download the registry's copy (PDF)" in page.text
    assert ("/sources/report/file/", "Download the registry's copy") in page.links


def test_a_drafts_file_is_not_served_at_media_url_to_the_public(client):
    source = text_source(slug="draft-copy", published=False)

    assert client.get(f"/media/{source.file.name}").status_code == 404
    # MEDIA_URL is the admin's view, for staff only: the public is sent to the login page.
    response = client.get(source.file.url)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_staff_open_a_drafts_file_through_the_admin(superuser_client):
    source = text_source(slug="draft-copy", published=False)

    change_page = superuser_client.get(admin_url(Source, "change", source.pk)).content.decode()
    response = superuser_client.get(source.file.url)

    assert f'href="{source.file.url}"' in change_page
    assert source.file.url.startswith(f"/{settings.ADMIN_PATH}media/sources/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEXT.encode()
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # A stored file no source holds is served to nobody.
    assert superuser_client.get(f"/{settings.ADMIN_PATH}media/sources/other.txt").status_code == 404


# The reading view -----------------------------------------------------------------------------


def test_the_reading_view_numbers_and_anchors_paragraphs_and_items(client):
    text_source(slug="iom-page", title="IOM page", label="overview")

    page = get(client, "/sources/iom-page/text/")

    assert page.h1 == "IOM page (overview)"
    for anchor in ["paragraph-1", "paragraph-2", "paragraph-3"]:
        assert f'id="{anchor}"' in page.html and f'href="#{anchor}"' in page.html
    assert '<li id="paragraph-2-item-3">the third thing.</li>' in page.html
    assert 'id="paragraph-4"' not in page.html
    assert (
        "A page title 1 The first paragraph of the document, in a sentence. "
        "2 The second paragraph lists three things: the first thing; the second thing; the third thing. "
        "3 The third paragraph closes the document here."
    ) in page.text
    assert ("/sources/iom-page/file/", "Download the copy") in page.links
    assert ("/sources/iom-page/", "About this source") in page.links


def test_the_reading_view_of_a_seed_copy_counts_paragraphs_as_its_notes_do(client):
    content = (SEED_DATA_DIR / "sources" / "001_40a6e35fc54e5053.txt").read_bytes()
    with_file(f.SourceFactory(slug="sms-2008"), "001_40a6e35fc54e5053.txt", content)

    page = get(client, "/sources/sms-2008/text/")

    assert 'id="paragraph-5"' in page.html and 'id="paragraph-6"' not in page.html
    assert '<li id="paragraph-3-item-4">On migration, human trafficking and IDPs;</li>' in page.html
    assert "Official website Bilateral Cooperation Multilateral Cooperation" in page.text  # unnumbered


def test_the_reading_view_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    text_source(slug="iom-page")

    # the versions; the source (the copy is read from storage and cached with the record); the
    # versions of the records it shows, to keep it with them
    with django_assert_num_queries(DATA_VERSION + 1 + 1):
        assert client.get("/sources/iom-page/text/").status_code == 200


# The source page ------------------------------------------------------------------------------


def test_the_source_page_offers_the_document_and_says_what_it_is(client):
    text_source(
        slug="iom-page",
        title="IOM Azerbaijan",
        publisher="IOM",
        url="https://azerbaijan.iom.int/",
        language="az",
        kind=Source.Kind.WEB_PAGE,
        retrieved=PartialDate(2024, 3),
    )

    page = get(client, "/sources/iom-page/")

    assert (
        "The document Read the registry's copy (paragraphs numbered as citations count them) "
        "Download the registry's copy (plain text) "
        "Original address https://azerbaijan.iom.int/ Publisher IOM Retrieved March 2024 "
        "Language Azerbaijani Kind Web page"
    ) in page.text
    assert ("/sources/iom-page/text/", "Read the registry's copy") in page.links
    assert ("/sources/iom-page/file/", "Download the registry's copy") in page.links


@pytest.mark.parametrize(
    ("prefix", "name", "content", "said"),
    [
        ("/az", "copy.txt", TEXT.encode(), "Reyestrdəki nüsxəni yükləyin (düz mətn)"),
        ("/ru", "copy.txt", TEXT.encode(), "Скачать копию реестра (простой текст)"),
        ("/az", "scan.png", b"\x89PNG\r\n\x1a\n....", "Reyestrdəki nüsxəni yükləyin (PNG şəkli)"),
        ("/ru", "scan.jpg", b"\xff\xd8\xff....", "Скачать копию реестра (изображение JPEG)"),
        ("/ru", "report.pdf", b"%PDF-1.4 the report", "Скачать копию реестра (PDF)"),
    ],
)
def test_the_source_page_says_what_its_copy_is_in_the_pages_language(client, prefix, name, content, said):
    with_file(f.SourceFactory(slug="copied"), name, content)

    assert said in get(client, f"{prefix}/sources/copied/").text


def test_the_source_page_says_when_the_address_and_date_are_not_known(client):
    f.SourceFactory(slug="undated", url="", language="en")

    page = get(client, "/sources/undated/")

    assert "Original address Not known" in page.text
    assert "Date Not given in the document" in page.text
    assert "Language English" in page.text


@pytest.mark.parametrize(
    ("prefix", "label", "name"),
    [("", "Language", "Russian"), ("/az", "Dil", "Rus dili"), ("/ru", "Язык", "Русский")],
)
def test_a_sources_language_is_named_in_the_pages_language(client, prefix, label, name):
    f.SourceFactory(slug="in-russian", language="ru", title="A report in Russian", publisher="MFA", date=None)

    assert f"{label} {name}" in get(client, f"{prefix}/sources/in-russian/").text
    listed = get(client, f"{prefix}/sources/?language=ru").text
    row = listed[listed.index("A report in Russian") :].split(" · ")  # kind, publisher, date, language …
    assert row[3].startswith(f"{name} ")


# Sources with one title -----------------------------------------------------------------------


def two_overviews():
    sms = "State Migration Service"
    return (
        f.SourceFactory(slug="sms-2008", title="International cooperation", label="overview to 2008", publisher=sms),
        f.SourceFactory(slug="sms-2017", title="International cooperation", label="overview to 2017", publisher=sms),
    )


def test_sources_with_one_title_are_told_apart_on_every_public_page(client):
    old, new = two_overviews()
    agreement = f.AgreementFactory(slug="iom-agreement", signed=PartialDate(1999, 12, 8))
    f.CitationFactory(content_object=agreement, source=old, locator="paragraph 1")
    f.CitationFactory(content_object=agreement, source=new, locator="paragraph 9")
    f.ClaimFactory(
        content_object=agreement,
        field="signed",
        value="8 December 1999",
        source=old,
        locator="paragraph 1",
        preferred=True,
    )
    f.ClaimFactory(content_object=agreement, field="signed", value="9 December 1999", source=new)

    page = get(client, "/agreements/iom-agreement/")

    assert (
        "Sources International cooperation (overview to 2008), State Migration Service — paragraph 1 "
        "International cooperation (overview to 2017), State Migration Service — paragraph 9"
    ) in page.text
    assert (
        "Sources disagree on the date of signing: "
        "International cooperation (overview to 2008), State Migration Service (paragraph 1) gives 8 December 1999, "
        "International cooperation (overview to 2017), State Migration Service gives 9 December 1999."
    ) in page.text
    assert get(client, "/sources/sms-2008/").h1 == "International cooperation (overview to 2008)"
    assert (
        "<title>International cooperation (overview to 2017), State Migration Service – Sources"
        in get(client, "/sources/sms-2017/").html
    )


def test_a_second_source_with_the_same_title_publisher_and_date_needs_a_label():
    f.SourceFactory(title="International cooperation", publisher="SMS", label="")
    twin = Source(slug="twin", title="International Cooperation", publisher="SMS")

    with pytest.raises(Exception) as refused:
        twin.full_clean()

    assert refused.value.message_dict["label"] == [
        "Another source has this title, publisher and date: give each a label that tells them apart "
        "(e.g. what the document covers)."
    ]
    twin.label = "overview to 2017"
    twin.full_clean()


def test_the_admin_source_picker_and_list_tell_sources_with_one_title_apart(superuser_client):
    old, new = two_overviews()

    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cooperation", "model_name": "citation", "field_name": "source", "term": "international"},
    )
    listed = superuser_client.get(admin_url(Source, "changelist"))

    assert response.json()["results"] == [
        {"id": str(old.pk), "text": "International cooperation (overview to 2008), State Migration Service"},
        {"id": str(new.pk), "text": "International cooperation (overview to 2017), State Migration Service"},
    ]
    assert [row[:2] for row in rows(listed)] == [
        ["International cooperation", "overview to 2008"],
        ["International cooperation", "overview to 2017"],
    ]


def test_the_admin_discrepancies_list_tells_sources_with_one_title_apart(superuser_client):
    old, new = two_overviews()
    agreement = f.AgreementFactory(signed=PartialDate(1999, 12, 8))
    f.ClaimFactory(content_object=agreement, field="signed", value="8 December 1999", source=old, preferred=True)
    f.ClaimFactory(content_object=agreement, field="signed", value="9 December 1999", source=new)

    page = superuser_client.get(reverse("admin:discrepancies")).content.decode()

    assert ">International cooperation (overview to 2008), State Migration Service</a>" in page
    assert ">International cooperation (overview to 2017), State Migration Service</a>" in page


# Citations link to their place ----------------------------------------------------------------


def test_a_citation_links_to_its_paragraph_in_the_copy_or_else_to_the_document(client):
    text = text_source(slug="text-copy", title="Text copy")
    pdf = with_file(f.SourceFactory(slug="pdf-copy", title="PDF copy"), "report.pdf", b"%PDF-1.4")
    bare = f.SourceFactory(slug="no-copy", title="No copy")
    partner = f.PartnerFactory(slug="iom")
    for source, locator in [
        (text, "paragraph 2"),
        (text, "paragraph 2, item 3"),
        (text, "page banner"),
        (pdf, "paragraph 4"),
        (bare, "paragraph 1"),
    ]:
        f.CitationFactory(content_object=partner, source=source, locator=locator)
    agreement = f.AgreementFactory(slug="iom-agreement", signed=PartialDate(1999, 12, 8))
    f.ClaimFactory(
        content_object=agreement, field="signed", value="8 December 1999", source=text, locator="paragraph 3"
    )

    links = get(client, "/partners/iom/").links

    assert ("/sources/text-copy/text/#paragraph-2", "paragraph 2") in links
    assert ("/sources/text-copy/text/#paragraph-2-item-3", "paragraph 2, item 3") in links
    assert ("/sources/text-copy/text/", "page banner") in links
    assert ("/sources/pdf-copy/file/", "paragraph 4") in links
    assert not any(text == "paragraph 1" for _, text in links)  # no copy: the locator is plain text
    assert ("/sources/text-copy/text/#paragraph-3", "paragraph 3") in get(client, "/agreements/iom-agreement/").links

    # The same places named in the page's language; the staff's own words ("page banner") as written.
    links = get(client, "/az/partners/iom/").links
    assert ("/az/sources/text-copy/text/#paragraph-2-item-3", "bənd 2, maddə 3") in links
    assert ("/az/sources/text-copy/text/", "page banner") in links
    assert ("/ru/sources/text-copy/text/#paragraph-2", "абзац 2") in get(client, "/ru/partners/iom/").links
    assert ("/ru/sources/text-copy/text/#paragraph-3", "абзац 3") in get(client, "/ru/agreements/iom-agreement/").links


@pytest.mark.parametrize("rows_", [1, 30])
def test_a_citation_list_with_document_links_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, warm_content_types, rows_
):
    agreement = f.AgreementFactory(slug="cited")
    for n in range(rows_):
        source = text_source(slug=f"copy-{n}", title="International cooperation", label=f"overview {n}")
        f.CitationFactory(content_object=agreement, source=source, locator=f"paragraph {n + 1}")

    # As tests/cooperation/test_views.py's agreement page: the same count with or without copies.
    with django_assert_num_queries(DATA_VERSION + RECORD_VERSIONS + 9):
        response = client.get("/agreements/cited/")

    assert response.content.count(b"/text/#paragraph-") == rows_


# Uploads in the admin -------------------------------------------------------------------------


def add_source_with(superuser_client, upload):
    return superuser_client.post(
        admin_url(Source, "add"),
        {
            "title": "A source",
            "kind": "web-page",
            "language": "en",
            "slug": "a-source",
            "file": upload,
        },
    )


def test_an_upload_of_a_kept_type_is_stored_as_the_sources_file(superuser_client):
    response = add_source_with(superuser_client, ContentFile(b"%PDF-1.4 report", name="report.pdf"))

    assert response.status_code == 302
    source = Source.objects.get(slug="a-source")
    assert source.file.name.startswith("sources/report") and source.file.read() == b"%PDF-1.4 report"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            ContentFile(b"<svg onload='alert(1)'/>", name="drawing.svg"),
            "“drawing.svg” is not a type of file the registry keeps: upload plain text (.txt), PDF (.pdf), "
            "HTML (.html), PNG (.png) or JPEG (.jpg).",
        ),
        (
            ContentFile(b"<html><script>alert(1)</script>", name="report.pdf"),
            "“report.pdf” is not a PDF file: its contents do not begin as a PDF's do. "
            "Check that the name's ending matches the file.",
        ),
    ],
)
def test_an_upload_the_registry_does_not_keep_is_refused_with_a_message(superuser_client, upload, message):
    response = add_source_with(superuser_client, upload)

    assert response.status_code == 200
    assert field_errors(response) == {"file": [message]}
    assert not Source.objects.exists()


@override_settings(SOURCE_FILE_MAX_BYTES=10)
def test_an_upload_over_the_size_limit_is_refused_with_a_message(superuser_client):
    response = add_source_with(superuser_client, ContentFile(b"x" * 11, name="long.txt"))

    assert field_errors(response) == {
        "file": ["“long.txt” is 11\xa0bytes; a source's file may be at most 10\xa0bytes."]
    }
    assert not Source.objects.exists()


def test_the_staff_preview_of_a_draft_links_to_the_copy_staff_may_open(superuser_client):
    source = text_source(slug="draft-copy", published=False)

    page = get(superuser_client, reverse("cooperation:preview", kwargs={"kind": "sources", "slug": "draft-copy"}))

    assert (source.file.url, "Download the registry's copy") in page.links
    assert not any(href.startswith("/sources/draft-copy/") for href, _ in page.links)
