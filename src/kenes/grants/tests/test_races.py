"""Parallel requests take effect once (ASVS 2.3.4): two saves of a first application by one NGO
make one application; two submissions of one expert's scores make one sheet. Run on PostgreSQL,
where the requests really overlap."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from kenes.grants import services
from kenes.grants.models import Application, Score, ScoreSheet

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races need PostgreSQL (SQLite serialises every write)"
)


def in_parallel(work: Callable[[], object], times: int) -> list[object]:
    barrier = threading.Barrier(times)
    outcomes: list[object] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            outcome = work()
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_first_saves_make_one_application(world):
    def save() -> Application:
        return world.draft()

    outcomes = in_parallel(save, 4)
    assert sum(isinstance(o, Application) for o in outcomes) == 1
    assert all(isinstance(o, Application | ValidationError) for o in outcomes), outcomes
    assert Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_of_scores_make_one_sheet(world):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    expert = world.experts[0]
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=expert)
    services.assignment_declare(actor=expert, assignment=assignment)

    def submit() -> ScoreSheet:
        return services.sheet_save(
            actor=expert,
            application=application,
            values={c.pk: Decimal(7) for c in world.criteria},
            submit=True,
        )

    outcomes = in_parallel(submit, 4)
    assert sum(isinstance(o, ScoreSheet) for o in outcomes) == 1, outcomes
    assert ScoreSheet.objects.count() == 1 and Score.objects.count() == 2
