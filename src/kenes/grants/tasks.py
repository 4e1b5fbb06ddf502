"""Jobs of the grants module: each task calls one idempotent service; Celery beat runs them
(CELERY_BEAT_SCHEDULE in settings, docs/jobs.md)."""

from celery import shared_task


@shared_task(name="kenes.grants.tasks.calls_close_expired_task")
def calls_close_expired_task() -> int:
    from .services import calls_close_expired

    return calls_close_expired()
