"""Reading the rows of an export (cooperation/core/exports.py) and of a calendar: plain values,
no model instance a row.

An export writes tens of thousands of rows a second, so a row costs microseconds. A Django
model instance costs more to build than the export spends writing it, and a qualified date
field (``start`` with its ``start_qualifier``) builds a new :class:`PartialDate` on every read;
so the records and their relations are read with ``values_list`` into :func:`row_class`
objects: the model's values as plain attributes, its own properties and methods, its choices'
labels remembered per language, a date already a :class:`PartialDate` (one object for every
row of the same date) and a country a ``Country``.

- :func:`light_records`: the records of a query, a chunk at a time (a server-side cursor on
  PostgreSQL), as rows; a query that follows a foreign key (``select_related``) gives model
  instances, as its columns read the related record.
- :class:`Related`: the published rows of one relation of a chunk of records (one query).
"""

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partialmethod
from itertools import islice
from operator import attrgetter
from types import FunctionType
from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import BooleanField, F, Func, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language
from django_countries.fields import CountryField

from cooperation.core.partial_dates import PartialDate, PartialDateField, stored_integer

RAW = "_export_raw_"  # the prefix of a date's column read as its stored integer


@lru_cache(maxsize=16384)  # a few MB at most: dates cluster, most rows share a few thousand
def stored_date(value: int, qualifier: str) -> PartialDate:
    """The date a stored integer and qualifier hold: one object for every row of that date
    (PartialDate is immutable)."""
    date = PartialDate.from_int(value)
    return date.with_qualifier(qualifier) if qualifier else date


@lru_cache(maxsize=4096)
def choice_label(model: type[Model], name: str, value: object, language: str | None = None) -> str:
    """What ``get_<name>_display()`` gives in ``language``, remembered: Django looks it up anew
    for every row."""
    return str(dict(model._meta.get_field(name).flatchoices).get(value, value))


def _display(model: type[Model], name: str, attname: str) -> Callable[[Any], str]:
    def get_display(self: Any) -> str:
        return choice_label(model, name, getattr(self, attname), get_language())

    return get_display


# What a row takes from its model's class: methods, properties, nested choices (``Status``) and
# constants (``NAME_FIELDS``); not the field descriptors, managers or history.
OWN = property | FunctionType | partialmethod | classmethod | staticmethod | type | str | int | tuple | frozenset


@cache
def row_class(model: type[Model]) -> type:
    """A light stand-in for ``model`` instances in exports: its values as attributes, and the
    model's own properties and methods and those of its abstract bases (``__str__``,
    ``short_name``, ``get_role_display`` …, see OWN),
    so the columns read it as a record; no model machinery to build one (a Django model
    instance costs more to make than the rest of the export does with it). ``_meta`` is the
    model's, so a choice's label and the record's address are found as for a record."""
    own = {}
    for klass in reversed(model.__mro__[: model.__mro__.index(Model)]):  # the model and its abstract bases
        own.update(
            (name, value)
            for name, value in vars(klass).items()
            if name == "__str__" or (not name.startswith("_") and isinstance(value, OWN))
        )
    for field in model._meta.concrete_fields:  # get_<name>_display(), remembered per language
        if field.choices and f"get_{field.name}_display" in own:
            own[f"get_{field.name}_display"] = _display(model, field.name, field.attname)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    return type(
        f"{model.__name__}Row",
        (),
        {
            **own,
            "__init__": __init__,
            "__module__": __name__,
            "_meta": model._meta,
            "pk": property(attrgetter(model._meta.pk.attname)),
        },
    )


@dataclass(frozen=True)
class Reading:
    """How :func:`light_records` reads a model: the columns a row holds, which are dates (read as
    their stored integers) and which are countries."""

    plain: tuple  # attnames read as they are
    dates: tuple  # (attname, the attname of its qualifier or None)
    countries: tuple  # (attname, the field's descriptor, which makes its Country)


@cache
def reading(model: type[Model]) -> Reading:
    plain, dates, countries = [], [], []
    for field in model._meta.concrete_fields:
        if isinstance(field, PartialDateField):
            dates.append((field.attname, field.qualifier_field))
        else:
            plain.append(field.attname)
            if isinstance(field, CountryField) and not field.multiple:
                countries.append((field.attname, getattr(model, field.attname)))
    return Reading(tuple(plain), tuple(dates), tuple(countries))


@lru_cache(maxsize=1024)
def _country(descriptor: Any, code: str) -> Any:
    return descriptor.country(code)


def light_records(queryset: QuerySet, chunk_size: int) -> Iterator[list]:
    """Every record of ``queryset``, in its order, ``chunk_size`` at a time (one query; a
    server-side cursor on PostgreSQL): lists of :func:`row_class` rows holding every column of
    the model and the query's annotations; model instances when the query follows a foreign
    key (``select_related``), whose records the columns read."""
    if queryset.query.select_related:
        rows = queryset.iterator(chunk_size=chunk_size)
        while chunk := list(islice(rows, chunk_size)):
            yield chunk
        return
    model = queryset.model
    plan = reading(model)
    names = (*plan.plain, *queryset.query.annotation_select)
    raw = {f"{RAW}{name}": stored_integer(name) for name, _ in plan.dates}
    dates = [(name, f"{RAW}{name}", qualifier) for name, qualifier in plan.dates]
    make = row_class(model)
    values = queryset.annotate(**raw).values_list(*names, *raw).iterator(chunk_size=chunk_size)
    count = len(names)
    while batch := list(islice(values, chunk_size)):
        chunk = []
        for row in batch:
            record = make(dict(zip(names, row[:count], strict=True)))
            attributes = record.__dict__
            for position, (name, _alias, qualifier) in enumerate(dates, count):
                value = row[position]
                attributes[name] = (
                    None if value is None else stored_date(value, attributes[qualifier] if qualifier else "")
                )
            for name, descriptor in plan.countries:
                code = attributes[name]
                attributes[name] = None if code is None else _country(descriptor, code)
            chunk.append(record)
        yield chunk


@dataclass(frozen=True)
class Related:
    """A relation an export reads: published related rows only, into a plain list on each
    record, ``record.export_<lookup>`` (see :meth:`attach`).

    ``only`` are the fields of a related row the columns read, read with ``values_list`` (one
    query a chunk of records, no model machinery a row): ``slug``, ``name`` … of the related
    record, or ``partner__slug`` … of a record one step further (a project's partner roles:
    ``role`` on the role, the rest on its partner; a citation's ``source__…``). ``published``
    is the path, from a related row, of the flag that must be true: ``published`` for a
    record, ``source__published`` for a citation, ``partner__published`` for a partner role.
    """

    lookup: str
    only: tuple
    published: str = "published"

    @property
    def attribute(self) -> str:
        return related_attribute(self.lookup)

    def rows(self, model: type[Model], pks: list) -> tuple[QuerySet, str]:
        """(query of the related rows of the records ``pks``, the name of the column that holds
        the record's key in it)."""
        field = model._meta.get_field(self.lookup)
        related = field.related_model
        queryset = related._default_manager.all()
        if isinstance(field, GenericRelation):
            owner = field.object_id_field_name
            queryset = queryset.filter(**{field.content_type_field_name: ContentType.objects.get_for_model(model)})
        elif field.many_to_many:  # a many-to-many field of the record: its rows through the link table
            owner = field.related_query_name()
        else:  # rows that point at the record (a project's partner roles)
            owner = field.field.name
        return key_in(queryset, owner, pks).filter(**{self.published: True}), owner

    def attach(self, model: type[Model], records: list) -> None:
        """Give each of ``records`` its published related rows, in the related model's own order,
        as ``record.export_<lookup>``: :func:`row_class` objects holding ``only`` (one query).
        Rows with the same values are one object (a topic of many projects, the partner of many
        roles), so what a column makes of one (its name) is made once a chunk (see remembered)."""
        queryset, owner = self.rows(model, [record.pk for record in records])
        build = self.builder(queryset.model)
        dates = self.dates(queryset.model)  # read as their stored integers, one PartialDate a date
        raw = {f"{RAW}{position}": stored_integer(self.only[position]) for position in dates}
        names = [f"{RAW}{position}" if position in dates else name for position, name in enumerate(self.only)]
        found = defaultdict(list)
        for key, *values in queryset.annotate(**raw).values_list(owner, *names):
            for position in dates:
                if values[position] is not None:
                    values[position] = stored_date(values[position], "")
            found[key].append(build(values))
        attribute = self.attribute
        for record in records:
            setattr(record, attribute, found.get(record.pk, []))

    def dates(self, model: type[Model]) -> tuple[int, ...]:
        """The positions in ``only`` of dates (partial dates, read without their qualifier)."""
        positions = []
        for position, name in enumerate(self.only):
            *path, last = name.split("__")
            target = model
            for step in path:
                target = target._meta.get_field(step).related_model
            if isinstance(target._meta.get_field(last), PartialDateField):
                positions.append(position)
        return tuple(positions)

    def builder(self, model: type[Model]) -> Callable[[Sequence], object]:
        """A function making a :func:`row_class` object of ``model`` from the values of ``only``,
        the same object for the same values."""
        own = [(position, name) for position, name in enumerate(self.only) if "__" not in name]
        nested = defaultdict(list)
        for position, name in enumerate(self.only):
            if "__" in name:
                relation, field_name = name.split("__", 1)
                nested[relation].append((position, field_name))
        row = row_class(model)
        nested_rows = {relation: row_class(model._meta.get_field(relation).related_model) for relation in nested}
        made, targets = {}, {}

        def build(values: Sequence) -> object:
            key = tuple(values)
            record = made.get(key)
            if record is not None:
                return record
            record = made[key] = row({name: values[position] for position, name in own})
            for relation, names in nested.items():
                target_key = (relation, *(values[position] for position, _name in names))
                target = targets.get(target_key)
                if target is None:
                    target = targets[target_key] = nested_rows[relation](
                        {name: values[position] for position, name in names}
                    )
                setattr(record, relation, target)
                setattr(record, f"{relation}_id", getattr(target, "id", None))  # as a foreign key reads
            return record

        return build


def remembered(item: Any, name: str, make: Callable[[Any], Any]) -> Any:
    """``make(item)``, kept on the related row ``item`` under ``name``: a row stands for every
    record of its chunk that has it (see Related.attach), and its name is made once."""
    attributes = item.__dict__
    try:
        return attributes[name]
    except KeyError:
        value = attributes[name] = make(item)
        return value


def key_in(queryset: QuerySet, owner: str, pks: list) -> QuerySet:
    """``queryset`` where ``owner`` is one of ``pks``: on PostgreSQL ``= ANY(%s)`` with the list
    as one array (``__in`` makes a parameter a key, and building it cost more than the query)."""
    if connections[queryset.db].vendor == "postgresql":
        keys = RawSQL("%s", (pks,))
        return queryset.filter(
            Func(F(owner), keys, template="%(expressions)s)", arg_joiner=" = ANY(", output_field=BooleanField())
        )
    return queryset.filter(**{f"{owner}__in": pks})


def related_attribute(lookup: str) -> str:
    return f"export_{lookup}"
