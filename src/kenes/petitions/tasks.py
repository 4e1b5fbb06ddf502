"""Jobs of the petitions module. Each task takes ids and calls one idempotent service; Celery beat
runs the periodic ones (CELERY_BEAT_SCHEDULE in settings, docs/jobs.md)."""

from celery import shared_task


@shared_task(name="kenes.petitions.tasks.signatures_count_task")
def signatures_count_task() -> int:
    from .services import signatures_count

    return signatures_count()


@shared_task(name="kenes.petitions.tasks.signatures_reconcile_task")
def signatures_reconcile_task() -> int:
    from .services import signatures_reconcile

    return signatures_reconcile()


@shared_task(name="kenes.petitions.tasks.petitions_close_expired_task")
def petitions_close_expired_task() -> int:
    from .services import petitions_close_expired

    return petitions_close_expired()


@shared_task(name="kenes.petitions.tasks.notify_signers")
def notify_signers(petition_id: int, response_id: int | None = None) -> int:
    """Tell the signers of ``petition_id`` that it was answered (fired by the obligations hook)."""
    from .services import petition_notify_signers

    return petition_notify_signers(petition_id=petition_id, response_id=response_id)
