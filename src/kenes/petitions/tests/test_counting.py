"""The counting job, reconciliation and verification (docs/petitions.md, "Counting")."""

import datetime
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from kenes.audit.models import Event
from kenes.audit.services import record
from kenes.common.tests.races import run_in_parallel
from kenes.notifications.models import Notification
from kenes.notifications.services import follow
from kenes.obligations.models import Kind, Obligation
from kenes.petitions.counting import COUNT_LOCK_ID, EPOCH
from kenes.petitions.models import CountWatermark, Petition, RegionCount, Signature
from kenes.petitions.services import petition_verify_count, signatures_count, signatures_reconcile

from .factories import PetitionFactory, SignatureFactory, audited_signature

SECOND = datetime.timedelta(seconds=1)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent jobs need PostgreSQL (SQLite serialises every write)",
)


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - seconds * SECOND


def sign(petition, user, *, at: datetime.datetime | None = None, confirmed: bool = True, **fields):
    at = at or ago(60)
    return SignatureFactory(
        petition=petition, user=user, created_at=at, confirmed_at=at if confirmed else None, **fields
    )


def counts(petition) -> tuple[int, dict]:
    petition.refresh_from_db()
    regions = {rc.region_id: rc.count for rc in RegionCount.objects.filter(petition=petition) if rc.count}
    return petition.signature_count, regions


def test_first_run_folds_everything_confirmed_and_moves_the_watermark(open_petition, make_signer, region):
    for _ in range(3):
        sign(open_petition, make_signer())
    sign(open_petition, make_signer(), confirmed=False)  # awaiting e-mail confirmation: not counted

    assert signatures_count(lag_seconds=5) == 3

    assert counts(open_petition) == (3, {region.pk: 3})
    watermark = CountWatermark.objects.get()
    assert ago(10) < watermark.counted_until < ago(4)
    assert open_petition.counted_at == watermark.counted_until


def test_a_window_is_folded_once(open_petition, make_signer):
    sign(open_petition, make_signer())
    assert signatures_count(lag_seconds=0) == 1
    assert signatures_count(lag_seconds=0) == 0
    assert counts(open_petition)[0] == 1


def test_deltas_add_to_the_stored_count(open_petition, make_signer):
    sign(open_petition, make_signer())
    signatures_count(lag_seconds=0)
    for _ in range(2):
        sign(open_petition, make_signer(), at=timezone.now())
    assert signatures_count(lag_seconds=0) == 2
    assert counts(open_petition)[0] == 3


def test_lag_a_row_stamped_after_the_window_is_counted_in_the_next_run(open_petition, make_signer):
    sign(open_petition, make_signer(), at=ago(120))
    late = sign(open_petition, make_signer(), at=ago(10))

    assert signatures_count(lag_seconds=30) == 1  # W1 = now - 30 s: the second row is after it
    assert counts(open_petition)[0] == 1
    assert late.confirmed_at > CountWatermark.objects.get().counted_until

    assert signatures_count(lag_seconds=0) == 1
    assert counts(open_petition)[0] == 2


def test_withdrawals_are_subtracted_per_region(open_petition, make_signer, region, elsewhere):
    here = [sign(open_petition, make_signer()) for _ in range(3)]
    away = sign(open_petition, make_signer(home_territory=elsewhere))
    signatures_count(lag_seconds=0)
    assert counts(open_petition) == (4, {region.pk: 3, elsewhere.pk: 1})

    Signature.objects.filter(pk__in=[here[0].pk, away.pk]).update(withdrawn_at=timezone.now())
    # The database clock may keep only milliseconds (SQLite): let it pass the stamp just written.
    time.sleep(0.01)
    assert signatures_count(lag_seconds=0) == 2

    assert counts(open_petition) == (2, {region.pk: 2})


def test_confirmed_and_withdrawn_within_one_window_changes_nothing(open_petition, make_signer):
    sign(open_petition, make_signer(), withdrawn_at=ago(30))
    pending = sign(open_petition, make_signer(), confirmed=False)
    Signature.objects.filter(pk=pending.pk).update(withdrawn_at=ago(20))  # never counted

    signatures_count(lag_seconds=0)

    assert counts(open_petition) == (0, {})


def test_signing_again_after_withdrawing_counts_once(open_petition, make_signer):
    person = make_signer()
    first = sign(open_petition, person, at=ago(100))
    signatures_count(lag_seconds=0)
    Signature.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now())
    sign(open_petition, person, at=timezone.now(), email_canonical=f"again-{person.email}")

    signatures_count(lag_seconds=0)

    assert counts(open_petition)[0] == 1


def test_region_counts_by_the_signers_home_region(open_petition, make_signer, region, elsewhere, district):
    sign(open_petition, make_signer())  # lives in the district: counted in its region
    sign(open_petition, make_signer(home_territory=region))
    sign(open_petition, make_signer(home_territory=elsewhere))
    sign(open_petition, make_signer(home_territory=None))
    other = PetitionFactory()
    sign(other, make_signer())

    signatures_count(lag_seconds=0)

    assert counts(open_petition) == (4, {region.pk: 2, elsewhere.pk: 1, None: 1})
    assert counts(other) == (1, {region.pk: 1})


def test_the_threshold_opens_exactly_one_obligation(open_petition, make_signer, alice, body):
    follow(actor=alice, subject=open_petition)
    Petition.objects.filter(pk=open_petition.pk).update(threshold=3)
    for _ in range(2):
        sign(open_petition, make_signer())
    signatures_count(lag_seconds=0)
    assert not Obligation.objects.for_subject(open_petition).exists()

    sign(open_petition, make_signer(), at=timezone.now())
    signatures_count(lag_seconds=0)
    sign(open_petition, make_signer(), at=timezone.now())
    signatures_count(lag_seconds=0)
    signatures_reconcile()

    obligations = Obligation.objects.for_subject(open_petition)
    assert obligations.count() == 1
    obligation = obligations.get()
    assert (obligation.kind, obligation.organization, obligation.author) == (Kind.PETITION, body, alice)
    open_petition.refresh_from_db()
    assert open_petition.threshold_reached_at is not None
    assert (
        Event.objects.filter(
            action="petitions.petition.threshold_reached", subject_id=str(open_petition.pk)
        ).count()
        == 1
    )
    assert Notification.objects.filter(recipient=alice, event="petitions.threshold").count() == 1


def test_a_petition_below_its_threshold_or_hidden_opens_nothing(make_signer):
    hidden = PetitionFactory(threshold=1, is_hidden=True)
    below = PetitionFactory(threshold=5)
    for petition in (hidden, below):
        sign(petition, make_signer())
    signatures_count(lag_seconds=0)
    assert not Obligation.objects.filter(kind=Kind.PETITION).exists()


def test_reconciliation_resets_a_drifted_count_and_audits_it(open_petition, make_signer, region):
    for _ in range(3):
        sign(open_petition, make_signer())
    signatures_count(lag_seconds=0)
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=7)
    RegionCount.objects.filter(petition=open_petition).update(count=1)

    assert signatures_reconcile() == 1

    assert counts(open_petition) == (3, {region.pk: 3})
    event = Event.objects.get(action="petitions.petition.recounted")
    assert event.subject_id == str(open_petition.pk)
    assert (event.data["stored"], event.data["counted"]) == (7, 3)
    assert event.data["regions"] == {str(region.pk): [1, 3]}
    assert signatures_reconcile() == 0  # nothing left to correct


def test_reconciliation_picks_up_a_row_that_committed_after_its_window(open_petition, make_signer):
    sign(open_petition, make_signer())
    signatures_count(lag_seconds=0)
    sign(open_petition, make_signer(), at=ago(30))  # stamped before the watermark, committed later
    assert signatures_count(lag_seconds=0) == 0

    assert signatures_reconcile() == 1
    assert counts(open_petition)[0] == 2


def test_reconciliation_agrees_with_the_counter_about_rows_after_the_watermark(open_petition, make_signer):
    sign(open_petition, make_signer(), at=ago(120))
    signatures_count(lag_seconds=60)
    sign(open_petition, make_signer(), at=ago(10))  # after the watermark: the counter's next run

    assert signatures_reconcile() == 0
    assert counts(open_petition)[0] == 1


def test_reconciliation_before_any_count(open_petition, make_signer):
    sign(open_petition, make_signer())
    assert signatures_reconcile() == 0  # the watermark starts at the epoch: nothing counted yet
    assert CountWatermark.objects.get().counted_until == EPOCH


def test_verify_count_agrees_with_rows_and_the_audit_log(open_petition, make_signer):
    signatures = [audited_signature(open_petition, make_signer(), created_at=ago(60)) for _ in range(3)]
    audited_signature(open_petition, make_signer(), counted=False, created_at=ago(60))
    Signature.objects.filter(pk=signatures[0].pk).update(withdrawn_at=timezone.now())
    record(
        event="petitions.signature.withdrawn",
        obj=open_petition,
        data={"signature": signatures[0].pk, "counted": True},
    )

    check = petition_verify_count(open_petition, count_first=True)

    assert (check.rows, check.audited, check.stored, check.ok) == (2, 2, 2, True)


def test_verify_count_detects_a_mismatch(open_petition, make_signer):
    for _ in range(2):
        audited_signature(open_petition, make_signer(), created_at=ago(60))
    signatures_count(lag_seconds=0)
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=5)

    check = petition_verify_count(open_petition)
    assert (check.rows, check.audited, check.stored, check.ok) == (2, 2, 5, False)

    sign(open_petition, make_signer())  # a row without its audit event
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=3)
    check = petition_verify_count(open_petition)
    assert (check.rows, check.audited, check.stored, check.ok) == (3, 2, 3, False)


# --- PostgreSQL: two counting jobs at once ----------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_counting_jobs_do_not_double_count(make_signer, region):
    petitions = [PetitionFactory(threshold=10_000) for _ in range(3)]
    expected = 0
    for index in range(60):
        sign(petitions[index % 3], make_signer(), at=ago(100 - index))
        expected += 1

    for _round in range(3):
        results = run_in_parallel(4, lambda: signatures_count(lag_seconds=0))
        assert not [r for r in results if isinstance(r, Exception)], results
        for index in range(6):
            sign(petitions[index % 3], make_signer(), at=timezone.now())
            expected += 1

    signatures_count(lag_seconds=0)
    stored = sum(
        Petition.objects.filter(pk__in=[p.pk for p in petitions]).values_list("signature_count", flat=True)
    )
    assert stored == expected == Signature.objects.count()
    assert sum(RegionCount.objects.values_list("count", flat=True)) == expected
    assert signatures_reconcile() == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_counting_job_does_nothing_while_another_holds_the_lock(open_petition, make_signer):
    sign(open_petition, make_signer())
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COUNT_LOCK_ID])
        assert signatures_count(lag_seconds=0) == 0
        assert signatures_reconcile() == 0
        assert counts(open_petition)[0] == 0
    finally:
        holder.rollback()
        holder.close()
    assert signatures_count(lag_seconds=0) == 1
    assert counts(open_petition)[0] == 1
