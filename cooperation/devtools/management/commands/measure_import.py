"""Measure the spreadsheet import: ``manage.py measure_import --rows 1000 [--list meetings]``.

Inside a transaction that is rolled back at the end, it creates ``--rows`` records of one list
(with ``measure_export``'s builder, cooperation/devtools/throwaway_rows.py: related records for
every relation column), exports them as CSV the way ``?format=csv`` does, and then times, with
the number of queries:

1. reading the file and planning it unchanged (every row *unchanged*);
2. planning and applying it with every row changed (a new title or name, one link fewer);
3. planning and applying it as new records (every slug changed: every row *create*).

Applying goes through each record's save() and the search-index signals, as in the admin.
"""

import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import resolve

from cooperation.core import exports
from cooperation.devtools.throwaway_rows import BATCH, Builder, Rollback
from cooperation.imports import SCHEMAS, apply_import, plan_import, read_table
from cooperation.imports.files import csv_bytes
from cooperation.imports.formats import SPECS

LISTS = ("partners", "agreements", "projects", "meetings")


class Command(BaseCommand):
    help = "Time the spreadsheet import of N rows: dry run, updates and creates (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1000, help="Rows in the file (default 1,000).")
        parser.add_argument("--list", choices=LISTS, default="meetings", help="Which list to import.")

    def handle(self, *args, **options):
        if options["rows"] < 1:
            raise CommandError("--rows must be at least 1.")
        try:
            with transaction.atomic():
                self.run(options["list"], options["rows"])
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: the database is as it was.")

    def run(self, name, rows):
        spec = SPECS[name]
        model = next(model for model, schema in SCHEMAS.items() if schema.name == name)
        token = uuid.uuid4().hex[:8]
        builder = Builder(token)
        builder.pool()
        for start in range(0, rows, BATCH):
            getattr(builder, name)(min(BATCH, rows - start))
        pool = {
            "partners": builder.partner_pool,
            "agreements": builder.agreement_pool,
            "projects": builder.project_pool,
        }
        # The list page's own queryset (with what its rows read: a partner's parent, an agreement's
        # stages), as ``?format=csv`` reads it.
        records = (
            resolve(spec.path)
            .func.view_class()
            .get_base_queryset()
            .filter(slug__startswith=f"bench-{token}-{name[:-1]}-")
            .exclude(pk__in=[record.pk for record in pool.get(name, [])])
            .order_by("pk")
        )
        context = exports.ExportContext(base_url="https://registry.example.org")
        headers = spec.headers
        # spec.records() reads the records as the export does, each chunk given the relations its
        # columns read (record.export_partners, record.export_citations …).
        data_rows = [spec.values(record, context) for record in spec.records(spec.queryset(records))]
        self.stdout.write(f"{name}: {len(data_rows):,} rows exported, {len(headers)} columns.")

        unchanged = csv_bytes(headers, data_rows)
        self.measure("dry run, every row unchanged", model, unchanged, apply=False)

        title = "name" if name == "partners" else "title"
        changed = [list(row) for row in data_rows]
        column = headers.index(title)
        for row in changed:
            row[column] = f"{row[column]} (changed)"
        many = next(
            (c.name for c in spec.columns if c.many and c.use == exports.READ and c.name != "other_names"), None
        )
        if many:
            position = headers.index(many)
            for row in changed:
                row[position] = row[position][1:]
        self.measure(
            f"update ({title}{', one ' + many + ' fewer' if many else ''})",
            model,
            csv_bytes(headers, changed),
            apply=True,
        )

        created = [list(row) for row in data_rows]
        key = headers.index("slug")
        unique = headers.index(title)
        for row in created:
            row[key] = f"{row[key]}-copy"
            row[unique] = f"{row[unique]} (copy)"
        self.measure("create (new slugs)", model, csv_bytes(headers, created), apply=True)

    def measure(self, label, model, data, apply):
        planning, saving = Counter(), Counter()
        started = time.perf_counter()
        with connection.execute_wrapper(planning):
            table = read_table("bench.csv", data)
            plan = plan_import(model, table)
        planned = time.perf_counter()
        if plan.has_errors:
            raise CommandError(f"{label}: the plan has errors: {plan.errors[:3]}")
        line = (
            f"{label}: {len(plan.rows):,} rows {plan.counts}; read and plan {planned - started:.2f} s "
            f"({len(plan.rows) / (planned - started):,.0f} rows/s, {planning.count} queries)"
        )
        if apply:
            with connection.execute_wrapper(saving):
                apply_import(plan=plan)
            done = time.perf_counter()
            line += (
                f"; apply {done - planned:.2f} s ({len(plan.rows) / (done - planned):,.0f} rows/s, "
                f"{saving.count} queries, {saving.count / len(plan.rows):.1f} a row); "
                f"total {len(plan.rows) / (done - started):,.0f} rows/s"
            )
        self.stdout.write(line)


class Counter:
    """A database execute wrapper counting the queries it sees."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
