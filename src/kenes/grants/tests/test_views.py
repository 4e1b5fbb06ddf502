"""The pages: who sees what (404 for what one may not see, 403 for what one may not do), forms
that keep what was typed, and bounded queries on lists and the public call page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kenes.grants import services
from kenes.grants.models import Application, Call, ExpertAssignment
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory, SectorFactory

from .conftest import World, contracted, pdf, scored
from .factories import CallFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_published_calls_only_in_bounded_queries(
    client, world, django_assert_max_num_queries
):
    CallFactory(programme=world.call.programme, title="Secret draft", state=Call.State.DRAFT)
    for _ in range(5):
        CallFactory(programme=world.call.programme)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("grants:calls"))
    assert response.status_code == 200
    assert world.call.title in response.text and "Secret draft" not in response.text


def test_the_list_filters_by_text_and_shows_an_empty_state(client, world):
    response = client.get(reverse("grants:calls"), {"q": "no such words anywhere"})
    assert "No call matches these filters." in response.text


def test_a_draft_call_is_hidden_from_outsiders_but_not_from_the_body(client, world, charlie):
    Call.objects.filter(pk=world.call.pk).update(state=Call.State.DRAFT, published_at=None)
    url = reverse("grants:call", args=[world.call.pk])
    assert client.get(url).status_code == 404
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    client.force_login(world.official)
    assert client.get(url).status_code == 200


def test_the_call_page_shows_the_aggregation_and_tie_rule(client, world):
    response = client.get(reverse("grants:call", args=[world.call.pk]))
    assert "Mean of the experts" in response.text
    assert "The application submitted first ranks higher" in response.text


def test_the_awarded_call_page_shows_scores_reasons_milestones_and_only_accepted_reports(
    client, world, django_assert_max_num_queries
):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    accepted = services.report_submit(
        actor=world.officers[2], milestone=milestone, kind="narrative", text="Forty trained."
    )
    services.report_accept(actor=world.official, report=accepted)
    services.report_submit(
        actor=world.officers[2],
        milestone=milestone,
        kind="financial",
        text="Pending money report.",
        spent=Decimal("5"),
    )
    with django_assert_max_num_queries(25):
        response = client.get(reverse("grants:call", args=[world.call.pk]))
    text = response.text
    assert "The commission funds the project with the best score." in text
    assert "9.00" in text and "Forty trained." in text and "Training" in text
    assert "Pending money report." not in text
    assert f'data-expert-scores="{winner.pk}"' in text  # each expert's scores, anonymously


def test_no_score_is_public_before_the_award(client, world):
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    text = client.get(reverse("grants:call", args=[world.call.pk])).text
    assert "data-expert-scores" not in text and "data-results" not in text
    assert applications[0].title not in text


def test_an_ngo_officer_saves_a_draft_with_a_budget_table(client, world):
    client.force_login(world.officers[0])
    data = {
        "organization": world.ngos[0].pk,
        "title": "Job club",
        "description": "Training for young people.",
        "language": "ru",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-0-item": "Trainers",
        "budget-0-amount": "600000",
        "budget-0-cofinancing": "50000",
        "budget-1-item": "",
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-0-name": "Aigerim",
        "team-0-role": "Lead",
        "save": "1",
    }
    response = client.post(reverse("grants:apply", args=[world.call.pk]), data)
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "grants:application", args=[application.pk]
    )
    assert application.state == "draft" and application.requested_amount == Decimal("600000")
    assert [m.name for m in application.team.all()] == ["Aigerim"]


def test_a_refused_application_form_keeps_what_was_typed(client, world):
    client.force_login(world.officers[0])
    data = {
        "organization": world.ngos[0].pk,
        "title": "Job club kept",
        "description": "",
        "language": "ru",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-item": "Trainers kept",
        "budget-0-amount": "",
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("grants:apply", args=[world.call.pk]), data)
    assert response.status_code == 400
    assert 'value="Job club kept"' in response.text and 'value="Trainers kept"' in response.text
    assert "There is a problem" in response.text
    assert not Application.objects.exists()


def test_submitting_after_the_deadline_shows_the_deadline(client, world):
    application = world.draft(
        budget_lines=[services.BudgetLineSpec("Trainers", Decimal("1000"))],
    )
    world.pass_deadline()
    client.force_login(world.officers[0])
    response = client.post(reverse("grants:application_submit", args=[application.pk]), follow=True)
    assert "The deadline for applications was" in response.text
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_a_person_without_an_ngo_is_told_who_can_apply(client, world, charlie):
    client.force_login(charlie)
    response = client.get(reverse("grants:apply", args=[world.call.pk]))
    assert response.status_code == 403 and "Only an NGO can apply" in response.text


def test_an_application_is_404_for_outsiders_and_other_ngos(client, world, charlie):
    application = world.apply(0)
    url = reverse("grants:application", args=[application.pk])
    for user in (charlie, world.officers[1]):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.official)
    assert client.get(url).status_code == 200


def test_documents_are_sent_only_to_those_allowed_and_as_attachments(client, world, charlie):
    charter = RequiredDocumentFactory(call=world.call, name="Charter")
    application = world.draft(
        documents=[(charter, pdf())],
    )
    url = reverse("grants:document", args=[application.documents.get().pk])
    assert client.get(url).status_code == 404
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    client.force_login(world.officers[0])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_only_officials_manage_a_call(client, world, charlie):
    client.force_login(charlie)
    assert client.get(reverse("grants:call_manage", args=[world.call.pk])).status_code == 403
    assert client.post(reverse("grants:call_close", args=[world.call.pk])).status_code == 403
    client.force_login(world.official)
    assert client.get(reverse("grants:call_manage", args=[world.call.pk])).status_code == 200


def test_assigning_a_member_of_an_applicant_ngo_shows_the_conflict(client, world, user_factory):
    world.apply(1)
    world.close()
    linked = user_factory(email="linked@example.org", display_name="Linked")
    MembershipFactory(organization=world.ngos[1], user=linked, role=Membership.Role.MEMBER)
    client.force_login(world.official)
    response = client.post(
        reverse("grants:expert_assign", args=[world.call.pk]), {"email": "linked@example.org"}, follow=True
    )
    assert "conflict of interest" in response.text
    assert not ExpertAssignment.objects.exists()


def test_the_body_rules_an_application_ineligible_from_the_manage_page(client, world):
    application = world.apply(0)
    world.close()
    client.force_login(world.official)
    page = client.get(reverse("grants:call_manage", args=[world.call.pk]))
    assert "The applicant is a non-governmental organisation." in page.text
    prefix = f"a{application.pk}"
    client.post(
        reverse("grants:eligibility", args=[application.pk]),
        {f"{prefix}-eligible": "0", f"{prefix}-reason": "The charter does not cover youth work at all."},
    )
    application.refresh_from_db()
    assert application.state == "ineligible"


def test_an_expert_does_not_see_other_scores_on_the_scoring_page_before_submitting(client, world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    first, second = world.experts[:2]
    for expert in (first, second):
        assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
        services.assignment_declare(actor=expert, assignment=assignment)
    services.sheet_save(
        actor=first, application=application, values={c.pk: Decimal("3") for c in world.criteria},
        comment="First expert's secret comment", submit=True,
    )  # fmt: skip
    client.force_login(second)
    for url in (
        reverse("grants:score", args=[application.pk]),
        reverse("grants:application", args=[application.pk]),
    ):
        assert "First expert&#x27;s secret comment" not in client.get(url).text
    client.post(
        reverse("grants:score", args=[application.pk]),
        {f"criterion_{c.pk}": "7" for c in world.criteria} | {"submit": "1"},
    )
    assert (
        "First expert&#x27;s secret comment"
        in client.get(reverse("grants:score", args=[application.pk])).text
    )


def test_an_expert_with_a_declared_conflict_cannot_open_the_scoring_page(client, world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    expert = world.experts[0]
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
    services.assignment_declare(
        actor=expert, assignment=assignment, conflicts=[(application, "I advise this NGO.")]
    )
    client.force_login(expert)
    assert client.get(reverse("grants:score", args=[application.pk])).status_code == 404


def test_the_award_page_publishes_the_decision(client, world):
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    client.force_login(world.official)
    best = applications[2]
    response = client.post(
        reverse("grants:call_award", args=[world.call.pk]),
        {f"amount_{best.pk}": "1000000", "reasons": "The commission funds the project with the best score."},
    )
    assert response.status_code == 302
    assert Call.objects.get(pk=world.call.pk).state == "awarded"


def test_an_applicant_files_a_complaint(client, world: World):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(
        actor=world.official,
        application=application,
        eligible=False,
        reason="The charter does not fit the call.",
    )
    client.force_login(world.officers[0])
    response = client.post(
        reverse("grants:complain", args=[application.pk]),
        {"text": "Our charter covers youth work in article 3."},
    )
    assert response.status_code == 302
    assert application.complaints.count() == 1


def test_the_winner_reports_and_the_body_accepts_from_the_application_page(client, world):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    client.force_login(world.officers[2])
    client.post(
        reverse("grants:report_new", args=[milestone.pk]), {"kind": "narrative", "text": "Forty trained."}
    )
    report = contract.reports.get()
    client.force_login(world.official)
    client.post(
        reverse("grants:report_review", args=[report.pk]), {"decision": "return", "reason": "too short"}
    )
    report.refresh_from_db()
    assert report.state == "submitted"  # a trivial reason is refused
    client.post(reverse("grants:report_review", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.state == "accepted"


@pytest.mark.parametrize("name", ["mine", "expert", "manage"])
def test_personal_pages_need_a_login_and_show_an_empty_state(client, charlie, name):
    url = reverse(f"grants:{name}")
    assert client.get(url).status_code == 302
    client.force_login(charlie)
    assert client.get(url).status_code == 200


def test_an_official_plans_a_programme_with_indicators_and_lots(client, world):
    client.force_login(world.official)
    assert client.get(reverse("grants:programme_new")).status_code == 200
    data = {
        "body": world.body.pk,
        "kind": "social_order",
        "title": "Care for the elderly",
        "terms_of_reference": "Home visits to lonely elderly people.",
        "territory": world.region.code,
        "budget": "2000000",
        "currency": "KZT",
        "year": "2026",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "People visited",
        "indicators-0-unit": "persons",
        "indicators-0-target": "150",
        "lots-TOTAL_FORMS": "1",
        "lots-INITIAL_FORMS": "0",
        "lots-0-title": "City",
        "lots-0-budget": "2500000",
    }
    response = client.post(reverse("grants:programme_new"), data)
    assert response.status_code == 400 and "more than the programme" in response.text  # the lot is too big
    data["lots-0-budget"] = "1000000"
    response = client.post(reverse("grants:programme_new"), data)
    programme = world.body.grant_programmes.get(title="Care for the elderly")
    assert response.status_code == 302
    assert [(i.name, i.target) for i in programme.indicators.all()] == [("People visited", Decimal("150"))]


def test_people_outside_a_body_cannot_plan(client, charlie):
    client.force_login(charlie)
    assert client.get(reverse("grants:programme_new")).status_code == 403


def test_an_official_prepares_a_call_with_criteria_then_publishes_it(client, world):
    client.force_login(world.official)
    url = reverse("grants:call_new", args=[world.call.programme.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": "Second call",
        "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-02-01T18:00",
        "aggregation": "trimmed_mean",
        "trim_min_experts": "5",
        "tie_rule": "lot",
        "require_operating": "on",
        "required_documents": "Charter\nBudget justification\n",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Relevance",
        "criteria-0-weight": "2",
        "criteria-0-scale_min": "0",
        "criteria-0-scale_max": "10",
        "criteria-1-name": "Team",
        "criteria-1-weight": "1",
        "criteria-1-scale_min": "5",
        "criteria-1-scale_max": "5",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "The highest score must be above the lowest." in response.text
    assert 'value="Second call"' in response.text
    data["criteria-1-scale_max"] = "20"
    response = client.post(url, data)
    call = Call.objects.get(title="Second call")
    assert response.status_code == 302 and call.state == "draft"
    assert [d.name for d in call.required_documents.all()] == ["Charter", "Budget justification"]
    client.post(reverse("grants:call_publish", args=[call.pk]))
    call.refresh_from_db()
    assert call.state == "published"
    assert call.lot_seed in client.get(reverse("grants:call", args=[call.pk])).text


def test_following_a_territory_from_the_call_list_brings_the_next_call(client, world, alice):
    from kenes.notifications.models import Notification

    client.force_login(alice)
    page = client.get(reverse("grants:calls"), {"territory": world.region.code})
    assert "Hear about new calls" in page.text
    client.post(
        reverse("notifications:follow"),
        {"content_type": "territories.territory", "object_id": world.region.pk, "next": "/"},
    )
    draft = services.call_create(
        actor=world.official,
        programme=world.call.programme,
        title="Third call",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=10),
        criteria=[services.CriterionSpec("Relevance", Decimal("1"))],
    )
    services.call_publish(actor=world.official, call=draft)
    assert Notification.objects.filter(recipient=alice, event="grants.call_published").count() == 1


def test_the_draft_is_edited_with_its_budget_table_filled_in(client, world):
    application = world.draft(
        title="Job club",
        description="Training.",
        budget_lines=[services.BudgetLineSpec("Trainers fees", Decimal("1000"))],
    )
    client.force_login(world.officers[0])
    url = reverse("grants:application_edit", args=[application.pk])
    assert 'value="Trainers fees"' in client.get(url).text
    services.application_submit(actor=world.officers[0], application=application)
    response = client.get(url, follow=True)
    assert "Only a draft application can be changed." in response.text


def test_an_expert_declares_a_conflict_on_the_declaration_page(client, world):
    a0, a1 = world.apply(0), world.apply(1)
    world.close()
    for application in (a0, a1):
        services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    expert = world.experts[0]
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
    client.force_login(expert)
    url = reverse("grants:declare", args=[assignment.pk])
    client.post(url, {"declaration": "", f"conflict_{a0.pk}": "I chaired its board until last year."})
    page = client.get(url).text
    assert "You declared a conflict of interest" in page
    assert reverse("grants:score", args=[a1.pk]) in page and reverse("grants:score", args=[a0.pk]) not in page
    client.force_login(world.experts[1])
    assert client.get(url).status_code == 404  # another expert's declaration


def test_a_draft_call_is_changed_with_its_criteria_but_a_published_one_is_not(client, world):
    draft = services.call_create(
        actor=world.official,
        programme=world.call.programme,
        title="Draft to change",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=10),
        criteria=[services.CriterionSpec("Relevance", Decimal("1"))],
    )
    client.force_login(world.official)
    url = reverse("grants:call_edit", args=[draft.pk])
    page = client.get(url).text
    assert 'value="Draft to change"' in page and 'value="Relevance"' in page
    data = {
        "title": "Changed title",
        "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-02-01T18:00",
        "aggregation": "mean",
        "trim_min_experts": "5",
        "tie_rule": "higher_criterion",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Impact",
        "criteria-0-weight": "3",
        "criteria-0-scale_min": "0",
        "criteria-0-scale_max": "5",
    }
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Changed title" and [c.name for c in draft.criteria.all()] == ["Impact"]
    response = client.get(reverse("grants:call_edit", args=[world.call.pk]), follow=True)
    assert "Only a draft call can be changed." in response.text


def test_an_expert_who_scored_nothing_can_be_removed(client, world):
    world.apply(0)
    world.close()
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=world.experts[0])
    client.force_login(world.official)
    client.post(reverse("grants:expert_unassign", args=[assignment.pk]))
    assert not ExpertAssignment.objects.exists()


def test_the_contract_is_recorded_with_milestones_and_indicator_targets(client, world):
    indicator = world.call.programme.indicators.create(name="Young people trained", unit="persons", target=40)
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    winner = applications[2]
    services.call_award(
        actor=world.official,
        call=world.call,
        winners={winner.pk: Decimal("1000000")},
        reasons="The commission funds the project with the best score.",
    )
    client.force_login(world.official)
    url = reverse("grants:contract_new", args=[winner.pk])
    assert "Target: Young people trained (persons)" in client.get(url).text
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "number": "GR-7",
            "signed_on": today.isoformat(),
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
            "milestones-TOTAL_FORMS": "1",
            "milestones-INITIAL_FORMS": "0",
            "milestones-0-title": "Training",
            "milestones-0-deliverable": "Twenty trained",
            "milestones-0-due_on": (today + datetime.timedelta(days=30)).isoformat(),
            f"milestones-0-target_{indicator.pk}": "20",
        },
    )
    assert response.status_code == 302
    milestone = winner.contract.milestones.get()
    assert [(t.indicator_id, t.target) for t in milestone.targets.all()] == [(indicator.pk, Decimal("20"))]
    assert (
        "Young people trained: 20.00 persons" in client.get(reverse("grants:call", args=[world.call.pk])).text
    )


def test_an_applicant_sees_its_rank_only_once_the_award_is_published(client, world):
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    client.force_login(world.officers[0])
    url = reverse("grants:application", args=[applications[0].pk])
    assert "Rank 2" not in client.get(url).text
    assert "Applications received" in client.get(reverse("grants:call", args=[world.call.pk])).text
    services.call_award(
        actor=world.official,
        call=world.call,
        winners={applications[2].pk: Decimal("1000000")},
        reasons="The commission funds the project with the best score.",
    )
    assert "Rank 2" in client.get(url).text


def test_a_milestone_past_its_date_without_an_accepted_report_is_overdue(client, world):
    from kenes.grants.models import ContractMilestone

    winner, contract = contracted(world)
    ContractMilestone.objects.filter(contract=contract).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "data-milestone-overdue" in client.get(reverse("grants:call", args=[world.call.pk])).text


def test_the_manage_page_is_bounded_while_ruling_on_eligibility(client, world, django_assert_max_num_queries):
    RequiredDocumentFactory(call=world.call, name="Charter")
    world.call.programme.sectors.add(SectorFactory())
    Call.objects.filter(pk=world.call.pk).update(require_sector=True, require_territory=True)
    for index in range(3):
        world.draft(index)
    Application.objects.update(state="submitted", submitted_at=timezone.now())
    world.close()
    client.force_login(world.official)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("grants:call_manage", args=[world.call.pk]))
    assert response.text.count("Required documents missing: Charter.") == 3


def test_the_application_page_with_its_contract_is_bounded(client, world, django_assert_max_num_queries):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    for kind in ("narrative", "financial"):
        services.report_submit(
            actor=world.officers[2], milestone=milestone, kind=kind, text="Done.", spent=Decimal(1)
        )
    client.force_login(world.official)
    with django_assert_max_num_queries(30):  # fixed: the permission checks and one read per relation
        response = client.get(reverse("grants:application", args=[winner.pk]))
    assert response.text.count('data-action="review"') == 2


def test_every_page_renders_with_one_heading_in_russian(client, world):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    loser = Application.objects.get(call=world.call, organization=world.ngos[0])
    assignment = world.call.assignments.first()
    pages = [
        (None, reverse("grants:calls")),
        (None, reverse("grants:call", args=[world.call.pk])),
        (None, reverse("grants:programme", args=[world.call.programme.pk])),
        (world.official, reverse("grants:manage")),
        (world.official, reverse("grants:call_manage", args=[world.call.pk])),
        (world.official, reverse("grants:application", args=[winner.pk])),
        (world.official, reverse("grants:final_evaluation", args=[contract.pk])),
        (world.officers[2], reverse("grants:mine")),
        (world.officers[2], reverse("grants:report_new", args=[milestone.pk])),
        (world.officers[0], reverse("grants:complain", args=[loser.pk])),
        (world.experts[0], reverse("grants:expert")),
        (world.experts[0], reverse("grants:declare", args=[assignment.pk])),
        (world.experts[0], reverse("grants:score", args=[winner.pk])),
    ]
    for user, url in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        url = url.replace("/en/", "/ru/", 1)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.text.count("<h1") == 1, url
        assert '<html lang="ru">' in response.text


def test_the_apply_page_of_a_closed_call_says_so(client, world):
    world.close()
    client.force_login(world.officers[0])
    response = client.get(reverse("grants:apply", args=[world.call.pk]), follow=True)
    assert "This call is not open for applications." in response.text


def test_the_body_adds_a_milestone_inside_the_contract_period(client, world):
    winner, contract = contracted(world)
    client.force_login(world.official)
    url = reverse("grants:milestone_add", args=[contract.pk])
    late = contract.ends_on + datetime.timedelta(days=1)
    response = client.post(
        url, {"title": "Late", "deliverable": "x", "due_on": late.isoformat()}, follow=True
    )
    assert "within the contract" in response.text
    due = contract.starts_on + datetime.timedelta(days=10)
    client.post(url, {"title": "Visit", "deliverable": "A visit report", "due_on": due.isoformat()})
    assert [m.title for m in contract.milestones.order_by("due_on")] == ["Visit", "Training"]
    client.force_login(world.officers[2])
    assert (
        client.post(url, {"title": "Mine", "deliverable": "x", "due_on": due.isoformat()}).status_code == 403
    )


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"page": "<x>", "per_page": "-1"},
        {"territory": "'", "sector": "x", "state": "draft", "order": "evil"},
        {"q": "\u202etxt.exe", "per_page": "1000000000"},
    ],
)
def test_the_calls_list_survives_hostile_parameters(client, world, params):
    CallFactory(programme=world.call.programme, title="<script>alert(2)</script>")
    response = client.get(reverse("grants:calls"), params)
    assert response.status_code == 200
    assert "<script>alert(" not in response.text


def test_markup_in_an_application_is_escaped(client, world):
    application = world.draft(
        title="<img src=x onerror=alert(1)>",
        description="<script>alert(1)</script>",
    )
    client.force_login(world.officers[0])
    text = client.get(reverse("grants:application", args=[application.pk])).text
    assert "<script>alert(1)</script>" not in text and "<img src=x" not in text
