import datetime

from ninja import Schema


class Ref(Schema):
    id: int
    name: str


class CodeRef(Schema):
    id: int
    code: str
    name: str


class PetitionOut(Schema):
    id: int
    title: str
    state: str
    level: str
    country: str
    language: str
    addressee: Ref
    territory: CodeRef
    topic: CodeRef
    threshold: int
    signatures: int
    counted_at: datetime.datetime | None
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    threshold_reached_at: datetime.datetime | None
    url: str


class RegionCountOut(Schema):
    region: CodeRef | None
    signatures: int


class MilestoneOut(Schema):
    title: str
    due_on: datetime.date
    status: str
    delivered_at: datetime.datetime | None


class CommitmentOut(Schema):
    id: int
    title: str
    status: str
    milestones: list[MilestoneOut]


class ResponseOut(Schema):
    decision: str
    reasons: str
    body: Ref
    answered_at: datetime.datetime | None
    on_time: bool
    working_days_taken: int


class AnswerOut(Schema):
    obligation: int
    body: Ref
    state: str
    opened_on: datetime.date
    deadline: datetime.date
    response: ResponseOut | None
    commitments: list[CommitmentOut]


class PetitionDetailOut(PetitionOut):
    text: str
    demand: str
    min_verification_level: int
    duration_months: int
    regions: list[RegionCountOut]
    answer: AnswerOut | None


class SimilarOut(Schema):
    id: int
    title: str
    state: str
    signatures: int
    similarity: float
    url: str
