"""Reads of grants for pages and the API, each in a fixed number of queries.

The rule that an expert never sees the other experts' scores before submitting their own lives
here too: ``sheets_for`` returns only what ``grants.view_scores`` allows, and the expert's own
sheet otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kenes.obligations.models import Obligation
from kenes.organizations.models import Membership, Organization

from . import eligibility
from .models import (
    Application,
    Call,
    Complaint,
    Contract,
    ContractMilestone,
    Criterion,
    ExpertAssignment,
    MonitoringNote,
    Programme,
    Report,
    ScoreSheet,
)
from .rules import OFFICIAL_ROLES

ORDERS = {"deadline": ("closes_at", "id"), "new": ("-opens_at", "-id")}


# --- calls -----------------------------------------------------------------------------------------


def call_list_public(
    *,
    q: str = "",
    state: str = "",
    kind: str = "",
    territory: Any = None,
    sector: Any = None,
    order: str = "new",
) -> QuerySet[Call]:
    """Published calls and their outcomes, with search and filters (one query plus the count)."""
    qs = Call.objects.public().select_related("programme__body", "programme__territory")
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(programme__title__icontains=q) | Q(programme__body__name__icontains=q)
        )
    if state in Call.State.values and state != Call.State.DRAFT:
        qs = qs.filter(state=state)
    if kind in Programme.Kind.values:
        qs = qs.filter(programme__kind=kind)
    if territory is not None:
        qs = qs.filter(programme__territory__path__startswith=territory.path)
    if sector is not None:
        qs = qs.filter(programme__sectors=sector)
    return qs.order_by(*ORDERS.get(order, ORDERS["new"]))


def call_get(pk: int) -> Call:
    call = (
        Call.objects.select_related("programme__body", "programme__territory", "programme__topic", "decision")
        .prefetch_related(
            "criteria",
            "required_documents",
            "lots",
            "programme__sectors",
            "programme__indicators",
        )
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404("No such call.")
    return call


def _contracts_prefetch(public_only: bool) -> Prefetch[Any]:
    notes = MonitoringNote.objects.filter(is_public=True) if public_only else MonitoringNote.objects.all()
    reports = Report.objects.filter(state=Report.State.ACCEPTED) if public_only else Report.objects.all()
    return Prefetch(
        "contract",
        queryset=Contract.objects.select_related("final_evaluation").prefetch_related(
            Prefetch(
                "milestones",
                queryset=ContractMilestone.objects.prefetch_related(
                    "targets__indicator",
                    Prefetch("reports", queryset=reports.prefetch_related("values__indicator")),
                ),
            ),
            Prefetch("monitoring_notes", queryset=notes),
        ),
    )


def call_results(call: Call) -> list[Application]:
    """The ranked and ruled applications of an awarded call, best first, with the award, the
    contract, its milestones, accepted reports and public monitoring notes (fixed queries)."""
    submitted_sheets = ScoreSheet.objects.filter(submitted_at__isnull=False).order_by("assignment_id")
    qs = (
        call.applications.exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
        .select_related("organization", "lot", "award")
        .prefetch_related(
            _contracts_prefetch(public_only=True),
            Prefetch(
                "sheets", queryset=submitted_sheets.prefetch_related("scores"), to_attr="submitted_sheets"
            ),
        )
    )
    return sorted(
        qs, key=lambda a: (a.lot.position if a.lot else -1, a.lot_id or 0, a.rank is None, a.rank or 0, a.pk)
    )


def expert_rows(call: Call, application: Application) -> list[list[Any]]:
    """Each expert's scores of the application in the call's criterion order (anonymous, from the
    sheets ``call_results`` prefetched)."""
    criteria = list(call.criteria.all())
    rows = []
    for sheet in getattr(application, "submitted_sheets", []):
        by_criterion = {s.criterion_id: s.value for s in sheet.scores.all()}
        rows.append([by_criterion.get(c.pk) for c in criteria])
    return rows


def calls_of_programme(programme: Programme, *, with_drafts: bool) -> list[Call]:
    """The programme's calls: the public ones (prefetched by ``programme_get``), and the drafts too
    for its body."""
    if with_drafts:
        return list(Call.objects.filter(programme=programme))
    return list(programme.calls.all())


def criterion_rows(call: Call, application: Application) -> list[dict[str, Any]]:
    """The application's aggregate per criterion, in the call's order (from the prefetched criteria)."""
    return [
        {"criterion": c, "score": application.criterion_scores.get(str(c.pk))} for c in call.criteria.all()
    ]


def tie_explanation(application: Application) -> str:
    """Why the application has its place, translated from what the scoring engine recorded."""
    texts = {
        "only": _("The only ranked application."),
        "total": _("Placed by its total score."),
        "criterion": _("Tied on the total; the criteria, heaviest first, decided."),
        "submission": _("Tied on the total; the earlier submission decided."),
        "lot": _("Tied on the total; the published lot decided."),
        "id": _("Tied on the total and submitted at the same moment; the earlier registration decided."),
    }
    return texts.get(application.rank_note, "")


# --- the body's side -------------------------------------------------------------------------------


def bodies_of(user: Any) -> QuerySet[Organization]:
    """State bodies where the user is an officer or head."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(
        kind__in=Organization.STATE_KINDS,
        memberships__user=user,
        memberships__role__in=OFFICIAL_ROLES,
    ).distinct()


def programmes_of_official(user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(body__in=bodies_of(user))
        .select_related("body", "territory")
        .prefetch_related(Prefetch("calls", queryset=Call.objects.order_by("-opens_at")))
        .order_by("-year", "-created_at", "-id")
    )


def programme_get(pk: int) -> Programme:
    programme = (
        Programme.objects.select_related("body", "territory", "topic")
        .prefetch_related("sectors", "indicators", "lots", Prefetch("calls", queryset=Call.objects.public()))
        .filter(pk=pk)
        .first()
    )
    if programme is None:
        raise Http404("No such programme.")
    return programme


def call_applications_for_body(call: Call) -> list[Application]:
    """Every application the body handles (not drafts), with its NGO and the number of submitted sheets."""
    qs = (
        call.applications.exclude(state=Application.State.DRAFT)
        .select_related("organization__territory", "lot", "award", "contract")
        .prefetch_related("organization__sectors", "documents")
        .annotate(sheets_submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False)))
        .order_by("lot__position", "lot_id", "rank", "submitted_at", "pk")
    )
    applications: list[Application] = list(qs)
    for application in applications:
        application.call = call  # the call with its criteria, documents and programme, read once
    return applications


def assignments_of_call(call: Call) -> QuerySet[ExpertAssignment]:
    return (
        call.assignments.select_related("expert")
        .annotate(submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False)))
        .prefetch_related("conflicts")
        .order_by("pk")
    )


def check_rows(application: Application) -> list[dict[str, Any]]:
    """The stored results of Kenes's eligibility checks, with messages in the reader's language, or
    the checks evaluated now when the body has not ruled yet."""
    results = application.eligibility_results or [c.as_dict() for c in eligibility.evaluate(application)]
    return [
        {
            "passed": r["passed"],
            "message": eligibility.check_message(r["code"], r["passed"], r.get("params") or {}),
        }
        for r in results
    ]


# --- the NGO's side --------------------------------------------------------------------------------


def ngos_of(user: Any) -> QuerySet[Organization]:
    """NGOs where the user may apply (officer or head)."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(
        kind=Organization.Kind.NGO,
        memberships__user=user,
        memberships__role__in=(Membership.Role.OFFICER, Membership.Role.HEAD),
    ).distinct()


def applications_of_user(user: Any) -> QuerySet[Application]:
    organizations = Membership.objects.filter(user=user).values("organization_id")
    return (
        Application.objects.filter(organization_id__in=organizations)
        .select_related("call__programme__body", "organization")
        .order_by("-created_at", "-id")
    )


def application_get(pk: int) -> Application:
    application = (
        Application.objects.select_related(
            "call__programme__body", "organization", "lot", "award", "created_by"
        )
        .prefetch_related(
            "budget_lines",
            "team",
            "documents__required_document",
            "call__criteria",
            "call__required_documents",
            "call__lots",
            "call__programme__indicators",
            _contracts_prefetch(public_only=False),
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def complaints_of(application: Application) -> list[dict[str, Any]]:
    complaints = list(application.complaints.order_by("-created_at"))
    obligations = {
        o.subject_id: o
        for o in Obligation.objects.filter(
            subject_type__app_label="grants",
            subject_type__model="complaint",
            subject_id__in=[str(c.pk) for c in complaints],
        ).select_related("organization")
    }
    return [{"complaint": c, "obligation": obligations.get(str(c.pk))} for c in complaints]


# --- the expert's side -----------------------------------------------------------------------------


def assignments_of_expert(user: Any) -> QuerySet[ExpertAssignment]:
    return (
        ExpertAssignment.objects.filter(expert=user)
        .select_related("call__programme__body")
        .annotate(submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False)))
        .order_by("-created_at")
    )


def assignment_get(pk: int) -> ExpertAssignment:
    assignment = (
        ExpertAssignment.objects.select_related("call__programme__body", "expert").filter(pk=pk).first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


def applications_to_score(assignment: ExpertAssignment) -> list[dict[str, Any]]:
    """The eligible applications of the call with the expert's own sheet and any declared conflict."""
    conflicts: dict[int, Any] = {c.application_id: c for c in assignment.conflicts.all()}
    sheets = {s.application_id: s for s in assignment.sheets.all()}
    member_of = set(
        Membership.objects.filter(user_id=assignment.expert_id).values_list("organization_id", flat=True)
    )
    applications = (
        assignment.call.applications.filter(
            state__in=[Application.State.ELIGIBLE, Application.State.SCORED, Application.State.AWARDED,
                       Application.State.NOT_AWARDED]
        )
        .select_related("organization")
        .order_by("pk")
    )  # fmt: skip
    return [
        {
            "application": a,
            "sheet": sheets.get(a.pk),
            "conflict": conflicts.get(a.pk) or (a.organization_id in member_of),
        }
        for a in applications
    ]


@dataclass
class ScoreTable:
    """The scores of one application that the reader may see: one row per visible sheet."""

    criteria: list[Criterion]
    rows: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = False  # True when every submitted sheet is shown


def sheets_for(user: Any, application: Application) -> ScoreTable:
    """What ``user`` may see of the experts' scores of ``application``: everything (submitted
    sheets) when ``grants.view_scores`` allows it, else only the user's own sheet, if any."""
    criteria = list(application.call.criteria.all())
    sheets = ScoreSheet.objects.filter(application=application).select_related("assignment__expert")
    sheets = sheets.prefetch_related("scores")
    if user.has_perm("grants.view_scores", application):
        visible = sheets.filter(submitted_at__isnull=False)
        complete = True
    elif getattr(user, "is_authenticated", False):
        visible = sheets.filter(assignment__expert=user)
        complete = False
    else:
        visible = sheets.none()
        complete = False
    rows = []
    for sheet in visible.order_by("assignment_id"):
        by_criterion = {s.criterion_id: s for s in sheet.scores.all()}
        rows.append({"sheet": sheet, "scores": [by_criterion.get(c.pk) for c in criteria]})
    return ScoreTable(criteria=criteria, rows=rows, complete=complete)


def sheet_of(user: Any, application: Application) -> ScoreSheet | None:
    return (
        ScoreSheet.objects.filter(application=application, assignment__expert=user)
        .prefetch_related("scores")
        .first()
    )


# --- public API reads ------------------------------------------------------------------------------


def awards_public() -> QuerySet[Any]:
    from .models import Award

    return Award.objects.select_related(
        "application__organization", "application__call__programme__body", "decision"
    ).order_by("-awarded_on", "-id")


def reports_public() -> QuerySet[Report]:
    return (
        Report.objects.filter(state=Report.State.ACCEPTED)
        .select_related("milestone", "contract__application__organization", "contract__application__call")
        .prefetch_related("values__indicator")
        .order_by("-submitted_at", "-id")
    )


def applicant_count(call: Call) -> int:
    """How many applications were submitted and not withdrawn (shown once the call has closed)."""
    if call.state in (Call.State.DRAFT, Call.State.PUBLISHED):
        return 0
    return call.applications.exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN]).count()


def complaint_count(call: Call) -> int:
    return Complaint.objects.filter(application__call=call).count()
