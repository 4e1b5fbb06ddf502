import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.testapp.factories import SubmissionFactory

from kenes.obligations import services
from kenes.obligations.models import (
    Commitment,
    Evidence,
    Milestone,
    Obligation,
    Rating,
    Response,
    ResponseAttachment,
)
from kenes.obligations.tests.factories import MilestoneFactory, ObligationFactory, ResponseFactory
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

REASONS = "The road will be repaired in May under the district programme approved by the maslikhat."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def region(db):
    return TerritoryFactory(code="910000000", name="Akmola", name_en="Akmola")


@pytest.fixture
def body(region, bob):
    """The responsible body; Bob is its head."""
    org = OrganizationFactory(territory=region, kind=Organization.Kind.LOCAL_EXECUTIVE, name_en="Akimat")
    MembershipFactory(organization=org, user=bob, role=Membership.Role.HEAD)
    return org


@pytest.fixture
def supervisor(region, body):
    org = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY, name_en="Ministry")
    body.supervising_body = org
    body.save()
    return org


@pytest.fixture
def appeal(body, alice):
    return ObligationFactory(
        submission=SubmissionFactory(author=alice, organization=body),
        title="Repair the road to the school",
        author=alice,
    )


@pytest.fixture
def private_appeal(body, alice):
    return ObligationFactory(
        submission=SubmissionFactory(author=alice, organization=body), author=alice, is_private=True
    )


def url(name, *args):
    from django.urls import reverse

    return reverse(f"obligations:{name}", args=args)


def html(response):
    return response.content.decode()


# --- detail -------------------------------------------------------------------------------------


def test_it_shows_an_obligation_with_its_deadline_time_left_and_timeline(client, appeal, bob):
    services.obligation_assign(actor=bob, obligation=appeal, officer=bob)
    page = html(client.get(url("detail", appeal.pk)))
    assert "<h1>" in page and "Repair the road to the school" in page
    assert "Appeal" in page and "Open" in page
    assert re.search(r"\d+ working days? left|Overdue", page)
    assert 'data-step="assigned"' in page
    assert 'name="reasons"' not in page  # no action forms for the public


def test_private_obligations_are_404_to_outsiders(client, private_appeal, alice, bob, charlie):
    detail = url("detail", private_appeal.pk)
    assert client.get(detail).status_code == 404
    client.force_login(charlie)
    assert client.get(detail).status_code == 404
    assert client.post(url("respond", private_appeal.pk), {"decision": "accepted"}).status_code == 404
    for person in (alice, bob):
        client.force_login(person)
        assert client.get(detail).status_code == 200


def test_officials_see_their_action_forms_and_authors_do_not(client, appeal, alice, bob):
    client.force_login(bob)
    page = html(client.get(url("detail", appeal.pk)))
    for action in ("respond", "extend", "redirect", "assign"):
        assert f'data-action="{action}"' in page
    assert 'type="file"' in page and "multiple" in page and 'enctype="multipart/form-data"' in page
    assert '<label for="respond_reasons">' in page
    client.force_login(alice)
    page = html(client.get(url("detail", appeal.pk)))
    assert 'data-action="respond"' not in page and 'data-action="withdraw"' in page


def test_an_official_answers_and_the_author_sees_and_rates_the_answer(client, appeal, alice, bob):
    client.force_login(bob)
    response = client.post(url("respond", appeal.pk), {"decision": "accepted", "reasons": REASONS})
    assert response.status_code == 302 and response["Location"] == url("detail", appeal.pk)
    appeal.refresh_from_db()
    assert appeal.state == Obligation.State.ANSWERED
    client.force_login(alice)
    page = html(client.get(url("detail", appeal.pk)))
    assert "Accepted" in page and "district programme" in page and 'data-action="rate"' in page
    assert 'type="radio" name="score"' in page
    response = client.post(url("rate", appeal.pk), {"score": "4", "comment": "Quick and clear."})
    assert response.status_code == 302
    assert Rating.objects.get(response__obligation=appeal).score == 4
    page = html(client.get(url("detail", appeal.pk)))
    assert 'data-score="4"' in page and "Quick and clear." in page


def test_a_refused_answer_keeps_what_was_typed(client, appeal, bob):
    client.force_login(bob)
    response = client.post(url("respond", appeal.pk), {"decision": "rejected", "reasons": "No."})
    assert response.status_code == 400
    page = html(response)
    assert "No.</textarea>" in page
    assert '<option value="rejected" selected>' in page
    assert 'class="errorlist' in page
    assert not Response.objects.exists()


def test_outsiders_may_not_act_on_a_public_obligation(client, appeal, charlie, alice):
    client.force_login(charlie)
    for name, data in [
        ("respond", {"decision": "accepted", "reasons": REASONS}),
        ("extend", {"new_deadline": "2099-01-01", "reason": REASONS}),
        ("assign", {"officer": ""}),
        ("withdraw", {"reason": REASONS}),
    ]:
        assert client.post(url(name, appeal.pk), data).status_code == 403, name
    client.force_login(alice)
    assert (
        client.post(url("respond", appeal.pk), {"decision": "accepted", "reasons": REASONS}).status_code
        == 403
    )
    assert client.get(url("respond", appeal.pk)).status_code == 405


def test_anonymous_people_are_sent_to_log_in_before_acting(client, appeal):
    response = client.post(url("respond", appeal.pk), {"decision": "accepted", "reasons": REASONS})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_extension_beyond_the_law_is_refused_with_the_input_kept(client, appeal, bob):
    client.force_login(bob)
    far = (appeal.opened_on + datetime.timedelta(days=400)).isoformat()
    response = client.post(url("extend", appeal.pk), {"new_deadline": far, "reason": REASONS})
    assert response.status_code == 400
    assert f'value="{far}"' in html(response) and "district programme" in html(response)
    appeal.refresh_from_db()
    assert appeal.deadline == appeal.original_deadline


def test_the_head_assigns_an_officer_and_forwards_to_the_competent_body(client, appeal, body, bob, region):
    dana = MembershipFactory(organization=body, role=Membership.Role.OFFICER).user
    competent = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY, name_en="Roads")
    client.force_login(bob)
    assert client.post(url("assign", appeal.pk), {"officer": dana.pk}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.assigned_to == dana
    page = html(client.get(url("detail", appeal.pk)))
    assert f'<option value="{competent.pk}">Roads</option>' in page
    response = client.post(url("redirect", appeal.pk), {"to_organization": competent.pk, "reason": REASONS})
    new = Obligation.objects.get(organization=competent)
    assert response.status_code == 302 and response["Location"] == url("detail", new.pk)
    appeal.refresh_from_db()
    assert appeal.state == Obligation.State.REDIRECTED


def test_the_author_withdraws_and_contests(client, appeal, alice, bob, supervisor):
    ResponseFactory(obligation=appeal, responder=bob, decision=Response.Decision.REJECTED)
    Obligation.objects.filter(pk=appeal.pk).update(state=Obligation.State.ANSWERED)
    client.force_login(alice)
    response = client.post(url("contest", appeal.pk), {"reason": REASONS})
    contest = Obligation.objects.get(contest_of__obligation=appeal)
    assert response.status_code == 302 and response["Location"] == url("detail", contest.pk)
    assert contest.organization == supervisor
    assert client.post(url("contest", appeal.pk), {"reason": REASONS}).status_code == 403  # only once
    other = ObligationFactory(submission=SubmissionFactory(author=alice), author=alice)
    assert client.post(url("withdraw", other.pk), {"reason": REASONS}).status_code == 302
    other.refresh_from_db()
    assert other.state == Obligation.State.WITHDRAWN


def test_a_commitment_with_milestones_is_made_delivered_and_evidenced(client, appeal, bob):
    ResponseFactory(obligation=appeal, responder=bob)
    Obligation.objects.filter(pk=appeal.pk).update(state=Obligation.State.ANSWERED)
    client.force_login(bob)
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        url("commitment_create", appeal.pk),
        {"title": "Resurface 2 km", "milestone_1_title": "Contract signed", "milestone_1_due": due},
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302 and response["Location"] == url("commitment", commitment.pk)
    milestone = commitment.milestones.get()
    page = html(client.get(url("commitment", commitment.pk)))
    assert "Contract signed" in page and "0 of 1 milestones delivered" in page
    upload = SimpleUploadedFile("act.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    response = client.post(
        url("evidence_add", milestone.pk), {"description": "Signed contract", "file": upload}
    )
    assert response.status_code == 302
    assert client.post(url("milestone_deliver", milestone.pk), {"note": "Signed"}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DELIVERED
    page = html(client.get(url("commitment", commitment.pk)))
    assert "1 of 1 milestones delivered" in page and "Signed contract" in page


def test_a_milestone_without_a_date_keeps_the_input(client, appeal, bob):
    ResponseFactory(obligation=appeal, responder=bob)
    client.force_login(bob)
    response = client.post(
        url("commitment_create", appeal.pk),
        {"title": "Resurface 2 km", "milestone_1_title": "Contract signed"},
    )
    assert response.status_code == 400
    assert 'value="Resurface 2 km"' in html(response) and "Give the date." in html(response)


def test_commitment_pages_hide_private_obligations_and_refuse_outsiders(client, private_appeal, bob, charlie):
    milestone = MilestoneFactory(
        commitment__response=ResponseFactory(obligation=private_appeal, responder=bob)
    )
    client.force_login(charlie)
    assert client.get(url("commitment", milestone.commitment_id)).status_code == 404
    assert client.post(url("milestone_deliver", milestone.pk)).status_code == 404


# --- files --------------------------------------------------------------------------------------


@pytest.fixture
def attachment(private_appeal, bob):
    response = ResponseFactory(obligation=private_appeal, responder=bob)
    item = ResponseAttachment(response=response, name="decision.pdf", size=8, content_type="application/pdf")
    item.file.save("decision.pdf", ContentFile(b"%PDF-1.4"), save=False)
    item.save()
    return item


def test_attachments_are_downloaded_only_by_people_who_may_see_the_obligation(
    client, attachment, alice, charlie
):
    assert client.get(url("attachment", attachment.pk)).status_code == 404
    client.force_login(charlie)
    assert client.get(url("attachment", attachment.pk)).status_code == 404
    client.force_login(alice)
    response = client.get(url("attachment", attachment.pk))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "decision.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4"


def test_evidence_files_follow_the_same_rule(client, private_appeal, alice, bob, charlie):
    milestone = MilestoneFactory(
        commitment__response=ResponseFactory(obligation=private_appeal, responder=bob)
    )
    evidence = Evidence(milestone=milestone, description="Photo", name="photo.png", uploaded_by=bob, size=4)
    evidence.file.save("photo.png", ContentFile(b"\x89PNG"), save=False)
    evidence.save()
    client.force_login(charlie)
    assert client.get(url("evidence_file", evidence.pk)).status_code == 404
    client.force_login(alice)
    response = client.get(url("evidence_file", evidence.pk))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")


# --- inbox --------------------------------------------------------------------------------------


def make_appeals(body, count, **kwargs):
    return [
        ObligationFactory(submission=SubmissionFactory(organization=body), **kwargs) for _n in range(count)
    ]


def test_the_inbox_lists_by_deadline_and_labels_overdue_items(client, body, bob):
    today = timezone.localdate()
    late = ObligationFactory(
        submission=SubmissionFactory(organization=body),
        title="Late one",
        opened_on=today - datetime.timedelta(days=40),
        deadline=today - datetime.timedelta(days=10),
        original_deadline=today - datetime.timedelta(days=10),
        state=Obligation.State.OVERDUE,
    )
    fresh = ObligationFactory(
        submission=SubmissionFactory(organization=body), title="Fresh one", assigned_to=bob
    )
    client.force_login(bob)
    page = html(client.get(url("inbox", body.pk)))
    assert page.index("Late one") < page.index("Fresh one")
    row = page[page.index(f'data-obligation="{late.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Overdue" in row and "working days late" in row
    fresh_row = page[page.index(f'data-obligation="{fresh.pk}"') :]
    assert "working days left" in fresh_row[: fresh_row.index("</tr>")]
    assert "Bob" in fresh_row[: fresh_row.index("</tr>")]
    page = html(client.get(url("inbox", body.pk), {"filtered": "1", "overdue": "on", "state": ""}))
    assert "Late one" in page and "Fresh one" not in page
    assert re.search(r'<input type="checkbox" name="overdue"[^>]*checked', page)


def test_the_inbox_is_for_members_and_staff(client, body, charlie, staff):
    assert client.get(url("inbox", body.pk)).status_code == 302
    client.force_login(charlie)
    assert client.get(url("inbox", body.pk)).status_code == 403
    client.force_login(staff)
    assert client.get(url("inbox", body.pk)).status_code == 200


def test_the_inbox_query_count_does_not_grow_with_rows(client, body, bob, django_assert_max_num_queries):
    client.force_login(bob)
    make_appeals(body, 2, assigned_to=bob)
    with django_assert_max_num_queries(12) as few:
        client.get(url("inbox", body.pk))
    make_appeals(body, 15, assigned_to=bob)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url("inbox", body.pk))
    assert html(response).count("data-obligation=") == 17


def test_my_inboxes_list_the_bodies_with_counts(client, body, bob, charlie):
    make_appeals(body, 3)
    client.force_login(bob)
    page = html(client.get(url("my_inboxes")))
    assert url("inbox", body.pk) in page and "<td>3</td>" in page
    client.force_login(charlie)
    assert "no inbox" in html(client.get(url("my_inboxes")))


# --- register and accountability ----------------------------------------------------------------


def test_the_register_filters_paginates_and_hides_private_items(client, body, appeal, private_appeal):
    page = html(client.get(url("list")))
    assert "Repair the road to the school" in page and url("detail", private_appeal.pk) not in page
    assert "1 obligation found" in page
    page = html(client.get(url("list"), {"state": "answered"}))
    assert "No obligation matches these filters." in page
    assert '<option value="answered" selected>' in page
    make_appeals(body, 5)
    page = html(client.get(url("list"), {"per_page": 2, "page": 2}))
    assert 'aria-current="page"' in page and "Page 2 of 3" in page


def test_the_register_query_count_does_not_grow_with_rows(client, body, django_assert_max_num_queries):
    make_appeals(body, 2)
    with django_assert_max_num_queries(10) as few:
        client.get(url("list"))
    make_appeals(body, 18)
    with django_assert_max_num_queries(len(few)):
        client.get(url("list"))


def test_the_accountability_pages_show_the_figures_and_link_to_the_register(client, body, region, bob):
    for days, on_time in [(5, True), (10, True), (20, False)]:
        ResponseFactory(
            obligation=ObligationFactory(submission=SubmissionFactory(organization=body), state="answered"),
            working_days_taken=days,
            on_time=on_time,
            decision=Response.Decision.ACCEPTED if days == 5 else Response.Decision.REJECTED,
        )
    page = html(client.get(url("accountability_organization", body.pk)))
    assert "<h1>" in page and '<th scope="row">' in page
    figure = re.search(r'data-figure="on_time_rate">.*?<td>\s*(.*?)\s*</td>', page, re.S).group(1)
    assert figure == "67%"
    median = re.search(r'data-figure="median_days">.*?<td>\s*(.*?)\s*</td>', page, re.S).group(1)
    assert median == "10 working days"
    assert f"{url('list')}?organization={body.pk}" in page
    page = html(client.get(url("accountability_territory", region.code)))
    assert "33%" in page and f"?territory={region.code}" in page
    assert client.get(url("accountability_territory", "nope")).status_code == 404
    assert client.get(url("accountability_organization", 10**8)).status_code == 404


def test_the_accountability_page_says_no_data_instead_of_zero(client, body):
    page = html(client.get(url("accountability_organization", body.pk)))
    assert page.count("no data") >= 5


def test_numbers_follow_the_language(client, body):
    page = html(client.get(f"/ru/obligations/accountability/organizations/{body.pk}/"))
    assert '<html lang="ru">' in page


def test_forwarding_a_private_item_stays_on_the_page_the_official_may_see(client, appeal, body, bob, region):
    competent = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY, name_en="Roads")
    Obligation.objects.filter(pk=appeal.pk).update(is_private=True)
    client.force_login(bob)
    response = client.post(url("redirect", appeal.pk), {"to_organization": competent.pk, "reason": REASONS})
    assert response.status_code == 302 and response["Location"] == url("detail", appeal.pk)
    assert client.get(response["Location"]).status_code == 200
