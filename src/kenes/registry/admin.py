"""Admin for the NGO registry.

Administrators set the reporting deadline per year here (``ReportingDeadline``). NGO records, reports
and import jobs are read-only: they change through the services (the pages, the imports, the job),
so that the audit log stays whole and corrections keep their versions. The private fields of a
report are not shown in the admin lists.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kenes.common.admin import ReadOnlyAdmin

from .models import AnnualReport, ImportJob, ImportRowError, NGOProfile, ReportingDeadline


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(admin.ModelAdmin):
    list_display = ["year", "due_on"]
    ordering = ["-year"]


@admin.register(NGOProfile)
class NGOProfileAdmin(ReadOnlyAdmin):
    list_display = ["organization", "bin_display", "legal_form", "status", "flagged_by_job", "founded_on"]
    list_filter = ["status", "legal_form", "flagged_by_job"]
    search_fields = ["organization__name", "organization__registration_number"]
    list_select_related = ["organization"]

    @admin.display(description=_("BIN"))
    def bin_display(self, obj: NGOProfile) -> str:
        return obj.bin


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["ngo", "year", "version", "is_current", "submitted_at"]
    list_filter = ["year", "is_current"]
    search_fields = ["ngo__organization__name", "ngo__organization__registration_number"]
    list_select_related = ["ngo__organization"]
    exclude = ["contact_person", "contact_phone", "donors"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "kind",
        "dry_run",
        "state",
        "rows_done",
        "total_rows",
        "bad_rows",
        "created_at",
    ]
    list_filter = ["kind", "state", "dry_run"]
    exclude = ["file"]


@admin.register(ImportRowError)
class ImportRowErrorAdmin(ReadOnlyAdmin):
    list_display = ["job", "line", "reasons"]
    list_select_related = ["job"]
    search_fields = ["job__original_name"]
