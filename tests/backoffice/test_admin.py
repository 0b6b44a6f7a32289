"""Every record model's admin as staff use it: its list row, search, add and change forms,
autocomplete, and who gets in (each app's admin.py on cooperation/backoffice/admin.py)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from cooperation.backoffice.admin import DATE_HINT, TABULAR_DATE_PLACEHOLDER
from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Citation, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
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
from tests.helpers.admin import admin_url, field_errors, form_data, rows

pytestmark = pytest.mark.django_db


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
        ["IOM Azerbaijan fact sheet", "-", "Web page", "Ministry of Foreign Affairs", "August 2006", "en", "1", "True"],
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
        ["IOM Council session", "Bilateral meeting", "5–8 December 2016", "Held", "Geneva, Switzerland", "IOM", "True"],
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
    for inline in response.context["inline_admin_formsets"] if case == "agreement" else []:  # its actions' dates
        date_fields += [
            name for name, field in inline.formset.form.base_fields.items() if DATE_HINT in str(field.help_text)
        ]
    assert bool(date_fields) == (case not in {"person", "topic"})
    assert "Created at" not in response.content.decode()  # a new record has no timestamps yet
    if date_fields:
        placeholder = TABULAR_DATE_PLACEHOLDER if case == "agreement" else "1998, 2006-08 or 1999-12-08"
        assert f'placeholder="{placeholder}"' in response.content.decode()


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
