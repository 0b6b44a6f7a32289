from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cooperation.backoffice.admin import (
    RecordAdmin,
    RegistryFormFieldsMixin,
    count_column,
    publishing_fieldset,
    view_published_on_site,
    with_count,
    year_filter,
)
from cooperation.backoffice.changelist import CachedCountryFilter
from cooperation.backoffice.places import LocatedAdminMixin, save_located_formset
from partners.models import Office, Partner, Person, Post


class OfficeInline(RegistryFormFieldsMixin, admin.TabularInline):
    model = Office
    fields = ["name", "slug", "kind", "city", "country", "opened", "closed", "published"]
    prepopulated_fields = {"slug": ("name",)}
    extra = 0
    show_change_link = True
    view_on_site = view_published_on_site


@admin.register(Partner)
class PartnerAdmin(RecordAdmin):
    list_display = ["name", "acronym", "kind", "scope", "country", "parent", "office_count", "published"]
    list_display_links = ["name", "acronym"]
    list_filter = ["published", "kind", "scope", ("country", CachedCountryFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym", "other_names"]
    search_help_text = _("Search names, acronyms and other names.")
    autocomplete_fields = ["parent"]
    inlines = [OfficeInline, *RecordAdmin.inlines]
    fieldsets = [
        (None, {"fields": ["name", "acronym", ("kind", "scope"), "country", "parent", "headquarters"]}),
        (
            _("More about it"),
            {"fields": ["founded", "member_states", "website", "iati_ref", "other_names", "description"]},
        ),
        publishing_fieldset(),
    ]

    office_count = count_column("office_count", _("offices"))

    def get_queryset(self, request):
        return with_count(super().get_queryset(request), "office_count", "offices")

    def save_formset(self, request, form, formset, change):
        if formset.model is Office:  # each office placed from its city (cooperation/backoffice/places.py)
            save_located_formset(request, formset, "city")
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Office)
class OfficeAdmin(LocatedAdminMixin, RecordAdmin):
    list_display = ["name", "partner", "kind", "city", "country", "opened", "closed", "published"]
    list_filter = ["published", "kind", ("country", CachedCountryFilter), year_filter("opened", _("year opened"))]
    list_select_related = ["partner"]
    search_fields = ["name", "city", "partner__name", "partner__acronym"]
    search_help_text = _("Search office names, cities, and the partner's name or acronym.")
    autocomplete_fields = ["partner", "location"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "partner",
                    "name",
                    "kind",
                    ("city", "country"),
                    "location",
                    ("opened", "closed"),
                    "description",
                ]
            },
        ),
        publishing_fieldset(),
    ]


class PostInline(RegistryFormFieldsMixin, admin.TabularInline):
    model = Post
    fields = ["title", "organisation", "start", "end", "note"]
    autocomplete_fields = ["organisation"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "posts_held", "published"]
    list_filter = ["published", ("posts__organisation", admin.RelatedOnlyFieldListFilter)]
    list_prefetch_related = [Prefetch("posts", queryset=Post.objects.select_related("organisation"))]
    search_fields = ["name", "other_names", "posts__title"]
    search_help_text = _("Search names, other spellings and the titles of posts held.")
    inlines = [PostInline, *RecordAdmin.inlines]
    fieldsets = [
        (None, {"fields": ["name", "other_names", "description"]}),
        publishing_fieldset(),
    ]

    @admin.display(description=_("posts"))
    def posts_held(self, person):
        return "; ".join(f"{post}{' (' + str(post.start) + ')' if post.start else ''}" for post in person.posts.all())
