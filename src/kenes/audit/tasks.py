"""Jobs of the audit log. Beat runs ``audit_seal_task`` every 60 s (settings CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="kenes.audit.tasks.audit_seal_task")
def audit_seal_task() -> int:
    """Seal every pending event; return how many blocks were made. Safe to run twice at once."""
    from kenes.audit.services import audit_seal_all

    return len(audit_seal_all())
