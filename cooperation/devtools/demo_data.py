"""Demo data at scale, for trying the registry and for ``manage.py benchmark``.

:func:`generate` adds partners, their offices and officials, agreements, projects and
meetings (with topics, sources and citations of their own) to whatever the database holds:

- **factory-boy builds, bulk inserts write.** Each record is made by a factory of
  demo_factories.py with ``build()`` (an unsaved model instance with realistic values, from
  the run's random choices in demo_choices.py) and written with
  ``bulk_create`` in batches; many-to-many links and citations go in the same way. Nothing
  is switched off to get there: constraints, indexes and the search index's generated
  ``tsvector`` column all do their work on every row.
- **Reproducible.** Every choice comes from one ``random.Random(seed)`` (and a Faker seeded
  from it), so the same seed on the same database gives the same records.
- **Realistic shape.** A few partners own most of the links (a Zipf distribution: the top 1%
  of partners are in about half of the projects and meetings); dates run from 1990 to 2030,
  some known to the day, some to the month, some only to the year, with periods that never
  end before they start; projects have 1–4 topics and 1–4 partners in their roles; about
  10% of each kind are drafts.
- **Never touches what is there.** Every record gets a fresh slug, ``demo-<run>-<kind>-<n>``,
  where ``<run>`` is the first number no record's slug uses yet, so a second run adds as
  much again; demo records link only to demo records, so the seed records' pages and
  relations stay as they were.
- **Searchable.** Bulk inserts send no signals, so the search index is written here, batch
  by batch, by the same code the signals call (``cooperation.search.index_records``).
- **Not in the history.** ``bulk_create`` writes no django-simple-history rows: demo records
  have no "created" entry in their history (a later edit in the admin starts one).

Measured figures (10,000 partners, 100,000 projects, 1,000,000 meetings on PostgreSQL) are in
docs/performance.md.
"""

import datetime
import io
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, reset_queries, transaction
from django_countries import countries

from cooperation.core.cache import data_changed
from cooperation.devtools.demo_choices import SLUG_PREFIX, Demo, Skewed
from cooperation.devtools.demo_factories import (
    DemoAgreementFactory,
    DemoMeetingFactory,
    DemoOfficeFactory,
    DemoPartnerFactory,
    DemoPersonFactory,
    DemoPostFactory,
    DemoProjectFactory,
    DemoSourceFactory,
    DemoTopicFactory,
)
from cooperation.models import (
    Agreement,
    AgreementAction,
    Budget,
    Citation,
    Place,
    Project,
    ProjectPartner,
    SearchDocument,
    Source,
    Topic,
    TransactionTotal,
)
from cooperation.search import index_records
from cooperation.search.documents import INDEXERS, document_fields
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

BATCH_SIZE = 2000  # records built and written at a time
LINK_BATCH_SIZE = 5000  # rows of a many-to-many table in one INSERT
STATE_SHARE = 0.05  # of the partners, states (as long as there are countries left)

ACTION_OF_SUMMARY = (
    ("signed", "signature"),
    ("ratified", "ratification"),
    ("in_force", "entry-into-force"),
    ("ended", "termination"),
)
RECORD_MODELS = (Partner, Office, Person, Topic, Source, Agreement, Project, Meeting)


# Writing ---------------------------------------------------------------------------------------


@dataclass
class Progress:
    """Reports rows written and the rate, at most about once a second and at the end."""

    report: object  # a callable taking one line of text
    label: str
    total: int
    done: int = 0
    started: float = field(default_factory=time.perf_counter)
    last: float = 0.0

    def add(self, count):
        self.done += count
        now = time.perf_counter()
        if now - self.last >= 1 or self.done >= self.total:
            self.last = now
            rate = self.done / (now - self.started) if now > self.started else 0
            self.report(f"  {self.label}: {self.done:,} of {self.total:,} ({rate:,.0f} a second)")

    @property
    def seconds(self):
        return time.perf_counter() - self.started


def next_run():
    """The first run number no record's slug uses: ``demo-<run>-…``."""
    run = 1
    while any(
        model._default_manager.filter(slug__startswith=f"{SLUG_PREFIX}-{run}-").exists() for model in RECORD_MODELS
    ):
        run += 1
    return run


def batches(total, size=BATCH_SIZE):
    for start in range(0, total, size):
        yield min(size, total - start)


def write(model, records):
    """Records (model instances) in batches; their primary keys are set on return."""
    return model._default_manager.bulk_create(records, batch_size=BATCH_SIZE)


def copy_value(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_rows(model, fields, rows):
    """Plain rows (tuples of ``fields``' values) into ``model``'s table: one ``COPY`` on
    PostgreSQL, one ``executemany`` elsewhere. For link tables and citations, whose rows need
    no Python-side defaults; the database still checks every key and constraint."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = "".join("\t".join(copy_value(value) for value in row) + "\n" for row in rows)
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            for start in range(0, len(rows), LINK_BATCH_SIZE):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows[start : start + LINK_BATCH_SIZE]
                )


def money_rows(rng, projects, today):
    """Budgets (one a year, original, some revised) and yearly disbursements of about 40% of
    ``projects``, in one currency each: (budget rows, transaction total rows) for insert_rows."""
    budgets, totals = [], []
    for project in projects:
        if project.start is None or rng.random() >= 0.4:
            continue
        currency = rng.choice(["EUR", "EUR", "USD", "USD", "AZN", "GBP"])
        last = project.end.year if project.end else project.start.year + 2
        for year in range(project.start.year, min(last, project.start.year + 5) + 1):
            amount = Decimal(rng.randrange(20, 2000) * 1000)
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            budgets.append((project.pk, "original", "committed", start, end, amount, currency, None))
            if rng.random() < 0.2:
                budgets.append((project.pk, "revised", "committed", start, end, amount * 11 / 10, currency, None))
            if year < today.year:
                spent = (amount * rng.randrange(50, 100) / 100).quantize(Decimal("0.01"))
                totals.append((project.pk, year, "disbursement", currency, spent, rng.randrange(1, 13)))
    return budgets, totals


def link(field, pairs):
    """``(record pk, related pk)`` pairs into the table of a many-to-many ``field``."""
    through = field.remote_field.through
    insert_rows(through, (field.m2m_field_name(), field.m2m_reverse_field_name()), list(pairs))


def cite(demo, model, records):
    """Each record cites one demo source (a few sources are cited far more than others)."""
    content_type = ContentType.objects.get_for_model(model).pk
    insert_rows(
        Citation,
        ("source", "content_type", "object_id", "locator"),
        [(demo.sources.one().pk, content_type, record.pk, f"p. {n % 97 + 1}") for n, record in enumerate(records)],
    )


def index(model, records):
    """Search documents for the published ones, by the code the save signals use (reading the
    records back with their relations)."""
    index_records(model, [record.pk for record in records if record.published])


def index_in_hand(model, records):
    """Search documents for the published ones, from the records in hand: each must carry its
    relations as a prefetch would (``_prefetched_objects_cache``, published related records
    only), so the indexer the save signals use reads them without a query. For the big
    tables, where reading a million records back would double the time."""
    indexer = INDEXERS[model]
    content_type = ContentType.objects.get_for_model(model)
    documents = [
        SearchDocument(content_type=content_type, object_id=record.pk, **document_fields(indexer, record))
        for record in records
        if record.published
    ]
    SearchDocument.objects.bulk_create(documents, batch_size=BATCH_SIZE)


@dataclass
class Sizes:
    partners: int
    projects: int
    meetings: int
    agreements: int
    offices: int
    people: int
    topics: int
    sources: int

    @classmethod
    def derive(cls, partners, projects, meetings, agreements=None, offices=None, people=None, topics=None):
        """The sizes asked for, and the rest in proportion to the partners."""
        return cls(
            partners=partners,
            projects=projects,
            meetings=meetings,
            agreements=partners if agreements is None else agreements,
            offices=partners // 2 if offices is None else offices,
            people=partners // 2 if people is None else people,
            topics=min(40, max(partners, 1)) if topics is None else topics,
            sources=max(1, min(500, partners // 20)) if (partners or projects or meetings) else 0,
        )


def generate(sizes, seed=1, report=print, today=None):
    """Add ``sizes`` of demo records to the database; returns {label: (rows, seconds)}."""
    demo = Demo(seed=seed, run=next_run(), today=today or datetime.date.today())
    report(f"Run {demo.run}: slugs start with “{SLUG_PREFIX}-{demo.run}-”; seed {seed}.")
    timings = {}

    def step(label, total, make):
        progress = Progress(report, label, total)
        for count in batches(total):
            with transaction.atomic():
                make(count)
            reset_queries()  # with DEBUG on, Django keeps every statement: megabytes a batch
            progress.add(count)
        timings[label] = (total, progress.seconds)

    demo.taken_names = {name.casefold() for name in Partner.objects.values_list("name", flat=True)}
    topic_names = {name.casefold() for name in Topic.objects.values_list("name", flat=True)}

    def make_topics(count):
        topics = []
        for _ in range(count * 10):
            if len(topics) == count:
                break
            topic = DemoTopicFactory.build(demo=demo)
            if topic.name.casefold() not in topic_names:
                topic_names.add(topic.name.casefold())
                topics.append(topic)
        demo.topics += write(Topic, topics)
        index(Topic, topics)

    step("topics", sizes.topics, make_topics)

    def make_places():
        # Every city the run names (two a country: a few hundred), each a place at its coordinates;
        # those an earlier run made (the same seed names the same cities) are used again.
        existing = Place.objects.filter(kind=Place.Kind.CITY).values_list("name", "country", "pk")
        demo.places.update({(name, code): pk for name, code, pk in existing})
        batch = [
            Place(
                slug=demo.slug("place"),
                name=name,
                country=code,
                kind=Place.Kind.CITY,
                latitude=Decimal(str(latitude)),
                longitude=Decimal(str(longitude)),
            )
            for (name, code), (latitude, longitude) in demo.coordinates().items()
            if (name, code) not in demo.places and len(name) <= 120
        ]
        write(Place, batch)
        demo.places.update({(place.name, place.country.code): place.pk for place in batch})

    if sizes.offices or sizes.meetings or sizes.agreements:
        with transaction.atomic():
            make_places()

    sources = []

    def make_sources(count):
        sources.extend(write(Source, DemoSourceFactory.build_batch(count, demo=demo)))
        index(Source, sources[-count:])

    step("sources", sizes.sources, make_sources)
    demo.sources = Skewed(sources, demo.rng)

    partners = []
    states = {}  # country code -> the demo state's pk: its agencies' parent
    free_countries = [code for code in demo.country_codes() if countries.name(code).casefold() not in demo.taken_names]
    demo.rng.shuffle(free_countries)
    state_total = min(len(free_countries), int(sizes.partners * STATE_SHARE))

    def add_partners(batch):
        write(Partner, batch)
        partners.extend(batch)
        cite(demo, Partner, batch)
        index(Partner, batch)

    def make_states(count):
        batch = []
        for _ in range(count):
            code = free_countries.pop()
            identity = (demo.unique_name(countries.name(code)), Partner.Kind.STATE, Partner.Scope.BILATERAL, code)
            batch.append(DemoPartnerFactory.build(demo=demo, identity=identity))
        add_partners(batch)
        states.update({partner.country.code: partner.pk for partner in batch})

    def make_partners(count):
        batch = [
            DemoPartnerFactory.build(demo=demo, identity=demo.partner_identity(list(states))) for _ in range(count)
        ]
        for partner in batch:
            if partner.kind == Partner.Kind.STATE_AGENCY and partner.country.code in states:
                partner.parent_id = states[partner.country.code]
        add_partners(batch)

    step("states", state_total, make_states)
    step("partners", sizes.partners - state_total, make_partners)
    demo.partners = Skewed(partners, demo.rng)

    people = []

    def make_people(count):
        batch = write(Person, DemoPersonFactory.build_batch(count, demo=demo))
        write(
            Post,
            [DemoPostFactory.build(demo=demo, person=person, organisation=demo.partners.one()) for person in batch],
        )
        people.extend(batch)
        cite(demo, Person, batch)
        index(Person, batch)

    step("people", sizes.people if partners else 0, make_people)
    demo.people = Skewed(people, demo.rng)

    def make_offices(count):
        batch = write(Office, [DemoOfficeFactory.build(demo=demo, partner=demo.partners.one()) for _ in range(count)])
        cite(demo, Office, batch)
        index(Office, batch)

    step("offices", sizes.offices if partners else 0, make_offices)

    agreements = []

    def make_agreements(count):
        parties = [demo.partners.some(demo.rng.choice([2, 2, 2, 3])) for _ in range(count)]
        batch = write(Agreement, [DemoAgreementFactory.build(demo=demo, parties=group) for group in parties])
        link(
            Agreement.parties.field,
            ((agreement.pk, partner.pk) for agreement, group in zip(batch, parties, strict=True) for partner in group),
        )
        link(
            Agreement.topics.field,
            ((agreement.pk, topic.pk) for agreement in batch for topic in demo.some_topics(0, 2)),
        )
        # The actions the summary dates stand for (for every party), as the migration makes them.
        write(
            AgreementAction,
            [
                AgreementAction(
                    agreement_id=agreement.pk,
                    kind=kind,
                    date=getattr(agreement, name),
                    place=agreement.signed_place if name == "signed" else "",
                    location_id=demo.location_named(agreement.signed_place) if name == "signed" else None,
                )
                for agreement in batch
                for name, kind in ACTION_OF_SUMMARY
                if getattr(agreement, name) is not None
            ],
        )
        agreements.extend(agreement.pk for agreement in batch)
        cite(demo, Agreement, batch)
        index(Agreement, batch)

    step("agreements", sizes.agreements if len(partners) >= 2 else 0, make_agreements)
    demo.agreements = Skewed(agreements, demo.rng)

    projects = []
    other_roles = [ProjectPartner.Role.FUNDING, ProjectPartner.Role.BENEFICIARY, ProjectPartner.Role.OTHER]

    def make_projects(count):
        groups = [demo.partners.some(demo.rng.choice([1, 2, 2, 3, 3, 4])) for _ in range(count)]
        batch = write(Project, [DemoProjectFactory.build(demo=demo, partner=group[0]) for group in groups])
        roles = [
            [
                (partner, ProjectPartner.Role.IMPLEMENTING if n == 0 else demo.rng.choice(other_roles))
                for n, partner in enumerate(group)
            ]
            for group in groups
        ]
        insert_rows(
            ProjectPartner,
            ("project", "partner", "role", "note", "note_az", "note_ru"),
            [
                (project.pk, partner.pk, role, "", "", "")
                for project, pairs in zip(batch, roles, strict=True)
                for partner, role in pairs
            ],
        )
        topics = [demo.some_topics(1, 4) for _ in batch]
        link(
            Project.topics.field,
            ((project.pk, topic.pk) for project, chosen in zip(batch, topics, strict=True) for topic in chosen),
        )
        link(
            Project.agreements.field,
            (
                (project.pk, agreement)
                for project in batch
                if demo.agreements and demo.rng.random() < 0.3
                for agreement in demo.agreements.some(demo.rng.randint(1, 2))
            ),
        )
        for project, pairs, chosen in zip(batch, roles, topics, strict=True):
            project._prefetched_objects_cache = {
                "project_partners": [
                    ProjectPartner(project=project, partner=p, role=r) for p, r in pairs if p.published
                ],
                "topics": [topic for topic in chosen if topic.published],
            }
        budgets, totals = money_rows(demo.rng, batch, demo.today)
        fields = ("project", "kind", "status", "period_start", "period_end", "amount", "currency", "value_date")
        insert_rows(Budget, fields, budgets)
        insert_rows(TransactionTotal, ("project", "year", "kind", "currency", "amount", "count"), totals)
        projects.extend(project.pk for project in batch)
        cite(demo, Project, batch)
        index_in_hand(Project, batch)

    step("projects", sizes.projects if partners else 0, make_projects)
    demo.projects = Skewed(projects, demo.rng)

    def make_meetings(count):
        groups = [demo.partners.some(demo.rng.choice([1, 1, 2, 2, 2, 3, 4])) for _ in range(count)]
        batch = write(Meeting, [DemoMeetingFactory.build(demo=demo, partners=group) for group in groups])
        link(Meeting.partners.field, ((m.pk, p.pk) for m, group in zip(batch, groups, strict=True) for p in group))
        participants = [demo.people.some(demo.rng.randint(1, 3)) if demo.rng.random() < 0.4 else [] for _ in batch]
        link(
            Meeting.participants.field,
            ((m.pk, person.pk) for m, chosen in zip(batch, participants, strict=True) for person in chosen),
        )
        for field_, pool, share, most in (
            (Meeting.agreements.field, demo.agreements, 0.1, 1),
            (Meeting.projects.field, demo.projects, 0.3, 2),
        ):
            link(field_, ((m.pk, pk) for m in batch if pool and demo.rng.random() < share for pk in pool.some(most)))
        for meeting, group, chosen in zip(batch, groups, participants, strict=True):
            meeting._prefetched_objects_cache = {
                "partners": [partner for partner in group if partner.published],
                "participants": [person for person in chosen if person.published],
            }
        cite(demo, Meeting, batch)
        index_in_hand(Meeting, batch)

    step("meetings", sizes.meetings if partners else 0, make_meetings)

    if connection.vendor == "postgresql":
        # Planner statistics for the new rows now, rather than whenever autovacuum comes by.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings["analyze"] = (0, time.perf_counter() - started)
    data_changed()  # bulk inserts send no signals: cached counts must be recomputed
    return demo.run, timings
