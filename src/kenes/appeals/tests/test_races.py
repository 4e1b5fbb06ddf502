"""Parallel submissions get distinct registration numbers with no gaps (the sequence row is locked
with select_for_update). Run on PostgreSQL, where the requests really overlap."""

import threading

import pytest
from django.db import connection, connections

from kenes.accounts.tests.factories import UserFactory
from kenes.appeals.models import Appeal
from kenes.appeals.tests.factories import BodyFactory, TopicFactory, submit
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races need PostgreSQL (SQLite serialises every write)"
)


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_get_consecutive_distinct_numbers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    territory = TerritoryFactory(code="790000000")
    body = BodyFactory(territory=territory)
    topic = TopicFactory(code="race-topic")
    authors = [UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(authors))
    outcomes: list[object] = []
    lock = threading.Lock()

    def work(author) -> None:
        barrier.wait()
        try:
            outcome: object = submit(author, territory=territory, topic=topic, addressee=body)
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=work, args=(author,)) for author in authors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(o, Appeal) for o in outcomes), outcomes
    numbers = sorted(Appeal.objects.values_list("number", flat=True))
    year = numbers[0].split("-")[1]
    assert numbers == [f"KZ-{year}-{n:06d}" for n in range(1, len(authors) + 1)]
