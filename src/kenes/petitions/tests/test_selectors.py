"""Reads: lists with filters in a fixed number of queries, likely duplicates, counts, signers, the answer."""

import pytest
from django.db import connection
from django.http import Http404

from kenes.accounts.tests.factories import UserFactory
from kenes.obligations.models import Kind
from kenes.obligations.services import (
    commitment_create,
    obligation_open,
    obligation_redirect,
    obligation_respond,
)
from kenes.obligations.tests.factories import staffed_body
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.petitions import selectors
from kenes.petitions.models import Petition
from kenes.petitions.services import signatures_count
from kenes.territories.tests.factories import TerritoryFactory

from .factories import PetitionFactory, SignatureFactory, TopicFactory

REASONS = "The road will be repaired and lit in May, as the regional budget for next year provides."


def test_list_shows_public_petitions_only(open_petition):
    closed = PetitionFactory(state="closed")
    for state in ("draft", "pending", "rejected"):
        PetitionFactory(state=state)
    PetitionFactory(is_hidden=True)

    assert set(selectors.petition_list()) == {open_petition, closed}
    assert list(selectors.petition_list(state="closed")) == [closed]


def test_list_filters(open_petition, region, district, body):
    in_district = PetitionFactory(territory=district, addressee=body, level="local")
    other_topic = PetitionFactory(topic=TopicFactory(code="health"), territory=TerritoryFactory())

    assert set(selectors.petition_list(territory=region)) == {open_petition, in_district}
    assert set(selectors.petition_list(territory=region.pk)) == {open_petition, in_district}
    assert list(selectors.petition_list(territory=district)) == [in_district]
    assert list(selectors.petition_list(topic=other_topic.topic)) == [other_topic]
    assert list(selectors.petition_list(level="local")) == [in_district]
    assert set(selectors.petition_list(addressee=body)) == {open_petition, in_district}


def test_list_search_matches_every_word(open_petition):
    lights = PetitionFactory(title="Street lights for Abay avenue", text="Dark at night.")
    assert list(selectors.petition_list(query="abay LIGHTS")) == [lights]
    assert list(selectors.petition_list(query="abay potholes")) == []


def test_list_by_answered(open_petition, officer, body):
    waiting = PetitionFactory(addressee=body)
    obligation = obligation_open(
        actor=None, subject=open_petition, organization=body, kind=Kind.PETITION, title="t"
    )
    obligation_respond(actor=officer, obligation=obligation, decision="accepted", reasons=REASONS)

    assert list(selectors.petition_list(answered=True)) == [open_petition]
    assert list(selectors.petition_list(answered=False)) == [waiting]


def test_list_queries_do_not_grow_with_petitions(django_assert_max_num_queries, region):
    PetitionFactory.create_batch(3)
    with django_assert_max_num_queries(2):
        [
            (p.addressee.name, p.territory.name, p.topic.name)
            for p in selectors.petition_list(territory=region)
        ]
    PetitionFactory.create_batch(10)
    with django_assert_max_num_queries(1):
        rows = [(p.addressee.name, p.territory.name, p.topic.name) for p in selectors.petition_list()]
    assert len(rows) == 13


def test_get_and_404(open_petition, django_assert_num_queries):
    with django_assert_num_queries(1):
        petition = selectors.petition_get(open_petition.pk)
        assert (petition.author.pk, petition.addressee.name, petition.topic.code) == (
            open_petition.author_id,
            open_petition.addressee.name,
            "roads_transport",
        )
    with pytest.raises(Http404):
        selectors.petition_get(10**9)


def test_my_petitions_in_every_state(alice, charlie):
    mine = [PetitionFactory(author=alice, state=state) for state in Petition.State.values]
    PetitionFactory(author=charlie)
    assert set(selectors.my_petitions(alice)) == set(mine)


def test_moderation_queue(moderator, body, alice):
    addressed = PetitionFactory(state="pending", addressee=body)
    own = PetitionFactory(state="pending", addressee=body, author=moderator)
    elsewhere = PetitionFactory(state="pending")
    PetitionFactory(addressee=body)  # open: not in the queue

    assert list(selectors.moderation_queue(moderator)) == [addressed]
    assert set(selectors.moderation_queue()) == {addressed, own, elsewhere}
    assert list(selectors.moderation_queue(alice)) == []


def test_region_counts_and_public_signers(open_petition, make_signer, region, elsewhere):
    shown = SignatureFactory(petition=open_petition, user=make_signer(display_name="Aigerim"), show_name=True)
    SignatureFactory(petition=open_petition, user=make_signer(display_name="Hidden"))
    SignatureFactory(petition=open_petition, user=make_signer(home_territory=elsewhere))
    SignatureFactory(petition=open_petition, user=make_signer(home_territory=None))
    SignatureFactory(petition=open_petition, user=make_signer(), show_name=True, confirmed_at=None)
    signatures_count(lag_seconds=0)

    rows = selectors.region_counts(open_petition)
    assert [(row.region_id, row.count) for row in rows] == [(region.pk, 2), (elsewhere.pk, 1), (None, 1)]
    assert [s.user.public_name for s in selectors.public_signers(open_petition)] == ["Aigerim"]
    assert shown in selectors.public_signers(open_petition)


def test_counted_until(open_petition):
    assert selectors.counted_until() is None
    signatures_count(lag_seconds=0)
    assert selectors.counted_until() is not None


# --- the answer ---------------------------------------------------------------------------------------


def test_response_before_and_after_the_answer(open_petition, officer, body, django_assert_max_num_queries):
    assert selectors.petition_response(open_petition).obligation is None

    obligation = obligation_open(
        actor=None, subject=open_petition, organization=body, kind=Kind.PETITION, title="t"
    )
    waiting = selectors.petition_response(open_petition)
    assert waiting.obligation == obligation and not waiting.is_answered

    response = obligation_respond(actor=officer, obligation=obligation, decision="accepted", reasons=REASONS)
    commitment_create(
        actor=officer,
        response=response,
        title="Light the road",
        description="Twenty street lights.",
        milestones=[("Lights installed", obligation.deadline)],
    )
    with django_assert_max_num_queries(5):
        answer = selectors.petition_response(open_petition)
        assert answer.response == response and answer.response.organization == body
        assert [m.title for c in answer.commitments for m in c.milestones.all()] == ["Lights installed"]


def test_response_follows_a_redirection(open_petition, officer, body):
    competent = staffed_body()
    obligation = obligation_open(
        actor=None, subject=open_petition, organization=body, kind=Kind.PETITION, title="t"
    )
    new = obligation_redirect(
        actor=officer,
        obligation=obligation,
        to_organization=competent,
        reason="The roads department decides on lighting.",
    )
    assert selectors.petition_response(open_petition).obligation == new


# --- likely duplicates --------------------------------------------------------------------------------------


def test_trigrams_and_similarity_follow_pg_trgm():
    assert selectors.trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert selectors.similarity("word", "word") == 1.0
    assert selectors.similarity("", "word") == 0.0
    assert 0 < selectors.similarity("street lights", "streetlights") < 1


def test_similar_petitions_finds_likely_duplicates(open_petition):
    duplicate = PetitionFactory(
        title="Repair the road to the school",
        text="The road is full of potholes and children walk in the dark.",
    )
    PetitionFactory(title="Open a library in the village", text="Books for children and adults.")
    pending = PetitionFactory(state="pending", title="Repair the road to school", text=open_petition.text)
    PetitionFactory(state="draft", title=open_petition.title, text=open_petition.text)

    found = selectors.similar_petitions("Repair the road to our school", open_petition.text)

    assert found[:2] == [open_petition, duplicate] or found[:2] == [duplicate, open_petition]
    assert pending not in found and len(found) == 2
    assert all(0.25 <= p.similarity <= 1 for p in found)
    assert pending in selectors.similar_petitions("Repair the road to school", "", include_pending=True)
    assert open_petition not in selectors.similar_petitions(
        open_petition.title, open_petition.text, exclude_pk=open_petition.pk
    )
    assert selectors.similar_petitions("", "") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with pg_trgm itself")
def test_the_python_similarity_equals_pg_trgm(db):
    pairs = [
        ("Repair the road to school", "Repair the road to our school"),
        ("Street lights for Abay avenue", "Lights on Abay street"),
        ("Жолды жөндеу керек", "Жолды жөндеңіз"),
        ("word", "completely different"),
    ]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert selectors.similarity(a, b) == pytest.approx(cursor.fetchone()[0], abs=1e-6), (a, b)


def test_similar_petitions_ignore_hidden_ones(open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(is_hidden=True)
    assert selectors.similar_petitions(open_petition.title, open_petition.text) == []


def test_moderation_queue_for_a_head_of_another_body(open_petition):
    head = UserFactory()
    MembershipFactory(
        organization=OrganizationFactory(kind="state_body"), user=head, role=Membership.Role.HEAD
    )
    PetitionFactory(state="pending")
    assert list(selectors.moderation_queue(head)) == []


def test_counts_and_signers_in_one_query_each(
    open_petition, make_signer, elsewhere, django_assert_num_queries
):
    for index in range(6):
        home = elsewhere if index % 2 else None
        SignatureFactory(petition=open_petition, user=make_signer(home_territory=home), show_name=True)
    signatures_count(lag_seconds=0)
    with django_assert_num_queries(1):
        assert [str(row.region) for row in selectors.region_counts(open_petition) if row.region] == [
            "Elsewhere"
        ]
    with django_assert_num_queries(1):
        assert len({(s.user.public_name, s.region_id) for s in selectors.public_signers(open_petition)}) == 6
