"""Admin pieces every record shares: the base ModelAdmin, date inputs, year filters, citations, claims.

Each app's ``admin.py`` builds on :class:`RecordAdmin`; what differs between models (columns,
filters, inlines) stays there, what is the same lives here once. Its publish and unpublish
actions call the services of ``cooperation/backoffice/services.py``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext
from simple_history.admin import SimpleHistoryAdmin

from cooperation.backoffice.changelist import EstimatedCountPaginator, distinct_values, is_big_table
from cooperation.backoffice.history import HistoryAdminMixin
from cooperation.backoffice.publishing import PublishingRulesMixin
from cooperation.backoffice.services import publish_records, unpublish_records
from cooperation.backoffice.translations import TranslationsSideBySideMixin, is_translated
from cooperation.core.cache import cached
from cooperation.core.partial_dates import PartialDateField
from cooperation.imports.admin import ImportMixin
from cooperation.models import Citation, Claim

DATE_HINT = gettext_noop(
    "Type 1998, 2006-08 or 1999-12-08 (or “August 2006”, “8 December 1999”); “second half of 2007” or “Q3 2010” "
    "for part of a year."
)
QUALIFIED_DATE_HINT = gettext_noop("“About 2008” or “2007?” when the source says so.")
DATE_PLACEHOLDER = "1998, 2006-08 or 1999-12-08"
TIMESTAMPS = ("created_at", "updated_at")
# Long names and titles, and the autocomplete boxes beside them, get room to be read whole.
WIDE_INPUT = "width: min(100%, 40em)"
WIDE_AUTOCOMPLETE = "width: 40em"  # select2 reads only a plain length from the style attribute
# A table row of an inline has many columns: keep each one narrow (the header's "?" gives the hint).
TABULAR_TEXT = "width: 9em"
TABULAR_DATE = "width: 7.5em"
TABULAR_DATE_PLACEHOLDER = gettext_lazy("e.g. 2006-08")

# Fields every record has that a claim cannot be about.
RECORD_BOOKKEEPING = {"id", "slug", "published", "created_at", "updated_at"}


class RegistryFormFieldsMixin(TranslationsSideBySideMixin):
    """Form fields that explain themselves, translations beside the English; for ModelAdmins and
    inlines alike."""

    @property
    def is_tabular(self):
        return getattr(self, "template", "").endswith("tabular.html")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # Staff paste addresses without a scheme; today's sites are https.
            kwargs.setdefault("assume_scheme", "https")
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return formfield
        if isinstance(db_field, PartialDateField):
            # The model's help text says what the date means; add what to type.
            hint = gettext(DATE_HINT)
            if db_field.qualifier_field:
                hint = f"{hint} {gettext(QUALIFIED_DATE_HINT)}"
            formfield.help_text = f"{db_field.help_text} {hint}".strip()
            if self.is_tabular:
                formfield.widget.attrs.update(placeholder=TABULAR_DATE_PLACEHOLDER, style=TABULAR_DATE)
            else:
                formfield.widget.attrs.update(placeholder=DATE_PLACEHOLDER, size=24)
        elif self.is_tabular and isinstance(db_field, models.CharField):
            formfield.widget.attrs["style"] = TABULAR_TEXT
        if self.is_tabular and isinstance(db_field, models.ForeignKey):
            # In a table row, deleting or editing the related record (a source, a partner)
            # from here is a trap and the icons crowd the row; "add" and "view" stay.
            formfield.widget.can_change_related = formfield.widget.can_delete_related = False
        if db_field.name == "slug":
            formfield.error_messages["unique"] = gettext_lazy(
                "Another record already has this address. Change the slug, for example by adding the year."
            )
        return formfield


class PartialDateYearFilter(admin.SimpleListFilter):
    """Filter by the year of a partial date: the years present, newest first, then "No date".

    ``date_hierarchy`` needs a real DateField; build one of these per field with
    :func:`year_filter`.
    """

    field_name = None
    NO_DATE = "none"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .prefetch_related(None)
            .filter(**{f"{self.field_name}__isnull": False})
            .order_by(f"-{self.field_name}__year")
            .values_list(f"{self.field_name}__year", flat=True)
            .distinct()
        )

        # A DISTINCT over every row: read once per change to the data (cooperation/core/cache.py);
        # of a big table, one index probe a year (cooperation/backoffice/changelist.py).
        def compute():
            if is_big_table(model_admin.get_queryset(request).prefetch_related(None)):
                column = model_admin.model._meta.get_field(self.field_name).column
                return distinct_values(model_admin.model, column, per=10000)[::-1]
            return list(years)

        years = cached("admin-years", [str(years.query)], compute)
        return [*((str(year), str(year)) for year in years), (self.NO_DATE, gettext("No date"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == self.NO_DATE:
            return queryset.filter(**{f"{self.field_name}__isnull": True})
        if not value.isdigit():
            raise admin.options.IncorrectLookupParameters(gettext("%(value)r is not a year.") % {"value": value})
        return queryset.filter(**{f"{self.field_name}__year": int(value)})


def year_filter(field_name, title=None):
    """A :class:`PartialDateYearFilter` for ``field_name`` (``?<field>_year=2006``)."""
    return type(
        f"{field_name.title().replace('_', '')}YearFilter",
        (PartialDateYearFilter,),
        {
            "field_name": field_name,
            "parameter_name": f"{field_name}_year",
            "title": title or f"year {field_name.replace('_', ' ')}",
        },
    )


def view_published_on_site(model_admin, obj):
    """The "View on site" link: drafts have no public page, so only published records get one."""
    return obj.get_absolute_url() if obj.published else None


class RecordChangeList(ChangeList):
    """Adds the ModelAdmin's ``list_prefetch_related`` to the rows of the list page only."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.prefetch_related(*self.model_admin.list_prefetch_related)


class UniqueRowsFormSet(BaseGenericInlineFormSet):
    """Generic inline rows that reject duplicates before the database does.

    A generic inline's form has no content-type/object-id fields, so Django's own formset
    uniqueness check cannot see the record's unique constraints; without this, two identical
    rows in one submission end in an IntegrityError.
    """

    unique_fields = ()
    duplicate_message = gettext_lazy("This row repeats another one.")

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if not hasattr(form, "cleaned_data") or any(field in form.errors for field in self.unique_fields):
                continue
            key = tuple(form.cleaned_data.get(field) for field in self.unique_fields)
            if key in seen:
                form.add_error(None, self.duplicate_message)
            seen.add(key)


class CitationFormSet(UniqueRowsFormSet):
    unique_fields = ("source", "locator")
    duplicate_message = gettext_lazy(
        "The record already cites this source at this place: change the page or remove the row."
    )


class ClaimFormSet(UniqueRowsFormSet):
    unique_fields = ("field", "source", "value")
    duplicate_message = gettext_lazy("This claim is already listed: remove the repeated row.")

    def clean(self):
        super().clean()
        preferred = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or not data.get("preferred") or data.get("DELETE"):
                continue
            field = data.get("field")
            if field in preferred:
                raise ValidationError(
                    gettext("Only one claim about “%(field)s” can be preferred: untick “preferred” on all but one.")
                    % {"field": field}
                )
            preferred[field] = form


class CitationInline(RegistryFormFieldsMixin, GenericTabularInline):
    model = Citation
    formset = CitationFormSet
    fields = ["source", "locator"]
    autocomplete_fields = ["source"]
    extra = 1
    verbose_name = gettext_lazy("source cited")
    verbose_name_plural = gettext_lazy("sources cited")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


def claim_field_choices(model):
    """The fields of ``model`` a source can make a claim about, as (name, label) choices."""
    choices = []
    for field in model._meta.get_fields():
        summary = field.name in getattr(model, "CLAIMABLE_SUMMARY", ())
        if field.auto_created or field.name in RECORD_BOOKKEEPING or not (getattr(field, "editable", False) or summary):
            continue
        if field.concrete or field.many_to_many:
            choices.append((field.name, capfirst(field.verbose_name)))
    return choices


class ClaimForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["field"]
        current = self.instance.field
        if current and current not in dict(field.choices):
            # A claim imported about a field this list does not offer stays editable.
            field.choices = [*field.choices, (current, current)]


class ClaimInline(RegistryFormFieldsMixin, GenericTabularInline):
    model = Claim
    form = ClaimForm
    formset = ClaimFormSet
    fields = ["field", "value", "source", "locator", "preferred", "reason", "note"]
    autocomplete_fields = ["source"]
    extra = 0
    classes = ["collapse"]
    verbose_name = gettext_lazy("claim where sources disagree")
    verbose_name_plural = gettext_lazy("claims where sources disagree")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field":
            # A select of the record's own fields keeps each claim attached to a real fact.
            return forms.ChoiceField(
                choices=[("", "---------"), *claim_field_choices(self.parent_model)],
                label=capfirst(db_field.verbose_name),
                help_text=gettext_lazy("The fact the sources disagree about."),
            )
        if db_field.name == "note":
            kwargs["widget"] = admin.widgets.AdminTextareaWidget(attrs={"rows": 2, "style": "width: 14em"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RecordAdmin(ImportMixin, PublishingRulesMixin, HistoryAdminMixin, RegistryFormFieldsMixin, SimpleHistoryAdmin):
    """What every record's admin does: slug from the name, drafts, citations, claims, view on site;
    the Import pages for the models the import knows (``cooperation/imports/admin.py``)."""

    slug_source = "name"
    list_prefetch_related = ()
    inlines = [CitationInline, ClaimInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    save_on_top = True
    list_per_page = 50
    # Big tables: no second COUNT of the whole table beside the filtered one, and an unfiltered
    # list of one counted from PostgreSQL's estimate ("about 1,000,000", cooperation/backoffice/changelist.py).
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    class Media:
        # The slug a new record's name suggests is at most 60 characters, cut at a word; the
        # script wraps urlify.js, so it is named after it (Media keeps that order when merging).
        js = ["admin/js/urlify.js", "js/admin-slug.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return formfield
        if db_field.name in self.get_autocomplete_fields(request):
            getattr(formfield.widget, "widget", formfield.widget).attrs["style"] = WIDE_AUTOCOMPLETE
        elif (
            isinstance(db_field, models.CharField)
            and not db_field.choices
            and db_field.max_length >= 200
            # Not a field shown with its translations on one row: three wide inputs do not fit.
            and not is_translated(self.model, db_field.name)
        ):
            formfield.widget.attrs["style"] = WIDE_INPUT
        return formfield

    def get_fieldsets(self, request, obj=None):
        """A record being added has no timestamps yet: leave them out of its form."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != TIMESTAMPS]})
            for name, options in fieldsets
        ]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": (self.slug_source,), **super().get_prepopulated_fields(request, obj)}

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    view_on_site = view_published_on_site

    def _published_message(self, request, count, message):
        opts = self.model._meta
        name = opts.verbose_name if count == 1 else opts.verbose_name_plural
        self.message_user(request, message % {"count": count, "name": name}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Publish the selected %(verbose_name_plural)s"), permissions=["publish"])
    def publish(self, request, queryset):
        count = publish_records(user=request.user, queryset=queryset)
        message = ngettext("%(count)s %(name)s published.", "%(count)s %(name)s published.", count)
        self._published_message(request, count, message)

    @admin.action(
        description=gettext_lazy("Make the selected %(verbose_name_plural)s drafts again"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        count = unpublish_records(user=request.user, queryset=queryset)
        message = ngettext("%(count)s %(name)s made drafts.", "%(count)s %(name)s made drafts.", count)
        self._published_message(request, count, message)


def publishing_fieldset(*extra):
    """The fieldset every record's form ends with."""
    return (
        gettext_lazy("Publishing"),
        {
            "fields": ["slug", "published", *extra, TIMESTAMPS],
            "description": gettext_lazy(
                "The slug is filled in from the name; check it before the first save, "
                "because it becomes the public address."
            ),
        },
    )


def with_count(queryset, attribute, relation):
    """Annotate ``attribute`` with the number of related ``relation`` rows, keeping the model's order.

    (A GROUP BY query drops ``Meta.ordering``; the autocomplete view paginates, so restore it.)
    """
    return queryset.annotate(**{attribute: models.Count(relation)}).order_by(*queryset.model._meta.ordering)


def count_column(attribute, description):
    """A ModelAdmin method showing an annotated count, sortable by it."""

    @admin.display(description=description, ordering=attribute)
    def column(model_admin, obj):
        return getattr(obj, attribute)

    return column


__all__ = [
    "DATE_HINT",
    "CitationInline",
    "ClaimInline",
    "PartialDateYearFilter",
    "RecordAdmin",
    "count_column",
    "with_count",
    "publishing_fieldset",
    "view_published_on_site",
    "year_filter",
]
