"""Open data of the NGO registry: NGOs, the current version of every annual report, and the statistics,
as CSV (formula-safe) and JSON. Only public fields: no contact person, no personal phone, no donor
names, nobody who submitted. Each file is built in a fixed number of queries whatever its size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from kenes.common.csvsafe import csv_response
from kenes.common.formats import iso_or_none

from . import selectors
from .models import INCOME_FIELDS, AnnualReport, NGOProfile

NGO_FIELDS = [
    "id",
    "bin",
    "name",
    "country",
    "legal_form",
    "registered_on",
    "territory_code",
    "territory",
    "sectors",
    "work_territories",
    "beneficiary_groups",
    "status",
    "status_changed_at",
    "email",
    "phone",
    "website",
    "address",
    "is_sample",
]
REPORT_FIELDS = [
    "id",
    "ngo_id",
    "bin",
    "year",
    "version",
    "submitted_at",
    "correction_reason",
    "activity_areas",
    "projects_count",
    "projects",
    "beneficiaries_reached",
    *INCOME_FIELDS,
    "income_total",
    "expenses",
]


def ngo_rows() -> Iterator[dict[str, Any]]:
    """One dict per NGO, by id (three queries)."""
    ngos = NGOProfile.objects.with_related().prefetch_related("work_territories").order_by("pk")
    for ngo in ngos.iterator(chunk_size=2000):
        organization = ngo.organization
        yield {
            "id": ngo.pk,
            "bin": organization.registration_number,
            "name": organization.name,
            "country": organization.country,
            "legal_form": ngo.legal_form,
            "registered_on": iso_or_none(ngo.founded_on),
            "territory_code": organization.territory.code,
            "territory": organization.territory.name,
            "sectors": ";".join(sorted(s.code for s in organization.sectors.all())),
            "work_territories": ";".join(sorted(t.code for t in ngo.work_territories.all())),
            "beneficiary_groups": ";".join(ngo.beneficiary_groups),
            "status": ngo.status,
            "status_changed_at": iso_or_none(ngo.status_changed_at),
            "email": organization.email,
            "phone": organization.phone,
            "website": organization.website,
            "address": ngo.address,
            "is_sample": organization.is_sample,
        }


def report_public(report: AnnualReport) -> dict[str, Any]:
    """A report's public fields (also the API's report)."""
    return {
        "id": report.pk,
        "year": report.year,
        "version": report.version,
        "submitted_at": report.submitted_at.isoformat(),
        "correction_reason": report.correction_reason,
        "activity_areas": report.activity_areas,
        "projects_count": report.projects_count,
        "projects": report.projects,
        "beneficiaries_reached": report.beneficiaries_reached,
        **{name: str(getattr(report, name)) for name in INCOME_FIELDS},
        "income_total": str(report.income_total),
        "expenses": str(report.expenses),
    }


def report_rows() -> Iterator[dict[str, Any]]:
    """The current version of each report, by NGO and year (one query)."""
    reports = AnnualReport.objects.current().select_related("ngo__organization").order_by("ngo_id", "year")
    for report in reports.iterator(chunk_size=2000):
        yield {
            "id": report.pk,
            "ngo_id": report.ngo_id,
            "bin": report.ngo.organization.registration_number,
            **report_public(report),
        }


def statistics_data() -> dict[str, Any]:
    stats = selectors.statistics()
    return {
        "total": stats["total"],
        "by_status": [{"status": b.key, "count": b.count} for b in stats["by_status"]],
        "by_sector": [{"sector": b.key, "name": b.label, "count": b.count} for b in stats["by_sector"]],
        "by_territory": [
            {"territory_code": b.key, "name": b.label, "count": b.count} for b in stats["by_territory"]
        ],
        "reporting": [
            {"year": r.year, "reported": r.reported, "operating": r.operating, "rate": r.rate}
            for r in stats["reporting"]
        ],
    }


def _json(key: str, rows: Iterable[dict[str, Any]]) -> JsonResponse:
    return JsonResponse(
        {"generated_at": timezone.now().isoformat(), key: list(rows)},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def ngos_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(ngo_rows(), NGO_FIELDS, "ngos.csv")


@require_GET
def ngos_json(request: HttpRequest) -> JsonResponse:
    return _json("ngos", ngo_rows())


@require_GET
def reports_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(report_rows(), REPORT_FIELDS, "ngo-annual-reports.csv")


@require_GET
def reports_json(request: HttpRequest) -> JsonResponse:
    return _json("reports", report_rows())


@require_GET
def statistics_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"generated_at": timezone.now().isoformat(), **statistics_data()},
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns: list[URLPattern] = [
    path("open-data/ngos.csv", ngos_csv, name="opendata_ngos_csv"),
    path("open-data/ngos.json", ngos_json, name="opendata_ngos_json"),
    path("open-data/reports.csv", reports_csv, name="opendata_reports_csv"),
    path("open-data/reports.json", reports_json, name="opendata_reports_json"),
    path("open-data/statistics.json", statistics_json, name="opendata_statistics_json"),
]
