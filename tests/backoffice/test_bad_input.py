"""Bad input in the admin: dates that are not dates, periods that end before they begin.

For every model with partial dates (agreements: the dates of their actions; projects,
meetings and posts: start and end; offices: opened and closed; partners: founded; sources:
date) a logged-in superuser posts the add form and the change form with invalid dates
("2006-13", "32 May 2006", "abc", "99999", "2006-02-30", "0999") and with inverted ranges, and
sees what staff would see:

- the page again (200), with each message on the field it is about (an inline row's on that
  row) and no other error;
- nothing saved: no new rows anywhere, an existing record unchanged, no history entry;
- nothing lost: the form as shown, submitted again untouched, posts exactly what the user typed
  (titles, selected partners and topics, inline rows such as citations, claims and partner
  roles), read from the HTML as a browser reads it.
"""

import itertools
from html.parser import HTMLParser

import pytest
from django.contrib.admin.models import LogEntry
from django.forms.models import model_to_dict
from django.utils.html import escape

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, AgreementAction, Citation, Claim, Project, ProjectPartner, Source
from events.models import Meeting
from partners.models import Office, Partner, Person, Post
from tests import factories as f
from tests.helpers.admin import CITATIONS, CLAIMS, admin_url

pytestmark = pytest.mark.django_db

EXPECTED = (
    "Enter a year (1998), a month (2006-08 or August 2006), a day (1999-12-08 or 8 December 1999), "
    "a half or quarter (second half of 2007, Q3 2010), or an approximate or uncertain date (about 2008, 2007?)."
)

# What staff type, and what the page must say about it.
BAD_DATES = {
    "2006-13": "The month must be between 1 and 12.",
    "32 May 2006": "May 2006 has no day 32.",
    "abc": f"“abc” is not a date this registry understands. {EXPECTED}",
    "99999": f"“99999” is not a date this registry understands. {EXPECTED}",
    "2006-02-30": "February 2006 has no day 30.",
    "0999": "The year must be between 1000 and 9999.",
}
EVERY_MODEL = [
    Agreement,
    AgreementAction,
    Citation,
    Claim,
    Project,
    ProjectPartner,
    Meeting,
    Office,
    Partner,
    Person,
    Post,
    Source,
]


# Reading the form as a browser does -------------------------------------------------------------


class _FormReader(HTMLParser):
    """The (name, value) pairs a browser submits for the form with ``form_id``, as the page shows
    it: text inputs, checked boxes, selected options (the first one of a single select when none
    is), textareas. The blank rows the admin's "Add another" copies (``__prefix__``) are left out."""

    SKIPPED_TYPES = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.pairs = form_id, []
        self._in_form, self._select, self._textarea = False, None, None

    @staticmethod
    def _wanted(name):
        return bool(name) and "__prefix__" not in name

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and self._wanted(name) and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value") or "on"))
            elif kind not in self.SKIPPED_TYPES:
                self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea":
            self._textarea = (name, [])

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            if self._wanted(select["name"]):
                chosen = [value for value, selected in select["options"] if selected]
                if not chosen and not select["multiple"] and select["options"]:
                    chosen = [select["options"][0][0]]
                self.pairs += [(select["name"], value) for value in chosen]
        elif tag == "textarea" and self._textarea is not None:
            (name, parts), self._textarea = self._textarea, None
            if self._wanted(name):
                text = "".join(parts)
                self.pairs.append((name, text[1:] if text.startswith("\n") else text))  # as browsers do

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)


def shown_form(response, model):
    """{name: [value, …]}: what submitting the page's form unchanged would post."""
    assert response.status_code == 200, response.status_code
    reader = _FormReader(f"{model._meta.model_name}_form")
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    assert data, "the page has the form"
    return data


def add_row(data, prefix, **fields):
    """One more inline row, as clicking "Add another" and typing would give."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    data.update({f"{prefix}-{index}-{name}": [str(value)] for name, value in fields.items()})


def typed(data, **fields):
    """Type into the main form: strings, or lists for several choices."""
    for name, value in fields.items():
        data[name] = [str(item) for item in value] if isinstance(value, list) else [str(value)]


def field_errors(response):
    """{field's HTML name: [message, …]} on the main form and in every inline row, plus any
    form-wide errors under "__all__" and "<prefix>-__all__"."""
    form = response.context["adminform"].form
    errors = {name: list(messages) for name, messages in form.errors.items()}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.non_form_errors():
            errors[f"{formset.prefix}-__all__"] = list(formset.non_form_errors())
        for row in formset.forms:
            errors.update({row.add_prefix(name): list(messages) for name, messages in row.errors.items()})
    return errors


def snapshot():
    """Everything the admin could have written: rows of every model, and the admin's log."""
    return {
        **{
            model.__name__: sorted(model_to_dict(row).__repr__() for row in model.objects.all())
            for model in EVERY_MODEL
        },
        "log": LogEntry.objects.count(),
        "history": sum(model.history.count() for model in EVERY_MODEL if hasattr(model, "history")),
    }


def assert_refused_and_kept(response, model, posted, errors, before):
    """The page again with exactly ``errors``, nothing saved, and every typed value still there."""
    assert response.status_code == 200, "the form was accepted"
    assert field_errors(response) == errors
    html = response.content.decode()
    assert "Please correct the error" in html
    for messages in errors.values():
        for message in messages:
            assert escape(message) in html, message
    assert snapshot() == before, "nothing is saved"
    shown = shown_form(response, model)
    lost = {
        name: (values, shown.get(name))
        for name, values in posted.items()
        if name != "csrfmiddlewaretoken" and sorted(values) != sorted(shown.get(name, []))
    }
    assert not lost, f"typed values not shown again: {lost}"


# What staff type into each form (every field, inline rows included) ------------------------------


def agreement_input(data):
    iom, eu = f.PartnerFactory(acronym="IOM"), f.PartnerFactory(acronym="EU")
    topic, source = f.TopicFactory(name="Readmission"), f.SourceFactory(title="Official Journal")
    typed(
        data,
        title="Agreement between the EU and Azerbaijan on readmission <draft>",
        short_title="EU–AZ readmission",
        kind="readmission-agreement",
        parties=[iom.pk, eu.pk],
        topics=[topic.pk],
        description="Signed “at last”.\nSecond paragraph & more.",
        legal_notes="Approved by Law No. 1234-IVQ",
        slug="eu-az-readmission",
        published="on",
    )
    add_row(data, CITATIONS, source=source.pk, locator="p. 2")
    add_row(data, CLAIMS, field="signed", value="28 February 2014", source=source.pk, locator="p. 3", note="one day")
    # Its dates: the actions, the last four rows (signature … termination).
    add_row(data, "actions", kind="signature", date="2014-02-28", place="Brussels")
    add_row(data, "actions", kind="ratification", date="2014-06", act="Law No. 1234-IVQ")
    add_row(data, "actions", kind="entry-into-force", date="2014-10-01")
    add_row(data, "actions", kind="termination", date="2020")


def project_input(data):
    iom, eu = f.PartnerFactory(acronym="IOM"), f.PartnerFactory(acronym="EU")
    typed(
        data,
        title="Support to border management",
        short_title="BM-AZ",
        phase="Phase II",
        status="completed",
        topics=[f.TopicFactory().pk, f.TopicFactory().pk],
        agreements=[f.AgreementFactory().pk],
        description="Trainings in Baku and Ganja.",
        slug="border-management",
    )
    add_row(data, "project_partners", partner=iom.pk, role="implementing", note="lead")
    add_row(data, "project_partners", partner=eu.pk, role="funding")
    add_row(data, CITATIONS, source=f.SourceFactory().pk, locator="annex 1")


def meeting_input(data):
    typed(
        data,
        title="Visit of the Director General",
        kind="visit",
        city="Baku",
        country="AZ",
        partners=[f.PartnerFactory().pk, f.PartnerFactory().pk],
        participants=[f.PersonFactory().pk],
        participants_note="and a delegation of five",
        agreements=[f.AgreementFactory().pk],
        projects=[f.ProjectFactory().pk],
        description="Talks on labour migration.",
        slug="dg-visit",
    )
    add_row(data, CITATIONS, source=f.SourceFactory().pk, locator="press release")


def office_input(data):
    typed(
        data,
        partner=f.PartnerFactory().pk,
        name="IOM Ganja sub-office",
        kind="field-office",
        city="Ganja",
        country="AZ",
        description="Opened for the IDP programme.",
        slug="iom-ganja",
    )


def partner_input(data):
    typed(
        data,
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind="international-organisation",
        scope="multilateral",
        country="AT",
        headquarters="Vienna",
        member_states="20",
        website="https://www.icmpd.org",
        other_names="ICMPD\nInternationales Zentrum",
        description="An intergovernmental organisation.",
        slug="icmpd",
    )
    add_row(data, "offices", name="ICMPD Baku", slug="icmpd-baku", kind="country-office", city="Baku", country="AZ")


def source_input(data):
    typed(
        data,
        title="Annual report 2006",
        kind="report",
        publisher="State Migration Service",
        language="az",
        url="https://migration.gov.az/report-2006",
        reference="Archive 12/3",
        notes="Pages 10–12 list the agreements.",
        slug="annual-report-2006",
    )


def person_input(data):
    typed(data, name="William Lacy Swing", other_names="W. L. Swing", description="Diplomat.", slug="swing")
    add_row(data, "posts", title="Director General", organisation=f.PartnerFactory().pk, note="two terms")


# model, how to fill its form, its date fields (an inline row's as "<prefix>-<row>-<field>").
# For the change form the record is built by a factory and the same values are typed over it;
# inline rows then go after its saved rows.
FORMS = {
    "agreement": (
        Agreement,
        agreement_input,
        ["actions-{r3}-date", "actions-{r2}-date", "actions-{r1}-date", "actions-{row}-date"],
    ),
    "project": (Project, project_input, ["start", "end"]),
    "meeting": (Meeting, meeting_input, ["start", "end"]),
    "office": (Office, office_input, ["opened", "closed"]),
    "partner": (Partner, partner_input, ["founded", "offices-{row}-opened", "offices-{row}-closed"]),
    "source": (Source, source_input, ["date"]),
    "person": (Person, person_input, ["posts-{row}-start", "posts-{row}-end"]),
}
EXISTING = {
    "agreement": lambda: (
        f.CitationFactory(
            content_object=f.AgreementFactory(parties=[f.PartnerFactory()], signed=None, actions=False)
        ).content_object
    ),
    "project": lambda: f.ProjectPartnerFactory().project,
    "meeting": lambda: f.MeetingFactory(partners=[f.PartnerFactory()]),
    "office": lambda: f.OfficeFactory(),
    "partner": lambda: f.OfficeFactory(opened=PartialDate(1999)).partner,
    "source": lambda: f.SourceFactory(date=PartialDate(2006, 8)),
    "person": lambda: f.PostFactory().person,
}
# The inline whose row holds the date fields, when they are in one.
DATE_ROWS = {"partner": "offices", "person": "posts", "agreement": "actions"}


def at_row(field, row):
    """A field name with its row: {row} the row typed last, {r1} the one before it …"""
    if row is None:
        return field
    return field.format(row=row, r1=row - 1, r2=row - 2, r3=row - 3)


def open_form(superuser_client, name, view):
    """(url, the form's data as shown, the record or None) for the add or change form of ``name``."""
    model = FORMS[name][0]
    record = EXISTING[name]() if view == "change" else None
    url = admin_url(model, "add") if record is None else admin_url(model, "change", record.pk)
    return url, shown_form(superuser_client.get(url), model), record


def date_names(name, data):
    """The HTML names of the form's date fields; a date in an inline row is in the row typed last."""
    prefix = DATE_ROWS.get(name)
    row = int(data[f"{prefix}-TOTAL_FORMS"][0]) - 1 if prefix else None
    return [at_row(field, row) for field in FORMS[name][2]]


# Invalid dates -----------------------------------------------------------------------------------


# Each bad value on each date field of the add form; two rotations of them on the change form.
ROTATIONS = [("add", rotation) for rotation in range(len(BAD_DATES))] + [("change", 0), ("change", 3)]


@pytest.mark.parametrize(("view", "rotation"), ROTATIONS)
@pytest.mark.parametrize("name", FORMS)
def test_invalid_dates_are_refused_on_their_fields_and_nothing_typed_is_lost(superuser_client, name, rotation, view):
    model, fill, _dates = FORMS[name]
    url, data, record = open_form(superuser_client, name, view)
    fill(data)
    # Every date field gets a different bad value; the rotation moves each value along the fields.
    bad = list(BAD_DATES)
    dates = date_names(name, data)
    for index, field in enumerate(dates):
        data[field] = [bad[(index + rotation) % len(bad)]]
    before = snapshot()

    response = superuser_client.post(url, data)

    expected = {field: [BAD_DATES[data[field][0]]] for field in dates}
    assert_refused_and_kept(response, model, data, expected, before)


@pytest.mark.parametrize("name", FORMS)
def test_a_date_typed_with_spaces_and_a_null_character_is_refused_and_kept(superuser_client, name):
    # A NUL byte (pasted from a PDF) must never reach PostgreSQL, which refuses it in text.
    model, fill, _dates = FORMS[name]
    url, data, _record = open_form(superuser_client, name, "add")
    fill(data)
    field = date_names(name, data)[0]
    data[field] = ["  2006\x00-08 "]
    before = snapshot()

    response = superuser_client.post(url, data)

    message = f"“2006\x00-08” is not a date this registry understands. {EXPECTED}"
    assert_refused_and_kept(response, model, data, {field: [message]}, before)


def test_a_null_character_in_a_title_is_refused_and_kept(superuser_client):
    url, data, _record = open_form(superuser_client, "agreement", "add")
    agreement_input(data)
    typed(data, title="Readmission\x00agreement")
    before = snapshot()

    response = superuser_client.post(url, data)

    assert_refused_and_kept(response, Agreement, data, {"title": ["Null characters are not allowed."]}, before)


# Periods that end before they begin ---------------------------------------------------------------

# name, {field: value typed}, {field: [message]} (inline fields as "<prefix>-{row}-<field>").
INVERTED = [
    # an agreement's rows: {r3} signature, {r2} ratification, {r1} entry into force, {row} termination
    (
        "agreement",
        {"actions-{r3}-date": "2006-08", "actions-{r2}-date": "2005"},
        {"actions-{r2}-date": ["Ratification cannot come before the signature (August 2006)."]},
    ),
    (
        "agreement",
        {"actions-{r3}-date": "2006-08-10", "actions-{r1}-date": "July 2006"},
        {"actions-{r1}-date": ["It cannot enter into force before the signature (10 August 2006)."]},
    ),
    (
        "agreement",
        {"actions-{r3}-date": "2006", "actions-{row}-date": "2005-12-31"},
        {"actions-{row}-date": ["It cannot end before it was signed or consented to (2006)."]},
    ),
    (
        "agreement",
        {"actions-{r3}-date": "2006", "actions-{r1}-date": "2008", "actions-{row}-date": "2007"},
        {"actions-{row}-date": ["It cannot end before it entered into force (2008)."]},
    ),
    (
        "agreement",
        {
            "actions-{r3}-date": "2010",
            "actions-{r2}-date": "2009",
            "actions-{r1}-date": "2008",
            "actions-{row}-date": "2007",
        },
        {
            "actions-{r2}-date": ["Ratification cannot come before the signature (2010)."],
            "actions-{r1}-date": ["It cannot enter into force before the signature (2010)."],
            "actions-{row}-date": ["It cannot end before it entered into force (2008)."],
        },
    ),
    ("project", {"start": "2014-05", "end": "2014-04-30"}, {"end": ["A project cannot end before it started."]}),
    ("meeting", {"start": "5 December 2016", "end": "4.12.2016"}, {"end": ["A meeting cannot end before it started."]}),
    ("meeting", {"end": "2016"}, {"start": ["Give the start date too, or leave both empty."]}),
    ("office", {"opened": "2006", "closed": "2005-12"}, {"closed": ["An office cannot close before it opened."]}),
    (
        "partner",
        {"offices-{row}-opened": "2006", "offices-{row}-closed": "2005"},
        {"offices-{row}-closed": ["An office cannot close before it opened."]},
    ),
    (
        "person",
        {"posts-{row}-start": "2010", "posts-{row}-end": "2009"},
        {"posts-{row}-end": ["A post cannot end before it started."]},
    ),
]  # fmt: skip


@pytest.mark.parametrize("view", ["add", "change"])
@pytest.mark.parametrize(("name", "dates", "messages"), INVERTED)
def test_inverted_ranges_are_refused_on_the_later_field_and_nothing_typed_is_lost(
    superuser_client, name, dates, messages, view
):
    model, fill, _dates = FORMS[name]
    url, data, record = open_form(superuser_client, name, view)
    fill(data)
    prefix = DATE_ROWS.get(name)
    row = int(data[f"{prefix}-TOTAL_FORMS"][0]) - 1 if prefix else None
    for field in date_names(name, data):
        data[field] = [""]
    for field, value in dates.items():
        data[at_row(field, row)] = [value]
    before = snapshot()

    response = superuser_client.post(url, data)

    expected = {at_row(field, row): list(texts) for field, texts in messages.items()}
    assert_refused_and_kept(response, model, data, expected, before)


@pytest.mark.parametrize(("name", "dates", "_messages"), INVERTED)
def test_the_same_form_with_the_dates_in_order_is_saved(superuser_client, name, dates, _messages):
    """The control for the tests above: with the dates put right, the same input saves, so what
    they refused was the dates and nothing else."""
    model, fill, _dates = FORMS[name]
    url, data, _record = open_form(superuser_client, name, "add")
    fill(data)
    prefix = DATE_ROWS.get(name)
    row = int(data[f"{prefix}-TOTAL_FORMS"][0]) - 1 if prefix else None
    ordered = dict(zip(dates, itertools.count(2001)))
    for field in date_names(name, data):  # as the test above does: the other date fields empty
        data[field] = [""]
    for field, year in ordered.items():
        data[at_row(field, row)] = [str(year)]
    if name == "meeting" and "start" not in dates:
        data["start"] = ["2000"]

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    assert model.objects.filter(slug=data["slug"][0]).exists()


# Direction controls and control characters -------------------------------------------------------

# Per form, the fields typed with a right-to-left override: names, titles, notes and
# descriptions, in the main form and in an inline row ("<prefix>-{row}-<field>": the row typed
# last).
DIRECTION_FIELDS = {
    "agreement": ["title", "description", f"{CLAIMS}-{{row}}-value"],
    "project": ["title", "short_title", f"{CITATIONS}-{{row}}-locator"],
    "meeting": ["title", "participants_note", f"{CITATIONS}-{{row}}-locator"],
    "office": ["name", "city"],
    "partner": ["name", "other_names", "offices-{row}-name"],
    "source": ["title", "publisher", "notes"],
    "person": ["name", "posts-{row}-title"],
}
OVERRIDE = (
    "Remove the invisible direction control U+202E RIGHT-TO-LEFT OVERRIDE (character 3): it makes text "
    "display in another order than it is written. Right-to-left text such as Arabic displays correctly without it."
)


@pytest.mark.parametrize("name", FORMS)
def test_a_direction_control_in_a_name_title_or_note_is_refused_on_its_field_and_kept(superuser_client, name):
    model, fill, _dates = FORMS[name]
    url, data, _record = open_form(superuser_client, name, "add")
    fill(data)
    fields = []
    for field in DIRECTION_FIELDS[name]:
        prefix = field.split("-{row}-")[0]
        fields.append(field.format(row=int(data[f"{prefix}-TOTAL_FORMS"][0]) - 1) if "{row}" in field else field)
    for field in fields:
        data[field] = [f"Ab\u202e{data[field][0]}"]
    before = snapshot()

    response = superuser_client.post(url, data)

    assert_refused_and_kept(response, model, data, {field: [OVERRIDE] for field in fields}, before)


def test_a_tab_in_a_title_and_a_control_character_in_a_description_are_refused_and_kept(superuser_client):
    url, data, _record = open_form(superuser_client, "agreement", "add")
    agreement_input(data)
    typed(data, title="Readmission\tagreement", description="Signed.\n\x1b[31mRed")
    before = snapshot()

    response = superuser_client.post(url, data)

    errors = {
        "title": ["Remove the tab (character 12): write a space instead."],
        "description": ["Remove the invisible control character U+001B (character 9): text never needs it."],
    }
    assert_refused_and_kept(response, Agreement, data, errors, before)
