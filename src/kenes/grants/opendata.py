"""Open data of calls and grants: ``/open-data/grants.360giving.json`` (360Giving, one grant per
award) and ``/open-data/grants.ocds.json`` (OCDS 1.1, one release per call). See ``standards.py``
for the mapping and docs/grants.md, "Open data", for what is published.

Only public facts: calls that were published; awards once the call's decision is published (call
state ``awarded``); applicant organisations and their number once applications have closed; accepted
reports only. No person is named and no contact of a person is given (organisations' websites
only). Every file is built in a fixed number of queries whatever the number of calls, and served
with ``Cache-Control: public``, an ``ETag`` and ``Last-Modified``, so that a client or a proxy can ask
again cheaply (304 when nothing changed).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kenes.organizations.models import Organization

from . import standards as std
from .models import Application, Award, Call, Contract, ContractMilestone, Report

#: How long a client or proxy may reuse a file without asking again (seconds).
MAX_AGE = 300


def publisher() -> std.Publisher:
    return std.Publisher(
        name=settings.KENES_OPEN_DATA_PUBLISHER,
        base_url=settings.KENES_BASE_URL,
        ocid_prefix=settings.KENES_OCDS_PREFIX,
        grant_prefix=settings.KENES_360GIVING_PREFIX,
        timezone=settings.TIME_ZONE,
    )


def _absolute(obj: Model) -> str:
    """The public page of ``obj`` in the site's default language, or "" if it has none (yet)."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            path: str = obj.get_absolute_url()  # type: ignore[attr-defined]
    except NoReverseMatch:
        return ""
    return settings.KENES_BASE_URL.rstrip("/") + path


def _related(obj: Model, name: str) -> Any:
    """A reverse one-to-one loaded by ``select_related``, or None when there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _org(org: Organization) -> std.OrgRecord:
    return std.OrgRecord(
        kenes_id=org.pk,
        name=org.name,
        country=org.country,
        registration_number=org.registration_number,
        locality=org.territory.name,
        website=org.website,
    )


def _calls() -> list[Call]:
    """Every published call with what its records need (five queries)."""
    applications = (
        Application.objects.exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
        .select_related("organization__territory", "lot", "award", "contract")
        .order_by("pk")
    )
    return list(
        Call.objects.public()
        .filter(published_at__isnull=False)
        .select_related("programme__body__territory", "programme__territory", "programme__topic", "decision")
        .prefetch_related(
            "lots",
            "criteria",
            "programme__sectors",
            Prefetch("applications", queryset=applications, to_attr="public_applications"),
        )
        .order_by("pk")
    )


def _milestones(contract_ids: Iterable[int]) -> dict[int, list[ContractMilestone]]:
    """Milestones of these contracts with their accepted reports only (two queries, none if empty)."""
    ids = list(contract_ids)
    if not ids:
        return {}
    rows = ContractMilestone.objects.filter(contract_id__in=ids).prefetch_related(
        Prefetch(
            "reports",
            queryset=Report.objects.filter(state=Report.State.ACCEPTED).order_by("submitted_at", "pk"),
            to_attr="accepted_reports",
        )
    )
    grouped: dict[int, list[ContractMilestone]] = defaultdict(list)
    for milestone in rows.order_by("due_on", "position", "pk"):
        grouped[milestone.contract_id].append(milestone)
    return grouped


def _status(call: Call, *, awarded: bool) -> std.TenderStatus:
    if call.state == Call.State.AWARDED:
        return "complete" if awarded else "unsuccessful"
    if call.state == Call.State.PUBLISHED and call.opens_at > timezone.now():
        return "planned"
    return "active"


def _criteria_text(call: Call) -> str:
    parts = [
        _("%(name)s: weight %(weight)s, scores from %(low)s to %(high)s.")
        % {"name": c.name, "weight": c.weight.normalize(), "low": c.scale_min, "high": c.scale_max}
        for c in call.criteria.all()
    ]
    if call.aggregation == Call.Aggregation.TRIMMED_MEAN:
        parts.append(
            _("Experts' scores: the highest and lowest are left out when at least %(count)s experts scored.")
            % {"count": call.trim_min_experts}
        )
    else:
        parts.append(_("Experts' scores: the mean."))
    parts.append(_("Tie rule: %(rule)s.") % {"rule": call.get_tie_rule_display()})
    return " ".join(parts)


def _contract(contract: Contract, milestones: list[ContractMilestone], call_url: str) -> std.ContractRecord:
    return std.ContractRecord(
        id=f"contract-{contract.pk}",
        title=contract.number,
        signed_on=contract.signed_on,
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        amount=contract.amount,
        status=contract.state,  # type: ignore[arg-type]
        milestones=tuple(
            std.MilestoneRecord(
                id=f"milestone-{m.pk}",
                title=m.title,
                description=m.deliverable,
                due_on=m.due_on,
                met_at=m.accepted_at,
                reports=tuple(
                    std.ReportRecord(
                        id=f"report-{r.pk}",
                        kind=r.kind,  # type: ignore[arg-type]
                        state=r.state,  # type: ignore[arg-type]
                        submitted_at=r.submitted_at,
                        reviewed_at=r.reviewed_at,
                        url=call_url,
                    )
                    for r in m.accepted_reports  # type: ignore[attr-defined]
                ),
            )
            for m in milestones
        ),
    )


def _award(
    application: Application, award: Award, milestones: dict[int, list[ContractMilestone]], call_url: str
) -> tuple[std.AwardRecord, datetime]:
    contract = _related(application, "contract")
    record = None
    stamps = [award.updated_at, application.updated_at]
    if contract is not None:
        rows = milestones.get(contract.pk, [])
        record = _contract(contract, rows, call_url)
        stamps += [contract.updated_at, *(m.updated_at for m in rows)]
        stamps += [r.updated_at for m in rows for r in m.accepted_reports]  # type: ignore[attr-defined]
    modified = max(stamps)
    return (
        std.AwardRecord(
            id=f"award-{award.pk}",
            title=application.title,
            description=application.description,
            recipient=_org(application.organization),
            amount=award.amount,
            amount_applied_for=application.requested_amount or None,
            awarded_on=award.awarded_on,
            modified_at=modified,
            lot_id=f"lot-{application.lot_id}" if application.lot_id else None,
            starts_on=contract.starts_on if contract else application.starts_on,
            ends_on=contract.ends_on if contract else application.ends_on,
            url=call_url,
            contract=record,
        ),
        modified,
    )


def _call(call: Call, milestones: dict[int, list[ContractMilestone]]) -> std.CallRecord:
    programme = call.programme
    applications: list[Application] = call.public_applications  # type: ignore[attr-defined]
    decision = _related(call, "decision") if call.state == Call.State.AWARDED else None
    url = _absolute(call)
    pairs = [
        _award(app, award, milestones, url)
        for app in applications
        if decision is not None and (award := _related(app, "award")) is not None
    ]
    awards = [award for award, _stamp in pairs]
    closed = call.state != Call.State.PUBLISHED
    lots = list(call.lots.all())
    sectors = programme.sectors.all()
    topic = [programme.topic] if programme.topic else []
    return std.CallRecord(
        id=f"call-{call.pk}",
        title=call.title,
        description=call.description or programme.terms_of_reference,
        status=_status(call, awarded=bool(awards)),
        funder=_org(programme.body),
        programme=std.ProgrammeRecord(
            code=f"programme-{programme.pk}",
            title=programme.title,
            kind=programme.kind,  # type: ignore[arg-type]
            description=programme.summary or programme.terms_of_reference,
            url=_absolute(programme),
        ),
        currency=programme.currency,
        budget=sum((lot.budget for lot in lots), Decimal(0)) if lots else programme.budget,
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        modified_at=max([call.updated_at, *(stamp for _award, stamp in pairs)]),
        url=url,
        language=settings.LANGUAGE_CODE,
        eligibility=call.eligibility_text,
        award_criteria=_criteria_text(call),
        decided_at=decision.published_at if decision else None,
        number_of_tenderers=len(applications) if closed else None,
        lots=tuple(
            std.LotRecord(id=f"lot-{lot.pk}", title=lot.title, description=lot.description, amount=lot.budget)
            for lot in lots
        ),
        locations=(
            std.LocationRecord(
                country=programme.territory.country,
                code=programme.territory.code,
                name=programme.territory.name,
            ),
        ),
        classifications=tuple(
            [std.ClassificationRecord(vocabulary="Kenes sectors", code=s.code, title=s.name) for s in sectors]
            + [std.ClassificationRecord(vocabulary="Kenes topics", code=t.code, title=t.name) for t in topic]
        ),
        tenderers=tuple(_org(app.organization) for app in applications) if decision else (),
        awards=tuple(awards),
    )


def call_records() -> list[std.CallRecord]:
    """The public record of every published call, oldest first, in a fixed number of queries."""
    calls = _calls()
    contract_ids = [
        contract.pk
        for call in calls
        if call.state == Call.State.AWARDED
        for app in call.public_applications  # type: ignore[attr-defined]
        if (contract := _related(app, "contract")) is not None
    ]
    milestones = _milestones(contract_ids)
    with translation.override(settings.LANGUAGE_CODE):
        return [_call(call, milestones) for call in calls]


def _last_modified(calls: list[std.CallRecord]) -> datetime:
    return max((call.modified_at for call in calls), default=timezone.now())


def _json_file(request: HttpRequest, data: dict[str, Any], last_modified: datetime) -> HttpResponseBase:
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    stamp = int(last_modified.timestamp())
    response: HttpResponseBase | None = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _nothing_yet(message: str) -> JsonResponse:
    response = JsonResponse({"detail": message}, status=404, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_GET
def grants_360giving(request: HttpRequest) -> HttpResponseBase:
    """Every published award as a 360Giving grant; 404 until something is awarded (the standard has
    no valid empty file)."""
    calls = call_records()
    stamp = _last_modified(calls)
    package = std.grants_360giving_package(calls, publisher=publisher(), issued_at=stamp)
    if not package["grants"]:
        return _nothing_yet(_("No grants have been awarded yet."))
    return _json_file(request, package, stamp)


@require_GET
def grants_ocds(request: HttpRequest) -> HttpResponseBase:
    """Every published call as an OCDS release; 404 until a call is published."""
    calls = call_records()
    if not calls:
        return _nothing_yet(_("No call for applications has been published yet."))
    stamp = _last_modified(calls)
    return _json_file(
        request, std.ocds_release_package(calls, publisher=publisher(), published_at=stamp), stamp
    )
