"""Admin for participatory budgeting.

Processes are edited here (with their translations); once voting has opened, the fields that decide
the outcome (ballot, rule, budget, limits, eligibility and voting dates) are read-only, as in
``services.process_update``. Proposals, supports and results are read-only: they change through the
services so that audit and obligations stay whole.

Privacy: ``Ballot`` and ``BallotChoice`` are deliberately NOT registered. An admin page would join a
voter to their choices, which no official may see; ballot counts are on the results page and the
anonymised ballots in the Pabulib export.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from modeltranslation.admin import TranslationAdmin

from kenes.common.admin import ReadOnlyAdmin

from .models import Process, Proposal, ProposalImage, Result, ResultLine, Support

#: Frozen once voting has opened (RELIABILITY A6).
FROZEN_WHEN_VOTING = (
    "ballot_type",
    "rule",
    "budget",
    "currency",
    "min_choices",
    "max_choices",
    "max_points",
    "min_age",
    "min_verification_level",
    "residents_only",
    "voting_open",
    "voting_close",
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Process)
class ProcessAdmin(TranslationAdmin):
    list_display = [
        "title",
        "territory",
        "organization",
        "budget",
        "currency",
        "voting_open",
        "voting_close",
        "is_sample",
    ]
    list_filter = ["ballot_type", "rule", "is_sample"]
    search_fields = ["title"]
    raw_id_fields = ["organization", "territory"]
    date_hierarchy = "voting_open"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["counted_at", "results_published_at"]
        if obj is not None and obj.voting_open <= timezone.now():
            fields += list(FROZEN_WHEN_VOTING)
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposalImageInline(ReadOnlyInline):
    model = ProposalImage
    fields = readonly_fields = ("file", "description", "created_at")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "process", "status", "estimated_cost", "official_cost", "language", "is_hidden"]
    list_filter = ["status", "language", "is_hidden"]
    search_fields = ["title", "description"]
    list_select_related = ["process"]
    inlines = [ProposalImageInline]


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "user", "created_at"]
    list_select_related = ["proposal", "user"]
    search_fields = ["proposal__title"]


class ResultLineInline(ReadOnlyInline):
    model = ResultLine
    fields = readonly_fields = ("proposal", "funded", "position", "votes", "reason", "explanation")


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["process", "rule", "ballots_counted", "total_cost", "created_at"]
    list_filter = ["rule"]
    list_select_related = ["process"]
    inlines = [ResultLineInline]
