"""The admin's add and change forms: adding each kind of record, validation that says what to
fix, and what a change form shows (links to the site, dates as typed; cooperation/backoffice/admin.py)."""

import re

import pytest

from cooperation.backoffice.admin import DATE_HINT
from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Citation, Claim, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person, Post
from tests.factories import (
    AgreementFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    SourceFactory,
    TopicFactory,
)
from tests.helpers.admin import CITATIONS, CLAIMS, add_row, admin_url, field_errors, form_data, inline_errors

pytestmark = pytest.mark.django_db


# Adding each kind of record -------------------------------------------------------------------


def test_partner_add_creates_it_with_an_office(superuser_client):
    url = admin_url(Partner, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        slug="icmpd",
        kind="international-organisation",
        scope="multilateral",
        founded="1993",
    )
    add_row(
        data,
        "offices",
        name="ICMPD Baku",
        slug="icmpd-baku",
        kind="country-office",
        city="Baku",
        country="AZ",
        opened="2006-08",
    )
    add_row(data, CITATIONS, source=SourceFactory(title="ICMPD profile").pk, locator="p. 3")

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    partner = Partner.objects.get(slug="icmpd")
    assert (partner.name, partner.founded, partner.published) == (data["name"], PartialDate(1993), False)
    office = partner.offices.get()
    assert (office.name, office.city, office.opened) == ("ICMPD Baku", "Baku", PartialDate(2006, 8))
    assert [str(citation) for citation in partner.citations.all()] == [
        "ICMPD profile, Ministry of Foreign Affairs, p. 3"
    ]


def test_office_add_creates_it(superuser_client):
    partner = PartnerFactory(acronym="UNHCR")
    url = admin_url(Office, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        partner=partner.pk,
        name="UNHCR Baku",
        slug="unhcr-baku",
        kind="country-office",
        city="Baku",
        country="AZ",
        opened="1993",
        closed="",
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    office = Office.objects.get()
    assert (office.partner, office.opened, office.closed) == (partner, PartialDate(1993), None)


def test_person_add_creates_them_with_posts(superuser_client):
    iom = PartnerFactory(acronym="IOM")
    url = admin_url(Person, "add")
    data = form_data(superuser_client.get(url))
    data.update(name="António Vitorino", slug="antonio-vitorino")
    add_row(data, "posts", title="Director General", organisation=iom.pk, start="2018-10", end="2023-09")

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    post = Post.objects.get()
    assert (post.person.name, str(post), post.start, post.end) == (
        "António Vitorino",
        "Director General, IOM",
        PartialDate(2018, 10),
        PartialDate(2023, 9),
    )


def test_topic_add_creates_it(superuser_client):
    url = admin_url(Topic, "add")
    data = form_data(superuser_client.get(url))
    data.update(name="Border management", slug="border-management", published="on")

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    assert list(Topic.objects.values_list("name", "published")) == [("Border management", True)]


def test_source_add_creates_it(superuser_client):
    url = admin_url(Source, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        title="SMS annual report",
        slug="sms-annual-report-2010",
        kind="report",
        date="August 2006",
        language="az",
        url="https://example.org/report.pdf",
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    source = Source.objects.get()
    assert (source.title, source.date, source.language) == ("SMS annual report", PartialDate(2006, 8), "az")


def test_agreement_add_creates_it_with_parties_dates_and_citation(superuser_client):
    government, iom = PartnerFactory(name="Government", acronym=""), PartnerFactory(acronym="IOM")
    source = SourceFactory(title="IOM Azerbaijan fact sheet")
    topic = TopicFactory(name="Migration management")
    url = admin_url(Agreement, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        title="Cooperation Agreement between the Government and IOM",
        slug="government-iom-cooperation",
        kind="cooperation-agreement",
        parties=[government.pk, iom.pk],
        topics=[topic.pk],
    )
    add_row(data, "actions", kind="signature", date="1999-12-08", place="Baku")
    add_row(data, "actions", kind="ratification", date="2000", party=government.pk, act="Law No. 1")
    add_row(data, "actions", kind="entry-into-force", date="2000-03")
    add_row(data, CITATIONS, source=source.pk, locator="p. 2")

    response = superuser_client.post(url, data)

    assert response.status_code == 302, (field_errors(response), inline_errors(response, "actions"))
    agreement = Agreement.objects.get()
    assert [(a.kind, a.party, a.act) for a in agreement.actions.order_by("date")] == [
        ("signature", None, ""),
        ("ratification", government, "Law No. 1"),
        ("entry-into-force", None, ""),
    ]
    assert agreement.signed_place == "Baku"
    assert sorted(agreement.parties.values_list("name", flat=True)) == ["Government", iom.name]
    assert list(agreement.topics.all()) == [topic]
    assert (agreement.signed, agreement.ratified, agreement.in_force) == (
        PartialDate(1999, 12, 8),
        PartialDate(2000),
        PartialDate(2000, 3),
    )
    assert [(c.source, c.locator) for c in agreement.citations.all()] == [(source, "p. 2")]
    assert agreement.published is False


def test_project_add_creates_it_with_partner_roles(superuser_client):
    eu, iom = PartnerFactory(acronym="EU"), PartnerFactory(acronym="IOM")
    topic = TopicFactory(name="Readmission")
    url = admin_url(Project, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        title="Support to readmission",
        slug="support-to-readmission",
        status="completed",
        start="2014",
        end="2016-06",
        topics=[topic.pk],
        recipient_countries=["AZ", "GE"],
    )
    add_row(data, "project_partners", partner=eu.pk, role="funding")
    add_row(data, "project_partners", partner=iom.pk, role="implementing")

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    project = Project.objects.get()
    assert sorted(str(role) for role in project.project_partners.all()) == ["EU (funding)", "IOM (implementing)"]
    assert (list(project.topics.all()), project.start, project.end) == (
        [topic],
        PartialDate(2014),
        PartialDate(2016, 6),
    )
    assert [country.code for country in project.recipient_countries] == ["AZ", "GE"]


def test_meeting_add_creates_it_with_everything_it_links(superuser_client):
    partner, person = PartnerFactory(acronym="IOM"), PersonFactory()
    agreement, project = AgreementFactory(), ProjectFactory()
    url = admin_url(Meeting, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        title="Signing in Baku",
        slug="signing-in-baku",
        kind="signing-ceremony",
        start="2006-05-10",
        end="2006-05-11",
        city="Baku",
        country="AZ",
        partners=[partner.pk],
        participants=[person.pk],
        agreements=[agreement.pk],
        projects=[project.pk],
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    meeting = Meeting.objects.get()
    assert meeting.dates == "10–11 May 2006"
    assert [
        list(meeting.partners.all()),
        list(meeting.participants.all()),
        list(meeting.agreements.all()),
        list(meeting.projects.all()),
    ] == [[partner], [person], [agreement], [project]]


# Validation that says what to fix -------------------------------------------------------------


def _post_agreement(superuser_client, *actions, party=None):
    """Add an agreement with ``actions`` ({kind, date …} each) in the actions inline."""
    url = admin_url(Agreement, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        title="Readmission agreement",
        slug="readmission",
        kind="readmission-agreement",
        parties=[(party or PartnerFactory()).pk],
    )
    for action in actions:
        add_row(data, "actions", **action)
    return superuser_client.post(url, data)


def test_agreement_add_in_force_before_signed_shows_the_message_on_the_action(superuser_client):
    response = _post_agreement(
        superuser_client, {"kind": "signature", "date": "2006-08"}, {"kind": "entry-into-force", "date": "2005"}
    )

    assert response.status_code == 200
    assert inline_errors(response, "actions") == (
        [{"date": ["It cannot enter into force before the signature (August 2006)."]}],
        [],
    )
    assert "It cannot enter into force before the signature (August 2006)." in response.content.decode()
    assert Agreement.objects.count() == 0


def test_agreement_add_party_of_an_action_must_be_a_party_of_the_agreement(superuser_client):
    stranger = PartnerFactory(name="Stranger", acronym="")

    response = _post_agreement(superuser_client, {"kind": "signature", "date": "2006", "party": stranger.pk})

    assert inline_errors(response, "actions") == ([{"party": ["Stranger is not one of this agreement's parties."]}], [])
    assert Agreement.objects.count() == 0


def test_agreement_add_partial_dates_in_the_same_period_are_accepted(superuser_client):
    response = _post_agreement(
        superuser_client,
        {"kind": "signature", "date": "2006-08-10"},
        {"kind": "entry-into-force", "date": "August 2006"},
    )

    assert response.status_code == 302, inline_errors(response, "actions")
    assert Agreement.objects.get().in_force == PartialDate(2006, 8)


def test_agreement_change_moving_a_signature_after_a_saved_ratification_is_refused(superuser_client):
    party = PartnerFactory()
    saved = AgreementFactory(parties=[party], signed=PartialDate(2001), ratified=PartialDate(2002))
    url = admin_url(Agreement, "change", saved.pk)
    data = form_data(superuser_client.get(url))
    signature = next(key for key, value in data.items() if key.startswith("actions-") and value == "signature")
    data[signature.replace("-kind", "-date")] = "2003"

    response = superuser_client.post(url, data)

    assert inline_errors(response, "actions") == (
        [{"date": ["Ratification cannot come before the signature (2003)."]}],
        [],
    )
    saved.refresh_from_db()
    assert saved.signed == PartialDate(2001)


def test_agreement_summary_dates_are_shown_not_edited(superuser_client):
    saved = AgreementFactory(parties=[PartnerFactory()], signed=PartialDate(2001), signed_place="Baku")
    url = admin_url(Agreement, "change", saved.pk)

    page = superuser_client.get(url)
    data = form_data(page)
    data["signed"] = "1990"
    superuser_client.post(url, data)

    assert "signed" not in page.context["adminform"].form.fields
    assert "These follow from the actions below and are not edited here" in page.content.decode()
    saved.refresh_from_db()
    assert (saved.signed, saved.signed_place) == (PartialDate(2001), "Baku")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "sometime in 2006",
            "“sometime in 2006” is not a date this registry understands. Enter a year (1998), "
            "a month (2006-08 or August 2006), a day (1999-12-08 or 8 December 1999), a half or quarter "
            "(second half of 2007, Q3 2010), or an approximate or uncertain date (about 2008, 2007?).",
        ),
        ("31 June 2006", "June 2006 has no day 31."),
        ("2006-13", "The month must be between 1 and 12."),
    ],
)
def test_agreement_add_bad_date_shows_what_to_type(superuser_client, typed, message):
    response = _post_agreement(superuser_client, {"kind": "signature", "date": typed})

    assert inline_errors(response, "actions") == ([{"date": [message]}], [])
    assert Agreement.objects.count() == 0


def test_agreement_add_missing_parties_and_kind_are_named(superuser_client):
    url = admin_url(Agreement, "add")
    data = form_data(superuser_client.get(url))
    data.update(title="Untitled", slug="untitled")

    response = superuser_client.post(url, data)

    assert field_errors(response) == {"kind": ["This field is required."], "parties": ["This field is required."]}
    assert Agreement.objects.count() == 0


def test_agreement_add_taken_slug_says_how_to_fix_it(superuser_client):
    AgreementFactory(slug="readmission")

    response = _post_agreement(superuser_client)

    assert field_errors(response) == {
        "slug": ["Another record already has this address. Change the slug, for example by adding the year."]
    }


def test_agreement_add_same_citation_twice_is_refused(superuser_client):
    source = SourceFactory()
    url = admin_url(Agreement, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        title="Readmission agreement", slug="readmission", kind="readmission-agreement", parties=[PartnerFactory().pk]
    )
    add_row(data, CITATIONS, source=source.pk, locator="p. 1")
    add_row(data, CITATIONS, source=source.pk, locator="p. 1")

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    citations = response.context["inline_admin_formsets"][0].formset
    assert [form.non_field_errors() for form in citations.forms] == [
        [],
        ["The record already cites this source at this place: change the page or remove the row."],
    ]
    assert (Agreement.objects.count(), Citation.objects.count()) == (0, 0)


def test_agreement_claims_offer_its_fields_and_allow_one_preferred_value(superuser_client):
    agreement = AgreementFactory(parties=[PartnerFactory()])
    first, second = SourceFactory(), SourceFactory()
    url = admin_url(Agreement, "change", agreement.pk)
    response = superuser_client.get(url)
    claims = response.context["inline_admin_formsets"][1].formset
    choices = dict(claims.empty_form.fields["field"].choices)
    assert {"signed": "Signed", "in_force": "Entered into force", "parties": "Parties"}.items() <= choices.items()
    assert "slug" not in choices

    data = form_data(response)
    add_row(data, CLAIMS, field="signed", value="8 December 1999", source=first.pk, preferred="on")
    add_row(data, CLAIMS, field="signed", value="9 December 1999", source=second.pk, preferred="on")
    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert list(response.context["inline_admin_formsets"][1].formset.non_form_errors()) == [
        "Only one claim about “signed” can be preferred: untick “preferred” on all but one."
    ]
    assert Claim.objects.count() == 0

    del data[f"{CLAIMS}-1-preferred"]
    assert superuser_client.post(url, data).status_code == 302
    assert sorted(Claim.objects.values_list("value", "preferred")) == [
        ("8 December 1999", True),
        ("9 December 1999", False),
    ]


def test_agreement_claims_take_the_reason_in_each_language_beside_the_english(superuser_client):
    agreement = AgreementFactory(parties=[PartnerFactory()])
    url = admin_url(Agreement, "change", agreement.pk)
    response = superuser_client.get(url)
    # The claims table's columns, as its header names them: the translations follow the English.
    table = response.content.decode().split(f'id="{CLAIMS}-group"', 1)[1].split("</thead>", 1)[0]
    headers = [" ".join(text.split()) for text in re.findall(r"<th[^>]*>([^<]*)", table)]
    assert headers[headers.index("Reason") :][:4] == [
        "Reason",
        "Reason (Azerbaijani)",
        "Reason (Russian)",
        "Staff note",
    ]

    data = form_data(response)
    add_row(
        data,
        CLAIMS,
        field="signed",
        value="8 December 1999",
        source=SourceFactory().pk,
        preferred="on",
        reason="the page gives the place too",
        reason_az="səhifə yeri də göstərir",
        reason_ru="страница указывает и место",
    )
    assert superuser_client.post(url, data).status_code == 302

    claim = Claim.objects.get()
    assert (claim.reason, claim.reason_az, claim.reason_ru) == (
        "the page gives the place too",
        "səhifə yeri də göstərir",
        "страница указывает и место",
    )


def test_office_add_closed_before_opened_shows_the_message(superuser_client):
    url = admin_url(Office, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        partner=PartnerFactory().pk,
        name="Old office",
        slug="old-office",
        kind="field-office",
        country="AZ",
        opened="2006",
        closed="2005-12",
    )

    response = superuser_client.post(url, data)

    assert field_errors(response) == {"closed": ["An office cannot close before it opened."]}
    assert Office.objects.count() == 0


def test_project_add_end_before_start_shows_the_message(superuser_client):
    url = admin_url(Project, "add")
    data = form_data(superuser_client.get(url))
    data.update(title="Backwards", slug="backwards", status="completed", start="2014-05", end="2014-04-30")

    response = superuser_client.post(url, data)

    assert field_errors(response) == {"end": ["A project cannot end before it started."]}
    assert Project.objects.count() == 0


def test_meeting_add_end_without_start_asks_for_the_start(superuser_client):
    url = admin_url(Meeting, "add")
    data = form_data(superuser_client.get(url))
    data.update(title="Undated", slug="undated", kind="visit", end="2006")

    response = superuser_client.post(url, data)

    assert field_errors(response) == {"start": ["Give the start date too, or leave both empty."]}
    assert Meeting.objects.count() == 0


def test_person_add_post_ending_before_it_started_shows_the_message_in_its_row(superuser_client):
    url = admin_url(Person, "add")
    data = form_data(superuser_client.get(url))
    data.update(name="Someone", slug="someone")
    add_row(data, "posts", title="Chief", organisation=PartnerFactory().pk, start="2010", end="2009")

    response = superuser_client.post(url, data)

    posts = response.context["inline_admin_formsets"][0].formset
    assert [form.errors for form in posts.forms] == [{"end": ["A post cannot end before it started."]}]
    assert Person.objects.count() == 0


def test_partner_change_own_parent_is_refused(superuser_client):
    partner = PartnerFactory()
    url = admin_url(Partner, "change", partner.pk)
    data = form_data(superuser_client.get(url))
    data["parent"] = str(partner.pk)

    response = superuser_client.post(url, data)

    assert field_errors(response) == {"parent": ["A partner cannot be its own parent body."]}


# What a change form shows ------------------------------------------------------------------


def test_change_form_view_on_site_only_for_published_records(superuser_client):
    published, draft = AgreementFactory(), AgreementFactory(published=False)
    assert "Created at" in superuser_client.get(admin_url(Agreement, "change", draft.pk)).content.decode()

    response = superuser_client.get(admin_url(Agreement, "change", published.pk))
    assert f'href="{published.get_absolute_url()}" class="viewsitelink"' in response.content.decode()

    response = superuser_client.get(admin_url(Agreement, "change", draft.pk))
    assert "viewsitelink" not in response.content.decode()


def test_partner_change_office_rows_link_to_the_site_only_when_published(superuser_client):
    partner = PartnerFactory()
    published, draft = OfficeFactory(partner=partner), OfficeFactory(partner=partner, published=False)

    response = superuser_client.get(admin_url(Partner, "change", partner.pk))

    offices = next(inline for inline in response.context["inline_admin_formsets"] if inline.formset.prefix == "offices")
    assert {form.original: form.absolute_url for form in offices if form.original} == {
        published: published.get_absolute_url(),
        draft: None,
    }


def test_change_form_shows_dates_as_written_and_explains_them(superuser_client):
    agreement = AgreementFactory(
        signed=PartialDate(1999, 12, 8), ratified=PartialDate(2000), in_force=PartialDate(2000, 3)
    )

    response = superuser_client.get(admin_url(Agreement, "change", agreement.pk))

    actions = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "actions")
    assert [form["date"].value() for form in actions.initial_forms] == ["8 December 1999", "2000", "March 2000"]
    assert str(actions.forms[0].fields["date"].help_text).endswith(DATE_HINT)


def test_project_form_takes_about_and_a_half_and_says_how_it_understood_them(superuser_client):
    project = ProjectFactory(slug="workshops", start=PartialDate(2007))
    url = admin_url(Project, "change", project.pk)
    data = form_data(superuser_client.get(url))
    data.update(start="c. 2005", end="second half of 2007", _continue="1")

    response = superuser_client.post(url, data, follow=True)

    project.refresh_from_db()
    assert (project.start, project.end) == (PartialDate(2005, qualifier="~"), PartialDate(2007, group=41))
    page = response.content.decode()
    # Shown back in words, as the site writes it (and as it reads back), not as EDTF.
    assert 'value="about 2005"' in page and 'value="second half of 2007"' in page
    assert "Understood as about 2005 (EDTF 2005~)." in page
    assert "Understood as second half of 2007 (EDTF 2007-41)." in page


def test_a_saved_day_is_shown_back_as_it_was_typed(superuser_client):
    project = ProjectFactory(slug="day", start=PartialDate(2007))
    url = admin_url(Project, "change", project.pk)
    data = form_data(superuser_client.get(url))
    data.update(start="8 December 1999", end="2007 (uncertain)", _continue="1")

    response = superuser_client.post(url, data, follow=True)

    page = response.content.decode()
    assert 'value="8 December 1999"' in page and 'value="1999-12-08"' not in page
    assert 'value="2007 (uncertain)"' in page
    assert "Understood as 8 December 1999 (EDTF 1999-12-08)." in page
    # Saving the form again as it came back changes nothing.
    again = superuser_client.post(url, {**form_data(response), "_continue": "1"}, follow=True)
    assert again.status_code == 200
    project.refresh_from_db()
    assert (project.start, project.end) == (PartialDate(1999, 12, 8), PartialDate(2007, qualifier="?"))


def test_a_qualified_date_on_a_field_that_cannot_hold_one_is_refused_with_the_reason(superuser_client):
    partner = PartnerFactory(slug="p")
    url = admin_url(Partner, "change", partner.pk)
    data = form_data(superuser_client.get(url))
    data.update(founded="about 2008")

    response = superuser_client.post(url, data)

    assert field_errors(response)["founded"] == [
        "This date may be a year, month, day, half or quarter, but not approximate or uncertain: "
        "leave out “about” and “?”."
    ]


def test_a_new_agreement_offers_signature_ratification_and_entry_into_force_rows_and_saves_only_those_dated(
    superuser_client,
):
    party = PartnerFactory()
    page = superuser_client.get(admin_url(Agreement, "add"))
    actions = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "actions")
    assert [form["kind"].value() for form in actions.forms] == ["signature", "ratification", "entry-into-force"]

    data = form_data(page)
    data.update(title="Memorandum", kind="memorandum-of-understanding", parties=[party.pk], slug="memorandum")
    # The three offered rows as the browser posts them: kinds chosen, one date typed.
    add_row(data, "actions", kind="signature", date="2006-08")
    add_row(data, "actions", kind="ratification", date="")
    add_row(data, "actions", kind="entry-into-force", date="")
    response = superuser_client.post(admin_url(Agreement, "add"), data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    agreement = Agreement.objects.get(slug="memorandum")
    assert [(a.kind, str(a.date)) for a in agreement.actions.all()] == [("signature", "August 2006")]
    assert agreement.signed == PartialDate(2006, 8)
