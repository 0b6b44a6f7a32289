"""A record's place on the map (its ``location``) beside its own words (its city, an action's place).

The words are what the sources say and stay the record's; the place says where that is. So that the
two never drift apart silently, the admin:

- fills an empty location from the words when exactly one place is called that (in any language,
  in the record's country when it has one): staff type "Baku" as before and the map has it;
- warns after a save when the location and the words disagree (:func:`location_mismatch`: another
  country, or words that name none of the place's names), without refusing it: "Baku, Gulustan
  Palace" names Baku, and staff may know better than the rule. The seed loader refuses the same
  disagreement (cooperation/seed/records.py), and the model refuses a place in another country
  than the record's (``clean``).
"""

from django.contrib import messages
from django.utils.translation import gettext

from cooperation.models.places import fill_location, location_mismatch


def check_location(request, obj, text_field: str) -> None:
    """After a save: warn when the place and the words disagree."""
    problem = location_mismatch(getattr(obj, text_field), str(getattr(obj, "country", "") or ""), obj.location)
    if problem:
        messages.warning(request, f"{obj}: {problem}")


class LocatedAdminMixin:
    """For the admin of a record with a ``location`` beside its words (``location_text_field``)."""

    location_text_field = "city"

    def save_model(self, request, obj, form, change):
        place = fill_location(obj, self.location_text_field)
        super().save_model(request, obj, form, change)
        if place is not None:
            message = gettext("%(record)s: placed at %(place)s, the place its words name.")
            messages.info(request, message % {"record": obj, "place": place})
        check_location(request, obj, self.location_text_field)


def save_located_formset(request, formset, text_field: str = "place") -> None:
    """Save an inline formset of located rows (an agreement's actions), each filled and checked."""
    for form in formset.forms:
        if form.instance and form.has_changed() and not getattr(form, "cleaned_data", {}).get("DELETE"):
            fill_location(form.instance, text_field)
    formset.save()
    for obj in formset.new_objects + [obj for obj, _changed in formset.changed_objects]:
        check_location(request, obj, text_field)
