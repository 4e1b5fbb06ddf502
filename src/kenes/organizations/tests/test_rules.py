"""Role × action matrix for the organisation perms (the same table is in docs/organizations.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import InvitationFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "officer", "moderator", "head", "head_elsewhere", "staff"]

# action -> the roles allowed it
MATRIX = {
    "organizations.view_organization": set(ROLES),
    "organizations.add_organization": {"staff"},
    "organizations.change_organization": {"head", "staff"},
    "organizations.set_status_organization": {"staff"},
    "organizations.view_membership": set(ROLES),
    "organizations.manage_membership": {"head", "staff"},
}


@pytest.fixture
def world():
    organization = OrganizationFactory()
    elsewhere = OrganizationFactory()
    users = {"anonymous": AnonymousUser(), "outsider": UserFactory(), "staff": UserFactory(is_staff=True)}
    for role in ["member", "officer", "moderator", "head"]:
        users[role] = UserFactory()
        MembershipFactory(organization=organization, user=users[role], role=role)
    users["head_elsewhere"] = UserFactory()
    MembershipFactory(organization=elsewhere, user=users["head_elsewhere"], role=Membership.Role.HEAD)
    return organization, users


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_it_grants_each_organisation_perm_to_exactly_the_right_roles(world, perm, role):
    organization, users = world
    obj = None if perm == "organizations.add_organization" else organization
    assert users[role].has_perm(perm, obj) is (role in MATRIX[perm])


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_the_member_themself_leave(world, role):
    organization, users = world
    officer_membership = Membership.objects.get(organization=organization, user=users["officer"])
    assert users[role].has_perm("organizations.leave_membership", officer_membership) is (role == "officer")


def test_it_refuses_inactive_staff(world):
    organization, _users = world
    inactive = UserFactory(is_staff=True, is_active=False)
    assert not inactive.has_perm("organizations.change_organization", organization)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_any_logged_in_person_try_to_accept_an_invitation(world, role):
    _organization, users = world
    invitation = InvitationFactory()
    assert users[role].has_perm("organizations.accept_invitation", invitation) is (role != "anonymous")
