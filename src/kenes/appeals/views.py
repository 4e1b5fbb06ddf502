"""Pages of appeals: submitting (with a preview of where it goes), "my appeals", the appeal with its
consideration (state, deadline, working days left, timeline, response, rating and contest forms,
and the officials' actions, which are the hearing loop's pages), the public register of published
appeals, attachment downloads and co-signing.

Appeals a person may not see are 404; the public page of a published appeal never shows the
author, the organisation, the co-signers or the attachments.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest, paginate
from kenes.common.views import message_refusal
from kenes.obligations import selectors as obligation_selectors
from kenes.obligations.forms import ContestForm, RateForm

from . import rules as appeal_rules
from . import selectors, services
from .forms import AppealForm, CosignForm, MyAppealsFilterForm, PublicFilterForm
from .models import Appeal

#: Officials' actions on the current obligation: (permission, anchor on the obligation's page, label).
OFFICIAL_ACTIONS = (
    ("obligations.respond_obligation", "respond"),
    ("obligations.assign_obligation", "assign"),
    ("obligations.extend_obligation", "extend"),
    ("obligations.redirect_obligation", "redirect"),
)


def _can(request: HttpRequest, perm: str, obj: Any = None) -> bool:
    return bool(request.user.has_perm(perm, obj))


def _visible(request: HttpRequest, pk: int) -> Appeal:
    appeal = selectors.appeal_get(pk)
    if not _can(request, "appeals.view_appeal", appeal):
        raise Http404("No such appeal.")
    return appeal


# --- submitting ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if not _can(request, "appeals.submit_appeal"):
        raise PermissionDenied("appeals.submit_appeal")
    form = AppealForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    preview = None
    if request.method == "POST":
        preview = form.preview()
        if "preview" not in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                appeal = services.appeal_submit(
                    actor=request.user,
                    kind=data["kind"],
                    addressee=data["addressee"],
                    territory=data["territory"],
                    topic=data["topic"],
                    subject=data["subject"],
                    text=data["text"],
                    language=data["language"],
                    on_behalf_of=data["on_behalf_of"],
                    is_collective=data["is_collective"],
                    is_public=data["is_public"],
                    attachments=data["attachments"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your appeal has been registered under No. %(number)s.") % {"number": appeal.number},
                )
                return redirect("appeals:detail", pk=appeal.pk)
        if "preview" not in request.POST:
            status = 400
    context = {"form": form, "preview": preview}
    return render(request, "appeals/submit.html", context, status=status)


# --- lists --------------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    form = MyAppealsFilterForm(request.GET)
    page = paginate(
        selectors.appeal_list_mine(request.user, **form.filters()), PageRequest.from_params(request.GET)
    )
    rows = _rows(page.object_list)
    return render(request, "appeals/mine.html", {"form": form, "page": page, "rows": rows})


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET)
    page = paginate(selectors.appeal_list_public(**form.filters()), PageRequest.from_params(request.GET))
    rows = _rows(page.object_list)
    return render(request, "appeals/list.html", {"form": form, "page": page, "rows": rows})


def _rows(appeals: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for appeal in selectors.with_current(appeals):
        current = appeal.current  # type: ignore[attr-defined]
        rows.append(
            {"appeal": appeal, "obligation": current, **obligation_selectors.time_left(current, today)}
        )
    return rows


# --- the appeal ---------------------------------------------------------------------------------


def _rate_form(request: HttpRequest, consideration: selectors.Consideration) -> RateForm | None:
    response = consideration.response
    if response is None or not _can(request, "obligations.rate_response", response):
        return None
    rating = consideration.rating
    initial = {"score": rating.score, "comment": rating.comment} if rating is not None else None
    return RateForm(initial=initial, auto_id="rate_%s")


def _contest_form(request: HttpRequest, consideration: selectors.Consideration) -> ContestForm | None:
    response = consideration.response
    if response is None or consideration.contest is not None:
        return None
    if response.organization.supervising_body_id is None:
        return None
    if not _can(request, "obligations.contest_response", response):
        return None
    return ContestForm(auto_id="contest_%s")


def _official_actions(request: HttpRequest, current: Any) -> list[str]:
    if current is None or not current.is_live:
        return []
    return [anchor for perm, anchor in OFFICIAL_ACTIONS if _can(request, perm, current)]


def _render_detail(
    request: HttpRequest, appeal: Appeal, insider: bool, extra: dict[str, Any] | None = None
) -> HttpResponse:
    consideration = selectors.consideration(appeal)
    current = consideration.current
    today = timezone.localdate()
    is_author = appeal_rules.is_author.test(request.user, appeal)
    context = {
        "appeal": appeal,
        "insider": insider,
        "is_author": is_author,
        "attachments": list(appeal.attachments.all())
        if _can(request, "appeals.view_attachment", appeal)
        else [],
        "consideration": consideration,
        "obligation": current,
        **obligation_selectors.time_left(current, today),
        "timeline": obligation_selectors.subject_timeline(appeal, user=request.user),
        "rate_form": _rate_form(request, consideration),
        "contest_form": _contest_form(request, consideration),
        "can_withdraw": current is not None and _can(request, "obligations.withdraw_obligation", current),
        "official_actions": _official_actions(request, current),
        "can_publish": is_author,
        "can_share": is_author and appeal.is_collective and current is not None and current.is_live,
        **(extra or {}),
    }
    return render(request, "appeals/detail.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get(pk)
    # ``view_appeal`` is ``is_published | is_insider``: test the insider once, the page needs it too.
    insider = appeal_rules.is_insider.test(request.user, appeal)
    if not insider and not _can(request, "appeals.view_appeal", appeal):
        raise Http404("No such appeal.")
    return _render_detail(request, appeal, insider)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _visible(request, pk)
    if not _can(request, "appeals.publish_appeal", appeal):
        raise PermissionDenied("appeals.publish_appeal")
    if request.POST.get("action") == "unpublish":
        services.appeal_unpublish(actor=request.user, appeal=appeal)
        messages.success(request, _("Your appeal is private again."))
    else:
        services.appeal_publish(actor=request.user, appeal=appeal)
        messages.success(request, _("Your appeal is published without your name."))
    return redirect("appeals:detail", pk=appeal.pk)


@login_required
@require_POST
def cosign_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A new co-signing link, shown once on the appeal's page (only its digest is kept)."""
    appeal = _visible(request, pk)
    if not _can(request, "appeals.change_appeal", appeal):
        raise PermissionDenied("appeals.change_appeal")
    try:
        token = services.appeal_cosign_link(actor=request.user, appeal=appeal)
    except ValidationError as exc:
        message_refusal(request, exc)
        return redirect("appeals:detail", pk=appeal.pk)
    link = request.build_absolute_uri(reverse("appeals:cosign", args=[appeal.pk, token]))
    return _render_detail(request, appeal, True, {"cosign_link": link})  # the author is an insider


@require_http_methods(["GET", "POST"])
def cosign(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """GET: the appeal to co-sign (the link is the permission to read it); POST: join it."""
    appeal = selectors.appeal_get(pk)
    try:
        services.check_cosign_token(appeal, token)
    except ValidationError as exc:
        raise Http404("No such co-signing link.") from exc
    form = CosignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if not _can(request, "appeals.cosign_appeal", appeal):
            raise PermissionDenied("appeals.cosign_appeal")
        if form.is_valid():
            try:
                services.appeal_cosign(actor=request.user, appeal=appeal, token=token)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("You have co-signed the appeal."))
                return redirect("appeals:detail", pk=appeal.pk)
        status = 400
    context = {
        "appeal": appeal,
        "form": form,
        "token": token,
        "is_author": appeal_rules.is_author.test(request.user, appeal),
    }
    return render(request, "appeals/cosign.html", context, status=status)


# --- files --------------------------------------------------------------------------------------


@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    appeal = _visible(request, pk)
    if not _can(request, "appeals.view_attachment", appeal):
        raise Http404("No such file.")
    item = next((a for a in appeal.attachments.all() if a.pk == attachment_pk), None)
    if item is None or not item.file:
        raise Http404("No such file.")
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
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
