"""Reports of content, moderators' decisions about it and the authors' appeals.

Content is any model registered in ``kenes.moderation.registry``; rows point at it with a
generic reference (content type + primary key as text, so any key type fits). The responsible
organisation is copied onto reports and decisions when they are made: the queue filters on it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel

#: A hide decision and an appeal resolution need a reason of at least this many words...
MIN_REASON_WORDS = 3
#: ... and this many characters (without surrounding spaces).
MIN_REASON_LENGTH = 12


def validate_published_reason(value: str) -> None:
    """A reason published to the author and the public: a sentence, not one word."""
    text = (value or "").strip()
    if len(text.split()) < MIN_REASON_WORDS or len(text) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("Give the reason in a sentence of at least %(words)s words: it is published."),
            code="reason_too_short",
            params={"words": MIN_REASON_WORDS},
        )


class ContentRef(models.Model):
    """A generic reference to the moderated content."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("content type")
    )
    object_id = models.CharField(_("content id"), max_length=64)
    content = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True

    @property
    def content_label(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"


class Decision(ContentRef, TimeStampedModel):
    class Action(models.TextChoices):
        HIDE = "hide", _("Hide")
        RESTORE = "restore", _("Restore")
        DISMISS = "dismiss", _("Dismiss the reports")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(
        _("reason"), max_length=2000, help_text=_("Published with the decision. Never name the reporters.")
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("moderator")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="moderation_decision_content"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="hide") | ~models.Q(reason=""),
                name="moderation_hide_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_label}#{self.object_id}"

    def clean(self) -> None:
        super().clean()
        if self.action == self.Action.HIDE:
            try:
                validate_published_reason(self.reason)
            except ValidationError as exc:
                raise ValidationError({"reason": exc.messages}, code="reason_too_short") from exc
        elif not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give a reason.")}, code="reason_required")


class Report(ContentRef, TimeStampedModel):
    class Category(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abuse or harassment")
        PERSONAL_DATA = "personal_data", _("Someone's personal data")
        ILLEGAL = "illegal", _("Illegal content")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporter")
    )
    category = models.CharField(_("what is wrong"), max_length=20, choices=Category.choices)
    text = models.TextField(_("details"), max_length=2000, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    resolved_by_decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolved_reports",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "resolved_by_decision"], name="moderation_report_queue")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"], name="moderation_one_report_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.content_label}#{self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_by_decision_id is None

    def clean(self) -> None:
        super().clean()
        if self.category == self.Category.OTHER and not (self.text or "").strip():
            raise ValidationError({"text": _("Say what is wrong.")}, code="text_required")


class Appeal(TimeStampedModel):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Decision upheld")
        REVERSED = "reversed", _("Decision reversed")

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("decision")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("why the decision is wrong"), max_length=4000)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution_reason = models.TextField(_("reason for the outcome"), max_length=2000, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"], condition=models.Q(state="open"), name="moderation_one_open_appeal"
            ),
            models.CheckConstraint(
                condition=(models.Q(state="open") & models.Q(resolved_at__isnull=True))
                | (~models.Q(state="open") & models.Q(resolved_at__isnull=False)),
                name="moderation_appeal_resolved_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.decision}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN
