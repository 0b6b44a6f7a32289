"""The columns of the meeting list's export (``?format=csv``, ``?format=json``), declared once:
the writers, the admin import and docs/data-format.md read them (see
cooperation/core/exports.py)."""

from operator import attrgetter

from cooperation.core.exports import (
    CITATIONS,
    ExportSpec,
    Related,
    choice,
    columns,
    country,
    location_annotations,
    location_columns,
    partial_date,
    period,
    related_many,
    slug_column,
    sources,
    text,
    url_column,
)
from cooperation.core.reported import STATUS_AS_OF_COLUMN
from cooperation.models import Agreement, Project
from events.models import Meeting
from partners.models import Partner

MEETINGS = ExportSpec(
    name="meetings",
    model=Meeting,
    path="/meetings/",
    columns=columns(
        slug_column("meeting"),
        text("title", "The meeting's title."),
        choice("kind", "Visit, Bilateral meeting, Governing-body session, Summit, Conference, Training …"),
        period("The dates as written: “5–8 December 2016”, “October 2000”."),
        partial_date("start", "Start date"),
        partial_date("end", "End date (for meetings over several days)"),
        choice(
            "status",
            "Whether it took place, as a source reported it on the date in status_as_of: "
            "Held, Planned, Cancelled or Not known.",
        ),
        partial_date("status_as_of", STATUS_AS_OF_COLUMN),
        text("city", "The city where it was held (or, if planned, is to be held)."),
        country("country", "The country where it was held (or is to be held)"),
        location_columns("Where it was held on the map"),
        related_many("partners", "The partners that took part", "partner_slugs", label=attrgetter("short_name")),
        related_many("participants", "The officials who took part", "participant_slugs", label=lambda p: p.name),
        text("participants_note", "Participants the sources do not name (“SMS employees”)."),
        related_many("agreements", "Agreements signed or discussed there", "agreement_slugs"),
        related_many("projects", "Projects it concerned", "project_slugs"),
        text("description", "What the registry says of it."),
        sources(),
        url_column("meeting"),
    ),
    related=(
        Related("partners", ("slug", *Partner.NAME_FIELDS)),
        Related("participants", ("slug", "name")),
        Related("agreements", ("slug", *Agreement.NAME_FIELDS)),
        Related("projects", ("slug", *Project.NAME_FIELDS)),
        CITATIONS,
    ),
    annotations=location_annotations(),
)
