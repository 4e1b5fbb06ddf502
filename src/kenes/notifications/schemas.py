from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    url: str
    subject_type: str | None
    subject_id: int | None
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class ReadAllOut(Schema):
    marked_read: int
