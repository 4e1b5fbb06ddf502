from ninja import Schema


class TerritoryRef(Schema):
    code: str
    name: str


class NGOOut(Schema):
    id: int
    organization_id: int
    bin: str
    name: str
    country: str
    legal_form: str
    registered_on: str | None
    territory: TerritoryRef
    sectors: list[str]
    status: str
    is_sample: bool


class ContactsOut(Schema):
    email: str
    phone: str
    website: str
    address: str


class ReportOut(Schema):
    """A report's public fields (the contact person, their phone and donors' names are private)."""

    id: int
    year: int
    version: int
    submitted_at: str
    correction_reason: str
    activity_areas: str
    projects_count: int
    projects: str
    beneficiaries_reached: int
    income_state: str
    income_grants: str
    income_foreign: str
    income_donations: str
    income_own: str
    income_total: str
    expenses: str


class VersionOut(Schema):
    id: int
    version: int
    is_current: bool
    submitted_at: str
    correction_reason: str


class ReportDetailOut(ReportOut):
    ngo_id: int
    is_current: bool
    versions: list[VersionOut]


class NGODetailOut(NGOOut):
    work_territories: list[TerritoryRef]
    beneficiary_groups: list[str]
    status_reason: str
    status_changed_at: str | None
    flagged_by_job: bool
    contacts: ContactsOut
    reports: list[ReportOut]


class CountOut(Schema):
    key: str
    label: str
    count: int


class YearRateOut(Schema):
    year: int
    reported: int
    operating: int
    rate: float


class StatisticsOut(Schema):
    total: int
    territory: str | None
    by_status: list[CountOut]
    by_sector: list[CountOut]
    by_territory: list[CountOut]
    reporting: list[YearRateOut]
