import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from tests.testapp.factories import SubmissionFactory
from tests.testapp.models import Submission

from kenes.accounts.tests.factories import UserFactory
from kenes.moderation import services
from kenes.moderation.models import Appeal, Decision, Report
from kenes.organizations.tests.factories import OrganizationFactory

from .factories import ReportFactory, verified

pytestmark = pytest.mark.django_db

QUEUE = "/en/moderation/"
REASON = "Personal phone numbers of a neighbour are published here."


def report_url(content):
    return f"/en/moderation/report/testapp.submission/{content.pk}/"


def item_url(content):
    return f"/en/moderation/item/testapp.submission/{content.pk}/"


def titles(response):
    return re.findall(
        r'<a href="/en/moderation/item/testapp\.submission/\d+/">([^<]+)</a>', response.content.decode()
    )


# --- Report form ----------------------------------------------------------------------------------


def test_the_report_page_needs_a_login(client, submission):
    response = client.get(report_url(submission))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_shows_a_labelled_report_form(client, submission, charlie):
    client.force_login(charlie)
    html = client.get(report_url(submission)).content.decode()
    assert "<legend>What is wrong?</legend>" in html
    assert '<label for="id_category_0">' in html and '<label for="id_text">' in html
    assert "Fix the bridge" in html and html.count("<h1>") == 1


def test_it_records_a_report_thanks_and_returns_to_the_content(client, submission, charlie):
    client.force_login(charlie)
    response = client.post(report_url(submission), {"category": "spam", "text": "An advert"})
    assert response.status_code == 302 and response["Location"] == submission.get_absolute_url()
    report = Report.objects.get()
    assert report.reporter == charlie and report.category == "spam" and report.text == "An advert"
    next_page = client.get(report_url(submission))
    assert [str(m) for m in next_page.context["messages"]] == ["Thank you; moderators will look at it."]
    assert "You have already reported this." in next_page.content.decode()


def test_it_keeps_the_input_when_the_report_form_fails(client, submission, charlie):
    client.force_login(charlie)
    response = client.post(report_url(submission), {"category": "other", "text": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<input type="radio" name="category" value="other"[^>]*checked', html)
    assert "Say what is wrong." in html
    assert not Report.objects.exists()


def test_it_refuses_a_second_report_on_the_page(client, submission, charlie):
    client.force_login(charlie)
    client.post(report_url(submission), {"category": "spam"})
    again = client.post(report_url(submission), {"category": "abuse", "text": "more"})
    assert again.status_code == 400
    assert "You have already reported this." in again.content.decode()
    assert Report.objects.count() == 1


def test_it_refuses_reports_of_ones_own_content_unregistered_models_and_private_content(
    client, submission, alice, charlie, org
):
    client.force_login(alice)
    assert client.get(report_url(submission)).status_code == 403
    client.force_login(charlie)
    assert client.get(f"/en/moderation/report/organizations.organization/{org.pk}/").status_code == 404
    assert client.get("/en/moderation/report/nonsense/1/").status_code == 404
    assert client.get(report_url(submission).replace(str(submission.pk), "x")).status_code == 404
    private = SubmissionFactory(author=alice, organization=org, is_private=True)
    assert client.post(report_url(private), {"category": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_it_escapes_the_title_of_reported_content(client, org, alice, charlie):
    nasty = SubmissionFactory(author=alice, organization=org, title="<script>alert(1)</script>")
    client.force_login(charlie)
    html = client.get(report_url(nasty)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --- Queue ----------------------------------------------------------------------------------------


def test_the_queue_is_for_moderators_only(client, submission, charlie, alice):
    assert client.get(QUEUE).status_code == 302
    for person in (charlie, alice):
        client.force_login(person)
        assert client.get(QUEUE).status_code == 403


def test_the_queue_groups_reports_per_item_and_puts_priority_first(client, org, moderator):
    plain = SubmissionFactory(organization=org, title="Plain")
    urgent = SubmissionFactory(organization=org, title="Urgent")
    for person in UserFactory.create_batch(4):
        ReportFactory(content=plain, reporter=person)
    for person in verified(3):
        ReportFactory(content=urgent, reporter=person)
    elsewhere = SubmissionFactory(title="Elsewhere")
    ReportFactory(content=elsewhere)
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert titles(response) == ["Urgent", "Plain"]
    html = response.content.decode()
    assert "Priority" in html and "2 reported items" in html
    assert re.search(r"Plain</a>\s*</th>\s*<td>Akimat of Astana</td>\s*<td>4</td>", html)


def test_staff_see_every_organisations_items(client, org, staff):
    ReportFactory(content=SubmissionFactory(organization=org, title="Here"))
    ReportFactory(content=SubmissionFactory(title="There"))
    client.force_login(staff)
    assert sorted(titles(client.get(QUEUE))) == ["Here", "There"]


def test_the_queue_filters_open_and_decided_items(client, org, moderator, charlie):
    decided = SubmissionFactory(organization=org, title="Decided")
    services.report_create(actor=charlie, content=decided, category="spam")
    services.decision_dismiss(actor=moderator, content=decided, reason="Not spam at all.")
    ReportFactory(content=SubmissionFactory(organization=org, title="Waiting"))
    client.force_login(moderator)
    assert titles(client.get(QUEUE)) == ["Waiting"]
    response = client.get(QUEUE, {"state": "decided"})
    assert titles(response) == ["Decided"]
    assert '<option value="decided" selected>' in response.content.decode()
    assert titles(client.get(QUEUE, {"state": "<nonsense>"})) == ["Waiting"]


def test_the_queue_shows_an_empty_state(client, moderator):
    client.force_login(moderator)
    assert "Nothing awaits a decision." in client.get(QUEUE).content.decode()


def test_the_queue_costs_the_same_queries_for_many_items(
    client, org, moderator, django_assert_max_num_queries
):
    contents = SubmissionFactory.create_batch(30, organization=org)
    reporters = verified(3) + UserFactory.create_batch(2)
    for content in contents:
        for person in reporters:
            ReportFactory(content=content, reporter=person)
    for content in contents[:5]:
        Decision.objects.create(
            content=content, action="hide", reason=REASON, moderator=moderator, organization=org
        )
        ReportFactory(content=content, reporter=UserFactory())
    Appeal.objects.create(decision=Decision.objects.first(), author=contents[0].author, text="Wrong.")
    client.force_login(moderator)
    # +1 for the header's unread-notification count.
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE, {"per_page": 50})
    assert len(titles(response)) == 30
    assert "Appeal open" in response.content.decode() and "Hidden" in response.content.decode()


def test_the_queue_paginates(client, org, moderator):
    for content in SubmissionFactory.create_batch(3, organization=org):
        ReportFactory(content=content)
    client.force_login(moderator)
    response = client.get(QUEUE, {"per_page": 2, "page": 2})
    assert len(titles(response)) == 1
    assert 'aria-current="page"' in response.content.decode()


# --- Item page ------------------------------------------------------------------------------------


def test_the_item_page_is_hidden_from_non_moderators(client, submission, alice, charlie):
    ReportFactory(content=submission, reporter=charlie)
    for person in (alice, charlie, UserFactory()):
        client.force_login(person)
        assert client.get(item_url(submission)).status_code == 404


def test_the_item_page_shows_reports_decisions_and_a_decide_form(client, submission, moderator, charlie):
    services.report_create(actor=charlie, content=submission, category="abuse", text="He <b>insults</b> us")
    services.decision_dismiss(actor=moderator, content=submission, reason="Harsh but not abusive.")
    client.force_login(moderator)
    html = client.get(item_url(submission)).content.decode()
    assert "Fix the bridge" in html and "Charlie" in html and "Abuse or harassment" in html
    assert "He &lt;b&gt;insults&lt;/b&gt; us" in html
    assert "Harsh but not abusive." in html
    assert "<legend>Decision</legend>" in html and '<label for="id_reason">' in html


def test_a_moderator_hides_with_a_reason_from_the_item_page(client, submission, moderator):
    client.force_login(moderator)
    response = client.post(item_url(submission), {"action": "hide", "reason": REASON})
    assert response.status_code == 302 and response["Location"] == item_url(submission)
    assert Submission.objects.get(pk=submission.pk).is_hidden


def test_the_decide_form_keeps_the_input_on_a_too_short_reason(client, submission, moderator):
    client.force_login(moderator)
    response = client.post(item_url(submission), {"action": "hide", "reason": "Spam"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<input type="radio" name="action" value="hide"[^>]*checked', html)
    assert re.search(r">\s*Spam</textarea>", html) and "at least 3 words" in html
    assert not Submission.objects.get(pk=submission.pk).is_hidden


def test_the_item_page_refuses_posts_by_non_moderators(client, submission, charlie):
    client.force_login(charlie)
    assert client.post(item_url(submission), {"action": "hide", "reason": REASON}).status_code == 404
    assert not Decision.objects.exists()


# --- Appeals --------------------------------------------------------------------------------------


@pytest.fixture
def hide(submission, moderator):
    return services.decision_hide(actor=moderator, content=submission, reason=REASON)


def appeal_url(decision):
    return reverse("moderation:appeal", args=[decision.pk])


def test_the_author_sees_the_reason_and_appeals(client, hide, alice):
    client.force_login(alice)
    html = client.get(appeal_url(hide)).content.decode()
    assert REASON in html and '<label for="id_text">' in html
    response = client.post(appeal_url(hide), {"text": "It is my office number."})
    assert response.status_code == 302
    assert Appeal.objects.get().text == "It is my office number."
    html = client.get(appeal_url(hide)).content.decode()
    assert "It is my office number." in html and "Open" in html and 'name="text"' not in html


def test_the_appeal_form_keeps_input_and_others_get_404(client, hide, alice, charlie, moderator):
    client.force_login(alice)
    assert client.post(appeal_url(hide), {"text": "   "}).status_code == 400
    for person in (charlie, moderator):
        client.force_login(person)
        assert client.get(appeal_url(hide)).status_code == 404
    assert not Appeal.objects.exists()


def test_the_decider_cannot_resolve_the_appeal_but_another_moderator_can(
    client, hide, submission, alice, moderator, second_moderator
):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    resolve = reverse("moderation:appeal_resolve", args=[appeal.pk])
    data = {
        f"appeal-{appeal.pk}-outcome": "reverse",
        f"appeal-{appeal.pk}-reason": "It is a public office number.",
    }
    client.force_login(moderator)
    page = client.get(item_url(submission)).content.decode()
    assert "another moderator must resolve it" in page and resolve not in page
    refused = client.post(resolve, data)
    assert refused.status_code == 400 and "another moderator must judge" in refused.content.decode()
    client.force_login(second_moderator)
    assert resolve in client.get(item_url(submission)).content.decode()
    bad = client.post(resolve, {**data, f"appeal-{appeal.pk}-reason": "No"})
    assert bad.status_code == 400 and re.search(r">\s*No</textarea>", bad.content.decode())
    assert client.post(resolve, data).status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == "reversed" and not Submission.objects.get(pk=submission.pk).is_hidden


def test_outsiders_get_404_on_resolving(client, hide, alice, charlie):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    client.force_login(charlie)
    resolve = reverse("moderation:appeal_resolve", args=[appeal.pk])
    assert client.post(resolve, {f"appeal-{appeal.pk}-outcome": "reverse"}).status_code == 404


# --- Public notice --------------------------------------------------------------------------------


def render_notice(content, user=None):
    template = Template("{% load moderation %}{% moderation_notice content %}")
    return template.render(Context({"content": content, "user": user}))


def test_the_notice_shows_the_published_reason_and_never_the_reporters(hide, submission, charlie):
    ReportFactory(content=submission, reporter=charlie)
    html = render_notice(submission)
    assert "Hidden by the moderators" in html and REASON in html
    assert "Charlie" not in html and "charlie" not in html
    assert "Appeal the decision" not in html and "Appeal the decision" not in render_notice(
        submission, charlie
    )


def test_the_notice_offers_the_author_the_appeal(hide, submission, alice):
    html = render_notice(submission, alice)
    assert f'href="/en/moderation/decisions/{hide.pk}/appeal/"' in html


def test_the_notice_is_empty_for_visible_content(submission, moderator):
    assert "Hidden" not in render_notice(submission)
    services.decision_hide(actor=moderator, content=submission, reason=REASON)
    services.decision_restore(actor=moderator, content=submission, reason="Restored after review.")
    assert "Hidden" not in render_notice(submission)
    assert "Hidden" not in render_notice(OrganizationFactory())


def test_the_report_url_tag(submission):
    html = Template("{% load moderation %}{% moderation_report_url content %}").render(
        Context({"content": submission})
    )
    assert html == f"/en/moderation/report/testapp.submission/{submission.pk}/"


def test_the_item_page_costs_the_same_queries_for_many_reports(
    client, submission, moderator, alice, django_assert_max_num_queries
):
    for person in verified(30):
        ReportFactory(content=submission, reporter=person, text="Spam!")
    decision = services.decision_hide(actor=moderator, content=submission, reason=REASON)
    services.appeal_create(actor=alice, decision=decision, text="Wrong.")
    for person in verified(10):
        ReportFactory(content=submission, reporter=person)
    client.force_login(moderator)
    # +1 for the header's unread-notification count.
    with django_assert_max_num_queries(13):
        response = client.get(item_url(submission), {"per_page": 50})
    assert response.content.decode().count("Spam!") == 30
