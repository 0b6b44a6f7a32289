"""Counting rows without reading them all, for the staff admin's lists: the paginator, and
sidebar filters that do not read the whole table on every request.

The admin counts the rows of a list to page it. On PostgreSQL an exact ``COUNT(*)`` reads
every row (or every index entry) of the table: at a million meetings that is the slowest part
of the meetings list. For a list that no filter or search narrows, the planner's own estimate
(``pg_class.reltuples``, kept by ANALYZE and autovacuum) answers at once and is within a few
per cent; the list then says "about 1,000,000 meetings" (templates/admin/pagination.html), so
nobody takes it for an exact figure. Filtered lists, small tables and SQLite are counted
exactly, as before.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections, models
from django.utils.functional import cached_property
from django_countries.filters import CountryFilter

from cooperation.core.cache import cached
from cooperation.models import LinkTally

# Below this many rows an exact count is fast enough, and exact figures are nicer.
ESTIMATE_ABOVE = 100_000


def estimated_rows(model, using="default"):
    """``(rows, estimated)`` of ``model``'s whole table, in one query: PostgreSQL's estimate when
    it is above :data:`ESTIMATE_ABOVE` (``estimated`` True), else an exact ``COUNT(*)``; None on
    other databases."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.reltuples, CASE WHEN c.reltuples > %s THEN NULL ELSE (SELECT COUNT(*) FROM {table}) END "
            "FROM pg_class c WHERE c.oid = %s::regclass",
            [ESTIMATE_ABOVE, model._meta.db_table],
        )
        estimate, exact = cursor.fetchone()
    return (exact, False) if exact is not None else (int(estimate), True)


def is_big_table(queryset):
    """True when ``queryset`` is every row of a table PostgreSQL estimates above
    :data:`ESTIMATE_ABOVE` rows: where reading the distinct values of a column one index probe
    each (:func:`distinct_values`) beats a DISTINCT over every row."""
    if not hasattr(queryset, "query") or not is_whole_table(queryset):
        return False
    counted = estimated_rows(queryset.model, using=queryset.db)
    return counted is not None and counted[1]


def distinct_values(model, column, per=1, using="default"):
    """The distinct values of ``model``'s ``column`` (integer-divided by ``per``: 10000 for the
    year of a partial date), smallest first, without NULL: a loose index scan (a recursive query
    that asks an index for the next value above the last, one probe a value), for a column that
    leads an index. A few milliseconds for the 250 countries or 60 years of a million meetings,
    where a DISTINCT reads every row."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(column)
    if per == 1:
        first, after = f"SELECT MIN({column}) FROM {table}", f"{column} > v.value"
        value = f"(SELECT MIN({column}) FROM {table} WHERE {after})"
    else:
        first = f"SELECT MIN({column}) / {per} FROM {table}"
        value = f"(SELECT MIN({column}) FROM {table} WHERE {column} >= (v.value + 1) * {per}) / {per}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE v(value) AS ({first} UNION ALL SELECT {value} FROM v WHERE v.value IS NOT NULL) "
            "SELECT value FROM v WHERE value IS NOT NULL"
        )
        return [row[0] for row in cursor.fetchall()]


def is_whole_table(queryset):
    """True when ``queryset`` is every row of its table: no filter, no DISTINCT, no slice."""
    query = queryset.query
    return not query.where and not query.distinct and query.low_mark == 0 and query.high_mark is None


class EstimatedCountPaginator(Paginator):
    """Counts a big unfiltered table from the planner's estimate (``estimated`` is then True),
    anything else exactly."""

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if hasattr(queryset, "query") and is_whole_table(queryset):
            counted = estimated_rows(queryset.model, using=queryset.db)
            if counted is not None:
                rows, self.estimated = counted
                return rows
        return super().count


# Sidebar filters -------------------------------------------------------------------------------
# Django's own filters list every value the table holds, found with a DISTINCT over every row,
# on every request: a second or more at a million meetings, and thousands of partners listed.


class BusiestRelatedFilter(admin.RelatedFieldListFilter):
    """Filter by a related record (``?partners__id__exact=7``), offering the
    :data:`RELATED_CHOICES` related records linked to the most rows (counted once per data
    change, cached), and the one chosen. Any other is reached with the search box or by the
    address."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        model = model_admin.model
        name = field.name

        def busiest():
            link = TALLIED_LINKS.get((model._meta.label_lower, name))
            if link is not None:  # the links the database counts as they change
                top = LinkTally.objects.filter(link=link, links__gt=0).order_by("-links", "target")
                return list(top.values_list("target", flat=True)[:RELATED_CHOICES])
            through = model._meta.get_field(name)
            if through.many_to_many:
                links = through.remote_field.through.objects.values(through.m2m_reverse_field_name())
                column = through.m2m_reverse_field_name()
            else:
                links = model._default_manager.values(name)
                column = name
            top = links.annotate(rows=models.Count("pk")).order_by("-rows", column).values_list(column, flat=True)
            return list(top[:RELATED_CHOICES])

        pks = cached("admin-busiest", [model._meta.label_lower, name], busiest)
        chosen = [value for value in (self.lookup_val or []) if str(value).isdigit()]
        choices = related._default_manager.filter(pk__in=[*pks, *chosen])
        ordering = self.field_admin_ordering(field, request, model_admin) or related._meta.ordering or ["pk"]
        return [(record.pk, str(record)) for record in choices.order_by(*ordering)]


RELATED_CHOICES = 30
# The relations whose links LinkTally counts (cooperation/models/tallies.py): (model, field) → link.
TALLIED_LINKS = {("events.meeting", "partners"): "events.meeting.partners"}


class CachedCountryFilter(CountryFilter):
    """django-countries' filter (the countries the table holds), its DISTINCT over every row
    read once per data change (cached); of a big table, read one index probe a country
    (:func:`distinct_values`)."""

    def lookup_choices(self, changelist):
        model = changelist.model
        parts = [model._meta.label_lower, self.field_path]

        def compute():
            if not is_big_table(model._default_manager.all()):
                return list(super(CachedCountryFilter, self).lookup_choices(changelist))
            codes = set(distinct_values(model, model._meta.get_field(self.field_path).column))
            return [(code, name) for code, name in self.field.get_choices(include_blank=False) if code in codes]

        return cached("admin-countries", parts, compute)
