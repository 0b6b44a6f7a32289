"""Projects, the partners' roles in them, and which years a project is active in."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cooperation.core.indexes import ListOrderIndex
from cooperation.core.models import CitedRecord, ReadableText, RecordHistory, RecordQuerySet
from cooperation.core.partial_dates import (
    DateQualifierField,
    PartialDateField,
    check_range,
    format_range,
    range_constraint,
)
from cooperation.core.timeline import ORDER_PROJECT_ENDED, ORDER_PROJECT_STARTED, TimelineEntry
from cooperation.models.agreements import Agreement
from cooperation.models.topics import Topic


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
    start_qualifier = DateQualifierField()
    start = PartialDateField(null=True, blank=True, qualifier_field="start_qualifier")
    end_qualifier = DateQualifierField()
    end = PartialDateField(null=True, blank=True, qualifier_field="end_qualifier")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNKNOWN)
    partners = models.ManyToManyField("partners.Partner", through="ProjectPartner", related_name="projects")
    topics = models.ManyToManyField(Topic, related_name="projects", blank=True)
    agreements = models.ManyToManyField(
        Agreement, related_name="projects", blank=True, help_text="Agreements the project is based on."
    )
    description = models.TextField(blank=True)

    objects = ProjectQuerySet.as_manager()

    history = RecordHistory(m2m_fields=["topics", "agreements"])

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


class ProjectPartner(ReadableText):
    class Role(models.TextChoices):
        IMPLEMENTING = "implementing", "Implementing"
        FUNDING = "funding", "Funding"
        BENEFICIARY = "beneficiary", "Beneficiary"
        OTHER = "other", "Other"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_partners")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="project_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    note = models.CharField(max_length=200, blank=True)

    history = RecordHistory()

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
