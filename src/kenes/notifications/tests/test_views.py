import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone
from tests.testapp.factories import SubmissionFactory

from kenes.accounts.tests.factories import UserFactory
from kenes.notifications import services
from kenes.notifications.context_processors import unread_count
from kenes.notifications.models import Follow, Notification, Preference
from kenes.notifications.tokens import make_token

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

CENTRE = "/en/notifications/"
FOLLOW = "/en/notifications/follow/"
UNFOLLOW = "/en/notifications/unfollow/"


def titles(response):
    return re.findall(r"<h2>\s*(?:<span[^>]*>[^<]*</span>\s*)?([^<]+?)\s*</h2>", response.content.decode())


# --- the centre ----------------------------------------------------------------------------------------


def test_it_asks_for_login(client):
    for url in [CENTRE, "/en/notifications/preferences/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_ones_own_notices_unread_first(client, alice, bob):
    old_unread = NotificationFactory(recipient=alice, title="Old unread")
    NotificationFactory(recipient=alice, title="Newer read", read_at=timezone.now())
    NotificationFactory(recipient=alice, title="Newest unread")
    NotificationFactory(recipient=bob, title="Bob's")
    Notification.objects.filter(pk=old_unread.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=1)
    )
    client.force_login(alice)
    response = client.get(CENTRE)
    html = response.content.decode()
    assert titles(response) == ["Newest unread", "Old unread", "Newer read"]
    assert html.count('<span class="badge">New</span>') == 2
    assert "You have 2 unread notifications." in html
    assert "Bob&#x27;s" not in html and "Bob's" not in html


def test_it_escapes_what_a_notice_says(client, alice):
    NotificationFactory(recipient=alice, title="<script>alert(1)</script>", body="<b>x</b>")
    client.force_login(alice)
    html = client.get(CENTRE).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;x" in html


def test_it_shows_an_empty_state(client, alice):
    client.force_login(alice)
    assert "You have no notifications yet." in client.get(CENTRE).content.decode()


def test_it_paginates_with_a_constant_number_of_queries(client, alice, django_assert_max_num_queries):
    NotificationFactory.create_batch(25, recipient=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        first = client.get(CENTRE)
    assert len(titles(first)) == 20
    assert 'aria-current="page"' in first.content.decode() and "Page 1 of 2" in first.content.decode()
    NotificationFactory.create_batch(50, recipient=alice)
    with django_assert_max_num_queries(6):
        last = client.get(CENTRE, {"page": 4})
    assert len(titles(last)) == 15


def test_it_marks_all_read_by_post_only(client, alice):
    NotificationFactory.create_batch(2, recipient=alice)
    client.force_login(alice)
    assert client.get("/en/notifications/read-all/").status_code == 405
    response = client.post("/en/notifications/read-all/")
    assert response.status_code == 302 and response["Location"] == CENTRE
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_it_opens_a_notice_marking_it_read_and_going_to_its_page_in_the_current_language(client, alice):
    notice = NotificationFactory(recipient=alice, url="/obligations/3/")
    client.force_login(alice)
    response = client.post(f"/ru/notifications/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/ru/obligations/3/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_it_never_redirects_a_notice_off_site(client, alice):
    notice = NotificationFactory(recipient=alice, url="//evil.example/")
    client.force_login(alice)
    assert client.post(f"/en/notifications/{notice.pk}/open/")["Location"] == CENTRE


def test_it_marks_one_read_and_returns_to_the_page(client, alice):
    notice = NotificationFactory(recipient=alice)
    client.force_login(alice)
    response = client.post(f"/en/notifications/{notice.pk}/read/", {"next": f"{CENTRE}?page=2"})
    assert response["Location"] == f"{CENTRE}?page=2"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_it_answers_404_for_someone_elses_notice(client, alice, bob):
    notice = NotificationFactory(recipient=bob)
    client.force_login(alice)
    assert client.post(f"/en/notifications/{notice.pk}/read/").status_code == 404
    assert client.post(f"/en/notifications/{notice.pk}/open/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_context_processor_counts_unread_once_and_only_for_people(rf, alice, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient=alice)
    NotificationFactory(recipient=alice, read_at=timezone.now())
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert unread_count(request) == {"notifications_unread": 0}
    request.user = alice
    count = unread_count(request)["notifications_unread"]
    with django_assert_num_queries(1):
        assert count() == 2 and count() == 2
    assert Template("{{ n }}").render(Context({"n": count})) == "2"


# --- preferences ---------------------------------------------------------------------------------------


def test_it_shows_and_saves_preferences(client, alice):
    client.force_login(alice)
    html = client.get("/en/notifications/preferences/").content.decode()
    assert '<label for="id_email_enabled">' in html and '<label for="id_digest_enabled">' in html
    assert re.search(r'name="email_enabled"[^>]*checked', html)
    response = client.post("/en/notifications/preferences/", {"digest_enabled": "on"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=alice)
    assert (preference.email_enabled, preference.digest_enabled) == (False, True)
    html = client.get("/en/notifications/preferences/").content.decode()
    assert not re.search(r'name="email_enabled"[^>]*checked', html)


# --- following -----------------------------------------------------------------------------------------


def post_follow(client, url, subject, next_url="/en/organizations/"):
    return client.post(url, {"content_type": "testapp.submission", "object_id": subject.pk, "next": next_url})


def test_it_follows_and_unfollows_by_post(client, followable, submission, bob):
    client.force_login(bob)
    response = post_follow(client, FOLLOW, submission)
    assert response.status_code == 302 and response["Location"] == "/en/organizations/"
    assert post_follow(client, FOLLOW, submission).status_code == 302
    assert Follow.objects.filter(user=bob).count() == 1
    post_follow(client, UNFOLLOW, submission)
    assert not Follow.objects.exists()


def test_it_refuses_get_and_anonymous_follows(client, followable, submission, bob):
    assert post_follow(client, FOLLOW, submission).status_code == 302  # to the login page
    assert not Follow.objects.exists()
    client.force_login(bob)
    assert client.get(FOLLOW).status_code == 405


def test_it_answers_404_for_unfollowable_models_and_missing_objects(client, followable, submission, bob):
    client.force_login(bob)
    data = {"content_type": "accounts.user", "object_id": bob.pk}
    assert client.post(FOLLOW, data).status_code == 404
    assert client.post(FOLLOW, {"content_type": "testapp.submission", "object_id": 999999}).status_code == 404
    assert client.post(FOLLOW, {"content_type": "nonsense", "object_id": "x"}).status_code == 404
    assert not Follow.objects.exists()


def test_it_answers_404_to_following_what_one_may_not_see(client, followable, alice, charlie):
    private = SubmissionFactory(author=alice, is_private=True)
    client.force_login(charlie)
    assert post_follow(client, FOLLOW, private).status_code == 404
    assert not Follow.objects.exists()


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "/\\evil.example", ""])
def test_it_never_follows_an_unsafe_next(client, followable, submission, bob, unsafe):
    client.force_login(bob)
    assert post_follow(client, FOLLOW, submission, unsafe)["Location"] == submission.get_absolute_url()


def render_button(user, subject):
    request = RequestFactory().get("/en/x/")
    request.user = user
    template = Template('{% include "notifications/_follow_button.html" with subject=obj %}')
    return template.render(Context({"obj": subject, "request": request, "user": user}))


def test_the_follow_button_knows_whether_one_follows_in_one_query(
    followable, submission, bob, django_assert_num_queries
):
    with django_assert_num_queries(1):
        html = render_button(bob, submission)
    assert 'action="/en/notifications/follow/"' in html and ">Follow</button>" in html
    assert 'name="content_type" value="testapp.submission"' in html
    services.follow(actor=bob, subject=submission)
    html = render_button(bob, submission)
    assert 'action="/en/notifications/unfollow/"' in html and "Stop following" in html


def test_the_follow_button_invites_anonymous_people_to_log_in_and_hides_for_other_models(
    followable, submission, bob
):
    from django.contrib.auth.models import AnonymousUser

    assert "Log in to follow" in render_button(AnonymousUser(), submission)
    assert render_button(bob, bob).strip() == ""


# --- unsubscribing ---------------------------------------------------------------------------------------


def unsubscribe_url(token, lang="en"):
    return f"/{lang}/notifications/unsubscribe/{token}/"


def test_unsubscribe_get_only_explains(client, alice):
    response = client.get(unsubscribe_url(make_token(alice.pk)))
    html = response.content.decode()
    assert response.status_code == 200 and '<form method="post">' in html
    assert "Switch off e-mail notifications" in html
    assert not Preference.objects.exists()
    assert "alice@example.org" not in html


def test_unsubscribe_post_switches_email_off_without_login_or_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_url(make_token(alice.pk)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "E-mail notifications are switched off." in response.content.decode()
    assert Preference.objects.get(user=alice).email_enabled is False


def test_unsubscribe_with_a_subject_token_stops_following_it(client, followable, submission, alice):
    services.follow(actor=alice, subject=submission)
    token = make_token(alice.pk, submission)
    html = client.get(unsubscribe_url(token)).content.decode()
    assert "Repair the bridge" in html and "Stop following" in html
    response = client.post(unsubscribe_url(token))
    assert "You no longer follow" in response.content.decode()
    assert not Follow.objects.exists()
    assert not Preference.objects.exists()
    client.post(unsubscribe_url(token), {"scope": "all"})
    assert Preference.objects.get(user=alice).email_enabled is False


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_unsubscribe_token_is_a_clear_404(client, alice, method):
    token = make_token(alice.pk)[:-2] + "xx"
    response = getattr(client, method)(unsubscribe_url(token))
    assert response.status_code == 404
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert not Preference.objects.exists()


def test_an_unsubscribe_token_of_a_deleted_account_is_a_404(client):
    gone = UserFactory(deleted_at=timezone.now())
    assert client.get(unsubscribe_url(make_token(gone.pk))).status_code == 404
