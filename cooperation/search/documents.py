"""How each kind of record becomes a :class:`~cooperation.models.SearchDocument`, and keeping them current.

A document holds a record's public text only: its name (title), other names (acronyms, short
titles, other spellings) and a body of everything else worth finding it by — places, kinds,
the names of its published partners, topics and people, its description — and, for a hit to
quote in each language, the description alone (``summary``, ``summary_az``, ``summary_ru``). Drafts get no
document, and a draft's name never appears in another record's document either.

- :func:`index_record` / :func:`remove_record`: one record (the signal receivers call these);
- :func:`index_records`: many records of one model, a few queries per 500;
- :func:`dependents`: the records whose documents quote this one's name, to re-index with it;
- :func:`rebuild`: the whole index from scratch (``manage.py rebuild_search_index``).
"""

import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import translation

from cooperation.core.cache import data_changed
from cooperation.core.translation import TRANSLATION_LANGUAGES, country_name, localized, with_translations
from cooperation.core.versions import model_name, renew
from cooperation.models import Agreement, Project, ProjectPartner, SearchDocument, Source, Topic
from cooperation.search.folding import name_spellings, words
from cooperation.search.schema import FTS_TABLE, SQLITE_TRIGGERS, TABLE
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

BATCH_SIZE = 500
Kind = SearchDocument.Kind

# Control characters (but newlines and tabs), surrogates and private-use code points never
# reach the index: the highlighter marks matches with \x02 and \x03 (see backends.py).
_DROPPED_CATEGORIES = {"Cc", "Cs", "Co"}


def clean(text):
    text = str(text or "")
    if text.isprintable():
        return text.strip()
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in _DROPPED_CATEGORIES).strip()


def lines(*parts):
    """Non-empty parts, one per line (a part may itself hold several lines)."""
    return "\n".join(text for text in (clean(part) for part in parts) if text)


def year_of(partial_date):
    return partial_date.year if partial_date else None


def texts(obj, *fields):
    """``obj``'s ``fields`` in every language: each field's English, then its translations."""
    for field in fields:
        for name in with_translations(field):
            yield getattr(obj, name, "")


def names(partners):
    for partner in partners:
        yield from texts(partner, "name", "acronym")


@dataclass(frozen=True)
class Indexer:
    kind: str
    model: type

    def queryset(self):
        return self.model._default_manager.all()

    def document(self, obj):
        """``title``, ``other_names``, ``body``, ``year`` of one record (already fetched by queryset()),
        in English; the other names and the body hold the translations too. (The ``summary`` in
        every language is ``summary_field``'s, which :func:`document_fields` reads.)"""
        raise NotImplementedError

    # The field whose translations are the record's title in the other languages.
    title_field = "name"
    # The field a hit quotes, in the page's language (the document's ``summary``).
    summary_field = "description"

    def translated_title(self, obj, language):
        """The record's title in ``language`` ("az", "ru"), or "" where it is not translated."""
        title = localized(obj, self.title_field, language)
        return "" if title.fallback else title


class PartnerIndexer(Indexer):
    def queryset(self):
        return super().queryset().select_related("parent")

    def document(self, partner):
        parent = partner.parent if partner.parent_id and partner.parent.published else None
        return {
            "title": partner.name,
            "other_names": lines(*texts(partner, "acronym"), partner.other_names),
            "body": lines(
                *texts(partner, "description"),
                partner.get_kind_display(),
                partner.get_scope_display(),
                country_name(partner.country.code),
                *texts(partner, "headquarters"),
                *(names([parent]) if parent else ()),
            ),
            "year": year_of(partner.founded),
        }


class OfficeIndexer(Indexer):
    def queryset(self):
        # An office of a draft partner is not public (it has no page): no document either.
        return super().queryset().filter(partner__published=True).select_related("partner")

    def document(self, office):
        partner = office.partner if office.partner.published else None
        return {
            "title": office.name,
            "other_names": "",
            "body": lines(
                *texts(office, "description"),
                office.get_kind_display(),
                *(names([partner]) if partner else ()),
                *texts(office, "city"),
                country_name(office.country.code),
            ),
            "year": year_of(office.opened),
        }


class PersonIndexer(Indexer):
    def queryset(self):
        posts = Post.objects.select_related("organisation")
        return super().queryset().prefetch_related(Prefetch("posts", queryset=posts))

    def document(self, person):
        posts = [
            f"{post.title}, {post.organisation.name}" if post.organisation.published else post.title
            for post in person.posts.all()
        ]
        # The posts' titles and their organisations' names in the other languages.
        translated = [
            text
            for post in person.posts.all()
            for text in (
                post.title_az,
                post.title_ru,
                *((post.organisation.name_az, post.organisation.name_ru) if post.organisation.published else ()),
            )
        ]
        return {
            "title": person.name,
            "other_names": lines(person.other_names),
            "body": lines(*texts(person, "description"), *posts, *translated),
            "year": None,
        }


class TopicIndexer(Indexer):
    def document(self, topic):
        return {"title": topic.name, "other_names": "", "body": lines(*texts(topic, "description")), "year": None}


class SourceIndexer(Indexer):
    def translated_title(self, source, language):
        return ""  # a source's title is the document's own, in its own language

    def document(self, source):
        return {
            "title": source.display_name,
            "other_names": "",
            "body": lines(*texts(source, "description"), source.publisher, source.reference, source.get_kind_display()),
            "year": year_of(source.date),
        }


class AgreementIndexer(Indexer):
    title_field = "title"

    def queryset(self):
        return (
            super()
            .queryset()
            .prefetch_related(
                Prefetch("parties", queryset=Partner.objects.published()),
                Prefetch("topics", queryset=Topic.objects.published()),
            )
        )

    def document(self, agreement):
        return {
            "title": agreement.title,
            "other_names": lines(*texts(agreement, "short_title")),
            "body": lines(
                *texts(agreement, "description"),
                agreement.get_kind_display(),
                *names(agreement.parties.all()),
                *texts(agreement, "signed_place", "legal_summary"),
                *(name for topic in agreement.topics.all() for name in texts(topic, "name")),
            ),
            "year": year_of(agreement.signed),
        }


class ProjectIndexer(Indexer):
    def translated_title(self, project, language):
        with translation.override(language):
            title = str(project)  # "title – phase"
        return "" if title.fallback else title

    def queryset(self):
        roles = ProjectPartner.objects.filter(partner__published=True).select_related("partner")
        return (
            super()
            .queryset()
            .prefetch_related(
                Prefetch("project_partners", queryset=roles),
                Prefetch("topics", queryset=Topic.objects.published()),
            )
        )

    def document(self, project):
        partners = {role.partner.pk: role.partner for role in project.project_partners.all()}.values()
        return {
            "title": str(project),
            "other_names": lines(*texts(project, "short_title")),
            "body": lines(
                *texts(project, "description", "phase"),
                *names(partners),
                *(name for topic in project.topics.all() for name in texts(topic, "name")),
            ),
            "year": year_of(project.start),
        }


class MeetingIndexer(Indexer):
    title_field = "title"

    def queryset(self):
        return (
            super()
            .queryset()
            .prefetch_related(
                Prefetch("partners", queryset=Partner.objects.published()),
                Prefetch("participants", queryset=Person.objects.published()),
            )
        )

    def document(self, meeting):
        return {
            "title": meeting.title,
            "other_names": "",
            "body": lines(
                *texts(meeting, "description"),
                meeting.get_kind_display(),
                *texts(meeting, "city"),
                country_name(meeting.country.code),
                *names(meeting.partners.all()),
                *(name for person in meeting.participants.all() for name in texts(person, "name")),
                *texts(meeting, "participants_note"),
            ),
            "year": year_of(meeting.start),
        }


INDEXERS = {
    indexer.model: indexer
    for indexer in [
        PartnerIndexer(Kind.PARTNER, Partner),
        AgreementIndexer(Kind.AGREEMENT, Agreement),
        ProjectIndexer(Kind.PROJECT, Project),
        MeetingIndexer(Kind.MEETING, Meeting),
        OfficeIndexer(Kind.OFFICE, Office),
        PersonIndexer(Kind.PERSON, Person),
        TopicIndexer(Kind.TOPIC, Topic),
        SourceIndexer(Kind.SOURCE, Source),
    ]
}
INDEXED_MODELS = tuple(INDEXERS)


def document_fields(indexer, obj):
    """The values of ``obj``'s SearchDocument row, as ``indexer`` (one of :data:`INDEXERS`) reads them."""
    with translation.override(settings.LANGUAGE_CODE):
        values = indexer.document(obj)
    year = values.pop("year")
    body = values["body"]
    if year:
        # Years are words too: "readmission 2006".
        body = lines(body, str(year))
    title = clean(values["title"])[:500]
    translated = {f"title_{code}": clean(indexer.translated_title(obj, code))[:500] for code in TRANSLATION_LANGUAGES}
    summaries = {name: clean(getattr(obj, field, "")) for name, field in zip(
        with_translations("summary"), with_translations(indexer.summary_field), strict=True
    )}  # fmt: skip
    # The title in the other languages is an other name of the record, in every language.
    other_names = lines(*(text for text in translated.values() if text != title), values["other_names"])
    names = [title, *other_names.split("\n")]
    keys = set().union(*(name_spellings(name) for name in names)) - {""}
    # The names' folded words are in the name keys; these are the body's.
    folded = dict.fromkeys(words(body))
    return {
        **values,
        "title": title,
        **translated,
        **summaries,
        "other_names": other_names,
        "body": body,
        # "\nkey\n" for each name, so a whole-name match is one substring test.
        "name_keys": "\n" + "\n".join(sorted(keys)) + "\n" if keys else "",
        "keys": " ".join(folded),
        "year": year,
        "kind": indexer.kind,
        # The English address, whatever language the change was made in: a page shows it in its own.
        "url": english_url(obj),
    }


def english_url(obj):
    with translation.override(settings.LANGUAGE_CODE):
        return obj.get_absolute_url()


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def index_records(model, pks):
    """Bring the documents of these records of ``model`` up to date; returns how many are indexed.

    Published records get their document written; drafts and records that no longer exist
    lose theirs.
    """
    indexer = INDEXERS[model]
    content_type = ContentType.objects.get_for_model(model)
    indexed = 0
    for chunk in chunks(sorted(set(pks)), BATCH_SIZE):
        documents = [
            SearchDocument(content_type=content_type, object_id=obj.pk, **document_fields(indexer, obj))
            for obj in indexer.queryset().filter(pk__in=chunk, published=True)
        ]
        stale = set(chunk) - {doc.object_id for doc in documents}
        if stale:
            SearchDocument.objects.filter(content_type=content_type, object_id__in=stale).delete()
        if documents:
            SearchDocument.objects.bulk_create(
                documents,
                update_conflicts=True,
                unique_fields=["content_type", "object_id"],
                update_fields=[
                    "kind",
                    "title",
                    "title_az",
                    "title_ru",
                    "summary",
                    "summary_az",
                    "summary_ru",
                    "other_names",
                    "body",
                    "name_keys",
                    "keys",
                    "year",
                    "url",
                    "indexed_at",
                ],  # fmt: skip
            )
        indexed += len(documents)
    renew([model_name(SearchDocument)])  # written without signals: cached search results are stale
    return indexed


def index_record(obj):
    """Write (or, for a draft, remove) the document of one record, from what the database holds."""
    return index_records(type(obj), [obj.pk])


def remove_record(obj):
    content_type = ContentType.objects.get_for_model(type(obj))
    SearchDocument.objects.filter(content_type=content_type, object_id=obj.pk).delete()
    renew([model_name(SearchDocument)])


# What other records' documents quote of a record (see dependents()): its names, and whether it
# is published (a draft's name is quoted nowhere).
QUOTED_FIELDS = {
    Partner: ("published", *with_translations("name", "acronym")),
    Person: ("published", *with_translations("name")),
    Topic: ("published", *with_translations("name")),
}


def quotes_unchanged(obj):
    """Whether saving ``obj`` leaves what other records' documents quote of it as it is stored
    (one query): then they need no re-indexing. A partner in 200,000 meetings re-indexed them all
    on every save of its description (2.5 minutes at the benchmark's size); only a change to its
    names or to its publication does now. A record not yet stored: no."""
    fields = QUOTED_FIELDS.get(type(obj))
    if fields is None:
        return True
    if obj.pk is None:
        return False
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list(*fields).first()
    return stored is not None and stored == tuple(getattr(obj, field) for field in fields)


def dependents(obj):
    """``(model, pks)`` of the records whose documents quote ``obj``'s name."""
    if isinstance(obj, Partner):
        related = [
            (Partner, Partner.objects.filter(parent=obj)),
            (Office, Office.objects.filter(partner=obj)),
            (Agreement, Agreement.objects.filter(parties=obj)),
            (Project, Project.objects.filter(project_partners__partner=obj)),
            (Meeting, Meeting.objects.filter(partners=obj)),
            (Person, Person.objects.filter(posts__organisation=obj)),
        ]
    elif isinstance(obj, Person):
        related = [(Meeting, Meeting.objects.filter(participants=obj))]
    elif isinstance(obj, Topic):
        related = [(Project, Project.objects.filter(topics=obj))]
    else:
        return []
    found = [(model, set(queryset.values_list("pk", flat=True))) for model, queryset in related]
    return [(model, pks) for model, pks in found if pks]


def rebuild():
    """Empty the index and write a document for every published record; returns counts by kind."""
    counts = {}
    with transaction.atomic(), _full_text_index_suspended():
        SearchDocument.objects.all().delete()
        for model, indexer in INDEXERS.items():
            pks = model._default_manager.filter(published=True).values_list("pk", flat=True)
            counts[indexer.kind] = index_records(model, pks)
    data_changed()  # cached search results (cooperation/search/results.py) answer from the new index
    return counts


@contextmanager
def _full_text_index_suspended():
    """SQLite: write the table without its FTS5 triggers, then rebuild the FTS5 index from it.

    Faster than a trigger per row, and it repairs an index whose triggers a table rebuild
    (an ``ALTER`` in a SQLite migration) dropped. PostgreSQL needs nothing: its column is generated.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for name in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_fts_{name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)
