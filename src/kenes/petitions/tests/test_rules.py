"""Every role against every state for the petitions permissions (docs/petitions.md, Permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.petitions.models import Petition

from .factories import PetitionFactory

ROLES = [
    "anonymous",
    "outsider",
    "author",
    "body_member",
    "body_moderator",
    "body_head",
    "other_moderator",
    "staff_moderator",
    "plain_staff",
    "inactive_author",
]
MODERATORS = {"body_moderator", "body_head", "staff_moderator"}
PUBLIC = {Petition.State.OPEN, Petition.State.CLOSED}
EDITABLE = {Petition.State.DRAFT, Petition.State.REJECTED}


def expected(perm: str, role: str, state: str, hidden: bool = False) -> bool:
    active = role not in ("anonymous", "inactive_author")
    if perm == "petitions.view_petition":
        return (state in PUBLIC and not hidden) or role == "author" or role in MODERATORS
    if perm == "petitions.change_petition":
        return role == "author" and state in EDITABLE
    if perm == "petitions.moderate_petition":
        return role in MODERATORS
    if perm == "petitions.sign_petition":  # verification level 1 needed; everyone here has it
        return active
    raise AssertionError(perm)


@pytest.fixture
def people(db):
    body = OrganizationFactory(kind="state_body")
    other = OrganizationFactory(kind="state_body")
    users = {role: UserFactory(verification_level=1) for role in ROLES if role != "anonymous"}
    users["inactive_author"].is_active = False
    users["inactive_author"].save(update_fields=["is_active"])
    for role, organization, membership in [
        ("body_member", body, Membership.Role.MEMBER),
        ("body_moderator", body, Membership.Role.MODERATOR),
        ("body_head", body, Membership.Role.HEAD),
        ("other_moderator", other, Membership.Role.MODERATOR),
    ]:
        MembershipFactory(organization=organization, user=users[role], role=membership)
    for role in ("staff_moderator", "plain_staff"):
        users[role].is_staff = True
        users[role].save(update_fields=["is_staff"])
    users["staff_moderator"].user_permissions.add(
        Permission.objects.get(codename="moderate_petition", content_type__app_label="petitions")
    )
    users["anonymous"] = AnonymousUser()
    return body, users


PERMS = [
    "petitions.view_petition",
    "petitions.change_petition",
    "petitions.moderate_petition",
    "petitions.sign_petition",
]


@pytest.mark.parametrize("state", Petition.State.values)
@pytest.mark.parametrize("perm", PERMS)
def test_every_role_in_every_state(people, perm, state):
    body, users = people
    petition = PetitionFactory(state=state, addressee=body, author=users["author"])
    wrong = []
    for role in ROLES:
        user = users[role]
        if role == "inactive_author":
            petition.author = user
        else:
            petition.author = users["author"]
        if users[role].has_perm(perm, petition) != expected(perm, role, state):
            wrong.append(role)
    assert wrong == []


def test_hidden_petition_is_seen_by_author_and_moderators_only(people):
    body, users = people
    petition = PetitionFactory(addressee=body, author=users["author"], is_hidden=True)
    seeing = {role for role in ROLES if users[role].has_perm("petitions.view_petition", petition)}
    assert seeing == {"author"} | MODERATORS


def test_nobody_moderates_their_own_petition(people):
    body, users = people
    petition = PetitionFactory(state="pending", addressee=body, author=users["body_moderator"])
    assert not users["body_moderator"].has_perm("petitions.moderate_petition", petition)
    assert users["body_head"].has_perm("petitions.moderate_petition", petition)


def test_signing_needs_the_petitions_verification_level(people):
    body, users = people
    petition = PetitionFactory(addressee=body, min_verification_level=2)
    assert not users["outsider"].has_perm("petitions.sign_petition", petition)
    users["outsider"].verification_level = 2
    assert users["outsider"].has_perm("petitions.sign_petition", petition)


def test_moderating_some_petition_is_the_queue_permission(people):
    _body, users = people
    holders = {role for role in ROLES if users[role].has_perm("petitions.moderate_petition", None)}
    assert holders == MODERATORS | {"other_moderator"}


def test_starting_a_petition_needs_an_account(people):
    _body, users = people
    holders = {role for role in ROLES if users[role].has_perm("petitions.add_petition")}
    assert holders == set(ROLES) - {"anonymous", "inactive_author"}
