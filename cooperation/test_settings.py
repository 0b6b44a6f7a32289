"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from cooperation.settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No connection kept open between requests in tests (production keeps them: CONN_MAX_AGE).
for database in DATABASES.values():  # noqa: F405
    database["CONN_MAX_AGE"] = 0
warnings.simplefilter("error", DeprecationWarning)
# A test process does not freeze its objects (cooperation/core/settling.py: tested by calling it).
GC_SETTLE_AFTER_REQUESTS = ()
# Serve static files from the app folders in tests (no collectstatic run, no missing-folder warning).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
