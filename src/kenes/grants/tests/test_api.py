"""The read-only grants API: public calls, results once awarded, awards and accepted reports."""

from decimal import Decimal

import pytest

from kenes.grants import services
from kenes.grants.models import Call

from .conftest import contracted
from .factories import CallFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/grants"


def test_the_call_list_is_public_and_hides_drafts(client, world, django_assert_max_num_queries):
    CallFactory(programme=world.call.programme, title="Draft call", state=Call.State.DRAFT)
    for _ in range(4):
        CallFactory(programme=world.call.programme)
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/calls").json()
    titles = [item["title"] for item in body["items"]]
    assert world.call.title in titles and "Draft call" not in titles
    assert body["count"] == 5


def test_a_draft_call_is_404_in_the_api(client, world):
    draft = CallFactory(programme=world.call.programme, state=Call.State.DRAFT)
    response = client.get(f"{API}/calls/{draft.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_results_are_published_with_the_award_only(client, world):
    before = client.get(f"{API}/calls/{world.call.pk}").json()
    assert before["results"] == [] and before["decision_reasons"] is None
    assert [c["name"] for c in before["criteria"]] == ["Relevance", "Budget"]
    winner, contract = contracted(world)
    after = client.get(f"{API}/calls/{world.call.pk}").json()
    assert after["decision_reasons"] == "The commission funds the project with the best score."
    first = after["results"][0]
    assert (
        first["application"] == winner.pk and first["rank"] == 1 and first["amount_awarded"] == "1000000.00"
    )
    assert set(first["criterion_scores"].values()) == {"9.00"}


def test_awards_and_accepted_reports_are_listed(client, world, django_assert_max_num_queries):
    winner, contract = contracted(world)
    milestone = contract.milestones.get()
    trained = world.call.programme.indicators.create(name="Trained", unit="persons", target=40)
    report = services.report_submit(
        actor=world.officers[2],
        milestone=milestone,
        kind="narrative",
        text="Forty trained.",
        values={trained.pk: Decimal(40)},
    )
    assert client.get(f"{API}/reports").json()["count"] == 0
    services.report_accept(actor=world.official, report=report)
    with django_assert_max_num_queries(6):
        reports = client.get(f"{API}/reports").json()
    assert reports["items"][0]["values"] == [{"indicator": "Trained", "unit": "persons", "value": "40.00"}]
    with django_assert_max_num_queries(6):
        awards = client.get(f"{API}/awards").json()
    assert awards["items"][0]["recipient"]["id"] == winner.organization_id


@pytest.mark.parametrize(
    "path", ["/calls?per_page=-1", "/calls?page=<x>", "/calls/999999", "/awards?per_page=1000000000"]
)
def test_hostile_parameters_never_give_a_server_error(client, world, path):
    assert client.get(f"{API}{path}").status_code in (200, 404, 422)
