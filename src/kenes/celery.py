"""The Celery application. Tasks take ids and call one service (see docs/jobs.md)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenes.settings.dev")

app = Celery("kenes")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
