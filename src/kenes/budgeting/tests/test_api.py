"""The budgeting API: paginated processes, one process with proposals, published results, casting a
ballot with a session or a personal token (422 with the service's reasons), the Pabulib export."""

import pytest
from django.utils import timezone

from kenes.accounts.services import api_token_create
from kenes.budgeting import services
from kenes.budgeting.models import Ballot, Process, Proposal
from kenes.budgeting.tests.factories import ProcessFactory, ProposalFactory, cast

pytestmark = pytest.mark.django_db
BASE = "/api/v1/budgeting"


def on_ballot(process, n=1, cost=300):
    return [
        ProposalFactory(process=process, status=Proposal.Status.ON_BALLOT, official_cost=cost)
        for _ in range(n)
    ]


@pytest.fixture
def voting(body):
    return ProcessFactory(phase="voting", organization=body, budget=1000)


def test_it_lists_processes_paginated_in_a_fixed_number_of_queries(
    client, body, django_assert_max_num_queries
):
    ProcessFactory.create_batch(3, organization=body, phase="voting")
    ProcessFactory(organization=body, phase="proposals")
    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/processes", {"per_page": 2, "phase": "voting"})
    body_json = response.json()
    assert response.status_code == 200
    assert body_json["count"] == 3 and body_json["pages"] == 2 and len(body_json["items"]) == 2
    assert body_json["items"][0]["phase"] == "voting"
    ProcessFactory.create_batch(10, organization=body, phase="voting")
    with django_assert_max_num_queries(3):
        client.get(f"{BASE}/processes", {"per_page": 100})


def test_it_filters_by_territory_code(client, body, elsewhere):
    ProcessFactory(organization=body)
    ProcessFactory(territory=elsewhere)
    items = client.get(f"{BASE}/processes", {"territory": body.territory.code}).json()["items"]
    assert [item["territory"]["id"] for item in items] == [body.territory.pk]
    assert client.get(f"{BASE}/processes", {"territory": "000"}).status_code == 404


def test_it_shows_a_process_with_its_proposals(client, voting):
    project = on_ballot(voting, cost=420)[0]
    ProposalFactory(process=voting, is_hidden=True)
    data = client.get(f"{BASE}/processes/{voting.pk}").json()
    assert data["budget"] == 1000 and data["ballot_type"] == "approval"
    assert [(p["id"], p["cost"], p["status"]) for p in data["proposals"]] == [(project.pk, 420, "on_ballot")]
    assert client.get(f"{BASE}/processes/999").status_code == 404


def test_it_casts_a_ballot_with_the_session(client, voting, make_voter):
    a, b = on_ballot(voting, n=2)
    voter = make_voter(email="v@example.org")
    client.force_login(voter)
    response = client.post(
        f"{BASE}/processes/{voting.pk}/ballot", {"projects": [a.pk]}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["choices"] == 1
    client.post(f"{BASE}/processes/{voting.pk}/ballot", {"projects": [b.pk]}, content_type="application/json")
    assert [c.proposal_id for c in Ballot.objects.get(voter=voter).choices.all()] == [b.pk]


def test_it_casts_a_ballot_with_a_token(client, voting, make_voter):
    a = on_ballot(voting)[0]
    voter = make_voter(email="t@example.org")
    _token, key = api_token_create(actor=voter, name="cli", expires_in_days=30)
    response = client.post(
        f"{BASE}/processes/{voting.pk}/ballot",
        {"projects": [a.pk]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201
    assert Ballot.objects.filter(voter=voter).exists()


def test_it_refuses_anonymous_ballots(client, voting):
    a = on_ballot(voting)[0]
    response = client.post(
        f"{BASE}/processes/{voting.pk}/ballot", {"projects": [a.pk]}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not Ballot.objects.exists()


def test_it_answers_422_with_the_reasons(client, voting, make_voter, elsewhere):
    a, b, c = on_ballot(voting, n=3, cost=400)
    client.force_login(make_voter(email="v@example.org"))
    url = f"{BASE}/processes/{voting.pk}/ballot"
    response = client.post(url, {"projects": [a.pk, b.pk, c.pk]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    response = client.post(url, {"points": {str(a.pk): 3}}, content_type="application/json")
    assert response.status_code == 422 and "projects" in str(response.json()["error"]["details"])
    voting.residents_only = True
    voting.save()
    client.force_login(make_voter(email="far@example.org", home_territory=elsewhere))
    response = client.post(url, {"projects": [a.pk]}, content_type="application/json")
    assert response.status_code == 422 and "Only residents" in str(response.json()["error"]["details"])
    assert not Ballot.objects.exists()


def test_results_and_pabulib_are_404_until_published(client, body, make_voter, official):
    process = ProcessFactory(phase="counting", organization=body, budget=1000, rule=Process.Rule.GREEDY)
    a, b = on_ballot(process, n=2, cost=600)
    cast(process, make_voter(email="1@example.org"), [a])
    cast(process, make_voter(email="2@example.org"), [a, b])
    assert client.get(f"{BASE}/processes/{process.pk}/results").status_code == 404
    assert client.get(f"{BASE}/processes/{process.pk}/pabulib").status_code == 404
    services.process_count(actor=official, process=process)
    Process.objects.filter(pk=process.pk).update(results_published_at=timezone.now())
    data = client.get(f"{BASE}/processes/{process.pk}/results").json()
    assert [line["proposal"] for line in data["funded"]] == [a.pk]
    assert data["others"][0]["reason"] == "over_budget" and data["ballots_counted"] == 2
    response = client.get(f"{BASE}/processes/{process.pk}/pabulib")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "VOTES" in response.content.decode()
