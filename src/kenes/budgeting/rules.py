"""Who may do what in participatory budgeting (the table in docs/budgeting.md).

Perms are named ``budgeting.<verb>_<model>``. Objects: an Organization or a Process for
``add_process`` (None: only staff), a Process for ``change_process``, ``view_process``, ``add_proposal``,
``vote``, ``count_process`` and ``publish_results``; a Proposal for ``view_proposal``,
``change_proposal``, ``support_proposal``, ``review_proposal`` and ``merge_proposal``.
Eligibility to vote (residence, age, verification) is checked by the service, which says why.
"""

from typing import Any

import rules

from kenes.organizations.models import Membership, Organization

from .models import Process, Proposal

OFFICIAL_ROLES = (Membership.Role.HEAD, Membership.Role.OFFICER)


def _person(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _organization_id(obj: Any) -> int | None:
    if isinstance(obj, Organization):
        return obj.pk
    if isinstance(obj, Process):
        return obj.organization_id
    if isinstance(obj, Proposal):
        return obj.process.organization_id
    return None


@rules.predicate
def is_official(user: Any, obj: Any) -> bool:
    """Head or officer of the responsible body (of the process, or the organisation given)."""
    organization_id = _organization_id(obj)
    if organization_id is None or not _person(user):
        return False
    return Membership.objects.filter(
        organization_id=organization_id, user=user, role__in=OFFICIAL_ROLES
    ).exists()


@rules.predicate
def is_person(user: Any) -> bool:
    return _person(user)


@rules.predicate
def is_author(user: Any, proposal: Proposal | None) -> bool:
    return isinstance(proposal, Proposal) and _person(user) and proposal.author_id == user.pk


@rules.predicate
def is_submitted(user: Any, proposal: Proposal | None) -> bool:
    return isinstance(proposal, Proposal) and proposal.status == Proposal.Status.SUBMITTED


@rules.predicate
def is_visible(user: Any, proposal: Proposal | None) -> bool:
    return isinstance(proposal, Proposal) and not proposal.is_hidden


is_staff = rules.is_staff & rules.is_active

rules.add_perm("budgeting.view_process", rules.always_allow)
rules.add_perm("budgeting.add_process", is_staff | is_official)
rules.add_perm("budgeting.change_process", is_staff | is_official)
rules.add_perm("budgeting.count_process", is_staff | is_official)
rules.add_perm("budgeting.publish_results", is_staff | is_official)
rules.add_perm("budgeting.vote", is_person)
rules.add_perm("budgeting.view_proposal", is_visible | is_author | is_official | is_staff)
rules.add_perm("budgeting.add_proposal", is_person)
rules.add_perm("budgeting.change_proposal", is_author & is_submitted)
rules.add_perm("budgeting.support_proposal", is_person)
rules.add_perm("budgeting.review_proposal", is_official)
rules.add_perm("budgeting.merge_proposal", is_official)
