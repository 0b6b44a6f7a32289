"""An agreement's actions (cooperation/models/actions.py): each kind, the rules a set of actions
keeps, the summary columns they maintain, and the status that follows, per party and overall."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Agreement, AgreementAction
from cooperation.models.actions import ActionKind, participation
from tests import factories as f

pytestmark = pytest.mark.django_db

SUMMARY = ("signed", "signed_place", "ratified", "in_force", "ended")


def summary(agreement):
    agreement.refresh_from_db()
    return {name: getattr(agreement, name) for name in SUMMARY}


def bare_agreement(**kwargs):
    """An agreement with no actions yet."""
    return f.AgreementFactory(signed=None, actions=False, **kwargs)


def test_kinds_are_the_treaty_databases_terms_in_order():
    assert [label for _, label in ActionKind.choices] == [
        "Signature",
        "Definitive signature",
        "Ratification",
        "Acceptance",
        "Approval",
        "Accession",
        "Succession",
        "Provisional application",
        "Entry into force",
        "Denunciation or withdrawal",
        "Termination",
    ]


# Each kind: the summary column it sets (None: none) and the overall status it gives.
KIND_EFFECTS = [
    ("signature", {"signed"}, "signed"),
    ("definitive-signature", {"signed", "ratified"}, "ratified"),
    ("ratification", {"ratified"}, "ratified"),
    ("acceptance", {"ratified"}, "ratified"),
    ("approval", {"ratified"}, "ratified"),
    ("accession", {"ratified"}, "ratified"),
    ("succession", {"ratified"}, "ratified"),
    ("provisional-application", set(), "unknown"),
    ("entry-into-force", {"in_force"}, "in-force"),
    ("termination", {"ended"}, "ended"),
]


@pytest.mark.parametrize(("kind", "columns", "status"), KIND_EFFECTS, ids=[k for k, *_ in KIND_EFFECTS])
def test_each_kind_sets_its_summary_column_and_the_status(kind, columns, status):
    agreement = bare_agreement()

    AgreementAction.objects.create(agreement=agreement, kind=kind, date=PD(2005, 3))

    values = summary(agreement)
    assert {name for name in ("signed", "ratified", "in_force", "ended") if values[name]} == columns
    assert all(values[name] == PD(2005, 3) for name in columns)
    assert agreement.status == status
    assert Agreement.objects.with_status().get(pk=agreement.pk).current_status == status


def test_denunciation_of_one_party_leaves_the_instrument_in_force_and_withdraws_the_party():
    azerbaijan, iom = f.PartnerFactory(), f.PartnerFactory()
    agreement = bare_agreement(parties=[azerbaijan, iom])
    f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2001))
    f.AgreementActionFactory(agreement=agreement, kind="entry-into-force", date=PD(2002))
    f.AgreementActionFactory(agreement=agreement, kind="denunciation", party=iom, date=PD(2010, 4))

    agreement.refresh_from_db()
    assert agreement.status == "in-force" and agreement.ended is None
    rows = {row.party: row for row in participation(list(agreement.actions.all()), [azerbaijan, iom])}
    assert rows[iom].status == "withdrawn" and rows[iom].withdrawal.date == PD(2010, 4)
    assert rows[azerbaijan].status == "in-force"


def test_summary_is_the_first_of_each_and_follows_edits_and_deletions():
    agreement = bare_agreement()
    late = f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2003, 5), place="Geneva")
    early = f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2002, 1, 9), place="Baku")
    assert summary(agreement)["signed"] == PD(2002, 1, 9)
    assert summary(agreement)["signed_place"] == "Baku"

    early.date = PD(2004)
    early.save()
    assert summary(agreement)["signed"] == PD(2003, 5)
    assert summary(agreement)["signed_place"] == "Geneva"

    late.delete()
    early.delete()
    assert summary(agreement) == {"signed": None, "signed_place": "", "ratified": None, "in_force": None, "ended": None}
    assert Agreement.objects.get(pk=agreement.pk).status == "unknown"


def test_a_signature_without_a_date_keeps_its_place():
    agreement = bare_agreement()
    f.AgreementActionFactory(agreement=agreement, kind="signature", date=None, place="Baku")

    assert summary(agreement)["signed"] is None
    assert summary(agreement)["signed_place"] == "Baku"
    assert agreement.status == "unknown"


def test_saving_the_agreement_puts_back_the_summary_of_its_actions():
    """A revert to an old version, or a script, cannot leave columns the actions do not give."""
    agreement = bare_agreement()
    f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2002))
    agreement.refresh_from_db()

    agreement.signed = PD(1990)
    agreement.in_force = PD(1991)
    agreement.save()

    assert summary(agreement)["signed"] == PD(2002) and summary(agreement)["in_force"] is None


def test_a_future_action_does_not_count_yet():
    agreement = bare_agreement()
    f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2001))
    next_year = datetime.date.today().year + 1
    f.AgreementActionFactory(agreement=agreement, kind="entry-into-force", date=PD(next_year))

    assert Agreement.objects.get(pk=agreement.pk).status == "signed"
    assert Agreement.objects.with_status().get(pk=agreement.pk).current_status == "signed"


# The rules -----------------------------------------------------------------------------------


def errors_of(action):
    with pytest.raises(ValidationError) as caught:
        action.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize("kind", ["ratification", "acceptance", "approval"])
def test_a_consent_before_the_signature_of_the_same_party_is_refused(kind):
    party = f.PartnerFactory()
    agreement = bare_agreement(parties=[party])
    f.AgreementActionFactory(agreement=agreement, kind="signature", party=party, date=PD(2005, 6))

    action = AgreementAction(agreement=agreement, kind=kind, party=party, date=PD(2005, 2))

    assert errors_of(action) == {"date": [f"{action.get_kind_display()} cannot come before the signature (June 2005)."]}


def test_a_consent_in_the_same_month_as_a_signature_on_a_known_day_is_accepted():
    agreement = bare_agreement()
    f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2005, 6, 20))

    AgreementAction(agreement=agreement, kind="ratification", date=PD(2005, 6)).full_clean()


def test_another_partys_signature_does_not_bind_a_partys_consent():
    first, second = f.PartnerFactory(), f.PartnerFactory()
    agreement = bare_agreement(parties=[first, second])
    f.AgreementActionFactory(agreement=agreement, kind="signature", party=first, date=PD(2001, 1))
    f.AgreementActionFactory(agreement=agreement, kind="signature", party=second, date=PD(2006, 1))

    AgreementAction(agreement=agreement, kind="ratification", party=first, date=PD(2003)).full_clean()


def test_an_accession_needs_no_signature_and_may_come_before_a_later_signers_signature():
    iom, azerbaijan = f.PartnerFactory(), f.PartnerFactory()
    agreement = bare_agreement(parties=[iom, azerbaijan])
    f.AgreementActionFactory(agreement=agreement, kind="signature", party=iom, date=PD(1953))
    accession = AgreementAction(agreement=agreement, kind="accession", party=azerbaijan, date=PD(2000, 12))

    accession.full_clean()
    accession.save()

    assert summary(agreement)["ratified"] == PD(2000, 12)


def test_entry_into_force_for_a_party_before_its_consent_is_refused():
    party = f.PartnerFactory()
    agreement = bare_agreement(parties=[party])
    f.AgreementActionFactory(agreement=agreement, kind="accession", party=party, date=PD(2000, 12))

    action = AgreementAction(agreement=agreement, kind="entry-into-force", party=party, date=PD(2000, 6))

    assert errors_of(action) == {"date": ["It cannot enter into force before the accession (December 2000)."]}


def test_entry_into_force_for_all_before_the_signature_for_all_is_refused():
    agreement = bare_agreement()
    f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2016, 12, 8))

    action = AgreementAction(agreement=agreement, kind="entry-into-force", date=PD(2016, 1))

    assert errors_of(action) == {"date": ["It cannot enter into force before the signature (8 December 2016)."]}


def test_a_denunciation_needs_a_party_and_a_termination_has_none():
    party = f.PartnerFactory()
    agreement = bare_agreement(parties=[party])

    assert errors_of(AgreementAction(agreement=agreement, kind="denunciation", date=PD(2010))) == {
        "party": ["Say which party denounced it or withdrew; an end for every party is a termination."]
    }
    assert errors_of(AgreementAction(agreement=agreement, kind="termination", party=party, date=PD(2010))) == {
        "party": ["A termination ends the instrument for every party: leave the party empty."]
    }


def test_a_withdrawal_before_the_party_signed_is_refused():
    party = f.PartnerFactory()
    agreement = bare_agreement(parties=[party])
    f.AgreementActionFactory(agreement=agreement, kind="signature", party=party, date=PD(2004))

    action = AgreementAction(agreement=agreement, kind="denunciation", party=party, date=PD(2003))

    assert errors_of(action) == {"date": ["A party cannot withdraw before it signed or consented (2004)."]}


def test_a_termination_before_the_entry_into_force_is_refused():
    agreement = bare_agreement()
    f.AgreementActionFactory(agreement=agreement, kind="entry-into-force", date=PD(2004))

    action = AgreementAction(agreement=agreement, kind="termination", date=PD(2003))

    assert errors_of(action) == {"date": ["It cannot end before it entered into force (2004)."]}


def test_a_termination_before_the_signature_is_refused():
    agreement = bare_agreement()
    f.AgreementActionFactory(agreement=agreement, kind="signature", date=PD(2004, 5))

    action = AgreementAction(agreement=agreement, kind="termination", date=PD(2003))

    assert errors_of(action) == {"date": ["It cannot end before it was signed or consented to (May 2004)."]}


def test_a_party_that_is_not_a_party_of_the_agreement_is_refused():
    stranger = f.PartnerFactory(name="Somewhere Else", acronym="")
    agreement = bare_agreement(parties=[f.PartnerFactory()])

    action = AgreementAction(agreement=agreement, kind="signature", party=stranger, date=PD(2004))

    assert errors_of(action) == {"party": ["Somewhere Else is not one of this agreement's parties."]}


# Per party -----------------------------------------------------------------------------------


def test_participation_gives_each_partys_signature_consent_and_how_and_entry_into_force():
    a, b, c, d = (f.PartnerFactory(name=name) for name in "ABCD")
    agreement = bare_agreement(parties=[a, b, c, d])
    make = f.AgreementActionFactory
    make(agreement=agreement, kind="signature", party=a, date=PD(2001, 3, 1))
    make(agreement=agreement, kind="ratification", party=a, date=PD(2002, 5))
    make(agreement=agreement, kind="signature", party=b, date=PD(2001, 3, 1))
    make(agreement=agreement, kind="approval", party=b, date=PD(2003), act="Presidential Decree")
    make(agreement=agreement, kind="accession", party=c, date=PD(2008))
    make(agreement=agreement, kind="entry-into-force", date=PD(2003, 6))
    make(agreement=agreement, kind="entry-into-force", party=c, date=PD(2008, 9))

    rows = {row.party.name: row for row in participation(list(agreement.actions.all()), [a, b, c, d])}

    assert (rows["A"].signature.date, rows["A"].consent.kind, rows["A"].in_force) == (
        PD(2001, 3, 1),
        "ratification",
        PD(2003, 6),
    )
    assert (rows["B"].consent.kind, rows["B"].consent.consent_mark, rows["B"].in_force) == (
        "approval",
        "AA",
        PD(2003, 6),
    )
    assert (rows["C"].signature, rows["C"].consent.consent_mark, rows["C"].in_force) == (None, "a", PD(2008, 9))
    assert (rows["D"].signature, rows["D"].consent, rows["D"].in_force, rows["D"].status) == (
        None,
        None,
        PD(2003, 6),
        "in-force",
    )
    assert [rows[name].status_label for name in "ABC"] == ["In force for it"] * 3


def test_a_party_that_consents_after_the_entry_into_force_is_not_in_force_from_that_date():
    early, late = f.PartnerFactory(), f.PartnerFactory()
    agreement = bare_agreement(parties=[early, late])
    f.AgreementActionFactory(agreement=agreement, kind="ratification", party=early, date=PD(2001))
    f.AgreementActionFactory(agreement=agreement, kind="entry-into-force", date=PD(2002))
    f.AgreementActionFactory(agreement=agreement, kind="ratification", party=late, date=PD(2009))

    rows = participation(list(agreement.actions.all()), [early, late])

    assert [(row.in_force, row.status) for row in rows] == [(PD(2002), "in-force"), (None, "consented")]


def test_participation_statuses_signed_consented_and_ended():
    party = f.PartnerFactory()
    agreement = bare_agreement(parties=[party])
    f.AgreementActionFactory(agreement=agreement, kind="signature", party=party, date=PD(2001))
    actions = list(agreement.actions.all())
    assert participation(actions, [party])[0].status == "signed"

    f.AgreementActionFactory(agreement=agreement, kind="definitive-signature", party=party, date=PD(2001))
    assert participation(list(agreement.actions.all()), [party])[0].status == "consented"

    f.AgreementActionFactory(agreement=agreement, kind="termination", date=PD(2015))
    assert participation(list(agreement.actions.all()), [party])[0].status_label == "Ended"
