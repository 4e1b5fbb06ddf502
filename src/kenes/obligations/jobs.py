"""The scheduled jobs of the hearing loop (called through services.py by the Celery tasks).

Every job is idempotent: it works item by item, each in its own transaction, and claims the item
with a conditional UPDATE (``… WHERE state = 'open'``) or a row under a unique constraint
(``Reminder``; ``Obligation.escalated_from``) before it writes a step, an audit event or a notice.
Running a job twice, or again after it crashed halfway, changes nothing and sends nothing twice: a
crash rolls back the item it was on (the claim included), so the rerun does that item once.
An item that fails with an ordinary error is logged and skipped; the others go on.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kenes.audit import services as audit
from kenes.engines import workdays
from kenes.organizations.models import Membership
from kenes.territories.models import Country

from . import deadlines
from .models import Commitment, Kind, Milestone, Obligation, Reminder, Step
from .services import OFFICER_ROLES, create_obligation, notify_people, people_of

logger = logging.getLogger(__name__)

ACTIVE = (Obligation.State.OPEN, Obligation.State.EXTENDED)


def _each(ids: Iterable[int], work: Callable[[int], Any], job: str) -> int:
    done = 0
    for pk in ids:
        try:
            done += bool(work(pk))
        except Exception:  # one bad item must not block the rest; the next run retries it
            logger.exception("obligations job %s failed on item %s", job, pk)
    return done


def _record(event: str, obj: Any, **data: Any) -> None:
    audit.record(event=event, actor=None, obj=obj, data=data, actor_label="job")


def _step(
    obligation: Obligation, kind: str, text: str = "", organization: Any = None, on: Obligation | None = None
) -> None:
    """A system step on the timeline of ``on``'s subject (by default the obligation's own)."""
    on = on or obligation
    Step.objects.create(
        subject_type_id=on.subject_type_id,
        subject_id=on.subject_id,
        obligation=obligation,
        kind=kind,
        organization=organization or obligation.organization,
        text=text,
        at=timezone.now(),
    )


def _try_reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- overdue -----------------------------------------------------------------------------------------


def _mark_one_overdue(pk: int, today: date) -> bool:
    with transaction.atomic():
        now = timezone.now()
        claimed = Obligation.objects.filter(pk=pk, state__in=ACTIVE, deadline__lt=today).update(
            state=Obligation.State.OVERDUE, overdue_at=now, updated_at=now
        )
        if not claimed:
            return False
        obligation = Obligation.objects.select_related("organization").get(pk=pk)
        _step(obligation, Step.Kind.OVERDUE)
        _record("obligations.obligation.overdue", obligation, deadline=obligation.deadline)
        people = people_of(obligation.organization_id, (Membership.Role.HEAD,))
        if obligation.assigned_to_id:
            people.append(obligation.assigned_to)
        notify_people(
            obligation, people, "overdue", f"obligations-overdue:{pk}:{obligation.deadline.isoformat()}"
        )
    return True


def mark_overdue(*, today: date) -> int:
    """Open and extended obligations past their deadline become OVERDUE; the heads are told once."""
    ids = (
        Obligation.objects.filter(state__in=ACTIVE, deadline__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _each(list(ids), lambda pk: _mark_one_overdue(pk, today), "mark_overdue")


def _open_escalation(
    *, subject: Any, supervisor: Any, title: str, author: Any, is_private: bool, today: date, **extra: Any
) -> Obligation | None:
    try:
        with transaction.atomic():
            return create_obligation(
                subject=subject,
                organization=supervisor,
                kind=Kind.ESCALATION,
                title=title,
                author=author,
                is_private=is_private,
                opened_on=today,
                **extra,
            )
    except ValidationError:  # escalated already (one-to-one), or that body already has it live
        logger.warning("obligations: not escalating %r to body %s: already escalated", subject, supervisor.pk)
        return None


def _escalate_one(pk: int, today: date) -> bool:
    with transaction.atomic():
        obligation = (
            Obligation.objects.select_for_update().filter(pk=pk, state=Obligation.State.OVERDUE).first()
        )
        if obligation is None or Obligation.objects.filter(escalated_from=obligation).exists():
            return False
        supervisor = obligation.organization.supervising_body
        if supervisor is None:
            return False
        escalation = _open_escalation(
            subject=obligation.subject,
            supervisor=supervisor,
            title=obligation.title,
            author=obligation.author,
            is_private=obligation.is_private,
            today=today,
            escalated_from=obligation,
        )
        if escalation is None:
            return False
        _step(escalation, Step.Kind.ESCALATED, organization=supervisor)
        _record(
            "obligations.obligation.escalated", obligation, escalation=escalation.pk, supervisor=supervisor.pk
        )
        people = [*people_of(supervisor.pk, OFFICER_ROLES), obligation.author]
        notify_people(escalation, people, "escalated", f"obligations-escalated:{pk}", escalated=obligation)
    return True


def escalate_overdue(*, today: date) -> int:
    """Each overdue obligation whose body has a supervising body gets one ESCALATION obligation there."""
    ids = Obligation.objects.filter(
        state=Obligation.State.OVERDUE, organization__supervising_body__isnull=False, escalation__isnull=True
    ).order_by("pk")
    return _each(
        list(ids.values_list("pk", flat=True)), lambda pk: _escalate_one(pk, today), "escalate_overdue"
    )


# --- reminders ---------------------------------------------------------------------------------------


def lead_days() -> list[int]:
    return sorted(
        {int(days) for days in getattr(settings, "KENES_REMINDER_LEAD_DAYS", (3, 1)) if int(days) >= 0}
    )


def _remind_one(obligation: Obligation, lead: int, left: int) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                Reminder.objects.create(obligation=obligation, lead_days=lead, deadline=obligation.deadline)
        except IntegrityError:  # sent already
            return False
        people = (
            [obligation.assigned_to]
            if obligation.assigned_to_id
            else people_of(obligation.organization_id, OFFICER_ROLES)
        )
        key = f"obligations-reminder:{obligation.pk}:{lead}:{obligation.deadline.isoformat()}"
        notify_people(obligation, people, "reminder", key, days_left=left)
    return True


def send_reminders(*, today: date) -> int:
    """Remind the responsible officers ``KENES_REMINDER_LEAD_DAYS`` working days before a deadline.

    Each obligation gets the reminder for the smallest lead time it has reached, once per deadline
    (a ``Reminder`` row under a unique constraint): with (3, 1), one three days before and one the
    day before; an obligation opened two days before its deadline gets only the first.
    """
    leads = lead_days()
    if not leads:
        return 0
    horizon = max(workdays.add_working_days(country, today, leads[-1]) for country in Country.values)
    candidates = Obligation.objects.filter(state__in=ACTIVE, deadline__gte=today, deadline__lte=horizon)
    plan: dict[int, tuple[Obligation, int, int]] = {}
    for obligation in candidates.select_related("assigned_to").order_by("pk"):
        left = deadlines.working_days_left(obligation, today)
        reached = [lead for lead in leads if left <= lead]
        if reached:
            plan[obligation.pk] = (obligation, reached[0], left)
    return _each(list(plan), lambda pk: _remind_one(*plan[pk]), "reminders")


# --- milestones --------------------------------------------------------------------------------------


def _milestone_overdue_one(pk: int, today: date) -> bool:
    with transaction.atomic():
        now = timezone.now()
        claimed = Milestone.objects.filter(pk=pk, status=Milestone.Status.PENDING, due_on__lt=today).update(
            status=Milestone.Status.OVERDUE, overdue_at=now, updated_at=now
        )
        if not claimed:
            return False
        milestone = Milestone.objects.select_related(
            "commitment__organization", "commitment__response__obligation"
        ).get(pk=pk)
        commitment = milestone.commitment
        obligation = commitment.response.obligation
        _step(
            obligation,
            Step.Kind.MILESTONE_OVERDUE,
            text=milestone.title,
            organization=commitment.organization,
        )
        _record("obligations.milestone.overdue", milestone, due_on=milestone.due_on, commitment=commitment.pk)
        people = [*people_of(commitment.organization_id, OFFICER_ROLES), obligation.author]
        context = {"milestone": milestone, "commitment": commitment}
        notify_people(
            obligation, people, "milestone_overdue", f"obligations-milestone-overdue:{pk}", **context
        )
        _escalate_milestone(milestone, obligation, today)
    return True


def _escalate_milestone(milestone: Milestone, obligation: Obligation, today: date) -> None:
    supervisor = milestone.commitment.organization.supervising_body
    if supervisor is None:
        return
    escalation = _open_escalation(
        subject=milestone,
        supervisor=supervisor,
        title=milestone.title,
        author=obligation.author,
        is_private=obligation.is_private,
        today=today,
    )
    if escalation is None:
        return
    _step(escalation, Step.Kind.ESCALATED, text=milestone.title, organization=supervisor, on=obligation)
    _record("obligations.milestone.escalated", milestone, escalation=escalation.pk, supervisor=supervisor.pk)
    people = [*people_of(supervisor.pk, OFFICER_ROLES), obligation.author]
    notify_people(
        escalation,
        people,
        "escalated",
        f"obligations-milestone-escalated:{milestone.pk}",
        milestone=milestone,
    )


def mark_milestones_overdue(*, today: date) -> int:
    """Pending milestones past their date become OVERDUE (step, notice) and escalate like obligations."""
    ids = Milestone.objects.filter(
        status=Milestone.Status.PENDING,
        due_on__lt=today,
        commitment__status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS],
    ).order_by("pk")
    return _each(
        list(ids.values_list("pk", flat=True)), lambda pk: _milestone_overdue_one(pk, today), "milestones"
    )


# --- digests -----------------------------------------------------------------------------------------


def _bodies_with_live_obligations() -> dict[int, dict[str, Any]]:
    rows = (
        Obligation.objects.live()
        .values("organization_id", "state")
        .annotate(count=Count("id"), earliest=Min("deadline"))
        .order_by()
    )
    bodies: dict[int, dict[str, Any]] = defaultdict(lambda: {"open": 0, "overdue": 0, "earliest": None})
    for row in rows:
        body = bodies[row["organization_id"]]
        body["overdue" if row["state"] == Obligation.State.OVERDUE else "open"] += row["count"]
        body["earliest"] = min(filter(None, [body["earliest"], row["earliest"]]))
    return bodies


def _digest_one(user: Any, bodies: list[dict[str, Any]], today: date) -> int:
    from kenes.notifications.services import notify

    with transaction.atomic():
        created = notify(
            recipients=[user],
            event="obligations.digest",
            template="obligations/email/digest",
            context={"bodies": bodies, "today": today},
            url=_try_reverse("obligations:my_inboxes"),
            dedupe_key=f"obligations-digest:{user.pk}:{today.isoformat()}",
        )
    return len(created)


def send_digests(*, today: date) -> int:
    """One digest a day to each officer and head of a body with live obligations (deduplicated by
    ``obligations-digest:<user>:<date>``). Returns the number of digests sent now."""
    counts = _bodies_with_live_obligations()
    memberships = (
        Membership.objects.filter(
            organization_id__in=list(counts), role__in=OFFICER_ROLES, user__is_active=True
        )
        .select_related("user", "organization")
        .order_by("user_id", "organization_id")
    )
    per_user: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    for membership in memberships:
        _user, bodies = per_user.setdefault(membership.user_id, (membership.user, []))
        bodies.append({"organization": membership.organization, **counts[membership.organization_id]})
    return _each(list(per_user), lambda pk: _digest_one(*per_user[pk], today), "digests")
