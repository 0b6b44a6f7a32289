"""Fixtures and hooks shared by the whole suite: the empty cache; the role fixtures — a client
logged in as a superuser, as an Editor, as a Publisher; a warm content-type cache for query counts;
and the records several packages' tests share (``meetings``, ``project_world``). A package's own
fixtures are in its conftest.py (the browser's in tests/browser/conftest.py); shared plain helpers are
in tests/helpers/."""

import importlib
import io
import logging

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Agreement, AgreementAction, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f
from tests.factories import StaffUserFactory
from tests.helpers.users import client_for


def pytest_report_header(config):
    """Say which backend this run tests: CI runs the suite on SQLite and on PostgreSQL."""
    database = settings.DATABASES["default"]
    backend = database["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {backend} {database['NAME']} (the tests run on a throwaway test database)"


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions_at_teardown(django_db_setup, django_db_blocker):
    """On PostgreSQL the test database can be dropped only when no other session holds it.
    A server a test started (gunicorn, a live server's thread) may still be closing its
    connection when the run ends; end such sessions first, so the database is dropped
    instead of failing the run at teardown (one database a worker under pytest-xdist)."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: a test's database is rolled back at its end, so a
    count cached in one test must not be read in the next (cooperation/core/cache.py)."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _english_again():
    """Every test starts and ends in English: a request to /az/… or /ru/… leaves its language
    active in the thread (LocaleMiddleware activates it and nothing puts it back), and a test
    after it would read records, labels and dates in that language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (the browser's, a migration's) ends by emptying every table, the staff
    roles' groups too, which a data migration made (cooperation/migrations/0005_roles.py): once
    its teardown is over, put them back, with the permissions they hold, for the tests after it
    in this worker."""
    yield
    if nextitem is None:  # the last test: the test database itself has just been torn down
        return
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if {"transactional_db", "live_server"} & fixtures or (marker and marker.kwargs.get("transaction")):
        _make_roles(item.config.stash[blocking_manager_key])


def _make_roles(django_db_blocker):
    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("cooperation.migrations.0005_roles")
    with django_db_blocker.unblock():
        permissions = (
            Permission.objects.filter(content_type__app_label__in=roles.REGISTRY_APPS)
            .exclude(content_type__model__in=roles.NOT_EDITED)
            .exclude(content_type__model__startswith="historical")
        )
        editing = [p for p in permissions if p.codename.split("_", 1)[0] in roles.EDITOR_ACTIONS]
        publishing = [p for p in permissions if p.codename.startswith("publish_")]
        Group.objects.get_or_create(name="Editor")[0].permissions.set(editing)
        Group.objects.get_or_create(name="Publisher")[0].permissions.set(editing + publishing)


# Staff by role: each a client logged in as a new user -------------------------------------------


@pytest.fixture
def superuser_client(client):
    """The test client, logged in as a superuser (staff with every permission)."""
    client.force_login(StaffUserFactory())
    return client


@pytest.fixture
def editor_client():
    """A client logged in as staff in the Editor group: works on drafts only."""
    return client_for("editor")


@pytest.fixture
def publisher_client():
    """A client logged in as staff in the Publisher group: may also publish and change published records."""
    return client_for("publisher")


# Query counts -------------------------------------------------------------------------------------


@pytest.fixture
def warm_content_types():
    """Citations and claims are generic relations: fill the content-type cache first, so a
    query count does not depend on which test ran before."""
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(
        Partner, Office, Person, Agreement, AgreementAction, Project, Meeting, Topic, Source
    )


# Records several packages' tests share ----------------------------------------------------------


@pytest.fixture
def meetings():
    """Three visits with IOM in May 2016 and a summit with UNHCR in 2017: the cache's tests
    (tests/core/test_cache.py) and the admin's meeting list (tests/backoffice/test_changelist.py)."""
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    for day in range(1, 4):
        f.MeetingFactory(partners=[iom], start=PD(2016, 5, day), kind="visit")
    f.MeetingFactory(partners=[unhcr], start=PD(2017), kind="summit")
    return {"iom": iom, "unhcr": unhcr}


@pytest.fixture
def project_world():
    """Three published projects (Alpha, Bravo, Charlie) and a draft, with topics and partners: the
    project list's tests (tests/cooperation/test_filters.py), and what every list does with its
    parameters (tests/core/test_listing.py)."""
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    readmission = f.TopicFactory(slug="readmission", name="Readmission")
    trafficking = f.TopicFactory(slug="anti-trafficking", name="Anti-trafficking")
    iom = f.PartnerFactory(slug="iom", acronym="IOM", name="International Organization for Migration")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR", name="UNHCR")
    a = f.ProjectFactory(
        title="Alpha", start=PD(2006), end=PD(2008), status="completed", topics=[asylum, readmission, trafficking]
    )
    b = f.ProjectFactory(title="Bravo", start=PD(2014, 3), end=None, status="ongoing", topics=[readmission])
    c = f.ProjectFactory(title="Charlie", start=PD(2010), end=None, status="completed", topics=[asylum])
    f.ProjectPartnerFactory(project=a, partner=iom, role="implementing")
    f.ProjectPartnerFactory(project=a, partner=iom, role="funding")
    f.ProjectPartnerFactory(project=b, partner=unhcr)
    f.ProjectPartnerFactory(project=c, partner=iom)
    draft = f.ProjectFactory(title="Draft project", start=PD(2006), published=False, topics=[asylum])
    f.ProjectPartnerFactory(project=draft, partner=iom)
    return locals()


@pytest.fixture
def log():
    """What the site's log handler writes during the test, as text."""
    [handler] = logging.getLogger().handlers[:1]
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)
