"""Factories for the budgeting module.

``ProcessFactory(phase="voting")`` arranges the dates around *now* so that ``process.phase`` is the
phase asked for (draft, proposals, review, voting, counting, results, implementation).
``cast(process, voter, choices)`` writes a ballot directly (no eligibility checks: use the service
``ballot_cast`` to test those).
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

import factory
from django.utils import timezone

from kenes.accounts.tests.factories import UserFactory
from kenes.budgeting.models import RESULTS_SHOWN_FOR, Ballot, BallotChoice, Process, Proposal
from kenes.organizations.tests.factories import OrganizationFactory

DAY = datetime.timedelta(days=1)

#: For each phase, the offsets (in days from now) of proposals_open, proposals_close, review_close,
#: voting_open, voting_close.
PHASE_OFFSETS: dict[str, tuple[int, int, int, int, int]] = {
    "draft": (1, 2, 3, 4, 5),
    "proposals": (-1, 1, 2, 3, 4),
    "review": (-2, -1, 1, 2, 3),
    "voting": (-3, -2, -1, -1, 1),
    "counting": (-5, -4, -3, -2, -1),
    "results": (-5, -4, -3, -2, -1),
    "implementation": (-5, -4, -3, -2, -1),
}


def _date(index: int) -> Any:
    def compute(o: Any) -> datetime.datetime:
        offset = datetime.timedelta(days=PHASE_OFFSETS[o.phase][index])
        # voting_open is one hour after review_close in the voting phase (both "one day ago")
        extra = datetime.timedelta(hours=1) if index == 3 and o.phase == "voting" else datetime.timedelta()
        return o.now + offset + extra

    return factory.LazyAttribute(compute)


def _published(o: Any) -> datetime.datetime | None:
    # Process.phase reads RESULTS for RESULTS_SHOWN_FOR after publication, then IMPLEMENTATION.
    if o.phase == "results":
        return o.now - DAY
    if o.phase == "implementation":
        return o.now - RESULTS_SHOWN_FOR - DAY
    return None


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    class Params:
        phase = "proposals"
        now = factory.LazyFunction(timezone.now)

    title = factory.Sequence(lambda n: f"People's budget {n}")
    title_en = factory.SelfAttribute("title")
    description = "Decide together how to spend part of the local budget."
    organization = factory.SubFactory(OrganizationFactory)
    territory = factory.SelfAttribute("organization.territory")
    budget = 1000
    currency = "KZT"
    ballot_type = Process.BallotType.APPROVAL
    rule = Process.Rule.MES_COST_ADD1_GREEDY
    min_choices = 1
    max_choices = None
    max_points = None
    min_age = None
    min_verification_level = 1
    residents_only = False
    proposals_open = _date(0)
    proposals_close = _date(1)
    review_close = _date(2)
    voting_open = _date(3)
    voting_close = _date(4)
    counted_at = factory.LazyAttribute(
        lambda o: o.now - datetime.timedelta(hours=12) if o.phase in ("results", "implementation") else None
    )
    results_published_at = factory.LazyAttribute(_published)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    process = factory.SubFactory(ProcessFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    description = "A bench and a tree in the courtyard, for everyone."
    category = ""
    estimated_cost = 100
    official_cost = None
    language = "en"
    status = Proposal.Status.SUBMITTED


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    process = factory.SubFactory(ProcessFactory, phase="voting")
    voter = factory.SubFactory(UserFactory)


def cast(process: Process, voter: Any, choices: Mapping[Any, int] | Sequence[Any]) -> Ballot:
    """Write ``voter``'s ballot directly. ``choices``: proposals or their ids — a sequence for approval
    (order ignored) and ordinal (best first) ballots, a mapping to points for cumulative ones."""

    def pk(item: Any) -> int:
        return int(getattr(item, "pk", item))

    ballot = Ballot.objects.create(process=process, voter=voter)
    if isinstance(choices, Mapping):
        rows = [BallotChoice(ballot=ballot, proposal_id=pk(p), points=n) for p, n in choices.items()]
    elif process.ballot_type == Process.BallotType.ORDINAL:
        rows = [BallotChoice(ballot=ballot, proposal_id=pk(p), rank=i) for i, p in enumerate(choices, 1)]
    else:
        rows = [BallotChoice(ballot=ballot, proposal_id=pk(p)) for p in choices]
    BallotChoice.objects.bulk_create(rows)
    return ballot
