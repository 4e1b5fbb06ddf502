"""Counts are derived data (docs/petitions.md, "Counting").

Signing inserts a row and nothing else. ``signatures_count`` folds what changed since the last run
into ``Petition.signature_count`` and ``RegionCount``, over the window ``(W0, W1]`` of database time,
W1 lagging behind the clock so that a signing transaction stamped just before W1 has committed by
the time it is read. One counting job runs at a time: on PostgreSQL a transaction-level advisory
lock (a second job returns at once), and everywhere a conditional move of the watermark from W0 to
W1, so even without the lock a window is folded once. ``signatures_reconcile`` resets any count that
differs from ``COUNT(*)`` as of the watermark (a transaction longer than the lag, a manual change)
and records each correction in the audit log. ``petition_verify_count`` compares three numbers:
the rows, the audit log and the published count.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest, Now
from django.utils import timezone

from kenes.audit import services as audit
from kenes.audit.models import Event

from .models import CountWatermark, Petition, RegionCount, Signature
from .signing import CONFIRMED_EVENT, WITHDRAWN_EVENT

logger = logging.getLogger(__name__)

#: pg_try_advisory_xact_lock key of the counting and reconciliation jobs: b"kenespet" as a bigint.
COUNT_LOCK_ID = int.from_bytes(b"kenespet", "big")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

Key = tuple[int, int | None]  # (petition id, region id)


def _try_lock() -> bool:
    """On PostgreSQL take the counters' transaction-level advisory lock, without waiting."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers; the conditional watermark move guards the rest
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [COUNT_LOCK_ID])
        row = cursor.fetchone()
    return bool(row and row[0])


def _watermark() -> tuple[datetime.datetime, datetime.datetime]:
    """(counted_until, the database's clock now); the row is created at the epoch on first use."""
    CountWatermark.objects.get_or_create(pk=1, defaults={"counted_until": EPOCH})
    counted_until, now = (
        CountWatermark.objects.filter(pk=1)
        .annotate(db_now=Now())
        .values_list("counted_until", "db_now")
        .get()
    )
    return counted_until, now


def counted_q(as_of: datetime.datetime | None = None) -> Q:
    """Signatures that count (as of ``as_of``, when given)."""
    if as_of is None:
        return Q(confirmed_at__isnull=False, withdrawn_at__isnull=True)
    return Q(confirmed_at__lte=as_of) & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=as_of))


def _grouped(rows: Any) -> dict[Key, int]:
    return {
        (row["petition_id"], row["region_id"]): row["n"]
        for row in rows.values("petition_id", "region_id").annotate(n=Count("pk")).order_by()
    }


def _set_region(petition_id: int, region_id: int | None, *, add: int = 0, value: int | None = None) -> None:
    rows = RegionCount.objects.filter(petition_id=petition_id, region_id=region_id)
    updated = rows.update(count=value if value is not None else F("count") + add)
    if not updated:
        RegionCount.objects.create(petition_id=petition_id, region_id=region_id, count=value or add)


def _fold(since: datetime.datetime, until: datetime.datetime) -> int:
    """Apply the changes of the window ``(since, until]``; returns how many changes were folded."""
    confirmed = _grouped(Signature.objects.filter(confirmed_at__gt=since, confirmed_at__lte=until))
    withdrawn = _grouped(
        Signature.objects.filter(withdrawn_at__gt=since, withdrawn_at__lte=until, confirmed_at__isnull=False)
    )
    deltas: dict[Key, int] = defaultdict(int)
    for key, n in confirmed.items():
        deltas[key] += n
    for key, n in withdrawn.items():
        deltas[key] -= n
    totals: dict[int, int] = defaultdict(int)
    for (petition_id, _region_id), delta in deltas.items():
        totals[petition_id] += delta
    for petition_id in sorted(totals):
        Petition.objects.filter(pk=petition_id).update(
            signature_count=Greatest(F("signature_count") + totals[petition_id], 0), counted_at=until
        )
    for (petition_id, region_id), delta in sorted(
        deltas.items(), key=lambda item: (item[0][0], item[0][1] or 0)
    ):
        if delta:
            _set_region(petition_id, region_id, add=delta)
    return sum(confirmed.values()) + sum(withdrawn.values())


def signatures_count(*, lag_seconds: float | None = None) -> int:
    """Fold the signatures confirmed or withdrawn since the last run, up to the database's clock minus
    ``lag_seconds`` (default ``PETITIONS_COUNT_LAG_SECONDS``), then open the obligations of petitions
    that reached their threshold. Returns how many changes were folded (0 when another counting job
    holds the lock)."""
    lag = settings.PETITIONS_COUNT_LAG_SECONDS if lag_seconds is None else lag_seconds
    with transaction.atomic():
        if not _try_lock():
            return 0
        since, now = _watermark()
        until = now - datetime.timedelta(seconds=lag)
        if until <= since:
            return 0
        if not CountWatermark.objects.filter(pk=1, counted_until=since).update(counted_until=until):
            return 0  # another job moved the watermark first
        folded = _fold(since, until)
    petitions_open_obligations()
    return folded


def signatures_reconcile() -> int:
    """Reset every count that differs from ``COUNT(*)`` of the signatures counted as of the watermark
    (so it agrees with the counting job's definition), recording an audit event
    ``petitions.petition.recounted`` for each petition corrected. Returns how many were corrected."""
    corrected = 0
    with transaction.atomic():
        if not _try_lock():
            return 0
        as_of, _now = _watermark()
        truth = _grouped(Signature.objects.filter(counted_q(as_of)))
        truth_totals: dict[int, int] = defaultdict(int)
        for (petition_id, _region_id), n in truth.items():
            truth_totals[petition_id] += n
        stored_totals = dict(
            Petition.objects.filter(signature_count__gt=0).values_list("pk", "signature_count")
        )
        missing = set(truth_totals) - set(stored_totals)
        stored_totals.update(Petition.objects.filter(pk__in=missing).values_list("pk", "signature_count"))
        stored_regions: dict[Key, int] = {
            (p, r): n
            for p, r, n in RegionCount.objects.exclude(count=0).values_list(
                "petition_id", "region_id", "count"
            )
        }
        regions_by_petition: dict[int, set[Key]] = defaultdict(set)
        for key in set(truth) | set(stored_regions):
            regions_by_petition[key[0]].add(key)
        for petition_id in sorted(set(stored_totals) | set(regions_by_petition)):
            stored, counted = stored_totals.get(petition_id, 0), truth_totals.get(petition_id, 0)
            wrong_regions = {
                key: (stored_regions.get(key, 0), truth.get(key, 0))
                for key in regions_by_petition.get(petition_id, set())
                if stored_regions.get(key, 0) != truth.get(key, 0)
            }
            if stored == counted and not wrong_regions:
                continue
            Petition.objects.filter(pk=petition_id).update(signature_count=counted, counted_at=as_of)
            for (p, region_id), (_old, new) in wrong_regions.items():
                _set_region(p, region_id, value=new)
            petition = Petition(pk=petition_id)
            audit.record(
                event="petitions.petition.recounted",
                obj=petition,
                actor_label="job",
                data={
                    "stored": stored,
                    "counted": counted,
                    "as_of": as_of,
                    "regions": {
                        str(r or ""): [old, new]
                        for (_p, r), (old, new) in sorted(
                            wrong_regions.items(), key=lambda item: item[0][1] or 0
                        )
                    },
                },
            )
            logger.warning("Petition %s: count %s reset to %s", petition_id, stored, counted)
            corrected += 1
    petitions_open_obligations()
    return corrected


# --- the threshold ---------------------------------------------------------------------------------------


def _open_obligation(pk: int) -> bool:
    from kenes.obligations.models import Kind, Obligation
    from kenes.obligations.services import obligation_open

    from .services import _notify_followers

    with transaction.atomic():
        claimed = Petition.objects.filter(
            pk=pk, threshold_reached_at__isnull=True, signature_count__gte=F("threshold")
        ).update(threshold_reached_at=timezone.now())
        if not claimed:
            return False
        petition = Petition.objects.select_related("addressee", "author").get(pk=pk)
        live = Obligation.objects.live().for_subject(petition).filter(kind=Kind.PETITION).exists()
        if not live:
            obligation_open(
                actor=None,
                subject=petition,
                organization=petition.addressee,
                kind=Kind.PETITION,
                title=petition.title,
                author=petition.author,
            )
        audit.record(
            event="petitions.petition.threshold_reached",
            obj=petition,
            actor_label="job",
            data={"signatures": petition.signature_count, "threshold": petition.threshold},
        )
        _notify_followers(petition, "threshold", f"petitions-threshold:{pk}")
    return True


def petitions_open_obligations() -> int:
    """Each petition (open, or closed with late-counted signatures, and not hidden) whose count has
    reached its threshold gets ``threshold_reached_at`` and one obligation of kind petition at the
    addressee (the hearing loop); its followers are told. Each petition in its own transaction,
    claimed by a conditional UPDATE. Returns how many reached it now."""
    due = Petition.objects.filter(
        threshold_reached_at__isnull=True,
        signature_count__gte=F("threshold"),
        state__in=[Petition.State.OPEN, Petition.State.CLOSED],
        is_hidden=False,
    ).order_by("pk")
    reached = 0
    for pk in due.values_list("pk", flat=True):
        try:
            reached += _open_obligation(pk)
        except Exception:  # logged; the next run retries this petition
            logger.exception("Could not open the obligation of petition %s", pk)
    return reached


# --- verification ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountCheck:
    """``rows``: signatures that count now; ``audited``: confirmed minus counted withdrawals in the audit
    log; ``stored``: the published count."""

    petition_id: int
    rows: int
    audited: int
    stored: int

    @property
    def ok(self) -> bool:
        return self.rows == self.audited == self.stored


def audited_count(petition: Petition) -> int:
    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Petition), subject_id=str(petition.pk)
    )
    confirmed = events.filter(action=CONFIRMED_EVENT).count()
    withdrawn = events.filter(action=WITHDRAWN_EVENT, data__counted=True).count()
    return confirmed - withdrawn


def petition_verify_count(petition: Petition, *, count_first: bool = False) -> CountCheck:
    """Check the published count against the rows and the audit log. With ``count_first`` the
    counting job runs first without lag, so a correct count agrees with the rows."""
    if count_first:
        signatures_count(lag_seconds=0)
    stored = Petition.objects.filter(pk=petition.pk).values_list("signature_count", flat=True).get()
    rows = Signature.objects.filter(counted_q(), petition_id=petition.pk).count()
    return CountCheck(petition_id=petition.pk, rows=rows, audited=audited_count(petition), stored=stored)
