"""Grants in a browser, from call to accepted report. An official of a ministry publishes a
prepared call; three NGOs apply (one in Russian), each with its budget table and the required
charter; after the deadline the official closes the call and rules one application ineligible with
a reason; a fourth expert, a member of an applicant NGO, is refused on the conflict of interest;
three experts declare their interests and score every eligible application (one in Russian); the
official ranks, publishes the award with the reasons, records the contract with a milestone; the
winner reports on it and the official accepts the report, which the public call page shows with
every score (read in Russian by an anonymous visitor)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from kenes.grants import services
from kenes.grants.models import Application, Call, ExpertAssignment, Report
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory
from tests.browser.helpers import log_in, person

REASON_INELIGIBLE = "The charter of the organisation does not allow work with young people."
AWARD_REASONS = "The commission funds the project with the highest total score within the budget."
PDF = {"name": "charter.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 charter of the NGO"}


@pytest.fixture
def journey(transactional_db):
    region = TerritoryFactory(code="930000000", name_en="Akmola region", name_ru="Акмолинская область")
    town = TerritoryFactory(
        code="931000000", parent=region, kind=Territory.Kind.DISTRICT, name_en="Kokshetau"
    )
    body = OrganizationFactory(
        territory=region,
        kind=Organization.Kind.STATE_BODY,
        name_en="Ministry of Culture",
        name_ru="Министерство",
    )
    official = person("official@example.org", "Official", "en")
    MembershipFactory(organization=body, user=official, role=Membership.Role.HEAD)
    ngos, heads = [], []
    for index, language in enumerate(["en", "ru", "en"]):
        ngo = OrganizationFactory(
            territory=town, name_en=f"Youth NGO {index}", name_ru=f"Молодёжное НКО {index}",
            registration_number=f"12345678901{index}",
        )  # fmt: skip
        head = person(f"ngo{index}@example.org", f"Head {index}", language)
        MembershipFactory(organization=ngo, user=head, role=Membership.Role.HEAD)
        ngos.append(ngo)
        heads.append(head)
    experts = [person(f"expert{i}@example.org", f"Expert {i}", "ru" if i == 1 else "en") for i in range(3)]
    linked = person("linked@example.org", "Linked Expert", "en")
    MembershipFactory(organization=ngos[0], user=linked, role=Membership.Role.MEMBER)
    programme = services.programme_plan(
        actor=official,
        body=body,
        kind="grant",
        title="Jobs for young people",
        terms_of_reference="Train young people and help them find work in their district.",
        territory=region,
        budget=Decimal("3000000"),
        year=2026,
        indicators=[services.IndicatorSpec("Young people trained", "persons", Decimal("40"))],
    )
    now = timezone.now()
    call = services.call_create(
        actor=official,
        programme=programme,
        title="Youth employment projects 2026",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=20),
        criteria=[
            services.CriterionSpec("Relevance", Decimal("2")),
            services.CriterionSpec("Budget", Decimal("1")),
        ],
        required_documents=["Charter"],
    )
    return {"official": official, "ngos": ngos, "heads": heads, "experts": experts, "call": call}


def apply(page, call, language, index):
    page.goto(f"/{language}/grants/calls/{call.pk}/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("a[data-action=apply]").click()
    page.wait_for_url(re.compile(rf"/{language}/grants/calls/{call.pk}/apply/$"))
    page.locator("input[name=title]").fill(f"Job club {index}")
    page.locator("textarea[name=description]").fill(
        "Training, mentors and visits to employers for young people."
    )
    page.locator("input[name=budget-0-item]").fill("Trainers")
    page.locator("input[name=budget-0-amount]").fill("900000")
    page.locator("input[name=budget-0-cofinancing]").fill("100000")
    page.locator("input[name=team-0-name]").fill("Aigerim")
    page.locator("input[name=team-0-role]").fill("Project lead")
    document = call.required_documents.get()
    page.locator(f"input[name=document_{document.pk}]").set_input_files(PDF)
    page.locator("button[data-action=submit-application]").click()
    page.wait_for_url(re.compile(rf"/{language}/grants/applications/\d+/$"))
    assert page.locator("[data-state=submitted]").count() == 1


def score_all(page, language, expert, call, values):
    assignment = ExpertAssignment.objects.get(call=call, expert=expert)
    page.goto(f"/{language}/grants/assignments/{assignment.pk}/")
    page.locator("textarea[name=declaration]").fill("I have no link with any applicant.")
    page.locator("button[data-action=declare]").click()
    page.wait_for_url(re.compile(rf"/{language}/grants/assignments/{assignment.pk}/$"))
    for application, value in values.items():
        page.goto(f"/{language}/grants/applications/{application.pk}/score/")
        # Before submitting, no other expert's scores are on the page.
        assert page.locator("table[data-scores]").count() == 0
        for criterion in call.criteria.all():
            page.locator(f"input[name=criterion_{criterion.pk}]").fill(str(value))
        page.locator("button[data-action=submit-scores]").click()
        page.wait_for_url(re.compile(rf"/{language}/grants/applications/{application.pk}/score/$"))
        assert page.locator("table[data-scores]").count() == 1


def test_call_apply_evaluate_award_and_report(page, journey):
    call, experts = journey["call"], journey["experts"]

    # The official publishes the prepared call.
    log_in(page, "en", "official@example.org")
    page.goto(f"/en/grants/calls/{call.pk}/manage/")
    page.locator("button[data-action=publish]").click()
    page.wait_for_url(re.compile(rf"/en/grants/calls/{call.pk}/manage/$"))
    assert Call.objects.get(pk=call.pk).state == Call.State.PUBLISHED

    # Three NGOs apply; the second in Russian.
    for index, language in enumerate(["en", "ru", "en"]):
        log_in(page, language, f"ngo{index}@example.org")
        apply(page, call, language, index)
    applications = [Application.objects.get(organization=ngo) for ngo in journey["ngos"]]
    assert {a.state for a in applications} == {"submitted"}

    # The deadline passes (setup: as if the days went by); the official closes the call and rules.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    log_in(page, "en", "official@example.org")
    page.goto(f"/en/grants/calls/{call.pk}/manage/")
    page.locator("button[data-action=close]").click()
    page.wait_for_url(re.compile(rf"/en/grants/calls/{call.pk}/manage/$"))
    for application in applications:
        form = page.locator(f"form[data-eligibility='{application.pk}']")
        eligible = application != applications[1]
        form.locator(f"input[name=a{application.pk}-eligible][value='{'1' if eligible else '0'}']").check()
        if not eligible:
            form.locator(f"textarea[name=a{application.pk}-reason]").fill(REASON_INELIGIBLE)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/en/grants/calls/{call.pk}/manage/$"))
    states = {a.pk: a.state for a in Application.objects.filter(call=call)}
    assert states[applications[1].pk] == "ineligible"
    assert REASON_INELIGIBLE in page.locator(f"tr[data-application='{applications[1].pk}']").inner_text()

    # Experts: the member of an applicant NGO is refused; three are assigned.
    for email in ["linked@example.org"] + [e.email for e in experts]:
        page.locator("input[name=email]").fill(email)
        page.locator("button[data-action=assign]").click()
        page.wait_for_url(re.compile(rf"/en/grants/calls/{call.pk}/manage/$"))
        if email == "linked@example.org":
            assert "conflict of interest" in page.locator("ul.messages").inner_text()
    assert sorted(
        ExpertAssignment.objects.filter(call=call).values_list("expert__email", flat=True)
    ) == sorted(e.email for e in experts)

    # Each expert declares interests and scores the two eligible applications (the second in Russian).
    winner, other = applications[2], applications[0]
    for index, expert in enumerate(experts):
        language = expert.language
        log_in(page, language, expert.email)
        score_all(page, language, expert, call, {winner: 8 + (index % 2), other: 6})

    # The official ranks and publishes the award with the reasons.
    log_in(page, "en", "official@example.org")
    page.goto(f"/en/grants/calls/{call.pk}/manage/")
    page.locator("button[data-action=rank]").click()
    page.wait_for_url(re.compile(rf"/en/grants/calls/{call.pk}/manage/$"))
    page.locator("a[data-action=award]").click()
    page.locator(f"input[name=amount_{winner.pk}]").fill("900000")
    page.locator("textarea[name=reasons]").fill(AWARD_REASONS)
    page.locator("button[data-action=publish-award]").click()
    page.wait_for_url(re.compile(rf"/en/grants/calls/{call.pk}/$"))
    results = page.locator("table[data-results]")
    assert results.locator(f"tr[data-application='{winner.pk}'][data-state=awarded]").count() == 1
    assert "8.33" in results.locator(f"tr[data-application='{winner.pk}']").inner_text()
    assert AWARD_REASONS in page.locator("[data-decision-reasons]").inner_text()

    # The contract with one milestone.
    today = timezone.localdate()
    page.goto(f"/en/grants/applications/{winner.pk}/contract/")
    page.locator("input[name=number]").fill("GR-2026-001")
    page.locator("input[name=signed_on]").fill(today.isoformat())
    page.locator("input[name=starts_on]").fill(today.isoformat())
    page.locator("input[name=ends_on]").fill((today + datetime.timedelta(days=180)).isoformat())
    page.locator("input[name=milestones-0-title]").fill("First training cycle")
    page.locator("input[name=milestones-0-deliverable]").fill("Forty young people trained")
    page.locator("input[name=milestones-0-due_on]").fill((today + datetime.timedelta(days=60)).isoformat())
    page.locator("button[data-action=record-contract]").click()
    page.wait_for_url(re.compile(rf"/en/grants/applications/{winner.pk}/$"))

    # The winner reports on the milestone.
    log_in(page, "en", "ngo2@example.org")
    page.goto(f"/en/grants/applications/{winner.pk}/")
    page.locator("a[data-action=report]").click()
    page.locator("select[name=kind]").select_option("narrative")
    page.locator("textarea[name=text]").fill("Forty-two young people finished the first training cycle.")
    indicator = call.programme.indicators.get()
    page.locator(f"input[name=indicator_{indicator.pk}]").fill("42")
    page.locator("button[data-action=submit-report]").click()
    page.wait_for_url(re.compile(rf"/en/grants/applications/{winner.pk}/$"))
    report = Report.objects.get()
    assert report.state == Report.State.SUBMITTED

    # The official accepts it.
    log_in(page, "en", "official@example.org")
    page.goto(f"/en/grants/applications/{winner.pk}/")
    review = page.locator(f"[data-report='{report.pk}'] form")
    review.locator("input[name=decision][value=accept]").check()
    review.locator("button[data-action=review]").click()
    page.wait_for_url(re.compile(rf"/en/grants/applications/{winner.pk}/$"))
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED

    # Anyone, in Russian, sees the scores, the decision and the accepted report on the call's page.
    page.context.clear_cookies()
    page.goto(f"/ru/grants/calls/{call.pk}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator(f"tr[data-application='{winner.pk}'][data-state=awarded]").count() == 1
    assert REASON_INELIGIBLE in page.locator(f"tr[data-application='{applications[1].pk}']").inner_text()
    accepted = page.locator(f"[data-report='{report.pk}'][data-state=accepted]")
    assert "Forty-two young people" in accepted.inner_text()
    assert page.locator("[data-milestone-accepted]").count() == 1
