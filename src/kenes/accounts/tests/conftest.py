import pytest
from django.core.cache import cache

from kenes.common.identifiers import kz_check_digit


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate-limit counters in the cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


def make_iin(first_eleven: str) -> str:
    check = kz_check_digit(first_eleven)
    assert check is not None
    return first_eleven + str(check)


@pytest.fixture
def iin() -> str:
    return make_iin("90010130012")
