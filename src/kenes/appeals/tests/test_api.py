"""The appeals API: submit (multipart, with attachments), my list, detail for the allowed (anonymised
for the public when published, 404 otherwise), the public list with filters, in the common error format."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kenes.appeals import services
from kenes.appeals.models import Appeal
from kenes.appeals.tests.factories import RoutingRuleFactory, submit

pytestmark = pytest.mark.django_db

API = "/api/v1/appeals"
PDF = b"%PDF-1.4\n" + b"0" * 64


def payload(territory, topic, **extra):
    data = {
        "kind": "proposal",
        "territory": territory.code,
        "topic": topic.code,
        "subject": "A bench in the park",
        "text": "Please put a bench by the pond in the central park.",
        "language": "ru",
    }
    data.update(extra)
    return data


def test_submit_routes_numbers_and_stores_the_files(client, alice, district, roads, body):
    RoutingRuleFactory(territory=district, organization=body)
    client.force_login(alice)
    data = payload(district, roads, attachments=[SimpleUploadedFile("plan.pdf", PDF)])
    response = client.post(f"{API}/", data)
    assert response.status_code == 201, response.content
    body_json = response.json()
    appeal = Appeal.objects.get()
    assert body_json["number"] == appeal.number and body_json["addressee"]["id"] == body.pk
    assert body_json["consideration"]["organization"]["id"] == body.pk
    assert body_json["consideration"]["working_days_left"] is not None
    assert [a["name"] for a in body_json["attachments"]] == ["plan.pdf"]
    assert body_json["author"] == "Alice" and appeal.language == "ru"


def test_submit_refusals_are_422_with_reasons(client, alice, district, roads, body):
    client.force_login(alice)
    no_route = client.post(f"{API}/", payload(district, roads))
    assert no_route.status_code == 422 and "choose the body yourself" in str(no_route.json())
    bad_file = client.post(
        f"{API}/",
        payload(district, roads, addressee=body.pk, attachments=[SimpleUploadedFile("x.pdf", b"no")]),
    )
    assert bad_file.status_code == 422 and "does not contain" in str(bad_file.json())
    unknown = client.post(f"{API}/", {**payload(district, roads, addressee=body.pk), "topic": "nope"})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid"
    assert not Appeal.objects.exists()


def test_submit_needs_authentication(client, district, roads, body):
    response = client.post(f"{API}/", payload(district, roads, addressee=body.pk))
    assert response.status_code == 401


def test_my_list_and_detail(client, alice, charlie, village, roads, body):
    mine = submit(alice, territory=village, topic=roads, addressee=body)
    submit(charlie, territory=village, topic=roads, addressee=body)
    client.force_login(alice)
    page = client.get(f"{API}/mine").json()
    assert page["count"] == 1 and page["items"][0]["number"] == mine.number
    assert page["items"][0]["consideration"]["state"] == "open"
    assert client.get(f"{API}/{mine.pk}").json()["text"] == mine.text
    client.force_login(charlie)
    response = client.get(f"{API}/{mine.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_public_sees_published_appeals_anonymised(client, alice, official, village, roads, health, body):
    published = submit(
        alice,
        territory=village,
        topic=roads,
        addressee=body,
        is_public=True,
        attachments=[SimpleUploadedFile("id.pdf", PDF)],
    )
    submit(alice, territory=village, topic=roads, addressee=body)
    page = client.get(f"{API}/").json()
    assert [item["number"] for item in page["items"]] == [published.number]
    detail = client.get(f"{API}/{published.pk}").json()
    assert detail["author"] is None and detail["attachments"] == [] and detail["cosigners"] is None
    assert client.get(f"{API}/", {"topic": health.code}).json()["count"] == 0
    assert client.get(f"{API}/", {"topic": "nope"}).status_code == 422
    client.force_login(official)
    assert client.get(f"{API}/{published.pk}").json()["author"] == "Alice"
    services.appeal_unpublish(actor=alice, appeal=published)
    client.logout()
    assert client.get(f"{API}/{published.pk}").status_code == 404


def test_lists_have_a_fixed_number_of_queries(
    client, alice, village, roads, body, django_assert_max_num_queries
):
    for _ in range(5):
        submit(alice, territory=village, topic=roads, addressee=body, is_public=True)
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        client.get(f"{API}/")
    with django_assert_max_num_queries(8):
        client.get(f"{API}/mine")
