"""Login throttling (django-axes), CSRF, and the security pieces of cooperation/core/security.py.

The response headers every page carries are tested in tests/test_settings.py; the
Content-Security-Policy in a real browser in tests/browser/test_csp.py.
"""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cooperation.core.security import client_ip_address
from tests.factories import StaffUserFactory, TopicFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN_URL = reverse("admin:login")


def log_in(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        response = log_in(client, username, "not the password", **extra)
    return response


def logged_in(client):
    return SESSION_KEY in client.session


# Login throttling ---------------------------------------------------------------------------


def test_wrong_passwords_below_the_limit_get_the_login_form_again():
    StaffUserFactory(username="editor")
    client = Client()

    response = fail(client, "editor", settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert not logged_in(client)


def test_after_five_wrong_passwords_even_the_right_one_is_refused_and_the_page_says_why():
    StaffUserFactory(username="editor")
    client = Client()

    fifth = fail(client, "editor", 5)
    sixth = log_in(client, "editor", PASSWORD)

    for response in (fifth, sixth):
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        text = re.sub(r"\s+", " ", response.content.decode())
        assert "<h2>Too many failed logins</h2>" in text
        assert "The account “editor” is locked for this address after 5 failed login attempts." in text
        assert (
            "in 15 minutes. Until then no password is accepted for this account from here, not even the right one."
            in text
        )
        assert re.search(r"You can try again from <strong><time datetime=\"[^\"]+\">\d\d:\d\d UTC on \d", text)
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302


def test_the_lockout_page_gives_the_time_the_last_counted_failure_plus_the_cool_off():
    StaffUserFactory(username="editor")
    client = Client()
    fail(client, "editor", 5)
    attempt = AccessAttempt.objects.get(username="editor")
    # The last failure was 10 minutes ago: 5 minutes to wait.
    attempt.attempt_time -= timedelta(minutes=10)
    attempt.save()

    response = log_in(client, "editor", PASSWORD)

    unlock_at = attempt.attempt_time + timedelta(minutes=15)
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert f'<time datetime="{unlock_at.isoformat()}">{unlock_at:%H:%M} UTC on {unlock_at.day} {unlock_at:%B %Y}' in (
        re.sub(r"\s+", " ", response.content.decode())
    )
    assert "in 5 minutes." in response.content.decode()


def test_attempts_while_locked_out_do_not_restart_the_wait():
    StaffUserFactory(username="editor")
    client = Client()
    fail(client, "editor", 5)
    attempt = AccessAttempt.objects.get(username="editor")

    fail(client, "editor", 3)
    log_in(client, "editor", PASSWORD)

    attempt.refresh_from_db()
    assert AccessAttempt.objects.get(username="editor").attempt_time == attempt.attempt_time
    assert attempt.failures_since_start == 5


def test_the_lockout_ends_after_the_cool_off():
    StaffUserFactory(username="editor")
    client = Client()
    fail(client, "editor", 5)
    AccessAttempt.objects.filter(username="editor").update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=15, seconds=1)
    )

    response = log_in(client, "editor", PASSWORD)

    assert (response.status_code, response.url) == (302, "/admin/")
    assert logged_in(client)


def test_the_lockout_is_for_one_username_from_one_address():
    StaffUserFactory(username="editor")
    StaffUserFactory(username="colleague")
    fail(Client(), "editor", 5, REMOTE_ADDR="203.0.113.7")

    colleague_same_address = log_in(Client(), "colleague", PASSWORD, REMOTE_ADDR="203.0.113.7")
    editor_elsewhere = log_in(Client(), "editor", PASSWORD, REMOTE_ADDR="198.51.100.20")
    editor_same_address = log_in(Client(), "editor", PASSWORD, REMOTE_ADDR="203.0.113.7")

    assert colleague_same_address.status_code == 302
    assert editor_elsewhere.status_code == 302
    assert editor_same_address.status_code == 429


def test_a_successful_login_clears_the_count():
    StaffUserFactory(username="editor")
    client = Client()
    fail(client, "editor", 4)
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()

    response = fail(client, "editor", 4)

    assert response.status_code == 200
    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_axes_reset_username_unlocks_an_account():
    StaffUserFactory(username="editor")
    client = Client()
    fail(client, "editor", 5)
    assert log_in(client, "editor", PASSWORD).status_code == 429

    call_command("axes_reset_username", "editor", verbosity=0)

    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_the_failure_limit_and_cool_off_come_from_settings(settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=45)
    StaffUserFactory(username="editor")

    response = fail(Client(), "editor", 2)

    assert response.status_code == 429
    assert response["Retry-After"] == str(45 * 60)
    assert "after 2 failed login attempts" in response.content.decode()


# Where an attempt comes from -----------------------------------------------------------------


def request_from(remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post(LOGIN_URL, **extra)


def test_without_trusted_proxies_the_address_is_remote_addr_whatever_the_header_says(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        # What the client wrote itself comes first, and is never believed.
        (1, "10.9.9.9, 198.51.100.1", "198.51.100.1"),
        (2, "10.9.9.9, 198.51.100.1, 192.0.2.10", "198.51.100.1"),
        # Fewer entries than proxies: the request did not come through them.
        (2, "198.51.100.1", "203.0.113.7"),
        (1, "", "203.0.113.7"),
    ],
)
def test_behind_trusted_proxies_the_address_is_the_one_the_outermost_proxy_saw(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip_address(request_from("203.0.113.7", forwarded_for)) == expected


def test_behind_a_proxy_two_clients_are_locked_out_apart(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    StaffUserFactory(username="editor")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    fail(Client(), "editor", 5, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    other_client = log_in(Client(), "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    same_client = log_in(Client(), "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)

    assert other_client.status_code == 302
    assert same_client.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"


# CSRF -----------------------------------------------------------------------------------------


def test_csrf_middleware_is_on():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def publish(client, topic, **data):
    """Run the admin's "publish" action on one topic, as its change list's form does."""
    return client.post(
        reverse("admin:cooperation_topic_changelist"),
        {"action": "publish", "_selected_action": [topic.pk], **data},
    )


def test_an_admin_post_without_a_csrf_token_is_refused_and_changes_nothing():
    topic = TopicFactory(published=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(StaffUserFactory())

    response = publish(client, topic)

    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()
    topic.refresh_from_db()
    assert topic.published is False


def test_an_admin_post_with_the_csrf_token_goes_through():
    topic = TopicFactory(published=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(StaffUserFactory())
    client.get(reverse("admin:cooperation_topic_changelist"))

    response = publish(client, topic, csrfmiddlewaretoken=client.cookies[settings.CSRF_COOKIE_NAME].value)

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.published is True


def test_a_login_post_without_a_csrf_token_is_refused():
    StaffUserFactory(username="editor")
    client = Client(enforce_csrf_checks=True)

    response = log_in(client, "editor", PASSWORD)

    assert response.status_code == 403
    assert not logged_in(client)


def every_view(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from every_view(pattern)
        elif isinstance(pattern, URLPattern):
            yield str(pattern.pattern), pattern.callback


SAFE_METHODS = {"get", "head", "options"}


def test_no_view_skips_csrf_unless_it_only_reads():
    """Only Django REST framework marks its views csrf_exempt (its API is read-only here:
    GET, HEAD and OPTIONS); nothing that takes a POST goes without the CSRF check."""
    exempt_writers = []
    for route, view in every_view():
        if not getattr(view, "csrf_exempt", False):
            continue
        view_class = getattr(view, "cls", None)
        if getattr(view, "actions", None) is not None:
            methods = set(view.actions)
        elif view_class is not None:
            methods = {name for name in view_class.http_method_names if hasattr(view_class, name)}
        else:
            methods = {"post"}
        if methods - SAFE_METHODS:
            exempt_writers.append((route, sorted(methods)))

    assert exempt_writers == []


def test_the_api_refuses_writes():
    for path in ["/api/", "/api/partners/", "/api/docs/", "/api/schema/"]:
        assert Client().post(path, {}).status_code == 405, path


def test_a_superuser_unlocks_an_account_by_deleting_its_access_attempt_in_the_admin():
    StaffUserFactory(username="editor")
    locked = Client()
    fail(locked, "editor", 5)
    attempt = AccessAttempt.objects.get(username="editor")
    admin_client = Client()
    admin_client.force_login(StaffUserFactory(username="administrator"))

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    deleted = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert listing.status_code == 200 and "editor" in listing.content.decode()
    assert deleted.status_code == 302
    assert log_in(locked, "editor", PASSWORD).status_code == 302


# Where a login lands, and how long it lasts -------------------------------------------------


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/admin/cooperation/project/?status=ongoing", "/admin/cooperation/project/?status=ongoing"),
        ("/partners/?kind=state", "/partners/?kind=state"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/admin/", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("", "/admin/"),
        (None, "/admin/"),
    ],
)
def test_a_login_lands_on_a_safe_next_and_otherwise_on_the_admin_index(next_url, lands_on):
    StaffUserFactory(username="editor")
    client = Client()
    query = "" if next_url is None else "?" + urlencode({"next": next_url})
    form = client.get(LOGIN_URL + query)
    posted = {"username": "editor", "password": PASSWORD}
    if next_url is not None:  # what the login form sends back: its hidden "next" field
        posted["next"] = next_url

    response = client.post(LOGIN_URL + query, posted)

    assert form.status_code == 200
    assert (response.status_code, response["Location"]) == (302, lands_on)
    assert client.get(response["Location"]).status_code == 200


def test_a_staff_session_lasts_a_working_day():
    StaffUserFactory(username="editor")
    client = Client()

    before = timezone.now()
    log_in(client, "editor", PASSWORD)
    session = Session.objects.get()

    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
    assert before + timedelta(hours=8) <= session.expire_date <= timezone.now() + timedelta(hours=8)
    assert client.get("/admin/").status_code == 200
    # A working day later (the session's end moved back to now) the admin asks for the password.
    Session.objects.update(expire_date=F("expire_date") - timedelta(hours=8))
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
