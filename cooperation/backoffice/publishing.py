"""Who may do what to a record in the admin: the Editor and Publisher roles, enforced server-side.

The groups are made by a data migration (``cooperation/migrations/0005_roles.py``); the rule
they stand for is :mod:`cooperation.core.permissions`, and this module enforces it in the admin.
Every record model has a ``publish_<model>`` permission:

- **without it** (an Editor) a user may add records, which start as drafts, and change or
  delete drafts, but may not change, delete, publish or unpublish a *published* record, nor
  tick its "published" box. A published record's change page opens read-only with a note
  saying why; a POST to it, or to its delete page, is refused (403) whatever the form holds.
- **with it** (a Publisher) a user may do all of that too.
- superusers have every permission.

Inline rows (citations, claims, a project's partners, a person's posts, a partner's offices)
are part of the record they are shown on: they are read-only where the record is. An inline
row that is a published record of its own (an office on its partner's page) cannot be
changed or removed from there without that record's publish permission either.

Going back to an earlier version, or restoring a deleted record, follows the same rule
(``cooperation/history/`` asks :func:`~cooperation.core.permissions.may_publish`).

:class:`PublishingRulesMixin` is one of ``RecordAdmin``'s bases; its publish and unpublish
actions are declared with ``permissions=["publish"]``, which Django checks through
:meth:`PublishingRulesMixin.has_publish_permission` (the actions are neither listed for, nor
run by, a user without it).
"""

from functools import cache

from django.contrib import messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext

from cooperation.backoffice.discrepancies import record_panel
from cooperation.core.permissions import has_published_flag, is_published, may_publish

LOCKED_NOTE = gettext_lazy(
    "This %(noun)s is published. Only a Publisher can change a published record; ask one to make the "
    "change for you, or to make the %(noun)s a draft again so that you can work on it."
)


class PublishingRulesMixin:
    """The rule above, for a record's ModelAdmin (see the module's docstring)."""

    published_field = "published"
    change_form_template = "admin/records/change_form.html"

    # Permissions -----------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        """May publish and unpublish, and change or delete published records (``@admin.action``
        with ``permissions=["publish"]`` asks this)."""
        return may_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return not (obj is not None and is_published(obj) and not self.has_publish_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return not (obj is not None and is_published(obj) and not self.has_publish_permission(request, obj))

    # The form --------------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        """The "published" box is shown to everyone but can be ticked only with the publish
        permission; without it, a new record is saved as a draft."""
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj) and self.published_field not in fields:
            fields.append(self.published_field)
        return fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Adds to the change page: why it is read-only (a published record, for an Editor),
        a "Preview" link while the public cannot see the record, and the read-only panel of
        its sources and conflicts (:func:`cooperation.backoffice.discrepancies.record_panel`)."""
        from cooperation.pages import preview

        if change and obj is not None:
            if is_published(obj) and not self.has_change_permission(request, obj):
                context["publishing_note"] = LOCKED_NOTE % {"noun": self.model._meta.verbose_name}
            if not preview.is_public(obj):
                context["preview_url"] = preview.preview_url(obj)
            context["sources_panel"] = record_panel(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_inlines(self, request, obj):
        """Each inline, made to follow this record's rule (see :class:`FollowsParentInline`)."""
        return [follows_parent(inline) for inline in super().get_inlines(request, obj)]

    # Actions ---------------------------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_drafts, name, description)
        return actions


def delete_selected_drafts(modeladmin, request, queryset):
    """Django's "Delete selected …" action, refused with a message (nothing deleted) when the
    selection holds a published record and the user may not publish."""
    if not modeladmin.has_publish_permission(request):
        published = queryset.filter(published=True).count()
        if published:
            opts = modeladmin.model._meta
            message = ngettext(
                "%(count)s of the selected %(names)s is published, and only a Publisher can delete a published "
                "%(name)s. Nothing was deleted: select drafts only, or ask a Publisher to delete the published "
                "%(name)s.",
                "%(count)s of the selected %(names)s are published, and only a Publisher can delete a published "
                "%(name)s. Nothing was deleted: select drafts only, or ask a Publisher to delete the published "
                "%(names)s.",
                published,
            )
            values = {"count": published, "name": opts.verbose_name, "names": opts.verbose_name_plural}
            modeladmin.message_user(request, message % values, messages.ERROR)
            return None
    return delete_selected(modeladmin, request, queryset)


delete_selected_drafts.allowed_permissions = delete_selected.allowed_permissions
delete_selected_drafts.short_description = delete_selected.short_description


class FollowsParentInline:
    """An inline whose rows are part of the record they are shown on.

    Rows can be added, changed or deleted only where the record itself can be changed (a
    published record needs its publish permission). Rows that are records of their own with a
    published flag (offices) have that box read-only without *their* publish permission, and
    a published row cannot be changed or removed without it.
    """

    def _parent_locked(self, request, obj):
        return obj is not None and is_published(obj) and not may_publish(request.user, self.parent_model)

    def has_add_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_delete_permission(request, obj)

    def _rows_publishable(self, request):
        return not has_published_flag(self.model) or may_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self._rows_publishable(request) and "published" not in fields:
            fields.append("published")
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if self._rows_publishable(request):
            return formset
        return type(formset.__name__, (PublishedRowsFormSetMixin, formset), {})


@cache
def follows_parent(inline_class):
    """``inline_class`` with :class:`FollowsParentInline` in front (one class per inline)."""
    if issubclass(inline_class, FollowsParentInline):
        return inline_class
    return type(inline_class.__name__, (FollowsParentInline, inline_class), {"__module__": inline_class.__module__})


class PublishedRowsFormSetMixin:
    """Refuses a change to, or the removal of, a row that is a published record.

    The message goes to the formset, not the row: Django does not validate a row marked for
    deletion, so an error on that row alone would not stop the save."""

    def clean(self):
        super().clean()
        noun = capfirst(self.model._meta.verbose_name)
        problems = []
        for form in self.initial_forms:
            if not is_published(form.instance):
                continue
            if self.can_delete and self._should_delete_form(form):
                problems.append(
                    gettext("%(name)s “%(record)s” is published: only a Publisher can remove it.")
                    % {"name": noun, "record": form.instance}
                )
            elif form.has_changed():
                problems.append(
                    gettext("%(name)s “%(record)s” is published: only a Publisher can change it.")
                    % {"name": noun, "record": form.instance}
                )
        if problems:
            raise ValidationError(problems)
