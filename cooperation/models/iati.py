"""What the IATI import (cooperation/iati/) keeps: the table staff edit that maps IATI sectors
and tags to topics, and one record per imported activity (which project it became, from which
file, and a fingerprint of what was written, so a re-import knows what is unchanged and what
staff have edited since)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cooperation.core.labels import label
from cooperation.core.partial_dates import PartialDate
from cooperation.models.projects import Project
from cooperation.models.sources import Source
from cooperation.models.topics import Topic


class IatiTopicMapping(models.Model):
    """An IATI sector or tag code (in its vocabulary) that means one of the registry's topics."""

    class Element(models.TextChoices):
        SECTOR = "sector", _("Sector")
        TAG = "tag", _("Tag")

    element = models.CharField(max_length=10, choices=Element.choices, default=Element.SECTOR)
    vocabulary = models.CharField(
        max_length=10,
        default="1",
        help_text=_(
            "The IATI vocabulary: for sectors 1 is the OECD DAC 5-digit code, 2 the DAC 3-digit "
            "category, 7 the UN SDG goals; for tags 2 is the UN SDG goals, 3 their targets."
        ),
    )
    code = models.CharField(max_length=40, help_text=_("The code in that vocabulary, e.g. 15190 or 10."))
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="iati_mappings")

    class Meta:
        ordering = ["element", "vocabulary", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "vocabulary", "code", "topic"],
                name="iati_topic_mapping_unique",
                violation_error_message=_("This code is already mapped to this topic."),
            )
        ]

    def __str__(self):
        return f"{self.get_element_display()} {self.vocabulary}/{self.code} → {self.topic}"


class IatiActivity(models.Model):
    """The IATI activity a project was imported from, and what the import last wrote."""

    identifier = models.CharField(max_length=200, unique=True)
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="iati_activity")
    publisher = models.CharField(max_length=200, blank=True, help_text=_("The reporting organisation's reference."))
    publisher_name = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iati_activities",
        help_text=_("The IATI file the activity was last imported from."),
    )
    recipient_countries = CountryField(
        multiple=True, blank=True, help_text=_("The countries the activity is for, as the file gives them.")
    )
    file_name = models.CharField(max_length=500, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    last_updated = models.DateTimeField(
        null=True, blank=True, help_text=_("The activity's last-updated-datetime in the file.")
    )
    imported_at = models.DateTimeField(auto_now=True)
    written = models.JSONField(
        default=dict, help_text=_("The values the import wrote: the project's differ from them once staff edit it.")
    )
    data_fingerprint = models.CharField(max_length=64, help_text=_("A hash of the activity as the file gave it."))

    class Meta:
        ordering = ["identifier"]

    def __str__(self):
        return self.identifier

    @property
    def publisher_label(self) -> str:
        return self.publisher_name or self.publisher

    @property
    def as_of(self) -> PartialDate:
        """The day of the data: the activity's last update, else the day it was imported."""
        moment = self.last_updated or self.imported_at
        return PartialDate.from_date(moment.date())


label(
    IatiTopicMapping,
    _("IATI topic mapping"),
    _("IATI topic mappings"),
    element=_("element"),
    vocabulary=_("vocabulary"),
    code=_("code"),
    topic=_("topic"),
)
label(
    IatiActivity,
    _("imported IATI activity"),
    _("imported IATI activities"),
    identifier=_("IATI identifier"),
    project=_("project"),
    publisher=_("publisher"),
    publisher_name=_("publisher's name"),
    source=_("source"),
    recipient_countries=_("recipient countries"),
    file_name=_("file name"),
    line=_("line"),
    last_updated=_("last updated"),
    imported_at=_("imported at"),
)
