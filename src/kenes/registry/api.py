"""The registry's API under /api/v1/registry: the NGO list with filters, one NGO with its reports'
public fields, and the statistics. Read-only and public; writes go through the pages and imports."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from kenes.common.api import PageOut, page_response
from kenes.common.formats import iso_or_none
from kenes.organizations.models import Sector
from kenes.territories.models import Territory

from . import selectors
from .models import LegalForm, NGOProfile, RegistryStatus
from .opendata import report_public
from .schemas import NGODetailOut, NGOOut, ReportDetailOut, StatisticsOut

router = Router(tags=["registry"])


class NGOFilters(Schema):
    q: str | None = None
    sector: str | None = None
    territory: str | None = None
    status: RegistryStatus | None = None
    legal_form: LegalForm | None = None
    page: str | None = None
    per_page: str | None = None


def _territory(code: str | None) -> Territory | None:
    if not code:
        return None
    return Territory.objects.filter(code=code).order_by("country").first()


def ngo_out(ngo: NGOProfile) -> dict[str, Any]:
    organization = ngo.organization
    return {
        "id": ngo.pk,
        "organization_id": organization.pk,
        "bin": organization.registration_number,
        "name": organization.name,
        "country": organization.country,
        "legal_form": ngo.legal_form,
        "registered_on": iso_or_none(ngo.founded_on),
        "territory": {"code": organization.territory.code, "name": organization.territory.name},
        "sectors": [sector.code for sector in organization.sectors.all()],
        "status": ngo.status,
        "is_sample": organization.is_sample,
    }


@router.get("/ngos", response=PageOut[NGOOut], summary="NGOs in the registry")
def ngo_list(request: HttpRequest, filters: Query[NGOFilters]) -> dict[str, Any]:
    """Filter by a search over names and BIN, a sector code, a territory code (with every unit
    below it), status and legal form. `per_page` is clamped to 1..100. An unknown sector or
    territory code gives an empty list."""
    sector = Sector.objects.filter(code=filters.sector).first() if filters.sector else None
    territory = _territory(filters.territory)
    if (filters.sector and sector is None) or (filters.territory and territory is None):
        return page_response(request, NGOProfile.objects.none())
    queryset = selectors.ngo_list(
        q=filters.q, sector=sector, territory=territory, status=filters.status, legal_form=filters.legal_form
    )
    return page_response(request, queryset, ngo_out)


@router.get("/ngos/{int:ngo_id}", response=NGODetailOut, summary="One NGO with its reports")
def ngo_detail(request: HttpRequest, ngo_id: int) -> dict[str, Any]:
    ngo = selectors.ngo_get(ngo_id)
    organization = ngo.organization
    return {
        **ngo_out(ngo),
        "work_territories": [{"code": t.code, "name": t.name} for t in ngo.work_territories.all()],
        "beneficiary_groups": ngo.beneficiary_groups,
        "status_reason": ngo.status_reason,
        "status_changed_at": iso_or_none(ngo.status_changed_at),
        "flagged_by_job": ngo.flagged_by_job,
        "contacts": {
            "email": organization.email,
            "phone": organization.phone,
            "website": organization.website,
            "address": ngo.address,
        },
        "reports": [report_public(report) for report in selectors.ngo_reports(ngo)],
    }


@router.get(
    "/reports/{int:report_id}", response=ReportDetailOut, summary="One version of a report, with its history"
)
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    """Public fields only. A corrected version stays readable; `versions` lists every version of
    the same NGO and year, newest first, with the reason for each correction."""
    report = selectors.report_get(report_id)
    versions = selectors.report_versions(report)
    return {
        **report_public(report),
        "ngo_id": report.ngo_id,
        "is_current": report.is_current,
        "versions": [
            {
                "id": v.pk,
                "version": v.version,
                "is_current": v.is_current,
                "submitted_at": v.submitted_at.isoformat(),
                "correction_reason": v.correction_reason,
            }
            for v in versions
        ],
    }


@router.get(
    "/statistics", response=StatisticsOut, summary="Counts by status, sector, territory; reporting rate"
)
def statistics(request: HttpRequest, territory: str | None = None) -> dict[str, Any]:
    """With `territory` (a code), the territory table lists the units directly below it, each
    counting its whole subtree; without it, the top-level units."""
    parent = _territory(territory)
    stats = selectors.statistics(parent=parent)

    def counts(bars: Any) -> list[dict[str, Any]]:
        return [{"key": b.key, "label": b.label, "count": b.count} for b in bars]

    return {
        "total": stats["total"],
        "territory": parent.code if parent else None,
        "by_status": counts(stats["by_status"]),
        "by_sector": counts(stats["by_sector"]),
        "by_territory": counts(stats["by_territory"]),
        "reporting": [
            {"year": r.year, "reported": r.reported, "operating": r.operating, "rate": r.rate}
            for r in stats["reporting"]
        ],
    }
