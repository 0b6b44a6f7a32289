from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from cooperation.core.addresses import slug_url
from cooperation.core.indexes import ListOrderIndex
from cooperation.core.labels import label
from cooperation.core.models import CitedRecord, ReadableText, RecordHistory, RecordQuerySet
from cooperation.core.partial_dates import PartialDateField, check_range, range_constraint
from cooperation.core.timeline import (
    ORDER_OFFICE_CLOSED,
    ORDER_OFFICE_OPENED,
    ORDER_POST_ENDED,
    ORDER_POST_STARTED,
    TimelineEntry,
    detail_html,
)
from cooperation.core.translation import (
    country_name,
    first_localized,
    joined,
    localized,
    translations,
    with_translations,
)
from cooperation.core.words import gettext
from cooperation.models.places import country_mismatch


class PartnerQuerySet(RecordQuerySet):
    def for_list(self):
        return super().for_list().select_related("parent")


class Partner(CitedRecord):
    class Kind(models.TextChoices):
        INTERNATIONAL_ORGANISATION = "international-organisation", _("International organisation")
        GOVERNING_BODY = "governing-body", _("Governing body")
        EU_BODY = "eu-body", _("EU body")
        STATE = "state", _("State")
        STATE_AGENCY = "state-agency", _("State agency")
        DIALOGUE_PROCESS = "dialogue-process", _("Dialogue process")
        NGO = "ngo", _("Non-governmental organisation")
        OTHER = "other", _("Other")

    class Scope(models.TextChoices):
        MULTILATERAL = "multilateral", _("Multilateral")
        BILATERAL = "bilateral", _("Bilateral")
        DOMESTIC = "domestic", _("Host-country institution")

    name = models.CharField(max_length=200, unique=True)
    name_az, name_ru = translations(name, "name")
    acronym = models.CharField(max_length=30, blank=True)
    acronym_az, acronym_ru = translations(acronym, "acronym")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    scope = models.CharField(
        max_length=20,
        choices=Scope.choices,
        help_text=_(
            "Multilateral for international bodies and processes, bilateral for other states "
            "and their agencies, host-country institution for the registry's own side."
        ),
    )
    country = CountryField(blank=True, help_text=_("The state a state or state agency belongs to."))
    headquarters = models.CharField(
        max_length=120, blank=True, help_text=_("City and country, e.g. Geneva, Switzerland.")
    )
    headquarters_az, headquarters_ru = translations(headquarters, "headquarters")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The body this one belongs to: a council of its organisation, an agency of its state."),
    )
    founded = PartialDateField(null=True, blank=True)
    member_states = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("For organisations: member states, by the preferred source.")
    )
    website = models.URLField(blank=True)
    iati_ref = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The organisation's IATI identifier, e.g. XM-DAC-47066 (IOM): how an IATI import finds it."),
    )
    other_names = models.TextField(
        blank=True, help_text=_("Other names and spellings the sources use, one per line (found by search).")
    )
    description = models.TextField(blank=True)
    description_az, description_ru = translations(description, "description")

    objects = PartnerQuerySet.as_manager()

    history = RecordHistory()

    class Meta:
        permissions = [("publish_partner", "Can publish and unpublish partners")]
        ordering = ["name"]
        indexes = [
            models.Index(fields=["published", "kind"], name="partner_published_kind"),
            # The published partners' ids, read from the index alone where a list, facet or map
            # joins its rows to published partners: a scan of the table (its texts) to hash 9,029
            # ids took 2.5-4.5 ms of home's map and office count and the agreements' party facet.
            models.Index(fields=["id"], condition=Q(published=True), name="partner_published_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="partner_not_own_parent",
                violation_error_message=_("A partner cannot be its own parent body."),
            ),
        ]

    # What __str__ and short_name read: all an export reads of a related partner (with its slug).
    NAME_FIELDS = with_translations("name", "acronym")

    def __str__(self):
        """The name in the page's language, with its acronym: "International Organization for
        Migration (IOM)", "Международная организация по миграции (МОМ)"."""
        name, acronym = localized(self, "name"), localized(self, "acronym")
        return joined("{first} ({acronym})", name, acronym=acronym) if acronym else name

    def get_absolute_url(self):
        return slug_url("partners:partner-detail", self.slug)

    @property
    def short_name(self):
        return self.short_name_in()

    def short_name_in(self, language: str | None = None):
        """The acronym in ``language`` (the page's by default), else the name: "IOM", "МОМ"."""
        return first_localized(self, "acronym", "name", language=language)

    def clean(self):
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A partner cannot be its own parent body.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("This would make the partner a parent of itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class OfficeQuerySet(RecordQuerySet):
    def published(self):
        """Offices the public sees: published, of a published partner (an office of a draft
        partner has no page, so no count, year page or list may show it either)."""
        return super().published().filter(partner__published=True)

    def for_list(self):
        return super().for_list().select_related("partner")


class Office(CitedRecord):
    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("Headquarters")
        COUNTRY_OFFICE = "country-office", _("Country office")
        FIELD_OFFICE = "field-office", _("Field office")
        REPRESENTATION = "representation", _("Representation")
        INFORMATION_CENTRE = "information-centre", _("Information centre")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(max_length=200)
    name_az, name_ru = translations(name, "name")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    city = models.CharField(max_length=100, blank=True, help_text=_("Leave empty if the sources do not name it."))
    city_az, city_ru = translations(city, "city")
    country = CountryField()
    location = models.ForeignKey(
        "cooperation.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="offices",
        help_text=_("Where it stands on the map: the place its city names (filled from the city when empty)."),
    )
    opened = PartialDateField(null=True, blank=True)
    closed = PartialDateField(null=True, blank=True)
    description = models.TextField(blank=True)
    description_az, description_ru = translations(description, "description")

    objects = OfficeQuerySet.as_manager()

    history = RecordHistory()

    class Meta:
        permissions = [("publish_office", "Can publish and unpublish offices")]
        ordering = [F("opened").asc(nulls_last=True), "name"]
        indexes = [
            models.Index(fields=["published", "country"], name="office_published_country"),
            models.Index(fields=["partner", "opened"], name="office_partner_opened"),
            # The map's offices by place (and the place's own offices).
            models.Index(fields=["location", "published"], name="office_location"),
        ]
        constraints = [range_constraint("opened", "closed", name="office_closed_after_opened")]

    def __str__(self):
        return localized(self, "name")

    def get_absolute_url(self):
        return slug_url("partners:office-detail", self.slug)

    def timeline_entries(self):
        """Opened (or one undated entry) and closed, as entries of its partner's timeline, in the
        page's language."""
        name, url = localized(self, "name"), self.get_absolute_url()
        where = detail_html(localized(self, "city"), country_name(self.country.code))
        kind = gettext("Office opened") if self.opened is not None else gettext("Office")
        entries = [TimelineEntry(self.opened, kind, name, url, where, order=ORDER_OFFICE_OPENED)]
        if self.closed is not None:
            closed = gettext("Office closed")
            entries.append(TimelineEntry(self.closed, closed, name, url, where, order=ORDER_OFFICE_CLOSED))
        return entries

    def clean(self):
        errors = {}
        check_range(errors, "opened", self.opened, "closed", self.closed, _("An office cannot close before it opened."))
        if problem := country_mismatch(self.country, self.location):
            errors.setdefault("location", []).append(problem)
        if errors:
            raise ValidationError(errors)


class PersonQuerySet(RecordQuerySet):
    def list_prefetches(self):
        """Their posts at published organisations (with the organisation), as ``public_posts``."""
        posts = Post.objects.filter(organisation__published=True).select_related("organisation")
        return [models.Prefetch("posts", queryset=posts, to_attr="public_posts")]


class Person(CitedRecord):
    name = models.CharField(max_length=200)
    name_az, name_ru = translations(name, "name")
    other_names = models.TextField(blank=True, help_text=_("Other spellings the sources use, one per line."))
    description = models.TextField(blank=True)
    description_az, description_ru = translations(description, "description")

    objects = PersonQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        permissions = [("publish_person", "Can publish and unpublish people")]
        ordering = ["name"]
        verbose_name_plural = _("people")

    def __str__(self):
        return localized(self, "name")

    def get_absolute_url(self):
        return slug_url("partners:person-detail", self.slug)


class Post(ReadableText):
    """A position a person held: IOM Director General, Chief of the State Migration Service."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=200)
    title_az, title_ru = translations(title, "title")
    organisation = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="posts")
    start = PartialDateField(null=True, blank=True, help_text=_("Leave empty if the sources do not say."))
    end = PartialDateField(null=True, blank=True)
    note = models.CharField(
        max_length=300, blank=True, help_text=_("What the sources say of the dates, e.g. “in office in 2006”.")
    )
    note_az, note_ru = translations(note, "note")

    history = RecordHistory()

    class Meta:
        ordering = [F("start").asc(nulls_last=True), "title"]
        indexes = [
            # An organisation's latest posts, as its page lists them (partners/selectors.py):
            # read from here, not its hundreds sorted (the busiest partner's 493: 2.4 → 0.3 ms).
            ListOrderIndex(
                F("organisation"), F("start").desc(nulls_last=True), F("title"), F("id"), name="post_latest"
            ),
        ]
        constraints = [
            range_constraint("start", "end", name="post_end_after_start"),
            models.UniqueConstraint(
                fields=["person", "title", "organisation", "start"],
                name="post_unique",
                violation_error_message="This person already has this post starting on this date.",
            ),
        ]

    def __str__(self):
        return joined("{first}, {organisation}", localized(self, "title"), organisation=self.organisation.short_name)

    def timeline_entries(self):
        """Took office (or one undated entry) and left office, as entries of its organisation's
        timeline: the person, linked, with the post, in the page's language."""
        text, url = localized(self.person, "name"), self.person.get_absolute_url()
        detail = detail_html(localized(self, "title"))
        kind = gettext("Took office") if self.start is not None else gettext("Post")
        entries = [TimelineEntry(self.start, kind, text, url, detail, order=ORDER_POST_STARTED)]
        if self.end is not None:
            left = gettext("Left office")
            entries.append(TimelineEntry(self.end, left, text, url, detail, order=ORDER_POST_ENDED))
        return entries

    def clean(self):
        errors = {}
        check_range(errors, "start", self.start, "end", self.end, _("A post cannot end before it started."))
        if errors:
            raise ValidationError(errors)


label(
    Partner,
    _("partner"),
    _("partners"),
    name=_("name"),
    acronym=_("acronym"),
    kind=_("kind"),
    scope=_("scope"),
    country=_("country"),
    headquarters=_("headquarters"),
    parent=_("parent body"),
    founded=_("founded"),
    member_states=_("member states"),
    website=_("website"),
    iati_ref=_("IATI organisation identifier"),
    other_names=_("other names"),
    description=_("description"),
)
label(
    Office,
    _("office"),
    _("offices"),
    partner=_("partner"),
    name=_("name"),
    kind=_("kind"),
    city=_("city"),
    location=_("location"),
    country=_("country"),
    opened=_("opened"),
    closed=_("closed"),
    description=_("description"),
)
label(
    Person,
    _("person"),
    _("people"),
    name=pgettext_lazy("person", "name"),
    other_names=_("other names"),
    description=_("description"),
)
label(
    Post,
    _("post"),
    _("posts"),
    person=_("person"),
    title=_("title"),
    organisation=_("organisation"),
    start=_("start"),
    end=_("end"),
    note=_("note"),
)
