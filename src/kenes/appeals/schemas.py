import datetime

from ninja import Schema


class Ref(Schema):
    id: int
    name: str


class AppealIn(Schema):
    """``territory`` and ``topic`` are codes; leave ``addressee`` out to route by the rules."""

    kind: str
    territory: str
    topic: str
    subject: str
    text: str
    language: str = ""
    addressee: int | None = None
    on_behalf_of: int | None = None
    is_collective: bool = False
    is_public: bool = False


class ConsiderationOut(Schema):
    obligation: int
    organization: Ref
    state: str
    opened_on: datetime.date
    deadline: datetime.date
    working_days_left: int | None


class AppealOut(Schema):
    id: int
    number: str
    kind: str
    subject: str
    territory: str
    topic: str
    addressee: Ref
    is_public: bool
    is_collective: bool
    created_at: datetime.datetime
    consideration: ConsiderationOut | None
    url: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class ResponseOut(Schema):
    decision: str
    reasons: str
    organization: Ref
    answered_at: datetime.datetime
    on_time: bool
    rating: int | None


class AppealDetailOut(AppealOut):
    text: str
    language: str
    author: str | None
    on_behalf_of: Ref | None
    cosigners: int | None
    attachments: list[AttachmentOut]
    response: ResponseOut | None
    contest: ConsiderationOut | None
