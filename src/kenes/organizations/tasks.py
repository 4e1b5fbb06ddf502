"""Background jobs. Each takes ids and calls one service (see docs/jobs.md)."""

from celery import shared_task


@shared_task(name="kenes.organizations.tasks.send_invitation_email_task")
def send_invitation_email_task(invitation_id: int, token: str, base_url: str) -> bool:
    """Send one invitation e-mail. Skips invitations that were revoked or accepted meanwhile."""
    from .services import invitation_email_send

    return invitation_email_send(invitation_id=invitation_id, token=token, base_url=base_url)
