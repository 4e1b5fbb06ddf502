import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from tests.testapp.factories import SubmissionFactory
from tests.testapp.models import Submission

from kenes.accounts.tests.factories import UserFactory
from kenes.audit.models import Event
from kenes.moderation import registry, services
from kenes.moderation.models import Appeal, Decision, Report
from kenes.moderation.services import MODERATION_PRIORITY_REPORTERS
from kenes.organizations.tests.factories import OrganizationFactory

from .factories import unverified, verified

pytestmark = pytest.mark.django_db

REASON = "Personal phone numbers of a neighbour are published here."


def events(name):
    return Event.objects.filter(action=name)


def hidden(submission):
    return Submission.objects.get(pk=submission.pk).is_hidden


# --- Reports --------------------------------------------------------------------------------------


def test_it_records_a_report_with_the_responsible_organisation_and_an_audit_event(submission, charlie, org):
    report = services.report_create(actor=charlie, content=submission, category="abuse", text=" Insults ")
    assert report.content == submission and report.reporter == charlie
    assert report.organization == org and report.text == "Insults" and report.is_open
    event = events("moderation.report.created").get()
    assert event.actor_id == charlie.pk
    assert event.data == {
        "content": "testapp.submission",
        "object_id": str(submission.pk),
        "category": "abuse",
    }


def test_it_refuses_a_second_report_by_the_same_person(submission, charlie):
    services.report_create(actor=charlie, content=submission, category="spam")
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=charlie, content=submission, category="abuse", text="again")
    assert exc.value.code == "already_reported"
    assert Report.objects.count() == 1
    assert events("moderation.report.created").count() == 1


def test_the_database_backs_one_report_per_person(submission, charlie):
    from django.db import IntegrityError, transaction

    services.report_create(actor=charlie, content=submission, category="spam")
    first = Report.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            content_type=first.content_type, object_id=first.object_id, reporter=charlie, category="other"
        )


def test_it_refuses_a_report_of_ones_own_content(submission, alice):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=alice, content=submission, category="spam")
    assert not Report.objects.exists()


def test_it_refuses_reports_of_unregistered_models(org, charlie):
    with pytest.raises(Http404):
        services.report_create(actor=charlie, content=org, category="spam")


def test_it_refuses_reports_once_the_model_is_unregistered(submission, charlie):
    registry.unregister(Submission)
    with pytest.raises(Http404):
        services.report_create(actor=charlie, content=submission, category="spam")


def test_it_refuses_reports_of_content_the_person_may_not_see(org, alice, charlie):
    private = SubmissionFactory(author=alice, organization=org, is_private=True)
    with pytest.raises(Http404):
        services.report_create(actor=charlie, content=private, category="spam")


def test_it_refuses_an_unknown_category_and_other_without_text(submission, charlie):
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=charlie, content=submission, category="boring")
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=charlie, content=submission, category="other", text="  ")
    assert "text" in exc.value.message_dict


def test_it_refuses_inactive_people(submission):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=UserFactory(is_active=False), content=submission, category="spam")


# --- Priority -------------------------------------------------------------------------------------


def test_it_alerts_the_moderators_once_when_enough_distinct_verified_people_report(
    submission, moderator, second_moderator, told
):
    assert MODERATION_PRIORITY_REPORTERS == 3
    first, second, third, fourth = verified(4)
    services.report_create(actor=first, content=submission, category="spam")
    services.report_create(actor=second, content=submission, category="spam")
    assert "moderation.priority" not in told.events()
    services.report_create(actor=third, content=submission, category="abuse")
    [alert] = [call for call in told.calls if call["event"] == "moderation.priority"]
    assert set(alert["recipients"]) == {moderator, second_moderator}
    assert alert["dedupe_key"] and alert["template"] == "moderation/email/priority"
    assert alert["context"]["title"] == "Fix the bridge"
    assert alert["url"] == f"/en/moderation/item/testapp.submission/{submission.pk}/"
    services.report_create(actor=fourth, content=submission, category="abuse")
    assert told.events().count("moderation.priority") == 1


def test_unverified_reporters_do_not_make_an_item_priority(submission, moderator, told):
    for person in unverified(5) + verified(2):
        services.report_create(actor=person, content=submission, category="spam")
    assert services.verified_reporter_count(submission) == 2
    assert "moderation.priority" not in told.events()


def test_reports_never_hide_anything_however_many(submission, moderator):
    for person in verified(MODERATION_PRIORITY_REPORTERS * 3) + unverified(5):
        services.report_create(actor=person, content=submission, category="abuse")
    assert not hidden(submission)
    assert not services.is_hidden(submission)
    assert not Decision.objects.exists()


def test_a_new_round_of_reports_after_a_dismissal_alerts_again(submission, moderator, told):
    for person in verified(3):
        services.report_create(actor=person, content=submission, category="spam")
    services.decision_dismiss(actor=moderator, content=submission, reason="Not spam.")
    assert services.verified_reporter_count(submission) == 0
    for person in verified(3):
        services.report_create(actor=person, content=submission, category="spam")
    keys = [c["dedupe_key"] for c in told.calls if c["event"] == "moderation.priority"]
    assert len(keys) == 2 and keys[0] != keys[1]


def test_it_alerts_staff_when_the_organisation_has_no_moderator(submission, staff, told):
    for person in verified(3):
        services.report_create(actor=person, content=submission, category="spam")
    assert told.to(staff) and told.to(staff)[0]["event"] == "moderation.priority"


# --- Decisions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "Spam", "Spam spam", "a b c"])
def test_hiding_needs_a_real_published_reason(submission, moderator, reason):
    with pytest.raises(ValidationError) as exc:
        services.decision_hide(actor=moderator, content=submission, reason=reason)
    assert "reason" in exc.value.message_dict
    assert not hidden(submission) and not Decision.objects.exists()


def test_hiding_calls_set_hidden_resolves_reports_tells_the_author_and_is_audited(
    submission, moderator, alice, charlie, told
):
    report = services.report_create(actor=charlie, content=submission, category="personal_data")
    decision = services.decision_hide(actor=moderator, content=submission, reason=REASON)
    assert hidden(submission)
    assert (
        decision.action == "hide"
        and decision.reason == REASON
        and decision.organization == submission.organization
    )
    report.refresh_from_db()
    assert report.resolved_by_decision == decision
    [message] = told.to(alice)
    assert message["event"] == "moderation.hidden" and message["template"] == "moderation/email/hidden"
    assert message["context"]["reason"] == REASON
    assert message["url"] == f"/en/moderation/decisions/{decision.pk}/appeal/"
    assert "charlie" not in str(message).lower()
    event = events("moderation.decision.hidden").get()
    assert event.actor_id == moderator.pk and event.data["resolved_reports"] == 1
    assert event.data["reason"] == REASON


def test_it_refuses_to_hide_twice_and_to_restore_what_is_visible(submission, moderator):
    with pytest.raises(ValidationError) as exc:
        services.decision_restore(actor=moderator, content=submission, reason="Nothing to restore here.")
    assert exc.value.code == "not_hidden"
    services.decision_hide(actor=moderator, content=submission, reason=REASON)
    with pytest.raises(ValidationError) as exc:
        services.decision_hide(actor=moderator, content=submission, reason=REASON)
    assert exc.value.code == "already_hidden"


def test_dismissing_resolves_the_reports_and_leaves_the_content_visible(submission, moderator, charlie, told):
    report = services.report_create(actor=charlie, content=submission, category="spam")
    decision = services.decision_dismiss(actor=moderator, content=submission, reason="It is not spam.")
    report.refresh_from_db()
    assert report.resolved_by_decision == decision and not hidden(submission)
    assert events("moderation.decision.dismissed").get().data["resolved_reports"] == 1
    assert told.calls == []


def test_dismissing_needs_a_reason(submission, moderator):
    with pytest.raises(ValidationError):
        services.decision_dismiss(actor=moderator, content=submission, reason=" ")


def test_a_dismissal_after_hiding_keeps_it_hidden(submission, moderator, charlie):
    services.decision_hide(actor=moderator, content=submission, reason=REASON)
    services.report_create(actor=charlie, content=submission, category="spam")
    services.decision_dismiss(actor=moderator, content=submission, reason="Already handled.")
    assert services.is_hidden(submission) and hidden(submission)


def test_restoring_shows_the_content_again_and_tells_the_author(submission, moderator, alice, told):
    services.decision_hide(actor=moderator, content=submission, reason=REASON)
    services.decision_restore(actor=moderator, content=submission, reason="The number was the office's.")
    assert not hidden(submission) and not services.is_hidden(submission)
    assert [c["event"] for c in told.to(alice)] == ["moderation.hidden", "moderation.restored"]
    assert events("moderation.decision.restored").count() == 1


@pytest.mark.parametrize("who", ["charlie", "alice", "member_elsewhere"])
def test_only_the_items_moderators_decide(submission, charlie, alice, who):
    other_moderator = UserFactory()
    OrganizationFactory().memberships.create(user=other_moderator, role="moderator")
    actor = {"charlie": charlie, "alice": alice, "member_elsewhere": other_moderator}[who]
    for decide in (services.decision_hide, services.decision_dismiss):
        with pytest.raises(PermissionDenied):
            decide(actor=actor, content=submission, reason=REASON)
    assert not hidden(submission)


def test_staff_decide_anywhere(submission, staff):
    services.decision_hide(actor=staff, content=submission, reason=REASON)
    assert hidden(submission)


def test_a_moderator_does_not_decide_on_their_own_content(org, moderator):
    own = SubmissionFactory(author=moderator, organization=org)
    with pytest.raises(PermissionDenied):
        services.decision_dismiss(actor=moderator, content=own, reason="Looks fine to me.")


# --- Appeals --------------------------------------------------------------------------------------


@pytest.fixture
def hide(submission, moderator):
    return services.decision_hide(actor=moderator, content=submission, reason=REASON)


def test_the_author_appeals_once_and_the_other_moderators_are_told(
    hide, alice, moderator, second_moderator, told
):
    appeal = services.appeal_create(actor=alice, decision=hide, text="It was my own office number.")
    assert appeal.is_open and appeal.author == alice
    assert told.to(second_moderator)[0]["event"] == "moderation.appealed"
    assert not told.to(moderator)  # the one who decided is not asked to judge it
    assert events("moderation.appeal.created").get().actor_id == alice.pk
    with pytest.raises(ValidationError) as exc:
        services.appeal_create(actor=alice, decision=hide, text="Please, again.")
    assert exc.value.code == "already_appealed"


def test_only_the_author_appeals(hide, charlie, moderator):
    for actor in (charlie, moderator):
        with pytest.raises(PermissionDenied):
            services.appeal_create(actor=actor, decision=hide, text="Unfair.")
    assert not Appeal.objects.exists()


def test_only_hide_decisions_are_appealed(submission, moderator, alice):
    dismissal = services.decision_dismiss(actor=moderator, content=submission, reason="Fine as it is.")
    with pytest.raises(PermissionDenied):
        services.appeal_create(actor=alice, decision=dismissal, text="Why?")


def test_an_appeal_needs_text(hide, alice):
    with pytest.raises(ValidationError) as exc:
        services.appeal_create(actor=alice, decision=hide, text="  ")
    assert "text" in exc.value.message_dict


def test_a_decision_no_longer_in_force_is_not_appealed(hide, submission, moderator, alice):
    services.decision_restore(actor=moderator, content=submission, reason="Restored on second thought.")
    with pytest.raises(ValidationError) as exc:
        services.appeal_create(actor=alice, decision=hide, text="Too late?")
    assert exc.value.code == "superseded"


def test_the_moderator_who_decided_cannot_resolve_the_appeal(hide, alice, moderator):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    with pytest.raises(ValidationError) as exc:
        services.appeal_resolve(actor=moderator, appeal=appeal, uphold=True, reason="I stand by my decision.")
    assert exc.value.code == "four_eyes"
    appeal.refresh_from_db()
    assert appeal.is_open


def test_another_moderator_upholds_and_the_author_is_told(hide, submission, alice, second_moderator, told):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    services.appeal_resolve(
        actor=second_moderator, appeal=appeal, uphold=True, reason="The number is a private one."
    )
    appeal.refresh_from_db()
    assert appeal.state == "upheld" and appeal.resolved_by == second_moderator and appeal.resolved_at
    assert hidden(submission)
    message = told.to(alice)[-1]
    assert message["event"] == "moderation.appeal_resolved" and message["context"]["upheld"] is True
    assert message["context"]["reason"] == "The number is a private one."
    assert events("moderation.appeal.upheld").get().actor_id == second_moderator.pk


def test_reversing_restores_the_content_and_the_author_is_told(
    hide, submission, alice, second_moderator, told
):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    services.appeal_resolve(
        actor=second_moderator, appeal=appeal, uphold=False, reason="It is the office's public number."
    )
    appeal.refresh_from_db()
    assert appeal.state == "reversed" and not hidden(submission) and not services.is_hidden(submission)
    restore = Decision.objects.filter(action="restore").get()
    assert restore.moderator == second_moderator
    assert told.to(alice)[-1]["context"]["upheld"] is False
    assert events("moderation.appeal.reversed").count() == 1
    assert events("moderation.decision.restored").count() == 1


def test_an_appeal_is_resolved_once_and_needs_a_reason(hide, alice, second_moderator, staff):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    with pytest.raises(ValidationError) as exc:
        services.appeal_resolve(actor=second_moderator, appeal=appeal, uphold=True, reason="No.")
    assert "reason" in exc.value.message_dict
    services.appeal_resolve(
        actor=second_moderator, appeal=appeal, uphold=True, reason="It stays hidden, sorry."
    )
    with pytest.raises(ValidationError) as exc:
        services.appeal_resolve(actor=staff, appeal=appeal, uphold=False, reason="Reversing it after all.")
    assert exc.value.code == "appeal_closed"


def test_outsiders_do_not_resolve_appeals(hide, alice, charlie):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    with pytest.raises(PermissionDenied):
        services.appeal_resolve(actor=charlie, appeal=appeal, uphold=False, reason="I like this content.")


def test_restoring_directly_closes_the_open_appeal_as_reversed(hide, submission, alice, moderator):
    appeal = services.appeal_create(actor=alice, decision=hide, text="Wrong.")
    services.decision_restore(actor=moderator, content=submission, reason="I was wrong, sorry.")
    appeal.refresh_from_db()
    assert appeal.state == "reversed" and appeal.resolved_by == moderator


# --- Audit ----------------------------------------------------------------------------------------


def test_every_action_writes_an_audit_event(submission, alice, charlie, moderator, second_moderator):
    services.report_create(actor=charlie, content=submission, category="spam")
    decision = services.decision_hide(actor=moderator, content=submission, reason=REASON)
    appeal = services.appeal_create(actor=alice, decision=decision, text="Wrong.")
    services.appeal_resolve(
        actor=second_moderator, appeal=appeal, uphold=False, reason="Public number indeed."
    )
    services.decision_hide(actor=moderator, content=submission, reason=REASON)
    services.decision_restore(actor=second_moderator, content=submission, reason="Restored again.")
    services.decision_dismiss(actor=moderator, content=submission, reason="Nothing more.")
    assert set(Event.objects.filter(action__startswith="moderation.").values_list("action", flat=True)) == {
        "moderation.report.created",
        "moderation.decision.hidden",
        "moderation.appeal.created",
        "moderation.decision.restored",
        "moderation.appeal.reversed",
        "moderation.decision.dismissed",
    }
    assert all("@" not in str(e.data) for e in Event.objects.filter(action__startswith="moderation."))


# --- Personal data --------------------------------------------------------------------------------


def test_a_persons_reports_and_appeals_are_exported_and_erased(hide, alice, charlie, submission):
    from kenes.accounts.services import user_delete, user_export_data

    services.appeal_create(actor=alice, decision=hide, text="My own office number.")
    data = user_export_data(actor=alice, user=alice)["apps"]["moderation"]
    assert data["appeals"][0]["text"] == "My own office number."
    user_delete(actor=alice, user=alice)
    assert Appeal.objects.get().text == ""


# --- Through kenes.notifications ------------------------------------------------------------------

REAL_TELL = services._tell


def test_it_notifies_through_kenes_notifications_once_per_person(monkeypatch, submission, alice, moderator):
    notifications = pytest.importorskip("kenes.notifications.models")
    monkeypatch.setattr(services, "_tell", REAL_TELL)
    for person in verified(4):
        services.report_create(actor=person, content=submission, category="spam")
    alerts = notifications.Notification.objects.filter(event="moderation.priority")
    assert list(alerts.values_list("recipient", flat=True)) == [moderator.pk]
    decision = services.decision_hide(actor=moderator, content=submission, reason=REASON)
    notice = notifications.Notification.objects.get(recipient=alice, event="moderation.hidden")
    assert notice.title == "Your contribution “Fix the bridge” has been hidden"
    assert REASON in notice.body and f"/en/moderation/decisions/{decision.pk}/appeal/" in notice.body
    assert notifications.OutgoingEmail.objects.filter(recipient=alice).exists()
