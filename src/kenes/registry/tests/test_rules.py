"""Role × state sweep of the registry's permissions."""

import pytest

from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory
from kenes.registry.models import RegistryStatus

ROLES = ["anonymous", "outsider", "member", "officer", "head", "staff"]
SUBMIT = {"officer", "head", "staff"}
PRIVATE = {"member", "officer", "head", "staff"}


@pytest.fixture
def person(request, ngo, charlie, staff, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from kenes.accounts.tests.factories import UserFactory

    role = request.param
    if role == "anonymous":
        return role, AnonymousUser()
    if role == "outsider":
        return role, charlie
    if role == "staff":  # staff, not a superuser (a superuser holds every permission)
        return role, UserFactory(is_staff=True)
    user = UserFactory()
    MembershipFactory(organization=ngo.organization, user=user, role=getattr(Membership.Role, role.upper()))
    return role, user


@pytest.mark.parametrize("person", ROLES, indirect=True)
@pytest.mark.parametrize(
    "status", [RegistryStatus.OPERATING, RegistryStatus.POSSIBLY_NON_OPERATING, RegistryStatus.LIQUIDATED]
)
def test_who_may_do_what(person, status, ngo):
    role, user = person
    ngo.status = status
    assert user.has_perm("registry.view_ngoprofile", ngo)
    may_submit = role in SUBMIT and status != RegistryStatus.LIQUIDATED
    assert user.has_perm("registry.submit_annualreport", ngo) is may_submit
    assert user.has_perm("registry.view_private_annualreport", ngo) is (role in PRIVATE)
    for perm in ("registry.set_status_ngoprofile", "registry.import_importjob", "registry.add_ngoprofile"):
        assert user.has_perm(perm, ngo if "status" in perm else None) is (role == "staff")


def test_an_inactive_head_may_not_submit(ngo, alice):
    MembershipFactory(organization=ngo.organization, user=alice, role=Membership.Role.HEAD)
    alice.is_active = False
    assert not alice.has_perm("registry.submit_annualreport", ngo)
