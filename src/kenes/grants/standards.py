"""Grants as open data in the sector's standards: the 360Giving Data Standard (one grant per award)
and the Open Contracting Data Standard 1.1 (one release per call). Plain functions on the plain
records below, no database: ``opendata.py`` builds the records from the models, tests build them by
hand and validate the output against the official schemas.

Choices the standards leave to the publisher:

- **Organisation identifiers** follow org-id.guide: ``KZ-BIN-<BIN>`` for a Kazakh organisation (the
  12-digit Business Identification Number, list ``KZ-BIN``) and ``KG-TIN-<INN>`` for a Kyrgyz one
  (the 14-digit taxpayer number, list ``KG-TIN``, the primary list for Kyrgyz legal entities and
  NGOs). An organisation without a registration number gets ``<360Giving prefix>-ORG-<Kenes id>``,
  as 360Giving asks for identifiers only the publisher knows.
- **Grant identifiers** are ``<360Giving prefix>-<award id>``; **ocids** are ``<OCDS prefix>-<call
  reference>``. Both prefixes come from settings (``KENES_360GIVING_PREFIX``, ``KENES_OCDS_PREFIX``);
  the defaults are placeholders that are deliberately not in the registered form, so that data
  published with them cannot be mistaken for a registered publisher's. A deployment registers its
  own prefixes with 360Giving and the Open Contracting Partnership and sets them.
- **Locations** use the official territory codes: ``geoCodeType`` is ``KATO`` in Kazakhstan and
  ``SOATE`` in Kyrgyzstan.
- **Dates** without a time (award date, milestone due date, contract period) are the start (or, for
  an end, the last second) of that day in the publisher's time zone where OCDS wants a date-time;
  360Giving takes them as ``YYYY-MM-DD``.
- **What is published**: the caller passes only public facts. Reports that were not accepted never
  appear, even if passed; no person is named (organisations only).
- **Lots** are tender items (one item per lot; an award lists the item of its lot), so the release
  validates against the core schema without the lots extension.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

OCDS_VERSION = "1.1"
GIVING_VERSION = "1.4"
GIVING_PATH = "/open-data/grants.360giving.json"
OCDS_PATH = "/open-data/grants.ocds.json"
ORG_ID_SCHEMES = {"KZ": "KZ-BIN", "KG": "KG-TIN"}
GEO_CODE_TYPES = {"KZ": "KATO", "KG": "SOATE"}
COUNTRY_NAMES = {"KZ": "Kazakhstan", "KG": "Kyrgyzstan"}
REPORT_DOCUMENT_TYPES = {"narrative": "physicalProgressReport", "financial": "financialProgressReport"}

Json = dict[str, Any]
TenderStatus = Literal["planning", "planned", "active", "complete", "cancelled", "unsuccessful"]


@dataclass(frozen=True)
class Publisher:
    name: str
    base_url: str
    ocid_prefix: str
    grant_prefix: str
    timezone: str = "Asia/Almaty"
    license: str = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class OrgRecord:
    kenes_id: int
    name: str
    country: str
    registration_number: str = ""
    locality: str = ""
    website: str = ""


@dataclass(frozen=True)
class LocationRecord:
    country: str
    code: str
    name: str


@dataclass(frozen=True)
class ClassificationRecord:
    vocabulary: str
    code: str
    title: str


@dataclass(frozen=True)
class ProgrammeRecord:
    code: str
    title: str
    kind: Literal["grant", "social_order"]
    description: str = ""
    url: str = ""


@dataclass(frozen=True)
class LotRecord:
    id: str
    title: str
    description: str = ""
    amount: Decimal | None = None


@dataclass(frozen=True)
class ReportRecord:
    id: str
    kind: Literal["narrative", "financial"]
    state: Literal["submitted", "accepted", "returned"]
    submitted_at: datetime
    reviewed_at: datetime | None = None
    url: str = ""


@dataclass(frozen=True)
class MilestoneRecord:
    id: str
    title: str
    due_on: date
    description: str = ""
    met_at: datetime | None = None
    reports: tuple[ReportRecord, ...] = ()


@dataclass(frozen=True)
class TransactionRecord:
    id: str
    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class ContractRecord:
    id: str
    title: str
    signed_on: date
    starts_on: date
    ends_on: date
    amount: Decimal
    status: Literal["active", "completed", "terminated"] = "active"
    milestones: tuple[MilestoneRecord, ...] = ()
    transactions: tuple[TransactionRecord, ...] = ()


@dataclass(frozen=True)
class AwardRecord:
    id: str
    title: str
    description: str
    recipient: OrgRecord
    amount: Decimal
    awarded_on: date
    modified_at: datetime
    amount_applied_for: Decimal | None = None
    lot_id: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    url: str = ""
    contract: ContractRecord | None = None


@dataclass(frozen=True)
class CallRecord:
    id: str
    title: str
    description: str
    status: TenderStatus
    funder: OrgRecord
    programme: ProgrammeRecord
    currency: str
    budget: Decimal
    opens_at: datetime
    closes_at: datetime
    modified_at: datetime
    url: str = ""
    language: str = "ru"
    eligibility: str = ""
    award_criteria: str = ""
    decided_at: datetime | None = None
    number_of_tenderers: int | None = None
    lots: tuple[LotRecord, ...] = ()
    locations: tuple[LocationRecord, ...] = ()
    classifications: tuple[ClassificationRecord, ...] = ()
    tenderers: tuple[OrgRecord, ...] = ()
    awards: tuple[AwardRecord, ...] = ()


# Shared helpers


def org_identifier(org: OrgRecord, *, publisher: Publisher) -> str:
    """The org-id.guide identifier of ``org`` (see the module docstring)."""
    scheme = ORG_ID_SCHEMES.get(org.country)
    if scheme and org.registration_number:
        return f"{scheme}-{org.registration_number}"
    return f"{publisher.grant_prefix}-ORG-{org.kenes_id}"


def ocid(call: CallRecord, *, publisher: Publisher) -> str:
    return f"{publisher.ocid_prefix}-{call.id}"


def _number(value: Decimal) -> int | float:
    """JSON numbers, not strings: whole amounts as integers, others as floats (two decimals)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _moment(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("open data needs timezone-aware datetimes")
    return value.replace(microsecond=0).isoformat()


def _day(value: date, publisher: Publisher, *, end: bool = False) -> str:
    clock = time(23, 59, 59) if end else time(0, 0)
    return _moment(datetime.combine(value, clock, tzinfo=ZoneInfo(publisher.timezone)))


def _compact(data: Json) -> Json:
    """Leave out empty values: the standards prefer an absent field to an empty one."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _active_awards(call: CallRecord) -> list[AwardRecord]:
    return [] if call.status in ("planning", "cancelled") else list(call.awards)


# 360Giving


def _giving_org(org: OrgRecord, publisher: Publisher) -> Json:
    return _compact(
        {
            "id": org_identifier(org, publisher=publisher),
            "name": org.name,
            "addressLocality": org.locality,
            "addressCountry": COUNTRY_NAMES.get(org.country, org.country),
            "url": org.website,
        }
    )


def _giving_location(location: LocationRecord) -> Json:
    return _compact(
        {
            "id": f"{GEO_CODE_TYPES.get(location.country, location.country)}-{location.code}",
            "name": location.name,
            "countryCode": location.country,
            "geoCode": location.code,
            "geoCodeType": GEO_CODE_TYPES.get(location.country),
        }
    )


def grant_360giving(call: CallRecord, award: AwardRecord, *, publisher: Publisher) -> Json:
    """One 360Giving grant for one award of ``call``."""
    programme = call.programme
    transactions = award.contract.transactions if award.contract else ()
    planned = _compact(
        {
            "startDate": award.starts_on.isoformat() if award.starts_on else None,
            "endDate": award.ends_on.isoformat() if award.ends_on else None,
        }
    )
    return _compact(
        {
            "id": f"{publisher.grant_prefix}-{award.id}",
            "title": award.title,
            "description": award.description or award.title,
            "currency": call.currency,
            "amountAppliedFor": _number(award.amount_applied_for) if award.amount_applied_for else None,
            "amountAwarded": _number(award.amount),
            "amountDisbursed": _number(sum((t.amount for t in transactions), Decimal(0)))
            if transactions
            else None,
            "awardDate": award.awarded_on.isoformat(),
            "url": award.url or call.url,
            "plannedDates": [planned] if "startDate" in planned else [],
            "recipientOrganization": [_giving_org(award.recipient, publisher)],
            "fundingOrganization": [_giving_org(call.funder, publisher)],
            "beneficiaryLocation": [_giving_location(location) for location in call.locations],
            "grantProgramme": [
                _compact({"code": programme.code, "title": programme.title, "url": programme.url})
            ],
            "fromOpenCall": "Yes",
            "classifications": [
                {"vocabulary": c.vocabulary, "code": c.code, "title": c.title} for c in call.classifications
            ],
            "disbursementTransaction": [
                {
                    "id": t.id,
                    "transactionDate": t.paid_on.isoformat(),
                    "currency": call.currency,
                    "value": _number(t.amount),
                }
                for t in transactions
            ],
            "relatedActivity": [ocid(call, publisher=publisher)],
            "dateModified": _moment(award.modified_at),
        }
    )


def grants_360giving_package(
    calls: Iterable[CallRecord], *, publisher: Publisher, issued_at: datetime
) -> Json:
    """The 360Giving package of every award of ``calls``. The standard wants at least one grant, so a
    package with an empty ``grants`` list does not validate: publish it only once something is
    awarded (the view answers 404 until then)."""
    grants = [
        grant_360giving(call, award, publisher=publisher) for call in calls for award in _active_awards(call)
    ]
    base = publisher.base_url.rstrip("/")
    return {
        "version": GIVING_VERSION,
        "title": f"{publisher.name}: grants",
        "identifier": f"{publisher.grant_prefix}-grants",
        "issued": _moment(issued_at),
        "modified": _moment(issued_at),
        "publisher": {"name": publisher.name, "website": base},
        "license": publisher.license,
        "downloadURL": base + GIVING_PATH,
        "grants": grants,
    }


# Open Contracting


def _party(org: OrgRecord, publisher: Publisher, roles: list[str]) -> Json:
    scheme = ORG_ID_SCHEMES.get(org.country) if org.registration_number else None
    return _compact(
        {
            "id": org_identifier(org, publisher=publisher),
            "name": org.name,
            "identifier": {"scheme": scheme, "id": org.registration_number, "legalName": org.name}
            if scheme
            else None,
            "address": _compact(
                {"locality": org.locality, "countryName": COUNTRY_NAMES.get(org.country, org.country)}
            ),
            "contactPoint": {"url": org.website} if org.website else None,
            "roles": roles,
        }
    )


def _reference(org: OrgRecord, publisher: Publisher) -> Json:
    return {"id": org_identifier(org, publisher=publisher), "name": org.name}


def _parties(call: CallRecord, publisher: Publisher) -> list[Json]:
    roles: dict[str, list[str]] = {}
    orgs: dict[str, OrgRecord] = {}

    def add(org: OrgRecord, *new_roles: str) -> None:
        key = org_identifier(org, publisher=publisher)
        orgs.setdefault(key, org)
        roles.setdefault(key, []).extend(r for r in new_roles if r not in roles.get(key, []))

    add(call.funder, "buyer", "procuringEntity", "funder", "payer")
    for org in call.tenderers:
        add(org, "tenderer")
    for award in _active_awards(call):
        add(award.recipient, "supplier", "payee")
    return [_party(orgs[key], publisher, roles[key]) for key in orgs]


def _value(amount: Decimal | None, currency: str) -> Json | None:
    return None if amount is None else {"amount": _number(amount), "currency": currency}


def _lot_item(lot: LotRecord, currency: str) -> Json:
    return _compact(
        {
            "id": lot.id,
            "description": lot.title + (f": {lot.description}" if lot.description else ""),
            "quantity": 1,
            "unit": _compact({"name": "lot", "value": _value(lot.amount, currency)}),
        }
    )


def _tender(call: CallRecord, publisher: Publisher) -> Json:
    kind = call.programme.kind
    documents = (
        [{"id": f"{call.id}-notice", "documentType": "tenderNotice", "url": call.url}] if call.url else []
    )
    if call.url and call.decided_at:
        documents.append({"id": f"{call.id}-results", "documentType": "evaluationReports", "url": call.url})
    return _compact(
        {
            "id": call.id,
            "title": call.title,
            "description": call.description,
            "status": call.status,
            "procuringEntity": _reference(call.funder, publisher),
            "items": [_lot_item(lot, call.currency) for lot in call.lots],
            "value": _value(call.budget, call.currency),
            "procurementMethod": "open",
            "procurementMethodDetails": "State social order"
            if kind == "social_order"
            else "Competitive grant call",
            "mainProcurementCategory": "services" if kind == "social_order" else None,
            "awardCriteria": "qualityOnly",
            "awardCriteriaDetails": call.award_criteria,
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": {"startDate": _moment(call.opens_at), "endDate": _moment(call.closes_at)},
            "awardPeriod": {"startDate": _moment(call.closes_at), "endDate": _moment(call.decided_at)}
            if call.decided_at
            else None,
            "eligibilityCriteria": call.eligibility,
            "numberOfTenderers": call.number_of_tenderers,
            "tenderers": list(
                {
                    org_identifier(o, publisher=publisher): _reference(o, publisher) for o in call.tenderers
                }.values()
            ),
            "documents": documents,
        }
    )


def _ocds_award(call: CallRecord, award: AwardRecord, publisher: Publisher) -> Json:
    period = (
        {"startDate": _day(award.starts_on, publisher), "endDate": _day(award.ends_on, publisher, end=True)}
        if award.starts_on and award.ends_on
        else None
    )
    lots = [lot for lot in call.lots if lot.id == award.lot_id]
    return _compact(
        {
            "id": award.id,
            "title": award.title,
            "description": award.description,
            "status": "active",
            "date": _day(award.awarded_on, publisher),
            "value": _value(award.amount, call.currency),
            "suppliers": [_reference(award.recipient, publisher)],
            "items": [_lot_item(lot, call.currency) for lot in lots],
            "contractPeriod": period,
        }
    )


def _report_document(report: ReportRecord) -> Json:
    return _compact(
        {
            "id": report.id,
            "documentType": REPORT_DOCUMENT_TYPES[report.kind],
            "url": report.url,
            "datePublished": _moment(report.reviewed_at) if report.reviewed_at else None,
        }
    )


def _milestone(milestone: MilestoneRecord, publisher: Publisher) -> Json:
    accepted = [r for r in milestone.reports if r.state == "accepted"]
    return _compact(
        {
            "id": milestone.id,
            "title": milestone.title,
            "description": milestone.description,
            "type": "delivery",
            "dueDate": _day(milestone.due_on, publisher, end=True),
            "dateMet": _moment(milestone.met_at) if milestone.met_at else None,
            "status": "met" if milestone.met_at else "scheduled",
            "documents": [_report_document(report) for report in accepted],
        }
    )


def _contract(call: CallRecord, award: AwardRecord, contract: ContractRecord, publisher: Publisher) -> Json:
    payer = _reference(call.funder, publisher)
    payee = _reference(award.recipient, publisher)
    implementation = _compact(
        {
            "milestones": [_milestone(m, publisher) for m in contract.milestones],
            "transactions": [
                {
                    "id": t.id,
                    "date": _day(t.paid_on, publisher),
                    "value": _value(t.amount, call.currency),
                    "payer": payer,
                    "payee": payee,
                }
                for t in contract.transactions
            ],
        }
    )
    return _compact(
        {
            "id": contract.id,
            "awardID": award.id,
            "title": contract.title,
            "status": "active" if contract.status == "active" else "terminated",
            "period": {
                "startDate": _day(contract.starts_on, publisher),
                "endDate": _day(contract.ends_on, publisher, end=True),
            },
            "value": _value(contract.amount, call.currency),
            "dateSigned": _day(contract.signed_on, publisher),
            "implementation": implementation,
        }
    )


def _has_implementation(contract: ContractRecord) -> bool:
    return bool(contract.transactions) or any(
        m.met_at or any(r.state == "accepted" for r in m.reports) for m in contract.milestones
    )


def _tags(call: CallRecord) -> list[str]:
    if call.status == "planning":
        return ["planning"]
    if call.status == "cancelled":
        return ["tenderCancellation"]
    awards = _active_awards(call)
    contracts = [award.contract for award in awards if award.contract]
    tags = ["tender"]
    tags += ["award"] if awards else []
    tags += ["contract"] if contracts else []
    tags += ["implementation"] if any(_has_implementation(c) for c in contracts) else []
    return tags


def ocds_release(call: CallRecord, *, publisher: Publisher) -> Json:
    """The current state of one call as an OCDS release; its id changes whenever the call changes."""
    programme = call.programme
    awards = _active_awards(call)
    stamp = call.modified_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    release = {
        "ocid": ocid(call, publisher=publisher),
        "id": f"{call.id}-{stamp}",
        "date": _moment(call.modified_at),
        "tag": _tags(call),
        "initiationType": "tender",
        "language": call.language,
        "parties": _parties(call, publisher),
        "buyer": _reference(call.funder, publisher),
        "planning": _compact(
            {
                "rationale": programme.description,
                "budget": _compact(
                    {
                        "id": programme.code,
                        "amount": _value(call.budget, call.currency),
                        "project": programme.title,
                        "projectID": programme.code,
                        "uri": programme.url,
                    }
                ),
            }
        ),
        "tender": _tender(call, publisher),
        "awards": [_ocds_award(call, award, publisher) for award in awards],
        "contracts": [
            _contract(call, award, award.contract, publisher)
            for award in awards
            if award.contract is not None
        ],
    }
    return _compact(release)


def ocds_release_package(
    calls: Iterable[CallRecord], *, publisher: Publisher, published_at: datetime
) -> Json:
    """An OCDS 1.1 release package with one release per call."""
    base = publisher.base_url.rstrip("/")
    return {
        "uri": base + OCDS_PATH,
        "version": OCDS_VERSION,
        "publishedDate": _moment(published_at),
        "publisher": {"name": publisher.name, "uri": base},
        "license": publisher.license,
        "releases": [ocds_release(call, publisher=publisher) for call in calls],
    }
