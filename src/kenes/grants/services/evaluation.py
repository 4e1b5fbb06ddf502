"""Eligibility, experts (assignment with the conflict-of-interest rule, declarations, independent
scoring), ranking through ``kenes.engines.scoring``, the award decision and complaints."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.common.permissions import require_perm
from kenes.engines import scoring
from kenes.obligations import services as obligations
from kenes.obligations.models import Kind
from kenes.organizations.models import Membership
from kenes.organizations.selectors import people_of

from .. import eligibility
from ..models import (
    Application,
    Award,
    AwardDecision,
    Call,
    Complaint,
    ConflictDeclaration,
    Criterion,
    ExpertAssignment,
    Score,
    ScoreSheet,
)
from ._common import field_error, notify, record
from .applications import APPLICANT_ROLES

#: Applications a complaint may be about: the body has ruled on them.
COMPLAINABLE = (
    Application.State.INELIGIBLE,
    Application.State.SCORED,
    Application.State.AWARDED,
    Application.State.NOT_AWARDED,
)


def _lock_call(call: Call) -> Call:
    return Call.objects.select_for_update().select_related("programme").get(pk=call.pk)


# --- eligibility -----------------------------------------------------------------------------------


def _check_rulable(call: Call, application: Application) -> None:
    if call.state != Call.State.CLOSED:
        raise ValidationError(_("Eligibility is ruled once the call has closed."), code="call_not_closed")
    if application.state not in (
        Application.State.SUBMITTED,
        Application.State.ELIGIBLE,
        Application.State.INELIGIBLE,
    ):
        raise ValidationError(_("Only a submitted application can be ruled on."), code="not_submitted")


def _ruling_reason(eligible: bool, failed_a_check: bool, reason: str) -> str:
    """The reason, required (and not trivial) to rule ineligible or to admit despite a failed check."""
    reason = (reason or "").strip()
    if eligible and not failed_a_check:
        return reason
    if not reason:
        message = (
            _("Give the reason why the application is not eligible.")
            if not eligible
            else _("The application failed a check: give the reason why it is eligible all the same.")
        )
        raise field_error("reason", message, "reason_required")
    return obligations.check_reason(reason)


def application_rule_eligibility(
    *, actor: Any, application: Application, eligible: bool, reason: str = ""
) -> Application:
    """The body rules a submitted application eligible or ineligible, after the deadline. Kenes's
    own checks are stored with the ruling; ruling ineligible needs a reason, and so does ruling
    eligible an application that failed a check."""
    require_perm(actor, "grants.manage_application", application)
    with transaction.atomic():
        call = _lock_call(application.call)
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_rulable(call, application)
        checks = eligibility.evaluate(application)
        failed = [c for c in checks if not c.passed]
        reason = _ruling_reason(eligible, bool(failed), reason)
        application.state = Application.State.ELIGIBLE if eligible else Application.State.INELIGIBLE
        application.ineligibility_reason = "" if eligible else reason
        application.decision_reason = reason if eligible else ""
        application.eligibility_results = [c.as_dict() for c in checks]
        application.eligibility_checked_at = timezone.now()
        application.save(
            update_fields=[
                "state", "ineligibility_reason", "decision_reason", "eligibility_results",
                "eligibility_checked_at", "updated_at",
            ]
        )  # fmt: skip
        record(
            "application.eligibility_ruled",
            actor,
            application,
            eligible=eligible,
            failed_checks=[c.code for c in failed],
        )
        notify(
            people_of([application.organization_id]),
            "eligibility_ruled",
            subject=application,
            url=application.get_absolute_url(),
            dedupe_key=f"grants-eligibility:{application.pk}:{application.state}",
            application=application,
            call=call,
        )
    return application


# --- experts ---------------------------------------------------------------------------------------


def _conflicting_applicant(call: Call, expert: Any) -> str | None:
    """The name of an applicant NGO of ``call`` the expert is a member of, if any."""
    applicants = Application.objects.filter(call=call).exclude(
        state__in=[Application.State.DRAFT, Application.State.WITHDRAWN]
    )
    membership = (
        Membership.objects.filter(user=expert, organization_id__in=applicants.values("organization_id"))
        .select_related("organization")
        .first()
    )
    return membership.organization.name if membership else None


def expert_assign(*, actor: Any, call: Call, expert: Any) -> ExpertAssignment:
    """Assign an expert to a call. Refused when the expert is a member of an applicant NGO: the
    conflict-of-interest rule."""
    require_perm(actor, "grants.manage_call", call)
    with transaction.atomic():
        call = _lock_call(call)
        if call.state not in (Call.State.PUBLISHED, Call.State.CLOSED):
            raise ValidationError(
                _("Experts are assigned while the call is open or closed, before ranking."), code="call_state"
            )
        if not getattr(expert, "is_active", False):
            raise field_error("expert", _("This person's account is not active."), "inactive")
        organization = _conflicting_applicant(call, expert)
        if organization is not None:
            raise field_error(
                "expert",
                _(
                    "%(expert)s cannot be assigned: they are a member of %(organization)s, which "
                    "applied to this call (a conflict of interest)."
                )
                % {"expert": expert.display_name or expert.email, "organization": organization},
                "conflict_of_interest",
            )
        assignment = ExpertAssignment(call=call, expert=expert, assigned_by=actor)
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError as error:
            raise field_error(
                "expert", _("This expert is already assigned to the call."), "duplicate"
            ) from error
        record("assignment.created", actor, assignment, call=call.pk, expert=expert.pk)
        notify(
            [expert],
            "expert_assigned",
            subject=call,
            url=call.get_absolute_url(),
            dedupe_key=f"grants-assigned:{assignment.pk}",
            call=call,
        )
    return assignment


def expert_unassign(*, actor: Any, assignment: ExpertAssignment) -> None:
    """Remove an expert who has not submitted any scores (e.g. one who did not answer)."""
    require_perm(actor, "grants.manage_call", assignment.call)
    with transaction.atomic():
        call = _lock_call(assignment.call)
        if call.state not in (Call.State.PUBLISHED, Call.State.CLOSED):
            raise ValidationError(_("The evaluation is over."), code="call_state")
        if assignment.sheets.filter(submitted_at__isnull=False).exists():
            raise ValidationError(
                _("This expert has submitted scores and cannot be removed."), code="has_scores"
            )
        record("assignment.deleted", actor, assignment, call=call.pk, expert=assignment.expert_id)
        assignment.sheets.all().delete()
        assignment.delete()


def assignment_declare(
    *,
    actor: Any,
    assignment: ExpertAssignment,
    declaration: str = "",
    conflicts: Sequence[tuple[Application, str]] = (),
) -> ExpertAssignment:
    """The expert's declaration of interests, before scoring: no conflict, or the applications they
    must stay out of, each with a reason."""
    require_perm(actor, "grants.declare_assignment", assignment)
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.declared_at is not None:
            raise ValidationError(_("You have already declared your interests."), code="already_declared")
        assignment.declared_at = timezone.now()
        assignment.declaration = (declaration or "").strip()
        assignment.save(update_fields=["declared_at", "declaration", "updated_at"])
        for application, reason in conflicts:
            _conflict_create(assignment, application, reason)
        record("assignment.declared", actor, assignment, conflicts=[a.pk for a, _r in conflicts])
    return assignment


def _conflict_create(
    assignment: ExpertAssignment, application: Application, reason: str
) -> ConflictDeclaration:
    if application.call_id != assignment.call_id:
        raise ValidationError(_("Choose an application to this call."), code="other_call")
    if not (reason or "").strip():
        raise field_error("reason", _("Say what links you to the applicant."), "reason_required")
    if ScoreSheet.objects.filter(
        assignment=assignment, application=application, submitted_at__isnull=False
    ).exists():
        raise ValidationError(
            _("You have already submitted scores for this application."), code="already_scored"
        )
    ScoreSheet.objects.filter(assignment=assignment, application=application).delete()
    conflict, _created = ConflictDeclaration.objects.get_or_create(
        assignment=assignment, application=application, defaults={"reason": reason.strip()}
    )
    return conflict


def conflict_declare(
    *, actor: Any, assignment: ExpertAssignment, application: Application, reason: str
) -> ConflictDeclaration:
    """Declare a conflict of interest with one application (at any time before scoring it)."""
    require_perm(actor, "grants.declare_assignment", assignment)
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        conflict = _conflict_create(assignment, application, reason)
        record("assignment.conflict_declared", actor, assignment, application=application.pk)
    return conflict


# --- scoring ---------------------------------------------------------------------------------------


def _check_value(criterion: Criterion, value: Decimal) -> None:
    if value < criterion.scale_min or value > criterion.scale_max:
        raise field_error(
            f"criterion_{criterion.pk}",
            _("%(criterion)s: give a score from %(low)s to %(high)s.")
            % {"criterion": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max},
            "out_of_scale",
        )


def _scoring_assignment(actor: Any, application: Application) -> ExpertAssignment:
    require_perm(actor, "grants.score_application", application)
    assignment = ExpertAssignment.objects.select_for_update().get(call_id=application.call_id, expert=actor)
    if assignment.declared_at is None:
        raise ValidationError(_("Declare your interests before scoring."), code="not_declared")
    return assignment


def sheet_save(
    *,
    actor: Any,
    application: Application,
    values: Mapping[int, Decimal | None],
    comments: Mapping[int, str] | None = None,
    comment: str = "",
    submit: bool = False,
) -> ScoreSheet:
    """Save the expert's own scores (criterion id → value) for an application; ``submit`` makes them
    final, and needs a score on every criterion. Submitted scores cannot change."""
    comments = comments or {}
    with transaction.atomic():
        call = _lock_call(application.call)
        application = Application.objects.get(pk=application.pk)
        if call.state != Call.State.CLOSED or application.state != Application.State.ELIGIBLE:
            raise ValidationError(
                _("Only eligible applications of a closed call are scored."), code="not_scorable"
            )
        assignment = _scoring_assignment(actor, application)
        sheet, _created = ScoreSheet.objects.get_or_create(assignment=assignment, application=application)
        if sheet.is_submitted:
            raise ValidationError(
                _("You have submitted your scores; they can no longer change."), code="submitted"
            )
        criteria = list(call.criteria.all())
        for criterion in criteria:
            value = values.get(criterion.pk)
            if value is None:
                if submit:
                    raise field_error(
                        f"criterion_{criterion.pk}",
                        _("%(criterion)s: give a score.") % {"criterion": criterion.name},
                        "missing_score",
                    )
                Score.objects.filter(sheet=sheet, criterion=criterion).delete()
                continue
            _check_value(criterion, value)
            Score.objects.update_or_create(
                sheet=sheet,
                criterion=criterion,
                defaults={
                    "value": value,
                    "scale_min": criterion.scale_min,
                    "scale_max": criterion.scale_max,
                    "comment": (comments.get(criterion.pk) or "").strip(),
                },
            )
        sheet.comment = (comment or "").strip()
        sheet.submitted_at = timezone.now() if submit else None
        sheet.save(update_fields=["comment", "submitted_at", "updated_at"])
        record("sheet.submitted" if submit else "sheet.saved", actor, sheet, application=application.pk)
    return sheet


# --- ranking ---------------------------------------------------------------------------------------


def _scaled(criteria: Sequence[Criterion]) -> bool:
    """Whether scores must be rescaled to a share of the scale (criteria on different scales)."""
    return len({(c.scale_min, c.scale_max) for c in criteria}) > 1


def _value(criterion: Criterion, value: Decimal, rescale: bool) -> Fraction:
    if not rescale:
        return Fraction(value)
    return (Fraction(value) - criterion.scale_min) * 100 / (criterion.scale_max - criterion.scale_min)


def _missing_sheets(call: Call, applications: Sequence[Application]) -> list[str]:
    assignments = list(call.assignments.select_related("expert").prefetch_related("conflicts"))
    submitted = set(
        ScoreSheet.objects.filter(assignment__call=call, submitted_at__isnull=False).values_list(
            "assignment_id", "application_id"
        )
    )
    memberships = set(
        Membership.objects.filter(user_id__in=[a.expert_id for a in assignments]).values_list(
            "user_id", "organization_id"
        )
    )
    missing = []
    for assignment in assignments:
        conflicted = {c.application_id for c in assignment.conflicts.all()}
        # An expert who joined an applicant NGO after being assigned cannot score it: not missing.
        conflicted |= {a.pk for a in applications if (assignment.expert_id, a.organization_id) in memberships}
        for application in applications:
            if application.pk not in conflicted and (assignment.pk, application.pk) not in submitted:
                missing.append(assignment.expert.display_name or assignment.expert.email)
                break
    return missing


def _evaluate(
    call: Call, applications: Sequence[Application], criteria: Sequence[Criterion]
) -> dict[int, scoring.Evaluation]:
    rescale = _scaled(criteria)
    values: dict[tuple[int, int], list[Fraction]] = {}
    scores = Score.objects.filter(
        sheet__application__in=applications, sheet__submitted_at__isnull=False
    ).select_related("sheet")
    by_id = {c.pk: c for c in criteria}
    for score in scores:
        values.setdefault((score.sheet.application_id, score.criterion_id), []).append(
            _value(by_id[score.criterion_id], score.value, rescale)
        )
    result = {}
    for application in applications:
        if not any((application.pk, c.pk) in values for c in criteria):
            raise ValidationError(
                _("%(title)s has no submitted scores yet.") % {"title": application.title}, code="no_scores"
            )
        result[application.pk] = scoring.evaluate(
            {str(c.pk): (c.weight, values.get((application.pk, c.pk), [])) for c in criteria},
            method=call.aggregation,  # type: ignore[arg-type]
            trim_min_experts=call.trim_min_experts,
        )
    return result


def call_rank(*, actor: Any, call: Call) -> Call:
    """Aggregate the submitted scores with the call's method and rank the eligible applications
    with its tie rule (``kenes.engines.scoring``). Every assigned expert must have scored every
    eligible application they have no conflict with, and no submitted application may be left
    without an eligibility ruling."""
    require_perm(actor, "grants.manage_call", call)
    with transaction.atomic():
        call = _lock_call(call)
        if call.state != Call.State.CLOSED:
            raise ValidationError(_("Only a closed call can be ranked."), code="call_not_closed")
        if call.applications.filter(state=Application.State.SUBMITTED).exists():
            raise ValidationError(_("Rule on the eligibility of every application first."), code="unruled")
        applications = list(call.applications.filter(state=Application.State.ELIGIBLE).order_by("pk"))
        if not applications:
            raise ValidationError(_("No application is eligible: there is nothing to rank."), code="nothing")
        missing = _missing_sheets(call, applications)
        if missing:
            raise ValidationError(
                _("Waiting for the scores of: %(experts)s.") % {"experts": ", ".join(missing)},
                code="scores_missing",
            )
        criteria = list(call.criteria.all())
        evaluations = _evaluate(call, applications, criteria)
        _store_ranking(call, applications, criteria, evaluations)
        call.state = Call.State.EVALUATED
        call.evaluated_at = timezone.now()
        call.save(update_fields=["state", "evaluated_at", "updated_at"])
        record(
            "call.ranked",
            actor,
            call,
            aggregation=call.aggregation,
            tie_rule=call.tie_rule,
            ranking=[[a.pk, a.rank, str(a.score)] for a in sorted(applications, key=lambda a: a.rank or 0)],
        )
    return call


def _store_ranking(
    call: Call,
    applications: Sequence[Application],
    criteria: Sequence[Criterion],
    evaluations: Mapping[int, scoring.Evaluation],
) -> None:
    """Rank within each lot (a call without lots is one group): applications compete only with
    those for the same lot."""
    heaviest_first = [str(c.pk) for c in sorted(criteria, key=lambda c: (-c.weight, c.position, c.pk))]
    groups: dict[int | None, list[Application]] = {}
    for application in applications:
        groups.setdefault(application.lot_id, []).append(application)
    ranked: dict[int | str, scoring.Ranked] = {}
    for group in groups.values():
        items = [
            scoring.RankItem(
                id=a.pk,
                total=evaluations[a.pk].total,
                submitted_at=a.submitted_at or a.created_at,
                criteria=evaluations[a.pk].criteria,
            )
            for a in group
        ]
        results = scoring.rank(items, call.tie_rule, criteria_order=heaviest_first, lot_seed=call.lot_seed)  # type: ignore[arg-type]
        ranked.update((r.id, r) for r in results)
    for application in applications:
        result = ranked[application.pk]
        application.score = scoring.display(result.total, 4)
        application.criterion_scores = {
            name: str(scoring.display(value)) for name, value in evaluations[application.pk].criteria.items()
        }
        application.rank = result.position
        application.rank_note = result.decided_by
        application.state = Application.State.SCORED
        application.save(
            update_fields=["score", "criterion_scores", "rank", "rank_note", "state", "updated_at"]
        )


# --- award -----------------------------------------------------------------------------------------


def _check_winners(call: Call, winners: Mapping[int, Decimal], scored: Mapping[int, Application]) -> None:
    if not winners:
        raise ValidationError(_("Choose at least one application to fund."), code="no_winner")
    unknown = set(winners) - set(scored)
    if unknown:
        raise ValidationError(_("Only ranked applications of this call can be funded."), code="not_ranked")
    for pk, amount in winners.items():
        if amount <= 0 or amount > scored[pk].requested_amount:
            raise ValidationError(
                _("%(title)s: the amount must be above zero and no more than was requested (%(requested)s).")
                % {"title": scored[pk].title, "requested": scored[pk].requested_amount},
                code="amount",
            )
    if sum(winners.values(), Decimal("0")) > call.programme.budget:
        raise ValidationError(_("The awards add up to more than the programme's budget."), code="over_budget")
    per_lot: dict[int, Decimal] = {}
    for pk, amount in winners.items():
        lot = scored[pk].lot
        if lot is not None:
            per_lot[lot.pk] = per_lot.get(lot.pk, Decimal("0")) + amount
            if per_lot[lot.pk] > lot.budget:
                raise ValidationError(
                    _("The awards in lot %(lot)s add up to more than its budget.") % {"lot": lot.title},
                    code="over_lot_budget",
                )


def _check_passed_over(
    winners: Mapping[int, Decimal], scored: Mapping[int, Application], reasons: Mapping[int, str]
) -> None:
    """An application ranked above a funded one (in the same lot) and not funded needs a reason."""
    for application in scored.values():
        if application.pk in winners or (reasons.get(application.pk) or "").strip():
            continue
        passed_over = any(
            scored[w].lot_id == application.lot_id and (scored[w].rank or 0) > (application.rank or 0)
            for w in winners
        )
        if passed_over:
            raise ValidationError(
                _("%(title)s is ranked above a funded application: give the reason why it is not funded.")
                % {"title": application.title},
                code="reason_required",
            )


def call_award(
    *,
    actor: Any,
    call: Call,
    winners: Mapping[int, Decimal],
    reasons: str,
    application_reasons: Mapping[int, str] | None = None,
) -> AwardDecision:
    """Publish the award decision: the funded applications (application id → amount), the reasons,
    and with them every score. The other ranked applications are not awarded."""
    require_perm(actor, "grants.manage_call", call)
    application_reasons = application_reasons or {}
    reasons = obligations.check_reason(reasons)
    with transaction.atomic():
        call = _lock_call(call)
        if call.state != Call.State.EVALUATED:
            raise ValidationError(_("Only a ranked call can be awarded."), code="not_evaluated")
        scored = {
            a.pk: a for a in call.applications.filter(state=Application.State.SCORED).select_related("lot")
        }
        _check_winners(call, winners, scored)
        _check_passed_over(winners, scored, application_reasons)
        now = timezone.now()
        decision = AwardDecision.objects.create(
            call=call, reasons=reasons, decided_by=actor, published_at=now
        )
        for pk, application in scored.items():
            application.state = Application.State.AWARDED if pk in winners else Application.State.NOT_AWARDED
            application.decision_reason = (application_reasons.get(pk) or "").strip()
            application.save(update_fields=["state", "decision_reason", "updated_at"])
            if pk in winners:
                Award.objects.create(
                    decision=decision,
                    application=application,
                    amount=winners[pk],
                    awarded_on=timezone.localdate(now),
                )
        call.state = Call.State.AWARDED
        call.awarded_at = now
        call.save(update_fields=["state", "awarded_at", "updated_at"])
        record("call.awarded", actor, call, awards={str(k): str(v) for k, v in winners.items()})
        applicants = call.applications.exclude(
            state__in=[Application.State.DRAFT, Application.State.WITHDRAWN]
        )
        notify(
            people_of(applicants.values_list("organization_id", flat=True)),
            "award_published",
            subject=call,
            url=call.get_absolute_url(),
            dedupe_key=f"grants-awarded:{call.pk}",
            call=call,
        )
    return decision


# --- complaints ------------------------------------------------------------------------------------


def complaint_file(*, actor: Any, application: Application, text: str) -> Complaint:
    """An applicant's complaint about a ruling on its application: an obligation of kind
    ``grant_complaint`` on the body, with the legal deadline and a reasoned response."""
    require_perm(actor, "grants.complain_application", application)
    application = Application.objects.select_related("call__programme__body").get(pk=application.pk)
    if application.state not in COMPLAINABLE:
        raise ValidationError(
            _("You can complain once the body has ruled on your application."), code="not_ruled"
        )
    text = obligations.check_reason(text)
    body = application.call.programme.body
    with transaction.atomic():
        complaint = Complaint.objects.create(application=application, author=actor, text=text)
        record("complaint.filed", actor, complaint, application=application.pk, body=body.pk)
        obligations.obligation_open(
            actor=actor,
            subject=complaint,
            organization=body,
            kind=Kind.GRANT_COMPLAINT,
            title=_("Complaint about “%(title)s”") % {"title": application.title},
            author=actor,
            is_private=True,
        )
    return complaint


__all__ = [
    "APPLICANT_ROLES",
    "application_rule_eligibility",
    "assignment_declare",
    "call_award",
    "call_rank",
    "complaint_file",
    "conflict_declare",
    "expert_assign",
    "expert_unassign",
    "sheet_save",
]
