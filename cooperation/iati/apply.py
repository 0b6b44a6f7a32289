"""Writing one IATI activity into the registry, in one transaction: its project (a draft when
new), partners and their roles, topics, documents, money and provenance, or nothing.

A project keeps, in its :class:`~cooperation.models.IatiActivity`, the activity's fingerprint
and the values the import wrote (:func:`snapshot`). Importing the activity again is then

- *unchanged* when the file says what it said last time (whatever staff did since);
- *skipped* when the file's ``last-updated-datetime`` is older than the one imported;
- *skipped*, naming the conflict, when the project no longer holds what the import wrote
  (staff changed it since): the import does not overwrite staff's work unless asked to
  (``overwrite``);
- *updated* otherwise.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from cooperation.core.partial_dates import PartialDate
from cooperation.core.permissions import may_publish
from cooperation.iati import codelists, money, provenance
from cooperation.iati.data import Activity, Problem
from cooperation.iati.matching import PartnerFinder, TopicFinder, free_slug
from cooperation.iati.report import CREATED, SKIPPED, UNCHANGED, UPDATED, ActivityResult
from cooperation.models import IatiActivity, Project, ProjectPartner, Source
from cooperation.search.signals import indexing_deferred

TEXT_FIELDS = ("title", "title_az", "title_ru", "description", "description_az", "description_ru")
DATE_FIELDS = ("start", "end", "planned_start", "planned_end", "status_as_of")


@dataclass
class ImportContext:
    """What every activity of one import shares: where it comes from, who runs it, and the
    finders that remember what they have read."""

    file_name: str
    url: str = ""
    user: AbstractBaseUser | None = None
    overwrite: bool = False
    partners: PartnerFinder = field(default_factory=PartnerFinder)
    topics: TopicFinder = field(default_factory=TopicFinder)
    file_sources: dict[str, Source] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return f"Imported from the IATI file {self.file_name}"[:100]

    def attribute(self, obj) -> None:
        """Who made the change, and why, for the record's history."""
        obj._history_user = self.user
        obj._change_reason = self.reason


def import_activity(activity: Activity, context: ImportContext) -> ActivityResult:
    """Write ``activity`` (all of it or nothing) and say what was done; its problems and those
    met while writing are in ``activity.problems``."""
    result = ActivityResult(activity.identifier, activity.line, SKIPPED)
    if not activity.identifier:
        result.reason = "No iati-identifier."
        return result
    if not activity.title:
        result.reason = "No title."
        return result
    try:
        with transaction.atomic(), indexing_deferred():
            result = _write(activity, context)
    except (ValidationError, DatabaseError) as error:
        # What the finders remember of the rolled-back transaction is gone with it.
        context.partners.rollback()
        context.file_sources.clear()
        result.reason = f"The registry refused it, so nothing of it was saved: {_messages(error)}"
        return result
    context.partners.commit()
    return result


def _messages(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error)


def _write(activity: Activity, context: ImportContext) -> ActivityResult:
    record = IatiActivity.objects.select_related("project").filter(identifier=activity.identifier).first()
    fingerprint = activity.fingerprint()
    result = ActivityResult(activity.identifier, activity.line, SKIPPED)
    if record is None:
        project, result.action = Project(published=False), CREATED
    else:
        project = record.project
        result.project_id, result.title = project.pk, project.title
        refusal = _refusal(activity, record, fingerprint, context)
        if refusal is not None:
            result.action, result.reason = refusal
            return result
        result.action = UPDATED
    _set_fields(project, activity)
    project.full_clean(exclude=["slug"], validate_unique=False)
    if result.action == CREATED:
        project.slug = free_slug(Project, project.title, activity.identifier)
    context.attribute(project)
    project.save()
    result.project_id, result.title = project.pk, project.title
    _set_partners(project, activity, context)
    _set_topics(project, activity, context)
    file_source = provenance.cite(project, activity, context)
    money.write(project, activity, context.attribute)
    if record is None:
        record = IatiActivity(identifier=activity.identifier, project=project)
    record.publisher = activity.publisher_ref[:200]
    record.publisher_name = activity.publisher_name[:300]
    record.source = file_source
    record.file_name = context.file_name[:500]
    record.line = activity.line
    record.last_updated = activity.last_updated
    record.recipient_countries = activity.countries
    record.data_fingerprint = fingerprint
    record.written = snapshot(project)
    record.save()
    _log(project, result.action, context)
    return result


def _refusal(activity, record, fingerprint, context) -> tuple[str, str] | None:
    """Why an activity imported before is not written again ((action, reason)), or None."""
    if record.data_fingerprint == fingerprint:
        return UNCHANGED, ""
    if activity.last_updated and record.last_updated and activity.last_updated < record.last_updated:
        return SKIPPED, (
            f"The file's version (last updated {activity.last_updated:%Y-%m-%d %H:%M}) is older than the one "
            f"imported ({record.last_updated:%Y-%m-%d %H:%M}): not imported."
        )
    project = record.project
    current = snapshot(project)
    changed = sorted(name for name in current if current[name] != record.written.get(name))
    if changed and not context.overwrite:
        return SKIPPED, (
            f"Conflict: staff changed {', '.join(changed)} of project “{project.title}” since it was imported "
            f"on {record.imported_at:%Y-%m-%d}, so the newer IATI data is not written over it. Compare, then "
            "import again with overwrite to replace the edits."
        )
    if project.published and context.user is not None and not may_publish(context.user, Project):
        return SKIPPED, "The project is published: updating it needs the permission to publish projects."
    return None


def snapshot(project: Project) -> dict:
    """The values of ``project`` the import writes, as JSON data (4 queries); the recipient
    countries as a set (a form may save them in another order)."""
    values = {name: getattr(project, name) for name in (*TEXT_FIELDS, "status")}
    for name in DATE_FIELDS:
        value = getattr(project, name)
        values[name] = int(value) if value is not None else None
    values["recipient_countries"] = sorted(country.code for country in project.recipient_countries or [])
    values["partners"] = sorted(
        [partner, role, note] for partner, role, note in project.project_partners.values_list("partner", "role", "note")
    )
    values["topics"] = sorted(project.topics.values_list("pk", flat=True))
    values["budgets"] = sorted(
        [kind, status, str(start), str(end), str(amount), currency]
        for kind, status, start, end, amount, currency in project.budgets.values_list(
            "kind", "status", "period_start", "period_end", "amount", "currency"
        )
    )
    values["transactions"] = sorted(
        [year, kind, currency, str(amount), count]
        for year, kind, currency, amount, count in project.transaction_totals.values_list(
            "year", "kind", "currency", "amount", "count"
        )
    )
    return values


def _day(activity: Activity, code: str) -> PartialDate | None:
    day = activity.dates.get(code)
    if day is None:
        return None
    try:
        return PartialDate.from_date(day)
    except ValidationError:
        activity.problems.append(
            Problem(activity.identifier, "activity-date", activity.line, f"{day} is out of range.")
        )
        return None


def _set_fields(project: Project, activity: Activity) -> None:
    title, description = activity.title, activity.description
    project.title = (title.en or title.any())[:400]
    project.title_az, project.title_ru = title.az[:400], title.ru[:400]
    project.description = description.en or description.any()
    project.description_az, project.description_ru = description.az, description.ru
    project.status = codelists.STATUS.get(activity.status, Project.Status.UNKNOWN)
    project.recipient_countries = activity.countries
    if activity.status == "5":
        activity.problems.append(
            Problem(
                activity.identifier,
                "activity-status",
                activity.line,
                "Cancelled: the registry has no such status (not known).",
            )
        )
    updated = activity.last_updated
    project.status_as_of = PartialDate.from_date(updated.date()) if updated and activity.status else None
    planned_start, actual_start = _day(activity, codelists.PLANNED_START), _day(activity, codelists.ACTUAL_START)
    planned_end, actual_end = _day(activity, codelists.PLANNED_END), _day(activity, codelists.ACTUAL_END)
    project.planned_start, project.planned_end = planned_start, planned_end
    project.start, project.end = actual_start or planned_start, actual_end or planned_end
    if project.start and project.end and not project.end.may_end(project.start):
        activity.problems.append(
            Problem(
                activity.identifier,
                "activity-date",
                activity.line,
                f"The end ({project.end.iso}) is before the start ({project.start.iso}): the end is left out.",
            )
        )
        project.end = None


def _set_partners(project: Project, activity: Activity, context: ImportContext) -> None:
    """The project's partners become the activity's participating organisations (matched, or
    created as drafts), each role once."""
    wanted: dict[tuple[int, str], list[str]] = {}
    for organisation in activity.organisations:
        partner_id = context.partners.find(organisation)
        if partner_id is None:
            if not organisation.name:
                activity.problems.append(
                    Problem(
                        activity.identifier,
                        "participating-org",
                        organisation.line,
                        f"No partner has the IATI reference “{organisation.ref}”, and the file gives no name to "
                        "create one: left out.",
                    )
                )
                continue
            partner_id = context.partners.create(organisation, context_history(context)).pk
            provenance.cite_partner(partner_id, activity, context)
        role = codelists.ROLES[organisation.role]
        notes = wanted.setdefault((partner_id, role), [])
        if role == ProjectPartner.Role.OTHER:
            notes.append(codelists.name_of("OrganisationRole", organisation.role))
    existing = {(link.partner_id, link.role): link for link in project.project_partners.all()}
    for key, link in existing.items():
        if key not in wanted:
            context.attribute(link)
            link.delete()
    for (partner_id, role), notes in wanted.items():
        note = ", ".join(dict.fromkeys(notes))[:200]
        link = existing.get((partner_id, role))
        if link is not None and link.note == note:
            continue
        link = link or ProjectPartner(project=project, partner_id=partner_id, role=role)
        link.note = note
        context.attribute(link)
        link.save()


def context_history(context: ImportContext) -> dict:
    return {"_history_user": context.user, "_change_reason": context.reason}


def _set_topics(project: Project, activity: Activity, context: ImportContext) -> None:
    topics: list[int] = []
    for item in activity.classifications:
        found = context.topics.find(item.element, item.vocabulary, item.code)
        if not found:
            name = f" ({item.name})" if item.name else ""
            activity.problems.append(
                Problem(
                    activity.identifier,
                    item.element,
                    item.line,
                    f"No topic is mapped to {item.element} {item.vocabulary}/{item.code}{name}: add one in "
                    "“IATI topic mappings” and import again.",
                )
            )
        topics += [topic for topic in found if topic not in topics]
    if set(topics) != set(project.topics.values_list("pk", flat=True)):
        project.topics.set(topics)


def _log(project: Project, action: str, context: ImportContext) -> None:
    if context.user is None:
        return
    LogEntry.objects.create(
        user_id=context.user.pk,
        content_type=ContentType.objects.get_for_model(Project),
        object_id=str(project.pk),
        object_repr=str(project)[:200],
        action_flag=ADDITION if action == CREATED else CHANGE,
        change_message=f"{context.reason}: {'added as a draft' if action == CREATED else 'updated'}.",
    )


def today() -> PartialDate:
    return PartialDate.from_date(datetime.date.today())
