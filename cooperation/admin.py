from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cooperation.backoffice.admin import (
    CitationInline,
    RecordAdmin,
    RegistryFormFieldsMixin,
    count_column,
    publishing_fieldset,
    with_count,
    year_filter,
)
from cooperation.backoffice.changelist import BusiestRelatedFilter, CachedCountryFilter
from cooperation.backoffice.history import HistoryAdminMixin
from cooperation.backoffice.places import LocatedAdminMixin, save_located_formset
from cooperation.core.permissions import may_publish
from cooperation.iati.admin import IatiImportMixin
from cooperation.models import (
    Agreement,
    AgreementAction,
    Budget,
    Citation,
    Place,
    Project,
    ProjectPartner,
    Source,
    Topic,
    TransactionTotal,
)
from cooperation.models.actions import ActionKind, action_errors, deferred_summary, summary_errors
from cooperation.models.money import currency_choices

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
    search_help_text = _("Search topic names and descriptions.")
    fieldsets = [(None, {"fields": ["name", "description"]}), publishing_fieldset()]

    project_count = count_column("project_count", _("projects"))

    def get_queryset(self, request):
        return with_count(super().get_queryset(request), "project_count", "projects")


@admin.register(Place)
class PlaceAdmin(HistoryAdminMixin, RegistryFormFieldsMixin, SimpleHistoryAdmin):
    """Places: reference data (no drafts, no sources), picked by name in the located records' forms."""

    list_display = ["name", "kind", "country", "latitude", "longitude"]
    list_filter = ["kind", ("country", CachedCountryFilter)]
    search_fields = ["name", "slug"]  # and the names in every language (TranslationsSideBySideMixin)
    search_help_text = _("Search the names of places, in every language.")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [(None, {"fields": ["name", ("kind", "country"), ("latitude", "longitude"), "slug"]})]
    list_per_page = 100


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    slug_source = "title"
    # A source does not cite other sources; the claims it makes are on the records they concern.
    inlines = []
    # Sources with one title are told apart by their label, publisher and date: in this list,
    # and in every source picker (the autocomplete shows Source.display_name).
    list_display = ["title", "label", "kind", "publisher", "date", "language", "citation_count", "published"]
    list_filter = ["published", "kind", "language", year_filter("date", _("year published"))]
    search_fields = ["title", "label", "publisher", "reference", "url"]
    search_help_text = _("Search titles, labels, publishers, archive references and links.")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "label",
                    "kind",
                    "publisher",
                    ("date", "retrieved", "language"),
                    "url",
                    "file",
                    "description",
                ]
            },
        ),
        (_("Staff only"), {"fields": ["reference", "notes"], "description": _("Never shown on the public site.")}),
        publishing_fieldset(),
    ]

    citation_count = count_column("citation_count", _("citations"))

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

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Agreement.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Agreement.Status.values:
            return queryset.filter(current_status=self.value())
        return queryset


class AgreementActionFormSet(BaseInlineFormSet):
    """The agreement's actions checked as a set (cooperation/models/actions.py, action_errors)
    against the parties the form names, each message on the action and field it concerns."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.checked_with_siblings = True  # the formset checks them together, below
        return form

    def posted_parties(self):
        """The parties the agreement's form sends (its ``parties`` field), or its saved ones."""
        if self.is_bound and hasattr(self.data, "getlist"):
            return {int(value) for value in self.data.getlist("parties") if str(value).isdigit()}
        return set(self.instance.parties.values_list("pk", flat=True)) if self.instance.pk else set()

    def clean(self):
        super().clean()
        # The rows that are valid on their own are checked together even when another row is not,
        # so that one save shows every mistake ("sometime in 2007" on one row, an entry into force
        # before the signature on another).
        forms = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form)) and form.cleaned_data and not form.errors
        ]
        by_action = {id(form.instance): form for form in forms}
        actions = [form.instance for form in forms]
        errors = action_errors(actions, self.posted_parties())
        for action, field, message in errors:
            by_action[id(action)].add_error(field, message)
        problems = [] if errors else summary_errors(actions)
        if problems:
            raise ValidationError(problems)


class AgreementActionInline(RegistryFormFieldsMixin, admin.TabularInline):
    model = AgreementAction
    formset = AgreementActionFormSet
    fields = [
        "kind",
        "date",
        "party",
        "place",
        "location",
        "act",
        "note",
    ]  # the order of same-day actions: on its own page
    autocomplete_fields = ["party", "location"]
    show_change_link = True  # its sources: on the action's own page
    verbose_name = _("action (signature, ratification, approval, accession, entry into force …)")
    verbose_name_plural = _("actions: signature, consent to be bound, entry into force, withdrawal, termination")

    # A new agreement's form starts with the three rows most agreements need, their kinds chosen;
    # a row left without a date is not saved (it is unchanged). A saved agreement gets one empty row.
    # (AgreementAdmin.get_formset_kwargs gives their kinds.)
    FIRST_ROWS = [ActionKind.SIGNATURE, ActionKind.RATIFICATION, ActionKind.ENTRY_INTO_FORCE]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is not None else len(self.FIRST_ROWS)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party", "location")


@admin.register(AgreementAction)
class AgreementActionAdmin(LocatedAdminMixin, RegistryFormFieldsMixin, admin.ModelAdmin):
    """One action on its own page, for its sources (an inline cannot hold the citations)."""

    list_display = ["agreement", "kind", "date", "party", "act"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "party"]
    search_fields = ["agreement__title", "agreement__short_title", "act", "place"]
    autocomplete_fields = ["agreement", "party", "location"]
    fields = ["agreement", "kind", "date", "party", "place", "location", "act", "note", "ordering"]
    location_text_field = "place"
    inlines = [CitationInline]
    view_on_site = False

    # An action is part of its agreement: a published agreement's actions (and their sources)
    # are changed only by a Publisher, as in the agreement's own form.
    def _locked(self, request, obj):
        return obj is not None and obj.agreement.published and not may_publish(request.user, Agreement)

    def has_change_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        may = may_publish(request.user, Agreement)

        class ActionForm(form):
            def clean_agreement(self):
                agreement = self.cleaned_data["agreement"]
                if agreement is not None and agreement.published and not may:
                    raise ValidationError(
                        _("This agreement is published: only a Publisher can add or change its actions.")
                    )
                return agreement

        return ActionForm


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    slug_source = "title"
    list_display = ["title", "short_title", "kind", "party_names", "signed", "status", "published"]
    list_filter = [
        StatusFilter,
        "published",
        "kind",
        year_filter("signed", _("year signed")),
        ("parties", BusiestRelatedFilter),  # the 30 in most agreements: cooperation/backoffice/changelist.py
    ]
    list_prefetch_related = ["parties"]
    search_fields = ["title", "short_title", "signed_place", "parties__name", "parties__acronym"]
    search_help_text = _("Search titles, the place signed, and the parties' names and acronyms.")
    autocomplete_fields = ["parties", "topics"]
    inlines = [*RecordAdmin.inlines, AgreementActionInline]
    readonly_fields = [*RecordAdmin.readonly_fields, "signed", "signed_place", "ratified", "in_force", "ended"]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "kind", "parties", "topics"]}),
        (
            _("Dates, from the actions"),
            {
                "fields": [("signed", "signed_place"), ("ratified", "in_force"), "ended"],
                "description": _(
                    "These follow from the actions below and are not edited here: the first "
                    "signature (and its place), the first consent to be bound, the first entry into force, the "
                    "termination. The status (signed, ratified, in force, ended) follows from them. Give each "
                    "action's date as precisely as the source does: a year (1998), a month (2006-08) or a day "
                    "(1999-12-08)."
                ),
            },
        ),
        (None, {"fields": ["description", "legal_summary"]}),
        (_("Staff only"), {"fields": ["legal_notes"], "description": _("Never shown on the public site.")}),
        publishing_fieldset(),
    ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AgreementActionInline) and obj.pk is None:
            kwargs["initial"] = [{"kind": kind} for kind in inline.FIRST_ROWS]
        return kwargs

    def save_related(self, request, form, formsets, change):
        # The summary is written once all actions are saved (deferred_summary).
        with deferred_summary():
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is AgreementAction:
            save_located_formset(request, formset, "place")
        else:
            super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    @admin.display(description=_("status"), ordering=STATUS_ORDER)
    def status(self, agreement):
        return Agreement.Status(agreement.current_status).label

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return ", ".join(partner.short_name for partner in agreement.parties.all())


class ProjectPartnerInline(RegistryFormFieldsMixin, admin.TabularInline):
    model = ProjectPartner
    fields = ["partner", "role", "note"]
    autocomplete_fields = ["partner"]
    extra = 2
    verbose_name_plural = _("partners and their roles")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner")


class MoneyInline(RegistryFormFieldsMixin, admin.TabularInline):
    """A project's budgets or transaction totals, the currency chosen from the ISO 4217 codes."""

    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "currency":
            return forms.TypedChoiceField(
                choices=currency_choices(),
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
                required=True,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class BudgetInline(MoneyInline):
    model = Budget
    fields = ["kind", "status", "period_start", "period_end", "amount", "currency", "value_date"]
    verbose_name_plural = _("budgets (amounts in the currency the source gives)")


class TransactionTotalInline(MoneyInline):
    model = TransactionTotal
    fields = ["year", "kind", "amount", "currency", "count"]
    verbose_name_plural = _("transactions, summed a year, kind and currency")


@admin.register(Project)
class ProjectAdmin(IatiImportMixin, RecordAdmin):
    slug_source = "title"
    list_display = ["title", "short_title", "phase", "partner_roles", "start", "end", "status", "published"]
    list_filter = [
        "status",
        "published",
        year_filter("start", _("year started")),
        ("topics", BusiestRelatedFilter),  # the 30 in most projects: cooperation/backoffice/changelist.py
        ("partners", BusiestRelatedFilter),
    ]
    list_prefetch_related = [
        Prefetch("project_partners", queryset=ProjectPartner.objects.select_related("partner")),
    ]
    search_fields = ["title", "short_title", "phase", "partners__name", "partners__acronym"]
    search_help_text = _("Search titles, acronyms, phases, and the partners' names and acronyms.")
    autocomplete_fields = ["topics", "agreements"]
    inlines = [ProjectPartnerInline, BudgetInline, TransactionTotalInline, *RecordAdmin.inlines]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "short_title",
                    "phase",
                    ("start", "end"),
                    ("planned_start", "planned_end"),
                    ("status", "status_as_of"),
                    "recipient_countries",
                    "topics",
                    "agreements",
                ]
            },
        ),
        (None, {"fields": ["description"]}),
        publishing_fieldset(),
    ]

    @admin.display(description=_("partners"))
    def partner_roles(self, project):
        return ", ".join(str(role) for role in project.project_partners.all())
