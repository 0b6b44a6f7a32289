"""``manage.py make_iati_file OUT [--activities 1000]``: an IATI activity file for measuring the
IATI import (docs/iati.md): the standard's worked example (tests/iati/files/) repeated with
varied identifiers, titles, organisations and dates, so each activity is a new project."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

EXAMPLE = Path(settings.BASE_DIR) / "tests" / "iati" / "files" / "iati-203-worked-example-annotated.xml"


class Command(BaseCommand):
    help = "Write an IATI activity file of N activities made from the worked example (for measuring the import)."

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--activities", type=int, default=1000)

    def handle(self, *args, out, activities, **options):
        text = EXAMPLE.read_text(encoding="utf-8")
        start, end = text.index("<iati-activity "), text.index("</iati-activity>") + len("</iati-activity>")
        head, activity, tail = text[:start], text[start:end], text[end:]
        with open(out, "w", encoding="utf-8") as file:
            file.write(head)
            for number in range(activities):
                file.write(_varied(activity, number))
                file.write("\n")
            file.write(tail)
        self.stdout.write(f"{out}: {activities} activities, {Path(out).stat().st_size:,} bytes")


def _varied(activity: str, number: int) -> str:
    """Activity ``number``: its own identifier and title; one of 50 funding organisations, so the
    partners are matched as often as they are made; its years moved along."""
    year = 2000 + number % 20
    text = activity.replace("AA-AAA-123456789-ABC123", f"AA-AAA-123456789-{number:06d}")
    text = text.replace("<narrative>Activity title</narrative>", f"<narrative>Activity title {number}</narrative>")
    text = text.replace("BB-BBB-123456789", f"BB-BBB-{number % 50:09d}")
    text = text.replace("Name of Agency B", f"Name of Agency B{number % 50}")
    return re.sub(r'iso-date="20(1[2-5])', lambda m: f'iso-date="{year + int(m[1]) - 12}', text)
