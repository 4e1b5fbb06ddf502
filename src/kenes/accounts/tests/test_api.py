import datetime

import pytest
import time_machine
from django.utils import timezone

from kenes.accounts import services
from kenes.accounts.models import ApiToken
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/accounts/me"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_answers_401_in_the_common_format_without_auth(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_it_serves_me_with_a_session(client, alice):
    client.force_login(alice)
    body = client.get(URL).json()
    assert body["email"] == "alice@example.org" and body["verification_level"] == 0


def test_it_serves_me_with_a_token_and_notes_its_use(client, alice):
    token, key = services.api_token_create(actor=alice, name="t", expires_in_days=7)
    response = client.get(URL, **bearer(key))
    assert response.status_code == 200 and response.json()["id"] == alice.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_updates_last_used_at_at_most_once_a_minute(client, alice):
    token, key = services.api_token_create(actor=alice, name="t", expires_in_days=7)
    client.get(URL, **bearer(key))
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get(URL, **bearer(key))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        client.get(URL, **bearer(key))
    later = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and later is not None and later > first


def test_it_refuses_wrong_revoked_and_expired_tokens(client, alice):
    assert client.get(URL, **bearer("kns_nonsense")).status_code == 401
    token, key = services.api_token_create(actor=alice, name="t", expires_in_days=7)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert client.get(URL, **bearer(key)).status_code == 401
    services.api_token_revoke(actor=alice, token=token)
    assert client.get(URL, **bearer(key)).status_code == 401
    # A refused token is not noted as used.
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


def test_it_refuses_tokens_of_deleted_people(client, alice):
    token, key = services.api_token_create(actor=alice, name="t", expires_in_days=7)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(URL, **bearer(key)).status_code == 401
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


def test_it_patches_me_with_a_token(client, alice):
    region = TerritoryFactory()
    _token, key = services.api_token_create(actor=alice, name="t", expires_in_days=7)
    response = client.patch(
        URL,
        {"display_name": "Alisa", "home_territory": region.code},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Alisa" and response.json()["home_territory"] == region.code
    alice.refresh_from_db()
    assert alice.language == "en" and alice.home_territory == region


def test_it_refuses_an_invalid_patch_in_the_common_format(client, alice):
    client.force_login(alice)
    response = client.patch(URL, {"language": "de"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    response = client.patch(URL, {"home_territory": "000"}, content_type="application/json")
    assert response.status_code == 422


def test_it_refuses_patch_without_auth(client):
    response = client.patch(URL, {"display_name": "x"}, content_type="application/json")
    assert response.status_code == 401
