import json

import pytest

from kenes.audit.models import Event
from kenes.organizations.exports import erase_memberships, export_memberships
from kenes.organizations.models import Invitation, Membership
from kenes.organizations.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_it_exports_a_persons_memberships_as_json(org, alice):
    MembershipFactory(organization=org, user=alice, role=Membership.Role.OFFICER)
    MembershipFactory()  # someone else's
    exported = export_memberships(alice)
    assert json.loads(json.dumps(exported)) == exported
    assert [(e["organization_id"], e["role"]) for e in exported] == [(org.pk, "officer")]


def test_it_erases_memberships_and_open_invitations_to_the_persons_address(org, alice, bob):
    MembershipFactory(organization=org, user=alice)
    kept = MembershipFactory(organization=org, user=bob)
    InvitationFactory(email="ALICE@example.org")
    other = InvitationFactory(email="someone@example.org")
    erase_memberships(alice)
    assert list(Membership.objects.all()) == [kept]
    assert list(Invitation.objects.all()) == [other]
    assert Event.objects.filter(action="organizations.membership.erased").count() == 1
