"""Read-only admin: every change goes through the services (and so the audit log)."""

from django.contrib import admin

from kenes.common.admin import ReadOnlyAdmin

from .models import Appeal, Decision, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "content_type", "object_id", "category", "organization", "created_at"]
    list_filter = ["category", "content_type", ("resolved_by_decision", admin.EmptyFieldListFilter)]
    search_fields = ["object_id", "text", "reporter__display_name", "reporter__email"]
    list_select_related = ["content_type", "organization"]
    raw_id_fields = ["reporter", "organization", "resolved_by_decision"]
    date_hierarchy = "created_at"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "action", "moderator", "organization", "created_at"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_id", "reason", "moderator__display_name", "moderator__email"]
    list_select_related = ["content_type", "moderator", "organization"]
    raw_id_fields = ["moderator", "organization"]
    date_hierarchy = "created_at"


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "author", "resolved_by", "created_at", "resolved_at"]
    list_filter = ["state"]
    search_fields = ["text", "resolution_reason", "author__display_name", "author__email"]
    list_select_related = ["decision__content_type", "author", "resolved_by"]
    raw_id_fields = ["decision", "author", "resolved_by"]
    date_hierarchy = "created_at"
