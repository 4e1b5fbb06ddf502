"""Implementation: the contract and its milestones, reports accepted or returned with reasons,
monitoring notes and the final evaluation."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.common.permissions import require_perm
from kenes.obligations import services as obligations
from kenes.organizations.selectors import people_of

from ..models import (
    Application,
    Contract,
    ContractMilestone,
    FinalEvaluation,
    Indicator,
    MilestoneTarget,
    MonitoringNote,
    Report,
    ReportValue,
)
from ._common import OFFICIAL_ROLES, field_error, notify, record
from .applications import APPLICANT_ROLES


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    deliverable: str
    due_on: date
    targets: Mapping[int, Decimal] = field(default_factory=dict)  # indicator id → target


def _require_active(contract: Contract) -> None:
    if contract.state != Contract.State.ACTIVE:
        raise ValidationError(_("This contract is no longer being implemented."), code="not_active")


def _milestone_create(contract: Contract, spec: MilestoneSpec, position: int) -> ContractMilestone:
    if not (contract.starts_on <= spec.due_on <= contract.ends_on):
        raise field_error(
            "due_on", _("A milestone must fall within the contract's period."), "outside_period"
        )
    milestone = ContractMilestone(
        contract=contract,
        title=spec.title.strip(),
        deliverable=spec.deliverable.strip(),
        due_on=spec.due_on,
        position=position,
    )
    milestone.full_clean(exclude=["contract"])
    milestone.save()
    indicators = set(
        Indicator.objects.filter(programme_id=contract.application.call.programme_id).values_list(
            "pk", flat=True
        )
    )
    for indicator_id, target in spec.targets.items():
        if indicator_id not in indicators:
            raise ValidationError(_("Choose an indicator of this programme."), code="other_indicator")
        if target < 0:
            raise ValidationError(_("A target cannot be negative."), code="negative")
        MilestoneTarget.objects.create(milestone=milestone, indicator_id=indicator_id, target=target)
    return milestone


def contract_create(
    *,
    actor: Any,
    application: Application,
    number: str,
    signed_on: date,
    starts_on: date,
    ends_on: date,
    amount: Decimal | None = None,
    milestones: Sequence[MilestoneSpec] = (),
) -> Contract:
    """Sign the contract for an awarded application (the amount defaults to the award's)."""
    require_perm(actor, "grants.manage_application", application)
    if application.state != Application.State.AWARDED:
        raise ValidationError(_("A contract is signed only for an awarded application."), code="not_awarded")
    award_amount = application.award.amount
    amount = award_amount if amount is None else amount
    if amount <= 0 or amount > award_amount:
        message = _("The contract's amount must be above zero and no more than the award, %(award)s.")
        raise field_error("amount", message % {"award": award_amount}, "amount")
    if ends_on < starts_on:
        raise field_error("ends_on", _("The contract must end after it starts."), "period")
    with transaction.atomic():
        contract = Contract(
            application=application,
            number=(number or "").strip(),
            signed_on=signed_on,
            starts_on=starts_on,
            ends_on=ends_on,
            amount=amount,
            created_by=actor,
        )
        contract.full_clean(exclude=["application"], validate_unique=False)
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError as error:
            raise ValidationError(_("This application already has a contract."), code="duplicate") from error
        for position, spec in enumerate(milestones):
            _milestone_create(contract, spec, position)
        record(
            "contract.signed",
            actor,
            contract,
            application=application.pk,
            amount=str(amount),
            milestones=len(milestones),
        )
        notify(
            people_of([application.organization_id], APPLICANT_ROLES),
            "contract_signed",
            subject=application,
            url=application.call.get_absolute_url(),
            dedupe_key=f"grants-contract:{contract.pk}",
            contract=contract,
            application=application,
        )
    return contract


def milestone_add(*, actor: Any, contract: Contract, spec: MilestoneSpec) -> ContractMilestone:
    require_perm(actor, "grants.manage_contract", contract)
    _require_active(contract)
    with transaction.atomic():
        milestone = _milestone_create(contract, spec, contract.milestones.count())
        record("milestone.added", actor, milestone, contract=contract.pk, due_on=spec.due_on.isoformat())
    return milestone


def _check_report(
    contract: Contract, kind: str, spent: Decimal | None, values: Mapping[int, Decimal]
) -> None:
    if kind not in Report.Kind.values:
        raise field_error("kind", _("Choose the kind of report."), "kind")
    if kind == Report.Kind.FINANCIAL and spent is None:
        raise field_error("spent", _("A financial report states the amount spent."), "spent_required")
    if spent is not None and spent < 0:
        raise field_error("spent", _("The amount spent cannot be negative."), "negative")
    indicators = set(
        Indicator.objects.filter(programme_id=contract.application.call.programme_id).values_list(
            "pk", flat=True
        )
    )
    if set(values) - indicators:
        raise ValidationError(_("Choose an indicator of this programme."), code="other_indicator")


def report_submit(
    *,
    actor: Any,
    milestone: ContractMilestone,
    kind: str,
    text: str,
    spent: Decimal | None = None,
    values: Mapping[int, Decimal] | None = None,
) -> Report:
    """The NGO reports on a milestone: a narrative report (with the indicators reached) or a
    financial one (with the amount spent). One live report of each kind per milestone."""
    contract = milestone.contract
    require_perm(actor, "grants.report_contract", contract)
    _require_active(contract)
    values = values or {}
    _check_report(contract, kind, spent, values)
    with transaction.atomic():
        report = Report(
            contract=contract,
            milestone=milestone,
            kind=kind,
            text=(text or "").strip(),
            spent=spent,
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        report.full_clean(exclude=["contract", "milestone", "submitted_by"], validate_constraints=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as error:
            raise ValidationError(
                _("A report of this kind on this milestone is already submitted or accepted."),
                code="duplicate",
            ) from error
        ReportValue.objects.bulk_create(
            ReportValue(report=report, indicator_id=k, value=v) for k, v in values.items()
        )
        record("report.submitted", actor, report, contract=contract.pk, milestone=milestone.pk, kind=kind)
        notify(
            people_of([contract.application.call.programme.body_id], OFFICIAL_ROLES),
            "report_submitted",
            subject=contract.application,
            url=contract.application.get_absolute_url(),
            dedupe_key=f"grants-report:{report.pk}",
            report=report,
            contract=contract,
        )
    return report


def _review(actor: Any, report: Report) -> Report:
    require_perm(actor, "grants.manage_contract", report.contract)
    report = (
        Report.objects.select_for_update()
        .select_related("contract__application", "milestone")
        .get(pk=report.pk)
    )
    if report.state != Report.State.SUBMITTED:
        raise ValidationError(_("This report has already been reviewed."), code="reviewed")
    return report


def _tell_ngo(report: Report, name: str) -> None:
    application = report.contract.application
    notify(
        people_of([application.organization_id], APPLICANT_ROLES),
        name,
        subject=application,
        url=application.get_absolute_url(),
        dedupe_key=f"grants-{name}:{report.pk}",
        report=report,
    )


def report_accept(*, actor: Any, report: Report) -> Report:
    """Accept a report; an accepted narrative report completes its milestone."""
    with transaction.atomic():
        report = _review(actor, report)
        now = timezone.now()
        report.state, report.reviewed_by, report.reviewed_at = Report.State.ACCEPTED, actor, now
        report.save(update_fields=["state", "reviewed_by", "reviewed_at", "updated_at"])
        if report.kind == Report.Kind.NARRATIVE:
            ContractMilestone.objects.filter(pk=report.milestone_id, accepted_at__isnull=True).update(
                accepted_at=now, updated_at=now
            )
        record("report.accepted", actor, report, milestone=report.milestone_id, kind=report.kind)
        _tell_ngo(report, "report_accepted")
    return report


def report_return(*, actor: Any, report: Report, reason: str) -> Report:
    """Return a report for correction with the reason; the NGO submits a new one."""
    reason = obligations.check_reason(reason)
    with transaction.atomic():
        report = _review(actor, report)
        report.state, report.reviewed_by, report.reviewed_at = Report.State.RETURNED, actor, timezone.now()
        report.return_reason = reason
        report.save(update_fields=["state", "reviewed_by", "reviewed_at", "return_reason", "updated_at"])
        record("report.returned", actor, report, milestone=report.milestone_id, kind=report.kind)
        _tell_ngo(report, "report_returned")
    return report


def monitoring_note_add(
    *, actor: Any, contract: Contract, observed_on: date, text: str, is_public: bool = True
) -> MonitoringNote:
    require_perm(actor, "grants.manage_contract", contract)
    if observed_on > timezone.localdate():
        raise field_error("observed_on", _("The date cannot be in the future."), "future")
    if not (text or "").strip():
        raise field_error("text", _("Write what you observed."), "empty")
    with transaction.atomic():
        note = MonitoringNote.objects.create(
            contract=contract, author=actor, observed_on=observed_on, text=text.strip(), is_public=is_public
        )
        record("monitoring_note.added", actor, note, contract=contract.pk, public=is_public)
    return note


def final_evaluation_record(*, actor: Any, contract: Contract, rating: str, summary: str) -> FinalEvaluation:
    """The body's final evaluation of the project; it completes the contract."""
    require_perm(actor, "grants.manage_contract", contract)
    if rating not in FinalEvaluation.Rating.values:
        raise field_error("rating", _("Choose a rating."), "rating")
    summary = obligations.check_reason(summary)
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        _require_active(contract)
        if contract.reports.filter(state=Report.State.SUBMITTED).exists():
            raise ValidationError(_("Review the reports waiting for you first."), code="reports_pending")
        evaluation = FinalEvaluation.objects.create(
            contract=contract, rating=rating, summary=summary, evaluated_by=actor
        )
        contract.state = Contract.State.COMPLETED
        contract.save(update_fields=["state", "updated_at"])
        record("contract.evaluated", actor, contract, rating=rating)
    return evaluation
