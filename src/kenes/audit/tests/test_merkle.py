import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kenes.audit.merkle import (
    EMPTY_ROOT,
    audit_path,
    hash_leaf,
    hash_node,
    leaf_text,
    merkle_root,
    root_from_path,
    verify_inclusion,
)

# The test vectors of the Certificate Transparency reference implementation
# (google/certificate-transparency, merkle_tree_test.cc): leaves and the roots of their prefixes.
CT_LEAVES = [
    "",
    "\x00",
    "\x10",
    "\x20\x21",
    "\x30\x31",
    "\x40\x41\x42\x43",
    "\x50\x51\x52\x53\x54\x55\x56\x57",
    "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def reference_root(leaves: list[str]) -> bytes:
    """RFC 6962 §2.1 written out recursively, to check the bottom-up implementation."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hash_leaf(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hash_node(reference_root(leaves[:k]), reference_root(leaves[k:]))


def test_it_gives_the_empty_list_the_hash_of_nothing():
    assert merkle_root([]) == EMPTY_ROOT == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("size", range(1, 9))
def test_it_matches_the_certificate_transparency_roots(size):
    assert merkle_root(CT_LEAVES[:size]) == CT_ROOTS[size - 1]


def test_it_hashes_one_leaf_with_the_leaf_prefix():
    assert merkle_root(["a"]) == hashlib.sha256(b"\x00a").hexdigest()


def test_it_hashes_two_leaves_with_the_node_prefix():
    left, right = hashlib.sha256(b"\x00a").digest(), hashlib.sha256(b"\x00b").digest()
    assert merkle_root(["a", "b"]) == hashlib.sha256(b"\x01" + left + right).hexdigest()


def test_it_splits_three_leaves_at_two():
    a, b, c = (hash_leaf(x) for x in "abc")
    assert merkle_root(["a", "b", "c"]) == hash_node(hash_node(a, b), c).hex()


def test_it_matches_the_certificate_transparency_audit_path():
    assert audit_path(CT_LEAVES, 0) == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]


def test_it_binds_the_event_id_into_the_leaf():
    assert leaf_text(42, "ab" * 32) == f"42:{'ab' * 32}"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 8, 9, 16, 17])
def test_it_round_trips_every_proof(size):
    leaves = [f"leaf-{i}" for i in range(size)]
    root = merkle_root(leaves)
    for index, leaf in enumerate(leaves):
        path = audit_path(leaves, index)
        assert verify_inclusion(leaf=leaf, index=index, tree_size=size, path=path, root=root)


def test_it_gives_a_single_leaf_an_empty_path():
    assert audit_path(["only"], 0) == []
    assert verify_inclusion(leaf="only", index=0, tree_size=1, path=[], root=merkle_root(["only"]))


def test_it_refuses_an_index_out_of_range():
    with pytest.raises(IndexError):
        audit_path(["a", "b"], 2)
    assert root_from_path(leaf="a", index=2, tree_size=2, path=[]) is None


@pytest.mark.parametrize(
    "change",
    [
        {"leaf": "leaf-9"},
        {"index": 4},
        {"tree_size": 9},
        {"tree_size": 3},
        {"root": "00" * 32},
        {"path": ["00" * 32, "11" * 32, "22" * 32]},
        {"path": []},
        {"path": ["not hex"]},
    ],
)
def test_it_rejects_a_proof_that_does_not_fit(change):
    leaves = [f"leaf-{i}" for i in range(7)]
    proof: dict[str, Any] = {
        "leaf": "leaf-3",
        "index": 3,
        "tree_size": 7,
        "path": audit_path(leaves, 3),
        "root": merkle_root(leaves),
    }
    assert verify_inclusion(**proof)
    assert not verify_inclusion(**{**proof, **change})


leaf_lists = st.lists(st.text(max_size=12), min_size=1, max_size=40)


@given(leaves=leaf_lists)
def test_it_equals_the_recursive_definition(leaves):
    assert merkle_root(leaves) == reference_root(leaves).hex()


@given(leaves=leaf_lists)
def test_it_proves_every_leaf(leaves):
    root = merkle_root(leaves)
    for index, leaf in enumerate(leaves):
        path = audit_path(leaves, index)
        assert verify_inclusion(leaf=leaf, index=index, tree_size=len(leaves), path=path, root=root)


@given(leaves=leaf_lists, data=st.data())
def test_it_changes_the_root_when_any_leaf_changes(leaves, data):
    index = data.draw(st.integers(min_value=0, max_value=len(leaves) - 1))
    replacement = data.draw(st.text(max_size=12).filter(lambda text: text != leaves[index]))
    changed = [*leaves[:index], replacement, *leaves[index + 1 :]]
    assert merkle_root(changed) != merkle_root(leaves)
    path = audit_path(leaves, index)
    assert not verify_inclusion(
        leaf=replacement, index=index, tree_size=len(leaves), path=path, root=merkle_root(leaves)
    )
