import pytest
from django.utils import timezone

from kenes.accounts import services as accounts_services
from kenes.notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"


def bearer(user):
    _token, key = accounts_services.api_token_create(actor=user, name="t", expires_in_days=7)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_requires_authentication(client):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert client.post(f"{LIST}read-all").status_code == 401


def test_it_lists_only_my_notifications_paginated(client, alice, bob, followable, submission):
    NotificationFactory.create_batch(3, recipient=alice)
    NotificationFactory(recipient=alice, read_at=timezone.now(), title="Read one")
    NotificationFactory(recipient=bob)
    client.force_login(alice)
    body = client.get(LIST, {"per_page": 2}).json()
    assert (body["count"], body["pages"], body["per_page"]) == (4, 2, 2)
    assert all(item["is_read"] is False for item in body["items"])
    last = client.get(LIST, {"per_page": 2, "page": 2}).json()["items"]
    assert last[-1]["title"] == "Read one" and last[-1]["is_read"] is True


def test_it_lists_with_a_constant_number_of_queries(client, alice, submission, django_assert_max_num_queries):
    from kenes.notifications import services

    services.notify(
        recipients=[alice], event="e", template="notifications_test/hello", context={}, subject=submission
    )
    NotificationFactory.create_batch(30, recipient=alice)
    headers = bearer(alice)
    with django_assert_max_num_queries(6):
        body = client.get(LIST, {"per_page": 100}, **headers).json()
    assert body["count"] == 31
    with_subject = [i for i in body["items"] if i["subject_id"]]
    assert with_subject[0]["subject_type"] == "testapp.submission"


def test_it_marks_one_read_with_a_token(client, alice):
    notice = NotificationFactory(recipient=alice)
    response = client.post(f"{LIST}{notice.pk}/read", **bearer(alice))
    assert response.status_code == 200 and response.json()["is_read"] is True
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_it_answers_404_for_someone_elses_notification(client, alice, bob):
    notice = NotificationFactory(recipient=bob)
    client.force_login(alice)
    response = client.post(f"{LIST}{notice.pk}/read")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    notice.refresh_from_db()
    assert notice.read_at is None


def test_it_marks_all_mine_read(client, alice, bob):
    NotificationFactory.create_batch(2, recipient=alice)
    NotificationFactory(recipient=bob)
    client.force_login(alice)
    assert client.post(f"{LIST}read-all").json() == {"marked_read": 2}
    assert Notification.objects.filter(read_at__isnull=True).get().recipient_id == bob.pk
