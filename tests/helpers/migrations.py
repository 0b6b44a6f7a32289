"""Running migrations in a test: to a migration and back to the latest (tests of a data migration)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` ([(app, migration)]); the models as they stand there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """Every app's latest migration: what a test migrates back to when it is done."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
