"""The seed loader's entry point, :func:`load_seed` (``manage.py load_seed_data`` runs it)."""

from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cooperation.history.context import history_context
from cooperation.search.signals import indexing_deferred
from cooperation.seed.loader import DEFAULT_SEED_FILE, SECTIONS, read_seed, section_records
from cooperation.seed.records import RecordWriter, SeedReport


@transaction.atomic
def load_seed(*, path: Path = DEFAULT_SEED_FILE, user: AbstractBaseUser | None = None) -> SeedReport:
    """Make the database say what the seed file at ``path`` says about its records; return what
    was created, updated, deleted and left unchanged. All or nothing: one transaction, which the
    first problem (a :class:`~cooperation.seed.loader.SeedDataError` naming the record) rolls back.

    Its history rows say "seed loader" and name ``user``: nobody (None) when the command runs it.
    """
    data = read_seed(path)
    writer = RecordWriter(files_dir=path.parent)
    with history_context(user=user, reason="seed loader"), indexing_deferred():
        for section in SECTIONS:
            for record in section_records(data, section, label=path.name):
                writer.write(section, record)
    return writer.report
