import pytest

from kenes.appeals.tests.factories import BodyFactory, TopicFactory, officer_of
from kenes.organizations.models import Membership
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
def roads(db):
    return TopicFactory(code="test-roads", name="Roads")


@pytest.fixture
def health(db):
    return TopicFactory(code="test-health", name="Health")


@pytest.fixture
def regional_body(region):
    return BodyFactory(territory=region, name="Regional akimat")


@pytest.fixture
def body(district, regional_body):
    """The district akimat, supervised by the regional one."""
    return BodyFactory(territory=district, name="District akimat", supervising_body=regional_body)


@pytest.fixture
def official(body, bob):
    """Bob, an officer of the district akimat."""
    return officer_of(body, bob)


@pytest.fixture
def head(body):
    return officer_of(body, role=Membership.Role.HEAD)
