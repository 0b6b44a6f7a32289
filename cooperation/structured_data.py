"""schema.org JSON-LD for the cooperation app's record pages (cooperation/core/structured_data.py)."""

from collections.abc import Callable
from typing import Any

from cooperation.core.structured_data import compact, document, iso_date, things
from cooperation.core.translation import localized
from cooperation.models import Agreement, Project, ProjectPartner

# An agreement's status as schema.org's LegalForceStatus; the others (signed, ratified, dates
# not recorded) say nothing the sources give of its force, so the property is left out.
LEGAL_FORCE = {
    Agreement.Status.IN_FORCE: "https://schema.org/InForce",
    Agreement.Status.ENDED: "https://schema.org/NotInForce",
}


def agreement_structured_data(agreement: Agreement, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    """An agreement as a schema.org ``Legislation``: its kind, date and place of signing, its
    parties (``legislationPassedBy``: those who concluded it) and whether it is in force; in the
    page's language, as the page."""
    return document(
        "Legislation",
        agreement,
        absolute_url,
        name=str(localized(agreement, "title")),
        alternateName=str(localized(agreement, "short_title")),
        description=str(localized(agreement, "description")),
        legislationType=agreement.get_kind_display(),
        legislationDate=iso_date(agreement.signed),
        locationCreated=compact({"@type": "Place", "name": str(localized(agreement, "signed_place"))})
        if agreement.signed_place
        else None,
        legislationPassedBy=things("Organization", agreement.public_parties, absolute_url),
        legislationLegalForce=LEGAL_FORCE.get(agreement.status),
    )


def project_structured_data(project: Project, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    """A project as a schema.org ``Project`` (an organisation's kind): its dates (founding and
    dissolution, as schema.org names them), its funders and its topics; in the page's language,
    as the page."""
    funders = [link.partner for link in project.public_project_partners if link.role == ProjectPartner.Role.FUNDING]
    return document(
        "Project",
        project,
        absolute_url,
        name=str(project),
        alternateName=str(localized(project, "short_title")),
        description=str(localized(project, "description")),
        foundingDate=iso_date(project.start),
        dissolutionDate=iso_date(project.end),
        funder=things("Organization", funders, absolute_url),
        keywords=[str(localized(topic, "name")) for topic in project.public_topics],
    )
