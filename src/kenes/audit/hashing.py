"""Canonical hashing of audit events. Pure Python: no Django import, so the verifier and
third parties can recompute hashes from an export."""

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any
from uuid import UUID


def _default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def event_hash(
    *,
    created_at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    subject_type: str,
    subject_id: str,
    before: Any,
    after: Any,
    data: Any,
) -> str:
    """SHA-256 of the event's content. The event's id is bound later, in its block's leaf."""
    payload = {
        "created_at": created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "before": before,
        "after": after,
        "data": data,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
