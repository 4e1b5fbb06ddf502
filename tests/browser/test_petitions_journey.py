"""E-petitions in a browser: an author writes a petition in English, sees the likely duplicates,
saves the draft and sends it to the moderators; a staff moderator approves it from the queue; two
residents sign it, one in English and one in Russian; the counting job (run by the test between
steps, as Celery beat would) passes the threshold and opens the obligation of the addressee body;
an official of the body answers it with reasons on the obligation's page; the Russian-speaking
signer opens the petition and sees the answer, and every signer has been notified."""

import re

import pytest
from django.contrib.auth.models import Permission

from kenes.notifications.models import Notification
from kenes.obligations.models import Obligation
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.petitions.counting import signatures_count
from kenes.petitions.models import Level, Petition, PetitionRule
from kenes.petitions.tests.factories import PetitionFactory, TopicFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory
from tests.browser.helpers import log_in, person

TITLE = "Light the road to the village school in Zhanaturmys"
TEXT = (
    "The road from Zhanaturmys to the village school has no street lights. "
    "Children walk two kilometres along it in the dark every winter morning."
)
DEMAND = "Install street lights along the road to the school before the next winter."
REASONS = (
    "Street lights along the school road are included in the regional lighting programme for next "
    "year; the tender opens in March and the work is due before October."
)
BODY_NAME = {"en": "Akimat of Akmola Region", "ru": "Акимат Акмолинской области"}


@pytest.fixture
def journey(transactional_db):
    region = TerritoryFactory(code="930000000", name_en="Akmola region", name_ru="Акмолинская область")
    town = TerritoryFactory(
        code="931000000", parent=region, kind=Territory.Kind.DISTRICT, name_en="Kokshetau"
    )
    body = OrganizationFactory(
        territory=region,
        kind=Organization.Kind.LOCAL_EXECUTIVE,
        name_en=BODY_NAME["en"],
        name_ru=BODY_NAME["ru"],
    )
    topic = TopicFactory(code="roads_transport", name_en="Roads and transport", name_ru="Дороги и транспорт")
    # The terms a regional petition copies when it is submitted (the data migration's rows do not
    # survive the flush between transactional tests).
    PetitionRule.objects.get_or_create(
        country="KZ",
        level=Level.REGIONAL,
        defaults={"threshold": 10_000, "duration_months": 3, "min_verification_level": 1},
    )
    official = person("official@example.org", "Official", "en", verification_level=1)
    MembershipFactory(organization=body, user=official, role=Membership.Role.OFFICER)
    moderator = person("moderator@example.org", "Moderator", "en", is_staff=True, verification_level=1)
    moderator.user_permissions.add(
        Permission.objects.get(codename="moderate_petition", content_type__app_label="petitions")
    )
    # An open petition on the same road: the likely duplicate the author is shown.
    existing = PetitionFactory(
        title="Light the road to the school in Zhanaturmys",
        text="There are no street lights on the road to the school; children walk in the dark.",
        addressee=body,
        territory=region,
        topic=topic,
    )
    return {
        "region": region,
        "body": body,
        "topic": topic,
        "existing": existing,
        "author": person("author@example.org", "Author", "en", town, verification_level=1),
        "signer_en": person("signer.en@example.org", "Signer", "en", town, verification_level=1),
        "signer_ru": person("signer.ru@example.org", "Подписант", "ru", town, verification_level=1),
    }


def write_petition(page, journey):
    page.goto("/en/petitions/")
    page.get_by_role("link", name="Start a petition").click()
    page.wait_for_url(re.compile(r"/en/petitions/new/$"))
    form = page.locator("form[data-action=create]")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=text]").fill(TEXT)
    form.locator("textarea[name=demand]").fill(DEMAND)
    form.locator("select[name=addressee]").select_option(str(journey["body"].pk))
    form.locator("select[name=territory]").select_option(journey["region"].code)
    form.locator("select[name=topic]").select_option(str(journey["topic"].pk))
    form.locator("select[name=level]").select_option(Level.REGIONAL)
    assert form.locator("select[name=language]").input_value() == "en"
    form.get_by_role("button", name="Continue: check for similar petitions").click()

    # The likely duplicates step: the open petition on the same road is listed, what was typed is kept.
    similar = page.locator("section[data-similar]")
    similar.wait_for()
    assert similar.locator(f"li[data-petition='{journey['existing'].pk}']").count() == 1
    assert page.locator("form[data-action=create] input[name=title]").input_value() == TITLE
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(r"/en/petitions/\d+/$"))
    assert page.locator("[data-notice=draft]").count() == 1
    petition = Petition.objects.get(title=TITLE)
    assert page.locator("h1").inner_text() == TITLE

    page.locator("form[data-action=submit] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/en/petitions/{petition.pk}/$"))
    assert page.locator("[data-notice=pending]").count() == 1
    assert page.locator("[data-state=pending]").count() == 1
    return petition


def approve(page, petition):
    page.goto("/en/petitions/moderation/")
    card = page.locator(f"article[data-petition='{petition.pk}']")
    assert TITLE in card.locator("h2").inner_text()
    card.get_by_label("Approve and open for signatures").check()
    card.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/en/petitions/moderation/$"))
    assert page.locator(f"article[data-petition='{petition.pk}']").count() == 0
    assert TITLE in page.locator("ul.messages .message-success").inner_text()


def sign(page, petition, language):
    page.goto(f"/{language}/petitions/{petition.pk}/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("form[data-action=sign] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/petitions/{petition.pk}/$"))
    # Signed, but not in the count shown until the counting job runs.
    assert page.locator("[data-signature-state=signed]").count() == 1
    assert page.locator("form[data-action=sign]").count() == 0


def test_write_moderate_sign_in_two_languages_and_get_an_answer(page, journey):
    body = journey["body"]

    # The author writes the petition, sees the likely duplicate, and sends it to the moderators.
    log_in(page, "en", "author@example.org")
    petition = write_petition(page, journey)
    petition.refresh_from_db()
    assert petition.state == Petition.State.PENDING
    assert petition.addressee == body and petition.language == "en"
    Petition.objects.filter(pk=petition.pk).update(threshold=2)  # setup: a low threshold

    # A staff moderator approves it from the queue.
    log_in(page, "en", "moderator@example.org")
    approve(page, petition)
    petition.refresh_from_db()
    assert petition.state == Petition.State.OPEN and petition.closes_at is not None

    # The first resident signs in English; the counting job folds the signature in.
    log_in(page, "en", "signer.en@example.org")
    sign(page, petition, "en")
    signatures_count(lag_seconds=0)
    page.reload()
    assert page.locator("[data-signature-state=counted]").count() == 1
    progress = page.locator(".petition-progress")
    assert progress.get_attribute("data-count") == "1" and progress.get_attribute("data-threshold") == "2"
    assert page.locator("[data-threshold-reached]").count() == 0

    # The second signs in Russian; the next count passes the threshold and opens the obligation.
    log_in(page, "ru", "signer.ru@example.org")
    sign(page, petition, "ru")
    signatures_count(lag_seconds=0)
    page.reload()
    assert page.locator(".petition-progress").get_attribute("data-count") == "2"
    assert BODY_NAME["ru"] in page.locator("[data-threshold-reached]").inner_text()
    obligation = Obligation.objects.for_subject(petition).get()
    assert obligation.organization == body and obligation.is_live
    link = page.locator(f"#answer a[data-obligation='{obligation.pk}']")
    assert link.count() == 1
    assert page.locator("#answer").get_attribute("data-answered") == "0"

    # An official of the body answers on the obligation's page, reached from the petition.
    log_in(page, "en", "official@example.org")
    page.goto(f"/en/petitions/{petition.pk}/")
    page.locator(f"#answer a[data-obligation='{obligation.pk}']").click()
    page.wait_for_url(re.compile(rf"/en/obligations/{obligation.pk}/$"))
    form = page.locator("form[data-action=respond]")
    form.locator("select[name=decision]").select_option("accepted")
    form.locator("textarea[name=reasons]").fill(REASONS)
    form.get_by_role("button", name="Publish the answer").click()
    page.wait_for_url(re.compile(rf"/en/obligations/{obligation.pk}/$"))
    assert page.locator("article.response[data-decision=accepted]").count() == 1
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.ANSWERED

    # The Russian-speaking signer opens the petition and reads the answer.
    log_in(page, "ru", "signer.ru@example.org")
    page.goto(f"/ru/petitions/{petition.pk}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    answer = page.locator("#answer")
    assert answer.get_attribute("data-answered") == "1"
    response = answer.locator("article.response")
    assert response.get_attribute("data-decision") == "accepted"
    assert REASONS in response.inner_text()
    assert BODY_NAME["ru"] in response.inner_text()
    assert page.locator("[data-signature-state=counted]").count() == 1

    # Every signer was told of the answer (once), in the notification centre.
    for signer in (journey["signer_en"], journey["signer_ru"]):
        told = Notification.objects.filter(
            recipient=signer, dedupe_key=f"obligations-answered:{obligation.pk}"
        )
        assert told.count() == 1, signer.email
    assert Notification.objects.filter(recipient=journey["signer_ru"], event="petitions.answered").exists()
