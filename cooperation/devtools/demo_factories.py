"""The factory-boy factories of demo records (``manage.py generate_demo_data``; see demo_data.py).

Each builds one unsaved record from the run's random sources (``demo``, a factory parameter
the model never sees, a :class:`~cooperation.devtools.demo_choices.Demo`); the generator writes
them with bulk_create.
"""

import factory
from django_countries import countries

from cooperation.devtools.demo_choices import (
    AGENCIES,
    AGREEMENT_KINDS,
    FIRST_YEAR,
    LAST_YEAR,
    MEETING_KINDS,
    PHASES,
    POST_TITLES,
    PROJECT_VERBS,
    REGIONS,
    TOPIC_BASES,
    weighted,
)
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

DEMO_NOTE = "A demonstration record made by generate_demo_data; it is not part of the registry's sources."


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
    location_id = factory.LazyAttribute(lambda o: o.demo.location_id(o.place))
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
    location_id = factory.LazyAttribute(lambda o: o.demo.location_id(o.place))
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
