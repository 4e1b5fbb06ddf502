"""Parallel identical requests have exactly one effect (RELIABILITY A5, ASVS 2.3.4): row locks
in the services and database constraints behind them. Run on PostgreSQL, where the requests
really overlap; SQLite serialises every write, so there is nothing to race."""

import pytest
from django.db import connection

from kenes.common.tests.races import run_in_parallel
from kenes.obligations.models import Response
from kenes.obligations.services import obligation_respond
from kenes.obligations.tests.factories import ObligationFactory, member, staffed_body

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races need PostgreSQL (SQLite serialises every write)"
)

REASONS = "The bridge will be repaired in spring, as the district budget for 2027 provides for it."


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_answers_to_one_obligation_publish_one():
    body = staffed_body()
    obligation = ObligationFactory(submission__organization=body)
    officer = member(body, "officer")

    results = run_in_parallel(
        10,
        lambda: obligation_respond(
            actor=officer, obligation=obligation, decision="accepted", reasons=REASONS
        ),
    )

    answered = [r for r in results if isinstance(r, Response)]
    assert len(answered) == 1
    assert Response.objects.filter(obligation=obligation).count() == 1
    assert all(not isinstance(r, Response) for r in results if r is not answered[0])
