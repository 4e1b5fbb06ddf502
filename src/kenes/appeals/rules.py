"""Who may do what with appeals (the table in docs/appeals.md and docs/permissions.md).

Perms are ``appeals.<verb>_<model>``; the object is an Appeal (``submit_appeal`` takes none).
"Officials" are officers, moderators and heads (``RESPONDER_ROLES`` of the hearing loop) of a body
and of the bodies above it (its chain of supervising bodies). The redirection, extension,
response, rating and contest are the obligations' perms (``obligations.*``), checked on the
appeal's obligations.
"""

from typing import Any

import rules

from kenes.obligations.models import Kind, Obligation
from kenes.obligations.rules import RESPONDER_ROLES, supervising_chain
from kenes.organizations.models import Membership

from .models import Appeal, Cosigner


def _person(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _appeal_obligations(appeal: Appeal) -> list[tuple[int, str, int]]:
    """(pk, kind, organization id) of every obligation about the appeal, oldest first (one query)."""
    return list(
        Obligation.objects.for_subject(appeal).order_by("pk").values_list("pk", "kind", "organization_id")
    )


def current_body_id(appeal: Appeal) -> int:
    """The body responsible now: the one of the latest ``appeal`` obligation (after redirections),
    the addressee before any obligation exists."""
    bodies = [
        organization_id for _pk, kind, organization_id in _appeal_obligations(appeal) if kind == Kind.APPEAL
    ]
    return bodies[-1] if bodies else appeal.addressee_id


def _is_official_of(user: Any, organization_ids: set[int]) -> bool:
    chains: set[int] = set()
    for organization_id in organization_ids:
        chains.update(supervising_chain(organization_id))
    return Membership.objects.filter(organization_id__in=chains, user=user, role__in=RESPONDER_ROLES).exists()


@rules.predicate
def is_person(user: Any) -> bool:
    return _person(user)


@rules.predicate
def is_author(user: Any, appeal: Appeal | None) -> bool:
    return isinstance(appeal, Appeal) and _person(user) and appeal.author_id == user.pk


@rules.predicate
def is_cosigner(user: Any, appeal: Appeal | None) -> bool:
    if not isinstance(appeal, Appeal) or not _person(user):
        return False
    prefetched = getattr(appeal, "_prefetched_objects_cache", {}).get("cosigners")
    if prefetched is not None:  # the appeal's page has them already (``selectors.appeal_get``)
        return any(cosigner.user_id == user.pk for cosigner in prefetched)
    return Cosigner.objects.filter(appeal=appeal, user=user).exists()


@rules.predicate
def is_published(user: Any, appeal: Appeal | None) -> bool:
    return isinstance(appeal, Appeal) and appeal.is_public


@rules.predicate
def is_collective(user: Any, appeal: Appeal | None) -> bool:
    return isinstance(appeal, Appeal) and appeal.is_collective


@rules.predicate
def is_official_of_any_body(user: Any, appeal: Appeal | None) -> bool:
    """An official of a body that has (or had) an obligation about the appeal, or of a body above."""
    if not isinstance(appeal, Appeal) or not _person(user):
        return False
    bodies = {organization_id for _pk, _kind, organization_id in _appeal_obligations(appeal)}
    bodies.add(appeal.addressee_id)
    return _is_official_of(user, bodies)


@rules.predicate
def is_official_of_current_body(user: Any, appeal: Appeal | None) -> bool:
    """An official of the body responsible now, or of a body above it."""
    if not isinstance(appeal, Appeal) or not _person(user):
        return False
    return _is_official_of(user, {current_body_id(appeal)})


is_staff = rules.is_staff & rules.is_active
#: Who sees the appeal in full (the author's name, the organisation, the co-signers), not only the
#: anonymised public page.
is_insider = is_author | is_cosigner | is_official_of_any_body | is_staff

rules.add_perm("appeals.view_appeal", is_published | is_insider)
rules.add_perm("appeals.submit_appeal", is_person)
rules.add_perm("appeals.publish_appeal", is_author)
rules.add_perm("appeals.change_appeal", is_author)
rules.add_perm("appeals.cosign_appeal", is_person & is_collective & ~is_author)
rules.add_perm("appeals.view_attachment", is_author | is_cosigner | is_official_of_current_body)
