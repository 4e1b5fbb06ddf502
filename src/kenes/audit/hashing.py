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


def _normalize(value: Any) -> Any:
    """Write a whole-number float as an int. PostgreSQL's jsonb keeps numbers as decimals and
    gives 1e16 back as 10000000000000000 (an int to Python): without this, an event holding
    such a number would no longer match its own hash once read back."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _normalize(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalize(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept, whole numbers without a fraction: the same
    value always gives the same text, whichever database stored it."""
    return json.dumps(
        _normalize(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


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


GENESIS_PREV_HASH = "0" * 64


def hash_time(value: datetime.datetime) -> str:
    """A time as it enters a hash: UTC, ISO 8601, always with microseconds."""
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def block_hash(
    *,
    number: int,
    sealed_at: datetime.datetime,
    event_count: int,
    first_event_id: int,
    last_event_id: int,
    merkle_root: str,
    prev_hash: str,
) -> str:
    """SHA-256 of a block's fields; the next block stores it as its ``prev_hash``."""
    payload = {
        "number": number,
        "sealed_at": hash_time(sealed_at),
        "event_count": event_count,
        "first_event_id": first_event_id,
        "last_event_id": last_event_id,
        "merkle_root": merkle_root,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
