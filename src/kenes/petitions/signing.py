"""Signing petitions: the hot path (docs/petitions.md, "Signing and the benchmark").

A signature by a verified person (level 1 and above) is one statement on PostgreSQL that inserts the
signature, if the petition is still open at the database's clock, and its audit event; nothing else
writes: no lock, no read-modify-write, no UPDATE of the petition row (the counts are folded in later
by the counting job). Everything else a signature needs is read before, from the request (the
person), from per-process caches (the open petition for two seconds, the rate limits, the blocked
e-mail domains, the signer's region) and from one Redis round trip (the rate-limit counters).

- Duplicates are refused by the database (the partial unique constraints on the person and on the
  canonical e-mail address); the ``IntegrityError`` becomes a translated ``ValidationError``.
- Stamps are the database's clock (``Now()``), which the counting window is defined on.
- Over a rate limit a signature is stored *held back* (``flagged_at``) with the same reply, and does
  not count until a moderator clears it (``signature_clear``).
- An unverified (level 0) signer's signature is pending until they open the link e-mailed to them;
  only the SHA-256 digest of the link's token is stored with the signature.

Audit events (subject: the petition; no personal data): ``petitions.signature.confirmed`` when a
signature starts to count, ``petitions.signature.created`` for a pending one,
``petitions.signature.flagged`` for a held-back one, ``petitions.signature.withdrawn``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Now, StrIndex, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.audit.models import Event
from kenes.common import counters
from kenes.common.localcache import LocalCache
from kenes.common.permissions import require_perm
from kenes.territories.models import Territory

from .models import BlockedEmailDomain, Petition, Signature, SigningLimit

CONFIRMED_EVENT = "petitions.signature.confirmed"
CREATED_EVENT = "petitions.signature.created"
FLAGGED_EVENT = "petitions.signature.flagged"
WITHDRAWN_EVENT = "petitions.signature.withdrawn"

CONFIRM_TEMPLATE = "petitions/email/confirm_signature"
#: How long each server process keeps the rate limits, the blocked domains and an open petition
#: (administrators' changes apply after at most this long; whether a petition is still open is
#: decided again by the database in the signature's INSERT on PostgreSQL).
LIMITS_CACHE_SECONDS = 30
DOMAINS_CACHE_SECONDS = 60
REGION_CACHE_SECONDS = 60 * 60
PETITION_CACHE_SECONDS = 2
COUNTER_KEY = "petitions:sign:{scope}:{window}:{who}"
#: Signature ids a server process takes from the sequence at a time (PostgreSQL): the id goes
#: into the audit event's hashed data, so it is known before the one-statement INSERT.
ID_BLOCK = 64

_limits_cache: LocalCache[list[tuple[str, int, int]]] = LocalCache(LIMITS_CACHE_SECONDS)
_domains_cache: LocalCache[frozenset[str]] = LocalCache(DOMAINS_CACHE_SECONDS)
_regions_cache: LocalCache[int | None] = LocalCache(REGION_CACHE_SECONDS)
_petitions_cache: LocalCache[Petition | None] = LocalCache(PETITION_CACHE_SECONDS, max_entries=1_000)

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


@dataclass(frozen=True)
class SignResult:
    signature: Signature
    needs_confirmation: bool


# --- e-mail addresses --------------------------------------------------------------------------------


def canonical_email(email: str) -> str:
    """One spelling per mailbox: lower case, no ``+tag``; at Gmail also no dots, and
    ``googlemail.com`` is ``gmail.com``. ``A.B+x@GMail.com`` and ``ab@gmail.com`` are one person."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at:
        return email.strip().lower()
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def _blocked_domains() -> frozenset[str]:
    return _domains_cache.get_or_set(
        "domains",
        lambda: frozenset(d.lower() for d in BlockedEmailDomain.objects.values_list("domain", flat=True)),
    )


def is_disposable_email(email: str) -> bool:
    """Whether the address is at a throw-away domain (or a subdomain of one): the packaged
    ``disposable_email_domains`` list plus the administrators' ``BlockedEmailDomain`` rows."""
    from disposable_email_domains import blocklist

    domain = email.strip().lower().rpartition("@")[2].rstrip(".")
    if not domain:
        return False
    labels = domain.split(".")
    candidates = {".".join(labels[i:]) for i in range(len(labels) - 1)} or {domain}
    if candidates & blocklist:
        return True
    return bool(candidates & _blocked_domains())


# --- selectors ---------------------------------------------------------------------------------------


def signature_for(user: Any, petition: Petition) -> Signature | None:
    """The person's live (not withdrawn) signature of the petition, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Signature.objects.filter(
        petition_id=petition.pk, user_id=user.pk, withdrawn_at__isnull=True
    ).first()


def region_of(user: Any) -> int | None:
    """The id of the top-level territory (region, city of republican significance) above the
    person's home territory, or None without one. Territories do not move, so each server process
    keeps the answer per home territory: on the hot path it is a dict read, at worst one query."""
    home_id = getattr(user, "home_territory_id", None)
    if home_id is None:
        return None
    return _regions_cache.get_or_set(home_id, lambda: _region_of_territory(home_id))


def _region_of_territory(home_id: int) -> int | None:
    # "/71/711/7111/" → "/71/": up to the second slash, in the database.
    roots = Territory.objects.filter(pk=home_id).annotate(
        root=Substr("path", 1, StrIndex(Substr("path", 2), Value("/")) + 1)
    )
    return Territory.objects.filter(path__in=roots.values("root")).values_list("pk", flat=True).first()


def petition_to_sign(petition_id: int) -> Petition | None:
    """The public petition to sign through the API, or None. On PostgreSQL each server process
    keeps it for ``PETITION_CACHE_SECONDS``: the INSERT of a signature checks in the same statement
    that the petition is still open, so a petition closed or hidden a moment ago is not signed."""

    def load() -> Petition | None:
        return Petition.objects.public().filter(pk=petition_id).first()

    if connection.vendor != "postgresql":
        return load()
    return _petitions_cache.get_or_set(petition_id, load)


# --- rate limits -------------------------------------------------------------------------------------


def _limits() -> list[tuple[str, int, int]]:
    return _limits_cache.get_or_set(
        "limits",
        lambda: list(
            SigningLimit.objects.filter(is_active=True)
            .order_by("scope", "window_seconds")
            .values_list("scope", "max_signatures", "window_seconds")
        ),
    )


def over_limit(user_id: int, ip_address: str | None) -> str:
    """Count this signature against every active limit (one round trip to Redis for all of them);
    the first limit exceeded, as a reason ("account: more than 10 in 60 s"), or "" when within
    all of them."""
    checked: list[tuple[str, int, int]] = []
    keys: list[tuple[str, int]] = []
    for scope, most, window in _limits():
        who = str(user_id) if scope == SigningLimit.Scope.ACCOUNT else ip_address
        if not who:
            continue
        checked.append((scope, most, window))
        keys.append((COUNTER_KEY.format(scope=scope, window=window, who=who), window))
    for (scope, most, window), count in zip(checked, counters.hit(keys), strict=True):
        if count > most:
            return f"{scope}: more than {most} in {window} s"
    return ""


# --- writes ------------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_open(petition: Petition) -> None:
    if (
        petition.state != Petition.State.OPEN
        or petition.is_hidden
        or (petition.closes_at is not None and petition.closes_at <= timezone.now())
    ):
        raise ValidationError(_("This petition is not open for signatures."), code="closed")


def _duplicate() -> ValidationError:
    return ValidationError(_("You have already signed this petition."), code="duplicate")


def _is_duplicate(petition: Petition, user_id: int, email: str) -> bool:
    return Signature.objects.filter(
        Q(user_id=user_id) | Q(email_canonical=email), petition_id=petition.pk, withdrawn_at__isnull=True
    ).exists()


def _send_confirmation(actor: Any, petition: Petition, token: str) -> None:
    from kenes.notifications.services import notify

    notify(
        recipients=[actor],
        event="petitions.signature.confirm",
        template=CONFIRM_TEMPLATE,
        context={"petition": petition},
        subject=petition,
        url=reverse("petitions:signature_confirm", args=[token]),
    )


def signature_create(
    *, actor: Any, petition: Petition, show_name: bool = False, ip_address: str | None = None
) -> SignResult:
    """Sign ``petition`` as ``actor``. Refuses with a translated ``ValidationError``: the petition is
    not open (code ``closed``), the person's verification level is too low (``verification``), an
    unverified person's address is at a throw-away domain (``disposable``), or they already hold a
    live signature (``duplicate``). Over a rate limit the signature is held back, with the same
    reply. An unverified (level 0) person gets an e-mail with a confirmation link."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("petitions.sign_petition")
    _require_open(petition)
    level = int(actor.verification_level)
    if level < int(petition.min_verification_level):
        raise ValidationError(
            _("Signing this petition needs a higher verification level than your account has."),
            code="verification",
        )
    require_perm(actor, "petitions.sign_petition", petition)
    email = canonical_email(actor.email)
    pending = level == 0
    if pending and is_disposable_email(email):
        raise ValidationError(
            _("Addresses at throw-away e-mail services cannot sign. Use your usual address."),
            code="disposable",
        )
    flag_reason = over_limit(actor.pk, ip_address)
    token = secrets.token_urlsafe(32) if pending and not flag_reason else ""
    values = {
        "petition_id": petition.pk,
        "user_id": actor.pk,
        "email_canonical": email,
        "region_id": region_of(actor),
        "show_name": bool(show_name),
        "ip_address": ip_address or None,
        "confirm_token_hash": _digest(token) if token else "",
        "flag_reason": flag_reason[:100],
    }
    counted = not (pending or flag_reason)
    event = FLAGGED_EVENT if flag_reason else CREATED_EVENT if pending else CONFIRMED_EVENT
    insert = _insert_one_statement if connection.vendor == "postgresql" else _insert_orm
    try:
        # The confirmation e-mail is queued in the signature's transaction: no signature without it.
        with transaction.atomic() if token else contextlib.nullcontext():
            signature = insert(
                actor=actor,
                petition=petition,
                values=values,
                counted=counted,
                flagged=bool(flag_reason),
                event=event,
            )
            if signature is not None and token:
                _send_confirmation(actor, petition, token)
    except IntegrityError:
        if _is_duplicate(petition, actor.pk, email):
            raise _duplicate() from None
        raise
    if signature is None:  # the database found the petition closed (or hidden) a moment ago
        _petitions_cache.forget(petition.pk)
        raise ValidationError(_("This petition is not open for signatures."), code="closed")
    return SignResult(signature=signature, needs_confirmation=pending)


def _event_data(signature_id: int, flag_reason: str) -> dict[str, Any]:
    data: dict[str, Any] = {"signature": signature_id}
    if flag_reason:
        data["reason"] = flag_reason
    return data


def _unloaded_stamps(signature: Signature) -> Signature:
    # The stamps are the database's clock: leave them out, so that reading one loads the stored
    # value (Django loads a missing field on access), at no cost when nobody reads them.
    for name in ("created_at", "confirmed_at", "flagged_at"):
        signature.__dict__.pop(name, None)
    return signature


def _insert_orm(
    *, actor: Any, petition: Petition, values: dict[str, Any], counted: bool, flagged: bool, event: str
) -> Signature | None:
    """The portable write (SQLite): the open check, the signature and its event in one transaction."""
    signature = Signature(
        **values,
        created_at=Now(),
        confirmed_at=Now() if counted else None,
        flagged_at=Now() if flagged else None,
    )
    with transaction.atomic():
        now_open = Q(closes_at__isnull=True) | Q(closes_at__gt=Now())
        if not Petition.objects.filter(
            now_open, pk=petition.pk, state=Petition.State.OPEN, is_hidden=False
        ).exists():
            return None
        # No full_clean: every value is built here, and the database checks the constraints.
        signature.save(force_insert=True)
        audit.record(
            event=event, actor=actor, obj=petition, data=_event_data(signature.pk, values["flag_reason"])
        )
    return _unloaded_stamps(signature)


class _IdBlock:
    """Signature ids taken from the table's sequence ``ID_BLOCK`` at a time, per database."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids: dict[str, list[int]] = {}

    def take(self) -> int:
        name = str(connection.settings_dict["NAME"])
        with self.lock:
            free = self.ids.setdefault(name, [])
            if not free:
                table = Signature._meta.db_table
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                        [table, ID_BLOCK],
                    )
                    free.extend(sorted((row[0] for row in cursor.fetchall()), reverse=True))
            return free.pop()


_ids = _IdBlock()


def _insert_one_statement(
    *, actor: Any, petition: Petition, values: dict[str, Any], counted: bool, flagged: bool, event: str
) -> Signature | None:
    """The PostgreSQL hot path: one statement (atomic by itself, one round trip) inserts the
    signature only if the petition is open at the database's clock, and its audit event, with
    the same values and hash ``audit.record`` would write."""
    signature_id = _ids.take()
    fields = audit.event_fields(
        event=event, actor=actor, obj=petition, data=_event_data(signature_id, values["flag_reason"])
    )
    sig, pet, ev = Signature._meta.db_table, Petition._meta.db_table, Event._meta.db_table
    stamp = "STATEMENT_TIMESTAMP()"
    sql = f"""
        WITH s AS (
            INSERT INTO {sig} (id, petition_id, user_id, email_canonical, region_id, show_name, ip_address,
                               created_at, confirmed_at, flagged_at, confirm_token_hash, flag_reason)
            SELECT %s, p.id, %s, %s, %s, %s, %s, {stamp},
                   CASE WHEN %s THEN {stamp} END, CASE WHEN %s THEN {stamp} END, %s, %s
            FROM {pet} p
            WHERE p.id = %s AND p.state = %s AND NOT p.is_hidden
              AND (p.closes_at IS NULL OR p.closes_at > {stamp})
            RETURNING id)
        INSERT INTO {ev} (created_at, actor_id, actor_label, action, subject_type_id, subject_id,
                          before, after, data, hash)
        SELECT %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s FROM s
        RETURNING id"""
    params = [
        signature_id,
        values["user_id"],
        values["email_canonical"],
        values["region_id"],
        values["show_name"],
        values["ip_address"],
        counted,
        flagged,
        values["confirm_token_hash"],
        values["flag_reason"],
        petition.pk,
        Petition.State.OPEN.value,
        fields["created_at"],
        fields["actor"].pk if fields["actor"] else None,
        fields["actor_label"],
        fields["action"],
        fields["subject_type"].pk if fields["subject_type"] else None,
        fields["subject_id"],
        _json_or_null(fields["before"]),
        _json_or_null(fields["after"]),
        _json_or_null(fields["data"]),
        fields["hash"],
    ]

    def run() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() is not None

    # Inside a caller's transaction, a savepoint keeps it usable after a unique violation; alone,
    # the statement is its own transaction (no BEGIN/COMMIT round trips).
    if connection.in_atomic_block:
        with transaction.atomic():
            inserted = run()
    else:
        inserted = run()
    if not inserted:
        return None
    signature = Signature(id=signature_id, petition=petition, user=actor, **values)
    return _unloaded_stamps(signature)


def _json_or_null(value: Any) -> str | None:
    return None if value is None else json.dumps(value, cls=DjangoJSONEncoder)


def _confirm_rows(digest: str) -> Any:
    return Signature.objects.filter(confirm_token_hash=digest, withdrawn_at__isnull=True)


def signature_confirm(*, token: str) -> Signature:
    """Confirm a pending signature from the e-mailed link. Idempotent: confirming again returns
    the signature unchanged, and of parallel confirmations exactly one records the event (a
    conditional UPDATE decides). Refuses an unknown or withdrawn signature's token, and a
    petition no longer open."""
    invalid = ValidationError(
        _("This confirmation link is not valid: it may have been used for a signature since withdrawn."),
        code="invalid_token",
    )
    if not token or len(token) > 200:
        raise invalid
    digest = _digest(token)
    signature = _confirm_rows(digest).select_related("petition", "user").first()
    if signature is None:
        raise invalid
    if signature.confirmed_at is not None:
        return signature
    petition = signature.petition
    _require_open(petition)
    with transaction.atomic():
        won = (
            _confirm_rows(digest)
            .filter(confirmed_at__isnull=True, flagged_at__isnull=True)
            .update(confirmed_at=Now())
        )
        if won:
            audit.record(
                event=CONFIRMED_EVENT, actor=signature.user, obj=petition, data={"signature": signature.pk}
            )
    signature.refresh_from_db(fields=["confirmed_at", "flagged_at", "withdrawn_at"])
    return signature


def signature_withdraw(*, actor: Any, petition: Petition) -> Signature:
    """Withdraw the person's live signature while the petition is open. The row is kept (with
    ``withdrawn_at``); signing again inserts a new one."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("petitions.sign_petition")
    _require_open(petition)
    with transaction.atomic():
        # The lock orders this against a confirmation or clearance of the same row, so the event
        # says truly whether the signature had counted.
        signature = (
            Signature.objects.select_for_update()
            .filter(petition_id=petition.pk, user_id=actor.pk, withdrawn_at__isnull=True)
            .first()
        )
        if signature is None:
            raise ValidationError(_("You have not signed this petition."), code="not_signed")
        Signature.objects.filter(pk=signature.pk).update(withdrawn_at=Now())
        audit.record(
            event=WITHDRAWN_EVENT,
            actor=actor,
            obj=petition,
            data={"signature": signature.pk, "counted": signature.confirmed_at is not None},
        )
    signature.refresh_from_db(fields=["withdrawn_at"])
    return signature


def signature_clear(*, actor: Any, signature: Signature) -> Signature:
    """A moderator of the petition releases a held-back signature: a verified signer's counts
    from now; an unverified signer is sent the confirmation e-mail (it counts once confirmed)."""
    petition = signature.petition
    require_perm(actor, "petitions.moderate_petition", petition)
    with transaction.atomic():
        current = Signature.objects.select_for_update().select_related("user").get(pk=signature.pk)
        if current.flagged_at is None or current.withdrawn_at is not None or current.confirmed_at is not None:
            raise ValidationError(_("This signature is not held back."), code="not_flagged")
        if int(current.user.verification_level) == 0:
            token = secrets.token_urlsafe(32)
            Signature.objects.filter(pk=current.pk).update(flagged_at=None, confirm_token_hash=_digest(token))
            audit.record(
                event="petitions.signature.cleared", actor=actor, obj=petition, data={"signature": current.pk}
            )
            _send_confirmation(current.user, petition, token)
        else:
            Signature.objects.filter(pk=current.pk).update(flagged_at=None, confirmed_at=Now())
            audit.record(event=CONFIRMED_EVENT, actor=actor, obj=petition, data={"signature": current.pk})
    current.refresh_from_db(fields=["flagged_at", "confirmed_at", "confirm_token_hash"])
    return current
