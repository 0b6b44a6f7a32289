"""What every public record has: a slug, a published flag and timestamps, text fields that refuse
what a reader cannot see; and, for every record but a source itself, the sources it cites and
the claims where they disagree."""

from collections.abc import Collection

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from cooperation.core.choices import ChoiceLabels
from cooperation.core.text import unreadable_character


class ReadableText(ChoiceLabels, models.Model):
    """A model whose text fields refuse what a reader cannot see: direction controls (U+202E …)
    and control characters, a line break in a one-line field. Checked with the other field
    rules (``full_clean``), so the admin's forms and the import show the message on the field.
    The base of every record and link model here, so also their choices' labels made once a
    language (cooperation/core/choices.py)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in errors or (exclude and field.name in exclude):
                continue
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            value = getattr(self, field.attname)
            problem = (
                unreadable_character(value, multiline=isinstance(field, models.TextField))
                if isinstance(value, str)
                else None
            )
            if problem:
                errors[field.name] = [problem]
        if errors:
            raise ValidationError(errors)


class RecordQuerySet(models.QuerySet):
    def published(self) -> "RecordQuerySet":
        return self.filter(published=True)

    def list_prefetches(self) -> list[str | models.Prefetch]:
        """The related records a row of the record's public list shows, as prefetch_related()
        lookups: ``for_list()`` reads them with the rows; a list page reads them only for the
        rows it has not cached (FilteredListView.render_rows)."""
        return []

    def for_list(self) -> "RecordQuerySet":
        """The rows of the record's public list (its page and the API), with what a row shows."""
        return self.prefetch_related(*self.list_prefetches())


class Record(ReadableText):
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The record's address on the public site: lower-case letters, digits and hyphens.",
    )
    published = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Only published records are shown to the public. New entries start as drafts.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


class CitedRecord(Record):
    """A record that cites sources (every record but a source)."""

    citations = GenericRelation("cooperation.Citation")
    claims = GenericRelation("cooperation.Claim")

    class Meta:
        abstract = True


class RecordHistory(HistoricalRecords):
    """django-simple-history's ``HistoricalRecords``, with the historical model in
    ``<app>.models`` even when the model is declared in a module of a ``models`` package
    (``cooperation/models/projects.py``): there ``from cooperation.models import
    HistoricalProject`` finds it, as ``manage.py shell`` and pickling expect, where
    simple-history alone would name a module (``cooperation``) that does not hold it."""

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        super().contribute_to_class(cls, name)
        self.module = f"{cls._meta.app_config.name}.models" if cls._meta.app_config else cls.__module__


class DataVersion(models.Model):
    """A version of cooperation/core/versions.py: a number that a change of what ``name`` names (a
    model's table, a record, or all data) replaces with one never used before, in the change's own
    transaction. Every cached value is kept with the versions of what it was computed from. They
    live in the database, not in the cache, so that every process and server reads the same ones,
    and a change can never be committed without them."""

    name = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"{self.name}: {self.version}"


class ExportLine(models.Model):
    """A record's line of a CSV export, or its event in a calendar, kept so that an export reads
    it instead of making it (cooperation/core/export_lines.py): a CSV line without its last
    columns, which depend on the request (the record's address on this site). ``spec`` names the
    export; ``version`` is the version of :data:`~cooperation.core.versions.ALL` the line was
    made under: a line of an older one is never read (``migrate``, a write without signals). A
    change to what a line shows deletes it in the change's transaction."""

    spec = models.CharField(max_length=60)
    record_id = models.BigIntegerField()
    # What else the line depends on: a calendar event's language and host ("" for a CSV line).
    variant = models.CharField(max_length=40, blank=True, default="")
    # A checksum of the code that made it: only that code reads it.
    code = models.CharField(max_length=12, blank=True, default="")
    version = models.BigIntegerField()
    line = models.TextField()

    class Meta:
        verbose_name = "export line"
        # A change deletes a record's lines of every variant: (spec, record_id) first.
        constraints = [models.UniqueConstraint(fields=["spec", "record_id", "variant"], name="core_exportline_unique")]

    def __str__(self) -> str:
        return f"{self.spec} {self.record_id}"
