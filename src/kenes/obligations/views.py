"""Pages of the hearing loop: the public register and obligation pages, the officials' inbox,
accountability figures, commitments, and one POST view per action (each calls one service).

Private obligations are answered with 404 to people who may not see them; people who may see an
obligation but not act on it get 403.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest, paginate

from . import selectors, services
from .forms import (
    AssignForm,
    CommitmentForm,
    ContestForm,
    DeliverForm,
    EvidenceForm,
    ExtendForm,
    InboxFilterForm,
    RateForm,
    RedirectForm,
    RegisterFilterForm,
    RespondForm,
    WithdrawForm,
)
from .models import Evidence, Obligation, Response, ResponseAttachment

VIEW = "obligations.view_obligation"

#: Form key → (form class, permission, whether the permission's object is the response).
ACTIONS: dict[str, tuple[type[forms.Form], str, bool]] = {
    "respond": (RespondForm, "obligations.respond_obligation", False),
    "extend": (ExtendForm, "obligations.extend_obligation", False),
    "redirect": (RedirectForm, "obligations.redirect_obligation", False),
    "assign": (AssignForm, "obligations.assign_obligation", False),
    "withdraw": (WithdrawForm, "obligations.withdraw_obligation", False),
    "rate": (RateForm, "obligations.rate_response", True),
    "contest": (ContestForm, "obligations.contest_response", True),
    "commitment": (CommitmentForm, "obligations.add_commitment", True),
}
NEEDS_OBLIGATION = {"redirect", "assign"}


def _visible(request: HttpRequest, pk: int) -> selectors.ObligationDetail:
    detail = selectors.obligation_detail(pk)
    if not request.user.has_perm(VIEW, detail.obligation):
        raise Http404("No such obligation.")
    return detail


def _make_form(
    key: str, obligation: Obligation, data: Any = None, files: Any = None, **kw: Any
) -> forms.Form:
    form_class = ACTIONS[key][0]
    if key in NEEDS_OBLIGATION:
        kw["obligation"] = obligation
    kw.setdefault("auto_id", f"{key}_%s")  # several forms on one page: unique ids
    return form_class(data, files, **kw)


def _allowed(request: HttpRequest, key: str, detail: selectors.ObligationDetail) -> bool:
    _form_class, perm, on_response = ACTIONS[key]
    target: Any = detail.response if on_response else detail.obligation
    if target is None:
        return False
    return bool(request.user.has_perm(perm, target))


def _response(detail: selectors.ObligationDetail) -> Response:
    if detail.response is None:  # the permission checks already need a response
        raise Http404("No answer yet.")
    return detail.response


def _rate_initial(detail: selectors.ObligationDetail) -> dict[str, Any]:
    rating = selectors.rating_of(detail.response)
    return {"score": rating.score, "comment": rating.comment} if rating else {}


def _render_detail(
    request: HttpRequest,
    detail: selectors.ObligationDetail,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    obligation = detail.obligation
    action_forms: dict[str, forms.Form] = {}
    for key in ACTIONS:
        if bound and key in bound:
            action_forms[key] = bound[key]
        elif _allowed(request, key, detail):
            initial = _rate_initial(detail) if key == "rate" else None
            action_forms[key] = _make_form(key, obligation, initial=initial)
    context = {
        "obligation": obligation,
        "detail": detail,
        "response": detail.response,
        "rating": selectors.rating_of(detail.response),
        "timeline": selectors.obligation_timeline(obligation, user=request.user),
        **selectors.time_left(obligation, timezone.localdate()),
        "forms": action_forms,
        "can_change_commitments": bool(detail.commitments)
        and request.user.has_perm("obligations.change_commitment", detail.commitments[0]),
    }
    return render(request, "obligations/detail.html", context, status=status)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    key: str,
    run: Callable[[forms.Form, selectors.ObligationDetail], Any],
    success: str,
    target: Callable[[Any, selectors.ObligationDetail], Any] | None = None,
) -> HttpResponse:
    """Check the permission, validate the action's form, call the one service, redirect or re-render."""
    detail = _visible(request, pk)
    if not _allowed(request, key, detail):
        raise PermissionDenied(ACTIONS[key][1])
    form = _make_form(key, detail.obligation, request.POST, request.FILES)
    if form.is_valid():
        try:
            result = run(form, detail)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            if target is not None:
                return redirect(*target(result, detail))
            return redirect("obligations:detail", pk=detail.obligation.pk)
    return _render_detail(request, detail, {key: form}, status=400)


def _new_obligation_if_visible(request: HttpRequest) -> Callable[[Any, selectors.ObligationDetail], Any]:
    """Where to go after an action that opens an obligation of another body (forwarding, contest):
    there only if this person may see it (a private appeal's is not visible to the forwarding
    official); otherwise stay on this one."""

    def target(new: Any, detail: selectors.ObligationDetail) -> tuple[str, int]:
        visible = request.user.has_perm("obligations.view_obligation", new)
        return ("obligations:detail", new.pk if visible else detail.obligation.pk)

    return target


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        data = form.cleaned_data
        return services.obligation_respond(
            actor=request.user,
            obligation=detail.obligation,
            decision=data["decision"],
            reasons=data["reasons"],
            attachments=data["attachments"],
        )

    return _act(request, pk, "respond", run, _("The answer has been published."))


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        data = form.cleaned_data
        return services.obligation_extend(
            actor=request.user,
            obligation=detail.obligation,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
        )

    return _act(request, pk, "extend", run, _("The deadline has been extended and the author told."))


@login_required
@require_POST
def redirect_to_body(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        data = form.cleaned_data
        return services.obligation_redirect(
            actor=request.user,
            obligation=detail.obligation,
            to_organization=data["to_organization"],
            reason=data["reason"],
        )

    return _act(
        request,
        pk,
        "redirect",
        run,
        _("The obligation has been forwarded to the competent body and the author told."),
        target=_new_obligation_if_visible(request),
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        return services.obligation_assign(
            actor=request.user, obligation=detail.obligation, officer=form.cleaned_data["officer"]
        )

    return _act(request, pk, "assign", run, _("The officer has been assigned."))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        return services.obligation_withdraw(
            actor=request.user, obligation=detail.obligation, reason=form.cleaned_data["reason"]
        )

    return _act(request, pk, "withdraw", run, _("You have withdrawn your submission."))


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        data = form.cleaned_data
        return services.response_rate(
            actor=request.user, response=_response(detail), score=data["score"], comment=data["comment"]
        )

    return _act(request, pk, "rate", run, _("Thank you: your rating has been saved."))


@login_required
@require_POST
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        return services.response_contest(
            actor=request.user, response=_response(detail), reason=form.cleaned_data["reason"]
        )

    return _act(
        request,
        pk,
        "contest",
        run,
        _("Your objection has been sent to the supervising body, which must answer it."),
        target=_new_obligation_if_visible(request),
    )


@login_required
@require_POST
def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    def run(form: forms.Form, detail: selectors.ObligationDetail) -> Any:
        assert isinstance(form, CommitmentForm)
        data = form.cleaned_data
        return services.commitment_create(
            actor=request.user,
            response=_response(detail),
            title=data["title"],
            description=data["description"],
            milestones=form.milestones(),
        )

    return _act(
        request,
        pk,
        "commitment",
        run,
        _("The commitment has been published."),
        target=lambda commitment, _detail: ("obligations:commitment", commitment.pk),
    )


# --- commitments --------------------------------------------------------------------------------


def _visible_commitment(request: HttpRequest, pk: int) -> Any:
    commitment = selectors.commitment_get(pk)
    if not request.user.has_perm(VIEW, commitment.response.obligation):
        raise Http404("No such commitment.")
    return commitment


def _render_commitment(
    request: HttpRequest,
    commitment: Any,
    bound: dict[tuple[str, int], forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    milestones = list(commitment.milestones.all())
    can_change = request.user.has_perm("obligations.change_commitment", commitment)
    bound = bound or {}
    rows = [
        {
            "milestone": m,
            "is_overdue": m.status == m.Status.OVERDUE or (m.status == m.Status.PENDING and m.due_on < today),
            "deliver_form": bound.get(("deliver", m.pk))
            or (DeliverForm(auto_id=f"deliver{m.pk}_%s") if can_change else None),
            "evidence_form": bound.get(("evidence", m.pk))
            or (EvidenceForm(auto_id=f"evidence{m.pk}_%s") if can_change else None),
        }
        for m in milestones
    ]
    delivered = sum(1 for m in milestones if m.status == m.Status.DELIVERED)
    context = {
        "commitment": commitment,
        "obligation": commitment.response.obligation,
        "rows": rows,
        "delivered": delivered,
        "total": len(milestones),
        "progress": round(100 * delivered / len(milestones)) if milestones else None,
        "can_change": can_change,
    }
    return render(request, "obligations/commitment.html", context, status=status)


@require_GET
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_commitment(request, _visible_commitment(request, pk))


def _milestone_action(
    request: HttpRequest,
    pk: int,
    key: str,
    form_class: type[forms.Form],
    run: Callable[..., Any],
    success: str,
) -> HttpResponse:
    milestone = selectors.milestone_get(pk)
    commitment = _visible_commitment(request, milestone.commitment_id)
    if not request.user.has_perm("obligations.change_commitment", commitment):
        raise PermissionDenied("obligations.change_commitment")
    form = form_class(request.POST, request.FILES, auto_id=f"{key}{milestone.pk}_%s")
    if form.is_valid():
        try:
            run(milestone, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("obligations:commitment", pk=commitment.pk)
    return _render_commitment(request, commitment, {(key, milestone.pk): form}, status=400)


@login_required
@require_POST
def milestone_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    def run(milestone: Any, data: dict[str, Any]) -> Any:
        return services.milestone_deliver(actor=request.user, milestone=milestone, note=data["note"])

    return _milestone_action(
        request, pk, "deliver", DeliverForm, run, _("The milestone has been marked as delivered.")
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(milestone: Any, data: dict[str, Any]) -> Any:
        return services.evidence_add(
            actor=request.user, milestone=milestone, description=data["description"], file=data["file"]
        )

    return _milestone_action(request, pk, "evidence", EvidenceForm, run, _("The evidence has been added."))


# --- files --------------------------------------------------------------------------------------


def _download(field_file: Any, name: str, content_type: str) -> FileResponse:
    if not field_file:
        raise Http404("No file.")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("No file.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or "download",
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(ResponseAttachment.objects.select_related("response__obligation"), pk=pk)
    if not request.user.has_perm(VIEW, item.response.obligation):
        raise Http404("No such file.")
    return _download(item.file, item.name, item.content_type)


@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(
        Evidence.objects.select_related("milestone__commitment__response__obligation"), pk=pk
    )
    if not request.user.has_perm(VIEW, item.milestone.commitment.response.obligation):
        raise Http404("No such file.")
    return _download(item.file, item.name, item.content_type)


# --- lists --------------------------------------------------------------------------------------


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET)
    queryset = selectors.obligation_list_public(**form.filters())
    page = paginate(queryset, PageRequest.from_params(request.GET))
    return render(request, "obligations/list.html", {"form": form, "page": page})


@login_required
@require_GET
def inbox(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = selectors.organization_get(organization_pk)
    if not request.user.has_perm("obligations.view_inbox", organization):
        raise PermissionDenied("obligations.view_inbox")
    form = InboxFilterForm(request.GET, organization=organization)
    today = timezone.localdate()
    queryset = selectors.inbox(organization=organization, today=today, **form.filters())
    page = paginate(queryset, PageRequest.from_params(request.GET))
    rows = [
        {"obligation": obligation, **selectors.time_left(obligation, today)}
        for obligation in page.object_list
    ]
    context = {"organization": organization, "form": form, "page": page, "rows": rows}
    return render(request, "obligations/inbox.html", context)


@login_required
@require_GET
def my_inboxes(request: HttpRequest) -> HttpResponse:
    organizations = list(selectors.inbox_organizations(request.user))
    return render(request, "obligations/my_inboxes.html", {"organizations": organizations})


# --- accountability -----------------------------------------------------------------------------


@require_GET
def accountability_organization(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(pk)
    context = {
        "organization": organization,
        "figures": selectors.accountability_for_organization(organization),
        "register_query": f"organization={organization.pk}",
    }
    return render(request, "obligations/accountability.html", context)


@require_GET
def accountability_territory(request: HttpRequest, code: str) -> HttpResponse:
    territory = selectors.territory_by_code(code)
    context = {
        "territory": territory,
        "figures": selectors.accountability_for_territory(territory),
        "register_query": f"territory={territory.code}",
    }
    return render(request, "obligations/accountability.html", context)
