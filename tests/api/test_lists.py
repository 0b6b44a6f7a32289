"""The API's lists (cooperation/api/): the list pages' rows, order, facets and pages as JSON, and
strict parameters (a 400 naming each bad one where the page would drop it with a notice)."""

from decimal import Decimal

import pytest

from cooperation.models import Project
from tests import factories as f
from tests.helpers.api import HOST, slugs

pytestmark = pytest.mark.django_db


def page_slugs(response):
    return [record.slug for record in response.context["object_list"]]


# Lists are the pages' lists -------------------------------------------------------------------


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
    ("agreements", "/agreements/", "in_force=2006"),
    ("agreements", "/agreements/", "in_force=2006&in_force=2007&kind=readmission-agreement"),
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
    ("offices", "/offices/", "opened=1998"),
    ("offices", "/offices/", "opened=1996&opened=1998&partner=iom&sort=newest"),
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
    assert slugs(client.get("/api/offices/?opened=1998")) == ["iom-nakhchivan"]
    assert slugs(client.get("/api/agreements/?in_force=2006")) == ["turkiye-readmission"]
    assert slugs(client.get("/api/agreements/?ratified=2006")) == []
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


def test_people_and_topics_q_folds_case_and_accents_like_the_partner_list(client):
    f.PersonFactory(name="António Vitorino")
    f.TopicFactory(name="Migrants’ rights")
    assert [row["name"] for row in client.get("/api/people/?q=ANTONIO").json()["results"]] == ["António Vitorino"]
    assert [row["name"] for row in client.get("/api/topics/?q=migrants").json()["results"]] == ["Migrants’ rights"]


# Pagination -----------------------------------------------------------------------------------


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


# Strict parameters ----------------------------------------------------------------------------


KINDS = "cooperation-agreement, memorandum-of-understanding, readmission-agreement, visa-facilitation-agreement, "
KINDS += "joint-declaration, accession, action-plan, multilateral-agreement, other"


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        ("/api/agreements/?year=abc", {"year": ["“abc” is not a year between 1000 and 9999."]}),
        ("/api/agreements/?year=2006&year=99", {"year": ["“99” is not a year between 1000 and 9999."]}),
        ("/api/agreements/?in_force=abc&partner=iom", {"in_force": ["“abc” is not a year between 1000 and 9999."]}),
        ("/api/offices/?closed=2006&opened=x", {"opened": ["“x” is not a year between 1000 and 9999."]}),
        ("/api/agreements/?partner=nobody", {"partner": ["There is no partner “nobody”."]}),
        ("/api/agreements/?kind=treaty", {"kind": [f"“treaty” is not a kind of agreement (use one of: {KINDS})."]}),
        (
            "/api/projects/?sort=best",
            {"sort": ["“best” is not a way to sort this list (use one of: newest, oldest, title, budget)."]},
        ),
        ("/api/projects/?page=abc", {"page": ["“abc” is not a page number."]}),
        ("/api/projects/?page=0", {"page": ["There is no page 0; the last is 1."]}),
        ("/api/projects/?page=9999", {"page": ["There is no page 9999; the last is 1."]}),
        ("/api/offices/?country=xx", {"country": ["“xx” is not a country code (use one of: af, ax, al, dz, as, ad, "]}),
        (
            "/api/meetings/?colour=red&Year=2006",
            {
                "colour": ["“colour” is not a parameter of this list (use: kind, page, partner, place, sort, year)."],
                "Year": ["“Year” is not a parameter of this list (use: kind, page, partner, place, sort, year)."],
            },
        ),
        (
            "/api/partners/?kind=planet&sort=age&page=2&q=x",
            {
                "kind": ["“planet” is not a kind of partner (use one of: international-organisation, governing-body, "],
                "sort": ["“age” is not a way to sort this list (use one of: name, newest, records)."],
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


def test_projects_by_currency_and_largest_budget_first_as_on_the_page(client, world):
    for slug, amount, currency in [("return-project", "500", "EUR"), ("border-project", "800", "EUR")]:
        f.BudgetFactory(project=Project.objects.get(slug=slug), amount=Decimal(amount), currency=currency)
    f.TransactionTotalFactory(project=Project.objects.get(slug="return-project"), currency="USD")
    query = "currency=eur&sort=budget"
    api, page = client.get(f"/api/projects/?{query}"), client.get(f"/projects/?{query}")
    assert slugs(api) == page_slugs(page) == ["border-project", "return-project"]
    assert api_facet_counts(api.json()) == facet_counts(page.context["facets"])
    assert "currency" not in [facet["name"] for facet in api.json()["facets"]]
    assert slugs(client.get("/api/projects/?currency=USD")) == ["return-project"]
    errors = {
        "sort=budget": {
            "sort": [
                "Sorting by the largest budget needs one currency: choose it under “Currency” (amounts in different "
                "currencies are never added up)."
            ]
        },
        "currency=GBP": {"currency": ["No project has budgets or transactions in GBP; they are in EUR, USD."]},
        "currency=euros": {"currency": ["“euros” is not a currency: give its ISO 4217 code, such as EUR or USD."]},
        "currency=EUR&currency=USD": {"currency": ["This filter takes one value, not 2."]},
    }
    for query, expected in errors.items():
        response = client.get(f"/api/projects/?{query}")
        assert (response.status_code, response.json()) == (400, {"errors": expected}), query


def test_empty_values_and_format_json_are_accepted(client, world):
    assert slugs(client.get("/api/agreements/?year=&partner=&sort=&page=&format=json")) == slugs(
        client.get("/api/agreements/")
    )
    assert client.get("/api/partners/iom/?format=json").status_code == 200
