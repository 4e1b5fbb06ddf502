"""E-petitions: a collective demand that, past a signature threshold, a body must answer.

Signing is the hot path (docs/petitions.md): one INSERT into ``Signature`` (plus its audit event)
per signature and nothing else. ``Petition.signature_count`` and ``RegionCount`` are derived data,
folded in by one counting job at a time over a lagged window of database time, and reset by a
reconciliation job whenever they drift from ``COUNT(*)``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel
from kenes.territories.models import Country


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class PetitionRule(TimeStampedModel):
    """Per country and level: how many signatures, within how long, from whom. Administrators
    change these; a petition copies its terms when it is submitted, so later changes do not
    move the goalposts of a petition already collecting."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    threshold = models.PositiveIntegerField(_("signatures needed"), validators=[MinValueValidator(1)])
    duration_months = models.PositiveSmallIntegerField(
        _("open for (months)"), validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    min_verification_level = models.PositiveSmallIntegerField(
        _("verification level needed to sign"), default=1, validators=[MaxValueValidator(2)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("petition rule")
        verbose_name_plural = _("petition rules")
        ordering = ["country", "level"]
        constraints = [
            models.UniqueConstraint(fields=["country", "level"], name="petitions_one_rule_per_country_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_country_display()} / {self.get_level_display()}"


class PetitionQuerySet(models.QuerySet["Petition"]):
    def public(self) -> "PetitionQuerySet":
        """What anyone may see: past moderation and not hidden."""
        return self.filter(state__in=[Petition.State.OPEN, Petition.State.CLOSED], is_hidden=False)


class Petition(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Awaiting moderation")
        REJECTED = "rejected", _("Rejected by moderators")
        OPEN = "open", _("Open for signatures")
        CLOSED = "closed", _("Closed")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="petitions"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("What the problem is and why it matters."))
    demand = models.TextField(_("action demanded"), help_text=_("What the body should do."))
    addressee = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("addressee body"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        "organizations.Topic", verbose_name=_("topic"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Terms copied from the PetitionRule on submission.
    threshold = models.PositiveIntegerField(_("signatures needed"), validators=[MinValueValidator(1)])
    duration_months = models.PositiveSmallIntegerField(_("open for (months)"))
    min_verification_level = models.PositiveSmallIntegerField(
        _("verification level needed to sign"), validators=[MaxValueValidator(2)]
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderation_reason = models.TextField(_("moderators' reason"), blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Derived data: written only by the counting and reconciliation jobs.
    signature_count = models.PositiveIntegerField(_("signatures (counted)"), default=0)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demo data, not a real petition.")
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-opens_at", "-id"]
        permissions = [("moderate_petition", _("Can moderate petitions before they open"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(opens_at__lt=models.F("closes_at")),
                name="petitions_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["open", "closed"])
                | Q(opens_at__isnull=False, closes_at__isnull=False),
                name="petitions_open_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.pk])


class Signature(models.Model):
    """One person's signature. Counted when ``confirmed_at`` is set and ``withdrawn_at`` is not;
    ``flagged_at`` marks a signature held back by the rate limits (same reply to the signer, not
    counted until a moderator clears it). Timestamps are the database's clock (``Now()``), so a
    skewed application clock cannot make the counting window skip or repeat rows.

    A person holds at most one live signature per petition (database constraints on the user and
    on the canonical e-mail address, so ``a.b+x@gmail.com`` and ``ab@gmail.com`` are one person);
    after a withdrawal they may sign again with a new row."""

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="signatures")
    # No index of its own: the (user, created_at) index serves lookups by person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    email_canonical = models.CharField(_("canonical e-mail"), max_length=254)
    region = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("signer's home region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirm_token_hash = models.CharField(_("confirmation token digest"), max_length=64, blank=True)
    flagged_at = models.DateTimeField(_("held back"), null=True, blank=True)
    flag_reason = models.CharField(_("why held back"), max_length=100, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "user"],
                condition=Q(withdrawn_at__isnull=True),
                name="petitions_one_live_signature_per_person",
            ),
            models.UniqueConstraint(
                fields=["petition", "email_canonical"],
                condition=Q(withdrawn_at__isnull=True),
                name="petitions_one_live_signature_per_email",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(confirmed_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("confirmed_at")),
                name="petitions_withdrawn_after_confirmed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["confirmed_at"],
                condition=Q(confirmed_at__isnull=False),
                name="petitions_sig_confirmed",
            ),
            models.Index(
                fields=["withdrawn_at"],
                condition=Q(withdrawn_at__isnull=False),
                name="petitions_sig_withdrawn",
            ),
            models.Index(fields=["user", "created_at"], name="petitions_sig_user"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_counted(self) -> bool:
        return self.confirmed_at is not None and self.withdrawn_at is None


class RegionCount(models.Model):
    """Counted signatures of a petition by the signers' home region (derived, like the total);
    ``region`` None holds the signers without a home territory."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="region_counts")
    region = models.ForeignKey(
        "territories.Territory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    count = models.IntegerField(_("signatures"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "region"],
                condition=Q(region__isnull=False),
                name="petitions_one_count_per_region",
            ),
            models.UniqueConstraint(
                fields=["petition"],
                condition=Q(region__isnull=True),
                name="petitions_one_count_without_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} / {self.region_id}: {self.count}"


class CountWatermark(models.Model):
    """One row: the database time up to which signatures have been folded into the counts."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    counted_until = models.DateTimeField(_("counted until"))

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="petitions_one_watermark")]

    def __str__(self) -> str:
        return str(self.counted_until)


class SigningLimit(TimeStampedModel):
    """A rate limit on signing, editable by administrators. Over the limit a signature is still
    accepted with the same reply, but held back (flagged) and not counted until cleared."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("per account")
        IP = "ip", _("per IP address")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    max_signatures = models.PositiveIntegerField(_("at most"), validators=[MinValueValidator(1)])
    window_seconds = models.PositiveIntegerField(_("within (seconds)"), validators=[MinValueValidator(1)])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signing limit")
        verbose_name_plural = _("signing limits")
        ordering = ["scope", "window_seconds"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "window_seconds"], name="petitions_one_limit_per_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.max_signatures} / {self.window_seconds} s"


class BlockedEmailDomain(TimeStampedModel):
    """Disposable e-mail domains refused for unverified signers, beyond the packaged list."""

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("blocked e-mail domain")
        verbose_name_plural = _("blocked e-mail domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
