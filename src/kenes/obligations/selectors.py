"""Read paths of the hearing loop for pages and the API: N+1-free, with a bounded number of queries.

Accountability figures (see docs/accountability.md) are computed with a handful of aggregate
queries per organisation or territory, whatever the number of obligations.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kenes.engines import stats
from kenes.organizations.models import Organization
from kenes.territories.models import Territory

from . import deadlines
from .models import Commitment, Evidence, Extension, Milestone, Obligation, Rating, Response, Step

LIVE = list(Obligation.LIVE_STATES)
#: How many levels of subordinate bodies the inbox takes in (one query: a join per level).
SUBORDINATE_LEVELS = 3
#: State filter value meaning open, extended or overdue.
STATE_LIVE = "live"
INBOX_ORDERS = {
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "opened": ("opened_on", "id"),
    "-opened": ("-opened_on", "-id"),
}


def _today() -> datetime.date:
    return timezone.localdate()


def _overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """Overdue: marked so by the job, or live with the deadline already past (before the job runs)."""
    return Q(**{f"{prefix}state": Obligation.State.OVERDUE}) | Q(
        **{f"{prefix}state__in": LIVE, f"{prefix}deadline__lt": today}
    )


def _filter_state(qs: QuerySet[Obligation], state: str | None) -> QuerySet[Obligation]:
    if state == STATE_LIVE:
        return qs.filter(state__in=LIVE)
    if state:
        return qs.filter(state=state)
    return qs


def _search(q: str) -> Q:
    match = Q(title__icontains=q)
    if q.isdigit():
        match |= Q(pk=int(q))
    return match


def obligation_list_public(
    *,
    organization: Organization | None = None,
    territory: Territory | None = None,
    state: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> QuerySet[Obligation]:
    """The public register: obligations that are not private, newest first.

    ``territory`` takes in every body in the unit and below it (materialized path, one query).
    """
    qs: QuerySet[Obligation] = Obligation.objects.public().select_related(
        "organization", "organization__territory"
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    if territory is not None:
        qs = qs.filter(organization__territory__path__startswith=territory.path)
    qs = _filter_state(qs, state)
    if kind:
        qs = qs.filter(kind=kind)
    if q and q.strip():
        qs = qs.filter(_search(q.strip()))
    return qs.order_by("-opened_on", "-id")


def subordinate_q(organization: Organization, *, prefix: str = "organization") -> Q:
    """The body itself and up to ``SUBORDINATE_LEVELS`` levels of bodies it supervises."""
    match = Q(**{prefix: organization})
    path = prefix
    for _level in range(SUBORDINATE_LEVELS):
        path = f"{path}__supervising_body"
        match |= Q(**{path: organization})
    return match


def inbox(
    *,
    organization: Organization,
    include_subordinates: bool = False,
    state: str | None = None,
    kind: str | None = None,
    assigned_to: Any = None,
    overdue_only: bool = False,
    order: str = "deadline",
    today: datetime.date | None = None,
) -> QuerySet[Obligation]:
    """The obligations a body (and, optionally, its subordinate bodies) must answer, by deadline.

    One query per page: author, assigned officer and body are joined. Working days left are
    computed by the caller with the pure workdays engine (no queries).
    """
    qs: QuerySet[Obligation] = Obligation.objects.select_related("author", "assigned_to", "organization")
    if include_subordinates:
        qs = qs.filter(subordinate_q(organization)).distinct()
    else:
        qs = qs.filter(organization=organization)
    qs = _filter_state(qs, state)
    if kind:
        qs = qs.filter(kind=kind)
    if assigned_to is not None:
        qs = qs.filter(assigned_to=assigned_to)
    if overdue_only:
        qs = qs.filter(_overdue_q(today or _today()))
    return qs.order_by(*INBOX_ORDERS.get(order, INBOX_ORDERS["deadline"]))


def inbox_organizations(user: Any, *, today: datetime.date | None = None) -> QuerySet[Organization]:
    """The bodies ``user`` belongs to, each with its live (``open_count``) and overdue counts."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    today = today or _today()
    return (
        Organization.objects.filter(memberships__user=user)
        .select_related("territory")
        .annotate(
            open_count=Count("obligations", filter=Q(obligations__state__in=LIVE)),
            overdue_count=Count("obligations", filter=_overdue_q(today, "obligations__")),
        )
        .order_by("name", "pk")
    )


def is_overdue(obligation: Obligation, today: datetime.date | None = None) -> bool:
    """No query: the same test as the overdue filter, on one loaded row."""
    if obligation.state == Obligation.State.OVERDUE:
        return True
    return obligation.is_live and obligation.deadline < (today or _today())


def time_left(obligation: Obligation | None, today: datetime.date) -> dict[str, Any]:
    """What a page shows of a deadline, without a query (the workdays engine): ``days_left`` (working
    days, negative once late) and ``days_late`` for a live obligation, and ``is_overdue``."""
    if obligation is None or not obligation.is_live:
        return {"days_left": None, "days_late": None, "is_overdue": False}
    days_left = deadlines.working_days_left(obligation, today)
    return {
        "days_left": days_left,
        "days_late": -days_left if days_left < 0 else None,
        "is_overdue": is_overdue(obligation, today),
    }


def _timeline(subject_type_id: int, subject_id: str, user: Any) -> list[Step]:
    steps = list(
        Step.objects.filter(subject_type_id=subject_type_id, subject_id=subject_id)
        .select_related("organization", "obligation")
        .order_by("at", "id")
    )
    allowed: dict[int, bool] = {}
    visible = []
    for step in steps:
        obligation = step.obligation
        if obligation.is_private:
            if obligation.pk not in allowed:
                allowed[obligation.pk] = bool(
                    user is not None and user.has_perm("obligations.view_obligation", obligation)
                )
            if not allowed[obligation.pk]:
                continue
        visible.append(step)
    return visible


def subject_timeline(subject: Model, *, user: Any = None) -> list[Step]:
    """Every step of every obligation about ``subject``, oldest first, in one query.

    Steps of private obligations are left out unless ``user`` may view the obligation (one
    permission check per distinct private obligation, not per step).
    """
    content_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    return _timeline(content_type.pk, str(subject.pk), user)


def obligation_timeline(obligation: Obligation, *, user: Any = None) -> list[Step]:
    """The timeline of the obligation's subject, without loading the subject itself."""
    return _timeline(obligation.subject_type_id, obligation.subject_id, user)


def obligation_get(pk: int) -> Obligation:
    """One obligation with its body, author, officer, response, rating and redirection (one query)."""
    obligation = (
        Obligation.objects.select_related(
            "organization",
            "organization__territory",
            "organization__supervising_body",
            "author",
            "assigned_to",
            "response",
            "response__responder",
            "response__organization",
            "response__rating",
            "redirection",
            "redirection__to_organization",
            "redirected_from",
            "contest_of",
        )
        .filter(pk=pk)
        .first()
    )
    if obligation is None:
        raise Http404("No such obligation.")
    return obligation


def response_of(obligation: Obligation) -> Response | None:
    """The response already joined by ``obligation_get`` (no query), or ``None``."""
    try:
        return obligation.response
    except Response.DoesNotExist:
        return None


def rating_of(response: Response | None) -> Rating | None:
    if response is None:
        return None
    try:
        return response.rating
    except Rating.DoesNotExist:
        return None


def commitments_of(obligation: Obligation) -> list[Commitment]:
    """Commitments of the obligation's response with milestones and evidence (three queries)."""
    return list(
        Commitment.objects.filter(response__obligation=obligation)
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("due_on", "id").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id"))
                ),
            )
        )
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class ObligationDetail:
    obligation: Obligation
    response: Response | None
    attachments: list[Any]
    extensions: list[Extension]
    commitments: list[Commitment]


def obligation_detail(pk: int) -> ObligationDetail:
    """The obligation and everything its page shows, in a fixed number of queries."""
    obligation = obligation_get(pk)
    response = response_of(obligation)
    attachments = list(response.attachments.order_by("id")) if response is not None else []
    extensions = list(obligation.extensions.select_related("decided_by").order_by("created_at", "id"))
    commitments = commitments_of(obligation) if response is not None else []
    return ObligationDetail(
        obligation=obligation,
        response=response,
        attachments=attachments,
        extensions=extensions,
        commitments=commitments,
    )


def commitment_get(pk: int) -> Commitment:
    commitment = (
        Commitment.objects.select_related(
            "organization", "response", "response__obligation", "response__obligation__organization"
        )
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("due_on", "id").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id"))
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment.")
    return commitment


def milestone_get(pk: int) -> Milestone:
    milestone = (
        Milestone.objects.select_related(
            "commitment", "commitment__response", "commitment__response__obligation"
        )
        .filter(pk=pk)
        .first()
    )
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


# --- accountability -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Accountability:
    """The figures of one body or territory. Rates are fractions (0.75), ``None`` without data."""

    open: int
    overdue: int
    answered: int
    answered_on_time: int
    accepted: int
    median_days: float | None
    p90_days: float | None
    on_time_rate: float | None
    acceptance_rate: float | None
    milestones_delivered: int
    milestones_delivered_on_time: int
    milestones_on_time_rate: float | None
    average_rating: float | None
    ratings: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _scope(organization: Organization | None, territory: Territory | None, prefix: str = "") -> Q:
    if organization is not None:
        return Q(**{f"{prefix}organization": organization})
    if territory is not None:
        return Q(**{f"{prefix}organization__territory__path__startswith": territory.path})
    raise ValueError("an organisation or a territory is required")


def _accountability(
    organization: Organization | None, territory: Territory | None, today: datetime.date | None
) -> Accountability:
    """Four queries: obligation counts, response counts and ratings, working days, milestones."""
    today = today or _today()
    overdue = _overdue_q(today)
    counts = Obligation.objects.filter(_scope(organization, territory)).aggregate(
        open=Count("pk", filter=Q(state__in=LIVE) & ~overdue),
        overdue=Count("pk", filter=overdue),
    )
    responses = Response.objects.filter(_scope(organization, territory))
    answers = responses.aggregate(
        answered=Count("pk"),
        on_time=Count("pk", filter=Q(on_time=True)),
        accepted=Count(
            "pk",
            filter=Q(decision__in=[Response.Decision.ACCEPTED, Response.Decision.PARTLY_ACCEPTED]),
        ),
        ratings=Count("rating"),
        average_rating=Avg("rating__score"),
    )
    days = list(responses.values_list("working_days_taken", flat=True))
    milestones = Milestone.objects.filter(
        _scope(organization, territory, "commitment__"), status=Milestone.Status.DELIVERED
    ).aggregate(delivered=Count("pk"), on_time=Count("pk", filter=Q(delivered_on_time=True)))
    average = answers["average_rating"]
    return Accountability(
        open=counts["open"],
        overdue=counts["overdue"],
        answered=answers["answered"],
        answered_on_time=answers["on_time"],
        accepted=answers["accepted"],
        median_days=stats.median(days),
        p90_days=stats.percentile(days, 90),
        on_time_rate=stats.rate(answers["on_time"], answers["answered"]),
        acceptance_rate=stats.rate(answers["accepted"], answers["answered"]),
        milestones_delivered=milestones["delivered"],
        milestones_delivered_on_time=milestones["on_time"],
        milestones_on_time_rate=stats.rate(milestones["on_time"], milestones["delivered"]),
        average_rating=float(average) if average is not None else None,
        ratings=answers["ratings"],
    )


def accountability_for_organization(
    organization: Organization, *, today: datetime.date | None = None
) -> Accountability:
    """The figures of one body (obligations it must answer, responses and commitments it made)."""
    return _accountability(organization, None, today)


def accountability_for_territory(
    territory: Territory, *, today: datetime.date | None = None
) -> Accountability:
    """The figures of every body in the territory and the units below it."""
    return _accountability(None, territory, today)


def territory_by_code(code: str) -> Territory:
    territory = Territory.objects.filter(code=code).order_by("country").first()
    if territory is None:
        raise Http404("No such territory.")
    return territory


def organization_get(pk: int) -> Organization:
    organization = Organization.objects.select_related("territory").filter(pk=pk).first()
    if organization is None:
        raise Http404("No such organisation.")
    return organization


def redirect_choices(obligation: Obligation) -> QuerySet[Organization]:
    """Competent bodies to forward to: state bodies of the same country, other than the current one."""
    return (
        Organization.objects.filter(kind__in=Organization.STATE_KINDS, status=Organization.Status.OPERATING)
        .filter(country=obligation.country)
        .exclude(pk=obligation.organization_id)
        .order_by("name", "pk")
    )


def officer_choices(organization: Organization) -> QuerySet[Any]:
    """Members of the body an obligation can be assigned to."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__organization=organization, is_active=True, deleted_at__isnull=True)
        .order_by("display_name", "pk")
    )
