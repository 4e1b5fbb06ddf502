import datetime
from typing import Any

import pytest
import time_machine
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from kenes.audit.hashing import GENESIS_PREV_HASH, block_hash, event_hash
from kenes.audit.merkle import leaf_text, merkle_root
from kenes.audit.models import AppendOnlyError, Block, Event, Seal
from kenes.audit.services import (
    MAX_PROBLEMS,
    SEAL_LOCK_ID,
    AuditIntegrityError,
    audit_seal_all,
    audit_seal_pending,
    audit_verify,
    event_content_hash,
    record,
)
from kenes.audit.tasks import audit_seal_task

from .factories import make_event, record_events, seal, tamper

pytestmark = pytest.mark.django_db

EVENT = Event._meta.db_table
BLOCK = Block._meta.db_table
SEAL = Seal._meta.db_table
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers exist only on PostgreSQL"
)


@pytest.fixture
def chain():
    """Three blocks of three events each; returns the events of each block."""
    events = []
    for _ in range(3):
        batch = record_events(3)
        audit_seal_pending()
        events.append(batch)
    return events


# --- record ---------------------------------------------------------------------------------


def test_it_records_one_event_with_a_correct_hash(alice):
    before = Event.objects.count()
    event = record(
        event="tests.user.renamed", actor=alice, obj=alice, data={"when": datetime.date(2026, 1, 2)}
    )
    assert Event.objects.count() == before + 1
    stored = Event.objects.select_related("subject_type").get(pk=event.pk)
    assert stored.data == {"when": "2026-01-02"}
    assert stored.subject_id == str(alice.pk)
    expected = event_hash(
        created_at=stored.created_at,
        actor_id=alice.pk,
        actor_label="",
        action="tests.user.renamed",
        subject_type="accounts.user",
        subject_id=str(alice.pk),
        before=None,
        after=None,
        data={"when": "2026-01-02"},
    )
    assert stored.hash == expected == event_content_hash(stored)


@pytest.mark.parametrize(
    "attempt",
    [
        lambda e: e.save(),
        lambda e: e.delete(),
        lambda e: Event.objects.filter(pk=e.pk).update(action="x"),
        lambda e: Event.objects.filter(pk=e.pk).delete(),
        lambda e: Event.objects.bulk_update([e], ["action"]),
    ],
    ids=["save", "delete", "queryset-update", "queryset-delete", "bulk-update"],
)
def test_it_refuses_to_change_an_event_through_the_orm(attempt):
    event = record_events(1)[0]
    event.action = "tests.thing.forged"
    with pytest.raises(AppendOnlyError):
        attempt(event)
    assert Event.objects.get(pk=event.pk).action == "tests.thing.changed"


def test_it_refuses_to_change_blocks_and_seals_through_the_orm():
    record_events(1)
    block = seal()
    with pytest.raises(AppendOnlyError):
        block.save()
    with pytest.raises(AppendOnlyError):
        Seal.objects.filter(block=block).delete()
    with pytest.raises(AppendOnlyError):
        Block.objects.update(merkle_root="0" * 64)


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        f'UPDATE "{EVENT}" SET action = %s WHERE id = %s',
        f'DELETE FROM "{EVENT}" WHERE id = %s AND action <> %s',
    ],
    ids=["update", "delete"],
)
def test_it_refuses_raw_sql_changes_to_events_on_postgresql(sql):
    event = record_events(1)[0]
    params: list[Any] = ["tests.forged", event.pk] if sql.startswith("UPDATE") else [event.pk, "-"]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    assert Event.objects.get(pk=event.pk).action == "tests.thing.changed"


@postgres_only
@pytest.mark.parametrize("table", [BLOCK, SEAL])
def test_it_refuses_raw_sql_changes_to_blocks_and_seals_on_postgresql(table):
    record_events(1)
    audit_seal_pending()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f'DELETE FROM "{table}"')
    assert Seal.objects.count() == 1


# --- sealing --------------------------------------------------------------------------------


def test_it_seals_pending_events_into_the_first_block():
    events = record_events(3)
    block = seal()
    assert block is not None
    assert (block.number, block.event_count, block.prev_hash) == (1, 3, GENESIS_PREV_HASH)
    assert (block.first_event_id, block.last_event_id) == (events[0].pk, events[-1].pk)
    assert block.merkle_root == merkle_root([leaf_text(e.pk, e.hash) for e in events])
    fields = {
        name: getattr(block, name)
        for name in ("number", "sealed_at", "event_count", "first_event_id", "last_event_id", "merkle_root")
    }
    assert block.hash == block_hash(**fields, prev_hash=GENESIS_PREV_HASH)
    seals = Seal.objects.filter(block=block).order_by("event_id")
    assert [(s.event_id, s.leaf_hash) for s in seals] == [(e.pk, e.hash) for e in events]


def test_it_chains_each_block_to_the_one_before():
    record_events(2)
    first = seal()
    record_events(1)
    second = seal()
    assert (second.number, second.prev_hash) == (2, first.hash)


def test_it_seals_nothing_twice():
    record_events(2)
    assert audit_seal_pending() is not None
    assert audit_seal_pending() is None
    assert audit_seal_all() == []
    assert Block.objects.count() == 1
    assert Seal.objects.count() == 2


def test_it_returns_none_when_nothing_is_pending():
    assert audit_seal_pending() is None
    assert not Block.objects.exists()


def test_it_limits_a_block_to_max_events_and_seals_all_in_batches(settings):
    settings.KENES_AUDIT_SEAL_BATCH = 2
    events = record_events(5)
    blocks = audit_seal_all()
    assert [b.event_count for b in blocks] == [2, 2, 1]
    assert [b.number for b in blocks] == [1, 2, 3]
    assert blocks[1].first_event_id == events[2].pk
    assert audit_seal_pending(max_events=10) is None


def test_it_seals_a_late_committed_event_in_a_later_block():
    early = record_events(2)
    gap = early[-1].pk + 5  # an id handed out before block 1, committed after it
    make_event(pk=gap + 5)
    first = seal()
    late = make_event(pk=gap)
    second = seal()
    assert first.event_count == 3
    assert (second.number, second.event_count, second.first_event_id) == (2, 1, late.pk)
    assert audit_verify().ok


def test_it_refuses_to_seal_an_event_whose_content_was_altered():
    events = record_events(3)
    tamper(f'UPDATE "{EVENT}" SET action = %s WHERE id = %s', ["tests.thing.forged", events[1].pk])
    with pytest.raises(AuditIntegrityError, match=f"event {events[1].pk} ") as caught:
        audit_seal_pending()
    assert caught.value.event_id == events[1].pk
    assert not Block.objects.exists()
    assert not Seal.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks exist only on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_it_does_not_seal_while_another_sealer_holds_the_lock():
    record_events(2)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [SEAL_LOCK_ID])
        assert audit_seal_pending() is None
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SEAL_LOCK_ID])
        assert seal().event_count == 2
    finally:
        other.close()


def test_it_seals_from_the_periodic_task():
    record_events(3)
    assert audit_seal_task.name == "kenes.audit.tasks.audit_seal_task"
    assert audit_seal_task.delay().get() == 1
    assert Seal.objects.count() == 3


# --- verification ---------------------------------------------------------------------------


def test_it_verifies_an_empty_log():
    report = audit_verify()
    assert report.ok
    assert (report.blocks_checked, report.events_checked, report.pending) == (0, 0, 0)
    assert report.first_problem is None


def test_it_verifies_a_clean_log(chain, alice):
    record(event="tests.user.seen", actor=alice, obj=alice, before={"a": 1}, after={"a": 2})
    report = audit_verify()
    assert report.ok, report.problems
    assert (report.blocks_checked, report.events_checked, report.pending) == (3, 10, 1)
    assert report.problems == []
    assert (report.broken_block, report.broken_event) == (None, None)


def _broken(report, *, block, event=None, says):
    assert not report.ok
    assert (report.broken_block, report.broken_event) == (block, event), report.problems
    assert says in report.first_problem
    assert report.first_problem == report.problems[0]


def test_it_detects_an_event_altered_after_sealing(chain):
    target = chain[1][1]
    tamper(f'UPDATE "{EVENT}" SET action = %s WHERE id = %s', ["tests.thing.forged", target.pk])
    _broken(audit_verify(), block=2, event=target.pk, says=f"event {target.pk} does not match")


def test_it_detects_an_event_altered_with_a_recomputed_stored_hash(chain):
    target = chain[0][2]
    stored = Event.objects.select_related("subject_type").get(pk=target.pk)
    stored.data = {"n": 999}
    forged_hash = event_content_hash(stored)
    tamper(f'UPDATE "{EVENT}" SET data = %s, hash = %s WHERE id = %s', ['{"n": 999}', forged_hash, target.pk])
    _broken(audit_verify(), block=1, event=target.pk, says=f"event {target.pk} does not match")


def test_it_detects_a_deleted_event(chain):
    target = chain[1][1]
    tamper(f'DELETE FROM "{SEAL}" WHERE event_id = %s', [target.pk])
    tamper(f'DELETE FROM "{EVENT}" WHERE id = %s', [target.pk])
    report = audit_verify()
    _broken(report, block=2, says="Block 2 has 2 sealed events instead of 3")
    assert any("Merkle root" in problem for problem in report.problems)


def test_it_detects_an_extra_seal_inserted_into_a_block(chain):
    intruder = record_events(1)[0]
    block = Block.objects.get(number=1)
    tamper(
        f'INSERT INTO "{SEAL}" (event_id, block_id, leaf_hash) VALUES (%s, %s, %s)',
        [intruder.pk, block.pk, intruder.hash],
    )
    report = audit_verify()
    _broken(report, block=1, says="Block 1 has 4 sealed events instead of 3")
    assert any("Block 1: the Merkle root" in problem for problem in report.problems)


def test_it_detects_a_changed_leaf_hash(chain):
    target = chain[2][0]
    tamper(f'UPDATE "{SEAL}" SET leaf_hash = %s WHERE event_id = %s', ["ab" * 32, target.pk])
    report = audit_verify()
    _broken(report, block=3, event=target.pk, says=f"Block 3: event {target.pk} does not match")
    assert any("Block 3: the Merkle root" in problem for problem in report.problems)


def test_it_detects_a_changed_merkle_root(chain):
    tamper(f'UPDATE "{BLOCK}" SET merkle_root = %s WHERE number = 2', ["cd" * 32])
    report = audit_verify()
    _broken(report, block=2, says="Block 2 was changed")
    assert any("Block 2: the Merkle root" in problem for problem in report.problems)


def test_it_detects_a_deleted_block(chain):
    block = Block.objects.get(number=2)
    tamper(f'DELETE FROM "{SEAL}" WHERE block_id = %s', [block.pk])
    tamper(f'DELETE FROM "{BLOCK}" WHERE id = %s', [block.pk])
    report = audit_verify()
    _broken(report, block=2, says="Block 2 is missing")
    assert any("Block 3 does not link" in problem for problem in report.problems)


def test_it_detects_a_changed_prev_hash(chain):
    tamper(f'UPDATE "{BLOCK}" SET prev_hash = %s WHERE number = 2', ["ef" * 32])
    report = audit_verify()
    _broken(report, block=2, says="Block 2 was changed")
    assert any("Block 2 does not link" in problem for problem in report.problems)


def test_it_detects_a_rewritten_block_by_the_next_link(chain):
    """An attacker who recomputes a changed block's own hash still breaks the next link."""
    block = Block.objects.get(number=2)
    fields = {
        name: getattr(block, name)
        for name in ("number", "sealed_at", "event_count", "first_event_id", "last_event_id", "prev_hash")
    }
    forged = block_hash(**fields, merkle_root="cd" * 32)
    tamper(f'UPDATE "{BLOCK}" SET merkle_root = %s, hash = %s WHERE id = %s', ["cd" * 32, forged, block.pk])
    report = audit_verify()
    _broken(report, block=2, says="Block 2: the Merkle root")
    assert any("Block 3 does not link" in problem for problem in report.problems)


def test_it_detects_a_pending_event_altered_before_sealing(chain):
    pending = record_events(2)
    tamper(f'UPDATE "{EVENT}" SET subject_id = %s WHERE id = %s', ["42", pending[1].pk])
    _broken(
        audit_verify(), block=None, event=pending[1].pk, says=f"Pending event {pending[1].pk} does not match"
    )


def test_it_flags_a_pending_event_recorded_long_before_the_newest_block():
    sealed_at = timezone.now()
    with time_machine.travel(sealed_at, tick=False):
        record_events(1)
        audit_seal_pending()
    make_event(created_at=sealed_at - datetime.timedelta(minutes=5))  # a slow transaction: fine
    assert audit_verify().ok
    backdated = make_event(created_at=sealed_at - datetime.timedelta(minutes=11))
    _broken(audit_verify(), block=None, event=backdated.pk, says="inserted after sealing?")


def test_it_stops_collecting_after_a_few_problems():
    events = record_events(MAX_PROBLEMS + 5)
    audit_seal_pending()
    tamper(f'UPDATE "{EVENT}" SET action = %s', ["tests.thing.forged"])
    report = audit_verify()
    assert len(report.problems) == MAX_PROBLEMS
    assert report.broken_event == events[0].pk
