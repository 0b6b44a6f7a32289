"""The projects and agreements lists' count tables (cooperation/counts.py): kept by triggers, read
by their facets. Each counts published records; a record counts once for each of its topics and
of its (distinct) partners. A topic's or partner's published flag is read when the facet is."""

from django.db import models


def counted(to, unique=False, db_index=True, related_name="+"):
    """A count table's key field for a record (a partner, a place): no constraint, as the triggers
    write the id before or after the record is (its published flag is read with the counts).
    ``related_name``: the record's row of a table of one row a record, for a query of many records
    to join (``Coalesce("projects_total__n", 0)``) instead of reading it once a record."""
    field = models.OneToOneField if unique else models.ForeignKey
    return field(to, on_delete=models.DO_NOTHING, db_constraint=False, db_index=db_index, related_name=related_name)


class CountTable(models.Model):
    """A count table (cooperation/core/listing/counts.py): ``n`` records for each key (for a table
    of pairs, ``n`` links of each pair). Written by triggers, not by Django: a subclass names in
    ``derived_from`` the tables they watch, so what reads it depends on those
    (cooperation/core/versions.py)."""

    derived_from: tuple[str, ...] = ()
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        key = ", ".join(
            str(getattr(self, field.attname)) for field in self._meta.concrete_fields if field.name not in ("id", "n")
        )
        return f"{key}: {self.n}"


class _Count(CountTable):
    derived_from = ("cooperation.project", "cooperation.projectpartner", "cooperation.project_topics")

    class Meta:
        abstract = True


class _Years(_Count):
    status = models.CharField(max_length=20)
    first_year = models.IntegerField()  # 0 for an undated project
    last_year = models.IntegerField()  # the last year it is active in (Project.last_active_year)
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ProjectCount(_Years):
    class Meta:
        ordering = ["status", "first_year", "last_year"]
        constraints = [models.UniqueConstraint(fields=["status", "first_year", "last_year"], name="projectcount_key")]


class ProjectTopicCount(_Years):
    topic = counted("cooperation.Topic")
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["topic", "status", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "status", "first_year", "last_year"], name="projecttopiccount_key")
        ]


class ProjectPartnerCount(_Years):
    partner = counted("partners.Partner")
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["partner", "status", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "status", "first_year", "last_year"], name="projectpartnercount_key"
            )
        ]


class ProjectTopicPartnerCount(_Years):
    """A topic's and a partner's projects together: the partner facet of one topic's projects,
    the topic facet of one partner's, and how many have both."""

    topic = counted("cooperation.Topic")
    partner = counted("partners.Partner")
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["topic", "partner", "status", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "partner", "status", "first_year", "last_year"], name="projecttopicpartnercount_key"
            )
        ]
        indexes = [models.Index(fields=["partner", "topic"], name="projecttopicpartnercount_p")]


class ProjectTopicTotal(_Count):
    topic = counted("cooperation.Topic", unique=True)
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["topic"]


class ProjectPartnerTotal(_Count):
    partner = counted("partners.Partner", unique=True, related_name="projects_total")
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["partner"]


class ProjectPartnerPair(CountTable):
    """A project's distinct partners: ``n`` roles of ``partner`` in ``project`` (ProjectPartner
    rows), so that a partner in two roles counts the project once."""

    derived_from = ("cooperation.project", "cooperation.projectpartner")

    project = counted("cooperation.Project")
    partner = counted("partners.Partner")

    class Meta:
        ordering = ["project", "partner"]
        constraints = [models.UniqueConstraint(fields=["project", "partner"], name="projectpartnerpair_key")]


# The agreements list's ------------------------------------------------------------------------


class _AgreementCount(CountTable):
    derived_from = ("cooperation.agreement", "cooperation.agreement_parties", "cooperation.agreement_topics")

    class Meta:
        abstract = True


class _AgreementYears(_AgreementCount):
    kind = models.CharField(max_length=40)
    # The year it was signed, 0 when not recorded; twice, as the lists' year columns are
    # (first and last year a record is on: an agreement is on the year it was signed).
    first_year = models.IntegerField()
    last_year = models.IntegerField()

    class Meta:
        abstract = True


class AgreementCount(_AgreementYears):
    class Meta:
        ordering = ["kind", "first_year", "last_year"]
        constraints = [models.UniqueConstraint(fields=["kind", "first_year", "last_year"], name="agreementcount_key")]


class AgreementTopicCount(_AgreementYears):
    topic = counted("cooperation.Topic")

    class Meta:
        ordering = ["topic", "kind", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "kind", "first_year", "last_year"], name="agreementtopiccount_key")
        ]


class AgreementPartnerCount(_AgreementYears):
    partner = counted("partners.Partner")

    class Meta:
        ordering = ["partner", "kind", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "first_year", "last_year"], name="agreementpartnercount_key"
            )
        ]


class AgreementTopicPartnerCount(_AgreementYears):
    """A topic's and a partner's agreements together: the topic facet of one partner's agreements."""

    topic = counted("cooperation.Topic")
    partner = counted("partners.Partner")

    class Meta:
        ordering = ["topic", "partner", "kind", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "partner", "kind", "first_year", "last_year"], name="agreementtopicpartnercount_key"
            )
        ]
        indexes = [models.Index(fields=["partner", "topic"], name="agreementtopicpartnercount_p")]


class AgreementTopicTotal(_AgreementCount):
    topic = counted("cooperation.Topic", unique=True)

    class Meta:
        ordering = ["topic"]


class AgreementPartnerTotal(_AgreementCount):
    partner = counted("partners.Partner", unique=True)

    class Meta:
        ordering = ["partner"]


class AgreementStageYears(_AgreementCount):
    """The published agreements by the years of their four stages (0 where a stage is not
    recorded): the year index counts an agreement in each of those years (cooperation/pages/
    selectors.py), from these rows instead of grouping every agreement."""

    signed_year = models.IntegerField()
    ratified_year = models.IntegerField()
    in_force_year = models.IntegerField()
    ended_year = models.IntegerField()

    class Meta:
        ordering = ["signed_year", "ratified_year", "in_force_year", "ended_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["signed_year", "ratified_year", "in_force_year", "ended_year"], name="agreementstageyears_key"
            )
        ]


class AgreementPlacePair(CountTable):
    """An agreement's distinct places of signing: ``n`` signatures (AgreementAction rows of a
    signature kind with a place) of ``agreement`` at ``location``, so that an agreement signed
    twice at a place counts there once, as the place facet and the maps count it."""

    derived_from = ("cooperation.agreement", "cooperation.agreementaction")

    agreement = counted("cooperation.Agreement")
    location = counted("cooperation.Place")

    class Meta:
        ordering = ["agreement", "location"]
        constraints = [models.UniqueConstraint(fields=["agreement", "location"], name="agreementplacepair_key")]


class _AgreementPlaceCount(CountTable):
    derived_from = (
        "cooperation.agreement",
        "cooperation.agreement_parties",
        "cooperation.agreement_topics",
        "cooperation.agreementaction",
    )

    class Meta:
        abstract = True


class AgreementPlaceTotal(_AgreementPlaceCount):
    """The published agreements signed at each place: the list's place facet."""

    place = counted("cooperation.Place", unique=True)

    class Meta:
        ordering = ["place"]


class AgreementPartnerPlaceTotal(_AgreementPlaceCount):
    """A partner's agreements signed at each place: the place facet of one partner's agreements."""

    partner = counted("partners.Partner")
    place = counted("cooperation.Place")

    class Meta:
        ordering = ["partner", "place"]
        constraints = [models.UniqueConstraint(fields=["partner", "place"], name="agreementpartnerplacetotal_key")]


class AgreementPlaceYearPair(CountTable):
    """An agreement's distinct places and years of signing: ``n`` signatures of ``agreement`` at
    ``location`` in ``first_year`` (0: undated), as AgreementPlacePair keeps its places."""

    derived_from = ("cooperation.agreement", "cooperation.agreementaction")

    # No index of their own: the unique key leads with the agreement, and nothing reads by place.
    agreement = counted("cooperation.Agreement", db_index=False)
    location = counted("cooperation.Place", db_index=False)
    first_year = models.IntegerField()

    class Meta:
        ordering = ["agreement", "location", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "location", "first_year"], name="agreementplaceyearpair_key")
        ]


class AgreementPlaceYear(_AgreementPlaceCount):
    """The published agreements signed at each place in each year (an agreement once a place and
    year; 0: undated): the first year of the signings at a place on home's map."""

    location = counted("cooperation.Place", db_index=False)  # the unique key leads with it
    first_year = models.IntegerField()

    class Meta:
        ordering = ["location", "first_year"]
        constraints = [models.UniqueConstraint(fields=["location", "first_year"], name="agreementplaceyear_key")]


class AgreementPartnerPlaceYear(_AgreementPlaceCount):
    """A partner's published agreements signed at each place in each year (an agreement once a
    place and year; 0: undated): the first year of a partner's map's signings at a place (its
    least year of them), read by the key (partners/maps.py, partner_map)."""

    # No index of their own: the unique key leads with the partner and its place.
    partner = counted("partners.Partner", db_index=False)
    location = counted("cooperation.Place", db_index=False)
    first_year = models.IntegerField()

    class Meta:
        ordering = ["partner", "location", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "location", "first_year"], name="agreementpartnerplaceyear_key")
        ]
