"""An agreement's actions in one spreadsheet cell (the ``actions`` column of the agreements'
export, read back by the import): one action an item, items separated by "; " as every
many-valued column is, each item readable and parseable::

    signature | 2016-12-08 | place=Geneva; approval | 2017-02-23 | party=sms | act=Presidential Decree

The kind comes first, then the date in ISO 8601 at its precision (left out when the sources give
none), then ``party=`` (a partner's slug; none: every party), ``place=``, ``act=``, ``note=`` and
``order=`` when they have a value. A backslash escapes ``;``, ``|`` and itself in a value, and
``\\n`` is a line break, so any text survives the round trip.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from cooperation.core.partial_dates import PartialDate
from cooperation.models.actions import ActionKind

KEYS = ("party", "place", "act", "note", "order")


@dataclass(frozen=True)
class ActionCell:
    """One action as a cell holds it: comparable, hashable, what the import matches on."""

    kind: str
    date: PartialDate | None = None
    party: str = ""  # the partner's slug
    place: str = ""
    act: str = ""
    note: str = ""
    order: int = 0

    def text(self) -> str:
        parts = [self.kind]
        if self.date is not None:
            parts.append(self.date.iso)
        values = {"party": self.party, "place": self.place, "act": self.act, "note": self.note}
        values["order"] = str(self.order) if self.order else ""
        parts += [f"{key}={escape(values[key])}" for key in KEYS if values[key]]
        return " | ".join(parts)


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "\\n")
    )


def cell_of(action: object) -> ActionCell:
    """An action (a model instance or an export's row object with ``party``) as a cell item."""
    party = getattr(action, "party", None)
    return ActionCell(
        kind=action.kind,
        date=action.date,
        party=party.slug if party is not None and getattr(party, "slug", None) else "",
        place=(action.place or "").strip(),
        act=(action.act or "").strip(),
        note=(action.note or "").strip().replace("\r\n", "\n"),
        order=action.ordering or 0,
    )


def _split(text: str, separator: str) -> Iterator[str]:
    """``text`` split at each unescaped ``separator``, escapes kept for :func:`_unescape`."""
    part, escaped = [], False
    for character in text:
        if escaped:
            part.append("\\" + character)
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == separator:
            yield "".join(part)
            part = []
        else:
            part.append(character)
    if escaped:
        part.append("\\\\")
    yield "".join(part)


def _unescape(text: str) -> str:
    out, escaped = [], False
    for character in text:
        if escaped:
            out.append("\n" if character == "n" else character)
            escaped = False
        elif character == "\\":
            escaped = True
        else:
            out.append(character)
    return "".join(out)


def parse_cell(text: str) -> list[ActionCell]:
    """The actions a cell lists; ValidationError saying what is wrong with an item."""
    actions = []
    for raw in _split(text or "", ";"):
        if not raw.strip():
            continue
        parts = [part.strip() for part in _split(raw, "|")]
        kind = parts[0].casefold()
        by_label = {str(label).casefold(): value for value, label in ActionKind.choices}
        kind = by_label.get(kind, kind)
        if kind not in ActionKind.values:
            raise ValidationError(
                f"“{_unescape(parts[0])}” is not a kind of action: use {', '.join(ActionKind.values)}."
            )
        values, date = {}, None
        for position, part in enumerate(parts[1:], start=1):
            key, equals, value = part.partition("=")
            if not equals:
                if position != 1 or not part:
                    raise ValidationError(f"“{_unescape(part)}” in “{_unescape(raw.strip())}”: write key=value.")
                date = PartialDate.parse(_unescape(part))
                continue
            key = key.strip().casefold()
            if key not in KEYS:
                raise ValidationError(f"“{key}” is not a part of an action: use {', '.join(KEYS)}.")
            values[key] = _unescape(value.strip())
        order = values.pop("order", "0") or "0"
        if not order.isdigit():
            raise ValidationError(f"order={order}: the order is a whole number.")
        actions.append(ActionCell(kind=kind, date=date, order=int(order), **values))
    return actions
