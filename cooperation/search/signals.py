"""Signal receivers that keep the search index current, connected by :func:`connect_signals`.

Every save of a record re-indexes it (a draft loses its document) and, when its names or its
publication changed, the records that quote its name (a partner's offices, agreements,
projects, meetings …); deleting one removes its
document and re-indexes those. Posts, project partners and the many-to-many links whose
names a document holds (agreement parties, project topics, meeting partners and
participants) re-index their record when they change.

Inside :func:`indexing_deferred` (the spreadsheet import, the seed loader) the receivers only
note which records need it, and each is indexed once when the block ends, still inside the
caller's transaction: a row that saves a record, its links and its partners would otherwise
index the same record five times.

Writes that send no signals — ``QuerySet.update()``, ``bulk_create()``, ``loaddata`` (raw
saves are skipped) — need :func:`cooperation.search.index_records` or
``manage.py rebuild_search_index`` afterwards. The search page never shows a record that is
no longer published, even then (see backends.py).
"""

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from cooperation.models import Agreement, Project, ProjectPartner
from cooperation.search.documents import (
    INDEXED_MODELS,
    QUOTED_FIELDS,
    dependents,
    index_records,
    quotes_unchanged,
    remove_record,
)
from events.models import Meeting
from partners.models import Person, Post

UID = "cooperation.search"

# The through model of each many-to-many field whose names go into its record's document:
# through -> (record model, field name on it).
M2M_FIELDS = {
    Agreement.parties.through: (Agreement, "parties"),
    Agreement.topics.through: (Agreement, "topics"),
    Project.topics.through: (Project, "topics"),
    Project.partners.through: (Project, "partners"),
    Meeting.partners.through: (Meeting, "partners"),
    Meeting.participants.through: (Meeting, "participants"),
}

QUOTES_KEPT = "_search_quotes_kept"  # noted before a save: what other documents quote of it is unchanged

_connected = False
_deferred = threading.local()  # .pending: model -> pks to index when the block ends, or None


@contextmanager
def indexing_deferred():
    """Index each record the block's signals touch once, when the block ends without an error.

    Use it inside the transaction that makes the changes, so the index is written in it too.
    On an error nothing is indexed: the caller's transaction is rolled back anyway. Nested
    blocks join the outer one.
    """
    if getattr(_deferred, "pending", None) is not None:
        yield
        return
    _deferred.pending = pending = defaultdict(set)
    try:
        yield
    finally:
        _deferred.pending = None
    for model, pks in pending.items():
        index_records(model, pks)


def _index(model, pks):
    pending = getattr(_deferred, "pending", None)
    if pending is None:
        index_records(model, pks)
    else:
        pending[model].update(pks)


def _index_all(found):
    for model, pks in found:
        _index(model, pks)


def record_saving(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.__dict__[QUOTES_KEPT] = quotes_unchanged(instance)


def record_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _index(type(instance), [instance.pk])
    if not instance.__dict__.pop(QUOTES_KEPT, False):  # its names or publication changed
        _index_all(dependents(instance))


def record_deleting(sender, instance, **kwargs):
    instance._search_dependents = dependents(instance)


def record_deleted(sender, instance, **kwargs):
    remove_record(instance)
    _index_all(getattr(instance, "_search_dependents", ()))


def post_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _index(Person, [instance.person_id])


def project_partner_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _index(Project, [instance.project_id])


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    model, field_name = M2M_FIELDS[sender]
    if not reverse:
        # ``instance`` is the record whose links changed.
        if action in ("post_add", "post_remove", "post_clear"):
            _index(model, [instance.pk])
        return
    # ``instance`` is on the other side (a partner, a topic, a person); ``pk_set`` are records.
    if action == "pre_clear":
        pks = model._default_manager.filter(**{field_name: instance}).values_list("pk", flat=True)
        instance.__dict__.setdefault("_search_cleared", {})[sender] = set(pks)
    elif action == "post_clear":
        _index(model, instance.__dict__.get("_search_cleared", {}).pop(sender, ()))
    elif action in ("post_add", "post_remove") and pk_set:
        _index(model, pk_set)


def _receivers():
    for model in INDEXED_MODELS:
        label = model._meta.label_lower
        if model in QUOTED_FIELDS:
            yield pre_save, record_saving, model, f"{UID}.saving.{label}"
        yield post_save, record_saved, model, f"{UID}.save.{label}"
        yield pre_delete, record_deleting, model, f"{UID}.deleting.{label}"
        yield post_delete, record_deleted, model, f"{UID}.delete.{label}"
    yield post_save, post_changed, Post, f"{UID}.save.post"
    yield post_delete, post_changed, Post, f"{UID}.delete.post"
    yield post_save, project_partner_changed, ProjectPartner, f"{UID}.save.projectpartner"
    yield post_delete, project_partner_changed, ProjectPartner, f"{UID}.delete.projectpartner"
    for through in M2M_FIELDS:
        yield m2m_changed, links_changed, through, f"{UID}.links.{through._meta.label_lower}"


def connect_signals():
    """Keep the search index current from now on (idempotent). Call it from AppConfig.ready()."""
    global _connected
    for signal, receiver, sender, uid in _receivers():
        signal.connect(receiver, sender=sender, dispatch_uid=uid, weak=False)
    _connected = True


def disconnect_signals():
    global _connected
    for signal, receiver, sender, uid in _receivers():
        signal.disconnect(receiver, sender=sender, dispatch_uid=uid)
    _connected = False


def signals_connected():
    return _connected
