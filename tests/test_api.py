"""The read-only JSON API at /api/: lists with the pages' filters, records by slug, strict
parameters (a 400 naming each bad one), published records only, a constant number of queries,
and a valid OpenAPI document with documentation pages that load nothing from other sites."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def slugs(response):
    return [row["slug"] for row in response.json()["results"]]


def page_slugs(response):
    return [record.slug for record in response.context["object_list"]]


# A small registry with a draft beside every published record and relation -------------------


@pytest.fixture
def world():
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    draft_topic = f.TopicFactory(slug="draft-topic", name="Draft topic", published=False)

    iom = f.PartnerFactory(slug="iom", name="International Organization for Migration", acronym="IOM")
    council = f.PartnerFactory(slug="iom-council", name="IOM Council", acronym="", kind="governing-body", parent=iom)
    turkiye = f.PartnerFactory(
        slug="turkiye", name="Republic of Türkiye", acronym="", kind="state", scope="bilateral", country="TR"
    )
    draft_partner = f.PartnerFactory(slug="draft-partner", name="Draft partner", acronym="DRAFT", published=False)
    f.PartnerFactory(slug="sub-body", name="Body of an unpublished partner", acronym="", parent=draft_partner)

    a1 = f.AgreementFactory(
        slug="iom-agreement",
        title="Agreement on Cooperation with IOM",
        short_title="IOM agreement",
        signed=PD(1999, 12, 8),
        signed_place="Baku",
        parties=[iom, draft_partner],
    )
    a1.topics.set([asylum, draft_topic])
    a2 = f.AgreementFactory(
        slug="turkiye-readmission",
        title="Readmission Agreement with Türkiye",
        kind="readmission-agreement",
        signed=PD(2005, 3),
        in_force=PD(2006),
        parties=[turkiye],
    )
    a2.topics.set([readmission])
    f.AgreementFactory(
        slug="undated-memorandum", title="Memorandum", kind="memorandum-of-understanding", signed=None, parties=[iom]
    )
    draft_agreement = f.AgreementFactory(
        slug="draft-agreement", title="Draft agreement", parties=[iom], published=False
    )
    draft_agreement.topics.set([asylum])

    p1 = f.ProjectFactory(
        slug="return-project",
        title="Voluntary Return",
        start=PD(2006),
        end=PD(2008),
        status="completed",
        topics=[asylum, draft_topic],
    )
    f.ProjectPartnerFactory(project=p1, partner=iom, role="implementing")
    f.ProjectPartnerFactory(project=p1, partner=iom, role="funding")
    f.ProjectPartnerFactory(project=p1, partner=draft_partner, role="beneficiary")
    p1.agreements.set([a1, draft_agreement])
    p2 = f.ProjectFactory(
        slug="border-project", title="Border Management", start=PD(2014, 3), status="ongoing", topics=[readmission]
    )
    f.ProjectPartnerFactory(project=p2, partner=turkiye, role="beneficiary")
    f.ProjectPartnerFactory(project=p2, partner=iom, role="implementing")
    f.ProjectFactory(slug="undated-project", title="Awareness Raising", start=None, status="unknown")
    draft_project = f.ProjectFactory(
        slug="draft-project", title="Draft project", start=PD(2007), published=False, topics=[asylum]
    )
    f.ProjectPartnerFactory(project=draft_project, partner=iom)

    person = f.PersonFactory(slug="director-general", name="Director General", other_names="D. G.\nDG")
    draft_person = f.PersonFactory(slug="draft-person", name="Draft person", published=False)
    f.PostFactory(person=person, organisation=iom, title="Director General", start=PD(2008, 10), end=PD(2018, 9))
    f.PostFactory(person=person, organisation=draft_partner, title="Draft adviser")
    f.PostFactory(person=draft_person, organisation=iom, title="Deputy")

    m1 = f.MeetingFactory(
        slug="geneva-visit",
        title="Visit to Geneva",
        kind="visit",
        start=PD(2016, 12, 5),
        end=PD(2016, 12, 6),
        partners=[iom, draft_partner],
    )
    m1.participants.set([person, draft_person])
    m1.agreements.set([a1, draft_agreement])
    m1.projects.set([p1, draft_project])
    f.MeetingFactory(
        slug="ankara-talks", title="Talks in Ankara", start=PD(2005, 3), city="Ankara", country="TR", partners=[turkiye]
    )
    f.MeetingFactory(
        slug="council-session",
        title="Council session",
        kind="governing-body-session",
        start=None,
        city="",
        country="",
        partners=[council],
    )
    f.MeetingFactory(slug="draft-meeting", title="Draft meeting", partners=[iom], published=False)

    f.OfficeFactory(slug="iom-baku", name="IOM Baku", partner=iom, kind="country-office", opened=PD(1996))
    f.OfficeFactory(slug="iom-nakhchivan", name="IOM Nakhchivan", partner=iom, city="Nakhchivan", opened=PD(1998))
    f.OfficeFactory(
        slug="ankara-office",
        name="Ankara office",
        partner=turkiye,
        kind="representation",
        city="Ankara",
        country="TR",
        opened=PD(2010),
        closed=PD(2012),
    )
    f.OfficeFactory(slug="orphan-office", name="Office of an unpublished partner", partner=draft_partner)
    f.OfficeFactory(slug="draft-office", name="Draft office", partner=iom, published=False)

    s1 = f.SourceFactory(slug="iom-web-page", title="IOM web page", date=PD(2010), url="https://example.org/iom")
    s2 = f.SourceFactory(slug="mfa-press-release", title="MFA press release", kind="press-release", date=PD(2016, 12))
    draft_source = f.SourceFactory(slug="draft-source", title="Draft source", published=False)
    f.CitationFactory(source=s1, content_object=iom, locator="paragraph 1")
    f.CitationFactory(source=draft_source, content_object=iom, locator="")
    f.CitationFactory(source=s1, content_object=a1, locator="p. 2")
    f.CitationFactory(source=s2, content_object=a1, locator="")
    f.CitationFactory(source=s1, content_object=draft_agreement, locator="")
    f.ClaimFactory(content_object=a1, field="signed", value="8 December 1999", source=s1, preferred=True)
    f.ClaimFactory(content_object=a1, field="signed", value="9 December 1999", source=s2, note="A day late.")
    f.ClaimFactory(content_object=a1, field="signed", value="7 December 1999", source=draft_source)
    return locals()


PUBLISHED = {
    "partners": ["iom", "iom-council", "turkiye", "sub-body"],
    "agreements": ["iom-agreement", "turkiye-readmission", "undated-memorandum"],
    "projects": ["return-project", "border-project", "undated-project"],
    "meetings": ["geneva-visit", "ankara-talks", "council-session"],
    "offices": ["iom-baku", "iom-nakhchivan", "ankara-office"],
    "people": ["director-general"],
    "topics": ["asylum", "readmission"],
    "sources": ["iom-web-page", "mfa-press-release"],
}
DRAFTS = {
    "partners": "draft-partner",
    "agreements": "draft-agreement",
    "projects": "draft-project",
    "meetings": "draft-meeting",
    "offices": "draft-office",
    "people": "draft-person",
    "topics": "draft-topic",
    "sources": "draft-source",
}


# The root ----------------------------------------------------------------------------------


def test_root_lists_every_endpoint_and_the_documents(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response.json() == {
        **{kind: f"{HOST}/api/{kind}/" for kind in PUBLISHED},
        "schema": f"{HOST}/api/schema/",
        "docs": f"{HOST}/api/docs/",
    }


# Lists are the pages' lists ----------------------------------------------------------------

PAGE_QUERIES = [
    ("partners", "/partners/", ""),
    ("partners", "/partners/", "kind=state"),
    ("partners", "/partners/", "kind=state&kind=international-organisation"),
    ("partners", "/partners/", "scope=multilateral&sort=newest"),
    ("partners", "/partners/", "q=organization"),
    ("partners", "/partners/", "q=turkiye"),
    ("agreements", "/agreements/", ""),
    ("agreements", "/agreements/", "partner=iom"),
    ("agreements", "/agreements/", "partner=iom&partner=turkiye&sort=oldest"),
    ("agreements", "/agreements/", "topic=asylum"),
    ("agreements", "/agreements/", "kind=readmission-agreement&status=in-force"),
    ("agreements", "/agreements/", "year=1999&year=2005"),
    ("agreements", "/agreements/", "status=unknown&sort=title"),
    ("projects", "/projects/", ""),
    ("projects", "/projects/", "topic=asylum&topic=readmission"),
    ("projects", "/projects/", "partner=iom&status=completed"),
    ("projects", "/projects/", "year=2007"),
    ("projects", "/projects/", "year=2015&sort=oldest"),
    ("projects", "/projects/", "partner=turkiye&topic=readmission&year=2020&sort=title"),
    ("meetings", "/meetings/", ""),
    ("meetings", "/meetings/", "partner=iom"),
    ("meetings", "/meetings/", "kind=visit&kind=bilateral-meeting"),
    ("meetings", "/meetings/", "year=2016&sort=oldest"),
    ("meetings", "/meetings/", "partner=iom-council&sort=title"),
    ("offices", "/offices/", ""),
    ("offices", "/offices/", "partner=iom"),
    ("offices", "/offices/", "country=az"),
    ("offices", "/offices/", "country=TR&kind=representation&sort=newest"),
    ("offices", "/offices/", "partner=iom&partner=turkiye&sort=name"),
]


def facet_counts(facets):
    return [
        (facet.name, [(option.value, option.label, option.count, option.selected) for option in facet.visible_options])
        for facet in facets
    ]


def api_facet_counts(data):
    return [
        (facet["name"], [(o["value"], o["label"], o["count"], o["selected"]) for o in facet["options"]])
        for facet in data["facets"]
    ]


@pytest.mark.parametrize(("kind", "page_path", "query"), PAGE_QUERIES)
def test_list_has_the_rows_order_and_facets_of_its_page(client, world, kind, page_path, query):
    page = client.get(f"{page_path}?{query}")
    api = client.get(f"/api/{kind}/?{query}")

    assert page.status_code == api.status_code == 200
    assert page.context["notices"] == []
    assert slugs(api) == page_slugs(page)
    assert api.json()["count"] == page.context["result_count"]
    assert api_facet_counts(api.json()) == facet_counts(page.context["facets"])


def test_filters_narrow_the_lists(client, world):
    """The lists above are not all the same list: the filters do what they say."""
    assert slugs(client.get("/api/agreements/")) == ["turkiye-readmission", "iom-agreement", "undated-memorandum"]
    assert slugs(client.get("/api/agreements/?partner=iom")) == ["iom-agreement", "undated-memorandum"]
    assert slugs(client.get("/api/agreements/?year=1999&year=2005")) == ["turkiye-readmission", "iom-agreement"]
    assert slugs(client.get("/api/projects/?year=2007")) == ["return-project"]
    assert slugs(client.get("/api/projects/?topic=asylum&topic=readmission")) == ["border-project", "return-project"]
    assert slugs(client.get("/api/meetings/?partner=iom")) == ["geneva-visit"]
    assert slugs(client.get("/api/offices/?country=az")) == ["iom-baku", "iom-nakhchivan"]
    assert slugs(client.get("/api/partners/?q=turkiye")) == ["turkiye"]


def test_lists_without_a_page_filter_and_sort(client, world):
    assert slugs(client.get("/api/people/")) == ["director-general"]
    assert slugs(client.get("/api/people/?q=dg")) == ["director-general"]
    assert slugs(client.get("/api/people/?q=nobody")) == []
    assert slugs(client.get("/api/topics/")) == ["asylum", "readmission"]
    assert slugs(client.get("/api/sources/")) == ["mfa-press-release", "iom-web-page"]
    assert slugs(client.get("/api/sources/?sort=oldest")) == ["iom-web-page", "mfa-press-release"]
    assert slugs(client.get("/api/sources/?kind=press-release")) == ["mfa-press-release"]
    assert slugs(client.get("/api/sources/?year=2010&q=iom")) == ["iom-web-page"]


def test_list_response_has_count_links_results_and_facets(client, world):
    data = client.get("/api/projects/?topic=asylum").json()
    assert list(data) == ["count", "next", "previous", "results", "facets"]
    assert (data["count"], data["next"], data["previous"]) == (1, None, None)
    topic_facet = next(facet for facet in data["facets"] if facet["name"] == "topic")
    assert topic_facet == {
        "name": "topic",
        "label": "Topic",
        "options": [
            {"value": "asylum", "label": "Asylum", "count": 1, "selected": True},
            {"value": "readmission", "label": "Readmission", "count": 1, "selected": False},
        ],
    }


# Pagination --------------------------------------------------------------------------------


def test_pages_of_25_with_next_and_previous_links_like_the_page(client):
    for number in range(30):
        f.PartnerFactory(slug=f"state-{number:02d}", name=f"State {number:02d}", kind="state")
    f.PartnerFactory(slug="other", name="Other body", kind="other")

    first = client.get("/api/partners/?kind=state")
    assert first.json()["count"] == 30
    assert slugs(first) == [f"state-{number:02d}" for number in range(25)]
    assert first.json()["previous"] is None
    assert first.json()["next"] == f"{HOST}/api/partners/?kind=state&page=2"

    second = client.get(first.json()["next"])
    assert slugs(second) == [f"state-{number:02d}" for number in range(25, 30)]
    assert slugs(second) == page_slugs(client.get("/partners/?kind=state&page=2"))
    assert second.json()["next"] is None
    assert second.json()["previous"] == f"{HOST}/api/partners/?kind=state"


# Records -----------------------------------------------------------------------------------


def test_agreement_record(client, world):
    response = client.get("/api/agreements/iom-agreement/")
    assert response.status_code == 200
    iom = {
        "slug": "iom",
        "name": "International Organization for Migration",
        "acronym": "IOM",
        "url": f"{HOST}/partners/iom/",
        "api_url": f"{HOST}/api/partners/iom/",
    }

    def source(slug, title, date):
        return {
            "slug": slug,
            "title": title,
            "publisher": "Ministry of Foreign Affairs",
            "date": date,
            "url": f"{HOST}/sources/{slug}/",
            "api_url": f"{HOST}/api/sources/{slug}/",
        }

    web_page = source("iom-web-page", "IOM web page", {"text": "2010", "iso": "2010", "precision": "year"})
    press_release = source(
        "mfa-press-release", "MFA press release", {"text": "December 2016", "iso": "2016-12", "precision": "month"}
    )
    assert response.json() == {
        "slug": "iom-agreement",
        "title": "Agreement on Cooperation with IOM",
        "short_title": "IOM agreement",
        "kind": "cooperation-agreement",
        "kind_label": "Cooperation agreement",
        "status": "signed",
        "status_label": "Signed",
        "signed": {"text": "8 December 1999", "iso": "1999-12-08", "precision": "day"},
        "signed_place": "Baku",
        "ratified": None,
        "in_force": None,
        "ended": None,
        "parties": [iom],
        "url": f"{HOST}/agreements/iom-agreement/",
        "api_url": f"{HOST}/api/agreements/iom-agreement/",
        "topics": [
            {
                "slug": "asylum",
                "name": "Asylum",
                "url": f"{HOST}/topics/asylum/",
                "api_url": f"{HOST}/api/topics/asylum/",
            }
        ],
        "legal_notes": "",
        "description": "",
        "projects": [
            {
                "slug": "return-project",
                "title": "Voluntary Return",
                "short_title": "",
                "phase": "",
                "status": "completed",
                "status_label": "Completed",
                "start": {"text": "2006", "iso": "2006", "precision": "year"},
                "end": {"text": "2008", "iso": "2008", "precision": "year"},
                "url": f"{HOST}/projects/return-project/",
                "api_url": f"{HOST}/api/projects/return-project/",
            }
        ],
        "meetings": [
            {
                "slug": "geneva-visit",
                "title": "Visit to Geneva",
                "kind": "visit",
                "kind_label": "Visit",
                "start": {"text": "5 December 2016", "iso": "2016-12-05", "precision": "day"},
                "end": {"text": "6 December 2016", "iso": "2016-12-06", "precision": "day"},
                "url": f"{HOST}/meetings/geneva-visit/",
                "api_url": f"{HOST}/api/meetings/geneva-visit/",
            }
        ],
        "citations": [
            {"source": web_page, "locator": "p. 2"},
            {"source": press_release, "locator": ""},
        ],
        "claims": [
            {
                "field": "signed",
                "field_label": "Signed",
                "value": "8 December 1999",
                "source": web_page,
                "locator": "",
                "preferred": True,
                "note": "",
            },
            {
                "field": "signed",
                "field_label": "Signed",
                "value": "9 December 1999",
                "source": press_release,
                "locator": "",
                "preferred": False,
                "note": "A day late.",
            },
        ],
    }


def test_project_record_has_partners_with_their_roles(client, world):
    data = client.get("/api/projects/return-project/").json()
    assert [(entry["partner"]["slug"], entry["roles"]) for entry in data["partners"]] == [
        (
            "iom",
            [
                {"role": "implementing", "role_label": "Implementing"},
                {"role": "funding", "role_label": "Funding"},
            ],
        )
    ]
    assert [topic["slug"] for topic in data["topics"]] == ["asylum"]
    assert [agreement["slug"] for agreement in data["agreements"]] == ["iom-agreement"]
    assert data["dates"] == "2006–2008"

    listed = client.get("/api/projects/?topic=asylum").json()["results"][0]
    assert listed["partners"] == data["partners"]
    assert "agreements" not in listed and "citations" not in listed


def test_partner_record(client, world):
    data = client.get("/api/partners/iom/").json()
    assert data["children"] == [
        {
            "slug": "iom-council",
            "name": "IOM Council",
            "acronym": "",
            "url": f"{HOST}/partners/iom-council/",
            "api_url": f"{HOST}/api/partners/iom-council/",
        }
    ]
    assert [office["slug"] for office in data["offices"]] == ["iom-baku", "iom-nakhchivan"]
    assert data["offices"][0]["country"] == {"code": "AZ", "name": "Azerbaijan"}
    assert [agreement["slug"] for agreement in data["agreements"]] == ["iom-agreement", "undated-memorandum"]
    assert [(row["project"]["slug"], [role["role"] for role in row["roles"]]) for row in data["projects"]] == [
        ("border-project", ["implementing"]),
        ("return-project", ["implementing", "funding"]),
    ]
    assert [meeting["slug"] for meeting in data["meetings"]] == ["geneva-visit"]
    assert data["officials"] == [
        {
            "person": {
                "slug": "director-general",
                "name": "Director General",
                "url": f"{HOST}/people/director-general/",
                "api_url": f"{HOST}/api/people/director-general/",
            },
            "title": "Director General",
            "start": {"text": "October 2008", "iso": "2008-10", "precision": "month"},
            "end": {"text": "September 2018", "iso": "2018-09", "precision": "month"},
            "note": "",
        }
    ]
    assert data["citations"] == [
        {
            "source": {
                "slug": "iom-web-page",
                "title": "IOM web page",
                "publisher": "Ministry of Foreign Affairs",
                "date": {"text": "2010", "iso": "2010", "precision": "year"},
                "url": f"{HOST}/sources/iom-web-page/",
                "api_url": f"{HOST}/api/sources/iom-web-page/",
            },
            "locator": "paragraph 1",
        }
    ]
    assert data["parent"] is None and data["country"] is None
    assert client.get("/api/partners/iom-council/").json()["parent"]["slug"] == "iom"
    assert client.get("/api/partners/turkiye/").json()["country"] == {"code": "TR", "name": "Türkiye"}


def test_meeting_office_person_topic_and_source_records(client, world):
    meeting = client.get("/api/meetings/geneva-visit/").json()
    assert meeting["dates"] == "5–6 December 2016"
    assert meeting["country"] == {"code": "CH", "name": "Switzerland"}
    assert [p["slug"] for p in meeting["partners"]] == ["iom"]
    assert [p["slug"] for p in meeting["participants"]] == ["director-general"]
    assert [a["slug"] for a in meeting["agreements"]] == ["iom-agreement"]
    assert [p["slug"] for p in meeting["projects"]] == ["return-project"]
    assert client.get("/api/meetings/council-session/").json()["start"] is None
    assert client.get("/api/meetings/council-session/").json()["country"] is None

    office = client.get("/api/offices/iom-baku/").json()
    assert (office["kind"], office["kind_label"], office["partner"]["slug"]) == (
        "country-office",
        "Country office",
        "iom",
    )
    assert [other["slug"] for other in office["other_offices"]] == ["iom-nakhchivan"]

    person = client.get("/api/people/director-general/").json()
    assert person["other_names"] == ["D. G.", "DG"]
    assert [(post["title"], post["organisation"]["slug"]) for post in person["posts"]] == [("Director General", "iom")]
    assert [m["slug"] for m in person["meetings"]] == ["geneva-visit"]

    topic = client.get("/api/topics/asylum/").json()
    assert [p["slug"] for p in topic["projects"]] == ["return-project"]
    assert [a["slug"] for a in topic["agreements"]] == ["iom-agreement"]
    assert [p["slug"] for p in topic["partners"]] == ["iom"]

    source = client.get("/api/sources/iom-web-page/").json()
    assert source["document_url"] == "https://example.org/iom"
    assert source["file_url"] is None
    assert {kind: [record["slug"] for record in records] for kind, records in source["cited_by"].items()} == {
        "partners": ["iom"],
        "agreements": ["iom-agreement"],
        "projects": [],
        "meetings": [],
        "offices": [],
        "people": [],
        "topics": [],
    }


@pytest.mark.parametrize("kind", list(PUBLISHED))
def test_every_record_has_its_slug_page_and_api_address(client, world, kind):
    for slug in PUBLISHED[kind]:
        data = client.get(f"/api/{kind}/{slug}/").json()
        assert data["slug"] == slug
        assert data["api_url"] == f"{HOST}/api/{kind}/{slug}/"
        assert data["url"] == f"{HOST}/{kind}/{slug}/"
        assert client.get(data["url"]).status_code == 200 or kind in {"people", "topics", "sources"}


@pytest.mark.parametrize("kind", list(PUBLISHED))
def test_unknown_and_draft_records_are_404(client, world, kind):
    for slug in ["no-such-record", DRAFTS[kind]]:
        response = client.get(f"/api/{kind}/{slug}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"].startswith("There is no published ")


# Drafts appear nowhere ---------------------------------------------------------------------


def test_drafts_and_draft_relations_appear_in_no_list_or_record(client, world):
    responses = []
    for kind, published in PUBLISHED.items():
        listed = client.get(f"/api/{kind}/")
        assert sorted(slugs(listed)) == sorted(published)
        responses.append(listed)
        responses += [client.get(f"/api/{kind}/{slug}/") for slug in published]
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode().lower()
        assert "draft" not in text, (response.wsgi_request.path, re.findall(r".{60}draft.{60}", text))
    # An office of an unpublished partner is not public either, on the site or in the API.
    assert client.get("/offices/orphan-office/").status_code == 404
    assert client.get("/api/offices/orphan-office/").status_code == 404


def test_a_draft_is_an_unknown_filter_value(client, world):
    response = client.get("/api/agreements/?partner=draft-partner&topic=draft-topic")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "partner": ["There is no partner “draft-partner”."],
            "topic": ["There is no topic “draft-topic”."],
        }
    }


def test_records_have_no_staff_only_fields(client, world):
    for kind in PUBLISHED:
        listed = client.get(f"/api/{kind}/").json()["results"][0]
        record = client.get(listed["api_url"]).json()
        for data in (listed, record):
            assert not {"published", "created_at", "updated_at", "id", "pk"} & set(data)


# Strict parameters -------------------------------------------------------------------------

KINDS = "cooperation-agreement, memorandum-of-understanding, readmission-agreement, visa-facilitation-agreement, "
KINDS += "joint-declaration, accession, action-plan, multilateral-agreement, other"


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        ("/api/agreements/?year=abc", {"year": ["“abc” is not a year between 1000 and 9999."]}),
        ("/api/agreements/?year=2006&year=99", {"year": ["“99” is not a year between 1000 and 9999."]}),
        ("/api/agreements/?partner=nobody", {"partner": ["There is no partner “nobody”."]}),
        ("/api/agreements/?kind=treaty", {"kind": [f"“treaty” is not a kind of agreement (use one of: {KINDS})."]}),
        (
            "/api/projects/?sort=best",
            {"sort": ["“best” is not a way to sort this list (use one of: newest, oldest, title)."]},
        ),
        ("/api/projects/?page=abc", {"page": ["“abc” is not a page number."]}),
        ("/api/projects/?page=0", {"page": ["There is no page 0; the last is 1."]}),
        ("/api/projects/?page=9999", {"page": ["There is no page 9999; the last is 1."]}),
        ("/api/offices/?country=xx", {"country": ["“xx” is not a country code (use one of: af, ax, al, dz, as, ad, "]}),
        (
            "/api/meetings/?colour=red&Year=2006",
            {
                "colour": ["“colour” is not a parameter of this list (use: kind, page, partner, sort, year)."],
                "Year": ["“Year” is not a parameter of this list (use: kind, page, partner, sort, year)."],
            },
        ),
        (
            "/api/partners/?kind=planet&sort=age&page=2&q=x",
            {
                "kind": ["“planet” is not a kind of partner (use one of: international-organisation, governing-body, "],
                "sort": ["“age” is not a way to sort this list (use one of: name, newest)."],
            },
        ),
        ("/api/projects/?" + "&".join(f"year={2000 + n}" for n in range(21)), {"year": ["Give at most 20 values"]}),
        ("/api/partners/?q=a%00b", {"q": ["q: Null characters are not allowed."]}),
        ("/api/projects/?format=csv", {"format": ["“csv” is not a format of this API; it answers in JSON."]}),
        ("/api/partners/iom/?year=2006", {"year": ["“year” is not a parameter of this record; it takes none."]}),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, world, url, errors):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["errors"]
    assert set(body["errors"]) == set(errors)
    for name, messages in errors.items():
        assert len(body["errors"][name]) == len(messages)
        for message, expected in zip(body["errors"][name], messages, strict=True):
            assert message.startswith(expected)


@pytest.mark.parametrize(
    ("page_path", "query"),
    [
        ("/agreements/", "year=abc&partner=nobody&kind=treaty&sort=best"),
        ("/projects/", "topic=nothing&status=dreaming&year=10000&colour=red"),
        ("/meetings/", "partner=draft-partner&page=abc"),
        ("/offices/", "country=xx&kind=&page=x"),
        ("/offices/", "page=9999"),
        ("/partners/", "scope=cosmic&sort=age"),
    ],
)
def test_the_api_refuses_the_parameters_the_page_ignores(client, world, page_path, query):
    page = client.get(f"{page_path}?{query}")
    api = client.get(f"/api{page_path}?{query}")
    assert page.status_code == 200
    assert api.status_code == 400
    assert set(api.json()["errors"]) == {notice.param for notice in page.context["notices"]}


def test_empty_values_and_format_json_are_accepted(client, world):
    assert slugs(client.get("/api/agreements/?year=&partner=&sort=&page=&format=json")) == slugs(
        client.get("/api/agreements/")
    )
    assert client.get("/api/partners/iom/?format=json").status_code == 200


# Read-only ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/agreements/", "/api/agreements/iom-agreement/", "/api/"])
def test_only_get_head_and_options_are_allowed(client, world, path):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(path, data=json.dumps({"title": "x"}), content_type="application/json")
        assert response.status_code == 405, method
    assert client.head(path).status_code == 200
    options = client.options(path)
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS"


def test_writes_change_nothing(client, world):
    client.delete("/api/agreements/iom-agreement/")
    assert client.get("/api/agreements/iom-agreement/").status_code == 200


# A constant number of queries --------------------------------------------------------------


def populate(rows):
    """``rows`` records of each kind around one partner, topic, person and source (the hubs),
    each with published and draft relations."""
    hub = f.PartnerFactory(slug="hub")
    draft = f.PartnerFactory(published=False)
    topic = f.TopicFactory(slug="hub-topic")
    source = f.SourceFactory(slug="hub-source", date=PD(2001))
    person = f.PersonFactory(slug="hub-person")
    for number in range(rows):
        partner = f.PartnerFactory(parent=hub, country="AZ")
        agreement = f.AgreementFactory(slug=f"agreement-{number:03d}", parties=[hub, partner, draft])
        agreement.topics.set([topic])
        project = f.ProjectFactory(slug=f"project-{number:03d}", topics=[topic])
        f.ProjectPartnerFactory(project=project, partner=hub)
        f.ProjectPartnerFactory(project=project, partner=partner, role="funding")
        f.ProjectPartnerFactory(project=project, partner=draft, role="beneficiary")
        project.agreements.set([agreement])
        meeting = f.MeetingFactory(slug=f"meeting-{number:03d}", partners=[hub, partner, draft])
        meeting.participants.set([person])
        meeting.agreements.set([agreement])
        meeting.projects.set([project])
        f.OfficeFactory(slug=f"office-{number:03d}", partner=hub)
        f.PostFactory(person=person, organisation=hub, title=f"Post {number}")
        f.PersonFactory()
        f.TopicFactory()
        f.SourceFactory(date=PD(2002))
        for record in (hub, agreement, project, meeting, person, topic):
            f.CitationFactory(source=source, content_object=record, locator=f"p. {number}")
        f.ClaimFactory(content_object=agreement, source=source)


LIST_QUERIES = [
    # count, rows, the list's own prefetches, one facet query per filter
    ("/api/partners/", 2 + 2),
    ("/api/partners/?kind=state&kind=international-organisation&q=partner", 2 + 2),
    ("/api/agreements/", 2 + 1 + 5),
    ("/api/agreements/?partner=hub&topic=hub-topic&year=1999&sort=title", 2 + 2 + 1 + 5),  # + resolving the slugs
    ("/api/projects/", 2 + 2 + 4),
    ("/api/projects/?partner=hub&year=2014", 2 + 1 + 2 + 4),
    ("/api/meetings/", 2 + 1 + 3),
    ("/api/offices/", 2 + 3),
    ("/api/people/", 2),
    ("/api/topics/", 2),
    ("/api/sources/", 2 + 2),
]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("url", "queries"), LIST_QUERIES)
def test_list_query_count_is_constant(client, django_assert_num_queries, rows, url, queries):
    populate(rows)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(rows, 1)


DETAIL_QUERIES = [
    # the record, then its selector's queries: the big relations are the latest 25 of each,
    # counted in one more query (cached until the data changes; these are first requests)
    ("/api/partners/hub/", 1 + 9),
    ("/api/agreements/agreement-000/", 1 + 7),
    ("/api/projects/project-000/", 1 + 7),
    ("/api/meetings/meeting-000/", 1 + 6),
    ("/api/offices/office-000/", 1 + 4),
    ("/api/people/hub-person/", 1 + 5),
    ("/api/topics/hub-topic/", 1 + 7),
    ("/api/sources/hub-source/", 1 + 1 + 7),  # the numbers, then one query per kind of record that may cite it
]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("url", "queries"), DETAIL_QUERIES)
def test_record_query_count_is_constant(client, django_assert_num_queries, rows, url, queries):
    populate(rows)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


# The OpenAPI document and its documentation ------------------------------------------------


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_a_valid_openapi_3_document(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == sorted(
        ["/api/"] + [f"/api/{kind}/" for kind in PUBLISHED] + [f"/api/{kind}/{{slug}}/" for kind in PUBLISHED]
    )
    for operations in schema["paths"].values():
        assert list(operations) == ["get"]


def test_schema_yaml_is_served_by_default(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def test_schema_generation_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


@pytest.mark.parametrize(
    ("kind", "filters"),
    [
        ("partners", ["kind", "scope", "q"]),
        ("agreements", ["partner", "topic", "kind", "status", "year"]),
        ("projects", ["topic", "partner", "status", "year"]),
        ("meetings", ["partner", "kind", "year"]),
        ("offices", ["partner", "country", "kind"]),
        ("people", ["q"]),
        ("topics", ["q"]),
        ("sources", ["kind", "year", "q"]),
    ],
)
def test_schema_documents_every_filter_of_every_list(schema, kind, filters):
    parameters = {p["name"]: p for p in schema["paths"][f"/api/{kind}/"]["get"]["parameters"]}
    assert set(parameters) == {*filters, "page", "sort"}
    for name in filters:
        assert parameters[name]["description"]
        if name != "q":
            assert parameters[name]["schema"]["type"] == "array"
            assert (parameters[name]["style"], parameters[name]["explode"]) == ("form", True)
    assert "400" in schema["paths"][f"/api/{kind}/"]["get"]["responses"]
    assert "404" in schema["paths"][f"/api/{kind}/{{slug}}/"]["get"]["responses"]


def test_schema_gives_the_choices_of_fixed_filters_and_sorts(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/meetings/"]["get"]["parameters"]}
    assert "visit" in parameters["kind"]["schema"]["items"]["enum"]
    assert parameters["year"]["schema"]["items"] == {"type": "integer", "minimum": 1000, "maximum": 9999}
    assert parameters["sort"]["schema"]["enum"] == ["newest", "oldest", "title"]
    assert parameters["sort"]["schema"]["default"] == "newest"


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in {"src", "href"} and value]


def test_documentation_page_loads_only_local_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    parser = _Resources()
    parser.feed(html)
    assert parser.urls
    assert all(url.startswith("/") and not url.startswith("//") for url in parser.urls), parser.urls
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert "/api/schema/" in html
    for url in parser.urls:
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


def test_people_and_topics_q_folds_case_and_accents_like_the_partner_list(client):
    f.PersonFactory(name="António Vitorino")
    f.TopicFactory(name="Migrants’ rights")
    assert [row["name"] for row in client.get("/api/people/?q=ANTONIO").json()["results"]] == ["António Vitorino"]
    assert [row["name"] for row in client.get("/api/topics/?q=migrants").json()["results"]] == ["Migrants’ rights"]
