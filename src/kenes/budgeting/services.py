"""Every write of participatory budgeting (the interface in docs/budgeting.md).

Each service checks the permission (``require_perm``) and the phase, validates, writes in one
transaction with an audit event ``budgeting.<model>.<verb>``, and opens or answers obligations
through ``kenes.obligations.services``. Errors are translated ``ValidationError`` /
``PermissionDenied``. The engine is imported inside the functions that use it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm
from kenes.obligations import services as obligations
from kenes.obligations.models import Kind, Obligation, Response

from .counting import build_election, result_store
from .eligibility import voter_eligibility
from .models import Ballot, BallotChoice, Process, Proposal, ProposalImage, Result, Support

EMAIL_TEMPLATES = "budgeting/email/"
MAX_IMAGES = 5
IMAGE_TYPES = ("image/png", "image/jpeg")
TRANSLATED = tuple(f"{name}_{code}" for name in ("title", "description") for code in ("kk", "ru", "ky", "en"))
#: What may no longer change once voting has opened (RELIABILITY A6).
LOCKED_WHEN_VOTING = (
    "ballot_type",
    "rule",
    "budget",
    "currency",
    "territory",
    "min_choices",
    "max_choices",
    "max_points",
    "min_age",
    "min_verification_level",
    "residents_only",
    "voting_open",
    "voting_close",
)
CHANGEABLE = (
    "title",
    "description",
    *TRANSLATED,
    "proposals_open",
    "proposals_close",
    "review_close",
    "is_sample",
    *LOCKED_WHEN_VOTING,
)
OPEN_PROPOSALS = (Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW)


class ChangeRefused(ValidationError):
    """A change to a process that voting has made final (RELIABILITY A6)."""

    def __init__(self, fields: Sequence[str]) -> None:
        self.fields = list(fields)
        super().__init__(
            _(
                "Voting has opened: the ballot, the rule, the budget, who may vote and the voting dates "
                "can no longer change."
            ),
            code="locked",
        )


# --- helpers -------------------------------------------------------------------------------------------


def _require_phase(process: Process, phases: Sequence[str], message: str) -> None:
    if process.phase not in phases:
        raise ValidationError(message, code="phase")


def _language() -> str:
    from django.conf import settings

    codes = {code for code, _name in settings.LANGUAGES}
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in codes else settings.LANGUAGE_CODE.split("-")[0]


def _review_obligation(proposal: Proposal) -> Obligation | None:
    return (
        Obligation.objects.live().for_subject(proposal).filter(kind=Kind.BUDGET_REVIEW).order_by("pk").first()
    )


def _lock_process(process: Process) -> Process:
    return Process.objects.select_for_update().select_related("territory", "organization").get(pk=process.pk)


def _notify(people: Sequence[Any], name: str, dedupe_key: str | None, url: str = "", **context: Any) -> None:
    from kenes.notifications.services import notify

    notify(
        recipients=people,
        event=f"budgeting.{name}",
        template=f"{EMAIL_TEMPLATES}{name}",
        context=context,
        subject=context.get("proposal"),
        url=url,
        dedupe_key=dedupe_key,
    )


# --- processes -----------------------------------------------------------------------------------------


def _check_process(process: Process) -> None:
    if process.rule not in Process.Rule.values:
        raise ValidationError(_("Choose a counting rule."), code="rule")
    if process.max_choices is not None and process.max_choices < process.min_choices:
        raise ValidationError(
            _("The most projects per ballot cannot be fewer than the fewest."), code="choices"
        )
    if process.ballot_type == Process.BallotType.CUMULATIVE and not process.max_points:
        raise ValidationError(_("Say how many points each voter may share out."), code="max_points")
    if process.ballot_type != Process.BallotType.APPROVAL and process.rule not in (
        Process.Rule.GREEDY,
        Process.Rule.GREEDY_COST_RATIO,
    ):
        raise ValidationError(
            _("Cumulative and ordinal ballots can only be counted by a greedy rule."), code="rule_ballot"
        )
    process.full_clean()


def process_create(
    *,
    actor: Any,
    organization: Any,
    territory: Any,
    title: str,
    budget: int,
    proposals_open: Any,
    proposals_close: Any,
    review_close: Any,
    voting_open: Any,
    voting_close: Any,
    ballot_type: str = Process.BallotType.APPROVAL,
    rule: str = Process.Rule.MES_COST_ADD1_GREEDY,
    currency: str = "KZT",
    description: str = "",
    min_choices: int = 1,
    max_choices: int | None = None,
    max_points: int | None = None,
    min_age: int | None = None,
    min_verification_level: int = 1,
    residents_only: bool = True,
    is_sample: bool = False,
    **translations: str,
) -> Process:
    require_perm(actor, "budgeting.add_process", organization)
    unknown = set(translations) - set(TRANSLATED)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    process = Process(
        organization=organization,
        territory=territory,
        title=(title or "").strip(),
        description=(description or "").strip(),
        budget=budget,
        currency=currency,
        ballot_type=ballot_type,
        rule=rule,
        min_choices=min_choices,
        max_choices=max_choices,
        max_points=max_points,
        min_age=min_age,
        min_verification_level=min_verification_level,
        residents_only=residents_only,
        proposals_open=proposals_open,
        proposals_close=proposals_close,
        review_close=review_close,
        voting_open=voting_open,
        voting_close=voting_close,
        is_sample=is_sample,
        **translations,
    )
    _check_process(process)
    with transaction.atomic():
        process.save()
        audit.record(
            event="budgeting.process.created",
            actor=actor,
            obj=process,
            data={"organization": organization.pk, "territory": territory.pk, "budget": budget, "rule": rule},
        )
    return process


def process_update(*, actor: Any, process: Process, **changes: Any) -> Process:
    """Change a process. Once voting has opened, changing what decides the vote is refused and the
    refusal is audited (``budgeting.process.change_refused``) in its own transaction."""
    require_perm(actor, "budgeting.change_process", process)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s."),
            code="unknown",
            params={"fields": ", ".join(sorted(unknown))},
        )
    try:
        with transaction.atomic():
            locked = _lock_process(process)
            changed = {k: v for k, v in changes.items() if getattr(locked, k) != v}
            refused = sorted(k for k in changed if k in LOCKED_WHEN_VOTING)
            if refused and timezone.now() >= locked.voting_open:
                raise ChangeRefused(refused)
            before = {k: getattr(locked, k) for k in changed}
            for key, value in changed.items():
                setattr(locked, key, value)
            _check_process(locked)
            if changed:
                locked.save(update_fields=[*(_field_name(k) for k in changed), "updated_at"])
                audit.record(
                    event="budgeting.process.updated",
                    actor=actor,
                    obj=locked,
                    before=_plain(before),
                    after=_plain(changed),
                )
    except ChangeRefused as refusal:
        with transaction.atomic():
            audit.record(
                event="budgeting.process.change_refused",
                actor=actor,
                obj=process,
                data={"fields": refusal.fields},
            )
        raise
    for key in changed:
        setattr(process, key, getattr(locked, key))
    return locked


def _field_name(key: str) -> str:
    return "territory" if key == "territory" else key


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: getattr(v, "pk", v) for k, v in values.items()}


# --- proposals -----------------------------------------------------------------------------------------


def _check_images(images: Sequence[tuple[Any, str]]) -> list[tuple[Any, str]]:
    from kenes.obligations.uploads import check_upload

    if len(images) > MAX_IMAGES:
        raise ValidationError(
            _("Add at most %(count)s images."), code="too_many_images", params={"count": MAX_IMAGES}
        )
    checked = []
    for upload, description in images:
        image = check_upload(upload)
        if image.content_type not in IMAGE_TYPES:
            raise ValidationError(_("Images must be PNG or JPEG files."), code="image_type")
        if not (description or "").strip():
            raise ValidationError(
                _("Describe each image for people who cannot see it."), code="image_description"
            )
        checked.append((image, description.strip()))
    return checked


def proposal_submit(
    *,
    actor: Any,
    process: Process,
    title: str,
    description: str,
    estimated_cost: int,
    category: str = "",
    latitude: Any = None,
    longitude: Any = None,
    images: Sequence[tuple[Any, str]] = (),
) -> Proposal:
    """Submit a proposal (proposals phase only); a BUDGET_REVIEW obligation opens at the body."""
    require_perm(actor, "budgeting.add_proposal", process)
    _require_phase(
        process, [Process.Phase.PROPOSALS], _("Proposals can be submitted only while the call is open.")
    )
    if estimated_cost is None or estimated_cost <= 0:
        raise ValidationError(_("Give the estimated cost."), code="cost")
    if estimated_cost > process.budget:
        raise ValidationError(
            _("The estimated cost is more than the whole budget of %(budget)s %(currency)s."),
            code="over_budget",
            params={"budget": process.budget, "currency": process.currency},
        )
    checked = _check_images(images)
    proposal = Proposal(
        process=process,
        author=actor,
        title=(title or "").strip(),
        description=(description or "").strip(),
        estimated_cost=estimated_cost,
        category=(category or "").strip(),
        latitude=latitude,
        longitude=longitude,
        language=_language(),
    )
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        for image, text in checked:
            row = ProposalImage(proposal=proposal, description=text)
            row.file.save(image.name, image.file, save=False)
            row.save()
        audit.record(
            event="budgeting.proposal.submitted",
            actor=actor,
            obj=proposal,
            data={"process": process.pk, "estimated_cost": estimated_cost, "images": len(checked)},
        )
        obligations.obligation_open(
            actor=actor,
            subject=proposal,
            organization=process.organization,
            kind=Kind.BUDGET_REVIEW,
            title=proposal.title,
            author=actor,
        )
    return proposal


def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    """The author withdraws a submitted proposal (before voting); its review obligation is withdrawn."""
    require_perm(actor, "budgeting.change_proposal", proposal)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)
        if proposal.status not in OPEN_PROPOSALS:
            raise ValidationError(_("This proposal can no longer be withdrawn."), code="status")
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.save(update_fields=["status", "updated_at"])
        audit.record(event="budgeting.proposal.withdrawn", actor=actor, obj=proposal)
        obligation = _review_obligation(proposal)
        if obligation is not None:
            obligations.obligation_withdraw(
                actor=actor, obligation=obligation, reason=_("The author withdrew the proposal.")
            )
    return proposal


def _require_supportable(proposal: Proposal) -> None:
    _require_phase(
        proposal.process,
        [Process.Phase.PROPOSALS, Process.Phase.REVIEW],
        _("Proposals can be supported only until voting opens."),
    )
    if proposal.is_hidden or proposal.status not in (*OPEN_PROPOSALS, Proposal.Status.ON_BALLOT):
        raise ValidationError(_("This proposal cannot be supported."), code="status")


def proposal_support(*, actor: Any, proposal: Proposal) -> Support:
    """Support a proposal; supporting it again changes nothing."""
    require_perm(actor, "budgeting.support_proposal", proposal)
    _require_supportable(proposal)
    existing = Support.objects.filter(proposal=proposal, user=actor).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        try:
            with transaction.atomic():
                support = Support.objects.create(proposal=proposal, user=actor)
        except IntegrityError:  # a parallel request was first
            return Support.objects.get(proposal=proposal, user=actor)
        audit.record(event="budgeting.support.created", actor=actor, obj=proposal)
    return support


def proposal_unsupport(*, actor: Any, proposal: Proposal) -> None:
    require_perm(actor, "budgeting.support_proposal", proposal)
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(proposal=proposal, user=actor).delete()
        if deleted:
            audit.record(event="budgeting.support.deleted", actor=actor, obj=proposal)


def proposal_merge(*, actor: Any, proposal: Proposal, into: Proposal, reason: str) -> Proposal:
    """Officials merge a duplicate into another proposal of the same process, with reasons; the
    duplicate's review obligation is answered with them and its supporters move over."""
    require_perm(actor, "budgeting.merge_proposal", proposal)
    reason = obligations.check_reason(reason)
    if into.pk == proposal.pk or into.process_id != proposal.process_id:
        raise ValidationError(_("Choose another proposal of the same process."), code="into")
    _require_phase(
        proposal.process,
        [Process.Phase.PROPOSALS, Process.Phase.REVIEW],
        _("Proposals can be merged only until voting opens."),
    )
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        into = Proposal.objects.select_for_update().get(pk=into.pk)
        if proposal.status not in OPEN_PROPOSALS or into.status not in (
            *OPEN_PROPOSALS,
            Proposal.Status.ON_BALLOT,
        ):
            raise ValidationError(_("Only proposals still open can be merged."), code="status")
        proposal.status, proposal.merged_into, proposal.merge_reason = Proposal.Status.MERGED, into, reason
        proposal.save(update_fields=["status", "merged_into", "merge_reason", "updated_at"])
        supporters = Support.objects.filter(proposal=proposal).values_list("user_id", flat=True)
        Support.objects.bulk_create(
            [Support(proposal=into, user_id=user_id) for user_id in supporters], ignore_conflicts=True
        )
        audit.record(event="budgeting.proposal.merged", actor=actor, obj=proposal, data={"into": into.pk})
        obligation = _review_obligation(proposal)
        if obligation is not None:
            obligations.obligation_respond(
                actor=actor, obligation=obligation, decision=Response.Decision.EXPLAINED, reasons=reason
            )
    return proposal


def proposal_review(
    *, actor: Any, proposal: Proposal, approved: bool, reasons: str, official_cost: int | None = None
) -> Proposal:
    """The body's feasibility review, given as the reasoned response to the review obligation:
    approved → on the ballot with the official cost (the estimate unless given); else rejected."""
    require_perm(actor, "budgeting.review_proposal", proposal)
    process = proposal.process
    _require_phase(
        process,
        [Process.Phase.PROPOSALS, Process.Phase.REVIEW],
        _("Proposals can be reviewed only until voting opens."),
    )
    cost = official_cost if official_cost is not None else proposal.estimated_cost
    if approved and (cost <= 0 or cost > process.budget):
        raise ValidationError(
            _("The official cost must be more than zero and at most the budget of %(budget)s %(currency)s."),
            code="cost",
            params={"budget": process.budget, "currency": process.currency},
        )
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)
        if proposal.status not in OPEN_PROPOSALS:
            raise ValidationError(_("This proposal has already been reviewed or closed."), code="status")
        obligation = _review_obligation(proposal)
        if obligation is None:
            raise ValidationError(_("This proposal has no open review."), code="no_review")
        decision = Response.Decision.ACCEPTED if approved else Response.Decision.REJECTED
        obligations.obligation_respond(actor=actor, obligation=obligation, decision=decision, reasons=reasons)
        proposal.status = Proposal.Status.ON_BALLOT if approved else Proposal.Status.REJECTED
        proposal.official_cost = cost if approved else proposal.official_cost
        proposal.save(update_fields=["status", "official_cost", "updated_at"])
        audit.record(
            event="budgeting.proposal.reviewed",
            actor=actor,
            obj=proposal,
            data={"approved": approved, "official_cost": proposal.official_cost},
        )
    return proposal


def proposal_set_hidden(proposal: Proposal, hidden: bool) -> None:
    """Called by moderation (its own service audits the decision)."""
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=hidden, updated_at=timezone.now())
    proposal.is_hidden = hidden


# --- ballots -------------------------------------------------------------------------------------------


def _normalise(
    process: Process, choices: Mapping[int, int] | Sequence[int]
) -> list[tuple[int, int, int | None]]:
    """(proposal id, points, rank) per choice, in the ballot type's shape."""
    if process.ballot_type == Process.BallotType.CUMULATIVE:
        if not isinstance(choices, Mapping):
            raise ValidationError(_("Share your points out among the projects."), code="shape")
        rows: list[tuple[int, int, int | None]] = [
            (int(pid), int(points), None) for pid, points in choices.items() if int(points) != 0
        ]
    else:
        if isinstance(choices, Mapping):
            raise ValidationError(_("Choose projects."), code="shape")
        ids = [int(pid) for pid in choices]
        ordinal = process.ballot_type == Process.BallotType.ORDINAL
        rows = [(pid, 1, rank if ordinal else None) for rank, pid in enumerate(ids, 1)]
    if len({row[0] for row in rows}) != len(rows):
        raise ValidationError(_("Each project can appear only once on your ballot."), code="duplicate")
    return rows


def _check_count(process: Process, count: int) -> None:
    if count < process.min_choices:
        raise ValidationError(
            _("Choose at least %(count)s projects."), code="too_few", params={"count": process.min_choices}
        )
    if process.max_choices is not None and count > process.max_choices:
        raise ValidationError(
            _("Choose at most %(count)s projects."), code="too_many", params={"count": process.max_choices}
        )


def _check_ballot(process: Process, rows: list[tuple[int, int, int | None]]) -> None:
    costs = dict(
        Proposal.objects.filter(
            process=process, status=Proposal.Status.ON_BALLOT, pk__in=[r[0] for r in rows]
        ).values_list("pk", "official_cost")
    )
    if len(costs) != len(rows):
        raise ValidationError(_("You can only choose projects on this ballot."), code="not_on_ballot")
    _check_count(process, len(rows))
    if process.ballot_type == Process.BallotType.APPROVAL:
        total = sum(cost or 0 for cost in costs.values())
        if total > process.budget:
            raise ValidationError(
                _(
                    "The projects you chose cost %(total)s %(currency)s, more than the budget of "
                    "%(budget)s %(currency)s."
                ),
                code="over_budget",
                params={"total": total, "budget": process.budget, "currency": process.currency},
            )
    if process.ballot_type == Process.BallotType.CUMULATIVE:
        if any(points < 1 or points > 1000 for _pid, points, _rank in rows):
            raise ValidationError(_("Give each project you choose at least one point."), code="points")
        spent = sum(points for _pid, points, _rank in rows)
        if spent > (process.max_points or 0):
            raise ValidationError(
                _("You gave %(spent)s points; you have %(points)s."),
                code="too_many_points",
                params={"spent": spent, "points": process.max_points},
            )


def ballot_cast(*, actor: Any, process: Process, choices: Mapping[int, int] | Sequence[int]) -> Ballot:
    """Cast (or replace) the voter's ballot. The audit event carries the process only."""
    require_perm(actor, "budgeting.vote", process)
    _require_phase(process, [Process.Phase.VOTING], _("Voting is not open."))
    eligibility = voter_eligibility(voter=actor, process=process)
    if not eligibility.eligible:
        raise ValidationError(eligibility.reason, code="not_eligible")
    rows = _normalise(process, choices)
    _check_ballot(process, rows)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().filter(process=process, voter=actor).first()
        replaced = ballot is not None
        if ballot is None:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(process=process, voter=actor)
            except IntegrityError:  # a parallel cast created it: replace its choices
                ballot = Ballot.objects.select_for_update().get(process=process, voter=actor)
                replaced = True
        else:
            ballot.save(update_fields=["updated_at"])
        BallotChoice.objects.filter(ballot=ballot).delete()
        BallotChoice.objects.bulk_create(
            [
                BallotChoice(ballot=ballot, proposal_id=pid, points=points, rank=rank)
                for pid, points, rank in rows
            ]
        )
        audit.record(
            event="budgeting.ballot.replaced" if replaced else "budgeting.ballot.cast",
            actor=actor,
            obj=process,
            data={"process": process.pk},
        )
    return ballot


def ballot_for(*, voter: Any, process: Process) -> Ballot | None:
    if not getattr(voter, "is_authenticated", False):
        return None
    return Ballot.objects.filter(process=process, voter=voter).prefetch_related("choices").first()


# --- counting and results ------------------------------------------------------------------------------


def process_count(*, actor: Any, process: Process) -> Result:
    """Count once voting has closed: the engine solves the election with the process's rule."""
    from kenes.engines.pb import solve

    require_perm(actor, "budgeting.count_process", process)
    if timezone.now() < process.voting_close:
        raise ValidationError(_("The votes can be counted only after voting closes."), code="phase")
    with transaction.atomic():
        process = _lock_process(process)
        if Result.objects.filter(process=process).exists():
            raise ValidationError(_("This process has already been counted."), code="counted")
        election = build_election(process)
        outcome = solve(election, process.rule)
        result = result_store(process, election, outcome)
        process.counted_at = timezone.now()
        process.save(update_fields=["counted_at", "updated_at"])
        audit.record(
            event="budgeting.process.counted",
            actor=actor,
            obj=process,
            data={
                "rule": process.rule,
                "ballots": election.voter_count,
                "selected": list(outcome.selected),
                "total_cost": outcome.total_cost,
            },
        )
    return result


def _committer(actor: Any, response: Response) -> Any:
    """Who records the body's commitment: the publisher if they may, else the official who reviewed."""
    for person in (actor, response.responder):
        if person is not None and person.has_perm("obligations.add_commitment", response):
            return person
    return None


def _commitments_create(actor: Any, funded: list[Proposal]) -> list[int]:
    """A commitment per funded proposal, on its review response; returns the proposals skipped."""
    content_type = ContentType.objects.get_for_model(Proposal)
    responses = {
        int(r.obligation.subject_id): r
        for r in Response.objects.filter(
            obligation__subject_type=content_type,
            obligation__subject_id__in=[str(p.pk) for p in funded],
            obligation__kind=Kind.BUDGET_REVIEW,
            decision__in=obligations.COMMITTABLE,
        ).select_related("obligation", "responder", "organization")
    }
    skipped = []
    for proposal in funded:
        response = responses.get(proposal.pk)
        committer = _committer(actor, response) if response else None
        if response is None or committer is None:
            skipped.append(proposal.pk)
            continue
        obligations.commitment_create(
            actor=committer,
            response=response,
            title=proposal.title,
            description=_("Funded by the participatory budget “%(process)s” for %(cost)s %(currency)s.")
            % {
                "process": proposal.process.title,
                "cost": proposal.cost,
                "currency": proposal.process.currency,
            },
        )
    return skipped


def _notify_results(process: Process, proposals: list[Proposal]) -> None:
    supporters: dict[int, list[Any]] = {}
    for support in Support.objects.filter(proposal__in=proposals).select_related("user").order_by("pk"):
        supporters.setdefault(support.proposal_id, []).append(support.user)
    for proposal in proposals:
        name = "proposal_funded" if proposal.status == Proposal.Status.FUNDED else "proposal_not_funded"
        people = [proposal.author, *supporters.get(proposal.pk, [])]
        _notify(people, name, f"budgeting-results:{proposal.pk}", proposal=proposal, process=process)


def results_publish(*, actor: Any, process: Process) -> Process:
    """Publish the counted results: funded proposals become commitments; authors and supporters hear."""
    require_perm(actor, "budgeting.publish_results", process)
    with transaction.atomic():
        process = _lock_process(process)
        if process.counted_at is None:
            raise ValidationError(_("Count the votes before publishing the results."), code="not_counted")
        if process.results_published_at is not None:
            raise ValidationError(_("The results have already been published."), code="published")
        process.results_published_at = timezone.now()
        process.save(update_fields=["results_published_at", "updated_at"])
        proposals = list(
            Proposal.objects.filter(
                process=process, status__in=(Proposal.Status.FUNDED, Proposal.Status.NOT_FUNDED)
            )
            .select_related("author", "process")
            .order_by("pk")
        )
        funded = [p for p in proposals if p.status == Proposal.Status.FUNDED]
        skipped = _commitments_create(actor, funded)
        audit.record(
            event="budgeting.process.published",
            actor=actor,
            obj=process,
            data={"funded": [p.pk for p in funded], "without_commitment": skipped},
        )
        _notify_results(process, proposals)
    return process


# --- Pabulib ---------------------------------------------------------------------------------------------


def pabulib_export(*, process: Process) -> str:
    """The anonymised election as Pabulib text: voters numbered 1..n in random order, no user or
    ballot ids. Only after voting has closed (a partial count must not leak)."""
    from kenes.engines.pb import dump

    if timezone.now() < process.voting_close:
        raise ValidationError(_("The ballots can be exported only after voting closes."), code="phase")
    return dump(build_election(process, anonymise=True, with_selected=process.counted_at is not None))


@dataclass(frozen=True)
class RuleComparison:
    rule: str
    label: str
    selected: tuple[str, ...]
    total_cost: int
    seconds: float
    matches: bool | None  # None when the file has no `selected` column
    missing: tuple[str, ...]  # officially selected, not chosen by the rule
    extra: tuple[str, ...]  # chosen by the rule, not officially selected


def _official(election: Any) -> set[str] | None:
    if "selected" not in election.project_columns:
        return None
    chosen = set()
    for pid, project in election.projects.items():
        value = project.fields.get("selected", "").strip()
        if value and value not in ("0", "0.0"):
            chosen.add(pid)
    return chosen


def pabulib_compare(*, text: str) -> list[RuleComparison]:
    """Run every rule on a Pabulib file and compare each outcome with the file's `selected` column."""
    from kenes.engines.pb import RULES, PbFormatError, loads, solve

    try:
        election = loads(text)
    except PbFormatError as error:
        raise ValidationError(
            _("This is not a valid Pabulib file (line %(line)s): %(problem)s"),
            code="format",
            params={"line": error.line, "problem": error.problem},
        ) from error
    official = _official(election)
    labels = dict(Process.Rule.choices)
    comparisons = []
    for rule in RULES:
        if election.vote_type != "approval" and rule not in ("greedy", "greedy_cost_ratio"):
            continue
        started = time.perf_counter()
        outcome = solve(election, rule)
        seconds = time.perf_counter() - started
        chosen = set(outcome.selected)
        comparisons.append(
            RuleComparison(
                rule=rule,
                label=str(labels.get(rule, rule)),
                selected=tuple(outcome.selected),
                total_cost=outcome.total_cost,
                seconds=seconds,
                matches=None if official is None else chosen == official,
                missing=() if official is None else tuple(sorted(official - chosen)),
                extra=() if official is None else tuple(sorted(chosen - official)),
            )
        )
    return comparisons


# --- jobs --------------------------------------------------------------------------------------------------


def proposals_start_review(*, now: Any = None) -> int:
    """Proposals still SUBMITTED when the call has closed move to UNDER_REVIEW (idempotent: a
    conditional update). Returns how many moved."""
    now = now or timezone.now()
    moved = 0
    for process in Process.objects.filter(proposals_close__lte=now, voting_open__gt=now).only("pk"):
        with transaction.atomic():
            count = Proposal.objects.filter(process=process, status=Proposal.Status.SUBMITTED).update(
                status=Proposal.Status.UNDER_REVIEW, updated_at=now
            )
            if count:
                audit.record(
                    event="budgeting.process.review_started",
                    obj=process,
                    data={"proposals": count},
                    actor_label="job",
                )
        moved += count
    return moved
