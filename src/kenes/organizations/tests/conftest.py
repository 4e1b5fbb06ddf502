import pytest

from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory


@pytest.fixture
def region(db):
    return TerritoryFactory(code="710000000", name="Astana", name_en="Astana", name_ru="Астана")


@pytest.fixture
def org(db, region):
    return OrganizationFactory(
        territory=region, name="Civic Hub", name_en="Civic Hub", name_ru="Гражданский хаб"
    )


@pytest.fixture
def head(db, org, bob):
    """Bob heads ``org``."""
    MembershipFactory(organization=org, user=bob, role=Membership.Role.HEAD)
    return bob


@pytest.fixture
def state_body(db, region):
    return OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY, name="Ministry")
