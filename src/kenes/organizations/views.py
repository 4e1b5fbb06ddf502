from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kenes.common.forms import add_service_errors
from kenes.common.pagination import PageRequest, paginate

from . import selectors, services
from .forms import DirectoryFilterForm, InviteForm, OrganizationEditForm, RoleForm
from .models import Invitation, Membership, Organization


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    queryset = selectors.organization_directory(**form.filters())
    page = paginate(queryset, PageRequest.from_params(request.GET))
    return render(request, "organizations/directory.html", {"form": form, "page": page})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    info = selectors.organization_detail(pk)
    organization = info.organization
    context = {
        "organization": organization,
        "info": info,
        "members_page": paginate(info.members, PageRequest.from_params(request.GET)),
        "own_membership": selectors.membership_of(organization, request.user),
        "can_change": request.user.has_perm("organizations.change_organization", organization),
        "can_manage": request.user.has_perm("organizations.manage_membership", organization),
    }
    return render(request, "organizations/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(pk)
    _require(request, "organizations.change_organization", organization)
    if request.method == "POST":
        form = OrganizationEditForm(request.POST)
        if form.is_valid():
            try:
                services.organization_update(
                    actor=request.user,
                    organization=organization,
                    sectors=form.cleaned_data["sectors"],
                    **form.changes(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The organisation has been updated."))
                return redirect("organizations:detail", pk=organization.pk)
    else:
        form = OrganizationEditForm(initial=OrganizationEditForm.initial_for(organization))
    return render(request, "organizations/edit.html", {"organization": organization, "form": form})


def _members_page(
    request: HttpRequest, organization: Organization, invite_form: InviteForm, status: int = 200
) -> HttpResponse:
    members_page = paginate(
        selectors.organization_members(organization), PageRequest.from_params(request.GET)
    )
    context = {
        "organization": organization,
        "members_page": members_page,
        "invitations": list(selectors.open_invitations(organization)),
        "invite_form": invite_form,
        "role_choices": Membership.Role.choices,
    }
    return render(request, "organizations/members.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(pk)
    _require(request, "organizations.manage_membership", organization)
    if request.method != "POST":
        return _members_page(request, organization, InviteForm())
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.membership_invite(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect("organizations:members", pk=organization.pk)
    return _members_page(request, organization, form, status=400)


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("organization"), pk=membership_id, organization_id=pk
    )
    _require(request, "organizations.manage_membership", membership.organization)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("The role has been changed."))
    return redirect("organizations:members", pk=pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("organization"), pk=membership_id, organization_id=pk
    )
    leaving = membership.user_id == request.user.pk
    if not leaving:
        _require(request, "organizations.manage_membership", membership.organization)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
        return redirect("organizations:detail" if leaving else "organizations:members", pk=pk)
    if leaving:
        messages.success(request, _("You have left the organisation."))
        return redirect("organizations:detail", pk=pk)
    messages.success(request, _("The member has been removed."))
    return redirect("organizations:members", pk=pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization"), pk=invitation_id, organization_id=pk
    )
    _require(request, "organizations.manage_membership", invitation.organization)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
    else:
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect("organizations:members", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404("No such invitation.")
    errors: list[str] = []
    if request.method == "POST":
        try:
            membership = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Welcome! You are now a member of the organisation."))
            return redirect("organizations:detail", pk=membership.organization_id)
    context = {"invitation": invitation, "errors": errors, "token": token}
    return render(request, "organizations/invitation_accept.html", context, status=400 if errors else 200)
