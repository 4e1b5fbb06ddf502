from kenes.territories.models import Territory
from kenes.territories.selectors import (
    territory_ancestors,
    territory_children,
    territory_choices,
    territory_get,
    territory_list,
    territory_subtree,
)


def _codes(qs) -> list[str]:
    return [t.code for t in qs]


def test_it_filters_by_country_kind_and_level(sample):
    assert len(territory_list(level=1)) == 29
    assert len(territory_list(country="KG", level=1)) == 9
    assert _codes(territory_list(kind="city_republican", country="KG")) == [
        "41711000000000",
        "41721000000000",
    ]
    assert {t.country for t in territory_list(kind="rural_district")} == {"KZ", "KG"}


def test_it_lists_children_by_parent_code_and_a_whole_subtree_within(sample):
    assert len(territory_list(parent_code="610000000")) == 17
    within = _codes(territory_list(within_code="615200000"))
    assert within == ["615200000", "615230000", "615230100", "615230200", "615233000", "615237000"]
    assert len(territory_list(within_code="610000000")) == 1 + 17 + 3 + 2
    assert list(territory_list(within_code="999")) == []


def test_it_searches_codes_and_names_in_every_language(sample):
    assert "615230000" in _codes(territory_list(q="6152"))
    assert _codes(territory_list(q="аксукент")) == ["615230000"]  # Russian, any case
    assert _codes(territory_list(q="Ақсукент")) == ["615230000"]  # Kazakh
    assert _codes(territory_list(q="айыл аймагы", country="KG")) == [
        "41708203803000",
        "41708203805000",
        "41708203807000",
    ]  # Kyrgyz
    assert "610000000" in _codes(territory_list(q="turkestan"))  # English
    assert list(territory_list(q="no such place")) == []


def test_it_gets_one_unit_or_raises(sample):
    assert territory_get("615230000").name_ru == "Аксукентский с.о."
    try:
        territory_get("000")
    except Territory.DoesNotExist:
        pass
    else:
        raise AssertionError("expected DoesNotExist")


def test_it_lists_ancestors_root_first_in_one_query(sample, django_assert_num_queries):
    village = territory_get("615230100")
    with django_assert_num_queries(1):
        ancestors = territory_ancestors(village)
    assert _codes(ancestors) == ["610000000", "615200000", "615230000"]
    region = territory_get("610000000")
    with django_assert_num_queries(0):
        assert territory_ancestors(region) == []


def test_it_lists_children_and_the_subtree(sample, django_assert_num_queries):
    alamudun = territory_get("41708203000000")
    assert _codes(territory_children(alamudun)) == ["41708203803000", "41708203805000", "41708203807000"]
    with django_assert_num_queries(1):
        subtree = _codes(territory_subtree(alamudun, include_self=False))
    assert subtree == [
        "41708203803000",
        "41708203803010",
        "41708203803020",
        "41708203805000",
        "41708203807000",
    ]


def test_it_offers_regions_then_their_districts_for_select_boxes(sample):
    choices = list(territory_choices())
    assert {t.level for t in choices} == {1, 2}
    codes = _codes(choices)
    assert codes.index("610000000") + 1 == codes.index("611000000")  # Turkistan's districts follow it
    assert codes.index("620000000") == codes.index("616400000") + 1
    assert [t.country for t in choices] == sorted(t.country for t in choices)
    assert len(list(territory_choices(max_level=1))) == 29
