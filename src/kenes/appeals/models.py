"""Official appeals: a proposal, application, complaint or request from a person or an
organisation to a body, with a registration number and a legal deadline. The deadline, the
redirection, extension, reasoned response, rating and contest are the hearing loop's
(``kenes.obligations``): every appeal opens one obligation of kind ``appeal``. See docs/appeals.md."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel
from kenes.territories.models import Country


class Appeal(TimeStampedModel):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        APPLICATION = "application", _("Application")
        COMPLAINT = "complaint", _("Complaint")
        INFORMATION_REQUEST = "information_request", _("Request for information")
        RESPONSE_REQUEST = "response_request", _("Request for a response")

    number = models.CharField(_("registration number"), max_length=30, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="appeals"
    )
    on_behalf_of = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_made",
        help_text=_("The organisation the author writes for (the author must be a member)."),
    )
    is_collective = models.BooleanField(_("collective"), default=False, help_text=_("Others may co-sign it."))
    addressee = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="appeals_received",
        help_text=_(
            "The body it was first sent to; after a redirection, the obligation names the body responsible."
        ),
    )
    routed_by = models.ForeignKey(
        "RoutingRule",
        verbose_name=_("routed by rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        "organizations.Topic", verbose_name=_("topic"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    is_public = models.BooleanField(
        _("published anonymised"),
        default=False,
        help_text=_(
            "Anyone may read the text and the response; the author's name and attachments stay private."
        ),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cosign_token_hash = models.CharField(_("co-signing link digest"), max_length=64, blank=True)
    is_sample = models.BooleanField(_("sample"), default=False, help_text=_("Demo data, not a real appeal."))

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "created_at"], name="appeals_by_author")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(published_at__isnull=False), name="appeals_public_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", args=[self.pk])


def appeal_attachment_path(instance: "AppealAttachment", filename: str) -> str:
    return f"appeals/{instance.appeal_id}/{filename}"


class AppealAttachment(TimeStampedModel):
    """A file sent with an appeal: checked by extension and content (kenes.obligations.uploads),
    stored under MEDIA_ROOT (never served by the web server) and sent only to those allowed."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=appeal_attachment_path)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Cosigner(TimeStampedModel):
    """A person who joined a collective appeal (one row per person and appeal)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="cosigners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "user"], name="appeals_one_cosign_per_person")
        ]


class NumberSequence(models.Model):
    """The last registration number given per country and year (locked row; no gaps, no repeats)."""

    country = models.CharField(max_length=2, choices=Country.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="appeals_one_sequence_per_country_year")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {self.last}"


class RoutingRule(TimeStampedModel):
    """Territory + topic → the competent body. The rule for the deepest territory containing the
    appeal's territory wins, a rule for the topic over one for any topic (``topic`` empty); a
    rule without a territory applies to the whole country."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the whole country."),
    )
    topic = models.ForeignKey(
        "organizations.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: any topic."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("competent body"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["country", "territory__path", "topic__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "territory", "topic"],
                condition=Q(territory__isnull=False, topic__isnull=False),
                name="appeals_one_rule_per_territory_topic",
            ),
            models.UniqueConstraint(
                fields=["country", "territory"],
                condition=Q(territory__isnull=False, topic__isnull=True),
                name="appeals_one_rule_per_territory",
            ),
            models.UniqueConstraint(
                fields=["country", "topic"],
                condition=Q(territory__isnull=True, topic__isnull=False),
                name="appeals_one_rule_per_topic",
            ),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(territory__isnull=True, topic__isnull=True),
                name="appeals_one_default_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory or self.get_country_display()} / {self.topic or '*'} → {self.organization}"
