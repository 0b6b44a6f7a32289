"""One date read from all its columns in a file (as written, ISO 8601, EDTF): which column gives
the date when a row changed one of them, and the error when two changed columns disagree."""

from django.core.exceptions import ValidationError

from cooperation.imports.changes import Change, change_of
from cooperation.imports.columns import agrees, shorten, shown


def read_date(row, context, readers):
    """Read one date from its columns in the file (as written, ISO, EDTF): the column the row
    changed (for a new record: each one filled in) gives the date, and the preview names the
    unchanged ones it overrules; two changed columns that give different dates are an error
    naming both."""
    obj = row.instance
    old = readers[0].current(obj, context) if row.existing else None
    given = []
    for reader in readers:
        try:
            given.append((reader, reader.parse(row.cells[reader.column], context)))
        except ValidationError as error:
            row.error(reader.column, " ".join(error.messages))
    if len(given) < len(readers):
        return
    if row.existing:
        changed = [(reader, value) for reader, value in given if not reader.same(old, value)]
    else:
        changed = [(reader, value) for reader, value in given if value is not None]
    if not changed:
        return
    winner, new = next(((reader, value) for reader, value in changed if reader.qualified), changed[0])
    for reader, value in changed:
        if not agrees(reader, value, new) and not agrees(winner, new, value):
            first, second = (winner, reader) if readers.index(winner) < readers.index(reader) else (reader, winner)
            values = {winner: new, reader: value}
            before = f"; the record has {winner.show(old)}" if row.existing else ""
            row.error(
                first.column,
                f"{first.column} “{shorten(row.cells[first.column])}” ({first.show(values[first])}) and "
                f"{second.column} “{shorten(row.cells[second.column])}” ({second.show(values[second])}) "
                f"give different dates{before}. Change only one of them, or make them say the same date.",
            )
            return
    row.dates_before[winner.field] = old
    winner.assign(obj, new)
    row.fields.append(winner.model_field.attname)
    if getattr(winner.model_field, "qualifier_field", None):
        row.fields.append(winner.model_field.qualifier_field)  # "about", "uncertain": stored beside the date
    row.date_columns[winner.field] = winner.column
    change = change_of(winner, old, new, row.existing)
    overruled = [
        f"{reader.column} {shown(row.cells[reader.column])}"
        for reader, value in given
        if row.existing and (reader, value) not in changed and not agrees(reader, value, new)
    ]
    if overruled:
        which = " and ".join(overruled)
        verb = "is" if len(overruled) == 1 else "are"
        summary = f"{change.summary} (from {winner.column}; the unchanged {which} {verb} overruled)"
        change = Change(change.column, summary, change.old, change.new)
    row.changes.append(change)
