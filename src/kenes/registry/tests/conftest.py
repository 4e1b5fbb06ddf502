"""Fixtures for the registry tests: a region with a district, an NGO registered in the district,
its head (alice) and a plain member (bob), and a sector."""

import pytest

from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory, SectorFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory

from .factories import NGOFactory


@pytest.fixture
def region(db):
    return TerritoryFactory(code="710000000", name="Region")


@pytest.fixture
def district(region):
    return TerritoryFactory(code="711000000", parent=region, kind=Territory.Kind.DISTRICT, name="District")


@pytest.fixture
def sector(db):
    return SectorFactory(code="education", name="Education")


@pytest.fixture
def ngo(district, sector):
    ngo = NGOFactory(organization__territory=district, organization__name="Bright Future")
    ngo.organization.sectors.add(sector)
    return ngo


@pytest.fixture
def head(ngo, alice):
    MembershipFactory(organization=ngo.organization, user=alice, role=Membership.Role.HEAD)
    return alice


@pytest.fixture
def member(ngo, bob):
    MembershipFactory(organization=ngo.organization, user=bob, role=Membership.Role.MEMBER)
    return bob
