"""Agreements: their kinds, their status, and the summary of their actions (signed, ratified, in
force, ended) that lists filter and sort on; the actions themselves are in ``actions.py``."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from cooperation.core.addresses import slug_url
from cooperation.core.indexes import ListOrderIndex
from cooperation.core.labels import label
from cooperation.core.models import CitedRecord, RecordHistory, RecordQuerySet
from cooperation.core.partial_dates import PartialDate, PartialDateField, check_range, range_constraint
from cooperation.core.timeline import ORDER_AGREEMENT_STAGE, TimelineEntry, detail_html, phrase_html
from cooperation.core.translation import first_localized, localized, translations, with_translations
from cooperation.core.words import gettext
from cooperation.models.topics import Topic


@dataclass(frozen=True)
class AgreementStage:
    """One stage of an agreement (signed, ratified, entered into force, ended): its date, and
    for the signing its place."""

    field: str
    label: str
    date: PartialDate | None
    place: str = ""


class AgreementQuerySet(RecordQuerySet):
    def with_status(self, today=None):
        """Annotate ``current_status``: the latest stage whose date has come (see Agreement.status)."""
        today = int(PartialDate.from_date(today or datetime.date.today()))
        whens = [When(**{f"{field}__lte": today}, then=Value(status)) for field, status in Agreement.STAGES[::-1]]
        return self.annotate(
            current_status=Case(*whens, default=Value(Agreement.Status.UNKNOWN), output_field=models.CharField())
        )

    def list_prefetches(self):
        """Published parties, and the actions (with their party) that the API's rows give."""
        from cooperation.models.actions import AgreementAction
        from partners.models import Partner

        actions = AgreementAction.objects.filter(
            models.Q(party__isnull=True) | models.Q(party__published=True)
        ).select_related("party", "location")
        return [models.Prefetch("parties", queryset=Partner.objects.published()), models.Prefetch("actions", actions)]

    def for_list(self):
        return super().for_list().with_status()


class Agreement(CitedRecord):
    class Kind(models.TextChoices):
        COOPERATION_AGREEMENT = "cooperation-agreement", _("Cooperation agreement")
        MEMORANDUM = "memorandum-of-understanding", _("Memorandum of understanding")
        READMISSION_AGREEMENT = "readmission-agreement", _("Readmission agreement")
        VISA_FACILITATION = "visa-facilitation-agreement", _("Visa facilitation agreement")
        JOINT_DECLARATION = "joint-declaration", _("Joint declaration")
        ACCESSION = "accession", _("Accession to a constitution or convention")
        ACTION_PLAN = "action-plan", _("Action plan")
        MULTILATERAL_AGREEMENT = "multilateral-agreement", _("Multilateral agreement")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SIGNED = "signed", _("Signed")
        RATIFIED = "ratified", _("Ratified, approved or acceded to")
        IN_FORCE = "in-force", _("In force")
        ENDED = "ended", _("Ended")
        UNKNOWN = "unknown", _("Dates not recorded")

    # (field, status) in the order the stages happen.
    STAGES = [
        ("signed", Status.SIGNED),
        ("ratified", Status.RATIFIED),
        ("in_force", Status.IN_FORCE),
        ("ended", Status.ENDED),
    ]
    STAGE_LABELS = {
        "signed": _("Signed"),
        # Every first consent to be bound (ratification, approval, acceptance, accession …), as the
        # status says it: an agreement acceded to is not "ratified".
        "ratified": _("Ratified, approved or acceded to"),
        "in_force": _("Entered into force"),
        "ended": _("Ended"),
    }

    title = models.CharField(max_length=400)
    title_az, title_ru = translations(title, "title")
    short_title = models.CharField(max_length=120, blank=True, help_text=_("How people usually refer to it."))
    short_title_az, short_title_ru = translations(short_title, "short_title")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    parties = models.ManyToManyField("partners.Partner", related_name="agreements")
    topics = models.ManyToManyField(Topic, related_name="agreements", blank=True)
    # The summary of the actions (actions.summary_dates): kept by the actions, never edited by hand.
    signed = PartialDateField(
        null=True, blank=True, editable=False, help_text=_("The first signature: kept from the actions.")
    )
    signed_place = models.CharField(
        max_length=120,
        blank=True,
        editable=False,
        help_text=_("Where the first signature took place: kept from the actions."),
    )
    signed_place_az, signed_place_ru = translations(signed_place, "signed_place")
    ratified = PartialDateField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The first consent to be bound (ratification, approval, accession …): kept from the actions."),
    )
    in_force = PartialDateField(
        _("entered into force"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The first entry into force: kept from the actions."),
    )
    ended = PartialDateField(
        null=True, blank=True, editable=False, help_text=_("The termination for every party: kept from the actions.")
    )
    legal_summary = models.TextField(
        _("legal notes"),
        blank=True,
        help_text=_(
            "Shown on the public page: the ratifying act, decree, reservations or what ended it, "
            "in plain words for a reader, and what the sources leave open. Nothing only staff need."
        ),
    )
    legal_summary_az, legal_summary_ru = translations(legal_summary, "legal_summary")
    legal_notes = models.TextField(
        _("staff legal notes"),
        blank=True,
        help_text=_("Staff only, never shown on the public site: how the dates were entered, what to confirm."),
    )
    description = models.TextField(blank=True)
    description_az, description_ru = translations(description, "description")

    objects = AgreementQuerySet.as_manager()

    history = RecordHistory(m2m_fields=["parties", "topics"])

    class Meta:
        permissions = [("publish_agreement", "Can publish and unpublish agreements")]
        ordering = [models.F("signed").desc(nulls_last=True), "title"]
        indexes = [
            models.Index(fields=["published", "signed"], name="agreement_published_signed"),
            models.Index(fields=["published", "kind", "signed"], name="agreement_published_kind"),
            # The list's own order, newest first and undated last (the public list skips the
            # drafts as it reads it, the admin reads it as it is); and by title.
            ListOrderIndex(
                models.F("signed").desc(nulls_last=True),
                models.F("title"),
                models.F("id"),
                name="agreement_newest",
            ),
            models.Index(fields=["published", "title", "id"], name="agreement_published_title"),
            # The last changed first (the home page's "newest", the feed, the sitemap's lastmod).
            models.Index(fields=["updated_at", "id"], condition=models.Q(published=True), name="agreement_changed"),
        ]
        constraints = [
            range_constraint("signed", "ratified", name="agreement_ratified_after_signed"),
            range_constraint("signed", "in_force", name="agreement_in_force_after_signed"),
            range_constraint("signed", "ended", name="agreement_ended_after_signed"),
            range_constraint("in_force", "ended", name="agreement_ended_after_in_force"),
        ]

    # The summary columns sources may make claims about (the admin's claim picker offers them).
    CLAIMABLE_SUMMARY = ("signed", "signed_place", "ratified", "in_force", "ended")

    # What __str__ reads: all an export reads of a related agreement (with its slug).
    NAME_FIELDS = with_translations("title", "short_title")

    def __str__(self):
        return first_localized(self, "short_title", "title")

    def get_absolute_url(self):
        return slug_url("cooperation:agreement-detail", self.slug)

    @property
    def status(self):
        """The latest stage whose date has come; the same rule as ``with_status()``."""
        today = int(PartialDate.from_date(datetime.date.today()))
        for field, status in self.STAGES[::-1]:
            value = getattr(self, field)
            if value is not None and int(value) <= today:
                return status
        return self.Status.UNKNOWN

    @property
    def status_label(self):
        """The status's label, from the ``with_status()`` annotation when the row has it."""
        return str(self.Status(getattr(self, "current_status", None) or self.status).label)

    def stages(self, recorded_only=False):
        """Signed, ratified, entered into force, ended: the summary columns as
        :class:`AgreementStage` (and the place of the first signature); "ended" only if it has a
        date, and with ``recorded_only`` every stage."""
        stages = []
        for name, _status in self.STAGES:
            date = getattr(self, name)
            if date is None and (recorded_only or name == "ended"):
                continue
            place = self.signed_place if name == "signed" else ""
            stages.append(AgreementStage(name, str(self.STAGE_LABELS[name]), date, place))
        return stages

    def save(self, *args, **kwargs):
        """Keep the summary columns those of the actions, whatever writes the row (a form, a
        revert of an old version, a script): one query for a saved agreement."""
        if self.pk and not self._state.adding and not getattr(self, "_summary_fresh", False):
            changed = self._apply_summary(list(self.actions.all()))
            if changed and kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], *changed}
        self._summary_fresh = False
        super().save(*args, **kwargs)

    def _apply_summary(self, actions):
        from cooperation.models.actions import summary_dates

        changed = []
        for name, value in summary_dates(actions).items():
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
        return changed

    def sync_dates(self, actions=None) -> list[str]:
        """Write the summary of ``actions`` (by default the saved ones) if it changed: a save, so
        the search index and the cache follow; the names of the changed columns."""
        changed = self._apply_summary(list(self.actions.all()) if actions is None else actions)
        if changed:
            # No version of its own: the summary is derived (the history shows the actions'
            # rows, and leaves these non-editable columns out); signals still run (search, cache).
            skip = getattr(self, "skip_history_when_saving", None)
            self._summary_fresh = self.skip_history_when_saving = True
            try:
                self.save(update_fields=[*changed, "updated_at"])
            finally:
                if skip is None:
                    del self.skip_history_when_saving
        return changed

    def timeline_entries(self):
        """Each action as its own timeline entry, with its party and place (one undated entry
        if none is recorded), in the page's language; the actions read with the agreement
        (``prefetch_related``)."""
        from cooperation.models.actions import KIND_ORDER, TIMELINE_KINDS

        entries = []
        text, url = str(self), self.get_absolute_url()  # the same on each of its entries
        for action in sorted(self.actions.all(), key=lambda a: a.sort_key):
            detail = detail_html(
                # str(): the party's name as a LocalizedText, which marks it where it is English.
                phrase_html(gettext("by %(party)s"), party=str(action.party)) if action.party_id else "",
                phrase_html(gettext("in %(place)s"), place=localized(action, "place")) if action.place else "",
            )
            entries.append(
                TimelineEntry(
                    date=action.date,
                    kind=str(TIMELINE_KINDS.get(action.kind, action.kind)),
                    text=text,
                    url=url,
                    detail=detail,
                    order=ORDER_AGREEMENT_STAGE + min(KIND_ORDER.get(action.kind, 0), 9),
                )
            )
        if not entries:
            entries.append(TimelineEntry(None, gettext("Agreement"), text, url))
        return entries

    def clean(self):
        errors = {}
        check_range(
            errors, "signed", self.signed, "ratified", self.ratified, _("It cannot be ratified before it was signed.")
        )
        check_range(
            errors,
            "signed",
            self.signed,
            "in_force",
            self.in_force,
            _("It cannot enter into force before it was signed."),
        )
        check_range(errors, "signed", self.signed, "ended", self.ended, _("It cannot end before it was signed."))
        check_range(
            errors, "in_force", self.in_force, "ended", self.ended, _("It cannot end before it entered into force.")
        )
        if errors:
            raise ValidationError(errors)


label(
    Agreement,
    _("agreement"),
    _("agreements"),
    title=_("title"),
    short_title=_("short title"),
    kind=_("kind"),
    signed=_("signed"),
    signed_place=_("signed place"),
    ratified=_("ratified"),
    ended=_("ended"),
    description=_("description"),
    parties=_("parties"),
    topics=_("topics"),
)
