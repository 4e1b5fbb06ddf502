"""Read paths of participatory budgeting for pages and the API: N+1-free, a bounded number of queries
whatever the number of processes, proposals or ballots.

Nothing here joins a voter to their choices except ``ballot_choices_of`` (the voter's own ballot,
shown back to them only).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.obligations.models import Commitment, Kind, Obligation
from kenes.organizations.models import Membership
from kenes.territories.models import Territory

from .models import (
    RESULTS_SHOWN_FOR,
    Ballot,
    BallotChoice,
    Process,
    Proposal,
    ProposalImage,
    Result,
    ResultLine,
    Support,
)

Phase = Process.Phase
#: Statuses a proposal can have while it waits for the responsible body's review.
AWAITING_REVIEW = (Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW)
#: Statuses shown with their cost as "on the ballot" (before and after the count).
ON_BALLOT = (Proposal.Status.ON_BALLOT, Proposal.Status.FUNDED, Proposal.Status.NOT_FUNDED)


def phase_q(phase: str, now: datetime.datetime | None = None) -> Q:
    """The database filter equivalent to ``Process.phase == phase`` at ``now``."""
    now = now or timezone.now()
    unpublished = Q(results_published_at__isnull=True)
    conditions: dict[str, Q] = {
        Phase.DRAFT: unpublished & Q(proposals_open__gt=now),
        Phase.PROPOSALS: unpublished & Q(proposals_open__lte=now, proposals_close__gt=now),
        Phase.REVIEW: unpublished & Q(proposals_close__lte=now, voting_open__gt=now),
        Phase.VOTING: unpublished & Q(voting_open__lte=now, voting_close__gt=now),
        Phase.COUNTING: unpublished & Q(voting_close__lte=now),
        Phase.RESULTS: Q(results_published_at__gt=now - RESULTS_SHOWN_FOR),
        Phase.IMPLEMENTATION: Q(results_published_at__lte=now - RESULTS_SHOWN_FOR),
    }
    return conditions.get(phase, Q())


def process_list_public(*, phase: str | None = None, territory: Territory | None = None) -> QuerySet[Process]:
    """Every process (sample ones included, marked on the page), newest vote first.

    ``territory`` takes in processes of the unit and every unit below it (materialized path)."""
    qs = Process.objects.select_related("territory", "organization").order_by("-voting_open", "-pk")
    if phase:
        qs = qs.filter(phase_q(phase))
    if territory is not None:
        qs = qs.filter(territory__path__startswith=territory.path)
    return qs


def process_get(pk: int) -> Process:
    process = Process.objects.select_related("territory", "organization").filter(pk=pk).first()
    if process is None:
        raise Http404("No such process.")
    return process


def _with_support_count(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return qs.annotate(support_count=Count("supports", distinct=True))


def proposals_of(process: Process, *, include_hidden: bool = False) -> list[Proposal]:
    """All proposals of a process with their support counts (one query), on-ballot ones first."""
    qs = _with_support_count(Proposal.objects.filter(process=process))
    if not include_hidden:
        qs = qs.filter(is_hidden=False)
    proposals = list(qs.order_by("id"))
    return sorted(proposals, key=lambda p: (p.status not in ON_BALLOT, p.pk))


def ballot_proposals(process: Process) -> list[Proposal]:
    """What a voter chooses from: the on-ballot proposals, in a stable order (one query)."""
    return list(
        Proposal.objects.filter(process=process, status__in=ON_BALLOT, is_hidden=False).order_by(
            "title", "id"
        )
    )


@dataclass
class PhaseStep:
    phase: str
    label: str
    start: datetime.datetime | None
    end: datetime.datetime | None
    is_current: bool
    is_past: bool


def phase_timeline(process: Process) -> list[PhaseStep]:
    """The phases with their dates and the current one marked (no queries)."""
    current = process.phase
    order = [p.value for p in Phase]
    published = process.results_published_at
    implementation_from = published + RESULTS_SHOWN_FOR if published is not None else None
    bounds: list[tuple[str, Any, Any]] = [
        (Phase.PROPOSALS, process.proposals_open, process.proposals_close),
        (Phase.REVIEW, process.proposals_close, process.voting_open),
        (Phase.VOTING, process.voting_open, process.voting_close),
        (Phase.COUNTING, process.voting_close, process.results_published_at),
        (Phase.RESULTS, process.results_published_at, implementation_from),
        (Phase.IMPLEMENTATION, implementation_from, None),
    ]
    labels = dict(Phase.choices)
    return [
        PhaseStep(
            phase=str(phase),
            label=str(labels[phase]),
            start=start,
            end=end,
            is_current=phase == current,
            is_past=order.index(phase) < order.index(current),
        )
        for phase, start, end in bounds
    ]


def proposal_get(pk: int) -> Proposal:
    proposal = (
        _with_support_count(Proposal.objects.all())
        .select_related("process", "process__organization", "process__territory", "author", "merged_into")
        .prefetch_related(Prefetch("images", queryset=ProposalImage.objects.order_by("id")))
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def has_supported(user: Any, proposal: Proposal) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Support.objects.filter(proposal=proposal, user=user).exists()


def review_obligation(proposal: Proposal) -> Obligation | None:
    """The responsible body's review obligation for the proposal (the first one, not a contest)."""
    return (
        Obligation.objects.for_subject(proposal)
        .filter(kind=Kind.BUDGET_REVIEW)
        .select_related("organization")
        .order_by("id")
        .first()
    )


def proposals_awaiting_review(process: Process) -> list[Proposal]:
    return list(
        _with_support_count(Proposal.objects.filter(process=process, status__in=AWAITING_REVIEW))
        .select_related("author")
        .order_by("id")
    )


def merge_targets(proposal: Proposal) -> QuerySet[Proposal]:
    """Proposals of the same process another one may be merged into."""
    return (
        Proposal.objects.filter(process_id=proposal.process_id)
        .exclude(pk=proposal.pk)
        .exclude(status__in=[Proposal.Status.MERGED, Proposal.Status.WITHDRAWN, Proposal.Status.REJECTED])
        .order_by("title", "id")
    )


def ballot_choices_of(*, voter: Any, process: Process) -> dict[int, BallotChoice] | None:
    """The voter's OWN ballot, as proposal id → choice (for showing it back to them); None if none."""
    if not getattr(voter, "is_authenticated", False):
        return None
    ballot = (
        Ballot.objects.filter(process=process, voter=voter)
        .prefetch_related(Prefetch("choices", queryset=BallotChoice.objects.order_by("rank", "id")))
        .first()
    )
    if ballot is None:
        return None
    return {choice.proposal_id: choice for choice in ballot.choices.all()}


def ballots_count(process: Process) -> int:
    return Ballot.objects.filter(process=process).count()


@dataclass
class ResultView:
    result: Result
    funded: list[ResultLine] = field(default_factory=list)
    others: list[ResultLine] = field(default_factory=list)
    #: proposal id → the commitment tracking its implementation
    commitments: dict[int, Commitment] = field(default_factory=dict)


def result_of(process: Process) -> ResultView | None:
    """The count with its lines (funded in the order chosen, then the others) and the commitments of
    funded projects — three queries whatever the number of proposals."""
    result = Result.objects.filter(process=process).first()
    if result is None:
        return None
    lines = list(result.lines.select_related("proposal").order_by("position", "-votes", "proposal_id"))
    funded = sorted((line for line in lines if line.funded), key=lambda line: line.position or 0)
    others = sorted(
        (line for line in lines if not line.funded), key=lambda line: (-line.votes, line.proposal_id)
    )
    view = ResultView(result=result, funded=funded, others=others)
    if funded:
        view.commitments = _commitments_of([line.proposal_id for line in funded])
    return view


def _commitments_of(proposal_ids: list[int]) -> dict[int, Commitment]:
    content_type = ContentType.objects.get_for_model(Proposal, for_concrete_model=False)
    commitments = Commitment.objects.filter(
        response__obligation__subject_type=content_type,
        response__obligation__subject_id__in=[str(pk) for pk in proposal_ids],
    ).select_related("response__obligation")
    found: dict[int, Commitment] = {}
    for commitment in commitments.order_by("id"):
        found.setdefault(int(commitment.response.obligation.subject_id), commitment)
    return found


def is_official(user: Any) -> bool:
    """Head or officer of any organisation (who may run the Pabulib comparison)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = [Membership.Role.HEAD, Membership.Role.OFFICER]
    return Membership.objects.filter(user=user, role__in=roles).exists()


# --- explanations -------------------------------------------------------------------------------

#: Keys the engine may use for the supporters' remaining money when an Equal Shares project was reached.
SUPPORTERS_MONEY_KEYS = (
    "supporters_money_value",
    "supporters_money",
    "supporters_budget",
    "supporters_remaining",
)


def _amount(value: Any) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


def explanation_facts(line: ResultLine) -> dict[str, Any]:
    """The figures behind a result line's explanation, whatever nesting the count stored."""
    raw = line.explanation if isinstance(line.explanation, dict) else {}
    facts = dict(raw.get("details") or {}) if isinstance(raw.get("details"), dict) else {}
    facts.update({k: v for k, v in raw.items() if k != "details"})
    money = next((facts[k] for k in SUPPORTERS_MONEY_KEYS if facts.get(k) is not None), None)
    return {
        "reason": line.reason,
        "budget_left": _amount(facts.get("budget_left")),
        "supporters_money": _amount(money),
        "supporters": _amount(facts.get("supporters")),
        "completion": facts.get("stage") == "greedy_completion",
    }


# --- plain words --------------------------------------------------------------------------------

PHASE_LABELS = dict(Process.Phase.choices)

RULE_SENTENCES: dict[str, Any] = {
    Process.Rule.GREEDY: _(
        "Projects are funded in order of their number of votes, skipping any that no longer fit the budget."
    ),
    Process.Rule.GREEDY_COST_RATIO: _(
        "Projects are funded in order of votes per unit of cost, skipping any that no longer fit the budget."
    ),
    Process.Rule.MES_COST: _(
        "The budget is shared equally among the voters; a project is funded when its supporters "
        "can pay for it together from their shares, cheapest per supporter first."
    ),
    Process.Rule.MES_CARD: _(
        "The budget is shared equally among the voters; a project is funded when its supporters "
        "can pay for it together, counting each funded project as one unit of satisfaction."
    ),
    Process.Rule.MES_COST_ADD1: _(
        "The Method of Equal Shares, with each voter's share raised step by step while the result still fits "
        "the budget, as used by many cities."
    ),
    Process.Rule.MES_COST_ADD1_GREEDY: _(
        "The Method of Equal Shares with shares raised step by step; money still left over then goes to the "
        "projects with the most votes that fit."
    ),
    Process.Rule.PHRAGMEN: _(
        "Voters earn money at the same rate; a project is bought as soon as its supporters together have "
        "earned its cost, spreading the load among them."
    ),
}

BALLOT_SENTENCES: dict[str, Any] = {
    Process.BallotType.APPROVAL: _("Tick every project you support, within the budget."),
    Process.BallotType.CUMULATIVE: _("Share out your points among the projects you support."),
    Process.BallotType.ORDINAL: _("Rank the projects you prefer, your favourite first."),
}


def eligibility_sentences(process: Process) -> list[Any]:
    """Who may vote, in plain words (no queries: the territory is selected with the process)."""
    sentences: list[Any] = []
    if process.residents_only:
        sentences.append(
            _("You must live in %(territory)s (or a place within it).")
            % {"territory": process.territory.name}
        )
    if process.min_age:
        sentences.append(_("You must be at least %(age)d years old.") % {"age": process.min_age})
    if process.min_verification_level:
        sentences.append(
            _("Your identity must be verified (level %(level)d or higher in your profile).")
            % {"level": process.min_verification_level}
        )
    if not sentences:
        sentences.append(_("Anyone with an account may vote."))
    return sentences
