"""Shared fixtures: the persona set (alice the author, bob the official, charlie the outsider)
and factory_boy factories registered as fixtures (pytest-factoryboy)."""

import pytest
from hypothesis import settings as hypothesis_settings
from pytest_factoryboy import register

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    SectorFactory,
)
from kenes.territories.tests.factories import TerritoryFactory

# Timing belongs in benchmarks (bench/), not in unit tests: no per-example deadline, which a
# busy CI machine would otherwise turn into flaky failures.
hypothesis_settings.register_profile("kenes", deadline=None)
hypothesis_settings.load_profile("kenes")

register(UserFactory)
register(TerritoryFactory)
register(SectorFactory)
register(OrganizationFactory)
register(MembershipFactory)
register(InvitationFactory)


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts with empty caches and the default language. Rows are rolled back between
    tests and their ids reused, so cached facts (rate-limit counters, a territory's region, in the
    shared cache or in a process's local caches) must not outlive them; and a request to a /ru/ page
    leaves Russian active in the thread, which would make the next test's reverse() build Russian
    URLs."""
    from django.core.cache import cache
    from django.utils import translation

    from kenes.common import localcache

    cache.clear()
    localcache.clear_all()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()
    localcache.clear_all()


@pytest.fixture
def alice(db):
    """An ordinary citizen: the author of submissions."""
    return UserFactory(email="alice@example.org", display_name="Alice")


@pytest.fixture
def bob(db):
    """An official: head of a state body."""
    return UserFactory(email="bob@example.org", display_name="Bob")


@pytest.fixture
def charlie(db):
    """An outsider with no role anywhere."""
    return UserFactory(email="charlie@example.org", display_name="Charlie")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", display_name="Staff", is_staff=True, is_superuser=True)
