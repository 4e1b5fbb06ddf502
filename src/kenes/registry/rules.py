"""Who may do what in the NGO registry (the table in docs/registry.md).

Perms are named ``registry.<verb>_<model>``. The object of ``submit_annualreport`` and
``view_private_annualreport`` is the NGO's ``NGOProfile``. Staff means an active staff account.
"""

from typing import Any

import rules

from kenes.organizations.models import Membership

from .models import NGOProfile, RegistryStatus

#: Members of an NGO who may submit and correct its reports (others see its private fields only).
REPORTER_ROLES = (Membership.Role.HEAD, Membership.Role.OFFICER)


def _person(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "deleted_at", None) is None
    )


def _role_in(user: Any, ngo: Any, roles: tuple[str, ...] | None) -> bool:
    if not isinstance(ngo, NGOProfile) or not _person(user):
        return False
    members = Membership.objects.filter(organization_id=ngo.organization_id, user_id=user.pk)
    if roles is not None:
        members = members.filter(role__in=roles)
    return members.exists()


@rules.predicate
def is_staff(user: Any) -> bool:
    return _person(user) and bool(user.is_staff)


@rules.predicate
def is_reporter(user: Any, ngo: Any) -> bool:
    """A head or officer of the NGO."""
    return _role_in(user, ngo, REPORTER_ROLES)


@rules.predicate
def is_member(user: Any, ngo: Any) -> bool:
    """Any member of the NGO, whatever the role."""
    return _role_in(user, ngo, None)


@rules.predicate
def is_not_liquidated(user: Any, ngo: Any) -> bool:
    return isinstance(ngo, NGOProfile) and ngo.status != RegistryStatus.LIQUIDATED


rules.add_perm("registry.view_ngoprofile", rules.always_allow)
rules.add_perm("registry.add_ngoprofile", is_staff)
rules.add_perm("registry.set_status_ngoprofile", is_staff)
rules.add_perm("registry.submit_annualreport", (is_staff | is_reporter) & is_not_liquidated)
rules.add_perm("registry.view_private_annualreport", is_staff | is_member)
rules.add_perm("registry.import_importjob", is_staff)
rules.add_perm("registry.view_importjob", is_staff)
