"""The columns of the agreement and project lists' exports (``?format=csv``, ``?format=json``),
declared once: the writers, the admin import and docs/data-format.md read them
(see cooperation/core/exports.py)."""

from operator import attrgetter

from cooperation.core.exports import (
    CITATIONS,
    DERIVED,
    Column,
    ExportSpec,
    Related,
    choice,
    columns,
    partial_date,
    period,
    related_many,
    slug_column,
    sources,
    text,
    url_column,
)
from cooperation.models import Agreement
from partners.models import Partner


def project_partners():
    """A project's partners with their roles: "IOM (implementing)" and "iom:implementing"."""

    def roles(record):
        return record.export_project_partners

    return [
        Column(
            "partners",
            "Partners with their role in the project: “IOM (implementing); EU (funding)”.",
            lambda record, context: [str(role) for role in roles(record)],
            many=True,
            use=DERIVED,
        ),
        Column(
            "partner_slugs",
            "The same partners as slug:role, in the same order: “iom:implementing; eu:funding”; "
            "roles are implementing, funding, beneficiary or other.",
            lambda record, context: [f"{role.partner.slug}:{role.role}" for role in roles(record)],
            many=True,
        ),
    ]


AGREEMENTS = ExportSpec(
    name="agreements",
    path="/agreements/",
    columns=columns(
        slug_column("agreement"),
        text("title", "The agreement's full title."),
        text("short_title", "How people usually refer to it."),
        choice("kind", "Cooperation agreement, Memorandum of understanding, Readmission agreement …"),
        Column(
            "status",
            "The latest stage its dates have reached today: Signed, Ratified, In force, Ended, or Dates not recorded.",
            lambda record, context: record.status_label,
            use=DERIVED,
        ),
        related_many("parties", "The partners that are parties to it", "party_slugs", label=attrgetter("short_name")),
        related_many("topics", "Its topics", "topic_slugs", label=lambda topic: topic.name),
        partial_date("signed", "Date signed"),
        text("signed_place", "The city where it was signed."),
        partial_date("ratified", "Date ratified"),
        partial_date("in_force", "Date of entry into force"),
        partial_date("ended", "Date ended"),
        text("legal_summary", "Legal notes: the ratifying act, decree, reservations, what ended it, in plain words."),
        text("description", "What the registry says of it."),
        sources(),
        url_column("agreement"),
    ),
    related=(Related("parties", ("slug", *Partner.NAME_FIELDS)), Related("topics", ("slug", "name")), CITATIONS),
)

PROJECTS = ExportSpec(
    name="projects",
    path="/projects/",
    columns=columns(
        slug_column("project"),
        text("title", "The project's full title."),
        text("short_title", "Its acronym or short name (UNIMIG)."),
        text("phase", "Its phase (Phase III)."),
        choice("status", "Planned, Ongoing, Completed or Not known."),
        period("The period as written: “2006–2008”, “March 2014”."),
        partial_date("start", "Start date"),
        partial_date("end", "End date"),
        project_partners(),
        related_many("topics", "Its topics", "topic_slugs", label=lambda topic: topic.name),
        related_many("agreements", "The agreements it is based on", "agreement_slugs"),
        text("description", "What the registry says of it."),
        sources(),
        url_column("project"),
    ),
    related=(
        Related(
            "project_partners",
            only=("role", *(f"partner__{name}" for name in ("slug", *Partner.NAME_FIELDS))),
            published="partner__published",
        ),
        Related("topics", ("slug", "name")),
        Related("agreements", ("slug", *Agreement.NAME_FIELDS)),
        CITATIONS,
    ),
)
