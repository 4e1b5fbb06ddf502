import datetime

from ninja import Field, Schema

from .models import Report


class ReportIn(Schema):
    content_type: str = Field(..., description="`app_label.model` of the content, e.g. `petitions.petition`.")
    object_id: str = Field(..., max_length=64)
    category: Report.Category
    text: str = Field("", max_length=2000)


class ReportOut(Schema):
    id: int
    content_type: str
    object_id: str
    category: str
    created_at: datetime.datetime


class OrganizationRef(Schema):
    id: int
    name: str


class QueueItemOut(Schema):
    content_type: str
    object_id: str
    title: str
    url: str
    item_url: str
    organization: OrganizationRef | None
    reports: int
    open_reports: int
    verified_reporters: int
    is_priority: bool
    is_hidden: bool
    has_open_appeal: bool
    last_reported_at: datetime.datetime
