import datetime
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.core.exceptions import PermissionDenied, ValidationError

from kenes.accounts import exports, services
from kenes.accounts.models import ApiToken, Demographics, IdentityVerification, User
from kenes.audit.models import Event
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action))


def test_it_updates_the_profile_and_audits_without_the_email(alice):
    region: Any = TerritoryFactory()
    services.user_update_profile(
        actor=alice, user=alice, display_name="  Alice K. ", language="ru", home_territory=region
    )
    alice.refresh_from_db()
    assert (alice.display_name, alice.language, alice.home_territory) == ("Alice K.", "ru", region)
    [event] = events("accounts.user.updated")
    assert event.after is not None and event.after["language"] == "ru"
    assert "alice@example.org" not in str(event.data) + str(event.before) + str(event.after)


def test_it_refuses_to_update_someone_elses_profile(alice, charlie):
    with pytest.raises(PermissionDenied):
        services.user_update_profile(
            actor=charlie, user=alice, display_name="x", language="en", home_territory=None
        )


def test_it_refuses_an_unknown_language(alice):
    with pytest.raises(ValidationError):
        services.user_update_profile(
            actor=alice, user=alice, display_name="A", language="de", home_territory=None
        )


def test_it_refuses_demographics_without_consent(alice):
    with pytest.raises(ValidationError) as exc:
        services.demographics_set(
            actor=alice,
            user=alice,
            birth_year=1990,
            gender="female",
            education="",
            settlement="",
            consent=False,
        )
    assert "consent" in exc.value.message_dict
    assert not Demographics.objects.filter(user=alice).exists()


def test_it_records_consent_time_and_version_then_removes(alice):
    d = services.demographics_set(
        actor=alice,
        user=alice,
        birth_year=1990,
        gender="female",
        education="higher",
        settlement="rural",
        consent=True,
    )
    assert d.consent_version == services.CONSENT_VERSION and d.consent_given_at is not None
    [event] = events("accounts.demographics.set")
    assert "1990" not in str(event.data) and "female" not in str(event.data)
    services.demographics_remove(actor=alice, user=alice)
    assert not Demographics.objects.filter(user=alice).exists()
    assert events("accounts.demographics.removed")


def test_it_exports_everything_but_digests(alice, staff, iin):
    services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number=iin, note=""
    )
    token, key = services.api_token_create(actor=alice, name="notebook", expires_in_days=30)
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    exports.register_exporter("testapp", lambda user: {"things": [user.pk]})
    try:
        data = services.user_export_data(actor=alice, user=alice)
    finally:
        exports.unregister_exporter("testapp")
    assert data["profile"]["email"] == "alice@example.org"
    assert data["verifications"][0]["provider"] == "administrator"
    assert data["api_tokens"][0]["prefix"] == token.prefix
    assert data["email_addresses"] == [{"email": "alice@example.org", "verified": True, "primary": True}]
    assert data["apps"]["testapp"] == {"things": [alice.pk]}
    text = str(data)
    assert token.key_hash not in text and key not in text and iin not in text
    assert str(IdentityVerification.objects.get().identity_hash) not in text
    assert events("accounts.user.exported")


def test_it_anonymises_a_deleted_user_and_keeps_the_identity_digest(alice, staff, iin):
    services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number=iin, note=""
    )
    services.demographics_set(
        actor=alice, user=alice, birth_year=1990, gender="", education="", settlement="", consent=True
    )
    services.api_token_create(actor=alice, name="t", expires_in_days=7)
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    erased: list[User] = []
    exports.register_eraser(erased.append)
    try:
        services.user_delete(actor=alice, user=alice)
    finally:
        exports.unregister_eraser(erased.append)
    alice.refresh_from_db()
    assert alice.email == f"deleted-{alice.pk}@deleted.invalid"
    assert alice.public_name == "deleted user"
    assert not alice.has_usable_password() and not alice.is_active and alice.deleted_at is not None
    assert alice.home_territory is None and alice.display_name == ""
    assert erased == [alice]
    for model in (Demographics, ApiToken, EmailAddress, Authenticator):
        assert not model.objects.filter(user=alice).exists()
    verification = IdentityVerification.objects.get()
    assert verification.user is None and verification.identity_hash
    [event] = events("accounts.user.deleted")
    assert "alice@example.org" not in str(event.data)


def test_it_refuses_the_same_identity_number_for_a_second_account(alice, bob, staff, iin):
    services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number=iin, note=""
    )
    with pytest.raises(ValidationError) as exc:
        services.user_verify_identity(
            actor=staff, user=bob, provider_key="administrator", identity_number=iin, note=""
        )
    assert "already verified another account" in str(exc.value)
    bob.refresh_from_db()
    assert bob.verification_level == 0


def test_it_stores_only_a_keyed_digest(alice, staff, iin):
    v = services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number=iin, note="passport seen"
    )
    assert v.identity_hash == services.identity_hash(iin) and iin not in v.identity_hash
    assert len(v.identity_hash) == 64 and v.verified_by == staff
    alice.refresh_from_db()
    assert alice.verification_level == 2


@pytest.mark.parametrize("number", ["123456789012", "12345", "2150519900123x", "23113199001234"])
def test_it_refuses_invalid_identity_numbers(alice, staff, number):
    with pytest.raises(ValidationError):
        services.user_verify_identity(
            actor=staff, user=alice, provider_key="administrator", identity_number=number, note=""
        )


def test_it_accepts_a_kyrgyz_pin_and_no_number(alice, bob, staff):
    services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number="21505199001234", note=""
    )
    services.user_verify_identity(
        actor=staff, user=bob, provider_key="administrator", identity_number=None, note=""
    )
    assert User.objects.filter(verification_level=2).count() == 2


def test_it_refuses_verification_by_non_staff(alice, charlie, iin):
    with pytest.raises(PermissionDenied):
        services.user_verify_identity(
            actor=charlie, user=alice, provider_key="administrator", identity_number=iin, note=""
        )


def test_it_revokes_a_verification_and_frees_the_number(alice, bob, staff, iin):
    v = services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number=iin, note=""
    )
    services.user_revoke_verification(actor=staff, verification=v)
    alice.refresh_from_db()
    assert alice.verification_level == 0
    services.user_verify_identity(
        actor=staff, user=bob, provider_key="administrator", identity_number=iin, note=""
    )


def test_it_raises_and_lowers_the_level_with_a_totp_authenticator(alice):
    totp = Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    authenticator_added.send(sender=Authenticator, request=None, user=alice, authenticator=totp)
    alice.refresh_from_db()
    assert alice.verification_level == 1
    totp.delete()
    authenticator_removed.send(sender=Authenticator, request=None, user=alice, authenticator=totp)
    alice.refresh_from_db()
    assert alice.verification_level == 0
    assert len(events("accounts.user.level_changed")) == 2


def test_it_keeps_level_two_when_a_verified_person_adds_totp(alice, staff):
    services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number=None, note=""
    )
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert services.user_recompute_verification_level(user=alice) == 2


def test_it_creates_a_token_storing_only_its_digest(alice):
    token, key = services.api_token_create(actor=alice, name="notebook", expires_in_days=30)
    assert key.startswith(services.TOKEN_PREFIX) and token.prefix == key[:12]
    assert token.key_hash == services.token_digest(key) and key not in token.key_hash
    assert token.expires_at is not None
    assert token.expires_at - token.created_at == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(seconds=5)
    )
    assert events("accounts.apitoken.created")


def test_it_refuses_a_token_lasting_too_long(alice):
    with pytest.raises(ValidationError):
        services.api_token_create(actor=alice, name="x", expires_in_days=10_000)


def test_it_refuses_revoking_someone_elses_token(alice, charlie):
    token, _ = services.api_token_create(actor=alice, name="x", expires_in_days=7)
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=charlie, token=token)
    services.api_token_revoke(actor=alice, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
