"""The petition's life: create, update, submit, approve, reject, close, and the answer sent to every
signer (docs/petitions.md)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from kenes.accounts.services import user_delete
from kenes.accounts.tests.factories import UserFactory
from kenes.audit.models import Event
from kenes.notifications.models import Notification
from kenes.notifications.selectors import is_following
from kenes.notifications.services import follow
from kenes.obligations.models import Kind, Obligation
from kenes.obligations.services import obligation_respond
from kenes.organizations.tests.factories import OrganizationFactory
from kenes.petitions import services
from kenes.petitions.exports import erase_petitions, export_petitions
from kenes.petitions.models import Petition, PetitionRule, Signature
from kenes.petitions.services import closes_at_for, signatures_count

from .factories import PetitionFactory, SignatureFactory, events

REASONS = "The road will be repaired and lit in May, as the regional budget for next year provides."


@pytest.fixture
def fields(body, region, topic):
    return {
        "title": "  Light the road to school  ",
        "text": "Children walk to school in the dark along an unlit road.",
        "demand": "Install street lights on the road before winter.",
        "addressee": body,
        "territory": region,
        "topic": topic,
        "language": "en",
        "level": "regional",
    }


# --- create and update ---------------------------------------------------------------------------------


def test_create_makes_a_followed_draft_with_the_rules_terms(alice, fields):
    petition = services.petition_create(actor=alice, **fields)

    assert (petition.state, petition.author, petition.title, petition.country) == (
        "draft",
        alice,
        "Light the road to school",
        "KZ",
    )
    rule = PetitionRule.objects.get(country="KZ", level="regional")
    assert (petition.threshold, petition.duration_months, petition.min_verification_level) == (
        rule.threshold,
        rule.duration_months,
        rule.min_verification_level,
    )
    assert events(petition, "petitions.petition.created") == 1
    assert is_following(alice, petition)


def test_create_needs_an_account(fields):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.petition_create(actor=AnonymousUser(), **fields)


def test_create_refuses_a_non_state_addressee_and_a_foreign_territory(alice, fields):
    with pytest.raises(ValidationError) as error:
        services.petition_create(actor=alice, **{**fields, "addressee": OrganizationFactory(kind="ngo")})
    assert "addressee" in error.value.message_dict

    foreign = OrganizationFactory(kind="state_body", country="KG")
    with pytest.raises(ValidationError) as error:
        services.petition_create(actor=alice, **{**fields, "addressee": foreign})
    assert "territory" in error.value.message_dict
    assert not Petition.objects.exists()


def test_create_refuses_empty_text_and_a_missing_rule(alice, fields):
    with pytest.raises(ValidationError) as error:
        services.petition_create(actor=alice, **{**fields, "demand": "   "})
    assert "demand" in error.value.message_dict

    PetitionRule.objects.filter(country="KZ", level="local").delete()
    with pytest.raises(ValidationError) as error:
        services.petition_create(actor=alice, **{**fields, "level": "local"})
    assert error.value.code == "no_rule"


def test_the_author_updates_a_draft(alice, fields):
    petition = services.petition_create(actor=alice, **fields)
    services.petition_update(actor=alice, petition=petition, title="Light the school road", level="local")

    petition.refresh_from_db()
    assert (petition.title, petition.level, petition.threshold) == ("Light the school road", "local", 1000)
    assert Event.objects.get(action="petitions.petition.updated").data == {"fields": ["level", "title"]}


def test_nobody_else_updates_and_nothing_updates_once_pending(alice, bob, fields):
    petition = services.petition_create(actor=alice, **fields)
    with pytest.raises(PermissionDenied):
        services.petition_update(actor=bob, petition=petition, title="Mine now")
    services.petition_submit(actor=alice, petition=petition)
    with pytest.raises(PermissionDenied):
        services.petition_update(actor=alice, petition=petition, title="Changed while pending")
    with pytest.raises(ValueError):
        services.petition_update(actor=alice, petition=petition, state="open")


# --- submit, approve, reject -----------------------------------------------------------------------------


def test_submit_copies_the_current_terms_and_asks_the_moderators(alice, fields, moderator):
    petition = services.petition_create(actor=alice, **fields)
    PetitionRule.objects.filter(country="KZ", level="regional").update(threshold=777, duration_months=2)

    services.petition_submit(actor=alice, petition=petition)

    petition.refresh_from_db()
    assert (petition.state, petition.threshold, petition.duration_months) == ("pending", 777, 2)
    assert petition.submitted_at is not None
    assert Notification.objects.filter(recipient=moderator, event="petitions.submitted").count() == 1
    assert not Notification.objects.filter(recipient=alice, event="petitions.submitted").exists()


def test_approve_opens_for_the_period(alice, fields, moderator):
    petition = services.petition_create(actor=alice, **fields)
    services.petition_submit(actor=alice, petition=petition)
    before = timezone.now()

    services.petition_approve(actor=moderator, petition=petition)

    petition.refresh_from_db()
    assert petition.state == "open" and petition.moderated_by == moderator
    assert before <= petition.opens_at <= timezone.now()
    assert petition.closes_at == closes_at_for(petition.opens_at, 3)
    assert events(petition, "petitions.petition.approved") == 1
    assert Notification.objects.filter(recipient=alice, event="petitions.approved").count() == 1


def test_closing_time_is_whole_calendar_months_in_local_time():
    opens = timezone.make_aware(datetime.datetime(2026, 8, 31, 15, 30))
    closes = timezone.localtime(closes_at_for(opens, 6))
    assert (closes.date(), closes.hour, closes.minute) == (datetime.date(2027, 2, 28), 15, 30)


def test_reject_needs_a_reason_and_the_author_can_resubmit(alice, fields, moderator):
    petition = services.petition_create(actor=alice, **fields)
    services.petition_submit(actor=alice, petition=petition)
    with pytest.raises(ValidationError):
        services.petition_reject(actor=moderator, petition=petition, reason="No.")

    services.petition_reject(
        actor=moderator, petition=petition, reason="This duplicates petition 12 on the same road."
    )

    petition.refresh_from_db()
    assert (petition.state, petition.moderation_reason) == (
        "rejected",
        "This duplicates petition 12 on the same road.",
    )
    notice = Notification.objects.get(recipient=alice, event="petitions.rejected")
    assert "duplicates petition 12" in notice.body
    services.petition_update(actor=alice, petition=petition, title="Light the road to school 7")
    services.petition_submit(actor=alice, petition=petition)
    assert Petition.objects.get(pk=petition.pk).state == "pending"


def test_only_moderators_moderate_and_only_pending_petitions(alice, bob, charlie, fields, moderator):
    petition = services.petition_create(actor=alice, **fields)
    with pytest.raises(ValidationError):
        services.petition_approve(actor=moderator, petition=petition)  # still a draft
    services.petition_submit(actor=alice, petition=petition)
    for outsider in (alice, charlie):
        with pytest.raises(PermissionDenied):
            services.petition_approve(actor=outsider, petition=petition)
        with pytest.raises(PermissionDenied):
            services.petition_reject(actor=outsider, petition=petition, reason=REASONS)
    services.petition_approve(actor=moderator, petition=petition)
    with pytest.raises(ValidationError):
        services.petition_approve(actor=moderator, petition=petition)


def test_a_superuser_does_not_moderate_their_own_petition(staff, fields):
    petition = services.petition_create(actor=staff, **fields)
    services.petition_submit(actor=staff, petition=petition)
    with pytest.raises(PermissionDenied):
        services.petition_approve(actor=staff, petition=petition)


# --- closing ------------------------------------------------------------------------------------------------


def test_close_expired_closes_once_and_tells_followers(alice, open_petition):
    follow(actor=alice, subject=open_petition)
    later = PetitionFactory()
    now = timezone.now()
    Petition.objects.filter(pk=open_petition.pk).update(closes_at=now - datetime.timedelta(minutes=1))

    assert services.petitions_close_expired() == 1
    assert services.petitions_close_expired() == 0

    open_petition.refresh_from_db()
    later.refresh_from_db()
    assert (open_petition.state, later.state) == ("closed", "open")
    assert events(open_petition, "petitions.petition.closed") == 1
    assert Notification.objects.filter(recipient=alice, event="petitions.closed").count() == 1


# --- the answer --------------------------------------------------------------------------------------------


@pytest.fixture
def answered(open_petition, make_signer, officer, alice, django_capture_on_commit_callbacks):
    """A petition past its threshold with 4 counted signers (one of them the author), one withdrawn and
    one pending signer; Bob answers it."""
    follow(actor=alice, subject=open_petition)
    Petition.objects.filter(pk=open_petition.pk).update(threshold=3)
    signers = [make_signer() for _ in range(3)]
    for person in [*signers, alice]:
        SignatureFactory(petition=open_petition, user=person)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    withdrawn = SignatureFactory(
        petition=open_petition, user=make_signer(), created_at=an_hour_ago, withdrawn_at=timezone.now()
    )
    pending = SignatureFactory(petition=open_petition, user=make_signer(), confirmed_at=None)
    signatures_count(lag_seconds=0)
    obligation = Obligation.objects.for_subject(open_petition).get(kind=Kind.PETITION)
    with django_capture_on_commit_callbacks(execute=True):
        response = obligation_respond(
            actor=officer, obligation=obligation, decision="accepted", reasons=REASONS
        )
    return open_petition, signers, withdrawn.user, pending.user, response


def test_the_answer_reaches_every_counted_signer_once(answered, alice):
    petition, signers, withdrawn, pending, response = answered

    told = Notification.objects.filter(event="petitions.answered")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(p.pk for p in signers)
    assert REASONS in told.first().body
    # The author heard of it from the hearing loop, under the same key: not twice.
    assert (
        Notification.objects.filter(
            recipient=alice, dedupe_key=f"obligations-answered:{response.obligation_id}"
        ).count()
        == 1
    )
    assert not Notification.objects.filter(
        recipient__in=[withdrawn, pending], event="petitions.answered"
    ).exists()
    assert events(petition, "petitions.petition.signers_notified") == 1


def test_telling_signers_again_tells_nobody(answered):
    petition, _signers, _withdrawn, _pending, _response = answered
    assert services.petition_notify_signers(petition_id=petition.pk) == 0
    assert services.petition_notify_signers(petition_id=10**9) == 0


def test_signers_are_told_in_batches(answered, monkeypatch, make_signer):
    petition, signers, *_rest = answered
    Notification.objects.filter(event="petitions.answered").delete()
    more = [make_signer() for _ in range(4)]
    for person in more:
        SignatureFactory(petition=petition, user=person)
    monkeypatch.setattr(services, "NOTIFY_BATCH", 2)

    assert services.petition_notify_signers(petition_id=petition.pk) == len(signers) + len(more)


def test_a_petition_without_an_answer_tells_nobody(open_petition, make_signer):
    SignatureFactory(petition=open_petition, user=make_signer())
    assert services.petition_notify_signers(petition_id=open_petition.pk) == 0


# --- personal data ---------------------------------------------------------------------------------------


def test_export_lists_petitions_and_signatures(alice, open_petition, make_signer):
    other = PetitionFactory()
    SignatureFactory(petition=other, user=alice, show_name=True)
    data = export_petitions(alice)
    assert [p["id"] for p in data["petitions"]] == [open_petition.pk]
    assert data["signatures"][0]["petition"] == other.pk
    assert data["signatures"][0]["counts"] is True and data["signatures"][0]["show_name"] is True


def test_erasure_keeps_counted_signatures_without_identifying_data(alice, open_petition, make_signer):
    person = make_signer()
    counted = SignatureFactory(petition=open_petition, user=person, show_name=True, ip_address="10.0.0.1")
    pending = SignatureFactory(petition=PetitionFactory(), user=person, confirmed_at=None)
    draft = PetitionFactory(author=person, state="draft")

    erase_petitions(person)

    counted.refresh_from_db()
    pending.refresh_from_db()
    assert counted.is_counted
    assert (counted.email_canonical, counted.ip_address, counted.show_name) == (
        f"erased-{counted.pk}",
        None,
        False,
    )
    assert pending.withdrawn_at is not None and not pending.is_counted
    assert not Petition.objects.filter(pk=draft.pk).exists()
    assert Event.objects.filter(action="petitions.personal_data.erased", subject_id=str(person.pk)).exists()


def test_account_deletion_runs_the_eraser(open_petition, make_signer):
    person = make_signer()
    signature = SignatureFactory(petition=open_petition, user=person)
    user_delete(actor=person, user=person)
    assert Signature.objects.get(pk=signature.pk).email_canonical == f"erased-{signature.pk}"


def test_the_petition_is_hidden_by_moderation(open_petition):
    services.petition_set_hidden(open_petition, True)
    assert Petition.objects.get(pk=open_petition.pk).is_hidden
    assert Petition.objects.public().count() == 0
    assert Petition.objects.aggregate(Max("pk"))["pk__max"] == open_petition.pk
    assert UserFactory  # the factories module stays importable for the other suites
