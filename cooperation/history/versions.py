"""Reading history and undoing it: what changed, when and by whom; revert; restore.

django-simple-history writes the rows (``HistoricalRecords`` on every model); this module reads
them for people, in bulk, and puts earlier states back. The admin pages are in
``cooperation/core/history.py``.

Words used here:

- a **row** is one historical row: the whole state of one object after a save (``+`` created,
  ``~`` changed) or as it was deleted (``-``), with who, when and why. Each row of a record
  also holds a snapshot of its tracked many-to-many links (an agreement's parties …).
- a **child** is a tracked object that belongs to one record and has no page of its own: a
  citation or a claim (of any record), a project's partner, a person's post. Its rows show on
  its record's history; reverting the record puts its children back as they were; restoring a
  deleted record brings back the children deleted with it.
- a **version** of a record is what one person did to it in one go: the rows of the record and
  of its children written by the same user with the same change reason, each less than
  :data:`VERSION_GAP` after the one before. One admin save writes several rows (the fields,
  then each changed many-to-many field, then each inline row); together they are one version.
- children are **deleted with** their record when their deletion rows have the record's user
  and fall within :data:`SAME_MOMENT` before the record's own deletion row (Django deletes the
  rows that depend on a record first, in the same call).

Writes made outside a request name no user; :func:`history_context` gives the rows written
inside it a user and a change reason (the seed loader says "seed loader").
"""

import contextlib
import contextvars
import dataclasses
import difflib
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

from cooperation.core.models import Record
from cooperation.core.partial_dates import PartialDate
from cooperation.core.permissions import may_publish

# Rows of one version are at most this far apart (one admin save takes milliseconds; two saves
# by one person are seconds apart at least: the form has to load and be sent again).
VERSION_GAP = timedelta(seconds=2)
# A child's deletion row this long before its record's, by the same user, was deleted with it.
SAME_MOMENT = timedelta(seconds=10)
# Fields every row has that say nothing about what changed.
NOT_COMPARED = {"id", "created_at", "updated_at"}
CHILD_VERBS = {"created": "added", "deleted": "removed", "restored": "put back", "linked": "linked again"}
# simple-history's change reason column is a CharField(max_length=100).
REASON_LENGTH = 100
EMPTY = "(empty)"
# Long texts are shown as a word diff; equal stretches longer than this keep their ends only.
TEXT_DIFF_AFTER = 80
CONTEXT_WORDS = 8
SIMILAR = 0.6  # texts that share less than this (difflib's ratio) are shown whole, old → new
WHEN_FORMAT = "j F Y, H:i:s"


# Who and why, for writes outside a request ----------------------------------------------

_context = contextvars.ContextVar("registry_history_context", default=None)


@contextlib.contextmanager
def history_context(*, user=None, reason=""):
    """Rows written inside get ``user`` (unless the save named one) and ``reason`` (unless the
    object carried its own ``_change_reason``)."""
    token = _context.set((user, reason))
    try:
        yield
    finally:
        _context.reset(token)


def _fill_from_context(sender, history_instance, **kwargs):
    context = _context.get()
    if context is None:
        return
    user, reason = context
    if user is not None and history_instance.history_user_id is None:
        history_instance.history_user = user
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason[:REASON_LENGTH]


pre_create_historical_record.connect(_fill_from_context, dispatch_uid="cooperation.core.versions.context")


def limit_reason(text):
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


# Which models, and how they hang together ------------------------------------------------


@cache
def tracked_models():
    """Every model of the registry's apps that has a history, in app registry order."""
    return tuple(
        model
        for model in apps.get_models()
        if model._meta.app_label in settings.REGISTRY_APPS and hasattr(model._meta, "simple_history_manager_attribute")
    )


def record_models():
    return tuple(model for model in tracked_models() if issubclass(model, Record))


def history_of(model):
    return get_history_model_for_model(model)


def model_label(model):
    return model._meta.label_lower


def model_from_label(label):
    by_label = {model_label(model): model for model in tracked_models()}
    return by_label.get(label)


@dataclasses.dataclass(frozen=True)
class ChildRelation:
    """How rows of ``model`` point at the record they belong to: a cascading foreign key
    (``fk`` is its attname) or a generic relation (``fk`` is None)."""

    model: type
    fk: str | None

    def filter(self, parent_model, pk):
        if self.fk:
            return {self.fk: pk}
        return {"content_type_id": content_type_id(parent_model), "object_id": pk}


@cache
def child_relations(parent_model):
    """The children of ``parent_model``'s records (see the module's docstring)."""
    relations = []
    for model in tracked_models():
        if issubclass(model, Record):
            continue
        for field in model._meta.concrete_fields:
            if (
                field.many_to_one
                and field.related_model is parent_model
                and field.remote_field.on_delete is models.CASCADE
            ):
                relations.append(ChildRelation(model, field.attname))
    for field in parent_model._meta.private_fields:
        if isinstance(field, GenericRelation) and field.related_model in tracked_models():
            relations.append(ChildRelation(field.related_model, None))
    return tuple(relations)


@cache
def parent_link(child_model):
    """The field of ``child_model`` naming its record: a cascading foreign key or a generic one."""
    for field in child_model._meta.concrete_fields:
        if (
            field.many_to_one
            and issubclass(field.related_model, Record)
            and field.remote_field.on_delete is models.CASCADE
        ):
            return field
    for field in child_model._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            return field
    return None


def parent_of(child_model, row):
    """(record model, pk) of the record a child row belongs to, or (None, None)."""
    link = parent_link(child_model)
    if link is None:
        return None, None
    if isinstance(link, GenericForeignKey):
        content_type = ContentType.objects.get_for_id(getattr(row, f"{link.ct_field}_id"))
        return content_type.model_class(), getattr(row, link.fk_field)
    return link.related_model, getattr(row, link.attname)


def content_type_id(model):
    return ContentType.objects.get_for_model(model).pk


@cache
def compared_fields(model):
    """The fields a change is about: editable, stored, not bookkeeping; the slug and the
    published flag last, as on the record's form."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.attname not in NOT_COMPARED
    ]
    return sorted(fields, key=lambda field: field.name in ("slug", "published"))


def tracked_m2m(model):
    """The many-to-many fields whose links each row of ``model`` snapshots."""
    return list(history_of(model)._history_m2m_fields)


def m2m_snapshot_model(field):
    return HistoricalRecords.m2m_models[field]


def m2m_target_attname(field):
    return m2m_snapshot_model(field)._meta.get_field(get_m2m_reverse_field_name(field)).attname


def reverse_m2m(model):
    """(other model, its tracked many-to-many field) for every tracked link that points at ``model``."""
    return [
        (other, field) for other in tracked_models() for field in tracked_m2m(other) if field.related_model is model
    ]


def newest_first(queryset):
    return queryset.order_by("-history_date", "-history_id")


def raw_value(field, obj):
    """The comparable value of ``field`` on a live object or a historical row."""
    value = getattr(obj, field.attname)
    if isinstance(value, FieldFile):
        return value.name or ""
    code = getattr(value, "code", None)
    if code is not None and not isinstance(value, str):  # a django-countries Country
        return code
    return value


def history_url(model, pk):
    if model is None or pk is None:
        return None
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[pk])
    except NoReverseMatch:
        return None


def when(moment):
    return format_date(timezone.localtime(moment), WHEN_FORMAT)


def user_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# Names of what rows point to, looked up in bulk -------------------------------------------


class Names:
    """Objects that rows point to, fetched in bulk: one query per model, and one more per model
    for those deleted since (named from their deletion row)."""

    def __init__(self):
        self._wanted = defaultdict(set)
        self._found = {}  # (model, pk) -> (object, deleted)

    def want(self, model, pk):
        if pk is not None and (model, pk) not in self._found:
            self._wanted[model].add(pk)

    def want_row(self, model, row):
        for field in compared_fields(model):
            if field.many_to_one:
                self.want(field.related_model, getattr(row, field.attname))

    def resolve(self):
        for model, pks in self._wanted.items():
            pks = {pk for pk in pks if (model, pk) not in self._found}
            if not pks:
                continue
            if model is ContentType:
                for pk in pks:
                    self._found[(model, pk)] = (ContentType.objects.get_for_id(pk), False)
                continue
            for obj in model._base_manager.filter(pk__in=pks):
                self._found[(model, obj.pk)] = (obj, False)
            missing = {pk for pk in pks if (model, pk) not in self._found}
            if missing and model in tracked_models():
                rows = newest_first(history_of(model).objects.filter(id__in=missing, history_type="-"))
                for row in rows:
                    self._found.setdefault((model, row.id), (row.instance, True))
        self._wanted.clear()

    def get(self, model, pk):
        return self._found.get((model, pk), (None, True))[0]

    def is_live(self, model, pk):
        """Whether ``pk`` still exists (False if deleted, unknown or never looked up)."""
        obj, deleted = self._found.get((model, pk), (None, True))
        return obj is not None and not deleted

    def label(self, model, pk):
        if pk is None:
            return EMPTY
        obj, deleted = self._found.get((model, pk), (None, True))
        if obj is None:
            return f"{model._meta.verbose_name} #{pk} (no longer exists)"
        if isinstance(obj, ContentType):
            model_class = obj.model_class()
            text = capfirst(model_class._meta.verbose_name) if model_class else obj.model
        else:
            text = str(obj)
        return f"{text} (deleted)" if deleted else text


def short_name(names, model, pk):
    obj = names.get(model, pk)
    return getattr(obj, "short_name", None) or names.label(model, pk)


def child_label(model, row, names):
    """A child row in words, as its record's page would put it (without queries of its own)."""
    from cooperation.models import Citation, Claim, ProjectPartner, Source
    from partners.models import Partner, Post

    if model is Citation:
        return f"{names.label(Source, row.source_id)}{', ' + row.locator if row.locator else ''}"
    if model is Claim:
        return f"{row.field}: {row.value} ({names.label(Source, row.source_id)})"
    if model is ProjectPartner:
        role = display_value(model, model._meta.get_field("role"), row.role, names)
        return f"{short_name(names, Partner, row.partner_id)} ({role.lower()})"
    if model is Post:
        return f"{row.title}, {short_name(names, Partner, row.organisation_id)}"
    return f"{model._meta.verbose_name} #{row.id}"


# Values in words ------------------------------------------------------------------------------


def display_value(model, field, value, names):
    """``value`` of ``field`` as staff read it: choices by label, partial dates as written,
    foreign keys by name, yes/no, "(empty)"."""
    if value is None or value == "":
        return EMPTY
    if field.many_to_one:
        return names.label(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, PartialDate):
        return str(value)
    return str(value)


def word_diff(old, new):
    """[(kind, text)] with kind "same", "del" or "ins"; long unchanged stretches keep their ends.
    None when the texts have too little in common for a word diff to read well."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    if matcher.ratio() < SIMILAR:
        return None
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            words = a[i1:i2]
            keep = CONTEXT_WORDS * 2  # words and the spaces between them
            if len(words) > 2 * keep + 1:
                head = "".join(words[:keep]) if parts else ""
                tail = "".join(words[-keep:]) if i2 < len(a) else ""
                text = f"{head}… {tail}" if head else f"…{tail}"
                parts.append(("same", text))
            else:
                parts.append(("same", "".join(words)))
            continue
        if tag in ("delete", "replace"):
            parts.append(("del", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(("ins", "".join(b[j1:j2])))
    return parts


@dataclasses.dataclass
class FieldChange:
    """One field of one object, before and after; for links, what was added and removed."""

    field: str
    old: str = ""
    new: str = ""
    added: list = dataclasses.field(default_factory=list)
    removed: list = dataclasses.field(default_factory=list)
    words: list | None = None
    links: bool = False


def field_changes(model, before, after, names, m2m=None, initial=False):
    """What differs between two states of an object (rows or live objects).

    ``m2m``: {field name: (pks before, pks after)}. ``initial``: ``before`` is None and every
    non-empty value of ``after`` is listed (what a record was created with).
    """
    changes = []
    for field in compared_fields(model):
        new_value = raw_value(field, after)
        old_value = None if before is None else raw_value(field, before)
        if initial:
            if new_value in (None, "", False):
                continue
        elif old_value == new_value:
            continue
        change = FieldChange(
            field=capfirst(field.verbose_name),
            old=display_value(model, field, old_value, names),
            new=display_value(model, field, new_value, names),
        )
        long_text = isinstance(field, (models.TextField, models.CharField)) and not field.choices
        if (
            not initial
            and long_text
            and old_value
            and new_value
            and max(len(old_value), len(new_value)) > TEXT_DIFF_AFTER
        ):
            change.words = word_diff(str(old_value), str(new_value))
        changes.append(change)
    for field in tracked_m2m(model):
        old_pks, new_pks = (m2m or {}).get(field.name, (set(), set()))
        if old_pks == new_pks:
            continue
        changes.append(
            FieldChange(
                field=capfirst(field.verbose_name),
                added=sorted(names.label(field.related_model, pk) for pk in new_pks - old_pks),
                removed=sorted(names.label(field.related_model, pk) for pk in old_pks - new_pks),
                links=True,
            )
        )
    return changes


# Rows, loaded in bulk -------------------------------------------------------------------------


class Rows:
    """Historical rows by (model, history_id) and the many-to-many snapshots they hold."""

    def __init__(self):
        self.rows = {}
        self.links = {}  # (model, history_id) -> {field name: set of pks}

    def load(self, model, ids, known=()):
        """Fetch the rows ``ids`` of ``model`` and the link snapshots of those and of the
        ``known`` rows (fetched already): one query, and one per tracked many-to-many field.
        (Rows asked for are fetched even if known, so that the number of queries depends on
        the tables involved only, not on which rows happen to be on a page.)"""
        ids = {history_id for history_id in ids if history_id is not None}
        if ids:
            for row in history_of(model).objects.filter(history_id__in=ids):
                self.rows[(model, row.history_id)] = row
        for row in known:
            self.rows.setdefault((model, row.history_id), row)
        ids = (ids | {row.history_id for row in known}) - {key[1] for key in self.links if key[0] is model}
        if not ids:
            return
        for history_id in ids:
            self.links[(model, history_id)] = {}
        for field in tracked_m2m(model):
            snapshot = m2m_snapshot_model(field)
            target = m2m_target_attname(field)
            for history_id in ids:
                self.links[(model, history_id)][field.name] = set()
            for history_id, pk in snapshot.objects.filter(history_id__in=ids).values_list("history_id", target):
                self.links[(model, history_id)][field.name].add(pk)

    def get(self, model, history_id):
        return self.rows.get((model, history_id))

    def m2m(self, model, history_id):
        return self.links.get((model, history_id), {})

    def want_names(self, names):
        for (model, history_id), row in self.rows.items():
            names.want_row(model, row)
            for field in tracked_m2m(model):
                for pk in self.m2m(model, history_id).get(field.name, ()):
                    names.want(field.related_model, pk)


def m2m_pairs(model, rows, before, after):
    """{field: (pks before, pks after)} for two rows of ``model`` (``before`` may be None)."""
    old = rows.m2m(model, before.history_id) if before is not None and before.history_type != "-" else {}
    new = rows.m2m(model, after.history_id) if after.history_type != "-" else {}
    return {field.name: (old.get(field.name, set()), new.get(field.name, set())) for field in tracked_m2m(model)}


@dataclasses.dataclass
class ObjectChange:
    """What happened to one object (a record, or one of its children) in one version or row."""

    model: type
    object_id: int
    action: str  # created, changed, deleted, restored
    label: str
    changes: list
    child: bool

    @property
    def noun(self):
        return self.model._meta.verbose_name

    @property
    def verb(self):
        """The action in words: a child row is added to or removed from its record."""
        return CHILD_VERBS.get(self.action, self.action) if self.child else self.action


def describe(model, before, after, rows, names, child):
    """An :class:`ObjectChange` from two rows of one object (``before`` None: it was created)."""
    if after.history_type == "-":
        action, changes = "deleted", []
    elif before is None or before.history_type == "-":
        action = "created" if before is None else "restored"
        changes = (
            [] if child else field_changes(model, None, after, names, m2m_pairs(model, rows, None, after), initial=True)
        )
    else:
        action = "changed"
        changes = field_changes(model, before, after, names, m2m_pairs(model, rows, before, after))
    label = child_label(model, after, names) if child else str(after.instance)
    return ObjectChange(model, after.id, action, label, changes, child)


# One record's versions -------------------------------------------------------------------------

META = ("history_id", "id", "history_date", "history_type", "history_user_id", "history_change_reason")


@dataclasses.dataclass(frozen=True)
class Ref:
    """A row's identity and metadata, enough to group rows into versions without loading them."""

    model: type
    history_id: int
    object_id: int
    date: datetime
    type: str
    user_id: int | None
    reason: str
    order: int  # the model's place, for a stable order of rows written in the same instant

    @property
    def key(self):
        return (self.model, self.object_id)

    @property
    def sort_key(self):
        return (self.date, self.order, self.history_id)


@dataclasses.dataclass
class Version:
    number: int
    refs: list
    record: type
    user: object = None
    objects: list = dataclasses.field(default_factory=list)  # ObjectChange, the record's first
    stamp: int = 0

    @property
    def date(self):
        return self.refs[-1].date

    @property
    def user_id(self):
        return self.refs[0].user_id

    @property
    def reason(self):
        return self.refs[0].reason

    @property
    def own(self):
        return [ref for ref in self.refs if ref.model is self.record]

    @property
    def action(self):
        types = {ref.type for ref in self.own}
        if "-" in types:
            return "deleted"
        if "+" in types:
            return "created" if self.number == 1 else "restored"
        return "changed"


def to_stamp(moment):
    """A moment as whole microseconds since 1970 (URLs name versions by it)."""
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_stamp(stamp):
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=stamp)


def record_refs(model, pk):
    """Every row of the record and of its children, oldest first (one query per table)."""
    sources = [(model, {"id": pk})]
    sources += [(relation.model, relation.filter(model, pk)) for relation in child_relations(model)]
    refs = []
    for order, (source, filters) in enumerate(sources):
        for values in history_of(source).objects.filter(**filters).values_list(*META):
            history_id, object_id, date, kind, user_id, reason = values
            refs.append(Ref(source, history_id, object_id, date, kind, user_id, reason or "", order))
    refs.sort(key=lambda ref: ref.sort_key)
    return refs


def group_versions(model, refs):
    """Rows (oldest first) into versions, oldest first (see the module's docstring)."""
    versions = []
    for ref in refs:
        current = versions[-1] if versions else None
        if current is not None:
            last = current.refs[-1]
            starts_over = ref.model is model and ref.type == "+"
            if (
                not starts_over
                and ref.user_id == last.user_id
                and ref.reason == last.reason
                and ref.date - last.date <= VERSION_GAP
            ):
                current.refs.append(ref)
                continue
        versions.append(Version(number=len(versions) + 1, refs=[ref], record=model))
    for version in versions:
        version.stamp = to_stamp(version.date)
    return versions


def describe_versions(model, versions, refs):
    """Fill in each version's users and object changes: rows, links and names in bulk."""
    by_object = defaultdict(list)
    for ref in refs:
        by_object[ref.key].append(ref)
    position = {(ref.model, ref.history_id): index for key in by_object for index, ref in enumerate(by_object[key])}

    def previous(ref):
        index = position[(ref.model, ref.history_id)]
        return by_object[ref.key][index - 1] if index else None

    pairs = []  # (version, model, before ref, after ref)
    wanted = defaultdict(set)
    for version in versions:
        first, last = {}, {}
        for ref in version.refs:
            first.setdefault(ref.key, ref)
            last[ref.key] = ref
        for key, after in last.items():
            before = previous(first[key])
            pairs.append((version, after.model, before, after))
            wanted[after.model].add(after.history_id)
            if before is not None:
                wanted[before.model].add(before.history_id)
    rows, names = Rows(), Names()
    for source, ids in wanted.items():
        rows.load(source, ids)
    rows.want_names(names)
    users = {ref.user_id for version in versions for ref in version.refs[:1]} - {None}
    users = get_user_model()._base_manager.in_bulk(users) if users else {}
    names.resolve()
    for version, source, before, after in pairs:
        before_row = rows.get(before.model, before.history_id) if before else None
        change = describe(source, before_row, rows.get(source, after.history_id), rows, names, source is not model)
        if change.action == "changed" and not change.changes:
            continue
        version.objects.append(change)
    for version in versions:
        version.user = users.get(version.user_id)
        version.objects.sort(key=lambda change: (change.child, change.noun, change.label))
    return versions


def record_versions(model, pk):
    """All versions of one record, newest first, without their details (see :func:`describe_versions`)."""
    refs = record_refs(model, pk)
    return list(reversed(group_versions(model, refs))), refs


# All changes, newest first: the recent-changes and deleted-records lists ------------------


@dataclasses.dataclass(frozen=True)
class Cursor:
    """A place in the merged list: rows are ordered by (date, model label, history_id), newest first."""

    date: datetime
    label: str
    history_id: int

    def encode(self):
        return f"{to_stamp(self.date)}~{self.label}~{self.history_id}"

    @classmethod
    def decode(cls, text):
        """The cursor ``text`` names, or None if it names none."""
        try:
            stamp, label, history_id = str(text).split("~")
            cursor = cls(from_stamp(int(stamp)), label, int(history_id))
        except (ValueError, OverflowError):
            return None
        # A database integer holds at most 2**63 - 1.
        return cursor if 0 <= cursor.history_id < 2**63 else None


def _beyond(label, cursor, older):
    """The rows of the table ``label`` that come after ``cursor`` (older) or before it (newer)."""
    if cursor is None:
        return Q()
    if older:
        same = Q(history_date=cursor.date, history_id__lt=cursor.history_id)
        if label < cursor.label:
            return Q(history_date__lte=cursor.date)
        if label > cursor.label:
            return Q(history_date__lt=cursor.date)
        return Q(history_date__lt=cursor.date) | same
    same = Q(history_date=cursor.date, history_id__gt=cursor.history_id)
    if label > cursor.label:
        return Q(history_date__gte=cursor.date)
    if label < cursor.label:
        return Q(history_date__gt=cursor.date)
    return Q(history_date__gt=cursor.date) | same


def previous_row_id(history_model):
    """A subquery: the history_id of the row before this one, of the same object."""
    earlier = history_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return Subquery(newest_first(earlier).values("history_id")[:1])


def merged_page(querysets, cursor, older, size):
    """One page of rows from several history tables, merged newest first (keyset pagination).

    ``querysets``: {model: queryset of its history}. One query per table, each with a LIMIT.
    Returns (rows as (model, row) newest first, whether there are more beyond the page).
    """
    fetched = []
    for model, queryset in querysets.items():
        label = model_label(model)
        queryset = queryset.filter(_beyond(label, cursor, older))
        queryset = newest_first(queryset) if older else queryset.order_by("history_date", "history_id")
        fetched += [(model, row) for row in queryset[: size + 1]]

    def key(item):
        return (item[1].history_date, model_label(item[0]), item[1].history_id)

    fetched.sort(key=key, reverse=older)
    more = len(fetched) > size
    page = fetched[:size]
    if not older:
        page.reverse()
    return page, more


@dataclasses.dataclass
class Entry:
    """One row of the recent-changes list."""

    model: type
    row: object
    change: ObjectChange
    user: object
    record_model: type
    record_id: int
    record_label: str
    url: str | None
    live: bool

    @property
    def action(self):
        return self.change.action

    @property
    def cursor(self):
        return Cursor(self.row.history_date, model_label(self.model), self.row.history_id)

    @property
    def objects(self):
        return [self.change]

    @property
    def record_noun(self):
        return capfirst(self.record_model._meta.verbose_name) if self.record_model else ""


def describe_rows(page):
    """Entries for (model, row) pairs whose querysets were annotated with ``previous_id``."""
    rows, names = Rows(), Names()
    wanted, known = defaultdict(set), defaultdict(list)
    for model, row in page:
        known[model].append(row)
        if row.previous_id:
            wanted[model].add(row.previous_id)
    for model, page_rows in known.items():
        rows.load(model, wanted[model], known=page_rows)
    rows.want_names(names)
    parents = []
    for model, row in page:
        record_model, record_id = (model, row.id) if issubclass(model, Record) else parent_of(model, row)
        parents.append((record_model, record_id))
        if record_model is not None and record_model is not model:
            names.want(record_model, record_id)
    users = {row.history_user_id for _model, row in page} - {None}
    users = get_user_model()._base_manager.in_bulk(users) if users else {}
    names.resolve()
    entries = []
    for (model, row), (record_model, record_id) in zip(page, parents, strict=True):
        before = rows.get(model, row.previous_id) if row.previous_id else None
        child = record_model is not model
        change = describe(model, before, row, rows, names, child)
        if child:
            record_label = names.label(record_model, record_id) if record_model else ""
        else:
            names.want(model, row.id)
            record_label = change.label
        entries.append(
            Entry(
                model=model,
                row=row,
                change=change,
                user=users.get(row.history_user_id),
                record_model=record_model,
                record_id=record_id,
                record_label=record_label,
                url=history_url(record_model, record_id),
                live=False,
            )
        )
    names.resolve()  # whether each record still exists (one query per model, answered in bulk)
    for entry in entries:
        entry.live = entry.record_model is not None and names.is_live(entry.record_model, entry.record_id)
    return entries


def recent_changes(models_, *, user_id=None, no_user=False, action=None, cursor=None, older=True, size=50):
    """A page of every row of ``models_``, newest first, with what each changed.

    Queries: one per table, then one per table with rows on the page (the rows before them) and
    one per tracked many-to-many field of those tables, one per model named (two if some were
    deleted), one for the users.
    """
    querysets = {}
    for model in models_:
        queryset = history_of(model).objects.all()
        if no_user:
            queryset = queryset.filter(history_user__isnull=True)
        elif user_id is not None:
            queryset = queryset.filter(history_user_id=user_id)
        if action:
            queryset = queryset.filter(history_type=action)
        querysets[model] = queryset.annotate(previous_id=previous_row_id(history_of(model)))
    page, more = merged_page(querysets, cursor, older, size)
    return describe_rows(page), more


def still_deleted(model):
    """Deletion rows of ``model`` whose object is still gone (not restored, not deleted again)."""
    history = history_of(model)
    later = history.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    live = model._base_manager.filter(pk=OuterRef("id"))
    return history.objects.filter(history_type="-").filter(~Exists(later), ~Exists(live))


@dataclasses.dataclass
class DeletedRecord:
    model: type
    row: object
    user: object
    label: str
    children: list  # (verbose name plural or name, count)
    restore_url: str
    history_url: str | None

    @property
    def noun(self):
        return capfirst(self.model._meta.verbose_name)

    @property
    def cursor(self):
        return Cursor(self.row.history_date, model_label(self.model), self.row.history_id)


def deleted_records(models_, *, cursor=None, older=True, size=50):
    """A page of deleted records, newest first, each with the children deleted with it.

    Queries: one per table, one per child table of the models on the page, one for the users.
    """
    querysets = {model: still_deleted(model) for model in models_}
    page, more = merged_page(querysets, cursor, older, size)
    by_model = defaultdict(list)
    for model, row in page:
        by_model[model].append(row)
    children = defaultdict(lambda: defaultdict(int))
    for model, model_rows in by_model.items():
        for relation in child_relations(model):
            for row, count in _children_deleted_with(model, relation, model_rows).items():
                children[(model, row.history_id)][relation.model] += count
    users = {row.history_user_id for _model, row in page} - {None}
    users = get_user_model()._base_manager.in_bulk(users) if users else {}
    entries = []
    for model, row in page:
        counts = [
            (count, child._meta.verbose_name if count == 1 else child._meta.verbose_name_plural)
            for child, count in children[(model, row.history_id)].items()
        ]
        entries.append(
            DeletedRecord(
                model=model,
                row=row,
                user=users.get(row.history_user_id),
                label=str(row.instance),
                children=counts,
                restore_url=reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_restore", args=[row.id]),
                history_url=history_url(model, row.id),
            )
        )
    return entries, more


def _children_deleted_with(model, relation, deletion_rows):
    """{deletion row: number of ``relation`` children deleted with it} in one query."""
    pks = [row.id for row in deletion_rows]
    earliest = min(row.history_date for row in deletion_rows) - SAME_MOMENT
    latest = max(row.history_date for row in deletion_rows)
    if relation.fk:
        filters = {f"{relation.fk}__in": pks}
        parent_attname = relation.fk
    else:
        filters = {"content_type_id": content_type_id(model), "object_id__in": pks}
        parent_attname = "object_id"
    candidates = (
        still_deleted(relation.model)
        .filter(**filters, history_date__gte=earliest, history_date__lte=latest)
        .values_list(parent_attname, "history_user_id", "history_date")
    )
    counts = defaultdict(int)
    by_pk = {row.id: row for row in deletion_rows}
    for parent_pk, user_id, date in candidates:
        row = by_pk.get(parent_pk)
        if row is not None and _deleted_with(row, user_id, date):
            counts[row] += 1
    return counts


def _deleted_with(record_row, user_id, date):
    return (
        user_id == record_row.history_user_id
        and record_row.history_date - SAME_MOMENT <= date <= record_row.history_date
    )


# Reverting and restoring ---------------------------------------------------------------------


class CannotApply(Exception):
    """The plan could not be carried out; the message says why (nothing was changed)."""


def may_write(user, model, published, adding=False):
    """Add (restore) or change (revert) permission; and publish permission where a published
    record is involved (the rule of cooperation/core/permissions.py)."""
    opts = model._meta
    action = "add" if adding else "change"
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return False
    return not published or may_publish(user, model)


def validation_problems(error, model):
    problems = []
    for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
        label = "" if field == "__all__" else f"{capfirst(model._meta.get_field(field).verbose_name)}: "
        problems += [f"{label}{message}" for message in messages]
    return problems


def missing_targets(model, obj, names):
    """Problems for foreign keys of ``obj`` that point at objects deleted since."""
    problems = []
    for field in compared_fields(model):
        pk = getattr(obj, field.attname) if field.many_to_one else None
        if pk is None or field.related_model is ContentType:
            continue
        names.want(field.related_model, pk)
    names.resolve()
    for field in compared_fields(model):
        pk = getattr(obj, field.attname) if field.many_to_one else None
        if pk is None or field.related_model is ContentType:
            continue
        if not names.is_live(field.related_model, pk):
            target = field.related_model._meta.verbose_name
            problems.append(
                f"Its {field.verbose_name} “{names.label(field.related_model, pk)}” has been deleted: "
                f"restore that {target} first (Deleted records)."
            )
    return problems


def _target_exists(model, obj):
    """Whether what a child row points at (its source, partner …) still exists; the record it
    belongs to is not asked about (it is being restored, or it is the one being reverted)."""
    link = parent_link(model)
    for field in compared_fields(model):
        if not field.many_to_one or field is link:
            continue
        pk = getattr(obj, field.attname)
        if pk is not None and not field.related_model._base_manager.filter(pk=pk).exists():
            return False
    return True


@dataclasses.dataclass
class Plan:
    """What a revert or a restore would do: shown on its confirmation page, then applied."""

    model: type
    pk: int
    title: str
    objects: list = dataclasses.field(default_factory=list)  # ObjectChange: current → result
    problems: list = dataclasses.field(default_factory=list)  # any of these: nothing is done
    notes: list = dataclasses.field(default_factory=list)  # what is left out, and why
    reason: str = ""
    published: bool = False  # whether the record is or will be published (for the permission)
    steps: list = dataclasses.field(default_factory=list)  # callables, in order

    @property
    def has_changes(self):
        return bool(self.objects)

    def apply(self, user):
        if self.problems:
            raise CannotApply(" ".join(self.problems))
        try:
            with transaction.atomic(), history_context(user=user, reason=self.reason):
                for step in self.steps:
                    step(user)
        except (IntegrityError, ValidationError) as error:
            detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise CannotApply(f"Nothing was changed: the database refused it ({detail}).") from error


def _tag(obj, user, reason):
    obj._history_user = user
    obj._change_reason = reason
    return obj


def revert_plan(model, pk, stamp):
    """The plan to put record ``pk`` back as it was at the end of the version ``stamp``.

    Raises ``model.DoesNotExist`` when the record had no state then (or is gone now).
    """
    obj = model._base_manager.get(pk=pk)
    moment = from_stamp(stamp)
    history = history_of(model)
    target = newest_first(history.objects.filter(id=pk, history_date__lte=moment)).first()
    if target is None or target.history_type == "-":
        raise model.DoesNotExist(f"The {model._meta.verbose_name} did not exist at that time.")
    names, rows = Names(), Rows()
    rows.load(model, [target.history_id])
    author = target.history_user
    reason = limit_reason(
        f"Reverted to the version of {when(target.history_date)}" + (f" by {user_name(author)}" if author else "")
    )
    plan = Plan(model, pk, title=str(obj), reason=reason)
    plan.published = bool(obj.published or target.published)

    # The record's own fields and links.
    fields = {}
    for field in compared_fields(model):
        if raw_value(field, obj) != raw_value(field, target):
            fields[field.attname] = getattr(target, field.attname)
    links = {}
    current_links = {}
    for field in tracked_m2m(model):
        current = set(getattr(obj, field.name).values_list("pk", flat=True))
        wanted = rows.m2m(model, target.history_id).get(field.name, set())
        if current == wanted:
            continue
        existing = set(field.related_model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        for pk_gone in wanted - existing:
            names.want(field.related_model, pk_gone)
        current_links[field.name] = current
        links[field.name] = (wanted, existing)
    names.want_row(model, obj)
    names.want_row(model, target)
    for field_name, (wanted, _existing) in links.items():
        related = model._meta.get_field(field_name).related_model
        for linked in wanted | current_links[field_name]:
            names.want(related, linked)

    # Its children as they were then.
    child_steps = {"delete": [], "save": []}
    for relation in child_relations(model):
        live = {child.pk: child for child in relation.model._base_manager.filter(**relation.filter(model, pk))}
        then = {}
        child_rows = history_of(relation.model).objects.filter(**relation.filter(model, pk), history_date__lte=moment)
        for row in child_rows.order_by("id", "-history_date", "-history_id"):
            then.setdefault(row.id, row)
        then = {child_pk: row for child_pk, row in then.items() if row.history_type != "-"}
        for child in live.values():
            names.want_row(relation.model, child)
        for row in then.values():
            names.want_row(relation.model, row)
        for child_pk, child in live.items():
            if child_pk not in then:
                child_steps["delete"].append((relation.model, child, None))
        for child_pk, row in then.items():
            current = live.get(child_pk)
            if current is None:
                child_steps["save"].append((relation.model, None, row))
            elif any(raw_value(field, current) != raw_value(field, row) for field in compared_fields(relation.model)):
                child_steps["save"].append((relation.model, current, row))
    names.resolve()

    # Problems: the record as it would be must be valid, and what it points to must exist.
    reverted = model._base_manager.get(pk=pk)
    for attname, value in fields.items():
        setattr(reverted, attname, value)
    plan.problems += missing_targets(model, reverted, names)
    plan.problems += slug_problems(model, reverted)
    if not plan.problems:
        try:
            reverted.full_clean(validate_unique=True)
        except ValidationError as error:
            plan.problems += validation_problems(error, model)

    m2m = {}
    for field_name, (wanted, existing) in links.items():
        field = model._meta.get_field(field_name)
        gone = wanted - existing
        if gone:
            plan.notes.append(
                f"{capfirst(field.verbose_name)}: "
                + ", ".join(sorted(names.label(field.related_model, p) for p in gone))
                + " no longer exist"
                + ("s" if len(gone) == 1 else "")
                + " and cannot be linked again."
            )
        m2m[field_name] = (current_links[field_name], existing)
    changes = field_changes(model, obj, reverted, names, m2m)
    if changes:
        plan.objects.append(ObjectChange(model, pk, "changed", str(obj), changes, child=False))

    child_saves = []
    for child_model, current, row in child_steps["save"]:
        restored = row.instance
        if not _target_exists(child_model, restored):
            plan.notes.append(
                f"{capfirst(child_model._meta.verbose_name)} “{child_label(child_model, row, names)}” points at "
                "something deleted since and is left out."
            )
            continue
        label = child_label(child_model, row, names)
        if current is None:
            plan.objects.append(ObjectChange(child_model, row.id, "restored", label, [], child=True))
        else:
            plan.objects.append(
                ObjectChange(
                    child_model, row.id, "changed", label, field_changes(child_model, current, restored, names), True
                )
            )
        child_saves.append((restored, current is None))
    # A claim that stops being preferred is saved before the one that becomes preferred.
    child_saves.sort(key=lambda item: bool(getattr(item[0], "preferred", False)))
    for child_model, child, _row in child_steps["delete"]:
        plan.objects.append(
            ObjectChange(child_model, child.pk, "deleted", child_label(child_model, child, names), [], child=True)
        )

    def apply(user):
        record = model._base_manager.select_for_update().get(pk=pk)
        for attname, value in fields.items():
            setattr(record, attname, value)
        _tag(record, user, reason).save()
        for field_name, (_current, existing) in m2m.items():
            getattr(record, field_name).set(existing)
        for _child_model, child, _row in child_steps["delete"]:
            _tag(child, user, reason).delete()
        for restored, new in child_saves:
            _tag(restored, user, reason).save(force_insert=new)

    plan.steps.append(apply)
    return plan


def slug_problems(model, obj):
    slug_field = next((field for field in model._meta.concrete_fields if field.name == "slug"), None)
    if slug_field is None or not obj.slug:
        return []
    other = model._base_manager.filter(slug=obj.slug).exclude(pk=obj.pk).first()
    if other is None:
        return []
    return [
        f"The address “{obj.slug}” is now used by the {model._meta.verbose_name} “{other}”. "
        f"Change that {model._meta.verbose_name}'s slug first, then try again."
    ]


def deletion_row(model, pk):
    """The row that deleted ``pk`` if it is still deleted; else ``model.DoesNotExist``."""
    row = newest_first(history_of(model).objects.filter(id=pk)).first()
    if row is None or row.history_type != "-" or model._base_manager.filter(pk=pk).exists():
        raise model.DoesNotExist(f"No deleted {model._meta.verbose_name} #{pk} to restore.")
    return row


def restore_plan(model, pk, user):
    """The plan to bring back the deleted record ``pk``: its last fields (same pk and slug), its
    links both ways, and the children deleted with it. A published record comes back published
    only for a user who may publish it; for anyone else it comes back as a draft."""
    deletion = deletion_row(model, pk)
    history = history_of(model)
    state = newest_first(history.objects.filter(id=pk).exclude(history_type="-")).first()
    names, rows = Names(), Rows()
    if state is not None:
        rows.load(model, [state.history_id])
    deleted_by = deletion.history_user
    reason = limit_reason(
        f"Restored (deleted {when(deletion.history_date)}" + (f" by {user_name(deleted_by)})" if deleted_by else ")")
    )
    obj = deletion.instance
    created_at = getattr(obj, "created_at", None)
    plan = Plan(model, pk, title=str(obj), reason=reason)
    plan.published = bool(getattr(obj, "published", False))
    if plan.published and not may_publish(user, model):
        obj.published = False
        plan.published = False
        plan.notes.append(
            f"It was published; it comes back as a draft, because only a Publisher can restore a published "
            f"{model._meta.verbose_name}."
        )

    # Its links, and the links to it from other records as they were just before it was deleted.
    links = {}
    for field in tracked_m2m(model):
        wanted = rows.m2m(model, state.history_id).get(field.name, set()) if state else set()
        existing = set(field.related_model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        for linked in wanted:
            names.want(field.related_model, linked)
        links[field.name] = (wanted, existing)
    backlinks = []  # (other model, field, [other objects])
    for other, field in reverse_m2m(model):
        others = _linked_before(other, field, pk, deletion.history_date)
        if others:
            backlinks.append((other, field, others))

    # Children deleted with it.
    children = []
    for relation in child_relations(model):
        candidates = still_deleted(relation.model).filter(
            **relation.filter(model, pk),
            history_date__gte=deletion.history_date - SAME_MOMENT,
            history_date__lte=deletion.history_date,
        )
        for row in candidates:
            if row.history_user_id == deletion.history_user_id:
                children.append((relation.model, row))
                names.want_row(relation.model, row)
    names.want_row(model, obj)
    names.resolve()

    plan.problems += slug_problems(model, obj)
    plan.problems += missing_targets(model, obj, names)
    if not plan.problems:
        try:
            obj.full_clean(validate_unique=True)
        except ValidationError as error:
            plan.problems += validation_problems(error, model)

    m2m = {field_name: (set(), existing) for field_name, (_wanted, existing) in links.items()}
    plan.objects.append(
        ObjectChange(model, pk, "restored", str(obj), field_changes(model, None, obj, names, m2m, initial=True), False)
    )
    for field_name, (wanted, existing) in links.items():
        gone = wanted - existing
        if gone:
            field = model._meta.get_field(field_name)
            plan.notes.append(
                f"{capfirst(field.verbose_name)}: "
                + ", ".join(sorted(names.label(field.related_model, p) for p in gone))
                + " no longer exist"
                + ("s" if len(gone) == 1 else "")
                + " and cannot be linked again."
            )
    for other, field, others in backlinks:
        for other_obj in others:
            link = FieldChange(field=capfirst(field.verbose_name), added=[str(obj)], links=True)
            plan.objects.append(ObjectChange(other, other_obj.pk, "linked", str(other_obj), [link], child=True))
    restored_children = []
    for child_model, row in children:
        child = row.instance
        label = child_label(child_model, row, names)
        if not _target_exists(child_model, child):
            plan.notes.append(
                f"{capfirst(child_model._meta.verbose_name)} “{label}” points at something deleted since "
                "and is left out."
            )
            continue
        plan.objects.append(ObjectChange(child_model, row.id, "restored", label, [], child=True))
        restored_children.append(child)

    def apply(user):
        _tag(obj, user, reason).save(force_insert=True)
        if created_at is not None:
            # Keep when it was first created (auto_now_add stamped the restore time).
            model._base_manager.filter(pk=pk).update(created_at=created_at)
            history.objects.filter(
                history_id=newest_first(history.objects.filter(id=pk)).values("history_id")[:1]
            ).update(created_at=created_at)
        for field_name, (_wanted, existing) in links.items():
            if existing:
                getattr(obj, field_name).set(existing)
        for _other, field, others in backlinks:
            for other_obj in others:
                getattr(_tag(other_obj, user, reason), field.name).add(pk)
        for child in restored_children:
            _tag(child, user, reason).save(force_insert=True)

    plan.steps.append(apply)
    return plan


def _linked_before(other, field, pk, moment):
    """Live ``other`` records whose last row before ``moment`` links them to ``pk`` through ``field``."""
    snapshot = m2m_snapshot_model(field)
    target = m2m_target_attname(field)
    history = history_of(other)
    candidates = set(snapshot.objects.filter(**{target: pk}).values_list("history__id", flat=True))
    if not candidates:
        return []
    last_rows = {}
    for object_id, history_id in newest_first(
        history.objects.filter(id__in=candidates, history_date__lt=moment)
    ).values_list("id", "history_id"):
        last_rows.setdefault(object_id, history_id)
    linked = set(
        snapshot.objects.filter(history_id__in=last_rows.values(), **{target: pk}).values_list("history__id", flat=True)
    )
    return list(other._base_manager.filter(pk__in=linked).order_by("pk"))
