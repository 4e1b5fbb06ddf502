"""A person's appeals for their export, and what account deletion removes.

The export lists the appeals the person wrote (with their text, state of registration and the
names of their attachments) and the appeals they co-signed. Erasure removes the person's
co-signatures of appeals still awaiting an answer (a deleted account no longer supports them);
the appeals the person wrote stay: they are official records the bodies must answer and keep, and
every page then names their author "deleted user".
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType

from kenes.audit import services as audit
from kenes.obligations.models import Kind, Obligation

from .models import Appeal, AppealAttachment, Cosigner


def export_appeals(user: Any) -> dict[str, Any]:
    appeals = list(
        Appeal.objects.filter(author=user).select_related("addressee", "territory", "topic").order_by("pk")
    )
    files: dict[int, list[dict[str, Any]]] = {}
    for item in AppealAttachment.objects.filter(appeal__in=appeals).order_by("pk"):
        files.setdefault(item.appeal_id, []).append({"name": item.name, "size": item.size})
    cosigned = Cosigner.objects.filter(user=user).select_related("appeal").order_by("pk")
    return {
        "appeals": [
            {
                "number": a.number,
                "kind": a.kind,
                "addressee": a.addressee.name,
                "territory": a.territory.code,
                "topic": a.topic.code,
                "subject": a.subject,
                "text": a.text,
                "language": a.language,
                "collective": a.is_collective,
                "on_behalf_of": a.on_behalf_of_id,
                "published": a.is_public,
                "created_at": a.created_at.isoformat(),
                "attachments": files.get(a.pk, []),
            }
            for a in appeals
        ],
        "cosigned": [
            {"number": c.appeal.number, "subject": c.appeal.subject, "created_at": c.created_at.isoformat()}
            for c in cosigned
        ],
    }


def erase_appeals(user: Any) -> None:
    content_type = ContentType.objects.get_for_model(Appeal, for_concrete_model=False)
    cosigned = [str(pk) for pk in Cosigner.objects.filter(user=user).values_list("appeal_id", flat=True)]
    awaiting = Obligation.objects.live().filter(
        subject_type=content_type, kind=Kind.APPEAL, subject_id__in=cosigned
    )
    awaiting_ids = [int(pk) for pk in awaiting.values_list("subject_id", flat=True)]
    removed, _rows = Cosigner.objects.filter(user=user, appeal_id__in=awaiting_ids).delete()
    if removed:
        audit.record(
            event="appeals.personal_data.erased",
            actor=None,
            actor_label="account-erasure",
            obj=user,
            data={"cosigner_rows": removed},
        )
