"""Static and uploaded files (docs/deployment.md): ``collectstatic`` with production settings, then
WSGI requests for static files in a subprocess started the way a server starts; uploaded files
served by the dev server only."""

import base64
import gzip
import json
import re

import brotli
import pytest

from tests.helpers.settings import BASE_DIR, real_key, run_python

# Static files ---------------------------------------------------------------------------------


STATIC_SCRIPT = """
    import base64
    import json
    import sys
    from wsgiref.util import setup_testing_defaults

    from cooperation.wsgi import application
    from django.templatetags.static import static

    def get(path, **headers):
        environ = {
            "PATH_INFO": path,
            "HTTP_HOST": "registry.example.org",
            "wsgi.url_scheme": "https",
            **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
        }
        setup_testing_defaults(environ)
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = status
            answer["headers"] = dict(response_headers)

        body = application(environ, start_response)
        answer["body"] = base64.b64encode(b"".join(body)).decode()
        if hasattr(body, "close"):
            body.close()
        return answer

    hashed = static("css/site.css")
    print(json.dumps({
        "hashed": hashed,
        "brotli": get(hashed, accept_encoding="gzip, deflate, br"),
        "gzip": get(hashed, accept_encoding="gzip"),
        "plain": get(hashed),
        "unhashed": get("/static/css/site.css", accept_encoding="gzip, deflate, br"),
        "manifest": [
            get(path, accept_encoding="gzip, deflate, br")
            for path in ["/static/staticfiles.json", "/static/staticfiles.json.gz", "/static/staticfiles.json.br"]
        ],
    }))
"""


def test_collectstatic_writes_hashed_and_compressed_copies(collected_static):
    static_root, _ = collected_static
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]

    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    source = (BASE_DIR / "static" / "css" / "site.css").read_bytes()
    assert (static_root / hashed).read_bytes() == source
    assert brotli.decompress((static_root / f"{hashed}.br").read_bytes()) == source
    assert gzip.decompress((static_root / f"{hashed}.gz").read_bytes()) == source


def test_static_files_are_served_hashed_compressed_and_cached_for_good(collected_static):
    static_root, env = collected_static
    result = run_python(STATIC_SCRIPT, {**env, "DJANGO_SETTINGS_MODULE": "cooperation.settings"})
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout)
    source = (BASE_DIR / "static" / "css" / "site.css").read_bytes()

    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", served["hashed"])
    for name, encoding, decode in [
        ("brotli", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("plain", None, lambda body: body),
    ]:
        answer = served[name]
        assert answer["status"] == "200 OK", name
        assert answer["headers"]["Cache-Control"] == "max-age=315360000, public, immutable", name
        assert answer["headers"].get("Content-Encoding") == encoding, name
        assert answer["headers"]["Vary"] == "Accept-Encoding", name
        assert answer["headers"]["Content-Type"].startswith("text/css"), name
        assert decode(base64.b64decode(answer["body"])) == source, name
    # The file under its plain name changes with each release: browsers check again after a minute.
    assert served["unhashed"]["status"] == "200 OK"
    assert served["unhashed"]["headers"]["Cache-Control"] == "max-age=60, public"
    # The manifest of the hashed names is collectstatic's, for the storage: not for the public.
    assert (static_root / "staticfiles.json").is_file()
    assert [answer["status"] for answer in served["manifest"]] == ["404 Not Found"] * 3
    assert all(b"paths" not in base64.b64decode(answer["body"]) for answer in served["manifest"])


def test_static_and_media_roots_come_from_the_environment(load_settings, tmp_path):
    defaults = load_settings(DEBUG="1")
    assert (defaults["STATIC_ROOT"], defaults["MEDIA_ROOT"]) == (BASE_DIR / "staticfiles", BASE_DIR / "media")

    loaded = load_settings(DEBUG="1", STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "media"))
    assert (loaded["STATIC_ROOT"], loaded["MEDIA_ROOT"]) == (tmp_path / "static", tmp_path / "media")


def test_production_stores_static_files_hashed_and_compressed(load_settings):
    storage = load_settings(DEBUG="0", SECRET_KEY=real_key())["STORAGES"]["staticfiles"]["BACKEND"]

    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"


# Uploaded files: no address serves MEDIA_ROOT as it is --------------------------------------


@pytest.fixture
def dev_urls(settings, tmp_path):
    """The site's URLs as the dev server (DEBUG) loads them, with MEDIA_ROOT in ``tmp_path``
    and MEDIA_URL at /media/ (where Django's static() would serve it)."""
    import importlib

    from django.urls import clear_url_caches

    import cooperation.urls

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    importlib.reload(cooperation.urls)
    clear_url_caches()
    yield tmp_path
    settings.DEBUG = False
    importlib.reload(cooperation.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_not_even_the_dev_server_serves_uploaded_files_as_they_are(client, dev_urls):
    """A source's file reaches the public only through its published source's address
    (tests/cooperation/test_source_documents.py): a draft's file must not be one guess away."""
    (dev_urls / "sources").mkdir()
    (dev_urls / "sources" / "report.pdf").write_bytes(b"%PDF-1.4 a report")

    assert client.get("/media/sources/report.pdf").status_code == 404


@pytest.mark.django_db
def test_without_debug_no_uploaded_file_is_served_as_it_is(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 a report")

    assert client.get("/media/report.pdf").status_code == 404
    assert client.get(f"/{settings.ADMIN_PATH}media/report.pdf").status_code == 302  # to the staff login
