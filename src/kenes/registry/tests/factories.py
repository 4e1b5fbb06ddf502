"""Factories for the registry tests. ``NGOFactory()`` is an operating NGO (an organisation of kind NGO
with a valid BIN) registered in 2015; ``ReportFactory(ngo=…, year=…)`` is its current version 1.
They write rows directly: use the services to test the rules."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from kenes.common.identifiers import kz_check_digit
from kenes.organizations.models import Organization
from kenes.organizations.tests.factories import OrganizationFactory
from kenes.registry.models import AnnualReport, LegalForm, NGOProfile


def valid_bin(n: int) -> str:
    """The n-th valid Kazakh BIN of a series (skips bases with no check digit)."""
    base = 100_000_000_00 + n * 7
    while True:
        first = f"{base:011d}"
        digit = kz_check_digit(first)
        if digit is not None:
            return first + str(digit)
        base += 1


class NGOFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NGOProfile

    organization = factory.SubFactory(
        OrganizationFactory,
        kind=Organization.Kind.NGO,
        registration_number=factory.Sequence(valid_bin),
    )
    legal_form = LegalForm.PUBLIC_ASSOCIATION
    founded_on = datetime.date(2015, 3, 1)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    ngo = factory.SubFactory(NGOFactory)
    year = 2024
    submitted_at = factory.LazyFunction(timezone.now)
    activity_areas = "Education"
    projects_count = 2
    beneficiaries_reached = 150
    income_grants = Decimal("1000000.00")
    expenses = Decimal("900000.00")
