"""Who may do what with petitions (the table in docs/permissions.md and docs/petitions.md).

Perms are named ``petitions.<verb>_<model>``; the object is a Petition (``moderate_petition`` also
takes None: "may moderate some petition", for the queue). Moderators of a petition are staff
holding the model permission ``petitions.moderate_petition`` and the moderators and heads of the
addressee body; nobody moderates their own petition. Signing also needs the petition to be open
and the person to hold no live signature: the signing service checks those and says why.
"""

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend

from kenes.organizations.models import Membership

from .models import Petition

MODERATOR_ROLES = (Membership.Role.MODERATOR, Membership.Role.HEAD)
MODEL_PERM = "petitions.moderate_petition"
EDITABLE_STATES = (Petition.State.DRAFT, Petition.State.REJECTED)


def _person(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "deleted_at", None) is None
    )


def _is_petition(obj: Any) -> bool:
    return isinstance(obj, Petition)


def staff_moderates(user: Any) -> bool:
    """Active staff with the model permission (superusers hold every permission)."""
    return _person(user) and bool(user.is_staff) and ModelBackend().has_perm(user, MODEL_PERM)


def moderates_body(user: Any, organization_id: int | None) -> bool:
    if organization_id is None or not _person(user):
        return False
    return Membership.objects.filter(
        organization_id=organization_id, user_id=user.pk, role__in=MODERATOR_ROLES
    ).exists()


@rules.predicate
def is_person(user: Any) -> bool:
    return _person(user)


@rules.predicate
def is_public(user: Any, petition: Any) -> bool:
    return (
        _is_petition(petition)
        and petition.state in (Petition.State.OPEN, Petition.State.CLOSED)
        and (not petition.is_hidden)
    )


@rules.predicate
def is_author(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and _person(user) and petition.author_id == user.pk


@rules.predicate
def is_editable(user: Any, petition: Any) -> bool:
    return _is_petition(petition) and petition.state in EDITABLE_STATES


@rules.predicate
def is_moderator(user: Any, petition: Any) -> bool:
    """Moderates this petition (``petition`` a Petition) or some petition (``petition`` None)."""
    if staff_moderates(user):
        return True
    if petition is None:
        return _person(user) and Membership.objects.filter(user_id=user.pk, role__in=MODERATOR_ROLES).exists()
    return _is_petition(petition) and moderates_body(user, petition.addressee_id)


@rules.predicate
def has_level(user: Any, petition: Any) -> bool:
    return (
        _is_petition(petition)
        and _person(user)
        and int(user.verification_level) >= int(petition.min_verification_level)
    )


rules.add_perm("petitions.view_petition", is_public | is_author | is_moderator)
rules.add_perm("petitions.add_petition", is_person)
rules.add_perm("petitions.change_petition", is_author & is_editable)
rules.add_perm("petitions.moderate_petition", is_moderator & ~is_author)
rules.add_perm("petitions.sign_petition", has_level)
