"""History in words: the names of what rows point to (in bulk), values as staff read them,
word diffs of long texts, what changed between two states of an object, historical rows and
their link snapshots loaded in bulk, and :class:`ObjectChange`, one object's change in a
version, a list entry or a plan.
"""

import dataclasses
import difflib
import re
from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django_countries import countries

from cooperation.core.partial_dates import PartialDate
from cooperation.history.tracking import (
    compared_fields,
    history_of,
    m2m_snapshot_model,
    m2m_target_attname,
    newest_first,
    raw_value,
    tracked_m2m,
    tracked_models,
)
from cooperation.models import AgreementAction, Budget, Citation, Claim, ProjectPartner, Source, TransactionTotal
from partners.models import Partner, Post

# What happened to an object, in words (the codes stay English: they are CSS classes and filter values).
ACTION_WORDS = {
    "created": pgettext_lazy("history", "created"),
    "changed": pgettext_lazy("history", "changed"),
    "deleted": pgettext_lazy("history", "deleted"),
    "restored": pgettext_lazy("history", "restored"),
}
CHILD_VERBS = {
    "created": pgettext_lazy("history of a row", "added"),
    "deleted": pgettext_lazy("history of a row", "removed"),
    "restored": pgettext_lazy("history of a row", "put back"),
    "linked": pgettext_lazy("history of a row", "linked again"),
}
EMPTY = pgettext_lazy("history value", "(empty)")
# Long texts are shown as a word diff; equal stretches longer than this keep their ends only.
TEXT_DIFF_AFTER = 80
CONTEXT_WORDS = 8
SIMILAR = 0.6  # texts that share less than this (difflib's ratio) are shown whole, old → new
WHEN_FORMAT = "j F Y, H:i:s"


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
            return str(EMPTY)
        obj, deleted = self._found.get((model, pk), (None, True))
        if obj is None:
            return gettext("%(name)s #%(pk)s (no longer exists)") % {"name": model._meta.verbose_name, "pk": pk}
        if isinstance(obj, ContentType):
            model_class = obj.model_class()
            text = capfirst(model_class._meta.verbose_name) if model_class else obj.model
        else:
            text = str(obj)
        return gettext("%(name)s (deleted)") % {"name": text} if deleted else text


def short_name(names, model, pk):
    obj = names.get(model, pk)
    return getattr(obj, "short_name", None) or names.label(model, pk)


def child_label(model, row, names):
    """A child row in words, as its record's page would put it (without queries of its own)."""
    if model is Citation:
        return f"{names.label(Source, row.source_id)}{', ' + row.locator if row.locator else ''}"
    if model is Claim:
        return f"{row.field}: {row.value} ({names.label(Source, row.source_id)})"
    if model is ProjectPartner:
        role = display_value(model, model._meta.get_field("role"), row.role, names)
        return f"{short_name(names, Partner, row.partner_id)} ({role.lower()})"
    if model is Budget:  # "Original, 2020-01-01–2020-12-31: 1200000.00 EUR"
        kind = display_value(model, model._meta.get_field("kind"), row.kind, names)
        return f"{kind}, {row.period_start}–{row.period_end}: {row.amount} {row.currency}"
    if model is TransactionTotal:  # "2020, Disbursement: 5000.00 EUR"
        kind = display_value(model, model._meta.get_field("kind"), row.kind, names)
        return f"{row.year}, {kind}: {row.amount} {row.currency}"
    if model is Post:
        return f"{row.title}, {short_name(names, Partner, row.organisation_id)}"
    if model is AgreementAction:
        kind = display_value(model, model._meta.get_field("kind"), row.kind, names)
        if row.party_id:
            party = short_name(names, Partner, row.party_id)
            kind = gettext("%(action)s by %(party)s") % {"action": kind, "party": party}
        return f"{kind}{', ' + str(row.date) if row.date else ''}"
    return f"{model._meta.verbose_name} #{row.id}"


# Values in words ------------------------------------------------------------------------------


def display_value(model, field, value, names):
    """``value`` of ``field`` as staff read it: choices by label, partial dates as written,
    foreign keys by name, yes/no, "(empty)"."""
    if value is None or value == "":
        return str(EMPTY)
    if field.many_to_one:
        return names.label(field.related_model, value)
    if getattr(field, "multiple", False):  # several countries (raw_value: "AZ,GE"), by name
        return ", ".join(str(countries.name(code)) for code in value.split(","))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
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
        words = CHILD_VERBS if self.child else ACTION_WORDS
        return str(words.get(self.action, self.action))


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
