"""Every write of the petitions module except signing (``signing.py``, the hot path); the interface
is in docs/petitions.md.

Each service checks the permission (``require_perm``) and the state, validates, writes in one
transaction with an audit event ``petitions.<model>.<verb>``, and tells the people concerned. The
counting and reconciliation jobs live in ``counting.py`` and are exposed here under the names the
interface gives them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm
from kenes.obligations.deadlines import add_months
from kenes.obligations.models import Obligation, Response
from kenes.organizations.models import Organization

from .counting import (  # noqa: F401  (the interface's names for the jobs)
    CountCheck,
    petition_verify_count,
    petitions_open_obligations,
    signatures_count,
    signatures_reconcile,
)
from .models import Level, Petition, PetitionRule, Signature

logger = logging.getLogger(__name__)

EMAIL_TEMPLATES = "petitions/email/"
#: Fields the author may change before the petition opens.
EDITABLE_FIELDS = ("title", "text", "demand", "addressee", "territory", "topic", "language", "level")
#: Signers told of the answer per batch (each batch one transaction of notices).
NOTIFY_BATCH = 500


# --- helpers -------------------------------------------------------------------------------------------


def petition_url(petition: Petition) -> str:
    """The petition's page, or "" while the web pages are not installed."""
    try:
        return petition.get_absolute_url()
    except NoReverseMatch:
        return ""


def _path(viewname: str) -> str:
    try:
        return reverse(viewname)
    except NoReverseMatch:
        return ""


def _record(event: str, actor: Any, petition: Petition, **data: Any) -> None:
    is_person = getattr(actor, "is_authenticated", False)
    audit.record(event=event, actor=actor, obj=petition, data=data, actor_label="" if is_person else "job")


def _notify(
    people: Sequence[Any],
    name: str,
    petition: Petition,
    dedupe_key: str | None,
    url: str = "",
    **context: Any,
) -> int:
    from kenes.notifications.services import notify

    return len(
        notify(
            recipients=people,
            event=f"petitions.{name}",
            template=f"{EMAIL_TEMPLATES}{name}",
            context={"petition": petition, **context},
            subject=petition,
            url=url or petition_url(petition),
            dedupe_key=dedupe_key,
        )
    )


def _notify_followers(petition: Petition, name: str, dedupe_key: str, **context: Any) -> int:
    from kenes.notifications.services import notify_followers

    return len(
        notify_followers(
            subject=petition,
            event=f"petitions.{name}",
            template=f"{EMAIL_TEMPLATES}{name}",
            context={"petition": petition, **context},
            url=petition_url(petition),
            dedupe_key=dedupe_key,
        )
    )


def _follow(user: Any, petition: Petition) -> None:
    from kenes.notifications.services import follow

    if user.has_perm("notifications.follow_subject", petition):
        follow(actor=user, subject=petition)


def _lock(petition: Petition) -> Petition:
    """Lock the row for the rest of the transaction and reload the caller's instance from it (one query)."""
    petition.refresh_from_db(from_queryset=Petition.objects.select_for_update())
    return petition


def _require_state(petition: Petition, states: Sequence[str], message: str) -> None:
    if petition.state not in states:
        raise ValidationError(message, code="state")


def rule_for(country: str, level: str) -> PetitionRule:
    """The current terms for petitions of ``level`` in ``country`` (administrators change them)."""
    rule = PetitionRule.objects.filter(country=country, level=level).first()
    if rule is None:
        raise ValidationError(
            _("Petitions of this level cannot be started in this country yet: no terms are set for it."),
            code="no_rule",
        )
    return rule


def _apply_rule(petition: Petition) -> None:
    rule = rule_for(petition.country, petition.level)
    petition.threshold = rule.threshold
    petition.duration_months = rule.duration_months
    petition.min_verification_level = rule.min_verification_level


def _check_addressee(petition: Petition) -> None:
    addressee: Organization = petition.addressee
    errors: dict[str, list[str]] = {}
    if addressee.kind not in Organization.STATE_KINDS:
        errors["addressee"] = [_("A petition is addressed to a state or local government body.")]
    elif addressee.status != Organization.Status.OPERATING:
        errors["addressee"] = [_("This body no longer operates: choose the body that took over its work.")]
    if petition.territory.country != addressee.country:
        errors["territory"] = [_("Choose a territory in the addressee body's country.")]
    if errors:
        raise ValidationError(errors)


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def closes_at_for(opens_at: datetime.datetime, months: int) -> datetime.datetime:
    """``months`` calendar months after ``opens_at``, at the same local time (the last day of the
    month when that month is shorter)."""
    local = timezone.localtime(opens_at)
    day = add_months(local.date(), months)
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


# --- writing and submitting ----------------------------------------------------------------------------


def petition_create(
    *,
    actor: Any,
    title: str,
    text: str,
    demand: str,
    addressee: Organization,
    territory: Any,
    topic: Any,
    language: str,
    level: str,
) -> Petition:
    """A draft petition by ``actor``. Its terms are the current rule's, copied again on submission.
    The author follows it."""
    require_perm(actor, "petitions.add_petition")
    petition = Petition(
        author=actor,
        title=_clean_text(title),
        text=_clean_text(text),
        demand=_clean_text(demand),
        addressee=addressee,
        territory=territory,
        topic=topic,
        language=language,
        level=level,
        country=addressee.country,
        state=Petition.State.DRAFT,
    )
    if level not in Level.values:
        raise ValidationError({"level": [_("Choose a level.")]})
    _check_addressee(petition)
    _apply_rule(petition)
    petition.full_clean()
    with transaction.atomic():
        petition.save()
        _record("petitions.petition.created", actor, petition, level=level, addressee=addressee.pk)
        _follow(actor, petition)
    return petition


def petition_update(*, actor: Any, petition: Petition, **fields: Any) -> Petition:
    """The author changes a draft or a rejected petition (``fields`` among EDITABLE_FIELDS)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        _lock(petition)
        require_perm(actor, "petitions.change_petition", petition)
        changed = [name for name, value in fields.items() if getattr(petition, name) != _clean_text(value)]
        for name in changed:
            setattr(petition, name, _clean_text(fields[name]))
        if not changed:
            return petition
        if "addressee" in changed:
            petition.country = petition.addressee.country
            changed.append("country")
        if "level" in changed and petition.level not in Level.values:
            raise ValidationError({"level": [_("Choose a level.")]})
        _check_addressee(petition)
        _apply_rule(petition)
        petition.full_clean()
        update = [*changed, "threshold", "duration_months", "min_verification_level", "updated_at"]
        petition.save(update_fields=update)
        _record("petitions.petition.updated", actor, petition, fields=sorted(changed))
    return petition


def petition_submit(*, actor: Any, petition: Petition) -> Petition:
    """Draft or rejected → pending: the moderators of the addressee body are asked to check it.
    The terms (threshold, period, verification level) are copied from the current rule."""
    with transaction.atomic():
        _lock(petition)
        require_perm(actor, "petitions.change_petition", petition)
        _check_addressee(petition)
        _apply_rule(petition)
        petition.state = Petition.State.PENDING
        petition.submitted_at = timezone.now()
        petition.full_clean()
        petition.save(
            update_fields=[
                "state",
                "submitted_at",
                "threshold",
                "duration_months",
                "min_verification_level",
                "updated_at",
            ]
        )
        _record("petitions.petition.submitted", actor, petition, threshold=petition.threshold)
        from kenes.moderation.services import moderators_of

        moderators = [m for m in moderators_of(petition.addressee_id) if m.pk != petition.author_id]
        _notify(
            moderators,
            "submitted",
            petition,
            f"petitions-submitted:{petition.pk}:{petition.submitted_at.isoformat()}",
            url=_path("petitions:moderation"),
        )
    return petition


def _require_not_author(actor: Any, petition: Petition) -> None:
    if getattr(actor, "pk", None) == petition.author_id:
        raise PermissionDenied("petitions.moderate_petition")


def petition_approve(*, actor: Any, petition: Petition) -> Petition:
    """A moderator opens a pending petition: it collects signatures from now for its period."""
    with transaction.atomic():
        _lock(petition)
        require_perm(actor, "petitions.moderate_petition", petition)
        _require_not_author(actor, petition)
        _require_state(
            petition, [Petition.State.PENDING], _("Only a petition awaiting moderation can be opened.")
        )
        now = timezone.now()
        petition.state = Petition.State.OPEN
        petition.moderated_at = now
        petition.moderated_by = actor
        petition.moderation_reason = ""
        petition.opens_at = now
        petition.closes_at = closes_at_for(now, petition.duration_months)
        petition.full_clean()
        petition.save(
            update_fields=[
                "state",
                "moderated_at",
                "moderated_by",
                "moderation_reason",
                "opens_at",
                "closes_at",
                "updated_at",
            ]
        )
        _record("petitions.petition.approved", actor, petition, closes_at=petition.closes_at)
        _notify([petition.author], "approved", petition, f"petitions-approved:{petition.pk}")
    return petition


def petition_reject(*, actor: Any, petition: Petition, reason: str) -> Petition:
    """A moderator sends a pending petition back to its author with a reason; the author may edit
    it and submit it again."""
    from kenes.obligations.services import check_reason

    reason = check_reason(reason)
    with transaction.atomic():
        _lock(petition)
        require_perm(actor, "petitions.moderate_petition", petition)
        _require_not_author(actor, petition)
        _require_state(
            petition, [Petition.State.PENDING], _("Only a petition awaiting moderation can be rejected.")
        )
        petition.state = Petition.State.REJECTED
        petition.moderated_at = timezone.now()
        petition.moderated_by = actor
        petition.moderation_reason = reason
        petition.full_clean()
        petition.save(
            update_fields=["state", "moderated_at", "moderated_by", "moderation_reason", "updated_at"]
        )
        _record("petitions.petition.rejected", actor, petition)
        _notify(
            [petition.author],
            "rejected",
            petition,
            f"petitions-rejected:{petition.pk}:{petition.moderated_at.isoformat()}",
            reason=reason,
        )
    return petition


def petition_set_hidden(petition: Petition, hidden: bool) -> None:
    """Moderation's ``set_hidden`` (called inside its service's transaction, which audits it)."""
    Petition.objects.filter(pk=petition.pk).update(is_hidden=hidden, updated_at=timezone.now())
    petition.is_hidden = hidden


# --- jobs ------------------------------------------------------------------------------------------------


def petitions_close_expired(*, now: datetime.datetime | None = None) -> int:
    """Open petitions past their closing time → closed (each claimed by a conditional UPDATE in its own
    transaction, so a second run or a parallel worker closes nothing twice). The author and the
    followers are told. Returns how many were closed."""
    now = now or timezone.now()
    due = list(
        Petition.objects.filter(state=Petition.State.OPEN, closes_at__lte=now)
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in due:
        try:
            with transaction.atomic():
                claimed = Petition.objects.filter(
                    pk=pk, state=Petition.State.OPEN, closes_at__lte=now
                ).update(state=Petition.State.CLOSED, closed_at=now, updated_at=now)
                if not claimed:
                    continue
                petition = Petition.objects.select_related("addressee").get(pk=pk)
                _record("petitions.petition.closed", None, petition, signatures=petition.signature_count)
                _notify_followers(petition, "closed", f"petitions-closed:{pk}")
                closed += 1
        except Exception:  # one bad item must not stop the others; the next run retries it
            logger.exception("Could not close petition %s", pk)
    return closed


# --- the answer, to every signer ------------------------------------------------------------------------


def _answered_obligation(petition: Petition, response_id: int | None) -> Obligation | None:
    obligations = Obligation.objects.for_subject(petition).filter(
        state=Obligation.State.ANSWERED, response__isnull=False
    )
    if response_id is not None:
        obligations = obligations.filter(response__pk=response_id)
    return obligations.select_related("response", "organization").order_by("-answered_at", "-pk").first()


def petition_notify_signers(*, petition_id: int, response_id: int | None = None) -> int:
    """Tell every person whose signature counts that the body answered the petition (the latest
    answer, or the answer ``response_id``). In batches of NOTIFY_BATCH, each its own transaction; the
    dedupe key is the hearing loop's own for that answer, so nobody hears of it twice — not the
    author or followers, who were told by the loop, nor anyone on a rerun after a crash. Returns how
    many were told now."""
    petition = Petition.objects.select_related("addressee").filter(pk=petition_id).first()
    if petition is None:
        return 0
    obligation = _answered_obligation(petition, response_id)
    if obligation is None:
        return 0
    response: Response = obligation.response
    dedupe_key = f"obligations-answered:{obligation.pk}"
    counted = Signature.objects.filter(
        petition=petition, confirmed_at__isnull=False, withdrawn_at__isnull=True
    )
    signers = get_user_model().objects.filter(pk__in=counted.values("user_id")).order_by("pk")
    told = 0
    last = 0
    while True:
        people = list(signers.filter(pk__gt=last)[:NOTIFY_BATCH])
        if not people:
            break
        last = people[-1].pk
        told += _notify(
            people,
            "answered",
            petition,
            dedupe_key,
            obligation=obligation,
            response=response,
            organization=obligation.organization,
        )
    if told:
        _record("petitions.petition.signers_notified", None, petition, response=response.pk, notified=told)
    return told
