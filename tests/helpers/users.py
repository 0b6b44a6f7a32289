"""Staff and their roles: users, and clients logged in as them."""

from django.contrib.auth.models import Group
from django.test import Client

from tests import factories as f
from tests.factories import StaffUserFactory, UserFactory


def make_user(role):
    """A user of ``role``: "superuser" (staff with every permission), "editor" or "publisher" (staff in
    that group), "staff" (staff in no group)."""
    if role == "superuser":
        return StaffUserFactory()
    user = UserFactory(is_staff=True)
    if role in ("editor", "publisher"):
        user.groups.add(Group.objects.get(name=role.capitalize()))
    return user


def client_for(role):
    """A new client logged in as a new user of ``role`` (see :func:`make_user`)."""
    client = Client()
    client.force_login(make_user(role))
    return client


def login(username="alice", role=None):
    """(client, user): ``username`` logged in, a superuser, or staff in the group ``role`` ("Editor",
    "Publisher")."""
    if role is None:
        user = StaffUserFactory(username=username)
    else:
        user = UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client, user


def publisher():
    """The staff user named "publisher", in the Publisher group (the import's tests)."""
    user = f.UserFactory(username="publisher", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


def editor():
    """The staff user named "editor", in the Editor group (the import's tests)."""
    user = f.UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user
