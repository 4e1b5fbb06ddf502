"""Role × state matrix for the obligations permissions (docs/obligations.md has the table)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kenes.accounts.tests.factories import UserFactory
from kenes.obligations.models import Obligation
from kenes.obligations.rules import MAX_SUPERVISION_DEPTH, supervising_chain
from kenes.obligations.tests.factories import CommitmentFactory, ObligationFactory, ResponseFactory
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "author",
    "member",
    "officer",
    "moderator",
    "head",
    "supervisor_member",
    "staff",
]
STATES = [s.value for s in Obligation.State]
LIVE = {"open", "extended", "overdue"}
RESPONDERS = {"officer", "moderator", "head"}
BODY = {"member", "officer", "moderator", "head"}


@pytest.fixture
def world(db):
    supervisor = OrganizationFactory()
    body = OrganizationFactory(supervising_body=supervisor)
    people = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "author": UserFactory(),
        "staff": UserFactory(is_staff=True),
        "supervisor_member": MembershipFactory(organization=supervisor).user,
    }
    for role in ("member", "officer", "moderator", "head"):
        people[role] = MembershipFactory(organization=body, role=getattr(Membership.Role, role.upper())).user
    return body, people


def obligation_in(body, people, state, **fields):
    return ObligationFactory(submission__organization=body, author=people["author"], state=state, **fields)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_it_applies_the_role_by_state_matrix_to_obligations(world, role, state):
    body, people = world
    user, obligation = people[role], obligation_in(body, people, state)
    live = state in LIVE
    expected = {
        "obligations.view_obligation": True,
        "obligations.respond_obligation": live and role in RESPONDERS,
        "obligations.extend_obligation": live and role in RESPONDERS,
        "obligations.redirect_obligation": live and role in RESPONDERS,
        "obligations.assign_obligation": live and role == "head",
        "obligations.withdraw_obligation": live and role == "author",
    }
    assert {perm: user.has_perm(perm, obligation) for perm in expected} == expected


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_a_private_obligation_only_to_the_author_the_bodies_and_staff(world, role):
    body, people = world
    obligation = obligation_in(body, people, "open", is_private=True)
    visible = role in BODY | {"author", "supervisor_member", "staff"}
    assert people[role].has_perm("obligations.view_obligation", obligation) is visible


@pytest.mark.parametrize("role", ROLES)
def test_it_applies_the_matrix_to_responses_commitments_and_the_inbox(world, role):
    body, people = world
    user = people[role]
    response = ResponseFactory(obligation=obligation_in(body, people, "answered"), organization=body)
    commitment = CommitmentFactory(response=response, organization=body)
    keeper = role in {"officer", "head"}
    expected = {
        ("obligations.rate_response", response): role == "author",
        ("obligations.contest_response", response): role == "author",
        ("obligations.add_commitment", response): keeper,
        ("obligations.change_commitment", commitment): keeper,
        ("obligations.view_inbox", body): role in BODY or role == "staff",
    }
    assert {key: user.has_perm(*key) for key in expected} == expected


def test_it_allows_contesting_a_response_only_once(world):
    body, people = world
    response = ResponseFactory(obligation=obligation_in(body, people, "answered"), organization=body)
    assert people["author"].has_perm("obligations.contest_response", response)
    ObligationFactory(contest_of=response, submission__organization=body.supervising_body)
    assert not people["author"].has_perm("obligations.contest_response", response)


def test_it_lets_members_of_bodies_further_up_see_private_obligations_and_stops_at_cycles(world):
    body, people = world
    top = OrganizationFactory()
    body.supervising_body.supervising_body = top
    body.supervising_body.save()
    top_member = MembershipFactory(organization=top).user
    obligation = obligation_in(body, people, "open", is_private=True)
    assert top_member.has_perm("obligations.view_obligation", obligation)
    top.supervising_body = body  # a cycle in the data must not loop forever
    top.save()
    assert not people["outsider"].has_perm("obligations.view_obligation", obligation)


def test_it_denies_an_inactive_member(world):
    body, people = world
    head = people["head"]
    head.is_active = False
    head.save()
    assert not head.has_perm("obligations.respond_obligation", obligation_in(body, people, "open"))


def test_the_supervising_chain_is_read_nearest_first_in_one_query(django_assert_num_queries):
    top = OrganizationFactory()
    middle = OrganizationFactory(supervising_body=top)
    body = OrganizationFactory(supervising_body=middle)
    with django_assert_num_queries(1):
        assert supervising_chain(body.pk) == [body.pk, middle.pk, top.pk]
    assert supervising_chain(top.pk) == [top.pk]


def test_the_supervising_chain_stops_at_a_cycle_and_at_its_depth_bound():
    first = OrganizationFactory()
    second = OrganizationFactory(supervising_body=first)
    Organization.objects.filter(pk=first.pk).update(supervising_body=second)  # past the validators
    assert supervising_chain(second.pk) == [second.pk, first.pk]
    bodies = [OrganizationFactory()]
    for _ in range(MAX_SUPERVISION_DEPTH + 3):
        bodies.append(OrganizationFactory(supervising_body=bodies[-1]))
    chain = supervising_chain(bodies[-1].pk)
    assert chain == [b.pk for b in reversed(bodies)][: MAX_SUPERVISION_DEPTH + 1]
