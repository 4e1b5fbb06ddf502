"""Writing to the audit log. ``record`` is called by every service that changes state,
inside that service's transaction: it is one INSERT, with no lock and no read of other
events, so hot write paths never wait on the log (sealing happens later, in a job)."""

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .hashing import event_hash
from .models import Event


def _jsonable(value: Any) -> Any:
    """What the JSON column will give back when read: dates become strings, and so on."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def subject_label(content_type: ContentType | None) -> str:
    return f"{content_type.app_label}.{content_type.model}" if content_type else ""


def record(
    *,
    event: str,
    actor: Any = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str = "",
) -> Event:
    """Append one event, e.g. ``record(event="organizations.membership.created", actor=user, obj=m)``.

    ``actor`` is the user who acted (None for the system; then say who in ``actor_label``,
    e.g. "cli" or "job"). Keep personal data such as e-mail addresses out of ``data``,
    ``before`` and ``after``: record ids and states.
    """
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None
    subject_id = str(obj.pk) if obj is not None else ""
    created_at = timezone.now()
    payload = {
        "data": _jsonable(data or {}),
        "before": _jsonable(before),
        "after": _jsonable(after),
    }
    digest = event_hash(
        created_at=created_at,
        actor_id=actor_obj.pk if actor_obj else None,
        actor_label=actor_label,
        action=event,
        subject_type=subject_label(content_type),
        subject_id=subject_id,
        **payload,
    )
    return Event.objects.create(
        created_at=created_at,
        actor=actor_obj,
        actor_label=actor_label,
        action=event,
        subject_type=content_type,
        subject_id=subject_id,
        hash=digest,
        **payload,
    )
