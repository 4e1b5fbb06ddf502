from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest, paginate

from . import registry, selectors, services
from .forms import AppealForm, DecideForm, QueueFilterForm, ReportForm, ResolveAppealForm
from .models import Appeal, Decision

DECIDE: dict[str, Callable[..., Decision]] = {
    Decision.Action.HIDE: services.decision_hide,
    Decision.Action.DISMISS: services.decision_dismiss,
    Decision.Action.RESTORE: services.decision_restore,
}
DECIDED_MESSAGES = {
    Decision.Action.HIDE: gettext_lazy(
        "The content is hidden. Its author has been told why and how to appeal."
    ),
    Decision.Action.DISMISS: gettext_lazy("The reports have been dismissed."),
    Decision.Action.RESTORE: gettext_lazy("The content is visible again."),
}


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("moderation.view_queue"):
        raise PermissionDenied("moderation.view_queue")
    form = QueueFilterForm(request.GET)
    state = form.state_value()
    page, entries = selectors.queue_page(
        user=request.user, state=state, page_request=PageRequest.from_params(request.GET)
    )
    context = {"form": form, "state": state, "page": page, "entries": entries}
    return render(request, "moderation/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    entry = registry.get_for_label(label)
    content = registry.resolve(label, pk)
    if not entry.is_visible_to(request.user, content):
        raise Http404("No such content.")
    if not request.user.has_perm("moderation.add_report", content):
        raise PermissionDenied("moderation.add_report")
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_create(actor=request.user, content=content, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you; moderators will look at it."))
                return redirect(entry.url_of(content) or "common:home")
        status = 400
    else:
        form = ReportForm()
    context = {
        "form": form,
        "content": content,
        "title": entry.title_of(content),
        "content_url": entry.url_of(content),
        "already_reported": selectors.report_of(content, request.user) is not None,
    }
    return render(request, "moderation/report.html", context, status=status)


def _moderated_content(request: HttpRequest, label: str, pk: str) -> Any:
    """The content, if the user moderates it; 404 for anyone else (they may not see the reports)."""
    content = registry.resolve(label, pk)
    if not request.user.has_perm("moderation.decide_content", content):
        raise Http404("No such item.")
    return content


def _item_page(
    request: HttpRequest,
    content: Any,
    decide_form: DecideForm | None = None,
    resolve_form: ResolveAppealForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = selectors.item_history(content)
    resolve_forms = []
    for appeal in history.appeals:
        if appeal.is_open:
            form = resolve_form if resolve_form and resolve_form.appeal_id == appeal.pk else None
            can_resolve = request.user.has_perm("moderation.resolve_appeal", appeal)
            resolve_forms.append((appeal, form or ResolveAppealForm(appeal_id=appeal.pk), can_resolve))
    context = {
        "history": history,
        "reports_page": paginate(selectors.item_reports(content), PageRequest.from_params(request.GET)),
        "decide_form": decide_form or DecideForm(),
        "resolve_forms": resolve_forms,
        "closed_appeals": [a for a in history.appeals if not a.is_open],
    }
    return render(request, "moderation/item.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    content = _moderated_content(request, label, pk)
    if request.method != "POST":
        return _item_page(request, content)
    form = DecideForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            DECIDE[action](actor=request.user, content=content, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, DECIDED_MESSAGES[action])
            return redirect("moderation:item", label=registry.label_of(content), pk=content.pk)
    return _item_page(request, content, decide_form=form, status=400)


@login_required
@require_POST
def appeal_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get(pk)
    content = appeal.decision.content
    if content is None or not registry.is_registered(content):
        raise Http404("No such appeal.")
    if not request.user.has_perm("moderation.decide_content", content):
        raise Http404("No such appeal.")
    form = ResolveAppealForm(request.POST, appeal_id=appeal.pk)
    if form.is_valid():
        uphold = form.cleaned_data["outcome"] == "uphold"
        try:
            services.appeal_resolve(
                actor=request.user, appeal=appeal, uphold=uphold, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if uphold:
                messages.success(request, _("The decision is upheld. The author has been told why."))
            else:
                messages.success(request, _("The decision is reversed and the content is visible again."))
            return redirect("moderation:item", label=registry.label_of(content), pk=content.pk)
    return _item_page(request, content, resolve_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's page about a hide decision: the published reason and the appeal form."""
    decision = selectors.decision_get(pk)
    content = decision.content
    if content is None or not request.user.has_perm("moderation.add_appeal", decision):
        raise Http404("No such decision.")
    existing: Appeal | None = selectors.appeal_of(decision)
    status = 200
    form = AppealForm()
    if request.method == "POST" and existing is None:
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                services.appeal_create(actor=request.user, decision=decision, text=form.cleaned_data["text"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your appeal has been sent. Another moderator will consider it."))
                return redirect("moderation:appeal", pk=decision.pk)
        status = 400
    entry = registry.entry_for(content)
    context = {
        "decision": decision,
        "appeal": existing,
        "form": form,
        "title": entry.title_of(content),
        "content_url": entry.url_of(content),
        "in_force": selectors.decision_in_force(content) == decision,
    }
    return render(request, "moderation/appeal.html", context, status=status)
