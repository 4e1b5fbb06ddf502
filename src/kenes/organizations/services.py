"""Every write to organisations, memberships and invitations goes through here."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm

from .models import Invitation, Membership, Organization, Sector
from .tasks import send_invitation_email_task
from .validators import validate_organization

INVITATION_LIFETIME = datetime.timedelta(days=14)

#: Fields organization_create/organization_update accept (besides ``sectors``).
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        *(f"name_{code}" for code, _name in settings.LANGUAGES),
        *(f"description_{code}" for code, _name in settings.LANGUAGES),
        "country",
        "registration_number",
        "territory",
        "supervising_body",
        "website",
        "email",
        "phone",
        "is_sample",
    }
)
_FK_FIELDS = {"territory": "territory_id", "supervising_body": "supervising_body_id"}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _snapshot(organization: Organization, fields: Iterable[str]) -> dict[str, Any]:
    """Field values for the audit log: FKs as ids, an empty translation as ""."""
    values = {field: getattr(organization, _FK_FIELDS.get(field, field)) for field in fields}
    return {k: "" if v is None and k.startswith(("name_", "description_")) else v for k, v in values.items()}


def _sector_codes(sectors: Iterable[Sector]) -> list[str]:
    return sorted(sector.code for sector in sectors)


def _check_fields(changes: dict[str, Any]) -> None:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"cannot set {', '.join(sorted(unknown))} on an organisation")


def _validate_and_save(organization: Organization, update_fields: list[str] | None = None) -> None:
    """Validate, then save. Done in the default language (ru) so that the untranslated ``name``
    column holds the Russian name, or else the first one given (kk, ky, en)."""
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        organization.full_clean()
        validate_organization(organization)
        if update_fields is None:
            organization.save()
        elif update_fields:
            organization.save(update_fields=update_fields)


def organization_create(
    *,
    actor: Any,
    kind: str,
    country: str,
    territory: Any,
    sectors: Iterable[Sector] = (),
    status: str = Organization.Status.OPERATING,
    **fields: Any,
) -> Organization:
    """Create an organisation; ``fields`` are names per language, description, contacts, etc."""
    _check_fields(fields)
    require_perm(actor, "organizations.add_organization")
    with transaction.atomic():
        organization = Organization(kind=kind, country=country, territory=territory, status=status)
        for field, value in fields.items():
            setattr(organization, field, value)
        _validate_and_save(organization)
        organization.sectors.set(list(sectors))
        after = _snapshot(organization, ["kind", "country", "territory", "status", *fields])
        after["sectors"] = _sector_codes(organization.sectors.all())
        audit.record(event="organizations.organization.created", actor=actor, obj=organization, after=after)
    return organization


def organization_update(
    *, actor: Any, organization: Organization, sectors: Iterable[Sector] | None = None, **changes: Any
) -> Organization:
    """Change some fields (and, if given, the sectors); records only what changed."""
    _check_fields(changes)
    require_perm(actor, "organizations.change_organization", organization)
    with transaction.atomic():
        before_all = _snapshot(organization, changes)
        for field, value in changes.items():
            setattr(organization, field, value)
        changed = [f for f in changes if _snapshot(organization, [f])[f] != before_all[f]]
        before = {f: before_all[f] for f in changed}
        after = _snapshot(organization, changed)
        update_fields = [_FK_FIELDS.get(f, f) for f in changed]
        for base in ("name", "description"):  # the untranslated columns follow their translations
            if any(f.startswith(f"{base}_") for f in changed):
                update_fields.append(base)
        _validate_and_save(organization, update_fields + ["updated_at"] if update_fields else [])
        if sectors is not None:
            old_codes = _sector_codes(organization.sectors.all())
            new_sectors = list(sectors)
            if _sector_codes(new_sectors) != old_codes:
                organization.sectors.set(new_sectors)
                before["sectors"], after["sectors"] = old_codes, _sector_codes(new_sectors)
        if before or after:
            audit.record(
                event="organizations.organization.updated",
                actor=actor,
                obj=organization,
                before=before,
                after=after,
            )
    return organization


def organization_set_status(*, actor: Any, organization: Organization, status: str) -> Organization:
    require_perm(actor, "organizations.set_status_organization", organization)
    with transaction.atomic():
        before = organization.status
        organization.status = status
        organization.full_clean()
        if before != status:
            organization.save(update_fields=["status", "updated_at"])
            audit.record(
                event="organizations.organization.status_changed",
                actor=actor,
                obj=organization,
                before={"status": before},
                after={"status": status},
            )
    return organization


# --- Memberships -------------------------------------------------------------------------------


def _other_heads_exist(membership: Membership) -> bool:
    heads = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=Membership.Role.HEAD
    )
    return heads.exclude(pk=membership.pk).exists()


def membership_change_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    require_perm(actor, "organizations.manage_membership", membership.organization)
    with transaction.atomic():
        before = membership.role
        if before == role:
            return membership
        if before == Membership.Role.HEAD and not _other_heads_exist(membership):
            raise ValidationError(
                _("An organisation must keep at least one head. Make someone else head first."),
                code="last_head",
            )
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role", "updated_at"])
        audit.record(
            event="organizations.membership.role_changed",
            actor=actor,
            obj=membership,
            data={"organization_id": membership.organization_id, "user_id": membership.user_id},
            before={"role": before},
            after={"role": role},
        )
    return membership


def membership_remove(*, actor: Any, membership: Membership) -> None:
    """A head (or staff) removes a member, or a member leaves by themself."""
    if not actor.has_perm("organizations.leave_membership", membership):
        require_perm(actor, "organizations.manage_membership", membership.organization)
    with transaction.atomic():
        if membership.role == Membership.Role.HEAD and not _other_heads_exist(membership):
            raise ValidationError(
                _("An organisation must keep at least one head. Make someone else head first."),
                code="last_head",
            )
        audit.record(
            event="organizations.membership.removed",
            actor=actor,
            obj=membership,
            data={"organization_id": membership.organization_id, "user_id": membership.user_id},
            before={"role": membership.role},
        )
        membership.delete()


# --- Invitations -------------------------------------------------------------------------------


def _close_expired_invitations(organization: Organization, email: str) -> None:
    """An expired invitation still counts as open for the DB constraint: close it first."""
    Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__lte=timezone.now(),
    ).update(revoked_at=timezone.now())


def _already_member(organization: Organization, email: str) -> bool:
    return Membership.objects.filter(organization=organization, user__email__iexact=email).exists()


def membership_invite(
    *, actor: Any, organization: Organization, email: str, role: str, base_url: str | None = None
) -> tuple[Invitation, str]:
    """Invite ``email`` to join; returns the invitation and its token (shown or mailed once).

    The e-mail is sent after commit; ``base_url`` (e.g. ``https://kenes.example``) makes the
    link absolute, defaulting to the ``KENES_BASE_URL`` setting.
    """
    require_perm(actor, "organizations.manage_membership", organization)
    email = email.strip().lower()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        if _already_member(organization, email):
            raise ValidationError({"email": _("This person is already a member of the organisation.")})
        _close_expired_invitations(organization, email)
        invitation = Invitation(
            organization=organization,
            email=email,
            role=role,
            token_hash=token_digest(token),
            invited_by=actor,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        invitation.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"email": _("An invitation to this address is already open. Revoke it to send a new one.")},
                code="invitation_open",
            ) from exc
        audit.record(
            event="organizations.invitation.created",
            actor=actor,
            obj=invitation,
            data={"organization_id": organization.pk, "role": role},
        )
        link_base = base_url or getattr(settings, "KENES_BASE_URL", "http://localhost:8000")
        transaction.on_commit(lambda: send_invitation_email_task.delay(invitation.pk, token, link_base))
    return invitation, token


def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    require_perm(actor, "organizations.manage_membership", invitation.organization)
    with transaction.atomic():
        if invitation.accepted_at is not None or invitation.revoked_at is not None:
            raise ValidationError(_("This invitation is already closed."), code="invitation_closed")
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            event="organizations.invitation.revoked",
            actor=actor,
            obj=invitation,
            data={"organization_id": invitation.organization_id},
        )
    return invitation


def _check_can_accept(actor: Any, invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."), code="invitation_accepted")
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation has been withdrawn."), code="invitation_revoked")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask the organisation for a new one."), code="invitation_expired"
        )
    if (actor.email or "").lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Log in with that address to accept it."),
            code="invitation_email_mismatch",
        )
    if Membership.objects.filter(organization_id=invitation.organization_id, user=actor).exists():
        raise ValidationError(_("You are already a member of this organisation."), code="already_member")


def invitation_accept(*, actor: Any, token: str) -> Membership:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organization")
            .filter(token_hash=token_digest(token))
            .first()
        )
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."), code="invitation_unknown")
        require_perm(actor, "organizations.accept_invitation", invitation)
        _check_can_accept(actor, invitation)
        membership = Membership(organization=invitation.organization, user=actor, role=invitation.role)
        membership.full_clean()
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = actor
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit.record(
            event="organizations.invitation.accepted",
            actor=actor,
            obj=invitation,
            data={"organization_id": invitation.organization_id, "membership_id": membership.pk},
        )
        audit.record(
            event="organizations.membership.created",
            actor=actor,
            obj=membership,
            data={"organization_id": invitation.organization_id, "user_id": actor.pk},
            after={"role": membership.role},
        )
    return membership


def invitation_email_send(*, invitation_id: int, token: str, base_url: str) -> bool:
    """Mail the invitation in the invitee's language (or the inviter's); False if it is no longer open."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_open:
        return False
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    language = (invitee or invitation.invited_by).language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "organization": invitation.organization,
            "role": invitation.get_role_display(),
            "inviter": invitation.invited_by.public_name,
            "link": base_url.rstrip("/") + reverse("organizations:invitation_accept", args=[token]),
        }
        subject = " ".join(render_to_string("organizations/email/invitation_subject.txt", context).split())
        body = render_to_string("organizations/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True
