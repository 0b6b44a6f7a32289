"""``manage.py restore_registry FILE [--force]``: read back a ``backup_registry`` file.

Into a database migrated to the same migrations and holding no registry data (``migrate``
on a new database gives one); ``--force`` empties a database that has data first. The file's
checksum is checked before anything changes (a backup without one, from before checksums, is
restored with a warning). One transaction: a backup that cannot be read to its end changes nothing. The search index is
rebuilt afterwards. See cooperation/backup.py.
"""

from django.core.management.base import BaseCommand, CommandError

from cooperation.backup import BackupError, Timer, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_registry into this (freshly migrated, empty) database, then "
        "rebuild the search index. Refuses a database that holds registry data unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by backup_registry (.jsonl or .jsonl.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty this database first: every record, its history, the users and the admin log in it "
            "are replaced by the backup's (in the same transaction, so a failed restore keeps them).",
        )

    def warn(self, message):
        self.stderr.write(self.style.WARNING(f"Warning: {message}"))

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with Timer() as timer:
                counts, files, search = restore(path, force=options["force"], warn=self.warn)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        if options["verbosity"] >= 1:
            for label, count in counts.items():
                self.stdout.write(f"{label:<48}{count:>9}")
        indexed = sum(search.values())
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(counts.values())} rows of {len(counts)} tables and {files} "
                f"file{'s' if files != 1 else ''} from {path} in {timer.seconds:.1f} s; "
                f"search index rebuilt ({indexed} published records)."
            )
        )
