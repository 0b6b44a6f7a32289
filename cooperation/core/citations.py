"""What a record page shows of its sources: the citations, and the claims under each fact.

Every record but a source cites sources (``CitedRecord.citations``) and may hold claims, what
one source says of one fact (``CitedRecord.claims``). A page shows those of published sources
only, read with two queries whatever their number.

The public page says it in a reader's words: "Sources disagree on the date of signing: A gives
8 December 1999, B gives 8 November 1999. The registry shows 8 December 1999 because …" — the
preferred claim's public ``reason``, in the page's language where it is translated
(``reason_az``, ``reason_ru``), else in English marked as English; a claim's ``note`` is for staff
and stays in the admin. A claim about a date is shown in the site's one style (its value kept as
the source states it).
"""

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.core.partial_dates import PartialDate, PartialDateField
from cooperation.core.prepared import Prepared
from cooperation.core.text import field_label, lowercase
from cooperation.core.translation import LocalizedText, localized

# How a sentence names a fact ("Sources disagree on the date of signing"), by field name; a
# model may add its own in ``CLAIM_FACTS``. Any other field is "the <its label>".
FACT_PHRASES = {
    "signed": gettext_lazy("the date of signing"),
    "signed_place": gettext_lazy("the place of signing"),
    "ratified": gettext_lazy("the date of ratification, approval or accession"),
    "in_force": gettext_lazy("the date of entry into force"),
    "ended": gettext_lazy("the date it ended"),
    "opened": gettext_lazy("the date it opened"),
    "closed": gettext_lazy("the date it closed"),
    "start": gettext_lazy("the start date"),
    "end": gettext_lazy("the end date"),
    "founded": gettext_lazy("the date it was founded"),
}


def fact_phrase(model: type[models.Model], name: str) -> str:
    """How a sentence names the fact ``name`` of ``model``: "the date of signing", "the name"."""
    phrases = {**FACT_PHRASES, **getattr(model, "CLAIM_FACTS", {})}
    return phrases.get(name) or _("the %(field)s") % {"field": lowercase(field_label(model, name))}


@dataclass(frozen=True)
class ShownClaim:
    """A claim as the public page shows it: its value in the site's style (a date the source
    writes "November 8, 1999" is 8 November 1999; ``date`` is set), its source and locator."""

    claim: models.Model
    value: str
    date: PartialDate | None = None

    @property
    def source(self) -> models.Model:
        return self.claim.source

    @property
    def locator(self) -> str:
        return self.claim.locator

    @property
    def locator_text(self) -> str:
        """The locator in the page's language ("paragraph 3" is "bənd 3" in Azerbaijani)."""
        return self.claim.locator_text

    @property
    def place_url(self) -> str:
        """Where the locator points in the source's copy ('' without one)."""
        return self.claim.place_url

    @property
    def preferred(self) -> bool:
        return self.claim.preferred

    @property
    def reason(self) -> LocalizedText:
        """Why the record follows this claim, for a reader (its public ``reason``), to end a
        sentence that says "because": in the page's language, else the English, marked as such."""
        text = localized(self.claim, "reason")
        return LocalizedText(text.strip().rstrip(".").strip(), text.lang, text.fallback)

    @property
    def key(self) -> object:
        """What two claims that say the same thing share (the date; else the text, spacing and
        capitals aside)."""
        return self.date if self.date is not None else " ".join(self.value.split()).casefold()


def shown_claim(model: type[models.Model], claim: models.Model) -> ShownClaim:
    """``claim`` as the page shows it: a date in the site's style when the fact is a partial
    date and the value reads as one ("November 8, 1999", "June 2001"), else as stated."""
    try:
        is_date = isinstance(model._meta.get_field(claim.field), PartialDateField)
    except FieldDoesNotExist:
        is_date = False
    if is_date:
        try:
            date = PartialDate.parse(claim.value)
        except (ValueError, ValidationError):
            date = None  # worded loosely ("second half of 2007"): as the source states it
        if date is not None:
            return ShownClaim(claim, str(date), date)
    return ShownClaim(claim, claim.value)


def _sources_of(model: type[models.Model], name: str, record: int, content_type: int) -> models.QuerySet:
    """The citations or claims (``name``: the model's relation to them) of the ``model`` record
    of id ``record``, from published sources only, with their sources."""
    relation = model._meta.get_field(name)
    return relation.related_model._default_manager.filter(
        source__published=True,
        **{relation.content_type_field_name: content_type, relation.object_id_field_name: record},
    ).select_related("source")


@functools.cache
def _sources_query(model: type[models.Model], name: str) -> Prepared:
    return Prepared(functools.partial(_sources_of, model, name), params=["record", "content_type"])


def attach_sources(record: models.Model) -> None:
    """``record.public_citations`` and ``record.public_claims``: its citations and claims from
    published sources (two queries, whatever their number; statements built once a connection,
    cooperation/core/prepared.py). Every record page's selector reads its sources so."""
    model = type(record)
    content_type = ContentType.objects.get_for_model(model).pk
    for name in ("citations", "claims"):
        found = _sources_query(model, name).records(record=record.pk, content_type=content_type)
        setattr(record, f"public_{name}", found)


@dataclass
class ClaimGroup:
    """What the sources say of one fact of a record."""

    field: str
    label: str
    claims: list
    fact: str = ""  # how a sentence names it: "the date of signing"
    shown: list = dataclasses.field(default_factory=list)  # the claims as the page shows them

    @property
    def disagree(self) -> bool:
        if self.shown:
            return len({claim.key for claim in self.shown}) > 1
        return len({" ".join(claim.value.split()).casefold() for claim in self.claims}) > 1

    @property
    def preferred(self) -> models.Model | None:
        """The claim the record's own field follows, if one is marked preferred."""
        return next((claim for claim in self.claims if claim.preferred), None)

    @property
    def preferred_shown(self) -> ShownClaim | None:
        """The preferred claim as the page shows it (its value, and its public ``reason``)."""
        return next((claim for claim in self.shown if claim.preferred), None)


def sources_context(record: models.Model, shown_fields: Iterable[str] = ()) -> dict[str, Any]:
    """Template context for the "Sources" section and the claims shown under each fact (the
    record read with :func:`attach_sources`).

    ``claims`` maps a field name to its :class:`ClaimGroup` (the template shows it under that
    fact); ``other_claims`` lists the groups for facts the page does not show as such.
    """
    grouped = defaultdict(list)
    for claim in record.public_claims:
        grouped[claim.field].append(claim)
    model = type(record)
    claims = {
        name: ClaimGroup(
            name,
            field_label(model, name),
            items,
            fact=fact_phrase(model, name),
            shown=[shown_claim(model, claim) for claim in items],
        )
        for name, items in grouped.items()
    }
    return {
        "citations": record.public_citations,
        "claims": claims,
        "other_claims": [group for name, group in claims.items() if name not in shown_fields],
    }
