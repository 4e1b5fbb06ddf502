"""Every write in the hearing loop goes through here (the interface: docs/obligations.md).

Each service runs in one transaction: it locks the obligation row (``select_for_update``) so that two
parallel requests cannot both answer, extend or redirect it, checks the permission and the rules that
need a message, writes, appends a timeline ``Step`` and an audit event, and notifies — notices are
rows written in the same transaction, e-mails leave from the outbox after commit. The scheduled
jobs live in ``jobs.py`` and are exposed here under the names the interface gives them.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm
from kenes.organizations import selectors as organization_selectors
from kenes.organizations.models import Membership, Organization

from . import deadlines, hooks
from .models import (
    Commitment,
    Evidence,
    Extension,
    Kind,
    Milestone,
    Obligation,
    Rating,
    Redirection,
    Response,
    ResponseAttachment,
    Step,
)
from .uploads import check_upload, check_uploads


class ReasonMinimum(NamedTuple):
    words: int
    characters: int


#: A reason (for a response, an extension, a redirection or a contest) shorter than this is refused:
#: "an empty reply is not counted as answered" (RELIABILITY A10). Both limits apply.
MIN_REASON = ReasonMinimum(words=3, characters=20)
EMAIL_TEMPLATES = "obligations/email/"
HEAD_ROLES = (Membership.Role.HEAD,)
OFFICER_ROLES = (Membership.Role.OFFICER, Membership.Role.HEAD)
COMMITTABLE = (Response.Decision.ACCEPTED, Response.Decision.PARTLY_ACCEPTED)


# --- helpers ---------------------------------------------------------------------------------------


def check_reason(text: str) -> str:
    """The reason with surrounding blanks removed; ValidationError when it is trivial."""
    reason = (text or "").strip()
    if len(reason.split()) < MIN_REASON.words or len(reason) < MIN_REASON.characters:
        raise ValidationError(
            _("Give your reasons in at least %(words)s words and %(characters)s characters."),
            code="trivial_reason",
            params={"words": MIN_REASON.words, "characters": MIN_REASON.characters},
        )
    return reason


def _format_date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _lock(obligation: Obligation) -> Obligation:
    """Lock the row for the rest of the transaction and reload the caller's instance from it."""
    list(Obligation.objects.select_for_update().filter(pk=obligation.pk).values_list("pk", flat=True))
    obligation.refresh_from_db()
    return obligation


def _require_live(obligation: Obligation) -> None:
    if not obligation.is_live:
        raise ValidationError(
            _("This obligation is %(state)s: it can no longer be changed."),
            code="not_live",
            params={"state": obligation.get_state_display().lower()},
        )


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _step(obligation: Obligation, kind: str, actor: Any, text: str = "", organization: Any = None) -> Step:
    return Step.objects.create(
        subject_type_id=obligation.subject_type_id,
        subject_id=obligation.subject_id,
        obligation=obligation,
        kind=kind,
        organization=organization or obligation.organization,
        actor=_actor(actor),
        text=text,
        at=timezone.now(),
    )


def _record(event: str, actor: Any, obj: models.Model, **data: Any) -> None:
    audit.record(event=event, actor=actor, obj=obj, data=data, actor_label="" if _actor(actor) else "system")


def people_of(organization_id: int | None, roles: Sequence[str]) -> list[Any]:
    """The body's active members with one of ``roles`` (none without a body)."""
    return [] if organization_id is None else organization_selectors.people_of([organization_id], roles)


def obligation_url(obligation: Obligation) -> str:
    try:
        return reverse("obligations:detail", args=[obligation.pk])
    except NoReverseMatch:
        subject: Any = obligation.subject
        return str(subject.get_absolute_url()) if hasattr(subject, "get_absolute_url") else ""


def _subject_or_none(obligation: Obligation) -> models.Model | None:
    subject = obligation.subject
    return subject if subject is not None and isinstance(subject.pk, int) else None


def notify_people(
    obligation: Obligation, people: Sequence[Any], name: str, dedupe_key: str | None, **context: Any
) -> None:
    """Send notice ``name`` (templates ``obligations/email/<name>_*.txt``) about ``obligation``."""
    from kenes.notifications.services import notify

    notify(
        recipients=[p for p in people if p is not None],
        event=f"obligations.{name}",
        template=f"{EMAIL_TEMPLATES}{name}",
        context={"obligation": obligation, "organization": obligation.organization, **context},
        subject=_subject_or_none(obligation),
        url=obligation_url(obligation),
        dedupe_key=dedupe_key,
    )


def _notify_author_and_followers(obligation: Obligation, name: str, dedupe_key: str, **context: Any) -> None:
    from kenes.notifications.services import notify_followers

    notify_people(obligation, [obligation.author], name, dedupe_key, **context)
    subject = _subject_or_none(obligation)
    if subject is not None and not obligation.is_private:
        notify_followers(
            subject=subject,
            event=f"obligations.{name}",
            template=f"{EMAIL_TEMPLATES}{name}",
            context={"obligation": obligation, "organization": obligation.organization, **context},
            url=obligation_url(obligation),
            exclude=[obligation.author] if obligation.author else [],
            dedupe_key=dedupe_key,
        )


def _follow(user: Any, subject: Any) -> None:
    """The author follows what they submitted, when its model is followable."""
    from kenes.notifications.services import follow

    if user is not None and subject is not None and user.has_perm("notifications.follow_subject", subject):
        follow(actor=user, subject=subject)


# --- opening ---------------------------------------------------------------------------------------


def create_obligation(*, subject: Any, organization: Organization, kind: str, **fields: Any) -> Obligation:
    """Insert an obligation (no step, no notice: the caller adds those). ``fields`` must hold
    title and opened_on; the deadline comes from the rule unless given."""
    if kind not in Kind.values:
        raise ValidationError(_("Unknown kind of obligation."), code="kind")
    subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    opened_on = fields["opened_on"]
    deadline = fields.pop("deadline", None) or deadlines.deadline_for(organization.country, kind, opened_on)
    obligation = Obligation(
        subject_type=subject_type,
        subject_id=str(subject.pk),
        organization=organization,
        kind=kind,
        country=organization.country,
        deadline=deadline,
        original_deadline=deadline,
        **fields,
    )
    live = Obligation.objects.live().for_subject(subject).filter(organization=organization, kind=kind)
    if live.exists():
        raise ValidationError(
            _("This body already has an open obligation of this kind for it."), code="duplicate"
        )
    obligation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            obligation.save()
    except IntegrityError as error:  # a parallel request opened it first
        raise ValidationError(
            _("This body already has an open obligation of this kind for it."), code="duplicate"
        ) from error
    return obligation


def obligation_open(
    *,
    actor: Any,
    subject: models.Model,
    organization: Organization,
    kind: str,
    title: str,
    author: Any = None,
    is_private: bool = False,
    opened_on: date | None = None,
) -> Obligation:
    """Oblige ``organization`` to respond to ``subject``; called by modules (no permission of its own:
    the module checked its own). ``actor`` None means the system. The author is acknowledged."""
    with transaction.atomic():
        obligation = create_obligation(
            subject=subject,
            organization=organization,
            kind=kind,
            title=title,
            author=author,
            is_private=is_private,
            opened_on=opened_on or timezone.localdate(),
        )
        _step(obligation, Step.Kind.OPENED, actor)
        _record(
            "obligations.obligation.opened",
            actor,
            obligation,
            kind=kind,
            organization=organization.pk,
            opened_on=obligation.opened_on,
            deadline=obligation.deadline,
        )
        _follow(author, subject)
        notify_people(obligation, [author], "opened", f"obligations-opened:{obligation.pk}")
    return obligation


def obligations_set_private(*, subject: models.Model, private: bool) -> int:
    """Make every obligation about ``subject`` private (or public), e.g. when an appeal's author
    publishes it. Called by the module owning the subject, inside its own transaction and after
    its own permission check; the module records the audit event. Returns how many changed."""
    return (
        Obligation.objects.for_subject(subject)
        .exclude(is_private=private)
        .update(is_private=private, updated_at=timezone.now())
    )


def deadline_for(*, country: str, kind: str, opened_on: date) -> date:
    return deadlines.deadline_for(country, kind, opened_on)


def working_days_left(*, obligation: Obligation, today: date | None = None) -> int:
    return deadlines.working_days_left(obligation, today or timezone.localdate())


# --- on the way: assign, extend, redirect, withdraw ------------------------------------------------


def obligation_assign(*, actor: Any, obligation: Obligation, officer: Any | None) -> Obligation:
    """The head hands the obligation to a member of the body (None takes it back)."""
    require_perm(actor, "obligations.assign_obligation", obligation)
    with transaction.atomic():
        _lock(obligation)
        _require_live(obligation)
        if (
            officer is not None
            and not Membership.objects.filter(
                organization_id=obligation.organization_id, user=officer
            ).exists()
        ):
            raise ValidationError(_("Only a member of the body can be assigned."), code="not_member")
        before = obligation.assigned_to_id
        obligation.assigned_to = officer
        obligation.save(update_fields=["assigned_to", "updated_at"])
        _step(obligation, Step.Kind.ASSIGNED, actor)
        _record(
            "obligations.obligation.assigned",
            actor,
            obligation,
            before=before,
            officer=getattr(officer, "pk", None),
        )
        if officer is not None:
            notify_people(obligation, [officer], "assigned", None)
    return obligation


def _check_extension(obligation: Obligation, new_deadline: date) -> None:
    rule = deadlines.rule_for(obligation.country, obligation.kind)
    limit = deadlines.extension_limit(obligation, rule)
    if obligation.state == Obligation.State.OVERDUE or obligation.deadline < timezone.localdate():
        raise ValidationError(_("The deadline has passed: it can no longer be extended."), code="overdue")
    if limit is None:
        raise ValidationError(_("The law allows no extension for this obligation."), code="no_extension")
    if obligation.extensions.count() >= rule.max_extensions:
        raise ValidationError(
            _("The deadline can be extended only %(count)s time(s)."),
            code="extensions_used",
            params={"count": rule.max_extensions},
        )
    if new_deadline <= obligation.deadline:
        raise ValidationError(_("The new deadline must be later than the current one."), code="not_later")
    if new_deadline > limit:
        raise ValidationError(
            _("The deadline can be extended to %(limit)s at the latest."),
            code="beyond_limit",
            params={"limit": _format_date(limit)},
        )
    if not deadlines.is_working_day(obligation.country, new_deadline):
        raise ValidationError(_("The new deadline must be a working day."), code="day_off")


def obligation_extend(*, actor: Any, obligation: Obligation, new_deadline: date, reason: str) -> Extension:
    """Move the deadline by a reasoned decision, as far as the rule allows; the author is told."""
    require_perm(actor, "obligations.extend_obligation", obligation)
    reason = check_reason(reason)
    with transaction.atomic():
        _lock(obligation)
        _require_live(obligation)
        _check_extension(obligation, new_deadline)
        extension = Extension.objects.create(
            obligation=obligation,
            reason=reason,
            old_deadline=obligation.deadline,
            new_deadline=new_deadline,
            decided_by=actor,
        )
        obligation.deadline, obligation.state = new_deadline, Obligation.State.EXTENDED
        obligation.save(update_fields=["deadline", "state", "updated_at"])
        _step(obligation, Step.Kind.EXTENDED, actor, text=reason)
        _record(
            "obligations.obligation.extended",
            actor,
            obligation,
            old_deadline=extension.old_deadline,
            new_deadline=new_deadline,
            extension=extension.pk,
        )
        notify_people(
            obligation,
            [obligation.author],
            "extended",
            f"obligations-extended:{extension.pk}",
            reason=reason,
            old_deadline=extension.old_deadline,
        )
    return extension


def _check_redirect(obligation: Obligation, to_organization: Organization) -> None:
    if to_organization.pk == obligation.organization_id:
        raise ValidationError(_("Choose another body: this one is responsible now."), code="same_body")
    if to_organization.country != obligation.country:
        raise ValidationError(_("The competent body must be in the same country."), code="other_country")


def obligation_redirect(
    *, actor: Any, obligation: Obligation, to_organization: Organization, reason: str
) -> Obligation:
    """Forward to the competent body: this obligation closes as REDIRECTED and a new one opens there
    with a fresh deadline. Returns the new obligation. The author is told."""
    require_perm(actor, "obligations.redirect_obligation", obligation)
    reason = check_reason(reason)
    with transaction.atomic():
        _lock(obligation)
        _require_live(obligation)
        _check_redirect(obligation, to_organization)
        obligation.state, obligation.closed_at = Obligation.State.REDIRECTED, timezone.now()
        obligation.save(update_fields=["state", "closed_at", "updated_at"])
        Redirection.objects.create(
            obligation=obligation, to_organization=to_organization, reason=reason, decided_by=actor
        )
        new = create_obligation(
            subject=obligation.subject,
            organization=to_organization,
            kind=obligation.kind,
            title=obligation.title,
            author=obligation.author,
            is_private=obligation.is_private,
            opened_on=timezone.localdate(),
            redirected_from=obligation,
        )
        _step(obligation, Step.Kind.REDIRECTED, actor, text=reason)
        _record(
            "obligations.obligation.redirected",
            actor,
            obligation,
            to_organization=to_organization.pk,
            new_obligation=new.pk,
            new_deadline=new.deadline,
        )
        notify_people(
            new,
            [obligation.author],
            "redirected",
            f"obligations-redirected:{obligation.pk}",
            reason=reason,
            previous=obligation,
        )
    return new


def obligation_withdraw(*, actor: Any, obligation: Obligation, reason: str) -> Obligation:
    """The author withdraws; the reason may be short but not empty."""
    require_perm(actor, "obligations.withdraw_obligation", obligation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why you withdraw it."), code="no_reason")
    with transaction.atomic():
        _lock(obligation)
        _require_live(obligation)
        obligation.state, obligation.closed_at = Obligation.State.WITHDRAWN, timezone.now()
        obligation.save(update_fields=["state", "closed_at", "updated_at"])
        _step(obligation, Step.Kind.WITHDRAWN, actor, text=reason)
        _record("obligations.obligation.withdrawn", actor, obligation)
        people = (
            [obligation.assigned_to]
            if obligation.assigned_to_id
            else people_of(obligation.organization_id, HEAD_ROLES)
        )
        notify_people(
            obligation, people, "withdrawn", f"obligations-withdrawn:{obligation.pk}", reason=reason
        )
    return obligation


# --- the reasoned response, its rating and contest ---------------------------------------------------


def _save_file(instance: models.Model, checked: Any) -> None:
    instance.file.save(checked.name, checked.file, save=False)  # type: ignore[attr-defined]
    instance.save()


def obligation_respond(
    *, actor: Any, obligation: Obligation, decision: str, reasons: str, attachments: Sequence[Any] = ()
) -> Response:
    """Answer with a decision and reasons (non-trivial, see MIN_REASON). A "not competent" answer is
    recorded like any other: the reasons must say who is competent (use redirect when that body is on
    Kenes). The author and the subject's followers are told."""
    require_perm(actor, "obligations.respond_obligation", obligation)
    if decision not in Response.Decision.values:
        raise ValidationError(_("Choose a decision."), code="decision")
    reasons = check_reason(reasons)
    checked = check_uploads(list(attachments))
    with transaction.atomic():
        _lock(obligation)
        _require_live(obligation)
        now = timezone.now()
        answered_on = timezone.localdate(now)
        response = Response(
            obligation=obligation,
            decision=decision,
            reasons=reasons,
            organization=obligation.organization,
            responder=actor,
            on_time=answered_on <= obligation.deadline,
            working_days_taken=deadlines.working_days_between(
                obligation.country, obligation.opened_on, answered_on
            ),
        )
        response.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError as error:
            raise ValidationError(_("This obligation has already been answered."), code="answered") from error
        for upload in checked:
            attachment = ResponseAttachment(
                response=response, name=upload.name, size=upload.size, content_type=upload.content_type
            )
            _save_file(attachment, upload)
        obligation.state, obligation.answered_at, obligation.closed_at = Obligation.State.ANSWERED, now, now
        obligation.save(update_fields=["state", "answered_at", "closed_at", "updated_at"])
        _step(obligation, Step.Kind.ANSWERED, actor, text=reasons)
        _record(
            "obligations.response.created",
            actor,
            response,
            obligation=obligation.pk,
            decision=decision,
            on_time=response.on_time,
            working_days_taken=response.working_days_taken,
            attachments=len(checked),
        )
        _notify_author_and_followers(
            obligation, "answered", f"obligations-answered:{obligation.pk}", response=response
        )
        hooks.answered(response)
    return response


def response_rate(*, actor: Any, response: Response, score: int, comment: str = "") -> Rating:
    """The author rates the response 1–5; rating again changes the score."""
    require_perm(actor, "obligations.rate_response", response)
    with transaction.atomic():
        _lock(response.obligation)
        existing = Rating.objects.filter(response=response).first()
        created = existing is None
        before = None if existing is None else {"score": existing.score}
        rating = existing or Rating(response=response, author=actor)
        rating.score, rating.comment = score, (comment or "").strip()
        rating.full_clean(validate_unique=False, validate_constraints=False)
        rating.save() if created else rating.save(update_fields=["score", "comment", "updated_at"])
        if created:
            _step(
                response.obligation,
                Step.Kind.RATED,
                actor,
                text=str(score),
                organization=response.organization,
            )
        audit.record(
            event="obligations.rating.created" if created else "obligations.rating.updated",
            actor=actor,
            obj=rating,
            data={"response": response.pk},
            before=before,
            after={"score": score},
        )
    return rating


def response_contest(*, actor: Any, response: Response, reason: str) -> Obligation:
    """The author contests the response: a CONTEST obligation opens at the supervising body."""
    require_perm(actor, "obligations.contest_response", response)
    reason = check_reason(reason)
    supervisor = response.organization.supervising_body
    if supervisor is None:
        raise ValidationError(
            _("%(body)s has no supervising body on Kenes: the response can be contested in court."),
            code="no_supervisor",
            params={"body": response.organization.name},
        )
    original = response.obligation
    with transaction.atomic():
        _lock(original)
        if Obligation.objects.filter(contest_of=response).exists():
            raise ValidationError(_("This response has already been contested."), code="contested")
        contest = create_obligation(
            subject=original.subject,
            organization=supervisor,
            kind=Kind.CONTEST,
            title=original.title,
            author=actor,
            is_private=original.is_private,
            opened_on=timezone.localdate(),
            contest_of=response,
        )
        _step(contest, Step.Kind.CONTESTED, actor, text=reason)
        _record(
            "obligations.response.contested", actor, response, contest=contest.pk, supervisor=supervisor.pk
        )
        notify_people(
            contest,
            people_of(supervisor.pk, OFFICER_ROLES),
            "contested",
            f"obligations-contested:{contest.pk}",
            reason=reason,
            response=response,
        )
    return contest


# --- commitments -------------------------------------------------------------------------------------


def commitment_create(
    *,
    actor: Any,
    response: Response,
    title: str,
    description: str = "",
    milestones: Sequence[tuple[str, date]] = (),
) -> Commitment:
    """Turn an accepted (or partly accepted) response into a commitment, with milestones."""
    require_perm(actor, "obligations.add_commitment", response)
    if response.decision not in COMMITTABLE:
        raise ValidationError(
            _("Only an accepted or partly accepted response can become a commitment."), code="not_accepted"
        )
    with transaction.atomic():
        commitment = Commitment(
            response=response,
            organization=response.organization,
            title=(title or "").strip(),
            description=(description or "").strip(),
            created_by=actor,
        )
        commitment.full_clean()
        commitment.save()
        for milestone_title, due_on in milestones:
            _milestone_create(commitment, milestone_title, due_on)
        obligation = response.obligation
        _step(
            obligation, Step.Kind.COMMITMENT, actor, text=commitment.title, organization=response.organization
        )
        _record(
            "obligations.commitment.created",
            actor,
            commitment,
            response=response.pk,
            milestones=len(milestones),
        )
        _notify_author_and_followers(
            obligation, "commitment", f"obligations-commitment:{commitment.pk}", commitment=commitment
        )
    return commitment


def _milestone_create(commitment: Commitment, title: str, due_on: date) -> Milestone:
    milestone = Milestone(commitment=commitment, title=(title or "").strip(), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


def _require_open_commitment(commitment: Commitment) -> None:
    if commitment.status in (Commitment.Status.DELIVERED, Commitment.Status.CANCELLED):
        raise ValidationError(
            _("This commitment is %(status)s."),
            code="closed_commitment",
            params={"status": commitment.get_status_display().lower()},
        )


def milestone_add(*, actor: Any, commitment: Commitment, title: str, due_on: date) -> Milestone:
    require_perm(actor, "obligations.change_commitment", commitment)
    with transaction.atomic():
        _require_open_commitment(commitment)
        milestone = _milestone_create(commitment, title, due_on)
        _record("obligations.milestone.added", actor, milestone, commitment=commitment.pk, due_on=due_on)
    return milestone


def _complete_commitment(commitment: Commitment, actor: Any) -> None:
    """PLANNED → IN_PROGRESS on the first delivery; DELIVERED once every milestone is."""
    pending = commitment.milestones.exclude(status=Milestone.Status.DELIVERED).exists()
    if not pending:
        commitment.status, commitment.delivered_at = Commitment.Status.DELIVERED, timezone.now()
        commitment.save(update_fields=["status", "delivered_at", "updated_at"])
        _record("obligations.commitment.delivered", actor, commitment)
    elif commitment.status == Commitment.Status.PLANNED:
        commitment.status = Commitment.Status.IN_PROGRESS
        commitment.save(update_fields=["status", "updated_at"])


def milestone_deliver(*, actor: Any, milestone: Milestone, note: str = "") -> Milestone:
    """Mark a milestone delivered (on time if by its due date); the author and followers are told."""
    require_perm(actor, "obligations.change_commitment", milestone.commitment)
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update()
            .select_related("commitment__response__obligation")
            .get(pk=milestone.pk)
        )
        if milestone.status == Milestone.Status.DELIVERED:
            raise ValidationError(_("This milestone has already been delivered."), code="delivered")
        _require_open_commitment(milestone.commitment)
        now = timezone.now()
        milestone.status, milestone.delivered_at = Milestone.Status.DELIVERED, now
        milestone.delivered_on_time = timezone.localdate(now) <= milestone.due_on
        milestone.save(update_fields=["status", "delivered_at", "delivered_on_time", "updated_at"])
        commitment = milestone.commitment
        _complete_commitment(commitment, actor)
        obligation = commitment.response.obligation
        text = milestone.title if not note.strip() else f"{milestone.title}: {note.strip()}"
        _step(
            obligation, Step.Kind.MILESTONE_DELIVERED, actor, text=text, organization=commitment.organization
        )
        _record("obligations.milestone.delivered", actor, milestone, on_time=milestone.delivered_on_time)
        _notify_author_and_followers(
            obligation,
            "milestone_delivered",
            f"obligations-milestone-delivered:{milestone.pk}",
            milestone=milestone,
            commitment=commitment,
        )
    return milestone


def evidence_add(*, actor: Any, milestone: Milestone, description: str, file: Any | None = None) -> Evidence:
    """Attach evidence (a description, optionally a file) to a milestone."""
    require_perm(actor, "obligations.change_commitment", milestone.commitment)
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe the evidence."), code="no_description")
    checked = check_upload(file) if file is not None else None
    with transaction.atomic():
        evidence = Evidence(milestone=milestone, description=description, uploaded_by=actor)
        if checked is None:
            evidence.save()
        else:
            evidence.name, evidence.size, evidence.content_type = (
                checked.name,
                checked.size,
                checked.content_type,
            )
            _save_file(evidence, checked)
        _record(
            "obligations.evidence.added", actor, evidence, milestone=milestone.pk, file=checked is not None
        )
    return evidence


# --- jobs (see jobs.py) --------------------------------------------------------------------------------


def obligations_mark_overdue(*, today: date | None = None) -> int:
    from .jobs import mark_overdue

    return mark_overdue(today=today or timezone.localdate())


def obligations_escalate_overdue(*, today: date | None = None) -> int:
    from .jobs import escalate_overdue

    return escalate_overdue(today=today or timezone.localdate())


def obligations_send_reminders(*, today: date | None = None) -> int:
    from .jobs import send_reminders

    return send_reminders(today=today or timezone.localdate())


def milestones_mark_overdue(*, today: date | None = None) -> int:
    from .jobs import mark_milestones_overdue

    return mark_milestones_overdue(today=today or timezone.localdate())


def officers_send_digests(*, today: date | None = None) -> int:
    from .jobs import send_digests

    return send_digests(today=today or timezone.localdate())
