"""A record's timeline: dated events, oldest to newest, each linking to its record.

Each kind of record says what it puts on a timeline (``Agreement.timeline_entries()``,
``Meeting.timeline_entry()`` …); a page builds its :class:`Timeline` from those entries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from cooperation.core.html import esc
from cooperation.core.partial_dates import PartialDate, format_range
from cooperation.core.templatetags.translated import marked_text

# The order of events that share a date on a timeline.
ORDER_OFFICE_OPENED = 10
ORDER_AGREEMENT_STAGE = 20  # + the action kind's index (at most 9): signature, ratification … termination
ORDER_PROJECT_STARTED = 30
ORDER_MEETING = 40
ORDER_POST_STARTED = 50
ORDER_PROJECT_ENDED = 60
ORDER_POST_ENDED = 65
ORDER_OFFICE_CLOSED = 80


def detail_html(*parts: object, separator: str = ", ") -> SafeString:
    """A timeline entry's detail from its parts (a party, a place, a post, a status), the empty
    ones left out, as HTML: each part escaped, and marked as English where it is the English of
    an untranslated name (``localized``), as the entry's text is."""
    return mark_safe(esc(separator).join(marked_text(part) for part in parts if part))  # noqa: S308 - escaped


def phrase_html(template: str, **values: object) -> SafeString:
    """A translated phrase of a detail ("by %(party)s") with its ``values``, as HTML: the
    phrase escaped, its values as :func:`detail_html` writes them."""
    return mark_safe(esc(template) % {name: marked_text(value) for name, value in values.items()})  # noqa: S308


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event on a timeline: a partial date (or a range), what happened, and a link."""

    date: PartialDate | None
    kind: str
    text: str
    url: str = ""
    # Plain text, or a SafeString from detail_html() that marks an untranslated name: keep it
    # whole (an f-string around it would make it plain text again, escaped twice).
    detail: str = ""
    end: PartialDate | None = None
    order: int = 0  # which of several events on the same date comes first

    @property
    def when(self) -> str:
        return format_range(self.date, self.end)

    @property
    def sort_key(self) -> tuple:
        return (int(self.date) if self.date else 0, self.order, self.text.casefold())

    def item_html(self) -> str:
        """The entry as a list item: its date (when it has one), its kind, its text (a link to
        its record; marked as English where it is, as ``{% localized %}`` marks it) and its
        detail, every value escaped."""
        when = f'<time datetime="{esc(self.date.html_datetime)}">{esc(self.when)}</time> ' if self.date else ""
        text = marked_text(self.text)  # in <span lang="en"> where it is the English of an untranslated name
        text = f'<a href="{esc(self.url)}">{text}</a>' if self.url else text
        detail = f' <span class="meta">— {esc(self.detail)}</span>' if self.detail else ""
        return f'<li>{when}<span class="badge">{esc(self.kind)}</span> {text}{detail}</li>\n'


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

    # The entries as list items (templates/partners/_timeline.html writes them in): written here,
    # not by a template loop, since a partner's timeline holds some 150 of them (5 ms a first
    # request after a change; 1 here), as the maps write their places (cooperation/pictures/maps.py).

    def dated_html(self) -> SafeString:
        return mark_safe("".join(entry.item_html() for entry in self.dated))  # noqa: S308 - item_html escapes

    def undated_html(self) -> SafeString:
        return mark_safe("".join(entry.item_html() for entry in self.undated))  # noqa: S308 - item_html escapes
