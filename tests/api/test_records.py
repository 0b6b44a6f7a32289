"""The API's records (cooperation/api/serializers.py): each by its slug, with its related records,
sources and claims; published records only, nothing staff-only, and nothing written."""

import json
import re

import pytest
from django.db.models import CharField, Value

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Project
from tests.helpers.api import HOST, PUBLISHED, slugs

pytestmark = pytest.mark.django_db

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


def untranslated(data):
    """``data`` without its translations (``title_az``, ``title_ru`` …), each checked empty: the
    world's records are in English only (tests/api/test_languages.py reads the translations)."""
    if isinstance(data, list):
        return [untranslated(item) for item in data]
    if not isinstance(data, dict):
        return data
    translations = {key: value for key, value in data.items() if key.endswith(("_az", "_ru"))}
    assert set(translations.values()) <= {""}, translations
    return {key: untranslated(value) for key, value in data.items() if key not in translations}


# Records --------------------------------------------------------------------------------------


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
            "label": "",
            "name": f"{title}, Ministry of Foreign Affairs, {date['text']}",
            "publisher": "Ministry of Foreign Affairs",
            "date": date,
            "url": f"{HOST}/sources/{slug}/",
            "api_url": f"{HOST}/api/sources/{slug}/",
        }

    web_page = source(
        "iom-web-page", "IOM web page", {"text": "2010", "iso": "2010", "edtf": "2010", "precision": "year"}
    )
    press_release = source(
        "mfa-press-release",
        "MFA press release",
        {"text": "December 2016", "iso": "2016-12", "edtf": "2016-12", "precision": "month"},
    )
    assert untranslated(response.json()) == {
        "slug": "iom-agreement",
        "title": "Agreement on Cooperation with IOM",
        "short_title": "IOM agreement",
        "kind": "cooperation-agreement",
        "kind_label": "Cooperation agreement",
        "status": "signed",
        "status_label": "Signed",
        "signed": {"text": "8 December 1999", "iso": "1999-12-08", "edtf": "1999-12-08", "precision": "day"},
        "signed_place": "Baku",
        "signed_location": None,
        "ratified": None,
        "in_force": None,
        "ended": None,
        "actions": [
            {
                "kind": "signature",
                "kind_label": "Signature",
                "date": {"text": "8 December 1999", "iso": "1999-12-08", "edtf": "1999-12-08", "precision": "day"},
                "party": None,
                "place": "Baku",
                "location": None,
                "act": "",
                "note": "",
                "citations": [],
            }
        ],
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
        "legal_summary": "",
        "description": "",
        "projects": [
            {
                "slug": "return-project",
                "title": "Voluntary Return",
                "short_title": "",
                "phase": "",
                "status": "completed",
                "status_label": "Completed",
                "status_as_of": None,
                "status_text": "Completed (date of report not recorded)",
                "start": {"text": "2006", "iso": "2006", "edtf": "2006", "precision": "year"},
                "end": {"text": "2008", "iso": "2008", "edtf": "2008", "precision": "year"},
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
                "status": "held",
                "status_label": "Held",
                "status_as_of": None,
                "status_text": "Held",
                "start": {"text": "5 December 2016", "iso": "2016-12-05", "edtf": "2016-12-05", "precision": "day"},
                "end": {"text": "6 December 2016", "iso": "2016-12-06", "edtf": "2016-12-06", "precision": "day"},
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
                "reason": "the page gives the place too",
            },
            {
                "field": "signed",
                "field_label": "Signed",
                "value": "9 December 1999",
                "source": press_release,
                "locator": "",
                "preferred": False,
                "reason": "",
            },
        ],
    }


def test_agreement_actions_give_their_party_act_and_sources_in_the_record_and_the_list(client, world):
    from cooperation.core.partial_dates import PartialDate
    from cooperation.models import Agreement
    from partners.models import Partner
    from tests import factories as f

    agreement = Agreement.objects.get(slug="iom-agreement")
    iom = Partner.objects.get(slug="iom")
    approval = f.AgreementActionFactory(
        agreement=agreement, kind="approval", party=iom, date=PartialDate(2000, 2), act="Decision No. 5"
    )
    source = f.SourceFactory(slug="decision", title="The decision")
    f.CitationFactory(content_object=approval, source=source, locator="§ 2")

    record = client.get("/api/agreements/iom-agreement/").json()
    listed = next(row for row in client.get("/api/agreements/").json()["results"] if row["slug"] == "iom-agreement")

    approval_json = record["actions"][1]
    assert (approval_json["kind_label"], approval_json["date"]["iso"], approval_json["party"]["slug"]) == (
        "Approval",
        "2000-02",
        "iom",
    )
    assert approval_json["act"] == "Decision No. 5"
    assert [(c["source"]["slug"], c["locator"]) for c in approval_json["citations"]] == [("decision", "§ 2")]
    assert [action["kind"] for action in listed["actions"]] == ["signature", "approval"]
    assert "citations" not in listed["actions"][0]
    assert record["status_label"] == "Ratified, approved or acceded to"


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


def test_project_record_and_row_have_the_planned_dates_and_recipient_countries(client, world):
    project = Project.objects.get(slug="return-project")
    project.planned_start, project.planned_end = PartialDate(2005, 9), PartialDate(2008, 6, 30)
    project.recipient_countries = ["GE", "AZ"]
    project.save()
    expected = {
        "planned_start": {"text": "September 2005", "iso": "2005-09", "edtf": "2005-09", "precision": "month"},
        "planned_end": {"text": "30 June 2008", "iso": "2008-06-30", "edtf": "2008-06-30", "precision": "day"},
        "recipient_countries": [{"code": "AZ", "name": "Azerbaijan"}, {"code": "GE", "name": "Georgia"}],
    }
    record = client.get("/api/projects/return-project/").json()
    [row] = client.get("/api/projects/?topic=asylum").json()["results"]
    for data in (record, row):
        assert {name: data[name] for name in expected} == expected
        assert list(data).index("planned_start") == list(data).index("dates") + 1
    # Not recorded: null dates, no countries (also where the column is null, as before it was added).
    project.planned_start = project.planned_end = None
    project.save()
    Project.objects.filter(pk=project.pk).update(recipient_countries=Value(None, output_field=CharField()))
    record = client.get("/api/projects/return-project/").json()
    assert (record["planned_start"], record["planned_end"], record["recipient_countries"]) == (None, None, [])


def test_partner_record(client, world):
    data = untranslated(client.get("/api/partners/iom/").json())
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
            "start": {"text": "October 2008", "iso": "2008-10", "edtf": "2008-10", "precision": "month"},
            "end": {"text": "September 2018", "iso": "2018-09", "edtf": "2018-09", "precision": "month"},
            "note": "",
        }
    ]
    assert data["citations"] == [
        {
            "source": {
                "slug": "iom-web-page",
                "title": "IOM web page",
                "label": "",
                "name": "IOM web page, Ministry of Foreign Affairs, 2010",
                "publisher": "Ministry of Foreign Affairs",
                "date": {"text": "2010", "iso": "2010", "edtf": "2010", "precision": "year"},
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
    assert source["description"] == "" and "notes" not in source  # the staff notes stay in the admin
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


def test_a_link_a_record_lacks_is_null_and_one_it_has_is_its_url(client, world):
    world["iom"].website = "https://www.iom.int/"
    world["iom"].save()

    assert client.get("/api/partners/iom/").json()["website"] == "https://www.iom.int/"
    assert client.get("/api/partners/turkiye/").json()["website"] is None
    assert {row["slug"]: row["website"] for row in client.get("/api/partners/").json()["results"]} == {
        "iom": "https://www.iom.int/",
        "iom-council": None,
        "sub-body": None,
        "turkiye": None,
    }
    assert client.get("/api/sources/mfa-press-release/").json()["document_url"] is None
    assert {row["slug"]: row["document_url"] for row in client.get("/api/sources/").json()["results"]} == {
        "iom-web-page": "https://example.org/iom",
        "mfa-press-release": None,
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


# Drafts appear nowhere ------------------------------------------------------------------------


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


# Read-only ------------------------------------------------------------------------------------


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
