import pytest

from kenes.organizations.tests.factories import SectorFactory
from kenes.registry import selectors
from kenes.registry.models import RegistryStatus
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory

from .factories import NGOFactory, ReportFactory


@pytest.fixture
def tree(region, district):
    """A second district and a village in the first; another region."""
    other_district = TerritoryFactory(code="712000000", parent=region, kind=Territory.Kind.DISTRICT)
    village = TerritoryFactory(code="711010000", parent=district, kind=Territory.Kind.SETTLEMENT)
    elsewhere = TerritoryFactory(code="790000000")
    return {"district2": other_district, "village": village, "elsewhere": elsewhere}


def test_territory_counts_add_up_every_unit_below(ngo, region, district, tree, django_assert_num_queries):
    NGOFactory(organization__territory=tree["village"])
    NGOFactory(organization__territory=tree["district2"])
    NGOFactory(organization__territory=region)
    NGOFactory(organization__territory=tree["elsewhere"])
    with django_assert_num_queries(2):
        top = {bar.key: bar.count for bar in selectors.count_by_territory()}
    assert top == {region.code: 4, tree["elsewhere"].code: 1}
    below = {bar.key: bar.count for bar in selectors.count_by_territory(region)}
    assert below == {district.code: 2, tree["district2"].code: 1}  # the region's own NGO has no unit
    assert {bar.key: bar.count for bar in selectors.count_by_territory(tree["village"])} == {}


def test_counts_by_status_and_sector(ngo, sector, django_assert_max_num_queries):
    health = SectorFactory(code="health")
    NGOFactory(status=RegistryStatus.LIQUIDATED).organization.sectors.set([sector, health])
    with django_assert_max_num_queries(2):
        by_status = {bar.key: bar.count for bar in selectors.count_by_status()}
        by_sector = {bar.key: bar.count for bar in selectors.count_by_sector()}
    assert by_status == {"operating": 1, "possibly_non_operating": 0, "suspended": 0, "liquidated": 1}
    assert by_sector["education"] == 2 and by_sector["health"] == 1
    assert max(bar.percent for bar in selectors.count_by_status()) == 100.0


def test_the_reporting_rate_counts_ngos_operating_that_year(ngo, django_assert_max_num_queries):
    late = NGOFactory(founded_on=None)
    NGOFactory(founded_on="2024-05-01")
    gone = NGOFactory(status=RegistryStatus.LIQUIDATED)
    ReportFactory(ngo=ngo, year=2023)
    ReportFactory(ngo=late, year=2023, version=1, is_current=False)
    ReportFactory(ngo=late, year=2023, version=2)
    ReportFactory(ngo=gone, year=2023)
    with django_assert_max_num_queries(2):
        rates = {rate.year: rate for rate in selectors.reporting_rates([2023, 2024])}
    assert (rates[2023].reported, rates[2023].operating, rates[2023].rate) == (2, 2, 100.0)
    assert (rates[2024].reported, rates[2024].operating, rates[2024].rate) == (0, 3, 0.0)


def test_the_list_searches_names_and_bin_prefix(ngo, tree, django_assert_max_num_queries):
    NGOFactory(organization__name="Other", organization__territory=tree["elsewhere"])
    assert [n.pk for n in selectors.ngo_list(q="bright")] == [ngo.pk]
    assert [n.pk for n in selectors.ngo_list(q=ngo.bin[:6])] != []
    assert [n.pk for n in selectors.ngo_list(territory=tree["elsewhere"])] != [ngo.pk]
    with django_assert_max_num_queries(2):  # the NGOs with their organisation and territory, the sectors
        rows = [
            (n.organization.territory.name, [s.code for s in n.organization.sectors.all()])
            for n in selectors.ngo_list()
        ]
    assert len(rows) == 2 and ["education"] in [codes for _name, codes in rows]


def test_report_versions_newest_first(ngo):
    old = ReportFactory(ngo=ngo, year=2024, version=1, is_current=False)
    new = ReportFactory(ngo=ngo, year=2024, version=2)
    assert selectors.report_versions(old) == [new, old]
    assert selectors.ngo_reports(ngo) == [new]
