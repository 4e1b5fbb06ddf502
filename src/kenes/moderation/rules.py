"""Who may report, moderate and appeal (the table is in docs/moderation.md).

The moderators of a content item are the members with role ``moderator`` or ``head`` of the
organisation responsible for it (the registry's ``organization`` callable), and staff.

Objects: ``add_report`` and ``decide_content`` take the content object; ``view_queue`` takes
nothing; ``add_appeal`` takes a Decision; ``resolve_appeal`` takes an Appeal.
"""

from typing import Any

import rules

from kenes.organizations.models import Membership

from . import registry
from .models import Appeal, Decision

MODERATOR_ROLES = (Membership.Role.MODERATOR, Membership.Role.HEAD)


def _active(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "deleted_at", None) is None
    )


def moderates(user: Any, organization_id: int | None) -> bool:
    if organization_id is None or not _active(user):
        return False
    return Membership.objects.filter(
        organization_id=organization_id, user_id=user.pk, role__in=MODERATOR_ROLES
    ).exists()


def _organization_id(content: Any) -> int | None:
    entry = registry.get(content)
    organization = entry.organization(content) if entry is not None else None
    return organization.pk if organization is not None else None


def _author_id(content: Any) -> int | None:
    entry = registry.get(content)
    author = entry.author(content) if entry is not None else None
    return author.pk if author is not None else None


@rules.predicate
def is_active_person(user: Any) -> bool:
    return _active(user)


@rules.predicate
def is_staff(user: Any) -> bool:
    return _active(user) and bool(user.is_staff)


@rules.predicate
def is_registered_content(user: Any, content: Any) -> bool:
    return content is not None and registry.is_registered(content)


@rules.predicate
def is_content_author(user: Any, content: Any) -> bool:
    return content is not None and _active(user) and _author_id(content) == user.pk


@rules.predicate
def is_content_moderator(user: Any, content: Any) -> bool:
    return content is not None and moderates(user, _organization_id(content))


@rules.predicate
def moderates_somewhere(user: Any) -> bool:
    if not _active(user):
        return False
    return Membership.objects.filter(user_id=user.pk, role__in=MODERATOR_ROLES).exists()


@rules.predicate
def is_hide_decision_author(user: Any, decision: Decision | None) -> bool:
    if decision is None or decision.action != Decision.Action.HIDE or not _active(user):
        return False
    content = decision.content
    return content is not None and _author_id(content) == user.pk


@rules.predicate
def moderates_appeal(user: Any, appeal: Appeal | None) -> bool:
    return appeal is not None and moderates(user, appeal.decision.organization_id)


@rules.predicate
def decided_the_appealed(user: Any, appeal: Appeal | None) -> bool:
    return appeal is not None and getattr(user, "pk", None) == appeal.decision.moderator_id


@rules.predicate
def is_appeal_author(user: Any, appeal: Appeal | None) -> bool:
    return appeal is not None and getattr(user, "pk", None) == appeal.author_id


rules.add_perm("moderation.add_report", is_active_person & is_registered_content & ~is_content_author)
rules.add_perm("moderation.view_queue", is_staff | moderates_somewhere)
# Nobody moderates their own content, staff included.
rules.add_perm(
    "moderation.decide_content",
    is_registered_content & (is_staff | is_content_moderator) & ~is_content_author,
)
rules.add_perm("moderation.add_appeal", is_hide_decision_author)
# The four-eyes rule: whoever decided cannot judge the appeal against their own decision.
rules.add_perm(
    "moderation.resolve_appeal",
    (is_staff | moderates_appeal) & ~decided_the_appealed & ~is_appeal_author,
)
