"""What the import does with each column: read the text of a cell into a value, say what the
record holds now in the same terms, tell whether they differ, write the value to the record.

A list's import (:class:`Schema`) names a reader for every column its export marks ``key`` or
``read`` (the app's ``exports.py``, see ``cooperation/core/exports.py``); the ``derived``
columns are skipped. A test keeps the two in step.

Two rules make an export re-import unchanged (see docs/data-format.md):

- values are compared as the export writes them: a label and its code are the same choice,
  text is compared without the spaces around it, "other names" line by line, related
  records as sets of slugs;
- an export leaves out draft records (a draft partner of a project, a draft parent body, a
  draft source), so the import keeps a record's links to drafts: a file can add a link to a
  draft or keep it, but not remove it (that is done in the record's form).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django_countries import countries

from cooperation.core import exports
from cooperation.core.exports import SEPARATOR
from cooperation.core.partial_dates import EXPECTED_FORMATS, PartialDate
from cooperation.core.text import shorten as text_shorten
from cooperation.imports.formats import SPECS
from cooperation.models import Agreement, Citation, Project, ProjectPartner, Source
from events.models import Meeting
from partners.models import Partner

SLUG_CHUNK = 500  # slugs per "slug IN (…)" query
PREVIEW_TEXT = 60  # characters of a long text shown in the preview


def split_many(text):
    """The values of a many-valued cell: "a; b;c" → ["a", "b", "c"] (the exports write "; ")."""
    return [part.strip() for part in text.split(";") if part.strip()]


def shorten(text):
    """A cell's text on one line, cut for the preview."""
    return text_shorten(" ".join(str(text).split()), PREVIEW_TEXT)


def shown(text):
    return f"“{shorten(text)}”" if text not in ("", None) else "(empty)"


def chunks(values, size=SLUG_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class Link:
    """A related record as a relation column sees it."""

    pk: int | None
    slug: str
    published: bool


class Reader:
    """One column the import reads. Scalar readers set a field before the record is validated
    and saved; relation readers (``relation = True``) change links after it is saved."""

    relation = False
    targets = None  # the model whose slugs a relation column names

    def __init__(self, column, field=None):
        self.column = column
        self.field = field or column

    def bind(self, model):
        self.model = model
        self.model_field = model._meta.get_field(self.field)
        return self

    @property
    def required(self):
        """The column must be in the file: a new record cannot do without it."""
        field = self.model_field
        if field.many_to_many:
            return not field.blank and field.remote_field.through._meta.auto_created
        return not field.blank and not field.has_default()

    def slugs(self, text):
        """The related slugs a cell names (looked up in bulk before any row is read)."""
        return []

    def parse(self, text, context):
        """The cell's value; ValidationError with a message for the person who typed it."""
        raise NotImplementedError

    def current(self, obj, context):
        """What ``obj`` holds now, comparable with what parse() returns."""
        return getattr(obj, self.field)

    def same(self, old, new):
        return old == new

    def show(self, value):
        return shown(value)

    def describe_change(self, old, new):
        return f"{self.show(old)} → {self.show(new)}"

    def fingerprint(self, value):
        return str(value)

    def assign(self, obj, value):
        setattr(obj, self.field, value)

    def accepted(self):
        """What a cell may hold, for the template's Columns sheet."""
        return "Text."


def plain(text):
    """Text as compared: without the spaces around it, line breaks as "\n" (browsers send
    "\r\n", an .xlsx cell holds "\n")."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class Text(Reader):
    def parse(self, text, context):
        return text.strip()

    def current(self, obj, context):
        return (getattr(obj, self.field) or "").strip()

    def same(self, old, new):
        return plain(old) == plain(new)

    def accepted(self):
        limit = getattr(self.model_field, "max_length", None)
        if isinstance(self.model_field, models.TextField) or not limit:
            return "Text; line breaks are kept."
        return f"Text, up to {limit} characters."


class Url(Text):
    def parse(self, text, context):
        text = text.strip()
        # As in the admin's form: an address typed without a scheme is https.
        if text and "://" not in text:
            text = f"https://{text}"
        return text

    def accepted(self):
        return "A web address; https:// is added when it has no scheme."


class Lines(Text):
    """A text field of one value a line (other names), a many-valued column in the file."""

    def parse(self, text, context):
        return split_many(text)

    def same(self, old, new):
        return old == new

    def current(self, obj, context):
        return [line.strip() for line in (getattr(obj, self.field) or "").splitlines() if line.strip()]

    def show(self, value):
        return shown(SEPARATOR.join(value))

    def fingerprint(self, value):
        return "\n".join(value)

    def assign(self, obj, value):
        setattr(obj, self.field, "\n".join(value))

    def accepted(self):
        return f"Several values separated by “{SEPARATOR.strip()}” (stored one a line)."


class Choice(Reader):
    """A choices field, by its label (“Cooperation agreement”, as exported) or its code."""

    def bind(self, model):
        super().bind(model)
        self.labels = dict(self.model_field.choices)
        self.by_text = {}
        for code, label in self.model_field.choices:
            self.by_text[" ".join(str(label).split()).casefold()] = code
            self.by_text[str(code).casefold()] = code
        return self

    def parse(self, text, context):
        text = " ".join(text.split())
        if not text:
            return ""
        try:
            return self.by_text[text.casefold()]
        except KeyError:
            raise ValidationError(
                f"“{shorten(text)}” is not a {self.model_field.verbose_name}: use one of "
                + ", ".join(str(label) for label in self.labels.values())
                + "."
            ) from None

    def show(self, value):
        return str(self.labels.get(value, value)) or "(empty)"

    def accepted(self):
        return "One of: " + "; ".join(str(label) for label in self.labels.values()) + " (or its code)."


class Number(Reader):
    def parse(self, text, context):
        text = text.strip().replace(",", "").replace(" ", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is None or not number.is_integer():
            raise ValidationError(f"“{shorten(text)}” is not a whole number.")
        return int(number)

    def show(self, value):
        return "(empty)" if value is None else str(value)

    def accepted(self):
        return "A whole number, or empty."


class Country(Reader):
    """An ISO 3166-1 alpha-2 code (AZ); a country's English name is accepted too."""

    def parse(self, text, context):
        text = text.strip()
        if not text:
            return ""
        code = text.upper()
        if code in context.country_codes:
            return code
        code = countries.by_name(text)
        if code:
            return code
        raise ValidationError(
            f"“{shorten(text)}” is not a country: give its ISO 3166-1 alpha-2 code, such as AZ or CH."
        )

    def current(self, obj, context):
        country = getattr(obj, self.field)
        return (country.code if country else "") or ""

    def show(self, value):
        return value or "(empty)"

    def accepted(self):
        return "An ISO 3166-1 alpha-2 country code (AZ, CH), or empty."


class Date(Reader):
    """A partial date from its ``…_iso`` column: 1998, 2006-08 or 1999-12-08 (or anything the
    admin's date fields accept: “August 2006”, “8.12.1999”); an Excel date cell arrives here
    already written out at the precision its format shows."""

    def parse(self, text, context):
        text = text.strip()
        if not text:
            return None
        return PartialDate.parse(text)

    def show(self, value):
        return "(empty)" if value is None else value.iso

    def fingerprint(self, value):
        return "" if value is None else value.iso

    def accepted(self):
        return f"Empty, or {EXPECTED_FORMATS}; an Excel date cell counts at the precision its format shows."


class ForeignKey(Reader):
    """A foreign key to a record, by its slug. An empty cell keeps a link to a draft (an export
    writes nothing for a draft): see the module docstring."""

    def bind(self, model):
        super().bind(model)
        self.targets = self.model_field.related_model
        return self

    def slugs(self, text):
        text = text.strip()
        return [text] if text else []

    def parse(self, text, context):
        text = text.strip()
        if not text:
            return None
        context.require(self.targets, [text])
        return text

    def current(self, obj, context):
        target = getattr(obj, self.field)
        return None if target is None else Link(target.pk, target.slug, target.published)

    def same(self, old, new):
        if new is None:
            return old is None or not old.published
        return old is not None and old.slug == new

    def show(self, value):
        if value is None:
            return "(empty)"
        return value.slug if isinstance(value, Link) else value

    def fingerprint(self, value):
        return self.show(value)

    def assign(self, obj, value):
        # ``value`` is resolved to an instance by the plan (it may be a record this file creates).
        setattr(obj, self.field, value)

    def accepted(self):
        return f"The slug of an existing {self.targets._meta.verbose_name}, or empty."


class Relation(Reader):
    """A many-valued column of slugs naming related records; the current links of every record
    in the file are read in one query (``preload``)."""

    relation = True

    def slugs(self, text):
        return [self.split_item(item)[0] for item in split_many(text)]

    def split_item(self, item):
        return item, None

    def parse(self, text, context):
        keys, seen = [], set()
        for item in split_many(text):
            slug, extra = self.split_item(item)
            key = (slug, extra)
            if key in seen:
                raise ValidationError(f"“{item}” is listed twice.")
            seen.add(key)
            keys.append(key)
        context.require(self.targets, [slug for slug, _ in keys])
        return [self.key(context.link(self.targets, slug), extra) for slug, extra in keys]

    def key(self, link, extra):
        return link.pk

    def item_text(self, key, link):
        return link.slug

    def preload(self, objs, context):
        """{record pk: {key: Link}} for the records in the file."""
        raise NotImplementedError

    def current(self, obj, context):
        return context.links[self.column].get(obj.pk, {}) if obj.pk else {}

    def wanted(self, old, new, context):
        """The keys the record will hold: the file's, plus its links to drafts (kept)."""
        return set(new) | {key for key, link in old.items() if not link.published}

    def pk_of(self, key):
        return key

    def texts(self, keys, old, context):
        """The keys as the column writes them (slugs, or slug:role), sorted."""
        return sorted(
            self.item_text(key, old.get(key) or context.link_by_pk(self.targets, self.pk_of(key))) for key in keys
        )

    def describe(self, old, wanted, context):
        added = self.texts(wanted - set(old), old, context)
        removed = self.texts(set(old) - wanted, old, context)
        parts = [*(f"+ {text}" for text in added), *(f"− {text}" for text in removed)]
        return "; ".join(parts)

    def accepted(self):
        return (
            f"Slugs of existing {self.targets._meta.verbose_name_plural}, separated by “{SEPARATOR.strip()}”. "
            "Links to drafts (which exports leave out) are kept."
        )

    def save(self, obj, wanted, context):
        raise NotImplementedError


class ManyToMany(Relation):
    def bind(self, model):
        super().bind(model)
        self.targets = self.model_field.related_model
        self.through = self.model_field.remote_field.through
        self.source_name = self.model_field.m2m_field_name()
        self.target_name = self.model_field.m2m_reverse_field_name()
        return self

    def preload(self, objs, context):
        links = {}
        pks = [obj.pk for obj in objs]
        for chunk in chunks(pks):
            rows = (
                self.through._default_manager.filter(**{f"{self.source_name}__in": chunk})
                .order_by()
                .values_list(
                    f"{self.source_name}_id",
                    f"{self.target_name}_id",
                    f"{self.target_name}__slug",
                    f"{self.target_name}__published",
                )
            )
            for record, target, slug, published in rows:
                links.setdefault(record, {})[target] = Link(target, slug, published)
        return links

    def save(self, obj, wanted, context):
        getattr(obj, self.field).set(sorted(wanted))


class ProjectPartners(Relation):
    """A project's partners with their roles, ``slug:role`` (“iom:implementing”)."""

    def bind(self, model):
        self.field, self.model = "partners", model
        self.model_field = model._meta.get_field("partners")
        self.targets = Partner
        self.roles = dict(ProjectPartner.Role.choices)
        self.role_by_text = {}
        for code, label in ProjectPartner.Role.choices:
            self.role_by_text[code.casefold()] = code
            self.role_by_text[str(label).casefold()] = code
        return self

    def split_item(self, item):
        slug, colon, role = item.rpartition(":")
        if not colon:
            return item, None
        role = role.strip()
        return slug.strip(), self.role_by_text.get(role.casefold(), role)

    def parse(self, text, context):
        for item in split_many(text):
            slug, role = self.split_item(item)
            if role is None:
                raise ValidationError(
                    f"“{shorten(item)}” has no role: write slug:role, e.g. {item}:implementing "
                    f"(roles: {', '.join(self.roles)})."
                )
            if role.casefold() not in self.role_by_text:
                raise ValidationError(f"“{shorten(role)}” is not a role: use {', '.join(self.roles)}.")
        return super().parse(text, context)

    def key(self, link, role):
        return (link.pk, role)

    def pk_of(self, key):
        return key[0]

    def item_text(self, key, link):
        return f"{link.slug}:{key[1]}"

    def preload(self, objs, context):
        links = {}
        for chunk in chunks([obj.pk for obj in objs]):
            rows = (
                ProjectPartner.objects.filter(project__in=chunk)
                .order_by()
                .values_list("project_id", "partner_id", "partner__slug", "partner__published", "role")
            )
            for project, partner, slug, published, role in rows:
                links.setdefault(project, {})[(partner, role)] = Link(partner, slug, published)
        return links

    def save(self, obj, wanted, context):
        old = self.current(obj, context)
        removed = set(old) - wanted
        if removed:
            stale = [
                role.pk
                for role in ProjectPartner.objects.filter(project=obj)
                if (role.partner_id, role.role) in removed
            ]
            ProjectPartner.objects.filter(pk__in=stale).delete()
        for partner, role in sorted(wanted - set(old)):
            link = ProjectPartner(project=obj, partner_id=partner, role=role)
            context.attribute(link)
            link.save()

    def accepted(self):
        return (
            f"Partners with their role as slug:role, separated by “{SEPARATOR.strip()}”: "
            f"iom:implementing; eu:funding. Roles: {', '.join(self.roles)}. Links to draft partners are kept."
        )


class Citations(Relation):
    """The sources a record cites, by slug. A source already cited keeps its citations (with
    their page or section); a new one is cited without a page; one left out stops being cited."""

    def bind(self, model):
        self.model, self.field = model, "citations"
        self.model_field = None
        self.targets = Source
        return self

    @property
    def required(self):
        return False

    def preload(self, objs, context):
        links = {}
        content_type = ContentType.objects.get_for_model(self.model)
        for chunk in chunks([obj.pk for obj in objs]):
            rows = (
                Citation.objects.filter(content_type=content_type, object_id__in=chunk)
                .order_by()
                .values_list("object_id", "source_id", "source__slug", "source__published")
            )
            for record, source, slug, published in rows:
                links.setdefault(record, {})[source] = Link(source, slug, published)
        return links

    def save(self, obj, wanted, context):
        content_type = ContentType.objects.get_for_model(self.model)
        cited = Citation.objects.filter(content_type=content_type, object_id=obj.pk)
        old = set(cited.values_list("source_id", flat=True))
        if old - wanted:
            cited.filter(source__in=old - wanted).delete()
        for source in sorted(wanted - old):
            citation = Citation(source_id=source, content_type=content_type, object_id=obj.pk)
            context.attribute(citation)
            citation.save()

    def accepted(self):
        return (
            f"Slugs of existing sources, separated by “{SEPARATOR.strip()}”. A source already cited keeps its "
            "page or section; citations of draft sources are kept."
        )


@dataclass
class Schema:
    """A list's import: its export spec, its model, and a reader for each column it reads."""

    spec: exports.ExportSpec
    model: type
    readers: tuple

    def __post_init__(self):
        self.readers = tuple(reader.bind(self.model) for reader in self.readers)
        self.by_column = {reader.column: reader for reader in self.readers}
        self.by_field = {reader.field: reader for reader in self.readers}
        self.key = next(column.name for column in self.spec.columns if column.use == exports.KEY)
        self.derived = [column.name for column in self.spec.columns if column.use == exports.DERIVED]
        self.descriptions = {column.name: column.description for column in self.spec.columns}

    @property
    def name(self):
        return self.spec.name

    @property
    def columns(self):
        """The columns the import reads, in the export's order: the key first."""
        return [column.name for column in self.spec.columns if column.use != exports.DERIVED]

    @property
    def required_columns(self):
        return [self.key, *(reader.column for reader in self.readers if reader.required)]

    def column_for_field(self, field):
        if field == "slug":
            return self.key
        reader = self.by_field.get(field)
        return reader.column if reader else field

    def describe_columns(self):
        """Rows for the template's Columns sheet: a header row, then one row a column."""
        rows = [("column", "required", "what it holds", "what to write")]
        for name in self.columns:
            required = "yes" if name in self.required_columns else ""
            if name == self.key:
                accepted = (
                    "Lower-case letters, digits and hyphens. A row whose slug exists updates that record; "
                    "any other row creates a record (as a draft)."
                )
            else:
                accepted = self.by_column[name].accepted()
            rows.append((name, required, self.descriptions[name], accepted))
        return rows


def validate_key(slug):
    """The key cell: present, a slug, lower case."""
    if not slug:
        raise ValidationError("Every row needs a slug: it says which record the row is.")
    validate_slug(slug)
    if slug != slug.lower():
        raise ValidationError(f"Slugs are lower-case: write “{slug.lower()}”.")
    if len(slug) > 120:
        raise ValidationError(f"A slug has at most 120 characters (this one has {len(slug)}).")


SCHEMAS = {
    schema.model: schema
    for schema in (
        Schema(
            SPECS["partners"],
            Partner,
            (
                Text("name"),
                Text("acronym"),
                Choice("kind"),
                Choice("scope"),
                Country("country_code", "country"),
                Text("headquarters"),
                ForeignKey("parent_slug", "parent"),
                Date("founded_iso", "founded"),
                Number("member_states"),
                Url("website"),
                Lines("other_names"),
                Text("description"),
                Citations("source_slugs"),
            ),
        ),
        Schema(
            SPECS["agreements"],
            Agreement,
            (
                Text("title"),
                Text("short_title"),
                Choice("kind"),
                ManyToMany("party_slugs", "parties"),
                ManyToMany("topic_slugs", "topics"),
                Date("signed_iso", "signed"),
                Text("signed_place"),
                Date("ratified_iso", "ratified"),
                Date("in_force_iso", "in_force"),
                Date("ended_iso", "ended"),
                Text("legal_notes"),
                Text("description"),
                Citations("source_slugs"),
            ),
        ),
        Schema(
            SPECS["projects"],
            Project,
            (
                Text("title"),
                Text("short_title"),
                Text("phase"),
                Choice("status"),
                Date("start_iso", "start"),
                Date("end_iso", "end"),
                ProjectPartners("partner_slugs"),
                ManyToMany("topic_slugs", "topics"),
                ManyToMany("agreement_slugs", "agreements"),
                Text("description"),
                Citations("source_slugs"),
            ),
        ),
        Schema(
            SPECS["meetings"],
            Meeting,
            (
                Text("title"),
                Choice("kind"),
                Date("start_iso", "start"),
                Date("end_iso", "end"),
                Text("city"),
                Country("country_code", "country"),
                ManyToMany("partner_slugs", "partners"),
                ManyToMany("participant_slugs", "participants"),
                Text("participants_note"),
                ManyToMany("agreement_slugs", "agreements"),
                ManyToMany("project_slugs", "projects"),
                Text("description"),
                Citations("source_slugs"),
            ),
        ),
    )
}
