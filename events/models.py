from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.urls import reverse
from django_countries.fields import CountryField

from cooperation.core.indexes import ListOrderIndex
from cooperation.core.models import CitedRecord, RecordHistory, RecordQuerySet
from cooperation.core.partial_dates import (
    DateQualifierField,
    PartialDateField,
    check_range,
    format_range,
    range_constraint,
)
from cooperation.core.timeline import ORDER_MEETING, TimelineEntry


class MeetingQuerySet(RecordQuerySet):
    def list_prefetches(self):
        from partners.models import Partner

        return [models.Prefetch("partners", queryset=Partner.objects.published())]


class Meeting(CitedRecord):
    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        BILATERAL_MEETING = "bilateral-meeting", "Bilateral meeting"
        GOVERNING_BODY_SESSION = "governing-body-session", "Governing-body session"
        SUMMIT = "summit", "Summit"
        CONFERENCE = "conference", "Conference"
        TRAINING = "training", "Training"
        WORKING_GROUP = "working-group", "Working group"
        SIGNING_CEREMONY = "signing-ceremony", "Signing ceremony"
        EXPERT_MEETING = "expert-meeting", "Expert meeting"
        OTHER = "other", "Other"

    title = models.CharField(max_length=400)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start_qualifier = DateQualifierField()
    start = PartialDateField(
        null=True, blank=True, help_text="Leave empty if the sources give no date.", qualifier_field="start_qualifier"
    )
    end_qualifier = DateQualifierField()
    end = PartialDateField(
        null=True, blank=True, help_text="For meetings over several days.", qualifier_field="end_qualifier"
    )
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    partners = models.ManyToManyField("partners.Partner", related_name="meetings", blank=True)
    participants = models.ManyToManyField("partners.Person", related_name="meetings", blank=True)
    participants_note = models.CharField(
        max_length=300, blank=True, help_text="Participants the sources do not name, e.g. “SMS employees”."
    )
    agreements = models.ManyToManyField(
        "cooperation.Agreement", related_name="meetings", blank=True, help_text="Agreements signed or discussed there."
    )
    projects = models.ManyToManyField("cooperation.Project", related_name="meetings", blank=True)
    description = models.TextField(blank=True)

    objects = MeetingQuerySet.as_manager()

    history = RecordHistory(m2m_fields=["partners", "participants", "agreements", "projects"])

    class Meta:
        permissions = [("publish_meeting", "Can publish and unpublish meetings")]
        ordering = [models.F("start").desc(nulls_last=True), "title"]
        indexes = [
            # Oldest first, and a year's range (start BETWEEN 20060000 AND 20069999).
            models.Index(fields=["published", "start"], name="meeting_published_start"),
            # The list's own order, newest first and undated last, so a page is read in index
            # order instead of sorting the table (see docs/performance.md): the public list skips
            # the drafts as it reads, the admin's list (drafts too) reads it as it is. By kind;
            # by title.
            ListOrderIndex(F("start").desc(nulls_last=True), F("title"), F("id"), name="meeting_newest"),
            ListOrderIndex(F("published"), F("kind"), F("start").desc(nulls_last=True), name="meeting_kind_newest"),
            models.Index(fields=["published", "title", "id"], name="meeting_published_title"),
        ]
        constraints = [range_constraint("start", "end", name="meeting_end_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:meeting-detail", kwargs={"slug": self.slug})

    @property
    def dates(self):
        return format_range(self.start, self.end)

    @property
    def place(self):
        return ", ".join(part for part in [self.city, self.country.name if self.country else ""] if part)

    def timeline_entry(self):
        """The meeting as one entry of a timeline (a partner's)."""
        return TimelineEntry(
            date=self.start,
            end=self.end,
            kind=self.get_kind_display(),
            text=self.title,
            url=self.get_absolute_url(),
            detail=self.place,
            order=ORDER_MEETING,
        )

    def clean(self):
        errors = {}
        check_range(errors, "start", self.start, "end", self.end, "A meeting cannot end before it started.")
        if self.end is not None and self.start is None:
            errors.setdefault("start", []).append("Give the start date too, or leave both empty.")
        if errors:
            raise ValidationError(errors)
