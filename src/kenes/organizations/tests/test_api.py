import pytest

from kenes.organizations.models import Membership, Organization, Sector
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations/"


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def test_it_lists_organisations_with_names_territory_and_sectors(client, org):
    org.sectors.add(Sector.objects.get(code="health"))
    org.registration_number = "940340000570"
    org.save()
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["count"] == 1 and body["page"] == 1 and body["pages"] == 1
    [item] = body["items"]
    assert item == {
        "id": org.pk,
        "kind": "ngo",
        "name": item["name"],
        "names": {"kk": "", "ru": "Гражданский хаб", "ky": "", "en": "Civic Hub"},
        "status": "operating",
        "country": "KZ",
        "registration_number": "940340000570",
        "territory": {"code": "710000000", "name": item["territory"]["name"]},
        "sectors": ["health"],
        "is_sample": False,
    }


def test_it_filters_the_list(client, region):
    district = TerritoryFactory(parent=region, kind="district")
    health = Sector.objects.get(code="health")
    in_district = OrganizationFactory(territory=district, kind=Organization.Kind.JAMAAT, name_en="Mahalla")
    in_district.sectors.add(health)
    in_region = OrganizationFactory(territory=region, status=Organization.Status.LIQUIDATED, name_en="Old")
    kg = OrganizationFactory(territory=TerritoryFactory(country="KG", code="41702000000000"), country="KG")
    assert set(ids(client.get(URL, {"territory": region.code}))) == {in_district.pk, in_region.pk}
    assert ids(client.get(URL, {"territory": region.code, "subtree": "false"})) == [in_region.pk]
    assert ids(client.get(URL, {"kind": "jamaat"})) == [in_district.pk]
    assert ids(client.get(URL, {"sector": "health"})) == [in_district.pk]
    assert ids(client.get(URL, {"status": "liquidated"})) == [in_region.pk]
    assert ids(client.get(URL, {"country": "KG"})) == [kg.pk]
    assert ids(client.get(URL, {"q": "mahal"})) == [in_district.pk]


def test_it_refuses_an_unknown_kind_in_the_error_format(client, db):
    response = client.get(URL, {"kind": "bogus"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(("per_page", "expected"), [("-1", 1), ("0", 1), (str(10**9), 100), ("5", 5)])
def test_it_clamps_the_page_size(client, region, per_page, expected):
    for _n in range(3):
        OrganizationFactory(territory=region)
    body = client.get(URL, {"per_page": per_page}).json()
    assert body["per_page"] == expected
    assert len(body["items"]) == min(expected, 3)


def test_it_lists_with_a_constant_number_of_queries(client, region, django_assert_max_num_queries):
    sectors = list(Sector.objects.all()[:2])
    for count in (5, 25):
        for _n in range(count):
            OrganizationFactory(territory=TerritoryFactory(parent=region, kind="district")).sectors.set(
                sectors
            )
        with django_assert_max_num_queries(3):
            assert len(client.get(URL, {"per_page": 50}).json()["items"]) == min(50, 30 if count == 25 else 5)


def test_it_gives_the_detail_with_members_and_contacts(client, org, head, alice, state_body):
    MembershipFactory(organization=org, user=alice, role=Membership.Role.OFFICER)
    org.email = "hub@example.org"
    org.description_en = "We help."
    org.save()
    body = client.get(f"{URL}{org.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["id"] == org.pk
    assert body["members"] == [{"name": "Bob", "role": "head"}, {"name": "Alice", "role": "officer"}]
    assert body["contacts"] == {"website": "", "email": "hub@example.org", "phone": ""}
    assert body["supervising_body_id"] is None
    assert body["names"]["ru"] == "Гражданский хаб"


def test_it_bounds_the_detail_queries(client, org, django_assert_max_num_queries):
    for _n in range(10):
        MembershipFactory(organization=org)
    with django_assert_max_num_queries(3):
        assert len(client.get(f"{URL}{org.pk}").json()["members"]) == 10


def test_it_gives_404_in_the_error_format(client, db):
    response = client.get(f"{URL}999999")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": []}}
