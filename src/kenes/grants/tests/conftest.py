"""The grants cast: a state body with its official (bob, head), three NGOs each with an officer,
three experts, and an open call with two criteria under a programme in a region."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kenes.accounts.tests.factories import UserFactory
from kenes.grants import services
from kenes.grants.models import Application, Call, Criterion
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory

from .factories import CallFactory, CriterionFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name: str = "charter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 a charter", content_type="application/pdf")


@dataclass
class World:
    region: Territory
    district: Territory
    body: Organization
    official: Any
    ngos: list[Organization]
    officers: list[Any]
    experts: list[Any]
    call: Call
    criteria: list[Criterion]

    def draft(self, index: int = 0, title: str = "T", description: str = "D", **extra: Any) -> Application:
        """A draft application of NGO ``index``, saved by its officer (through the services)."""
        return services.application_save(
            actor=self.officers[index],
            call=self.call,
            organization=self.ngos[index],
            title=title,
            description=description,
            **extra,
        )

    def pass_deadline(self) -> None:
        """Move the call's deadline a minute into the past; the call stays published."""
        Call.objects.filter(pk=self.call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))

    def apply(self, index: int, amount: str = "1000000", **extra: Any) -> Application:
        """A submitted application of NGO ``index`` (through the services)."""
        application = self.draft(
            index,
            title=f"Project {index}",
            description="A job club for young people.",
            budget_lines=[services.BudgetLineSpec("Trainers", Decimal(amount), Decimal("100000"))],
            **extra,
        )
        return services.application_submit(actor=self.officers[index], application=application)

    def close(self) -> None:
        Call.objects.filter(pk=self.call.pk).update(
            opens_at=timezone.now() - datetime.timedelta(days=40),
            closes_at=timezone.now() - datetime.timedelta(seconds=1),
        )
        self.call.refresh_from_db()
        services.call_close(actor=self.official, call=self.call)
        self.call.refresh_from_db()


@pytest.fixture
def world(db, bob) -> World:
    region = TerritoryFactory(code="710000000", name="Region")
    district = TerritoryFactory(
        code="711000000", parent=region, kind=Territory.Kind.DISTRICT, name="District"
    )
    body = OrganizationFactory(kind=Organization.Kind.STATE_BODY, name="Ministry", territory=region)
    MembershipFactory(organization=body, user=bob, role=Membership.Role.HEAD)
    ngos, officers = [], []
    for index in range(3):
        ngo = OrganizationFactory(
            name=f"NGO {index}", territory=district, registration_number=f"00000000000{index}"
        )
        officer = UserFactory(email=f"ngo{index}@example.org", display_name=f"Officer {index}")
        MembershipFactory(organization=ngo, user=officer, role=Membership.Role.HEAD)
        ngos.append(ngo)
        officers.append(officer)
    experts = [UserFactory(email=f"expert{i}@example.org", display_name=f"Expert {i}") for i in range(3)]
    programme = ProgrammeFactory(body=body, territory=region, created_by=bob)
    call = CallFactory(programme=programme, created_by=bob)
    criteria = [
        CriterionFactory(call=call, name="Relevance", weight=Decimal("2"), position=0),
        CriterionFactory(call=call, name="Budget", weight=Decimal("1"), position=1),
    ]
    return World(region, district, body, bob, ngos, officers, experts, call, criteria)


def scored(world: World, values: dict[int, list[int]] | None = None) -> list[Application]:
    """Three eligible applications, three declared experts who scored them; returns them."""
    applications = [world.apply(i) for i in range(3)]
    world.close()
    for application in applications:
        services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    values = values or {0: [8, 7, 6], 1: [5, 5, 5], 2: [9, 9, 9]}
    for expert in world.experts:
        assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
        services.assignment_declare(actor=expert, assignment=assignment, declaration="No links.")
    for e, expert in enumerate(world.experts):
        for i, application in enumerate(applications):
            value = Decimal(values[i][e])
            services.sheet_save(
                actor=expert,
                application=application,
                values={c.pk: value for c in world.criteria},
                submit=True,
            )
    return applications


def contracted(world: World) -> tuple[Application, Any]:
    applications = scored(world)
    services.call_rank(actor=world.official, call=world.call)
    winner = applications[2]
    services.call_award(
        actor=world.official,
        call=world.call,
        winners={winner.pk: Decimal("1000000")},
        reasons="The commission funds the project with the best score.",
    )
    winner.refresh_from_db()
    today = timezone.localdate()
    contract = services.contract_create(
        actor=world.official,
        application=winner,
        number="GR-1",
        signed_on=today,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=180),
        milestones=[services.MilestoneSpec("Training", "40 trained", today + datetime.timedelta(days=60))],
    )
    return winner, contract
