"""Fixtures for the petitions tests: a region with a district, a state body there, a topic, the
body's moderator, and ``make_signer`` for people living in the region."""

from typing import Any

import pytest
from pytest_factoryboy import register

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory

from .factories import PetitionFactory, SignatureFactory, TopicFactory

register(TopicFactory)
register(PetitionFactory)
register(SignatureFactory)


@pytest.fixture
def region(db):
    return TerritoryFactory(code="710000000", name="Region")


@pytest.fixture
def district(region):
    return TerritoryFactory(code="711000000", parent=region, kind=Territory.Kind.DISTRICT, name="District")


@pytest.fixture
def elsewhere(db):
    return TerritoryFactory(code="790000000", name="Elsewhere")


@pytest.fixture
def body(region):
    return OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY, name="Regional akimat")


@pytest.fixture
def topic(db):
    return TopicFactory(code="roads_transport", name="Roads and transport")


@pytest.fixture
def moderator(body):
    """A moderator of the addressee body (may moderate its petitions)."""
    user = UserFactory(email="moderator@example.org", display_name="Moderator", verification_level=1)
    MembershipFactory(organization=body, user=user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def officer(body, bob):
    """Bob answers for the body."""
    MembershipFactory(organization=body, user=bob, role=Membership.Role.OFFICER)
    return bob


@pytest.fixture
def open_petition(alice, body, region, topic):
    return PetitionFactory(author=alice, addressee=body, territory=region, topic=topic)


@pytest.fixture
def make_signer(district):
    """``make_signer(**fields)``: a person at verification level 1 living in the district."""

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("verification_level", 1)
        kwargs.setdefault("home_territory", district)
        return UserFactory(**kwargs)

    return make
