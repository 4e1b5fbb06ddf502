"""Signing: who may sign, one live signature per person and per mailbox, unverified signers confirm
by e-mail (counted once however often the link is used), rate limits hold back silently, withdrawal
and signing again, and the API. Races on PostgreSQL at the end."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from kenes.accounts.services import api_token_create
from kenes.audit import services as audit_services
from kenes.audit.models import Event
from kenes.common import localcache
from kenes.common.tests.races import run_in_parallel
from kenes.petitions import counting, signing
from kenes.petitions.models import BlockedEmailDomain, Petition, Signature, SigningLimit

from .factories import confirmation_token, events

pytestmark = pytest.mark.django_db


def counted(petition):
    counting.signatures_count(lag_seconds=0)
    petition.refresh_from_db()
    return petition.signature_count


# --- canonical addresses and throw-away domains ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("A.B+x@GMail.com", "ab@gmail.com"),
        ("ab@googlemail.com", "ab@gmail.com"),
        ("a.b+news@mail.kz", "a.b@mail.kz"),
        ("Someone@Example.org", "someone@example.org"),
    ],
)
def test_canonical_email(raw, canonical):
    assert signing.canonical_email(raw) == canonical
    assert signing.canonical_email(canonical) == canonical  # idempotent


def test_disposable_domains_come_from_the_package_and_the_admin():
    assert signing.is_disposable_email("x@mailinator.com")
    assert not signing.is_disposable_email("x@mail.kz")
    BlockedEmailDomain.objects.create(domain="junk.example")
    assert not signing.is_disposable_email("x@junk.example")  # each process keeps the list a minute
    localcache.clear_all()
    assert signing.is_disposable_email("x@junk.example")


# --- signing --------------------------------------------------------------------------------------


def test_a_verified_signature_counts_at_once_with_one_audit_event(open_petition, make_signer):
    signer = make_signer()
    result = signing.signature_create(actor=signer, petition=open_petition, show_name=True)
    assert not result.needs_confirmation
    assert result.signature.confirmed_at is not None and result.signature.region_id is not None
    assert events(open_petition, signing.CONFIRMED_EVENT) == 1
    assert counted(open_petition) == 1
    Petition.objects.filter(pk=open_petition.pk).update(
        signature_count=0
    )  # the row was not touched by signing
    assert Petition.objects.get(pk=open_petition.pk).signature_count == 0


def test_signing_twice_is_refused_also_with_another_spelling_of_the_mailbox(open_petition, make_signer):
    first = make_signer(email="a.b+one@gmail.com")
    signing.signature_create(actor=first, petition=open_petition)
    with pytest.raises(ValidationError) as twice:
        signing.signature_create(actor=first, petition=open_petition)
    assert twice.value.code == "duplicate"
    alias = make_signer(email="ab@googlemail.com")
    with pytest.raises(ValidationError) as other_account:
        signing.signature_create(actor=alias, petition=open_petition)
    assert other_account.value.code == "duplicate"
    assert Signature.objects.filter(petition=open_petition).count() == 1


def test_a_lower_verification_level_is_refused(open_petition, make_signer):
    with pytest.raises(ValidationError) as refused:
        signing.signature_create(actor=make_signer(verification_level=0), petition=open_petition)
    assert refused.value.code == "verification"


@pytest.mark.parametrize("state", [Petition.State.PENDING, Petition.State.CLOSED, Petition.State.DRAFT])
def test_only_an_open_petition_can_be_signed(petition_factory, state, make_signer):
    petition = petition_factory(state=state)
    with pytest.raises(ValidationError) as refused:
        signing.signature_create(actor=make_signer(), petition=petition)
    assert refused.value.code == "closed"


@pytest.mark.parametrize(
    "change", [{"state": Petition.State.CLOSED}, {"is_hidden": True}, {"closes_at": None}]
)
def test_a_petition_closed_a_moment_ago_is_not_signed_from_a_kept_copy(open_petition, make_signer, change):
    kept = signing.petition_to_sign(open_petition.pk)  # the copy a server process keeps for a moment
    assert kept is not None
    if change == {"closes_at": None}:  # its period ended a moment ago
        change = {"closes_at": timezone.now() - datetime.timedelta(seconds=1)}
    Petition.objects.filter(pk=open_petition.pk).update(**change)
    with pytest.raises(ValidationError) as refused:
        signing.signature_create(actor=make_signer(), petition=kept)
    assert refused.value.code == "closed"
    assert not Signature.objects.filter(petition=open_petition).exists()
    assert events(open_petition, signing.CONFIRMED_EVENT) == 0
    # The kept copy was dropped: the next one is read afresh (a hidden petition is not public).
    fresh = signing.petition_to_sign(open_petition.pk)
    stored = Petition.objects.get(pk=open_petition.pk)
    assert (
        fresh is None
        if stored.is_hidden
        else (fresh.state, fresh.closes_at) == (stored.state, stored.closes_at)
    )


def test_the_signature_event_is_the_one_audit_record_would_write(open_petition, make_signer):
    result = signing.signature_create(actor=make_signer(), petition=open_petition)
    event = Event.objects.get(action=signing.CONFIRMED_EVENT, subject_id=str(open_petition.pk))
    assert event.data == {"signature": result.signature.pk}
    assert event.before is None and event.after is None
    assert event.hash == audit_services.event_content_hash(event)
    assert audit_services.audit_verify().ok


def test_an_unverified_signer_confirms_by_post_once(open_petition, make_signer, client):
    Petition.objects.filter(pk=open_petition.pk).update(min_verification_level=0)
    open_petition.refresh_from_db()
    signer = make_signer(verification_level=0, email="new@mail.kz")
    result = signing.signature_create(actor=signer, petition=open_petition)
    assert result.needs_confirmation and result.signature.confirmed_at is None
    assert counted(open_petition) == 0
    token = confirmation_token()
    assert signing.signature_confirm(token=token).confirmed_at is not None
    assert signing.signature_confirm(token=token).confirmed_at is not None  # again: no change
    assert events(open_petition, signing.CONFIRMED_EVENT) == 1
    assert counted(open_petition) == 1
    with pytest.raises(ValidationError):
        signing.signature_confirm(token="not-a-token")


def test_an_unverified_signer_at_a_throw_away_domain_is_refused(open_petition, make_signer):
    Petition.objects.filter(pk=open_petition.pk).update(min_verification_level=0)
    open_petition.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        signing.signature_create(
            actor=make_signer(verification_level=0, email="x@mailinator.com"), petition=open_petition
        )
    assert refused.value.code == "disposable"
    # A verified person may use any address.
    signing.signature_create(actor=make_signer(email="y@mailinator.com"), petition=open_petition)


def test_over_the_rate_limit_a_signature_is_held_back_with_the_same_reply(petition_factory, make_signer):
    SigningLimit.objects.all().delete()
    SigningLimit.objects.create(scope=SigningLimit.Scope.IP, max_signatures=2, window_seconds=60)
    petitions = [petition_factory() for _ in range(3)]
    results = [
        signing.signature_create(actor=make_signer(), petition=p, ip_address="203.0.113.9") for p in petitions
    ]
    assert [r.needs_confirmation for r in results] == [False, False, False]  # the same reply
    held = results[2].signature
    held.refresh_from_db()
    assert held.flagged_at is not None and held.confirmed_at is None and "ip" in held.flag_reason
    assert counted(petitions[2]) == 0
    assert events(petitions[2], signing.FLAGGED_EVENT) == 1


def test_a_moderator_clears_a_held_back_signature(petition_factory, make_signer, moderator, body):
    SigningLimit.objects.all().delete()
    SigningLimit.objects.create(scope=SigningLimit.Scope.ACCOUNT, max_signatures=1, window_seconds=60)
    signer = make_signer()
    signing.signature_create(actor=signer, petition=petition_factory(addressee=body))
    petition = petition_factory(addressee=body)
    held = signing.signature_create(actor=signer, petition=petition).signature
    cleared = signing.signature_clear(actor=moderator, signature=held)
    assert cleared.flagged_at is None and cleared.confirmed_at is not None
    assert counted(petition) == 1
    with pytest.raises(ValidationError):
        signing.signature_clear(actor=moderator, signature=cleared)


def test_withdraw_then_sign_again(open_petition, make_signer):
    signer = make_signer()
    first = signing.signature_create(actor=signer, petition=open_petition).signature
    assert counted(open_petition) == 1
    withdrawn = signing.signature_withdraw(actor=signer, petition=open_petition)
    assert withdrawn.pk == first.pk and withdrawn.withdrawn_at is not None
    assert counted(open_petition) == 0
    again = signing.signature_create(actor=signer, petition=open_petition).signature
    assert again.pk != first.pk
    assert counted(open_petition) == 1
    assert signing.signature_for(signer, open_petition).pk == again.pk
    check = counting.petition_verify_count(open_petition)
    assert check.ok and check.rows == check.audited == check.stored == 1
    with pytest.raises(ValidationError):
        signing.signature_withdraw(actor=make_signer(), petition=open_petition)


# --- the API --------------------------------------------------------------------------------------


def test_the_api_signs_with_a_token_and_withdraws(client, open_petition, make_signer):
    signer = make_signer()
    _token, key = api_token_create(actor=signer, name="app", expires_in_days=None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/v1/petitions/{open_petition.pk}/signatures"
    response = client.post(url, {"show_name": False}, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response.json()["counted"] is True
    again = client.post(url, {}, content_type="application/json", **headers)
    assert again.status_code == 422 and "error" in again.json()
    gone = client.delete(f"{url}/mine", **headers)
    assert gone.status_code == 200 and gone.json()["withdrawn"] is True
    assert client.post(url, {}, content_type="application/json").status_code == 401


def test_the_api_does_not_sign_a_petition_that_is_not_public(client, petition_factory, make_signer):
    petition = petition_factory(state=Petition.State.PENDING)
    _token, key = api_token_create(actor=make_signer(), name="app", expires_in_days=None)
    response = client.post(
        f"/api/v1/petitions/{petition.pk}/signatures",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 404


# --- races (PostgreSQL) ---------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races need PostgreSQL (SQLite serialises every write)"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_confirmations_count_once(open_petition, make_signer):
    Petition.objects.filter(pk=open_petition.pk).update(min_verification_level=0)
    open_petition.refresh_from_db()
    signing.signature_create(
        actor=make_signer(verification_level=0, email="p@mail.kz"), petition=open_petition
    )
    token = confirmation_token()
    run_in_parallel(50, lambda: signing.signature_confirm(token=token))
    assert events(open_petition, signing.CONFIRMED_EVENT) == 1
    assert counted(open_petition) == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_signatures_of_one_person_make_one_row(open_petition, make_signer):
    signer = make_signer()
    results = run_in_parallel(20, lambda: signing.signature_create(actor=signer, petition=open_petition))
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 19 and all(r.code == "duplicate" for r in refused)
    assert Signature.objects.filter(petition=open_petition).count() == 1
    assert events(open_petition, signing.CONFIRMED_EVENT) == 1


def test_signing_goes_on_when_redis_is_down(settings, open_petition, make_signer, caplog):
    """RELIABILITY F4: the rate limits fail open; the signature counts, once, as usual."""
    from kenes.common import counters

    signer = make_signer()
    settings.CACHES = {"default": {"BACKEND": counters.REDIS_BACKEND, "LOCATION": "redis://127.0.0.1:1/0"}}
    result = signing.signature_create(actor=signer, petition=open_petition, ip_address="10.0.0.1")
    assert not result.needs_confirmation and result.signature.flagged_at is None
    assert counted(open_petition) == 1
    assert "rate-limit counters unavailable" in caplog.text
