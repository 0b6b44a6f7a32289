"""One record's versions: its rows and its children's, grouped into what one person did in one
go (see ``cooperation/history/__init__.py``), newest first, each described in words on demand.
"""

import dataclasses
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model

from cooperation.history.describe import ACTION_WORDS, Names, Rows, describe
from cooperation.history.tracking import child_relations, history_of

# Rows of one version are at most this far apart (one admin save takes milliseconds; two saves
# by one person are seconds apart at least: the form has to load and be sent again).
VERSION_GAP = timedelta(seconds=2)

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

    @property
    def action_label(self):
        return str(ACTION_WORDS[self.action])


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
    """Rows (oldest first) into versions, oldest first (see ``cooperation/history/__init__.py``)."""
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
