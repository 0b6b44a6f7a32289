"""The admin's Import pages: a mixin for a record's ModelAdmin (one of ``RecordAdmin``'s bases,
``cooperation/backoffice/admin.py``) adding, beside the changelist of every model the import
knows (``schemas.SCHEMAS``: partners, agreements, projects, meetings),

- ``import/``: upload a file → a preview of every row (create / update / unchanged / error)
  → confirm; the file travels from the preview to the confirmation in a signed, compressed
  hidden field, so any app server can take the second request;
- ``import/template.csv`` and ``import/template.xlsx``: empty files with the columns.

Importing needs the model's add and change permissions; changing a published record needs
its publish permission as well (``cooperation.core.permissions.may_publish``).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext

from cooperation.imports.apply import ImportRefused, confirm_import
from cooperation.imports.files import (
    XLSX_CONTENT_TYPE,
    ImportFileError,
    check_size,
    csv_bytes,
    read_table,
    sign_preview,
    unsign_preview,
    xlsx_bytes,
)
from cooperation.imports.limits import Limits, megabytes
from cooperation.imports.plan import CREATE, ERROR, UNCHANGED, UPDATE, plan_import
from cooperation.imports.schemas import SCHEMAS

ACTION_LABELS = {
    CREATE: gettext_lazy("Create"),
    UPDATE: gettext_lazy("Update"),
    UNCHANGED: gettext_lazy("Unchanged"),
    ERROR: gettext_lazy("Error"),
}
# Room left in the confirm request's body for the other fields (see DATA_UPLOAD_MAX_MEMORY_SIZE).
PAYLOAD_MARGIN = 16 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        widget=forms.FileInput(attrs={"accept": f".csv,.xlsx,text/csv,{XLSX_CONTENT_TYPE}"}),
        error_messages={
            "required": gettext_lazy("Choose a file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = Limits.from_settings()
        self.fields["file"].help_text = gettext(
            "A CSV file (UTF-8; commas or semicolons) or an Excel workbook (.xlsx, first sheet), "
            "at most %(size)s and %(rows)s rows. Row 1 names the columns."
        ) % {"size": megabytes(self.limits.upload_bytes), "rows": f"{self.limits.rows:,}"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, self.limits)  # before the upload is read into memory
            self.table = read_table(upload.name, upload.read(), self.limits)
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload


class ImportMixin:
    """Import for a record's ModelAdmin, if the import knows its model (partners, agreements,
    projects, meetings); a ModelAdmin of any other model is left as it is."""

    import_template = "admin/imports/import.html"

    @property
    def importable(self):
        return self.model in SCHEMAS

    def get_urls(self):
        if not self.importable:
            return super().get_urls()
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view), name="{}_{}_import".format(*info)),
            path(
                "import/template.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
        ]
        return urls + super().get_urls()

    def has_import_permission(self, request):
        return self.importable and self.has_add_permission(request) and self.has_change_permission(request)

    def _admin_url(self, name, *args):
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def changelist_view(self, request, extra_context=None):
        if not self.importable:
            return super().changelist_view(request, extra_context)
        extra = {"import_url": self._admin_url("import") if self.has_import_permission(request) else None}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    # Views --------------------------------------------------------------------------------

    def import_template_view(self, request, extension):
        if not self.has_import_permission(request):
            raise PermissionDenied
        schema = SCHEMAS[self.model]
        if extension == "csv":
            response = HttpResponse(csv_bytes(schema.columns), content_type="text/csv; charset=utf-8; header=present")
        elif extension == "xlsx":
            content = xlsx_bytes(schema.name, schema.columns, described=schema.describe_columns())
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        else:
            raise Http404(gettext("Templates are .csv or .xlsx files."))
        response["Content-Disposition"] = f'attachment; filename="{schema.name}-import-template.{extension}"'
        return response

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm(request)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                plan = plan_import(self.model, form.table, request.user)
                return self._render(request, ImportForm(), plan=plan)
            return self._render(request, form)
        return self._render(request, ImportForm())

    def _confirm(self, request):
        try:
            table, fingerprint = unsign_preview(request.POST["payload"], self.opts.label)
        except signing.SignatureExpired:
            return self._render(
                request,
                ImportForm(),
                problem=gettext("This preview is more than two hours old. Upload the file again."),
            )
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            return self._render(
                request, ImportForm(), problem=gettext("The preview could not be read back. Upload the file again.")
            )
        try:
            plan, result = confirm_import(model=self.model, table=table, user=request.user, fingerprint=fingerprint)
        except ImportRefused as error:
            return self._render(request, ImportForm(), problem=str(error))
        if result is None:
            return self._render(
                request,
                ImportForm(),
                plan=plan,
                problem=gettext(
                    "Nothing was saved: the records changed after your preview. "
                    "Check this new preview, then confirm again."
                ),
            )
        self.message_user(request, self._success_message(table.filename, result), messages.SUCCESS)
        return HttpResponseRedirect(self._admin_url("changelist"))

    def _success_message(self, filename, result):
        opts = self.opts
        parts = []
        if result.created:
            noun = opts.verbose_name if result.created == 1 else opts.verbose_name_plural
            parts.append(
                ngettext(
                    "%(count)s %(name)s created (as drafts)", "%(count)s %(name)s created (as drafts)", result.created
                )
                % {"count": result.created, "name": noun}
            )
        if result.updated:
            parts.append(ngettext("%(count)s updated", "%(count)s updated", result.updated) % {"count": result.updated})
        if result.unchanged:
            parts.append(
                ngettext("%(count)s unchanged", "%(count)s unchanged", result.unchanged) % {"count": result.unchanged}
            )
        if not parts:
            return gettext("Imported %(filename)s: nothing to change.") % {"filename": filename}
        # A list of counts: "1 partner created (as drafts), 2 updated".
        return gettext("Imported %(filename)s: %(counts)s.") % {"filename": filename, "counts": ", ".join(parts)}

    def _render(self, request, form, plan=None, problem=None):
        schema = SCHEMAS[self.model]
        payload = None
        if plan is not None and not plan.has_errors and plan.has_changes:
            payload = sign_preview(plan.table, self.opts.label, plan.fingerprint)
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and len(payload) > limit - PAYLOAD_MARGIN:
                payload = None
                problem = gettext(
                    "This file is too large to confirm in one step once previewed. Split it into smaller "
                    "files and import them one after the other."
                )
        rows = []
        if plan is not None:
            rows = [
                {
                    "number": row.number,
                    "slug": row.slug,
                    "action": row.action,
                    "label": ACTION_LABELS[row.action],
                    "changes": row.changes,
                    "errors": row.errors,
                }
                for row in plan.rows
            ]
        counts = plan.counts if plan is not None else {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import %(names)s") % {"names": self.opts.verbose_name_plural},
            "form": form,
            "plan": plan,
            "rows": rows,
            "counts": [(ACTION_LABELS[action], action, counts.get(action, 0)) for action in ACTION_LABELS],
            "payload": payload,
            "problem": problem,
            "columns": schema.describe_columns()[1:],
            "required_columns": schema.required_columns,
            "list_name": schema.name,
            "changelist_url": self._admin_url("changelist"),
            "import_url": self._admin_url("import"),
            "template_csv_url": self._admin_url("import_template", "csv"),
            "template_xlsx_url": self._admin_url("import_template", "xlsx"),
            "export_url": schema.spec.path + "?format=csv",
            "verbose_name": self.opts.verbose_name,
            "verbose_name_plural": capfirst(self.opts.verbose_name_plural),
        }
        return TemplateResponse(request, self.import_template, context)
