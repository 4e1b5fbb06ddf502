import pytest

from kenes.registry.models import RegistryStatus

from .factories import NGOFactory, ReportFactory

API = "/api/v1/registry"


@pytest.fixture
def reported(ngo):
    return ReportFactory(
        ngo=ngo, year=2024, contact_person="Aigerim", contact_phone="+7 701", donors="Nurlan"
    )


def test_the_list_filters_and_pages(client, ngo, region, sector, django_assert_max_num_queries):
    for _ in range(5):
        NGOFactory()
    NGOFactory(organization__territory=region, status=RegistryStatus.SUSPENDED)
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/ngos", {"per_page": 3}).json()
    assert body["count"] == 7 and len(body["items"]) == 3 and body["pages"] == 3
    body = client.get(f"{API}/ngos", {"territory": region.code}).json()
    assert body["count"] == 2  # the NGO in the district counts for its region
    body = client.get(f"{API}/ngos", {"sector": sector.code, "status": "operating"}).json()
    assert [item["bin"] for item in body["items"]] == [ngo.bin]
    assert body["items"][0]["sectors"] == ["education"]
    assert client.get(f"{API}/ngos", {"territory": "000"}).json()["count"] == 0
    assert client.get(f"{API}/ngos", {"status": "bogus"}).status_code == 422


def test_one_ngo_with_public_report_fields_only(client, ngo, reported):
    response = client.get(f"{API}/ngos/{ngo.pk}")
    body = response.json()
    assert body["bin"] == ngo.bin and body["reports"][0]["year"] == 2024
    assert body["reports"][0]["income_grants"] == "1000000.00"
    text = response.content.decode()
    assert "Aigerim" not in text and "Nurlan" not in text and "+7 701" not in text
    assert client.get(f"{API}/ngos/99999").json()["error"]["code"] == "not_found"


def test_statistics(client, ngo, region, district, reported, django_assert_max_num_queries):
    NGOFactory(organization__territory=region, status=RegistryStatus.LIQUIDATED)
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/statistics").json()
    assert body["total"] == 2
    assert {c["key"]: c["count"] for c in body["by_status"]}["liquidated"] == 1
    assert {c["key"]: c["count"] for c in body["by_territory"]}[region.code] == 2
    [rate] = [r for r in body["reporting"] if r["year"] == 2024]
    assert (rate["reported"], rate["operating"], rate["rate"]) == (1, 1, 100.0)
    body = client.get(f"{API}/statistics", {"territory": region.code}).json()
    assert body["territory"] == region.code
    assert body["by_territory"] == [{"key": district.code, "label": district.name, "count": 1}]


def test_a_report_version_with_its_history(client, ngo):
    old = ReportFactory(ngo=ngo, year=2024, version=1, is_current=False, donors="Nurlan")
    new = ReportFactory(ngo=ngo, year=2024, version=2, correction_reason="Recounted", donors="Nurlan")
    response = client.get(f"{API}/reports/{old.pk}")
    body = response.json()
    assert body["is_current"] is False and body["ngo_id"] == ngo.pk
    assert [(v["id"], v["correction_reason"]) for v in body["versions"]] == [
        (new.pk, "Recounted"),
        (old.pk, ""),
    ]
    assert "Nurlan" not in response.content.decode()
