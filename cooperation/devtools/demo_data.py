"""Demo data at scale, for trying the registry and for ``manage.py benchmark``.

:func:`generate` adds partners, their offices and officials, agreements, projects and
meetings (with topics, sources and citations of their own) to whatever the database holds:

- **factory-boy builds, bulk inserts write.** Each record is made by a factory below with
  ``build()`` (an unsaved model instance with realistic values) and written with
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

import calendar
import datetime
import io
import itertools
import random
import string
import time
from dataclasses import dataclass, field

import factory
from django.contrib.contenttypes.models import ContentType
from django.db import connection, reset_queries, transaction
from django_countries import countries
from faker import Faker

from cooperation.core.cache import data_changed
from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Citation, Project, ProjectPartner, SearchDocument, Source, Topic
from cooperation.search import index_records
from cooperation.search.documents import INDEXERS
from cooperation.search.documents import _document_fields as document_fields
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

SLUG_PREFIX = "demo"
DEMO_NOTE = "A demonstration record made by generate_demo_data; it is not part of the registry's sources."
DRAFT_SHARE = 0.1
FIRST_YEAR, LAST_YEAR = 1990, 2030
BATCH_SIZE = 2000  # records built and written at a time
LINK_BATCH_SIZE = 5000  # rows of a many-to-many table in one INSERT
ZIPF_EXPONENT = 1.0

RECORD_MODELS = (Partner, Office, Person, Topic, Source, Agreement, Project, Meeting)

# Vocabulary ---------------------------------------------------------------------------------

TOPIC_BASES = [
    "Anti-trafficking", "Asylum", "Awareness raising", "Border management", "Capacity building",
    "Climate mobility", "Consular cooperation", "Diaspora engagement", "Document security",
    "Family reunification", "Integration", "Internally displaced persons", "Irregular migration",
    "Labour migration", "Legislation", "Migrant health", "Migrants' rights", "Migration data",
    "Migration management", "Readmission", "Refugee protection", "Remittances", "Reintegration",
    "Resettlement", "Return counselling", "Student mobility", "Visa facilitation", "Voluntary return",
]  # fmt: skip
REGIONS = [
    "South Caucasus", "Central Asia", "Eastern Europe", "Western Balkans", "Black Sea region",
    "Mediterranean", "Middle East", "Gulf states", "Silk Route countries", "Eastern Partnership",
]  # fmt: skip
AGENCIES = [
    "Ministry of Interior", "Ministry of Foreign Affairs", "Ministry of Labour and Social Protection",
    "Ministry of Justice", "Ministry of Health", "Ministry of Education", "State Border Service",
    "Migration Service", "Border Police", "Police Academy", "State Statistics Committee",
    "Office of the Ombudsman", "Consular Department", "Employment Agency", "Refugee Commission",
]  # fmt: skip
NGO_PATTERNS = [
    "{name} Foundation for Migrants", "{name} Refugee Council", "{name} Centre for Migration Studies",
    "Friends of {name}", "{name} Legal Aid Network", "{name} Institute of Mobility Research",
    "{name} Humanitarian Alliance", "{name} Human Rights Watch Group",
]  # fmt: skip
ORGANISATION_PATTERNS = [
    "International Centre for {topic}", "Regional Office for {topic} in the {region}",
    "{region} Council on {topic}", "Global Alliance for {topic}", "{region} {topic} Network",
    "Joint Commission on {topic} of the {region}", "{region} Dialogue on {topic}",
]  # fmt: skip
PARTNER_KINDS = [  # (kind, scope, weight)
    (Partner.Kind.STATE_AGENCY, Partner.Scope.BILATERAL, 40),
    (Partner.Kind.NGO, Partner.Scope.MULTILATERAL, 20),
    (Partner.Kind.INTERNATIONAL_ORGANISATION, Partner.Scope.MULTILATERAL, 15),
    (Partner.Kind.GOVERNING_BODY, Partner.Scope.MULTILATERAL, 5),
    (Partner.Kind.EU_BODY, Partner.Scope.MULTILATERAL, 4),
    (Partner.Kind.DIALOGUE_PROCESS, Partner.Scope.MULTILATERAL, 4),
    (Partner.Kind.OTHER, Partner.Scope.BILATERAL, 12),
]
STATE_SHARE = 0.05  # of the partners, states (as long as there are countries left)
MEETING_KINDS = {
    Meeting.Kind.VISIT: 20, Meeting.Kind.BILATERAL_MEETING: 25, Meeting.Kind.GOVERNING_BODY_SESSION: 5,
    Meeting.Kind.SUMMIT: 2, Meeting.Kind.CONFERENCE: 12, Meeting.Kind.TRAINING: 14,
    Meeting.Kind.WORKING_GROUP: 10, Meeting.Kind.SIGNING_CEREMONY: 3, Meeting.Kind.EXPERT_MEETING: 6,
    Meeting.Kind.OTHER: 3,
}  # fmt: skip
AGREEMENT_KINDS = {
    Agreement.Kind.COOPERATION_AGREEMENT: 30, Agreement.Kind.MEMORANDUM: 30,
    Agreement.Kind.READMISSION_AGREEMENT: 8, Agreement.Kind.VISA_FACILITATION: 5,
    Agreement.Kind.JOINT_DECLARATION: 10, Agreement.Kind.ACCESSION: 2, Agreement.Kind.ACTION_PLAN: 8,
    Agreement.Kind.MULTILATERAL_AGREEMENT: 5, Agreement.Kind.OTHER: 2,
}  # fmt: skip
PROJECT_VERBS = [
    "Strengthening", "Supporting", "Improving", "Building capacity for", "Enhancing", "Promoting",
    "Developing", "Modernising", "Assisting",
]  # fmt: skip
POST_TITLES = ["Minister", "Deputy Minister", "Director General", "Head of Department", "Ambassador",
               "Chief of Mission", "Director", "Programme Manager", "Head of Unit"]  # fmt: skip
PHASES = ["Phase I", "Phase II", "Phase III", "Phase IV"]


# Random choices ------------------------------------------------------------------------------


class Skewed:
    """Picks from ``items`` with Zipf weights over a shuffled order: a few items are picked
    far more often than the rest (the first of them about a tenth of the time for 10,000)."""

    def __init__(self, items, rng, exponent=ZIPF_EXPONENT):
        self.items = list(items)
        rng.shuffle(self.items)
        self.rng = rng
        self.cum_weights = list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(self.items))))

    def __len__(self):
        return len(self.items)

    def one(self):
        return self.rng.choices(self.items, cum_weights=self.cum_weights)[0]

    def some(self, count):
        """``count`` distinct items (fewer if there are fewer)."""
        count = min(count, len(self.items))
        chosen = []
        for _ in range(count * 20):
            if len(chosen) == count:
                break
            item = self.one()
            if item not in chosen:
                chosen.append(item)
        return chosen


def weighted(rng, weights):
    """One key of ``weights`` ({value: weight})."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Demo:
    """One run: its random sources, slug prefix, counters and the records made so far."""

    seed: int
    run: int
    today: datetime.date = field(default_factory=datetime.date.today)
    draft_share: float = DRAFT_SHARE

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.faker = Faker()
        self.faker.seed_instance(self.seed)
        self.counters = {}
        self.cities = [(self.faker.city(), code) for code in self.country_codes() for _ in range(2)]
        self.rng.shuffle(self.cities)
        self.topics = []  # Topic records of this run
        self.sources = None  # Skewed Source records
        self.partners = None  # Skewed Partner records
        self.people = None  # Skewed Person pks
        self.agreements = None  # Skewed Agreement pks
        self.projects = None  # Skewed Project pks
        self.taken_names = set()

    @staticmethod
    def country_codes():
        return [code for code, _name in countries]

    def slug(self, kind):
        number = self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{SLUG_PREFIX}-{self.run}-{kind}-{number}"

    def published(self):
        return self.rng.random() >= self.draft_share

    def city(self):
        return self.rng.choice(self.cities)

    def some_topics(self, fewest, most):
        return self.rng.sample(self.topics, min(len(self.topics), self.rng.randint(fewest, most)))

    def topic_phrase(self):
        return self.rng.choice(self.topics).name.split(" (")[0].lower() if self.topics else "migration"

    def unique_name(self, name, limit=200):
        """``name``, or ``name`` with a city (then a number), that no partner has yet."""
        candidate, number = name[:limit], 1
        if candidate.casefold() in self.taken_names:
            suffix = f", {self.city()[0]}"
            candidate = name[: limit - len(suffix)] + suffix
            name = candidate
        while candidate.casefold() in self.taken_names:
            number += 1
            suffix = f" ({number})"
            candidate = name[: limit - len(suffix)] + suffix
        self.taken_names.add(candidate.casefold())
        return candidate

    # Partial dates -------------------------------------------------------------------------

    def partial_date(self, first_year, last_year, year_share=0.2, month_share=0.3):
        year = self.rng.randint(first_year, last_year)
        roll = self.rng.random()
        if roll < year_share:
            return PartialDate(year)
        month = self.rng.randint(1, 12)
        if roll < year_share + month_share:
            return PartialDate(year, month)
        return PartialDate(year, month, self.rng.randint(1, calendar.monthrange(year, month)[1]))

    def later(self, max_years, *starts, year_share=0.3, month_share=0.4):
        """A partial date 0 to ``max_years`` after the latest of ``starts`` (None ones left out)
        that may end a period begun on any of them."""
        starts = [start for start in starts if start is not None]
        latest = max(start.year for start in starts)
        year = min(latest + self.rng.randint(0, max_years), 9999)
        end = self.partial_date(year, year, year_share, month_share)
        return end if all(end.may_end(start) for start in starts) else PartialDate(latest)

    def meeting_end(self, start):
        """Meetings over several days: a day-precise end 1–4 days on, or the next month."""
        if start is None:
            return None
        if start.day is not None and self.rng.random() < 0.3:
            last = start.first_day + datetime.timedelta(days=self.rng.randint(1, 4))
            return PartialDate.from_date(last) if last.year <= LAST_YEAR else None
        if start.day is None and start.month is not None and start.month < 12 and self.rng.random() < 0.1:
            return PartialDate(start.year, start.month + 1)
        return None

    def project_status(self, start, end):
        this_year = self.today.year
        if self.rng.random() < 0.05:
            return Project.Status.UNKNOWN
        if start.year > this_year:
            return Project.Status.PLANNED
        if end is not None and end.year < this_year:
            return Project.Status.COMPLETED
        if end is None and start.year < this_year - 8:
            return Project.Status.COMPLETED
        return Project.Status.ONGOING

    # Partners ----------------------------------------------------------------------------

    def acronym(self, name):
        letters = "".join(word[0] for word in name.replace("-", " ").split() if word[0] in string.ascii_uppercase)
        return letters[:12] if len(letters) >= 2 else ""

    def partner_identity(self, country_codes_left):
        """(name, kind, scope, country) of a new partner other than a state."""
        kind, scope, _ = self.rng.choices(PARTNER_KINDS, weights=[w for *_, w in PARTNER_KINDS])[0]
        code, country_name = "", ""
        if kind == Partner.Kind.STATE_AGENCY:
            code = self.rng.choice(country_codes_left or self.country_codes())
            country_name = countries.name(code)
            name = f"{self.rng.choice(AGENCIES)} of {country_name}"
        elif kind == Partner.Kind.NGO:
            name = self.rng.choice(NGO_PATTERNS).format(name=self.faker.last_name())
        elif kind == Partner.Kind.OTHER:
            code = self.rng.choice(self.country_codes())
            name = f"{self.faker.company()} {self.rng.choice(['Institute', 'University', 'Association', 'Agency'])}"
        else:
            pattern = self.rng.choice(ORGANISATION_PATTERNS)
            name = pattern.format(topic=self.topic_phrase().capitalize(), region=self.rng.choice(REGIONS))
            if kind == Partner.Kind.GOVERNING_BODY:
                name = f"{self.rng.choice(['Council', 'Executive Committee', 'Assembly', 'Board'])} of the {name}"
        return self.unique_name(name), kind, scope, code


# Factories -------------------------------------------------------------------------------------
# Each builds one unsaved record from the run's random sources (``demo``, a factory parameter
# the model never sees); the generator writes them with bulk_create.


class DemoFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    class Params:
        demo = None

    published = factory.LazyAttribute(lambda o: o.demo.published())


class DemoTopicFactory(DemoFactory):
    class Meta:
        model = Topic

    class Params:
        base = factory.LazyAttribute(lambda o: o.demo.rng.choice(TOPIC_BASES))

    slug = factory.LazyAttribute(lambda o: o.demo.slug("topic"))
    name = factory.LazyAttribute(lambda o: f"{o.base} ({o.demo.rng.choice(REGIONS)}, demo {o.demo.run})")
    description = factory.LazyAttribute(lambda o: f"Cooperation on {o.base.lower()}. {DEMO_NOTE}")
    published = True  # every demo topic is public, so facets and topic pages have them


class DemoSourceFactory(DemoFactory):
    class Meta:
        model = Source

    class Params:
        publisher_name = factory.LazyAttribute(lambda o: f"{o.demo.faker.last_name()} {o.demo.rng.choice(AGENCIES)}")

    slug = factory.LazyAttribute(lambda o: o.demo.slug("source"))
    kind = factory.LazyAttribute(lambda o: o.demo.rng.choice(Source.Kind.values))
    date = factory.LazyAttribute(lambda o: o.demo.partial_date(FIRST_YEAR, o.demo.today.year))
    title = factory.LazyAttribute(lambda o: f"{o.publisher_name}: annual report {o.date.year}")
    publisher = factory.LazyAttribute(lambda o: o.publisher_name)
    url = factory.LazyAttribute(lambda o: f"https://example.org/demo/{o.slug}")
    notes = DEMO_NOTE
    published = True


class DemoPartnerFactory(DemoFactory):
    """Pass ``identity=(name, kind, scope, country)``."""

    class Meta:
        model = Partner

    class Params:
        identity = None

    slug = factory.LazyAttribute(lambda o: o.demo.slug("partner"))
    name = factory.LazyAttribute(lambda o: o.identity[0])
    acronym = factory.LazyAttribute(lambda o: o.demo.acronym(o.identity[0]))
    kind = factory.LazyAttribute(lambda o: o.identity[1])
    scope = factory.LazyAttribute(lambda o: o.identity[2])
    country = factory.LazyAttribute(lambda o: o.identity[3])
    headquarters = factory.LazyAttribute(lambda o: "{}, {}".format(*o.demo.city()) if o.demo.rng.random() < 0.6 else "")
    founded = factory.LazyAttribute(lambda o: o.demo.partial_date(1900, 2020, 0.7, 0.2))
    website = factory.LazyAttribute(lambda o: f"https://example.org/{o.slug}")
    description = factory.LazyAttribute(lambda o: f"{o.demo.faker.catch_phrase()}. {DEMO_NOTE}")


class DemoPersonFactory(DemoFactory):
    class Meta:
        model = Person

    slug = factory.LazyAttribute(lambda o: o.demo.slug("person"))
    name = factory.LazyAttribute(lambda o: o.demo.faker.name())
    description = DEMO_NOTE


class DemoPostFactory(factory.django.DjangoModelFactory):
    """Pass ``person`` and ``organisation``."""

    class Meta:
        model = Post

    class Params:
        demo = None

    title = factory.LazyAttribute(lambda o: o.demo.rng.choice(POST_TITLES))
    start = factory.LazyAttribute(lambda o: o.demo.partial_date(FIRST_YEAR, o.demo.today.year, 0.5, 0.3))
    end = factory.LazyAttribute(lambda o: o.demo.later(8, o.start) if o.demo.rng.random() < 0.7 else None)


class DemoOfficeFactory(DemoFactory):
    """Pass ``partner``."""

    class Meta:
        model = Office

    class Params:
        place = factory.LazyAttribute(lambda o: o.demo.city())

    slug = factory.LazyAttribute(lambda o: o.demo.slug("office"))
    kind = factory.LazyAttribute(lambda o: o.demo.rng.choice(Office.Kind.values))
    name = factory.LazyAttribute(lambda o: f"{o.partner.acronym or o.partner.name} office in {o.place[0]}"[:200])
    city = factory.LazyAttribute(lambda o: o.place[0])
    country = factory.LazyAttribute(lambda o: o.place[1])
    opened = factory.LazyAttribute(lambda o: o.demo.partial_date(FIRST_YEAR, o.demo.today.year, 0.5, 0.3))
    closed = factory.LazyAttribute(lambda o: o.demo.later(15, o.opened) if o.demo.rng.random() < 0.2 else None)
    description = DEMO_NOTE


class DemoAgreementFactory(DemoFactory):
    """Pass ``parties`` (Partner records): they name it."""

    class Meta:
        model = Agreement

    class Params:
        parties = ()
        topic = factory.LazyAttribute(lambda o: o.demo.topic_phrase())

    slug = factory.LazyAttribute(lambda o: o.demo.slug("agreement"))
    kind = factory.LazyAttribute(lambda o: weighted(o.demo.rng, AGREEMENT_KINDS))
    title = factory.LazyAttribute(
        lambda o: (
            f"{Agreement.Kind(o.kind).label} between "
            + " and ".join(partner.name for partner in o.parties)
            + f" on {o.topic}"
        )
    )
    short_title = factory.LazyAttribute(
        lambda o: f"{'–'.join(p.acronym or p.name for p in o.parties)} {o.topic} {o.signed.year if o.signed else ''}"[
            :120
        ].strip()
    )
    signed = factory.LazyAttribute(lambda o: o.demo.partial_date(FIRST_YEAR, o.demo.today.year, 0.15, 0.25))
    signed_place = factory.LazyAttribute(lambda o: o.demo.city()[0])
    ratified = factory.LazyAttribute(lambda o: o.demo.later(2, o.signed) if o.demo.rng.random() < 0.4 else None)
    in_force = factory.LazyAttribute(
        lambda o: o.demo.later(1, o.signed, o.ratified) if o.demo.rng.random() < 0.5 else None
    )
    ended = factory.LazyAttribute(
        lambda o: o.demo.later(10, o.signed, o.ratified, o.in_force) if o.demo.rng.random() < 0.15 else None
    )
    description = factory.LazyAttribute(lambda o: f"Cooperation on {o.topic}. {DEMO_NOTE}")


class DemoProjectFactory(DemoFactory):
    """Pass ``partner`` (the implementing partner, which names it)."""

    class Meta:
        model = Project

    class Params:
        partner = None
        topic = factory.LazyAttribute(lambda o: o.demo.topic_phrase())
        place = factory.LazyAttribute(lambda o: o.demo.city())

    slug = factory.LazyAttribute(lambda o: o.demo.slug("project"))
    title = factory.LazyAttribute(
        lambda o: (
            f"{o.demo.rng.choice(PROJECT_VERBS)} {o.topic} in {countries.name(o.place[1]) or o.place[0]}"
            f" with {o.partner.acronym or o.partner.name}"
        )
    )
    short_title = factory.LazyAttribute(lambda o: o.demo.acronym(o.title.title())[:8])
    phase = factory.LazyAttribute(lambda o: o.demo.rng.choice(PHASES) if o.demo.rng.random() < 0.2 else "")
    start = factory.LazyAttribute(lambda o: o.demo.partial_date(FIRST_YEAR, LAST_YEAR - 2, 0.4, 0.4))
    end = factory.LazyAttribute(lambda o: o.demo.later(6, o.start) if o.demo.rng.random() < 0.85 else None)
    status = factory.LazyAttribute(lambda o: o.demo.project_status(o.start, o.end))
    description = factory.LazyAttribute(lambda o: f"A project on {o.topic} in {o.place[0]}. {DEMO_NOTE}")


class DemoMeetingFactory(DemoFactory):
    """Pass ``partners`` (Partner records, the first the main one): they name it."""

    class Meta:
        model = Meeting

    class Params:
        partners = ()
        topic = factory.LazyAttribute(lambda o: o.demo.topic_phrase())
        place = factory.LazyAttribute(lambda o: o.demo.city())

    slug = factory.LazyAttribute(lambda o: o.demo.slug("meeting"))
    kind = factory.LazyAttribute(lambda o: weighted(o.demo.rng, MEETING_KINDS))
    title = factory.LazyAttribute(lambda o: meeting_title(o.kind, o.partners, o.topic, o.place[0], o.demo.rng))
    start = factory.LazyAttribute(
        lambda o: o.demo.partial_date(FIRST_YEAR, LAST_YEAR, 0.15, 0.3) if o.demo.rng.random() < 0.97 else None
    )
    end = factory.LazyAttribute(lambda o: o.demo.meeting_end(o.start))
    city = factory.LazyAttribute(lambda o: o.place[0])
    country = factory.LazyAttribute(lambda o: o.place[1])
    participants_note = factory.LazyAttribute(
        lambda o: "Experts of the partners' migration services" if o.demo.rng.random() < 0.1 else ""
    )
    description = factory.LazyAttribute(lambda o: f"Discussed {o.topic}. {DEMO_NOTE}")


def short(partner):
    return partner.acronym or partner.name


def meeting_title(kind, partners, topic, city, rng):
    first = short(partners[0]) if partners else "partner"
    titles = {
        Meeting.Kind.VISIT: f"Visit of a {first} delegation to {city}",
        Meeting.Kind.BILATERAL_MEETING: (
            f"{first}–{short(partners[1])} consultations on {topic}"
            if len(partners) > 1
            else f"Bilateral meeting with {first} on {topic}"
        ),
        Meeting.Kind.GOVERNING_BODY_SESSION: f"Session {rng.randint(1, 120)} of the {first} governing council",
        Meeting.Kind.SUMMIT: f"{first} summit in {city}",
        Meeting.Kind.CONFERENCE: f"Conference on {topic} in {city}",
        Meeting.Kind.TRAINING: f"Training on {topic} with {first}",
        Meeting.Kind.WORKING_GROUP: f"{first} working group on {topic}",
        Meeting.Kind.SIGNING_CEREMONY: f"Signing ceremony with {first} in {city}",
        Meeting.Kind.EXPERT_MEETING: f"Expert meeting on {topic} with {first}",
        Meeting.Kind.OTHER: f"Round table on {topic} in {city}",
    }
    return titles[kind][:400]


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
            ("project", "partner", "role", "note"),
            [
                (project.pk, partner.pk, role, "")
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
