"""Money totals the database keeps as the data changes, so that a partner's page need not add up
the budgets and transactions of its thousands of projects (89–132 ms on a cold cache for the
busiest partner of the benchmark's data; one index read instead).

:class:`ProjectMoneyTotal` holds a project's money summed per kind (:data:`BUDGET` for the
budgets a total adds up, else the transaction kind) and currency over every year;
:class:`PartnerMoneyTotal` the same summed over the *published* projects a partner has a role
in, per role: what :func:`cooperation.models.money.partner_money` answers. Triggers keep both
(created by the migration cooperation 0021, PostgreSQL and SQLite alike) in the same
transaction as the write, whatever makes it: a form, the importer, ``QuerySet.update()``,
``bulk_create``, raw SQL, a restore. Nothing in Python writes them; the tests compare them with
a fresh sum (tests/cooperation/test_money_totals.py).

- A budget or transaction total written (inserted, changed, deleted) recounts its project's
  rows from the project's few budgets and totals.
- A project's row inserted or deleted adds it to, or takes it from, each role of the project
  when the project is published.
- A role (ProjectPartner) inserted, changed or deleted adds or takes the project's rows for that
  partner and role, when the project is published.
- A project inserted, deleted, published or unpublished adds or takes its rows for all its roles.

Each trigger applies one table's change to the other tables as they are, so the changes add up
in any order. On PostgreSQL a trigger that reads a project's rows first locks the project's row
(``FOR NO KEY UPDATE``, which a foreign key check's ``KEY SHARE`` does not block): two
transactions writing the same project's money or roles queue, and the second reads what the
first committed (READ COMMITTED, Django's default). Partners' rows are changed in the order of
their keys, so two writers never take them in opposite orders.

A partner's row whose contributions were all taken away stays, with ``entries`` 0: readers skip
it (an amount of 0 with entries is shown, as a budget of 0 is).

On SQLite a migration that remakes one of the watched tables (Django does for most
``AlterField``) drops its triggers with it: it must call :func:`install` again.
"""

from django.db import migrations, models

from cooperation.models.counts import counted

# The kind of a total of budgets (cooperation.models.money imports it from here).
BUDGET = "budget"
REVISED = "revised"  # cooperation.models.money.BudgetKind.REVISED


def total_field():
    return models.DecimalField(max_digits=24, decimal_places=2, default=0)


class ProjectMoneyTotal(models.Model):
    """A project's money of one kind in one currency, summed over every year: ``entries`` budgets
    or transaction totals (of the budgets, those a total adds up)."""

    # Written by triggers, not by Django: what reads it depends on these (cooperation/core/versions.py).
    derived_from = ("cooperation.budget", "cooperation.transactiontotal")

    project = counted("cooperation.Project", db_index=False)
    kind = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    amount = total_field()
    entries = models.IntegerField(default=0)

    class Meta:
        ordering = ["project", "kind", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "currency"], name="projectmoneytotal_key"),
        ]

    def __str__(self):
        return f"{self.project_id} {self.kind}: {self.amount} {self.currency} ({self.entries})"


class PartnerMoneyTotal(models.Model):
    """The money of the published projects in which ``partner`` has the role ``role``, of one
    kind in one currency, summed: ``entries`` budgets or transaction totals in all."""

    # Written by triggers, not by Django: what reads it depends on these (cooperation/core/versions.py).
    derived_from = (
        "cooperation.budget",
        "cooperation.transactiontotal",
        "cooperation.project",
        "cooperation.projectpartner",
    )

    partner = counted("partners.Partner", db_index=False)
    role = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    amount = total_field()
    entries = models.IntegerField(default=0)

    class Meta:
        ordering = ["partner", "role", "kind", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "role", "kind", "currency"], name="partnermoneytotal_key"),
        ]

    def __str__(self):
        return f"{self.partner_id} {self.role} {self.kind}: {self.amount} {self.currency} ({self.entries})"


# The triggers --------------------------------------------------------------------------------

PROJECT_TOTALS = "cooperation_projectmoneytotal"
PARTNER_TOTALS = "cooperation_partnermoneytotal"
BUDGETS = "cooperation_budget"
TRANSACTIONS = "cooperation_transactiontotal"
PROJECTS = "cooperation_project"
ROLES = "cooperation_projectpartner"
NAME = "cooperation_money"


def project_totals_sql(project: str | None = None) -> str:
    """What the project ``project`` (SQL of its id; every project without) sums to: rows of
    (project_id, kind, currency, amount, entries) as :class:`ProjectMoneyTotal` holds them."""
    budget = f"b.project_id = {project} AND " if project else ""
    transaction = f"WHERE t.project_id = {project} " if project else ""
    # The revised budgets' project named as the project itself when there is one, so that both
    # reads of budgets can go through the project's index: joined on b.project_id, a plan the
    # connection cached while the table was nearly empty hashed every budget for each write.
    revised_project = project or "b.project_id"
    return (
        f"SELECT b.project_id AS project_id, '{BUDGET}' AS kind, b.currency AS currency, SUM(b.amount) AS amount, "
        f"COUNT(*) AS entries FROM {BUDGETS} b WHERE {budget}(b.kind = '{REVISED}' OR NOT EXISTS (SELECT 1 "
        f"FROM {BUDGETS} r WHERE r.project_id = {revised_project} AND r.kind = '{REVISED}' "
        f"AND r.period_start = b.period_start)) GROUP BY b.project_id, b.currency "
        f"UNION ALL SELECT t.project_id, t.kind, t.currency, SUM(t.amount), COUNT(*) FROM {TRANSACTIONS} t "
        f"{transaction}GROUP BY t.project_id, t.kind, t.currency"
    )


def shift_sql(select: str, sign: str = "1") -> str:
    """Add to the partners' rows what ``select`` gives (times ``sign``, "1" or "-1"): rows of a
    role ``pp`` (partner_id, role) and a total ``m`` (kind, currency, amount, entries), FROM and
    WHERE included; summed per key, in the keys' order, rows that change nothing left out."""
    return (
        f"INSERT INTO {PARTNER_TOTALS} (partner_id, role, kind, currency, amount, entries) "
        f"SELECT pp.partner_id, pp.role, m.kind, m.currency, {sign} * SUM(m.amount), {sign} * SUM(m.entries) "
        f"{select} GROUP BY pp.partner_id, pp.role, m.kind, m.currency "
        "HAVING SUM(m.amount) <> 0 OR SUM(m.entries) <> 0 ORDER BY 1, 2, 3, 4 "
        f"ON CONFLICT (partner_id, role, kind, currency) DO UPDATE SET "
        f"amount = {PARTNER_TOTALS}.amount + excluded.amount, entries = {PARTNER_TOTALS}.entries + excluded.entries"
    )


def published(project: str) -> str:
    return f"EXISTS (SELECT 1 FROM {PROJECTS} p WHERE p.id = {project} AND p.published)"


def recount_sql(project: str) -> list[str]:
    """Statements that bring the project ``project``'s rows, and its partners' if it is
    published, to what it sums to now: the partners by the difference (one statement), then
    the project's rows replaced."""
    difference = (
        f"SELECT kind, currency, -amount AS amount, -entries AS entries FROM {PROJECT_TOTALS} "
        f"WHERE project_id = {project} UNION ALL SELECT kind, currency, amount, entries "
        f"FROM ({project_totals_sql(project)}) current_totals"
    )
    return [
        shift_sql(
            f"FROM {ROLES} pp JOIN ({difference}) m ON TRUE WHERE pp.project_id = {project} AND {published(project)}"
        ),
        f"DELETE FROM {PROJECT_TOTALS} WHERE project_id = {project}",
        f"INSERT INTO {PROJECT_TOTALS} (project_id, kind, currency, amount, entries) {project_totals_sql(project)}",
    ]


def role_shift_sql(row: str, sign: str) -> str:
    """A role ``row`` (NEW or OLD): its project's totals to or from its partner, if the project
    is published."""
    return shift_sql(
        f"FROM (SELECT {row}.partner_id AS partner_id, {row}.role AS role) pp JOIN {PROJECT_TOTALS} m "
        f"ON m.project_id = {row}.project_id WHERE {published(f'{row}.project_id')}",
        sign,
    )


def project_shift_sql(row: str, sign: str, condition: str = "TRUE") -> str:
    """A project ``row`` published or unpublished: all its totals to or from all its roles (when
    ``condition``, SQL, holds)."""
    return shift_sql(
        f"FROM {ROLES} pp JOIN {PROJECT_TOTALS} m ON m.project_id = pp.project_id "
        f"WHERE pp.project_id = {row}.id AND {condition}",
        sign,
    )


def fill_sql() -> list[str]:
    """Sum what the tables hold now into the (emptied) totals."""
    return [
        f"DELETE FROM {PARTNER_TOTALS}",
        f"DELETE FROM {PROJECT_TOTALS}",
        f"INSERT INTO {PROJECT_TOTALS} (project_id, kind, currency, amount, entries) {project_totals_sql()}",
        shift_sql(
            f"FROM {ROLES} pp JOIN {PROJECT_TOTALS} m ON m.project_id = pp.project_id "
            f"JOIN {PROJECTS} p ON p.id = pp.project_id WHERE p.published"
        ),
    ]


def _lock(project: str) -> str:
    return f"PERFORM 1 FROM {PROJECTS} WHERE id = {project} FOR NO KEY UPDATE;"


def _postgresql() -> list[str]:
    def recount(project):
        return " ".join(f"{statement};" for statement in recount_sql(project))

    money = (
        "BEGIN IF TG_OP <> 'INSERT' THEN "
        f"{_lock('OLD.project_id')} {recount('OLD.project_id')} END IF; "
        "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.project_id IS DISTINCT FROM OLD.project_id) THEN "
        f"{_lock('NEW.project_id')} {recount('NEW.project_id')} END IF; RETURN NULL; END"
    )
    role = (
        f"BEGIN IF TG_OP <> 'INSERT' THEN {_lock('OLD.project_id')} {role_shift_sql('OLD', '-1')}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_lock('NEW.project_id')} {role_shift_sql('NEW', '1')}; END IF; "
        "RETURN NULL; END"
    )
    project = (
        f"BEGIN IF TG_OP = 'INSERT' THEN IF NEW.published THEN {project_shift_sql('NEW', '1')}; END IF; "
        f"ELSIF TG_OP = 'DELETE' THEN IF OLD.published THEN {project_shift_sql('OLD', '-1')}; END IF; "
        f"DELETE FROM {PROJECT_TOTALS} WHERE project_id = OLD.id; "
        f"ELSIF OLD.published IS DISTINCT FROM NEW.published THEN "
        f"IF NEW.published THEN {project_shift_sql('NEW', '1')}; ELSE {project_shift_sql('NEW', '-1')}; END IF; "
        "END IF; RETURN NULL; END"
    )
    statements = [
        f"CREATE OR REPLACE FUNCTION {NAME}_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"
        for name, body in {"money": money, "role": role, "project": project}.items()
    ]
    for name, table, function, events in PG_TRIGGERS:
        statements.append(
            f"CREATE TRIGGER {NAME}_{name} {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {NAME}_{function}()"
        )
    return statements


PG_TRIGGERS = (
    ("budget", BUDGETS, "money", "AFTER INSERT OR UPDATE OR DELETE"),
    ("transaction", TRANSACTIONS, "money", "AFTER INSERT OR UPDATE OR DELETE"),
    ("role", ROLES, "role", "AFTER INSERT OR UPDATE OR DELETE"),
    ("project_write", PROJECTS, "project", "AFTER INSERT OR DELETE"),
    ("project_publish", PROJECTS, "project", "AFTER UPDATE OF published"),
)
SQLITE_TRIGGERS = (
    "budget_insert",
    "budget_update",
    "budget_delete",
    "transaction_insert",
    "transaction_update",
    "transaction_delete",
    "role_insert",
    "role_update",
    "role_delete",
    "project_insert",
    "project_delete",
    "project_publish",
)


def _sqlite() -> list[str]:
    def body(*statements):
        return "BEGIN " + " ".join(f"{statement};" for statement in statements) + " END"

    triggers = []
    for name, table in (("budget", BUDGETS), ("transaction", TRANSACTIONS)):
        triggers += [
            (f"{name}_insert", f"AFTER INSERT ON {table}", body(*recount_sql("NEW.project_id"))),
            (
                f"{name}_update",
                f"AFTER UPDATE ON {table}",
                body(*recount_sql("OLD.project_id"), *recount_sql("NEW.project_id")),
            ),
            (f"{name}_delete", f"AFTER DELETE ON {table}", body(*recount_sql("OLD.project_id"))),
        ]
    flip = "CASE WHEN NEW.published THEN 1 ELSE -1 END"
    triggers += [
        ("role_insert", f"AFTER INSERT ON {ROLES}", body(role_shift_sql("NEW", "1"))),
        ("role_update", f"AFTER UPDATE ON {ROLES}", body(role_shift_sql("OLD", "-1"), role_shift_sql("NEW", "1"))),
        ("role_delete", f"AFTER DELETE ON {ROLES}", body(role_shift_sql("OLD", "-1"))),
        (
            "project_insert",
            f"AFTER INSERT ON {PROJECTS} FOR EACH ROW WHEN NEW.published",
            body(project_shift_sql("NEW", "1")),
        ),
        (
            # One trigger, in this order: taken from its partners, then forgotten.
            "project_delete",
            f"AFTER DELETE ON {PROJECTS}",
            body(
                project_shift_sql("OLD", "-1", condition="OLD.published"),
                f"DELETE FROM {PROJECT_TOTALS} WHERE project_id = OLD.id",
            ),
        ),
        (
            "project_publish",
            f"AFTER UPDATE OF published ON {PROJECTS} FOR EACH ROW WHEN OLD.published IS NOT NEW.published",
            body(project_shift_sql("NEW", flip)),
        ),
    ]
    return [f"CREATE TRIGGER {NAME}_{name} {event} {sql}" for name, event, sql in triggers]


def install_sql(vendor: str) -> list[str]:
    """The statements that create the triggers (and, on PostgreSQL, their functions)."""
    if vendor == "postgresql":
        return _postgresql()
    if vendor == "sqlite":
        return _sqlite()
    raise NotImplementedError(f"The money totals support PostgreSQL and SQLite, not {vendor}.")


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {NAME}_{name} ON {table}" for name, table, _f, _e in PG_TRIGGERS] + [
            f"DROP FUNCTION IF EXISTS {NAME}_{name}()" for name in ("money", "role", "project")
        ]
    return [f"DROP TRIGGER IF EXISTS {NAME}_{name}" for name in SQLITE_TRIGGERS]


def install(schema_editor, fill: bool = True) -> None:
    """(Re)create the triggers and, with ``fill``, sum what the tables hold now."""
    vendor = schema_editor.connection.vendor
    for statement in (*uninstall_sql(vendor), *(fill_sql() if fill else ()), *install_sql(vendor)):
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    for statement in uninstall_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)
    schema_editor.execute(f"DELETE FROM {PARTNER_TOTALS}")
    schema_editor.execute(f"DELETE FROM {PROJECT_TOTALS}")


def operation():
    """The migration operation that creates the triggers and fills the totals (and, reversed,
    removes them)."""
    return migrations.RunPython(
        lambda apps, schema_editor: install(schema_editor),
        lambda apps, schema_editor: uninstall(schema_editor),
    )
