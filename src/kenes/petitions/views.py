"""Pages of e-petitions: the list with search and filters, a petition with its count, signing and
the body's answer, writing a petition (with likely duplicates shown before it goes to moderation),
the confirmation of an e-mail signature, the moderators' queue and held-back signatures, the
public signers and "my petitions".

Every POST view checks the permission, validates a form, calls ONE service, then redirects with a
message or re-renders with what the person typed. A petition that is not public is a 404 to people
who may not see it. Signing is ``signing.py``'s (the hot path); the rest is ``services.py``'s.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest, paginate
from kenes.common.views import message_refusal

from . import selectors, services, signing
from .forms import ModerateForm, PetitionFilterForm, PetitionForm, SignForm
from .models import Petition, Signature

State = Petition.State


def count_interval() -> int:
    """How often the counting job runs, in seconds (what the page tells its readers)."""
    return int(settings.PETITIONS_COUNT_INTERVAL_SECONDS)


def _can(request: HttpRequest, perm: str, obj: Any = None) -> bool:
    return bool(request.user.has_perm(perm, obj))


def _visible_petition(request: HttpRequest, pk: int) -> Petition:
    """The petition, or 404 to a person who may not see it (drafts, pending, rejected, hidden)."""
    petition = selectors.petition_get(pk)
    if not _can(request, "petitions.view_petition", petition):
        raise Http404("No such petition.")
    return petition


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- list ---------------------------------------------------------------------------------------


@require_GET
def petition_list(request: HttpRequest) -> HttpResponse:
    form = PetitionFilterForm(request.GET)
    page = paginate(selectors.petition_list(**form.filters()), PageRequest.from_params(request.GET))
    context = {
        "form": form,
        "page": page,
        "can_create": _can(request, "petitions.add_petition"),
        "can_moderate": _can(request, "petitions.moderate_petition", None),
    }
    return render(request, "petitions/list.html", context)


# --- detail -------------------------------------------------------------------------------------


def signature_state(signature: Signature | None, counted_until: Any) -> str:
    """What the signer is told about their own signature: ``counted`` (in the count shown),
    ``confirming`` (waiting for the e-mail link) or ``signed`` (accepted, not in the count shown
    yet). A signature held back by the rate limits reads as ``signed``, like any other: holding
    back is silent."""
    if signature is None:
        return ""
    if signature.confirmed_at is None:
        if signature.flagged_at is None and signature.confirm_token_hash:
            return "confirming"
        return "signed"
    if counted_until is not None and signature.confirmed_at <= counted_until:
        return "counted"
    return "signed"


def _render_detail(
    request: HttpRequest, petition: Petition, sign_form: SignForm | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    signature = signing.signature_for(user, petition) if user.is_authenticated else None
    is_open = petition.state == State.OPEN
    can_sign = is_open and signature is None and _can(request, "petitions.sign_petition", petition)
    can_change = _can(request, "petitions.change_petition", petition)
    can_moderate = petition.state == State.PENDING and _can(request, "petitions.moderate_petition", petition)
    similar: list[Petition] = []
    if can_change or can_moderate:  # likely duplicates, for the author before submitting and for moderators
        similar = selectors.similar_petitions(
            petition.title, petition.text, exclude_pk=petition.pk, include_pending=can_moderate
        )
    answer = selectors.petition_response(petition) if petition.threshold_reached_at else None
    context = {
        "petition": petition,
        "interval": count_interval(),
        "region_counts": selectors.region_counts(petition)
        if petition.state in (State.OPEN, State.CLOSED)
        else [],
        "signature": signature,
        "signature_state": signature_state(signature, selectors.counted_until()) if signature else "",
        "can_sign": can_sign,
        "needs_level": is_open and signature is None and user.is_authenticated and not can_sign,
        "can_withdraw": is_open and signature is not None,
        "sign_form": sign_form or SignForm(),
        "answer": answer,
        "can_change": can_change,
        "can_moderate": can_moderate,
        "similar": similar,
    }
    return render(request, "petitions/detail.html", context, status=status)


@require_GET
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_petition(request, pk))


# --- writing ------------------------------------------------------------------------------------


def _render_form(
    request: HttpRequest,
    form: PetitionForm,
    petition: Petition | None,
    similar: list[Any] | None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "petition": petition, "similar": similar, "checked": similar is not None}
    return render(request, "petitions/form.html", context, status=status)


def _write(request: HttpRequest, petition: Petition | None) -> HttpResponse:
    """Create (``petition`` None) or edit. A first POST ("Check") validates and shows the likely
    duplicates with what was typed; the POST of "Save the draft" writes it."""
    if request.method == "GET":
        return _render_form(request, PetitionForm(petition=petition), petition, None)
    form = PetitionForm(request.POST, petition=petition)
    if not form.is_valid():
        return _render_form(request, form, petition, None, status=400)
    values = form.values()
    similar = selectors.similar_petitions(
        values["title"], values["text"], exclude_pk=petition.pk if petition else None
    )
    if request.POST.get("action") != "save":
        return _render_form(request, form, petition, similar)
    try:
        if petition is None:
            petition = services.petition_create(actor=request.user, **values)
            messages.success(
                request, _("Your draft has been saved. Check it, then send it to the moderators.")
            )
        else:
            petition = services.petition_update(actor=request.user, petition=petition, **values)
            messages.success(request, _("Your changes have been saved."))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_form(request, form, petition, similar, status=400)
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    if not _can(request, "petitions.add_petition"):
        raise PermissionDenied("petitions.add_petition")
    return _write(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def petition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible_petition(request, pk)
    if not _can(request, "petitions.change_petition", petition):
        raise PermissionDenied("petitions.change_petition")
    return _write(request, petition)


@login_required
@require_POST
def petition_submit(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible_petition(request, pk)
    if not _can(request, "petitions.change_petition", petition):
        raise PermissionDenied("petitions.change_petition")
    try:
        services.petition_submit(actor=request.user, petition=petition)
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        messages.success(
            request,
            _(
                "Your petition has been sent to the moderators. "
                "You will be told when it opens for signatures."
            ),
        )
    return redirect("petitions:detail", pk=petition.pk)


# --- signing ------------------------------------------------------------------------------------


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible_petition(request, pk)
    if not _can(request, "petitions.sign_petition", petition):
        raise PermissionDenied("petitions.sign_petition")
    form = SignForm(request.POST)
    if not form.is_valid():  # pragma: no cover - a checkbox cannot be invalid
        return _render_detail(request, petition, sign_form=form, status=400)
    try:
        result = signing.signature_create(
            actor=request.user,
            petition=petition,
            show_name=form.cleaned_data["show_name"],
            ip_address=_client_ip(request),
        )
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        if result.needs_confirmation:
            messages.success(
                request,
                _(
                    "Almost done: we have sent you an e-mail. Your signature counts once you open the "
                    "link in it and confirm."
                ),
            )
        else:
            messages.success(
                request,
                ngettext(
                    "Thank you for signing. The count on this page is updated every %(seconds)d second.",
                    "Thank you for signing. The count on this page is updated every %(seconds)d seconds.",
                    count_interval(),
                )
                % {"seconds": count_interval()},
            )
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible_petition(request, pk)
    try:
        signing.signature_withdraw(actor=request.user, petition=petition)
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        messages.success(
            request, _("Your signature has been withdrawn. You can sign again while the petition is open.")
        )
    return redirect("petitions:detail", pk=petition.pk)


@require_http_methods(["GET", "POST"])
def signature_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button (mail scanners that follow links must not confirm); POST confirms."""
    if request.method == "GET":
        return render(request, "petitions/confirm.html", {"token": token})
    try:
        signature = signing.signature_confirm(token=token)
    except ValidationError as exc:
        return render(request, "petitions/confirm.html", {"token": token, "errors": exc.messages}, status=400)
    messages.success(request, _("Your signature is confirmed. Thank you."))
    return redirect("petitions:detail", pk=signature.petition_id)


# --- moderation ---------------------------------------------------------------------------------


def _render_queue(
    request: HttpRequest, failed: tuple[Petition, ModerateForm] | None = None, status: int = 200
) -> HttpResponse:
    """The queue page; ``failed`` is a petition whose decision did not go through, shown first
    (wherever it is in the queue) with the moderator's input and the errors."""
    page = paginate(selectors.moderation_queue(request.user), PageRequest.from_params(request.GET))
    rows = [
        {"petition": p, "form": ModerateForm(auto_id=f"moderate{p.pk}_%s")}
        for p in page
        if failed is None or p.pk != failed[0].pk
    ]
    if failed is not None:
        rows.insert(0, {"petition": failed[0], "form": failed[1]})
    return render(request, "petitions/moderation.html", {"page": page, "rows": rows}, status=status)


@login_required
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    if not _can(request, "petitions.moderate_petition", None):
        raise PermissionDenied("petitions.moderate_petition")
    return _render_queue(request)


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible_petition(request, pk)
    if not _can(request, "petitions.moderate_petition", petition):
        raise PermissionDenied("petitions.moderate_petition")
    form = ModerateForm(request.POST, auto_id=f"moderate{petition.pk}_%s")
    if form.is_valid():
        try:
            if form.approved:
                services.petition_approve(actor=request.user, petition=petition)
            else:
                services.petition_reject(
                    actor=request.user, petition=petition, reason=form.cleaned_data["reason"]
                )
        except ValidationError as exc:
            if petition.state != State.PENDING:  # decided meanwhile (the service reloaded it)
                message_refusal(request, exc)
                return redirect("petitions:moderation")
            add_service_errors(form, exc)
        else:
            if form.approved:
                message = _("“%(title)s” is open for signatures.")
            else:
                message = _("“%(title)s” has been sent back to its author with your reason.")
            messages.success(request, message % {"title": petition.title})
            return redirect("petitions:moderation")
    return _render_queue(request, (petition, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def held(request: HttpRequest) -> HttpResponse:
    """Signatures held back by the rate limits, of the petitions this person moderates."""
    if not _can(request, "petitions.moderate_petition", None):
        raise PermissionDenied("petitions.moderate_petition")
    if request.method == "POST":
        signature_id = request.POST.get("signature", "")
        signature = (
            selectors.held_signatures(request.user).filter(pk=int(signature_id)).first()
            if signature_id.isdigit()
            else None
        )
        if signature is None:
            raise Http404("No such held-back signature.")
        try:
            cleared = signing.signature_clear(actor=request.user, signature=signature)
        except ValidationError as exc:
            message_refusal(request, exc)
        else:
            if cleared.confirmed_at is not None:
                messages.success(request, _("The signature has been cleared: it counts from the next count."))
            else:
                messages.success(
                    request,
                    _(
                        "The signature has been cleared. The signer has been sent the confirmation "
                        "e-mail: it counts once they confirm."
                    ),
                )
        return redirect("petitions:held")
    page = paginate(selectors.held_signatures(request.user), PageRequest.from_params(request.GET))
    return render(request, "petitions/held.html", {"page": page})


# --- people -------------------------------------------------------------------------------------


@require_GET
def signers(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _visible_petition(request, pk)
    page = paginate(selectors.public_signers(petition), PageRequest.from_params(request.GET))
    return render(request, "petitions/signers.html", {"petition": petition, "page": page})


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.my_petitions(request.user), PageRequest.from_params(request.GET))
    return render(request, "petitions/mine.html", {"page": page})
