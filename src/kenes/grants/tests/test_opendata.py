"""The served open-data files: valid against the official schemas, only public facts, a fixed
number of queries, cacheable.

The rows are written with factories (awards, contracts and reports directly, as the grants
services' own tests cover how they come about); ``kenes/demo/tests/test_grants.py`` serves the
files built through the services and validates them too."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kenes.accounts.tests.factories import UserFactory
from kenes.grants.models import (
    Award,
    AwardDecision,
    Call,
    Contract,
    ContractMilestone,
    Report,
)
from kenes.organizations.models import Organization
from kenes.organizations.tests.factories import OrganizationFactory, SectorFactory

from .factories import ApplicationFactory, CallFactory, CriterionFactory, LotFactory, ProgrammeFactory
from .schemas import giving_errors, ocds_errors

DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


def awarded_call(*, with_lots: bool = True, secret: str = "", body_bin: str = "000640002067") -> Call:
    """A finished call: three applications (one winner with a contract, one ineligible, one not
    funded), the winner's first milestone accepted with its report, a second one's report returned."""
    body = OrganizationFactory(kind=Organization.Kind.STATE_BODY, registration_number=body_bin)
    programme = ProgrammeFactory(body=body, summary="Jobs for young people in the region.")
    programme.sectors.add(SectorFactory(code="youth", name="Youth"))
    call = CallFactory(
        programme=programme, closed=True, state=Call.State.AWARDED, eligibility_text="NGOs only."
    )
    lots = [LotFactory(programme=programme, budget=Decimal("6000000")) for _ in range(2)] if with_lots else []
    call.lots.set(lots)
    CriterionFactory(call=call, name="Relevance", weight=Decimal("3"))
    CriterionFactory(call=call, name="Budget", weight=Decimal("1"))
    winner, ineligible, passed_over = (
        ApplicationFactory(
            call=call,
            state=state,
            lot=lots[0] if lots else None,
            ineligibility_reason="No BIN." if state == "ineligible" else "",
            description=f"Project description {secret}",
        )
        for state in ("awarded", "ineligible", "not_awarded")
    )
    official = UserFactory(display_name="Official Secretname")
    decision = AwardDecision.objects.create(
        call=call, reasons="Best scores.", decided_by=official, published_at=timezone.now() - DAY
    )
    Award.objects.create(
        decision=decision, application=winner, amount=Decimal("950000.50"), awarded_on=timezone.localdate()
    )
    contract = Contract.objects.create(
        application=winner,
        number="12/2026",
        signed_on=timezone.localdate(),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + 200 * DAY,
        amount=Decimal("950000.50"),
        created_by=official,
    )
    first = ContractMilestone.objects.create(
        contract=contract,
        title="Club opened",
        deliverable="Twenty young people enrolled",
        due_on=timezone.localdate() + 30 * DAY,
        accepted_at=timezone.now(),
    )
    second = ContractMilestone.objects.create(
        contract=contract, title="Half year", deliverable="Report", due_on=timezone.localdate() + 100 * DAY
    )
    author = UserFactory(display_name="Author Secretname")
    for milestone, state, kind in ((first, "accepted", "narrative"), (second, "returned", "financial")):
        Report.objects.create(
            contract=contract,
            milestone=milestone,
            kind=kind,
            text=f"Report text {secret}",
            state=state,
            submitted_by=author,
            submitted_at=timezone.now(),
            reviewed_by=official,
            reviewed_at=timezone.now(),
            return_reason="Receipts missing." if state == "returned" else "",
        )
    return call


def served(client, name):
    response = client.get(reverse(name))
    return response, json.loads(response.content) if response.status_code == 200 else None


def test_both_files_validate_and_carry_the_finished_call(client):
    call = awarded_call()
    giving_response, giving = served(client, "opendata_grants_360giving")
    ocds_response, ocds = served(client, "opendata_grants_ocds")
    assert giving_response.status_code == ocds_response.status_code == 200
    assert giving_errors(giving) == [] and ocds_errors(ocds) == []
    [grant] = giving["grants"]
    winner = call.applications.get(state="awarded")
    assert grant["title"] == winner.title and grant["amountAwarded"] == 950000.5
    assert grant["recipientOrganization"][0]["id"] == f"KZ-BIN-{winner.organization.registration_number}"
    assert grant["fundingOrganization"][0]["id"] == "KZ-BIN-000640002067"
    assert grant["classifications"] == [{"vocabulary": "Kenes sectors", "code": "youth", "title": "Youth"}]
    [release] = ocds["releases"]
    assert release["ocid"] == f"ocds-unregistered-kenes-call-{call.pk}"
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    assert release["tender"]["numberOfTenderers"] == 3
    assert len(release["tender"]["tenderers"]) == 3
    assert "Relevance: weight 3" in release["tender"]["awardCriteriaDetails"]
    assert [item["id"] for item in release["tender"]["items"]] == [f"lot-{lot.pk}" for lot in call.lots.all()]
    milestones = release["contracts"][0]["implementation"]["milestones"]
    assert [m["status"] for m in milestones] == ["met", "scheduled"]
    assert [len(m.get("documents", [])) for m in milestones] == [1, 0]


def test_only_public_facts_are_served(client):
    awarded_call(secret="Tulip-7")
    draft = CallFactory(state=Call.State.DRAFT, title="Draft call Tulip-7")
    open_call = CallFactory(title="Open call")
    ApplicationFactory(call=open_call, state="submitted", title="Pending project Tulip-7")
    ApplicationFactory(call=draft, state="draft")
    text = b"".join(
        client.get(reverse(name)).content for name in ("opendata_grants_360giving", "opendata_grants_ocds")
    ).decode()
    assert "Tulip-7" in text  # the winner's project description is public ...
    assert "Report text" not in text and "Receipts missing" not in text  # ... report texts are not
    assert "Pending project" not in text and "Draft call" not in text
    assert "Secretname" not in text and "@" not in text
    ocds = json.loads(client.get(reverse("opendata_grants_ocds")).content)
    pending = next(r for r in ocds["releases"] if r["tender"]["title"] == "Open call")
    assert pending["tag"] == ["tender"] and pending["tender"]["status"] == "active"
    assert "numberOfTenderers" not in pending["tender"] and "tenderers" not in pending["tender"]
    assert ocds_errors(ocds) == []


def test_a_call_awarded_to_nobody_is_unsuccessful(client):
    call = CallFactory(closed=True, state=Call.State.AWARDED)
    ApplicationFactory(call=call, state="not_awarded")
    AwardDecision.objects.create(
        call=call,
        reasons="No project reached the threshold.",
        decided_by=UserFactory(),
        published_at=timezone.now(),
    )
    response, ocds = served(client, "opendata_grants_ocds")
    assert [r["tender"]["status"] for r in ocds["releases"]] == ["unsuccessful"]
    assert ocds_errors(ocds) == []
    assert client.get(reverse("opendata_grants_360giving")).status_code == 404


def test_nothing_published_yet_is_a_clear_404(client):
    CallFactory(state=Call.State.DRAFT)
    for name in ("opendata_grants_360giving", "opendata_grants_ocds"):
        response = client.get(reverse(name))
        assert response.status_code == 404
        assert json.loads(response.content)["detail"]


def test_the_files_take_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    awarded_call()
    with django_assert_max_num_queries(7):
        client.get(reverse("opendata_grants_ocds"))
    for index in range(3):
        awarded_call(with_lots=False, body_bin=f"99000000000{index}")
        CallFactory()
    with django_assert_max_num_queries(7):
        response = client.get(reverse("opendata_grants_ocds"))
    assert len(json.loads(response.content)["releases"]) == 7
    with django_assert_max_num_queries(7):
        response = client.get(reverse("opendata_grants_360giving"))
    assert len(json.loads(response.content)["grants"]) == 4


def test_the_files_are_cacheable_and_answer_304_when_unchanged(client):
    awarded_call()
    for name in ("opendata_grants_360giving", "opendata_grants_ocds"):
        response = client.get(reverse(name))
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert response["Content-Type"].startswith("application/json")
        assert response["Access-Control-Allow-Origin"] == "*"
        again = client.get(reverse(name), headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304
        since = client.get(reverse(name), headers={"if-modified-since": response["Last-Modified"]})
        assert since.status_code == 304
    before = client.get(reverse("opendata_grants_ocds"))
    Award.objects.update(amount=Decimal("900000"))
    after = client.get(reverse("opendata_grants_ocds"), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]


def test_the_files_live_at_one_address_without_a_language_prefix(client):
    assert reverse("opendata_grants_360giving") == "/open-data/grants.360giving.json"
    assert reverse("opendata_grants_ocds") == "/open-data/grants.ocds.json"
    assert client.post(reverse("opendata_grants_ocds")).status_code == 405


def test_the_file_is_the_same_whatever_the_reader_s_language(client):
    awarded_call()
    english = client.get(reverse("opendata_grants_ocds"), headers={"accept-language": "en"})
    russian = client.get(reverse("opendata_grants_ocds"), headers={"accept-language": "ru"})
    assert english.content == russian.content and english["ETag"] == russian["ETag"]
    [release] = json.loads(english.content)["releases"]
    assert release["tender"]["documents"][0]["url"].startswith("http://127.0.0.1:8000/")
    assert ocds_errors(json.loads(english.content)) == []
