"""The IATI import in the admin: "Import from IATI" on the projects list (upload an activity file,
see the report), the mapping of IATI sectors and tags to topics that staff edit, and the list of
imported activities.

Importing needs the project add and change permissions, as the spreadsheet import does
(cooperation/imports/admin.py); updating a published project needs its publish permission as
well (cooperation/iati/apply.py). The import runs while the page waits: a file of thousands of
activities is better given to ``manage.py import_iati``.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy

from cooperation.iati.codelists import name_of
from cooperation.iati.files import import_file
from cooperation.iati.report import ACTIONS
from cooperation.imports.limits import megabytes
from cooperation.models import IatiActivity, IatiTopicMapping

UPLOAD_LIMIT = 100 * 1024 * 1024  # bytes
# The codelists that name a mapping's code, by element and vocabulary.
CODELISTS = {
    ("sector", "1"): "Sector",
    ("sector", "2"): "SectorCategory",
    ("sector", "7"): "UNSDG-Goals",
    ("tag", "2"): "UNSDG-Goals",
}


class IatiImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("IATI activity file"),
        widget=forms.FileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
        error_messages={
            "required": gettext_lazy("Choose a file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    overwrite = forms.BooleanField(
        label=gettext_lazy("Write over staff's changes"),
        required=False,
        help_text=gettext_lazy(
            "Without this, a project staff have changed since its import is left as it is and reported as a conflict."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "IATI activity XML (a whole <iati-activities> file or one <iati-activity>), at most %(size)s."
        ) % {"size": megabytes(UPLOAD_LIMIT)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError(
                gettext("The file is larger than %(size)s: import it with manage.py import_iati.")
                % {"size": megabytes(UPLOAD_LIMIT)}
            )
        return upload


class IatiImportMixin:
    """ "Import from IATI" for the projects' ModelAdmin."""

    iati_import_template = "admin/iati/import.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.iati_import_view)
        return [path("import-iati/", view, name="{}_{}_import_iati".format(*info)), *super().get_urls()]

    def has_iati_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        url = None
        if self.has_iati_import_permission(request):
            url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_import_iati")
        return super().changelist_view(request, {"iati_import_url": url, **(extra_context or {})})

    def iati_import_view(self, request):
        if not self.has_iati_import_permission(request):
            raise PermissionDenied
        report = None
        form = IatiImportForm()
        if request.method == "POST":
            form = IatiImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                upload.seek(0)
                report = import_file(
                    upload, file_name=upload.name, user=request.user, overwrite=form.cleaned_data["overwrite"]
                )
                form = IatiImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import projects from IATI"),
            "form": form,
            "report": report,
            "counts": [(action, label, report.counts()[action]) for action, label in ACTIONS.items()] if report else [],
            "changelist_url": reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist"
            ),
            "mappings_url": reverse(f"{self.admin_site.name}:cooperation_iatitopicmapping_changelist"),
        }
        return TemplateResponse(request, self.iati_import_template, context)


@admin.register(IatiTopicMapping)
class IatiTopicMappingAdmin(admin.ModelAdmin):
    list_display = ["element", "vocabulary", "code", "code_name", "topic"]
    list_filter = ["element", "vocabulary"]
    search_fields = ["code", "topic__name"]
    autocomplete_fields = ["topic"]
    list_select_related = ["topic"]

    @admin.display(description=gettext_lazy("IATI name"))
    def code_name(self, mapping):
        name = CODELISTS.get((mapping.element, mapping.vocabulary))
        return name_of(name, mapping.code) if name else ""


@admin.register(IatiActivity)
class IatiActivityAdmin(admin.ModelAdmin):
    list_display = ["identifier", "project", "publisher_name", "file_name", "last_updated", "imported_at"]
    list_select_related = ["project"]
    search_fields = ["identifier", "project__title", "publisher", "publisher_name"]
    readonly_fields = [field.name for field in IatiActivity._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
