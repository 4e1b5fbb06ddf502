"""Tests: fast hashing, eager Celery, a local-memory cache, no network."""

import os

os.environ.setdefault("SECRET_KEY", "test-key-0123456789-0123456789-0123456789-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("LANGUAGE_CODE", "en")
os.environ.pop("REDIS_URL", None)

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS, STATIC_ROOT, STORAGES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key", "confirm_email": False}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"

# A stand-in participation module (tests/testapp): a subject for obligations and moderation.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# The demo's SQLite database and collected static files live under var/ (production points
# DATABASE_URL and STATIC_ROOT elsewhere and creates nothing at import).
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
