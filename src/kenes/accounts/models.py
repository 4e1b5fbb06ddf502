from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel


def default_language() -> str:
    """The site's default language when the person has not chosen one."""
    return settings.LANGUAGE_CODE


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class VerificationLevel(models.IntegerChoices):
    EMAIL = 0, _("E-mail confirmed")
    SECOND_FACTOR = 1, _("Second factor or phone")
    IDENTITY = 2, _("Identity verified")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login; nothing else identifies them publicly."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=default_language
    )
    home_territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("home territory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_level = models.PositiveSmallIntegerField(
        _("verification level"), choices=VerificationLevel.choices, default=VerificationLevel.EMAIL
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def public_name(self) -> str:
        """What others see: never the e-mail address."""
        if self.deleted_at is not None:
            return str(_("deleted user"))
        return self.display_name or str(_("Participant #%(id)s") % {"id": self.pk})


class Demographics(TimeStampedModel):
    """Optional facts a person chose to give, with their recorded consent (juries, statistics)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary or none")
        SECONDARY = "secondary", _("Secondary")
        VOCATIONAL = "vocational", _("Vocational")
        HIGHER = "higher", _("Higher")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    class Settlement(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="demographics")
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    settlement = models.CharField(_("urban or rural"), max_length=10, choices=Settlement.choices, blank=True)
    consent_given_at = models.DateTimeField(_("consent given"))
    consent_version = models.CharField(_("consent text version"), max_length=20)

    class Meta:
        verbose_name = _("demographics")
        verbose_name_plural = _("demographics")


class IdentityVerification(TimeStampedModel):
    """Who verified whom, how and when. Kept (without the person) after account deletion so
    that one national identity number cannot verify a second account."""

    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verifications",
        verbose_name=_("user"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=VerificationLevel.choices)
    provider = models.CharField(_("provider"), max_length=100)
    # NULL when no number was given; NULLs do not collide in the unique constraint below.
    identity_hash = models.CharField(  # noqa: DJ001
        _("identity number digest"), max_length=64, null=True, blank=True
    )
    verified_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")
        constraints = [
            models.UniqueConstraint(
                fields=["identity_hash"],
                condition=models.Q(identity_hash__isnull=False, revoked_at__isnull=True),
                name="accounts_identity_hash_unique_active",
            ),
        ]


class ApiToken(TimeStampedModel):
    """A personal API token. Only a digest is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
