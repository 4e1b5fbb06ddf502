"""Admin for grants: read-only screens to find and inspect every row. Every change goes through
the services (``kenes.grants.services``) so that the rules, the audit log and the hearing loop stay
whole; the pages under /grants/ are where officials, NGOs and experts act. Documents are
downloaded from the application's page, where the permission is checked."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kenes.common.admin import ReadOnlyAdmin

from .models import (
    Application,
    ApplicationDocument,
    Award,
    AwardDecision,
    BudgetLine,
    Call,
    Complaint,
    ConflictDeclaration,
    Contract,
    ContractMilestone,
    Criterion,
    ExpertAssignment,
    FinalEvaluation,
    Indicator,
    Lot,
    MonitoringNote,
    Programme,
    Report,
    RequiredDocument,
    ScoreSheet,
    TeamMember,
)


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = readonly_fields = ("name", "unit", "target")


class LotInline(ReadOnlyInline):
    model = Lot
    fields = readonly_fields = ("title", "budget")


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "body", "territory", "budget", "currency", "year"]
    list_filter = ["kind", "country", "year"]
    search_fields = ["title", "body__name"]
    list_select_related = ["body", "territory"]
    inlines = [IndicatorInline, LotInline]


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = readonly_fields = ("name", "weight", "scale_min", "scale_max")


class RequiredDocumentInline(ReadOnlyInline):
    model = RequiredDocument
    fields = readonly_fields = ("name",)


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "state", "opens_at", "closes_at", "aggregation", "tie_rule"]
    list_filter = ["state", "aggregation", "tie_rule"]
    search_fields = ["title", "programme__title", "programme__body__name"]
    list_select_related = ["programme"]
    inlines = [CriterionInline, RequiredDocumentInline]


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = readonly_fields = ("item", "amount", "cofinancing")


class TeamMemberInline(ReadOnlyInline):
    model = TeamMember
    fields = readonly_fields = ("name", "role")


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = readonly_fields = ("name", "required_document", "size", "content_type", "created_at")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "call", "state", "requested_amount", "score", "rank"]
    list_filter = ["state"]
    search_fields = ["title", "organization__name", "call__title"]
    list_select_related = ["organization", "call"]
    inlines = [BudgetLineInline, TeamMemberInline, DocumentInline]


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["call", "expert", "declared_at"]
    list_filter = ["declared_at"]
    search_fields = ["call__title", "expert__email"]
    list_select_related = ["call", "expert"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "application", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["application__title", "assignment__expert__email"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "application", "submitted_at"]
    list_filter = ["submitted_at"]
    search_fields = ["application__title", "assignment__expert__email"]


class AwardInline(ReadOnlyInline):
    model = Award
    fields = readonly_fields = ("application", "amount", "awarded_on")


@admin.register(AwardDecision)
class AwardDecisionAdmin(ReadOnlyAdmin):
    list_display = ["call", "published_at", "decided_by"]
    list_filter = ["published_at"]
    search_fields = ["call__title"]
    inlines = [AwardInline]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["application", "author", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["application__title", "text"]


class MilestoneInline(ReadOnlyInline):
    model = ContractMilestone
    fields = readonly_fields = ("title", "due_on", "accepted_at")


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "amount", "signed_on", "state"]
    list_filter = ["state"]
    search_fields = ["number", "application__title", "application__organization__name"]
    inlines = [MilestoneInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["milestone", "kind", "state", "submitted_at", "reviewed_at"]
    list_filter = ["kind", "state"]
    search_fields = ["milestone__title", "text"]


@admin.register(MonitoringNote)
class MonitoringNoteAdmin(ReadOnlyAdmin):
    list_display = ["contract", "observed_on", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["text", "contract__number"]


@admin.register(FinalEvaluation)
class FinalEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["contract", "rating", "created_at"]
    list_filter = ["rating"]
    search_fields = ["contract__number", "summary"]
