"""Who may do what with organisations (see the table in docs/organizations.md).

Every perm is named ``organizations.<verb>_<model>``; the object is the Organization, except for
``leave_membership`` (a Membership) and ``accept_invitation`` (an Invitation).
"""

from typing import Any

import rules

from .models import Membership, Organization


@rules.predicate
def is_head(user: Any, organization: Organization | None) -> bool:
    if organization is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(organization=organization, user=user, role=Membership.Role.HEAD).exists()


@rules.predicate
def is_the_member(user: Any, membership: Membership | None) -> bool:
    if membership is None or not getattr(user, "is_authenticated", False):
        return False
    return membership.user_id == user.pk


is_staff = rules.is_staff & rules.is_active

rules.add_perm("organizations.view_organization", rules.always_allow)
rules.add_perm("organizations.add_organization", is_staff)
rules.add_perm("organizations.change_organization", is_staff | is_head)
rules.add_perm("organizations.set_status_organization", is_staff)
rules.add_perm("organizations.view_membership", rules.always_allow)
rules.add_perm("organizations.manage_membership", is_staff | is_head)
rules.add_perm("organizations.leave_membership", is_the_member)
rules.add_perm("organizations.accept_invitation", rules.is_authenticated & rules.is_active)
