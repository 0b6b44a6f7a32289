"""How the API writes a record's values: a human label beside each code
(``"kind": "cooperation-agreement", "kind_label": "Cooperation agreement"``), partial dates as
``{"text": "8 December 1999", "iso": "1999-12-08", "edtf": "1999-12-08", "precision": "day"}`` and countries as
``{"code": "AZ", "name": "Azerbaijan"}`` (null when unknown; several as a list, empty when none), links it may
lack as a URL or null,
its public page (``url``) and API address (``api_url``). :class:`RecordSerializer`, the base of
every record's serializer (``serializers.py``, ``summaries.py``), reads the model's fields that
way, all read-only.

Every language's text, always: each translated field (``title``, in English) is followed by
its translations (``title_az``, ``title_ru``; empty when not translated), whatever the request's
language. They are columns of the record's own row: no query more.
"""

from django.db.models import URLField as URLModelField
from django_countries.fields import CountryField as CountryModelField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.core.partial_dates import PartialDateField as PartialDateModelField
from cooperation.core.partial_dates import Precision
from cooperation.core.translation import TRANSLATION_LANGUAGES, country_name, translated_fields

# Values ------------------------------------------------------------------------------------


class OptionalValue:
    """A value a record may lack: read-only, and null when it has none."""

    def __init__(self, **kwargs):
        kwargs["allow_null"] = True
        kwargs["read_only"] = True
        kwargs.pop("required", None)
        super().__init__(**kwargs)


class PartialDateSerializer(serializers.Serializer):
    """A date as the sources give it: a year, a month or a day; null when they give none."""

    text = serializers.CharField(
        help_text="As the sources write it: “1998”, “August 2006”, “8 December 1999”, “about 2008”, "
        "“2007 (uncertain)”, “second half of 2007”."
    )
    iso = serializers.CharField(
        help_text="ISO 8601 at the known precision, without the qualifier: 1998, 2006-08, 1999-12-08; "
        "a half or quarter of a year as in EDTF, 2007-41."
    )
    edtf = serializers.CharField(
        help_text="Extended Date/Time Format (EDTF, ISO 8601-2): 1999-12-08, 2006-08, 1998, 2008~ (approximate), "
        "2007? (uncertain), 2007% (both), 2007-41 (second half), 2010-33 (first quarter)."
    )
    precision = serializers.ChoiceField(choices=Precision.choices)


@extend_schema_field(PartialDateSerializer)
class PartialDateField(OptionalValue, serializers.Field):
    def to_representation(self, value):
        return {"text": str(value), "iso": value.iso, "edtf": value.edtf, "precision": value.precision.value}


class CountrySerializer(serializers.Serializer):
    """A country; null when none is recorded."""

    code = serializers.CharField(help_text="ISO 3166-1 alpha-2, e.g. AZ.")
    name = serializers.CharField(help_text="e.g. Azerbaijan.")


@extend_schema_field(CountrySerializer)
class CountryField(OptionalValue, serializers.Field):
    def to_representation(self, country):
        return {"code": country.code, "name": country_name(country.code)} if country else None


@extend_schema_field(CountrySerializer(many=True))
class CountriesField(serializers.Field):
    """Several countries (a multiple CountryField), in the order the record keeps them; an empty
    list when none is recorded."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.pop("required", None)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return super().get_attribute(instance) or []

    def to_representation(self, countries):
        return [{"code": country.code, "name": country_name(country.code)} for country in countries]


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The record's page on the public site, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, help_text="The record's page on the public site.", **kwargs)

    def to_representation(self, record):
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


class OptionalURLField(OptionalValue, serializers.URLField):
    """A link the record may not have (a partner's website, where a source is published): the
    URL, or null when none is recorded (the models keep an empty text, which is not a URL)."""

    def to_representation(self, value):
        return value or None


def api_url(basename):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{basename}-detail", lookup_field="slug", help_text="The record in this API."
    )


def label(source):
    return serializers.CharField(source=source, read_only=True)


class LinesField(serializers.ListField):
    # A text field with one item a line (other names, other spellings).

    child = serializers.CharField()

    def to_representation(self, value):
        return [line.strip() for line in value.splitlines() if line.strip()]


FIELD_HELP = {
    "slug": "The record's stable address: the last part of its `url` and `api_url`.",
    "acronym": "Empty when it has none.",
    "short_title": "How people usually refer to it; empty when no other name is recorded.",
    "language": "ISO 639-1 code of the document's language, e.g. en, az, ru.",
    "member_states": "For organisations: the number of member states, by the preferred source.",
    "website": "Its website; null when none is recorded.",
    "recipient_countries": "The countries it is for (IATI recipient countries); empty when none is recorded.",
}


def translation_help(field_name, code):
    return f"The {field_name} in {TRANSLATION_LANGUAGES[code]}; empty when it is not translated."


class RecordSerializer(serializers.ModelSerializer):
    # Model fields as they are read: all read-only, partial dates and countries as objects; each
    # translated field followed by its translations (title, title_az, title_ru).

    def get_field_names(self, declared_fields, info):
        names = super().get_field_names(declared_fields, info)
        translated = set(translated_fields(self.Meta.model)) - set(declared_fields)
        return [
            column
            for name in names
            for column in (name, *(f"{name}_{code}" for code in TRANSLATION_LANGUAGES if name in translated))
        ]

    def build_standard_field(self, field_name, model_field):
        if isinstance(model_field, PartialDateModelField):
            return PartialDateField, {}
        if isinstance(model_field, CountryModelField):  # before the choices take over
            if model_field.multiple:
                return CountriesField, {"help_text": FIELD_HELP.get(field_name, "Empty when none is recorded.")}
            return CountryField, {}
        if isinstance(model_field, URLModelField):
            return OptionalURLField, {"help_text": FIELD_HELP.get(field_name, "Null when none is recorded.")}
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        # The models' help texts are written for editors ("Leave empty if …"), not for readers.
        field_kwargs.pop("help_text", None)
        base, _, code = field_name.rpartition("_")
        if code in TRANSLATION_LANGUAGES:
            field_kwargs["help_text"] = translation_help(base, code)
        if field_name in FIELD_HELP:
            field_kwargs["help_text"] = FIELD_HELP[field_name]
        return field_class, field_kwargs

    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs.setdefault(name, {})["read_only"] = True
            for code in TRANSLATION_LANGUAGES:
                extra_kwargs.setdefault(f"{name}_{code}", {})["read_only"] = True
        return extra_kwargs
