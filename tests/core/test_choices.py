"""A choice field's label (cooperation/core/choices.py): ``get_FOO_display()`` from labels made
once a field and language, the same as Django's own in every language."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from cooperation.core.choices import ChoiceLabels
from cooperation.models import ProjectPartner

LANGUAGES = ("en", "az", "ru")


def choice_fields():
    """(model, field) of every choice field of the project's models with ChoiceLabels (but a
    list of countries, which has no label to display)."""
    return [
        (model, field)
        for model in apps.get_models()
        if issubclass(model, ChoiceLabels)
        for field in model._meta.concrete_fields
        if field.choices and field.flatchoices is not None
    ]


def test_every_model_of_the_project_has_the_labels_made_once():
    names = {model._meta.label for model, _ in choice_fields()}
    assert {"cooperation.Project", "cooperation.ProjectPartner", "events.Meeting", "partners.Partner"} <= names


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_choice_is_labelled_as_django_labels_it(language):
    with translation.override(language):
        for model, field in choice_fields():
            for value, _label in field.flatchoices:
                record = model(**{field.attname: value})
                shown = getattr(record, f"get_{field.name}_display")()
                assert shown == models.Model._get_FIELD_display(record, field), (model, field.name, value)


def test_the_label_follows_the_language_and_a_value_outside_the_choices_is_itself():
    role = ProjectPartner(role="funding")
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            labels[language] = role.get_role_display()
    assert labels["en"] == "Funding" and len(set(labels.values())) == 3
    assert ProjectPartner(role="no-such-role").get_role_display() == "no-such-role"
