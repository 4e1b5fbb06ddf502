"""Reads: bounded queries, and the sheet filter that keeps scores independent."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kenes.grants import selectors, services
from kenes.grants.models import Call
from kenes.grants.tasks import calls_close_expired_task

from .conftest import contracted, scored

pytestmark = pytest.mark.django_db


def test_the_body_list_of_applications_is_bounded(world, django_assert_max_num_queries):
    for index in range(3):
        world.apply(index)
    with django_assert_max_num_queries(3):  # the applications, their NGOs' sectors, their documents
        rows = selectors.call_applications_for_body(world.call)
        names = [r.organization.name for r in rows]
    assert sorted(names) == ["NGO 0", "NGO 1", "NGO 2"]


def test_the_public_results_are_bounded(world, django_assert_max_num_queries):
    contracted(world)
    call = selectors.call_get(world.call.pk)
    with django_assert_max_num_queries(12):
        results = selectors.call_results(call)
        for application in results:
            contract = getattr(application, "contract", None)
            if contract is not None:
                for milestone in contract.milestones.all():
                    list(milestone.reports.all())
                    list(milestone.targets.all())
    assert [a.rank for a in results] == [1, 2, 3]


def test_sheets_for_shows_an_expert_only_their_own_sheet_before_submitting(world):
    applications = scored(world)
    application = applications[0]
    outsider_view = selectors.sheets_for(world.officers[1], application)
    assert outsider_view.rows == []
    services.call_rank(actor=world.official, call=world.call)
    body_view = selectors.sheets_for(world.official, application)
    assert len(body_view.rows) == 3 and body_view.complete


def test_own_draft_is_all_an_expert_sees(world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    first, second = world.experts[:2]
    for expert in (first, second):
        assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
        services.assignment_declare(actor=expert, assignment=assignment)
    services.sheet_save(
        actor=first, application=application, values={c.pk: Decimal(9) for c in world.criteria}, submit=True
    )
    services.sheet_save(
        actor=second, application=application, values={c.pk: Decimal(2) for c in world.criteria}
    )
    view = selectors.sheets_for(second, application)
    assert [row["sheet"].assignment.expert_id for row in view.rows] == [second.pk]
    assert not view.complete


def test_the_job_closes_calls_past_their_deadline_once(world):
    world.pass_deadline()
    assert calls_close_expired_task.delay().get() == 1
    assert calls_close_expired_task.delay().get() == 0
    assert Call.objects.get(pk=world.call.pk).state == Call.State.CLOSED


def test_the_personal_data_export_lists_a_persons_part(world):
    from kenes.accounts.exports import exporters

    scored(world)
    expert_part = exporters()["grants"](world.experts[0])
    assert (
        len(expert_part["score_sheets"]) == 3
        and expert_part["expert_assignments"][0]["call"] == world.call.title
    )
    applicant_part = exporters()["grants"](world.officers[0])
    assert [a["title"] for a in applicant_part["applications"]] == ["Project 0"]


def test_closing_tells_the_body_and_drafts_near_the_deadline_are_reminded_once(world):
    from kenes.grants.tasks import drafts_remind_task
    from kenes.notifications.models import Notification

    world.apply(1)
    world.draft(
        title="Unfinished",
        description="D",
    )
    assert drafts_remind_task.delay().get() == 0  # the deadline is 30 days away
    Call.objects.filter(pk=world.call.pk).update(closes_at=timezone.now() + datetime.timedelta(days=2))
    assert drafts_remind_task.delay().get() == 1
    drafts_remind_task.delay().get()
    assert (
        Notification.objects.filter(recipient=world.officers[0], event="grants.draft_reminder").count() == 1
    )
    assert not Notification.objects.filter(
        recipient=world.officers[1], event="grants.draft_reminder"
    ).exists()
    world.close()
    closed = Notification.objects.get(recipient=world.official, event="grants.call_closed")
    assert "1 application" in closed.body
