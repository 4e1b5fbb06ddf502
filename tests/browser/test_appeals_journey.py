"""Appeals in a browser: a citizen sends an appeal with a PDF attachment in Russian, choosing the
body; an official of that body opens it, follows the link to the obligation's page and forwards it
to the competent body with a reason; an official of that body extends the deadline (to a working
day within the legal limit) with a reason, then answers with reasons; the citizen, in English this
time, reads the answer on the appeal's page and rates it. Between steps everyone comes back to the
appeal's page, which the obligation's page links to."""

import re
from datetime import timedelta

import pytest

from kenes.appeals.models import Appeal
from kenes.appeals.tests.factories import TopicFactory
from kenes.engines import workdays
from kenes.obligations import deadlines
from kenes.obligations.models import Obligation, Rating
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory
from tests.browser.helpers import log_in, person

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SUBJECT = "Не работает освещение на улице Абая"
TEXT = "Фонари на улице Абая в Кокшетау не горят с октября. Прошу их отремонтировать."
REDIRECT_REASON = (
    "Street lighting in the city is maintained by the city's housing department, not the district."
)
EXTEND_REASON = "The lighting contractor must inspect the cables first; the inspection takes three weeks."
ANSWER = "The cables on Abai street were replaced and the street lights work again since Monday."
DISTRICT = {"en": "Akimat of Kokshetau district", "ru": "Акимат Кокшетауского района"}
HOUSING = {"en": "Housing department of Kokshetau", "ru": "Отдел ЖКХ города Кокшетау"}


@pytest.fixture
def journey(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the live server runs in this process
    region = TerritoryFactory(code="110000000", name_en="Akmola region", name_ru="Акмолинская область")
    city = TerritoryFactory(
        code="111000000", parent=region, kind=Territory.Kind.DISTRICT, name_en="Kokshetau"
    )
    district = OrganizationFactory(
        territory=city, kind=Organization.Kind.LOCAL_EXECUTIVE, name_en=DISTRICT["en"], name_ru=DISTRICT["ru"]
    )
    housing = OrganizationFactory(
        territory=city, kind=Organization.Kind.STATE_BODY, name_en=HOUSING["en"], name_ru=HOUSING["ru"]
    )
    first = person("first.official@example.org", "First Official", "en", verification_level=1)
    MembershipFactory(organization=district, user=first, role=Membership.Role.OFFICER)
    second = person("second.official@example.org", "Second Official", "en", verification_level=1)
    MembershipFactory(organization=housing, user=second, role=Membership.Role.OFFICER)
    return {
        "city": city,
        "district": district,
        "housing": housing,
        "topic": TopicFactory(code="utilities", name_en="Utilities", name_ru="Коммунальные услуги"),
        "citizen": person("citizen@example.org", "Гражданин", "ru", verification_level=1),
    }


def submit_appeal(page, journey):
    page.goto("/ru/appeals/new/")
    assert page.locator("html").get_attribute("lang") == "ru"
    form = page.locator("form[data-action=submit-appeal]")
    form.locator("select[name=kind]").select_option(Appeal.Kind.COMPLAINT)
    form.locator("select[name=territory]").select_option(journey["city"].code)
    form.locator("select[name=topic]").select_option(str(journey["topic"].pk))
    form.locator("select[name=addressee]").select_option(str(journey["district"].pk))
    form.locator("input[name=subject]").fill(SUBJECT)
    form.locator("textarea[name=text]").fill(TEXT)
    assert form.locator("select[name=language]").input_value() == "ru"
    form.locator("input[name=attachments]").set_input_files(
        files=[{"name": "photo-report.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    form.locator("button[type=submit]:not([name=preview])").click()
    page.wait_for_url(re.compile(r"/ru/appeals/\d+/$"))
    appeal = Appeal.objects.get(subject=SUBJECT)
    assert page.locator(f"[data-number='{appeal.number}']").count() == 1
    assert appeal.number in page.locator("ul.messages").inner_text()
    assert page.locator("main a[download]", has_text="photo-report.pdf").count() == 1
    assert DISTRICT["ru"] in page.locator("main").inner_text()
    return appeal


def open_action(page, appeal, action):
    """From the appeal's page, follow an official's action link to the obligation's page."""
    page.goto(f"/en/appeals/{appeal.pk}/")
    page.locator(f"a[data-action-link={action}]").click()
    page.wait_for_url(re.compile(rf"/en/obligations/\d+/#{action}$"))
    return page.locator(f"form[data-action={action}]")


def back_to_appeal(page, appeal):
    """The obligation's page links to the submission: the appeal's page."""
    page.locator(f"a[href='/en/appeals/{appeal.pk}/']").first.click()
    page.wait_for_url(re.compile(rf"/en/appeals/{appeal.pk}/$"))


def test_submit_forward_extend_answer_and_rate(page, journey):
    district, housing = journey["district"], journey["housing"]

    # The citizen sends the appeal in Russian, with a PDF, to the district akimat.
    log_in(page, "ru", "citizen@example.org")
    appeal = submit_appeal(page, journey)
    first = Obligation.objects.for_subject(appeal).get()
    assert first.organization == district and first.is_live
    assert appeal.attachments.get().file.read() == PDF

    # The district's official opens it, sees the attachment, and forwards it to the housing department.
    log_in(page, "en", "first.official@example.org")
    page.goto(f"/en/appeals/{appeal.pk}/")
    assert page.locator("main a[download]", has_text="photo-report.pdf").count() == 1
    assert page.locator("[data-state]").first.get_attribute("data-state") == first.state
    form = open_action(page, appeal, "redirect")
    form.locator("select[name=to_organization]").select_option(str(housing.pk))
    form.locator("textarea[name=reason]").fill(REDIRECT_REASON)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/obligations/\d+/$"))  # the new obligation's
    second = Obligation.objects.for_subject(appeal).exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert first.state == Obligation.State.REDIRECTED
    assert second.organization == housing and second.is_live
    # The forward lands on the new obligation's page, which this official (of the district, not of
    # the housing department) may not see when the appeal is private; their own obligation's page
    # shows the forward and links back to the appeal.
    page.goto(f"/en/obligations/{first.pk}/")
    assert page.locator("[data-state=redirected]").count() == 1
    assert HOUSING["en"] in page.locator("main p.notice").first.inner_text()
    back_to_appeal(page, appeal)
    assert REDIRECT_REASON in page.locator(f"[data-redirected='{first.pk}']").inner_text()
    assert page.locator("a[data-action-link]").count() == 0  # no longer this official's to act on

    # The housing department's official extends the deadline: a working day after it, within the limit.
    log_in(page, "en", "second.official@example.org")
    limit = deadlines.extension_limit(second)
    assert limit is not None and limit > second.deadline
    new_deadline = workdays.next_working_day(second.country, second.deadline + timedelta(days=1))
    assert new_deadline <= limit and deadlines.is_working_day(second.country, new_deadline)
    form = open_action(page, appeal, "extend")
    form.locator("input[name=new_deadline]").fill(new_deadline.isoformat())
    form.locator("textarea[name=reason]").fill(EXTEND_REASON)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/en/obligations/{second.pk}/$"))
    back_to_appeal(page, appeal)
    assert page.locator("[data-deadline]").get_attribute("data-deadline") == new_deadline.isoformat()
    assert EXTEND_REASON in page.locator("[data-extended]").inner_text()
    second.refresh_from_db()
    assert second.state == Obligation.State.EXTENDED and second.deadline == new_deadline

    # ... then answers with reasons.
    form = open_action(page, appeal, "respond")
    form.locator("select[name=decision]").select_option("accepted")
    form.locator("textarea[name=reasons]").fill(ANSWER)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/en/obligations/{second.pk}/$"))
    assert page.locator("article.response[data-decision=accepted]").count() == 1
    back_to_appeal(page, appeal)
    assert page.locator("[data-state]").first.get_attribute("data-state") == Obligation.State.ANSWERED

    # The citizen, in English this time, reads the answer on the appeal's page and rates it.
    log_in(page, "en", "citizen@example.org")
    page.goto(f"/en/appeals/{appeal.pk}/")
    response = page.locator("article.response")
    assert response.get_attribute("data-decision") == "accepted"
    assert ANSWER in response.inner_text()
    assert HOUSING["en"] in response.inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    rate = page.locator("form[data-action=rate]")
    rate.locator("input[name=score][value='5']").check()
    rate.locator("textarea[name=comment]").fill("Fixed quickly, thank you.")
    rate.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/en/obligations/{second.pk}/$"))
    page.goto(f"/en/appeals/{appeal.pk}/")
    assert page.locator("article.response [data-score='5']").count() == 1
    assert Rating.objects.get(response__obligation=second).score == 5
