"""Jobs of the grants module: each task calls one idempotent service; Celery beat runs them
(CELERY_BEAT_SCHEDULE in settings, docs/jobs.md)."""

from celery import shared_task


@shared_task(name="kenes.grants.tasks.calls_close_expired_task")
def calls_close_expired_task() -> int:
    from .services import calls_close_expired

    return calls_close_expired()


@shared_task(name="kenes.grants.tasks.drafts_remind_task")
def drafts_remind_task() -> int:
    from .services import drafts_remind

    return drafts_remind()
