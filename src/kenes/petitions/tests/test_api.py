"""The read-only petitions API: paginated public petitions with filters, one petition with its
counts by region and the answer, likely duplicates; drafts are 404 to others."""

import pytest

from kenes.obligations.models import Kind
from kenes.obligations.services import commitment_create, obligation_open, obligation_respond
from kenes.petitions.services import signatures_count

from .factories import PetitionFactory, SignatureFactory, TopicFactory

BASE = "/api/v1/petitions"
REASONS = "The road will be repaired and lit in May, as the regional budget for next year provides."


def test_list_is_paginated_in_a_fixed_number_of_queries(client, region, django_assert_max_num_queries):
    PetitionFactory.create_batch(3, territory=region)
    PetitionFactory(state="draft")
    with django_assert_max_num_queries(3):
        response = client.get(BASE, {"per_page": 2, "territory": region.code})
    page = response.json()
    assert response.status_code == 200
    assert (page["count"], page["pages"], len(page["items"])) == (3, 2, 2)
    assert page["items"][0]["territory"]["code"] == region.code
    PetitionFactory.create_batch(10)
    with django_assert_max_num_queries(3):
        assert len(client.get(BASE, {"per_page": 20}).json()["items"]) == 13


def test_list_filters(client, open_petition):
    health = PetitionFactory(topic=TopicFactory(code="health"), level="local", state="closed")
    assert [p["id"] for p in client.get(BASE, {"topic": "health"}).json()["items"]] == [health.pk]
    assert [p["id"] for p in client.get(BASE, {"state": "open"}).json()["items"]] == [open_petition.pk]
    assert [p["id"] for p in client.get(BASE, {"level": "local"}).json()["items"]] == [health.pk]
    assert {p["id"] for p in client.get(BASE, {"q": "potholes road"}).json()["items"]} == {
        health.pk,
        open_petition.pk,
    }
    assert client.get(BASE, {"q": "potholes library"}).json()["items"] == []
    assert client.get(BASE, {"territory": "000000000"}).status_code == 404
    assert client.get(BASE, {"topic": "nothing"}).status_code == 404
    assert client.get(BASE, {"level": "galactic"}).status_code == 422


def test_detail_with_regions_and_answer(client, open_petition, make_signer, officer, body, region, elsewhere):
    for home in (None, region, elsewhere, region):
        SignatureFactory(petition=open_petition, user=make_signer(home_territory=home))
    signatures_count(lag_seconds=0)
    obligation = obligation_open(
        actor=None, subject=open_petition, organization=body, kind=Kind.PETITION, title="t"
    )
    response = obligation_respond(actor=officer, obligation=obligation, decision="accepted", reasons=REASONS)
    commitment_create(
        actor=officer,
        response=response,
        title="Light the road",
        milestones=[("Lights installed", obligation.deadline)],
    )

    data = client.get(f"{BASE}/{open_petition.pk}").json()

    assert data["signatures"] == 4 and data["demand"] == open_petition.demand
    assert [(r["region"] and r["region"]["code"], r["signatures"]) for r in data["regions"]] == [
        (region.code, 2),
        (elsewhere.code, 1),
        (None, 1),
    ]
    assert data["answer"]["response"]["decision"] == "accepted"
    assert data["answer"]["response"]["on_time"] is True
    assert data["answer"]["commitments"][0]["milestones"][0]["title"] == "Lights installed"
    assert client.get(f"{BASE}/{open_petition.pk}/regions").json()[0]["signatures"] == 2


def test_detail_before_the_threshold_has_no_answer(client, open_petition):
    data = client.get(f"{BASE}/{open_petition.pk}").json()
    assert data["answer"] is None and data["regions"] == []


def test_drafts_are_404_except_to_their_author(client, alice, charlie):
    draft = PetitionFactory(state="draft", author=alice)
    assert client.get(f"{BASE}/{draft.pk}").status_code == 404
    client.force_login(charlie)
    assert client.get(f"{BASE}/{draft.pk}").status_code == 404
    assert client.get(f"{BASE}/{draft.pk}/regions").status_code == 404
    client.force_login(alice)
    assert client.get(f"{BASE}/{draft.pk}").json()["state"] == "draft"
    assert client.get(f"{BASE}/999999").status_code == 404


def test_similar(client, open_petition):
    found = client.get(f"{BASE}/similar", {"title": open_petition.title, "text": open_petition.text}).json()
    assert [p["id"] for p in found] == [open_petition.pk]
    assert found[0]["similarity"] == pytest.approx(1.0)
    assert client.get(f"{BASE}/similar", {"title": "Completely unrelated words"}).json() == []
