import pytest

from kenes.notifications import services

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("notification", "?q=alice&event=testapp.submission.answered&read=no"),
        ("outgoingemail", "?state__exact=pending"),
        ("follow", ""),
        ("preference", "?email_enabled__exact=0"),
    ],
)
def test_staff_can_browse_search_and_filter_every_model(client, staff, alice, hello, model, query):
    NotificationFactory(recipient=alice)
    services.notify(recipients=[alice], **hello)
    services.preference_update(actor=alice, user=alice, email_enabled=False, digest_enabled=False)
    client.force_login(staff)
    response = client.get(f"/en/admin/notifications/{model}/{query}")
    assert response.status_code == 200


def test_the_outbox_is_read_only_in_the_admin(client, staff, alice, hello):
    services.notify(recipients=[alice], **hello)
    client.force_login(staff)
    email_id = services.OutgoingEmail.objects.get().pk
    html = client.get(f"/en/admin/notifications/outgoingemail/{email_id}/change/").content.decode()
    assert 'name="body"' not in html and "Aigerim &amp; co" in html
    assert client.get("/en/admin/notifications/outgoingemail/add/").status_code == 403
