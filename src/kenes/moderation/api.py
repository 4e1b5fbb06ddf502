from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from kenes.accounts.auth import TokenAuth
from kenes.common.api import PageOut, page_response

from . import registry, selectors, services
from .schemas import QueueItemOut, ReportIn, ReportOut

router = Router(tags=["moderation"])

AUTH = [django_auth, TokenAuth()]


class QueueFilters(Schema):
    state: str = "open"
    # Paging is read (and clamped) by page_response; strings so that nonsense is clamped, not refused.
    page: str | None = None
    per_page: str | None = None


@router.post("/reports", response={201: ReportOut}, auth=AUTH, summary="Report content to its moderators")
def report_create(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    """Once per person and item; not your own content. Reports never hide anything by themselves:
    a moderator decides (see docs/moderation.md)."""
    if "." not in payload.content_type:
        raise Http404("This content cannot be moderated.")
    content = registry.resolve(payload.content_type, payload.object_id)
    report = services.report_create(
        actor=request.auth,  # type: ignore[attr-defined]
        content=content,
        category=payload.category,
        text=payload.text,
    )
    return Status(
        201,
        {
            "id": report.pk,
            "content_type": registry.label_of(content),
            "object_id": report.object_id,
            "category": report.category,
            "created_at": report.created_at,
        },
    )


@router.get("/queue", response=PageOut[QueueItemOut], auth=AUTH, summary="The moderators' queue")
def queue(request: HttpRequest, filters: Query[QueueFilters]) -> dict[str, Any]:
    """Reported items of the organisations you moderate (staff: all), one per item, priority first.
    `state` is `open` (awaiting a decision) or `decided`."""
    user = request.auth  # type: ignore[attr-defined]
    if not user.has_perm("moderation.view_queue"):
        raise PermissionDenied("moderation.view_queue")
    state = filters.state if filters.state in selectors.QUEUE_STATES else "open"
    # page_response transforms one row at a time; the page is hydrated at once instead (no N+1).
    body = page_response(request, selectors.queue_rows(user=user, state=state))
    body["items"] = [_entry_out(entry) for entry in selectors.hydrate(body["items"])]
    return body


def _entry_out(entry: selectors.QueueEntry) -> dict[str, Any]:
    organization = entry.organization
    return {
        "content_type": entry.label,
        "object_id": entry.object_id,
        "title": entry.title,
        "url": entry.url,
        "item_url": reverse("moderation:item", args=[entry.label, entry.object_id]),
        "organization": {"id": organization.pk, "name": organization.name} if organization else None,
        "reports": entry.report_count,
        "open_reports": entry.open_count,
        "verified_reporters": entry.verified_reporters,
        "is_priority": entry.is_priority,
        "is_hidden": entry.is_hidden,
        "has_open_appeal": entry.has_open_appeal,
        "last_reported_at": entry.last_reported_at,
    }
