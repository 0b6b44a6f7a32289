"""What a row of an import changes: one :class:`Change` a column, for the preview and for the
fingerprint that makes sure the confirmed import is the previewed one."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """A column a row changes: ``summary`` for people, ``old``/``new`` for the fingerprint."""

    column: str
    summary: str
    old: str
    new: str


def change_of(reader, old, new, existing):
    """The Change a row makes to ``reader``'s column: from ``old`` to ``new`` (``existing``: the
    record exists; else only the new value)."""
    summary = reader.describe_change(old, new) if existing else reader.show(new)
    return Change(reader.column, summary, reader.fingerprint(old) if existing else "", reader.fingerprint(new))
