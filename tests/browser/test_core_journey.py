"""A person signs up, confirms the e-mail from the outbox, logs in, switches to Kazakh and
sees the interface translated, then finds an organisation in the directory by filter."""

import re

import pytest
from django.core import mail

from kenes.organizations.models import Organization
from kenes.organizations.tests.factories import OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def directory(transactional_db):
    region = TerritoryFactory(code="610000000", name_en="Turkistan region", name_kk="Түркістан облысы")
    district = TerritoryFactory(
        code="615200000", parent=region, kind="district", name_en="Sayram district", name_kk="Сайрам ауданы"
    )
    OrganizationFactory(
        name_en="Jasyl Dala Environmental Union",
        name_kk="Жасыл Дала экологиялық одағы",
        kind=Organization.Kind.NGO,
        territory=district,
    )
    OrganizationFactory(
        name_en="Akimat of Turkistan Region",
        name_kk="Түркістан облысының әкімдігі",
        kind=Organization.Kind.LOCAL_EXECUTIVE,
        territory=region,
    )
    return region


def test_sign_up_confirm_log_in_switch_language_and_find_an_organisation(page, directory):
    # Sign up.
    page.goto("/en/accounts/signup/")
    page.get_by_label(re.compile("^E-?mail", re.I)).first.fill("dana@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password1]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))

    # The confirmation link from the outbox opens a page; only its button confirms.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    assert "/confirm-email/" in page.url  # opening the link confirmed nothing yet
    page.locator("main form button[type=submit]").click()

    # Log in.
    page.goto("/en/accounts/login/")
    page.locator("input[name=login]").fill("dana@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/me/$"))

    # Switch to Kazakh with the header's language buttons.
    page.locator("button[name=language][value=kk]").click()
    page.wait_for_url(re.compile(r"/kk/me/$"))
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_role("link", name="Skip to main content").count() == 0

    # Find the NGO in the directory by filtering on kind and region (subdivisions included).
    page.goto("/kk/organizations/")
    page.locator("select[name=kind]").select_option("ngo")
    page.locator("select[name=territory]").select_option("610000000")
    page.locator("form.filters button[type=submit], aside form button[type=submit]").first.click()
    results = page.locator("main")
    assert results.get_by_text("Жасыл Дала экологиялық одағы").count() == 1
    assert results.get_by_text("Түркістан облысының әкімдігі").count() == 0
