"""Sources, and what records take from them: citations, and claims where sources disagree."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cooperation.core.addresses import slug_url
from cooperation.core.document_files import ALLOWED, check_document_file, document_type
from cooperation.core.documents import locator_anchor, locator_text
from cooperation.core.labels import label
from cooperation.core.models import ReadableText, Record, RecordHistory
from cooperation.core.partial_dates import DateQualifierField, PartialDateField
from cooperation.core.text import language_name
from cooperation.core.translation import translations


def validate_source_file(value: FieldFile) -> None:
    """An uploaded file is one the registry keeps (cooperation/core/document_files.py); a file
    already stored was checked when it came in."""
    if getattr(value, "_committed", True):
        return
    check_document_file(value.file, name=value.name, size=value.size, max_bytes=settings.SOURCE_FILE_MAX_BYTES)


class Source(Record):
    """A document facts come from."""

    class Kind(models.TextChoices):
        WEB_PAGE = "web-page", _("Web page")
        PRESS_RELEASE = "press-release", _("Press release")
        LEGAL_TEXT = "legal-text", _("Legal text")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WEB_PAGE)
    publisher = models.CharField(max_length=200, blank=True, help_text=_("Leave empty if the document does not say."))
    date_qualifier = DateQualifierField()
    date = PartialDateField(
        null=True,
        blank=True,
        help_text=_("Publication date, if the document gives one."),
        qualifier_field="date_qualifier",
    )
    language = models.CharField(max_length=10, default="en", help_text=_("ISO 639-1 code, e.g. en, az, ru."))
    label = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "Tells this source apart from others with the same title, e.g. “overview to 2008”. "
            "Shown after the title wherever the source is named."
        ),
    )
    retrieved = PartialDateField(
        null=True,
        blank=True,
        help_text=_("When the registry's copy was taken, if known (shown when the document has no date)."),
    )
    url = models.URLField(
        _("original address"), blank=True, max_length=500, help_text=_("Where the document is published.")
    )
    file = models.FileField(
        upload_to="sources/",
        blank=True,
        validators=[validate_source_file],
        help_text=format_lazy(
            _("The registry's copy of the document: {allowed}. The public can open it once the source is published."),
            allowed=ALLOWED,
        ),
    )
    reference = models.CharField(
        max_length=200, blank=True, help_text=_("Where the registry's copy is kept, e.g. an archive file name.")
    )
    description = models.TextField(
        blank=True,
        help_text=_(
            "Shown on the public page: what the document is, for a reader, in plain words "
            "(who speaks in it, what it covers, how its paragraphs are counted). Nothing only staff need."
        ),
    )
    description_az, description_ru = translations(description, "description")
    notes = models.TextField(
        _("staff notes"),
        blank=True,
        help_text=_(
            "Staff only, never shown on the public site: how the copy was found, what to check, "
            "how far it can be trusted."
        ),
    )

    history = RecordHistory()

    class Meta:
        permissions = [("publish_source", "Can publish and unpublish sources")]
        ordering = ["title", "label", "pk"]

    def __str__(self):
        return self.display_name

    @property
    def language_name(self) -> str:
        """The language's name for a reader, in the page's language ("English"), not its code."""
        return language_name(self.language)

    def get_absolute_url(self):
        return slug_url("cooperation:source-detail", self.slug)

    # How a source is named: wherever a source is named (citations, claims, search results, the
    # admin's lists and pickers), two sources with one title are told apart by their label,
    # publisher and date.
    @property
    def name_with_label(self) -> str:
        """The title, and the label that tells it apart: "International cooperation (overview to 2008)"."""
        return f"{self.title} ({self.label})" if self.label else self.title

    @property
    def display_name(self) -> str:
        """The name a source goes by everywhere: title (label), publisher, date (or when retrieved)."""
        parts = [self.name_with_label]
        if self.publisher:
            parts.append(self.publisher)
        if self.date:
            parts.append(str(self.date))
        elif self.retrieved:
            parts.append(f"retrieved {self.retrieved}")
        return ", ".join(parts)

    # The registry's copy ---------------------------------------------------------------------
    @property
    def file_type(self):
        """The type of the file kept (cooperation/core/document_files.py), None without one."""
        return document_type(self.file.name) if self.file else None

    @property
    def has_text(self) -> bool:
        """Whether the copy is plain text, which the reading view shows with numbered paragraphs."""
        kind = self.file_type
        return kind is not None and kind.content_type.startswith("text/plain")

    def get_text_url(self) -> str:
        """The reading view of the copy ('' unless it is plain text)."""
        return slug_url("cooperation:source-text", self.slug) if self.has_text else ""

    def get_file_url(self) -> str:
        """The copy, as a download ('' without one)."""
        return slug_url("cooperation:source-file", self.slug) if self.file else ""

    def place_url(self, locator: str) -> str:
        """Where a locator ("paragraph 3", "paragraph 3, item 4") points in the copy: the reading
        view's paragraph, else the reading view, else the file ('' without a copy)."""
        if self.has_text:
            anchor = locator_anchor(locator)
            return self.get_text_url() + (f"#{anchor}" if anchor else "")
        return self.get_file_url()

    def clean(self):
        super().clean()
        same = Source.objects.filter(
            title__iexact=self.title, publisher__iexact=self.publisher, label__iexact=self.label, date=self.date
        ).exclude(pk=self.pk)
        if self.title and same.exists():
            raise ValidationError(
                {
                    "label": _(
                        "Another source has this title, publisher and date: give each a label that tells "
                        "them apart (e.g. what the document covers)."
                    )
                }
            )


class InSource:
    """A citation's or claim's place in its source's copy (the source read with it)."""

    @property
    def place_url(self) -> str:
        return self.source.place_url(self.locator)

    @property
    def locator_text(self) -> str:
        """The locator in the page's language ("paragraph 3" is "bənd 3" in Azerbaijani)."""
        return locator_text(self.locator)


class AttachedQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Citation(InSource, ReadableText):
    """A record cites a source, at a page or section."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    locator = models.CharField(max_length=200, blank=True, help_text=_("Page, section or paragraph."))

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


class Claim(InSource, ReadableText):
    """What one source says of one fact of a record, where sources disagree.

    The record's own field holds the preferred value; its claims keep every version with its
    source, so the public page can show the discrepancy.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=60, help_text=_("The field the claim is about, e.g. signed, member_states."))
    value = models.CharField(max_length=200, help_text=_("The value as the source states it."))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    locator = models.CharField(max_length=200, blank=True, help_text=_("Page, section or paragraph."))
    preferred = models.BooleanField(default=False, help_text=_("The value the record shows."))
    reason = models.CharField(
        max_length=500,
        blank=True,
        help_text=_(
            "Shown on the public page, for the preferred claim only, after “The registry shows "
            "… because”: why the record follows this source, in plain words (“the page is "
            "devoted to these relations and gives the place and the parties”). Leave empty if there is none."
        ),
    )
    reason_az, reason_ru = translations(reason, "reason")
    note = models.TextField(
        _("staff note"),
        blank=True,
        help_text=_(
            "Staff only, never shown on the public site: why this claim is or is not preferred, what to check."
        ),
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


label(
    Source,
    _("source"),
    _("sources"),
    title=_("title"),
    kind=_("kind"),
    publisher=_("publisher"),
    date=_("date"),
    language=_("language"),
    label=_("label"),
    retrieved=_("retrieved"),
    file=_("file"),
    reference=_("reference"),
    description=_("description"),
)
label(Citation, _("citation"), _("citations"), source=_("source"), locator=_("locator"))
label(
    Claim,
    _("claim"),
    _("claims"),
    field=_("field"),
    value=_("value"),
    source=_("source"),
    locator=_("locator"),
    preferred=_("preferred"),
    reason=_("reason"),
)
