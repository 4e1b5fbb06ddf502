"""Grants over JSON (read-only, public): calls with their rules and, once awarded, every result;
awards; accepted reports. Writes go through the pages (they carry files and formsets)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from kenes.accounts.auth import TokenAuth
from kenes.common.api import PageOut, page_response

from . import selectors
from .models import Application, Award, Call, Report
from .schemas import AwardOut, CallDetailOut, CallOut, ReportOut

router = Router(tags=["grants"])


def _anyone(request: HttpRequest) -> bool:
    """The reads are public; a token, when sent, identifies the reader."""
    return True


READ_AUTH = [TokenAuth(), _anyone]


class CallFilters(Schema):
    q: str | None = None
    state: str | None = None
    kind: str | None = None
    page: str | None = None
    per_page: str | None = None


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": str(obj.name)}


def call_out(call: Call) -> dict[str, Any]:
    programme = call.programme
    return {
        "id": call.pk,
        "title": call.title,
        "state": call.state,
        "kind": programme.kind,
        "body": _ref(programme.body),
        "territory": programme.territory.code,
        "budget": programme.budget,
        "currency": programme.currency,
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "url": call.get_absolute_url(),
    }


def _result(application: Application) -> dict[str, Any]:
    award = getattr(application, "award", None) if application.state == Application.State.AWARDED else None
    return {
        "application": application.pk,
        "organization": _ref(application.organization),
        "title": application.title,
        "state": application.state,
        "rank": application.rank,
        "score": application.score,
        "criterion_scores": application.criterion_scores or {},
        "amount_awarded": award.amount if award else None,
        "reason": application.ineligibility_reason or application.decision_reason,
    }


@router.get("/calls", response=PageOut[CallOut], auth=READ_AUTH, summary="Calls for applications")
def call_list(request: HttpRequest, filters: Query[CallFilters]) -> dict[str, Any]:
    """Published calls and their outcomes, newest first."""
    qs = selectors.call_list_public(
        q=(filters.q or "").strip(), state=filters.state or "", kind=filters.kind or ""
    )
    return page_response(request, qs, call_out)


@router.get("/calls/{int:call_id}", response=CallDetailOut, auth=READ_AUTH, summary="One call")
def call_detail(request: HttpRequest, call_id: int) -> dict[str, Any]:
    """The call's rules, criteria and evaluation method; once awarded, every application's rank,
    scores, decision and reasons."""
    call = selectors.call_get(call_id)
    if not request.user.has_perm("grants.view_call", call):
        raise Http404("No such call.")
    decision = getattr(call, "decision", None) if call.results_public else None
    return {
        **call_out(call),
        "description": call.description,
        "terms_of_reference": call.programme.terms_of_reference,
        "eligibility_text": call.eligibility_text,
        "criteria": list(call.criteria.all()),
        "required_documents": [d.name for d in call.required_documents.all()],
        "aggregation": call.aggregation,
        "trim_min_experts": call.trim_min_experts,
        "tie_rule": call.tie_rule,
        "lot_seed": call.lot_seed,
        "decision_reasons": decision.reasons if decision else None,
        "results": [_result(a) for a in selectors.call_results(call)] if call.results_public else [],
    }


def award_out(award: Award) -> dict[str, Any]:
    application = award.application
    programme = application.call.programme
    return {
        "id": award.pk,
        "call": application.call_id,
        "call_title": application.call.title,
        "body": _ref(programme.body),
        "recipient": _ref(application.organization),
        "title": application.title,
        "amount": award.amount,
        "currency": programme.currency,
        "awarded_on": award.awarded_on,
    }


@router.get("/awards", response=PageOut[AwardOut], auth=READ_AUTH, summary="Awards")
def award_list(request: HttpRequest) -> dict[str, Any]:
    """Every published award, newest first."""
    return page_response(request, selectors.awards_public(), award_out)


def report_out(report: Report) -> dict[str, Any]:
    application = report.contract.application
    return {
        "id": report.pk,
        "call": application.call_id,
        "recipient": _ref(application.organization),
        "milestone": report.milestone.title,
        "kind": report.kind,
        "text": report.text,
        "spent": report.spent,
        "submitted_at": report.submitted_at,
        "accepted_at": report.reviewed_at,
        "values": [
            {"indicator": v.indicator.name, "unit": v.indicator.unit, "value": v.value}
            for v in report.values.all()
        ],
    }


@router.get("/reports", response=PageOut[ReportOut], auth=READ_AUTH, summary="Accepted reports")
def report_list(request: HttpRequest) -> dict[str, Any]:
    """Reports the bodies accepted (narrative and financial), newest first."""
    return page_response(request, selectors.reports_public(), report_out)
