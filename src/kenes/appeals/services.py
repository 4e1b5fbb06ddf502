"""Every write of appeals (the interface in docs/appeals.md).

Submission routes the appeal, gives it the next registration number (a locked row per country and
year: no gaps, no repeats), stores its attachments, opens the hearing loop's obligation of kind
``appeal`` and acknowledges it, in one transaction. What follows — redirection, extension, the
reasoned response, the rating and the contest — goes through ``kenes.obligations.services``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm
from kenes.obligations import services as obligations
from kenes.obligations.models import Kind, Obligation
from kenes.obligations.uploads import check_uploads
from kenes.organizations.models import Membership, Organization
from kenes.organizations.models import Topic as TopicModel
from kenes.territories.models import Territory

from . import selectors
from .models import Appeal, AppealAttachment, Cosigner, NumberSequence, RoutingRule

EMAIL_TEMPLATES = "appeals/email/"
NUMBER_FORMAT = "{country}-{year}-{number:06d}"


def _notify(people: Sequence[Any], name: str, appeal: Appeal, dedupe_key: str | None, **context: Any) -> None:
    from kenes.notifications.services import notify

    notify(
        recipients=[p for p in people if p is not None],
        event=f"appeals.{name}",
        template=f"{EMAIL_TEMPLATES}{name}",
        context={"appeal": appeal, **context},
        subject=appeal,
        url=appeal.get_absolute_url(),
        dedupe_key=dedupe_key,
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- numbering ---------------------------------------------------------------------------------


def next_number(country: str, year: int) -> str:
    """The next registration number of ``country`` in ``year``; call inside the submitting
    transaction: the sequence row stays locked until it commits, and a rollback gives the number back."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(country=country, year=year)
    except IntegrityError:  # a parallel submission created the row first; it exists now
        pass
    sequence = NumberSequence.objects.select_for_update().get(country=country, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return NUMBER_FORMAT.format(country=country, year=year, number=sequence.last)


# --- submission --------------------------------------------------------------------------------


def _check_addressee(addressee: Organization, territory: Territory) -> None:
    if not addressee.is_state or addressee.status != Organization.Status.OPERATING:
        raise ValidationError(
            {"addressee": _("Appeals can be sent only to an operating state body.")}, code="not_a_body"
        )
    if addressee.country != territory.country:
        raise ValidationError(
            {"addressee": _("The body must be in the same country as the territory of the appeal.")},
            code="other_country",
        )


def _check_on_behalf_of(actor: Any, organization: Organization | None) -> None:
    if (
        organization is not None
        and not Membership.objects.filter(organization=organization, user=actor).exists()
    ):
        raise ValidationError(
            {"on_behalf_of": _("You can write on behalf of an organisation only if you are its member.")},
            code="not_member",
        )


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def appeal_submit(
    *,
    actor: Any,
    kind: str,
    addressee: Organization | None = None,
    territory: Territory,
    topic: TopicModel,
    subject: str,
    text: str,
    language: str,
    on_behalf_of: Organization | None = None,
    is_collective: bool = False,
    is_public: bool = False,
    attachments: Sequence[Any] = (),
) -> Appeal:
    """Submit an appeal: route it (a chosen ``addressee`` wins over the routing rules), number it,
    store the attachments, open its obligation with the legal deadline and acknowledge it.
    Private unless ``is_public`` (then published anonymised at once)."""
    require_perm(actor, "appeals.submit_appeal")
    if kind not in Appeal.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of appeal.")}, code="kind")
    if language not in _languages():
        raise ValidationError({"language": _("Choose a language.")}, code="language")
    rule = None
    if addressee is not None:
        _check_addressee(addressee, territory)
        body = addressee
    else:
        rule = selectors.route(territory=territory, topic=topic)
        if rule is None:
            raise ValidationError(
                {
                    "addressee": _(
                        "No body is set to receive appeals on this topic in this territory: "
                        "choose the body yourself."
                    )
                },
                code="no_route",
            )
        body = rule.organization
    _check_on_behalf_of(actor, on_behalf_of)
    checked = check_uploads(list(attachments))
    now = timezone.now()
    appeal = Appeal(
        number="-",
        country=territory.country,
        kind=kind,
        author=actor,
        on_behalf_of=on_behalf_of,
        is_collective=bool(is_collective),
        addressee=body,
        routed_by=rule,
        territory=territory,
        topic=topic,
        subject=(subject or "").strip(),
        text=(text or "").strip(),
        language=language,
        is_public=bool(is_public),
        published_at=now if is_public else None,
    )
    appeal.full_clean(exclude=["number"], validate_unique=False)
    with transaction.atomic():
        appeal.number = next_number(appeal.country, timezone.localdate(now).year)
        appeal.save()
        for upload in checked:
            attachment = AppealAttachment(
                appeal=appeal, name=upload.name, size=upload.size, content_type=upload.content_type
            )
            attachment.file.save(upload.name, upload.file, save=False)
            attachment.save()
        audit.record(
            event="appeals.appeal.submitted",
            actor=actor,
            obj=appeal,
            data={
                "number": appeal.number,
                "kind": kind,
                "organization": body.pk,
                "routed_by": rule.pk if rule is not None else None,
                "territory": territory.pk,
                "topic": topic.pk,
                "collective": appeal.is_collective,
                "public": appeal.is_public,
                "attachments": len(checked),
            },
        )
        obligation = obligations.obligation_open(
            actor=actor,
            subject=appeal,
            organization=body,
            kind=Kind.APPEAL,
            title=f"{appeal.number}: {appeal.subject}",
            author=actor,
            is_private=not appeal.is_public,
        )
        _notify(
            [actor],
            "acknowledged",
            appeal,
            f"appeals-acknowledged:{appeal.pk}",
            obligation=obligation,
            organization=body,
        )
    return appeal


# --- publication -------------------------------------------------------------------------------


def _set_public(actor: Any, appeal: Appeal, public: bool) -> Appeal:
    require_perm(actor, "appeals.publish_appeal", appeal)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.is_public == public:
            return appeal
        appeal.is_public = public
        appeal.published_at = timezone.now() if public else None
        appeal.full_clean(validate_unique=False)
        appeal.save(update_fields=["is_public", "published_at", "updated_at"])
        # The hearing loop's obligations follow: their pages, timeline and followers' notices.
        changed = obligations.obligations_set_private(subject=appeal, private=not public)
        audit.record(
            event="appeals.appeal.published" if public else "appeals.appeal.unpublished",
            actor=actor,
            obj=appeal,
            data={"obligations": changed},
        )
    return appeal


def appeal_publish(*, actor: Any, appeal: Appeal) -> Appeal:
    """The author publishes the appeal anonymised: anyone may read its text and the response,
    never the author's name or the attachments."""
    return _set_public(actor, appeal, True)


def appeal_unpublish(*, actor: Any, appeal: Appeal) -> Appeal:
    """The author makes the appeal private again."""
    return _set_public(actor, appeal, False)


# --- co-signing --------------------------------------------------------------------------------


def appeal_cosign_link(*, actor: Any, appeal: Appeal) -> str:
    """A new co-signing token for a collective appeal (the previous one stops working). Only its
    digest is stored: show the link to the author now, it cannot be shown again."""
    require_perm(actor, "appeals.change_appeal", appeal)
    if not appeal.is_collective:
        raise ValidationError(_("Only a collective appeal can be co-signed."), code="not_collective")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        appeal.cosign_token_hash = token_digest(token)
        appeal.save(update_fields=["cosign_token_hash", "updated_at"])
        audit.record(event="appeals.appeal.cosign_link_created", actor=actor, obj=appeal)
    return token


def check_cosign_token(appeal: Appeal, token: str) -> None:
    """ValidationError unless ``token`` is the appeal's current co-signing token."""
    valid = bool(appeal.cosign_token_hash) and hmac.compare_digest(
        appeal.cosign_token_hash, token_digest(token or "")
    )
    if not valid:
        raise ValidationError(
            _("This co-signing link is not valid: ask the author for a new one."), code="bad_token"
        )


def appeal_cosign(*, actor: Any, appeal: Appeal, token: str) -> Cosigner:
    """Join a collective appeal with the author's link; once per person, while it awaits an answer."""
    require_perm(actor, "appeals.cosign_appeal", appeal)
    check_cosign_token(appeal, token)
    if not Obligation.objects.live().for_subject(appeal).filter(kind=Kind.APPEAL).exists():
        raise ValidationError(
            _("This appeal is no longer awaiting an answer: it can no longer be co-signed."), code="closed"
        )
    with transaction.atomic():
        cosigner = Cosigner(appeal=appeal, user=actor)
        try:
            with transaction.atomic():
                cosigner.save()
        except IntegrityError as error:
            raise ValidationError(_("You have already co-signed this appeal."), code="cosigned") from error
        audit.record(event="appeals.cosigner.created", actor=actor, obj=cosigner, data={"appeal": appeal.pk})
    return cosigner


# --- routing rules (maintained by administrators) ---------------------------------------------------


def check_routing_rule(rule: RoutingRule) -> None:
    """ValidationError when the rule's territory or body is not of the rule's country, or the body
    is not a state body."""
    errors: dict[str, str] = {}
    if rule.territory is not None and rule.territory.country != rule.country:
        errors["territory"] = _("The territory must be in the rule's country.")
    if rule.organization_id is not None:
        if rule.organization.country != rule.country:
            errors["organization"] = _("The body must be in the rule's country.")
        elif not rule.organization.is_state:
            errors["organization"] = _("Appeals can be routed only to a state body.")
    if errors:
        raise ValidationError(errors, code="routing_rule")


def routing_rule_save(*, actor: Any, rule: RoutingRule) -> RoutingRule:
    """Create or change a routing rule (administrators)."""
    creating = rule.pk is None
    require_perm(actor, "appeals.add_routingrule" if creating else "appeals.change_routingrule")
    check_routing_rule(rule)
    rule.full_clean()
    with transaction.atomic():
        if creating:
            rule.save()
        else:
            rule.save(update_fields=["country", "territory", "topic", "organization", "note", "updated_at"])
        audit.record(
            event="appeals.routingrule.created" if creating else "appeals.routingrule.changed",
            actor=actor,
            obj=rule,
            data={
                "country": rule.country,
                "territory": rule.territory_id,
                "topic": rule.topic_id,
                "organization": rule.organization_id,
            },
        )
    return rule


def routing_rule_delete(*, actor: Any, rule: RoutingRule) -> None:
    require_perm(actor, "appeals.delete_routingrule")
    with transaction.atomic():
        audit.record(
            event="appeals.routingrule.deleted",
            actor=actor,
            obj=rule,
            data={"country": rule.country, "territory": rule.territory_id, "topic": rule.topic_id},
        )
        rule.delete()
