"""Signal receivers that keep the search index current, connected by :func:`connect_signals`.

Every save of a record re-indexes it (a draft loses its document) and the records that quote
its name (a partner's offices, agreements, projects, meetings …); deleting one removes its
document and re-indexes those. Posts, project partners and the many-to-many links whose
names a document holds (agreement parties, project topics, meeting partners and
participants) re-index their record when they change.

Writes that send no signals — ``QuerySet.update()``, ``bulk_create()``, ``loaddata`` (raw
saves are skipped) — need :func:`cooperation.search.index_records` or
``manage.py rebuild_search_index`` afterwards. The search page never shows a record that is
no longer published, even then (see backends.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from cooperation.models import Agreement, Project, ProjectPartner
from cooperation.search.documents import (
    INDEXED_MODELS,
    dependents,
    index_dependents,
    index_record,
    index_records,
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

_connected = False


def record_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    index_record(instance)
    index_dependents(dependents(instance))


def record_deleting(sender, instance, **kwargs):
    instance._search_dependents = dependents(instance)


def record_deleted(sender, instance, **kwargs):
    remove_record(instance)
    index_dependents(getattr(instance, "_search_dependents", ()))


def post_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records(Person, [instance.person_id])


def project_partner_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records(Project, [instance.project_id])


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    model, field_name = M2M_FIELDS[sender]
    if not reverse:
        # ``instance`` is the record whose links changed.
        if action in ("post_add", "post_remove", "post_clear"):
            index_record(instance)
        return
    # ``instance`` is on the other side (a partner, a topic, a person); ``pk_set`` are records.
    if action == "pre_clear":
        pks = model._default_manager.filter(**{field_name: instance}).values_list("pk", flat=True)
        instance.__dict__.setdefault("_search_cleared", {})[sender] = set(pks)
    elif action == "post_clear":
        index_records(model, instance.__dict__.get("_search_cleared", {}).pop(sender, ()))
    elif action in ("post_add", "post_remove") and pk_set:
        index_records(model, pk_set)


def _receivers():
    for model in INDEXED_MODELS:
        label = model._meta.label_lower
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
