"""RFC 6962 (Certificate Transparency) Merkle tree hashes and inclusion proofs.

Pure Python, no Django import: a third party can copy this file and check a block's root
or an inclusion proof from the public API alone.

- The hash of a leaf is ``SHA-256(0x00 || leaf)`` and of an inner node
  ``SHA-256(0x01 || left || right)`` (RFC 6962 §2.1), so a leaf can never pass for a node.
- A list of n > 1 leaves splits at k, the largest power of two smaller than n.
- The root of an empty list is ``SHA-256("")`` (RFC 6962: MTH({}) = SHA-256()).
- In Kenes the leaf of an audit event is the text ``f"{event_id}:{event_hash}"``, leaves in
  event-id order (see :func:`leaf_text`). Hashes travel as lowercase hex strings.
"""

import hashlib
from collections.abc import Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf_text(event_id: int, event_hash: str) -> str:
    """The leaf of one audit event: its id bound to its content hash."""
    return f"{event_id}:{event_hash}"


def hash_leaf(leaf: str) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + leaf.encode("utf-8")).digest()


def hash_node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _root(hashes: Sequence[bytes]) -> bytes:
    """Root over leaf hashes, bottom-up: equal to the recursive RFC 6962 definition.

    Pairing neighbours level by level and carrying an odd last node up unchanged builds
    exactly the tree that splits at the largest power of two.
    """
    level = list(hashes)
    while len(level) > 1:
        paired = [hash_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def merkle_root(leaves: Sequence[str]) -> str:
    """The Merkle tree hash (hex) of ``leaves``; of an empty list, ``EMPTY_ROOT``."""
    if not leaves:
        return EMPTY_ROOT
    return _root([hash_leaf(leaf) for leaf in leaves]).hex()


def _path(hashes: Sequence[bytes], index: int) -> list[bytes]:
    if len(hashes) <= 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*_path(hashes[:k], index), _root(hashes[k:])]
    return [*_path(hashes[k:], index - k), _root(hashes[:k])]


def audit_path(leaves: Sequence[str], index: int) -> list[str]:
    """The inclusion proof (RFC 6962 §2.1.1 audit path, hex, leaf-side first) of ``leaves[index]``."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf index {index} out of range for {len(leaves)} leaves")
    return [node.hex() for node in _path([hash_leaf(leaf) for leaf in leaves], index)]


def root_from_path(*, leaf: str, index: int, tree_size: int, path: Sequence[str]) -> str | None:
    """The root that ``path`` proves for ``leaf`` at ``index`` (RFC 9162 §2.1.3.2), or None
    when the path cannot belong to a tree of ``tree_size`` leaves."""
    if not 0 <= index < tree_size:
        return None
    fn, sn = index, tree_size - 1
    node = hash_leaf(leaf)
    for sibling_hex in path:
        if sn == 0:
            return None
        sibling = bytes.fromhex(sibling_hex)
        if fn & 1 or fn == sn:
            node = hash_node(sibling, node)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = hash_node(node, sibling)
        fn, sn = fn >> 1, sn >> 1
    return node.hex() if sn == 0 else None


def verify_inclusion(*, leaf: str, index: int, tree_size: int, path: Sequence[str], root: str) -> bool:
    """True when ``path`` proves that ``leaf`` is leaf ``index`` of the tree of ``tree_size``
    leaves whose root is ``root``."""
    try:
        computed = root_from_path(leaf=leaf, index=index, tree_size=tree_size, path=path)
    except ValueError:  # a path entry that is not hex
        return False
    return computed is not None and computed == root.lower()
