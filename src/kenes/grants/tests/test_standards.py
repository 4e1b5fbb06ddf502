"""The 360Giving and OCDS exports built from plain records, validated against the official schemas.
No database."""

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kenes.grants import standards as std

from .schemas import DATA, giving_errors, ocds_errors

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PUBLISHER = std.Publisher(
    name="Kenes test",
    base_url="https://kenes.example.org/",
    ocid_prefix="ocds-unregistered-kenes",
    grant_prefix="360G-unregistered-kenes",
)
BODY = std.OrgRecord(kenes_id=1, name="Akimat of Shymkent", country="KZ", registration_number="000640002067")
ALPHA = std.OrgRecord(
    kenes_id=2, name="Alpha NGO", country="KZ", registration_number="950440001673", locality="Shymkent"
)
BETA = std.OrgRecord(kenes_id=3, name="Beta NGO", country="KZ", registration_number="990940003030")
GAMMA = std.OrgRecord(kenes_id=4, name="Gamma Initiative", country="KZ", website="https://gamma.example.kz")
LOTS = (
    std.LotRecord(id="lot-1", title="Youth centres", amount=Decimal("6000000")),
    std.LotRecord(id="lot-2", title="Elderly care", description="Home visits", amount=Decimal("4000000.50")),
)
PROGRAMME = std.ProgrammeRecord(
    code="P-7", title="Social projects 2026", kind="grant", description="Support to NGO projects"
)
ACCEPTED = std.ReportRecord(
    id="report-1", kind="narrative", state="accepted", submitted_at=T, reviewed_at=T + timedelta(days=2)
)
RETURNED = std.ReportRecord(
    id="report-returned-2", kind="financial", state="returned", submitted_at=T, reviewed_at=T
)


def milestones(*, second_met=False):
    return (
        std.MilestoneRecord(
            id="m-1",
            title="Centre opened",
            due_on=date(2026, 5, 1),
            met_at=T + timedelta(days=2),
            reports=(ACCEPTED,),
        ),
        std.MilestoneRecord(
            id="m-2",
            title="Half-year report",
            due_on=date(2026, 9, 1),
            met_at=T + timedelta(days=3) if second_met else None,
            reports=(RETURNED,),
        ),
    )


CONTRACT = std.ContractRecord(
    id="contract-1",
    title="Contract 12/2026",
    signed_on=date(2026, 4, 1),
    starts_on=date(2026, 4, 1),
    ends_on=date(2026, 12, 31),
    amount=Decimal("5500000"),
    milestones=milestones(),
    transactions=(std.TransactionRecord(id="t-1", paid_on=date(2026, 4, 10), amount=Decimal("2750000")),),
)
AWARD_ALPHA = std.AwardRecord(
    id="award-1",
    title="A youth centre in Abay district",
    description="Evening classes and sport for 300 teenagers.",
    recipient=ALPHA,
    amount=Decimal("5500000"),
    amount_applied_for=Decimal("5800000"),
    awarded_on=date(2026, 3, 20),
    modified_at=T,
    lot_id="lot-1",
    starts_on=date(2026, 4, 1),
    ends_on=date(2026, 12, 31),
    contract=CONTRACT,
)
AWARD_BETA = std.AwardRecord(
    id="award-2",
    title="Visits to lonely pensioners",
    description="",
    recipient=BETA,
    amount=Decimal("3999999.99"),
    awarded_on=date(2026, 3, 20),
    modified_at=T,
    lot_id="lot-2",
)
CALL = std.CallRecord(
    id="KZ-2026-0001",
    title="Call for social projects, Shymkent 2026",
    description="Projects for young and elderly people.",
    status="complete",
    funder=BODY,
    programme=PROGRAMME,
    currency="KZT",
    budget=Decimal("10000000.50"),
    opens_at=T - timedelta(days=40),
    closes_at=T - timedelta(days=10),
    modified_at=T,
    url="https://kenes.example.org/en/grants/calls/1/",
    eligibility="Registered NGOs working in Shymkent.",
    award_criteria="Relevance (weight 3), budget (weight 1); trimmed mean from 5 experts.",
    decided_at=T - timedelta(days=1),
    number_of_tenderers=3,
    lots=LOTS,
    locations=(std.LocationRecord(country="KZ", code="791000000", name="Shymkent"),),
    classifications=(std.ClassificationRecord(vocabulary="Kenes sectors", code="youth", title="Youth"),),
    tenderers=(ALPHA, BETA, GAMMA),
    awards=(AWARD_ALPHA, AWARD_BETA),
)
OPEN_CALL = replace(
    CALL,
    id="KG-2026-0002",
    status="active",
    funder=std.OrgRecord(
        kenes_id=9, name="Bishkek mayor's office", country="KG", registration_number="02507199510010"
    ),
    currency="KGS",
    locations=(std.LocationRecord(country="KG", code="41711000000000", name="Bishkek"),),
    decided_at=None,
    number_of_tenderers=None,
    tenderers=(),
    awards=(),
)


def ocds(*calls):
    return std.ocds_release_package(calls, publisher=PUBLISHER, published_at=T)


def giving(*calls):
    return std.grants_360giving_package(calls, publisher=PUBLISHER, issued_at=T)


def test_a_finished_call_validates_in_both_standards():
    assert giving_errors(giving(CALL)) == []
    assert ocds_errors(ocds(CALL)) == []


def test_the_release_follows_the_call_through_every_stage():
    [release] = ocds(CALL)["releases"]
    assert release["ocid"] == "ocds-unregistered-kenes-KZ-2026-0001"
    assert release["id"] == "KZ-2026-0001-20260302T093000Z"
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    assert release["tender"]["status"] == "complete"
    assert release["tender"]["tenderPeriod"] == {
        "startDate": "2026-01-21T09:30:00+00:00",
        "endDate": "2026-02-20T09:30:00+00:00",
    }
    assert release["buyer"] == {"id": "KZ-BIN-000640002067", "name": "Akimat of Shymkent"}
    [contract] = release["contracts"]
    assert contract["awardID"] == "award-1"
    assert contract["period"] == {
        "startDate": "2026-04-01T00:00:00+05:00",
        "endDate": "2026-12-31T23:59:59+05:00",
    }
    [payment] = contract["implementation"]["transactions"]
    assert payment["value"] == {"amount": 2750000, "currency": "KZT"}
    assert payment["payer"]["id"] == "KZ-BIN-000640002067"
    assert payment["payee"]["id"] == "KZ-BIN-950440001673"


def test_a_call_without_an_award_is_a_tender_release_and_no_grant():
    package = ocds(OPEN_CALL)
    assert ocds_errors(package) == []
    [release] = package["releases"]
    assert release["tag"] == ["tender"]
    assert release["tender"]["status"] == "active"
    assert release["tender"]["value"] == {"amount": 10000000.5, "currency": "KGS"}
    assert "awards" not in release and "contracts" not in release
    assert [p["roles"] for p in release["parties"]] == [["buyer", "procuringEntity", "funder", "payer"]]
    assert release["parties"][0]["identifier"] == {
        "scheme": "KG-TIN",
        "id": "02507199510010",
        "legalName": "Bishkek mayor's office",
    }
    assert giving(OPEN_CALL, CALL)["grants"] == giving(CALL)["grants"]


def test_a_360giving_package_needs_a_grant():
    assert giving(OPEN_CALL)["grants"] == []
    assert giving_errors(giving(OPEN_CALL)) == ["grants: [] should be non-empty"]


def test_several_lots_become_items_and_each_award_names_its_lot():
    [release] = ocds(CALL)["releases"]
    items = release["tender"]["items"]
    assert [item["id"] for item in items] == ["lot-1", "lot-2"]
    assert items[1]["description"] == "Elderly care: Home visits"
    assert items[1]["unit"]["value"] == {"amount": 4000000.5, "currency": "KZT"}
    assert [[item["id"] for item in award["items"]] for award in release["awards"]] == [["lot-1"], ["lot-2"]]


def test_an_award_without_a_lot_or_contract_still_validates():
    call = replace(CALL, lots=(), awards=(replace(AWARD_BETA, lot_id=None),))
    assert ocds_errors(ocds(call)) == []
    assert giving_errors(giving(call)) == []
    [release] = ocds(call)["releases"]
    assert release["tag"] == ["tender", "award"]
    assert "items" not in release["awards"][0]


def test_a_returned_report_is_never_published():
    package = ocds(CALL)
    milestones_out = package["releases"][0]["contracts"][0]["implementation"]["milestones"]
    met, pending = milestones_out
    assert (met["status"], met["dateMet"]) == ("met", "2026-03-04T09:30:00+00:00")
    assert met["documents"] == [
        {
            "id": "report-1",
            "documentType": "physicalProgressReport",
            "datePublished": "2026-03-04T09:30:00+00:00",
        }
    ]
    assert pending["status"] == "scheduled" and "documents" not in pending
    assert "report-returned-2" not in json.dumps(package)


def test_a_contract_with_only_a_returned_report_has_no_implementation_tag():
    quiet = replace(CONTRACT, transactions=(), milestones=(replace(milestones()[1], met_at=None),))
    call = replace(CALL, awards=(replace(AWARD_ALPHA, contract=quiet),))
    [release] = ocds(call)["releases"]
    assert release["tag"] == ["tender", "award", "contract"]
    assert ocds_errors(ocds(call)) == []


def test_a_cancelled_call_publishes_the_cancellation_only():
    call = replace(CALL, status="cancelled")
    [release] = ocds(call)["releases"]
    assert release["tag"] == ["tenderCancellation"]
    assert "awards" not in release
    assert ocds_errors(ocds(call)) == []
    assert giving(call)["grants"] == []


def test_a_planned_programme_is_a_planning_release():
    call = replace(OPEN_CALL, status="planning")
    [release] = ocds(call)["releases"]
    assert release["tag"] == ["planning"]
    assert release["planning"]["budget"]["projectID"] == "P-7"
    assert ocds_errors(ocds(call)) == []


def test_the_grant_carries_what_360giving_asks_for():
    grant = giving(CALL)["grants"][0]
    assert grant["id"] == "360G-unregistered-kenes-award-1"
    assert (grant["currency"], grant["amountAwarded"], grant["amountAppliedFor"]) == ("KZT", 5500000, 5800000)
    assert (grant["awardDate"], grant["amountDisbursed"]) == ("2026-03-20", 2750000)
    assert grant["plannedDates"] == [{"startDate": "2026-04-01", "endDate": "2026-12-31"}]
    assert grant["recipientOrganization"] == [
        {
            "id": "KZ-BIN-950440001673",
            "name": "Alpha NGO",
            "addressLocality": "Shymkent",
            "addressCountry": "Kazakhstan",
        }
    ]
    assert grant["fundingOrganization"][0]["id"] == "KZ-BIN-000640002067"
    assert grant["beneficiaryLocation"] == [
        {
            "id": "KATO-791000000",
            "name": "Shymkent",
            "countryCode": "KZ",
            "geoCode": "791000000",
            "geoCodeType": "KATO",
        }
    ]
    assert grant["grantProgramme"] == [{"code": "P-7", "title": "Social projects 2026"}]
    assert grant["relatedActivity"] == ["ocds-unregistered-kenes-KZ-2026-0001"]
    assert grant["disbursementTransaction"] == [
        {"id": "t-1", "transactionDate": "2026-04-10", "currency": "KZT", "value": 2750000}
    ]
    beta = giving(CALL)["grants"][1]
    assert beta["description"] == beta["title"]  # 360Giving requires a description
    assert beta["amountAwarded"] == 3999999.99


def test_organisation_identifiers_follow_org_id_guide():
    assert std.org_identifier(ALPHA, publisher=PUBLISHER) == "KZ-BIN-950440001673"
    assert std.org_identifier(OPEN_CALL.funder, publisher=PUBLISHER) == "KG-TIN-02507199510010"
    assert std.org_identifier(GAMMA, publisher=PUBLISHER) == "360G-unregistered-kenes-ORG-4"


def test_parties_merge_the_roles_of_one_organisation():
    [release] = ocds(CALL)["releases"]
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles == {
        "Akimat of Shymkent": ["buyer", "procuringEntity", "funder", "payer"],
        "Alpha NGO": ["tenderer", "supplier", "payee"],
        "Beta NGO": ["tenderer", "supplier", "payee"],
        "Gamma Initiative": ["tenderer"],
    }
    gamma = next(p for p in release["parties"] if p["name"] == "Gamma Initiative")
    assert "identifier" not in gamma and gamma["contactPoint"] == {"url": "https://gamma.example.kz"}


def test_packages_carry_the_publisher_and_their_own_address():
    package = ocds(CALL, OPEN_CALL)
    assert (package["uri"], package["version"]) == (
        "https://kenes.example.org/open-data/grants.ocds.json",
        "1.1",
    )
    assert package["publisher"] == {"name": "Kenes test", "uri": "https://kenes.example.org"}
    assert len(package["releases"]) == 2 and ocds_errors(package) == []
    meta = giving(CALL)
    assert meta["downloadURL"] == "https://kenes.example.org/open-data/grants.360giving.json"
    assert meta["publisher"]["website"] == "https://kenes.example.org"


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="timezone-aware"):
        ocds(replace(CALL, modified_at=datetime(2026, 3, 2, 9, 30)))


def test_the_validators_do_reject_broken_documents():
    grant_package = copy.deepcopy(giving(CALL))
    del grant_package["grants"][0]["amountAwarded"]
    grant_package["grants"][1]["awardDate"] = "20 March 2026"
    assert len(giving_errors(grant_package)) == 2
    release_package = copy.deepcopy(ocds(CALL))
    release_package["releases"][0]["tender"]["tenderPeriod"]["startDate"] = "2026-01-21"
    release_package["releases"][0]["tag"] = ["finished"]
    release_package["uri"] = "not a uri"
    assert len(ocds_errors(release_package)) == 3


def test_the_placeholder_prefixes_are_not_in_the_registered_form():
    # Registered OCDS prefixes are "ocds-" and six characters; 360Giving prefixes are "360G-" and a slug.
    assert len(settings.KENES_OCDS_PREFIX.removeprefix("ocds-")) != 6
    assert "unregistered" in settings.KENES_OCDS_PREFIX and "unregistered" in settings.KENES_360GIVING_PREFIX


SHARED_SCHEMAS = Path(settings.KENES_DATA_DIR) / "schemas"


@pytest.mark.needs_shared_data
@pytest.mark.skipif(not SHARED_SCHEMAS.is_dir(), reason=f"the schemas are not in {SHARED_SCHEMAS}")
@pytest.mark.parametrize(
    "name",
    [
        "360giving/360-giving-schema.json",
        "360giving/360-giving-package-schema.json",
        "ocds/release-schema.json",
        "ocds/release-package-schema.json",
    ],
)
def test_the_stored_schemas_are_the_official_ones(name):
    assert (DATA / name).read_bytes() == (SHARED_SCHEMAS / name).read_bytes()


# Properties: whatever the public facts, both files validate.

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40
)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000000"), places=2)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 1, 1),
    timezones=st.sampled_from([UTC, std.ZoneInfo("Asia/Bishkek")]),
)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))


@st.composite
def orgs(draw, kenes_id):
    country = draw(st.sampled_from(["KZ", "KG"]))
    number = draw(st.sampled_from(["", "950440001673", "02507199510010"]))
    return std.OrgRecord(kenes_id=kenes_id, name=draw(names), country=country, registration_number=number)


@st.composite
def milestone_records(draw, index):
    reports = tuple(
        std.ReportRecord(
            id=f"r-{index}-{n}",
            kind=draw(st.sampled_from(["narrative", "financial"])),
            state=draw(st.sampled_from(["submitted", "accepted", "returned"])),
            submitted_at=draw(moments),
            reviewed_at=draw(st.none() | moments),
        )
        for n in range(draw(st.integers(0, 3)))
    )
    return std.MilestoneRecord(
        id=f"m-{index}",
        title=draw(names),
        due_on=draw(days),
        met_at=draw(st.none() | moments),
        reports=reports,
    )


@st.composite
def call_records(draw):
    lots = tuple(
        std.LotRecord(id=f"lot-{n}", title=draw(names), amount=draw(st.none() | amounts))
        for n in range(draw(st.integers(0, 3)))
    )
    awards = []
    for n in range(draw(st.integers(0, 3))):
        start, end = sorted([draw(days), draw(days)])
        contract = None
        if draw(st.booleans()):
            contract = std.ContractRecord(
                id=f"c-{n}",
                title=draw(names),
                signed_on=start,
                starts_on=start,
                ends_on=end,
                amount=draw(amounts),
                status=draw(st.sampled_from(["active", "completed", "terminated"])),
                milestones=tuple(draw(milestone_records(f"{n}-{m}")) for m in range(draw(st.integers(0, 2)))),
                transactions=tuple(
                    std.TransactionRecord(id=f"t-{n}-{t}", paid_on=draw(days), amount=draw(amounts))
                    for t in range(draw(st.integers(0, 2)))
                ),
            )
        awards.append(
            std.AwardRecord(
                id=f"a-{n}",
                title=draw(names),
                description=draw(st.just("") | names),
                recipient=draw(orgs(100 + n)),
                amount=draw(amounts),
                awarded_on=draw(days),
                modified_at=draw(moments),
                amount_applied_for=draw(st.none() | amounts),
                lot_id=draw(st.sampled_from([None, *[lot.id for lot in lots]])),
                starts_on=start if draw(st.booleans()) else None,
                ends_on=end,
                contract=contract,
            )
        )
    opens, closes = sorted([draw(moments), draw(moments)])
    return std.CallRecord(
        id=f"call-{draw(st.integers(1, 10**6))}",
        title=draw(names),
        description=draw(names),
        status=draw(
            st.sampled_from(["planning", "planned", "active", "complete", "cancelled", "unsuccessful"])
        ),
        funder=draw(orgs(1)),
        programme=std.ProgrammeRecord(
            code="p", title=draw(names), kind=draw(st.sampled_from(["grant", "social_order"]))
        ),
        currency=draw(st.sampled_from(["KZT", "KGS"])),
        budget=draw(amounts),
        opens_at=opens,
        closes_at=closes,
        modified_at=draw(moments),
        decided_at=draw(st.none() | moments),
        number_of_tenderers=draw(st.none() | st.integers(0, 500)),
        lots=lots,
        locations=(std.LocationRecord(country="KG", code="41711000000000", name=draw(names)),),
        tenderers=tuple(draw(orgs(200 + n)) for n in range(draw(st.integers(0, 3)))),
        awards=tuple(awards),
    )


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=st.lists(call_records(), min_size=1, max_size=3, unique_by=lambda call: call.id))
def test_property_any_public_record_validates_in_both_standards(calls):
    assert ocds_errors(ocds(*calls)) == []
    package = giving(*calls)
    if package["grants"]:
        assert giving_errors(package) == []
    else:
        assert giving_errors(package) == ["grants: [] should be non-empty"]
