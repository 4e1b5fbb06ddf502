"""Every write of the NGO registry (docs/registry.md): registering an NGO, its status, annual reports
and their corrections, the non-reporting flag (``reporting.py``), and bulk imports (the row work is
``importing.py``'s).

Each service checks the permission (``require_perm``), validates, writes in one transaction and
records an audit event ``registry.<model>.<verb>``. The private fields of a report (``PRIVATE_FIELDS``)
never go into the audit log: an event says only that they changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm
from kenes.organizations.models import Organization, Sector
from kenes.organizations.services import organization_create
from kenes.territories.models import Territory

from .models import (
    INCOME_FIELDS,
    MIN_YEAR,
    PRIVATE_FIELDS,
    AnnualReport,
    BeneficiaryGroup,
    ImportJob,
    NGOProfile,
    RegistryStatus,
)
from .reporting import (  # noqa: F401  (the interface's names for the deadlines and the flag job)
    FlagResult,
    due_on,
    ngos_flag_non_reporting,
    ngos_lift_flags,
    reporting_window,
)
from .tasks import import_job_run_task

#: The report fields a submission or correction may set.
REPORT_FIELDS = (
    "activity_areas",
    "projects_count",
    "projects",
    "beneficiaries_reached",
    *INCOME_FIELDS,
    "expenses",
    *PRIVATE_FIELDS,
)
PUBLIC_REPORT_FIELDS = tuple(f for f in REPORT_FIELDS if f not in PRIVATE_FIELDS)


def is_late(report: AnnualReport, due: datetime.date | None = None) -> bool:
    """Submitted after ``due`` (the report year's deadline, read when not given)."""
    return timezone.localdate(report.submitted_at) > (due or due_on(report.year))


# --- NGOs ----------------------------------------------------------------------------------------------


def _check_beneficiary_groups(groups: Iterable[str]) -> list[str]:
    groups = list(dict.fromkeys(groups))
    unknown = [g for g in groups if g not in BeneficiaryGroup.values]
    if unknown:
        raise ValidationError(
            {
                "beneficiary_groups": _("Unknown beneficiary group: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            },
            code="beneficiary_group",
        )
    return groups


def _require_bin(registration_number: str) -> None:
    if not registration_number:
        raise ValidationError(
            {
                "registration_number": ValidationError(
                    _("An NGO in the registry needs its BIN."), code="bin_required"
                )
            }
        )


def _profile_create(
    *,
    actor: Any,
    organization: Organization,
    legal_form: str,
    founded_on: datetime.date | None,
    work_territories: Iterable[Territory],
    beneficiary_groups: Iterable[str],
    address: str,
) -> NGOProfile:
    groups = _check_beneficiary_groups(beneficiary_groups)
    if founded_on is not None and founded_on > timezone.localdate():
        raise ValidationError(
            {
                "founded_on": ValidationError(
                    _("The registration date cannot be in the future."), code="future"
                )
            }
        )
    profile = NGOProfile(
        organization=organization,
        legal_form=legal_form,
        founded_on=founded_on,
        address=address,
        beneficiary_groups=groups,
    )
    profile.full_clean(exclude=["organization"])
    profile.save()
    profile.work_territories.set(list(work_territories))
    audit.record(
        event="registry.ngoprofile.created",
        actor=actor,
        obj=profile,
        after={
            "organization_id": organization.pk,
            "legal_form": legal_form,
            "founded_on": founded_on,
            "beneficiary_groups": groups,
            "work_territories": sorted(t.code for t in profile.work_territories.all()),
        },
    )
    return profile


def ngo_register(
    *,
    actor: Any,
    name: str,
    registration_number: str,
    territory: Territory,
    legal_form: str,
    founded_on: datetime.date | None = None,
    sectors: Iterable[Sector] = (),
    work_territories: Iterable[Territory] = (),
    beneficiary_groups: Iterable[str] = (),
    address: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
    is_sample: bool = False,
) -> NGOProfile:
    """Enter a new NGO in the registry: its organisation (kind NGO) and its registry profile."""
    require_perm(actor, "registry.add_ngoprofile")
    _require_bin(registration_number)
    with transaction.atomic():
        organization = organization_create(
            actor=actor,
            kind=Organization.Kind.NGO,
            country=territory.country,
            territory=territory,
            sectors=sectors,
            registration_number=registration_number,
            email=email,
            phone=phone,
            website=website,
            is_sample=is_sample,
            **{f"name_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}": name},
        )
        return _profile_create(
            actor=actor,
            organization=organization,
            legal_form=legal_form,
            founded_on=founded_on,
            work_territories=work_territories,
            beneficiary_groups=beneficiary_groups,
            address=address,
        )


def ngo_enrol(
    *,
    actor: Any,
    organization: Organization,
    legal_form: str,
    founded_on: datetime.date | None = None,
    work_territories: Iterable[Territory] = (),
    beneficiary_groups: Iterable[str] = (),
    address: str = "",
) -> NGOProfile:
    """Enter in the registry an NGO that is already in Kenes as an organisation (with its BIN)."""
    require_perm(actor, "registry.add_ngoprofile")
    if organization.kind != Organization.Kind.NGO:
        raise ValidationError(_("Only an NGO can be entered in the NGO registry."), code="not_ngo")
    _require_bin(organization.registration_number)
    with transaction.atomic():
        if NGOProfile.objects.filter(organization=organization).exists():
            raise ValidationError(_("This NGO is already in the registry."), code="already_registered")
        return _profile_create(
            actor=actor,
            organization=organization,
            legal_form=legal_form,
            founded_on=founded_on,
            work_territories=work_territories,
            beneficiary_groups=beneficiary_groups,
            address=address,
        )


def ngo_set_status(*, actor: Any, ngo: NGOProfile, status: str, reason: str) -> NGOProfile:
    """Staff set the registry status with a reason; a status set by hand is never changed by the job."""
    require_perm(actor, "registry.set_status_ngoprofile", ngo)
    reason = reason.strip()
    if status not in RegistryStatus.values:
        raise ValidationError({"status": ValidationError(_("Choose a status."), code="status")})
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for the change."), code="reason_required")}
        )
    with transaction.atomic():
        ngo = NGOProfile.objects.select_for_update().get(pk=ngo.pk)
        before = {"status": ngo.status, "flagged_by_job": ngo.flagged_by_job}
        ngo.status = status
        ngo.flagged_by_job = False
        ngo.status_reason = reason
        ngo.status_changed_at = timezone.now()
        ngo.status_changed_by = actor
        ngo.save(
            update_fields=[
                "status",
                "flagged_by_job",
                "status_reason",
                "status_changed_at",
                "status_changed_by",
                "updated_at",
            ]
        )
        audit.record(
            event="registry.ngoprofile.status_changed",
            actor=actor,
            obj=ngo,
            before=before,
            after={"status": status, "flagged_by_job": False, "reason": reason},
        )
    return ngo


# --- annual reports ------------------------------------------------------------------------------------


def _check_report_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"cannot set {', '.join(sorted(unknown))} on a report")


def check_report_year(ngo: NGOProfile, year: int, today: datetime.date) -> None:
    if ngo.status == RegistryStatus.LIQUIDATED:
        raise ValidationError(_("This NGO has been liquidated: it no longer reports."), code="liquidated")
    if year < MIN_YEAR:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("The registry holds reports from %(year)s on.") % {"year": MIN_YEAR},
                    code="year_too_early",
                )
            }
        )
    if year >= today.year:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("A report can be submitted once its year has ended."), code="year_not_ended"
                )
            }
        )
    if ngo.founded_on is not None and year < ngo.founded_on.year:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("The NGO was not yet registered in %(year)s.") % {"year": year},
                    code="year_before_registration",
                )
            }
        )


def public_values(report: AnnualReport) -> dict[str, Any]:
    return {field: getattr(report, field) for field in PUBLIC_REPORT_FIELDS}


def _save_report(report: AnnualReport) -> None:
    report.full_clean(exclude=["ngo", "submitted_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("A report for this year has just been submitted. Reload the page to see it."),
            code="report_exists",
        ) from exc


def report_submit(
    *, actor: Any, ngo: NGOProfile, year: int, today: datetime.date | None = None, **fields: Any
) -> AnnualReport:
    """The NGO's first report for ``year`` (version 1). A second one is a correction."""
    _check_report_fields(fields)
    with transaction.atomic():
        ngo = NGOProfile.objects.select_for_update().get(pk=ngo.pk)  # its status as it is now
        require_perm(actor, "registry.submit_annualreport", ngo)
        check_report_year(ngo, year, today or timezone.localdate())
        if AnnualReport.objects.filter(ngo=ngo, year=year, is_current=True).exists():
            raise ValidationError(
                {
                    "year": ValidationError(
                        _("A report for %(year)s is already in. Correct it instead.") % {"year": year},
                        code="report_exists",
                    )
                }
            )
        report = AnnualReport(ngo=ngo, year=year, submitted_by=actor, submitted_at=timezone.now(), **fields)
        _save_report(report)
        audit.record(
            event="registry.annualreport.submitted",
            actor=actor,
            obj=report,
            data={"ngo_id": ngo.pk, "year": year, "version": 1, "late": is_late(report)},
            after=public_values(report),
        )
        transaction.on_commit(lambda: ngos_lift_flags(ngo_ids=[ngo.pk]))
    return report


def report_correct(*, actor: Any, report: AnnualReport, reason: str, **fields: Any) -> AnnualReport:
    """A new version of ``report`` with ``fields`` changed; the old version stays, no longer current."""
    _check_report_fields(fields)
    reason = reason.strip()
    with transaction.atomic():
        old = AnnualReport.objects.select_for_update().select_related("ngo").get(pk=report.pk)
        require_perm(actor, "registry.submit_annualreport", old.ngo)
        if not reason:
            raise ValidationError(
                {"reason": ValidationError(_("Say why the report is corrected."), code="reason_required")}
            )
        if not old.is_current:
            raise ValidationError(
                _("This version has already been corrected. Correct the current version."),
                code="not_current",
            )
        values = {field: getattr(old, field) for field in REPORT_FIELDS} | fields
        new = AnnualReport(
            ngo=old.ngo,
            year=old.year,
            version=old.version + 1,
            correction_reason=reason,
            submitted_by=actor,
            submitted_at=timezone.now(),
            **values,
        )
        new.full_clean(exclude=["ngo", "submitted_by"], validate_constraints=False)
        changed = [f for f in REPORT_FIELDS if getattr(new, f) != getattr(old, f)]
        if not changed:
            raise ValidationError(_("Nothing was changed."), code="no_change")
        AnnualReport.objects.filter(pk=old.pk).update(is_current=False, updated_at=timezone.now())
        _save_report(new)
        public_changed = [f for f in changed if f not in PRIVATE_FIELDS]
        audit.record(
            event="registry.annualreport.corrected",
            actor=actor,
            obj=new,
            data={
                "ngo_id": old.ngo_id,
                "year": old.year,
                "version": new.version,
                "replaces": old.pk,
                "reason": reason,
                "private_fields_changed": [f for f in changed if f in PRIVATE_FIELDS],
            },
            before={f: getattr(old, f) for f in public_changed},
            after={f: getattr(new, f) for f in public_changed},
        )
    return new


# --- imports -------------------------------------------------------------------------------------------

#: The largest file accepted (bytes) and the most rows.
IMPORT_MAX_BYTES = 25 * 1024 * 1024
IMPORT_MAX_ROWS = 100_000
IMPORT_FORMATS = {"csv": "csv", "xlsx": "xlsx"}


def import_format(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in IMPORT_FORMATS:
        raise ValidationError(
            {"file": ValidationError(_("Upload a .csv or .xlsx file."), code="import_format")}
        )
    return IMPORT_FORMATS[extension]


def import_job_create(*, actor: Any, kind: str, upload: UploadedFile, dry_run: bool) -> ImportJob:
    """Store the file and start the job (after commit); the job page shows its progress."""
    require_perm(actor, "registry.import_importjob")
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": ValidationError(_("Choose what the file holds."), code="import_kind")})
    import_format(upload.name or "")
    if (upload.size or 0) > IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": ValidationError(_("The file is larger than 25 MB."), code="import_too_large")}
        )
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            dry_run=dry_run,
            created_by=actor,
            original_name=(upload.name or "")[-255:],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        job.file.save(upload.name or "import", upload, save=False)
        job.save()
        audit.record(
            event="registry.importjob.created",
            actor=actor,
            obj=job,
            data={"kind": kind, "dry_run": dry_run, "file": job.original_name},
        )
        transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


def import_job_import_checked(*, actor: Any, job: ImportJob) -> ImportJob:
    """After a check: import the same file for real (its good rows)."""
    require_perm(actor, "registry.import_importjob")
    if not job.dry_run or job.state != ImportJob.State.DONE or not job.file:
        raise ValidationError(_("Only a finished check can be imported."), code="import_not_checked")
    with transaction.atomic():
        new = ImportJob(
            kind=job.kind,
            dry_run=False,
            created_by=actor,
            original_name=job.original_name,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            file=job.file.name,
        )
        new.save()
        audit.record(
            event="registry.importjob.created",
            actor=actor,
            obj=new,
            data={"kind": new.kind, "dry_run": False, "file": new.original_name, "checked_by_job": job.pk},
        )
        transaction.on_commit(lambda: import_job_run_task.delay(new.pk))
    return new


def import_job_run(*, job_id: int) -> ImportJob | None:
    """The job: claim a waiting import (a conditional UPDATE, so two workers never run one job) and
    run it from the first row not yet done; see ``importing.run``."""
    from .importing import run

    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PENDING).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(job.language):
        return run(job)


def import_job_resume(*, actor: Any, job: ImportJob) -> ImportJob:
    """Run a failed import again from the first row its committed batches had not reached."""
    require_perm(actor, "registry.import_importjob")
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.FAILED).update(
            state=ImportJob.State.PENDING, failure="", finished_at=None
        )
        if not updated:
            raise ValidationError(_("Only a failed import can be resumed."), code="import_not_failed")
        audit.record(
            event="registry.importjob.resumed", actor=actor, obj=job, data={"rows_done": job.rows_done}
        )
        transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    job.refresh_from_db()
    return job
