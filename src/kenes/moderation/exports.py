"""Personal-data export and erasure hooks (registered with kenes.accounts in apps.py)."""

from typing import Any

from kenes.audit import services as audit

from .models import Appeal, Report


def export_moderation(user: Any) -> dict[str, Any]:
    """What a person reported and appealed, JSON-able."""
    reports = Report.objects.filter(reporter=user).select_related("content_type").order_by("pk")
    appeals = Appeal.objects.filter(author=user).order_by("pk")
    return {
        "reports": [
            {
                "content": r.content_label,
                "object_id": r.object_id,
                "category": r.category,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
            }
            for r in reports
        ],
        "appeals": [
            {
                "decision_id": a.decision_id,
                "text": a.text,
                "state": a.state,
                "created_at": a.created_at.isoformat(),
            }
            for a in appeals
        ],
    }


def erase_moderation(user: Any) -> None:
    """Blank what the person wrote in reports and appeals; the rows stay (they count, and they
    keep the one-report-per-person rule), attributed to "deleted user"."""
    reports = Report.objects.filter(reporter=user).exclude(text="").update(text="")
    appeals = Appeal.objects.filter(author=user).exclude(text="").update(text="")
    if reports or appeals:
        audit.record(
            event="moderation.texts.erased",
            actor=None,
            actor_label="account-erasure",
            obj=user,
            data={"reports": reports, "appeals": appeals},
        )
