"""Notices to people: in-app notifications, the e-mail outbox, follows and preferences.

Rows here are written only by ``services.py`` (see docs/notifications.md).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel

#: The event of the daily digest's own notification (created already read, kept out of the centre).
DIGEST_EVENT = "notifications.digest"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_centre(self) -> "NotificationQuerySet":
        """What the notification centre lists: everything except digest records."""
        return self.exclude(event=DIGEST_EVENT)


class Notification(TimeStampedModel):
    """One in-app notice to one person. ``title`` and ``body`` were rendered in their language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    subject_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("subject type"),
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # NULL when the caller gave no key; NULLs never collide in the unique constraint below.
    dedupe_key = models.CharField(  # noqa: DJ001
        _("deduplication key"), max_length=200, null=True, blank=True
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="notifications_notification_dedupe_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notifications_recipient_idx"),
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notifications_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutgoingEmail(TimeStampedModel):
    """The outbox: an e-mail waiting to be sent, being sent, sent or given up on.

    It lives in the database, in the same transaction as the notification, so no e-mail is lost
    when the broker is down; ``emails_send_pending`` claims rows with a conditional UPDATE.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    notification = models.ForeignKey(
        Notification,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
        verbose_name=_("notification"),
    )
    to_address = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=8)
    unsubscribe_url = models.CharField(_("unsubscribe link"), max_length=1000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["state", "id"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="notifications_outbox_todo_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Follow(TimeStampedModel):
    """A person follows a subject (a submission, a petition, …) to hear about what happens to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_follows",
        verbose_name=_("user"),
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subject_type", "subject_id"], name="notifications_follow_unique"
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="notifications_follow_subj_idx")]

    def __str__(self) -> str:
        return f"{self.subject_type_id}:{self.subject_id}"


class Preference(TimeStampedModel):
    """A person's notification settings, created the first time they change them.

    ``email_enabled`` is the master switch for e-mail (the unsubscribe link turns it off);
    ``digest_enabled`` adds a daily summary of the notices still unread.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_enabled = models.BooleanField(_("e-mail notifications"), default=True)
    digest_enabled = models.BooleanField(_("daily digest"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)
