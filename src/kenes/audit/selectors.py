"""Public reads of the audit log. Nothing here shows an event's actor or data: those may be
personal. What is public is what a third party needs to check the log: ids, times,
actions, subjects, hashes."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from .merkle import audit_path, leaf_text
from .models import Block, Event, Seal


@dataclass(frozen=True)
class AuditCounts:
    events: int
    sealed: int

    @property
    def pending(self) -> int:
        return self.events - self.sealed


@dataclass(frozen=True)
class InclusionProof:
    block: Block
    event_id: int
    leaf_hash: str
    leaf_index: int
    tree_size: int
    path: list[str]

    @property
    def leaf(self) -> str:
        return leaf_text(self.event_id, self.leaf_hash)


def audit_counts() -> AuditCounts:
    """How many events there are and how many are sealed (one query)."""
    totals = Event.objects.aggregate(events=Count("id"), sealed=Count("seal"))
    return AuditCounts(events=totals["events"], sealed=totals["sealed"])


def block_list_public(*, newest_first: bool = True) -> QuerySet[Block]:
    return Block.objects.order_by("-number" if newest_first else "number")


def block_get_public(*, number: int) -> Block:
    """The block with this number, or Http404."""
    return get_object_or_404(Block, number=number)


def block_events_public(*, block: Block) -> QuerySet[Event]:
    """The block's events in leaf order with their sealed leaf hash, without actor or data."""
    return (
        Event.objects.filter(seal__block=block)
        .select_related("subject_type", "seal")
        .only(
            "id",
            "created_at",
            "action",
            "subject_id",
            "subject_type__app_label",
            "subject_type__model",
            "seal__leaf_hash",
        )
        .order_by("id")
    )


def block_leaves(*, block: Block) -> list[tuple[int, str]]:
    """``(event_id, leaf_hash)`` of every seal in the block, in leaf (event-id) order."""
    return list(Seal.objects.filter(block=block).order_by("event_id").values_list("event_id", "leaf_hash"))


def block_inclusion_proof(*, block: Block, event_id: int) -> InclusionProof | None:
    """The audit path proving that the event is in the block, or None if it is not sealed there."""
    leaves = block_leaves(block=block)
    index = next((i for i, (leaf_event_id, _) in enumerate(leaves) if leaf_event_id == event_id), None)
    if index is None:
        return None
    return InclusionProof(
        block=block,
        event_id=event_id,
        leaf_hash=leaves[index][1],
        leaf_index=index,
        tree_size=len(leaves),
        path=audit_path([leaf_text(i, h) for i, h in leaves], index),
    )
