"""Greedy rules on hand-computed instances and on real elections whose official rule was greedy. No Django.

approval_small.pb (budget 10): a costs 6 (4 supporters), b 5 (3), c 4 (3), d 1 (1), e 3 (0).
cumulative_small.pb (budget 10): points x 3, y 4, z 5; costs 4, 6, 5; two ballots name each project.
ordinal_small.pb (budget 10): costs p 5, q 5, r 4; ballots p>q>r, q>p, r>q, r.
"""

from pathlib import Path

import pytest

from kenes.engines import pb
from kenes.engines.pb import greedy, profile

FIXTURES = Path(__file__).parent / "data" / "pb"
SHARED = Path(__file__).parents[4].parent / "shared" / "data" / "pb"


def fixture(name: str) -> pb.Election:
    return pb.load(FIXTURES / name)


def shared(name: str) -> pb.Election:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (real Pabulib data lives in ../shared/data/pb)")
    return pb.load(path)


def test_it_funds_the_most_supported_projects_that_fit_and_skips_the_others():
    # By supporters: a(4) fits, 4 left; b(3, cost 5) skipped; c(3, cost 4) fits, 0 left; d, e skipped.
    outcome = pb.solve(fixture("approval_small.pb"), "greedy")
    assert outcome.selected == ("a", "c")
    assert outcome.total_cost == 10
    assert outcome.explanations["b"].reason == "over_budget"
    assert outcome.explanations["b"].details["budget_left"] == 4
    assert outcome.explanations["c"].details == {
        "rank": 3,
        "score": "3",
        "satisfaction": 12,
        "supporters": 3,
        "cost": 4,
        "budget_left": 4,
    }


def test_it_breaks_a_tie_in_supporters_by_project_id_not_by_cost():
    # b and c both have 3 supporters: b (id first) is considered before the cheaper c.
    assert pb.solve(fixture("approval_small.pb"), "greedy").details["order"] == ["a", "b", "c", "d", "e"]


def test_it_ranks_by_supporters_per_cost_for_greedy_cost_ratio():
    # d 1/1, c 3/4, a 4/6, b 3/5, e 0: d (9 left), c (5 left), a skipped, b (0 left), e skipped.
    outcome = pb.solve(fixture("approval_small.pb"), "greedy_cost_ratio")
    assert outcome.selected == ("d", "c", "b")
    assert outcome.explanations["a"].reason == "over_budget"
    assert outcome.details["satisfaction"] == "Cardinality_Sat"


def test_it_uses_points_per_cost_for_cumulative_ballots():
    # z 5/5, x 3/4, y 4/6: z (5 left), x (1 left), y skipped.
    outcome = pb.solve(fixture("cumulative_small.pb"), "greedy")
    assert outcome.selected == ("z", "x")
    assert outcome.details["satisfaction"] == "Additive_Cardinal_Sat"
    # By ballots per cost: x 2/4, z 2/5, y 2/6.
    assert pb.solve(fixture("cumulative_small.pb"), "greedy_cost_ratio").selected == ("x", "z")


def test_it_uses_pabutools_borda_score_for_ordinal_ballots():
    # Borda len - position - 1: p 2+0, q 1+1+0, r 0+1+0; per cost p 2/5 = q 2/5 (p by id), r 1/4.
    outcome = pb.solve(fixture("ordinal_small.pb"), "greedy")
    assert outcome.selected == ("p", "q")
    assert outcome.explanations["r"].reason == "over_budget"
    # Ballots per cost: r 3/4, q 3/5, p 2/5: r (6 left), q (1 left), p skipped.
    assert pb.solve(fixture("ordinal_small.pb"), "greedy_cost_ratio").selected == ("r", "q")


def test_it_compares_densities_exactly_where_floats_would_tie():
    # a: 1 point / cost 3; b: 33333333333333334 points / cost 10**17, i.e. 1/3 + 1/(3 * 10**17).
    # As floats both densities are the same double, so a float sort would fall back to the id (a first).
    text = (
        "META\nkey;value\nbudget;1000000000000000003\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n"
        "a;3\nb;100000000000000000\nVOTES\nvoter_id;vote;points\n1;a;1\n2;b;33333333333333334\n"
    )
    assert 1 / 3 == 33333333333333334 / 10**17
    outcome = pb.solve(pb.loads(text), "greedy")
    assert outcome.details["order"] == ["b", "a"]


def test_it_completes_a_partial_outcome_in_greedy_order():
    matrix = profile.build(fixture("approval_small.pb"))
    assert [matrix.project_ids[j] for j in greedy.complete(matrix, [1])] == ["c", "d"]


def test_it_refuses_unknown_rules_and_rules_undefined_for_the_vote_type():
    with pytest.raises(ValueError, match="unknown rule 'best'; valid rules: greedy, greedy_cost_ratio"):
        pb.solve(fixture("approval_small.pb"), "best")
    with pytest.raises(ValueError, match="'phragmen' is defined for approval ballots, not for ordinal"):
        pb.solve(fixture("ordinal_small.pb"), "phragmen")
    with pytest.raises(ValueError, match="'mes_cost' is defined for approval ballots, not for cumulative"):
        pb.solve(fixture("cumulative_small.pb"), "mes_cost")


@pytest.mark.parametrize(
    "name", ["Poland_Warszawa_2020_Wawer.pb", "Poland_Lodz_2022.pb", "Poland_Lodz_2023.pb"]
)
def test_it_reproduces_the_official_outcome_of_a_greedy_election(name):
    # Wawer's official rule is greedy; Łódź's "greedy-threshold" excluded no project that greedy would fund.
    election = shared(name)
    outcome = pb.solve(election, "greedy")
    official = {pid for pid, project in election.projects.items() if project.fields["selected"] == "1"}
    assert set(outcome.selected) == official
    assert outcome.total_cost <= election.budget


@pytest.mark.parametrize(
    "name",
    [
        "France_Toulouse_2022.pb",
        "Poland_Katowice_2023.pb",
        "Poland_Krakow_2024.pb",
        "Hungary_Budapest_2024.pb",
    ],
)
@pytest.mark.parametrize("rule", ["greedy", "greedy_cost_ratio"])
def test_it_never_exceeds_the_budget_and_is_exhaustive_on_real_elections(name, rule):
    election = shared(name)
    outcome = pb.solve(election, rule)
    assert (
        outcome.total_cost == sum(election.projects[pid].cost for pid in outcome.selected) <= election.budget
    )
    left = election.budget - outcome.total_cost
    assert all(p.cost > left for pid, p in election.projects.items() if pid not in outcome.selected)
    assert len(outcome.explanations) == len(election.projects)
