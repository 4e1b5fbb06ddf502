"""A person's registry data for their export: the reports they submitted or corrected and the imports
they started. Account deletion keeps these rows: a report is the NGO's public record, and the user row
itself stays (as "deleted user"), so nothing here needs erasing."""

from typing import Any

from kenes.common.formats import iso_or_none

from .models import AnnualReport, ImportJob


def export_registry(user: Any) -> dict[str, Any]:
    reports = (
        AnnualReport.objects.filter(submitted_by=user).select_related("ngo__organization").order_by("pk")
    )
    imports = ImportJob.objects.filter(created_by=user).order_by("pk")
    return {
        "reports_submitted": [
            {
                "id": report.pk,
                "ngo": report.ngo.organization.name,
                "year": report.year,
                "version": report.version,
                "submitted_at": iso_or_none(report.submitted_at),
                "correction_reason": report.correction_reason,
            }
            for report in reports
        ],
        "imports_started": [
            {
                "id": job.pk,
                "kind": job.kind,
                "file": job.original_name,
                "dry_run": job.dry_run,
                "state": job.state,
                "created_at": iso_or_none(job.created_at),
            }
            for job in imports
        ],
    }
