from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kenes.common.pagination import PageRequest, paginate

from . import registry, selectors, services
from .forms import FollowForm, NextForm, PreferenceForm


def _safe_next(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """``candidate`` if it is a local path on this site, else ``fallback`` (no open redirects)."""
    if (
        candidate
        and candidate.startswith("/")
        and not candidate.startswith("//")
        and "\\" not in candidate
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
    ):
        return candidate
    return fallback


def _centre_url() -> str:
    return reverse("notifications:centre")


@login_required
@require_GET
def centre(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.notification_list(request.user), PageRequest.from_params(request.GET))
    context = {"page": page, "unread": selectors.unread_count(request.user)}
    return render(request, "notifications/centre.html", context)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:centre")


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go where it points (only ever a path on this site)."""
    notification = selectors.notification_of(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = services.localized_path(notification.url, get_language()) if notification.url else ""
    return redirect(_safe_next(request, target, _centre_url()))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_of(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    form = NextForm(request.POST)
    next_url = form.cleaned_data["next"] if form.is_valid() else ""
    return redirect(_safe_next(request, next_url, _centre_url()))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_update(actor=request.user, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial={"email_enabled": preference.email_enabled, "digest_enabled": preference.digest_enabled}
        )
    return render(request, "notifications/preferences.html", {"form": form})


def _follow_target(request: HttpRequest) -> tuple[Model, str]:
    """The posted subject (404 unless its model is followable and it exists) and where to go next."""
    form = FollowForm(request.POST)
    if not form.is_valid():
        raise Http404("No such subject.")
    followable = registry.get_followable(form.cleaned_data["content_type"])
    if followable is None:
        raise Http404("This cannot be followed.")
    subject = followable.model._default_manager.filter(pk=form.cleaned_data["object_id"]).first()
    if subject is None:
        raise Http404("No such subject.")
    get_url: Any = getattr(subject, "get_absolute_url", None)
    fallback = get_url() if callable(get_url) else _centre_url()
    return subject, _safe_next(request, form.cleaned_data["next"], fallback)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    subject, next_url = _follow_target(request)
    if not request.user.has_perm("notifications.follow_subject", subject):
        raise Http404("No such subject.")  # not 403: they may not even see it
    try:
        services.follow(actor=request.user, subject=subject)
    except PermissionDenied as exc:
        raise Http404("No such subject.") from exc
    messages.success(request, _("You are following this now. You will be notified when something happens."))
    return redirect(next_url)


@login_required
@require_POST
def unfollow(request: HttpRequest) -> HttpResponse:
    subject, next_url = _follow_target(request)
    services.unfollow(actor=request.user, subject=subject)
    messages.success(request, _("You no longer follow this."))
    return redirect(next_url)


@csrf_exempt  # the signed token is the credential; also lets mail clients POST one-click (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET only explains (mail scanners follow links); POST unsubscribes."""
    target = selectors.unsubscribe_target(token)
    if target is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    context: dict[str, Any] = {
        "target": target,
        "subject": selectors.unsubscribe_subject(target),
        "preference": selectors.preference_of(target.user),
        "done": "",
    }
    if request.method == "POST":
        everything = request.POST.get("scope") == "all"
        try:
            services.unsubscribe(token=token, everything=everything)
        except ValidationError:
            return render(request, "notifications/unsubscribe_invalid.html", status=404)
        context["done"] = "all" if everything or not target.names_subject else "subject"
    return render(request, "notifications/unsubscribe.html", context)
