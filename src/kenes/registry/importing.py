"""Bulk import of NGOs and annual reports from CSV or XLSX (tablib), run by ``services.import_job_run``.

The file is read once; rows are checked and written in batches of ``BATCH`` rows. Each batch is one
transaction that also moves the job's progress counters, so a crash loses no committed row and
leaves no part of a row behind: every row of a batch lands whole (organisation, registry profile,
sectors, territories; or a report) or not at all, and a resumed job starts after the last committed
batch. A bad row is never written; it is kept as an ``ImportRowError`` (in the batch's transaction)
with its line number, its values and its reasons, and offered back as a CSV file with a ``reasons``
column. A row whose BIN (NGOs) or BIN and year (reports) is already in the registry is skipped, so a
file can be imported again after its bad rows were fixed. The column names are in docs/registry.md.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.csvsafe import write_csv
from kenes.organizations.models import Organization

from .importrows import (
    COLUMNS,
    REPORT_COLUMNS,
    Context,
    ImportFileError,
    Row,
    check_headers,
    check_ngo_row,
    check_report_row,
    ngo_context,
    read_rows,
)
from .models import (
    AnnualReport,
    ImportJob,
    ImportRowError,
    NGOProfile,
    RegistryStatus,
)
from .reporting import ngos_lift_flags

logger = logging.getLogger(__name__)

BATCH = 1000

# --- the batch: duplicates, then writing ---------------------------------------------------------------


@dataclass
class BatchResult:
    good: list[Row] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)
    bad: list[Row] = field(default_factory=list)


def _in_file_duplicate(row: Row, key: str, context: Context) -> bool:
    first = context.seen.get(key)
    if first is not None:
        row.reasons.append(_("The same record is already on line %(line)s of this file.") % {"line": first})
        return True
    context.seen[key] = row.line
    return False


def _sort_ngo_rows(rows: list[Row], result: BatchResult, context: Context) -> None:
    checked = [row for row in rows if not row.reasons]
    bins = {row.values["bin"] for row in checked}
    existing = dict(
        Organization.objects.filter(registration_number__in=bins).values_list(
            "registration_number", "ngo_profile"
        )
    )
    for row in rows:
        if row.reasons or _in_file_duplicate(row, _key(ImportJob.Kind.NGOS, row), context):
            result.bad.append(row)
        elif row.values["bin"] in existing:
            if existing[row.values["bin"]] is None:
                row.reasons.append(
                    _("bin: This BIN belongs to an organisation in Kenes that is not an NGO in the registry.")
                )
                result.bad.append(row)
            else:
                result.skipped.append(row)
        else:
            result.good.append(row)


def _sort_report_rows(rows: list[Row], result: BatchResult, context: Context) -> None:
    bins = {row.values["bin"] for row in rows if row.values.get("bin")}
    ngos = {
        bin_: (pk, status, founded_on)
        for bin_, pk, status, founded_on in NGOProfile.objects.filter(
            organization__registration_number__in=bins
        ).values_list("organization__registration_number", "pk", "status", "founded_on")
    }
    reported = set(
        AnnualReport.objects.filter(ngo_id__in=[v[0] for v in ngos.values()], is_current=True).values_list(
            "ngo_id", "year"
        )
    )
    for row in rows:
        ngo = ngos.get(row.values.get("bin", ""))
        if not row.reasons:
            _check_report_ngo(row, ngo)
        if row.reasons or _in_file_duplicate(row, _key(ImportJob.Kind.REPORTS, row), context):
            result.bad.append(row)
        elif ngo is not None and (ngo[0], row.values["year"]) in reported:
            result.skipped.append(row)
        else:
            row.values["ngo_id"] = ngo[0] if ngo else None
            result.good.append(row)


def _check_report_ngo(row: Row, ngo: tuple[int, str, datetime.date | None] | None) -> None:
    if ngo is None:
        row.error("bin", _("No NGO in the registry has this BIN. Import the NGO first."))
    elif ngo[1] == RegistryStatus.LIQUIDATED:
        row.error("bin", _("This NGO has been liquidated."))
    elif ngo[2] is not None and row.values["year"] < ngo[2].year:
        row.error("year", _("The NGO was not yet registered in %(year)s.") % {"year": row.values["year"]})


def _insert_ngos(rows: list[Row], job: ImportJob) -> list[int]:
    organizations = [
        Organization(
            kind=Organization.Kind.NGO,
            country=row.values["country"],
            territory_id=row.values["territory_id"],
            registration_number=row.values["bin"],
            name=row.values["name"],
            name_ru=row.values["name"],
            name_kk=row.values["name_kk"] or None,
            email=row.values["email"],
            phone=row.values["phone"],
            website=row.values["website"],
        )
        for row in rows
    ]
    Organization.objects.bulk_create(organizations)
    profiles = [
        NGOProfile(
            organization=organization,
            legal_form=row.values["legal_form"],
            founded_on=row.values["founded_on"],
            address=row.values["address"],
            beneficiary_groups=row.values["beneficiary_groups"],
        )
        for organization, row in zip(organizations, rows, strict=True)
    ]
    NGOProfile.objects.bulk_create(profiles)
    Organization.sectors.through.objects.bulk_create(
        [
            Organization.sectors.through(organization_id=organization.pk, sector_id=sector_id)
            for organization, row in zip(organizations, rows, strict=True)
            for sector_id in row.values["sector_ids"]
        ]
    )
    NGOProfile.work_territories.through.objects.bulk_create(
        [
            NGOProfile.work_territories.through(ngoprofile_id=profile.pk, territory_id=territory_id)
            for profile, row in zip(profiles, rows, strict=True)
            for territory_id in row.values["work_territory_ids"]
        ]
    )
    return [profile.pk for profile in profiles]


def _insert_reports(rows: list[Row], job: ImportJob) -> list[int]:
    now = timezone.now()
    fields = [c for c in REPORT_COLUMNS if c not in ("bin", "year")]
    reports = [
        AnnualReport(
            ngo_id=row.values["ngo_id"],
            year=row.values["year"],
            submitted_by_id=job.created_by_id,
            submitted_at=now,
            **{name: row.values[name] for name in fields},
        )
        for row in rows
    ]
    AnnualReport.objects.bulk_create(reports)
    ngos_lift_flags(ngo_ids={row.values["ngo_id"] for row in rows}, label="import")
    return [report.pk for report in reports]


INSERT = {ImportJob.Kind.NGOS: _insert_ngos, ImportJob.Kind.REPORTS: _insert_reports}
CHECK = {ImportJob.Kind.NGOS: check_ngo_row, ImportJob.Kind.REPORTS: check_report_row}
SORT = {ImportJob.Kind.NGOS: _sort_ngo_rows, ImportJob.Kind.REPORTS: _sort_report_rows}


def _write(job: ImportJob, result: BatchResult) -> list[int]:
    """Insert the good rows together; if that conflicts with a row written meanwhile, row by row."""
    insert = INSERT[ImportJob.Kind(job.kind)]
    try:
        with transaction.atomic():
            return insert(result.good, job)
    except IntegrityError:
        pass
    ids: list[int] = []
    good = result.good
    result.good = []
    for row in good:
        try:
            with transaction.atomic():
                ids += insert([row], job)
            result.good.append(row)
        except IntegrityError:
            row.reasons.append(_("The registry changed while this row was imported: import the row again."))
            result.bad.append(row)
    return ids


def process_batch(job: ImportJob, rows: list[tuple[int, dict[str, str]]], context: Context) -> BatchResult:
    """Check, sort and (unless a dry run) write one batch, and move the progress: one transaction."""
    kind = ImportJob.Kind(job.kind)
    checked = []
    for line, raw in rows:
        row = Row(line=line, raw=raw)
        CHECK[kind](row, context)
        checked.append(row)
    result = BatchResult()
    with transaction.atomic():
        SORT[kind](checked, result, context)
        ids = _write(job, result) if result.good and not job.dry_run else []
        if ids:
            audit.record(
                event=f"registry.importjob.{kind.value}_imported",
                actor=job.created_by,
                obj=job,
                data={"lines": [rows[0][0], rows[-1][0]], "ids": ids},
            )
        ImportRowError.objects.bulk_create(
            ImportRowError(job=job, line=r.line, reasons=r.reasons, row=r.raw) for r in result.bad
        )
        ImportJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now(),
            rows_done=F("rows_done") + len(rows),
            good_rows=F("good_rows") + len(result.good),
            skipped_rows=F("skipped_rows") + len(result.skipped),
            bad_rows=F("bad_rows") + len(result.bad),
        )
    return result


def _seen_before(job: ImportJob, rows: list[tuple[int, dict[str, str]]], context: Context) -> None:
    """On a resumed job, the keys of the rows already done that passed their checks, as the first run
    recorded them (the BIN as checked: with the leading zeros a spreadsheet drops put back), so that
    in-file duplicates stay caught."""
    kind = ImportJob.Kind(job.kind)
    for line, raw in rows[: job.rows_done]:
        row = Row(line=line, raw=raw)
        CHECK[kind](row, context)
        if not row.reasons:
            context.seen.setdefault(_key(kind, row), line)


def _key(kind: ImportJob.Kind, row: Row) -> str:
    """What makes two rows of a file the same record: the BIN (NGOs), the BIN and year (reports)."""
    if kind == ImportJob.Kind.NGOS:
        return str(row.values["bin"])
    return f"{row.values.get('bin')}/{row.values.get('year')}"


def run(job: ImportJob) -> ImportJob:
    from .services import IMPORT_MAX_ROWS, import_format

    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        headers, rows = read_rows(content, import_format(job.original_name), IMPORT_MAX_ROWS)
        check_headers(job.kind, headers)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
        context = ngo_context(rows) if job.kind == ImportJob.Kind.NGOS else Context()
        _seen_before(job, rows, context)
        for start in range(job.rows_done, len(rows), BATCH):
            process_batch(job, rows[start : start + BATCH], context)
    except (ImportFileError, ValidationError) as exc:
        return _finish(
            job, ImportJob.State.FAILED, str(exc.messages[0] if isinstance(exc, ValidationError) else exc)
        )
    except Exception:
        logger.exception("registry import %s failed", job.pk)
        return _finish(
            job,
            ImportJob.State.FAILED,
            _("The import stopped on an unexpected error. The rows counted as done are saved; resume it."),
        )
    if not job.dry_run and job.file:
        # The rows are in and bad rows are kept in ``errors``: the upload goes, also from the check
        # that shared it (so that check can no longer be imported twice).
        name = job.file.name
        job.file.delete(save=False)
        ImportJob.objects.filter(file=name).update(file="")
    return _finish(job, ImportJob.State.DONE, "")


def _finish(job: ImportJob, state: str, failure: str) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(state=state, failure=failure, finished_at=timezone.now())
    job.refresh_from_db()
    audit.record(
        event="registry.importjob.finished",
        actor=job.created_by,
        obj=job,
        data={
            "state": state,
            "dry_run": job.dry_run,
            "total": job.total_rows,
            "good": job.good_rows,
            "skipped": job.skipped_rows,
            "bad": job.bad_rows,
        },
    )
    return job


def bad_rows_csv(job: ImportJob) -> str:
    """The bad rows as they were read, with their line and reasons first, for fixing and re-importing."""
    errors = list(job.row_errors.order_by("line").values_list("line", "reasons", "row"))
    extra = sorted({key for _line, _reasons, row in errors for key in row} - set(COLUMNS[job.kind]))
    fields = ["line", "reasons", *COLUMNS[job.kind], *extra]
    rows = ({"line": line, "reasons": " | ".join(reasons), **row} for line, reasons, row in errors)
    return write_csv(rows, fields)


def template_csv(kind: str) -> str:
    """An empty file with the columns of ``kind``, to fill in."""
    return write_csv([], COLUMNS[kind])
