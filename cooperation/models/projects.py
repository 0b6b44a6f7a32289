"""Projects, the partners' roles in them, and which years a project is active in."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from cooperation.core.addresses import slug_url
from cooperation.core.indexes import ListOrderIndex
from cooperation.core.labels import label
from cooperation.core.models import CitedRecord, ReadableText, RecordHistory, RecordQuerySet
from cooperation.core.partial_dates import (
    DateQualifierField,
    PartialDate,
    PartialDateField,
    check_range,
    format_range,
    range_constraint,
)
from cooperation.core.reported import AS_OF_HELP, reported, reported_leading
from cooperation.core.text import lowercase
from cooperation.core.timeline import ORDER_PROJECT_ENDED, ORDER_PROJECT_STARTED, TimelineEntry
from cooperation.core.translation import joined, localized, translations, with_translations
from cooperation.core.words import gettext
from cooperation.models.agreements import Agreement
from cooperation.models.topics import Topic


class ProjectQuerySet(RecordQuerySet):
    def active_in(self, years):
        """Projects active in any of ``years``: never past the last date a source supports.

        A project with a start and an end is active in every year from the one to the other
        ("2007–2008" in both). Without an end, an ongoing project is active from its start year
        to the year its status was reported as of (never past it, never to today); without that
        date, and for any other status, only in its start year. A project without a start is
        active in no year. ``Project.last_active_year`` is the same rule in Python (for counts).
        """
        condition = Q()
        for year in years:
            reported_running = Q(status=Project.Status.ONGOING, status_as_of__year__gte=year)
            open_ended = Q(end__isnull=True) & (Q(start__year=year) | reported_running)
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
        PLANNED = "planned", pgettext_lazy("project status", "Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        UNKNOWN = "unknown", _("Not known")

    title = models.CharField(max_length=400)
    title_az, title_ru = translations(title, "title")
    short_title = models.CharField(max_length=120, blank=True, help_text=_("Acronym or short name, e.g. UNIMIG."))
    short_title_az, short_title_ru = translations(short_title, "short_title")
    phase = models.CharField(max_length=40, blank=True, help_text=_("e.g. Phase III"))
    phase_az, phase_ru = translations(phase, "phase")
    start_qualifier = DateQualifierField()
    start = PartialDateField(null=True, blank=True, qualifier_field="start_qualifier")
    end_qualifier = DateQualifierField()
    end = PartialDateField(null=True, blank=True, qualifier_field="end_qualifier")
    # As planned, where a source (an IATI activity) gives the plan beside what happened: the
    # start and end above are the actual dates when known. Null, so adding them rebuilds no table.
    planned_start = PartialDateField(null=True, blank=True)
    planned_end = PartialDateField(null=True, blank=True)
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.UNKNOWN,
        help_text=_("As a source reports it, on the date below: “ongoing” in a page of 2017 says nothing of today."),
    )
    status_as_of = PartialDateField(
        _("status reported as of"),
        null=True,
        blank=True,
        help_text=format_lazy(
            "{} {}", _(AS_OF_HELP), _("An ongoing project without an end date counts as active up to this year only.")
        ),
    )
    # The countries the project is for (IATI ``recipient-country``): staff enter them, the IATI
    # import fills them. Null, so adding it rebuilds no table (nor drops the count triggers).
    recipient_countries = CountryField(
        multiple=True,
        null=True,
        blank=True,
        help_text=_("The countries the project is for (its recipient countries), in any order."),
    )
    partners = models.ManyToManyField("partners.Partner", through="ProjectPartner", related_name="projects")
    topics = models.ManyToManyField(Topic, related_name="projects", blank=True)
    agreements = models.ManyToManyField(
        Agreement, related_name="projects", blank=True, help_text=_("Agreements the project is based on.")
    )
    description = models.TextField(blank=True)
    description_az, description_ru = translations(description, "description")

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
            # The last changed first (the home page's "newest", the feed, the sitemap's lastmod).
            models.Index(fields=["updated_at", "id"], condition=models.Q(published=True), name="project_changed"),
        ]
        constraints = [range_constraint("start", "end", name="project_end_after_start")]

    # What __str__ reads: all an export reads of a related project (with its slug).
    NAME_FIELDS = with_translations("title", "phase")

    def __str__(self):
        title, phase = localized(self, "title"), localized(self, "phase")
        return joined("{first} – {phase}", title, phase=phase) if phase else title

    def get_absolute_url(self):
        return slug_url("cooperation:project-detail", self.slug)

    @property
    def dates(self):
        return format_range(self.start, self.end)

    def timeline_entries(self, detail=""):
        """Started (or one undated entry) and ended, as timeline entries saying ``detail``; a
        planned project's dates are what was planned ("Project to start (planned)")."""
        url = self.get_absolute_url()
        planned = self.status == Project.Status.PLANNED
        started, ended = (
            (gettext("Project to start (planned)"), gettext("Project to end (planned)"))
            if planned
            else (gettext("Project started"), gettext("Project ended"))
        )
        entries = []
        if self.start is not None or self.end is None:
            kind = started if self.start is not None else gettext("Project")
            entries.append(TimelineEntry(self.start, kind, str(self), url, detail, order=ORDER_PROJECT_STARTED))
        if self.end is not None:
            entries.append(TimelineEntry(self.end, ended, str(self), url, detail, order=ORDER_PROJECT_ENDED))
        return entries

    @property
    def status_text(self) -> str:
        """The status as the public pages say it: "Reported ongoing as of 2017",
        "Planned (reported as of 2008)", "Completed (date of report not recorded)"."""
        if self.status == Project.Status.UNKNOWN:
            return gettext("Status not known")
        if self.status == Project.Status.ONGOING:
            return reported_leading("ongoing", self.status_as_of)
        return reported(str(self.get_status_display()), self.status_as_of)

    @staticmethod
    def last_active_year(first: int, last: int | None, status: str, as_of_year: int | None) -> int:
        """The last year a project that starts in ``first`` counts as active in (the rule of
        ProjectQuerySet.active_in): its end year; without one, the year an ongoing status was
        reported as of (not before its start); otherwise its start year."""
        if last is not None:
            return last
        if status == Project.Status.ONGOING and as_of_year is not None:
            return max(first, as_of_year)
        return first

    def active_years(self) -> range:
        """The years this project counts as active in (empty without a start)."""
        if self.start is None:
            return range(0)
        as_of = self.status_as_of.year if isinstance(self.status_as_of, PartialDate) else None
        last = self.end.year if self.end is not None else None
        return range(self.start.year, self.last_active_year(self.start.year, last, self.status, as_of) + 1)

    def clean(self):
        errors = {}
        check_range(errors, "start", self.start, "end", self.end, _("A project cannot end before it started."))
        if errors:
            raise ValidationError(errors)


class ProjectPartner(ReadableText):
    class Role(models.TextChoices):
        IMPLEMENTING = "implementing", _("Implementing")
        FUNDING = "funding", _("Funding")
        BENEFICIARY = "beneficiary", _("Beneficiary")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_partners")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="project_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    note = models.CharField(max_length=200, blank=True)
    note_az, note_ru = translations(note, "note")

    history = RecordHistory()

    class Meta:
        ordering = ["role", "partner__name"]
        verbose_name = _("project partner")
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
        return f"{self.partner.short_name} ({lowercase(self.get_role_display())})"


label(
    Project,
    _("project"),
    _("projects"),
    title=_("title"),
    short_title=_("short title"),
    phase=_("phase"),
    start=_("start"),
    end=_("end"),
    status=_("status"),
    planned_start=_("planned start"),
    planned_end=_("planned end"),
    recipient_countries=_("recipient countries"),
    description=_("description"),
    partners=_("partners"),
    topics=_("topics"),
    agreements=_("agreements"),
)
label(
    ProjectPartner,
    None,
    _("project partners"),
    project=_("project"),
    partner=_("partner"),
    role=_("role"),
    note=_("note"),
)
