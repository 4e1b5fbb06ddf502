"""Every write to accounts goes through here (house style §2). See docs/accounts.md."""

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.formats import iso_or_none
from kenes.common.identifiers import is_valid_kz_iin_bin
from kenes.common.permissions import require_perm
from kenes.territories.models import Territory

from . import exports
from .models import ApiToken, Demographics, IdentityVerification, User, VerificationLevel
from .verification import VerificationProvider, get_provider

# Bump when the consent text on the demographics page changes; the version each person agreed
# to is stored with their answers.
CONSENT_VERSION = "2026-1"
TOKEN_PREFIX = "kns_"
TOKEN_MAX_DAYS = 365
DELETED_EMAIL_DOMAIN = "deleted.invalid"


# --- Profile ---------------------------------------------------------------------------------


@transaction.atomic
def user_update_profile(
    *, actor: User, user: User, display_name: str, language: str, home_territory: Territory | None
) -> User:
    require_perm(actor, "accounts.change_user", user)
    fields = ["display_name", "language", "home_territory"]
    before = {
        "display_name": user.display_name,
        "language": user.language,
        "home_territory": user.home_territory_id,
    }
    user.display_name = display_name.strip()
    user.language = language
    user.home_territory = home_territory
    user.full_clean(exclude=["password"])
    user.save(update_fields=fields)
    after = {
        "display_name": user.display_name,
        "language": user.language,
        "home_territory": user.home_territory_id,
    }
    audit.record(event="accounts.user.updated", actor=actor, obj=user, before=before, after=after)
    return user


# --- Demographics ------------------------------------------------------------------------------


@transaction.atomic
def demographics_set(
    *,
    actor: User,
    user: User,
    birth_year: int | None,
    gender: str,
    education: str,
    settlement: str,
    consent: bool,
) -> Demographics:
    """Store the optional facts a person chose to give. Refused without their consent."""
    require_perm(actor, "accounts.change_user", user)
    if not consent:
        raise ValidationError({"consent": _("We can only store these answers with your consent.")})
    demographics = Demographics.objects.filter(user=user).first() or Demographics(user=user)
    demographics.birth_year = birth_year
    demographics.gender = gender
    demographics.education = education
    demographics.settlement = settlement
    demographics.consent_given_at = timezone.now()
    demographics.consent_version = CONSENT_VERSION
    demographics.full_clean(exclude=["user"])
    demographics.save()
    # The answers themselves are personal data: the log records only that consent was given.
    audit.record(
        event="accounts.demographics.set",
        actor=actor,
        obj=demographics,
        data={"consent_version": CONSENT_VERSION},
    )
    return demographics


@transaction.atomic
def demographics_remove(*, actor: User, user: User) -> None:
    require_perm(actor, "accounts.change_user", user)
    demographics = Demographics.objects.filter(user=user).first()
    if demographics is None:
        return
    audit.record(event="accounts.demographics.removed", actor=actor, obj=demographics)
    demographics.delete()


# --- Export and deletion -------------------------------------------------------------------------


def _profile_data(user: User) -> dict[str, Any]:
    territory = user.home_territory
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "home_territory": {"code": territory.code, "name": territory.name} if territory else None,
        "verification_level": user.verification_level,
        "date_joined": iso_or_none(user.date_joined),
        "last_login": iso_or_none(user.last_login),
    }


def _demographics_data(user: User) -> dict[str, Any] | None:
    d = Demographics.objects.filter(user=user).first()
    if d is None:
        return None
    return {
        "birth_year": d.birth_year,
        "gender": d.gender,
        "education": d.education,
        "settlement": d.settlement,
        "consent_given_at": iso_or_none(d.consent_given_at),
        "consent_version": d.consent_version,
    }


def _account_data(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "verifications": [
            {
                "provider": v.provider,
                "level": v.level,
                "verified_at": iso_or_none(v.verified_at),
                "note": v.note,
            }
            | {"revoked_at": iso_or_none(v.revoked_at)}
            for v in IdentityVerification.objects.filter(user=user).order_by("verified_at")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": iso_or_none(t.created_at),
                "last_used_at": iso_or_none(t.last_used_at),
                "expires_at": iso_or_none(t.expires_at),
                "revoked_at": iso_or_none(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user).order_by("created_at")
        ],
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "second_factors": [
            {
                "type": a.type,
                "created_at": iso_or_none(a.created_at),
                "last_used_at": iso_or_none(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }


@transaction.atomic
def user_export_data(*, actor: User, user: User) -> dict[str, Any]:
    """Everything Kenes holds about ``user``, JSON-ready (no password, token or identity digests)."""
    require_perm(actor, "accounts.change_user", user)
    data: dict[str, Any] = {
        "format": "kenes-account-export/1",
        "exported_at": timezone.now().isoformat(),
        "profile": _profile_data(user),
        "demographics": _demographics_data(user),
        **_account_data(user),
        "apps": {key: fn(user) for key, fn in sorted(exports.exporters().items())},
    }
    audit.record(event="accounts.user.exported", actor=actor, obj=user)
    return data


@transaction.atomic
def user_delete(*, actor: User, user: User) -> User:
    """Erase the person but keep the row, so that public contributions stay attributed to
    "deleted user". Identity verifications are unlinked but keep their digest: the same national
    identity number cannot verify another account (see docs/accounts.md)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    require_perm(actor, "accounts.change_user", user)
    Demographics.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    IdentityVerification.objects.filter(user=user).update(user=None, note="")
    for eraser in exports.erasers():
        eraser(user)
    user.email = f"deleted-{user.pk}@{DELETED_EMAIL_DOMAIN}"
    user.display_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.home_territory = None
    user.verification_level = VerificationLevel.EMAIL
    user.deleted_at = timezone.now()
    user.save(
        update_fields=[
            "email",
            "display_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "home_territory",
            "verification_level",
            "deleted_at",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
    audit.record(
        event="accounts.user.deleted",
        actor=actor,
        obj=user,
        data={"erasers": [f"{fn.__module__}.{getattr(fn, '__qualname__', '')}" for fn in exports.erasers()]},
    )
    return user


# --- Verification -------------------------------------------------------------------------------


def _kg_pin_is_valid(number: str) -> bool:
    """Kyrgyzstan's 14-digit personal identification number: sex digit (1 or 2), birth date
    DDMMYYYY, then a 5-digit serial."""
    if number[0] not in "12":
        return False
    try:
        datetime.date(int(number[5:9]), int(number[3:5]), int(number[1:3]))
    except ValueError:
        return False
    return True


def normalise_identity_number(raw: str) -> str:
    """Digits only; raises ValidationError unless a valid KZ IIN (12) or KG PIN (14)."""
    number = "".join(raw.split()).replace("-", "")
    if not number.isascii() or not number.isdigit():
        raise ValidationError({"identity_number": _("An identity number has only digits.")})
    if len(number) == 12 and is_valid_kz_iin_bin(number):
        return number
    if len(number) == 14 and _kg_pin_is_valid(number):
        return number
    raise ValidationError(
        {"identity_number": _("Enter a valid Kazakhstan IIN (12 digits) or Kyrgyzstan PIN (14 digits).")}
    )


def identity_hash(number: str) -> str:
    """A keyed digest (HMAC-SHA256 with KENES_IDENTITY_HASH_KEY): the number itself is never stored."""
    key = settings.KENES_IDENTITY_HASH_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def _save_verification(verification: IdentityVerification) -> None:
    verification.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            verification.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"identity_number": _("This identity number has already verified another account.")}
        ) from exc


@transaction.atomic
def identity_verification_record(
    *,
    actor: User | None,
    user: User,
    provider: VerificationProvider,
    identity_number: str | None,
    note: str = "",
) -> IdentityVerification:
    """Record that ``provider`` verified ``user``. The permission is the caller's business:
    ``user_verify_identity`` for staff; a self-service provider's view after its own checks."""
    if user.deleted_at is not None or not user.is_active:
        raise ValidationError(_("This account is closed."))
    digest = identity_hash(normalise_identity_number(identity_number)) if identity_number else None
    if (
        digest
        and IdentityVerification.objects.filter(
            identity_hash=digest, revoked_at__isnull=True, user=user
        ).exists()
    ):
        raise ValidationError(
            {"identity_number": _("This identity number has already verified this account.")}
        )
    verification = IdentityVerification(
        user=user,
        level=provider.level,
        provider=provider.key,
        identity_hash=digest,
        verified_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note.strip(),
    )
    _save_verification(verification)
    audit.record(
        event="accounts.identityverification.created",
        actor=actor,
        obj=verification,
        data={
            "user": user.pk,
            "provider": provider.key,
            "level": provider.level,
            "with_number": bool(digest),
        },
    )
    user_recompute_verification_level(user=user)
    return verification


def user_verify_identity(
    *, actor: User, user: User, provider_key: str, identity_number: str | None, note: str = ""
) -> IdentityVerification:
    """A staff member verifies a person (e.g. after seeing their identity document)."""
    require_perm(actor, "accounts.verify_identity", user)
    try:
        provider = get_provider(provider_key)
    except KeyError:
        raise ValidationError({"provider": _("Unknown verification provider.")}) from None
    if not provider.staff_assisted:
        raise ValidationError({"provider": _("This provider cannot be used by staff.")})
    return identity_verification_record(
        actor=actor, user=user, provider=provider, identity_number=identity_number, note=note
    )


@transaction.atomic
def user_revoke_verification(*, actor: User, verification: IdentityVerification) -> IdentityVerification:
    require_perm(actor, "accounts.verify_identity", verification.user)
    if verification.revoked_at is not None:
        return verification
    verification.revoked_at = timezone.now()
    verification.save(update_fields=["revoked_at", "updated_at"])
    audit.record(event="accounts.identityverification.revoked", actor=actor, obj=verification)
    if verification.user is not None:
        user_recompute_verification_level(user=verification.user)
    return verification


@transaction.atomic
def user_recompute_verification_level(*, user: User) -> int:
    """2 with an active identity verification, else 1 with a second factor (TOTP), else 0.
    Called after verifications change and from the allauth MFA signals."""
    from allauth.mfa.models import Authenticator

    level = VerificationLevel.EMAIL
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        level = VerificationLevel.SECOND_FACTOR
    best = (
        IdentityVerification.objects.filter(user=user, revoked_at__isnull=True)
        .order_by("-level")
        .values_list("level", flat=True)
        .first()
    )
    if best is not None and best > level:
        level = VerificationLevel(best)
    if user.verification_level != level:
        before = user.verification_level
        user.verification_level = level
        user.save(update_fields=["verification_level"])
        audit.record(
            event="accounts.user.level_changed",
            obj=user,
            before={"verification_level": before},
            after={"verification_level": int(level)},
            actor_label="system",
        )
    return int(level)


# --- API tokens ----------------------------------------------------------------------------------


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_in_days: int | None) -> tuple[ApiToken, str]:
    """A personal token for ``actor``. Returns the token and its key, which is shown once:
    only its SHA-256 digest is stored."""
    require_perm(actor, "accounts.change_user", actor)
    if expires_in_days is not None and not 1 <= expires_in_days <= TOKEN_MAX_DAYS:
        raise ValidationError(
            {"expires_in_days": _("A token lasts from 1 to %(max)s days.") % {"max": TOKEN_MAX_DAYS}}
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor,
        name=name.strip(),
        prefix=key[:12],
        key_hash=token_digest(key),
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    token.full_clean()
    token.save()
    audit.record(event="accounts.apitoken.created", actor=actor, obj=token, data={"prefix": token.prefix})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    require_perm(actor, "accounts.change_user", token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(event="accounts.apitoken.revoked", actor=actor, obj=token, data={"prefix": token.prefix})
    return token
