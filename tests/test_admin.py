"""The admin as staff use it: lists, search, add and change forms, validation, and who gets in."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils.html import strip_tags

from cooperation.backoffice.admin import DATE_HINT
from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Citation, Claim, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person, Post
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    PostFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    SourceFactory,
    TopicFactory,
)
from tests.helpers import CITATIONS, CLAIMS, add_row, admin_url, field_errors, form_data, rows

pytestmark = pytest.mark.django_db


# Helpers -------------------------------------------------------------------------------------


def headers(response):
    return [str(header["text"]) for header in response.context["result_headers"]][1:]


# What each registered model looks like in its list --------------------------------------------

# model, factory building one record whose list row the test knows, search term, that row.
LIST_CASES = {
    "partner": (
        Partner,
        lambda: PartnerFactory(name="International Organization for Migration", acronym="IOM", country="CH"),
        "migration",
        [
            "International Organization for Migration",
            "IOM",
            "International organisation",
            "Multilateral",
            "Switzerland",
            "-",
            "0",
            "True",
        ],
    ),
    "office": (
        Office,
        lambda: OfficeFactory(
            name="IOM Baku", partner=PartnerFactory(name="IOM", acronym=""), opened=PartialDate(1998, 12)
        ),
        "baku",
        ["IOM Baku", "IOM", "Field office", "Baku", "Azerbaijan", "December 1998", "-", "True"],
    ),
    "person": (
        Person,
        lambda: (
            PostFactory(
                person=PersonFactory(name="William Lacy Swing"), organisation=PartnerFactory(acronym="IOM")
            ).person
        ),
        "swing",
        ["William Lacy Swing", "Director General, IOM (October 2008)", "True"],
    ),
    "topic": (
        Topic,
        lambda: ProjectFactory(topics=[TopicFactory(name="Anti-trafficking")]).topics.get(),
        "trafficking",
        ["Anti-trafficking", "1", "True"],
    ),
    "source": (
        Source,
        lambda: (
            CitationFactory(source=SourceFactory(title="IOM Azerbaijan fact sheet", date=PartialDate(2006, 8))).source
        ),
        "fact sheet",
        ["IOM Azerbaijan fact sheet", "Web page", "Ministry of Foreign Affairs", "August 2006", "en", "1", "True"],
    ),
    "agreement": (
        Agreement,
        lambda: AgreementFactory(
            title="Cooperation Agreement between the Government and IOM",
            short_title="IOM cooperation agreement",
            parties=[PartnerFactory(name="IOM", acronym=""), PartnerFactory(name="Government", acronym="GOV")],
            in_force=PartialDate(2000),
        ),
        "IOM cooperation",
        [
            "Cooperation Agreement between the Government and IOM",
            "IOM cooperation agreement",
            "Cooperation agreement",
            "GOV, IOM",
            "8 December 1999",
            "In force",
            "True",
        ],
    ),
    "project": (
        Project,
        lambda: (
            ProjectPartnerFactory(
                project=ProjectFactory(title="Border management project", phase="Phase II", end=PartialDate(2016, 6)),
                partner=PartnerFactory(acronym="ICMPD"),
            ).project
        ),
        "border",
        ["Border management project", "-", "Phase II", "ICMPD (implementing)", "2014", "June 2016", "Ongoing", "True"],
    ),
    "meeting": (
        Meeting,
        lambda: MeetingFactory(
            title="IOM Council session", end=PartialDate(2016, 12, 8), partners=[PartnerFactory(acronym="IOM")]
        ),
        "council",
        ["IOM Council session", "Bilateral meeting", "5–8 December 2016", "Geneva, Switzerland", "IOM", "True"],
    ),
}


@pytest.mark.parametrize("case", LIST_CASES)
def test_changelist_shows_the_row(superuser_client, case):
    model, build, _, expected_row = LIST_CASES[case]
    build()
    response = superuser_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert rows(response) == [expected_row]


@pytest.mark.parametrize("case", LIST_CASES)
def test_changelist_search_finds_the_row(superuser_client, case):
    model, build, term, expected_row = LIST_CASES[case]
    record = build()
    # Another record of the same kind, which the search must leave out.
    other = {
        "partner": lambda: PartnerFactory(name="Council of Europe", acronym="CoE"),
        "office": lambda: OfficeFactory(name="Ganja office", city="Ganja"),
        "person": lambda: PersonFactory(name="Brunson McKinley"),
        "topic": lambda: TopicFactory(name="Education"),
        "source": lambda: SourceFactory(title="Annual report 2010"),
        "agreement": lambda: AgreementFactory(title="Readmission agreement"),
        "project": lambda: ProjectFactory(title="Labour migration study"),
        "meeting": lambda: MeetingFactory(title="Working group in Baku", city="Baku", country="AZ"),
    }[case]()

    response = superuser_client.get(admin_url(model, "changelist"), {"q": term})

    assert response.context["cl"].result_list[:] == [record]
    assert rows(response) == [expected_row]
    assert str(other) not in rows(response)[0]


@pytest.mark.parametrize("case", LIST_CASES)
def test_add_form_shows_the_fields_and_date_hint(superuser_client, case):
    model = LIST_CASES[case][0]
    response = superuser_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "slug" in form.fields
    assert form.fields["published"].initial is False
    date_fields = [name for name, field in form.fields.items() if DATE_HINT in str(field.help_text)]
    assert bool(date_fields) == (case not in {"person", "topic"})
    assert "Created at" not in response.content.decode()  # a new record has no timestamps yet
    if date_fields:
        assert 'placeholder="1998, 2006-08 or 1999-12-08"' in response.content.decode()


@pytest.mark.parametrize("case", LIST_CASES)
def test_change_form_saves_an_edit(superuser_client, case):
    model, build, _, _ = LIST_CASES[case]
    record = build()
    url = admin_url(model, "change", record.pk)
    data = form_data(superuser_client.get(url))
    title_field = "title" if "title" in data else "name"
    data[title_field] = "A corrected name"

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    assert response.url == admin_url(model, "changelist")
    record.refresh_from_db()
    assert getattr(record, title_field) == "A corrected name"
    assert LogEntry.objects.get(object_id=str(record.pk)).get_change_message() == f"Changed {title_field.title()}."


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
    assert [str(citation) for citation in partner.citations.all()] == ["ICMPD profile, p. 3"]


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
        signed="1999-12-08",
        ratified="2000",
        in_force="2000-03",
    )
    add_row(data, CITATIONS, source=source.pk, locator="p. 2")

    response = superuser_client.post(url, data)

    assert response.status_code == 302, field_errors(response)
    agreement = Agreement.objects.get()
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


def _post_agreement(superuser_client, **fields):
    url = admin_url(Agreement, "add")
    data = form_data(superuser_client.get(url))
    data.update(
        title="Readmission agreement",
        slug="readmission",
        kind="readmission-agreement",
        parties=[PartnerFactory().pk],
        **fields,
    )
    return superuser_client.post(url, data)


def test_agreement_add_in_force_before_signed_shows_the_message_on_the_field(superuser_client):
    response = _post_agreement(superuser_client, signed="2006-08", in_force="2005")

    assert response.status_code == 200
    assert field_errors(response) == {"in_force": ["It cannot enter into force before it was signed."]}
    assert "It cannot enter into force before it was signed." in response.content.decode()
    assert Agreement.objects.count() == 0


def test_agreement_add_partial_dates_in_the_same_period_are_accepted(superuser_client):
    response = _post_agreement(superuser_client, signed="2006-08-10", in_force="August 2006")

    assert response.status_code == 302, field_errors(response)
    assert Agreement.objects.get().in_force == PartialDate(2006, 8)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "sometime in 2006",
            "“sometime in 2006” is not a date this registry understands. Enter a year (1998), "
            "a month (2006-08 or August 2006) or a day (1999-12-08 or 8 December 1999).",
        ),
        ("31 June 2006", "June 2006 has no day 31."),
        ("2006-13", "The month must be between 1 and 12."),
    ],
)
def test_agreement_add_bad_date_shows_what_to_type(superuser_client, typed, message):
    response = _post_agreement(superuser_client, signed=typed)

    assert field_errors(response) == {"signed": [message]}
    assert response.context["adminform"].form["signed"].value() == typed
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


# Lists: dates, status, filters, actions ------------------------------------------------------


def test_agreement_changelist_sorts_partial_dates_by_stored_value(superuser_client):
    for signed in [PartialDate(2006, 8), PartialDate(1999, 12, 8), PartialDate(1999), PartialDate(2006)]:
        AgreementFactory(signed=signed)
    response = superuser_client.get(admin_url(Agreement, "changelist"))
    column = headers(response).index("signed")
    assert [row[column] for row in rows(response)] == ["August 2006", "2006", "8 December 1999", "1999"]

    index = response.context["cl"].list_display.index("signed")
    response = superuser_client.get(admin_url(Agreement, "changelist"), {"o": str(index)})
    assert [row[column] for row in rows(response)] == ["1999", "8 December 1999", "2006", "August 2006"]


def test_agreement_changelist_filters_and_sorts_by_status(superuser_client):
    AgreementFactory(title="Signed only")
    AgreementFactory(title="In force", in_force=PartialDate(2000))
    AgreementFactory(title="Ended", in_force=PartialDate(2000), ended=PartialDate(2010))
    AgreementFactory(title="Undated", signed=None)
    url = admin_url(Agreement, "changelist")

    response = superuser_client.get(url, {"status": "in-force"})
    assert [row[0] for row in rows(response)] == ["In force"]

    index = response.context["cl"].list_display.index("status")
    response = superuser_client.get(url, {"o": f"-{index}"})
    column = headers(response).index("status")
    assert [(row[0], row[column]) for row in rows(response)] == [
        ("Ended", "Ended"),
        ("In force", "In force"),
        ("Signed only", "Signed"),
        ("Undated", "Dates not recorded"),
    ]


def test_agreement_changelist_year_filter_lists_years_newest_first(superuser_client):
    AgreementFactory(title="Of 1999")
    AgreementFactory(title="Of August 2006", signed=PartialDate(2006, 8))
    AgreementFactory(title="Of 2006", signed=PartialDate(2006))
    AgreementFactory(title="Undated", signed=None)
    url = admin_url(Agreement, "changelist")

    response = superuser_client.get(url)
    year_filter = next(spec for spec in response.context["cl"].filter_specs if spec.title == "year signed")
    assert [choice["display"] for choice in year_filter.choices(response.context["cl"])] == [
        "All",
        "2006",
        "1999",
        "No date",
    ]

    response = superuser_client.get(url, {"signed_year": "2006"})
    assert sorted(row[0] for row in rows(response)) == ["Of 2006", "Of August 2006"]
    response = superuser_client.get(url, {"signed_year": "none"})
    assert [row[0] for row in rows(response)] == ["Undated"]
    response = superuser_client.get(url, {"signed_year": "abc"})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_publish_action_publishes_the_drafts_and_records_it(superuser_client):
    drafts = [AgreementFactory(published=False), AgreementFactory(published=False)]
    published = AgreementFactory()
    url = admin_url(Agreement, "changelist")

    response = superuser_client.post(
        url, {"action": "publish", "_selected_action": [obj.pk for obj in [*drafts, published]]}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == ["2 agreements published."]
    assert Agreement.objects.filter(published=False).count() == 0
    assert sorted(int(entry.object_id) for entry in LogEntry.objects.all()) == sorted(obj.pk for obj in drafts)


def test_unpublish_action_makes_records_drafts(superuser_client):
    project = ProjectFactory()

    response = superuser_client.post(
        admin_url(Project, "changelist"), {"action": "unpublish", "_selected_action": [project.pk]}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == ["1 project made drafts."]
    project.refresh_from_db()
    assert project.published is False


def test_publish_and_unpublish_actions_update_site_search(superuser_client):
    def found():
        page = superuser_client.get("/search/?q=seasonal").content.decode()
        return "Memorandum on seasonal workers" in strip_tags(page)

    draft = AgreementFactory(title="Memorandum on seasonal workers", published=False)
    assert not found()
    superuser_client.post(admin_url(Agreement, "changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    assert found()
    superuser_client.post(admin_url(Agreement, "changelist"), {"action": "unpublish", "_selected_action": [draft.pk]})
    assert not found()


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


def test_change_form_shows_dates_as_iso_and_explains_them(superuser_client):
    agreement = AgreementFactory(
        signed=PartialDate(1999, 12, 8), ratified=PartialDate(2000), in_force=PartialDate(2000, 3)
    )

    response = superuser_client.get(admin_url(Agreement, "change", agreement.pk))

    form = response.context["adminform"].form
    assert [form[name].value() for name in ["signed", "ratified", "in_force", "ended"]] == [
        "1999-12-08",
        "2000",
        "2000-03",
        None,
    ]
    assert str(form.fields["signed"].help_text) == DATE_HINT
    assert str(form.fields["ratified"].help_text).endswith(DATE_HINT)


# Autocomplete --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "build", "term"),
    [
        (Agreement, "parties", lambda: PartnerFactory(name="Council of Europe", acronym="CoE"), "coe"),
        (Project, "topics", lambda: TopicFactory(name="Asylum"), "asyl"),
        (Meeting, "participants", lambda: PersonFactory(name="Firudin Nabiyev"), "nabi"),
        (Meeting, "agreements", lambda: AgreementFactory(title="Readmission agreement"), "readm"),
        (Meeting, "projects", lambda: ProjectFactory(title="UNIMIG"), "unimig"),
        (Citation, "source", lambda: SourceFactory(title="IOM fact sheet"), "fact"),
    ],
)
def test_autocomplete_finds_the_record(superuser_client, model, field, build, term):
    record = build()
    PartnerFactory(name="Someone else"), TopicFactory(name="Other"), SourceFactory(title="Other")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field, "term": term},
    )
    assert response.json()["results"] == [{"id": str(record.pk), "text": str(record)}]


# Who gets in -----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Partner, Office, Person, Topic, Source, Agreement, Project, Meeting])
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_anonymous_user_is_sent_to_login(client, model, view):
    url = admin_url(model, view)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_non_staff_user_is_sent_to_login(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    url = admin_url(Agreement, "changelist")
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"{reverse('admin:login')}?next={url}")


# Query counts: a list page costs the same number of queries for 1 row or many ------------------


def _partners(n):
    parent = PartnerFactory()
    for _ in range(n):
        OfficeFactory(partner=PartnerFactory(parent=parent, country="AT"))


def _offices(n):
    OfficeFactory.create_batch(n)


def _people(n):
    for _ in range(n):
        person = PersonFactory()
        PostFactory.create_batch(2, person=person)


def _topics(n):
    for topic in TopicFactory.create_batch(n):
        ProjectFactory(topics=[topic])


def _sources(n):
    for source in SourceFactory.create_batch(n):
        CitationFactory(source=source)


def _agreements(n):
    for _ in range(n):
        AgreementFactory(parties=PartnerFactory.create_batch(2), in_force=PartialDate(2000))


def _projects(n):
    for project in ProjectFactory.create_batch(n, topics=[TopicFactory()]):
        ProjectPartnerFactory.create_batch(2, project=project)


def _meetings(n):
    MeetingFactory.create_batch(n, partners=PartnerFactory.create_batch(2))


@pytest.mark.parametrize(
    ("model", "build", "queries"),
    # No second count of the whole table (show_full_result_count off); a filter by a related
    # record (parties, topics, partners) finds its busiest choices in one more query, cached
    # (cooperation/backoffice/changelist.py).
    [
        (Partner, _partners, 5),
        (Office, _offices, 6),
        (Person, _people, 6),
        (Topic, _topics, 4),
        (Source, _sources, 6),
        (Agreement, _agreements, 8),
        (Project, _projects, 10),
        (Meeting, _meetings, 9),
    ],
)
@pytest.mark.parametrize("count", [1, 20])
def test_changelist_query_count_is_the_same_for_one_or_many_rows(
    superuser_client, django_assert_num_queries, model, build, queries, count
):
    build(count)
    url = admin_url(model, "changelist")
    with django_assert_num_queries(queries):
        response = superuser_client.get(url)
    assert len(rows(response)) >= count
