"""The invariants the database itself keeps (on SQLite and PostgreSQL)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from kenes.grants.models import Application

from .factories import ApplicationFactory, CallFactory, CriterionFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_second_live_application_of_one_ngo_to_one_call():
    first = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(call=first.call, organization=first.organization)


def test_a_withdrawn_application_does_not_block_a_new_one():
    first = ApplicationFactory(state=Application.State.WITHDRAWN)
    again = ApplicationFactory(call=first.call, organization=first.organization)
    assert again.pk != first.pk


def test_an_ineligible_application_needs_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(state=Application.State.INELIGIBLE, ineligibility_reason="")


def test_a_call_closes_after_it_opens():
    call = CallFactory.build()
    call.programme.body.territory.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        CallFactory(closes_at=call.opens_at)


def test_a_criterion_scale_goes_up_and_its_weight_is_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionFactory(scale_min=5, scale_max=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionFactory(weight=Decimal("0"))


def test_a_score_outside_its_scale_is_refused_by_the_database():
    from kenes.grants.models import ScoreSheet

    from .factories import ExpertAssignmentFactory

    criterion = CriterionFactory(scale_min=1, scale_max=5)
    assignment = ExpertAssignmentFactory(call=criterion.call)
    application = ApplicationFactory(call=criterion.call, state=Application.State.SUBMITTED)
    sheet = ScoreSheet.objects.create(assignment=assignment, application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        sheet.scores.create(criterion=criterion, value=Decimal("6"), scale_min=1, scale_max=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        sheet.scores.create(criterion=criterion, value=Decimal("0.5"), scale_min=1, scale_max=5)
    assert sheet.scores.create(criterion=criterion, value=Decimal("5"), scale_min=1, scale_max=5).pk
