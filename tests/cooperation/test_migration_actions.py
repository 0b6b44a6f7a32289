"""cooperation/migrations/0008_agreement_actions.py: every agreement's dates become its actions,
nothing lost, the summary columns and the claims about them unchanged."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from tests.helpers.migrations import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cooperation", "0006_list_indexes")]
AFTER = [("cooperation", "0008_agreement_actions")]


def test_migration_turns_each_date_into_its_action_and_keeps_the_columns():
    old = migrate(BEFORE)
    try:
        Agreement = old.get_model("cooperation", "Agreement")
        Claim = old.get_model("cooperation", "Claim")
        Source = old.get_model("cooperation", "Source")
        ContentType = old.get_model("contenttypes", "ContentType")
        full = Agreement.objects.create(
            slug="full",
            title="Full",
            kind="cooperation-agreement",
            signed=PD(1999, 12, 8),
            signed_place="Baku",
            ratified=PD(2000, 2, 8),
            in_force=PD(2000, 3),
            ended=PD(2010),
        )
        Agreement.objects.create(slug="place-only", title="Place only", kind="other", signed_place="Baku")
        Agreement.objects.create(slug="nothing", title="Nothing", kind="other")
        source = Source.objects.create(slug="doc", title="Doc")
        agreement_type, _ = ContentType.objects.get_or_create(app_label="cooperation", model="agreement")
        Claim.objects.create(
            content_type=agreement_type, object_id=full.pk, field="signed", value="8 December 1999", source=source
        )

        new = migrate(AFTER)

        Agreement = new.get_model("cooperation", "Agreement")
        Action = new.get_model("cooperation", "AgreementAction")
        rows = sorted(
            (a.agreement.slug, a.kind, a.date and str(a.date), a.place, a.party_id) for a in Action.objects.all()
        )
        assert rows == [
            ("full", "entry-into-force", "March 2000", "", None),
            ("full", "ratification", "8 February 2000", "", None),
            ("full", "signature", "8 December 1999", "Baku", None),
            ("full", "termination", "2010", "", None),
            ("place-only", "signature", None, "Baku", None),
        ]
        full = Agreement.objects.get(slug="full")
        assert (full.signed, full.signed_place, full.ratified, full.in_force, full.ended) == (
            PD(1999, 12, 8),
            "Baku",
            PD(2000, 2, 8),
            PD(2000, 3),
            PD(2010),
        )
        assert list(new.get_model("cooperation", "Claim").objects.values_list("field", "value")) == [
            ("signed", "8 December 1999")
        ]
        # Each action has its "created" history row, so a revert to an older version keeps it.
        history = new.get_model("cooperation", "HistoricalAgreementAction").objects.all()
        assert sorted((row.kind, row.history_type, row.history_change_reason) for row in history) == sorted(
            (kind, "+", "Made from the agreement's dates")
            for kind in ("signature", "ratification", "entry-into-force", "termination", "signature")
        )
    finally:
        migrate(latest())
