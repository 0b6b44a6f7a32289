"""What the tests share: plain functions and constants, imported by any test file (a test file
never imports from another). Fixtures are in conftest.py files: the role fixtures
(``superuser_client``, ``editor_client``, ``publisher_client``) in tests/conftest.py, the
browser's in tests/browser/conftest.py; test data comes from tests/factories.py.
"""

import codecs
import csv
import io
import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import openpyxl
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.history.tracking import history_of, tracked_models
from cooperation.imports import apply_import, plan_import, read_table
from cooperation.models import Agreement, Citation, Project
from events.models import Meeting
from partners.models import Partner
from tests import factories as f
from tests.factories import AgreementFactory, PartnerFactory, StaffUserFactory, UserFactory

# The admin's pages and forms -------------------------------------------------------------------

CITATIONS = "cooperation-citation-content_type-object_id"
CLAIMS = "cooperation-claim-content_type-object_id"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class _ResultTable(HTMLParser):
    """The changelist's rows as lists of cell texts (an image counts as its alt text)."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_body, self._cell = [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "result_list":
            self._in_table = True
        elif tag == "tbody" and getattr(self, "_in_table", False):
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in {"td", "th"}:
            self._cell = []
        elif self._cell is not None and tag == "img":
            self._cell.append(attrs.get("alt", ""))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif self._in_body and tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rows(response):
    """The changelist rows a user sees, without the checkbox column."""
    parser = _ResultTable()
    parser.feed(response.content.decode())
    return [row[1:] for row in parser.rows]


def _put(data, bound_field):
    value = bound_field.value()
    if value is None or value is False:
        return
    if value is True:
        data[bound_field.html_name] = "on"
    elif isinstance(value, list | tuple):
        data[bound_field.html_name] = [str(item) for item in value]
    else:
        data[bound_field.html_name] = str(value)


def form_data(response):
    """What the admin page's form posts if the user changes nothing (saved inline rows only)."""
    data = {}
    for bound_field in response.context["adminform"].form:
        _put(data, bound_field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound_field in formset.management_form:
            _put(data, bound_field)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            for bound_field in form:
                _put(data, bound_field)
    return data


def add_row(data, prefix, **fields):
    """Fill in one more row of an inline, as clicking "Add another" and typing would."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def field_errors(response):
    return {name: list(errors) for name, errors in response.context["adminform"].form.errors.items()}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Staff and their roles -------------------------------------------------------------------------


def make_user(role):
    """A user of ``role``: "superuser" (staff with every permission), "editor" or "publisher" (staff in
    that group), "staff" (staff in no group)."""
    if role == "superuser":
        return StaffUserFactory()
    user = UserFactory(is_staff=True)
    if role in ("editor", "publisher"):
        user.groups.add(Group.objects.get(name=role.capitalize()))
    return user


def client_for(role):
    """A new client logged in as a new user of ``role`` (see :func:`make_user`)."""
    client = Client()
    client.force_login(make_user(role))
    return client


def login(username="alice", role=None):
    """(client, user): ``username`` logged in, a superuser, or staff in the group ``role`` ("Editor",
    "Publisher")."""
    if role is None:
        user = StaffUserFactory(username=username)
    else:
        user = UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client, user


def publisher():
    """The staff user named "publisher", in the Publisher group (the import's tests)."""
    user = f.UserFactory(username="publisher", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


def editor():
    """The staff user named "editor", in the Editor group (the import's tests)."""
    user = f.UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


# Records as their change form needs them ---------------------------------------------------------


def agreement(**fields):
    """An agreement its change form accepts as it is (an agreement needs a party)."""
    return AgreementFactory(parties=[PartnerFactory()], **fields)


def changed_data(superuser_client, obj, **changes):
    """What the change form of ``obj`` posts with ``changes`` made, read as a superuser sees
    the form (an Editor's page of a published record has no form fields to read)."""
    data = form_data(superuser_client.get(admin_url(type(obj), "change", obj.pk)))
    data.update(changes)
    return data


# History ---------------------------------------------------------------------------------------

DELETED = "/admin/history/deleted/"


def pass_time(minutes=5):
    """Move every history row back ``minutes``: what follows is a new version."""
    for model in tracked_models():
        history_of(model).objects.update(history_date=F("history_date") - timedelta(minutes=minutes))


def change(client, obj, **changes):
    """Post ``obj``'s change form with ``changes`` made; the admin must accept it."""
    data = form_data(client.get(admin_url(type(obj), "change", obj.pk)))
    data.update(changes)
    response = client.post(admin_url(type(obj), "change", obj.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


def cells(html):
    return [
        " ".join(unescape(strip_tags(cell)).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, re.S)
    ]


def table(response, table_id):
    """The rows of the table ``table_id`` as lists of cell texts."""
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody>", start) : html.index("</tbody>", start)]
    return [cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def versions_shown(response):
    """The history page's versions, newest first: [by, action, what changed, revert link text]."""
    return [row[1:] for row in table(response, "change-history")]


def text_of(response):
    html = response.content.decode()
    main = html[html.index(">", html.index('id="content-main"')) + 1 :]
    return " ".join(unescape(strip_tags(main)).split())


def revert_links(response):
    return re.findall(r'href="([^"]*/revert/)"', response.content.decode())


def rows_of(model, pk):
    """(action, user, reason) of each history row of one object, oldest first."""
    rows = history_of(model).objects.filter(id=pk).order_by("history_date", "history_id")
    return [(row.history_type, getattr(row.history_user, "username", None), row.history_change_reason) for row in rows]


# The spreadsheet import ----------------------------------------------------------------------

LISTS = {"partners": Partner, "agreements": Agreement, "projects": Project, "meetings": Meeting}


def seed_like():
    """A small registry shaped like the seed: every kind of value an export writes, drafts
    among the related records, citations with and without a page."""
    s1 = f.SourceFactory(slug="sms-report", title="SMS annual report")
    s2 = f.SourceFactory(slug="iom-page", title="IOM country page")
    s3 = f.SourceFactory(slug="internal-memo", title="Internal memo", published=False)
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    iom = f.PartnerFactory(
        slug="iom",
        name="International Organization for Migration",
        acronym="IOM",
        headquarters="Geneva, Switzerland",
        founded=PD(1951, 12, 5),
        member_states=175,
        website="https://www.iom.int",
        other_names="Organisation internationale pour les migrations\nOIM",
        description='Works on "migration", with governments; since 1951.\r\nSecond line.',
    )
    council = f.PartnerFactory(
        slug="iom-council", name="IOM Council", acronym="", kind="governing-body", parent=iom, founded=PD(1953)
    )
    eu = f.PartnerFactory(slug="eu", name="European Union", acronym="EU", kind="eu-body", founded=PD(1993, 11))
    turkiye = f.PartnerFactory(
        slug="turkiye", name="Republic of Türkiye", acronym="", kind="state", scope="bilateral", country="TR"
    )
    draft = f.PartnerFactory(slug="draft-agency", name="Draft agency", acronym="DA", published=False)
    f.PartnerFactory(slug="sub-agency", name="Sub-agency", acronym="", kind="state-agency", parent=draft)
    f.CitationFactory(content_object=iom, source=s1, locator="p. 3")
    f.CitationFactory(content_object=iom, source=s1, locator="p. 9")
    f.CitationFactory(content_object=iom, source=s3, locator="")
    f.CitationFactory(content_object=council, source=s2, locator="")
    official = f.PersonFactory(slug="director", name="A. Director")
    agreement = f.AgreementFactory(
        slug="cooperation-1999",
        title='Agreement on cooperation, with quotes "and" commas',
        short_title="Cooperation agreement",
        kind="memorandum-of-understanding",
        parties=[iom, draft],
        signed=PD(1999, 12, 8),
        signed_place="Baku",
        ratified=PD(2000),
        in_force=PD(2000, 5),
        legal_notes="Decree No. 1.\nSecond line.",
    )
    agreement.topics.set([asylum])
    f.CitationFactory(content_object=agreement, source=s1, locator="")
    readmission_agreement = f.AgreementFactory(
        slug="readmission-2014",
        title="Readmission agreement",
        kind="readmission-agreement",
        parties=[eu],
        signed=PD(2013, 12),
    )
    project = f.ProjectFactory(
        slug="unimig",
        title="Capacity building in migration management",
        short_title="UNIMIG",
        phase="Phase II",
        start=PD(2006),
        end=PD(2008, 6),
        status="completed",
        topics=[asylum, readmission],
        description="Ran with the SMS.",
    )
    project.agreements.set([agreement])
    f.ProjectPartnerFactory(project=project, partner=iom, role="implementing", note="lead")
    f.ProjectPartnerFactory(project=project, partner=eu, role="funding")
    f.ProjectPartnerFactory(project=project, partner=draft, role="beneficiary", note="kept")
    f.CitationFactory(content_object=project, source=s2, locator="")
    other = f.ProjectFactory(slug="awareness", title="Awareness raising", start=PD(2014, 3, 1), status="ongoing")
    f.ProjectPartnerFactory(project=other, partner=turkiye, role="beneficiary")
    meeting = f.MeetingFactory(
        slug="geneva-2016",
        title="Working meeting in Geneva",
        kind="bilateral-meeting",
        start=PD(2016, 12, 5),
        end=PD(2016, 12, 8),
        city="Geneva",
        country="CH",
        partners=[iom, draft],
        participants_note="SMS employees",
    )
    meeting.participants.set([official])
    meeting.agreements.set([agreement, readmission_agreement])
    meeting.projects.set([project])
    f.CitationFactory(content_object=meeting, source=s1, locator="")
    f.MeetingFactory(slug="visit-2000", title="Visit", kind="visit", start=PD(2000), end=None, country="", city="")


def snapshot(model):
    """Everything the registry holds about each record of ``model``, by slug: fields, links
    (drafts too), a project's partner roles with notes, citations with their pages."""
    rows = {}
    for obj in model.objects.order_by("slug"):
        values = {
            field.name: getattr(obj, field.attname)
            for field in model._meta.concrete_fields
            if field.name not in ("id", "created_at", "updated_at")
        }
        for field in model._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("slug", flat=True))
        if model is Project:
            values["roles"] = sorted((r.partner.slug, r.role, r.note) for r in obj.project_partners.all())
        values["citations"] = sorted((c.source.slug, c.locator) for c in Citation.objects.for_object(obj))
        rows[obj.slug] = values
    return rows


def export_csv(client, name):
    response = client.get(f"/{name}/?format=csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def make_csv(rows, delimiter=","):
    output = io.StringIO(newline="")
    csv.writer(output, delimiter=delimiter).writerows(rows)
    return codecs.BOM_UTF8 + output.getvalue().encode()


def xlsx_of(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def run_import(model, filename, data, user=None):
    plan = plan_import(model, read_table(filename, data), user)
    assert [str(issue) for issue in plan.errors] == []
    apply_import(plan=plan, user=user)
    return plan


def plan_of(model, rows, user=None, filename="file.csv"):
    return plan_import(model, read_table(filename, make_csv(rows)), user)


def errors(plan):
    return [(issue.row, issue.column, issue.message) for issue in plan.errors]


# Drafts among published records ---------------------------------------------------------------

DRAFT_SLUGS = {
    "partners": "quokka-partner",
    "agreements": "quokka-agreement",
    "projects": "quokka-project",
    "meetings": "quokka-meeting",
    "offices": "quokka-office",
    "people": "quokka-person",
    "topics": "quokka-topic",
    "sources": "quokka-source",
}


def drafts_world():
    """Drafts of every kind (named Quokka …) among published records that relate to them: the
    registry of tests/pages/test_drafts_hidden.py and test_preview.py (their ``world``), by name."""
    asylum = f.TopicFactory(slug="asylum", name="Asylum", description="Wombat topic.")
    draft_topic = f.TopicFactory(slug="quokka-topic", name="Quokka Topic", description="Wombat.", published=False)

    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    draft_partner = f.PartnerFactory(
        slug="quokka-partner",
        name="Quokka Partner",
        acronym="QKP",
        kind=Partner.Kind.STATE,
        scope=Partner.Scope.BILATERAL,
        country="NZ",
        description="Wombat partner.",
        published=False,
    )
    # A published body whose parent is a draft, and a published office of the draft partner.
    f.PartnerFactory(slug="sub-body", name="Wombat sub-body", acronym="", parent=draft_partner)
    f.OfficeFactory(slug="quokka-partner-office", name="Quokka Partner office", partner=draft_partner, opened=PD(2006))

    draft_source = f.SourceFactory(slug="quokka-source", title="Quokka Source", published=False)
    source = f.SourceFactory(slug="mfa", title="MFA press release")

    draft_agreement = f.AgreementFactory(
        slug="quokka-agreement",
        title="Quokka Agreement",
        signed=PD(2006, 3),
        parties=[iom],
        description="Wombat agreement.",
        published=False,
    )
    draft_agreement.topics.set([asylum])
    agreement = f.AgreementFactory(
        slug="public-agreement", title="Public agreement", signed=PD(2006, 4), parties=[iom, draft_partner]
    )
    agreement.topics.set([asylum, draft_topic])
    f.CitationFactory(source=draft_source, content_object=agreement, locator="")
    f.ClaimFactory(content_object=agreement, field="signed", value="4 April 2006", source=source, preferred=True)
    f.ClaimFactory(content_object=agreement, field="signed", value="Quokka claim", source=draft_source)

    draft_project = f.ProjectFactory(
        slug="quokka-project",
        title="Quokka Project",
        start=PD(2006),
        end=PD(2006),
        status=Project.Status.COMPLETED,
        topics=[asylum],
        description="Wombat project.",
        published=False,
    )
    f.ProjectPartnerFactory(project=draft_project, partner=iom)
    project = f.ProjectFactory(
        slug="public-project",
        title="Public project",
        start=PD(2006),
        end=PD(2006),
        status=Project.Status.COMPLETED,
        topics=[asylum, draft_topic],
    )
    f.ProjectPartnerFactory(project=project, partner=iom)
    f.ProjectPartnerFactory(project=project, partner=draft_partner, role="funding")
    project.agreements.set([agreement, draft_agreement])

    draft_person = f.PersonFactory(slug="quokka-person", name="Quokka Person", published=False)
    f.PostFactory(person=draft_person, organisation=iom, title="Deputy")
    person = f.PersonFactory(slug="public-person", name="Public person", description="Wombat official.")
    f.PostFactory(person=person, organisation=iom, title="Director General")
    f.PostFactory(person=person, organisation=draft_partner, title="Adviser")

    draft_meeting = f.MeetingFactory(
        slug="quokka-meeting",
        title="Quokka Meeting",
        start=PD(2006, 5, 2),
        partners=[iom],
        description="Wombat meeting.",
        published=False,
    )
    meeting = f.MeetingFactory(slug="public-meeting", title="Public meeting", start=PD(2006, 6, 1), partners=[iom])
    meeting.partners.add(draft_partner)
    meeting.participants.set([person, draft_person])
    meeting.agreements.set([agreement, draft_agreement])
    meeting.projects.set([project, draft_project])

    f.OfficeFactory(slug="quokka-office", name="Quokka Office", partner=iom, opened=PD(2006), published=False)
    f.OfficeFactory(slug="public-office", name="Public office", partner=iom, opened=PD(2006))

    # A year that only drafts have.
    f.MeetingFactory(slug="quokka-meeting-1995", title="Quokka Meeting of 1995", start=PD(1995), published=False)
    return locals()


def body(response):
    return response.content.decode()


# The browser tests ------------------------------------------------------------------------------

STAFF_USERNAME = "editor"
STAFF_PASSWORD = "correct horse battery staple"

# Runs in every document before its own scripts: records each violation the browser reports.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile || event.documentURI}:${event.lineNumber}`;
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} (${where}) ${event.sample || ""}`.trim()
  );
});
"""


class PolicyWatch:
    """Collects CSP violations and console errors, page by page."""

    def __init__(self, page):
        self.page = page
        self.console_errors = []
        page.add_init_script(WATCH_VIOLATIONS)
        self.expected_failure = None
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def on_console(self, message):
        if message.type != "error":
            return
        # A page we expect to be a 404 logs its own status; that is no error of the page's.
        url = urlsplit(message.location.get("url", ""))
        if self.expected_failure and f"{url.path}{'?' if url.query else ''}{url.query}" == self.expected_failure:
            return
        # The admin's pages name no icon, so Chromium asks for /favicon.ico on its own: no page's doing.
        if url.path == "/favicon.ico":
            return
        self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def visit(self, path, expected_status=200):
        self.expected_failure = path if expected_status != 200 else None
        response = self.page.goto(path)
        assert response.status == expected_status, f"{path}: {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        self.page.wait_for_load_state("networkidle")
        return response

    def problems(self, label):
        """What went wrong on the current document since the last call, labelled."""
        violations = self.page.evaluate("window.__cspViolations || []")
        found = [f"{label}: {item}" for item in violations + self.console_errors]
        self.console_errors = []
        return found
