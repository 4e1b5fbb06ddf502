import datetime
import hashlib
import json

import pytest

from kenes.audit.hashing import block_hash
from kenes.audit.merkle import leaf_text, merkle_root, verify_inclusion

from .factories import record_events, seal

pytestmark = pytest.mark.django_db

HASHED = ("number", "sealed_at", "event_count", "first_event_id", "last_event_id", "merkle_root", "prev_hash")


@pytest.fixture
def blocks():
    made = []
    for size in (3, 5):
        record_events(size)
        made.append(seal())
    return made


def test_it_lists_blocks_in_chain_order_with_pages(client, blocks):
    response = client.get("/api/v1/audit/blocks", {"per_page": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["pages"], body["page"]) == (2, 2, 1)
    assert body["items"][0]["number"] == 1
    assert body["items"][0]["hash"] == blocks[0].hash
    second = client.get("/api/v1/audit/blocks", {"per_page": 1, "page": 2}).json()
    assert second["items"][0]["prev_hash"] == blocks[0].hash


def test_it_lists_blocks_in_a_fixed_number_of_queries(client, blocks, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/audit/blocks")
    assert len(response.json()["items"]) == 2


def test_it_gives_the_leaves_from_which_anyone_recomputes_root_and_hash(client, blocks):
    body = client.get("/api/v1/audit/blocks/2").json()
    leaves = [leaf_text(leaf["event_id"], leaf["leaf_hash"]) for leaf in body["leaves"]]
    assert len(leaves) == body["event_count"] == 5
    assert merkle_root(leaves) == body["merkle_root"] == blocks[1].merkle_root
    fields = {name: body[name] for name in HASHED}
    fields["sealed_at"] = datetime.datetime.fromisoformat(body["sealed_at"])
    assert body["sealed_at"].endswith("+00:00")
    assert block_hash(**fields) == body["hash"] == blocks[1].hash


def test_it_proves_that_an_event_is_in_a_block(client, blocks):
    block = blocks[1]
    event_id = block.first_event_id + 3
    response = client.get(f"/api/v1/audit/blocks/{block.number}/proof/{event_id}")
    assert response.status_code == 200
    proof = response.json()
    assert (proof["leaf_index"], proof["tree_size"], proof["merkle_root"]) == (3, 5, block.merkle_root)
    assert verify_inclusion(
        leaf=proof["leaf"],
        index=proof["leaf_index"],
        tree_size=proof["tree_size"],
        path=proof["audit_path"],
        root=proof["merkle_root"],
    )
    assert proof["leaf"] == f"{event_id}:{proof['leaf_hash']}"


def test_it_answers_404_for_an_event_not_in_the_block(client, blocks):
    response = client.get(f"/api/v1/audit/blocks/1/proof/{blocks[1].first_event_id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_answers_404_for_a_missing_block(client, blocks):
    for url in ("/api/v1/audit/blocks/9", "/api/v1/audit/blocks/9/proof/1"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_it_lets_a_third_party_recompute_the_hash_with_the_standard_library(client, blocks):
    """The recipe in docs/audit.md: plain json + hashlib over the API's own fields."""
    body = client.get("/api/v1/audit/blocks/2").json()
    text = json.dumps({f: body[f] for f in HASHED}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text.encode()).hexdigest() == body["hash"]
    assert body["prev_hash"] == client.get("/api/v1/audit/blocks/1").json()["hash"]
