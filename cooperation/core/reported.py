"""A reported state: what a source said on a date, never a fact about today.

"Ongoing" in a page written in 2017 says nothing about 2026. A record that keeps a reported
state (a project's status, whether a meeting took place, an organisation's member states)
keeps beside it the date the state was reported as of (a PartialDateField, the source's date
or one staff give) and the site says both: "Reported ongoing as of 2017", "Planned (reported
as of 2008)". Where that date is not recorded it says so instead of letting the state read as
current.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy, gettext_noop

from cooperation.core import date_words
from cooperation.core.partial_dates import PartialDate

NOT_RECORDED = gettext_lazy("date of report not recorded")

# What an export's status_as_of columns hold (projects' and meetings').
STATUS_AS_OF_COLUMN = "Date of the status report (the date the status was reported as of; empty: not recorded)"

AS_OF_HELP = gettext_noop(
    "The date this was reported as of: the date of the source that says it (its publication or "
    "the date it describes), or a date staff give. Leave empty if not known; the site then says "
    "the date of the report is not recorded."
)


def as_of_note(as_of: PartialDate | None) -> str:
    """ "reported as of 2017", or "date of report not recorded" (in the active language: "по
    данным на 2017 год", "2017-ci ilə olan məlumata görə")."""
    return date_words.as_of_text(as_of) if as_of is not None else str(NOT_RECORDED)


def reported(label: str, as_of: PartialDate | None) -> str:
    """A state (already in the page's language) with the date it was reported as of: "Planned
    (reported as of 2008)", "Planned (date of report not recorded)"."""
    return gettext("%(state)s (%(as_of)s)") % {"state": label, "as_of": as_of_note(as_of)}


def reported_leading(word: str, as_of: PartialDate | None) -> str:
    """A state that reads as current, put as a report: "Reported ongoing as of 2017",
    "Reported ongoing (date of report not recorded)". The registry says it of "ongoing" only;
    another word is put in English words around it."""
    if word != "ongoing":
        return f"Reported {word} as of {as_of}" if as_of is not None else f"Reported {word} ({NOT_RECORDED})"
    if as_of is not None:
        return date_words.ongoing_as_of_text(as_of)
    return gettext("Reported ongoing (date of report not recorded)")
