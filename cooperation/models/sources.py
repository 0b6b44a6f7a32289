"""Sources, and what records take from them: citations, and claims where sources disagree."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cooperation.core.models import ReadableText, Record, RecordHistory
from cooperation.core.partial_dates import PartialDateField
from cooperation.core.text import language_name


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
    description = models.TextField(
        blank=True,
        help_text="Shown on the public page: what the document is, for a reader, in plain words "
        "(who speaks in it, what it covers, how its paragraphs are counted). Nothing only staff need.",
    )
    notes = models.TextField(
        "staff notes",
        blank=True,
        help_text="Staff only, never shown on the public site: how the copy was found, what to check, "
        "how far it can be trusted.",
    )

    history = RecordHistory()

    class Meta:
        permissions = [("publish_source", "Can publish and unpublish sources")]
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def language_name(self) -> str:
        """The language's name for a reader ("English"), not its code."""
        return language_name(self.language)

    def get_absolute_url(self):
        return reverse("cooperation:source-detail", kwargs={"slug": self.slug})


class AttachedQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Citation(ReadableText):
    """A record cites a source, at a page or section."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    locator = models.CharField(max_length=200, blank=True, help_text="Page, section or paragraph.")

    objects = AttachedQuerySet.as_manager()

    history = RecordHistory()

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


class Claim(ReadableText):
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
    reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown on the public page, for the preferred claim only, after “The registry shows "
        "… because”: why the record follows this source, in plain words (“the page is "
        "devoted to these relations and gives the place and the parties”). Leave empty if there is none.",
    )
    note = models.TextField(
        "staff note",
        blank=True,
        help_text="Staff only, never shown on the public site: why this claim is or is not preferred, what to check.",
    )

    objects = AttachedQuerySet.as_manager()

    history = RecordHistory()

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
