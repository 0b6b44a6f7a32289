"""What every record's text may hold (cooperation/core/models.py ReadableText, with the rule in
cooperation/core/text.py): no direction control (U+202E …) and no control character in any
name, title, note or description; no line break in a one-line field. Checked by full_clean, as
the admin's forms and the import check a record."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from cooperation.models import Agreement, Citation, Claim, Project, ProjectPartner, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person, Post
from tests import factories as f

pytestmark = pytest.mark.django_db

BUILDERS = {
    Partner: lambda: f.PartnerFactory(),
    Office: lambda: f.OfficeFactory(),
    Person: lambda: f.PersonFactory(),
    Post: lambda: f.PostFactory(),
    Topic: lambda: f.TopicFactory(),
    Source: lambda: f.SourceFactory(),
    Citation: lambda: f.CitationFactory(content_object=f.PartnerFactory()),
    Claim: lambda: f.ClaimFactory(content_object=f.PartnerFactory()),
    Agreement: lambda: f.AgreementFactory(),
    Project: lambda: f.ProjectFactory(),
    ProjectPartner: lambda: f.ProjectPartnerFactory(),
    Meeting: lambda: f.MeetingFactory(),
}
# U+202A–U+202E, U+2066–U+2069, U+200E, U+200F and U+061C (issue #13).
DIRECTION_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def text_fields(model):
    """The fields a person types text into: every CharField and TextField without choices
    (slugs and web addresses too: their own rules refuse these characters first)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.SlugField | models.URLField)
    ]


def refused(obj):
    """{field: [message]} full_clean finds, or {} when it finds nothing."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.parametrize("model", BUILDERS, ids=lambda model: model.__name__)
def test_every_text_field_of_every_model_refuses_a_right_to_left_override(model):
    obj = BUILDERS[model]()
    assert refused(obj) == {}
    fields = text_fields(model)
    assert fields
    for name in fields:
        setattr(obj, name, f"{name[:1]}\u202egpj.exe")
    message = (
        "Remove the invisible direction control U+202E RIGHT-TO-LEFT OVERRIDE (character 2): it makes "
        "text display in another order than it is written. Right-to-left text such as Arabic displays "
        "correctly without it."
    )
    assert refused(obj) == {name: [message] for name in fields}


@pytest.mark.parametrize("character", DIRECTION_CONTROLS)
def test_each_direction_control_is_refused_and_named(character):
    partner = f.PartnerFactory()
    partner.name, partner.description = f"IOM{character}", f"Line one\n{character}"
    code = f"U+{ord(character):04X} {unicodedata.name(character)}"
    errors = refused(partner)
    assert list(errors) == ["name", "description"]
    assert errors["name"][0].startswith(f"Remove the invisible direction control {code} (character 4):")
    assert errors["description"][0].startswith(f"Remove the invisible direction control {code} (character 10):")


def test_arabic_azerbaijani_and_russian_text_and_a_description_with_tabs_and_line_breaks_are_accepted():
    partner = f.PartnerFactory(
        name="المنظمة الدولية للهجرة (IOM)",
        headquarters="Bakı, Azərbaycan",
        other_names="Dövlət Miqrasiya Xidməti\nГосударственная миграционная служба",
        description="First line,\ttabbed.\r\nSecond line.\rThird.",
    )
    assert refused(partner) == {}


CONTROLS = [
    ("name", "IOM\nGeneva", "Remove the line break (character 4): this field is one line of text."),
    ("name", "IOM\rGeneva", "Remove the line break (character 4): this field is one line of text."),
    ("name", "IOM\tGeneva", "Remove the tab (character 4): write a space instead."),
    ("name", "\x1b[31mIOM", "Remove the invisible control character U+001B (character 1): text never needs it."),
    ("acronym", "I\x85OM", "Remove the invisible control character U+0085 (character 2): text never needs it."),
    ("description", "a\x0cb", "Remove the invisible control character U+000C (character 2): text never needs it."),
    ("description", "a\x7f", "Remove the invisible control character U+007F (character 2): text never needs it."),
]


@pytest.mark.parametrize(("field", "value", "message"), CONTROLS)
def test_a_control_character_or_a_line_break_in_a_one_line_field_is_refused(field, value, message):
    partner = f.PartnerFactory()
    setattr(partner, field, value)
    assert refused(partner) == {field: [message]}
