"""The jobs are idempotent: run twice, or rerun after a crash halfway, nothing changes or is sent twice."""

import datetime

import pytest
import time_machine

from kenes.audit.models import Event
from kenes.notifications import services as notifications
from kenes.notifications.models import Notification
from kenes.obligations import services, tasks
from kenes.obligations.models import Kind, Milestone, Obligation, Reminder, Step
from kenes.obligations.tests.factories import (
    MilestoneFactory,
    ObligationFactory,
    ResponseFactory,
    member,
    staffed_body,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 4, 1)


class Crash(BaseException):
    """Stands for the worker dying: not an ordinary error, nothing catches it."""


def failing_notify(monkeypatch, fail_on: set[int], error: type[BaseException] = Crash):
    """Make the calls to notify numbered in ``fail_on`` (1-based) raise ``error``."""
    real, calls = notifications.notify, {"n": 0}

    def notify(**kwargs):
        calls["n"] += 1
        if calls["n"] in fail_on:
            raise error("boom")
        return real(**kwargs)

    monkeypatch.setattr(notifications, "notify", notify)
    return lambda: monkeypatch.setattr(notifications, "notify", real)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 4, 1, 6, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def supervisor(db):
    return staffed_body()


@pytest.fixture
def body(supervisor):
    return staffed_body(supervising_body=supervisor)


def past_due(body, count=3, **fields):
    return [
        ObligationFactory(
            submission__organization=body, opened_on=D(2026, 3, 2), deadline=D(2026, 3, 31), **fields
        )
        for _ in range(count)
    ]


def notices(event, **filters):
    return Notification.objects.filter(event=event, **filters)


# --- overdue ---------------------------------------------------------------------------------------


def test_it_marks_overdue_once_and_tells_the_heads_once(body):
    late = past_due(body, 2) + past_due(body, 1, state=Obligation.State.EXTENDED)
    not_yet = ObligationFactory(submission__organization=body, opened_on=D(2026, 3, 10), deadline=TODAY)
    answered = past_due(body, 1, state=Obligation.State.ANSWERED)[0]
    assert services.obligations_mark_overdue() == 3
    assert services.obligations_mark_overdue() == 0
    for obligation in late:
        obligation.refresh_from_db()
        assert obligation.state == Obligation.State.OVERDUE and obligation.overdue_at is not None
        assert obligation.steps.filter(kind=Step.Kind.OVERDUE).count() == 1
    for untouched in (not_yet, answered):
        untouched.refresh_from_db()
        assert untouched.state != Obligation.State.OVERDUE
    assert notices("obligations.overdue", recipient=member(body, "head")).count() == 3
    assert Event.objects.filter(action="obligations.obligation.overdue").count() == 3


def test_it_marks_overdue_exactly_once_when_rerun_after_a_crash_halfway(body, monkeypatch):
    late = past_due(body, 3)
    restore = failing_notify(monkeypatch, {2})
    with pytest.raises(Crash):
        services.obligations_mark_overdue()
    states = sorted(Obligation.objects.values_list("state", flat=True))
    assert states == ["open", "open", "overdue"]  # the item it crashed on was rolled back, claim included
    restore()
    assert services.obligations_mark_overdue() == 2
    assert services.obligations_mark_overdue() == 0
    head = member(body, "head")
    for obligation in late:
        assert notices("obligations.overdue", recipient=head, subject_id=obligation.subject.pk).count() == 1
        assert Step.objects.filter(obligation=obligation, kind=Step.Kind.OVERDUE).count() == 1


def test_it_skips_an_item_that_fails_and_does_it_on_the_next_run(body, monkeypatch):
    past_due(body, 3)
    restore = failing_notify(monkeypatch, {1}, RuntimeError)
    assert services.obligations_mark_overdue() == 2
    restore()
    assert services.obligations_mark_overdue() == 1
    assert Step.objects.filter(kind=Step.Kind.OVERDUE).count() == 3


# --- escalation ------------------------------------------------------------------------------------


def test_it_escalates_an_overdue_obligation_once_to_the_supervising_body(body, supervisor, alice):
    [late] = past_due(body, 1, state=Obligation.State.OVERDUE, author=alice)
    lonely = staffed_body()
    past_due(lonely, 1, state=Obligation.State.OVERDUE)
    assert services.obligations_escalate_overdue() == 1
    assert services.obligations_escalate_overdue() == 0
    escalation = Obligation.objects.get(kind=Kind.ESCALATION)
    assert (escalation.organization, escalation.escalated_from, escalation.subject) == (
        supervisor,
        late,
        late.subject,
    )
    assert (escalation.opened_on, escalation.deadline, escalation.author) == (TODAY, D(2026, 4, 22), alice)
    step = Step.objects.get(kind=Step.Kind.ESCALATED)
    assert (step.obligation, step.subject_id, step.organization) == (escalation, late.subject_id, supervisor)
    assert notices("obligations.escalated", recipient=member(supervisor, "head")).count() == 1
    assert notices("obligations.escalated", recipient=alice).count() == 1


def test_it_escalates_exactly_once_when_rerun_after_a_crash(body, supervisor, monkeypatch):
    past_due(body, 2, state=Obligation.State.OVERDUE)
    restore = failing_notify(monkeypatch, {1})
    with pytest.raises(Crash):
        services.obligations_escalate_overdue()
    assert not Obligation.objects.filter(kind=Kind.ESCALATION).exists()
    restore()
    assert services.obligations_escalate_overdue() == 2
    assert services.obligations_escalate_overdue() == 0
    assert Obligation.objects.filter(kind=Kind.ESCALATION, organization=supervisor).count() == 2


# --- reminders -------------------------------------------------------------------------------------


def test_it_reminds_once_per_lead_time_and_deadline(body, settings):
    settings.KENES_REMINDER_LEAD_DAYS = (3, 1)
    obligation = ObligationFactory(
        submission__organization=body, opened_on=D(2026, 4, 1), deadline=D(2026, 4, 22)
    )
    officer = member(body, "officer")
    assert services.obligations_send_reminders(today=D(2026, 4, 16)) == 0  # 4 working days left
    assert services.obligations_send_reminders(today=D(2026, 4, 17)) == 1  # 3 left
    assert services.obligations_send_reminders(today=D(2026, 4, 17)) == 0
    assert services.obligations_send_reminders(today=D(2026, 4, 20)) == 0  # 2 left: the 3-day one was sent
    assert services.obligations_send_reminders(today=D(2026, 4, 21)) == 1  # 1 left
    assert services.obligations_send_reminders(today=D(2026, 4, 22)) == 0
    assert sorted(Reminder.objects.values_list("lead_days", flat=True)) == [1, 3]
    assert notices("obligations.reminder", recipient=officer).count() == 2
    Obligation.objects.filter(pk=obligation.pk).update(
        deadline=D(2026, 5, 6), state=Obligation.State.EXTENDED
    )
    assert services.obligations_send_reminders(today=D(2026, 4, 30)) == 1  # a new deadline, new reminders


def test_it_reminds_only_the_assigned_officer_when_there_is_one(body, settings):
    settings.KENES_REMINDER_LEAD_DAYS = (3,)
    officer = member(body, "officer")
    ObligationFactory(submission__organization=body, deadline=D(2026, 4, 3), assigned_to=officer)
    assert services.obligations_send_reminders() == 1
    assert list(notices("obligations.reminder").values_list("recipient", flat=True)) == [officer.pk]


def test_it_sends_a_reminder_exactly_once_when_rerun_after_a_crash(body, monkeypatch, settings):
    settings.KENES_REMINDER_LEAD_DAYS = (3, 1)
    ObligationFactory(submission__organization=body, deadline=D(2026, 4, 3))
    restore = failing_notify(monkeypatch, {1})
    with pytest.raises(Crash):
        services.obligations_send_reminders()
    assert not Reminder.objects.exists()
    restore()
    assert services.obligations_send_reminders() == 1
    assert services.obligations_send_reminders() == 0
    assert notices("obligations.reminder").count() == 2  # the head and the officer, once each


# --- milestones ------------------------------------------------------------------------------------


def test_it_marks_a_milestone_overdue_once_and_escalates_it(body, supervisor, alice):
    response = ResponseFactory(
        obligation__submission__organization=body, obligation__author=alice, organization=body
    )
    milestone = MilestoneFactory(
        commitment__response=response, commitment__organization=body, due_on=D(2026, 3, 31)
    )
    MilestoneFactory(
        commitment=milestone.commitment, due_on=D(2026, 3, 30), status=Milestone.Status.DELIVERED
    )
    MilestoneFactory(commitment=milestone.commitment, due_on=TODAY)
    assert services.milestones_mark_overdue() == 1
    assert services.milestones_mark_overdue() == 0
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.OVERDUE and milestone.overdue_at is not None
    step = Step.objects.get(kind=Step.Kind.MILESTONE_OVERDUE)
    assert (step.obligation, step.subject_id) == (response.obligation, response.obligation.subject_id)
    escalation = Obligation.objects.get(kind=Kind.ESCALATION)
    assert (escalation.organization, escalation.subject, escalation.author) == (supervisor, milestone, alice)
    assert Step.objects.get(kind=Step.Kind.ESCALATED).subject_id == response.obligation.subject_id
    assert notices("obligations.milestone_overdue", recipient=alice).count() == 1
    assert notices("obligations.milestone_overdue", recipient=member(body, "officer")).count() == 1
    assert notices("obligations.escalated", recipient=member(supervisor, "head")).count() == 1


def test_it_marks_milestones_overdue_once_when_rerun_after_a_crash(body, monkeypatch):
    response = ResponseFactory(obligation__submission__organization=body, organization=body)
    for _ in range(2):
        MilestoneFactory(commitment__response=response, commitment__organization=body, due_on=D(2026, 3, 31))
    restore = failing_notify(monkeypatch, {3})  # each milestone: a notice to the body, one to the supervisor
    with pytest.raises(Crash):
        services.milestones_mark_overdue()
    assert Milestone.objects.filter(status=Milestone.Status.OVERDUE).count() == 1
    restore()
    assert services.milestones_mark_overdue() == 1
    assert Step.objects.filter(kind=Step.Kind.MILESTONE_OVERDUE).count() == 2
    assert Obligation.objects.filter(kind=Kind.ESCALATION).count() == 2


# --- digests ---------------------------------------------------------------------------------------


def test_it_sends_one_digest_a_day_to_each_officer_and_head(body, supervisor):
    other = staffed_body(officer=member(body, "officer"))
    ObligationFactory(submission__organization=body)
    past_due(other, 1, state=Obligation.State.OVERDUE)
    ObligationFactory(submission__organization=supervisor, state=Obligation.State.ANSWERED)
    assert services.officers_send_digests() == 3  # the shared officer, and each body's head
    assert services.officers_send_digests() == 0
    officer = member(body, "officer")
    [digest] = notices("obligations.digest", recipient=officer)
    assert digest.dedupe_key == f"obligations-digest:{officer.pk}:2026-04-01"
    assert body.name in digest.body and other.name in digest.body
    assert not notices("obligations.digest", recipient=member(supervisor, "head")).exists()
    assert services.officers_send_digests(today=D(2026, 4, 2)) == 3


def test_it_sends_each_digest_once_when_rerun_after_a_crash(body, monkeypatch):
    ObligationFactory(submission__organization=body)
    restore = failing_notify(monkeypatch, {2})
    with pytest.raises(Crash):
        services.officers_send_digests()
    restore()
    assert services.officers_send_digests() == 1
    assert notices("obligations.digest").count() == 2


# --- the Celery tasks ------------------------------------------------------------------------------


def test_the_tasks_call_the_jobs(body, supervisor):
    past_due(body, 1)
    assert tasks.obligations_mark_overdue_task.delay().get() == 1
    assert tasks.obligations_escalate_overdue_task.delay().get() == 1
    assert tasks.obligations_send_reminders_task.delay().get() == 0
    assert tasks.milestones_mark_overdue_task.delay().get() == 0
    assert tasks.officers_send_digests_task.delay().get() == 4  # head and officer of both bodies
    assert tasks.obligations_mark_overdue_task.name == "kenes.obligations.tasks.obligations_mark_overdue_task"
