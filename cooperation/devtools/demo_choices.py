"""What a demo run picks from, and how (``manage.py generate_demo_data``; see demo_data.py).

The vocabulary of names, kinds and titles; :class:`Skewed`, whose picks follow a Zipf
distribution (a few partners own most of the links); and :class:`Demo`, one run's random
sources (one ``random.Random(seed)`` and a Faker seeded from it), slug counters, partial dates
and partner names. Everything here is reproducible from the seed.
"""

import calendar
import datetime
import itertools
import random
import string
from dataclasses import dataclass, field

from django_countries import countries
from faker import Faker

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Project
from events.models import Meeting
from partners.models import Partner

SLUG_PREFIX = "demo"
DRAFT_SHARE = 0.1
FIRST_YEAR, LAST_YEAR = 1990, 2030
ZIPF_EXPONENT = 1.0

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
        self.places = {}  # (city, country code) -> the pk of its Place (make_places)

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

    def location_id(self, place):
        """The pk of the Place of ``place`` (city, country code), None before the places are made."""
        return self.places.get(place)

    def location_named(self, name):
        """The pk of a Place of the city ``name`` (in whichever country), None if none."""
        if not hasattr(self, "_places_by_name") or len(self._places_by_name) < len(self.places):
            self._places_by_name = {city: pk for (city, _code), pk in self.places.items()}
        return self._places_by_name.get(name)

    def coordinates(self):
        """(latitude, longitude) of each city: a country's cities near a point drawn for it (not
        the real places: demo data for the map, inhabited latitudes only)."""
        anchors, found = {}, {}
        for name, code in self.cities:
            if code not in anchors:
                anchors[code] = (self.rng.uniform(-45, 65), self.rng.uniform(-170, 175))
            latitude, longitude = anchors[code]
            found[(name, code)] = (
                round(latitude + self.rng.uniform(-2, 2), 4),
                round(max(-180, min(180, longitude + self.rng.uniform(-3, 3))), 4),
            )
        return found

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
