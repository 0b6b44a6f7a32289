"""A change takes effect on the very next request on every gunicorn worker, with the default set-up
(each worker caches in its own memory) and with Redis (cooperation/core/cache.py keeps the data
version in the database). Real gunicorn workers, each warmed with its own cached copy, and changes
made by another process, as a Publisher's request in another worker or a management command would."""

import shutil
import socket

import pytest

from tests.helpers.gunicorn import Gunicorn, fetch
from tests.helpers.settings import production_env, run_python

WORKERS = 3


def redis_url():
    if not shutil.which("redis-server"):
        return None
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/15"


def change(env, code):
    """Runs ``code`` with Django set up, in a process of its own: another worker, a command."""
    done = run_python(
        f"""
        import django
        django.setup()
        from partners.models import Partner
        {code}
        """,
        env,
    )
    assert done.returncode == 0, done.stderr


def pages(base, path, times):
    return [fetch(f"{base}{path}")[::2] for _ in range(times)]


@pytest.mark.parametrize("cache", ["local memory", "redis"])
def test_unpublishing_renaming_and_deleting_show_at_once_on_every_worker(tmp_path, collected_static, cache):
    env = production_env(
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'registry.sqlite3'}",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(collected_static[0]),
        DJANGO_SETTINGS_MODULE="cooperation.settings",
    )
    if cache == "redis":
        url = redis_url()
        if url is None:
            pytest.skip("no Redis answers on 127.0.0.1:6379")
        env.update(REDIS_URL=url, CACHE_KEY_PREFIX=f"fresh-{tmp_path.name}")
    change(
        env,
        """
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        Partner.objects.create(slug="iom", name="International Organization for Migration",
                               acronym="IOM", kind="international_organisation", scope="multilateral",
                               published=True)
        """,
    )
    server = Gunicorn(dict(env, GUNICORN_BIND="127.0.0.1:0", GUNICORN_WORKERS=str(WORKERS), GUNICORN_THREADS="1"))
    try:
        listening = server.wait_for(r"Listening at: http://127\.0\.0\.1:(\d+)")
        assert listening, server.read(0)
        base = f"http://127.0.0.1:{listening.group(1)}"
        while server.read(0.2).count("Booting worker") < WORKERS:
            assert server.process.poll() is None, server.read(0)

        # Every worker reads the page and caches it, many times over.
        warm = pages(base, "/partners/iom/", 10 * WORKERS)
        assert {status for status, _ in warm} == {200}
        assert all("International Organization for Migration" in body for _, body in warm)

        change(
            env,
            'Partner.objects.filter(slug="iom").update(name="IOM, renamed"); '
            "from cooperation.core.cache import data_changed; data_changed()",
        )
        renamed = pages(base, "/partners/iom/", 4 * WORKERS)
        assert all("IOM, renamed" in body for _, body in renamed), [body[:200] for _, body in renamed]

        change(env, 'partner = Partner.objects.get(slug="iom"); partner.published = False; partner.save()')
        assert {status for status, _ in pages(base, "/partners/iom/", 4 * WORKERS)} == {404}
        assert all("IOM, renamed" not in body for _, body in pages(base, "/partners/", 4 * WORKERS))

        change(env, 'partner = Partner.objects.get(slug="iom"); partner.published = True; partner.save()')
        assert {status for status, _ in pages(base, "/partners/iom/", 4 * WORKERS)} == {200}
        change(env, 'Partner.objects.get(slug="iom").delete()')
        assert {status for status, _ in pages(base, "/partners/iom/", 4 * WORKERS)} == {404}
    finally:
        server.stop()
    assert "Traceback" not in server.read(0)
