import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cooperation.core.indexes import ListOrderIndex
from cooperation.core.models import CitedRecord, Record, RecordQuerySet
from cooperation.core.partial_dates import PartialDate, PartialDateField, check_range, format_range, range_constraint
from cooperation.core.timeline import ORDER_AGREEMENT_STAGE, ORDER_PROJECT_ENDED, ORDER_PROJECT_STARTED, TimelineEntry


class Topic(CitedRecord):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("publish_topic", "Can publish and unpublish topics")]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:topic-detail", kwargs={"slug": self.slug})


class Source(Record):
    """A document facts come from."""

    class Kind(models.TextChoices):
        WEB_PAGE = "web-page", "Web page"
        PRESS_RELEASE = "press-release", "Press release"
        LEGAL_TEXT = "legal-text", "Legal text"
        REPORT = "report", "Report"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WEB_PAGE)
    publisher = models.CharField(max_length=200, blank=True, help_text="Leave empty if the document does not say.")
    date = PartialDateField(null=True, blank=True, help_text="Publication date, if the document gives one.")
    language = models.CharField(max_length=10, default="en", help_text="ISO 639-1 code, e.g. en, az, ru.")
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to="sources/", blank=True)
    reference = models.CharField(
        max_length=200, blank=True, help_text="Where the registry's copy is kept, e.g. an archive file name."
    )
    notes = models.TextField(blank=True, help_text="What the document is, and how far it can be trusted.")

    history = HistoricalRecords()

    class Meta:
        permissions = [("publish_source", "Can publish and unpublish sources")]
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:source-detail", kwargs={"slug": self.slug})


class AttachedQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Citation(models.Model):
    """A record cites a source, at a page or section."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    locator = models.CharField(max_length=200, blank=True, help_text="Page, section or paragraph.")

    objects = AttachedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["source__title", "locator"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_target")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id", "locator"],
                name="citation_unique",
                violation_error_message="This record already cites this source at this place.",
            )
        ]

    def __str__(self):
        return f"{self.source}{', ' + self.locator if self.locator else ''}"


class Claim(models.Model):
    """What one source says of one fact of a record, where sources disagree.

    The record's own field holds the preferred value; its claims keep every version with its
    source, so the public page can show the discrepancy.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=60, help_text="The field the claim is about, e.g. signed, member_states.")
    value = models.CharField(max_length=200, help_text="The value as the source states it.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    locator = models.CharField(max_length=200, blank=True, help_text="Page, section or paragraph.")
    preferred = models.BooleanField(default=False, help_text="The value the record shows.")
    note = models.TextField(blank=True, help_text="Why this claim is or is not preferred.")

    objects = AttachedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["field", "-preferred", "source__title"]
        indexes = [models.Index(fields=["content_type", "object_id", "field"], name="claim_target")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "source", "value"],
                name="claim_unique",
                violation_error_message="This source's claim is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"],
                condition=Q(preferred=True),
                name="claim_one_preferred",
                violation_error_message="Only one claim about a fact can be preferred.",
            ),
        ]

    def __str__(self):
        return f"{self.field}: {self.value} ({self.source})"


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
        from partners.models import Partner

        return [models.Prefetch("parties", queryset=Partner.objects.published())]

    def for_list(self):
        return super().for_list().with_status()


class Agreement(CitedRecord):
    class Kind(models.TextChoices):
        COOPERATION_AGREEMENT = "cooperation-agreement", "Cooperation agreement"
        MEMORANDUM = "memorandum-of-understanding", "Memorandum of understanding"
        READMISSION_AGREEMENT = "readmission-agreement", "Readmission agreement"
        VISA_FACILITATION = "visa-facilitation-agreement", "Visa facilitation agreement"
        JOINT_DECLARATION = "joint-declaration", "Joint declaration"
        ACCESSION = "accession", "Accession to a constitution or convention"
        ACTION_PLAN = "action-plan", "Action plan"
        MULTILATERAL_AGREEMENT = "multilateral-agreement", "Multilateral agreement"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        SIGNED = "signed", "Signed"
        RATIFIED = "ratified", "Ratified"
        IN_FORCE = "in-force", "In force"
        ENDED = "ended", "Ended"
        UNKNOWN = "unknown", "Dates not recorded"

    # (field, status) in the order the stages happen.
    STAGES = [
        ("signed", Status.SIGNED),
        ("ratified", Status.RATIFIED),
        ("in_force", Status.IN_FORCE),
        ("ended", Status.ENDED),
    ]
    STAGE_LABELS = {
        "signed": "Signed",
        "ratified": "Ratified",
        "in_force": "Entered into force",
        "ended": "Ended",
    }

    title = models.CharField(max_length=400)
    short_title = models.CharField(max_length=120, blank=True, help_text="How people usually refer to it.")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    parties = models.ManyToManyField("partners.Partner", related_name="agreements")
    topics = models.ManyToManyField(Topic, related_name="agreements", blank=True)
    signed = PartialDateField(null=True, blank=True)
    signed_place = models.CharField(max_length=120, blank=True, help_text="City where it was signed.")
    ratified = PartialDateField(
        null=True, blank=True, help_text="Ratified or approved by the host country (see legal notes for how)."
    )
    in_force = PartialDateField("entered into force", null=True, blank=True)
    ended = PartialDateField(null=True, blank=True)
    legal_notes = models.TextField(blank=True, help_text="Ratifying act, decree, reservations, what ended it.")
    description = models.TextField(blank=True)

    objects = AgreementQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["parties", "topics"])

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
        ]
        constraints = [
            range_constraint("signed", "ratified", name="agreement_ratified_after_signed"),
            range_constraint("signed", "in_force", name="agreement_in_force_after_signed"),
            range_constraint("signed", "ended", name="agreement_ended_after_signed"),
            range_constraint("in_force", "ended", name="agreement_ended_after_in_force"),
        ]

    # What __str__ reads: all an export reads of a related agreement (with its slug).
    NAME_FIELDS = ("title", "short_title")

    def __str__(self):
        return self.short_title or self.title

    def get_absolute_url(self):
        return reverse("cooperation:agreement-detail", kwargs={"slug": self.slug})

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
        return self.Status(getattr(self, "current_status", None) or self.status).label

    def stages(self, recorded_only=False):
        """Signed, ratified, entered into force, ended: each :class:`AgreementStage` with its date
        (and place); "ended" only if it has a date, and with ``recorded_only`` every stage."""
        stages = []
        for name, _status in self.STAGES:
            date = getattr(self, name)
            if date is None and (recorded_only or name == "ended"):
                continue
            place = self.signed_place if name == "signed" else ""
            stages.append(AgreementStage(name, self.STAGE_LABELS[name], date, place))
        return stages

    def timeline_entries(self):
        """Each recorded stage as its own timeline entry (one undated entry if none is)."""
        entries = [
            TimelineEntry(
                date=stage.date,
                kind=f"Agreement {stage.label[0].lower()}{stage.label[1:]}",
                text=str(self),
                url=self.get_absolute_url(),
                detail=f"in {stage.place}" if stage.place else "",
                order=ORDER_AGREEMENT_STAGE + index,
            )
            for index, stage in enumerate(self.stages(recorded_only=True))
        ]
        if not entries:
            entries.append(TimelineEntry(None, "Agreement", str(self), self.get_absolute_url()))
        return entries

    def clean(self):
        errors = {}
        check_range(
            errors, "signed", self.signed, "ratified", self.ratified, "It cannot be ratified before it was signed."
        )
        check_range(
            errors, "signed", self.signed, "in_force", self.in_force, "It cannot enter into force before it was signed."
        )
        check_range(errors, "signed", self.signed, "ended", self.ended, "It cannot end before it was signed.")
        check_range(
            errors, "in_force", self.in_force, "ended", self.ended, "It cannot end before it entered into force."
        )
        if errors:
            raise ValidationError(errors)


class ProjectQuerySet(RecordQuerySet):
    def active_in(self, years, today=None):
        """Projects active in any of ``years``: started on or before the year and not ended
        before it. Without an end date an ongoing project runs until the current year; any
        other project without an end date counts only in its start year."""
        this_year = (today or datetime.date.today()).year
        condition = Q()
        for year in years:
            open_ended = Q(end__isnull=True) & (
                Q(start__year=year) | (Q(status=Project.Status.ONGOING) if year <= this_year else Q(pk__in=[]))
            )
            condition |= Q(start__year__lte=year) & (Q(end__year__gte=year) | open_ended)
        return self.filter(condition) if years else self

    def list_prefetches(self):
        return [
            models.Prefetch("topics", queryset=Topic.objects.published()),
            models.Prefetch(
                "project_partners",
                queryset=ProjectPartner.objects.filter(partner__published=True).select_related("partner"),
            ),
        ]


class Project(CitedRecord):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ONGOING = "ongoing", "Ongoing"
        COMPLETED = "completed", "Completed"
        UNKNOWN = "unknown", "Not known"

    title = models.CharField(max_length=400)
    short_title = models.CharField(max_length=120, blank=True, help_text="Acronym or short name, e.g. UNIMIG.")
    phase = models.CharField(max_length=40, blank=True, help_text="e.g. Phase III")
    start = PartialDateField(null=True, blank=True)
    end = PartialDateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNKNOWN)
    partners = models.ManyToManyField("partners.Partner", through="ProjectPartner", related_name="projects")
    topics = models.ManyToManyField(Topic, related_name="projects", blank=True)
    agreements = models.ManyToManyField(
        Agreement, related_name="projects", blank=True, help_text="Agreements the project is based on."
    )
    description = models.TextField(blank=True)

    objects = ProjectQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["topics", "agreements"])

    class Meta:
        permissions = [("publish_project", "Can publish and unpublish projects")]
        ordering = [models.F("start").desc(nulls_last=True), "title"]
        indexes = [
            models.Index(fields=["published", "start", "end"], name="project_published_dates"),
            models.Index(fields=["published", "status"], name="project_published_status"),
            # The list's own order, newest first and undated last (the public list skips the
            # drafts as it reads it, the admin reads it as it is); and by title.
            ListOrderIndex(
                models.F("start").desc(nulls_last=True),
                models.F("title"),
                models.F("id"),
                name="project_newest",
            ),
            models.Index(fields=["published", "title", "id"], name="project_published_title"),
        ]
        constraints = [range_constraint("start", "end", name="project_end_after_start")]

    # What __str__ reads: all an export reads of a related project (with its slug).
    NAME_FIELDS = ("title", "phase")

    def __str__(self):
        return f"{self.title} – {self.phase}" if self.phase else self.title

    def get_absolute_url(self):
        return reverse("cooperation:project-detail", kwargs={"slug": self.slug})

    @property
    def dates(self):
        return format_range(self.start, self.end)

    def timeline_entries(self, detail=""):
        """Started (or one undated entry) and ended, as timeline entries saying ``detail``."""
        url = self.get_absolute_url()
        entries = []
        if self.start is not None or self.end is None:
            kind = "Project started" if self.start is not None else "Project"
            entries.append(TimelineEntry(self.start, kind, str(self), url, detail, order=ORDER_PROJECT_STARTED))
        if self.end is not None:
            entries.append(TimelineEntry(self.end, "Project ended", str(self), url, detail, order=ORDER_PROJECT_ENDED))
        return entries

    @staticmethod
    def last_active_year(first, last, status, this_year):
        """The last year a project counts as active in (the rule of ProjectQuerySet.active_in)."""
        if last is not None:
            return last
        if status == Project.Status.ONGOING:
            return max(first, this_year)
        return first

    def clean(self):
        errors = {}
        check_range(errors, "start", self.start, "end", self.end, "A project cannot end before it started.")
        if errors:
            raise ValidationError(errors)


class ProjectPartner(models.Model):
    class Role(models.TextChoices):
        IMPLEMENTING = "implementing", "Implementing"
        FUNDING = "funding", "Funding"
        BENEFICIARY = "beneficiary", "Beneficiary"
        OTHER = "other", "Other"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_partners")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="project_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "partner__name"]
        verbose_name = "project partner"
        # A partner's projects (the partner filter, its page) read from the index alone.
        indexes = [models.Index(fields=["partner", "project"], name="projectpartner_partner_project")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "partner", "role"],
                name="project_partner_role_unique",
                violation_error_message="This partner already has this role in the project.",
            )
        ]

    def __str__(self):
        return f"{self.partner.short_name} ({self.get_role_display().lower()})"


class SearchDocument(models.Model):
    """One published record as the site search sees it (``cooperation.search``).

    Written by ``cooperation.search.index_record()`` — signal receivers keep it current — and
    rebuilt by ``manage.py rebuild_search_index``. Drafts never get a row. The full-text index
    lives beside the ORM, created by migration 0002: on PostgreSQL a generated ``search_vector``
    tsvector column (title A, other names B, body C) with a GIN index; on SQLite an FTS5 table,
    ``cooperation_searchdocument_fts``, that triggers keep in step with this table.
    """

    class Kind(models.TextChoices):
        # In the order the search page shows its groups.
        PARTNER = "partner", "Partner"
        AGREEMENT = "agreement", "Agreement"
        PROJECT = "project", "Project"
        MEETING = "meeting", "Meeting"
        OFFICE = "office", "Office"
        PERSON = "person", "Person"
        TOPIC = "topic", "Topic"
        SOURCE = "source", "Source"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    title = models.CharField(max_length=500)
    other_names = models.TextField(blank=True, help_text="Acronyms, short titles, other spellings; one per line.")
    body = models.TextField(blank=True, help_text="The record's other public text: places, partners, topics, notes.")
    name_keys = models.TextField(
        blank=True, help_text="Title and other names in lower case without accents, one per line, for exact matches."
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = "search index entry"
        verbose_name_plural = "search index entries"
        # The lists' name filters read one kind's documents (?q=, see name_lookup()).
        indexes = [models.Index(fields=["kind"], name="searchdocument_kind")]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="searchdocument_one_per_record"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return self.url

    @classmethod
    def name_lookup(cls, kind: str) -> Callable[[str], models.QuerySet]:
        """For a list's name filter (cooperation.core.listing.filters.NameFilter): a function
        giving, for a word as ``name_key`` folds it ("turkiye"), the keys of the ``kind`` records
        one of whose names holds it (a subquery)."""

        def records_named(key: str) -> models.QuerySet:
            return cls.objects.filter(kind=kind, name_keys__contains=key).values("object_id")

        return records_named
