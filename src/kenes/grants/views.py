"""Pages of grants: the public calls and their results, the body's pages (plan, publish, rule on
eligibility, assign experts, rank, award, contract, review reports), the NGO's (apply with a budget
table, submit, withdraw, report, complain) and the expert's (declare interests, score).

Views check the permission, validate the form, call one service and redirect, or re-render with
what was typed. What a person may not see is 404; what they may see but not do is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest, paginate
from kenes.common.permissions import require_perm
from kenes.common.views import run_button

from . import forms, selectors, services
from .models import Application, ApplicationDocument, Call, Contract, ContractMilestone, Report


def _call(request: HttpRequest, pk: int) -> Call:
    call = selectors.call_get(pk)
    if not request.user.has_perm("grants.view_call", call):
        raise Http404("No such call.")
    return call


def _application(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_get(pk)
    if not request.user.has_perm("grants.view_application", application):
        raise Http404("No such application.")
    return application


# --- public ----------------------------------------------------------------------------------------


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    form = forms.CallFilterForm(request.GET)
    filters = form.filters()
    page = paginate(selectors.call_list_public(**filters), PageRequest.from_params(request.GET))
    context = {
        "form": form,
        "page": page,
        "followed_territory": filters.get("territory"),
        "followed_sectors": [filters["sector"]] if filters.get("sector") else [],
    }
    return render(request, "grants/call_list.html", context)


@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    results = selectors.call_results(call) if call.results_public else []
    rows = [
        {
            "application": a,
            "criteria": selectors.criterion_rows(call, a),
            "experts": selectors.expert_rows(call, a),
            "tie": selectors.tie_explanation(a),
            "checks": selectors.check_rows(a) if a.state == Application.State.INELIGIBLE else [],
        }
        for a in results
    ]
    context = {
        "call": call,
        "programme": call.programme,
        "rows": rows,
        "applicants": selectors.applicant_count(call) if call.state != Call.State.DRAFT else 0,
        "can_manage": request.user.has_perm("grants.manage_call", call),
        "can_apply": call.is_accepting and request.user.is_authenticated,
    }
    return render(request, "grants/call_detail.html", context)


@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(pk)
    can_manage = request.user.has_perm("grants.change_programme", programme)
    calls = selectors.calls_of_programme(programme, with_drafts=can_manage)
    return render(
        request,
        "grants/programme_detail.html",
        {"programme": programme, "calls": calls, "can_manage": can_manage},
    )


@require_GET
def document(request: HttpRequest, pk: int) -> FileResponse:
    item = ApplicationDocument.objects.select_related("application__call__programme").filter(pk=pk).first()
    if item is None or not request.user.has_perm("grants.view_application_document", item.application):
        raise Http404("No such file.")
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.name or "download",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the body --------------------------------------------------------------------------------------


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programmes_of_official(request.user)
    page = paginate(programmes, PageRequest.from_params(request.GET))
    has_body = selectors.bodies_of(request.user).exists()
    return render(request, "grants/manage.html", {"page": page, "has_body": has_body})


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    bodies = selectors.bodies_of(request.user)
    if not bodies.exists():
        raise PermissionDenied("grants.add_programme")
    data = request.POST if request.method == "POST" else None
    form = forms.ProgrammeForm(data, bodies=bodies)
    indicators = forms.IndicatorFormSet(data, prefix="indicators")
    lots = forms.LotFormSet(data, prefix="lots")
    if request.method == "POST" and form.is_valid() and indicators.is_valid() and lots.is_valid():
        cleaned = form.cleaned_data
        try:
            programme = services.programme_plan(
                actor=request.user,
                indicators=forms.indicator_specs(indicators),
                lots=forms.lot_specs(lots),
                **cleaned,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme is planned. Now prepare its call for applications."))
            return redirect("grants:programme", pk=programme.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "indicators": indicators, "lots": lots}
    return render(request, "grants/programme_form.html", context, status=status)


def _call_initial(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    fields = [
        "title", "description", "opens_at", "closes_at", "eligibility_text", "require_operating",
        "require_registration_number", "require_territory", "require_sector", "max_request",
        "min_cofinancing_percent", "aggregation", "trim_min_experts", "tie_rule",
    ]  # fmt: skip
    initial = {name: getattr(call, name) for name in fields}
    initial["lots"] = list(call.lots.all())
    initial["required_documents"] = "\n".join(d.name for d in call.required_documents.all())
    criteria = [
        {"name": c.name, "weight": c.weight, "scale_min": c.scale_min, "scale_max": c.scale_max}
        for c in call.criteria.all()
    ]
    return initial, criteria


def _save_call(request: HttpRequest, programme: Any, call: Call | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial, criteria_initial = _call_initial(call) if call is not None else ({}, [])
    form = forms.CallForm(data, programme=programme, initial=initial)
    criteria = forms.CriterionFormSet(data, prefix="criteria", initial=criteria_initial or None)
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        cleaned = form.cleaned_data
        fields = {
            "title": cleaned["title"],
            "description": cleaned["description"],
            "opens_at": cleaned["opens_at"],
            "closes_at": cleaned["closes_at"],
            "lots": list(cleaned["lots"]),
            "criteria": forms.criterion_specs(criteria),
            "required_documents": form.documents(),
            **form.rules(),
        }
        try:
            if call is None:
                call = services.call_create(actor=request.user, programme=programme, **fields)
            else:
                call = services.call_update(actor=request.user, call=call, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The call is saved as a draft. Publish it when it is ready."))
            return redirect("grants:call_manage", pk=call.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "criteria": criteria, "programme": programme, "call": call}
    return render(request, "grants/call_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(pk)
    require_perm(request.user, "grants.add_call", programme)
    return _save_call(request, programme, None)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(pk)
    require_perm(request.user, "grants.manage_call", call)
    if call.state != Call.State.DRAFT:
        messages.error(request, _("Only a draft call can be changed."))
        return redirect("grants:call_manage", pk=pk)
    return _save_call(request, call.programme, call)


@login_required
@require_POST
def expert_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get(pk)
    require_perm(request.user, "grants.manage_call", assignment.call)
    return run_button(
        request,
        lambda: services.expert_unassign(actor=request.user, assignment=assignment),
        _("The expert is removed from the call."),
        "grants:call_manage",
        assignment.call_id,
    )


@login_required
@require_GET
def call_manage(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(pk)
    require_perm(request.user, "grants.manage_call", call)
    applications = selectors.call_applications_for_body(call)
    rows = [
        {
            "application": a,
            "checks": selectors.check_rows(a) if call.state == Call.State.CLOSED else [],
            "form": forms.EligibilityForm(prefix=f"a{a.pk}"),
        }
        for a in applications
    ]
    context = {
        "call": call,
        "rows": rows,
        "assignments": selectors.assignments_of_call(call),
        "assign_form": forms.AssignExpertForm(),
        "complaints": selectors.complaint_count(call),
    }
    return render(request, "grants/call_manage.html", context)


def _call_button(request: HttpRequest, pk: int, service: Callable[..., object], success: str) -> HttpResponse:
    """A button on the call's management page: its one service, by a person who manages the call."""
    call = selectors.call_get(pk)
    require_perm(request.user, "grants.manage_call", call)
    return run_button(
        request, lambda: service(actor=request.user, call=call), success, "grants:call_manage", pk
    )


@login_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _call_button(request, pk, services.call_publish, _("The call is published."))


@login_required
@require_POST
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _call_button(request, pk, services.call_close, _("The call is closed."))


@login_required
@require_POST
def call_rank(request: HttpRequest, pk: int) -> HttpResponse:
    return _call_button(request, pk, services.call_rank, _("The applications are ranked."))


@login_required
@require_POST
def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(pk)
    require_perm(request.user, "grants.manage_application", application)
    form = forms.EligibilityForm(request.POST, prefix=f"a{application.pk}")
    if form.is_valid():
        try:
            services.application_rule_eligibility(
                actor=request.user,
                application=application,
                eligible=form.cleaned_data["eligible"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"{application.title}: {message}")
        else:
            messages.success(
                request, _("The ruling on “%(title)s” is recorded.") % {"title": application.title}
            )
    else:
        messages.error(request, _("Choose eligible or not eligible."))
    return redirect("grants:call_manage", pk=application.call_id)


@login_required
@require_POST
def expert_assign(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(pk)
    require_perm(request.user, "grants.manage_call", call)
    form = forms.AssignExpertForm(request.POST)
    if form.is_valid():
        expert = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if expert is None:
            messages.error(request, _("No one with this e-mail has an account."))
        else:
            return run_button(
                request,
                lambda: services.expert_assign(actor=request.user, call=call, expert=expert),
                _("The expert is assigned."),
                "grants:call_manage",
                pk,
            )
    else:
        messages.error(request, _("Enter the expert's e-mail."))
    return redirect("grants:call_manage", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def call_award(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(pk)
    require_perm(request.user, "grants.manage_call", call)
    applications = [
        a for a in selectors.call_applications_for_body(call) if a.state == Application.State.SCORED
    ]
    form = forms.AwardForm(request.POST or None, applications=applications)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_award(
                actor=request.user,
                call=call,
                winners=form.winners(),
                reasons=form.cleaned_data["reasons"],
                application_reasons=form.application_reasons(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The award decision is published with every score."))
            return redirect("grants:call", pk=pk)
    status = 400 if request.method == "POST" else 200
    rows = [dict(r, tie=selectors.tie_explanation(r["application"])) for r in form.rows()]
    return render(
        request, "grants/call_award.html", {"call": call, "form": form, "rows": rows}, status=status
    )


# --- applying --------------------------------------------------------------------------------------


def _application_forms(
    request: HttpRequest, call: Call, application: Application | None
) -> tuple[Any, Any, Any]:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial: dict[str, Any] = {"language": request.LANGUAGE_CODE}
    budget_initial: list[dict[str, Any]] = []
    team_initial: list[dict[str, Any]] = []
    if application is not None:
        initial = {
            "organization": application.organization_id,
            "lot": application.lot_id,
            "title": application.title,
            "description": application.description,
            "expected_results": application.expected_results,
            "starts_on": application.starts_on,
            "ends_on": application.ends_on,
            "language": application.language,
        }
        budget_initial = [
            {"item": line.item, "amount": line.amount, "cofinancing": line.cofinancing}
            for line in application.budget_lines.all()
        ]
        team_initial = [
            {"name": m.name, "role": m.role, "experience": m.experience} for m in application.team.all()
        ]
    organizations = selectors.ngos_of(request.user)
    form = forms.ApplicationForm(data, files, call=call, organizations=organizations, initial=initial)
    budget = forms.BudgetFormSet(data, prefix="budget", initial=budget_initial or None)
    team = forms.TeamFormSet(data, prefix="team", initial=team_initial or None)
    return form, budget, team


def _save_application(request: HttpRequest, call: Call, application: Application | None) -> HttpResponse:
    form, budget, team = _application_forms(request, call, application)
    if request.method == "POST" and form.is_valid() and budget.is_valid() and team.is_valid():
        cleaned = form.cleaned_data
        try:
            saved = services.application_save(
                actor=request.user,
                call=call,
                organization=cleaned["organization"],
                application=application,
                lot=cleaned.get("lot"),
                title=cleaned["title"],
                description=cleaned["description"],
                expected_results=cleaned["expected_results"],
                starts_on=cleaned["starts_on"],
                ends_on=cleaned["ends_on"],
                language=cleaned["language"],
                budget_lines=forms.budget_specs(budget),
                team=forms.team_specs(team),
                documents=form.documents(),
            )
            if "submit" in request.POST:
                services.application_submit(actor=request.user, application=saved)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your application is submitted."))
            else:
                messages.success(
                    request, _("Your draft is saved. You can come back and submit it before the deadline.")
                )
            return redirect("grants:application", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"call": call, "form": form, "budget": budget, "team": team, "application": application}
    return render(request, "grants/application_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    if not call.is_accepting:
        messages.error(request, _("This call is not open for applications."))
        return redirect("grants:call", pk=pk)
    if not selectors.ngos_of(request.user).exists():
        return render(request, "grants/no_ngo.html", {"call": call}, status=403)
    return _save_application(request, call, None)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require_perm(request.user, "grants.change_application", application)
    if application.state != Application.State.DRAFT:
        messages.error(request, _("Only a draft application can be changed."))
        return redirect("grants:application", pk=pk)
    return _save_application(request, application.call, application)


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    user = request.user
    contract = getattr(application, "contract", None)
    context = {
        "application": application,
        "call": application.call,
        "scores": selectors.sheets_for(user, application),
        "checks": selectors.check_rows(application) if application.eligibility_checked_at else [],
        "complaints": selectors.complaints_of(application),
        "contract": contract,
        "can_change": user.has_perm("grants.change_application", application),
        "can_complain": user.has_perm("grants.complain_application", application)
        and application.state in services.evaluation.COMPLAINABLE,
        "can_manage": user.has_perm("grants.manage_application", application),
        "can_score": user.has_perm("grants.score_application", application),
        "can_view_scores": user.has_perm("grants.view_scores", application),
        "review_form": forms.ReviewForm(),
        "note_form": forms.MonitoringNoteForm(),
        "milestone_form": forms.MilestoneForm(indicators=list(application.call.programme.indicators.all())),
        "tie": selectors.tie_explanation(application),
    }
    return render(request, "grants/application_detail.html", context)


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require_perm(request.user, "grants.change_application", application)
    return run_button(
        request,
        lambda: services.application_submit(actor=request.user, application=application),
        _("Your application is submitted."),
        "grants:application",
        pk,
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require_perm(request.user, "grants.change_application", application)
    return run_button(
        request,
        lambda: services.application_withdraw(actor=request.user, application=application),
        _("Your application is withdrawn."),
        "grants:application",
        pk,
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.applications_of_user(request.user), PageRequest.from_params(request.GET))
    return render(request, "grants/mine.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def complain(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require_perm(request.user, "grants.complain_application", application)
    form = forms.ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_file(
                actor=request.user, application=application, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your complaint is registered; the body must answer it with reasons.")
            )
            return redirect("grants:application", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "grants/complain.html", {"application": application, "form": form}, status=status)


# --- the expert ------------------------------------------------------------------------------------


@login_required
@require_GET
def expert_home(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.assignments_of_expert(request.user), PageRequest.from_params(request.GET))
    return render(request, "grants/expert_home.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get(pk)
    if not request.user.has_perm("grants.declare_assignment", assignment):
        raise Http404("No such assignment.")
    rows = selectors.applications_to_score(assignment)
    applications = [r["application"] for r in rows]
    form = forms.DeclarationForm(request.POST or None, applications=applications)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_declare(
                actor=request.user,
                assignment=assignment,
                declaration=form.cleaned_data["declaration"],
                conflicts=form.conflicts(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your declaration is recorded."))
            return redirect("grants:declare", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"assignment": assignment, "rows": rows, "form": form}
    return render(request, "grants/declare.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require_perm(request.user, "grants.score_application", application)
    criteria = list(application.call.criteria.all())
    sheet = selectors.sheet_of(request.user, application)
    initial: dict[str, Any] = {}
    if sheet is not None:
        initial["comment"] = sheet.comment
        for item in sheet.scores.all():
            initial[f"criterion_{item.criterion_id}"] = item.value
            initial[f"note_{item.criterion_id}"] = item.comment
    form = forms.ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.sheet_save(
                actor=request.user,
                application=application,
                values=form.values(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your scores are submitted.") if submit else _("Your scores are saved as a draft.")
            )
            return redirect("grants:score", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "application": application,
        "form": form,
        "sheet": sheet,
        "scores": selectors.sheets_for(request.user, application),
    }
    return render(request, "grants/score.html", context, status=status)


# --- implementation --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    require_perm(request.user, "grants.manage_application", application)
    data = request.POST if request.method == "POST" else None
    form = forms.ContractForm(data)
    indicators = list(application.call.programme.indicators.all())
    milestones = forms.MilestoneFormSet(data, prefix="milestones", form_kwargs={"indicators": indicators})
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        try:
            services.contract_create(
                actor=request.user,
                application=application,
                milestones=forms.milestone_specs(milestones),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contract is recorded."))
            return redirect("grants:application", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"application": application, "form": form, "milestones": milestones}
    return render(request, "grants/contract_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = (
        ContractMilestone.objects.select_related("contract__application__call__programme")
        .filter(pk=pk)
        .first()
    )
    if milestone is None or not request.user.has_perm(
        "grants.view_application", milestone.contract.application
    ):
        raise Http404("No such milestone.")
    require_perm(request.user, "grants.report_contract", milestone.contract)
    indicators = list(milestone.contract.application.call.programme.indicators.all())
    form = forms.ReportForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                actor=request.user,
                milestone=milestone,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                spent=form.cleaned_data["spent"],
                values=form.values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your report is submitted."))
            return redirect("grants:application", pk=milestone.contract.application_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "grants/report_form.html", {"milestone": milestone, "form": form}, status=status)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = Report.objects.select_related("contract__application__call__programme").filter(pk=pk).first()
    if report is None or not request.user.has_perm("grants.view_application", report.contract.application):
        raise Http404("No such report.")
    require_perm(request.user, "grants.manage_contract", report.contract)
    form = forms.ReviewForm(request.POST)
    target = report.contract.application_id
    if not form.is_valid():
        messages.error(request, _("Choose to accept the report or return it."))
        return redirect("grants:application", pk=target)
    if form.cleaned_data["decision"] == "accept":
        return run_button(
            request,
            lambda: services.report_accept(actor=request.user, report=report),
            _("The report is accepted."),
            "grants:application",
            target,
        )
    return run_button(
        request,
        lambda: services.report_return(actor=request.user, report=report, reason=form.cleaned_data["reason"]),
        _("The report is returned with your reason."),
        "grants:application",
        target,
    )


def _contract(request: HttpRequest, pk: int) -> Contract:
    contract = Contract.objects.select_related("application__call__programme").filter(pk=pk).first()
    if contract is None or not request.user.has_perm("grants.view_application", contract.application):
        raise Http404("No such contract.")
    require_perm(request.user, "grants.manage_contract", contract)
    return contract


@login_required
@require_POST
def monitoring_note(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.MonitoringNoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("grants:application", pk=contract.application_id)
    return run_button(
        request,
        lambda: services.monitoring_note_add(actor=request.user, contract=contract, **form.cleaned_data),
        _("The monitoring note is added."),
        "grants:application",
        contract.application_id,
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    indicators = list(contract.application.call.programme.indicators.all())
    form = forms.MilestoneForm(request.POST, indicators=indicators)
    if not form.is_valid() or not form.cleaned_data.get("title"):
        messages.error(request, _("Give the milestone's title, deliverable and due date."))
        return redirect("grants:application", pk=contract.application_id)
    spec = form.spec()
    return run_button(
        request,
        lambda: services.milestone_add(actor=request.user, contract=contract, spec=spec),
        _("The milestone is added."),
        "grants:application",
        contract.application_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def final_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.FinalEvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.final_evaluation_record(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The final evaluation is recorded."))
            return redirect("grants:application", pk=contract.application_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "grants/final_evaluation.html", {"contract": contract, "form": form}, status=status
    )
