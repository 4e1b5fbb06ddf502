"""Reads of appeals for pages and the API: routing, lists and the appeal with its consideration,
each in a fixed number of queries (the appeal's obligations are fetched for a whole page at once)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from kenes.obligations.models import Kind, Obligation, Response, ResponseAttachment
from kenes.obligations.selectors import rating_of, response_of
from kenes.organizations.models import Organization
from kenes.organizations.models import Topic as TopicModel
from kenes.territories.models import Territory

from .models import Appeal, AppealAttachment, Cosigner, RoutingRule

#: State filter values of the public register.
AWAITING = "awaiting"
ANSWERED = "answered"
ORDERS = {"new": ("-created_at", "-id"), "old": ("created_at", "id")}


# --- routing -------------------------------------------------------------------------------------


def ancestor_paths(territory: Territory) -> list[str]:
    """The materialized paths of the territory and every unit above it, root first (no query)."""
    codes = [code for code in territory.path.split("/") if code]
    return [f"/{'/'.join(codes[: depth + 1])}/" for depth in range(len(codes))]


def _precedence(rule: RoutingRule) -> tuple[int, int]:
    depth = rule.territory.level if rule.territory is not None else 0
    return (depth, 1 if rule.topic_id is not None else 0)


def route(*, territory: Territory, topic: TopicModel | None) -> RoutingRule | None:
    """The routing rule for an appeal about ``topic`` in ``territory`` (one query), or None.

    Precedence: the rule of the deepest territory containing ``territory`` (the unit itself first);
    at the same depth, a rule for the topic before a rule for any topic; rules without a territory
    (the whole country) come last, again topic first. Rules whose body no longer operates are
    skipped.
    """
    topic_match = Q(topic__isnull=True)
    if topic is not None:
        topic_match |= Q(topic=topic)
    candidates = list(
        RoutingRule.objects.filter(country=territory.country)
        .filter(Q(territory__isnull=True) | Q(territory__path__in=ancestor_paths(territory)))
        .filter(topic_match)
        .filter(organization__status=Organization.Status.OPERATING)
        .select_related("territory", "topic", "organization")
    )
    if not candidates:
        return None
    return max(candidates, key=_precedence)


def routing_rules(*, country: str | None = None) -> QuerySet[RoutingRule]:
    qs = RoutingRule.objects.select_related("territory", "topic", "organization")
    if country:
        qs = qs.filter(country=country)
    return qs.order_by("country", "territory__path", "topic__position", "pk")


# --- the appeal's obligations ----------------------------------------------------------------------


def _appeal_type() -> ContentType:
    return ContentType.objects.get_for_model(Appeal, for_concrete_model=False)


def _obligations(subject_ids: Iterable[int]) -> QuerySet[Obligation]:
    return (
        Obligation.objects.filter(subject_type=_appeal_type(), subject_id__in=[str(pk) for pk in subject_ids])
        .select_related(
            "organization",
            "organization__supervising_body",
            "assigned_to",
            "response",
            "response__organization",
            "response__responder",
            "response__rating",
            "redirection",
            "redirection__to_organization",
            "contest_of",
        )
        .prefetch_related(
            Prefetch("response__attachments", queryset=ResponseAttachment.objects.order_by("id")),
            "extensions",
        )
        .order_by("pk")
    )


def with_current(appeals: Iterable[Appeal]) -> list[Appeal]:
    """Set ``appeal.current`` (its latest obligation of kind appeal, or None) on each, in one query."""
    rows = list(appeals)
    current: dict[str, Obligation] = {}
    for obligation in (
        Obligation.objects.filter(
            subject_type=_appeal_type(), subject_id__in=[str(a.pk) for a in rows], kind=Kind.APPEAL
        )
        .select_related("organization")
        .order_by("pk")
    ):
        current[obligation.subject_id] = obligation
    for appeal in rows:
        appeal.current = current.get(str(appeal.pk))  # type: ignore[attr-defined]
    return rows


@dataclass
class Consideration:
    """How the appeal is being considered: every obligation about it, oldest first, and the ones
    a page shows: the current one (the latest of kind appeal), its response and rating, and the
    contest of that response, if any."""

    obligations: list[Obligation] = field(default_factory=list)
    current: Obligation | None = None
    response: Response | None = None
    rating: Any = None
    contest: Obligation | None = None
    contest_response: Response | None = None
    escalations: list[Obligation] = field(default_factory=list)


def consideration(appeal: Appeal) -> Consideration:
    """Three queries: the obligations with responses and ratings, their response attachments,
    their extensions."""
    obligations = list(_obligations([appeal.pk]))
    result = Consideration(obligations=obligations)
    appeals = [o for o in obligations if o.kind == Kind.APPEAL]
    result.current = appeals[-1] if appeals else None
    if result.current is not None:
        result.response = response_of(result.current)
        result.rating = rating_of(result.response)
    if result.response is not None:
        result.contest = next((o for o in obligations if o.contest_of_id == result.response.pk), None)
        if result.contest is not None:
            result.contest_response = response_of(result.contest)
    result.escalations = [o for o in obligations if o.kind == Kind.ESCALATION]
    return result


# --- appeals -------------------------------------------------------------------------------------


def appeal_get(pk: int) -> Appeal:
    """One appeal with what its page shows (three queries: it, its attachments, its co-signers)."""
    appeal = (
        Appeal.objects.select_related(
            "author", "on_behalf_of", "addressee", "routed_by", "territory", "topic"
        )
        .prefetch_related(
            Prefetch("attachments", queryset=AppealAttachment.objects.order_by("id")),
            Prefetch(
                "cosigners", queryset=Cosigner.objects.select_related("user").order_by("created_at", "id")
            ),
        )
        .annotate(cosigner_count=Count("cosigners", distinct=True))
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404("No such appeal.")
    return appeal


def _search(q: str) -> Q:
    return Q(subject__icontains=q) | Q(text__icontains=q) | Q(number__iexact=q)


def _obligation_exists(**filters: Any) -> Exists:
    return Exists(
        Obligation.objects.filter(
            subject_type=_appeal_type(), subject_id=Cast(OuterRef("pk"), CharField()), **filters
        )
    )


def _list_filters(
    qs: QuerySet[Appeal],
    *,
    q: str | None = None,
    kind: str | None = None,
    topic: TopicModel | None = None,
    territory: Territory | None = None,
    organization: Organization | None = None,
    state: str | None = None,
) -> QuerySet[Appeal]:
    if q and q.strip():
        qs = qs.filter(_search(q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    if topic is not None:
        qs = qs.filter(topic=topic)
    if territory is not None:
        qs = qs.filter(territory__path__startswith=territory.path)
    if organization is not None:
        qs = qs.filter(_obligation_exists(organization=organization))
    if state == AWAITING:
        qs = qs.filter(_obligation_exists(kind=Kind.APPEAL, state__in=Obligation.LIVE_STATES))
    elif state == ANSWERED:
        qs = qs.filter(_obligation_exists(kind=Kind.APPEAL, state=Obligation.State.ANSWERED))
    return qs


def appeal_list_public(*, order: str = "new", **filters: Any) -> QuerySet[Appeal]:
    """The public register: published appeals only (never with the author), newest first."""
    qs = Appeal.objects.filter(is_public=True).select_related("territory", "topic", "addressee")
    return _list_filters(qs, **filters).order_by(*ORDERS.get(order, ORDERS["new"]))


def appeal_list_mine(user: Any, **filters: Any) -> QuerySet[Appeal]:
    """Appeals ``user`` wrote or co-signed, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    cosigned = Cosigner.objects.filter(appeal=OuterRef("pk"), user=user)
    qs = (
        Appeal.objects.filter(Q(author=user) | Exists(cosigned))
        .select_related("territory", "topic", "addressee")
        .annotate(cosigner_count=Count("cosigners", distinct=True))
    )
    return _list_filters(qs, **filters).order_by("-created_at", "-id")


def member_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations ``user`` may write on behalf of (their memberships)."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct().order_by("name", "pk")


def addressee_choices() -> QuerySet[Organization]:
    """State bodies that can receive an appeal."""
    return (
        Organization.objects.filter(kind__in=Organization.STATE_KINDS, status=Organization.Status.OPERATING)
        .select_related("territory")
        .order_by("country", "name", "pk")
    )
