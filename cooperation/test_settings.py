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
# A test process neither freezes its objects nor collects after each request (cooperation/core/settling.py:
# tested by calling it and by setting it).
GC_SETTLE_AFTER_REQUESTS = ()
GC_COLLECT_AFTER_REQUEST = False
# Serve static files from the app folders in tests (no collectstatic run, no missing-folder warning).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
