"""Role × action matrix for the moderation perms (the same table is in docs/moderation.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from tests.testapp.factories import SubmissionFactory

from kenes.accounts.tests.factories import UserFactory
from kenes.moderation.models import Appeal, Decision
from kenes.organizations.models import Membership
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
    "decider",
    "moderator_elsewhere",
    "staff",
    "inactive_staff",
]
EVERYONE_ACTIVE = set(ROLES) - {"anonymous", "inactive_staff"}

# perm -> the roles allowed it
MATRIX = {
    "moderation.add_report": EVERYONE_ACTIVE - {"author"},
    "moderation.view_queue": {"moderator", "head", "decider", "moderator_elsewhere", "staff"},
    "moderation.decide_content": {"moderator", "head", "decider", "staff"},
    "moderation.add_appeal": {"author"},
    "moderation.resolve_appeal": {"moderator", "head", "staff"},
}


@pytest.fixture
def world():
    organization = OrganizationFactory()
    users = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "author": UserFactory(),
        "staff": UserFactory(is_staff=True),
        "inactive_staff": UserFactory(is_staff=True, is_active=False),
    }
    for role in ["member", "officer", "moderator", "head"]:
        users[role] = UserFactory()
        MembershipFactory(organization=organization, user=users[role], role=role)
    users["decider"] = UserFactory()
    MembershipFactory(organization=organization, user=users["decider"], role=Membership.Role.MODERATOR)
    users["moderator_elsewhere"] = UserFactory()
    MembershipFactory(user=users["moderator_elsewhere"], role=Membership.Role.MODERATOR)
    content = SubmissionFactory(author=users["author"], organization=organization)
    decision = Decision.objects.create(
        content=content,
        action=Decision.Action.HIDE,
        reason="A reason of several words.",
        moderator=users["decider"],
        organization=organization,
    )
    appeal = Appeal.objects.create(decision=decision, author=users["author"], text="Wrong.")
    objects = {
        "moderation.add_report": content,
        "moderation.view_queue": None,
        "moderation.decide_content": content,
        "moderation.add_appeal": decision,
        "moderation.resolve_appeal": appeal,
    }
    return users, objects


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_it_grants_each_moderation_perm_to_exactly_the_right_roles(world, perm, role):
    users, objects = world
    assert users[role].has_perm(perm, objects[perm]) is (role in MATRIX[perm])


def test_it_lets_nobody_report_or_decide_on_an_unregistered_model(world):
    from tests.testapp.models import Submission

    from kenes.moderation import registry

    users, objects = world
    registry.unregister(Submission)
    assert not users["outsider"].has_perm("moderation.add_report", objects["moderation.add_report"])
    assert not users["staff"].has_perm("moderation.decide_content", objects["moderation.decide_content"])


def test_it_refuses_appeals_against_a_dismissal(world):
    users, objects = world
    dismissal = objects["moderation.add_appeal"]
    dismissal.action = Decision.Action.DISMISS
    assert not users["author"].has_perm("moderation.add_appeal", dismissal)


def test_staff_who_decided_do_not_resolve_the_appeal_either(world):
    users, objects = world
    appeal = objects["moderation.resolve_appeal"]
    appeal.decision.moderator = users["staff"]
    appeal.decision.moderator_id = users["staff"].pk
    assert not users["staff"].has_perm("moderation.resolve_appeal", appeal)
