"""Who may do what in the hearing loop (the role × state table is in docs/obligations.md).

Every perm is ``obligations.<verb>_<model>``. The object is an Obligation for the ``*_obligation``
perms, a Response for ``rate_response``, ``contest_response`` and ``add_commitment``, a Commitment
for ``change_commitment`` and an Organization for ``view_inbox``. Services check them again with
``require_perm`` and add the checks that need a message (reasons, limits, dates).
"""

from typing import Any

import rules
from django.db import connection

from kenes.organizations.models import Membership, Organization

from .models import Commitment, Obligation, Response

RESPONDER_ROLES = (Membership.Role.OFFICER, Membership.Role.MODERATOR, Membership.Role.HEAD)
COMMITMENT_ROLES = (Membership.Role.OFFICER, Membership.Role.HEAD)
#: How far up the chain of supervising bodies members may still see a private obligation.
MAX_SUPERVISION_DEPTH = 10


def _person(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _organization_id(obj: Any) -> int | None:
    if isinstance(obj, Organization):
        return obj.pk
    return getattr(obj, "organization_id", None)


def _has_role(user: Any, organization_id: int | None, roles: tuple[str, ...] | None = None) -> bool:
    if organization_id is None or not _person(user):
        return False
    memberships = Membership.objects.filter(organization_id=organization_id, user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


def supervising_chain(organization_id: int) -> list[int]:
    """The body and the bodies above it, nearest first (cycles and very long chains are cut), in one
    query (a recursive WITH, on PostgreSQL and SQLite alike)."""
    table = connection.ops.quote_name(Organization._meta.db_table)
    above = connection.ops.quote_name(Organization._meta.get_field("supervising_body").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE chain(id, above, depth) AS (
                    SELECT id, {above}, 0 FROM {table} WHERE id = %s
                    UNION ALL
                    SELECT o.id, o.{above}, chain.depth + 1 FROM {table} o
                    JOIN chain ON o.id = chain.above WHERE chain.depth < %s)
                SELECT id FROM chain ORDER BY depth""",
            [organization_id, MAX_SUPERVISION_DEPTH],
        )
        found = [row[0] for row in cursor.fetchall()]
    chain = [organization_id]
    for body in found[1:]:
        if body in chain:  # a cycle: stop where it closes
            break
        chain.append(body)
    return chain


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    obligation = obj.obligation if isinstance(obj, Response) else obj
    return isinstance(obligation, Obligation) and _person(user) and obligation.author_id == user.pk


@rules.predicate
def is_public(user: Any, obligation: Obligation | None) -> bool:
    return obligation is not None and not obligation.is_private


@rules.predicate
def is_live(user: Any, obligation: Obligation | None) -> bool:
    return obligation is not None and obligation.is_live


@rules.predicate
def is_member_of_body_or_above(user: Any, obligation: Obligation | None) -> bool:
    if obligation is None or not _person(user):
        return False
    chain = supervising_chain(obligation.organization_id)
    return Membership.objects.filter(organization_id__in=chain, user=user).exists()


@rules.predicate
def is_member(user: Any, obj: Any) -> bool:
    return _has_role(user, _organization_id(obj))


@rules.predicate
def is_responder(user: Any, obj: Any) -> bool:
    """Officer, moderator or head of the body the obligation (or response) belongs to."""
    return _has_role(user, _organization_id(obj), RESPONDER_ROLES)


@rules.predicate
def is_head(user: Any, obj: Any) -> bool:
    return _has_role(user, _organization_id(obj), (Membership.Role.HEAD,))


@rules.predicate
def is_commitment_keeper(user: Any, obj: Any) -> bool:
    """Officer or head of the body that responded (for a Response) or committed (a Commitment)."""
    if not isinstance(obj, Response | Commitment):
        return False
    return _has_role(user, obj.organization_id, COMMITMENT_ROLES)


@rules.predicate
def not_contested(user: Any, response: Response | None) -> bool:
    return response is not None and not Obligation.objects.filter(contest_of=response).exists()


is_staff = rules.is_staff & rules.is_active

rules.add_perm("obligations.view_obligation", is_public | is_author | is_member_of_body_or_above | is_staff)
rules.add_perm("obligations.respond_obligation", is_live & is_responder)
rules.add_perm("obligations.extend_obligation", is_live & is_responder)
rules.add_perm("obligations.redirect_obligation", is_live & is_responder)
rules.add_perm("obligations.assign_obligation", is_live & is_head)
rules.add_perm("obligations.withdraw_obligation", is_live & is_author)
rules.add_perm("obligations.rate_response", is_author)
rules.add_perm("obligations.contest_response", is_author & not_contested)
rules.add_perm("obligations.add_commitment", is_commitment_keeper)
rules.add_perm("obligations.change_commitment", is_commitment_keeper)
rules.add_perm("obligations.view_inbox", is_member | is_staff)
