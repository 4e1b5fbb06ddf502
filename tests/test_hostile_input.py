"""Hostile input is escaped or refused, never reflected or obeyed (RELIABILITY B3, B4)."""

import pytest

from kenes.organizations.tests.factories import OrganizationFactory

SCRIPT = "<script>alert(1)</script>"


@pytest.mark.django_db
def test_it_escapes_markup_in_organisation_names(client):
    org = OrganizationFactory(name_en=SCRIPT, name_ru=SCRIPT)
    for url in ("/en/organizations/", f"/en/organizations/{org.pk}/"):
        body = client.get(url).content.decode()
        assert SCRIPT not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.django_db
def test_it_does_not_reflect_markup_typed_into_search(client):
    body = client.get("/en/organizations/", {"q": SCRIPT}).content.decode()
    assert SCRIPT not in body


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_the_language_switcher_is_no_open_redirect(client, target):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"] and "javascript" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/"])
def test_logging_in_is_no_open_redirect(client, alice, target):
    credentials = {"login": alice.email, "password": "correct horse battery staple"}
    response = client.post("/en/accounts/login/", {**credentials, "next": target})
    assert "evil.example" not in response.get("Location", "")


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", ["-1", "0", "1000000000", "<x>", "1e3"])
@pytest.mark.parametrize("url", ["/en/organizations/", "/en/territories/", "/api/v1/organizations/"])
def test_absurd_paging_is_clamped_not_an_error(client, url, per_page):
    response = client.get(url, {"per_page": per_page, "page": "-5"})
    assert response.status_code == 200
    assert "&lt;x&gt;" not in response.content.decode() or per_page == "<x>"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/en/organizations/?q=a%00b", "/en/territories/61%000/", "/api/v1/territories/?q=%00"]
)
def test_a_nul_byte_is_a_clear_400_not_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "invalid"
