"""Factories for the hearing loop. They write rows directly (no services, no notifications):
use the services in tests that are about behaviour, these for setting up state."""

import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from tests.testapp.factories import SubmissionFactory  # installed only under kenes.settings.test

from kenes.accounts.tests.factories import UserFactory
from kenes.obligations.models import (
    Commitment,
    DayType,
    DeadlineRule,
    Kind,
    Milestone,
    Obligation,
    Response,
)


class DeadlineRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineRule
        django_get_or_create = ("country", "kind")

    country = "KZ"
    kind = Kind.APPEAL
    response_days = 15
    day_type = DayType.WORKING
    max_extensions = 1
    extension_total_months = 2
    extension_extra_days = None
    legal_basis = "Test rule"


class ObligationFactory(factory.django.DjangoModelFactory):
    """An open appeal on a test Submission, due three weeks after it was opened."""

    class Meta:
        model = Obligation

    class Params:
        submission = factory.SubFactory(SubmissionFactory)

    subject_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.submission))
    subject_id = factory.LazyAttribute(lambda o: str(o.submission.pk))
    organization = factory.SelfAttribute("submission.organization")
    author = factory.SelfAttribute("submission.author")
    title = factory.Sequence(lambda n: f"Obligation {n}")
    kind = Kind.APPEAL
    country = factory.LazyAttribute(lambda o: o.organization.country or "KZ")
    state = Obligation.State.OPEN
    opened_on = factory.LazyFunction(timezone.localdate)
    deadline = factory.LazyAttribute(lambda o: o.opened_on + datetime.timedelta(days=21))
    original_deadline = factory.SelfAttribute("deadline")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    obligation = factory.SubFactory(ObligationFactory, state=Obligation.State.ANSWERED)
    decision = Response.Decision.ACCEPTED
    reasons = "The bridge will be repaired under the district road programme this summer."
    organization = factory.SelfAttribute("obligation.organization")
    responder = factory.SubFactory(UserFactory)
    on_time = True
    working_days_taken = 5


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    response = factory.SubFactory(ResponseFactory)
    organization = factory.SelfAttribute("response.organization")
    title = factory.Sequence(lambda n: f"Commitment {n}")
    description = "Repair the bridge."
    status = Commitment.Status.PLANNED
    created_by = factory.SelfAttribute("response.responder")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    commitment = factory.SubFactory(CommitmentFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = Milestone.Status.PENDING


def staffed_body(*, country: str = "KZ", head=None, officer=None, supervising_body=None, **fields):
    """An organisation with a head and an officer (new users unless given), for service tests."""
    from kenes.organizations.models import Membership
    from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory

    organization = OrganizationFactory(country=country, supervising_body=supervising_body, **fields)
    MembershipFactory(organization=organization, user=head or UserFactory(), role=Membership.Role.HEAD)
    MembershipFactory(organization=organization, user=officer or UserFactory(), role=Membership.Role.OFFICER)
    return organization


def member(organization, role: str):
    """The first member of ``organization`` with ``role``."""
    return organization.memberships.filter(role=role).select_related("user").first().user
