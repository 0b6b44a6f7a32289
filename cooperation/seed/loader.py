"""Reading a seed file and checking what it says, before anything is written.

A seed file (see ``cooperation/seed/data/``) holds records by section — sources, topics, places,
partners, people, offices, agreements, projects, meetings — each keyed by its slug;
:data:`SECTIONS` says how each section maps onto a model. :func:`read_seed` reads the YAML,
:func:`section_records` checks one section's list (every record has a slug, used once; a
parent comes before its children), :func:`field_value` turns one value into its field's, and
:func:`entries` checks a list of mappings (``cite:``, ``claims:``, ``posts:``, project
``partners:``). Each problem is a :class:`SeedDataError` naming the record.

A translated field's translations sit beside its key, ``<field>_az`` and ``<field>_ru``
(``name_az``, a post's ``title_ru``): the keys a record may carry are derived from its model's
translated fields (:func:`translation_keys`), so a new translated column needs no change here.

Nothing here knows which country a file describes: the host country is data.
"""

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import yaml
from django.core.exceptions import ValidationError
from django.db import models

from cooperation.core.partial_dates import PartialDate, PartialDateField
from cooperation.core.translation import TRANSLATION_LANGUAGES, translated_fields
from cooperation.models import Agreement, Place, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

SEED_DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SEED_FILE = SEED_DATA_DIR / "azerbaijan.yaml"

# Keys every record may carry besides its model's fields.
COMMON_KEYS = {"slug", "published", "cite", "claims"}
CITE_KEYS = {"source", "locator"}
CLAIM_KEYS = {"field", "value", "source", "locator", "preferred", "reason", "note"}
POST_KEYS = {"title", "organisation", "start", "end", "note"}
PROJECT_PARTNER_KEYS = {"partner", "role", "note"}
ACTION_KEYS = {"kind", "date", "party", "place", "location", "act", "note", "ordering", "cite"}
# The keys an agreement had before its actions, each read as the action it records (for every party).
AGREEMENT_DATE_KEYS = {
    "signed": "signature",
    "ratified": "ratification",
    "in_force": "entry-into-force",
    "ended": "termination",
}


class SeedDataError(Exception):
    """The seed file cannot be loaded; the message names the record and the problem."""


@dataclasses.dataclass(frozen=True)
class Section:
    """How one top-level list of the seed file maps onto a model."""

    name: str
    model: type[models.Model]
    fields: tuple[str, ...]
    # YAML key -> section whose slug it names (foreign keys, stored under the same name).
    foreign_keys: dict = dataclasses.field(default_factory=dict)
    # YAML key -> section whose slugs it lists (plain many-to-many fields of the same name).
    many: dict = dataclasses.field(default_factory=dict)
    # Keys handled by a dedicated writer (posts, project partners).
    extra: tuple[str, ...] = ()
    # Whether records of this section must cite a source.
    cites: bool = True
    # Whether its records are public records (a published flag, citations, claims); a place is
    # reference data and has none.
    record: bool = True

    @property
    def translation_keys(self) -> list[str]:
        """The keys of the translations of this section's fields (``name_az``, ``name_ru`` …)."""
        return translation_keys(self.model, (*self.fields, *self.extra))


SECTIONS = [
    Section(
        "sources",
        Source,
        (
            "title",
            "label",
            "kind",
            "publisher",
            "date",
            "retrieved",
            "language",
            "url",
            "reference",
            "description",
            "notes",
        ),
        # file: the registry's copy, a path beside the seed file (cooperation/seed/files.py).
        extra=("file",),
        cites=False,
    ),
    Section("topics", Topic, ("name", "description")),
    Section("places", Place, ("name", "kind", "country", "latitude", "longitude"), cites=False, record=False),
    Section(
        "partners",
        Partner,
        (
            "name",
            "acronym",
            "kind",
            "scope",
            "country",
            "headquarters",
            "founded",
            "member_states",
            "website",
            "other_names",
            "description",
        ),
        foreign_keys={"parent": "partners"},
    ),
    Section("people", Person, ("name", "other_names", "description"), extra=("posts",)),
    Section(
        "offices",
        Office,
        ("name", "kind", "city", "country", "opened", "closed", "description"),
        foreign_keys={"partner": "partners", "location": "places"},
    ),
    Section(
        "agreements",
        Agreement,
        ("title", "short_title", "kind", "legal_summary", "legal_notes", "description"),
        many={"parties": "partners", "topics": "topics"},
        extra=("actions", "signed", "signed_place", "signed_location", "ratified", "in_force", "ended"),
    ),
    Section(
        "projects",
        Project,
        ("title", "short_title", "phase", "start", "end", "status", "status_as_of", "description"),
        many={"topics": "topics", "agreements": "agreements"},
        extra=("partners",),
    ),
    Section(
        "meetings",
        Meeting,
        (
            "title",
            "kind",
            "start",
            "end",
            "status",
            "status_as_of",
            "city",
            "country",
            "participants_note",
            "description",
        ),
        foreign_keys={"location": "places"},
        many={"partners": "partners", "participants": "people", "agreements": "agreements", "projects": "projects"},
    ),
]


def translation_keys(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The keys of the translations of those of ``names`` that ``model`` translates, one per
    language, in the model's order: ("kind", "title") → ["title_az", "title_ru"]."""
    names = set(names)
    return [f"{name}_{code}" for name in translated_fields(model) if name in names for code in TRANSLATION_LANGUAGES]


def translated_values(model: type[models.Model], item: dict[str, Any], names: Iterable[str]) -> dict[str, str]:
    """The translations an entry (a post, an action, a project partner) gives of ``names``, each
    column of ``model`` set ('' where the entry gives none)."""
    return {key: str(item.get(key) or "").strip() for key in translation_keys(model, names)}


def unknown_keys_message(unknown: set[str], translations: list[str]) -> str:
    """The message naming ``unknown`` keys; when one looks like a translation (``name_fr``), it
    says how translations are written and of which fields (those ``translations`` translate)."""
    message = f"unknown key(s) {', '.join(sorted(unknown))}."
    translatable = list(dict.fromkeys(key.rpartition("_")[0] for key in translations))
    if any(re.fullmatch(r"\w+_[a-z]{2}", key) for key in unknown) and translatable:
        languages = " or ".join(f"<field>_{code}" for code in TRANSLATION_LANGUAGES)
        message += f" A translation is written {languages}, for: {', '.join(translatable)}."
    return message


def read_seed(path: Path) -> dict[str, Any]:
    """The sections of the seed file at ``path`` ({section name: its records}), all of them known."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SeedDataError(f"{path}: cannot read the seed file: {error}") from error
    label = path.name
    if not isinstance(data, dict):
        raise SeedDataError(f"{label}: expected sections ({', '.join(s.name for s in SECTIONS)}) at the top level.")
    unknown = set(data) - {section.name for section in SECTIONS}
    if unknown:
        raise SeedDataError(f"{label}: unknown section(s): {', '.join(sorted(unknown))}.")
    return data


def section_records(data: dict[str, Any], section: Section, label: str) -> list[dict[str, Any]]:
    """The records of ``section`` in ``data``, checked for slugs, each parent before its children."""
    records = data.get(section.name) or []
    if not isinstance(records, list):
        raise SeedDataError(f"{label}: section “{section.name}” must be a list of records.")
    check_slugs(section, records)
    return parents_first(section, records)


def check_slugs(section: Section, records: list[Any]) -> None:
    """Every record is a mapping with a slug, and no slug is used twice."""
    seen = set()
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not record.get("slug"):
            raise SeedDataError(f"{section.name} record #{number}: every record needs a slug.")
        if record["slug"] in seen:
            raise SeedDataError(f"{section.name} “{record['slug']}”: the slug is used twice in this file.")
        seen.add(record["slug"])


def parents_first(section: Section, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order records so each comes after the record of its own section it points to (a parent)."""
    keys = [key for key, target in section.foreign_keys.items() if target == section.name]
    if not keys:
        return records
    by_slug = {record["slug"]: record for record in records}
    ordered, done, visiting = [], set(), set()

    def visit(record):
        slug = record["slug"]
        if slug in done:
            return
        if slug in visiting:
            raise SeedDataError(f"{section.name} “{slug}”: its {keys[0]} chain loops back to itself.")
        visiting.add(slug)
        for key in keys:
            parent = record.get(key)
            if isinstance(parent, str) and parent in by_slug:
                visit(by_slug[parent])
        visiting.discard(slug)
        done.add(slug)
        ordered.append(record)

    for record in records:
        visit(record)
    return ordered


def fail(section: Section, slug: str, message: str) -> NoReturn:
    raise SeedDataError(f"{section.name} “{slug}”: {message}")


def error_messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


def check_keys(section: Section, record: dict[str, Any]) -> None:
    """A record carries only its section's keys."""
    common = COMMON_KEYS if section.record else {"slug"}
    allowed = common | set(section.fields) | set(section.foreign_keys) | set(section.many) | set(section.extra)
    unknown = set(record) - allowed - set(section.translation_keys)
    if unknown:
        fail(section, record["slug"], unknown_keys_message(unknown, section.translation_keys))


def field_value(section: Section, slug: str, name: str, raw: Any) -> Any:
    """The value of field ``name`` for the file's ``raw`` value (None: the field's default)."""
    field = section.model._meta.get_field(name)
    if raw is None:
        return None if field.null else field.get_default()
    if name == "other_names" and isinstance(raw, list):
        raw = "\n".join(str(item) for item in raw)
    if isinstance(field, PartialDateField):
        try:
            return PartialDate.parse(str(raw) if isinstance(raw, int) else raw)
        except ValidationError as error:
            fail(section, slug, f"{name}: {error_messages(error)}")
    if isinstance(raw, str):
        raw = raw.strip()
    elif isinstance(raw, float) and isinstance(field, models.DecimalField):
        raw = str(raw)  # 40.4093 as written, not the nine digits of the binary float (40.4093000)
    try:
        return field.to_python(raw)
    except ValidationError as error:
        fail(section, slug, f"{name}: {error_messages(error)}")


def entries(
    section: Section, slug: str, key: str, raw: Any, allowed: set[str], model: type[models.Model] | None = None
) -> list[dict[str, Any]]:
    """The mappings listed under ``key``, each with only ``allowed`` keys (and the translations
    of those ``model`` translates)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        fail(section, slug, f"{key} must be a list.")
    for item in raw:
        if not isinstance(item, dict):
            fail(section, slug, f"each entry of {key} must be a mapping.")
        translations = translation_keys(model, allowed) if model else []
        unknown = set(item) - allowed - set(translations)
        if unknown:
            fail(section, slug, f"{key}: {unknown_keys_message(unknown, translations)}")
    return raw
