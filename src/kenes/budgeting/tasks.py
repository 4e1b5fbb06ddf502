"""Scheduled jobs of participatory budgeting. Each task calls one idempotent service."""

from celery import shared_task


@shared_task(name="kenes.budgeting.tasks.proposals_start_review_task")
def proposals_start_review_task() -> int:
    from .services import proposals_start_review

    return proposals_start_review()
