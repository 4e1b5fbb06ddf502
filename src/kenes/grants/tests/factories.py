"""Factories for the grants module.

``CallFactory()`` is a published call open for applications (opened a day ago, closing in 30
days) under a grant programme of a state body, with no criteria: add them with
``CriterionFactory(call=…)``. ``CallFactory(state="draft")`` is unpublished; ``closed=True`` moves
the deadline into the past. ``ApplicationFactory(state="submitted")`` writes the state directly,
bypassing the services (use ``kenes.grants.services`` to test the rules).
"""

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from kenes.accounts.tests.factories import UserFactory
from kenes.grants.models import (
    Application,
    BudgetLine,
    Call,
    Criterion,
    ExpertAssignment,
    Indicator,
    Lot,
    Programme,
    RequiredDocument,
)
from kenes.organizations.models import Organization
from kenes.organizations.tests.factories import OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

DAY = datetime.timedelta(days=1)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    body = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.STATE_BODY)
    kind = Programme.Kind.GRANT
    title = factory.Sequence(lambda n: f"Youth programme {n}")
    terms_of_reference = "Projects that help young people find work in their own district."
    territory = factory.SubFactory(TerritoryFactory)
    country = "KZ"
    budget = Decimal("10000000")
    year = 2026
    created_by = factory.SubFactory(UserFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Young people trained {n}")
    unit = "persons"
    target = Decimal("200")


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Lot {n}")
    budget = Decimal("3000000")


def _opens_at(o: Any) -> datetime.datetime:
    return o.now - (40 * DAY if o.closed else DAY)


def _closes_at(o: Any) -> datetime.datetime:
    return o.now - DAY if o.closed else o.now + 30 * DAY


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    class Params:
        now = factory.LazyFunction(timezone.now)
        closed = False

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Call for youth employment projects {n}")
    description = "Up to three projects will be funded."
    opens_at = factory.LazyAttribute(_opens_at)
    closes_at = factory.LazyAttribute(_closes_at)
    state = Call.State.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: None if o.state == Call.State.DRAFT else o.opens_at)
    lot_seed = "seed"
    created_by = factory.SelfAttribute("programme.created_by")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Relevance {n}")
    weight = Decimal("1")
    scale_min = 0
    scale_max = 10
    position = factory.Sequence(lambda n: n)


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Charter {n}")


def _submitted_at(o: Any) -> datetime.datetime | None:
    return None if o.state == Application.State.DRAFT else timezone.now()


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organization = factory.SubFactory(
        OrganizationFactory, registration_number=factory.Sequence(lambda n: f"{n:012d}")
    )
    title = factory.Sequence(lambda n: f"Job club {n}")
    description = "A job club for young people: training, mentors and visits to employers."
    state = Application.State.DRAFT
    submitted_at = factory.LazyAttribute(_submitted_at)
    requested_amount = Decimal("1000000")
    created_by = factory.SubFactory(UserFactory)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    item = factory.Sequence(lambda n: f"Trainers' fees {n}")
    amount = Decimal("1000000")
    cofinancing = Decimal("0")


class ExpertAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertAssignment

    call = factory.SubFactory(CallFactory, closed=True)
    expert = factory.SubFactory(UserFactory)
    assigned_by = factory.SelfAttribute("call.created_by")
