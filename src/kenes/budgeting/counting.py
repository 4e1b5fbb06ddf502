"""Between the database and the engine: build a ``kenes.engines.pb`` Election from a process's
ballots (one pass, no N+1), and store an Outcome as a Result with one ResultLine per proposal."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation

from .models import Ballot, BallotChoice, Process, Proposal, Result, ResultLine

if TYPE_CHECKING:
    from kenes.engines.pb import Election, Outcome

COUNTED = (Proposal.Status.ON_BALLOT, Proposal.Status.FUNDED, Proposal.Status.NOT_FUNDED)
#: (proposal id, points, rank) for each choice of a ballot
Choice = tuple[int, int, int | None]


def jsonable(value: Any) -> Any:
    """Engine details made JSON-able: Fractions as strings ("3/7"), tuples as lists, NumPy scalars
    as Python numbers, keys as strings."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(item) for item in items]
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if hasattr(value, "item"):  # NumPy scalar
        return jsonable(value.item())
    return str(value)


def ballots_of(process: Process) -> dict[int, list[Choice]]:
    """Every ballot of the process (ballot id → its choices, ranked ones best first): two queries."""
    ballots: dict[int, list[Choice]] = {
        pk: [] for pk in Ballot.objects.filter(process=process).order_by("pk").values_list("pk", flat=True)
    }
    rows = (
        BallotChoice.objects.filter(ballot__process=process)
        .order_by("ballot_id", "rank", "proposal_id")
        .values_list("ballot_id", "proposal_id", "points", "rank")
    )
    for ballot_id, proposal_id, points, rank in rows:
        ballots.setdefault(ballot_id, []).append((proposal_id, points, rank))
    return ballots


def _meta(process: Process, projects: int, votes: int) -> dict[str, str]:
    with translation.override("en"):
        country, unit = str(process.territory.get_country_display()), str(process.territory.name)
    meta = {
        "description": process.title,
        "country": country,
        "unit": unit,
        "instance": str(timezone.localtime(process.voting_close).year),
        "num_projects": str(projects),
        "num_votes": str(votes),
        "budget": str(process.budget),
        "currency": process.currency,
        "vote_type": process.ballot_type,
        "rule": process.rule,
        "date_begin": timezone.localtime(process.voting_open).strftime("%d.%m.%Y"),
        "date_end": timezone.localtime(process.voting_close).strftime("%d.%m.%Y"),
        "min_length": str(process.min_choices),
    }
    if process.max_choices:
        meta["max_length"] = str(process.max_choices)
    if process.ballot_type == Process.BallotType.CUMULATIVE and process.max_points:
        meta["max_sum_points"] = str(process.max_points)
    return meta


def _vote(process: Process, voter_id: str, choices: Sequence[Choice], project_ids: set[str]) -> Any:
    from kenes.engines.pb import Vote

    kept = [c for c in choices if str(c[0]) in project_ids]
    ids = tuple(str(c[0]) for c in kept)
    fields = {"voter_id": voter_id, "vote": ",".join(ids)}
    if process.ballot_type == Process.BallotType.CUMULATIVE:
        points = tuple(c[1] for c in kept)
        fields["points"] = ",".join(str(p) for p in points)
        return Vote(voter_id=voter_id, projects=ids, points=points, fields=fields)
    return Vote(voter_id=voter_id, projects=ids, points=None, fields=fields)


def build_election(process: Process, *, anonymise: bool = False, with_selected: bool = False) -> Election:
    """The process as an Election. Projects: the proposals on the ballot (or already counted), with
    their official cost; voters: ballot ids, or with ``anonymise`` the numbers 1..n in random order."""
    from kenes.engines.pb import Election, Project

    proposals = list(
        Proposal.objects.filter(process=process, status__in=COUNTED)
        .order_by("pk")
        .only("pk", "title", "category", "estimated_cost", "official_cost", "status")
    )
    ballots = list(ballots_of(process).items())
    if anonymise:
        random.SystemRandom().shuffle(ballots)
    project_ids = {str(p.pk) for p in proposals}
    votes = [
        _vote(process, str(index if anonymise else ballot_id), choices, project_ids)
        for index, (ballot_id, choices) in enumerate(ballots, 1)
    ]
    supporters = Counter(pid for vote in votes for pid in vote.projects)
    columns = ["project_id", "cost", "votes", "name", "category"] + (["selected"] if with_selected else [])
    projects = {}
    for p in proposals:
        fields = {
            "project_id": str(p.pk),
            "cost": str(p.cost),
            "votes": str(supporters[str(p.pk)]),
            "name": p.title,
            "category": p.category,
        }
        if with_selected:
            fields["selected"] = "1" if p.status == Proposal.Status.FUNDED else "0"
        projects[str(p.pk)] = Project(id=str(p.pk), cost=p.cost, fields=fields)
    vote_columns = ["voter_id", "vote"] + (["points"] if process.ballot_type == "cumulative" else [])
    return Election(
        meta=_meta(process, len(projects), len(votes)),
        projects=projects,
        votes=votes,
        project_columns=columns,
        vote_columns=vote_columns,
    )


def supporters_of(election: Election) -> Counter[str]:
    return Counter(pid for vote in election.votes for pid in vote.projects)


def result_store(process: Process, election: Election, outcome: Outcome) -> Result:
    """Result + one line per project; proposals FUNDED / NOT_FUNDED. Inside the caller's transaction."""
    result = Result.objects.create(
        process=process,
        rule=outcome.rule,
        ballots_counted=election.voter_count,
        total_cost=outcome.total_cost,
        details=jsonable({"selected": list(outcome.selected), **dict(outcome.details)}),
    )
    supporters = supporters_of(election)
    position = {pid: index for index, pid in enumerate(outcome.selected, 1)}
    lines = []
    for pid in election.projects:
        explanation = outcome.explanations.get(pid)
        lines.append(
            ResultLine(
                result=result,
                proposal_id=int(pid),
                funded=pid in position,
                position=position.get(pid),
                votes=supporters[pid],
                reason=explanation.reason
                if explanation
                else ("funded" if pid in position else "not_reached"),
                explanation=jsonable(explanation.details) if explanation else {},
            )
        )
    ResultLine.objects.bulk_create(lines)
    funded = [int(pid) for pid in position]
    Proposal.objects.filter(pk__in=funded).update(status=Proposal.Status.FUNDED, updated_at=timezone.now())
    Proposal.objects.filter(process=process, status=Proposal.Status.ON_BALLOT).exclude(pk__in=funded).update(
        status=Proposal.Status.NOT_FUNDED, updated_at=timezone.now()
    )
    return result
