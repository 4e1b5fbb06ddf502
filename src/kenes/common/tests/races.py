"""Racing identical writes in tests (RELIABILITY A5): every module's race tests start their threads
here. PostgreSQL only in practice: SQLite serialises every write, so there is nothing to race."""

import threading
from collections.abc import Callable

from django.db import connections


def run_in_parallel(n: int, work: Callable[[], object]) -> list[object]:
    """Start ``n`` threads at once (each with its own connection) and return what each got: the
    value, or the exception it raised (the refusals are what race tests count)."""
    barrier = threading.Barrier(n)
    results: list[object] = []
    lock = threading.Lock()

    def target() -> None:
        barrier.wait()
        try:
            outcome: object = work()
        except Exception as exc:  # noqa: BLE001 - the refusals are what we count
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=target) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
