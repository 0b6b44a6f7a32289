"""The staff list of facts whose sources disagree (/admin/discrepancies/), choosing the preferred
claim there, and the sources-and-conflicts panel on a record's change page
(cooperation/backoffice/discrepancies.py)."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse

from cooperation.models import Agreement, Claim, Project
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f
from tests.helpers.admin import admin_url, messages_of
from tests.helpers.users import client_for

pytestmark = pytest.mark.django_db

URL = "/admin/discrepancies/"


def text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def listed(response):
    """[(record name, field label, [(value, source title, preferred)])] as the page lists them."""
    return [
        (fact.record_name, str(fact.label), [(c.value, c.source.title, c.preferred) for c in fact.claims])
        for fact in response.context["facts"]
    ]


@pytest.fixture
def signing():
    """A published agreement whose two sources give different signing days, IOM's member
    states from two years' reports, and a fact with a single claim (not a discrepancy)."""
    web = f.SourceFactory(title="IOM web page")
    press = f.SourceFactory(title="MFA press release")
    agreement = f.AgreementFactory(title="Agreement on Cooperation with IOM", slug="iom-agreement")
    first = f.ClaimFactory(content_object=agreement, field="signed", value="8 December 1999", source=web, locator="§2")
    second = f.ClaimFactory(
        content_object=agreement, field="signed", value="9 December 1999", source=press, note="Dated the next day."
    )
    f.ClaimFactory(content_object=agreement, field="signed_place", value="Baku", source=web)
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", published=False)
    f.ClaimFactory(content_object=iom, field="member_states", value="173", source=web, preferred=True)
    f.ClaimFactory(content_object=iom, field="member_states", value="175", source=press)
    return {"agreement": agreement, "first": first, "second": second, "iom": iom, "web": web, "press": press}


def choose(client, claim_or_none, fact_of, **extra):
    content_type = ContentType.objects.get_for_model(type(fact_of["record"]))
    data = {
        "content_type": content_type.pk,
        "object_id": fact_of["record"].pk,
        "field": fact_of["field"],
        "preferred": "none" if claim_or_none is None else claim_or_none.pk,
        "next": URL,
        **extra,
    }
    return client.post(URL, data, follow=True)


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_every_fact_with_two_or_more_claims_side_by_side(editor_client, signing):
    response = editor_client.get(URL)

    assert response.status_code == 200
    assert listed(response) == [
        (
            "Agreement on Cooperation with IOM",
            "Signed",
            [("8 December 1999", "IOM web page", False), ("9 December 1999", "MFA press release", False)],
        ),
        (
            "International Organization for Migration",
            "Member states",
            [("173", "IOM web page", True), ("175", "MFA press release", False)],
        ),
    ]
    page = text(response)
    assert "2 facts." in page
    assert "Value 8 December 1999 9 December 1999" in page
    assert "Source IOM web page, Ministry of Foreign Affairs MFA press release, Ministry of Foreign Affairs" in page
    assert "Where §2 —" in page
    assert "Dated the next day." in page
    assert "(partner, draft)" in page


def test_the_list_is_linked_from_the_admin_index(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert f'<a href="{URL}">Discrepancies</a>' in response.content.decode()


def test_staff_without_claim_permissions_see_neither_the_link_nor_the_list():
    client = client_for("staff")
    assert URL not in client.get(reverse("admin:index")).content.decode()
    assert client.get(URL).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=agreement", ["Agreement on Cooperation with IOM"]),
        ("kind=partner", ["International Organization for Migration"]),
        ("kind=meeting", []),
        ("preferred=none", ["Agreement on Cooperation with IOM"]),
        ("preferred=chosen", ["International Organization for Migration"]),
        ("state=draft", ["International Organization for Migration"]),
        ("state=published", ["Agreement on Cooperation with IOM"]),
        ("kind=partner&preferred=none", []),
    ],
)
def test_filters(editor_client, signing, query, expected):
    response = editor_client.get(f"{URL}?{query}")
    assert [fact.record_name for fact in response.context["facts"]] == expected
    assert messages_of(response) == []


def test_filter_by_record(editor_client, signing):
    other = f.AgreementFactory(title="Readmission agreement")
    f.ClaimFactory(content_object=other, field="signed", value="2014")
    f.ClaimFactory(content_object=other, field="signed", value="2013")

    response = editor_client.get(f"{URL}?kind=agreement&record={signing['agreement'].pk}")

    assert [fact.record_name for fact in response.context["facts"]] == ["Agreement on Cooperation with IOM"]
    assert "Discrepancies: agreement “Agreement on Cooperation with IOM”" in text(response)
    assert "Show every record’s facts" in text(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=widget", "There is no kind of record “widget”: showing every kind."),
        ("record=5", "A record is chosen with its kind (kind=…&record=…): showing every record."),
        ("kind=agreement&record=abc", "“abc” is not a record number: showing every record."),
        ("preferred=maybe", "“maybe” is not a choice for preferred: it was left out."),
        ("page=99", "There is no page “99”: showing the first page."),
        ("page=x", "There is no page “x”: showing the first page."),
    ],
)
def test_a_bad_filter_value_is_dropped_with_a_message(editor_client, signing, query, message):
    response = editor_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert len(response.context["facts"]) >= 1 or "kind=agreement" in query


def test_the_list_paginates_by_fact(editor_client, signing, settings):
    source_a, source_b = f.SourceFactory(title="A"), f.SourceFactory(title="B")
    for n in range(55):
        project = f.ProjectFactory(title=f"Project {n:02}")
        f.ClaimFactory(content_object=project, field="start", value="2006", source=source_a)
        f.ClaimFactory(content_object=project, field="start", value="2007", source=source_b)

    first = editor_client.get(f"{URL}?kind=project")
    second = editor_client.get(first.context["page_urls"]["next"])

    assert len(first.context["facts"]) == 50
    assert [fact.record_name for fact in second.context["facts"]] == [f"Project {n}" for n in range(50, 55)]
    assert "55 facts, page 2 of 2." in text(second)
    assert second.context["page_urls"]["previous"] == f"{URL}?kind=project&page=1"


def build_facts(count):
    sources = [f.SourceFactory(), f.SourceFactory(), f.SourceFactory()]
    kinds = [
        lambda: f.AgreementFactory(),
        lambda: f.PartnerFactory(),
        lambda: f.ProjectFactory(),
        lambda: f.MeetingFactory(),
        lambda: f.OfficeFactory(),
        lambda: f.PersonFactory(),
        lambda: f.TopicFactory(),
    ]
    for n in range(count):
        for make in kinds:
            record = make()
            for index, source in enumerate(sources[: 2 + n % 2]):
                f.ClaimFactory(
                    content_object=record, field="name", value=f"v{index}", source=source, preferred=index == 0
                )


@pytest.mark.parametrize("count", [1, 7])
def test_the_list_runs_the_same_queries_for_few_or_many_facts(editor_client, django_assert_num_queries, count):
    build_facts(count)
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(Agreement, Partner, Project, Meeting, Office, Person, f.TopicFactory._meta.model)

    # The session, the user, their own and their groups' permissions; the count of facts, the
    # facts of the page (with their records' names and states), their claims with sources.
    with django_assert_num_queries(7):
        response = editor_client.get(URL)
    assert len(response.context["facts"]) == 7 * count


# Choosing the preferred claim -------------------------------------------------------------


def test_an_editor_chooses_the_preferred_claim_of_a_draft(editor_client, signing):
    iom, web, press = signing["iom"], signing["web"], signing["press"]
    fact = {"record": iom, "field": "member_states"}
    new = Claim.objects.get(value="175")

    response = choose(editor_client, new, fact)

    assert messages_of(response) == [
        "“Member states” of “International Organization for Migration (IOM)”: the preferred claim is now "
        "“175” (MFA press release, Ministry of Foreign Affairs)."
    ]
    assert list(Claim.objects.filter(field="member_states").values_list("value", "preferred").order_by("value")) == [
        ("173", False),
        ("175", True),
    ]
    entry = LogEntry.objects.get()
    assert (entry.object_id, entry.change_message) == (
        str(iom.pk),
        "Preferred claim about “Member states”: “175” (MFA press release, Ministry of Foreign Affairs).",
    )
    assert web and press


def test_switching_back_and_clearing_the_preference(editor_client, signing):
    fact = {"record": signing["iom"], "field": "member_states"}
    old, new = Claim.objects.get(value="173"), Claim.objects.get(value="175")

    choose(editor_client, new, fact)
    choose(editor_client, old, fact)
    assert list(Claim.objects.filter(preferred=True)) == [old]

    response = choose(editor_client, None, fact)
    assert messages_of(response) == [
        "“Member states” of “International Organization for Migration (IOM)” has no preferred claim now."
    ]
    assert not Claim.objects.filter(preferred=True).exists()


def test_each_change_is_in_the_claims_history(editor_client, signing):
    fact = {"record": signing["iom"], "field": "member_states"}
    choose(editor_client, Claim.objects.get(value="175"), fact)
    changes = [
        (record.value, record.preferred, record.history_user is not None)
        for record in Claim.history.filter(history_type="~").order_by("history_id")
    ]
    assert changes == [("173", False, True), ("175", True, True)]


def test_an_editor_cannot_choose_for_a_published_record(editor_client, signing):
    fact = {"record": signing["agreement"], "field": "signed"}

    page = editor_client.get(URL)
    response = editor_client.post(URL, {**_post_data(fact, signing["first"]), "next": URL})

    assert response.status_code == 403
    assert not Claim.objects.filter(preferred=True, field="signed").exists()
    agreement_fact = page.context["facts"][0]
    assert agreement_fact.may_choose is False
    assert "only a Publisher can choose its preferred claim" in text(page)
    assert f'name="preferred" value="{signing["first"].pk}"' not in page.content.decode()


def _post_data(fact, claim):
    return {
        "content_type": ContentType.objects.get_for_model(type(fact["record"])).pk,
        "object_id": fact["record"].pk,
        "field": fact["field"],
        "preferred": claim.pk,
    }


def test_a_publisher_chooses_for_a_published_record(publisher_client, signing):
    fact = {"record": signing["agreement"], "field": "signed"}
    response = choose(publisher_client, signing["second"], fact)
    assert response.status_code == 200
    assert list(Claim.objects.filter(preferred=True, field="signed")) == [signing["second"]]


def test_staff_with_no_group_cannot_choose(signing):
    fact = {"record": signing["iom"], "field": "member_states"}
    response = client_for("staff").post(URL, _post_data(fact, Claim.objects.get(value="175")))
    assert response.status_code == 403
    assert Claim.objects.get(preferred=True).value == "173"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"preferred": ""}, "Choose one of the claims (or “No preferred claim”), then save."),
        ({"object_id": "abc"}, "Choose one of the claims (or “No preferred claim”), then save."),
        ({"content_type": "999999"}, "That fact is not one of a registry record."),
        ({"object_id": "999999"}, "The partner this fact is about no longer exists."),
        (
            {"field": "founded"},
            "“Founded” of “International Organization for Migration (IOM)” no longer has claims to choose from.",
        ),
        ({"preferred": "CLAIM_OF_ANOTHER_FACT"}, "That claim is no longer one of this fact's claims: choose again."),
    ],
)
def test_a_bad_choice_changes_nothing_and_says_why(editor_client, signing, change, message):
    fact = {"record": signing["iom"], "field": "member_states"}
    data = {**_post_data(fact, Claim.objects.get(value="175")), "next": f"{URL}?kind=partner", **change}
    if data["preferred"] == "CLAIM_OF_ANOTHER_FACT":
        data["preferred"] = signing["first"].pk

    response = editor_client.post(URL, data)

    assert (response.status_code, response.url) == (302, f"{URL}?kind=partner")
    assert messages_of(editor_client.get(URL)) == [message]
    assert Claim.objects.get(preferred=True).value == "173"
    assert not LogEntry.objects.exists()


def test_the_redirect_stays_on_this_site(editor_client, signing):
    fact = {"record": signing["iom"], "field": "member_states"}
    data = {**_post_data(fact, Claim.objects.get(value="175")), "next": "https://evil.example/"}
    response = editor_client.post(URL, data)
    assert response.url == URL


def test_the_database_keeps_one_preferred_claim_per_fact(signing):
    """The constraint the page relies on: ticking a second one without unticking fails."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(value="175").update(preferred=True)


# The panel on a record's change page -------------------------------------------------------


def test_a_records_change_page_shows_its_citations_and_conflicts(editor_client, signing):
    agreement = signing["agreement"]
    f.CitationFactory(content_object=agreement, source=signing["web"], locator="p. 2")
    f.CitationFactory(content_object=agreement, source=f.SourceFactory(title="Draft note", published=False), locator="")
    signing["second"].preferred = True
    signing["second"].save()

    response = editor_client.get(admin_url(Agreement, "change", agreement.pk))

    page = text(response)
    assert "Sources and conflicts" in page
    assert (
        "Sources cited Source Where in it Draft note, Ministry of Foreign Affairs (draft source) — "
        "IOM web page, Ministry of Foreign Affairs p. 2"
    ) in page
    assert (
        "Facts with more than one claim Fact What each source says "
        "Signed 8 December 1999 · IOM web page, Ministry of Foreign Affairs, §2 "
        "9 December 1999 — preferred · MFA press release, Ministry of Foreign Affairs"
    ) in page
    link = f"{URL}?kind=agreement&amp;record={agreement.pk}"
    assert f'<a href="{link}">Open this record’s facts in Discrepancies</a>' in response.content.decode()


def test_a_record_without_sources_says_so(editor_client):
    project = f.ProjectFactory(published=False)
    page = text(editor_client.get(admin_url(Project, "change", project.pk)))
    assert "This record cites no source yet." in page
    assert "No fact of this record has more than one claim." in page


@pytest.mark.parametrize(
    "template",
    [
        "admin/discrepancies/list.html",
        "admin/records/change_form.html",
        "admin/records/sources_panel.html",
        "admin/index.html",
        "includes/preview_banner.html",
    ],
)
def test_templates_have_no_inline_script_or_style(template):
    """The admin runs under a Content-Security-Policy without 'unsafe-inline'."""
    source = (Path(__file__).resolve().parent.parent.parent / "templates" / template).read_text()
    assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=", source), template
