"""The sample grant call: a finished competition of the Akimat of Sayram District, loaded through the
grants services so that every row, audit event and notice is what real use would leave behind.

The story: a youth and environment grant programme with one indicator; a call with three weighted
criteria (the heaviest decides ties); three sample NGOs apply; the one the registry lists as not
operating is ruled ineligible with the reason; three independent experts declare no conflict and
score the other two; the call is ranked and the award published with the reasons; the winner signs
a contract with two milestones, reports on the first (its financial report is returned once for a
missing receipt, corrected and accepted) and the akimat accepts it.

The call has to be open while the NGOs apply and closed before it is evaluated, so its dates are
moved once, as a sample's dates: it opened 40 days ago and closed when the last application was in.
Idempotent: the call is found by its title among samples; everything is made in one transaction.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from kenes.accounts.models import User
from kenes.audit import services as audit
from kenes.grants import services as grants
from kenes.grants.models import Application, Call, Indicator, Programme
from kenes.organizations.models import Organization, Sector, Topic

from .budgeting import ORGANIZATION_EN, _official, _person

PROGRAMME_TITLE = "Youth and green Sayram: grants for NGO projects 2026"
CALL_TITLE = "Grant call 2026: youth employment and a greener Sayram"
WINNER_EN = "Jasyl Dala Environmental Union"
RUNNER_UP_EN = "Bolashak Youth Initiatives Centre"
INELIGIBLE_EN = "Meyirim Support Network"
INELIGIBLE_REASON = (
    "The registry lists the organisation as not operating: it has filed no annual report for two "
    "years, and the call admits operating NGOs only."
)
AWARD_REASONS = (
    "Jasyl Dala ranked first on the weighted scores of three experts and asked for an amount the "
    "programme can fund in full; Bolashak ranked second and the remaining budget does not cover it."
)
DAY = datetime.timedelta(days=1)

#: (NGO, project title, description, budget lines (item, amount, co-financing), expert scores per
#: criterion in criteria order, one row per expert)
PROJECTS: list[tuple[str, str, str, list[tuple[str, int, int]], list[list[int]]]] = [
    (
        WINNER_EN,
        "Green jobs: 40 young people plant and care for the Aksukent shelter belt",
        "Paid seasonal work and training for young people from Aksukent: planting 3,000 trees along "
        "the irrigation canals and caring for them through the first summer.",
        [("Seedlings and tools", 1_200_000, 300_000), ("Wages of 40 young workers", 2_400_000, 0)],
        [[9, 8, 8], [8, 9, 7], [9, 8, 9]],
    ),
    (
        RUNNER_UP_EN,
        "Job club for young people of Sayram District",
        "A weekly job club: CV writing, mentors from local firms and visits to employers.",
        [("Trainers' fees", 1_500_000, 200_000), ("Hall rent", 600_000, 0)],
        [[7, 8, 9], [8, 7, 8], [7, 7, 8]],
    ),
    (
        INELIGIBLE_EN,
        "Home visits to lonely pensioners",
        "Volunteers visit 60 pensioners twice a week and help with shopping and medicines.",
        [("Volunteers' transport", 900_000, 100_000)],
        [],
    ),
]
CRITERIA = [
    grants.CriterionSpec("Relevance to the district's needs", Decimal("3")),
    grants.CriterionSpec("Feasibility and budget", Decimal("2")),
    grants.CriterionSpec("The team's experience", Decimal("1")),
]


def _programme(official: User, body: Organization) -> Programme:
    programme = grants.programme_plan(
        actor=official,
        body=body,
        kind=Programme.Kind.GRANT,
        title=PROGRAMME_TITLE,
        summary="Grants for NGO projects that give young people work and make the district greener.",
        terms_of_reference=(
            "Projects of up to 12 months in Sayram District that employ or train young people aged "
            "16 to 29, or plant and care for trees and green areas. Up to 4,000,000 tenge a project."
        ),
        expected_results="Young people in paid work or training; trees planted and alive after a year.",
        territory=body.territory,
        budget=Decimal("4000000"),
        year=timezone.localdate().year,
        topic=Topic.objects.filter(code="environment").first(),
        sectors=list(Sector.objects.filter(code__in=["youth_children", "environment"])),
        indicators=[grants.IndicatorSpec("Young people in paid work or training", "persons", Decimal("40"))],
    )
    Programme.objects.filter(pk=programme.pk).update(is_sample=True)
    return programme


def _call(official: User, programme: Programme) -> Call:
    now = timezone.now()
    call = grants.call_create(
        actor=official,
        programme=programme,
        title=CALL_TITLE,
        description="One project will be funded from a budget of 4,000,000 tenge.",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + DAY,
        criteria=CRITERIA,
        eligibility_text="Operating NGOs with a BIN; projects carried out in Sayram District.",
        max_request=Decimal("4000000"),
        tie_rule=Call.TieRule.HIGHER_CRITERION,
    )
    Call.objects.filter(pk=call.pk).update(is_sample=True)
    return grants.call_publish(actor=official, call=call)


def _apply(call: Call, officers: dict[str, User], ngos: dict[str, Organization]) -> list[Application]:
    applications = []
    today = timezone.localdate()
    for ngo, title, description, lines, _scores in PROJECTS:
        application = grants.application_save(
            actor=officers[ngo],
            call=call,
            organization=ngos[ngo],
            title=title,
            description=description,
            starts_on=today + 10 * DAY,
            ends_on=today + 190 * DAY,
            language="en",
            budget_lines=[grants.BudgetLineSpec(item, Decimal(a), Decimal(c)) for item, a, c in lines],
        )
        applications.append(grants.application_submit(actor=officers[ngo], application=application))
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(is_sample=True)
    return applications


def _close(official: User, call: Call) -> Call:
    """Move the sample's dates: opened 40 days ago, closed now that every application is in."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        opens_at=now - 40 * DAY, published_at=now - 40 * DAY, closes_at=now
    )
    call.refresh_from_db()
    return grants.call_close(actor=official, call=call)


def _evaluate(official: User, call: Call, applications: list[Application]) -> None:
    experts = [
        _person(f"grants-expert-{n}@sample.kenes.local", f"Sample grant expert {n}") for n in (1, 2, 3)
    ]
    for application, (_ngo, _title, _description, _lines, scores) in zip(applications, PROJECTS, strict=True):
        if scores:
            grants.application_rule_eligibility(actor=official, application=application, eligible=True)
        else:
            grants.application_rule_eligibility(
                actor=official, application=application, eligible=False, reason=INELIGIBLE_REASON
            )
    criteria = list(call.criteria.order_by("position"))
    for index, expert in enumerate(experts):
        assignment = grants.expert_assign(actor=official, call=call, expert=expert)
        grants.assignment_declare(
            actor=expert, assignment=assignment, declaration="I have no link with any of the applicants."
        )
        for application, (*_rest, scores) in zip(applications, PROJECTS, strict=True):
            if scores:
                values = {c.pk: Decimal(v) for c, v in zip(criteria, scores[index], strict=True)}
                grants.sheet_save(actor=expert, application=application, values=values, submit=True)
    grants.call_rank(actor=official, call=call)
    winner = applications[0]
    grants.call_award(
        actor=official,
        call=call,
        winners={winner.pk: winner.requested_amount},
        reasons=AWARD_REASONS,
        application_reasons={applications[1].pk: "Ranked second; the remaining budget does not cover it."},
    )


def _implement(official: User, officer: User, winner: Application) -> None:
    winner.refresh_from_db()
    today = timezone.localdate()
    indicator = Indicator.objects.get(programme=winner.call.programme)
    contract = grants.contract_create(
        actor=official,
        application=winner,
        number=f"SG-{today.year}/001",
        signed_on=today,
        starts_on=today,
        ends_on=today + 180 * DAY,
        milestones=[
            grants.MilestoneSpec(
                "Trees planted",
                "3,000 trees planted by 40 young workers",
                today + 60 * DAY,
                {indicator.pk: Decimal(40)},
            ),
            grants.MilestoneSpec(
                "Summer care and final report", "Trees watered and counted", today + 180 * DAY
            ),
        ],
    )
    first = contract.milestones.order_by("position")[0]
    narrative = grants.report_submit(
        actor=officer,
        milestone=first,
        kind="narrative",
        text="3,050 trees planted along the canals; 42 young people worked for six weeks.",
        values={indicator.pk: Decimal(42)},
    )
    financial = grants.report_submit(
        actor=officer,
        milestone=first,
        kind="financial",
        text="Seedlings, tools, wages.",
        spent=Decimal("1750000"),
    )
    grants.report_return(
        actor=official,
        report=financial,
        reason="The receipt for the tools is missing; attach it and resubmit.",
    )
    corrected = grants.report_submit(
        actor=officer,
        milestone=first,
        kind="financial",
        text="Seedlings, tools (receipt attached), wages.",
        spent=Decimal("1750000"),
    )
    grants.report_accept(actor=official, report=narrative)
    grants.report_accept(actor=official, report=corrected)


def demo_grants_ensure(*, admin: Any) -> int:
    """The finished sample call; returns 1 when it was created, 0 when it was there already (or the
    sample organisations are missing)."""
    if Call.objects.filter(is_sample=True, title=CALL_TITLE).exists():
        return 0
    body = Organization.objects.filter(is_sample=True, name_en=ORGANIZATION_EN).first()
    ngos = {
        name: org
        for name, *_rest in PROJECTS
        if (org := Organization.objects.filter(is_sample=True, name_en=name).first()) is not None
    }
    if body is None or len(ngos) != len(PROJECTS):
        return 0
    with transaction.atomic():
        official = _official(body)
        officers = {
            name: _person(f"grants-officer-{n}@sample.kenes.local", f"Sample officer of {name}", ngos[name])
            for n, (name, *_rest) in enumerate(PROJECTS, 1)
        }
        call = _call(official, _programme(official, body))
        applications = _apply(call, officers, ngos)
        call = _close(official, call)
        _evaluate(official, call, applications)
        _implement(official, officers[WINNER_EN], applications[0])
        audit.record(event="demo.grants.loaded", obj=call, actor_label="demo")
    return 1
