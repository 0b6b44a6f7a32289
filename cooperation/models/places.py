"""Places: where on the earth an office stands, a meeting was held or an agreement was signed.

A place is reference data, as a topic is: a name in three languages, its country, its kind (a
city, a region, a whole country) and the coordinates of its centre. Offices, meetings and
agreement actions point at one with their ``location``; their own text fields (``Office.city``,
``Meeting.city``, ``AgreementAction.place``) keep what the sources word, and the place adds where
it is (see :func:`location_mismatch` for how the two are kept from diverging).

A place is told apart by its ``slug`` (unique, the key the seed data, the spreadsheet import and
the API use, in no language in particular), and no two places share a name, country and kind
(Nakhchivan the city and Nakhchivan the autonomous republic differ by kind only, so (name,
country) alone would refuse a real pair).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cooperation.core.labels import label
from cooperation.core.models import ReadableText, RecordHistory
from cooperation.core.translation import TRANSLATION_LANGUAGES, localized, translations


class PlaceKind(models.TextChoices):
    CITY = "city", _("City")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")


class PlaceQuerySet(models.QuerySet):
    def named(self, text: str, country: str = "") -> "PlaceQuerySet":
        """The places called ``text`` in any language (case-insensitive), in ``country`` if given."""
        text = (text or "").strip()
        if not text:
            return self.none()
        query = models.Q(name__iexact=text)
        for code in TRANSLATION_LANGUAGES:
            query |= models.Q(**{f"name_{code}__iexact": text})
        places = self.filter(query)
        return places.filter(country=country) if country else places


class Place(ReadableText):
    Kind = PlaceKind

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text=_("The place's key in imports and the API: lower-case letters, digits and hyphens, e.g. “baku”."),
    )
    name = models.CharField(max_length=120)
    name_az, name_ru = translations(name, "name")
    country = CountryField(blank=True, help_text=_("Empty for a place in no one country."))
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, default=PlaceKind.CITY)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_("Degrees north of the equator (negative: south), e.g. 40.4093 for Baku."),
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text=_("Degrees east of Greenwich (negative: west), e.g. 49.8671 for Baku."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceQuerySet.as_manager()

    history = RecordHistory()

    # A page that shows a place (a meeting's) depends on the places' table, not on a version of
    # each place (cooperation/core/cache.py, records_in): places are few and seldom change.
    cached_by_table = True

    class Meta:
        ordering = ["name", "country"]
        indexes = [models.Index(fields=["country", "kind"], name="place_country_kind")]
        constraints = [
            models.UniqueConstraint(fields=["name", "country", "kind"], name="place_unique_name"),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90), name="place_latitude_range"
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180), name="place_longitude_range"
            ),
        ]

    def __str__(self):
        return localized(self, "name")

    @property
    def coordinates(self) -> tuple[float, float]:
        """(latitude, longitude) as floats, for drawing."""
        return float(self.latitude), float(self.longitude)


def country_mismatch(country: str, location: Place | None) -> str:
    """Why ``location`` cannot be the place of a record in ``country`` ("" when it can)."""
    if location is None or not country or not location.country or str(country) == str(location.country):
        return ""
    return gettext("The place %(place)s is in %(country)s, not in the record's country.") % {
        "place": location,
        "country": location.country.name,
    }


def location_mismatch(text: str, country: str, location: Place | None) -> str:
    """Why ``location`` does not fit the record's own words (its city or place ``text`` and its
    ``country``), or "" when it does: its country is another, or the text names none of the
    place's names (in any language). The text may say more than the name ("Baku, Gulustan
    Palace"): it fits when it starts with one of them."""
    if location is None:
        return ""
    if problem := country_mismatch(country, location):
        return problem
    words = (text or "").strip()
    folded = words.casefold()
    if not folded:
        return ""
    names = [n.casefold() for n in (location.name, location.name_az, location.name_ru) if n]
    if any(folded == name or folded.startswith((f"{name},", f"{name} ")) for name in names):
        return ""
    return gettext("“%(text)s” does not name the place %(place)s: check the text or the place.") % {
        "text": words,
        "place": location,
    }


def fill_location(obj, text_field: str) -> Place | None:
    """Set ``obj.location`` from its ``text_field`` when it has none and one place only is so
    called (in ``obj.country`` when it has one); the place set, or None."""
    if obj.location_id is not None:
        return None
    country = str(getattr(obj, "country", "") or "")
    found = list(Place.objects.named(getattr(obj, text_field), country)[:2])
    if len(found) != 1:
        return None
    obj.location = found[0]
    return found[0]


label(
    Place,
    _("place"),
    _("places"),
    slug=_("slug"),
    name=_("name"),
    country=_("country"),
    kind=_("kind"),
    latitude=_("latitude"),
    longitude=_("longitude"),
)
