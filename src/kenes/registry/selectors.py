"""Read paths of the NGO registry for pages, the API and open data: N+1-free, a fixed number of
queries per page whatever the number of NGOs or reports. Statistics are counted in the database
(GROUP BY), territories by their materialized path, so a region counts its districts' NGOs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kenes.organizations.models import Sector
from kenes.territories.models import Territory

from .models import AnnualReport, ImportJob, ImportRowError, NGOProfile, RegistryStatus

NAME_LANGUAGES = ("kk", "ru", "ky", "en")


def _search(q: str) -> Q:
    match = Q(organization__registration_number__startswith=q)
    for code in NAME_LANGUAGES:
        match |= Q(**{f"organization__name_{code}__icontains": q})
    return match


def ngo_list(
    *,
    q: str | None = None,
    sector: Sector | None = None,
    territory: Territory | None = None,
    status: str | None = None,
    legal_form: str | None = None,
) -> QuerySet[NGOProfile]:
    """NGOs matching the filters, by name. ``territory`` matches its whole subtree."""
    qs = NGOProfile.objects.with_related()
    if q and q.strip():
        qs = qs.filter(_search(q.strip()))
    if sector is not None:
        qs = qs.filter(organization__sectors=sector)
    if territory is not None:
        qs = qs.filter(organization__territory__path__startswith=territory.path)
    if status:
        qs = qs.filter(status=status)
    if legal_form:
        qs = qs.filter(legal_form=legal_form)
    return qs.order_by("organization__name", "pk")


def ngo_get(pk: int) -> NGOProfile:
    ngo = (
        NGOProfile.objects.with_related()
        .select_related("status_changed_by")
        .prefetch_related(Prefetch("work_territories", queryset=Territory.objects.order_by("path")))
        .filter(pk=pk)
        .first()
    )
    if ngo is None:
        raise Http404("No such NGO.")
    return ngo


def ngo_reports(ngo: NGOProfile) -> list[AnnualReport]:
    """The current version of each year's report, newest year first."""
    return list(ngo.reports.current().order_by("-year"))


def report_get(pk: int) -> AnnualReport:
    report = (
        AnnualReport.objects.select_related("ngo", "ngo__organization", "submitted_by").filter(pk=pk).first()
    )
    if report is None:
        raise Http404("No such report.")
    return report


def report_versions(report: AnnualReport) -> list[AnnualReport]:
    """Every version of the report's year, newest first."""
    return list(
        AnnualReport.objects.filter(ngo_id=report.ngo_id, year=report.year)
        .select_related("submitted_by")
        .order_by("-version")
    )


def import_jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at")


def import_row_errors(job: ImportJob) -> QuerySet[ImportRowError]:
    """The bad rows of ``job``, in line order."""
    return job.row_errors.order_by("line")


def import_job_get(pk: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404("No such import.")
    return job


# --- statistics ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    percent: float  # of the largest count in the table, for the bar's length


@dataclass(frozen=True)
class YearRate:
    year: int
    reported: int
    operating: int

    @property
    def rate(self) -> float:
        return round(100 * self.reported / self.operating, 1) if self.operating else 0.0


def _bars(items: list[tuple[str, str, int]]) -> list[Bar]:
    top = max((count for _key, _label, count in items), default=0)
    return [
        Bar(key, label, count, round(100 * count / top, 1) if top else 0.0) for key, label, count in items
    ]


def count_by_status() -> list[Bar]:
    counts = dict(NGOProfile.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return _bars([(value, str(label), counts.get(value, 0)) for value, label in RegistryStatus.choices])


def count_by_sector() -> list[Bar]:
    """Every sector with its NGOs (an NGO in two sectors counts in both)."""
    sectors = Sector.objects.annotate(
        n=Count("organizations", filter=Q(organizations__ngo_profile__isnull=False))
    ).order_by("position", "code")
    return _bars([(sector.code, str(sector.name), sector.n) for sector in sectors])


def count_by_territory(parent: Territory | None = None) -> list[Bar]:
    """NGOs registered in each unit directly below ``parent`` (the top-level units when None),
    counting every unit further down: one query for the counts per territory path, one for the units."""
    units = list(
        (Territory.objects.filter(parent=parent) if parent else Territory.objects.roots()).order_by(
            "country", "path"
        )
    )
    per_path = (
        NGOProfile.objects.values_list("organization__territory__path")
        .annotate(n=Count("pk"))
        .values_list("organization__territory__path", "n")
    )
    if parent is not None:
        per_path = per_path.filter(organization__territory__path__startswith=parent.path)
    totals: dict[str, int] = defaultdict(int)
    paths = {unit.path for unit in units}
    depth = parent.level if parent else 0
    for path, n in per_path:
        # "/71/7110/…/" belongs to the unit whose path is its prefix one level below ``parent``.
        parts = [p for p in path.split("/") if p]
        if len(parts) > depth:
            key = "/" + "/".join(parts[: depth + 1]) + "/"
            if key in paths:
                totals[key] += n
    return _bars([(unit.code, str(unit.name), totals.get(unit.path, 0)) for unit in units])


def reporting_rates(years: list[int]) -> list[YearRate]:
    """Per year: NGOs with a current report, and NGOs operating that year (registered by its end, or
    with no registration date, and not liquidated)."""
    reported = dict(
        AnnualReport.objects.current()
        .filter(year__in=years)
        .exclude(ngo__status=RegistryStatus.LIQUIDATED)
        .values_list("year")
        .annotate(n=Count("ngo", distinct=True))
        .values_list("year", "n")
    )
    alive = NGOProfile.objects.exclude(status=RegistryStatus.LIQUIDATED)
    aggregates = alive.aggregate(
        **{
            f"y{year}": Count("pk", filter=Q(founded_on__year__lte=year) | Q(founded_on__isnull=True))
            for year in years
        }
    )
    return [YearRate(year, reported.get(year, 0), aggregates[f"y{year}"] or 0) for year in years]


def recent_years(count: int = 5) -> list[int]:
    last = timezone.localdate().year - 1
    return list(range(last - count + 1, last + 1))


def statistics(parent: Territory | None = None, years: list[int] | None = None) -> dict[str, Any]:
    years = years or recent_years()
    by_status = count_by_status()
    return {
        "total": sum(bar.count for bar in by_status),
        "by_status": by_status,
        "by_sector": count_by_sector(),
        "by_territory": count_by_territory(parent),
        "territory": parent,
        "reporting": reporting_rates(years),
    }
