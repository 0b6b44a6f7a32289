"""An agreement's actions, as treaty databases keep them (the UN Treaty Collection's terms):
signature, ratification, acceptance, approval, accession … each dated, for one party or for
the instrument itself, with the act that made it and its sources.

The agreement's status follows from its actions: per party (:func:`participation`) and overall
(:func:`summary_dates`, which the agreement keeps in its ``signed``, ``ratified``, ``in_force``
and ``ended`` columns so that its list filters, sorts and indexes read one row).
:func:`action_errors` holds the rules a set of actions must keep, for every form that edits them.
"""

import contextlib
import contextvars
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation.core.labels import label
from cooperation.core.models import ReadableText, RecordHistory
from cooperation.core.partial_dates import PartialDate, PartialDateField, check_range
from cooperation.core.text import lowercase
from cooperation.core.translation import translations

# Agreements whose summary waits for the end of a deferred_summary() block (None: none open).
_deferred: contextvars.ContextVar[dict | None] = contextvars.ContextVar("deferred_summary", default=None)


@contextlib.contextmanager
def deferred_summary() -> Iterator[None]:
    """Save several actions of an agreement, then write its summary once: the steps between
    may break the summary's order (a signature moved after a ratification saved before it)."""
    if _deferred.get() is not None:
        yield
        return
    token = _deferred.set({})
    try:
        yield
        pending = _deferred.get()
    finally:
        _deferred.reset(token)
    for agreement in pending.values():
        agreement.sync_dates()


class ActionKind(models.TextChoices):
    """The kinds, in the order an instrument goes through them (the UNTC's terms and marks)."""

    SIGNATURE = "signature", _("Signature")
    DEFINITIVE_SIGNATURE = "definitive-signature", _("Definitive signature")
    RATIFICATION = "ratification", _("Ratification")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")
    ACCESSION = "accession", _("Accession")
    SUCCESSION = "succession", _("Succession")
    PROVISIONAL_APPLICATION = "provisional-application", _("Provisional application")
    ENTRY_INTO_FORCE = "entry-into-force", _("Entry into force")
    DENUNCIATION = "denunciation", _("Denunciation or withdrawal")
    TERMINATION = "termination", _("Termination")


KIND_ORDER = {kind: index for index, kind in enumerate(ActionKind.values)}
SIGNATURES = {ActionKind.SIGNATURE, ActionKind.DEFINITIVE_SIGNATURE}
# The acts by which a party consents to be bound (Vienna Convention on the Law of Treaties, art. 11).
CONSENTS = {
    ActionKind.DEFINITIVE_SIGNATURE,
    ActionKind.RATIFICATION,
    ActionKind.ACCEPTANCE,
    ActionKind.APPROVAL,
    ActionKind.ACCESSION,
    ActionKind.SUCCESSION,
}
# The UNTC's marks beside a date in its "Ratification, Acceptance(A), Approval(AA), Accession(a),
# Succession(d)" column; a definitive signature is marked (s) there.
CONSENT_MARKS = {
    ActionKind.RATIFICATION: "",
    ActionKind.ACCEPTANCE: "A",
    ActionKind.APPROVAL: "AA",
    ActionKind.ACCESSION: "a",
    ActionKind.SUCCESSION: "d",
    ActionKind.DEFINITIVE_SIGNATURE: "s",
}
# What a partner's timeline says of each kind ("Agreement approved"), in the page's language.
TIMELINE_KINDS = {
    ActionKind.SIGNATURE: _("Agreement signed"),
    ActionKind.DEFINITIVE_SIGNATURE: _("Agreement signed definitively"),
    ActionKind.RATIFICATION: _("Agreement ratified"),
    ActionKind.ACCEPTANCE: _("Agreement accepted"),
    ActionKind.APPROVAL: _("Agreement approved"),
    ActionKind.ACCESSION: _("Agreement acceded to"),
    ActionKind.SUCCESSION: _("Agreement succeeded to"),
    ActionKind.PROVISIONAL_APPLICATION: _("Agreement applied provisionally"),
    ActionKind.ENTRY_INTO_FORCE: _("Agreement entered into force"),
    ActionKind.DENUNCIATION: _("Agreement denounced"),
    ActionKind.TERMINATION: _("Agreement terminated"),
}
# The agreement's claim fields (the facts sources may disagree on) that each kind's first action shows.
CLAIM_FIELDS = {
    ActionKind.SIGNATURE: ("signed", "signed_place"),
    ActionKind.DEFINITIVE_SIGNATURE: ("signed", "signed_place"),
    ActionKind.RATIFICATION: ("ratified",),
    ActionKind.ACCEPTANCE: ("ratified",),
    ActionKind.APPROVAL: ("ratified",),
    ActionKind.ACCESSION: ("ratified",),
    ActionKind.SUCCESSION: ("ratified",),
    ActionKind.ENTRY_INTO_FORCE: ("in_force",),
    ActionKind.TERMINATION: ("ended",),
}


class AgreementAction(ReadableText):
    """One act in an agreement's life: who (a party, or all of them), what, when, where, by which act."""

    Kind = ActionKind

    agreement = models.ForeignKey("cooperation.Agreement", on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=30, choices=ActionKind.choices)
    date = PartialDateField(null=True, blank=True, help_text=_("Leave empty if the sources give no date."))
    party = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_actions",
        help_text=_("The party that acted; empty: all parties, or the instrument itself."),
    )
    place = models.CharField(
        max_length=120, blank=True, help_text=_("Where it happened, e.g. the city of a signature.")
    )
    place_az, place_ru = translations(place, "place")
    location = models.ForeignKey(
        "cooperation.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="agreement_actions",
        help_text=_("Where it happened on the map: the place the text above names (filled from it when empty)."),
    )
    act = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The instrument of the act, e.g. “Presidential Decree of 23 February 2017”, “Law No. 812-IQ”."),
    )
    note = models.TextField(blank=True, help_text=_("Shown on the public page: what the sources say of it."))
    note_az, note_ru = translations(note, "note")
    ordering = models.PositiveSmallIntegerField(
        default=0, help_text=_("Orders actions of the same date and kind (lower first).")
    )
    citations = GenericRelation("cooperation.Citation")

    history = RecordHistory()

    class Meta:
        ordering = ["agreement", models.F("date").asc(nulls_last=True), "ordering", "pk"]
        indexes = [
            models.Index(fields=["agreement", "date"], name="agreement_action_date"),
            # The map's signings by place (and the place's own actions).
            models.Index(fields=["location", "agreement"], name="agreement_action_location"),
        ]

    def __str__(self):
        who = f" by {self.party}" if self.party_id else ""
        return f"{self.get_kind_display()}{who}{f', {self.date}' if self.date else ''}"

    def get_absolute_url(self):
        return self.agreement.get_absolute_url() + f"#action-{self.pk}"

    def save(self, *args, **kwargs):
        """Save, and keep the agreement's summary columns (now, or at the end of a
        :func:`deferred_summary` block)."""
        super().save(*args, **kwargs)
        _summary_changed(self.agreement)

    def delete(self, *args, **kwargs):
        agreement = self.agreement
        result = super().delete(*args, **kwargs)
        _summary_changed(agreement)
        return result

    @property
    def consent_mark(self) -> str:
        return CONSENT_MARKS.get(self.kind, "")

    @property
    def sort_key(self) -> tuple:
        return (int(self.date) if self.date else 99999999, KIND_ORDER.get(self.kind, 99), self.ordering, self.pk or 0)

    def clean(self):
        """The rules that hold for one action, and against the agreement's other actions when it
        is saved on its own (the admin's inline checks the whole set in its formset instead)."""
        errors = own_errors(self)
        if not errors and self.agreement_id and not getattr(self, "checked_with_siblings", False):
            siblings = [a for a in self.agreement.actions.all() if a.pk != self.pk]
            parties = set(self.agreement.parties.values_list("pk", flat=True))
            for action, field, message in action_errors([*siblings, self], parties):
                if action is self:
                    errors.setdefault(field, []).append(message)
            if not errors:
                for message in summary_errors([*siblings, self]):
                    errors.setdefault("date", []).append(message)
        if errors:
            raise ValidationError(errors)


def _summary_changed(agreement) -> None:
    pending = _deferred.get()
    if pending is None:
        agreement.sync_dates()
    else:
        pending[agreement.pk] = agreement


def own_errors(action: AgreementAction) -> dict[str, list[str]]:
    """What is wrong with ``action`` on its own."""
    errors = {}
    if action.kind == ActionKind.DENUNCIATION and not action.party_id:
        errors["party"] = [
            gettext("Say which party denounced it or withdrew; an end for every party is a termination.")
        ]
    if action.kind == ActionKind.TERMINATION and action.party_id:
        errors["party"] = [gettext("A termination ends the instrument for every party: leave the party empty.")]
    return errors


def _concerns(action: AgreementAction, party_id: int | None) -> bool:
    """Whether ``action`` concerns ``party_id``: its own, or one for every party."""
    return action.party_id is None or party_id is None or action.party_id == party_id


def _not_before(later: PartialDate | None, earlier: PartialDate | None) -> bool:
    return later is None or earlier is None or later.may_end(earlier)


def action_errors(
    actions: Sequence[AgreementAction], parties: Iterable[int] | None = None
) -> list[tuple[AgreementAction, str, str]]:
    """(action, field, message) for each rule the set of an agreement's ``actions`` breaks.

    Only rules that hold for every real instrument: a party's consent (ratification, acceptance,
    approval) is not before its signature (accession and succession need none); an entry into
    force is not before the consent or signature of the party it concerns; a denunciation is not
    before the party signed or consented; a termination is not before the first entry into
    force, nor before the first signature or consent; the party is one of the agreement's ``parties`` (if given).
    """
    found = []
    parties = set(parties) if parties is not None else None
    for action in actions:
        if parties is not None and action.party_id and action.party_id not in parties:
            message = gettext("%(party)s is not one of this agreement's parties.") % {"party": action.party}
            found.append((action, "party", message))
    dated = [a for a in actions if a.date is not None]
    for action in dated:
        kind, party = action.kind, action.party_id
        label = action.get_kind_display()
        if kind in {ActionKind.RATIFICATION, ActionKind.ACCEPTANCE, ActionKind.APPROVAL}:
            for other in dated:
                if (
                    other.kind == ActionKind.SIGNATURE
                    and _concerns(other, party)
                    and not _not_before(action.date, other.date)
                ):
                    message = gettext("%(action)s cannot come before the signature (%(date)s).")
                    found.append((action, "date", message % {"action": label, "date": other.date}))
                    break
        elif kind == ActionKind.ENTRY_INTO_FORCE:
            for other in dated:
                if (
                    other.kind in SIGNATURES | CONSENTS
                    and ((party and _concerns(other, party)) or (not party and not other.party_id))
                    and not _not_before(action.date, other.date)
                ):
                    message = gettext("It cannot enter into force before the %(action)s (%(date)s).")
                    values = {"action": lowercase(other.get_kind_display()), "date": other.date}
                    found.append((action, "date", message % values))
                    break
        elif kind == ActionKind.DENUNCIATION:
            bound = [o.date for o in dated if o.kind in SIGNATURES | CONSENTS and _concerns(o, party)]
            if bound and not _not_before(action.date, min(bound)):
                message = gettext("A party cannot withdraw before it signed or consented (%(date)s).")
                found.append((action, "date", message % {"date": min(bound)}))
        elif kind == ActionKind.TERMINATION:
            in_force = [o.date for o in dated if o.kind == ActionKind.ENTRY_INTO_FORCE]
            began = [o.date for o in dated if o.kind in SIGNATURES | CONSENTS]
            if in_force and not _not_before(action.date, min(in_force)):
                message = gettext("It cannot end before it entered into force (%(date)s).")
                found.append((action, "date", message % {"date": min(in_force)}))
            elif began and not _not_before(action.date, min(began)):
                message = gettext("It cannot end before it was signed or consented to (%(date)s).")
                found.append((action, "date", message % {"date": min(began)}))
    return found


def summary_dates(actions: Iterable[AgreementAction]) -> dict:
    """The agreement's summary columns: the first signature (and its place), the first consent
    to be bound, the first entry into force and the termination; None where none is dated."""
    actions = sorted(actions, key=lambda a: a.sort_key)

    def first(kinds, instrument_only=False):
        for action in actions:
            if action.kind in kinds and action.date is not None and not (instrument_only and action.party_id):
                return action
        return None

    signature = first(SIGNATURES)
    placed = signature or next((a for a in actions if a.kind in SIGNATURES and a.place), None)
    termination = first({ActionKind.TERMINATION}, instrument_only=True)
    return {
        "signed": signature.date if signature else None,
        "signed_place": placed.place if placed else "",
        "signed_place_az": placed.place_az if placed else "",
        "signed_place_ru": placed.place_ru if placed else "",
        "ratified": getattr(first(CONSENTS), "date", None),
        "in_force": getattr(first({ActionKind.ENTRY_INTO_FORCE}), "date", None),
        "ended": termination.date if termination else None,
    }


def summary_errors(actions: Iterable[AgreementAction]) -> list[str]:
    """What the agreement's summary of ``actions`` would break: the first consent, entry into
    force or termination before the first signature, a termination before the entry into force
    (the database refuses these, see ``Agreement.Meta.constraints``)."""
    summary = summary_dates(actions)
    errors = {}
    messages = {
        ("signed", "ratified"): gettext(
            "Then the first consent to be bound (%(end)s) would come before the first signature (%(start)s): "
            "record the earlier action, or check the dates."
        ),
        ("signed", "in_force"): gettext(
            "Then the first entry into force (%(end)s) would come before the first signature (%(start)s): "
            "record the earlier action, or check the dates."
        ),
        ("signed", "ended"): gettext(
            "Then the termination (%(end)s) would come before the first signature (%(start)s): "
            "record the earlier action, or check the dates."
        ),
        ("in_force", "ended"): gettext(
            "Then the termination (%(end)s) would come before the first entry into force (%(start)s): "
            "record the earlier action, or check the dates."
        ),
    }
    for (start, end), message in messages.items():
        values = {"start": summary[start], "end": summary[end]}
        check_range(errors, start, summary[start], end, summary[end], message % values)
    return [message for messages in errors.values() for message in messages]


def _has_come(date: PartialDate | None, today: int) -> bool:
    return date is not None and int(date) <= today


@dataclass
class Participation:
    """One party's row in the party-by-party table (the UNTC's "Participant / Signature /
    Ratification, Acceptance(A), Approval(AA), Accession(a)"), and its status as of today."""

    party: object
    signature: AgreementAction | None = None
    consent: AgreementAction | None = None
    in_force: PartialDate | None = None
    withdrawal: AgreementAction | None = None
    status: str = "unknown"

    STATUS_LABELS = {
        "withdrawn": _("Withdrawn"),
        "in-force": _("In force for it"),
        "consented": _("Consented to be bound"),
        "signed": _("Signed"),
        "ended": _("Ended"),
        "unknown": _("Dates not recorded"),
    }

    @property
    def status_label(self) -> str:
        return str(self.STATUS_LABELS[self.status])


def participation(
    actions: Sequence[AgreementAction], parties: Sequence, today: datetime.date | None = None
) -> list[Participation]:
    """Each of ``parties`` (partners) with its signature, its consent to be bound (and how), the
    date it is in force for it and its withdrawal, from its own actions and those for every party.

    The instrument's entry into force counts for a party only if the party's consent, when
    recorded, is not later (a party that ratifies later is bound from its own date, which the
    sources must give)."""
    today_value = int(PartialDate.from_date(today or datetime.date.today()))
    actions = sorted(actions, key=lambda a: a.sort_key)
    rows = []
    for party in parties:

        def first(kinds, own_only=False, party=party):
            """The party's own first action of ``kinds``; failing that, the first for every party."""
            own = [a for a in actions if a.kind in kinds and a.party_id == party.pk]
            general = [] if own_only else [a for a in actions if a.kind in kinds and a.party_id is None]
            return (own or general or [None])[0]

        row = Participation(party=party)
        row.signature = first(SIGNATURES)
        row.consent = first(CONSENTS)
        own_entry = first({ActionKind.ENTRY_INTO_FORCE}, own_only=True)
        general_entry = first({ActionKind.ENTRY_INTO_FORCE})
        if own_entry:
            row.in_force = own_entry.date
        elif (
            general_entry
            and general_entry.date
            and (row.consent is None or row.consent.date is None or general_entry.date.may_end(row.consent.date))
        ):
            row.in_force = general_entry.date
        row.withdrawal = first({ActionKind.DENUNCIATION}, own_only=True)
        termination = first({ActionKind.TERMINATION})
        if termination and _has_come(termination.date, today_value):
            row.status = "ended"
        elif row.withdrawal and _has_come(row.withdrawal.date, today_value):
            row.status = "withdrawn"
        elif _has_come(row.in_force, today_value):
            row.status = "in-force"
        elif row.consent and _has_come(row.consent.date, today_value):
            row.status = "consented"
        elif row.signature and _has_come(row.signature.date, today_value):
            row.status = "signed"
        rows.append(row)
    return rows


def needs_party_table(actions: Sequence[AgreementAction], parties: Sequence) -> bool:
    """An instrument with more than two parties, or with an action of one party only."""
    return len(parties) > 2 or any(action.party_id for action in actions)


label(
    AgreementAction,
    _("agreement action"),
    _("agreement actions"),
    agreement=_("agreement"),
    kind=_("kind"),
    date=_("date"),
    party=_("party"),
    place=_("place"),
    location=_("location"),
    act=_("act"),
    note=_("note"),
    ordering=_("ordering"),
)
