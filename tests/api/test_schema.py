"""The API's root, its OpenAPI document (drf-spectacular), valid and naming every filter, and the
documentation pages, which load nothing from other sites."""

import json
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from tests.helpers.api import HOST, PUBLISHED

pytestmark = pytest.mark.django_db

# The root -------------------------------------------------------------------------------------


def test_root_lists_every_endpoint_and_the_documents(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response.json() == {
        **{kind: f"{HOST}/api/{kind}/" for kind in PUBLISHED},
        "schema": f"{HOST}/api/schema/",
        "docs": f"{HOST}/api/docs/",
    }


# The OpenAPI document and its documentation ---------------------------------------------------


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
        ("agreements", ["partner", "topic", "kind", "status", "year", "ratified", "in_force", "ended", "place"]),
        ("projects", ["topic", "partner", "status", "year", "currency"]),
        ("meetings", ["partner", "kind", "year", "place"]),
        ("offices", ["partner", "country", "kind", "place", "opened", "closed"]),
        ("people", ["partner", "post", "q"]),
        ("topics", ["has", "q"]),
        ("sources", ["kind", "publisher", "language", "year", "q"]),
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


def test_schema_declares_each_error_an_operation_gives(schema):
    detail = {"$ref": "#/components/schemas/ErrorDetail"}
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        unavailable = responses["503"]
        assert unavailable["content"]["application/json"]["schema"] == detail, path
        assert unavailable["headers"]["Retry-After"]["schema"] == {"type": "integer"}, path
        if path != "/api/":
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/QueryErrors"
            }
        if path.endswith("/{slug}/"):
            assert responses["404"]["content"]["application/json"]["schema"] == detail, path
    assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]


def test_schema_says_a_link_a_record_may_lack_is_a_uri_or_null(schema):
    for component, field in [("Partner", "website"), ("PartnerDetail", "website"), ("Source", "document_url")]:
        assert schema["components"]["schemas"][component]["properties"][field] == {
            "type": "string",
            "format": "uri",
            "readOnly": True,
            "nullable": True,
            "description": schema["components"]["schemas"][component]["properties"][field]["description"],
        }


def test_schema_gives_the_choices_of_fixed_filters_and_sorts(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/meetings/"]["get"]["parameters"]}
    assert "visit" in parameters["kind"]["schema"]["items"]["enum"]
    assert parameters["year"]["schema"]["items"] == {"type": "integer", "minimum": 1000, "maximum": 9999}
    assert parameters["sort"]["schema"]["enum"] == ["newest", "oldest", "title"]
    assert parameters["sort"]["schema"]["default"] == "newest"


def test_schema_says_what_year_each_year_filter_is_of(schema):
    agreements = {p["name"]: p for p in schema["paths"]["/api/agreements/"]["get"]["parameters"]}
    offices = {p["name"]: p for p in schema["paths"]["/api/offices/"]["get"]["parameters"]}
    assert agreements["in_force"]["description"].startswith(
        "Year entered into force: agreements whose first entry into force is dated in that year, a year between "
        "1000 and 9999."
    )
    assert agreements["ratified"]["description"].startswith(
        "Year ratified, approved or acceded to: agreements whose first consent to be"
    )
    assert agreements["ended"]["schema"]["items"] == {"type": "integer", "minimum": 1000, "maximum": 9999}
    assert offices["opened"]["description"].startswith("Year opened: a year between 1000 and 9999.")
    assert offices["closed"]["description"].startswith("Year closed: a year between 1000 and 9999.")


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
