"""Every page type is valid HTML: the Nu HTML checker (tests/helpers/nu_checker.py) finds no error
in any of them, in English, Azerbaijani and Russian.

The pages are rendered by the test client on a registry the factories build (the drafts' world
of tests/helpers/drafts.py, and more), written to a folder, and checked in one run of the checker,
since Java's start-up is what costs. A page added to the site belongs in ``PAGES``; what a page
shows (pictures included) is checked as it grows, because the page itself is rendered here.

Skipped, with the reason, where Java or the checker is missing: ``make nu-checker`` installs it
(CI does; docs/development.md). ``NU_CHECKED_PAGES=/tmp/pages`` keeps the pages checked in that
folder, to open or check again by hand."""

import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.test import Client

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Agreement, AgreementAction, Project, Source
from events.models import Meeting
from partners.models import Office, Partner
from tests import factories as f
from tests.helpers import nu_checker
from tests.helpers.drafts import DRAFT_SLUGS, drafts_world
from tests.helpers.users import client_for

pytestmark = pytest.mark.django_db

LANGUAGES = ["", "/az", "/ru"]  # English at the root

# name: (address, the status the page has). Each is checked in every language.
PAGES = {
    "home": ("/", 200),
    "about": ("/about/", 200),
    # The lists: as they open, with filters and facets chosen, and with nothing to show.
    "partner-list": ("/partners/", 200),
    "partner-list-filtered": (
        f"/partners/?kind={Partner.Kind.INTERNATIONAL_ORGANISATION}&scope={Partner.Scope.MULTILATERAL}&q=migration",
        200,
    ),
    "partner-list-empty": ("/partners/?q=nothing-is-called-this", 200),
    "office-list": ("/offices/", 200),
    "office-list-filtered": (f"/offices/?partner=iom&country=az&kind={Office.Kind.FIELD_OFFICE}", 200),
    "office-list-empty": ("/offices/?country=nz&partner=iom", 200),
    "person-list": ("/people/", 200),
    "person-list-filtered": ("/people/?partner=iom&post=Director+General", 200),
    "person-list-empty": ("/people/?q=nothing-is-called-this", 200),
    "agreement-list": ("/agreements/", 200),
    "agreement-list-filtered": (
        f"/agreements/?partner=iom&topic=asylum&kind={Agreement.Kind.COOPERATION_AGREEMENT}&year=2006",
        200,
    ),
    "agreement-list-empty": ("/agreements/?year=1950", 200),
    "agreement-list-unknown-value": ("/agreements/?partner=no-such-partner&sort=nonsense", 200),
    "agreement-list-place": ("/agreements/?place=baku", 200),
    "project-list": ("/projects/", 200),
    "project-list-filtered": (
        f"/projects/?topic=asylum&partner=iom&status={Project.Status.COMPLETED}&year=2006&sort=-start",
        200,
    ),
    "project-list-empty": ("/projects/?year=1950", 200),
    "project-list-by-budget": ("/projects/?currency=EUR&sort=budget", 200),
    "project-list-unknown-currency": ("/projects/?currency=XYZ&sort=budget", 200),
    "topic-list": ("/topics/", 200),
    "topic-list-filtered": ("/topics/?has=projects&has=agreements&q=asy", 200),
    "topic-list-empty": ("/topics/?q=nothing-is-called-this", 200),
    "source-list": ("/sources/", 200),
    "source-list-filtered": (
        f"/sources/?kind={Source.Kind.LEGAL_TEXT}&publisher=Ministry+of+Foreign+Affairs&language=en&year=2006",
        200,
    ),
    "source-list-empty": ("/sources/?q=nothing-is-called-this", 200),
    "meeting-list": ("/meetings/", 200),
    "meeting-list-page-2": ("/meetings/?page=2", 200),
    "meeting-list-every-partner": ("/meetings/?all=partner", 200),  # a facet of more than 25 options, whole
    "meeting-list-filtered": (f"/meetings/?partner=iom&kind={Meeting.Kind.BILATERAL_MEETING}&year=2006", 200),
    "meeting-list-empty": ("/meetings/?year=1950", 200),
    # A record of each kind.
    "partner": ("/partners/iom/", 200),
    "partner-with-parent": ("/partners/sub-body/", 200),
    "office": ("/offices/public-office/", 200),
    "person": ("/people/public-person/", 200),
    "agreement": ("/agreements/public-agreement/", 200),
    "agreement-with-actions": ("/agreements/ratified-agreement/", 200),
    "project": ("/projects/public-project/", 200),
    "topic": ("/topics/asylum/", 200),
    "source": ("/sources/mfa/", 200),
    "source-with-text": ("/sources/legal-text/", 200),
    "source-text": ("/sources/legal-text/text/", 200),
    "meeting": ("/meetings/public-meeting/", 200),
    # The years.
    "year-list": ("/years/", 200),
    "year": ("/years/2006/", 200),
    # Search: the form, results, nothing found, a correction offered and one made.
    "search-form": ("/search/", 200),
    "search-results": ("/search/?q=asylum", 200),
    "search-results-of-a-type": ("/search/?q=asylum&type=project", 200),
    "search-nothing": ("/search/?q=zebra", 200),
    "search-corrected": ("/search/?q=redmission", 200),
    "search-did-you-mean": ("/search/?q=redmission&spelling=exact", 200),
    # Errors (the 500 and 503 pages are made below).
    "not-found": ("/partners/no-such-partner/", 404),
}
# The staff preview of a draft of each kind (an Editor's client).
PREVIEWS = {f"preview-{kind}": (f"/preview/{kind}/{slug}/", 200) for kind, slug in DRAFT_SLUGS.items()}

TEXT = (
    "Agreement between the parties\n\n"
    "Article 1. The parties cooperate on migration.\n\n"
    "Article 2. They exchange:\n"
    "• information;\n"
    "• experts.\n"
)


def registry():
    """The drafts' world, with a source that has a text copy, an agreement with every action, a topic
    to correct a misspelling to, and a second page of meetings with more partners than their facet shows."""
    world = drafts_world()
    iom = world["iom"]
    legal = f.SourceFactory(
        slug="legal-text", title="Agreement text", kind=Source.Kind.LEGAL_TEXT, date=PD(2006, 3), language="en"
    )
    legal.file.save("agreement.txt", ContentFile(TEXT.encode()), save=True)
    ratified = f.AgreementFactory(
        slug="ratified-agreement",
        title="Ratified agreement",
        signed=PD(2006, 3, 1),
        ratified=PD(2006, 9),
        in_force=PD(2007),
        ended=PD(2012, 5, 4),
        parties=[iom],
        description="An agreement with every action.",
    )
    ratified.topics.set([world["asylum"]])
    f.CitationFactory(source=legal, content_object=ratified, locator="paragraph 2")
    f.CitationFactory(source=world["source"], content_object=iom, locator="")
    f.ClaimFactory(content_object=ratified, field="signed", value="1 March 2006", source=legal, preferred=True)
    f.ClaimFactory(content_object=ratified, field="signed", value="2 March 2006", source=world["source"])
    f.TopicFactory(slug="readmission", name="Readmission")
    f.OfficeFactory(slug="closed-office", name="Closed office", partner=iom, opened=PD(1999), closed=PD(2010, 6))
    for day in range(1, 27):  # a second page of meetings, and more partners than a facet shows at first
        f.MeetingFactory(start=PD(2010, 3, day), partners=[iom, f.PartnerFactory()])
    # The project's recipient countries, and money to filter and sort the projects by.
    Project.objects.filter(slug="public-project").update(recipient_countries="AZ,GE")
    f.BudgetFactory(project=Project.objects.get(slug="public-project"), currency="EUR")
    put_in_places()
    return world


def put_in_places():
    """Where the registry knows places (issue 18's maps: ``cooperation.Place``, an office's, a
    meeting's and a signature's ``location``), the offices and signatures in Baku and the meetings
    in Geneva, so that the maps of home, a partner, /offices/, /meetings/ and /agreements/ are
    drawn and checked too."""
    try:
        place = apps.get_model("cooperation", "Place")
    except LookupError:
        return
    baku = place.objects.create(slug="baku", name="Baku", country="AZ", latitude="40.4093", longitude="49.8671")
    geneva = place.objects.create(slug="geneva", name="Geneva", country="CH", latitude="46.2044", longitude="6.1432")
    Office.objects.update(location=baku)
    Meeting.objects.update(location=geneva)
    AgreementAction.objects.filter(kind="signature").update(location=baku)


def render(client, address, status, **headers):
    response = client.get(address, **headers)
    assert response.status_code == status, f"{address}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html"), address
    return response.content


def broken(where):
    def fail(*args, **kwargs):
        raise where

    return fail


def test_every_page_type_is_valid_html(client, monkeypatch, tmp_path):
    if reason := nu_checker.missing():
        pytest.skip(reason)
    registry()
    editor = client_for("editor")
    reader = Client(raise_request_exception=False)  # gets the error pages, as a browser would
    pages: dict[str, bytes] = {}

    for prefix in LANGUAGES:
        language = prefix.strip("/") or "en"
        for name, (address, status) in PAGES.items():
            pages[f"{language}-{name}"] = render(client, prefix + address, status)
        for name, (address, status) in PREVIEWS.items():
            pages[f"{language}-{name}"] = render(editor, prefix + address, status)
        with monkeypatch.context() as patch:
            patch.setattr("cooperation.pages.home.home_context", broken(RuntimeError("a bug")))
            pages[f"{language}-server-error"] = render(reader, prefix + "/", 500)
            patch.setattr("cooperation.pages.home.home_context", broken(OperationalError("no database")))
            pages[f"{language}-unavailable"] = render(reader, prefix + "/", 503)
    pages["api-docs"] = render(client, "/api/docs/", 200)
    pages["bad-request"] = render(reader, "/", 400, HTTP_HOST="evil.example")  # Django's own page
    # A page the checker must find fault with: proof that it ran and that its answer was read.
    pages["known-bad"] = b'<!DOCTYPE html><html lang="en"><title>x</title><span aria-label="x">x</span></html>'

    folder = Path(os.environ.get("NU_CHECKED_PAGES") or tmp_path)  # to keep the pages and look at them
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in pages.items():
        path = folder / f"{name}.html"
        path.write_bytes(content)
        paths.append(path)
    errors = nu_checker.errors(paths)

    assert any(error.file == "known-bad.html" for error in errors), "the checker found no fault in a faulty page"
    errors = [error for error in errors if error.file != "known-bad.html"]
    assert not errors, f"{len(errors)} errors in {len({e.file for e in errors})} pages:\n" + "\n".join(map(str, errors))
