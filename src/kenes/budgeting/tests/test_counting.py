import json
from fractions import Fraction

import pytest

from kenes.accounts.tests.factories import UserFactory
from kenes.budgeting import services
from kenes.budgeting.counting import build_election, jsonable
from kenes.budgeting.models import Proposal, ResultLine
from kenes.budgeting.tests.factories import ProcessFactory, ProposalFactory, cast


def _process(**kwargs):
    return ProcessFactory(phase="counting", **kwargs)


def _on_ballot(process, *costs):
    return [
        ProposalFactory(process=process, status=Proposal.Status.ON_BALLOT, estimated_cost=c, official_cost=c)
        for c in costs
    ]


def test_it_makes_engine_details_json_able():
    value = {"rho": Fraction(1, 3), "ids": ("1", "2"), 3: {Fraction(1, 2)}}
    assert jsonable(value) == {"rho": "1/3", "ids": ["1", "2"], "3": ["1/2"]}
    json.dumps(jsonable(value))


@pytest.mark.django_db
def test_it_builds_the_election_with_official_costs_and_meta():
    process = _process(budget=1000, title="Budget; with a semicolon")
    a, b = _on_ballot(process, 300, 500)
    ProposalFactory(process=process, status=Proposal.Status.REJECTED)
    a.official_cost = 350
    a.save()
    cast(process, UserFactory(), [a, b])
    election = build_election(process)
    assert set(election.projects) == {str(a.pk), str(b.pk)}
    assert election.projects[str(a.pk)].cost == 350
    assert election.meta["budget"] == "1000" and election.meta["vote_type"] == "approval"
    assert election.meta["num_votes"] == "1" and election.meta["currency"] == "KZT"
    assert election.votes[0].projects == (str(a.pk), str(b.pk))


@pytest.mark.django_db
def test_it_stores_an_explanation_per_project():
    process = _process(budget=1000, rule="mes_cost")
    a, b, c = _on_ballot(process, 500, 600, 400)
    for choices in ([a, c], [a], [b], [a, c]):
        cast(process, UserFactory(), choices)
    services.process_count(actor=UserFactory(is_staff=True), process=process)
    lines = ResultLine.objects.filter(result__process=process)
    assert lines.count() == 3
    for line in lines:
        json.dumps(line.explanation)
        assert line.reason
        assert line.funded == (line.reason == "funded")


@pytest.mark.django_db
def test_it_counts_cumulative_ballots_with_points():
    from kenes.engines.pb import solve

    process = _process(budget=500, ballot_type="cumulative", rule="greedy", max_points=10)
    a, b = _on_ballot(process, 400, 300)
    cast(process, UserFactory(), {a.pk: 2, b.pk: 8})
    cast(process, UserFactory(), {a.pk: 3})
    election = build_election(process)
    assert sorted(v.points for v in election.votes) == [(2, 8), (3,)]
    result = services.process_count(actor=UserFactory(is_staff=True), process=process)
    assert result.details["selected"] == list(solve(election, "greedy").selected) == [str(b.pk)]


@pytest.mark.django_db
def test_it_counts_ordinal_ballots_best_first():
    from kenes.engines.pb import solve

    process = _process(budget=500, ballot_type="ordinal", rule="greedy")
    a, b, c = _on_ballot(process, 200, 200, 200)
    cast(process, UserFactory(), [c, a, b])
    election = build_election(process)
    assert election.votes[0].projects == (str(c.pk), str(a.pk), str(b.pk))
    result = services.process_count(actor=UserFactory(is_staff=True), process=process)
    assert result.details["selected"] == list(solve(election, "greedy").selected)
