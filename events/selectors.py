"""Read queries for the meeting pages (as cooperation/selectors.py for agreements, projects,
topics and sources)."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from cooperation.core.citations import attach_sources, sources_context
from cooperation.core.related import records_shown
from cooperation.models import Agreement, Project
from events.models import Meeting
from partners.models import Partner, Person


def meeting_get(*, slug: str, drafts: bool = False) -> Meeting:
    """A published meeting (with ``drafts``, any) with its published partners, participants,
    agreements, projects and sources (1 + 6 queries); ``Meeting.DoesNotExist`` if there is none."""
    meeting = (
        records_shown(Meeting, drafts)
        .select_related("location")
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.published(), to_attr="public_partners"),
            Prefetch("participants", queryset=Person.objects.published(), to_attr="public_participants"),
            Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
            Prefetch("projects", queryset=Project.objects.published(), to_attr="public_projects"),
        )
        .get(slug=slug)
    )
    attach_sources(meeting)
    return meeting


# The facts whose claims the page shows under the fact itself (the others go under "Sources").
MEETING_FACT_FIELDS = ("start", "end", "status", "city", "country")


def meeting_context(meeting: Meeting) -> dict[str, Any]:
    return sources_context(meeting, MEETING_FACT_FIELDS)


# The lists: the rows of each list before its filters, for its page and the API --------------


def meeting_list() -> QuerySet[Meeting]:
    """Published meetings with their published partners."""
    return Meeting.objects.published().for_list()
