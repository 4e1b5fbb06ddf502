"""The hearing loop over JSON: the public register, one obligation with its timeline and answer,
the officials' actions (respond, extend, redirect), the author's rating, accountability figures
and the officials' inbox. Actions take a session or a personal token."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from kenes.accounts.auth import TokenAuth
from kenes.common.api import PageOut, page_response
from kenes.organizations.models import Organization

from . import selectors, services
from .models import Kind, Obligation, Response
from .schemas import (
    AccountabilityOut,
    ExtendIn,
    InboxItemOut,
    ObligationDetailOut,
    ObligationOut,
    RatingIn,
    RatingOut,
    RedirectIn,
    RespondIn,
    ResponseOut,
)

router = Router(tags=["obligations"])
AUTH = [django_auth, TokenAuth()]
VIEW = "obligations.view_obligation"


def _anyone(request: HttpRequest) -> bool:
    """Reads are public; a token, when sent, identifies the reader (for private obligations)."""
    return True


READ_AUTH = [TokenAuth(), _anyone]


class RegisterFilters(Schema):
    q: str | None = None
    state: str | None = None
    kind: Kind | None = None
    organization: int | None = None
    territory: str | None = None
    # Strings so that nonsense paging is clamped by page_response, not refused.
    page: str | None = None
    per_page: str | None = None


class InboxFilters(Schema):
    state: str | None = None
    kind: Kind | None = None
    assigned_to: int | None = None
    overdue_only: bool = False
    include_subordinates: bool = False
    page: str | None = None
    per_page: str | None = None


def _body(organization: Organization) -> dict[str, Any]:
    return {"id": organization.pk, "name": organization.name}


def obligation_out(obligation: Obligation) -> dict[str, Any]:
    return {
        "id": obligation.pk,
        "title": obligation.title,
        "kind": obligation.kind,
        "state": obligation.state,
        "country": obligation.country,
        "organization": _body(obligation.organization),
        "opened_on": obligation.opened_on,
        "deadline": obligation.deadline,
        "original_deadline": obligation.original_deadline,
        "is_private": obligation.is_private,
        "url": reverse("obligations:detail", args=[obligation.pk]),
    }


def response_out(response: Response, attachments: list[Any] | None = None) -> dict[str, Any]:
    rating = selectors.rating_of(response)
    items = attachments if attachments is not None else list(response.attachments.order_by("id"))
    return {
        "id": response.pk,
        "decision": response.decision,
        "reasons": response.reasons,
        "organization": _body(response.organization),
        "responder": response.responder.public_name,
        "on_time": response.on_time,
        "working_days_taken": response.working_days_taken,
        "created_at": response.created_at,
        "attachments": [
            {
                "id": item.pk,
                "name": item.name,
                "size": item.size,
                "content_type": item.content_type,
                "url": reverse("obligations:attachment", args=[item.pk]),
            }
            for item in items
        ],
        "rating": {"score": rating.score, "comment": rating.comment} if rating else None,
    }


def _time_left(obligation: Obligation) -> dict[str, Any]:
    left = selectors.time_left(obligation, timezone.localdate())
    return {"working_days_left": left["days_left"], "is_overdue": left["is_overdue"]}


def _visible(request: HttpRequest, obligation_id: int) -> selectors.ObligationDetail:
    detail = selectors.obligation_detail(obligation_id)
    if not request.user.has_perm(VIEW, detail.obligation):
        raise Http404("No such obligation.")
    return detail


@router.get("/", response=PageOut[ObligationOut], summary="The public register of obligations")
def obligation_list(request: HttpRequest, filters: Query[RegisterFilters]) -> dict[str, Any]:
    """Obligations that are not private, newest first. Filter by state (or `live`), kind, body id,
    territory code (with every unit below it) and a search in titles. `per_page` is clamped to 1..100."""
    organization = (
        Organization.objects.filter(pk=filters.organization).first() if filters.organization else None
    )
    territory = selectors.territory_by_code(filters.territory) if filters.territory else None
    if filters.organization and organization is None:
        raise Http404("No such organisation.")
    queryset = selectors.obligation_list_public(
        organization=organization, territory=territory, state=filters.state, kind=filters.kind, q=filters.q
    )
    return page_response(request, queryset, obligation_out)


@router.get("/{int:obligation_id}", response=ObligationDetailOut, auth=READ_AUTH, summary="One obligation")
def obligation_detail(request: HttpRequest, obligation_id: int) -> dict[str, Any]:
    """With its timeline, extensions and answer. A private obligation is 404 unless you may see it."""
    detail = _visible(request, obligation_id)
    obligation = detail.obligation
    timeline = selectors.obligation_timeline(obligation, user=request.user)
    return {
        **obligation_out(obligation),
        **_time_left(obligation),
        "extensions": [
            {
                "old_deadline": e.old_deadline,
                "new_deadline": e.new_deadline,
                "reason": e.reason,
                "created_at": e.created_at,
            }
            for e in detail.extensions
        ],
        "response": response_out(detail.response, detail.attachments) if detail.response else None,
        "timeline": [
            {
                "kind": step.kind,
                "at": step.at,
                "obligation_id": step.obligation_id,
                "organization": _body(step.organization),
                "text": step.text,
            }
            for step in timeline
        ],
    }


@router.post(
    "/{int:obligation_id}/respond", response={201: ResponseOut}, auth=AUTH, summary="Answer with reasons"
)
def obligation_respond(request: HttpRequest, obligation_id: int, payload: RespondIn) -> Status[Any]:
    detail = _visible(request, obligation_id)
    response = services.obligation_respond(
        actor=request.user, obligation=detail.obligation, decision=payload.decision, reasons=payload.reasons
    )
    return Status(201, response_out(response, []))


@router.post("/{int:obligation_id}/extend", response=ObligationOut, auth=AUTH, summary="Extend the deadline")
def obligation_extend(request: HttpRequest, obligation_id: int, payload: ExtendIn) -> dict[str, Any]:
    detail = _visible(request, obligation_id)
    extension = services.obligation_extend(
        actor=request.user,
        obligation=detail.obligation,
        new_deadline=payload.new_deadline,
        reason=payload.reason,
    )
    return obligation_out(selectors.obligation_get(extension.obligation_id))


@router.post(
    "/{int:obligation_id}/redirect",
    response={201: ObligationOut},
    auth=AUTH,
    summary="Forward to the competent body",
)
def obligation_redirect(request: HttpRequest, obligation_id: int, payload: RedirectIn) -> Status[Any]:
    """Returns the new obligation at the competent body."""
    detail = _visible(request, obligation_id)
    to_organization = Organization.objects.filter(pk=payload.to_organization).first()
    if to_organization is None:
        raise ValidationError({"to_organization": ["No such organisation."]})
    new = services.obligation_redirect(
        actor=request.user,
        obligation=detail.obligation,
        to_organization=to_organization,
        reason=payload.reason,
    )
    return Status(201, obligation_out(selectors.obligation_get(new.pk)))


@router.post(
    "/responses/{int:response_id}/rating", response=RatingOut, auth=AUTH, summary="Rate an answer (author)"
)
def response_rating(request: HttpRequest, response_id: int, payload: RatingIn) -> dict[str, Any]:
    response = get_object_or_404(Response.objects.select_related("obligation"), pk=response_id)
    if not request.user.has_perm(VIEW, response.obligation):
        raise Http404("No such response.")
    rating = services.response_rate(
        actor=request.user, response=response, score=payload.score, comment=payload.comment
    )
    return {"score": rating.score, "comment": rating.comment}


@router.get(
    "/accountability/organizations/{int:organization_id}",
    response=AccountabilityOut,
    summary="Accountability figures of a body",
)
def accountability_organization(request: HttpRequest, organization_id: int) -> dict[str, Any]:
    organization = selectors.organization_get(organization_id)
    return selectors.accountability_for_organization(organization).as_dict()


@router.get(
    "/accountability/territories/{code}",
    response=AccountabilityOut,
    summary="Accountability figures of a territory (with the units within it)",
)
def accountability_territory(request: HttpRequest, code: str) -> dict[str, Any]:
    territory = selectors.territory_by_code(code)
    return selectors.accountability_for_territory(territory).as_dict()


@router.get(
    "/inbox/{int:organization_id}",
    response=PageOut[InboxItemOut],
    auth=AUTH,
    summary="The inbox of a body (its members)",
)
def inbox(request: HttpRequest, organization_id: int, filters: Query[InboxFilters]) -> dict[str, Any]:
    """By deadline, soonest first. `state` is a state or `live` (open, extended or overdue)."""
    organization = selectors.organization_get(organization_id)
    if not request.user.has_perm("obligations.view_inbox", organization):
        raise PermissionDenied("obligations.view_inbox")
    assigned_to = None
    if filters.assigned_to is not None:
        assigned_to = selectors.officer_choices(organization).filter(pk=filters.assigned_to).first()
        if assigned_to is None:
            raise Http404("No such officer.")
    queryset = selectors.inbox(
        organization=organization,
        include_subordinates=filters.include_subordinates,
        state=filters.state,
        kind=filters.kind,
        assigned_to=assigned_to,
        overdue_only=filters.overdue_only,
    )

    def item(obligation: Obligation) -> dict[str, Any]:
        officer = obligation.assigned_to
        return {
            **obligation_out(obligation),
            **_time_left(obligation),
            "assigned_to": officer.public_name if officer else None,
        }

    return page_response(request, queryset, item)
