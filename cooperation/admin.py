from django.contrib import admin
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import Coalesce

from cooperation.backoffice.admin import (
    RecordAdmin,
    RegistryFormFieldsMixin,
    count_column,
    publishing_fieldset,
    with_count,
    year_filter,
)
from cooperation.backoffice.changelist import BusiestRelatedFilter
from cooperation.models import Agreement, Citation, Project, ProjectPartner, Source, Topic

# Agreement statuses in the order an agreement goes through them (for sorting the column).
STATUS_ORDER = Case(
    *(When(current_status=status, then=Value(rank)) for rank, (_, status) in enumerate(Agreement.STAGES)),
    default=Value(-1),
)


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ["name", "project_count", "published"]
    list_filter = ["published"]
    search_fields = ["name", "description"]
    search_help_text = "Search topic names and descriptions."
    fieldsets = [(None, {"fields": ["name", "description"]}), publishing_fieldset()]

    project_count = count_column("project_count", "projects")

    def get_queryset(self, request):
        return with_count(super().get_queryset(request), "project_count", "projects")


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    slug_source = "title"
    # A source does not cite other sources; the claims it makes are on the records they concern.
    inlines = []
    list_display = ["title", "kind", "publisher", "date", "language", "citation_count", "published"]
    list_filter = ["published", "kind", "language", year_filter("date", "year published")]
    search_fields = ["title", "publisher", "reference", "url"]
    search_help_text = "Search titles, publishers, archive references and links."
    fieldsets = [
        (
            None,
            {"fields": ["title", "kind", "publisher", ("date", "language"), "url", "file", "reference", "description"]},
        ),
        ("Staff only", {"fields": ["notes"], "description": "Never shown on the public site."}),
        publishing_fieldset(),
    ]

    citation_count = count_column("citation_count", "citations")

    def get_queryset(self, request):
        # Not Count("citations"): on Source that name also means the GenericRelation every
        # record has (the citations *of* the source), and the query resolves it to that one.
        cited = (
            Citation.objects.filter(source=OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(citation_count=Coalesce(Subquery(cited, output_field=IntegerField()), 0))
        )


class StatusFilter(admin.SimpleListFilter):
    """The status that follows from the dates (``AgreementQuerySet.with_status``)."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Agreement.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Agreement.Status.values:
            return queryset.filter(current_status=self.value())
        return queryset


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    slug_source = "title"
    list_display = ["title", "short_title", "kind", "party_names", "signed", "status", "published"]
    list_filter = [
        StatusFilter,
        "published",
        "kind",
        year_filter("signed"),
        ("parties", BusiestRelatedFilter),  # the 30 in most agreements: cooperation/backoffice/changelist.py
    ]
    list_prefetch_related = ["parties"]
    search_fields = ["title", "short_title", "signed_place", "parties__name", "parties__acronym"]
    search_help_text = "Search titles, the place signed, and the parties' names and acronyms."
    autocomplete_fields = ["parties", "topics"]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "kind", "parties", "topics"]}),
        (
            "Dates",
            {
                "fields": [("signed", "signed_place"), ("ratified", "in_force"), "ended"],
                "description": "Give each date as precisely as the source does: a year (1998), a month "
                "(2006-08) or a day (1999-12-08). The status (signed, ratified, in force, ended) "
                "follows from these dates.",
            },
        ),
        (None, {"fields": ["description", "legal_summary"]}),
        ("Staff only", {"fields": ["legal_notes"], "description": "Never shown on the public site."}),
        publishing_fieldset(),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    @admin.display(description="status", ordering=STATUS_ORDER)
    def status(self, agreement):
        return Agreement.Status(agreement.current_status).label

    @admin.display(description="parties")
    def party_names(self, agreement):
        return ", ".join(partner.short_name for partner in agreement.parties.all())


class ProjectPartnerInline(RegistryFormFieldsMixin, admin.TabularInline):
    model = ProjectPartner
    fields = ["partner", "role", "note"]
    autocomplete_fields = ["partner"]
    extra = 2
    verbose_name_plural = "partners and their roles"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner")


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    slug_source = "title"
    list_display = ["title", "short_title", "phase", "partner_roles", "start", "end", "status", "published"]
    list_filter = [
        "status",
        "published",
        year_filter("start", "year started"),
        ("topics", BusiestRelatedFilter),  # the 30 in most projects: cooperation/backoffice/changelist.py
        ("partners", BusiestRelatedFilter),
    ]
    list_prefetch_related = [
        Prefetch("project_partners", queryset=ProjectPartner.objects.select_related("partner")),
    ]
    search_fields = ["title", "short_title", "phase", "partners__name", "partners__acronym"]
    search_help_text = "Search titles, acronyms, phases, and the partners' names and acronyms."
    autocomplete_fields = ["topics", "agreements"]
    inlines = [ProjectPartnerInline, *RecordAdmin.inlines]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "phase", ("start", "end"), "status", "topics", "agreements"]}),
        (None, {"fields": ["description"]}),
        publishing_fieldset(),
    ]

    @admin.display(description="partners")
    def partner_roles(self, project):
        return ", ".join(str(role) for role in project.project_partners.all())
