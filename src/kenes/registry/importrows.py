"""Reading an import file and checking its rows, one at a time (``importing.py`` runs the batches).

Every check gives a translated reason prefixed with the column's name; a row with no reason is good
as far as the row itself goes (duplicates and what is already in the registry are the batch's
business). Lookups (territories, sectors) are read once per file, never per row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.organizations.models import Sector
from kenes.organizations.validators import validate_registration_number
from kenes.territories.models import Territory

from .models import INCOME_FIELDS, BeneficiaryGroup, ImportJob, LegalForm

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
    except Exception as exc:  # a bad encoding, tablib.UnsupportedFormat; openpyxl raises many kinds
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
