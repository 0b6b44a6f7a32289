"""Finding the registry's records for what an IATI activity names: its organisations among the
partners (by IATI organisation reference, then by name, acronym or other name in any of the three
languages), its sectors and tags among the topics (through the mapping table staff edit), and
free slugs for what the import creates. Each finder reads its table once per import and keeps
what it has seen, so a file of 1,000 activities does not ask the same question 1,000 times."""

import re
from collections import defaultdict

from django.db import models
from django.utils.text import slugify

from cooperation.iati import codelists
from cooperation.iati.data import Organisation
from cooperation.models import IatiTopicMapping
from partners.models import Partner

SLUG_LENGTH = 120
NAMED_ACRONYM = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def free_slug(model: type[models.Model], *parts: str) -> str:
    """A slug no ``model`` record has: from the first part ("activity-title"), else with the
    next parts added ("activity-title-xm-dac-47066-1"), else with a number (one query)."""
    base = slugify(parts[0])[:80].strip("-") or "iati"
    candidates = [base]
    for part in parts[1:]:
        extra = slugify(part)[:38].strip("-")
        if extra:
            candidates.append(f"{base}-{extra}"[:SLUG_LENGTH].strip("-"))
    last = candidates[-1][: SLUG_LENGTH - 6]
    candidates += [f"{last}-{number}" for number in range(2, 12)]
    taken = set(model.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return f"{last}-{model.objects.count() + 1}"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class PartnerFinder:
    """The partners an import matches organisations to, and the drafts it creates. Those created
    in an activity that is then rolled back are forgotten with it (:meth:`rollback`)."""

    def __init__(self):
        self.by_ref: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.pending: list[tuple[str, str]] = []  # (mapping, key) added since the last commit
        fields = ["pk", "iati_ref", "name", "name_az", "name_ru", "acronym", "acronym_az", "acronym_ru"]
        for row in Partner.objects.values(*fields, "other_names"):
            if row["iati_ref"]:
                self.by_ref.setdefault(_key(row["iati_ref"]), row["pk"])
            names = [row[name] for name in fields[2:]] + row["other_names"].splitlines()
            for name in names:
                if name.strip():
                    self.by_name.setdefault(_key(name), row["pk"])

    def find(self, organisation: Organisation) -> int | None:
        """The partner's id for ``organisation``, or None."""
        if organisation.ref and _key(organisation.ref) in self.by_ref:
            return self.by_ref[_key(organisation.ref)]
        name = organisation.name
        texts = [text for text in [name.en, name.az, name.ru, *name.others.values()] if text]
        # "International Organization for Migration (IOM)": the name, then the acronym.
        texts += [part for text in texts if (match := NAMED_ACRONYM.match(text)) for part in match.groups()]
        for text in texts:
            if _key(text) in self.by_name:
                return self.by_name[_key(text)]
        return None

    def create(self, organisation: Organisation, history: dict) -> Partner:
        """A draft partner for ``organisation`` (which has a name: a reference alone is not one)."""
        name = organisation.name
        english = (name.en or name.any())[:200]
        kind, scope = codelists.KINDS.get(organisation.type, codelists.DEFAULT_KIND)
        partner = Partner(
            name=english,
            name_az=name.az[:200],
            name_ru=name.ru[:200],
            kind=kind,
            scope=scope,
            iati_ref=organisation.ref[:100],
            slug=free_slug(Partner, english, organisation.ref),
            published=False,
        )
        for attribute, value in history.items():
            setattr(partner, attribute, value)
        partner.full_clean()
        partner.save()
        self.remember(organisation, partner.pk)
        return partner

    def remember(self, organisation: Organisation, pk: int) -> None:
        if organisation.ref:
            self.by_ref[_key(organisation.ref)] = pk
            self.pending.append(("by_ref", _key(organisation.ref)))
        for text in [organisation.name.en, organisation.name.az, organisation.name.ru]:
            if text:
                self.by_name[_key(text)] = pk
                self.pending.append(("by_name", _key(text)))

    def commit(self) -> None:
        self.pending = []

    def rollback(self) -> None:
        for mapping, key in self.pending:
            getattr(self, mapping).pop(key, None)
        self.pending = []


class TopicFinder:
    """The topics each (element, vocabulary, code) is mapped to (IatiTopicMapping), read once."""

    def __init__(self):
        self.topics: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for element, vocabulary, code, topic in IatiTopicMapping.objects.values_list(
            "element", "vocabulary", "code", "topic_id"
        ):
            self.topics[(element, vocabulary.strip(), code.strip().upper())].append(topic)

    def find(self, element: str, vocabulary: str, code: str) -> list[int]:
        return self.topics.get((element, vocabulary, code.upper()), [])
