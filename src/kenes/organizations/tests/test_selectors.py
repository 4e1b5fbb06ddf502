import pytest
from django.utils import translation

from kenes.organizations import selectors
from kenes.organizations.models import Membership, Organization, Sector
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    region = TerritoryFactory(code="190000000", name="Almaty Region")
    district = TerritoryFactory(code="193200000", parent=region, kind="district", name="Talgar District")
    village = TerritoryFactory(code="193230100", parent=district, kind="rural_district", name="Belbulak")
    other = TerritoryFactory(code="790000000", name="Zhambyl Region")
    return region, district, village, other


def ids(qs):
    return {o.pk for o in qs}


@pytest.mark.parametrize(
    ("language", "query"),
    [("kk", "Жасыл"), ("ru", "Зелен"), ("ky", "Жашыл"), ("en", "green"), ("en", "GREEN"), ("bin", "9403400")],
)
def test_it_searches_every_language_and_the_registration_number(language, query):
    found = OrganizationFactory(
        name_kk="Жасыл қала",
        name_ru="Зеленый город",
        name_ky="Жашыл шаар",
        name_en="Green City",
        registration_number="940340000570",
    )
    OrganizationFactory(name_en="Blue Sea", name_ru="Синее море")
    assert ids(selectors.organization_directory(q=query)) == {found.pk}


def test_it_filters_by_kind_sector_status_and_country(tree):
    region, *_rest = tree
    health = Sector.objects.get(code="health")
    match = OrganizationFactory(territory=region, kind=Organization.Kind.JAMAAT)
    match.sectors.add(health)
    OrganizationFactory(territory=region, kind=Organization.Kind.NGO).sectors.add(health)
    OrganizationFactory(territory=region, kind=Organization.Kind.JAMAAT)
    liquidated = OrganizationFactory(territory=region, status=Organization.Status.LIQUIDATED)
    kg = OrganizationFactory(territory=TerritoryFactory(country="KG", code="41702000000000"), country="KG")
    assert ids(selectors.organization_directory(kind="jamaat", sector="health")) == {match.pk}
    assert ids(selectors.organization_directory(status="liquidated")) == {liquidated.pk}
    assert ids(selectors.organization_directory(country="KG")) == {kg.pk}


def test_it_finds_an_organisation_in_a_district_by_its_region_only_with_the_subtree(tree):
    region, district, village, other = tree
    in_district = OrganizationFactory(territory=district)
    in_village = OrganizationFactory(territory=village)
    in_region = OrganizationFactory(territory=region)
    OrganizationFactory(territory=other)
    assert ids(selectors.organization_directory(territory_code=region.code)) == {
        in_district.pk,
        in_village.pk,
        in_region.pk,
    }
    assert ids(selectors.organization_directory(territory_code=region.code, include_subtree=False)) == {
        in_region.pk
    }
    assert ids(selectors.organization_directory(territory_code=district.code)) == {
        in_district.pk,
        in_village.pk,
    }
    assert ids(selectors.organization_directory(territory_code="000")) == set()


def test_it_filters_the_subtree_in_a_single_query(tree, django_assert_num_queries):
    region, district, *_rest = tree
    OrganizationFactory(territory=district)
    qs = selectors.organization_directory(territory_code=region.code).prefetch_related(None)
    with django_assert_num_queries(1):
        assert len(list(qs)) == 1


def test_it_orders_by_the_name_in_the_current_language_with_fallback():
    x = OrganizationFactory(name_en="Beta", name_ru="Omega")
    y = OrganizationFactory(name_en="", name_ru="Gamma")
    with translation.override("en"):
        assert list(selectors.organization_directory()) == [x, y]  # y sorts as "Gamma", not ""
    with translation.override("ru"):
        assert list(selectors.organization_directory()) == [y, x]


def test_it_gives_the_detail_with_chain_subordinates_and_members_without_n_plus_one(
    django_assert_max_num_queries, alice, bob
):
    top = OrganizationFactory(kind=Organization.Kind.STATE_BODY)
    middle = OrganizationFactory(kind=Organization.Kind.STATE_BODY, supervising_body=top)
    body = OrganizationFactory(kind=Organization.Kind.LOCAL_EXECUTIVE, supervising_body=middle)
    for _n in range(3):
        OrganizationFactory(kind=Organization.Kind.LOCAL_EXECUTIVE, supervising_body=body)
    MembershipFactory(organization=body, user=alice)
    MembershipFactory(organization=body, user=bob, role=Membership.Role.HEAD)
    with django_assert_max_num_queries(4):
        info = selectors.organization_detail(body.pk)
        assert info.chain == [middle, top]
        assert len(info.subordinates) == 3
        assert [s.territory.name for s in info.subordinates]
        assert [(m.user.public_name, m.role) for m in info.members] == [("Bob", "head"), ("Alice", "member")]
        assert list(info.organization.sectors.all()) == []
        assert info.organization.territory.code


def test_it_bounds_the_supervising_chain(monkeypatch):
    monkeypatch.setattr(selectors, "MAX_CHAIN_LENGTH", 3)
    current = None
    for _n in range(6):
        current = OrganizationFactory(kind=Organization.Kind.STATE_BODY, supervising_body=current)
    assert len(selectors.organization_detail(current.pk).chain) == 3
