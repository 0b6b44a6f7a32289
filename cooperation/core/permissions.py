"""Who may publish: the rule behind the Editor and Publisher roles, with no admin in it.

Every record model has a ``publish_<model>`` permission (the groups that hold it are made by a
data migration, ``cooperation/migrations/0005_roles.py``). Without it (an Editor) a user may
work on drafts only: not change, delete, publish or unpublish a *published* record. With it (a
Publisher) a user may do all of that too; superusers have every permission.

The admin enforces the rule through ``cooperation/backoffice/publishing.py``; going back to an
earlier version or restoring a deleted record (``cooperation/history/``), choosing a preferred
claim and importing a spreadsheet ask :func:`may_publish` too.
"""

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def publish_permission(model: type[models.Model]) -> str:
    """``"<app_label>.publish_<model_name>"``: the permission to publish, unpublish, change and
    delete published records of ``model``."""
    opts = model._meta
    return f"{opts.app_label}.publish_{opts.model_name}"


def may_publish(user: "AbstractBaseUser | AnonymousUser", model: type[models.Model]) -> bool:
    return user.is_active and user.has_perm(publish_permission(model))


def has_published_flag(model: type[models.Model]) -> bool:
    return any(field.name == "published" for field in model._meta.concrete_fields)


def is_published(obj: object) -> bool:
    return bool(getattr(obj, "published", False))
