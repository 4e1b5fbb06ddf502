"""Django's PostgreSQL backend, with a cheaper health check (settings: ``ENGINE`` when DATABASE_URL
is PostgreSQL).

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection at the start of every request with a
``SELECT 1``: one round trip before the request's first query, as costly as a signature's own
INSERT on the signing path (bench/README.md, "Petitions"). Here the check first looks at the
socket: an idle connection in good health has nothing to read, while one whose server went away
(PostgreSQL restarted, the backend terminated) has its end-of-file or the server's farewell
message waiting. Only then, or when the socket cannot be looked at, does the ``SELECT 1`` run, and
decide. A connection the server closed is thus still replaced before the request uses it
(RELIABILITY F1), and a healthy one costs a ``poll`` instead of a round trip.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        if self.connection.closed or self.connection.pgconn.status != pq.ConnStatus.OK:
            return False
        if not _has_pending_input(self.connection.fileno()):
            return True
        return bool(super().is_usable())


def _has_pending_input(fileno: int) -> bool:
    """Whether the socket has something to read (or is closed) right now; True when it cannot tell."""
    try:
        poller = select.poll()
        poller.register(fileno, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True
