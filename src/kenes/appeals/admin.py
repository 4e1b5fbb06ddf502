"""Admin for appeals. Routing rules are maintained here (through ``services.routing_rule_save`` /
``routing_rule_delete``, audited). Appeals, their attachments, co-signers and the numbering are
read-only: they change through the services so that numbering, audit and the hearing loop stay
whole. Attachments are downloaded from the appeal's page, where the permission is checked."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kenes.common.admin import ReadOnlyAdmin

from . import services
from .models import Appeal, AppealAttachment, Cosigner, NumberSequence, RoutingRule


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(ReadOnlyInline):
    model = AppealAttachment
    fields = readonly_fields = ("name", "size", "content_type", "created_at")


class CosignerInline(ReadOnlyInline):
    model = Cosigner
    fields = readonly_fields = ("user", "created_at")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "subject",
        "kind",
        "addressee",
        "territory",
        "is_public",
        "is_collective",
        "created_at",
    ]
    list_filter = ["country", "kind", "is_public", "is_collective", "is_sample", "language", "topic"]
    search_fields = ["number", "subject"]
    list_select_related = ["addressee", "territory"]
    date_hierarchy = "created_at"
    exclude = ["cosign_token_hash"]
    inlines = [AttachmentInline, CosignerInline]


@admin.register(AppealAttachment)
class AppealAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "appeal", "size", "content_type", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["name", "appeal__number"]
    list_select_related = ["appeal"]
    exclude = ["file"]


@admin.register(Cosigner)
class CosignerAdmin(ReadOnlyAdmin):
    list_display = ["appeal", "user", "created_at"]
    list_filter = ["appeal__country"]
    search_fields = ["appeal__number"]
    list_select_related = ["appeal", "user"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ["country", "year", "last"]
    list_filter = ["country", "year"]
    search_fields = ["year"]


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["country", "territory", "topic", "organization", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            candidate = RoutingRule(**{name: data.get(name) for name in self.Meta.fields})
            try:
                services.check_routing_rule(candidate)
            except forms.ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    self.add_error(field, errors)
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = ["country", "territory", "topic", "organization", "note"]
    list_filter = ["country", "topic"]
    search_fields = ["territory__name", "territory__code", "organization__name", "note"]
    list_select_related = ["territory", "topic", "organization"]
    raw_id_fields = ["territory", "organization"]

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any, change: bool) -> None:
        services.routing_rule_save(actor=request.user, rule=obj)

    def delete_model(self, request: HttpRequest, obj: RoutingRule) -> None:
        services.routing_rule_delete(actor=request.user, rule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoutingRule]) -> None:
        for rule in queryset:
            services.routing_rule_delete(actor=request.user, rule=rule)
