from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from cooperation.core.addresses import slug_url
from cooperation.core.indexes import ListOrderIndex
from cooperation.core.labels import label
from cooperation.core.models import CitedRecord, RecordHistory, RecordQuerySet
from cooperation.core.partial_dates import (
    DateQualifierField,
    PartialDateField,
    check_range,
    format_range,
    range_constraint,
    spans_years_condition,
)
from cooperation.core.reported import AS_OF_HELP, reported
from cooperation.core.timeline import ORDER_MEETING, TimelineEntry, detail_html
from cooperation.core.translation import country_name, localized, localized_place, translations
from cooperation.core.words import gettext
from cooperation.models.counts import CountTable, counted
from cooperation.models.places import country_mismatch


class MeetingQuerySet(RecordQuerySet):
    def in_years(self, years):
        """Meetings on any of ``years``: from the year of their start to the year of their end,
        so one from 28 December 2006 to 3 January 2007 is on both. Each year is two index range
        scans: the meetings starting in it (``meeting_published_start``) and, among the few
        meetings that run into a later year (the partial index ``meeting_spanning_start``), those
        that began before it and end in it or after."""
        condition = Q()
        for year in years:
            condition |= Q(start__year=year) | (
                spans_years_condition("start", "end") & Q(start__year__lt=year, end__year__gte=year)
            )
        return self.filter(condition) if years else self

    def list_prefetches(self):
        from partners.models import Partner

        return [models.Prefetch("partners", queryset=Partner.objects.published())]


class Meeting(CitedRecord):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        BILATERAL_MEETING = "bilateral-meeting", _("Bilateral meeting")
        GOVERNING_BODY_SESSION = "governing-body-session", _("Governing-body session")
        SUMMIT = "summit", _("Summit")
        CONFERENCE = "conference", _("Conference")
        TRAINING = "training", _("Training")
        WORKING_GROUP = "working-group", _("Working group")
        SIGNING_CEREMONY = "signing-ceremony", _("Signing ceremony")
        EXPERT_MEETING = "expert-meeting", _("Expert meeting")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
        CANCELLED = "cancelled", _("Cancelled")
        UNKNOWN = "unknown", _("Not known")

    title = models.CharField(max_length=400)
    title_az, title_ru = translations(title, "title")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.HELD,
        help_text=(
            _(
                "Whether the meeting took place, as a source reports it on the date below: “planned” when "
                "the source announces it (“planned for the second half of 2007”), “not known” when no "
                "source says it was held."
            )
        ),
    )
    status_as_of = PartialDateField(
        _("status reported as of"),
        null=True,
        blank=True,
        help_text=format_lazy(
            "{} {}", _(AS_OF_HELP), _("For a planned or cancelled meeting, the date of the announcement.")
        ),
    )
    start_qualifier = DateQualifierField()
    start = PartialDateField(
        null=True,
        blank=True,
        help_text=_("Leave empty if the sources give no date."),
        qualifier_field="start_qualifier",
    )
    end_qualifier = DateQualifierField()
    end = PartialDateField(
        null=True, blank=True, help_text=_("For meetings over several days."), qualifier_field="end_qualifier"
    )
    city = models.CharField(max_length=100, blank=True)
    city_az, city_ru = translations(city, "city")
    country = CountryField(blank=True)
    location = models.ForeignKey(
        "cooperation.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="meetings",
        help_text=_("Where it was held on the map: the place its city names (filled from the city when empty)."),
    )
    partners = models.ManyToManyField("partners.Partner", related_name="meetings", blank=True)
    participants = models.ManyToManyField("partners.Person", related_name="meetings", blank=True)
    participants_note = models.CharField(
        max_length=300, blank=True, help_text=_("Participants the sources do not name, e.g. “SMS employees”.")
    )
    participants_note_az, participants_note_ru = translations(participants_note, "participants_note")
    agreements = models.ManyToManyField(
        "cooperation.Agreement",
        related_name="meetings",
        blank=True,
        help_text=_("Agreements signed or discussed there."),
    )
    projects = models.ManyToManyField("cooperation.Project", related_name="meetings", blank=True)
    description = models.TextField(blank=True)
    description_az, description_ru = translations(description, "description")

    objects = MeetingQuerySet.as_manager()

    history = RecordHistory(m2m_fields=["partners", "participants", "agreements", "projects"])

    class Meta:
        permissions = [("publish_meeting", "Can publish and unpublish meetings")]
        ordering = [models.F("start").desc(nulls_last=True), "title"]
        indexes = [
            # Oldest first, and a year's range (start BETWEEN 20060000 AND 20069999), in the
            # order of both: a year page's first meetings are read from it, not sorted (the
            # 3,301 meetings dated only "2010" were sorted by title for the first 25: 7 ms).
            models.Index(fields=["published", "start", "title", "id"], name="meeting_published_start"),
            # The list's own order, newest first and undated last, so a page is read in index
            # order instead of sorting the table (see docs/performance.md): the public list skips
            # the drafts as it reads, the admin's list (drafts too) reads it as it is. By kind;
            # by title.
            ListOrderIndex(F("start").desc(nulls_last=True), F("title"), F("id"), name="meeting_newest"),
            ListOrderIndex(F("published"), F("kind"), F("start").desc(nulls_last=True), name="meeting_kind_newest"),
            models.Index(fields=["published", "title", "id"], name="meeting_published_title"),
            # The last changed first (the home page's "newest", the feed, the sitemap's lastmod).
            models.Index(fields=["updated_at", "id"], condition=models.Q(published=True), name="meeting_changed"),
            # The admin's country filter reads the countries present one index probe each.
            models.Index(fields=["country"], name="meeting_country"),
            # The map's meetings by place (and the place's own meetings).
            models.Index(fields=["location", "published"], name="meeting_location"),
            # The few meetings that run into a later year (28 December 2006 – 3 January 2007), so
            # the year filter finds them without reading every meeting before the year.
            models.Index(
                fields=["start"], condition=spans_years_condition("start", "end"), name="meeting_spanning_start"
            ),
        ]
        constraints = [range_constraint("start", "end", name="meeting_end_after_start")]

    def __str__(self):
        return localized(self, "title")

    def get_absolute_url(self):
        return slug_url("events:meeting-detail", self.slug)

    @property
    def dates(self):
        return format_range(self.start, self.end)

    @property
    def held(self) -> bool:
        return self.status == Meeting.Status.HELD

    @property
    def status_text(self) -> str:
        """Whether it took place, as the public pages say it: "Held", "Held (reported as of
        2008)", "Planned (reported as of 2008)", "Cancelled (date of report not recorded)",
        "Not known whether it took place"."""
        if self.status == Meeting.Status.UNKNOWN:
            return gettext("Not known whether it took place")
        if self.status == Meeting.Status.HELD and self.status_as_of is None:
            return gettext("Held")
        return reported(str(self.get_status_display()), self.status_as_of)

    def years(self) -> range:
        """The years the meeting is on: from its start's to its end's (empty without a date)."""
        if self.start is None:
            return range(0)
        return range(self.start.year, (self.end or self.start).year + 1)

    @property
    def place(self) -> str:
        """Its city and country in the page's language ("Bakı, Azərbaycan"): the city's translation
        where there is one (the country's name was translated, the city was not)."""
        return localized_place(self)

    def timeline_entry(self):
        """The meeting as one entry of a timeline (a partner's), in the page's language."""
        where = detail_html(localized(self, "city"), country_name(self.country.code))
        return TimelineEntry(
            date=self.start,
            end=self.end,
            kind=self.get_kind_display(),
            text=localized(self, "title"),
            url=self.get_absolute_url(),
            detail=where if self.held else detail_html(self.status_text, where, separator=" · "),
            order=ORDER_MEETING,
        )

    def clean(self):
        errors = {}
        check_range(errors, "start", self.start, "end", self.end, _("A meeting cannot end before it started."))
        if problem := country_mismatch(self.country, self.location):
            errors.setdefault("location", []).append(problem)
        if self.end is not None and self.start is None:
            errors.setdefault("start", []).append("Give the start date too, or leave both empty.")
        if errors:
            raise ValidationError(errors)


label(
    Meeting,
    _("meeting"),
    _("meetings"),
    title=_("title"),
    kind=_("kind"),
    status=_("status"),
    start=_("start"),
    end=_("end"),
    city=_("city"),
    location=_("location"),
    country=_("country"),
    participants_note=_("participants note"),
    description=_("description"),
    partners=_("partners"),
    participants=_("participants"),
    agreements=_("agreements"),
    projects=_("projects"),
)


# The meetings list's count tables (events/counts.py): kept by triggers, read by its facets and maps.
# A meeting counts once for each of its partners in a table by partner. The partner's published flag
# is read when the facet is (publishing a partner changes no count); the place is reference data,
# read with its names and coordinates when a map is drawn. 0 stands for no date, or no place.


class _MeetingCount(CountTable):
    derived_from = ("events.meeting", "events.meeting_partners")

    class Meta:
        abstract = True


class _KindAndYears(_MeetingCount):
    kind = models.CharField(max_length=30)
    first_year = models.IntegerField()
    last_year = models.IntegerField()

    class Meta:
        abstract = True


class MeetingCount(_KindAndYears):
    """How many published meetings are of a kind and on the years from ``first_year`` to
    ``last_year``."""

    class Meta:
        ordering = ["kind", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "first_year", "last_year"], name="meetingcount_key"),
        ]


class MeetingPartnerCount(_KindAndYears):
    """How many published meetings a partner took part in, by kind and years."""

    partner = counted("partners.Partner")

    class Meta:
        ordering = ["partner", "kind", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "first_year", "last_year"], name="meetingpartnercount_key"
            ),
        ]
        # The partner facet of a kind's meetings in a year: the rows of the kind starting that
        # year, and the few that run into it from an earlier year (counts.py, the year filter).
        indexes = [
            models.Index(fields=["kind", "first_year"], name="meetingpartnercount_kind"),
            models.Index(
                fields=["kind", "first_year"],
                condition=Q(last_year__gt=F("first_year")),
                name="meetingpartnercount_spanning",
            ),
        ]


class MeetingPartnerKind(_MeetingCount):
    """How many published meetings of a kind a partner took part in: the partner facet of the
    meetings of a kind, and the kind facet of a partner's (9,976 rows for visits, where
    MeetingPartnerCount has 113,468, one for each span of years)."""

    partner = counted("partners.Partner")
    kind = models.CharField(max_length=30)

    class Meta:
        ordering = ["kind", "partner"]
        constraints = [models.UniqueConstraint(fields=["kind", "partner"], name="meetingpartnerkind_key")]


class MeetingPartnerTotal(_MeetingCount):
    """How many published meetings a partner took part in: the partner facet with no other filter."""

    partner = counted("partners.Partner", unique=True, related_name="meetings_total")

    class Meta:
        ordering = ["partner"]


class MeetingPlaceCount(_KindAndYears):
    """How many published meetings were held at a place, by kind and years: the meetings list's
    place facet and map, and home's map."""

    location = counted("cooperation.Place", db_index=False)  # the unique key's first column

    class Meta:
        ordering = ["location", "kind", "first_year", "last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "kind", "first_year", "last_year"], name="meetingplacecount_key"
            ),
        ]


class MeetingPlaceTotal(_MeetingCount):
    """How many published meetings were held at a place, in all: home's map (each place's first
    year read from MeetingPlaceYear by its key) and the meetings list's place facet with no other
    filter. A row a place (510 at the benchmark's size), where MeetingPlaceYear has 20,935."""

    location = counted("cooperation.Place", unique=True)

    class Meta:
        ordering = ["location"]


class MeetingPlaceKind(_MeetingCount):
    """How many published meetings of a kind were held at a place: the place facet of the
    meetings of a kind, and the kind facet of a place's (500 rows for visits, where
    MeetingPlaceCount has 21,103)."""

    location = counted("cooperation.Place")
    kind = models.CharField(max_length=30)

    class Meta:
        ordering = ["kind", "location"]
        constraints = [models.UniqueConstraint(fields=["kind", "location"], name="meetingplacekind_key")]


class MeetingPlaceYear(_MeetingCount):
    """How many published meetings were held at a place, by the year they start: the same without
    a filter (a few rows a place, where MeetingPlaceCount has one for each kind and span)."""

    location = counted("cooperation.Place", db_index=False)  # the unique key's first column
    first_year = models.IntegerField()

    class Meta:
        ordering = ["location", "first_year"]
        constraints = [models.UniqueConstraint(fields=["location", "first_year"], name="meetingplaceyear_key")]


class MeetingPartnerPlaceTotal(_MeetingCount):
    """How many published meetings a partner took part in at a place, in all: a partner's map
    (its places, each with the first year read from MeetingPartnerPlaceCount by its key), and the
    place facet of the meetings list filtered to one partner. The busiest partner's 498 places
    are 498 rows here, where MeetingPartnerPlaceCount has 20,914 (a row a place and year)."""

    partner = counted("partners.Partner", db_index=False)  # the unique key's first column
    location = counted("cooperation.Place", db_index=False)

    class Meta:
        ordering = ["partner", "location"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "location"], name="meetingpartnerplacetotal_key"),
        ]


class MeetingPartnerPlaceCount(_MeetingCount):
    """How many published meetings a partner took part in at a place, by the year they start: the
    first year of each place on a partner's map, and the map of the meetings list filtered to one
    partner."""

    partner = counted("partners.Partner", db_index=False)  # the unique key's first column
    location = counted("cooperation.Place", db_index=False)
    first_year = models.IntegerField()

    class Meta:
        ordering = ["partner", "location", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "location", "first_year"], name="meetingpartnerplacecount_key"),
        ]
