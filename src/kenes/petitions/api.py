"""Petitions over JSON, read-only: public petitions (paginated, with the list page's filters), one
petition with its counts by region and the body's answer, and likely duplicates of a text. Signing
is ``api_signing.py``'s. Counts are the published (derived) ones, as on the pages."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from kenes.common.api import PageOut, page_response
from kenes.organizations.models import Topic
from kenes.territories.models import Territory

from . import selectors
from .models import Level, Petition
from .schemas import PetitionDetailOut, PetitionOut, RegionCountOut, SimilarOut
from .services import petition_url

router = Router(tags=["petitions"])


class PetitionFilters(Schema):
    q: str = ""
    state: Petition.State | None = None
    level: Level | None = None
    topic: str | None = None
    territory: str | None = None
    addressee: int | None = None
    answered: bool | None = None
    page: str | None = None
    per_page: str | None = None


class SimilarQuery(Schema):
    title: str = ""
    text: str = ""
    exclude: int | None = None


def _code_ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "code": obj.code, "name": str(obj.name)} if obj is not None else None


def petition_out(petition: Petition) -> dict[str, Any]:
    return {
        "id": petition.pk,
        "title": petition.title,
        "state": petition.state,
        "level": petition.level,
        "country": petition.country,
        "language": petition.language,
        "addressee": {"id": petition.addressee_id, "name": str(petition.addressee.name)},
        "territory": _code_ref(petition.territory),
        "topic": _code_ref(petition.topic),
        "threshold": petition.threshold,
        "signatures": petition.signature_count,
        "counted_at": petition.counted_at,
        "opens_at": petition.opens_at,
        "closes_at": petition.closes_at,
        "threshold_reached_at": petition.threshold_reached_at,
        "url": petition_url(petition),
    }


def _answer_out(answer: selectors.PetitionResponse) -> dict[str, Any] | None:
    obligation = answer.obligation
    if obligation is None:
        return None
    body = {"id": obligation.organization_id, "name": str(obligation.organization.name)}
    response = answer.response
    return {
        "obligation": obligation.pk,
        "body": body,
        "state": obligation.state,
        "opened_on": obligation.opened_on,
        "deadline": obligation.deadline,
        "response": {
            "decision": response.decision,
            "reasons": response.reasons,
            "body": {"id": response.organization_id, "name": str(response.organization.name)},
            "answered_at": obligation.answered_at,
            "on_time": response.on_time,
            "working_days_taken": response.working_days_taken,
        }
        if response is not None
        else None,
        "commitments": [
            {
                "id": commitment.pk,
                "title": commitment.title,
                "status": commitment.status,
                "milestones": [
                    {"title": m.title, "due_on": m.due_on, "status": m.status, "delivered_at": m.delivered_at}
                    for m in commitment.milestones.all()
                ],
            }
            for commitment in answer.commitments
        ],
    }


def _visible(request: HttpRequest, petition_id: int) -> Petition:
    petition = selectors.petition_get(petition_id)
    if not request.user.has_perm("petitions.view_petition", petition):
        raise Http404("No such petition.")
    return petition


@router.get("", response=PageOut[PetitionOut], summary="Public petitions")
def petition_list(request: HttpRequest, filters: Query[PetitionFilters]) -> dict[str, Any]:
    """Newest first. Filter by words (title, text, demand), state, level, topic code, territory code
    (with every unit below it), addressee body id, and whether the body has answered."""
    territory = topic = None
    if filters.territory:
        territory = Territory.objects.filter(code=filters.territory).order_by("country").first()
        if territory is None:
            raise Http404("No such territory.")
    if filters.topic:
        topic = Topic.objects.filter(code=filters.topic).first()
        if topic is None:
            raise Http404("No such topic.")
    queryset = selectors.petition_list(
        query=filters.q[:200],
        state=filters.state,
        level=filters.level,
        topic=topic,
        territory=territory,
        addressee=filters.addressee,
        answered=filters.answered,
    )
    return page_response(request, queryset, petition_out)


@router.get("/similar", response=list[SimilarOut], summary="Likely duplicates of a petition being written")
def similar(request: HttpRequest, query: Query[SimilarQuery]) -> list[dict[str, Any]]:
    """Public petitions most like the given title and text (trigram similarity, 0–1), at most five."""
    found = selectors.similar_petitions(query.title[:200], query.text[:5000], exclude_pk=query.exclude)
    return [
        {
            "id": p.pk,
            "title": p.title,
            "state": p.state,
            "signatures": p.signature_count,
            "similarity": round(float(p.similarity), 3),  # type: ignore[attr-defined]
            "url": petition_url(p),
        }
        for p in found
    ]


@router.get("/{int:petition_id}", response=PetitionDetailOut, summary="One petition, its counts and answer")
def petition_detail(request: HttpRequest, petition_id: int) -> dict[str, Any]:
    """A public petition (or one the signed-in person may see): the text, the demand, the published
    count, counts by the signers' home region, and the body's answer with its commitments."""
    petition = _visible(request, petition_id)
    return {
        **petition_out(petition),
        "text": petition.text,
        "demand": petition.demand,
        "min_verification_level": petition.min_verification_level,
        "duration_months": petition.duration_months,
        "regions": [_region_out(row) for row in selectors.region_counts(petition)],
        "answer": _answer_out(selectors.petition_response(petition)),
    }


def _region_out(row: Any) -> dict[str, Any]:
    return {"region": _code_ref(row.region), "signatures": row.count}


@router.get("/{int:petition_id}/regions", response=list[RegionCountOut], summary="Signatures by home region")
def petition_regions(request: HttpRequest, petition_id: int) -> list[dict[str, Any]]:
    """Counted signatures by the signers' home region, largest first; ``region`` null for signers
    without a home territory."""
    petition = _visible(request, petition_id)
    return [_region_out(row) for row in selectors.region_counts(petition)]
