"""The two staff roles, as groups: Editor and Publisher (superusers can do everything anyway).

- Editor: view, add, change and delete every registry record, but the admin refuses to change,
  publish, unpublish or delete a *published* record without the model's ``publish_<model>``
  permission, so an editor works on drafts only.
- Publisher: everything an editor may, plus every ``publish_<model>`` permission: publish,
  unpublish, and change or delete published records.

Permissions are normally made after ``migrate`` finishes (a post_migrate signal); they are made
here first so that the groups can hold them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTRY_APPS = ("partners", "cooperation", "events")
# Derived and bookkeeping models staff never edit by hand.
NOT_EDITED = {"searchdocument"}
EDITOR_ACTIONS = ("view", "add", "change", "delete")


def registry_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        if app_config.label in REGISTRY_APPS:
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
    permissions = Permission.objects.filter(content_type__app_label__in=REGISTRY_APPS).exclude(
        content_type__model__in=NOT_EDITED
    )
    # Historical models ("historicalpartner", …) are written by the history machinery, not by staff.
    return permissions.exclude(content_type__model__startswith="historical")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = registry_permissions(apps)
    editing = [p for p in permissions if p.codename.split("_", 1)[0] in EDITOR_ACTIONS]
    publishing = [p for p in permissions if p.codename.startswith("publish_")]
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(editing)
    publisher, _ = Group.objects.get_or_create(name="Publisher")
    publisher.permissions.set(editing + publishing)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Publisher"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cooperation", "0004_history_and_publish_permission"),
        ("partners", "0003_history_and_publish_permission"),
        ("events", "0003_history_and_publish_permission"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
