"""A person's petitions data for their export, and what account deletion removes.

The export lists the petitions they started and their signatures (the petition, when they signed,
whether it counts, whether their name is shown). Erasure keeps counted signatures — the published
count must stay checkable against the audit log — but strips what identifies the person from them
(the canonical e-mail address, the IP address, the public name), withdraws signatures that never
counted (pending confirmation or held back), and deletes petitions that never went public (drafts,
pending, rejected). Public petitions stay, attributed to "deleted user".
"""

from typing import Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Now

from kenes.audit import services as audit
from kenes.common.formats import iso_or_none

from .models import Petition, Signature

PRIVATE_STATES = (Petition.State.DRAFT, Petition.State.PENDING, Petition.State.REJECTED)


def export_petitions(user: Any) -> dict[str, Any]:
    petitions = Petition.objects.filter(author=user).order_by("pk")
    signatures = Signature.objects.filter(user=user).order_by("pk")
    return {
        "petitions": [
            {
                "id": p.pk,
                "title": p.title,
                "text": p.text,
                "demand": p.demand,
                "addressee": p.addressee_id,
                "state": p.state,
                "created_at": iso_or_none(p.created_at),
                "submitted_at": iso_or_none(p.submitted_at),
            }
            for p in petitions
        ],
        "signatures": [
            {
                "petition": s.petition_id,
                "signed_at": iso_or_none(s.created_at),
                "confirmed_at": iso_or_none(s.confirmed_at),
                "withdrawn_at": iso_or_none(s.withdrawn_at),
                "counts": s.is_counted,
                "show_name": s.show_name,
                "held_back": s.flagged_at is not None,
            }
            for s in signatures
        ],
    }


def erase_petitions(user: Any) -> None:
    signatures = Signature.objects.filter(user=user)
    uncounted = signatures.filter(confirmed_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=Now()
    )
    # "erased-<id>" keeps the per-petition uniqueness of the canonical address.
    anonymised = signatures.update(
        email_canonical=Concat(Value("erased-"), Cast("pk", output_field=CharField())),
        ip_address=None,
        show_name=False,
        confirm_token_hash="",
    )
    drafts, _rows = Petition.objects.filter(author=user, state__in=PRIVATE_STATES).delete()
    if uncounted or anonymised or drafts:
        audit.record(
            event="petitions.personal_data.erased",
            actor=None,
            actor_label="account-erasure",
            obj=user,
            data={
                "signatures_anonymised": anonymised,
                "uncounted_withdrawn": uncounted,
                "petitions_deleted": drafts,
            },
        )
