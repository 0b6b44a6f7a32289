"""schema.org JSON-LD for the partners app's record pages (cooperation/core/structured_data.py)."""

from collections.abc import Callable
from typing import Any

from cooperation.core.structured_data import compact, document, iso_date, thing, things
from partners.models import Partner


def partner_structured_data(partner: Partner, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    """A partner as a schema.org ``Organization``: its names, founding date, website, parent
    body and sub-bodies (published ones only, as its page shows them)."""
    parent = partner.parent if partner.parent_id and partner.parent.published else None
    other_names = [line.strip() for line in partner.other_names.splitlines() if line.strip()]
    return document(
        "Organization",
        partner,
        absolute_url,
        name=partner.name,
        alternateName=[name for name in [partner.acronym, *other_names] if name],
        description=partner.description,
        foundingDate=iso_date(partner.founded),
        sameAs=partner.website,
        location=compact({"@type": "Place", "name": partner.headquarters}) if partner.headquarters else None,
        parentOrganization=thing("Organization", parent, absolute_url) if parent else None,
        subOrganization=things("Organization", partner.public_children, absolute_url),
    )
