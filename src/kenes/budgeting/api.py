"""Participatory budgeting over JSON: processes (paginated), one process with its proposals, the
published results with an explanation per project, casting a ballot (session or personal token)
and the anonymised Pabulib export."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from kenes.accounts.auth import TokenAuth
from kenes.common.api import PageOut, page_response
from kenes.territories.models import Territory

from . import selectors, services
from .models import Process, Proposal
from .schemas import BallotIn, BallotOut, ProcessDetailOut, ProcessOut, ResultOut

router = Router(tags=["budgeting"])
AUTH = [django_auth, TokenAuth()]


class ProcessFilters(Schema):
    phase: Process.Phase | None = None
    territory: str | None = None
    page: str | None = None
    per_page: str | None = None


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": str(obj.name)}


def process_out(process: Process) -> dict[str, Any]:
    return {
        "id": process.pk,
        "title": process.title,
        "phase": process.phase,
        "territory": _ref(process.territory),
        "organization": _ref(process.organization),
        "budget": process.budget,
        "currency": process.currency,
        "ballot_type": process.ballot_type,
        "rule": process.rule,
        "proposals_open": process.proposals_open,
        "proposals_close": process.proposals_close,
        "review_close": process.review_close,
        "voting_open": process.voting_open,
        "voting_close": process.voting_close,
        "results_published_at": process.results_published_at,
        "is_sample": process.is_sample,
        "url": reverse("budgeting:detail", args=[process.pk]),
    }


def proposal_out(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "description": proposal.description,
        "category": proposal.category,
        "status": proposal.status,
        "estimated_cost": proposal.estimated_cost,
        "official_cost": proposal.official_cost,
        "cost": proposal.cost,
        "latitude": float(proposal.latitude) if proposal.latitude is not None else None,
        "longitude": float(proposal.longitude) if proposal.longitude is not None else None,
        "supporters": getattr(proposal, "support_count", 0),
        "merged_into": proposal.merged_into_id,
        "url": reverse("budgeting:proposal", args=[proposal.pk]),
    }


@router.get("/processes", response=PageOut[ProcessOut], summary="Participatory-budget processes")
def process_list(request: HttpRequest, filters: Query[ProcessFilters]) -> dict[str, Any]:
    """Newest vote first. Filter by phase and by territory code (with every unit below it)."""
    territory = None
    if filters.territory:
        territory = Territory.objects.filter(code=filters.territory).order_by("country").first()
        if territory is None:
            raise Http404("No such territory.")
    queryset = selectors.process_list_public(phase=filters.phase, territory=territory)
    return page_response(request, queryset, process_out)


@router.get(
    "/processes/{int:process_id}", response=ProcessDetailOut, summary="One process with its proposals"
)
def process_detail(request: HttpRequest, process_id: int) -> dict[str, Any]:
    process = selectors.process_get(process_id)
    return {
        **process_out(process),
        "description": process.description,
        "min_choices": process.min_choices,
        "max_choices": process.max_choices,
        "max_points": process.max_points,
        "proposals": [proposal_out(p) for p in selectors.proposals_of(process)],
    }


def _line_out(line: Any) -> dict[str, Any]:
    return {
        "proposal": line.proposal_id,
        "title": line.proposal.title,
        "cost": line.proposal.cost,
        "funded": line.funded,
        "position": line.position,
        "votes": line.votes,
        "reason": line.reason,
        "explanation": line.explanation if isinstance(line.explanation, dict) else {},
    }


@router.get("/processes/{int:process_id}/results", response=ResultOut, summary="Published results")
def process_results(request: HttpRequest, process_id: int) -> dict[str, Any]:
    """Funded projects in the order chosen, then the others, each with why. 404 until published."""
    process = selectors.process_get(process_id)
    view = selectors.result_of(process) if process.results_published_at is not None else None
    if view is None:
        raise Http404("The results are not published yet.")
    return {
        "process": process.pk,
        "rule": view.result.rule,
        "ballots_counted": view.result.ballots_counted,
        "total_cost": view.result.total_cost,
        "budget": process.budget,
        "funded": [_line_out(line) for line in view.funded],
        "others": [_line_out(line) for line in view.others],
    }


def _choices(process: Process, payload: BallotIn) -> Any:
    by_type = {
        Process.BallotType.APPROVAL: ("projects", payload.projects),
        Process.BallotType.CUMULATIVE: ("points", payload.points),
        Process.BallotType.ORDINAL: ("ranking", payload.ranking),
    }
    name, value = by_type[Process.BallotType(process.ballot_type)]
    if value is None:
        raise ValidationError(
            {name: [_("This process's ballot needs “%(field)s”.") % {"field": name}]}, code="ballot_shape"
        )
    return value


@router.post(
    "/processes/{int:process_id}/ballot",
    response={201: BallotOut},
    auth=AUTH,
    summary="Cast or change a ballot",
)
def ballot_cast(request: HttpRequest, process_id: int, payload: BallotIn) -> Status[Any]:
    """Replaces the caller's earlier ballot. 422 with the reasons when the ballot is refused
    (not eligible, voting closed, over budget, too many choices…)."""
    process = selectors.process_get(process_id)
    if not request.user.has_perm("budgeting.vote", process):
        raise PermissionDenied("budgeting.vote")
    ballot = services.ballot_cast(actor=request.user, process=process, choices=_choices(process, payload))
    return Status(
        201, {"process": process.pk, "choices": ballot.choices.count(), "updated_at": ballot.updated_at}
    )


@router.get("/processes/{int:process_id}/pabulib", summary="The anonymised ballots in Pabulib format")
def process_pabulib(request: HttpRequest, process_id: int) -> HttpResponse:
    process = selectors.process_get(process_id)
    if process.results_published_at is None:
        raise Http404("The results are not published yet.")
    return HttpResponse(services.pabulib_export(process=process), content_type="text/plain; charset=utf-8")
