"""What a record page shows of its sources: the citations, and the claims under each fact.

Every record but a source cites sources (``CitedRecord.citations``) and may hold claims, what
one source says of one fact (``CitedRecord.claims``). A page shows those of published sources
only, read with two queries whatever their number.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch

from cooperation.core.text import field_label


def source_prefetches(model: type[models.Model]) -> list[Prefetch]:
    """Citations and claims of ``model``'s records, from published sources only
    (``public_citations``, ``public_claims``): two queries, whatever their number. The
    citation and claim models are those of the model's ``citations`` and ``claims`` relations."""
    return [
        Prefetch(
            name,
            queryset=model._meta.get_field(name)
            .related_model._default_manager.filter(source__published=True)
            .select_related("source"),
            to_attr=f"public_{name}",
        )
        for name in ("citations", "claims")
    ]


@dataclass
class ClaimGroup:
    """What the sources say of one fact of a record."""

    field: str
    label: str
    claims: list

    @property
    def disagree(self) -> bool:
        return len({" ".join(claim.value.split()).casefold() for claim in self.claims}) > 1

    @property
    def preferred(self) -> models.Model | None:
        """The claim the record's own field follows, if one is marked preferred."""
        return next((claim for claim in self.claims if claim.preferred), None)


def sources_context(record: models.Model, shown_fields: Iterable[str] = ()) -> dict[str, Any]:
    """Template context for the "Sources" section and the claims shown under each fact (the
    record read with :func:`source_prefetches`).

    ``claims`` maps a field name to its :class:`ClaimGroup` (the template shows it under that
    fact); ``other_claims`` lists the groups for facts the page does not show as such.
    """
    grouped = defaultdict(list)
    for claim in record.public_claims:
        grouped[claim.field].append(claim)
    claims = {name: ClaimGroup(name, field_label(type(record), name), items) for name, items in grouped.items()}
    return {
        "citations": record.public_citations,
        "claims": claims,
        "other_claims": [group for name, group in claims.items() if name not in shown_fields],
    }
