"""Redis in tests: a scratch database of the local Redis (skipped when none is running) and an
address where no Redis answers, for the fail-open tests (RELIABILITY F4)."""

import socket

import pytest

UP_URL = "redis://127.0.0.1:6379/15"
DOWN_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
