import datetime
from decimal import Decimal

from ninja import Schema


class Ref(Schema):
    id: int
    name: str


class CriterionOut(Schema):
    id: int
    name: str
    weight: Decimal
    scale_min: int
    scale_max: int


class CallOut(Schema):
    id: int
    title: str
    state: str
    kind: str
    body: Ref
    territory: str
    budget: Decimal
    currency: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    url: str


class ResultOut(Schema):
    application: int
    organization: Ref
    title: str
    state: str
    rank: int | None
    score: Decimal | None
    criterion_scores: dict[str, str]
    amount_awarded: Decimal | None
    reason: str


class CallDetailOut(CallOut):
    description: str
    terms_of_reference: str
    eligibility_text: str
    criteria: list[CriterionOut]
    required_documents: list[str]
    aggregation: str
    trim_min_experts: int
    tie_rule: str
    lot_seed: str
    decision_reasons: str | None
    results: list[ResultOut]


class AwardOut(Schema):
    id: int
    call: int
    call_title: str
    body: Ref
    recipient: Ref
    title: str
    amount: Decimal
    currency: str
    awarded_on: datetime.date


class IndicatorValueOut(Schema):
    indicator: str
    unit: str
    value: Decimal


class ReportOut(Schema):
    id: int
    call: int
    recipient: Ref
    milestone: str
    kind: str
    text: str
    spent: Decimal | None
    submitted_at: datetime.datetime
    accepted_at: datetime.datetime | None
    values: list[IndicatorValueOut]
