"""The one-command demo: SQLite under var/, e-mail to the console, tasks run inline."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "insecure-demo-key-do-not-use-in-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from .base import *  # noqa: E402,F403
from .base import STATIC_ROOT, STORAGES, VAR_DIR  # noqa: E402

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

# The demo's SQLite database and collected static files live under var/ (production points
# DATABASE_URL and STATIC_ROOT elsewhere and creates nothing at import).
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
