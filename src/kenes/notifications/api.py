from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import django_auth

from kenes.accounts.auth import TokenAuth
from kenes.common.api import PageOut, page_response

from . import selectors, services
from .models import Notification
from .schemas import NotificationOut, ReadAllOut

router = Router(tags=["notifications"])
AUTH = [django_auth, TokenAuth()]


class PageParams(Schema):
    # Strings, so that nonsense is clamped by page_response rather than refused.
    page: str | None = None
    per_page: str | None = None


def notification_out(notification: Notification) -> dict[str, Any]:
    subject_type = (
        ContentType.objects.get_for_id(notification.subject_type_id) if notification.subject_type_id else None
    )
    return {
        "id": notification.pk,
        "event": notification.event,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "subject_type": f"{subject_type.app_label}.{subject_type.model}" if subject_type else None,
        "subject_id": notification.subject_id,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "is_read": notification.read_at is not None,
    }


@router.get("/", response=PageOut[NotificationOut], auth=AUTH, summary="My notifications")
def notification_list(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """Unread first, then newest first. `per_page` is clamped to 1..100."""
    return page_response(request, selectors.notification_list(request.auth), notification_out)  # type: ignore[attr-defined]


@router.post("/read-all", response=ReadAllOut, auth=AUTH, summary="Mark all my notifications read")
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked_read": services.notifications_mark_all_read(actor=request.auth)}  # type: ignore[attr-defined]


@router.post("/{int:notification_id}/read", response=NotificationOut, auth=AUTH, summary="Mark one read")
def notification_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    """Someone else's notification is a 404."""
    user = request.auth  # type: ignore[attr-defined]
    notification = selectors.notification_of(user, notification_id)
    return notification_out(services.notification_mark_read(actor=user, notification=notification))
