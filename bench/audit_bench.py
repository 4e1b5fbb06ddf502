"""Appending to the audit log must cost about as much as any single-row INSERT: hot write
paths (signatures, votes) call it inside their transaction and must never wait on it."""

import time
from collections.abc import Iterator

from django.db import connection, transaction

N = 3000


def _bare_inserts(n: int) -> float:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare (id integer PRIMARY KEY, action varchar(100), payload text)")
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare (id, action, payload) VALUES (%s, %s, %s)",
                [i, "bench.row.inserted", f'{{"n": {i}}}'],
            )
    return time.perf_counter() - started


def _audit_records(n: int) -> float:
    from kenes.audit.services import record

    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            record(event="bench.row.inserted", data={"n": i}, actor_label="bench")
    return time.perf_counter() - started


def run() -> Iterator[tuple[str, str]]:
    from kenes.audit import services

    bare = _bare_inserts(N)
    audited = _audit_records(N)
    yield "audit.bare_insert_per_s", f"{N / bare:.0f}"
    yield "audit.record_per_s", f"{N / audited:.0f}"
    yield "audit.record_ratio_to_bare", f"{bare / audited:.2f}"
    seal_all = getattr(services, "audit_seal_all", None)
    verify = getattr(services, "audit_verify", None)
    if seal_all is None or verify is None:
        return
    started = time.perf_counter()
    seal_all()
    sealed = time.perf_counter() - started
    started = time.perf_counter()
    report = verify()
    verified = time.perf_counter() - started
    yield "audit.seal_events_per_s", f"{N / sealed:.0f}"
    yield "audit.verify_events_per_s", f"{report.events_checked / verified:.0f}"
    yield "audit.verify_ok", str(report.ok)
