"""Throwaway rows for ``manage.py measure_export`` and ``measure_import``.

:class:`Builder` makes rows of one list, with related records for every relation the export
reads, by bulk_create (no signals: no search indexing); the commands make them inside a
transaction and raise :class:`Rollback` at the end, so nothing of it stays.
"""

from django.contrib.contenttypes.models import ContentType

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, AgreementAction, Citation, Project, ProjectPartner, Source, Topic
from cooperation.models.actions import ActionKind
from events.models import Meeting
from partners.models import Office, Partner, Person, Post

BATCH = 2000
POOL = 20  # related records each list's rows point at


class Rollback(Exception):
    pass


class Builder:
    """Makes ``count`` rows of one list with bulk_create (no signals: no search indexing)."""

    def __init__(self, token):
        self.token = token
        self.sequence = 0

    def slug(self, kind):
        self.sequence += 1
        return f"bench-{self.token}-{kind}-{self.sequence}"

    def pool(self):
        self.partner_pool = Partner.objects.bulk_create(
            Partner(
                slug=self.slug("partner"),
                name=f"Benchmark partner {self.token} {n}",
                acronym=f"BP{n}",
                kind=Partner.Kind.INTERNATIONAL_ORGANISATION,
                scope=Partner.Scope.MULTILATERAL,
                published=True,
            )
            for n in range(POOL)
        )
        self.topic_pool = Topic.objects.bulk_create(
            Topic(slug=self.slug("topic"), name=f"Benchmark topic {self.token} {n}", published=True)
            for n in range(POOL)
        )
        self.person_pool = Person.objects.bulk_create(
            Person(slug=self.slug("person"), name=f"Benchmark official {n}", published=True) for n in range(POOL)
        )
        self.agreement_pool = Agreement.objects.bulk_create(
            Agreement(
                slug=self.slug("agreement"),
                title=f"Benchmark agreement {n}",
                kind=Agreement.Kind.COOPERATION_AGREEMENT,
                signed=PartialDate(2000 + n % 20, 1 + n % 12, 1 + n % 28),
                published=True,
            )
            for n in range(POOL)
        )
        self.project_pool = Project.objects.bulk_create(
            Project(slug=self.slug("project"), title=f"Benchmark project {n}", start=PartialDate(2010), published=True)
            for n in range(POOL)
        )
        self.source_pool = Source.objects.bulk_create(
            Source(slug=self.slug("source"), title=f"Benchmark source {n}", published=True) for n in range(POOL)
        )

    def cite(self, model, records):
        content_type = ContentType.objects.get_for_model(model)
        Citation.objects.bulk_create(
            Citation(source=self.source_pool[n % POOL], content_type=content_type, object_id=record.pk)
            for n, record in enumerate(records)
        )

    def many(self, through, owner, target, records, pool, per_row=1):
        through.objects.bulk_create(
            through(**{f"{owner}_id": record.pk, f"{target}_id": pool[(n + k) % POOL].pk})
            for n, record in enumerate(records)
            for k in range(per_row)
        )

    # One method a list: make ``count`` rows and their relations.

    def meetings(self, count):
        records = Meeting.objects.bulk_create(
            Meeting(
                slug=self.slug("meeting"),
                title=f"Benchmark meeting {n}",
                kind=Meeting.Kind.BILATERAL_MEETING,
                start=PartialDate(2000 + n % 20, 1 + n % 12, 1 + n % 28),
                city="Geneva",
                country="CH",
                description="A meeting made by measure_export, rolled back when it ends.",
                published=True,
            )
            for n in range(count)
        )
        self.many(Meeting.partners.through, "meeting", "partner", records, self.partner_pool, per_row=2)
        self.many(Meeting.participants.through, "meeting", "person", records, self.person_pool)
        self.many(Meeting.agreements.through, "meeting", "agreement", records, self.agreement_pool)
        self.many(Meeting.projects.through, "meeting", "project", records, self.project_pool)
        self.cite(Meeting, records)

    def projects(self, count):
        records = Project.objects.bulk_create(
            Project(
                slug=self.slug("project"),
                title=f"Benchmark project {n}",
                start=PartialDate(2000 + n % 20),
                end=PartialDate(2021),
                status=Project.Status.COMPLETED,
                published=True,
            )
            for n in range(count)
        )
        ProjectPartner.objects.bulk_create(
            ProjectPartner(project=record, partner=self.partner_pool[(n + k) % POOL], role=role)
            for n, record in enumerate(records)
            for k, role in enumerate([ProjectPartner.Role.IMPLEMENTING, ProjectPartner.Role.FUNDING])
        )
        self.many(Project.topics.through, "project", "topic", records, self.topic_pool, per_row=2)
        self.many(Project.agreements.through, "project", "agreement", records, self.agreement_pool)
        self.cite(Project, records)

    def agreements(self, count):
        records = Agreement.objects.bulk_create(
            Agreement(
                slug=self.slug("agreement"),
                title=f"Benchmark agreement {n}",
                kind=Agreement.Kind.MEMORANDUM,
                signed=PartialDate(2000 + n % 20, 1 + n % 12),
                signed_place="Baku",
                published=True,
            )
            for n in range(count)
        )
        # The dates are the summary of the actions: each agreement's signature is its action too.
        AgreementAction.objects.bulk_create(
            AgreementAction(agreement=record, kind=ActionKind.SIGNATURE, date=record.signed, place=record.signed_place)
            for record in records
        )
        self.many(Agreement.parties.through, "agreement", "partner", records, self.partner_pool, per_row=2)
        self.many(Agreement.topics.through, "agreement", "topic", records, self.topic_pool)
        self.cite(Agreement, records)

    def offices(self, count):
        records = Office.objects.bulk_create(
            Office(
                slug=self.slug("office"),
                name=f"Benchmark office {n}",
                partner=self.partner_pool[n % POOL],
                kind=Office.Kind.FIELD_OFFICE,
                city="Baku",
                country="AZ",
                opened=PartialDate(1990 + n % 30),
                published=True,
            )
            for n in range(count)
        )
        self.cite(Office, records)

    def partners(self, count):
        records = Partner.objects.bulk_create(
            Partner(
                slug=self.slug("partner"),
                name=f"Benchmark partner {self.token} row {self.sequence}",
                kind=Partner.Kind.STATE_AGENCY,
                scope=Partner.Scope.BILATERAL,
                country="AT",
                parent=self.partner_pool[n % POOL],
                founded=PartialDate(1900 + n % 100),
                published=True,
            )
            for n in range(count)
        )
        self.cite(Partner, records)

    def topics(self, count):
        slugs = [self.slug("topic") for _ in range(count)]  # a topic's name is unique: the slug's number in it
        records = Topic.objects.bulk_create(
            Topic(slug=slug, name=f"Benchmark topic {slug}", published=True) for slug in slugs
        )
        self.cite(Topic, records)

    def people(self, count):
        records = Person.objects.bulk_create(
            Person(slug=self.slug("person"), name=f"Benchmark official row {n}", published=True) for n in range(count)
        )
        Post.objects.bulk_create(
            Post(
                person=record, title="Head of office", organisation=self.partner_pool[n % POOL], start=PartialDate(2000)
            )
            for n, record in enumerate(records)
        )
        self.cite(Person, records)

    def sources(self, count):
        Source.objects.bulk_create(
            Source(
                slug=self.slug("source"),
                title=f"Benchmark source row {n}",
                publisher=f"Publisher {n % POOL}",
                date=PartialDate(2000 + n % 20),
                published=True,
            )
            for n in range(count)
        )
