"""The site search's documents: one row a published record (``cooperation.search`` writes them)."""

from collections.abc import Callable

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cooperation.core.translation import translations


class SearchDocument(models.Model):
    """One published record as the site search sees it (``cooperation.search``).

    Written by ``cooperation.search.index_record()`` — signal receivers keep it current — and
    rebuilt by ``manage.py rebuild_search_index``. Drafts never get a row. The full-text index
    lives beside the ORM, created by migration 0002, with the folded ``keys`` since 0013: on
    PostgreSQL a generated ``search_vector`` tsvector column (title A, other names and name keys
    B, body C, keys D) with a GIN index; on SQLite an FTS5 table,
    ``cooperation_searchdocument_fts``, that triggers keep in step with this table.
    """

    # The full-text index SQLite keeps beside it (cooperation/search/schema.py): reading it is
    # reading the documents (cooperation/core/versions.py).
    other_tables = ("cooperation_searchdocument_fts",)

    class Kind(models.TextChoices):
        # In the order the search page shows its groups.
        PARTNER = "partner", _("Partner")
        AGREEMENT = "agreement", _("Agreement")
        PROJECT = "project", _("Project")
        MEETING = "meeting", _("Meeting")
        OFFICE = "office", _("Office")
        PERSON = "person", _("Person")
        TOPIC = "topic", _("Topic")
        SOURCE = "source", _("Source")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    title = models.CharField(max_length=500)
    # The title in the other languages, shown on their pages (empty: not translated, the English shows).
    title_az, title_ru = translations(title, "title")
    other_names = models.TextField(blank=True, help_text=_("Acronyms, short titles, other spellings; one per line."))
    body = models.TextField(blank=True, help_text=_("The record's other public text: places, partners, topics, notes."))
    # What a hit quotes, in the page's language: the record's description (empty where it has none,
    # or none in that language: the English shows). The body holds it too, for finding.
    summary = models.TextField(blank=True, default="", help_text=_("The record's description, which a hit quotes."))
    summary_az, summary_ru = translations(summary, "summary")
    name_keys = models.TextField(
        blank=True,
        help_text=_(
            "Title and other names in every language, folded (cooperation.search.folding), with their "
            "Latin spellings; one per line, for exact matches."
        ),
    )
    keys = models.TextField(
        blank=True,
        help_text=_(
            "Every word of the body folded (ə → e, ş → s, ё → е): with the name keys, what the full-text "
            "index matches a query with."
        ),
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [
            # One kind's documents, newest first: the lists' name filters read a kind's documents
            # (?q=, see name_lookup()), and the search reads a kind with many matches in this
            # order (cooperation/search/postgres.py).
            # (Undated as year 0, last: SQLite's indexes have no NULLS LAST.)
            models.Index(F("kind"), Coalesce("year", 0).desc(), F("id").desc(), name="searchdocument_newest"),
        ]
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
            from cooperation.search.folding import fold  # noqa: PLC0415 (cooperation.search imports the models)

            return cls.objects.filter(kind=kind, name_keys__contains=fold(key)).values("object_id")

        return records_named
