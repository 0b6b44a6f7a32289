from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperation.backoffice.admin import RecordAdmin, publishing_fieldset, year_filter
from cooperation.backoffice.changelist import BusiestRelatedFilter, CachedCountryFilter
from cooperation.backoffice.places import LocatedAdminMixin
from events.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(LocatedAdminMixin, RecordAdmin):
    slug_source = "title"
    list_display = ["title", "kind", "dates", "status", "place", "partner_names", "published"]
    list_filter = [
        "published",
        "kind",
        year_filter("start", _("year")),
        # Filters that do not read every row a request (cooperation/backoffice/changelist.py).
        ("country", CachedCountryFilter),
        ("partners", BusiestRelatedFilter),
    ]
    list_prefetch_related = ["partners"]
    search_fields = ["title", "city", "participants_note", "partners__name", "partners__acronym", "participants__name"]
    search_help_text = _("Search titles, cities, partners' names and acronyms, and participants.")
    autocomplete_fields = ["partners", "participants", "agreements", "projects", "location"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "kind",
                    ("start", "end"),
                    ("status", "status_as_of"),
                    ("city", "country"),
                    "location",
                ]
            },
        ),
        (_("Who and what"), {"fields": ["partners", "participants", "participants_note", "agreements", "projects"]}),
        (None, {"fields": ["description"]}),
        publishing_fieldset(),
    ]

    @admin.display(description=_("dates"), ordering="start")
    def dates(self, meeting):
        return meeting.dates

    @admin.display(description=_("place"), ordering="city")
    def place(self, meeting):
        return meeting.place

    @admin.display(description=_("partners"))
    def partner_names(self, meeting):
        return ", ".join(partner.short_name for partner in meeting.partners.all())
