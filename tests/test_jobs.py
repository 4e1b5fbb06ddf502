"""Every periodic job the beat schedule names exists: a typo or a renamed task would otherwise
fail silently, once a day, in production (docs/jobs.md)."""

from django.conf import settings

from kenes.celery import app


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()  # autodiscovery: every installed app's tasks module
    registered = set(app.tasks)
    scheduled = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert scheduled, "the beat schedule is empty"
    missing = {name: task for name, task in scheduled.items() if task not in registered}
    assert missing == {}
