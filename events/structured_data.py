"""schema.org JSON-LD for the events app's record pages (cooperation/core/structured_data.py)."""

from collections.abc import Callable
from typing import Any

from cooperation.core.structured_data import compact, document, iso_date, things
from cooperation.core.translation import localized, localized_place
from events.models import Meeting


def meeting_structured_data(meeting: Meeting, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    """A meeting as a schema.org ``Event``: its dates at the precision the sources give them
    ("2007-03-14", "2006-08", "2001"), its place, and the published partners and people who
    took part (``attendee``: the sources seldom say who organised it); in the page's language, as
    the page."""
    place = None
    if meeting.city or meeting.country:
        address = compact(
            {
                "@type": "PostalAddress",
                "addressLocality": str(localized(meeting, "city")) if meeting.city else "",
                "addressCountry": meeting.country.code if meeting.country else "",
            }
        )
        place = {"@type": "Place", "name": localized_place(meeting), "address": address}
    return document(
        "Event",
        meeting,
        absolute_url,
        name=str(localized(meeting, "title")),
        description=str(localized(meeting, "description")),
        startDate=iso_date(meeting.start),
        endDate=iso_date(meeting.end),
        location=place,
        attendee=[
            *things("Organization", meeting.public_partners, absolute_url),
            *things("Person", meeting.public_participants, absolute_url),
        ],
    )
