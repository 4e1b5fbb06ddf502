"""The NGO registry: an NGO's registry profile on top of its organisation, its annual reports (each
correction a new version, the old one kept), the reporting deadline per year, and bulk-import jobs.

The organisation row (``kenes.organizations.Organization``, kind NGO) holds what every organisation
has: names, the BIN (``registration_number``, unique per country and checked there), sectors, the
territory of registration, website, e-mail and phone. The profile adds what the registry needs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel


def money_field(verbose_name: Any) -> models.DecimalField[Decimal, Decimal]:
    """A non-negative amount in tenge (or som), two decimals."""
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )


MIN_YEAR = 1990


class LegalForm(models.TextChoices):
    PUBLIC_ASSOCIATION = "public_association", _("Public association")
    FOUNDATION = "foundation", _("Foundation")
    UNION = "union", _("Association or union of legal entities")
    PRIVATE_INSTITUTION = "private_institution", _("Private institution")
    NON_PROFIT_JSC = "non_profit_jsc", _("Non-profit joint-stock company")
    OTHER = "other", _("Other non-profit form")


class BeneficiaryGroup(models.TextChoices):
    CHILDREN = "children", _("Children and youth")
    OLDER = "older", _("Older people")
    DISABILITY = "disability", _("People with disabilities")
    WOMEN = "women", _("Women")
    LOW_INCOME = "low_income", _("Low-income families")
    RURAL = "rural", _("Rural residents")
    MIGRANTS = "migrants", _("Migrants and refugees")
    VETERANS = "veterans", _("Veterans")
    GENERAL = "general", _("The general public")


class RegistryStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    POSSIBLY_NON_OPERATING = "possibly_non_operating", _("Possibly non-operating")
    SUSPENDED = "suspended", _("Suspended")
    LIQUIDATED = "liquidated", _("Liquidated")


class NGOProfileQuerySet(models.QuerySet["NGOProfile"]):
    def with_related(self) -> NGOProfileQuerySet:
        return self.select_related("organization", "organization__territory").prefetch_related(
            "organization__sectors"
        )


class NGOProfile(TimeStampedModel):
    """What the registry knows about one NGO beyond its organisation row."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="ngo_profile",
        verbose_name=_("organisation"),
    )
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    founded_on = models.DateField(_("registered on"), null=True, blank=True)
    work_territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territories where it works"),
        blank=True,
        related_name="ngos_working_here",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    beneficiary_groups = models.JSONField(_("beneficiary groups"), default=list, blank=True)
    status = models.CharField(
        _("registry status"),
        max_length=30,
        choices=RegistryStatus.choices,
        default=RegistryStatus.OPERATING,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    flagged_by_job = models.BooleanField(
        _("flagged by the reporting job"),
        default=False,
        help_text=_("Set when the job marked it possibly non-operating; lifted when it reports again."),
    )

    objects = NGOProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("NGO registry record")
        verbose_name_plural = _("NGO registry records")
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flagged_by_job=False) | Q(status="possibly_non_operating"),
                name="registry_flag_only_when_possibly_non_operating",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def bin(self) -> str:
        return self.organization.registration_number

    def get_beneficiary_groups_display(self) -> list[str]:
        labels = dict(BeneficiaryGroup.choices)
        return [str(labels.get(code, code)) for code in self.beneficiary_groups]


class ReportingDeadline(models.Model):
    """The date by which reports for a year are due (else the default: 31 March of the next year)."""

    year = models.PositiveSmallIntegerField(_("reporting year"), unique=True)
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR), name="registry_deadline_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.due_on.isoformat()}"

    def clean(self) -> None:
        if self.year and self.due_on and self.due_on.year <= self.year:
            raise ValidationError(
                {"due_on": _("Reports for a year can only be due after that year has ended.")},
                code="due_in_year",
            )


def default_due_on(year: int) -> datetime.date:
    month, day = settings.REGISTRY_REPORT_DUE
    return datetime.date(year + 1, month, day)


INCOME_FIELDS = ("income_state", "income_grants", "income_foreign", "income_donations", "income_own")
#: Fields the law keeps private: shown only to the NGO's members and to staff, never in open data
#: or the audit log.
PRIVATE_FIELDS = ("contact_person", "contact_phone", "donors")


class AnnualReportQuerySet(models.QuerySet["AnnualReport"]):
    def current(self) -> AnnualReportQuerySet:
        return self.filter(is_current=True)


class AnnualReport(TimeStampedModel):
    """One version of an NGO's report for one year. A correction adds a version and keeps this one."""

    ngo = models.ForeignKey(
        NGOProfile, on_delete=models.PROTECT, related_name="reports", verbose_name=_("NGO")
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"))
    activity_areas = models.TextField(_("areas of activity"))
    projects_count = models.PositiveIntegerField(_("number of projects"), default=0)
    projects = models.TextField(_("projects"), blank=True)
    beneficiaries_reached = models.PositiveIntegerField(_("beneficiaries reached"), default=0)
    income_state = money_field(_("income from the state budget"))
    income_grants = money_field(_("income from grants"))
    income_foreign = money_field(_("income from foreign sources"))
    income_donations = money_field(_("income from donations"))
    income_own = money_field(_("own income"))
    expenses = money_field(_("expenses"))
    # Private (PRIVATE_FIELDS)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    donors = models.TextField(_("names of private donors"), blank=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["ngo", "year"], condition=Q(is_current=True), name="registry_one_current_report"
            ),
            models.UniqueConstraint(fields=["ngo", "year", "version"], name="registry_unique_report_version"),
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR), name="registry_report_year_range"),
            models.CheckConstraint(condition=Q(version__gte=1), name="registry_report_version_positive"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}), name=f"registry_{name}_non_negative"
                )
                for name in (*INCOME_FIELDS, "expenses")
            ),
        ]
        indexes = [models.Index(fields=["year", "is_current"], name="registry_report_year_current")]

    def __str__(self) -> str:
        return f"{self.ngo} — {self.year} (v{self.version})"

    @property
    def income_total(self) -> Decimal:
        return sum((getattr(self, name) for name in INCOME_FIELDS), Decimal("0"))


class ImportJob(TimeStampedModel):
    """A bulk import of NGOs or reports from a CSV or XLSX file, run by a job in batches."""

    class Kind(models.TextChoices):
        NGOS = "ngos", _("NGOs")
        REPORTS = "reports", _("Annual reports")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("what is imported"), max_length=10, choices=Kind.choices)
    dry_run = models.BooleanField(_("check only"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    file = models.FileField(_("file"), upload_to="registry/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    good_rows = models.PositiveIntegerField(_("good rows"), default=0)
    skipped_rows = models.PositiveIntegerField(_("rows already in the registry"), default=0)
    bad_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    failure = models.TextField(_("why it failed"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("total_rows")), name="registry_import_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return (
            int(100 * self.rows_done / self.total_rows)
            if self.total_rows
            else (100 if self.is_finished else 0)
        )


class ImportRowError(models.Model):
    """A bad row of an import: never written to the registry, kept with its line, its values as read and
    its reasons (translated in the language of the person who started the import), to be fixed and
    imported again. One row per line of a job; each batch adds its bad rows in the batch's transaction."""

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="row_errors", verbose_name=_("import job")
    )
    line = models.PositiveIntegerField(_("line"))
    reasons = models.JSONField(_("reasons"), default=list)
    row = models.JSONField(_("values as read"), default=dict)

    class Meta:
        verbose_name = _("bad row")
        verbose_name_plural = _("bad rows")
        ordering = ["job", "line"]
        constraints = [models.UniqueConstraint(fields=["job", "line"], name="registry_import_row_error_line")]

    def __str__(self) -> str:
        return f"{self.job_id}: {self.line}"
