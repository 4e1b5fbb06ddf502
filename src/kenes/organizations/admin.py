from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from modeltranslation.admin import TranslationAdmin

from .models import Invitation, Membership, Organization, Sector, Topic
from .validators import validate_organization


def _formfield(field: "models.Field[Any, Any]", **kwargs: Any) -> "forms.Field | None":
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class OrganizationAdminForm(forms.ModelForm):
    """Runs the same cross-row checks as the services (supervising chain, BIN/INN, territory)."""

    class Meta:
        model = Organization
        fields = "__all__"  # noqa: DJ007
        formfield_callback = _formfield

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors.get("territory") or self.errors.get("supervising_body"):
            return
        try:
            validate_organization(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(TranslationAdmin):
    form = OrganizationAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "status", "country", "territory", "is_sample"]
    list_filter = ["kind", "status", "country", "sectors", "is_sample"]
    search_fields = ["name_kk", "name_ru", "name_ky", "name_en", "registration_number"]
    raw_id_fields = ["territory", "supervising_body"]
    filter_horizontal = ["sectors"]
    list_select_related = ["territory"]
    inlines = [MembershipInline]


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["code", "name_kk", "name_ru", "name_ky", "name_en"]


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["code", "name_kk", "name_ru", "name_ky", "name_en"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organization", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name", "organization__name_ru", "organization__name_en"]
    raw_id_fields = ["organization", "user"]
    list_select_related = ["organization", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organization", "email", "role", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    raw_id_fields = ["organization", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash"]
    list_select_related = ["organization"]

    def has_add_permission(self, request: Any) -> bool:
        # A new invitation needs a token that is mailed once: use the members page.
        return False
