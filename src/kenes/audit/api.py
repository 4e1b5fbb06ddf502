"""Public, read-only API of the audit log: enough for anyone to recompute a block's Merkle
root and hash, and to check that an event is in a block."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from kenes.common.api import PageOut, page_response

from .hashing import hash_time
from .models import Block
from .schemas import BlockDetailOut, BlockOut, ProofOut
from .selectors import block_get_public, block_inclusion_proof, block_leaves, block_list_public

router = Router(tags=["audit"])


def _block_fields(block: Block) -> dict[str, Any]:
    fields = {name: getattr(block, name) for name in BlockOut.model_fields}
    return {**fields, "sealed_at": hash_time(block.sealed_at)}


@router.get("/blocks", response=PageOut[BlockOut], url_name="audit_blocks")
def list_blocks(request: HttpRequest) -> dict[str, Any]:
    """Sealed blocks in chain order (block 1 first); ``page`` and ``per_page`` select a page."""
    return page_response(request, block_list_public(newest_first=False), _block_fields)


@router.get("/blocks/{int:number}", response=BlockDetailOut, url_name="audit_block_detail")
def get_block(request: HttpRequest, number: int) -> dict[str, Any]:
    """One block with all its leaves, from which its Merkle root can be recomputed."""
    block = block_get_public(number=number)
    leaves = [{"event_id": event_id, "leaf_hash": leaf} for event_id, leaf in block_leaves(block=block)]
    return {**_block_fields(block), "leaves": leaves}


@router.get("/blocks/{int:number}/proof/{int:event_id}", response=ProofOut, url_name="audit_block_proof")
def get_proof(request: HttpRequest, number: int, event_id: int) -> dict[str, Any]:
    """The inclusion proof (RFC 6962 audit path) of one event in one block."""
    block = block_get_public(number=number)
    proof = block_inclusion_proof(block=block, event_id=event_id)
    if proof is None:
        raise Http404("event not in block")
    return {
        "block": block.number,
        "event_id": proof.event_id,
        "leaf": proof.leaf,
        "leaf_hash": proof.leaf_hash,
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "audit_path": proof.path,
        "merkle_root": block.merkle_root,
    }
