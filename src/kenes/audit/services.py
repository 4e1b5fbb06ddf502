"""Writing to the audit log. ``record`` is called by every service that changes state,
inside that service's transaction: it is one INSERT, with no lock and no read of other
events, so hot write paths never wait on the log (sealing happens later, in a job)."""

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .hashing import GENESIS_PREV_HASH, block_hash, event_hash
from .merkle import leaf_text, merkle_root
from .models import Block, Event, Seal

BLOCK_HASHED_FIELDS = (
    "number",
    "sealed_at",
    "event_count",
    "first_event_id",
    "last_event_id",
    "merkle_root",
    "prev_hash",
)


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
    return Event.objects.create(
        **event_fields(
            event=event, actor=actor, obj=obj, data=data, before=before, after=after, actor_label=actor_label
        )
    )


def event_fields(
    *,
    event: str,
    actor: Any = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str = "",
) -> dict[str, Any]:
    """The field values of the event ``record`` would append, hash included, for a hot path that
    writes the row in its own statement (petitions' signing: the signature and its event in one
    round trip). The row must be written as given: the hash covers every value."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    content_type = (
        ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None
    )
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
    return {
        "created_at": created_at,
        "actor": actor_obj,
        "actor_label": actor_label,
        "action": event,
        "subject_type": content_type,
        "subject_id": subject_id,
        "hash": digest,
        **payload,
    }


# --- Sealing -------------------------------------------------------------------------------

# pg_try_advisory_xact_lock key of the sealer: the bytes "kenesaud" as a signed bigint.
SEAL_LOCK_ID = int.from_bytes(b"kenesaud", "big")


class AuditIntegrityError(Exception):
    """An event's content no longer matches its stored hash, so it will not be sealed."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(
            f"audit event {event_id} does not match its stored hash: its content was changed after it "
            "was recorded; refusing to seal (run `kenes audit verify`)"
        )


def event_content_hash(event: Event) -> str:
    """Recompute an event's hash from its stored content (load ``subject_type`` with it)."""
    return event_hash(
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        subject_type=subject_label(event.subject_type),
        subject_id=event.subject_id,
        before=event.before,
        after=event.after,
        data=event.data,
    )


def _pending_events() -> QuerySet[Event]:
    """Events with no seal (an anti-join), in id order."""
    return Event.objects.filter(seal__isnull=True).select_related("subject_type").order_by("id")


def _try_seal_lock() -> bool:
    """On PostgreSQL take the sealer's transaction-level advisory lock, without waiting."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_ID])
        row = cursor.fetchone()
    return bool(row and row[0])


def _new_block(events: list[Event]) -> Block:
    previous = Block.objects.order_by("-number").only("number", "hash").first()
    fields: dict[str, Any] = {
        "number": previous.number + 1 if previous else 1,
        "sealed_at": timezone.now(),
        "event_count": len(events),
        "first_event_id": events[0].pk,
        "last_event_id": events[-1].pk,
        "merkle_root": merkle_root([leaf_text(event.pk, event.hash) for event in events]),
        "prev_hash": previous.hash if previous else GENESIS_PREV_HASH,
    }
    return Block.objects.create(hash=block_hash(**fields), **fields)


def audit_seal_pending(*, max_events: int | None = None) -> Block | None:
    """Seal up to ``max_events`` pending events (default ``KENES_AUDIT_SEAL_BATCH``) into a new block.

    Returns None when nothing is pending or, on PostgreSQL, when another sealer holds the
    lock. Raises :class:`AuditIntegrityError` if a pending event was altered since it was
    recorded. Writes no audit event itself (that would never end).
    """
    limit = settings.KENES_AUDIT_SEAL_BATCH if max_events is None else max_events
    if limit < 1:
        raise ValueError("max_events must be at least 1")
    with transaction.atomic():
        if not _try_seal_lock():
            return None
        events = list(_pending_events()[:limit])
        if not events:
            return None
        for event in events:
            if event_content_hash(event) != event.hash:
                raise AuditIntegrityError(event.pk)
        block = _new_block(events)
        Seal.objects.bulk_create([Seal(event=event, block=block, leaf_hash=event.hash) for event in events])
    return block


def audit_seal_all() -> list[Block]:
    """Seal every pending event, one block per ``KENES_AUDIT_SEAL_BATCH`` events."""
    blocks: list[Block] = []
    while (block := audit_seal_pending()) is not None:
        blocks.append(block)
    return blocks


# --- Verification --------------------------------------------------------------------------

# A pending event recorded this long before the newest block was sealed should have been in
# it: its transaction would have had to stay open that long. Probably inserted afterwards.
PENDING_GRACE = datetime.timedelta(minutes=10)
MAX_PROBLEMS = 10
CHUNK_SIZE = 1000


@dataclass(frozen=True)
class VerificationReport:
    ok: bool
    blocks_checked: int
    events_checked: int
    pending: int
    problems: list[str]
    first_problem: str | None
    broken_block: int | None
    broken_event: int | None


@dataclass
class _Findings:
    problems: list[str] = field(default_factory=list)
    broken_block: int | None = None
    broken_event: int | None = None
    blocks_checked: int = 0
    events_checked: int = 0
    pending: int = 0

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def add(self, message: str, *, block: int | None = None, event: int | None = None) -> None:
        if self.full:
            return
        if not self.problems:
            self.broken_block, self.broken_event = block, event
        self.problems.append(message)

    def report(self) -> VerificationReport:
        return VerificationReport(
            ok=not self.problems,
            blocks_checked=self.blocks_checked,
            events_checked=self.events_checked,
            pending=self.pending,
            problems=list(self.problems),
            first_problem=self.problems[0] if self.problems else None,
            broken_block=self.broken_block,
            broken_event=self.broken_event,
        )


def _check_block_header(findings: _Findings, block: Block, previous: Block | None) -> None:
    expected = previous.number + 1 if previous else 1
    if block.number != expected:
        findings.add(
            _("Block %(missing)d is missing: the next block found is %(number)d.")
            % {"missing": expected, "number": block.number},
            block=expected,
        )
    fields = {name: getattr(block, name) for name in BLOCK_HASHED_FIELDS}
    if block_hash(**fields) != block.hash:
        findings.add(
            _("Block %(number)d was changed: its fields no longer match its hash.")
            % {"number": block.number},
            block=block.number,
        )
    if block.prev_hash != (previous.hash if previous else GENESIS_PREV_HASH):
        findings.add(
            _("Block %(number)d does not link to the block before it: the hash chain is broken.")
            % {"number": block.number},
            block=block.number,
        )


def _check_sealed_event(findings: _Findings, block: Block, event: Event, leaf_hash: str) -> None:
    findings.events_checked += 1
    if event_content_hash(event) != leaf_hash:
        findings.add(
            _(
                "Block %(number)d: event %(event)d does not match the hash sealed for it "
                "(the event or its seal was changed)."
            )
            % {"number": block.number, "event": event.pk},
            block=block.number,
            event=event.pk,
        )
    elif event.hash != leaf_hash:
        findings.add(
            _("Block %(number)d: the stored hash of event %(event)d differs from the sealed one.")
            % {"number": block.number, "event": event.pk},
            block=block.number,
            event=event.pk,
        )


def _check_block_events(findings: _Findings, block: Block, seals: dict[int, str]) -> None:
    events = (
        Event.objects.filter(seal__block_id=block.pk).select_related("subject_type").order_by("id")
    ).iterator(chunk_size=CHUNK_SIZE)
    seen: set[int] = set()
    for event in events:
        seen.add(event.pk)
        _check_sealed_event(findings, block, event, seals[event.pk])
    for event_id in sorted(seals.keys() - seen):
        findings.add(
            _("Block %(number)d: sealed event %(event)d no longer exists.")
            % {"number": block.number, "event": event_id},
            block=block.number,
            event=event_id,
        )


def _check_block_leaves(findings: _Findings, block: Block, seals: dict[int, str]) -> None:
    params = {"number": block.number, "count": len(seals), "expected": block.event_count}
    if len(seals) != block.event_count:
        findings.add(
            _("Block %(number)d has %(count)d sealed events instead of %(expected)d.") % params,
            block=block.number,
        )
    if merkle_root([leaf_text(event_id, leaf) for event_id, leaf in seals.items()]) != block.merkle_root:
        findings.add(
            _("Block %(number)d: the Merkle root of its sealed events does not match the block.") % params,
            block=block.number,
        )
    ids = list(seals)
    if ids and (ids[0], ids[-1]) != (block.first_event_id, block.last_event_id):
        findings.add(
            _("Block %(number)d: its first and last sealed events do not match the block.") % params,
            block=block.number,
        )


def _verify_blocks(findings: _Findings) -> Block | None:
    """Walk the chain in number order, one block (two queries) at a time; return the last block."""
    previous: Block | None = None
    for block in Block.objects.order_by("number").iterator(chunk_size=CHUNK_SIZE):
        if findings.full:
            break
        _check_block_header(findings, block, previous)
        seals = dict(
            Seal.objects.filter(block_id=block.pk).order_by("event_id").values_list("event_id", "leaf_hash")
        )
        _check_block_events(findings, block, seals)
        _check_block_leaves(findings, block, seals)
        findings.blocks_checked += 1
        previous = block
    return previous


def _check_pending_event(findings: _Findings, event: Event, cutoff: datetime.datetime | None) -> None:
    findings.pending += 1
    findings.events_checked += 1
    if event_content_hash(event) != event.hash:
        findings.add(
            _("Pending event %(event)d does not match its stored hash: it was changed.")
            % {"event": event.pk},
            event=event.pk,
        )
    elif cutoff is not None and event.created_at < cutoff:
        findings.add(
            _(
                "Pending event %(event)d was recorded long before the newest block was sealed, "
                "yet is in no block: inserted after sealing?"
            )
            % {"event": event.pk},
            event=event.pk,
        )


def _verify_pending(findings: _Findings, newest: Block | None) -> None:
    cutoff = newest.sealed_at - PENDING_GRACE if newest else None
    for event in _pending_events().iterator(chunk_size=CHUNK_SIZE):
        if findings.full:
            break
        _check_pending_event(findings, event, cutoff)


def audit_verify() -> VerificationReport:
    """Check the whole log: the block chain, every block's seals and Merkle root, every
    event's content hash, and pending events. Memory stays bounded by one block.

    Collection stops after ``MAX_PROBLEMS`` problems; the report names the first broken
    block and/or event.
    """
    findings = _Findings()
    newest = _verify_blocks(findings)
    if not findings.full:
        _verify_pending(findings, newest)
    return findings.report()
