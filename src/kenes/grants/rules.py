"""Who may do what with grants (the role × state table is in docs/grants.md).

Perms are ``grants.<verb>_<model>``. "Officials" are the officers and heads of the programme's
body; "applicants" are the officers and heads of the applying NGO (its other members may read its
applications); "experts" are the people assigned to the call. The object is named in each perm:
an Organization (``add_programme``), a Programme, a Call, an Application, an ExpertAssignment or a
Contract. Services check the same perms again with ``require_perm`` and add the checks that need
a message (dates, states, scales, conflicts of interest).
"""

from typing import Any

import rules

from kenes.organizations.models import Membership, Organization

from .models import Application, Call, Contract, ExpertAssignment, Programme, ScoreSheet

OFFICIAL_ROLES = (Membership.Role.OFFICER, Membership.Role.HEAD)
APPLICANT_ROLES = (Membership.Role.OFFICER, Membership.Role.HEAD)


def _person(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _has_role(user: Any, organization_id: int | None, roles: tuple[str, ...] | None = None) -> bool:
    if organization_id is None or not _person(user):
        return False
    memberships = Membership.objects.filter(organization_id=organization_id, user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


def body_id_of(obj: Any) -> int | None:
    """The id of the state body responsible for ``obj`` (a programme, call, application or contract)."""
    if isinstance(obj, Organization):
        return obj.pk if obj.is_state else None
    if isinstance(obj, Programme):
        return obj.body_id
    if isinstance(obj, Call):
        return obj.programme.body_id
    if isinstance(obj, Application):
        return obj.call.programme.body_id
    if isinstance(obj, Contract):
        return obj.application.call.programme.body_id
    if isinstance(obj, ExpertAssignment):
        return obj.call.programme.body_id
    return None


def ngo_id_of(obj: Any) -> int | None:
    if isinstance(obj, Application):
        return obj.organization_id
    if isinstance(obj, Contract):
        return obj.application.organization_id
    return None


@rules.predicate
def is_person(user: Any) -> bool:
    return _person(user)


@rules.predicate
def is_official(user: Any, obj: Any) -> bool:
    """Officer or head of the body responsible for the object."""
    return _has_role(user, body_id_of(obj), OFFICIAL_ROLES)


@rules.predicate
def is_applicant(user: Any, obj: Any) -> bool:
    """Officer or head of the NGO that applied (or holds the contract)."""
    return _has_role(user, ngo_id_of(obj), APPLICANT_ROLES)


@rules.predicate
def is_ngo_member(user: Any, obj: Any) -> bool:
    return _has_role(user, ngo_id_of(obj))


@rules.predicate
def is_call_public(user: Any, call: Any) -> bool:
    return isinstance(call, Call) and call.state != Call.State.DRAFT


@rules.predicate
def is_results_public(user: Any, obj: Any) -> bool:
    """The call's award decision is published (its applications' scores and reasons are public)."""
    if isinstance(obj, Application):
        return obj.call.state == Call.State.AWARDED and obj.state != Application.State.DRAFT
    return isinstance(obj, Contract)


def assignment_of(user: Any, call_id: int) -> ExpertAssignment | None:
    if not _person(user):
        return None
    return ExpertAssignment.objects.filter(call_id=call_id, expert=user).first()


@rules.predicate
def is_expert(user: Any, obj: Any) -> bool:
    """Assigned to the call (of the application)."""
    if isinstance(obj, ExpertAssignment):
        return _person(user) and obj.expert_id == user.pk
    call_id = obj.pk if isinstance(obj, Call) else getattr(obj, "call_id", None)
    return call_id is not None and assignment_of(user, call_id) is not None


@rules.predicate
def is_unconflicted_expert(user: Any, application: Any) -> bool:
    """Assigned to the call, not declared in conflict with this application, and not a member of the NGO."""
    if not isinstance(application, Application) or application.state == Application.State.DRAFT:
        return False
    assignment = assignment_of(user, application.call_id)
    if assignment is None or assignment.conflicts.filter(application=application).exists():
        return False
    return not Membership.objects.filter(organization_id=application.organization_id, user=user).exists()


@rules.predicate
def has_submitted_own_sheet(user: Any, application: Any) -> bool:
    """The expert has submitted their own scores for this application (only then do they see the others')."""
    if not isinstance(application, Application) or not _person(user):
        return False
    return ScoreSheet.objects.filter(
        application=application, assignment__expert=user, submitted_at__isnull=False
    ).exists()


is_staff = rules.is_staff & rules.is_active

rules.add_perm("grants.add_programme", is_official)
rules.add_perm("grants.view_programme", rules.always_allow)
rules.add_perm("grants.change_programme", is_official)
rules.add_perm("grants.add_call", is_official)
rules.add_perm("grants.view_call", is_call_public | is_official | is_staff)
rules.add_perm("grants.manage_call", is_official)
rules.add_perm("grants.apply_call", is_person & is_call_public)
rules.add_perm(
    "grants.view_application",
    is_ngo_member | is_official | is_unconflicted_expert | is_staff,
)
rules.add_perm("grants.change_application", is_applicant)
rules.add_perm("grants.view_application_document", is_ngo_member | is_official | is_unconflicted_expert)
rules.add_perm("grants.manage_application", is_official)
rules.add_perm("grants.declare_assignment", is_expert)
rules.add_perm("grants.score_application", is_unconflicted_expert)
#: Everyone's scores of an application: the body, an expert after submitting their own, and the
#: public once the award is published. An expert never sees the others' scores before that, not
#: even one who is also an official of the body or staff.
rules.add_perm(
    "grants.view_scores",
    has_submitted_own_sheet | is_results_public | (~is_expert & (is_official | is_staff)),
)
rules.add_perm("grants.complain_application", is_applicant)
rules.add_perm("grants.report_contract", is_applicant)
rules.add_perm("grants.manage_contract", is_official)
rules.add_perm("grants.view_contract", rules.always_allow)
