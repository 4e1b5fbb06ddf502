import pytest

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory


@pytest.fixture
def region(db):
    return TerritoryFactory(code="710000000", name="Region")


@pytest.fixture
def district(region):
    return TerritoryFactory(code="711000000", parent=region, kind=Territory.Kind.DISTRICT, name="District")


@pytest.fixture
def village(district):
    return TerritoryFactory(
        code="711100000", parent=district, kind=Territory.Kind.RURAL_DISTRICT, name="Village"
    )


@pytest.fixture
def elsewhere(db):
    return TerritoryFactory(code="790000000", name="Elsewhere")


@pytest.fixture
def body(district):
    return OrganizationFactory(territory=district, kind="local_executive", name="District akimat")


@pytest.fixture
def official(body, bob):
    MembershipFactory(organization=body, user=bob, role=Membership.Role.OFFICER)
    return bob


@pytest.fixture
def make_voter(village):
    def make(**kwargs):
        kwargs.setdefault("verification_level", 1)
        kwargs.setdefault("home_territory", village)
        return UserFactory(**kwargs)

    return make
