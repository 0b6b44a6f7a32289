"""One factory per model. Records are published unless a test says otherwise."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from cooperation.core.partial_dates import PartialDate
from cooperation.models import (
    Agreement,
    AgreementAction,
    Budget,
    BudgetKind,
    Citation,
    Claim,
    Place,
    Project,
    ProjectPartner,
    Source,
    Topic,
    TransactionKind,
    TransactionTotal,
)
from cooperation.models.actions import deferred_summary
from events.models import Meeting
from partners.models import Office, Partner, Person, Post


class RecordFactory(factory.django.DjangoModelFactory):
    published = True

    class Meta:
        abstract = True


class PartnerFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    acronym = factory.Sequence(lambda n: f"PO{n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Partner.Kind.INTERNATIONAL_ORGANISATION
    scope = Partner.Scope.MULTILATERAL

    class Meta:
        model = Partner


class OfficeFactory(RecordFactory):
    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Field office {n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    kind = Office.Kind.FIELD_OFFICE
    city = "Baku"
    country = "AZ"
    opened = PartialDate(1998)

    class Meta:
        model = Office


class PersonFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Official {n}")
    slug = factory.Sequence(lambda n: f"official-{n}")

    class Meta:
        model = Person


class PostFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    title = "Director General"
    organisation = factory.SubFactory(PartnerFactory)
    start = PartialDate(2008, 10)

    class Meta:
        model = Post


class TopicFactory(RecordFactory):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic


class SourceFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Source document {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    publisher = "Ministry of Foreign Affairs"

    class Meta:
        model = Source


class CitationFactory(factory.django.DjangoModelFactory):
    source = factory.SubFactory(SourceFactory)
    content_object = factory.SubFactory(PartnerFactory)
    locator = factory.Sequence(lambda n: f"paragraph {n}")

    class Meta:
        model = Citation


class ClaimFactory(factory.django.DjangoModelFactory):
    content_object = factory.SubFactory("tests.factories.AgreementFactory")
    field = "signed"
    value = "8 December 1999"
    source = factory.SubFactory(SourceFactory)

    class Meta:
        model = Claim


class AgreementFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Cooperation Agreement {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    kind = Agreement.Kind.COOPERATION_AGREEMENT
    signed = PartialDate(1999, 12, 8)

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)

    @factory.post_generation
    def actions(self, create, extracted, **kwargs):
        """The actions the summary dates given record (for every party), as the migration
        makes them: ``AgreementFactory(signed=…)`` is an agreement with that signature."""
        if not create or extracted is False:
            return
        with deferred_summary():  # saved one by one, so they have their history rows, as the migration gives
            for name, kind in SUMMARY_KINDS:
                if getattr(self, name) is not None or (name == "signed" and self.signed_place):
                    place = self.signed_place if name == "signed" else ""
                    AgreementAction.objects.create(agreement=self, kind=kind, date=getattr(self, name), place=place)


SUMMARY_KINDS = [
    ("signed", "signature"),
    ("ratified", "ratification"),
    ("in_force", "entry-into-force"),
    ("ended", "termination"),
]


class AgreementActionFactory(factory.django.DjangoModelFactory):
    agreement = factory.SubFactory(AgreementFactory, signed=None, actions=False)
    kind = AgreementAction.Kind.SIGNATURE
    date = PartialDate(2001, 5, 3)

    class Meta:
        model = AgreementAction


class ProjectFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Capacity Building Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    start = PartialDate(2014)
    status = Project.Status.ONGOING

    class Meta:
        model = Project
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class ProjectPartnerFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(ProjectFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = ProjectPartner.Role.IMPLEMENTING

    class Meta:
        model = ProjectPartner


class MeetingFactory(RecordFactory):
    title = factory.Sequence(lambda n: f"Working meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    kind = Meeting.Kind.BILATERAL_MEETING
    start = PartialDate(2016, 12, 5)
    city = "Geneva"
    country = "CH"

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True
        django_get_or_create = ["username"]


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class BudgetFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(ProjectFactory)
    kind = BudgetKind.ORIGINAL
    period_start = datetime.date(2020, 1, 1)
    period_end = factory.LazyAttribute(lambda budget: datetime.date(budget.period_start.year, 12, 31))
    amount = Decimal("100000.00")
    currency = "EUR"

    class Meta:
        model = Budget


class TransactionTotalFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(ProjectFactory)
    year = 2020
    kind = TransactionKind.DISBURSEMENT
    currency = "EUR"
    amount = Decimal("50000.00")
    count = 1

    class Meta:
        model = TransactionTotal


class IatiTopicMappingFactory(factory.django.DjangoModelFactory):
    element = "sector"
    vocabulary = "1"
    code = "15190"
    topic = factory.SubFactory(TopicFactory)

    class Meta:
        model = "cooperation.IatiTopicMapping"


class PlaceFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    country = "AZ"
    kind = Place.Kind.CITY
    latitude = "40.409300"
    longitude = "49.867100"

    class Meta:
        model = Place
