"""Every write of moderation: reports, decisions (hide / dismiss / restore) and appeals.

Reports alone never hide anything. When enough *distinct verified* people report one item,
the item goes to the top of the queue and its moderators are told, once; a person decides,
with a published reason, and the author may appeal to another moderator (docs/moderation.md).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm

from . import registry
from .models import Appeal, Decision, Report, validate_published_reason
from .rules import MODERATOR_ROLES

#: Distinct reporters with verification level >= 1 among an item's open reports that make it
#: a priority in the queue and alert its moderators. Reports never hide anything by themselves.
MODERATION_PRIORITY_REPORTERS = 3
#: The verification level a reporter needs to count towards the priority threshold.
PRIORITY_MIN_VERIFICATION_LEVEL = 1


# --- Telling people -----------------------------------------------------------------------------


def _tell(
    *,
    recipients: list[Any],
    event: str,
    template: str,
    context: dict[str, Any],
    subject: Any = None,
    url: str = "",
    dedupe_key: str | None = None,
) -> None:
    """The one door to kenes.notifications (imported here, so the apps load in any order)."""
    from kenes.notifications.services import notify

    if not isinstance(getattr(subject, "pk", None), int):
        subject = None  # notices point at integer keys only
    if recipients:
        notify(
            recipients=recipients,
            event=event,
            template=template,
            context=context,
            subject=subject,
            url=url,
            dedupe_key=dedupe_key,
        )


def _path(viewname: str, *args: Any) -> str:
    """A page's path; notify turns it into an absolute link in each recipient's language."""
    return reverse(viewname, args=args)


def moderators_of(organization_id: int | None) -> list[Any]:
    """Who is told about an item: its organisation's moderators and heads, or, if it has none, staff."""
    users = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)
    if organization_id is not None:
        found = list(
            users.filter(
                memberships__organization_id=organization_id, memberships__role__in=MODERATOR_ROLES
            ).order_by("pk")
        )
        if found:
            return found
    return list(users.filter(is_staff=True).order_by("pk"))


# --- Helpers --------------------------------------------------------------------------------------


def content_filter(content: Any) -> models.Q:
    """Rows about ``content`` (reports, decisions)."""
    return models.Q(content_type=registry.content_type_of(content), object_id=str(content.pk))


VISIBILITY_ACTIONS = (Decision.Action.HIDE, Decision.Action.RESTORE)


def decision_in_force(content: Any) -> Decision | None:
    """The latest hide or restore decision about ``content`` (a dismissal changes nothing)."""
    return (
        Decision.objects.filter(content_filter(content), action__in=VISIBILITY_ACTIONS)
        .order_by("-created_at", "-pk")
        .first()
    )


def is_hidden(content: Any) -> bool:
    """Hidden by moderation: the decision in force is a hide."""
    decision = decision_in_force(content)
    return decision is not None and decision.action == Decision.Action.HIDE


def _organization_id(entry: registry.Moderatable, content: Any) -> int | None:
    organization = entry.organization(content)
    return organization.pk if organization is not None else None


def _content_data(content: Any) -> dict[str, Any]:
    return {"content": registry.label_of(content), "object_id": str(content.pk)}


# --- Reports --------------------------------------------------------------------------------------


def verified_reporter_count(content: Any) -> int:
    """Distinct verified people among the open reports of ``content``."""
    return (
        Report.objects.filter(
            content_filter(content),
            resolved_by_decision__isnull=True,
            reporter__verification_level__gte=PRIORITY_MIN_VERIFICATION_LEVEL,
        )
        .order_by()
        .values("reporter_id")
        .distinct()
        .count()
    )


def report_create(*, actor: Any, content: Any, category: str, text: str = "") -> Report:
    """``actor`` reports ``content``: once per person and item. Never hides anything."""
    entry = registry.entry_for(content)
    if not entry.is_visible_to(actor, content):
        raise Http404("No such content.")
    require_perm(actor, "moderation.add_report", content)
    with transaction.atomic():
        report = Report(
            content_type=registry.content_type_of(content),
            object_id=str(content.pk),
            reporter=actor,
            category=category,
            text=(text or "").strip(),
            organization_id=_organization_id(entry, content),
        )
        report.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("You have already reported this. The moderators will look at it."), code="already_reported"
            ) from exc
        audit.record(
            event="moderation.report.created",
            actor=actor,
            obj=report,
            data={**_content_data(content), "category": category},
        )
        if actor.verification_level >= PRIORITY_MIN_VERIFICATION_LEVEL:
            _maybe_alert_priority(entry, content, report)
    return report


def _maybe_alert_priority(entry: registry.Moderatable, content: Any, report: Report) -> None:
    """Alert the moderators when this verified report brings the item to the threshold, once per
    round of reports (a round ends with a decision)."""
    if verified_reporter_count(content) != MODERATION_PRIORITY_REPORTERS:
        return
    round_number = Decision.objects.filter(content_filter(content)).count()
    _tell(
        recipients=moderators_of(report.organization_id),
        event="moderation.priority",
        template="moderation/email/priority",
        context={"title": entry.title_of(content), "count": MODERATION_PRIORITY_REPORTERS},
        subject=content,
        url=_path("moderation:item", registry.label_of(content), str(content.pk)),
        dedupe_key=f"moderation.priority:{report.content_label}:{content.pk}:{round_number}",
    )


# --- Decisions ------------------------------------------------------------------------------------


def _decide(*, actor: Any, content: Any, action: str, reason: str) -> tuple[Decision, int]:
    """Record a decision and resolve the open reports on the content. Returns the decision and
    the number of reports it resolved. The caller checked the permission and holds the transaction."""
    entry = registry.entry_for(content)
    decision = Decision(
        content_type=registry.content_type_of(content),
        object_id=str(content.pk),
        action=action,
        reason=(reason or "").strip(),
        moderator=actor,
        organization_id=_organization_id(entry, content),
    )
    decision.full_clean()
    decision.save()
    resolved = Report.objects.filter(content_filter(content), resolved_by_decision__isnull=True).update(
        resolved_by_decision=decision, updated_at=timezone.now()
    )
    audit.record(
        event=f"moderation.decision.{DECISION_VERBS[action]}",
        actor=actor,
        obj=decision,
        data={**_content_data(content), "reason": decision.reason, "resolved_reports": resolved},
    )
    return decision, resolved


DECISION_VERBS: dict[str, str] = {
    Decision.Action.HIDE: "hidden",
    Decision.Action.DISMISS: "dismissed",
    Decision.Action.RESTORE: "restored",
}


def _lock(content: Any) -> None:
    """Serialise decisions on one item: lock its row (the module's) for the transaction."""
    type(content)._base_manager.select_for_update().filter(pk=content.pk).first()


def decision_hide(*, actor: Any, content: Any, reason: str) -> Decision:
    """Hide ``content`` with a published reason; the author is told how to appeal."""
    entry = registry.entry_for(content)
    require_perm(actor, "moderation.decide_content", content)
    with transaction.atomic():
        _lock(content)
        if is_hidden(content):
            raise ValidationError(_("This content is already hidden."), code="already_hidden")
        decision, _resolved = _decide(
            actor=actor, content=content, action=Decision.Action.HIDE, reason=reason
        )
        entry.set_hidden(content, True)
        author = entry.author(content)
        if author is not None:
            _tell(
                recipients=[author],
                event="moderation.hidden",
                template="moderation/email/hidden",
                context={
                    "title": entry.title_of(content),
                    "reason": decision.reason,
                    "date": decision.created_at,
                },
                subject=content,
                url=_path("moderation:appeal", decision.pk),
                dedupe_key=f"moderation.hidden:{decision.pk}",
            )
    return decision


def decision_dismiss(*, actor: Any, content: Any, reason: str) -> Decision:
    """The reports do not hold: resolve them and leave the content as it is."""
    registry.entry_for(content)
    require_perm(actor, "moderation.decide_content", content)
    with transaction.atomic():
        _lock(content)
        decision, _resolved = _decide(
            actor=actor, content=content, action=Decision.Action.DISMISS, reason=reason
        )
    return decision


def decision_restore(*, actor: Any, content: Any, reason: str) -> Decision:
    """Show hidden content again; open appeals against its hiding close as reversed."""
    entry = registry.entry_for(content)
    require_perm(actor, "moderation.decide_content", content)
    with transaction.atomic():
        _lock(content)
        if not is_hidden(content):
            raise ValidationError(_("This content is not hidden."), code="not_hidden")
        decision, _resolved = _decide(
            actor=actor, content=content, action=Decision.Action.RESTORE, reason=reason
        )
        entry.set_hidden(content, False)
        for appeal in Appeal.objects.select_for_update().filter(
            decision__in=Decision.objects.filter(content_filter(content)), state=Appeal.State.OPEN
        ):
            _close_appeal(actor=actor, appeal=appeal, state=Appeal.State.REVERSED, reason=decision.reason)
        _tell_author_restored(entry, content, decision)
    return decision


def _tell_author_restored(entry: registry.Moderatable, content: Any, decision: Decision) -> None:
    author = entry.author(content)
    if author is None:
        return
    _tell(
        recipients=[author],
        event="moderation.restored",
        template="moderation/email/restored",
        context={"title": entry.title_of(content), "reason": decision.reason},
        subject=content,
        url=entry.url_of(content),
        dedupe_key=f"moderation.restored:{decision.pk}",
    )


# --- Appeals --------------------------------------------------------------------------------------


def appeal_create(*, actor: Any, decision: Decision, text: str) -> Appeal:
    """The author appeals a hide decision: once, while it is the decision in force."""
    require_perm(actor, "moderation.add_appeal", decision)
    with transaction.atomic():
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
        if Appeal.objects.filter(decision=decision).exists():
            raise ValidationError(_("You have already appealed this decision."), code="already_appealed")
        in_force = (
            Decision.objects.filter(
                content_type_id=decision.content_type_id,
                object_id=decision.object_id,
                action__in=VISIBILITY_ACTIONS,
            )
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if in_force != decision.pk:
            raise ValidationError(
                _("This decision is no longer in force, so it cannot be appealed."), code="superseded"
            )
        appeal = Appeal(decision=decision, author=actor, text=(text or "").strip())
        appeal.full_clean(exclude=["decision", "author"], validate_constraints=False)
        appeal.save()
        audit.record(
            event="moderation.appeal.created",
            actor=actor,
            obj=appeal,
            data={
                "decision_id": decision.pk,
                "content": decision.content_label,
                "object_id": decision.object_id,
            },
        )
        _tell_moderators_of_appeal(appeal)
    return appeal


def _tell_moderators_of_appeal(appeal: Appeal) -> None:
    decision = appeal.decision
    content = decision.content
    entry = registry.get(content) if content is not None else None
    title = entry.title_of(content) if entry is not None else decision.content_label
    # The four-eyes rule: whoever decided is not asked to judge the appeal.
    others = [m for m in moderators_of(decision.organization_id) if m.pk != decision.moderator_id]
    if not others:  # the decider is the only moderator there: staff judge the appeal
        others = [m for m in moderators_of(None) if m.pk != decision.moderator_id]
    _tell(
        recipients=others,
        event="moderation.appealed",
        template="moderation/email/appealed",
        context={"title": title},
        subject=appeal,
        url=_path("moderation:item", decision.content_label, decision.object_id),
        dedupe_key=f"moderation.appealed:{appeal.pk}",
    )


def _close_appeal(*, actor: Any, appeal: Appeal, state: str, reason: str) -> Appeal:
    appeal.state = state
    appeal.resolved_by = actor
    appeal.resolution_reason = reason
    appeal.resolved_at = timezone.now()
    appeal.save(update_fields=["state", "resolved_by", "resolution_reason", "resolved_at", "updated_at"])
    audit.record(
        event=f"moderation.appeal.{state}",
        actor=actor,
        obj=appeal,
        data={"decision_id": appeal.decision_id, "reason": reason},
        before={"state": Appeal.State.OPEN},
        after={"state": state},
    )
    return appeal


def appeal_resolve(*, actor: Any, appeal: Appeal, uphold: bool, reason: str) -> Appeal:
    """Another moderator upholds or reverses a hide decision; reversing restores the content.
    The author is told either way."""
    decision = appeal.decision
    if actor is not None and actor.pk == decision.moderator_id:
        raise ValidationError(
            _("You made this decision: another moderator must judge the appeal against it."),
            code="four_eyes",
        )
    require_perm(actor, "moderation.resolve_appeal", appeal)
    reason = (reason or "").strip()
    try:
        validate_published_reason(reason)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}, code="reason_too_short") from exc
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not locked.is_open:
            raise ValidationError(_("This appeal has already been resolved."), code="appeal_closed")
        content = decision.content
        entry = registry.entry_for(content) if content is not None else None
        if not uphold and content is not None and entry is not None:
            _decide(actor=actor, content=content, action=Decision.Action.RESTORE, reason=reason)
            entry.set_hidden(content, False)
        state = Appeal.State.UPHELD if uphold else Appeal.State.REVERSED
        _close_appeal(actor=actor, appeal=appeal, state=state, reason=reason)
        _tell_author_resolved(appeal, entry, content)
    return appeal


def _tell_author_resolved(appeal: Appeal, entry: registry.Moderatable | None, content: Any) -> None:
    title = entry.title_of(content) if entry is not None and content is not None else ""
    _tell(
        recipients=[appeal.author],
        event="moderation.appeal_resolved",
        template="moderation/email/appeal_resolved",
        context={
            "title": title,
            "upheld": appeal.state == Appeal.State.UPHELD,
            "reason": appeal.resolution_reason,
        },
        subject=appeal,
        url=_path("moderation:appeal", appeal.decision_id),
        dedupe_key=f"moderation.appeal_resolved:{appeal.pk}",
    )
