"""NGOs' applications: drafts with a budget table, team and documents; submission before the
deadline (refused after it with a clear message); withdrawal before the deadline."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kenes.common.permissions import require_perm
from kenes.obligations.uploads import check_uploads
from kenes.organizations.models import Membership, Organization
from kenes.organizations.selectors import people_of

from ..models import Application, ApplicationDocument, BudgetLine, Call, Lot, RequiredDocument, TeamMember
from ._common import APPLICANT_ROLES, OFFICIAL_ROLES, field_error, notify, record

MAX_DOCUMENTS = 20
MAX_BUDGET_LINES = 100


@dataclass(frozen=True)
class BudgetLineSpec:
    item: str
    amount: Decimal
    cofinancing: Decimal = Decimal("0")


@dataclass(frozen=True)
class TeamMemberSpec:
    name: str
    role: str
    experience: str = ""


def _deadline_text(call: Call) -> str:
    return formats.date_format(timezone.localtime(call.closes_at), "DATETIME_FORMAT")


def _require_accepting(call: Call) -> None:
    """Applications are written and submitted only while the call is open."""
    now = timezone.now()
    if call.state != Call.State.PUBLISHED or now < call.opens_at:
        raise ValidationError(_("This call is not open for applications."), code="call_not_open")
    if now >= call.closes_at:
        raise ValidationError(
            _(
                "The deadline for applications was %(deadline)s; applications can no longer be "
                "submitted or changed."
            )
            % {"deadline": _deadline_text(call)},
            code="deadline_passed",
        )


def _check_applicant(actor: Any, organization: Organization) -> None:
    if organization.kind != Organization.Kind.NGO:
        raise field_error("organization", _("Only a non-governmental organisation can apply."), "not_ngo")
    if not Membership.objects.filter(
        organization=organization, user=actor, role__in=APPLICANT_ROLES
    ).exists():
        raise field_error(
            "organization",
            _("You can apply only for an organisation where you are an officer or the head."),
            "not_officer",
        )


def _check_lot(call: Call, lot: Lot | None) -> None:
    lots = list(call.lots.all())
    if lots and lot is None:
        raise field_error("lot", _("Choose the lot you apply for."), "lot_required")
    if lot is not None and lot not in lots:
        raise field_error("lot", _("Choose one of this call's lots."), "other_lot")


def _check_budget(lines: Sequence[BudgetLineSpec]) -> None:
    if len(lines) > MAX_BUDGET_LINES:
        raise ValidationError(
            _("At most %(limit)s budget lines."), code="too_many_lines", params={"limit": MAX_BUDGET_LINES}
        )
    for line in lines:
        if not line.item.strip():
            raise ValidationError(_("Every budget line needs an item."), code="budget_item")
        if line.amount < 0 or line.cofinancing < 0:
            raise ValidationError(_("Budget amounts cannot be negative."), code="budget_negative")


def _replace_children(
    application: Application, lines: Sequence[BudgetLineSpec], team: Sequence[TeamMemberSpec]
) -> None:
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            item=line.item.strip(),
            amount=line.amount,
            cofinancing=line.cofinancing,
            position=i,
        )
        for i, line in enumerate(lines)
    )
    application.team.all().delete()
    TeamMember.objects.bulk_create(
        TeamMember(
            application=application,
            name=m.name.strip(),
            role=m.role.strip(),
            experience=m.experience.strip(),
            position=i,
        )
        for i, m in enumerate(team)
        if m.name.strip()
    )


def _add_documents(application: Application, documents: Sequence[tuple[RequiredDocument | None, Any]]) -> int:
    checked = check_uploads([file for _kind, file in documents], limit=MAX_DOCUMENTS)
    if application.documents.count() + len(checked) > MAX_DOCUMENTS:
        raise ValidationError(
            _("At most %(limit)s files can be attached."), code="file_count", params={"limit": MAX_DOCUMENTS}
        )
    for (required, _file), upload in zip(documents, checked, strict=True):
        if required is not None and required.call_id != application.call_id:
            raise ValidationError(_("Choose a document this call asks for."), code="other_document")
        document = ApplicationDocument(
            application=application,
            required_document=required,
            name=upload.name,
            size=upload.size,
            content_type=upload.content_type,
        )
        document.file.save(upload.name, upload.file, save=False)
        document.save()
    return len(checked)


def application_save(
    *,
    actor: Any,
    call: Call,
    organization: Organization,
    title: str,
    description: str,
    application: Application | None = None,
    lot: Lot | None = None,
    expected_results: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    language: str = "",
    budget_lines: Sequence[BudgetLineSpec] = (),
    team: Sequence[TeamMemberSpec] = (),
    documents: Sequence[tuple[RequiredDocument | None, Any]] = (),
) -> Application:
    """Create or update a draft application (the budget table and the team are replaced; documents
    are added). Refused once the deadline has passed."""
    require_perm(actor, "grants.apply_call", call)
    if application is not None:
        require_perm(actor, "grants.change_application", application)
        if application.state != Application.State.DRAFT or application.call_id != call.pk:
            raise ValidationError(_("Only a draft application can be changed."), code="not_draft")
        organization = application.organization
    _check_applicant(actor, organization)
    _check_lot(call, lot)
    _check_budget(budget_lines)
    languages = {code for code, _name in settings.LANGUAGES}
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        _require_accepting(call)
        if application is None:
            application = Application(call=call, organization=organization, created_by=actor)
        application.lot = lot
        application.title = (title or "").strip()
        application.description = (description or "").strip()
        application.expected_results = (expected_results or "").strip()
        application.starts_on, application.ends_on = starts_on, ends_on
        application.language = language if language in languages else (application.language or "ru")
        application.requested_amount = sum((line.amount for line in budget_lines), Decimal("0"))
        application.cofinancing_amount = sum((line.cofinancing for line in budget_lines), Decimal("0"))
        application.full_clean(validate_constraints=False, validate_unique=False)
        created = application.pk is None
        changed = [
            "lot", "title", "description", "expected_results", "starts_on", "ends_on", "language",
            "requested_amount", "cofinancing_amount", "updated_at",
        ]  # fmt: skip
        try:
            with transaction.atomic():
                application.save(update_fields=None if created else changed)
        except IntegrityError as error:
            raise field_error(
                "organization", _("This organisation has already applied to this call."), "duplicate"
            ) from error
        _replace_children(application, budget_lines, team)
        added = _add_documents(application, documents)
        record(
            "application.created" if created else "application.changed",
            actor,
            application,
            call=call.pk,
            organization=organization.pk,
            requested=str(application.requested_amount),
            documents_added=added,
        )
    return application


def application_document_remove(*, actor: Any, document: ApplicationDocument) -> None:
    application = document.application
    require_perm(actor, "grants.change_application", application)
    if application.state != Application.State.DRAFT:
        raise ValidationError(_("Only a draft application can be changed."), code="not_draft")
    with transaction.atomic():
        record("application.document_removed", actor, application, name=document.name)
        document.file.delete(save=False)
        document.delete()


def _check_complete(application: Application) -> None:
    if not application.budget_lines.exists():
        raise ValidationError(_("Add at least one budget line before submitting."), code="no_budget")
    if application.requested_amount <= 0:
        raise ValidationError(_("The amount requested must be above zero."), code="nothing_requested")
    required = set(application.call.required_documents.values_list("pk", flat=True))
    attached = set(application.documents.values_list("required_document_id", flat=True))
    missing = required - attached
    if missing:
        names = ", ".join(
            RequiredDocument.objects.filter(pk__in=missing)
            .order_by("position")
            .values_list("name", flat=True)
        )
        raise ValidationError(
            _("Attach the required documents before submitting: %(names)s.") % {"names": names},
            code="documents_missing",
        )


def application_submit(*, actor: Any, application: Application) -> Application:
    """Submit a draft. Refused after the deadline, with the deadline in the message."""
    require_perm(actor, "grants.change_application", application)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != Application.State.DRAFT:
            raise ValidationError(_("This application has already been submitted."), code="not_draft")
        _require_accepting(call)
        _check_complete(application)
        application.state = Application.State.SUBMITTED
        application.submitted_at = timezone.now()
        application.save(update_fields=["state", "submitted_at", "updated_at"])
        record(
            "application.submitted",
            actor,
            application,
            call=call.pk,
            requested=str(application.requested_amount),
        )
        notify(
            people_of([application.organization_id], APPLICANT_ROLES),
            "application_submitted",
            subject=application,
            url=application.get_absolute_url(),
            dedupe_key=f"grants-submitted:{application.pk}",
            application=application,
            call=call,
        )
    return application


def application_withdraw(*, actor: Any, application: Application) -> Application:
    """Withdraw a draft or a submitted application; only before the deadline."""
    require_perm(actor, "grants.change_application", application)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in (Application.State.DRAFT, Application.State.SUBMITTED):
            raise ValidationError(_("This application can no longer be withdrawn."), code="not_withdrawable")
        if timezone.now() >= call.closes_at:
            raise ValidationError(
                _("The deadline was %(deadline)s; an application cannot be withdrawn after it.")
                % {"deadline": _deadline_text(call)},
                code="deadline_passed",
            )
        application.state = Application.State.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.save(update_fields=["state", "withdrawn_at", "updated_at"])
        record("application.withdrawn", actor, application, call=call.pk)
        notify(
            people_of([call.programme.body_id], OFFICIAL_ROLES),
            "application_withdrawn",
            subject=application,
            url=call.get_absolute_url(),
            dedupe_key=f"grants-withdrawn:{application.pk}",
            application=application,
            call=call,
        )
    return application
