import pytest
from tests.testapp.factories import SubmissionFactory
from tests.testapp.models import Submission

from kenes.accounts import services as account_services
from kenes.accounts.tests.factories import UserFactory
from kenes.moderation import services
from kenes.moderation.models import Report

from .factories import ReportFactory, verified

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/moderation/reports"
QUEUE = "/api/v1/moderation/queue"


def bearer(user):
    _token, key = account_services.api_token_create(actor=user, name="t", expires_in_days=7)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def payload(content, **changes):
    return {
        "content_type": "testapp.submission",
        "object_id": str(content.pk),
        "category": "spam",
        "text": "",
        **changes,
    }


def test_it_refuses_anonymous_reports(client, submission):
    response = client.post(REPORTS, payload(submission), content_type="application/json")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_it_records_a_report_with_a_token(client, submission, charlie):
    response = client.post(
        REPORTS, payload(submission, text="ad"), content_type="application/json", **bearer(charlie)
    )
    assert response.status_code == 201
    body = response.json()
    report = Report.objects.get()
    assert body["id"] == report.pk and body["content_type"] == "testapp.submission"
    assert body["object_id"] == str(submission.pk) and body["category"] == "spam"
    assert report.reporter == charlie and report.text == "ad"


def test_it_records_a_report_with_a_session(client, submission, charlie):
    client.force_login(charlie)
    assert client.post(REPORTS, payload(submission), content_type="application/json").status_code == 201


def test_it_answers_errors_in_the_common_format(client, submission, alice, charlie, org):
    client.force_login(charlie)
    post = lambda body: client.post(REPORTS, body, content_type="application/json")  # noqa: E731
    assert post(payload(submission)).status_code == 201
    duplicate = post(payload(submission))
    assert duplicate.status_code == 422 and duplicate.json()["error"]["code"] == "invalid"
    assert post(payload(submission, category="boring")).status_code == 422
    assert (
        post(
            payload(submission, content_type="organizations.organization", object_id=str(org.pk))
        ).status_code
        == 404
    )
    assert post(payload(submission, content_type="nonsense")).status_code == 404
    assert post(payload(submission, object_id="999999")).status_code == 404
    client.force_login(alice)
    own = post(payload(submission))
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"
    assert Report.objects.count() == 1


def test_api_reports_never_hide_either(client, submission, moderator):
    for person in verified(5):
        response = client.post(
            REPORTS, payload(submission), content_type="application/json", **bearer(person)
        )
        assert response.status_code == 201
    assert not Submission.objects.get(pk=submission.pk).is_hidden


def test_the_queue_is_for_moderators(client, submission, charlie):
    assert client.get(QUEUE).status_code == 401
    response = client.get(QUEUE, **bearer(charlie))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_the_queue_lists_items_priority_first(client, org, moderator):
    plain = SubmissionFactory(organization=org, title="Plain")
    urgent = SubmissionFactory(organization=org, title="Urgent")
    ReportFactory(content=plain)
    for person in verified(3):
        ReportFactory(content=urgent, reporter=person)
    ReportFactory(content=SubmissionFactory(title="Elsewhere"))
    body = client.get(QUEUE, **bearer(moderator)).json()
    assert body["count"] == 2 and body["page"] == 1 and body["pages"] == 1
    first, second = body["items"]
    assert first["title"] == "Urgent" and first["is_priority"] is True and first["open_reports"] == 3
    assert first["verified_reporters"] == 3
    assert first["item_url"] == f"/en/moderation/item/testapp.submission/{urgent.pk}/"
    assert first["organization"] == {"id": org.pk, "name": "Akimat of Astana"}
    assert second["title"] == "Plain" and second["is_priority"] is False and second["is_hidden"] is False


def test_the_queue_filters_decided_items(client, submission, moderator, charlie):
    services.report_create(actor=charlie, content=submission, category="spam")
    services.decision_hide(
        actor=moderator, content=submission, reason="An advert for a casino, not a submission."
    )
    assert client.get(QUEUE, **bearer(moderator)).json()["count"] == 0
    [item] = client.get(QUEUE, {"state": "decided"}, **bearer(moderator)).json()["items"]
    assert item["is_hidden"] is True and item["open_reports"] == 0 and item["reports"] == 1


def test_the_queue_pages_and_clamps(client, org, moderator, django_assert_max_num_queries):
    for content in SubmissionFactory.create_batch(25, organization=org):
        for person in UserFactory.create_batch(2):
            ReportFactory(content=content, reporter=person)
    client.force_login(moderator)
    with django_assert_max_num_queries(9):
        body = client.get(QUEUE, {"per_page": "1000"}).json()
    assert body["count"] == 25 and len(body["items"]) == 25 and body["per_page"] == 100
    body = client.get(QUEUE, {"per_page": "10", "page": "3"}).json()
    assert len(body["items"]) == 5 and body["page"] == 3
    assert client.get(QUEUE, {"per_page": "<x>"}).status_code == 200
