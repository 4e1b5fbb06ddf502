from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Demographics, IdentityVerification, User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """The e-mail user: no username, no first/last name."""

    add_form = UserCreationAdminForm
    form = UserChangeAdminForm

    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "verification_level",
        "language",
        "is_staff",
        "is_active",
        "deleted_at",
    ]
    list_filter = ["is_staff", "is_active", "verification_level", "language"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["verification_level", "deleted_at", "last_login", "date_joined"]
    raw_id_fields = ["home_territory"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "language", "home_territory")}),
        (_("Verification"), {"fields": ("verification_level", "deleted_at")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )
    filter_horizontal = ("groups", "user_permissions")


@admin.register(Demographics)
class DemographicsAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "birth_year",
        "gender",
        "education",
        "settlement",
        "consent_version",
        "consent_given_at",
    ]
    list_filter = ["gender", "education", "settlement", "consent_version"]
    search_fields = ["user__email", "user__display_name"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "level", "verified_by", "verified_at", "revoked_at"]
    list_filter = ["provider", "level"]
    search_fields = ["user__email", "user__display_name"]
    raw_id_fields = ["user", "verified_by"]
    readonly_fields = ["identity_hash"]
    list_select_related = ["user", "verified_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_filter = ["created_at", "expires_at", "revoked_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "key_hash", "last_used_at"]
    list_select_related = ["user"]
