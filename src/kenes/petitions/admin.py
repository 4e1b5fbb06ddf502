"""Admin for petitions.

Administrators change the terms (``PetitionRule``: signatures needed, period, signer's verification
level per country and level), the signing rate limits and the blocked e-mail domains here.
Petitions are read-only: they change through the services (moderation, the counting jobs), so that
the audit log and the hearing loop stay whole; the one action opens pending petitions through
``petition_approve``. Counts and the watermark are derived data, shown read-only.

Privacy: ``Signature`` is deliberately NOT registered. A page listing who signed what would expose
people's political opinions to every staff member; signers who chose to are listed on the
petition's page, held-back signatures are on the moderators' page, and counts are public.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kenes.common.admin import ReadOnlyAdmin

from . import services
from .models import BlockedEmailDomain, CountWatermark, Petition, PetitionRule, RegionCount, SigningLimit
from .rules import staff_moderates


@admin.register(PetitionRule)
class PetitionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "country",
        "level",
        "threshold",
        "duration_months",
        "min_verification_level",
        "legal_basis",
    ]
    list_filter = ["country", "level"]
    search_fields = ["legal_basis"]


@admin.register(SigningLimit)
class SigningLimitAdmin(admin.ModelAdmin):
    list_display = ["scope", "max_signatures", "window_seconds", "is_active"]
    list_filter = ["scope", "is_active"]
    search_fields = ["scope"]


@admin.register(BlockedEmailDomain)
class BlockedEmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "note", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["domain", "note"]


class RegionCountInline(admin.TabularInline):
    model = RegionCount
    extra = 0
    can_delete = False
    fields = ["region", "count"]
    readonly_fields = ["region", "count"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "state",
        "level",
        "country",
        "addressee",
        "signature_count",
        "threshold",
        "closes_at",
        "is_hidden",
        "is_sample",
    ]
    list_filter = ["state", "level", "country", "is_hidden", "is_sample", "topic"]
    search_fields = ["title", "text", "demand"]
    list_select_related = ["addressee"]
    date_hierarchy = "created_at"
    inlines = [RegionCountInline]
    actions = ["approve"]

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return staff_moderates(request.user)

    @admin.action(description=_("Open the selected petitions for signatures"), permissions=["moderate"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Petition]) -> None:
        opened = 0
        for petition in queryset.filter(state=Petition.State.PENDING):
            try:
                services.petition_approve(actor=request.user, petition=petition)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{petition}: {error}", messages.ERROR)
            else:
                opened += 1
        self.message_user(
            request,
            ngettext("%(count)d petition opened.", "%(count)d petitions opened.", opened) % {"count": opened},
        )


@admin.register(RegionCount)
class RegionCountAdmin(ReadOnlyAdmin):
    list_display = ["petition", "region", "count"]
    list_filter = ["region"]
    search_fields = ["petition__title"]
    list_select_related = ["petition", "region"]


@admin.register(CountWatermark)
class CountWatermarkAdmin(ReadOnlyAdmin):
    list_display = ["id", "counted_until"]
    list_filter = ["counted_until"]
    search_fields = ["id"]
