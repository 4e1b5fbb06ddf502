"""Background jobs. Each takes ids (or nothing) and calls one service (see docs/jobs.md)."""

from celery import shared_task


@shared_task(name="kenes.notifications.tasks.send_pending_emails_task")
def send_pending_emails_task() -> int:
    """Send what is waiting in the outbox. Fired after commit by ``notify`` and every minute by beat."""
    from .services import emails_send_pending

    return emails_send_pending()


@shared_task(name="kenes.notifications.tasks.daily_digest_task")
def daily_digest_task(day: str | None = None) -> int:
    """Send yesterday's digests (or ``day``'s, an ISO date). Safe to rerun: it sends nothing twice."""
    import datetime

    from .services import digests_send

    return digests_send(day=datetime.date.fromisoformat(day) if day else None)
