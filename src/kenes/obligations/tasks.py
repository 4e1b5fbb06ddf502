"""Scheduled jobs of the hearing loop. Each task calls one idempotent service (see jobs.py and
docs/obligations.md); Celery beat runs them (CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task


@shared_task(name="kenes.obligations.tasks.obligations_mark_overdue_task")
def obligations_mark_overdue_task() -> int:
    from .services import obligations_mark_overdue

    return obligations_mark_overdue()


@shared_task(name="kenes.obligations.tasks.obligations_escalate_overdue_task")
def obligations_escalate_overdue_task() -> int:
    from .services import obligations_escalate_overdue

    return obligations_escalate_overdue()


@shared_task(name="kenes.obligations.tasks.obligations_send_reminders_task")
def obligations_send_reminders_task() -> int:
    from .services import obligations_send_reminders

    return obligations_send_reminders()


@shared_task(name="kenes.obligations.tasks.milestones_mark_overdue_task")
def milestones_mark_overdue_task() -> int:
    from .services import milestones_mark_overdue

    return milestones_mark_overdue()


@shared_task(name="kenes.obligations.tasks.officers_send_digests_task")
def officers_send_digests_task() -> int:
    from .services import officers_send_digests

    return officers_send_digests()
