"""Helpers that write audit rows for tests: through ``record`` as services do, and raw SQL
to play the attacker (on PostgreSQL the append-only triggers are switched off meanwhile)."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from kenes.audit.hashing import event_hash
from kenes.audit.models import Block, Event, Seal
from kenes.audit.services import audit_seal_pending, record

AUDIT_TABLES = [model._meta.db_table for model in (Event, Block, Seal)]


def record_events(count: int, *, action: str = "tests.thing.changed", **kwargs: Any) -> list[Event]:
    return [record(event=action, data={"n": n}, actor_label="tests", **kwargs) for n in range(count)]


def make_event(
    *, created_at: datetime.datetime | None = None, pk: int | None = None, action: str = "tests.x"
) -> Event:
    """An event written around ``record``: with a chosen time or id, and a correct hash."""
    created_at = created_at or timezone.now()
    digest = event_hash(
        created_at=created_at,
        actor_id=None,
        actor_label="tests",
        action=action,
        subject_type="",
        subject_id="",
        before=None,
        after=None,
        data={},
    )
    return Event.objects.create(
        pk=pk, created_at=created_at, actor_label="tests", action=action, data={}, hash=digest
    )


def seal(max_events: int | None = None) -> Block:
    """Seal pending events into a block, which the test expects to exist."""
    block = audit_seal_pending(max_events=max_events)
    assert block is not None
    return block


def tamper(sql: str, params: Sequence[Any] = ()) -> None:
    """Run raw SQL against the audit tables as a DB superuser would, bypassing every guard.

    On PostgreSQL, foreign keys are checked at once meanwhile: a table with pending deferred
    checks cannot be altered."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in AUDIT_TABLES:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        cursor.execute(sql, list(params))
        if postgres:
            for table in AUDIT_TABLES:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
