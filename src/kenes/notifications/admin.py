from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Follow, Notification, OutgoingEmail, Preference


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Read")), ("no", _("Unread"))]

    def queryset(self, request: Any, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "event", "created_at", "read_at"]
    list_filter = ["event", ReadFilter]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to_address", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["to_address", "subject"]
    raw_id_fields = ["recipient", "notification"]
    readonly_fields = [
        "recipient",
        "notification",
        "to_address",
        "subject",
        "body",
        "language",
        "unsubscribe_url",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False  # e-mails are queued by notify(), in the recipient's language


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "subject_type", "subject_id", "created_at"]
    list_filter = ["subject_type"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "subject_type"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "digest_enabled", "updated_at"]
    list_filter = ["email_enabled", "digest_enabled"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
