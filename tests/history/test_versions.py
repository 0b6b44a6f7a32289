"""Every change is recorded, with who and what: an admin add, change and delete, one save as one
version with its fields, links and inline rows, changes outside a request, the publish action
(cooperation/history/tracking.py, context.py, versions.py).

Changes are made as staff make them, through the admin's forms and buttons, and checked on
the pages staff read and in the database. Rows written by one person less than two seconds
apart are one version, so tests that need two versions let time pass in between
(``pass_time`` in tests/helpers/history.py moves every history row back).
"""

import pytest
import yaml

from cooperation.models import Agreement, Citation, Topic
from cooperation.seed.services import load_seed
from partners.models import Partner
from tests.factories import AgreementFactory, PartnerFactory, SourceFactory
from tests.helpers.admin import CITATIONS, add_row, admin_url, form_data
from tests.helpers.history import change, pass_time, rows_of, versions_shown
from tests.helpers.users import login

pytestmark = pytest.mark.django_db


# Every change is recorded, with who --------------------------------------------------------


def test_admin_add_change_and_delete_are_recorded_with_the_user_and_the_fields():
    client, _user = login("alice")
    add = client.get(admin_url(Partner, "add"))
    data = form_data(add)
    data.update(name="Council of Europe", acronym="CoE", kind="international-organisation", scope="multilateral")
    data["slug"] = "council-of-europe"
    assert client.post(admin_url(Partner, "add"), data).status_code == 302
    partner = Partner.objects.get(slug="council-of-europe")
    pass_time()
    change(client, partner, acronym="CE")
    pass_time()
    client.post(admin_url(Partner, "delete", partner.pk), {"post": "yes"})

    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert rows_of(Partner, partner.pk) == [("+", "alice", None), ("~", "alice", None), ("-", "alice", None)]
    shown = versions_shown(client.get(admin_url(Partner, "history", partner.pk)))
    assert shown == [
        ["alice", "deleted", "", ""],
        ["alice", "changed", "Acronym: CoE → CE", ""],
        [
            "alice",
            "created",
            "Name: Council of Europe Acronym: CoE Kind: International organisation Scope: Multilateral "
            "Slug: council-of-europe",
            "",
        ],
    ]


def test_one_admin_save_is_one_version_with_fields_links_and_inline_rows():
    old_party, new_party = PartnerFactory(name="IOM", acronym=""), PartnerFactory(name="UNHCR", acronym="")
    agreement = AgreementFactory(title="Cooperation Agreement", parties=[old_party])
    source = SourceFactory(title="Fact sheet")
    pass_time()
    client, _user = login("alice")
    data = form_data(client.get(admin_url(Agreement, "change", agreement.pk)))
    data.update(kind="memorandum-of-understanding", parties=[str(new_party.pk)])
    data["actions-0-date"] = "2006-08"  # its signature
    add_row(data, CITATIONS, source=str(source.pk), locator="p. 4")
    assert client.post(admin_url(Agreement, "change", agreement.pk), data).status_code == 302

    shown = versions_shown(client.get(admin_url(Agreement, "history", agreement.pk)))
    assert shown[0] == [
        "alice",
        "changed",
        "Kind: Cooperation agreement → Memorandum of understanding Parties: added UNHCR; removed IOM "
        "Agreement action “Signature, August 2006”: changed Date: 8 December 1999 → August 2006 "
        "Citation “Fact sheet, Ministry of Foreign Affairs, p. 4”: added",
        "",
    ]
    assert [row[:2] for row in shown] == [["alice", "changed"], ["no user", "created"]]


def test_changes_outside_a_request_name_no_user_and_the_seed_loader_says_so(tmp_path):
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        yaml.safe_dump(
            {
                "sources": [{"slug": "fact-sheet", "title": "Fact sheet"}],
                "topics": [{"slug": "asylum", "name": "Asylum", "cite": [{"source": "fact-sheet"}]}],
            }
        )
    )
    load_seed(path=seed)

    topic = Topic.objects.get(slug="asylum")
    assert rows_of(Topic, topic.pk) == [("+", None, "seed loader")]
    citation = Citation.objects.get()
    assert rows_of(Citation, citation.pk) == [("+", None, "seed loader")]
    # Outside the loader, no reason is made up.
    PartnerFactory(slug="shell-made")
    assert rows_of(Partner, Partner.objects.get(slug="shell-made").pk) == [("+", None, None)]


def test_publish_action_is_recorded_with_the_user():
    draft = PartnerFactory(published=False)
    client, _user = login("alice")
    client.post(admin_url(Partner, "changelist"), {"action": "publish", "_selected_action": [draft.pk]})

    assert rows_of(Partner, draft.pk)[-1] == ("~", "alice", None)
    assert versions_shown(client.get(admin_url(Partner, "history", draft.pk)))[0][:3] == [
        "alice",
        "changed",
        "Published: no → yes",
    ]
