"""Every write to notifications, the outbox, follows and preferences goes through here.

Module authors call ``notify``, ``notify_followers``, ``follow``, ``unfollow`` and
``followers_of`` (see docs/notifications.md); the jobs call ``emails_send_pending`` and
``digests_send``.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q, QuerySet
from django.template import Context
from django.template.loader import get_template
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm

from . import selectors
from .models import DIGEST_EVENT, Follow, Notification, OutgoingEmail, Preference
from .tasks import send_pending_emails_task
from .tokens import make_token

logger = logging.getLogger(__name__)

#: A row claimed longer ago than this is taken to belong to a worker that crashed.
STUCK_AFTER = datetime.timedelta(minutes=10)
#: After this many attempts an e-mail is marked failed and left alone.
MAX_ATTEMPTS = 5
#: The most notices listed in one digest e-mail (the rest are counted).
DIGEST_MAX_ITEMS = 50
FOOTER_TEMPLATE = "notifications/email/_footer.txt"
DIGEST_TEMPLATE = "notifications/email/digest"

followers_of = selectors.followers_of  # part of the interface for module authors


# --- Rendering -------------------------------------------------------------------------------------


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template with autoescaping off (the centre escapes on display)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def _language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def localized_path(path: str, language: str) -> str:
    """``/en/x/`` or the language-neutral ``/x/`` → ``/<language>/x/``; other URLs are kept as given."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    first, _slash, rest = path[1:].partition("/")
    if first in _language_codes():
        return f"/{language}/{rest}"
    try:
        resolve(path.split("?", 1)[0])  # a URL outside the language prefixes (the API, /healthz)
    except Resolver404:
        return f"/{language}{path}"
    return path


def site_path(url: str) -> str:
    """An absolute URL on this site (``KENES_BASE_URL/…``) becomes its path; anything else is kept."""
    base = settings.KENES_BASE_URL.rstrip("/")
    return url[len(base) :] if url.startswith(base + "/") else url


def absolute_url(path: str) -> str:
    if not path or "://" in path:
        return path
    return settings.KENES_BASE_URL.rstrip("/") + path


def _active(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "pk", None)
        and user.is_active
        and getattr(user, "deleted_at", None) is None
    )


def _deliverable(recipients: Iterable[Any]) -> list[Any]:
    """Active, non-deleted people, each once, in the order given."""
    people: dict[int, Any] = {}
    for user in recipients:
        if _active(user) and user.pk not in people:
            people[user.pk] = user
    return list(people.values())


# --- notify -------------------------------------------------------------------------------------------


@dataclass
class _Message:
    event: str
    template: str
    context: dict[str, Any]
    subject: Model | None = None
    url: str = ""
    dedupe_key: str | None = None
    email: bool = True
    unfollow_subject: Model | None = None  # the unsubscribe link stops following this subject
    read: bool = False  # created already read (the digest's own record)
    per_recipient: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Rendered:
    language: str
    title: str
    body: str
    email_body: str
    unsubscribe_url: str


def _render_for(user: Any, message: _Message) -> _Rendered:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        link = absolute_url(localized_path(message.url, language)) if message.url else ""
        context = {
            "recipient": user,
            "link": link,
            **message.context,
            **message.per_recipient.get(user.pk, {}),
            "LANGUAGE_CODE": translation.get_language(),
        }
        title = " ".join(render_text(f"{message.template}_subject.txt", context).split())[:300]
        body = render_text(f"{message.template}_body.txt", context).strip()
        token = make_token(user.pk, message.unfollow_subject)
        unsubscribe_url = absolute_url(reverse("notifications:unsubscribe", args=[token]))
        footer = render_text(
            FOOTER_TEMPLATE,
            {
                "link": link,
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": absolute_url(reverse("notifications:preferences")),
                "following": message.unfollow_subject is not None,
            },
        ).strip()
    return _Rendered(language, title, body, f"{body}\n\n-- \n{footer}\n", unsubscribe_url)


def _save_notification(notification: Notification, dedupe: bool) -> bool:
    """Insert; with a dedupe key, a concurrent duplicate loses quietly (the DB constraint decides)."""
    if not dedupe:
        notification.save()
        return True
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return False
    return True


def _deliver(people: list[Any], message: _Message) -> list[Notification]:
    if not people:
        return []
    message.url = site_path(message.url)
    subject_type = selectors.subject_type_of(message.subject) if message.subject is not None else None
    preferences = selectors.preferences_for([u.pk for u in people])
    already: set[int] = set()
    if message.dedupe_key is not None:
        already = set(
            Notification.objects.filter(
                recipient_id__in=[u.pk for u in people], dedupe_key=message.dedupe_key
            ).values_list("recipient_id", flat=True)
        )
    created: list[Notification] = []
    queued = False
    with transaction.atomic():
        for user in people:
            if user.pk in already:
                continue
            rendered = _render_for(user, message)
            notification = Notification(
                recipient=user,
                event=message.event,
                title=rendered.title,
                body=rendered.body,
                url=message.url[:500],
                subject_type=subject_type,
                subject_id=message.subject.pk if message.subject is not None else None,
                dedupe_key=message.dedupe_key,
                read_at=timezone.now() if message.read else None,
            )
            if not _save_notification(notification, message.dedupe_key is not None):
                continue
            created.append(notification)
            preference = preferences.get(user.pk) or Preference(user_id=user.pk)
            if message.email and preference.email_enabled and user.email:
                _queue_email(user, notification, rendered)
                queued = True
        if queued:
            transaction.on_commit(lambda: send_pending_emails_task.delay())
    return created


def _queue_email(user: Any, notification: Notification, rendered: _Rendered) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        recipient=user,
        notification=notification,
        to_address=user.email,
        subject=rendered.title,
        body=rendered.email_body,
        language=rendered.language,
        unsubscribe_url=rendered.unsubscribe_url,
    )


def notify(
    *,
    recipients: Iterable[Any],
    event: str,
    template: str,
    context: dict[str, Any],
    subject: Model | None = None,
    url: str = "",
    dedupe_key: str | None = None,
    email: bool = True,
) -> list[Notification]:
    """Notify people in their own language: an in-app notice each and, unless they switched
    e-mail off (or ``email=False``), an e-mail queued in the outbox and sent by a job after commit.

    ``template="obligations/email/answered"`` renders ``…/answered_subject.txt`` (the title) and
    ``…/answered_body.txt`` with ``context`` plus ``recipient``, ``link`` (the absolute ``url`` in
    their language) and ``LANGUAGE_CODE``. With ``dedupe_key``, a person never gets two notices
    with the same key: the call skips them. Returns the notices created.
    """
    message = _Message(event, template, context, subject, url, dedupe_key, email)
    return _deliver(_deliverable(recipients), message)


def notify_followers(
    *,
    subject: Model,
    event: str,
    template: str,
    context: dict[str, Any],
    url: str = "",
    exclude: Iterable[Any] = (),
    dedupe_key: str | None = None,
) -> list[Notification]:
    """``notify`` everyone who follows ``subject`` (except ``exclude``, e.g. the actor). Their
    e-mails' unsubscribe link stops following this subject."""
    excluded = {u.pk for u in exclude if getattr(u, "pk", None)}
    people = [u for u in selectors.followers_of(subject).order_by("pk") if u.pk not in excluded]
    message = _Message(event, template, context, subject, url, dedupe_key, True, unfollow_subject=subject)
    return _deliver(people, message)


# --- Reading notices -------------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one notice read (bookkeeping: not audited). Marking it again changes nothing."""
    require_perm(actor, "notifications.read_notification", notification)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now, updated_at=now
        )
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark all of the actor's unread notices read; returns how many."""
    now = timezone.now()
    return Notification.objects.unread().filter(recipient_id=actor.pk).update(read_at=now, updated_at=now)


# --- Following -------------------------------------------------------------------------------------


def follow(*, actor: Any, subject: Model) -> Follow:
    """Follow ``subject`` (of a model registered as followable). Idempotent."""
    require_perm(actor, "notifications.follow_subject", subject)
    subject_type = selectors.subject_type_of(subject)
    with transaction.atomic():
        existing = Follow.objects.filter(user=actor, subject_type=subject_type, subject_id=subject.pk).first()
        if existing is not None:
            return existing
        following = Follow(user=actor, subject_type=subject_type, subject_id=subject.pk)
        try:
            with transaction.atomic():
                following.save()
        except IntegrityError:  # a concurrent click won
            return Follow.objects.get(user=actor, subject_type=subject_type, subject_id=subject.pk)
        audit.record(
            event="notifications.follow.created",
            actor=actor,
            obj=following,
            data={"subject_type": subject._meta.label_lower, "subject_id": subject.pk},
        )
    return following


def _unfollow(actor: Any, follows: QuerySet[Follow]) -> bool:
    with transaction.atomic():
        following = follows.filter(user_id=actor.pk).select_related("subject_type").first()
        if following is None:
            return False
        audit.record(
            event="notifications.follow.deleted",
            actor=actor,
            obj=following,
            data={
                "subject_type": f"{following.subject_type.app_label}.{following.subject_type.model}",
                "subject_id": following.subject_id,
            },
        )
        following.delete()
    return True


def unfollow(*, actor: Any, subject: Model) -> None:
    """Stop following ``subject``. Idempotent; allowed even if the subject became invisible."""
    _unfollow(actor, selectors.follows_of_subject(subject))


# --- Preferences and unsubscribing ----------------------------------------------------------------


def preference_update(*, actor: Any, user: Any, email_enabled: bool, digest_enabled: bool) -> Preference:
    require_perm(actor, "notifications.change_preference", user)
    with transaction.atomic():
        preference, _created = Preference.objects.select_for_update().get_or_create(user_id=user.pk)
        before = {"email_enabled": preference.email_enabled, "digest_enabled": preference.digest_enabled}
        preference.email_enabled, preference.digest_enabled = email_enabled, digest_enabled
        after = {"email_enabled": email_enabled, "digest_enabled": digest_enabled}
        if before != after:
            preference.full_clean()
            preference.save(update_fields=["email_enabled", "digest_enabled", "updated_at"])
            audit.record(
                event="notifications.preference.updated",
                actor=actor,
                obj=preference,
                before=before,
                after=after,
            )
    return preference


def unsubscribe(*, token: str, everything: bool = False) -> selectors.UnsubscribeTarget:
    """Apply an unsubscribe link: stop following its subject, or (if it names none, or
    ``everything``) switch e-mail off. The token is the authority; the person is the actor."""
    target = selectors.unsubscribe_target(token)
    if target is None:
        raise ValidationError(_("This unsubscribe link is not valid."), code="bad_token")
    user = target.user
    if target.names_subject and not everything:
        app_label, _dot, model = target.subject_label.partition(".")
        follows = Follow.objects.filter(
            subject_type__app_label=app_label, subject_type__model=model, subject_id=target.subject_id or 0
        )
        _unfollow(user, follows)
        return target
    preference = selectors.preference_of(user)
    preference_update(actor=user, user=user, email_enabled=False, digest_enabled=preference.digest_enabled)
    return target


# --- The outbox job ----------------------------------------------------------------------------------


def _claim(pk: int, state: str, claimed_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """The conditional UPDATE: only one worker moves the row from what it saw to 'sending'."""
    return bool(
        OutgoingEmail.objects.filter(pk=pk, state=state, claimed_at=claimed_at).update(
            state=OutgoingEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    )


def _still_wanted(email: OutgoingEmail) -> bool:
    user = email.recipient
    if user is None or not _active(user):
        return False
    preference = getattr(user, "notification_preference", None)
    return preference is None or preference.email_enabled


def _finish(email: OutgoingEmail, claimed_at: datetime.datetime, **changes: Any) -> None:
    OutgoingEmail.objects.filter(
        pk=email.pk, state=OutgoingEmail.State.SENDING, claimed_at=claimed_at
    ).update(updated_at=timezone.now(), **changes)


def _send_one(pk: int, claimed_at: datetime.datetime) -> bool:
    email = (
        OutgoingEmail.objects.select_related("recipient", "recipient__notification_preference")
        .filter(pk=pk)
        .first()
    )
    if email is None:
        return False
    if not _still_wanted(email):
        _finish(
            email, claimed_at, state=OutgoingEmail.State.FAILED, last_error="cancelled: e-mail switched off"
        )
        return False
    headers = {"Auto-Submitted": "auto-generated"}
    if email.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMessage(subject=email.subject, body=email.body, to=[email.to_address], headers=headers)
    try:
        message.send()
    except Exception as exc:  # any transport error: retry later, then give up
        logger.warning("e-mail %s not sent: %s", email.pk, exc)
        state = OutgoingEmail.State.FAILED if email.attempts >= MAX_ATTEMPTS else OutgoingEmail.State.PENDING
        _finish(email, claimed_at, state=state, last_error=str(exc)[:2000])
        return False
    _finish(email, claimed_at, state=OutgoingEmail.State.SENT, sent_at=timezone.now(), last_error="")
    return True


def emails_send_pending(*, batch: int = 100) -> int:
    """Send up to ``batch`` e-mails from the outbox; returns how many were sent.

    Each row is claimed with a conditional UPDATE (pending → sending, or a 'sending' row whose
    worker crashed more than STUCK_AFTER ago), so concurrent runs never send one twice, and a
    row marked sent is never picked again.
    """
    now = timezone.now()
    todo = Q(state=OutgoingEmail.State.PENDING) | Q(
        state=OutgoingEmail.State.SENDING, claimed_at__lt=now - STUCK_AFTER
    )
    candidates = list(
        OutgoingEmail.objects.filter(todo).order_by("pk").values_list("pk", "state", "claimed_at")[:batch]
    )
    sent = 0
    for pk, state, claimed_at in candidates:
        if _claim(pk, state, claimed_at, now):
            sent += _send_one(pk, now)
    return sent


# --- Daily digests ----------------------------------------------------------------------------------


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())
    return start, start + datetime.timedelta(days=1)


def _digest_items(user: Any, notices: list[Notification]) -> dict[str, Any]:
    language = user.language or settings.LANGUAGE_CODE
    items = [
        {"title": n.title, "link": absolute_url(localized_path(n.url, language)) if n.url else ""}
        for n in notices[:DIGEST_MAX_ITEMS]
    ]
    return {"items": items, "count": len(notices), "more": max(0, len(notices) - DIGEST_MAX_ITEMS)}


def digests_send(*, day: datetime.date | None = None) -> int:
    """One digest e-mail per person who wants digests and has unread notices from ``day``
    (default: yesterday, in TIME_ZONE). Deduplicated by ``digest:<day>``: a rerun sends nothing."""
    day = day or timezone.localdate() - datetime.timedelta(days=1)
    start, end = _day_bounds(day)
    wanting = Preference.objects.filter(
        digest_enabled=True, email_enabled=True, user__is_active=True, user__deleted_at__isnull=True
    ).values("user_id")
    notices = (
        Notification.objects.unread()
        .for_centre()
        .filter(recipient_id__in=wanting, created_at__gte=start, created_at__lt=end)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        centre = reverse("notifications:centre")
    created = 0
    for _user_id, group in groupby(notices, key=lambda n: n.recipient_id):
        user_notices = list(group)
        user = user_notices[0].recipient
        message = _Message(
            event=DIGEST_EVENT,
            template=DIGEST_TEMPLATE,
            context={"day": day},
            url=centre,
            dedupe_key=f"digest:{day.isoformat()}",
            read=True,
            per_recipient={user.pk: _digest_items(user, user_notices)},
        )
        created += len(_deliver([user], message))
    return created
