"""Sequential Phragmén on hand-computed instances (pabutools' semantics: stop at the first project that does
not fit) and on real elections. No Django."""

from fractions import Fraction
from pathlib import Path

import pytest

from kenes.engines import pb

FIXTURES = Path(__file__).parent / "data" / "pb"
SHARED = Path(__file__).parents[4].parent / "shared" / "data" / "pb"


def test_it_buys_the_project_of_smallest_new_load_and_stops_at_the_first_that_does_not_fit():
    # approval_small.pb, budget 10. Round 1 new loads: a 6/4, b 5/3, c 4/3, d 1/1, e ∞ → d (v5 at 1).
    # Round 2: a 6/4, b 5/3, c (1 + 4)/3 = 5/3 → a (v1 v2 v3 v6 at 3/2), 7 spent.
    # Round 3: b (3/2 + 3/2 + 5)/3 = 8/3, c (3/2 + 1 + 4)/3 = 13/6 → c, but 7 + 4 > 10: stop.
    # e (cost 3) would still fit, yet the rule stops, as pabutools' sequential_phragmen does.
    outcome = pb.solve(pb.load(FIXTURES / "approval_small.pb"), "phragmen")
    assert outcome.selected == ("d", "a")
    assert outcome.total_cost == 7
    assert outcome.explanations["d"].details["load"] == "1"
    assert outcome.explanations["a"].details["load"] == "3/2"
    assert outcome.explanations["c"].reason == "over_budget"
    assert outcome.explanations["c"].details["load"] == "13/6"
    assert outcome.explanations["c"].details["budget_left"] == 3
    assert outcome.explanations["b"].reason == "not_reached"
    assert outcome.explanations["e"].reason == "not_reached"
    assert outcome.details["max_load"] == "3/2"


def election(budget: int, costs: dict[str, int], ballots: list[str]) -> pb.Election:
    projects = "".join(f"{pid};{cost}\n" for pid, cost in costs.items())
    votes = "".join(f"{i};{ballot}\n" for i, ballot in enumerate(ballots))
    return pb.loads(
        f"META\nkey;value\nbudget;{budget}\nvote_type;approval\nPROJECTS\nproject_id;cost\n{projects}"
        f"VOTES\nvoter_id;vote\n{votes}"
    )


def test_it_breaks_equal_loads_by_project_id():
    # x and w both reach load 1 first: w (id first) is bought, then x at (0 + 2)/2 = 1 — a tie again,
    # now between x and y (2/2): x by id.
    outcome = pb.solve(election(100, {"x": 2, "w": 2, "y": 2}, ["x,w", "x,w", "y", "y"]), "phragmen")
    assert outcome.selected == ("w", "y", "x")
    assert outcome.explanations["x"].details["load"] == "2"


def test_it_skips_projects_dearer_than_the_whole_budget_and_funds_unsupported_ones_last():
    # big can never be bought so it is not considered; z (nobody) comes last, once everything else is bought.
    outcome = pb.solve(election(10, {"big": 11, "a": 3, "z": 1}, ["big,a", "a"]), "phragmen")
    assert outcome.selected == ("a", "z")
    assert outcome.explanations["big"].reason == "over_budget"
    assert outcome.explanations["z"].details["load"] == "inf"


def test_it_keeps_loads_exact_over_many_rounds():
    # a: 1/3 (all three voters); b and c tie at (1/3 + 1/3 + 1)/2 = 5/6, b by id (v0 v1 at 5/6);
    # c: (5/6 + 1/3 + 1)/2 = 13/12.
    outcome = pb.solve(election(100, {"a": 1, "b": 1, "c": 1}, ["a,b", "a,b,c", "a,c"]), "phragmen")
    assert outcome.selected == ("a", "b", "c")
    loads = [Fraction(str(outcome.explanations[pid].details["load"])) for pid in outcome.selected]
    assert loads == [Fraction(1, 3), Fraction(5, 6), Fraction(13, 12)]


@pytest.mark.parametrize(
    "name",
    ["France_Toulouse_2022.pb", "Poland_Warszawa_2020_Wawer.pb", "Poland_Wieliczka_2023_Green_Budget.pb"],
)
def test_it_stays_within_the_budget_on_real_elections(name):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (real Pabulib data lives in ../shared/data/pb)")
    real = pb.load(path)
    outcome = pb.solve(real, "phragmen")
    assert outcome.total_cost == sum(real.projects[pid].cost for pid in outcome.selected) <= real.budget
    stops = [e for e in outcome.explanations.values() if e.reason == "over_budget" and e.project_id]
    assert all(real.projects[e.project_id].cost > outcome.budget - outcome.total_cost for e in stops)
