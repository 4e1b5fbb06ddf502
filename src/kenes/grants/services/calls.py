"""Programmes and calls: planning, publishing (with notices to followers), closing."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.common.permissions import require_perm
from kenes.notifications.models import Follow
from kenes.organizations.models import Organization, Sector, Topic
from kenes.organizations.selectors import people_of
from kenes.territories.models import Territory

from ..models import Application, Call, Criterion, Indicator, Lot, Programme, RequiredDocument
from ._common import APPLICANT_ROLES, OFFICIAL_ROLES, field_error, notify, record


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    target: Decimal


@dataclass(frozen=True)
class LotSpec:
    title: str
    budget: Decimal
    description: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: Decimal
    scale_min: int = 0
    scale_max: int = 10
    description: str = ""


def _check_body(body: Organization, territory: Territory) -> None:
    if not body.is_state or body.status != Organization.Status.OPERATING:
        raise ValidationError(_("Only an operating state body can plan a programme."), code="not_a_body")
    if body.country != territory.country:
        raise field_error("territory", _("The territory must be in the body's country."), "other_country")


def _check_lots(budget: Decimal, lots: Sequence[LotSpec]) -> None:
    titles = [lot.title.strip() for lot in lots]
    if len(set(titles)) != len(titles):
        raise ValidationError(_("Two lots cannot have the same title."), code="duplicate_lot")
    if sum((lot.budget for lot in lots), Decimal("0")) > budget:
        raise ValidationError(
            _("The lots' budgets add up to more than the programme's budget."), code="lots_over_budget"
        )


def _create_indicators_and_lots(
    programme: Programme, indicators: Sequence[IndicatorSpec], lots: Sequence[LotSpec]
) -> None:
    rows: list[Indicator | Lot] = [
        Indicator(
            programme=programme,
            name=spec.name.strip(),
            unit=spec.unit.strip(),
            target=spec.target,
            position=i,
        )
        for i, spec in enumerate(indicators)
    ]
    rows += [
        Lot(
            programme=programme,
            title=spec.title.strip(),
            description=spec.description.strip(),
            budget=spec.budget,
            position=i,
        )
        for i, spec in enumerate(lots)
    ]
    for row in rows:
        row.full_clean(exclude=["programme"], validate_unique=False)
        row.save()


def programme_plan(
    *,
    actor: Any,
    body: Organization,
    kind: str,
    title: str,
    terms_of_reference: str,
    territory: Territory,
    budget: Decimal,
    year: int,
    currency: str = "KZT",
    summary: str = "",
    expected_results: str = "",
    topic: Topic | None = None,
    sectors: Sequence[Sector] = (),
    starts_on: date | None = None,
    ends_on: date | None = None,
    indicators: Sequence[IndicatorSpec] = (),
    lots: Sequence[LotSpec] = (),
) -> Programme:
    """Plan a programme of ``body`` with its indicators and lots."""
    require_perm(actor, "grants.add_programme", body)
    _check_body(body, territory)
    _check_lots(budget, lots)
    programme = Programme(
        body=body,
        kind=kind,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        terms_of_reference=(terms_of_reference or "").strip(),
        expected_results=(expected_results or "").strip(),
        topic=topic,
        territory=territory,
        country=body.country,
        currency=currency,
        budget=budget,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        programme.sectors.set(sectors)
        _create_indicators_and_lots(programme, indicators, lots)
        record(
            "programme.planned",
            actor,
            programme,
            body=body.pk,
            kind=kind,
            budget=str(budget),
            indicators=len(indicators),
            lots=len(lots),
        )
    return programme


def _check_call_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise field_error("closes_at", _("The deadline must come after the call opens."), "dates_order")


def _check_lots_of(programme: Programme, lots: Sequence[Lot]) -> None:
    if any(lot.programme_id != programme.pk for lot in lots):
        raise field_error("lots", _("Choose lots of this call's programme."), "other_lot")


def _check_criteria(criteria: Sequence[CriterionSpec]) -> None:
    names = [c.name.strip() for c in criteria]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two criteria cannot have the same name."), code="duplicate_criterion")


#: The call's eligibility and evaluation fields that ``call_create`` and ``call_update`` accept.
RULE_FIELDS = frozenset(
    {
        "eligibility_text", "require_operating", "require_registration_number", "require_territory",
        "require_sector", "max_request", "min_cofinancing_percent", "aggregation", "trim_min_experts",
        "tie_rule", "is_sample",
    }
)  # fmt: skip


def _check_rule_names(rules: dict[str, Any]) -> None:
    unknown = set(rules) - RULE_FIELDS
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")


def call_create(
    *,
    actor: Any,
    programme: Programme,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    lots: Sequence[Lot] = (),
    criteria: Sequence[CriterionSpec] = (),
    required_documents: Sequence[str] = (),
    **rules: Any,
) -> Call:
    """A draft call. ``rules`` are the call's eligibility and evaluation fields (``eligibility_text``,
    ``require_operating``, ``require_registration_number``, ``require_territory``,
    ``require_sector``, ``max_request``, ``min_cofinancing_percent``, ``aggregation``,
    ``trim_min_experts``, ``tie_rule``)."""
    require_perm(actor, "grants.add_call", programme)
    _check_call_dates(opens_at, closes_at)
    _check_lots_of(programme, lots)
    _check_criteria(criteria)
    _check_rule_names(rules)
    call = Call(
        programme=programme,
        title=(title or "").strip(),
        description=(description or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
        **rules,
    )
    call.full_clean()
    with transaction.atomic():
        call.save()
        call.lots.set(lots)
        _create_criteria_and_documents(call, criteria, required_documents)
        record("call.created", actor, call, programme=programme.pk, criteria=len(criteria))
    return call


def call_update(
    *,
    actor: Any,
    call: Call,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    lots: Sequence[Lot] = (),
    criteria: Sequence[CriterionSpec] = (),
    required_documents: Sequence[str] = (),
    **rules: Any,
) -> Call:
    """Change a draft call: its fields, lots, criteria and required documents are replaced. Once
    published, a call's rules no longer change (applicants rely on them)."""
    require_perm(actor, "grants.manage_call", call)
    _check_call_dates(opens_at, closes_at)
    _check_lots_of(call.programme, lots)
    _check_criteria(criteria)
    _check_rule_names(rules)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.state != Call.State.DRAFT:
            raise ValidationError(_("Only a draft call can be changed."), code="not_draft")
        call.title, call.description = (title or "").strip(), (description or "").strip()
        call.opens_at, call.closes_at = opens_at, closes_at
        for name, value in rules.items():
            setattr(call, name, value)
        call.full_clean()
        call.save(update_fields=["title", "description", "opens_at", "closes_at", *rules, "updated_at"])
        call.lots.set(lots)
        call.criteria.all().delete()
        call.required_documents.all().delete()
        _create_criteria_and_documents(call, criteria, required_documents)
        record("call.changed", actor, call, criteria=len(criteria))
    return call


def _create_criteria_and_documents(
    call: Call, criteria: Sequence[CriterionSpec], required_documents: Sequence[str]
) -> None:
    for position, spec in enumerate(criteria):
        criterion = Criterion(
            call=call,
            name=spec.name.strip(),
            description=spec.description.strip(),
            weight=spec.weight,
            scale_min=spec.scale_min,
            scale_max=spec.scale_max,
            position=position,
        )
        _clean_criterion(criterion)
        criterion.save()
    for position, name in enumerate(n.strip() for n in required_documents if n.strip()):
        RequiredDocument.objects.create(call=call, name=name, position=position)


def _clean_criterion(criterion: Criterion) -> None:
    if criterion.weight is None or criterion.weight <= 0:
        raise field_error("weight", _("A criterion's weight must be above zero."), "weight")
    if criterion.scale_max <= criterion.scale_min:
        raise field_error("scale_max", _("The highest score must be above the lowest."), "scale_order")
    criterion.full_clean(exclude=["call"], validate_unique=False)


def _followers(call: Call) -> list[Any]:
    """People who follow one of the programme's sectors, or its territory or a unit above it."""
    programme = call.programme
    territory = programme.territory
    codes = territory.ancestor_codes
    territories = list(
        Territory.objects.filter(country=territory.country, code__in=codes).values_list("pk", flat=True)
    )
    territories.append(territory.pk)
    sector_type = ContentType.objects.get_for_model(Sector)
    territory_type = ContentType.objects.get_for_model(Territory)
    follows = Follow.objects.filter(
        subject_type=sector_type, subject_id__in=list(programme.sectors.values_list("pk", flat=True))
    ) | Follow.objects.filter(subject_type=territory_type, subject_id__in=territories)
    users = {f.user_id: f.user for f in follows.select_related("user").order_by("user_id")}
    return list(users.values())


def call_publish(*, actor: Any, call: Call) -> Call:
    """Open a draft call on its public page, publish the seed of the lot tie rule, and tell the
    people who follow the programme's sectors or territory."""
    require_perm(actor, "grants.manage_call", call)
    with transaction.atomic():
        call = Call.objects.select_for_update().select_related("programme__territory").get(pk=call.pk)
        if call.state != Call.State.DRAFT:
            raise ValidationError(_("Only a draft call can be published."), code="not_draft")
        if call.closes_at <= timezone.now():
            raise ValidationError(
                _("The deadline has passed: move it to the future before publishing."), code="deadline_passed"
            )
        if not call.criteria.exists():
            raise ValidationError(
                _("Add at least one evaluation criterion before publishing."), code="no_criteria"
            )
        call.state = Call.State.PUBLISHED
        call.published_at = timezone.now()
        call.lot_seed = secrets.token_hex(16)
        call.save(update_fields=["state", "published_at", "lot_seed", "updated_at"])
        record("call.published", actor, call, lot_seed=call.lot_seed, closes_at=call.closes_at.isoformat())
        followers = [u for u in _followers(call) if u.pk != getattr(actor, "pk", None)]
        notify(
            followers,
            "call_published",
            subject=call,
            url=call.get_absolute_url(),
            dedupe_key=f"grants-call-published:{call.pk}",
            call=call,
            body=call.programme.body,
        )
    return call


def call_close(*, actor: Any, call: Call) -> Call:
    """Close a published call once its deadline has passed (the job does it for every call; an
    official may do it at once). Drafts left behind stay drafts."""
    if actor is not None:
        require_perm(actor, "grants.manage_call", call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.state != Call.State.PUBLISHED:
            raise ValidationError(_("Only a published call can be closed."), code="not_published")
        if call.closes_at > timezone.now():
            raise ValidationError(_("The call cannot close before its deadline."), code="before_deadline")
        call.state = Call.State.CLOSED
        call.closed_at = timezone.now()
        call.save(update_fields=["state", "closed_at", "updated_at"])
        received = call.applications.exclude(state__in=["draft", "withdrawn"]).count()
        record("call.closed", actor, call, applications=received)
        notify(
            people_of([call.programme.body_id], OFFICIAL_ROLES),
            "call_closed",
            subject=call,
            url=reverse("grants:call_manage", args=[call.pk]),
            dedupe_key=f"grants-call-closed:{call.pk}",
            call=call,
            received=received,
        )
    return call


#: How long before the deadline the NGOs with a draft are reminded to submit it.
DRAFT_REMINDER_LEAD = timedelta(days=3)


def drafts_remind() -> int:
    """Remind the officers and heads of NGOs whose application is still a draft that the deadline
    is near (once per application; the scheduled job). Returns how many applications."""
    now = timezone.now()
    drafts = (
        Application.objects.filter(
            state=Application.State.DRAFT,
            call__state=Call.State.PUBLISHED,
            call__closes_at__gt=now,
            call__closes_at__lte=now + DRAFT_REMINDER_LEAD,
        )
        .select_related("call")
        .order_by("pk")
    )
    count = 0
    for application in drafts:
        notify(
            people_of([application.organization_id], APPLICANT_ROLES),
            "draft_reminder",
            subject=application,
            url=application.get_absolute_url(),
            dedupe_key=f"grants-draft-reminder:{application.pk}",
            application=application,
            call=application.call,
        )
        count += 1
    return count


def calls_close_expired() -> int:
    """Close every published call whose deadline has passed (the scheduled job). Returns how many."""
    due = Call.objects.filter(state=Call.State.PUBLISHED, closes_at__lte=timezone.now()).values_list(
        "pk", flat=True
    )
    closed = 0
    for pk in list(due):
        try:
            call_close(actor=None, call=Call(pk=pk))
        except ValidationError:  # closed by an official in the meantime
            continue
        closed += 1
    return closed
