"""Inline rows follow the record they are on: an Editor may not change the citations, claims or
offices of a published record, nor a published office on a draft partner
(cooperation/backoffice/publishing.py). Every action goes through the admin as a browser would."""

import pytest

from cooperation.models import Agreement, Citation, Claim
from partners.models import Office, Partner
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    ClaimFactory,
    OfficeFactory,
    PartnerFactory,
    SourceFactory,
)
from tests.helpers.admin import CITATIONS, add_row, admin_url, agreement, changed_data
from tests.helpers.users import client_for

pytestmark = pytest.mark.django_db


# Inline rows follow the record they are on -------------------------------------------------


def inline(response, prefix):
    return next(formset for formset in response.context["inline_admin_formsets"] if formset.formset.prefix == prefix)


def test_inlines_of_a_published_record_are_read_only_for_an_editor():
    record = AgreementFactory()
    CitationFactory(content_object=record)

    response = client_for("editor").get(admin_url(Agreement, "change", record.pk))

    citations = inline(response, CITATIONS)
    assert (citations.has_add_permission, citations.has_change_permission, citations.has_delete_permission) == (
        False,
        False,
        False,
    )
    assert f'name="{CITATIONS}-0-locator"' not in response.content.decode()


def test_inlines_of_a_published_record_are_editable_for_a_publisher():
    record = AgreementFactory()
    response = client_for("publisher").get(admin_url(Agreement, "change", record.pk))
    citations = inline(response, CITATIONS)
    assert (citations.has_add_permission, citations.has_change_permission, citations.has_delete_permission) == (
        True,
        True,
        True,
    )


def test_an_editor_adds_a_citation_to_a_draft(superuser_client):
    draft = agreement(published=False)
    source = SourceFactory()
    data = add_row(changed_data(superuser_client, draft), CITATIONS, source=source.pk, locator="p. 4")

    response = client_for("editor").post(admin_url(Agreement, "change", draft.pk), data)

    assert response.status_code == 302
    assert [(c.source, c.locator) for c in Citation.objects.all()] == [(source, "p. 4")]


def test_an_editor_cannot_add_a_claim_to_a_published_record(superuser_client):
    record = agreement()
    data = changed_data(superuser_client, record)
    prefix = "cooperation-claim-content_type-object_id"
    add_row(data, prefix, field="signed", value="9 December 1999", source=SourceFactory().pk)

    response = client_for("editor").post(admin_url(Agreement, "change", record.pk), data)

    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_a_published_office_on_a_draft_partner_cannot_be_changed_or_removed_by_an_editor(superuser_client):
    partner = PartnerFactory(published=False)
    office = OfficeFactory(partner=partner, city="Baku")
    editor = client_for("editor")

    page = editor.get(admin_url(Partner, "change", partner.pk))
    assert 'name="offices-0-city"' in page.content.decode()  # the partner is a draft: rows are editable
    assert 'name="offices-0-published"' not in page.content.decode()  # but not their published box

    data = changed_data(superuser_client, partner, **{"offices-0-city": "Ganja"})
    response = editor.post(admin_url(Partner, "change", partner.pk), data)
    assert response.status_code == 200
    assert "Office “Field office" in response.content.decode()
    assert "is published: only a Publisher can change it." in response.content.decode()

    data = changed_data(superuser_client, partner, **{"offices-0-DELETE": "on"})
    response = editor.post(admin_url(Partner, "change", partner.pk), data)
    assert "is published: only a Publisher can remove it." in response.content.decode()

    office.refresh_from_db()
    assert office.city == "Baku"


def test_an_editor_may_add_a_draft_office_on_a_draft_partner_but_not_publish_it(superuser_client):
    partner = PartnerFactory(published=False)
    data = add_row(
        changed_data(superuser_client, partner),
        "offices",
        name="Liaison office",
        slug="liaison-office",
        kind=Office.Kind.FIELD_OFFICE,
        city="Ganja",
        country="AZ",
        published="on",
    )

    response = client_for("editor").post(admin_url(Partner, "change", partner.pk), data)

    assert response.status_code == 302
    assert list(Office.objects.values_list("name", "published")) == [("Liaison office", False)]


def test_claims_of_published_records_are_not_editable_by_editors_in_the_claim_inline():
    record = AgreementFactory()
    ClaimFactory(content_object=record)
    response = client_for("editor").get(admin_url(Agreement, "change", record.pk))
    claims = inline(response, "cooperation-claim-content_type-object_id")
    assert claims.has_change_permission is False


# An agreement's actions ------------------------------------------------------------------------


def test_an_editor_adds_an_action_to_a_draft_agreement(superuser_client):
    draft = agreement(published=False)
    data = add_row(changed_data(superuser_client, draft), "actions", kind="ratification", date="2001")

    response = client_for("editor").post(admin_url(Agreement, "change", draft.pk), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert [a.kind for a in draft.actions.order_by("date")] == ["signature", "ratification"]
    assert draft.status == "ratified"


def test_an_editor_cannot_change_a_published_agreements_actions_on_their_own_page():
    from cooperation.models import AgreementAction

    record = agreement()
    action = record.actions.get()
    editor, publisher = client_for("editor"), client_for("publisher")
    url = admin_url(AgreementAction, "change", action.pk)

    assert inline(editor.get(admin_url(Agreement, "change", record.pk)), "actions").has_change_permission is False
    assert (
        editor.post(url, {"agreement": record.pk, "kind": "signature", "date": "1990", "ordering": 0}).status_code
        == 403
    )
    adding = editor.post(
        admin_url(AgreementAction, "add"),
        {"agreement": record.pk, "kind": "ratification", "date": "2001", "ordering": 0},
    )
    assert "only a Publisher can add or change its actions" in adding.content.decode()
    assert publisher.get(url).status_code == 200
    action.refresh_from_db()
    assert action.date.year == 1999 and record.actions.count() == 1
