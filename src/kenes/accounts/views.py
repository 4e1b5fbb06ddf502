"""The person's own pages under /<lang>/me/ (allauth serves sign-in, e-mail, password and 2FA)."""

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest

from . import selectors, services
from .forms import ApiTokenForm, DeleteAccountForm, DemographicsForm, ProfileForm, VerifyIdentityForm
from .models import User, VerificationLevel


def _me(request: HttpRequest) -> User:
    """The signed-in person (the views below are all behind login_required)."""
    return cast(User, request.user)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    initial = {
        "display_name": user.display_name,
        "language": user.language,
        "home_territory": user.home_territory.code if user.home_territory else None,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            language = form.cleaned_data["language"]
            messages.success(request, _("Your profile has been saved."))
            return redirect(translate_url(reverse("accounts:profile"), language))
    context = {
        "form": form,
        "levels": VerificationLevel,
        "verifications": selectors.verifications_for_user(user=user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def demographics(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    current = selectors.demographics_for_user(user=user)
    if request.method == "POST" and "remove" in request.POST:
        services.demographics_remove(actor=user, user=user)
        messages.success(request, _("Your answers have been deleted."))
        return redirect("accounts:demographics")
    initial = {}
    if current is not None:
        initial = {f: getattr(current, f) for f in ("birth_year", "gender", "education", "settlement")}
    form = DemographicsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.demographics_set(actor=user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your answers have been saved."))
            return redirect("accounts:demographics")
    return render(
        request,
        "accounts/demographics.html",
        {"form": form, "current": current, "consent_version": services.CONSENT_VERSION},
    )


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "accounts/export.html")
    data = services.user_export_data(actor=_me(request), user=_me(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"kenes-account-{_me(request).pk}-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = DeleteAccountForm(request.POST or None, expected_email=user.email)
    if request.method == "POST" and form.is_valid():
        services.user_delete(actor=user, user=user)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("common:home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(actor=_me(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": selectors.api_token_list_for_user(user=_me(request)),
        "now": timezone.now(),
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get_for_user(user=_me(request), pk=pk)
    if token is None:
        raise Http404
    services.api_token_revoke(actor=_me(request), token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:tokens")


@login_required
@permission_required("accounts.verify_identity", raise_exception=True)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = selectors.user_by_email(email=form.cleaned_data["email"])
        if person is None:
            form.add_error("email", _("No account has this e-mail address."))
        else:
            try:
                services.user_verify_identity(
                    actor=_me(request),
                    user=person,
                    provider_key=form.cleaned_data["provider"],
                    identity_number=form.cleaned_data["identity_number"] or None,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The person's identity has been verified."))
                return redirect("accounts:verify")
    page = selectors.verification_list_recent(page_request=PageRequest.from_params(request.GET))
    return render(request, "accounts/verify.html", {"form": form, "page": page})
