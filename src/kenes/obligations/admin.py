"""Admin: deadline rules are edited here; everything else changes through the services (pages,
API, jobs), so the other models are read-only here and responses cannot be deleted."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kenes.common.admin import ReadOnlyAdmin

from .models import (
    Commitment,
    DeadlineRule,
    Evidence,
    Extension,
    Milestone,
    Obligation,
    Rating,
    Redirection,
    Reminder,
    Response,
    ResponseAttachment,
    Step,
)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = [
        "country",
        "kind",
        "response_days",
        "day_type",
        "max_extensions",
        "extension_total_months",
        "extension_extra_days",
        "extension_notice_days",
        "redirect_days",
        "registration_days",
    ]
    list_filter = ["country", "kind", "day_type"]
    search_fields = ["kind", "legal_basis"]


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0
    fields = readonly_fields = ("old_deadline", "new_deadline", "reason", "decided_by", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = readonly_fields = ("at", "kind", "organization", "actor", "text")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "kind", "state", "organization", "opened_on", "deadline", "is_private"]
    list_filter = ["state", "kind", "country", "is_private"]
    search_fields = [
        "=id",
        "title",
        "organization__name_ru",
        "organization__name_en",
        "organization__name_kk",
    ]
    date_hierarchy = "opened_on"
    raw_id_fields = [
        "organization",
        "author",
        "assigned_to",
        "redirected_from",
        "escalated_from",
        "contest_of",
    ]
    list_select_related = ["organization"]
    inlines = [ExtensionInline, StepInline]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["obligation", "old_deadline", "new_deadline", "decided_by", "created_at"]
    search_fields = ["obligation__title", "reason"]
    list_filter = ["obligation__country"]
    list_select_related = ["obligation", "decided_by"]


@admin.register(Redirection)
class RedirectionAdmin(ReadOnlyAdmin):
    list_display = ["obligation", "to_organization", "decided_by", "created_at"]
    search_fields = ["obligation__title", "reason"]
    list_filter = ["obligation__country"]
    list_select_related = ["obligation", "to_organization", "decided_by"]


class AttachmentInline(admin.TabularInline):
    model = ResponseAttachment
    extra = 0
    fields = readonly_fields = ("name", "size", "content_type", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["obligation", "decision", "organization", "on_time", "working_days_taken", "created_at"]
    list_filter = ["decision", "on_time"]
    search_fields = ["obligation__title", "reasons"]
    list_select_related = ["obligation", "organization"]
    inlines = [AttachmentInline]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["response", "score", "created_at"]
    list_filter = ["score"]
    search_fields = ["response__obligation__title", "comment"]
    list_select_related = ["response__obligation"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = readonly_fields = ("title", "due_on", "status", "delivered_at", "delivered_on_time")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "status", "delivered_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    list_select_related = ["organization"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["title", "commitment", "due_on", "status", "delivered_on_time"]
    list_filter = ["status", "delivered_on_time"]
    search_fields = ["title", "commitment__title"]
    list_select_related = ["commitment"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["milestone", "name", "size", "uploaded_by", "created_at"]
    search_fields = ["description", "name", "milestone__title"]
    list_filter = ["content_type"]
    list_select_related = ["milestone", "uploaded_by"]


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "obligation", "organization"]
    list_filter = ["kind"]
    search_fields = ["obligation__title", "text"]
    list_select_related = ["obligation", "organization"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["obligation", "lead_days", "deadline", "sent_at"]
    list_filter = ["lead_days"]
    search_fields = ["obligation__title"]
    list_select_related = ["obligation"]


@admin.register(ResponseAttachment)
class ResponseAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "response", "size", "content_type", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["name", "response__obligation__title"]
    list_select_related = ["response__obligation"]
