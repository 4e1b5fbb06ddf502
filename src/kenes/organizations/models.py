from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel
from kenes.territories.models import Country


class Sector(models.Model):
    """An activity sector, as used in Kazakhstan's NGO database."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """An area of public affairs (roads, housing, health …) that petitions and appeals are about;
    appeal routing rules map a territory and a topic to the competent body."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def operating(self) -> "OrganizationQuerySet":
        return self.filter(status=Organization.Status.OPERATING)

    def state(self) -> "OrganizationQuerySet":
        return self.filter(kind__in=Organization.STATE_KINDS)


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        STATE_BODY = "state_body", _("State body")
        LOCAL_EXECUTIVE = "local_executive", _("Local executive body (akimat, mayor's office)")
        LOCAL_REPRESENTATIVE = "local_representative", _("Local representative body (maslikhat, kenesh)")
        LOCAL_SELF_GOVERNMENT = "local_self_government", _("Local self-government body")
        NGO = "ngo", _("Non-governmental organisation")
        PUBLIC_COUNCIL = "public_council", _("Public council")
        INITIATIVE_GROUP = "initiative_group", _("Initiative group")
        JAMAAT = "jamaat", _("Jamaat or local community council")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        NON_OPERATING = "non_operating", _("Non-operating")
        LIQUIDATED = "liquidated", _("Liquidated")

    STATE_KINDS = frozenset(
        {Kind.STATE_BODY, Kind.LOCAL_EXECUTIVE, Kind.LOCAL_REPRESENTATIVE, Kind.LOCAL_SELF_GOVERNMENT}
    )

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    registration_number = models.CharField(
        _("BIN / INN"),
        max_length=14,
        blank=True,
        help_text=_("Kazakhstan: 12-digit BIN. Kyrgyzstan: 14-digit INN."),
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="organizations"
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPERATING, db_index=True
    )
    supervising_body = models.ForeignKey(
        "self",
        verbose_name=_("supervising body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demo data, not a real organisation.")
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                condition=~models.Q(registration_number=""),
                name="organizations_unique_registration_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(supervising_body=models.F("pk")),
                name="organizations_not_own_supervisor",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_state(self) -> bool:
        return self.kind in self.STATE_KINDS


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        OFFICER = "officer", _("Officer")
        MODERATOR = "moderator", _("Moderator")
        HEAD = "head", _("Head")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="organizations_unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


class Invitation(TimeStampedModel):
    """An invitation to join an organisation. Only a digest of the token is stored."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(_("token digest"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="organizations_one_open_invitation",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
