"""Bulk import of NGOs and annual reports from CSV or XLSX (tablib), run by ``services.import_job_run``.

The file is read once; rows are checked and written in batches of ``BATCH`` rows. Each batch is one
transaction that also moves the job's progress counters, so a crash loses no committed row and
leaves no part of a row behind: every row of a batch lands whole (organisation, registry profile,
sectors, territories; or a report) or not at all, and a resumed job starts after the last committed
batch. A bad row is never written; it is kept in ``ImportJob.errors`` with its line number, its
values and its reasons, and offered back as a CSV file with a ``reasons`` column. A row whose BIN
(NGOs) or BIN and year (reports) is already in the registry is skipped, so a file can be imported
again after its bad rows were fixed. The column names are in docs/registry.md.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.organizations.models import Organization, Sector
from kenes.organizations.validators import validate_registration_number
from kenes.territories.models import Territory

from .csvsafe import write_csv
from .models import (
    INCOME_FIELDS,
    AnnualReport,
    BeneficiaryGroup,
    ImportJob,
    LegalForm,
    NGOProfile,
    RegistryStatus,
)

logger = logging.getLogger(__name__)

BATCH = 1000
MAX_COUNT = 2_000_000_000
LIST_SEPARATOR = ";"

NGO_COLUMNS = [
    "bin",
    "name",
    "name_kk",
    "legal_form",
    "founded_on",
    "territory_code",
    "sectors",
    "work_territories",
    "beneficiary_groups",
    "email",
    "phone",
    "website",
    "address",
]
NGO_REQUIRED = ["bin", "name", "legal_form", "territory_code"]
REPORT_COLUMNS = [
    "bin",
    "year",
    "activity_areas",
    "projects_count",
    "projects",
    "beneficiaries_reached",
    *INCOME_FIELDS,
    "expenses",
    "contact_person",
    "contact_phone",
    "donors",
]
REPORT_REQUIRED = ["bin", "year", "activity_areas", *INCOME_FIELDS, "expenses"]
COLUMNS: dict[str, list[str]] = {ImportJob.Kind.NGOS: NGO_COLUMNS, ImportJob.Kind.REPORTS: REPORT_COLUMNS}
REQUIRED: dict[str, list[str]] = {ImportJob.Kind.NGOS: NGO_REQUIRED, ImportJob.Kind.REPORTS: REPORT_REQUIRED}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, columns missing, too many rows)."""


# --- reading the file ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(
    content: bytes, file_format: str, max_rows: int
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The normalised headers and ``(line, row)`` pairs (line 1 is the header); empty rows dropped."""
    try:
        if file_format == "csv":
            dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except (UnicodeDecodeError, ValueError, KeyError, OSError, tablib.UnsupportedFormat) as exc:
        raise ImportFileError(
            _("The file cannot be read as %(format)s.") % {"format": file_format.upper()}
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise ImportFileError(
            _("The file cannot be read as %(format)s.") % {"format": file_format.upper()}
        ) from exc
    headers = [_cell(h).lower() for h in (dataset.headers or [])]
    if len(dataset) > max_rows:
        raise ImportFileError(_("The file has more than %(max)s rows. Split it.") % {"max": max_rows})
    rows = []
    for index, values in enumerate(dataset, start=2):
        row = {header: _cell(value) for header, value in zip(headers, values, strict=False) if header}
        if any(row.values()):
            rows.append((index, row))
    return headers, rows


def check_headers(kind: str, headers: list[str]) -> None:
    missing = [column for column in REQUIRED[kind] if column not in headers]
    if missing:
        raise ImportFileError(
            _("The file lacks these columns: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(missing)}
        )


# --- checking one row ----------------------------------------------------------------------------------


@dataclass
class Row:
    """One row being checked: its values as read, what was parsed and the reasons it is bad."""

    line: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.reasons.append(f"{column}: {message}")

    def text(self, column: str, *, required: bool = False, max_length: int = 10_000) -> str:
        value = self.raw.get(column, "")
        if required and not value:
            self.error(column, _("This value is required."))
        elif len(value) > max_length:
            self.error(column, _("At most %(max)s characters.") % {"max": max_length})
        return value

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return None if required else 0
        if not value.isascii() or not value.isdigit() or int(value) > MAX_COUNT:
            self.error(column, _("Enter a whole number from 0 to %(max)s.") % {"max": MAX_COUNT})
            return None
        return int(value)

    def money(self, column: str) -> Decimal | None:
        value = self.text(column, required=True).replace(" ", "").replace(",", ".")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(column, _("Enter an amount, such as 1500000.00."))
            return None
        if not number.is_finite() or number < 0:
            self.error(column, _("An amount cannot be negative."))
            return None
        if number != round(number, 2) or abs(number) >= Decimal(10) ** 14:
            self.error(column, _("Enter an amount with at most two decimals and fourteen digits."))
            return None
        return number

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            self.error(column, _("Enter a date as YYYY-MM-DD."))
            return None
        if day > timezone.localdate():
            self.error(column, _("The date cannot be in the future."))
        return day

    def choice(self, column: str, choices: Iterable[str]) -> str:
        value = self.text(column, required=True)
        if value and value not in choices:
            self.error(column, _("Unknown value “%(value)s”.") % {"value": value})
        return value

    def codes(self, column: str) -> list[str]:
        value = self.text(column)
        return list(dict.fromkeys(code.strip() for code in value.split(LIST_SEPARATOR) if code.strip()))


def _validate(row: Row, column: str, validator: Callable[[str], None], value: str) -> None:
    if value:
        try:
            validator(value)
        except ValidationError as exc:
            for message in exc.messages:
                row.error(column, message)


def _bin(row: Row, country: str | None = None) -> str:
    """A Kazakh BIN (12 digits) or a Kyrgyz INN (14 digits). Without a country (a report's row), the
    length says which. A spreadsheet drops the leading zeros of a number: they are put back."""
    value = row.text("bin", required=True)
    if country is None:
        country = "KG" if len(value) >= 13 else "KZ"
    length = 14 if country == "KG" else 12
    if value.isascii() and value.isdigit() and len(value) < length:
        value = value.zfill(length)
    if value:
        _validate(row, "bin", lambda v: validate_registration_number(country, v), value)
    return value


# --- context read once per batch -----------------------------------------------------------------------


@dataclass
class Context:
    """Lookups for the rows: read once per file or per batch, never per row."""

    territories: dict[str, tuple[int, str]] = field(default_factory=dict)
    sectors: dict[str, int] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)


def _territories(codes: set[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    code_list = sorted(codes)
    for start in range(0, len(code_list), 500):
        for pk, code, country in Territory.objects.filter(
            code__in=code_list[start : start + 500]
        ).values_list("pk", "code", "country"):
            found.setdefault(code, (pk, country))
    return found


def ngo_context(rows: list[tuple[int, dict[str, str]]]) -> Context:
    codes: set[str] = set()
    for _line, raw in rows:
        codes.add(raw.get("territory_code", ""))
        codes.update(c.strip() for c in raw.get("work_territories", "").split(LIST_SEPARATOR))
    codes.discard("")
    return Context(territories=_territories(codes), sectors=dict(Sector.objects.values_list("code", "pk")))


def check_ngo_row(row: Row, context: Context) -> None:
    code = row.text("territory_code", required=True)
    territory = context.territories.get(code)
    if code and territory is None:
        row.error("territory_code", _("No territory has the code “%(code)s”.") % {"code": code})
    country = territory[1] if territory else None
    values = row.values
    values["bin"] = _bin(row, country)
    values["country"] = country
    values["territory_id"] = territory[0] if territory else None
    values["name"] = row.text("name", required=True, max_length=300)
    values["name_kk"] = row.text("name_kk", max_length=300)
    values["legal_form"] = row.choice("legal_form", LegalForm.values)
    values["founded_on"] = row.date("founded_on")
    sectors = row.codes("sectors")
    unknown = [c for c in sectors if c not in context.sectors]
    if unknown:
        row.error("sectors", _("Unknown sector: %(codes)s.") % {"codes": ", ".join(unknown)})
    values["sector_ids"] = [context.sectors[c] for c in sectors if c in context.sectors]
    works = row.codes("work_territories")
    missing = [c for c in works if c not in context.territories]
    if missing:
        row.error(
            "work_territories", _("No territory has the code “%(code)s”.") % {"code": ", ".join(missing)}
        )
    values["work_territory_ids"] = [context.territories[c][0] for c in works if c in context.territories]
    groups = row.codes("beneficiary_groups")
    bad_groups = [g for g in groups if g not in BeneficiaryGroup.values]
    if bad_groups:
        row.error("beneficiary_groups", _("Unknown value “%(value)s”.") % {"value": ", ".join(bad_groups)})
    values["beneficiary_groups"] = groups
    values["email"] = row.text("email", max_length=254)
    _validate(row, "email", EmailValidator(), values["email"])
    values["phone"] = row.text("phone", max_length=40)
    values["website"] = row.text("website", max_length=200)
    _validate(row, "website", URLValidator(schemes=["http", "https"]), values["website"])
    values["address"] = row.text("address", max_length=300)


def check_report_row(row: Row, context: Context) -> None:
    values = row.values
    values["bin"] = _bin(row)
    year = row.integer("year", required=True)
    today = timezone.localdate()
    if year is not None and not 1990 <= year < today.year:
        row.error("year", _("A report can be submitted once its year has ended."))
    values["year"] = year
    values["activity_areas"] = row.text("activity_areas", required=True)
    values["projects_count"] = row.integer("projects_count")
    values["projects"] = row.text("projects")
    values["beneficiaries_reached"] = row.integer("beneficiaries_reached")
    for name in (*INCOME_FIELDS, "expenses"):
        values[name] = row.money(name)
    values["contact_person"] = row.text("contact_person", max_length=200)
    values["contact_phone"] = row.text("contact_phone", max_length=40)
    values["donors"] = row.text("donors")


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
        if row.reasons or _in_file_duplicate(row, row.values["bin"], context):
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
        key = f"{row.values.get('bin')}/{row.values.get('year')}"
        if row.reasons or _in_file_duplicate(row, key, context):
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
    from .services import ngos_lift_flags

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
        result.bad.sort(key=lambda row: row.line)
        job.errors = [
            *job.errors,
            *({"line": r.line, "reasons": r.reasons, "row": r.raw} for r in result.bad),
        ]
        job.save(update_fields=["errors", "updated_at"])
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=F("rows_done") + len(rows),
            good_rows=F("good_rows") + len(result.good),
            skipped_rows=F("skipped_rows") + len(result.skipped),
            bad_rows=F("bad_rows") + len(result.bad),
        )
    return result


def _seen_before(job: ImportJob, rows: list[tuple[int, dict[str, str]]], context: Context) -> None:
    """On a resumed job, the keys of rows already done, so that in-file duplicates stay caught."""
    for line, raw in rows[: job.rows_done]:
        key = raw.get("bin", "") if job.kind == ImportJob.Kind.NGOS else f"{raw.get('bin')}/{raw.get('year')}"
        context.seen.setdefault(key, line)


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
        job.file.delete(save=False)  # the rows are in; bad rows are kept in ``errors``
        ImportJob.objects.filter(pk=job.pk).update(file="")
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
    extra = sorted({key for error in job.errors for key in error["row"]} - set(COLUMNS[job.kind]))
    fields = ["line", "reasons", *COLUMNS[job.kind], *extra]
    rows = ({"line": e["line"], "reasons": " | ".join(e["reasons"]), **e["row"]} for e in job.errors)
    return write_csv(rows, fields)


def template_csv(kind: str) -> str:
    """An empty file with the columns of ``kind``, to fill in."""
    return write_csv([], COLUMNS[kind])
