"""Read-only admin views of the audit log: nobody adds, changes or deletes audit rows."""

from django.contrib import admin

from kenes.common.admin import ReadOnlyAdmin

from .models import Block, Event, Seal


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "action", "subject_type", "subject_id", "actor"]
    list_select_related = ["subject_type", "actor"]
    search_fields = ["action", "subject_id"]
    list_filter = ["action", "subject_type", "created_at"]
    show_full_result_count = False


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["number", "sealed_at", "event_count", "first_event_id", "last_event_id", "hash"]
    search_fields = ["=number", "=hash", "=merkle_root"]
    list_filter = ["sealed_at"]


@admin.register(Seal)
class SealAdmin(ReadOnlyAdmin):
    list_display = ["event", "block", "leaf_hash"]
    list_select_related = ["event", "block"]
    raw_id_fields = ["event", "block"]
    show_full_result_count = False
