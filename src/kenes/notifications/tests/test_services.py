import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.testapp.factories import SubmissionFactory

from kenes.audit.models import Event
from kenes.notifications import services
from kenes.notifications.models import DIGEST_EVENT, Follow, Notification, OutgoingEmail, Preference
from kenes.notifications.selectors import unsubscribe_target
from kenes.notifications.tokens import make_token, read_token
from kenes.organizations.tests.factories import OrganizationFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

BASE = "http://kenes.test"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.KENES_BASE_URL = BASE


def switch_email_off(user):
    Preference.objects.create(user=user, email_enabled=False)


# --- notify: languages, recipients, e-mail -----------------------------------------------------------


def test_it_renders_each_notice_in_its_recipients_language(alice, bob, hello):
    alice.language, bob.language = "ru", "en"
    notices = services.notify(recipients=[alice, bob], **hello)
    by_recipient = {n.recipient_id: n for n in notices}
    assert by_recipient[alice.pk].title == "[ru] Январь: Aigerim"
    assert by_recipient[bob.pk].title == "[en] January: Aigerim"
    assert by_recipient[alice.pk].body == "ru Январь\nAigerim & co wrote to Alice."
    emails = {e.recipient_id: e for e in OutgoingEmail.objects.all()}
    assert emails[alice.pk].language == "ru" and emails[alice.pk].subject == "[ru] Январь: Aigerim"
    assert emails[alice.pk].body.startswith("ru Январь\nAigerim & co wrote to Alice.")
    assert emails[bob.pk].to_address == "bob@example.org"


def test_it_stores_the_event_url_and_generic_subject(alice, submission, hello):
    (notice,) = services.notify(recipients=[alice], subject=submission, url="/obligations/3/", **hello)
    notice.refresh_from_db()
    assert notice.event == "testapp.submission.answered"
    assert notice.url == "/obligations/3/"
    assert (notice.subject_type.model, notice.subject_id) == ("submission", submission.pk)
    assert notice.read_at is None


def test_it_skips_inactive_and_deleted_people_and_duplicates(alice, bob, charlie, hello):
    bob.is_active = False
    charlie.deleted_at = timezone.now()
    notices = services.notify(recipients=[alice, bob, charlie, alice, None], **hello)
    assert [n.recipient_id for n in notices] == [alice.pk]
    assert Notification.objects.count() == 1 and OutgoingEmail.objects.count() == 1


def test_it_keeps_in_app_notices_but_sends_no_email_to_people_who_switched_it_off(alice, bob, hello):
    switch_email_off(alice)
    notices = services.notify(recipients=[alice, bob], **hello)
    assert {n.recipient_id for n in notices} == {alice.pk, bob.pk}
    assert list(OutgoingEmail.objects.values_list("recipient_id", flat=True)) == [bob.pk]


def test_it_queues_no_email_when_the_caller_says_so(alice, hello):
    services.notify(recipients=[alice], email=False, **hello)
    assert Notification.objects.count() == 1
    assert not OutgoingEmail.objects.exists()


def test_it_never_gives_anyone_two_notices_with_the_same_dedupe_key(alice, bob, hello):
    first = services.notify(recipients=[alice], dedupe_key="reminder:7:3", **hello)
    again = services.notify(recipients=[alice, bob], dedupe_key="reminder:7:3", **hello)
    assert len(first) == 1
    assert [n.recipient_id for n in again] == [bob.pk]
    assert services.notify(recipients=[alice, bob], dedupe_key="reminder:7:3", **hello) == []
    assert Notification.objects.filter(dedupe_key="reminder:7:3").count() == 2
    assert OutgoingEmail.objects.count() == 2
    assert len(services.notify(recipients=[alice], dedupe_key="reminder:7:1", **hello)) == 1


def test_it_lets_the_constraint_decide_a_race_between_two_identical_calls(alice, hello):
    (first,) = services.notify(recipients=[alice], dedupe_key="k", **hello)
    duplicate = Notification(recipient=alice, event=first.event, title=first.title, dedupe_key="k")
    assert services._save_notification(duplicate, dedupe=True) is False  # a concurrent insert lost
    assert Notification.objects.filter(dedupe_key="k").count() == 1


def test_it_makes_links_absolute_and_in_the_recipients_language(alice, bob, hello):
    alice.language = "ru"
    services.notify(recipients=[alice, bob], url="/obligations/3/", **hello)
    services.notify(recipients=[alice], url="/en/organizations/5/", **hello)
    bodies = [e.body for e in OutgoingEmail.objects.filter(recipient=alice).order_by("pk")]
    assert f"{BASE}/ru/obligations/3/" in bodies[0]
    assert f"{BASE}/ru/organizations/5/" in bodies[1]
    assert f"{BASE}/en/obligations/3/" in OutgoingEmail.objects.get(recipient=bob).body


def test_it_stores_a_full_link_to_this_site_as_a_path(alice, hello):
    alice.language = "ru"
    (notice,) = services.notify(recipients=[alice], url=f"{BASE}/en/moderation/appeals/4/", **hello)
    assert notice.url == "/en/moderation/appeals/4/"
    assert f"{BASE}/ru/moderation/appeals/4/" in OutgoingEmail.objects.get().body
    (elsewhere,) = services.notify(recipients=[alice], url="https://example.org/x", **hello)
    assert elsewhere.url == "https://example.org/x"


def test_it_ends_every_email_with_an_unsubscribe_footer_for_that_person(alice, hello):
    services.notify(recipients=[alice], **hello)
    email = OutgoingEmail.objects.get()
    assert email.unsubscribe_url.startswith(f"{BASE}/en/notifications/unsubscribe/")
    assert email.body.rstrip().endswith(f"{BASE}/en/notifications/preferences/")
    assert email.unsubscribe_url in email.body
    token = email.unsubscribe_url.rstrip("/").rsplit("/", 1)[1]
    assert read_token(token).user_id == alice.pk and read_token(token).subject_label == ""


def test_it_sends_after_commit_with_a_list_unsubscribe_header(
    alice, hello, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[alice], **hello)
    assert mail.outbox == []  # never inside the request's transaction
    assert len(callbacks) == 1
    callbacks[0]()
    (message,) = mail.outbox
    email = OutgoingEmail.objects.get()
    assert message.to == ["alice@example.org"] and message.subject == "[en] January: Aigerim"
    assert message.extra_headers["List-Unsubscribe"] == f"<{email.unsubscribe_url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.state == OutgoingEmail.State.SENT


def test_it_fires_no_send_task_when_no_email_was_queued(alice, hello, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(recipients=[alice], email=False, **hello)
    assert callbacks == []


# --- following ---------------------------------------------------------------------------------------


def test_it_follows_once_however_often_asked(followable, submission, bob):
    first = services.follow(actor=bob, subject=submission)
    second = services.follow(actor=bob, subject=submission)
    assert first.pk == second.pk
    assert Follow.objects.count() == 1
    assert Event.objects.filter(action="notifications.follow.created").count() == 1


def test_it_unfollows_idempotently(followable, submission, bob):
    services.follow(actor=bob, subject=submission)
    services.unfollow(actor=bob, subject=submission)
    services.unfollow(actor=bob, subject=submission)
    assert not Follow.objects.exists()
    assert Event.objects.filter(action="notifications.follow.deleted").count() == 1


def test_it_lists_active_followers_of_one_subject(followable, submission, alice, bob, charlie):
    other = SubmissionFactory(author=alice, organization=OrganizationFactory())
    for user in (alice, bob, charlie):
        services.follow(actor=user, subject=submission)
    services.follow(actor=alice, subject=other)
    charlie.is_active = False
    charlie.save()
    assert set(services.followers_of(submission)) == {alice, bob}
    assert list(services.followers_of(other)) == [alice]


def test_it_refuses_to_follow_unregistered_models(alice, submission):
    with pytest.raises(PermissionDenied):
        services.follow(actor=alice, subject=submission)


def test_it_refuses_to_follow_what_the_person_may_not_see(followable, alice, charlie):
    private = SubmissionFactory(author=alice, is_private=True)
    with pytest.raises(PermissionDenied):
        services.follow(actor=charlie, subject=private)
    assert services.follow(actor=alice, subject=private).user_id == alice.pk


def test_it_notifies_followers_except_the_excluded(followable, submission, alice, bob, charlie, hello):
    for user in (alice, bob, charlie):
        services.follow(actor=user, subject=submission)
    notices = services.notify_followers(subject=submission, exclude=[bob], url="/x/", **hello)
    assert {n.recipient_id for n in notices} == {alice.pk, charlie.pk}
    assert all(n.subject_id == submission.pk for n in notices)
    token = OutgoingEmail.objects.filter(recipient=alice).get().unsubscribe_url.rstrip("/").rsplit("/", 1)[1]
    assert (read_token(token).subject_label, read_token(token).subject_id) == (
        "testapp.submission",
        submission.pk,
    )
    assert "because you follow this" in OutgoingEmail.objects.filter(recipient=alice).get().body


def test_it_dedupes_follower_notices_too(followable, submission, alice, hello):
    services.follow(actor=alice, subject=submission)
    services.notify_followers(subject=submission, dedupe_key="answered:1", **hello)
    assert services.notify_followers(subject=submission, dedupe_key="answered:1", **hello) == []


# --- reading, preferences, unsubscribing -------------------------------------------------------------


def test_it_marks_only_ones_own_notice_read(alice, bob):
    notice = NotificationFactory(recipient=alice)
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=bob, notification=notice)
    services.notification_mark_read(actor=alice, notification=notice)
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_it_marks_all_of_ones_own_notices_read(alice, bob):
    NotificationFactory.create_batch(3, recipient=alice)
    other = NotificationFactory(recipient=bob)
    assert services.notifications_mark_all_read(actor=alice) == 3
    assert services.notifications_mark_all_read(actor=alice) == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_it_lets_only_the_person_change_their_preferences(alice, bob):
    with pytest.raises(PermissionDenied):
        services.preference_update(actor=bob, user=alice, email_enabled=False, digest_enabled=False)
    preference = services.preference_update(actor=alice, user=alice, email_enabled=False, digest_enabled=True)
    assert (preference.email_enabled, preference.digest_enabled) == (False, True)
    assert Event.objects.filter(action="notifications.preference.updated", actor=alice).count() == 1


def test_it_switches_email_off_with_a_personal_token(alice):
    services.unsubscribe(token=make_token(alice.pk))
    assert Preference.objects.get(user=alice).email_enabled is False


def test_it_unfollows_with_a_subject_token_and_leaves_email_on(followable, submission, alice, bob):
    services.follow(actor=alice, subject=submission)
    services.follow(actor=bob, subject=submission)
    services.unsubscribe(token=make_token(alice.pk, submission))
    assert list(Follow.objects.values_list("user_id", flat=True)) == [bob.pk]
    assert not Preference.objects.filter(user=alice, email_enabled=False).exists()
    services.unsubscribe(token=make_token(alice.pk, submission), everything=True)
    assert Preference.objects.get(user=alice).email_enabled is False


@pytest.mark.parametrize("token", ["", "nonsense", "eyJ1IjoxfQ:bad-signature"])
def test_it_refuses_bad_tokens(alice, token):
    with pytest.raises(ValidationError):
        services.unsubscribe(token=token)


def test_it_refuses_a_token_signed_for_something_else(alice):
    from django.core import signing

    assert unsubscribe_target(signing.dumps({"u": alice.pk})) is None  # unsalted
    assert unsubscribe_target(signing.dumps({"u": alice.pk}, salt="kenes.other")) is None
    assert unsubscribe_target(make_token(alice.pk)).user == alice


# --- the outbox job ---------------------------------------------------------------------------------------


def queue(hello, *people):
    services.notify(recipients=people, **hello)


def test_it_sends_each_pending_email_once_however_often_it_runs(alice, bob, hello):
    queue(hello, alice, bob)
    assert services.emails_send_pending() == 2
    assert services.emails_send_pending() == 0
    assert len(mail.outbox) == 2
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}
    assert all(e.sent_at and e.attempts == 1 for e in OutgoingEmail.objects.all())


def test_it_sends_in_batches(alice, bob, charlie, hello):
    queue(hello, alice, bob, charlie)
    assert services.emails_send_pending(batch=2) == 2
    assert services.emails_send_pending(batch=2) == 1
    assert len(mail.outbox) == 3


class Crash(BaseException):
    """A worker killed mid-job: not an Exception, so nothing catches it."""


def test_it_survives_a_crash_between_claim_and_send_without_sending_twice(alice, hello):
    queue(hello, alice)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=Crash), pytest.raises(Crash):
        services.emails_send_pending()
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts) == ("sending", 1)
    assert services.emails_send_pending() == 0  # still claimed by the crashed worker
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + services.STUCK_AFTER + datetime.timedelta(minutes=1)):
        assert services.emails_send_pending() == 1
        assert services.emails_send_pending() == 0
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 2)


def test_it_does_not_claim_a_row_another_worker_claimed_meanwhile(alice, hello):
    queue(hello, alice)
    email = OutgoingEmail.objects.get()
    now = timezone.now()
    assert services._claim(email.pk, "pending", None, now) is True
    assert services._claim(email.pk, "pending", None, now) is False  # the second worker loses


def test_it_retries_after_a_transport_error_then_gives_up(alice, hello):
    queue(hello, alice)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("SMTP down")):
        for _attempt in range(services.MAX_ATTEMPTS - 1):
            assert services.emails_send_pending() == 0
            assert OutgoingEmail.objects.get().state == "pending"
        assert services.emails_send_pending() == 0
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts, email.last_error) == ("failed", services.MAX_ATTEMPTS, "SMTP down")
    assert services.emails_send_pending() == 0 and mail.outbox == []


def test_it_cancels_a_queued_email_when_its_recipient_switched_email_off_meanwhile(alice, hello):
    queue(hello, alice)
    services.preference_update(actor=alice, user=alice, email_enabled=False, digest_enabled=False)
    assert services.emails_send_pending() == 0
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().state == "failed"


# --- digests ---------------------------------------------------------------------------------------------

DAY = datetime.date(2025, 3, 10)


def notice_on(user, day, hour=12, **kwargs):
    notice = NotificationFactory(recipient=user, **kwargs)
    at = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())
    Notification.objects.filter(pk=notice.pk).update(created_at=at)
    return notice


def test_it_sends_one_digest_per_person_and_none_on_a_rerun(alice, bob, charlie):
    Preference.objects.create(user=alice, digest_enabled=True)
    Preference.objects.create(user=bob, digest_enabled=False)
    Preference.objects.create(user=charlie, digest_enabled=True, email_enabled=False)
    notice_on(alice, DAY, title="Your appeal was answered", url="/obligations/3/")
    notice_on(alice, DAY, hour=23, title="A new comment")
    notice_on(alice, DAY, read_at=timezone.now(), title="Already read")
    notice_on(alice, DAY + datetime.timedelta(days=1), title="Next day")
    notice_on(bob, DAY)
    notice_on(charlie, DAY)
    assert services.digests_send(day=DAY) == 1
    assert services.digests_send(day=DAY) == 0
    email = OutgoingEmail.objects.get()
    assert email.recipient_id == alice.pk
    assert "2 unread notices" in email.subject
    assert "Your appeal was answered" in email.body and f"{BASE}/en/obligations/3/" in email.body
    assert "A new comment" in email.body
    assert "Already read" not in email.body and "Next day" not in email.body
    digest = Notification.objects.get(event=DIGEST_EVENT)
    assert digest.dedupe_key == "digest:2025-03-10" and digest.read_at is not None


def test_it_defaults_to_yesterday(alice):
    Preference.objects.create(user=alice, digest_enabled=True)
    with time_machine.travel(datetime.datetime(2025, 3, 11, 6, tzinfo=timezone.get_default_timezone())):
        notice_on(alice, DAY)
        assert services.digests_send() == 1
    assert Notification.objects.get(event=DIGEST_EVENT).dedupe_key == "digest:2025-03-10"


def test_it_writes_the_digest_in_the_persons_language(alice):
    alice.language = "ru"
    alice.save()
    Preference.objects.create(user=alice, digest_enabled=True)
    notice_on(alice, DAY, url="/obligations/3/")
    services.digests_send(day=DAY)
    email = OutgoingEmail.objects.get()
    assert email.language == "ru" and "марта" in email.subject + email.body
    assert f"{BASE}/ru/obligations/3/" in email.body


def test_the_daily_task_runs_the_digest_for_the_day_given(alice):
    from kenes.notifications.tasks import daily_digest_task

    Preference.objects.create(user=alice, digest_enabled=True)
    notice_on(alice, DAY)
    assert daily_digest_task.delay("2025-03-10").get() == 1
    assert daily_digest_task.delay("2025-03-10").get() == 0
