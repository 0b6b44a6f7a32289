"""A record's timeline: dated events, oldest to newest, each linking to its record.

Each kind of record says what it puts on a timeline (``Agreement.timeline_entries()``,
``Meeting.timeline_entry()`` …); a page builds its :class:`Timeline` from those entries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from cooperation.core.partial_dates import PartialDate, format_range

# The order of events that share a date on a timeline.
ORDER_OFFICE_OPENED = 10
ORDER_AGREEMENT_STAGE = 20  # + the action kind's index (at most 9): signature, ratification … termination
ORDER_PROJECT_STARTED = 30
ORDER_MEETING = 40
ORDER_POST_STARTED = 50
ORDER_PROJECT_ENDED = 60
ORDER_POST_ENDED = 65
ORDER_OFFICE_CLOSED = 80


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event on a timeline: a partial date (or a range), what happened, and a link."""

    date: PartialDate | None
    kind: str
    text: str
    url: str = ""
    detail: str = ""
    end: PartialDate | None = None
    order: int = 0  # which of several events on the same date comes first

    @property
    def when(self) -> str:
        return format_range(self.date, self.end)

    @property
    def sort_key(self) -> tuple:
        return (int(self.date) if self.date else 0, self.order, self.text.casefold())


@dataclass
class Timeline:
    """Entries oldest to newest; those without a date after them, under "Date not recorded"."""

    dated: list = field(default_factory=list)
    undated: list = field(default_factory=list)

    @classmethod
    def build(cls, entries: Iterable[TimelineEntry]) -> "Timeline":
        entries = sorted(entries, key=lambda entry: entry.sort_key)
        return cls(
            dated=[entry for entry in entries if entry.date is not None],
            undated=[entry for entry in entries if entry.date is None],
        )

    def __len__(self) -> int:
        return len(self.dated) + len(self.undated)
