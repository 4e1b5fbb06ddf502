"""The sample grant call: finished through the grants services (one NGO ruled ineligible with the
reason, three experts, an award, a contract whose first milestone is accepted after a returned
report), consistent with its audit log, served as valid open data, and made only once."""

import json

import pytest
from django.urls import reverse

from kenes.audit.models import Event
from kenes.audit.services import audit_verify
from kenes.demo.grants import CALL_TITLE, INELIGIBLE_EN, INELIGIBLE_REASON, WINNER_EN, demo_grants_ensure
from kenes.demo.services import demo_admin_ensure, demo_organizations_ensure
from kenes.grants.models import Application, Call, ContractMilestone, ExpertAssignment, Report
from kenes.grants.tests.schemas import giving_errors, ocds_errors
from kenes.territories.services import default_source_dir, territories_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(settings, tmp_path):
    settings.KENES_DATA_DIR = tmp_path / "absent"  # the bundled extract, as in a clone
    settings.MEDIA_ROOT = tmp_path / "media"
    admin, _password = demo_admin_ensure()
    territories_load(actor=None, source_dir=default_source_dir()[0])
    demo_organizations_ensure(actor=admin)
    return admin


@pytest.fixture
def call(admin):
    assert demo_grants_ensure(admin=admin) == 1
    return Call.objects.get(is_sample=True, title=CALL_TITLE)


def test_the_sample_call_is_finished_with_reasons_scores_and_an_award(call):
    assert call.state == Call.State.AWARDED and call.programme.is_sample
    applications = {a.organization.name_en: a for a in call.applications.select_related("organization")}
    assert {a.state for a in applications.values()} == {"awarded", "not_awarded", "ineligible"}
    assert all(a.is_sample for a in applications.values())
    assert applications[INELIGIBLE_EN].ineligibility_reason == INELIGIBLE_REASON
    winner = applications[WINNER_EN]
    assert (winner.state, winner.rank) == ("awarded", 1) and winner.award.amount == winner.requested_amount
    assert ExpertAssignment.objects.filter(call=call, declared_at__isnull=False).count() == 3
    assert all(a.score is not None for a in applications.values() if a.state != "ineligible")
    assert call.decision.reasons


def test_the_winner_reported_and_the_akimat_accepted_the_first_milestone(call):
    contract = Application.objects.get(call=call, state="awarded").contract
    first, second = ContractMilestone.objects.filter(contract=contract).order_by("position")
    assert first.accepted_at is not None and second.accepted_at is None
    states = sorted(Report.objects.filter(milestone=first).values_list("kind", "state"))
    assert states == [("financial", "accepted"), ("financial", "returned"), ("narrative", "accepted")]
    assert Report.objects.get(milestone=first, state="returned").return_reason


def test_every_step_left_an_audit_event_and_the_chain_holds(call):
    events = set(Event.objects.filter(action__startswith="grants.").values_list("action", flat=True))
    assert {
        "grants.call.published",
        "grants.application.submitted",
        "grants.application.eligibility_ruled",
        "grants.sheet.submitted",
        "grants.call.ranked",
        "grants.call.awarded",
        "grants.contract.signed",
        "grants.report.returned",
        "grants.report.accepted",
    } <= events
    assert audit_verify().ok


def test_the_sample_is_served_as_valid_open_data(call, client):
    giving = json.loads(client.get(reverse("opendata_grants_360giving")).content)
    ocds = json.loads(client.get(reverse("opendata_grants_ocds")).content)
    assert giving_errors(giving) == [] and ocds_errors(ocds) == []
    [grant] = giving["grants"]
    assert grant["recipientOrganization"][0]["name"] == WINNER_EN
    [release] = ocds["releases"]
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    assert release["tender"]["numberOfTenderers"] == 3


def test_a_second_run_adds_nothing(call, admin):
    counts = (Call.objects.count(), Application.objects.count(), Report.objects.count())
    assert demo_grants_ensure(admin=admin) == 0
    assert (Call.objects.count(), Application.objects.count(), Report.objects.count()) == counts
