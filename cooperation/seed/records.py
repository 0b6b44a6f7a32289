"""Writing a seed file's records (:func:`cooperation.seed.services.load_seed` reads and checks them).

- records are upserted by slug; a row is saved only when one of its values differs, so a
  second run of the same file changes nothing (not even ``updated_at``);
- many-to-many links, project partners, posts, citations (``cite:``) and claims
  (``claims:``) of a record in the file are set to exactly the file's list;
- records the file does not mention are left alone (staff may have added them);
- every row is validated with ``full_clean()``; the first bad value stops the load with a
  :class:`~cooperation.seed.loader.SeedDataError` naming the record.

:class:`SeedReport` counts what was created, updated, deleted and left unchanged.
"""

import dataclasses
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from cooperation.core.partial_dates import PartialDate, PartialDateField
from cooperation.core.translation import TRANSLATION_LANGUAGES
from cooperation.models import (
    Agreement,
    AgreementAction,
    Citation,
    Claim,
    Place,
    Project,
    ProjectPartner,
    Source,
    Topic,
)
from cooperation.models.actions import action_errors, deferred_summary, summary_errors
from cooperation.models.places import location_mismatch
from cooperation.seed.files import stored_file
from cooperation.seed.loader import (
    ACTION_KEYS,
    AGREEMENT_DATE_KEYS,
    CITE_KEYS,
    CLAIM_KEYS,
    POST_KEYS,
    PROJECT_PARTNER_KEYS,
    SECTIONS,
    SEED_DATA_DIR,
    Section,
    check_keys,
    entries,
    error_messages,
    fail,
    field_value,
    translated_values,
    translation_keys,
)
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

# The order the report lists models in: each record model, followed by the rows that hang off it.
REPORTED_MODELS = [
    Source,
    Topic,
    Place,
    Partner,
    Person,
    Post,
    Office,
    Agreement,
    AgreementAction,
    Project,
    ProjectPartner,
    Meeting,
    Citation,
    Claim,
]


@dataclasses.dataclass
class SeedReport:
    """What a load did, per model: rows created, updated, deleted and left unchanged."""

    counts: dict = dataclasses.field(
        default_factory=lambda: defaultdict(Counter, {model._meta.object_name: Counter() for model in REPORTED_MODELS})
    )

    def add(self, model: type[models.Model], outcome: str, number: int = 1) -> None:
        self.counts[model._meta.object_name][outcome] += number

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values())

    def total(self, model_name: str, outcome: str) -> int:
        return self.counts[model_name][outcome]

    def summary(self) -> dict[str, dict[str, int]]:
        """{model name: {outcome: number}}, for tests and machine-readable output."""
        return {name: dict(counter) for name, counter in self.counts.items()}

    def lines(self) -> list[str]:
        header = f"{'model':<16}{'created':>9}{'updated':>9}{'deleted':>9}{'unchanged':>11}{'total':>8}"
        rows = [header]
        for name, c in self.counts.items():
            total = c["created"] + c["updated"] + c["unchanged"]
            rows.append(f"{name:<16}{c['created']:>9}{c['updated']:>9}{c['deleted']:>9}{c['unchanged']:>11}{total:>8}")
        return rows


class RecordWriter:
    """Writes one record at a time, sections in order: a record may name those written before it."""

    def __init__(self, files_dir: Path = SEED_DATA_DIR) -> None:
        self.files_dir = files_dir  # where a source's ``file:`` is found
        self.report = SeedReport()
        self.objects = {section.name: {} for section in SECTIONS}  # section -> slug -> instance
        self.content_types = {}

    def write(self, section: Section, record: dict[str, Any]) -> None:
        """Upsert ``record`` of ``section`` and set what hangs off it; count what changed."""
        slug = record["slug"]
        check_keys(section, record)

        values = {"published": bool(record.get("published", True))} if section.record else {}
        for name in (*section.fields, *translation_keys(section.model, section.fields)):
            values[name] = field_value(section, slug, name, record.get(name))
        for key, target in section.foreign_keys.items():
            field = section.model._meta.get_field(key)
            values[field.attname] = self._lookup(section, slug, key, target, record.get(key), many=False)
        if section.model is Source:
            current = section.model.objects.filter(slug=slug).only("file").first()
            values["file"] = stored_file(
                section=section,
                slug=slug,
                raw=record.get("file"),
                files_dir=self.files_dir,
                current=current.file if current else None,
            )

        if section.cites and not record.get("cite"):
            fail(section, slug, "cite at least one source (a “cite:” list).")

        self._check_location(section, slug, values)
        obj, outcome = self._upsert(section, slug, values)
        self.objects[section.name][slug] = obj
        if not section.record:
            self.report.add(section.model, outcome)
            return

        related_changed = False
        for key, target in section.many.items():
            wanted = self._lookup(section, slug, key, target, record.get(key), many=True)
            related_changed |= self._set_many(obj, key, wanted)
        if section.model is Person:
            related_changed |= self._set_posts(section, obj, record.get("posts"))
        if section.model is Project:
            related_changed |= self._set_project_partners(section, obj, record.get("partners"))
        if section.model is Agreement:
            related_changed |= self._set_actions(section, obj, record)
        related_changed |= self._set_citations(section, obj, record.get("cite"))
        related_changed |= self._set_claims(section, obj, record.get("claims"))

        if outcome == "unchanged" and related_changed:
            # The row's own values are the same but what hangs off it changed: touch updated_at.
            obj.save(update_fields=["updated_at"])
            outcome = "updated"
        self.report.add(section.model, outcome)

    def _check_location(self, section, slug, values, text_field="city", what=""):
        """A record's ``location`` names the place its own words name (see location_mismatch)."""
        if values.get("location_id") is None:
            return
        place = next(p for p in self.objects["places"].values() if p.pk == values["location_id"])
        problem = location_mismatch(values.get(text_field, ""), values.get("country", ""), place)
        if problem:
            fail(section, slug, f"{what}location: {problem}")

    def _lookup(self, section, slug, key, target, raw, many):
        if raw is None:
            return [] if many else None
        wanted = raw if many else [raw]
        if many and not isinstance(raw, list):
            fail(section, slug, f"{key} must be a list of slugs.")
        pks = []
        for other in wanted:
            obj = self.objects[target].get(other)
            if obj is None:
                fail(section, slug, f"{key}: no {target} record with slug “{other}” in this file.")
            pks.append(obj.pk)
        if many and len(set(pks)) != len(pks):
            fail(section, slug, f"{key} lists the same slug twice.")
        return pks if many else pks[0]

    def _upsert(self, section, slug, values):
        model = section.model
        obj = model.objects.filter(slug=slug).first()
        if obj is None:
            obj = model(slug=slug, **values)
            self._validate(section, slug, obj)
            obj.save()
            return obj, "created"
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            return obj, "unchanged"
        for name in changed:
            setattr(obj, name, values[name])
        self._validate(section, slug, obj)
        obj.save(update_fields=[*changed, "updated_at"])
        return obj, "updated"

    def _validate(self, section, slug, obj, what=""):
        try:
            obj.full_clean()
        except ValidationError as error:
            fail(section, slug, f"{what}{error_messages(error)}")

    # Relations ------------------------------------------------------------------------
    def _set_many(self, obj, attr, wanted):
        manager = getattr(obj, attr)
        if set(manager.values_list("pk", flat=True)) == set(wanted):
            return False
        manager.set(wanted)
        return True

    def _sync_rows(self, section, slug, model, existing, wanted, what):
        """Make ``existing`` rows (key -> row) match ``wanted`` (key -> unsaved row)."""
        changed = False
        for key, row in existing.items():
            if key not in wanted:
                row.delete()
                self.report.add(model, "deleted")
                changed = True
        # Rows that stop being preferred go first, so a moved preference never clashes.
        order = sorted(wanted.items(), key=lambda item: bool(getattr(item[1], "preferred", False)))
        for key, new in order:
            old = existing.get(key)
            if old is None:
                self._validate(section, slug, new, what)
                new.save()
                self.report.add(model, "created")
                changed = True
                continue
            updates = [
                f.attname
                for f in model._meta.concrete_fields
                if not f.primary_key and getattr(old, f.attname) != getattr(new, f.attname)
            ]
            if updates:
                for name in updates:
                    setattr(old, name, getattr(new, name))
                self._validate(section, slug, old, what)
                old.save(update_fields=updates)
                self.report.add(model, "updated")
                changed = True
            else:
                self.report.add(model, "unchanged")
        return changed

    def _content_type(self, obj):
        model = type(obj)
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model)
        return self.content_types[model]

    def _source(self, section, slug, key, source_slug):
        source = self.objects["sources"].get(source_slug)
        if source is None:
            fail(section, slug, f"{key}: no sources record with slug “{source_slug}” in this file.")
        return source

    def _set_citations(self, section, obj, raw, slug=None):
        slug = slug or obj.slug
        ct = self._content_type(obj)
        wanted = {}
        for item in entries(section, slug, "cite", raw, CITE_KEYS):
            source = self._source(section, slug, "cite", item.get("source"))
            locator = str(item.get("locator") or "").strip()
            key = (source.pk, locator)
            if key in wanted:
                fail(section, slug, f"cite lists {item.get('source')} “{locator}” twice.")
            wanted[key] = Citation(source=source, content_type=ct, object_id=obj.pk, locator=locator)
        existing = {(c.source_id, c.locator): c for c in Citation.objects.filter(content_type=ct, object_id=obj.pk)}
        return self._sync_rows(section, slug, Citation, existing, wanted, "citation: ")

    def _set_claims(self, section, obj, raw):
        slug = obj.slug
        ct = self._content_type(obj)
        wanted, preferred = {}, set()
        field_names = {f.name for f in section.model._meta.concrete_fields}
        # The reason ends a sentence: one line, in English and in its translations (reason_az, reason_ru).
        reasons = ("reason", *translation_keys(Claim, CLAIM_KEYS))
        for item in entries(section, slug, "claims", raw, CLAIM_KEYS, Claim):
            field = item.get("field")
            if field not in field_names:
                fail(section, slug, f"claims: “{field}” is not a field of {section.model._meta.verbose_name}.")
            if item.get("value") in (None, ""):
                fail(section, slug, f"claims: the claim about {field} needs a value.")
            value = str(item["value"]).strip()
            source = self._source(section, slug, "claims", item.get("source"))
            is_preferred = bool(item.get("preferred", False))
            if is_preferred:
                if field in preferred:
                    fail(section, slug, f"claims: more than one claim about {field} is preferred.")
                preferred.add(field)
                self._check_preferred(section, obj, field, value)
            key = (field, source.pk, value)
            if key in wanted:
                fail(section, slug, f"claims: the claim “{value}” about {field} is listed twice.")
            wanted[key] = Claim(
                content_type=ct,
                object_id=obj.pk,
                field=field,
                value=value,
                source=source,
                locator=str(item.get("locator") or "").strip(),
                preferred=is_preferred,
                **{name: " ".join(str(item.get(name) or "").split()) for name in reasons},
                note=str(item.get("note") or "").strip(),
            )
        existing = {(c.field, c.source_id, c.value): c for c in Claim.objects.filter(content_type=ct, object_id=obj.pk)}
        return self._sync_rows(section, slug, Claim, existing, wanted, "claim: ")

    def _check_preferred(self, section, obj, field, value):
        """A preferred claim about a date must name the date the record holds."""
        if not isinstance(section.model._meta.get_field(field), PartialDateField):
            return
        try:
            claimed = PartialDate.parse(value)
        except ValidationError:
            return  # worded loosely: nothing to compare
        held = getattr(obj, field)
        if claimed.group is not None and held is not None and not held.qualifier and held.group is None:
            # "second half of 2007" claimed, July 2007 held (the period's first month): the record
            # must lie within the half; the record's own precision is the curators' call.
            agrees = claimed.first_day <= held.first_day and held.last_day <= claimed.last_day
        else:
            agrees = claimed == held
        if not agrees:
            fail(
                section,
                obj.slug,
                f"claims: the preferred claim about {field} says {claimed} but the record holds {getattr(obj, field)}.",
            )

    def _action_entries(self, section, slug, record):
        """The agreement's ``actions:`` list, then its old keys (signed, signed_place, ratified,
        in_force, ended) as the actions they record, for every party."""
        items = list(entries(section, slug, "actions", record.get("actions"), ACTION_KEYS, AgreementAction))
        for key, kind in AGREEMENT_DATE_KEYS.items():
            place = record.get("signed_place") if key == "signed" else None
            if record.get(key) in (None, "") and not place:
                continue
            if any(item.get("kind") == kind and not item.get("party") for item in items):
                fail(section, slug, f"{key}: give the {kind.replace('-', ' ')} once, in “{key}:” or in “actions:”.")
            item = {"kind": kind, "date": record.get(key), "place": place or ""}
            if key == "signed" and record.get("signed_location"):
                item["location"] = record["signed_location"]
            if key == "signed":  # signed_place_az, signed_place_ru: the place in the other languages
                item |= {f"place_{code}": record.get(f"signed_place_{code}") for code in TRANSLATION_LANGUAGES}
            items.append(item)
        return items

    def _set_actions(self, section, agreement, record):
        slug = agreement.slug
        wanted, cites, seen = {}, {}, Counter()
        for item in self._action_entries(section, slug, record):
            kind = item.get("kind")
            if kind not in AgreementAction.Kind.values:
                fail(
                    section,
                    slug,
                    f"actions: “{kind}” is not a kind of action ({', '.join(AgreementAction.Kind.values)}).",
                )
            party = None
            if item.get("party"):
                party = self.objects["partners"].get(item["party"])
                if party is None:
                    fail(section, slug, f"actions: no partners record with slug “{item['party']}” in this file.")
            location = None
            if item.get("location"):
                location = self._lookup(section, slug, "actions: location", "places", item["location"], many=False)
                self._check_location(
                    section, slug, {"location_id": location, "place": item.get("place")}, "place", "actions: "
                )
            raw_date = item.get("date")
            try:
                date = None if raw_date in (None, "") else PartialDate.parse(str(raw_date))
            except ValidationError as error:
                fail(section, slug, f"actions: {kind}: {error_messages(error)}")
            action = AgreementAction(
                agreement=agreement,
                kind=kind,
                date=date,
                party=party,
                place=str(item.get("place") or "").strip(),
                location_id=location,
                act=str(item.get("act") or "").strip(),
                note=str(item.get("note") or "").strip(),
                ordering=int(item.get("ordering") or 0),
                **translated_values(AgreementAction, item, ACTION_KEYS),
            )
            action.checked_with_siblings = True
            key = (kind, party.pk if party else None, seen[(kind, party)])
            seen[(kind, party)] += 1
            wanted[key] = action
            cites[key] = item.get("cite")
        parties = set(agreement.parties.values_list("pk", flat=True))
        for action, field, message in action_errors(list(wanted.values()), parties):
            fail(section, slug, f"actions: {action}: {field}: {message}")
        for message in summary_errors(list(wanted.values())):
            fail(section, slug, f"actions: {message}")
        existing, counter = {}, Counter()
        for action in AgreementAction.objects.filter(agreement=agreement).select_related("party").order_by("pk"):
            action.checked_with_siblings = True
            existing[(action.kind, action.party_id, counter[(action.kind, action.party_id)])] = action
            counter[(action.kind, action.party_id)] += 1
        with deferred_summary():
            changed = self._sync_rows(section, slug, AgreementAction, existing, wanted, "action: ")
        saved = {key: existing.get(key) or action for key, action in wanted.items()}
        for key, action in saved.items():
            changed |= self._set_citations(section, action, cites[key], slug=slug)
        agreement.refresh_from_db(fields=["signed", "signed_place", "ratified", "in_force", "ended"])
        return changed

    def _set_posts(self, section, person, raw):
        slug = person.slug
        wanted = {}
        for item in entries(section, slug, "posts", raw, POST_KEYS, Post):
            organisation = self.objects["partners"].get(item.get("organisation"))
            if organisation is None:
                fail(section, slug, f"posts: no partners record with slug “{item.get('organisation')}”.")
            dates = {}
            for name in ("start", "end"):
                value = item.get(name)
                try:
                    dates[name] = None if value in (None, "") else PartialDate.parse(str(value))
                except ValidationError as error:
                    fail(section, slug, f"posts: {name}: {error_messages(error)}")
            post = Post(
                person=person,
                title=str(item.get("title") or "").strip(),
                organisation=organisation,
                start=dates["start"],
                end=dates["end"],
                note=str(item.get("note") or "").strip(),
                **translated_values(Post, item, POST_KEYS),
            )
            key = (post.title, organisation.pk, post.start)
            if key in wanted:
                fail(section, slug, f"posts: “{post.title}” is listed twice.")
            wanted[key] = post
        existing = {(p.title, p.organisation_id, p.start): p for p in Post.objects.filter(person=person)}
        return self._sync_rows(section, slug, Post, existing, wanted, "post: ")

    def _set_project_partners(self, section, project, raw):
        slug = project.slug
        wanted = {}
        for item in entries(section, slug, "partners", raw, PROJECT_PARTNER_KEYS, ProjectPartner):
            partner = self.objects["partners"].get(item.get("partner"))
            if partner is None:
                fail(section, slug, f"partners: no partners record with slug “{item.get('partner')}”.")
            row = ProjectPartner(
                project=project,
                partner=partner,
                role=str(item.get("role") or ""),
                note=str(item.get("note") or "").strip(),
                **translated_values(ProjectPartner, item, PROJECT_PARTNER_KEYS),
            )
            key = (partner.pk, row.role)
            if key in wanted:
                fail(section, slug, f"partners: {partner.slug} is listed twice as {row.role}.")
            wanted[key] = row
        existing = {(r.partner_id, r.role): r for r in ProjectPartner.objects.filter(project=project)}
        return self._sync_rows(section, slug, ProjectPartner, existing, wanted, "project partner: ")
