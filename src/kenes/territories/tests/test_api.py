import pytest

URL = "/api/v1/territories/"


def test_it_lists_territories_with_the_common_page_format(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"level": 1, "country": "KZ"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"items", "count", "page", "per_page", "pages"}
    assert data["count"] == 20
    turkistan = next(item for item in data["items"] if item["code"] == "610000000")
    assert turkistan == {
        "code": "610000000",
        "country": "KZ",
        "kind": "region",
        "level": 1,
        "parent_code": None,
        "name": "Turkestan",
        "names": {"kk": "Түркістан облысы", "ru": "Туркестанская область", "ky": None, "en": "Turkestan"},
        "urban": None,
        "population": None,
    }


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("ru", "Туркестанская область"),
        ("kk", "Түркістан облысы"),
        ("en", "Turkestan"),
        ("ky", "Туркестанская область"),
    ],
)
def test_it_names_items_in_the_request_language(client, sample, language, name):
    item = client.get(f"{URL}610000000", headers={"accept-language": language}).json()
    assert item["name"] == name  # Kyrgyz is missing for a Kazakh region: Russian comes next


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"parent": "615200000"}, ["615230000", "615233000", "615237000"]),
        ({"within": "615230000"}, ["615230000", "615230100", "615230200"]),
        ({"within": "41708203000000", "level": 3}, ["41708203803000", "41708203805000", "41708203807000"]),
        ({"kind": "city_republican", "country": "KG"}, ["41711000000000", "41721000000000"]),
        ({"q": "молдованов"}, ["41708203803020"]),
        ({"within": "nowhere"}, []),
    ],
)
def test_it_filters(client, sample, params, codes):
    data = client.get(URL, {**params, "per_page": 100}).json()
    assert [item["code"] for item in data["items"]] == codes
    assert data["count"] == len(codes)


def test_it_gives_the_parent_code_of_each_item(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the unit's path, the count, the page
        data = client.get(URL, {"within": "610000000", "per_page": 100}).json()
    assert {item["parent_code"] for item in data["items"] if item["level"] == 2} == {"610000000"}


@pytest.mark.parametrize(("per_page", "expected"), [(-1, 1), (0, 1), (10**9, 100), (7, 7)])
def test_it_clamps_the_page_size(client, sample, per_page, expected):
    data = client.get(URL, {"within": "610000000", "per_page": per_page}).json()
    assert data["per_page"] == expected
    assert len(data["items"]) == min(expected, 23)


def test_it_gives_the_last_page_past_the_end(client, sample):
    data = client.get(URL, {"per_page": 10, "page": 99}).json()
    assert (data["page"], data["pages"], data["count"], len(data["items"])) == (7, 7, 65, 5)


def test_it_rejects_an_unknown_country_in_the_common_error_format(client, sample):
    response = client.get(URL, {"country": "UZ"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_it_gives_one_territory_with_ancestors_and_children_count(
    client, sample, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(f"{URL}615230000")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "615230000"
    assert data["parent_code"] == "615200000"
    assert data["ancestors"] == [
        {"code": "610000000", "name": "Turkestan"},
        {"code": "615200000", "name": "Sayram"},
    ]
    assert data["children_count"] == 2
    assert data["urban"] is False


def test_it_answers_404_in_the_common_error_format(client, sample):
    response = client.get(f"{URL}000000000")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": []}}
