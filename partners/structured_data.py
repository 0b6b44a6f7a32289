"""schema.org JSON-LD for the partners app's record pages (cooperation/core/structured_data.py)."""

from collections.abc import Callable
from typing import Any

from cooperation.core.structured_data import compact, document, iso_date, thing, things
from cooperation.core.translation import localized
from partners.models import Partner


def partner_structured_data(partner: Partner, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    """A partner as a schema.org ``Organization``: its names, founding date, website, parent
    body and sub-bodies (published ones only, as its page shows them). In the page's language, as
    the page: its name and acronym in English among its other names where the page gives them in
    another."""
    parent = partner.parent if partner.parent_id and partner.parent.published else None
    name, acronym = str(localized(partner, "name")), str(localized(partner, "acronym"))
    other_names = [line.strip() for line in partner.other_names.splitlines() if line.strip()]
    alternate = [acronym, *(english for english in (partner.name, partner.acronym) if english not in (name, acronym))]
    return document(
        "Organization",
        partner,
        absolute_url,
        name=name,
        alternateName=[other for other in dict.fromkeys([*alternate, *other_names]) if other],
        description=str(localized(partner, "description")),
        foundingDate=iso_date(partner.founded),
        sameAs=partner.website,
        location=compact({"@type": "Place", "name": str(localized(partner, "headquarters"))})
        if partner.headquarters
        else None,
        parentOrganization=thing("Organization", parent, absolute_url) if parent else None,
        subOrganization=things("Organization", partner.public_children, absolute_url),
    )
