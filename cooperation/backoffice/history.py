"""History in the admin: each record's versions, revert, deleted records and restore, recent changes.

- :class:`HistoryAdminMixin` (one of ``RecordAdmin``'s bases) replaces django-simple-history's
  history page with one that lists *versions* (what one person did in one save: the record's
  fields, its links, its citations, claims, partners or posts; see ``cooperation/history/``),
  newest first, each with its changes in words, and a "Revert to this version" that shows what
  will change back before it does it (the services ``revert_record`` and ``restore_record``
  do it). simple-history's own revert form is retired: it restored the fields only (not links,
  not inline rows) and bypassed the publishing rule; its URLs lead here.
- :func:`recent_changes_view` and :func:`deleted_records_view` (at ``<admin>/history/``, added
  to the admin by ``cooperation/backoffice/sites.py``): the site-wide "Recent changes" and
  "Deleted records" pages; the site adds both to the admin's app list, so they show on the
  index and in the navigation sidebar of every admin page.

Permissions: the history pages need the model's view (or change) permission. Reverting needs
change permission; restoring needs add permission; and either needs the model's publish
permission when a published record is involved (the record now, or the version it goes back
to; cooperation/core/permissions.py). A deleted published record restored by someone who may not
publish comes back as a draft, and the page says so.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from cooperation.history.describe import ACTION_WORDS
from cooperation.history.lists import Cursor, deleted_records, recent_changes
from cooperation.history.plans import CannotApply, may_write, refusal
from cooperation.history.restore import restore_plan, restore_record
from cooperation.history.revert import revert_plan, revert_record
from cooperation.history.tracking import (
    history_of,
    model_from_label,
    model_label,
    newest_first,
    record_models,
    tracked_models,
)
from cooperation.history.versions import describe_versions, from_stamp, record_versions, to_stamp

PAGE_SIZE = 50
ACTION_CODES = {"created": "+", "changed": "~", "deleted": "-"}
NO_USER = "none"


def _model_url(model, name, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


class HistoryAdminMixin:
    """Versions, revert and restore for a record's ModelAdmin (with SimpleHistoryAdmin below it)."""

    object_history_template = "admin/history/object_history.html"
    revert_template = "admin/history/revert.html"
    restore_template = "admin/history/restore.html"
    history_versions_per_page = 20

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/version/<int:stamp>/revert/",
                wrap(self.revert_view),
                name="{}_{}_revert".format(*info),
            ),
            path("<path:object_id>/restore/", wrap(self.restore_view), name="{}_{}_restore".format(*info)),
            *super().get_urls(),
        ]

    # Helpers ---------------------------------------------------------------------------

    def _pk(self, object_id):
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404(
                gettext("“%(id)s” is not a %(name)s number.") % {"id": object_id, "name": self.opts.verbose_name}
            ) from error

    def _live(self, pk):
        return self.model._base_manager.filter(pk=pk).first()

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    # The history page --------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        pk = self._pk(object_id)
        obj = self._live(pk)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        all_versions, refs = record_versions(self.model, pk)
        if obj is None and not all_versions:
            raise Http404(
                gettext("No %(name)s with number %(pk)s, and no history of one.")
                % {"name": self.opts.verbose_name, "pk": pk}
            )
        paginator = Paginator(all_versions, self.history_versions_per_page)
        page = paginator.get_page(request.GET.get("p"))
        describe_versions(self.model, page.object_list, refs)
        newest = all_versions[0] if all_versions else None
        may_revert = obj is not None and self.has_change_permission(request)
        for version in page.object_list:
            version.revert_url = (
                _model_url(self.model, "revert", pk, version.stamp)
                if may_revert and version is not newest and version.action != "deleted"
                else None
            )
        label = str(obj) if obj is not None else self._deleted_label(pk)
        context = self._context(
            request,
            gettext("History: %(label)s") % {"label": label},
            object=obj,
            object_id=pk,
            label=label,
            page_obj=page,
            page_range=paginator.get_elided_page_range(page.number),
            pagination_required=paginator.num_pages > 1,
            restore_url=_model_url(self.model, "restore", pk) if obj is None else None,
            recent_url=_filtered(reverse("admin:history:recent"), self.model),
            **(extra_context or {}),
        )
        return TemplateResponse(request, self.object_history_template, context)

    def _deleted_label(self, pk):
        row = newest_first(history_of(self.model).objects.filter(id=pk)).first()
        return str(row.instance) if row else f"{self.opts.verbose_name} #{pk}"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's revert form, retired: its links lead to this version's revert page."""
        pk = self._pk(object_id)
        row = history_of(self.model).objects.filter(id=pk, history_id=version_id).first()
        if row is None:
            raise Http404(gettext("No such version."))
        return HttpResponseRedirect(_model_url(self.model, "revert", pk, to_stamp(row.history_date)))

    # Revert ------------------------------------------------------------------------------

    def revert_view(self, request, object_id, stamp):
        pk = self._pk(object_id)
        obj = self._live(pk)
        if obj is None:
            if history_of(self.model).objects.filter(id=pk).exists():
                self.message_user(
                    request,
                    gettext("This %(name)s has been deleted: restore it first, then revert it.")
                    % {"name": self.opts.verbose_name},
                    messages.WARNING,
                )
                return HttpResponseRedirect(_model_url(self.model, "history", pk))
            raise Http404(gettext("No %(name)s with number %(pk)s.") % {"name": self.opts.verbose_name, "pk": pk})
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        history_url = _model_url(self.model, "history", pk)
        try:
            if request.method == "POST":
                plan = revert_record(model=self.model, pk=pk, stamp=stamp, user=request.user)
            else:
                plan = revert_plan(self.model, pk, stamp)
        except (self.model.DoesNotExist, OverflowError, ValueError) as error:
            raise Http404(str(error)) from error
        except CannotApply as error:
            plan = error.plan
            plan.problems.append(str(error))
        else:
            if request.method == "POST":
                return self._reverted(request, plan, history_url)
        allowed = may_write(request.user, self.model, plan.published)
        context = self._context(
            request,
            gettext("Revert “%(record)s”?") % {"record": obj},
            object=obj,
            object_id=pk,
            plan=plan,
            allowed=allowed,
            refusal=None if allowed else refusal(self.model, plan.published),
            history_url=history_url,
            version_date=from_stamp(stamp),
        )
        return TemplateResponse(request, self.revert_template, context)

    def _reverted(self, request, plan, history_url):
        if not plan.has_changes:
            self.message_user(
                request, gettext("Nothing to revert: the record is already as it was then."), messages.INFO
            )
            return HttpResponseRedirect(history_url)
        reason = f"{plan.reason[0].lower()}{plan.reason[1:]}"
        self.message_user(
            request,
            gettext("The %(name)s “%(record)s” was reverted: %(reason)s.")
            % {"name": self.opts.verbose_name, "record": plan.record, "reason": reason},
            messages.SUCCESS,
        )
        for note in plan.notes:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(history_url)

    # Restore -----------------------------------------------------------------------------

    def restore_view(self, request, object_id):
        pk = self._pk(object_id)
        obj = self._live(pk)
        if obj is not None:
            self.message_user(
                request,
                gettext("The %(name)s “%(record)s” is not deleted.") % {"name": self.opts.verbose_name, "record": obj},
                messages.INFO,
            )
            return HttpResponseRedirect(_model_url(self.model, "change", pk))
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            if request.method == "POST":
                plan = restore_record(model=self.model, pk=pk, user=request.user)
            else:
                plan = restore_plan(self.model, pk, request.user)
        except self.model.DoesNotExist as error:
            raise Http404(str(error)) from error
        except CannotApply as error:
            plan = error.plan
            plan.problems.append(str(error))
        else:
            if request.method == "POST":
                return self._restored(request, plan)
        allowed = may_write(request.user, self.model, plan.published, adding=True)
        context = self._context(
            request,
            gettext("Restore “%(record)s”?") % {"record": plan.title},
            object=None,
            object_id=pk,
            plan=plan,
            allowed=allowed,
            refusal=None if allowed else refusal(self.model, plan.published, adding=True),
            history_url=_model_url(self.model, "history", pk),
            deleted_url=reverse("admin:history:deleted"),
        )
        return TemplateResponse(request, self.restore_template, context)

    def _restored(self, request, plan):
        children = [change for change in plan.objects if change.child and change.action == "restored"]
        values = {"name": self.opts.verbose_name, "record": plan.record, "count": len(children)}
        if children:
            message = ngettext(
                "The %(name)s “%(record)s” was restored, with %(count)s of the rows deleted with it.",
                "The %(name)s “%(record)s” was restored, with %(count)s of the rows deleted with it.",
                len(children),
            )
        else:
            message = gettext("The %(name)s “%(record)s” was restored.")
        self.message_user(request, message % values, messages.SUCCESS)
        for note in plan.notes:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(_model_url(self.model, "change", plan.pk))


# Site-wide pages ----------------------------------------------------------------------------


def _filtered(url, model):
    query = QueryDict(mutable=True)
    query["model"] = model_label(model)
    return f"{url}?{query.urlencode()}"


def viewable_models(user, models_):
    return [
        model
        for model in models_
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        or user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
    ]


def _cursor(request, problems):
    """(cursor, older) from ``?before=`` or ``?after=``; a cursor that names nothing is dropped."""
    for parameter, older in (("before", True), ("after", False)):
        text = request.GET.get(parameter)
        if text:
            cursor = Cursor.decode(text)
            if cursor is None:
                problems.append(
                    gettext("“%(text)s” is not a place in this list: showing the newest entries.") % {"text": text}
                )
                return None, True
            return cursor, older
    return None, True


def _link(request, **changes):
    query = request.GET.copy()
    for key in ("before", "after"):
        query.pop(key, None)
    for key, value in changes.items():
        if value is not None:
            query[key] = value
    return f"?{query.urlencode()}" if query else "?"


def _pages(request, entries, more, cursor, older):
    """Links to the newest, newer and older pages of a keyset-paginated list."""
    has_newer = (cursor is not None) if older else more
    has_older = more if older else bool(entries)
    return {
        "newest_url": _link(request) if has_newer else None,
        "newer_url": _link(request, after=entries[0].cursor.encode()) if has_newer and entries else None,
        "older_url": _link(request, before=entries[-1].cursor.encode()) if has_older and entries else None,
    }


def _model_choice(request, available, problems):
    label = request.GET.get("model")
    if not label:
        return available, ""
    model = model_from_label(label)
    if model is None or model not in available:
        problems.append(
            gettext("“%(label)s” is not a kind of record you can see here: showing all of them.") % {"label": label}
        )
        return available, ""
    return [model], label


def recent_changes_view(request, site):
    """Every change to every record, newest first, filterable by model, user and action (a page
    of the admin ``site``)."""
    problems = []
    available = viewable_models(request.user, tracked_models())
    chosen, chosen_label = _model_choice(request, available, problems)
    users = list(get_user_model()._base_manager.order_by("username"))
    user_value = request.GET.get("user", "")
    user_id, no_user = None, False
    if user_value == NO_USER:
        no_user = True
    elif user_value:
        user_id = next((user.pk for user in users if str(user.pk) == user_value), None)
        if user_id is None:
            problems.append(gettext("No user “%(user)s”: showing changes by everyone.") % {"user": user_value})
            user_value = ""
    action_value = request.GET.get("action", "")
    if action_value and action_value not in ACTION_CODES:
        problems.append(
            gettext("“%(action)s” is not an action (created, changed, deleted): showing all.")
            % {"action": action_value}
        )
        action_value = ""
    cursor, older = _cursor(request, problems)
    entries, more = ([], False)
    if chosen:
        entries, more = recent_changes(
            chosen,
            user_id=user_id,
            no_user=no_user,
            action=ACTION_CODES.get(action_value),
            cursor=cursor,
            older=older,
            size=PAGE_SIZE,
        )
    for entry in entries:
        # A record deleted since: its entry in "Deleted records" (where it can be restored).
        gone = entry.record_model is not None and not entry.live
        entry.deleted_url = _filtered(reverse("admin:history:deleted"), entry.record_model) if gone else None
    context = {
        **site.each_context(request),
        "title": gettext("Recent changes"),
        "entries": entries,
        "problems": problems,
        "models": [(model_label(m), capfirst(m._meta.verbose_name_plural)) for m in available],
        "users": users,
        "no_user": NO_USER,
        "actions": [(action, ACTION_WORDS[action]) for action in ACTION_CODES],
        "chosen_model": chosen_label,
        "chosen_user": user_value,
        "chosen_action": action_value,
        "page_size": PAGE_SIZE,
        **_pages(request, entries, more, cursor, older),
    }
    return TemplateResponse(request, "admin/history/recent_changes.html", context)


def deleted_records_view(request, site):
    """Records that were deleted and not restored, newest first, with what was deleted with them
    (a page of the admin ``site``)."""
    problems = []
    available = viewable_models(request.user, record_models())
    chosen, chosen_label = _model_choice(request, available, problems)
    cursor, older = _cursor(request, problems)
    entries, more = deleted_records(chosen, cursor=cursor, older=older, size=PAGE_SIZE) if chosen else ([], False)
    context = {
        **site.each_context(request),
        "title": gettext("Deleted records"),
        "entries": entries,
        "problems": problems,
        "models": [(model_label(m), capfirst(m._meta.verbose_name_plural)) for m in available],
        "chosen_model": chosen_label,
        **_pages(request, entries, more, cursor, older),
    }
    return TemplateResponse(request, "admin/history/deleted_records.html", context)
