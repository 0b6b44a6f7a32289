"""``manage.py backup_registry FILE``: the whole registry, history included, in one file.

See cooperation/backup.py for what the file holds; ``restore_registry FILE`` reads it back.
A name ending in ``.gz`` is gzip-compressed.
"""

from django.core.management.base import BaseCommand, CommandError

from cooperation.backup import BackupError, Timer, backup, describe_size


class Command(BaseCommand):
    help = (
        "Write every registry table (records, links, citations, claims, every historical table), the "
        "users, groups and permissions given to them, the admin log and the uploaded files to FILE "
        "(JSON Lines; gzip if FILE ends in .gz). Restore it with restore_registry."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. registry-2026-11-23.jsonl.gz")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with Timer() as timer:
                counts, files = backup(path)
        except (BackupError, OSError) as error:
            raise CommandError(f"No backup was written: {error}") from error
        if options["verbosity"] >= 2:
            for label, count in counts.items():
                self.stdout.write(f"{label:<48}{count:>9}")
        elif options["verbosity"] >= 1:
            for label, count in counts.items():
                if count:
                    self.stdout.write(f"{label:<48}{count:>9}")
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(counts.values())} rows of {len(counts)} tables and {files} "
                f"file{'s' if files != 1 else ''} to {path} ({describe_size(path)}) in {timer.seconds:.1f} s."
            )
        )
