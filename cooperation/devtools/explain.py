"""``manage.py benchmark --explain FILE``: for each page measured, the slowest query of a first
request (every cache emptied, so facets and counts are included) and its plan, with
``EXPLAIN (ANALYZE, BUFFERS)``, written as Markdown: the section "EXPLAIN of the slowest query of
each page" of docs/performance.md is this file.

PostgreSQL only: SQLite's ``EXPLAIN QUERY PLAN`` has neither times nor buffers to compare.
``EXPLAIN ANALYZE`` runs the query again; a page's queries are reads, and it runs inside a
transaction that is rolled back all the same.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

SQL_SHOWN = 1500  # characters of a query's text shown before "…"; the plan is always whole


@dataclass(frozen=True)
class Explained:
    name: str
    path: str
    queries: int
    slowest_ms: float
    sql: str
    plan: str

    def markdown(self) -> str:
        sql = self.sql if len(self.sql) <= SQL_SHOWN else f"{self.sql[:SQL_SHOWN]} …"
        return (
            f"### {self.name}\n\n"
            f"`{self.path}` — {self.queries} queries uncached; the slowest took {self.slowest_ms:.1f} ms:\n\n"
            f"```sql\n{sql}\n```\n\n```\n{self.plan}\n```\n"
        )


def explain_page(page, request, clear) -> Explained | None:
    """Request ``page`` once after ``clear()`` (the caches), then explain its slowest query; None
    when the page ran no query."""
    clear()
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = [query for query in captured.captured_queries if _explainable(query["sql"])]
    if not queries:
        return None
    slowest = max(queries, key=lambda query: float(query["time"]))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return Explained(
        name=page.name,
        path=page.path,
        queries=len(captured.captured_queries),
        slowest_ms=float(slowest["time"]) * 1000,
        sql=slowest["sql"],
        plan=plan,
    )


def _explainable(sql: str) -> bool:
    """A query EXPLAIN can take (not a savepoint, a SET, a session write…)."""
    return sql.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT"))


def document(explained: list[Explained], header: str) -> str:
    return "\n".join([header, "", *(item.markdown() for item in explained)])
