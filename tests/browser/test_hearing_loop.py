"""The hearing loop in a browser: an official of the responsible body opens the inbox, opens an
obligation and answers it with a decision and reasons; the author logs in, sees the answer on the
obligation page and rates it. Run in English and in Russian."""

import re

import pytest

from kenes.obligations.models import Obligation, Rating
from kenes.obligations.tests.factories import ObligationFactory
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory
from tests.browser.helpers import log_in, person
from tests.testapp.factories import SubmissionFactory

REASONS = "The road to the school will be resurfaced in May under the district programme."
# The body's name is official multilingual content: it must follow the page's language.
BODY_NAME = {"en": "Akimat of Akmola Region", "ru": "Акимат Акмолинской области"}


@pytest.fixture
def loop(transactional_db):
    region = TerritoryFactory(code="930000000", name_en="Akmola region", name_ru="Акмолинская область")
    body = OrganizationFactory(
        territory=region,
        kind=Organization.Kind.LOCAL_EXECUTIVE,
        name_en="Akimat of Akmola Region",
        name_ru="Акимат Акмолинской области",
    )
    official = person("official@example.org", "Official", "en")
    author = person("author@example.org", "Author", "ru")
    MembershipFactory(organization=body, user=official, role=Membership.Role.OFFICER)
    obligation = ObligationFactory(
        submission=SubmissionFactory(author=author, organization=body),
        author=author,
        title="Repair the road to the school",
    )
    return {"body": body, "obligation": obligation}


def log_out(page):
    page.context.clear_cookies()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_official_answers_with_reasons_and_the_author_sees_and_rates_it(page, loop, language):
    obligation = loop["obligation"]
    body = loop["body"]

    # The official opens the inbox and the obligation in it.
    log_in(page, language, "official@example.org")
    page.goto(f"/{language}/obligations/inbox/")
    page.locator(f"a[href='/{language}/obligations/inbox/{body.pk}/']").click()
    row = page.locator(f"tr[data-obligation='{obligation.pk}']")
    assert row.count() == 1
    row.locator(f"a[href='/{language}/obligations/{obligation.pk}/']").click()
    page.wait_for_url(re.compile(rf"/{language}/obligations/{obligation.pk}/$"))

    # Answers with a decision and reasons.
    form = page.locator("form[data-action=respond]")
    form.locator("select[name=decision]").select_option("partly_accepted")
    form.locator("textarea[name=reasons]").fill(REASONS)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/obligations/{obligation.pk}/$"))
    assert page.locator("article.response[data-decision=partly_accepted]").count() == 1
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.ANSWERED

    # The author logs in, sees the answer and its reasons, and rates it.
    log_out(page)
    log_in(page, language, "author@example.org")
    page.goto(f"/{language}/obligations/{obligation.pk}/")
    answer = page.locator("article.response")
    assert answer.get_attribute("data-decision") == "partly_accepted"
    assert BODY_NAME[language] in answer.inner_text()
    assert REASONS in answer.inner_text()
    rate = page.locator("form[data-action=rate]")
    rate.locator("input[name=score][value='4']").check()
    rate.locator("textarea[name=comment]").fill("Clear and on time.")
    rate.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/obligations/{obligation.pk}/$"))
    assert page.locator("[data-score='4']").count() == 1
    assert Rating.objects.get(response__obligation=obligation).score == 4
    assert page.locator("html").get_attribute("lang") == language
