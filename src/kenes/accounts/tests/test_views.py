import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from kenes.accounts import services
from kenes.accounts.models import ApiToken, Demographics, User
from kenes.audit.models import Event
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase 42"


def sign_up(client, email: str, lang: str = "en"):
    with translation.override(lang):
        url = reverse("account_signup")
    return client.post(url, {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def confirmation_url(message) -> str:
    match = re.search(r"http://testserver(/\S+/confirm-email/\S+/)", message.body)
    assert match is not None
    return match.group(1)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- allauth flows -------------------------------------------------------------------------------


def test_it_sends_a_confirmation_mail_and_stores_the_sign_up_language(client):
    sign_up(client, "new@example.org", lang="ru")
    user = User.objects.get(email="new@example.org")
    assert user.language == "ru"
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert "/confirm-email/" in message.body


def test_it_confirms_only_on_post_so_mail_scanners_cannot(client):
    sign_up(client, "new@example.org")
    url = confirmation_url(mail.outbox[0])
    response = client.get(url)
    assert response.status_code == 200
    assert b'method="post"' in response.content and b'type="submit"' in response.content
    assert not EmailAddress.objects.get(email="new@example.org").verified
    client.post(url)
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_it_refuses_login_before_confirmation_and_allows_it_after(client):
    sign_up(client, "new@example.org")
    client.logout()
    log_in(client, "new@example.org")
    assert not is_logged_in(client)
    client.post(confirmation_url(mail.outbox[0]))
    log_in(client, "new@example.org")
    assert is_logged_in(client)


def test_it_blocks_the_sixth_wrong_password_for_one_email(client, user_factory):
    user = user_factory(email="dora@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(5):
        log_in(client, "dora@example.org", "wrong password")
    log_in(client, "dora@example.org")  # the right one, but too late
    assert not is_logged_in(client)


def test_it_allows_login_under_the_limit(client, user_factory):
    user = user_factory(email="dora@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(4):
        log_in(client, "dora@example.org", "wrong password")
    log_in(client, "dora@example.org")
    assert is_logged_in(client)


def test_it_mails_a_password_reset_link(client, alice):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "/password/reset/key/" in message.body


def test_it_mails_in_the_recipients_language(client, user_factory):
    user = user_factory(email="rustam@example.org", language="ru")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with translation.override("en"):
        client.post(reverse("account_reset_password"), {"email": "rustam@example.org"})
    [message] = mail.outbox
    with translation.override("ru"):
        subject = translation.gettext("Password Reset Email")
        greeting = translation.gettext("Hello from %(site_name)s!") % {"site_name": "testserver"}
    assert subject != "Password Reset Email"  # allauth's ru catalogue translates it
    assert subject in message.subject
    assert greeting in message.body


def test_it_renders_allauth_pages_in_the_kenes_layout(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert 'class="skip-link"' in html  # our base.html
    assert '<form class="stacked"' in html
    assert 'class="button"' in html
    assert html.count("<h1") == 1


# --- /me pages -----------------------------------------------------------------------------------


def test_it_requires_login_for_me_pages(client):
    for name in ("profile", "demographics", "export", "delete", "tokens", "verify"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_saves_the_profile_and_redirects_in_the_new_language(client, alice):
    region = TerritoryFactory()
    client.force_login(alice)
    response = client.post(
        "/en/me/", {"display_name": "Alisa", "language": "ru", "home_territory": region.code}
    )
    assert response.status_code == 302 and response["Location"] == "/ru/me/"
    alice.refresh_from_db()
    assert (alice.display_name, alice.language, alice.home_territory) == ("Alisa", "ru", region)
    assert Event.objects.filter(action="accounts.user.updated", actor=alice).exists()


def test_it_keeps_input_when_the_profile_form_fails(client, alice):
    client.force_login(alice)
    response = client.post("/en/me/", {"display_name": "Kept name", "language": "xx"})
    assert response.status_code == 200
    assert b'value="Kept name"' in response.content
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_it_offers_only_upper_territory_levels(client, alice):
    region = TerritoryFactory(name="Upper Region")
    district = TerritoryFactory(parent=region, name="Some District")
    TerritoryFactory(parent=district, name="Tiny Village")
    client.force_login(alice)
    html = client.get("/en/me/").content.decode()
    assert "Upper Region" in html and "Some District" in html and "Tiny Village" not in html
    assert reverse("mfa_index") in html


def test_it_refuses_demographics_without_consent_and_keeps_input(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:demographics"), {"birth_year": "1984", "gender": "female"})
    assert response.status_code == 200
    assert b'value="1984"' in response.content
    assert not Demographics.objects.filter(user=alice).exists()


def test_it_stores_and_removes_demographics(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:demographics"), {"birth_year": "1984", "gender": "female", "consent": "on"})
    assert Demographics.objects.get(user=alice).birth_year == 1984
    client.post(reverse("accounts:demographics"), {"remove": "1"})
    assert not Demographics.objects.filter(user=alice).exists()


def test_it_downloads_the_export_as_json(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.content)
    assert data["profile"]["email"] == "alice@example.org"
    assert set(data) >= {"profile", "demographics", "verifications", "api_tokens", "email_addresses", "apps"}


def test_it_refuses_deletion_without_the_right_email_and_keeps_the_account(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"email": "someone@example.org"})
    assert response.status_code == 200 and b'value="someone@example.org"' in response.content
    alice.refresh_from_db()
    assert alice.deleted_at is None


def test_it_deletes_logs_out_and_frees_the_email_but_not_the_identity(client, alice, staff, iin):
    alice.set_password(PASSWORD)
    alice.save()
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    services.user_verify_identity(
        actor=staff, user=alice, provider_key="administrator", identity_number=iin, note=""
    )
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"email": "Alice@Example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("common:home")
    assert not is_logged_in(client)
    alice.refresh_from_db()
    assert alice.public_name == "deleted user"
    log_in(client, "alice@example.org")
    assert not is_logged_in(client)

    # A2: a new account with the freed address…
    sign_up(client, "alice@example.org")
    newcomer = User.objects.get(email="alice@example.org")
    assert newcomer.pk != alice.pk
    # …cannot be verified with the same national identity number.
    client.force_login(staff)
    response = client.post(
        reverse("accounts:verify"),
        {"email": "alice@example.org", "provider": "administrator", "identity_number": iin, "note": ""},
    )
    assert response.status_code == 200
    assert "already verified another account" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.verification_level == 0


def test_it_lets_staff_verify_a_person(client, staff, alice, iin):
    client.force_login(staff)
    response = client.post(
        reverse("accounts:verify"),
        {
            "email": "alice@example.org",
            "provider": "administrator",
            "identity_number": iin,
            "note": "ID card",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.verification_level == 2


def test_it_refuses_the_verify_page_to_non_staff(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:verify")).status_code == 403
    response = client.post(
        reverse("accounts:verify"), {"email": "alice@example.org", "provider": "administrator"}
    )
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.verification_level == 0


def test_it_lists_verifications_in_few_queries(client, staff, user_factory, django_assert_max_num_queries):
    for _ in range(15):
        services.user_verify_identity(
            actor=staff, user=user_factory(), provider_key="administrator", identity_number=None, note=""
        )
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:verify"))
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">') == 15


def test_it_creates_shows_once_lists_and_revokes_tokens(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    response = client.post(reverse("accounts:tokens"), {"name": "notebook", "expires_in_days": "30"})
    match = re.search(r'<code id="new-token">(\S+)</code>', response.content.decode())
    assert match is not None
    key = match.group(1)
    token = ApiToken.objects.get(user=alice)
    assert token.key_hash == services.token_digest(key)
    for i in range(5):
        services.api_token_create(actor=alice, name=f"t{i}", expires_in_days=7)
    with django_assert_max_num_queries(6):
        listing = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in listing and token.prefix in listing
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_hides_other_peoples_tokens(client, alice, charlie):
    token, _ = services.api_token_create(actor=alice, name="mine", expires_in_days=7)
    client.force_login(charlie)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "mfa_index", "account_logout"])
def test_it_renders_allauth_account_pages_with_one_heading(client, alice, name):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    client.force_login(alice)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1
