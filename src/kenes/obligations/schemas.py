import datetime

from ninja import Field, Schema

from .models import Response


class BodyRef(Schema):
    id: int
    name: str


class ObligationOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    country: str
    organization: BodyRef
    opened_on: datetime.date
    deadline: datetime.date
    original_deadline: datetime.date
    is_private: bool
    url: str


class StepOut(Schema):
    kind: str
    at: datetime.datetime
    obligation_id: int
    organization: BodyRef
    text: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class RatingOut(Schema):
    score: int
    comment: str


class ResponseOut(Schema):
    id: int
    decision: str
    reasons: str
    organization: BodyRef
    responder: str
    on_time: bool
    working_days_taken: int
    created_at: datetime.datetime
    attachments: list[AttachmentOut]
    rating: RatingOut | None


class ExtensionOut(Schema):
    old_deadline: datetime.date
    new_deadline: datetime.date
    reason: str
    created_at: datetime.datetime


class ObligationDetailOut(ObligationOut):
    working_days_left: int | None
    is_overdue: bool
    extensions: list[ExtensionOut]
    response: ResponseOut | None
    timeline: list[StepOut]


class InboxItemOut(ObligationOut):
    working_days_left: int | None
    is_overdue: bool
    assigned_to: str | None


class AccountabilityOut(Schema):
    open: int
    overdue: int
    answered: int
    answered_on_time: int
    accepted: int
    median_days: float | None = Field(description="Median response time, in working days.")
    p90_days: float | None = Field(description="90th percentile of the response time (linear), working days.")
    on_time_rate: float | None = Field(description="Answered on time / answered, as a fraction.")
    acceptance_rate: float | None = Field(description="(Accepted + partly accepted) / answered.")
    milestones_delivered: int
    milestones_delivered_on_time: int
    milestones_on_time_rate: float | None = Field(description="Milestones delivered on time / delivered.")
    average_rating: float | None
    ratings: int


class RespondIn(Schema):
    decision: Response.Decision
    reasons: str = Field(max_length=10_000)


class ExtendIn(Schema):
    new_deadline: datetime.date
    reason: str = Field(max_length=10_000)


class RedirectIn(Schema):
    to_organization: int
    reason: str = Field(max_length=10_000)


class RatingIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=5_000)
