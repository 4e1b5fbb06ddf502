"""The PostgreSQL backend's health check (kenes.common.postgresql): a healthy kept connection is not
pinged, and one whose server end went away is replaced before the request uses it (RELIABILITY F1)."""

import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_postgresql

from kenes.common.postgresql.base import _has_pending_input

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _start_request() -> None:
    connection.health_check_done = False  # as Django does at the end of each request


def test_a_healthy_kept_connection_is_not_pinged(monkeypatch):
    pings = []
    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", lambda self: pings.append(1) or True)
    connection.ensure_connection()
    kept = connection.connection
    _start_request()
    connection.close_if_health_check_failed()
    assert connection.connection is kept and pings == []


def test_a_connection_the_server_closed_is_replaced_before_it_is_used():
    connection.ensure_connection()
    kept = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    params = connection.get_connection_params()
    params.pop("context", None)
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5  # until the server's farewell reaches our socket
    while time.monotonic() < deadline and not _has_pending_input(kept.fileno()):
        time.sleep(0.05)
    _start_request()
    connection.close_if_health_check_failed()
    assert connection.connection is not kept
    with connection.cursor() as cursor:  # a fresh connection answers
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
