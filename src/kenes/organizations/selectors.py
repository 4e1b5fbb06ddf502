"""Read paths for pages and the API: N+1-free, one query per list (plus one per prefetch)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from kenes.territories.models import Territory

from .models import Invitation, Membership, Organization
from .services import token_digest

NAME_LANGUAGES = ("kk", "ru", "ky", "en")
#: Levels of the supervising chain fetched in the detail query; deeper levels cost one query each.
CHAIN_JOINED_LEVELS = 4
MAX_CHAIN_LENGTH = 12
ROLE_ORDER = {
    Membership.Role.HEAD: 0,
    Membership.Role.MODERATOR: 1,
    Membership.Role.OFFICER: 2,
    Membership.Role.MEMBER: 3,
}


def display_name_order() -> Any:
    """Sort key: the name in the current language, falling back like modeltranslation does."""
    language = (get_language() or "ru").split("-")[0]
    order = [language] + [code for code in ("ru", "kk", "ky", "en") if code != language]
    fields = [NullIf(F(f"name_{code}"), Value("")) for code in order if code in NAME_LANGUAGES]
    return Coalesce(*fields, F("name"))


def _name_query(q: str) -> Q:
    match = Q(registration_number__icontains=q)
    for code in NAME_LANGUAGES:
        match |= Q(**{f"name_{code}__icontains": q})
    return match


def _territory_filter(territory_code: str, include_subtree: bool, country: str | None) -> Q:
    if not include_subtree:
        return Q(territory__code=territory_code)
    # Still one SQL query: a subquery gives the unit's path, LIKE 'path%' gives its subtree.
    territories = Territory.objects.filter(code=territory_code)
    if country:
        territories = territories.filter(country=country)
    path = Subquery(territories.order_by("country").values("path")[:1])
    return Q(territory__path__startswith=path)


def organization_directory(
    *,
    q: str | None = None,
    kind: str | None = None,
    sector: str | None = None,
    territory_code: str | None = None,
    include_subtree: bool = True,
    status: str | None = None,
    country: str | None = None,
) -> QuerySet[Organization]:
    """Organisations matching the filters, ordered by name in the current language.

    ``sector`` and ``territory_code`` are codes. With ``include_subtree`` an organisation in any
    unit below the territory matches (materialized path, no recursion).
    """
    qs = Organization.objects.select_related("territory").prefetch_related("sectors")
    if q and q.strip():
        qs = qs.filter(_name_query(q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(sectors__code=sector)
    if territory_code:
        qs = qs.filter(_territory_filter(territory_code, include_subtree, country))
    if status:
        qs = qs.filter(status=status)
    if country:
        qs = qs.filter(country=country)
    return qs.order_by(display_name_order(), "pk")


@dataclass(frozen=True)
class OrganizationDetail:
    organization: Organization
    chain: list[Organization]  # supervising body first, then its supervisor, ...
    subordinates: list[Organization]
    members: QuerySet[Membership]


def supervising_chain(organization: Organization) -> list[Organization]:
    """Walk up the already joined chain; levels past the joined ones cost one query each (bounded)."""
    chain: list[Organization] = []
    current = organization.supervising_body
    seen = {organization.pk}
    while current is not None and current.pk not in seen and len(chain) < MAX_CHAIN_LENGTH:
        chain.append(current)
        seen.add(current.pk)
        current = current.supervising_body
    return chain


def organization_get(pk: int) -> Organization:
    chain = "__".join(["supervising_body"] * CHAIN_JOINED_LEVELS)
    organization = (
        Organization.objects.select_related("territory", chain)
        .prefetch_related("sectors")
        .filter(pk=pk)
        .first()
    )
    if organization is None:
        raise Http404("No such organisation.")
    return organization


def organization_members(organization: Organization) -> QuerySet[Membership]:
    """Members with their users (one query per page), heads first."""
    rank = Case(*(When(role=role, then=Value(n)) for role, n in ROLE_ORDER.items()), default=Value(9))
    return Membership.objects.filter(organization=organization).select_related("user").order_by(rank, "pk")


def membership_of(organization: Organization, user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(organization=organization, user=user).first()


def organization_detail(pk: int) -> OrganizationDetail:
    """An organisation with territory, sectors, supervising chain, subordinates and members."""
    organization = organization_get(pk)
    subordinates = list(
        Organization.objects.filter(supervising_body=organization)
        .select_related("territory")
        .order_by(display_name_order(), "pk")
    )
    return OrganizationDetail(
        organization=organization,
        chain=supervising_chain(organization),
        subordinates=subordinates,
        members=organization_members(organization),
    )


def open_invitations(organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=token_digest(token))
        .first()
    )


def people_of(organization_ids: Iterable[int], roles: Sequence[str] | None = None) -> list[Any]:
    """The active members of these organisations (with one of ``roles``, when given), each person once,
    by user id: whom a notification about the organisations' work goes to (one query)."""
    memberships = Membership.objects.filter(organization_id__in=list(organization_ids), user__is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    people: dict[int, Any] = {}
    for membership in memberships.select_related("user").order_by("user_id"):
        people.setdefault(membership.user_id, membership.user)
    return list(people.values())


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization").order_by("pk")
