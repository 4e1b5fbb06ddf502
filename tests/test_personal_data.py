"""Personal data across apps: a person's export includes what other apps registered, and
deleting the account erases it there too (core registries filled in AppConfig.ready())."""

import json

import pytest

from kenes.accounts.services import user_delete, user_export_data
from kenes.organizations.models import Membership


@pytest.mark.django_db
def test_the_export_includes_memberships_and_deletion_erases_them(alice, membership_factory):
    membership = membership_factory(user=alice, role=Membership.Role.OFFICER)

    exported = json.loads(json.dumps(user_export_data(actor=alice, user=alice), default=str))
    assert "organizations" in json.dumps(exported)
    assert membership.organization.name in json.dumps(exported, ensure_ascii=False)

    user_delete(actor=alice, user=alice)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    alice.refresh_from_db()
    assert alice.public_name == "deleted user"
