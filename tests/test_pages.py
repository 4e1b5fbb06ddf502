"""The base layout: four languages, a no-JavaScript language switcher, accessibility
landmarks and a light home page."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

LANGUAGES = ["kk", "ru", "ky", "en"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_serves_the_home_page_in_each_language(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


@pytest.mark.django_db
def test_it_redirects_the_bare_root_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


@pytest.mark.django_db
def test_the_language_switcher_works_without_javascript(client):
    response = client.post("/i18n/setlang/", {"language": "kk", "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/kk/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"


@pytest.mark.django_db
def test_the_interface_is_translated_in_kazakh(client):
    english = client.get("/en/").content.decode()
    kazakh = client.get("/kk/").content.decode()
    assert "Skip to main content" in english
    assert "Skip to main content" not in kazakh
    assert "Organisations" not in kazakh


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.django_db
def test_the_layout_has_landmarks_a_skip_link_and_one_heading(client):
    parser = _Structure()
    parser.feed(client.get("/en/").content.decode())
    names = [tag for tag, _ in parser.tags]
    assert names.count("main") == 1 and "header" in names and "footer" in names
    assert names.count("h1") == 1
    skip = next(attrs for tag, attrs in parser.tags if tag == "a")
    assert skip.get("href") == "#main"
    assert any(tag == "main" and attrs.get("id") == "main" for tag, attrs in parser.tags)
    navs = [attrs for tag, attrs in parser.tags if tag == "nav"]
    assert navs and all(attrs.get("aria-label") for attrs in navs)
    buttons = [attrs for tag, attrs in parser.tags if tag == "button"]
    assert {b.get("value") for b in buttons} >= set(LANGUAGES)


@pytest.mark.django_db
def test_the_home_page_weighs_under_150_kb(client):
    html = client.get("/en/").content
    total = len(html)
    for href in re.findall(rb'href="/static/([^"]+)"', html) + re.findall(rb'src="/static/([^"]+)"', html):
        path = finders.find(href.decode())
        assert path, href
        with open(path, "rb") as f:
            total += len(f.read())
    assert total < 150 * 1024, total


@pytest.mark.django_db
def test_the_health_check_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_the_api_docs_are_served(client):
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Kenes API"
