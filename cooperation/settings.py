"""Settings for the Cooperation Registry.

Everything that differs between a laptop and a server is read from the environment:

- ``DEBUG`` (default off). With ``DEBUG`` off the process refuses to start without a real
  ``SECRET_KEY``; in development a fixed, clearly-marked key is used instead.
- ``SECRET_KEY``, ``ALLOWED_HOSTS`` (comma-separated), ``CSRF_TRUSTED_ORIGINS``.
- ``DATABASE_URL``: PostgreSQL (``postgres://user@host:5432/name``) or any URL
  dj-database-url understands. Without it the registry uses ``db.sqlite3`` in the project.
- Production serving (docs/deployment.md): ``CONN_MAX_AGE``, ``DATABASE_REPLICA_URLS`` (read
  replicas), ``REDIS_URL`` with ``CACHE_KEY_PREFIX`` and ``CACHE_VERSION`` (the shared cache),
  ``STATIC_ROOT``, ``MEDIA_ROOT``.
- ``REGISTRY_SITE_NAME``, ``REGISTRY_HOST_COUNTRY`` (ISO 3166-1 alpha-2): which agency and
  country this instance is the record of. Nothing in the code assumes a particular country.
- ``REGISTRY_AGENCY_NAME``, ``REGISTRY_CONTACT_EMAIL``, ``REGISTRY_DATA_LICENCE`` and
  ``REGISTRY_DATA_LICENCE_URL``: who keeps the registry, where readers report an error, and
  the licence of its data (the About page and the citations say them; empty: not stated).
- ``ADMIN_PATH`` (default ``admin``): where the staff admin is served.
"""

import importlib.util
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django_countries.data import COUNTRIES as ISO_3166_COUNTRIES
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default, minimum=0):
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}; got {value!r}.")
    return number


DEBUG = env_bool("DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set DEBUG=1 for local development, or give the production "
            "server a long random SECRET_KEY (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# What this instance is the record of.
SITE_NAME = os.environ.get("REGISTRY_SITE_NAME", "Migration Cooperation Registry")
HOST_COUNTRY = os.environ.get("REGISTRY_HOST_COUNTRY", "AZ").strip().upper()
if HOST_COUNTRY not in ISO_3166_COUNTRIES:
    raise ImproperlyConfigured(
        f"REGISTRY_HOST_COUNTRY must be an ISO 3166-1 alpha-2 country code such as AZ; got {HOST_COUNTRY!r}."
    )

# Who keeps it, and on what terms (the About page, /about/, and each record's citation). Each may be
# empty: the pages then say that it is not stated, and never invent one.
AGENCY_NAME = os.environ.get("REGISTRY_AGENCY_NAME", "").strip()
CONTACT_EMAIL = os.environ.get("REGISTRY_CONTACT_EMAIL", "").strip()
if CONTACT_EMAIL and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", CONTACT_EMAIL):
    raise ImproperlyConfigured(f"REGISTRY_CONTACT_EMAIL must be an e-mail address; got {CONTACT_EMAIL!r}.")
DATA_LICENCE = os.environ.get("REGISTRY_DATA_LICENCE", "").strip()
DATA_LICENCE_URL = os.environ.get("REGISTRY_DATA_LICENCE_URL", "").strip()
if DATA_LICENCE_URL and not re.fullmatch(r"https?://[^\s<>\"]+", DATA_LICENCE_URL):
    raise ImproperlyConfigured(f"REGISTRY_DATA_LICENCE_URL must be an http(s) address; got {DATA_LICENCE_URL!r}.")

INSTALLED_APPS = [
    # django.contrib.admin, with the registry's admin site as admin.site (cooperation/backoffice/).
    "cooperation.backoffice.apps.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",  # login throttling: see "Security" below
    "csp",  # the Content-Security-Policy header: see "Security" below
    "simple_history",
    "cooperation.core",  # the versions every cached value is kept with (cooperation/core/versions.py)
    "cooperation.pictures",  # pictures drawn on the server as SVG: their template tags
]
# The registry's own apps: the records, their history, their backups and their cache versions
# are these apps' models (migrations keep their own frozen copy of the list).
REGISTRY_APPS = ("partners", "cooperation", "events")
INSTALLED_APPS += REGISTRY_APPS
# Development tools (demo data, benchmark, measure_export, measure_import) need factory-boy and
# Faker, development requirements: installed where they are (requirements-dev.txt), never in
# production (requirements.txt only).
if all(importlib.util.find_spec(name) is not None for name in ("factory", "faker")):
    INSTALLED_APPS.append("cooperation.devtools")

MIDDLEWARE = [
    # Outermost: a HEAD gets the headers of the GET and no body (cooperation/core/http.py).
    "cooperation.core.http.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cooperation.core.security.SecurityHeadersMiddleware",
    "cooperation.core.security.ContentSecurityPolicyMiddleware",
    # WhiteNoise: the static files, but not the manifest of their hashed names.
    "cooperation.core.security.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the path's: /az/… and /ru/…, English without a prefix (never a cookie or
    # Accept-Language, so a cached page is the same for everyone).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Outside the admin only GET and HEAD: any other method is a 405, before the CSRF check.
    "cooperation.core.http.ReadOnlyPublicMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who made a change: every historical record made during a request names the signed-in user.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-axes: turns a locked-out login into its lockout page; axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cooperation.urls"
# Where the staff admin is served (cooperation/urls.py mounts it), e.g. ADMIN_PATH=staff-only for /staff-only/.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin").strip("/") + "/"
MEDIA_URL = f"/{ADMIN_PATH}media/"
# When the database cannot be reached, pages answer 503 with Retry-After: this many seconds
# (cooperation/pages/errors.py).
OUTAGE_RETRY_AFTER = env_int("OUTAGE_RETRY_AFTER", 60, minimum=1)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE, LANGUAGES, LANGUAGE_BIDI: the page's language ({% cache %} keys hold it).
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cooperation.core.context_processors.registry",
            ],
        },
    },
]

WSGI_APPLICATION = "cooperation.wsgi.application"


# Databases. DATABASE_URL is the primary: every write goes there. DATABASE_REPLICA_URLS
# (comma-separated) adds read replicas of it, PostgreSQL streaming replicas, which serve the
# reads of anonymous public pages (cooperation/core/db_router.py says which reads, and why the
# rest stay on the primary); unset, there is one database and Django's routing is untouched.
# CONN_MAX_AGE keeps a connection open between requests, checked before reuse; it is 0 in
# development, where runserver starts a thread per request and a kept connection is never reused.
def database_from_url(url, variable):
    try:
        database = dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60), conn_health_checks=True
        )
    except ValueError as error:  # an unknown scheme, or a URL that does not parse
        raise ImproperlyConfigured(f"{variable} is not a database URL: {error}") from None
    database.setdefault("CONN_MAX_AGE", 0)  # sqlite://:memory: comes back without the options
    if database["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles a query it estimates expensive, such as a count over a
        # million rows: it added 85 ms to a 40 ms search count here and saved nothing. It pays
        # for long analytic queries, not for a web page's (docs/performance.md).
        # A server-side cursor (an export's rows, QuerySet.iterator()) is read to its end, and
        # outside a transaction PostgreSQL computes all of it when it is declared (WITH HOLD):
        # planned for its first tenth (cursor_tuple_fraction's default), a topic's projects took
        # 300 ms to declare where the whole query takes 40.
        # Random reads cost less than PostgreSQL's default random_page_cost (4) assumes: at 4, the
        # partners of a year page's 75 projects were found by hashing all 9,000 partners (11 ms)
        # instead of by their ids (1.6 ms at 3). Not lower: at 1.1 (the usual advice for an SSD)
        # the map of a partner's meetings of one kind and year walked 107,000 meetings in index
        # order (190 ms instead of 28). Measured by `benchmark` at 4, 3 and 1.1 (docs/performance.md).
        database.setdefault("OPTIONS", {}).setdefault(
            "options", "-c jit=off -c cursor_tuple_fraction=1 -c random_page_cost=3"
        )
        # A server that does not answer at all (a dropped network) fails a request in 5 seconds,
        # as a 503 (cooperation/pages/errors.py), instead of hanging until gunicorn kills the worker.
        # A URL's own ?connect_timeout= wins.
        database["OPTIONS"].setdefault("connect_timeout", 5)
    return database


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", "DATABASE_URL"
    )
}
DATABASE_REPLICAS = []  # the aliases of the read replicas, in DATABASES beside "default"
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    alias = f"replica_{number}"
    replica = database_from_url(url, f"DATABASE_REPLICA_URLS (replica {number})")
    if replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: replica {number} is {replica['ENGINE'].rsplit('.', 1)[-1]} but "
            f"DATABASE_URL is {DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; a read replica is a copy "
            "of the primary database."
        )
    # The test runner creates no database for a replica: it reads the primary's test database.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[alias] = replica
    DATABASE_REPLICAS.append(alias)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["cooperation.core.db_router.PrimaryReplicaRouter"]
    # First: it decides, before anything reads, whether this request may read from a replica.
    MIDDLEWARE.insert(0, "cooperation.core.db_router.ReplicaRoutingMiddleware")

# The cache. With REDIS_URL (redis://host:6379/0, rediss:// for TLS, unix:///path.sock) it is
# that Redis server, shared by every app server; without it, each process's own memory.
# CACHE_KEY_PREFIX keeps two sites on one Redis apart; raising CACHE_VERSION drops every
# cached value at once (after a release that changes what is cached, say).
cache_options = {
    "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "registry").strip(),
    "VERSION": env_int("CACHE_VERSION", 1, minimum=1),
}
redis_url = os.environ.get("REDIS_URL", "").strip()  # not a setting: it may hold a password
if redis_url:
    if not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "REDIS_URL must start with redis://, rediss:// or unix://, like redis://127.0.0.1:6379/0; "
            f"got one starting {redis_url.partition(':')[0]!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "cooperation.core.cache_backends.ForgivingRedisCache",
            "LOCATION": redis_url,
            # A Redis that stops answering costs a request two seconds at most, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            **cache_options,
        }
    }
else:
    # Each process's memory holds CACHE_MAX_ENTRIES values (a third are dropped when it is full):
    # facet counts, record pages' records, rendered fragments (docs/performance.md).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000, minimum=100)},
            **cache_options,
        }
    }

# The health check (/healthz) answers a load balancer's plain-HTTP probe itself, not with a
# redirect to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Three languages (docs/languages.md): English at the unprefixed paths, Azerbaijani under /az/ and
# Russian under /ru/ (cooperation/urls.py: i18n_patterns). English stays "en-gb" for its date input
# formats (day before month). A record's text is English in its field and the translations beside it
# (`name_az`, `name_ru`: cooperation/core/translation.py).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("az", "Azərbaycanca"), ("ru", "Русский")]
# The interface's catalogues (`make messages` writes them, `manage.py compile_catalogues` builds
# the .mo files), then CLDR's country names in the languages django-countries has none for (az).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "cldr"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes the static files, which WhiteNoise then serves: with DEBUG off the
# names carry a hash of the content (site.3f2a9c.css), with gzip and Brotli copies beside them,
# so they are sent with "Cache-Control: max-age=315360000, public, immutable"; files without a
# hash get WhiteNoise's short max-age (60 seconds).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
# Source maps (several megabytes, fetched only by a browser's developer tools) are not worth
# compressing: skipping them halves the time collectstatic takes.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (a source's document), which app servers share. Nothing serves this folder as
# it is, neither Django nor the proxy (docs/deployment.md): a source's file reaches the public
# only through its source's page (/sources/<slug>/file/, /sources/<slug>/text/), once the source
# is published, with headers that keep it from running anything on the site. MEDIA_URL is the
# admin's view of a source's file, for staff (cooperation/backoffice/documents.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "").strip() or BASE_DIR / "media")
# The largest file staff may upload as a source's document (bytes; 20 MB by default).
SOURCE_FILE_MAX_BYTES = env_int("SOURCE_FILE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

# The admin import's limits on an uploaded file (cooperation/imports/limits.py): past any of them
# the file is refused, with a message saying which, while it is read and before it takes memory
# or time. Past the file's size and rows, the defaults admit a 10,000-row export of any list with
# room to spare (its .xlsx unpacks to under 20 MB, 27 columns, 250,000 cells of at most 500 characters).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1)
# Saving runs at about 15-40 rows a second (each record's save(), search index and history):
# 2,000 rows keep one confirmation within a minute or two.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 2_000, minimum=1)
IMPORT_MAX_BLANK_ROWS = env_int("IMPORT_MAX_BLANK_ROWS", 10_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100, minimum=1)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 500_000, minimum=1)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 100_000, minimum=1)
IMPORT_MAX_TEXT_CHARS = env_int("IMPORT_MAX_TEXT_CHARS", 20_000_000, minimum=1)
IMPORT_MAX_LINE_CHARS = env_int("IMPORT_MAX_LINE_CHARS", 200_000, minimum=1)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024, minimum=1)
IMPORT_MAX_PART_BYTES = env_int("IMPORT_MAX_PART_BYTES", 32 * 1024 * 1024, minimum=1)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100, minimum=1)
IMPORT_MAX_SHARED_STRINGS = env_int("IMPORT_MAX_SHARED_STRINGS", 500_000)
IMPORT_MAX_SHARED_STRING_CHARS = env_int("IMPORT_MAX_SHARED_STRING_CHARS", 10_000_000)
IMPORT_MAX_READ_SECONDS = env_int("IMPORT_MAX_READ_SECONDS", 20, minimum=1)

# Security. Production (DEBUG off) gets HTTPS-only cookies and HSTS; behind a proxy that
# terminates TLS, set SECURE_PROXY_SSL_HEADER_ENABLED=1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Only staff have sessions (the public site sets no cookie): a sign-in lasts a working day from
# when it was made, 8 hours, then the admin asks for the password again (Django's default is
# 14 days). SESSION_COOKIE_AGE, in seconds, changes it.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
# After signing in without a safe ?next= (or with one pointing elsewhere), staff land on the
# admin's index, not on Django's default /accounts/profile/, which does not exist here.
LOGIN_REDIRECT_URL = "admin:index"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy on every response (django-csp; cooperation/core/security.py): every
# script and stylesheet is a file from this site, nothing inline, nothing from elsewhere. The
# admin's own JavaScript writes style="" attributes, so its paths alone also allow those.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {"style-src-attr": ["'unsafe-inline'"]}
# Browser features no page here uses (cooperation.core.security.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one address, that pair is locked out for AXES_COOLOFF_MINUTES, the right password included.
# Unlock early with `manage.py axes_reset_username <name>` (or axes_reset for everyone).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A locked-out attempt does not restart the wait, so the time the lockout page gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "cooperation.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cooperation.core.security.client_ip_address"
# No start-up banner on every manage.py command; failed logins and lockouts are still logged.
AXES_VERBOSE = False
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). Wrong here means lockouts by the proxy's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way commitment for the whole domain; the operator opts in with
    # SECURE_HSTS_PRELOAD=1 rather than the code deciding for them.
    "security.W021",
]

# Logs: one line a message on the standard error stream (systemd's journal keeps it), stamped as
# gunicorn stamps its own. A request refused for the client's fault (a bad Host header, a 403)
# is one WARNING line with the method, path and client address, not a traceback
# (cooperation/core/logs.py); so is a 503 for a database that cannot be reached; any other server
# error keeps its traceback. Django's own "django" handlers
# are dropped, so each message is written once, by the root logger.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        }
    },
    "filters": {"one_line_client_errors": {"()": "cooperation.core.logs.OneLineClientErrors"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["one_line_client_errors"]}
    },
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The read-only JSON API (cooperation/api/): JSON only, no sessions or logins (nothing in it is
# private or writable), the list pages' filters run strictly (a bad value is a 400).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# Its OpenAPI 3 document (/api/schema/) and documentation (/api/docs/), with Swagger UI served
# from drf-spectacular-sidecar's static files: nothing from a CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": (
        "Read-only JSON for every public list and record of the registry: published records only.\n\n"
        "Lists take the filters of the list pages (repeat a parameter for several values: a row matches "
        "any of them), `sort` and `page`, and answer with `count`, `next`, `previous`, `results` and "
        "`facets`. A parameter the list does not know, or a value that means nothing (an unknown slug, "
        '`year=abc`, page 9999), is a 400 naming it: `{"errors": {"year": ["…"]}}`. Records are found '
        "by slug. Partial dates are objects: "
        '`{"text": "8 December 1999", "iso": "1999-12-08", "edtf": "1999-12-08", "precision": "day"}`, or null '
        'when unknown; `edtf` is the Extended Date/Time Format (ISO 8601-2) string, which also says "about" '
        "(`2008~`), uncertain (`2007?`) and halves or quarters of a year (`2007-41`).\n\n"
        "Every language, always: each translated text (`title`, in English) is followed by its Azerbaijani "
        "and Russian (`title_az`, `title_ru`), empty when not translated; there is no language parameter. "
        "Labels (`kind_label`) are in English."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would load an image from validator.swagger.io. GET is all there is.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "supportedSubmitMethods": ["get"]},
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "partners.models.Partner.Kind",
        "PartnerScopeEnum": "partners.models.Partner.Scope",
        "OfficeKindEnum": "partners.models.Office.Kind",
        "AgreementKindEnum": "cooperation.models.Agreement.Kind",
        "AgreementStatusEnum": "cooperation.models.Agreement.Status",
        "ProjectStatusEnum": "cooperation.models.Project.Status",
        "ProjectRoleEnum": "cooperation.models.ProjectPartner.Role",
        "SourceKindEnum": "cooperation.models.Source.Kind",
        "MeetingKindEnum": "events.models.Meeting.Kind",
        "MeetingStatusEnum": "events.models.Meeting.Status",
        "DatePrecisionEnum": "cooperation.core.partial_dates.Precision",
    },
}
