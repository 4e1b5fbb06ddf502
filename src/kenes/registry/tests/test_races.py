"""Parallel identical writes have exactly one effect (RELIABILITY A5): ten parallel first reports for
one year, and ten parallel corrections of one version, leave one current version each. PostgreSQL
only: SQLite serialises every write, so there is nothing to race."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from kenes.common.tests.races import run_in_parallel
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory
from kenes.registry import services
from kenes.registry.models import AnnualReport

from .factories import NGOFactory, ReportFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races need PostgreSQL (SQLite serialises every write)"
)
VALUES = {"activity_areas": "Education", "expenses": 0}


@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), tick=True)
def test_ten_parallel_first_reports_and_corrections_leave_one_current_version(alice):
    ngo = NGOFactory()
    MembershipFactory(organization=ngo.organization, user=alice, role=Membership.Role.HEAD)
    results = run_in_parallel(10, lambda: services.report_submit(actor=alice, ngo=ngo, year=2025, **VALUES))
    assert sum(isinstance(r, AnnualReport) for r in results) == 1
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, AnnualReport))

    old = ReportFactory(ngo=ngo, year=2024)
    results = run_in_parallel(
        10, lambda: services.report_correct(actor=alice, report=old, reason="Fix", beneficiaries_reached=7)
    )
    assert sum(isinstance(r, AnnualReport) for r in results) == 1
    assert AnnualReport.objects.filter(ngo=ngo, year=2024, is_current=True).count() == 1
    assert AnnualReport.objects.filter(ngo=ngo, year=2024).count() == 2
