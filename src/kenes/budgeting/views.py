"""Pages of participatory budgeting: the list of processes, a process with its timeline and
proposals, proposing, a proposal with its support and review, the officials' review and merge, the
ballot (with a budget bar computed on the server: works without JavaScript), the results with an
explanation per project, the Pabulib export and the comparison of rules on an uploaded file.

Every POST view checks the permission, validates a form, calls ONE service, then redirects or
re-renders with what the person typed. Hidden proposals are 404 to people who may not moderate them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
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

from . import selectors, services
from .eligibility import voter_eligibility
from .forms import (
    BALLOT_FORMS,
    BallotForm,
    CompareForm,
    MergeForm,
    ProcessFilterForm,
    ProposalForm,
    ReviewForm,
    ballot_initial,
)
from .models import Process, Proposal

Phase = Process.Phase


def _can(request: HttpRequest, perm: str, obj: Any) -> bool:
    return bool(request.user.has_perm(perm, obj))


def _can_review(request: HttpRequest, process: Process) -> bool:
    """Officials of the responsible body (the rule looks at the proposal's process)."""
    return _can(request, "budgeting.review_proposal", process)


def _visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = selectors.proposal_get(pk)
    if not _can(request, "budgeting.view_proposal", proposal):
        raise Http404("No such proposal.")
    return proposal


# --- processes ----------------------------------------------------------------------------------


@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    form = ProcessFilterForm(request.GET)
    page = paginate(selectors.process_list_public(**form.filters()), PageRequest.from_params(request.GET))
    rows = [{"process": p, "phase": p.phase, "phase_label": selectors.PHASE_LABELS[p.phase]} for p in page]
    return render(request, "budgeting/list.html", {"form": form, "page": page, "rows": rows})


@require_GET
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(pk)
    phase = process.phase
    context = {
        "process": process,
        "phase": phase,
        "phase_label": selectors.PHASE_LABELS[phase],
        "rule_sentence": selectors.RULE_SENTENCES.get(process.rule, ""),
        "ballot_sentence": selectors.BALLOT_SENTENCES.get(process.ballot_type, ""),
        "eligibility": selectors.eligibility_sentences(process),
        "timeline": selectors.phase_timeline(process),
        "proposals": selectors.proposals_of(process),
        "can_propose": phase == Phase.PROPOSALS,
        "can_vote": phase == Phase.VOTING,
        "has_results": process.counted_at is not None or phase in (Phase.RESULTS, Phase.IMPLEMENTATION),
        "can_review": _can_review(request, process) and phase in (Phase.PROPOSALS, Phase.REVIEW),
    }
    return render(request, "budgeting/detail.html", context)


# --- proposals ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(pk)
    require_perm(request.user, "budgeting.add_proposal", process)
    form = ProposalForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.proposal_submit(
                    actor=request.user,
                    process=process,
                    title=data["title"],
                    description=data["description"],
                    estimated_cost=data["estimated_cost"],
                    category=data["category"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    images=form.images(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your proposal has been submitted for review."))
                return redirect("budgeting:proposal", pk=proposal.pk)
        status = 400
    context = {"process": process, "form": form, "is_open": process.phase == Phase.PROPOSALS}
    return render(request, "budgeting/propose.html", context, status=status)


def _render_proposal(
    request: HttpRequest, proposal: Proposal, merge_form: MergeForm | None = None, status: int = 200
) -> HttpResponse:
    process = proposal.process
    can_merge = _can(request, "budgeting.merge_proposal", proposal) and proposal.status in (
        selectors.AWAITING_REVIEW
    )
    if merge_form is None and can_merge:
        merge_form = MergeForm(targets=selectors.merge_targets(proposal))
    context = {
        "process": process,
        "proposal": proposal,
        "images": list(proposal.images.all()),
        "supported": selectors.has_supported(request.user, proposal),
        "can_support": _can(request, "budgeting.support_proposal", proposal)
        and process.phase in (Phase.PROPOSALS, Phase.REVIEW)
        and proposal.status in selectors.AWAITING_REVIEW,
        "obligation": selectors.review_obligation(proposal),
        "merge_form": merge_form,
    }
    return render(request, "budgeting/proposal.html", context, status=status)


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_proposal(request, _visible_proposal(request, pk))


@require_GET
def proposal_image(request: HttpRequest, pk: int, image_pk: int) -> FileResponse:
    proposal = _visible_proposal(request, pk)
    image = next((i for i in proposal.images.all() if i.pk == image_pk), None)
    if image is None or not image.file:
        raise Http404("No such image.")
    try:
        handle = image.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The image is missing.") from error
    return FileResponse(handle)


@login_required
@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require_perm(request.user, "budgeting.support_proposal", proposal)
    service: Callable[..., object] = services.proposal_support
    success = _("Thank you for your support.")
    if request.POST.get("action") == "unsupport":
        service, success = services.proposal_unsupport, _("You no longer support this proposal.")
    return run_button(
        request,
        lambda: service(actor=request.user, proposal=proposal),
        success,
        "budgeting:proposal",
        pk=proposal.pk,
    )


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    require_perm(request.user, "budgeting.merge_proposal", proposal)
    form = MergeForm(request.POST, targets=selectors.merge_targets(proposal))
    if form.is_valid():
        try:
            services.proposal_merge(
                actor=request.user,
                proposal=proposal,
                into=form.cleaned_data["into"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The proposal has been merged and its author told."))
            return redirect("budgeting:proposal", pk=proposal.pk)
    return _render_proposal(request, proposal, merge_form=form, status=400)


# --- review -------------------------------------------------------------------------------------


def _render_review(
    request: HttpRequest, process: Process, bound: dict[int, ReviewForm] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    rows = [
        {"proposal": p, "form": bound.get(p.pk) or ReviewForm(auto_id=f"review{p.pk}_%s")}
        for p in selectors.proposals_awaiting_review(process)
    ]
    return render(request, "budgeting/review.html", {"process": process, "rows": rows}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(pk)
    require_perm(request.user, "budgeting.review_proposal", process)
    if request.method == "GET":
        return _render_review(request, process)
    proposal_id = request.POST.get("proposal", "")
    proposal = next(
        (p for p in selectors.proposals_awaiting_review(process) if str(p.pk) == proposal_id), None
    )
    if proposal is None:
        raise Http404("No such proposal awaiting review.")
    form = ReviewForm(request.POST, auto_id=f"review{proposal.pk}_%s")
    if form.is_valid():
        try:
            services.proposal_review(
                actor=request.user,
                proposal=proposal,
                approved=form.approved,
                reasons=form.cleaned_data["reasons"],
                official_cost=form.cleaned_data["official_cost"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The decision on “%(title)s” has been published.") % {"title": proposal.title}
            )
            return redirect("budgeting:review", pk=process.pk)
    return _render_review(request, process, {proposal.pk: form}, status=400)


# --- voting -------------------------------------------------------------------------------------


def _ballot_form(process: Process, proposals: list[Any], data: Any = None, initial: Any = None) -> BallotForm:
    form_class = BALLOT_FORMS[process.ballot_type]
    return form_class(data, process=process, proposals=proposals, initial=initial)


@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(pk)
    context: dict[str, Any] = {"process": process, "is_open": process.phase == Phase.VOTING}
    if not request.user.is_authenticated:
        return render(request, "budgeting/vote.html", {**context, "login_needed": True})
    eligibility = voter_eligibility(voter=request.user, process=process)
    if not eligibility.eligible:
        return render(request, "budgeting/vote.html", {**context, "ineligible": eligibility.reason})
    proposals = selectors.ballot_proposals(process)
    existing = selectors.ballot_choices_of(voter=request.user, process=process)
    status = 200
    checked = False
    if request.method == "POST":
        require_perm(request.user, "budgeting.vote", process)
        form = _ballot_form(process, proposals, data=request.POST)
        checked = True
        if form.is_valid() and "cast" in request.POST:
            try:
                services.ballot_cast(actor=request.user, process=process, choices=form.choices())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your ballot has been saved. You can change it until voting closes.")
                )
                return redirect("budgeting:vote", pk=process.pk)
        if form.errors:
            status = 400
    else:
        form = _ballot_form(process, proposals, initial=ballot_initial(process, existing))
    context.update(
        {"form": form, "summary": form.summary(), "has_ballot": existing is not None, "checked": checked}
    )
    return render(request, "budgeting/vote.html", context, status=status)


# --- results ------------------------------------------------------------------------------------


def _result_rows(lines: list[Any], view: selectors.ResultView) -> list[dict[str, Any]]:
    return [
        {
            "line": line,
            "proposal": line.proposal,
            "facts": selectors.explanation_facts(line),
            "commitment": view.commitments.get(line.proposal_id),
        }
        for line in lines
    ]


@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(pk)
    can_count = _can(request, "budgeting.count_process", process)
    can_publish = _can(request, "budgeting.publish_results", process)
    published = process.results_published_at is not None
    view = selectors.result_of(process) if (published or can_publish) else None
    context = {
        "process": process,
        "view": view,
        "funded": _result_rows(view.funded, view) if view else [],
        "others": _result_rows(view.others, view) if view else [],
        "rule_sentence": selectors.RULE_SENTENCES.get(view.result.rule if view else process.rule, ""),
        "published": published,
        "can_count": can_count and view is None and process.phase == Phase.COUNTING,
        "can_publish": can_publish and view is not None and not published,
        "ballots": selectors.ballots_count(process) if can_count and view is None else None,
    }
    return render(request, "budgeting/results.html", context)


def _results_button(
    request: HttpRequest, pk: int, perm: str, service: Callable[..., object], success: str
) -> HttpResponse:
    """Count or publish (``service``) from the results page, for those holding ``perm`` on the process."""
    process = selectors.process_get(pk)
    require_perm(request.user, perm, process)
    return run_button(
        request,
        lambda: service(actor=request.user, process=process),
        success,
        "budgeting:results",
        pk=process.pk,
    )


@login_required
@require_POST
def count(request: HttpRequest, pk: int) -> HttpResponse:
    success = _("The votes have been counted. Check the result, then publish it.")
    return _results_button(request, pk, "budgeting.count_process", services.process_count, success)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    success = _("The results have been published.")
    return _results_button(request, pk, "budgeting.publish_results", services.results_publish, success)


# --- Pabulib ------------------------------------------------------------------------------------


@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(pk)
    if process.results_published_at is None:
        raise Http404("The results are not published yet.")
    response = HttpResponse(
        services.pabulib_export(process=process), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="kenes-budgeting-{process.pk}.pb"'
    return response


def _can_compare(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_staff or selectors.is_official(user))


@login_required
@require_http_methods(["GET", "POST"])
def compare(request: HttpRequest) -> HttpResponse:
    if not _can_compare(request):
        raise PermissionDenied("budgeting.compare")
    form = CompareForm(request.POST or None, request.FILES or None)
    comparisons = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                comparisons = services.pabulib_compare(text=form.cleaned_data["file"])
            except ValidationError as exc:
                add_service_errors(form, exc)
        if form.errors:
            status = 400
    return render(
        request, "budgeting/compare.html", {"form": form, "comparisons": comparisons}, status=status
    )
