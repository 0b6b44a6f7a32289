"""``manage.py import_iati FILE_OR_URL…``: import IATI activity files (cooperation/iati/)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from cooperation.iati.files import FetchError, fetch, import_file, is_url


class Command(BaseCommand):
    help = (
        "Import IATI activity XML files (paths, or http(s) addresses fetched now) as draft projects, "
        "keyed by iati-identifier, and print what was done with each activity and every problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE_OR_URL")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help=(
                "Write newer IATI data over projects staff have changed since their import "
                "(reported as conflicts otherwise)."
            ),
        )
        parser.add_argument("--quiet-problems", action="store_true", help="Print the summary lines only.")

    def handle(self, *args, files, overwrite, quiet_problems, **options):
        failed = False
        for name in files:
            try:
                if is_url(name):
                    with fetch(name) as copy:
                        report = import_file(
                            copy, file_name=name.rsplit("/", 1)[-1] or name, url=name, overwrite=overwrite
                        )
                else:
                    report = import_file(name, file_name=Path(name).name, overwrite=overwrite)
            except FetchError as error:
                self.stderr.write(str(error))
                failed = True
                continue
            lines = report.lines()
            for line in lines[:-1] if not quiet_problems else []:
                self.stdout.write(line)
            if report.refused:
                self.stderr.write(lines[-1])
                failed = True
            else:
                self.stdout.write(self.style.SUCCESS(lines[-1]))
        if failed:
            raise SystemExit(1)
