"""Every rule of the grants services, through the services (a few set states with factories)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kenes.audit.models import Event
from kenes.grants import services
from kenes.grants.models import Application, Call, ContractMilestone, Report
from kenes.notifications.models import Follow, Notification
from kenes.notifications.selectors import subject_type_of
from kenes.obligations.models import Obligation
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, SectorFactory

from .conftest import World, contracted, pdf, scored
from .factories import LotFactory, RequiredDocumentFactory

D = Decimal


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


# --- programmes and calls --------------------------------------------------------------------------


def test_a_programme_is_planned_with_indicators_and_lots(world):
    programme = services.programme_plan(
        actor=world.official,
        body=world.body,
        kind="social_order",
        title="Jobs for young people",
        terms_of_reference="Train and place 200 young people.",
        territory=world.region,
        budget=D("5000000"),
        year=2026,
        indicators=[services.IndicatorSpec("Young people placed", "persons", D("200"))],
        lots=[services.LotSpec("North", D("2000000")), services.LotSpec("South", D("3000000"))],
    )
    assert [i.name for i in programme.indicators.all()] == ["Young people placed"]
    assert [lot.title for lot in programme.lots.all()] == ["North", "South"]
    assert Event.objects.filter(action="grants.programme.planned", subject_id=str(programme.pk)).exists()


def test_lots_cannot_exceed_the_programme_budget(world):
    with pytest.raises(ValidationError) as error:
        services.programme_plan(
            actor=world.official,
            body=world.body,
            kind="grant",
            title="T",
            terms_of_reference="ToR",
            territory=world.region,
            budget=D("100"),
            year=2026,
            lots=[services.LotSpec("A", D("80")), services.LotSpec("B", D("30"))],
        )
    assert codes(error.value) == {"lots_over_budget"}


def test_only_an_official_of_the_body_plans_a_programme(world, charlie):
    with pytest.raises(PermissionDenied):
        services.programme_plan(
            actor=charlie,
            body=world.body,
            kind="grant",
            title="T",
            terms_of_reference="ToR",
            territory=world.region,
            budget=D("100"),
            year=2026,
        )


def _draft(world: World, **extra) -> Call:
    now = timezone.now()
    return services.call_create(
        actor=world.official,
        programme=world.call.programme,
        title="Second call",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=20),
        **extra,
    )


def test_a_call_without_criteria_cannot_be_published(world):
    call = _draft(world)
    with pytest.raises(ValidationError) as error:
        services.call_publish(actor=world.official, call=call)
    assert codes(error.value) == {"no_criteria"}


def test_publishing_tells_the_followers_of_the_sector_and_of_a_territory_above(
    world, alice, charlie, user_factory
):
    sector = SectorFactory()
    world.call.programme.sectors.add(sector)
    Follow.objects.create(user=alice, subject_type=subject_type_of(sector), subject_id=sector.pk)
    region_follower = user_factory()
    district_follower = user_factory()
    Follow.objects.create(
        user=region_follower, subject_type=subject_type_of(world.region), subject_id=world.region.pk
    )
    Follow.objects.create(
        user=district_follower, subject_type=subject_type_of(world.district), subject_id=world.district.pk
    )
    call = _draft(world, criteria=[services.CriterionSpec("Relevance", D("1"))])
    services.call_publish(actor=world.official, call=call)
    told = set(
        Notification.objects.filter(event="grants.call_published").values_list("recipient_id", flat=True)
    )
    # The programme is for the region: its followers hear; a follower of one district below does not.
    assert told == {alice.pk, region_follower.pk}
    call.refresh_from_db()
    assert call.state == Call.State.PUBLISHED and len(call.lot_seed) == 32


# --- applying --------------------------------------------------------------------------------------


def test_an_ngo_saves_a_draft_then_submits_it(world):
    application = world.draft(
        title="Job club",
        description="Training.",
        budget_lines=[
            services.BudgetLineSpec("Trainers", D("600000"), D("50000")),
            services.BudgetLineSpec("Rent", D("400000"), D("150000")),
        ],
        team=[services.TeamMemberSpec("Aigerim", "Project lead")],
    )
    assert application.state == Application.State.DRAFT
    assert (application.requested_amount, application.cofinancing_amount) == (D("1000000"), D("200000"))
    submitted = services.application_submit(actor=world.officers[0], application=application)
    assert submitted.state == Application.State.SUBMITTED and submitted.submitted_at is not None


def test_submission_after_the_deadline_is_refused_with_the_deadline_in_the_message(world):
    application = world.draft(
        title="Job club",
        description="Training.",
        budget_lines=[services.BudgetLineSpec("Trainers", D("1000"))],
    )
    world.pass_deadline()
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=world.officers[0], application=application)
    assert codes(error.value) == {"deadline_passed"}
    assert "deadline for applications was" in error.value.messages[0]
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_a_second_live_application_of_one_ngo_is_refused_but_one_after_withdrawal_is_not(world):
    first = world.apply(0)
    with pytest.raises(ValidationError) as error:
        world.apply(0)
    assert codes(error.value) == {"duplicate"}
    services.application_withdraw(actor=world.officers[0], application=first)
    assert world.apply(0).state == Application.State.SUBMITTED


def test_withdrawal_after_the_deadline_is_refused(world):
    application = world.apply(0)
    world.pass_deadline()
    with pytest.raises(ValidationError) as error:
        services.application_withdraw(actor=world.officers[0], application=application)
    assert codes(error.value) == {"deadline_passed"}


def test_only_an_officer_or_head_of_the_ngo_applies_for_it(world, charlie):
    MembershipFactory(organization=world.ngos[0], user=charlie, role=Membership.Role.MEMBER)
    with pytest.raises(ValidationError) as error:
        services.application_save(
            actor=charlie, call=world.call, organization=world.ngos[0], title="T", description="D"
        )
    assert codes(error.value) == {"not_officer"}


def test_a_state_body_cannot_apply(world):
    with pytest.raises(ValidationError) as error:
        services.application_save(
            actor=world.official, call=world.call, organization=world.body, title="T", description="D"
        )
    assert codes(error.value) == {"not_ngo"}


def test_required_documents_must_be_attached_before_submitting(world):
    charter = RequiredDocumentFactory(call=world.call, name="Charter")
    application = world.draft(
        budget_lines=[services.BudgetLineSpec("Trainers", D("1000"))],
    )
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=world.officers[0], application=application)
    assert codes(error.value) == {"documents_missing"}
    world.draft(
        application=application,
        title="T",
        description="D",
        budget_lines=[services.BudgetLineSpec("Trainers", D("1000"))],
        documents=[(charter, pdf())],
    )
    assert services.application_submit(actor=world.officers[0], application=application).state == "submitted"


def test_a_document_whose_content_does_not_match_its_name_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("charter.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        world.draft(
            documents=[(None, fake)],
        )
    assert codes(error.value) == {"file_content"}
    assert not Application.objects.exists()


# --- eligibility -----------------------------------------------------------------------------------


def test_ruling_ineligible_needs_a_reason_and_stores_the_checks(world):
    application = world.apply(0)
    world.close()
    with pytest.raises(ValidationError) as error:
        services.application_rule_eligibility(actor=world.official, application=application, eligible=False)
    assert codes(error.value) == {"reason_required"}
    ruled = services.application_rule_eligibility(
        actor=world.official,
        application=application,
        eligible=False,
        reason="The charter does not allow work with young people.",
    )
    assert ruled.state == Application.State.INELIGIBLE
    assert {c["code"] for c in ruled.eligibility_results} >= {"ngo", "operating", "registration_number"}


def test_ruling_eligible_an_application_that_failed_a_check_needs_a_reason(world):
    Call.objects.filter(pk=world.call.pk).update(max_request=D("500"))
    world.call.refresh_from_db()
    application = world.apply(0)
    world.close()
    with pytest.raises(ValidationError) as error:
        services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    assert codes(error.value) == {"reason_required"}


def test_eligibility_is_ruled_only_after_the_call_closes(world):
    application = world.apply(0)
    with pytest.raises(ValidationError) as error:
        services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    assert codes(error.value) == {"call_not_closed"}


def test_an_ngo_cannot_rule_on_its_own_eligibility(world):
    application = world.apply(0)
    world.close()
    with pytest.raises(PermissionDenied):
        services.application_rule_eligibility(actor=world.officers[0], application=application, eligible=True)


# --- experts ---------------------------------------------------------------------------------------


def test_an_expert_who_is_a_member_of_an_applicant_ngo_is_refused(world, user_factory):
    world.apply(1)
    world.close()
    linked = user_factory(display_name="Linked Expert")
    MembershipFactory(organization=world.ngos[1], user=linked, role=Membership.Role.MEMBER)
    with pytest.raises(ValidationError) as error:
        services.expert_assign(actor=world.official, call=world.call, expert=linked)
    assert codes(error.value) == {"conflict_of_interest"}
    assert "NGO 1" in error.value.message_dict["expert"][0]
    assert not world.call.assignments.exists()


def test_an_expert_who_declared_a_conflict_cannot_score_that_application(world):
    a0, a1 = world.apply(0), world.apply(1)
    world.close()
    for application in (a0, a1):
        services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    expert = world.experts[0]
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
    services.assignment_declare(
        actor=expert, assignment=assignment, conflicts=[(a0, "My sister chairs this NGO's board.")]
    )
    with pytest.raises(PermissionDenied):
        services.sheet_save(actor=expert, application=a0, values={c.pk: D("5") for c in world.criteria})
    sheet = services.sheet_save(actor=expert, application=a1, values={c.pk: D("5") for c in world.criteria})
    assert sheet.scores.count() == 2


def test_an_expert_must_declare_interests_before_scoring(world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    services.expert_assign(actor=world.official, call=world.call, expert=world.experts[0])
    with pytest.raises(ValidationError) as error:
        services.sheet_save(actor=world.experts[0], application=application, values={})
    assert codes(error.value) == {"not_declared"}


def test_scores_outside_the_scale_and_incomplete_submissions_are_refused(world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    expert = world.experts[0]
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
    services.assignment_declare(actor=expert, assignment=assignment)
    relevance, budget = world.criteria
    with pytest.raises(ValidationError) as error:
        services.sheet_save(actor=expert, application=application, values={relevance.pk: D("11")})
    assert codes(error.value) == {"out_of_scale"}
    with pytest.raises(ValidationError) as error:
        services.sheet_save(actor=expert, application=application, values={relevance.pk: D("7")}, submit=True)
    assert codes(error.value) == {"missing_score"}
    services.sheet_save(
        actor=expert, application=application, values={relevance.pk: D("7"), budget.pk: D("6")}, submit=True
    )
    with pytest.raises(ValidationError) as error:
        services.sheet_save(
            actor=expert, application=application, values={relevance.pk: D("9"), budget.pk: D("9")}
        )
    assert codes(error.value) == {"submitted"}


def test_an_expert_sees_the_others_scores_only_after_submitting_their_own(world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    first, second = world.experts[:2]
    for expert in (first, second):
        assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
        services.assignment_declare(actor=expert, assignment=assignment)
    services.sheet_save(
        actor=first, application=application, values={c.pk: D("8") for c in world.criteria}, submit=True
    )
    assert first.has_perm("grants.view_scores", application)
    assert not second.has_perm("grants.view_scores", application)
    services.sheet_save(actor=second, application=application, values={c.pk: D("6") for c in world.criteria})
    assert not second.has_perm("grants.view_scores", application)  # a draft is not enough
    services.sheet_save(
        actor=second, application=application, values={c.pk: D("6") for c in world.criteria}, submit=True
    )
    assert second.has_perm("grants.view_scores", application)


# --- ranking and award -----------------------------------------------------------------------------


def test_ranking_waits_for_every_expert(world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=world.experts[0])
    services.assignment_declare(actor=world.experts[0], assignment=assignment)
    with pytest.raises(ValidationError) as error:
        services.call_rank(actor=world.official, call=world.call)
    assert codes(error.value) == {"scores_missing"}


def test_ranking_by_mean_orders_the_applications_and_keeps_the_criterion_scores(world):
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    ranked = {a.pk: a for a in Application.objects.filter(call=world.call)}
    assert [ranked[a.pk].rank for a in applications] == [2, 3, 1]
    assert ranked[applications[0].pk].score == D("7.0000")
    assert set(ranked[applications[2].pk].criterion_scores.values()) == {"9.00"}
    assert Call.objects.get(pk=world.call.pk).state == Call.State.EVALUATED


def test_a_trimmed_mean_drops_the_extremes_once_enough_expertsscored(world):
    Call.objects.filter(pk=world.call.pk).update(aggregation="trimmed_mean", trim_min_experts=3)
    world.call.refresh_from_db()
    applications = scored(world, {0: [10, 6, 5], 1: [5, 5, 5], 2: [9, 9, 9]})
    services.call_rank(actor=world.official, call=world.call)
    # Mean would be 7; trimmed to the middle score, 6.
    assert Application.objects.get(pk=applications[0].pk).score == D("6.0000")


def test_a_tie_is_broken_by_the_calls_rule(world):
    applications = scored(world, {0: [7, 7, 7], 1: [7, 7, 7], 2: [5, 5, 5]})
    services.call_rank(actor=world.official, call=world.call)
    first, second = (Application.objects.get(pk=a.pk) for a in applications[:2])
    # Earlier submission (the default rule): NGO 0 applied first.
    assert (first.rank, second.rank) == (1, 2)
    assert second.rank_note == "submission"


def test_the_award_needs_reasons_and_a_reason_for_passing_over_a_higher_rank(world):
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    best, middle = applications[2], applications[0]
    with pytest.raises(ValidationError):
        services.call_award(
            actor=world.official, call=world.call, winners={best.pk: D("1000000")}, reasons="ok"
        )
    with pytest.raises(ValidationError) as error:
        services.call_award(
            actor=world.official,
            call=world.call,
            winners={middle.pk: D("1000000")},
            reasons="The commission funds the projects with the best scores.",
        )
    assert codes(error.value) == {"reason_required"}
    decision = services.call_award(
        actor=world.official,
        call=world.call,
        winners={best.pk: D("900000"), middle.pk: D("1000000")},
        reasons="The commission funds the two projects with the best scores.",
    )
    states = dict(Application.objects.filter(call=world.call).values_list("pk", "state"))
    assert states == {best.pk: "awarded", middle.pk: "awarded", applications[1].pk: "not_awarded"}
    assert decision.awards.count() == 2
    assert Call.objects.get(pk=world.call.pk).state == Call.State.AWARDED


def test_an_award_cannot_exceed_what_was_requested(world):
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    with pytest.raises(ValidationError) as error:
        services.call_award(
            actor=world.official,
            call=world.call,
            winners={applications[2].pk: D("1000001")},
            reasons="The commission funds the project with the best score.",
        )
    assert codes(error.value) == {"amount"}


# --- complaints ------------------------------------------------------------------------------------


def test_a_complaint_is_an_obligation_on_the_body(world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(
        actor=world.official,
        application=application,
        eligible=False,
        reason="The charter does not fit the call.",
    )
    complaint = services.complaint_file(
        actor=world.officers[0],
        application=application,
        text="Our charter does cover work with young people.",
    )
    obligation = Obligation.objects.for_subject(complaint).get()
    assert (obligation.kind, obligation.organization_id) == ("grant_complaint", world.body.pk)
    assert obligation.deadline > timezone.localdate()


def test_a_complaint_before_any_ruling_is_refused(world):
    application = world.apply(0)
    with pytest.raises(ValidationError) as error:
        services.complaint_file(
            actor=world.officers[0], application=application, text="We want to complain about this call."
        )
    assert codes(error.value) == {"not_ruled"}


# --- implementation --------------------------------------------------------------------------------


def test_an_accepted_narrative_report_completes_the_milestone(world):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    officer = world.officers[2]
    report = services.report_submit(actor=officer, milestone=milestone, kind="narrative", text="40 trained.")
    with pytest.raises(ValidationError) as error:
        services.report_submit(actor=officer, milestone=milestone, kind="narrative", text="Again.")
    assert codes(error.value) == {"duplicate"}
    services.report_accept(actor=world.official, report=report)
    assert ContractMilestone.objects.get(pk=milestone.pk).accepted_at is not None


def test_a_returned_report_needs_a_reason_and_can_be_submitted_again(world):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    officer = world.officers[2]
    report = services.report_submit(
        actor=officer, milestone=milestone, kind="financial", text="Spent.", spent=D("10")
    )
    with pytest.raises(ValidationError):
        services.report_return(actor=world.official, report=report, reason="no")
    services.report_return(
        actor=world.official, report=report, reason="The receipts for the rent are missing from the report."
    )
    assert Report.objects.get(pk=report.pk).state == Report.State.RETURNED
    again = services.report_submit(
        actor=officer, milestone=milestone, kind="financial", text="With receipts.", spent=D("10")
    )
    assert again.state == Report.State.SUBMITTED


def test_only_the_ngo_reports_and_only_the_body_accepts(world, charlie):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    with pytest.raises(PermissionDenied):
        services.report_submit(
            actor=world.officers[0], milestone=milestone, kind="narrative", text="Not ours."
        )
    report = services.report_submit(
        actor=world.officers[2], milestone=milestone, kind="narrative", text="Ours."
    )
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=world.officers[2], report=report)


def test_the_final_evaluation_completes_thecontracted(world):
    winner, contract = contracted(world)
    services.monitoring_note_add(
        actor=world.official,
        contract=contract,
        observed_on=timezone.localdate(),
        text="Visited the job club.",
    )
    services.final_evaluation_record(
        actor=world.official, contract=contract, rating="good", summary="Most targets were reached on time."
    )
    contract.refresh_from_db()
    assert contract.state == "completed"


def test_a_state_body_that_is_not_operating_cannot_plan(world):
    Organization.objects.filter(pk=world.body.pk).update(status=Organization.Status.LIQUIDATED)
    world.body.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.programme_plan(
            actor=world.official,
            body=world.body,
            kind="grant",
            title="T",
            terms_of_reference="ToR",
            territory=world.region,
            budget=D("100"),
            year=2026,
        )
    assert codes(error.value) == {"not_a_body"}


def test_a_published_call_keeps_its_rules(world):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.call_update(
            actor=world.official,
            call=world.call,
            title="New rules",
            opens_at=now,
            closes_at=now + datetime.timedelta(days=1),
        )
    assert codes(error.value) == {"not_draft"}


def test_an_expert_with_submitted_scores_cannot_be_removed(world):
    scored(world)
    assignment = world.call.assignments.first()
    with pytest.raises(ValidationError) as error:
        services.expert_unassign(actor=world.official, assignment=assignment)
    assert codes(error.value) == {"has_scores"}


def test_an_expert_who_joins_an_applicant_after_assignment_cannot_score_it_and_does_not_block_ranking(world):
    applications = [world.apply(0), world.apply(1)]
    world.close()
    for application in applications:
        services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    expert = world.experts[0]
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
    services.assignment_declare(actor=expert, assignment=assignment)
    MembershipFactory(organization=world.ngos[0], user=expert, role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.sheet_save(actor=expert, application=applications[0], values={})
    services.sheet_save(
        actor=expert, application=applications[1], values={c.pk: D("6") for c in world.criteria}, submit=True
    )
    other = world.experts[1]
    second = services.expert_assign(actor=world.official, call=world.call, expert=other)
    services.assignment_declare(actor=other, assignment=second)
    for application in applications:
        services.sheet_save(
            actor=other, application=application, values={c.pk: D("5") for c in world.criteria}, submit=True
        )
    services.call_rank(actor=world.official, call=world.call)
    assert Call.objects.get(pk=world.call.pk).state == Call.State.EVALUATED


def test_with_lots_applications_are_ranked_within_their_lot(world):
    north = LotFactory(programme=world.call.programme, title="North", budget=D("2000000"), position=0)
    south = LotFactory(programme=world.call.programme, title="South", budget=D("1500000"), position=1)
    world.call.lots.set([north, south])
    lots = [north, south, south]
    applications = [world.apply(i, lot=lots[i]) for i in range(3)]
    world.close()
    for application in applications:
        services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    expert = world.experts[0]
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
    services.assignment_declare(actor=expert, assignment=assignment)
    for application, value in zip(applications, ["4", "9", "7"], strict=True):
        services.sheet_save(
            actor=expert,
            application=application,
            values={c.pk: D(value) for c in world.criteria},
            submit=True,
        )
    services.call_rank(actor=world.official, call=world.call)
    ranks = {a.pk: a.rank for a in Application.objects.filter(call=world.call)}
    # North has one application (first in its lot although it scored lowest); South ranks its two.
    assert [ranks[a.pk] for a in applications] == [1, 1, 2]
    with pytest.raises(ValidationError) as error:
        services.call_award(
            actor=world.official,
            call=world.call,
            winners={
                applications[1].pk: D("1000000"),
                applications[2].pk: D("1000000"),
                applications[0].pk: D("1"),
            },
            reasons="The commission funds every project within the lots' budgets.",
        )
    assert codes(error.value) == {"over_lot_budget"}
