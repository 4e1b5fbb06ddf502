import datetime

from ninja import Schema


class Ref(Schema):
    id: int
    name: str


class ProcessOut(Schema):
    id: int
    title: str
    phase: str
    territory: Ref
    organization: Ref
    budget: int
    currency: str
    ballot_type: str
    rule: str
    proposals_open: datetime.datetime
    proposals_close: datetime.datetime
    review_close: datetime.datetime
    voting_open: datetime.datetime
    voting_close: datetime.datetime
    results_published_at: datetime.datetime | None
    is_sample: bool
    url: str


class ProposalOut(Schema):
    id: int
    title: str
    description: str
    category: str
    status: str
    estimated_cost: int
    official_cost: int | None
    cost: int
    latitude: float | None
    longitude: float | None
    supporters: int
    merged_into: int | None
    url: str


class ProcessDetailOut(ProcessOut):
    description: str
    min_choices: int
    max_choices: int | None
    max_points: int | None
    proposals: list[ProposalOut]


class ResultLineOut(Schema):
    proposal: int
    title: str
    cost: int
    funded: bool
    position: int | None
    votes: int
    reason: str
    explanation: dict


class ResultOut(Schema):
    process: int
    rule: str
    ballots_counted: int
    total_cost: int
    budget: int
    funded: list[ResultLineOut]
    others: list[ResultLineOut]


class BallotIn(Schema):
    """Approval: ``projects`` (ids). Cumulative: ``points`` ({id: points}).
    Ordinal: ``ranking`` (ids, best first)."""

    projects: list[int] | None = None
    points: dict[int, int] | None = None
    ranking: list[int] | None = None


class BallotOut(Schema):
    process: int
    choices: int
    updated_at: datetime.datetime
