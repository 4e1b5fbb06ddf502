"""Appeals pages over HTTP: who sees what (404 for the wrong people, anonymised public pages),
forms that keep input, the routing preview, downloads, co-signing, and pinned query counts."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kenes.accounts.tests.factories import UserFactory
from kenes.appeals import services
from kenes.appeals.models import Appeal, Cosigner
from kenes.appeals.tests.factories import BodyFactory, RoutingRuleFactory, officer_of, submit
from kenes.obligations import services as obligations
from kenes.obligations.models import Obligation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 64
REASONS = "The street lights will be repaired by the city lighting service next week."


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def obligation_of(appeal):
    return Obligation.objects.for_subject(appeal).filter(kind="appeal").order_by("-pk").first()


@pytest.fixture
def appeal(alice, village, roads, body):
    return submit(alice, territory=village, topic=roads, addressee=body, attachments=[pdf()])


def form_data(territory, topic, **extra):
    data = {
        "kind": "complaint",
        "territory": territory.code,
        "topic": topic.pk,
        "subject": "Broken lights",
        "text": "The lights on our street have been broken for a month.",
        "language": "en",
    }
    data.update(extra)
    return data


# --- submitting ---------------------------------------------------------------------------------


def test_submitting_needs_an_account(client):
    response = client.get(reverse("appeals:submit"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_form_routes_and_registers_the_appeal(client, alice, district, roads, body):
    RoutingRuleFactory(territory=district, organization=body)
    client.force_login(alice)
    assert client.get(reverse("appeals:submit")).status_code == 200
    data = form_data(district, roads, attachments=[pdf()], is_public="on")
    response = client.post(reverse("appeals:submit"), data)
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert appeal.addressee == body and appeal.is_public and appeal.attachments.count() == 1


def test_the_preview_shows_where_it_goes_without_submitting(client, alice, district, roads, body):
    RoutingRuleFactory(territory=district, organization=body)
    client.force_login(alice)
    response = client.post(reverse("appeals:submit"), {**form_data(district, roads), "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and f'data-preview-body="{body.pk}"' in html
    assert "District akimat" in html and "Broken lights" in html
    assert not Appeal.objects.exists()


def test_a_refused_submission_keeps_what_was_typed(client, alice, district, roads):
    client.force_login(alice)
    response = client.post(reverse("appeals:submit"), form_data(district, roads))
    html = response.content.decode()
    assert response.status_code == 400
    assert "choose the body yourself" in html and "Broken lights" in html and "error-summary" in html


def test_a_wrong_file_is_refused_on_the_form(client, alice, district, roads, body):
    client.force_login(alice)
    fake = SimpleUploadedFile("fake.pdf", b"hello")
    response = client.post(
        reverse("appeals:submit"), form_data(district, roads, addressee=body.pk, attachments=[fake])
    )
    assert response.status_code == 400 and "does not contain" in response.content.decode()
    assert not Appeal.objects.exists()


# --- the appeal ---------------------------------------------------------------------------------


def test_the_author_sees_the_appeal_with_its_deadline_and_attachments(client, alice, appeal):
    client.force_login(alice)
    response = client.get(reverse("appeals:detail", args=[appeal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert appeal.number in html and "Alice" in html and "scan.pdf" in html
    assert 'data-state="open"' in html and "working days left" in html
    assert 'data-action="publish"' in html


@pytest.mark.parametrize("who", ["anonymous", "charlie", "member"])
def test_a_private_appeal_is_404_to_others(client, charlie, appeal, body, who):
    if who == "charlie":
        client.force_login(charlie)
    elif who == "member":  # a plain member of the body is not an official
        client.force_login(officer_of(body, role="member"))
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    item = appeal.attachments.get()
    assert client.get(reverse("appeals:attachment", args=[appeal.pk, item.pk])).status_code == 404


def test_a_published_appeal_is_anonymised_for_the_public(client, alice, appeal):
    services.appeal_publish(actor=alice, appeal=appeal)
    response = client.get(reverse("appeals:detail", args=[appeal.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and appeal.text in html
    assert "Alice" not in html and "scan.pdf" not in html and "data-author" not in html
    item = appeal.attachments.get()
    assert client.get(reverse("appeals:attachment", args=[appeal.pk, item.pk])).status_code == 404


def test_officials_see_it_and_get_links_to_the_loops_actions(client, official, appeal):
    client.force_login(official)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    obligation = obligation_of(appeal)
    for anchor in ("respond", "extend", "redirect"):
        assert f'href="{reverse("obligations:detail", args=[obligation.pk])}#{anchor}"' in html
    assert 'data-action="publish"' not in html and "Alice" in html


def test_attachments_are_sent_as_attachments_to_the_allowed(client, alice, official, regional_body, appeal):
    item = appeal.attachments.get()
    url = reverse("appeals:attachment", args=[appeal.pk, item.pk])
    supervisor = officer_of(regional_body)
    for person in (alice, official, supervisor):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF


def test_after_a_redirection_only_the_new_body_and_above_get_the_files(
    client, alice, official, appeal, district
):
    other = BodyFactory(territory=district, name="Roads department")
    obligations.obligation_redirect(
        actor=official, obligation=obligation_of(appeal), to_organization=other, reason=REASONS
    )
    item = appeal.attachments.get()
    url = reverse("appeals:attachment", args=[appeal.pk, item.pk])
    client.force_login(official)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 200
    assert client.get(url).status_code == 404
    client.force_login(officer_of(other))
    assert client.get(url).status_code == 200


def test_the_author_rates_and_contests_from_the_appeal_page(client, alice, official, appeal):
    obligations.obligation_respond(
        actor=official, obligation=obligation_of(appeal), decision="rejected", reasons=REASONS
    )
    client.force_login(alice)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    obligation = obligation_of(appeal)
    assert f'action="{reverse("obligations:rate", args=[obligation.pk])}"' in html
    assert f'action="{reverse("obligations:contest", args=[obligation.pk])}"' in html
    assert REASONS in html
    response = client.post(reverse("obligations:rate", args=[obligation.pk]), {"score": "2", "comment": ""})
    assert response.status_code == 302
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'data-score="2"' in html


def test_the_russian_page_renders(client, alice, appeal):
    client.force_login(alice)
    response = client.get(f"/ru/appeals/{appeal.pk}/")
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()


def test_the_appeal_page_has_a_fixed_number_of_queries(
    client, alice, official, appeal, district, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse("appeals:detail", args=[appeal.pk])
    with django_assert_max_num_queries(20):
        client.get(url)
    other = BodyFactory(territory=district)
    new = obligations.obligation_redirect(
        actor=official, obligation=obligation_of(appeal), to_organization=other, reason=REASONS
    )
    responder = officer_of(other)
    obligations.obligation_respond(actor=responder, obligation=new, decision="accepted", reasons=REASONS)
    with django_assert_max_num_queries(20):
        client.get(url)
    client.force_login(official)  # an official: the permission checks of the actions add a few
    with django_assert_max_num_queries(40):
        client.get(url)


# --- publishing and co-signing ------------------------------------------------------------------


def test_the_author_publishes_from_the_page_and_others_cannot(client, alice, charlie, appeal):
    url = reverse("appeals:publish", args=[appeal.pk])
    client.force_login(charlie)
    assert client.post(url, {"action": "publish"}).status_code == 404
    client.force_login(alice)
    assert client.post(url, {"action": "publish"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.is_public
    client.force_login(charlie)  # now visible, still not the author's to change
    assert client.post(url, {"action": "unpublish"}).status_code == 403
    client.force_login(alice)
    client.post(url, {"action": "unpublish"})
    appeal.refresh_from_db()
    assert not appeal.is_public


def test_cosigning_through_the_link(client, alice, charlie, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body, is_collective=True)
    client.force_login(alice)
    response = client.post(reverse("appeals:cosign_link", args=[appeal.pk]))
    link = response.context["cosign_link"]
    path = link.split("testserver", 1)[1]
    assert response.status_code == 200 and path in response.content.decode()
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Log in to co-sign" in page.content.decode()
    client.force_login(charlie)
    assert client.post(path, {}).status_code == 400
    assert client.post(path, {"confirm": "on"}).status_code == 302
    assert Cosigner.objects.filter(appeal=appeal, user=charlie).exists()
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 200
    again = client.post(path, {"confirm": "on"})
    assert again.status_code == 400 and "already co-signed" in again.content.decode()
    assert client.get(reverse("appeals:cosign", args=[appeal.pk, "wrong"])).status_code == 404


# --- lists --------------------------------------------------------------------------------------


def test_my_appeals_lists_what_i_wrote_or_cosigned(client, alice, charlie, village, roads, body):
    mine = submit(alice, territory=village, topic=roads, addressee=body, subject="Mine")
    submit(charlie, territory=village, topic=roads, addressee=body, subject="Not mine")
    collective = submit(
        charlie, territory=village, topic=roads, addressee=body, is_collective=True, subject="Joined"
    )
    token = services.appeal_cosign_link(actor=charlie, appeal=collective)
    collective.refresh_from_db()
    services.appeal_cosign(actor=alice, appeal=collective, token=token)
    client.force_login(alice)
    html = client.get(reverse("appeals:mine")).content.decode()
    assert mine.number in html and "Joined" in html and "Not mine" not in html
    html = client.get(reverse("appeals:mine"), {"q": "Joined"}).content.decode()
    assert "Joined" in html and ">Mine<" not in html
    assert (
        "no appeals that match" in client.get(reverse("appeals:mine"), {"state": "answered"}).content.decode()
    )


def test_lists_have_a_fixed_number_of_queries(
    client, alice, village, roads, body, django_assert_max_num_queries
):
    for _ in range(3):
        submit(alice, territory=village, topic=roads, addressee=body, is_public=True)
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        client.get(reverse("appeals:mine"))
    with django_assert_max_num_queries(10):
        client.get(reverse("appeals:list"))
    for _ in range(12):
        submit(alice, territory=village, topic=roads, addressee=body, is_public=True)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("appeals:mine"), {"per_page": 10})
    assert response.context["page"].paginator.num_pages == 2
    with django_assert_max_num_queries(10):
        client.get(reverse("appeals:list"), {"per_page": 10})


def test_the_public_register_shows_published_appeals_only_and_filters(
    client, alice, village, roads, health, body, regional_body
):
    published = submit(
        alice, territory=village, topic=roads, addressee=body, is_public=True, subject="Lights"
    )
    submit(alice, territory=village, topic=roads, addressee=body, subject="Secret")
    other = submit(
        alice, territory=village, topic=health, addressee=regional_body, is_public=True, subject="Clinic"
    )
    html = client.get(reverse("appeals:list")).content.decode()
    assert "Lights" in html and "Clinic" in html and "Secret" not in html and "Alice" not in html
    html = client.get(reverse("appeals:list"), {"topic": health.pk}).content.decode()
    assert "Clinic" in html and "Lights" not in html
    html = client.get(reverse("appeals:list"), {"organization": body.pk}).content.decode()
    assert "Lights" in html and "Clinic" not in html
    html = client.get(reverse("appeals:list"), {"q": published.number}).content.decode()
    assert "Lights" in html and "Clinic" not in html
    assert other.number in client.get(reverse("appeals:list"), {"state": "awaiting"}).content.decode()
    empty = client.get(reverse("appeals:list"), {"state": "answered"}).content.decode()
    assert "No published appeal matches these filters." in empty


def test_the_register_renders_in_russian(client, db):
    assert client.get("/ru/appeals/").status_code == 200


def test_an_anonymous_visitor_cannot_cosign_by_post(client, alice, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body, is_collective=True)
    token = services.appeal_cosign_link(actor=alice, appeal=appeal)
    response = client.post(reverse("appeals:cosign", args=[appeal.pk, token]), {"confirm": "on"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Cosigner.objects.exists()


def test_staff_see_private_appeals_but_not_their_files(client, appeal):
    staff_user = UserFactory(is_staff=True)
    client.force_login(staff_user)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 200
    item = appeal.attachments.get()
    assert client.get(reverse("appeals:attachment", args=[appeal.pk, item.pk])).status_code == 404


def test_the_submit_page_renders_in_russian(client, alice, district, roads):
    client.force_login(alice)
    response = client.get("/ru/appeals/new/")
    assert response.status_code == 200 and 'lang="ru"' in response.content.decode()


def test_the_supervisor_sees_appeals_of_subordinate_bodies_in_the_inbox_with_overdue_highlighted(
    client, alice, village, roads, body, regional_body
):
    with time_machine.travel(datetime.datetime(2024, 1, 10, 10, tzinfo=datetime.UTC), tick=False):
        appeal = submit(alice, territory=village, topic=roads, addressee=body)
    client.force_login(officer_of(regional_body))
    inbox = reverse("obligations:inbox", args=[regional_body.pk])
    assert appeal.number not in client.get(inbox).content.decode()
    html = client.get(inbox, {"subordinates": "on", "filtered": "1", "state": "live"}).content.decode()
    assert appeal.number in html and 'class="overdue"' in html and "District akimat" in html
