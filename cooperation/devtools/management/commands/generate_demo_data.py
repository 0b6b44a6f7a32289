"""``manage.py generate_demo_data --partners N --projects N --meetings N``: realistic demo records
in bulk, added to what the database holds (see cooperation/devtools/demo_data.py).

    python manage.py generate_demo_data --partners 10000 --projects 100000 --meetings 1000000

Agreements, offices, officials (each with a post), topics and sources come in proportion to
the partners unless given. The seed records are never changed or linked to; a second run adds
as much again, with fresh slugs.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from cooperation.devtools import demo_data

LIMIT = 10_000_000


def count(value):
    try:
        number = int(str(value).replace("_", "").replace(",", ""))
    except ValueError:
        raise CommandError(f"“{value}” is not a whole number.") from None
    if not 0 <= number <= LIMIT:
        raise CommandError(f"{number:,} is out of range: give a number from 0 to {LIMIT:,}.")
    return number


class Command(BaseCommand):
    help = "Add realistic demo partners, projects, meetings (and more) in bulk; the seed records stay as they are."

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=str, default="100", help="Partners to add (default 100).")
        parser.add_argument("--projects", type=str, default="1000", help="Projects to add (default 1,000).")
        parser.add_argument("--meetings", type=str, default="10000", help="Meetings to add (default 10,000).")
        parser.add_argument("--agreements", type=str, default=None, help="Agreements (default: as many as partners).")
        parser.add_argument("--offices", type=str, default=None, help="Offices (default: half the partners).")
        parser.add_argument("--people", type=str, default=None, help="Officials (default: half the partners).")
        parser.add_argument("--topics", type=str, default=None, help="Topics (default: 40, at most one a partner).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices (default 1).")

    def handle(self, *args, **options):
        optional = {name: options[name] for name in ("agreements", "offices", "people", "topics")}
        sizes = demo_data.Sizes.derive(
            partners=count(options["partners"]),
            projects=count(options["projects"]),
            meetings=count(options["meetings"]),
            **{name: None if value is None else count(value) for name, value in optional.items()},
        )
        if (sizes.projects or sizes.meetings or sizes.agreements) and not sizes.partners:
            raise CommandError("Projects, agreements and meetings need partners: give --partners 1 or more.")
        started = time.perf_counter()
        run, timings = demo_data.generate(sizes, seed=options["seed"], report=self.stdout.write)
        total = time.perf_counter() - started
        rows = sum(number for number, _seconds in timings.values())
        self.stdout.write(self.style.SUCCESS(f"Added {rows:,} demo records (run {run}) in {total:,.1f} s:"))
        for label, (number, seconds) in timings.items():
            rate = f", {number / seconds:,.0f} a second" if number and seconds else ""
            self.stdout.write(f"  {label:<11} {number:>10,} in {seconds:8.1f} s{rate}")
