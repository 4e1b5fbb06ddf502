import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from tests.testapp.factories import SubmissionFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_only_the_recipient_may_see_or_read_a_notice(alice, bob, staff):
    notice = NotificationFactory(recipient=alice)
    for perm in ("notifications.view_notification", "notifications.read_notification"):
        assert alice.has_perm(perm, notice)
        assert not bob.has_perm(perm, notice)
        assert not AnonymousUser().has_perm(perm, notice)
    alice.deleted_at = timezone.now()
    assert not alice.has_perm("notifications.read_notification", notice)


def test_only_the_person_may_change_their_preferences(alice, bob):
    assert alice.has_perm("notifications.change_preference", alice)
    assert not bob.has_perm("notifications.change_preference", alice)


@pytest.mark.parametrize(
    ("who", "private", "allowed"),
    [
        ("author", False, True),
        ("author", True, True),
        ("outsider", False, True),
        ("outsider", True, False),
        ("inactive", False, False),
        ("anonymous", False, False),
    ],
)
def test_who_may_follow_a_subject(followable, alice, charlie, who, private, allowed):
    subject = SubmissionFactory(author=alice, is_private=private)
    if who == "inactive":
        charlie.is_active = False
    user = {"author": alice, "outsider": charlie, "inactive": charlie, "anonymous": AnonymousUser()}[who]
    assert user.has_perm("notifications.follow_subject", subject) is allowed


def test_nobody_may_follow_an_unregistered_model(alice):
    assert not alice.has_perm("notifications.follow_subject", SubmissionFactory(author=alice))
