"""Personal-data export and erasure hooks for accounts.

kenes.accounts registers these (``register_exporter("organizations", export_memberships)`` and
``register_eraser(erase_memberships)``); organisations never import accounts for it.
"""

from typing import Any

from django.db import transaction

from kenes.audit import services as audit

from .models import Invitation, Membership


def export_memberships(user: Any) -> list[dict[str, Any]]:
    """A person's memberships, JSON-able."""
    memberships = Membership.objects.filter(user=user).select_related("organization").order_by("pk")
    return [
        {
            "organization_id": m.organization_id,
            "organization": m.organization.name,
            "role": m.role,
            "since": m.created_at.isoformat(),
        }
        for m in memberships
    ]


def erase_memberships(user: Any) -> None:
    """Delete a person's memberships and the open invitations sent to their e-mail address.

    Runs even if it leaves an organisation without a head: a person's erasure comes first.
    """
    with transaction.atomic():
        for membership in Membership.objects.filter(user=user).order_by("pk"):
            audit.record(
                event="organizations.membership.erased",
                actor=None,
                actor_label="account-erasure",
                obj=membership,
                data={"organization_id": membership.organization_id},
                before={"role": membership.role},
            )
        Membership.objects.filter(user=user).delete()
        if user.email:
            Invitation.objects.filter(
                email__iexact=user.email, accepted_at__isnull=True, revoked_at__isnull=True
            ).delete()
