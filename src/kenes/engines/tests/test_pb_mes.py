"""Method of Equal Shares: hand-computed instances, defining properties, exact vs float, Wieliczka 2023."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kenes.engines.pb import mes, profile, sweep
from kenes.engines.pb.model import Election, Project, Vote

SHARED = Path(__file__).parents[4].parent / "shared" / "data" / "pb"
WIELICZKA = SHARED / "Poland_Wieliczka_2023_Green_Budget.pb"


def election(budget: int, costs: dict[str, int], ballots: list[str], vote_type: str = "approval") -> Election:
    """``ballots``: one string of approved project ids per voter, e.g. ``"ab"``."""
    projects = {
        pid: Project(pid, cost, {"project_id": pid, "cost": str(cost)}) for pid, cost in costs.items()
    }
    votes = [
        Vote(str(i), tuple(ballot), None if vote_type == "approval" else tuple(1 for _ in ballot))
        for i, ballot in enumerate(ballots)
    ]
    meta = {"budget": str(budget), "vote_type": vote_type, "num_votes": str(len(ballots))}
    return Election(meta, projects, votes, ["project_id", "cost"], ["voter_id", "vote"])


def test_it_funds_the_cheapest_per_supporter_then_stops_when_nothing_is_affordable() -> None:
    """Budget 300, 3 voters with 100 each. a (cost 200) by voters 0,1,2; b (cost 120) by 0,1; c (cost 90)
    by 2. Round 1 (cost utility, rho = payment / cost): a: 200/3 each -> rho 1/3; b: 60 each -> 1/2; c:
    90 alone -> 1. a is funded, everybody keeps 100/3. Then b needs 120 from 200/3 -> unaffordable; c
    needs 90 from 100/3 -> unaffordable. Outcome: (a,)."""
    outcome = mes.mes_cost(election(300, {"a": 200, "b": 120, "c": 90}, ["ab", "ab", "ac"]))
    assert outcome.selected == ("a",)
    assert outcome.explanations["a"].details["rho"] == "1/3"
    assert outcome.explanations["a"].details["supporters_money"] == "300"
    assert outcome.explanations["b"].reason == "insufficient_support"
    assert outcome.explanations["b"].details["supporters_money"] == "200/3"


def test_it_prices_projects_per_unit_of_utility_so_card_and_cost_differ() -> None:
    """Budget 100, 4 voters with 25 each. x (cost 60) by all four; y (cost 20) by voter 0; z (cost 20) by
    voter 1. Cost utility: x: 15 each -> rho 1/4; y, z: 20 alone -> rho 1. x funded (voters keep 10), y
    and z then need 20 from 10 -> unaffordable: (x,). Cardinality utility: x: 15 per approval, y: 20, z:
    20 -> x first again, same outcome. With x at 90 instead: cost rho 1/4 still, card rho 22.5 > 20 -> y
    then z (tie broken by id: y first); then x needs 90 from 25+25+5+5 = 60 -> unaffordable: (y, z)."""
    assert mes.mes_cost(election(100, {"x": 60, "y": 20, "z": 20}, ["xy", "xz", "x", "x"])).selected == ("x",)
    assert mes.mes_card(election(100, {"x": 60, "y": 20, "z": 20}, ["xy", "xz", "x", "x"])).selected == ("x",)
    assert mes.mes_card(election(100, {"x": 90, "y": 20, "z": 20}, ["xy", "xz", "x", "x"])).selected == (
        "y",
        "z",
    )
    assert mes.mes_cost(election(100, {"x": 90, "y": 20, "z": 20}, ["xy", "xz", "x", "x"])).selected == ("x",)


def test_it_charges_every_supporter_the_same_price_when_all_can_pay() -> None:
    """Budget 40, 4 voters with 10 each. q (cost 24) by all four: 6 each, rho 6/24 = 1/4; p (cost 9) by
    voter 0 alone: rho 1. q is funded, everyone keeps 4; p then needs 9 from 4: unaffordable. Outcome
    (q,), payment 6."""
    outcome = mes.mes_cost(election(40, {"p": 9, "q": 24}, ["pq", "q", "q", "q"]))
    assert outcome.selected == ("q",)
    assert outcome.explanations["q"].details["payment"] == "6"
    assert outcome.explanations["p"].details["supporters_money"] == "4"


def test_it_has_poor_voters_pay_everything_in_the_water_filling() -> None:
    """Budget 40, 4 voters with 10 each. e (cost 26) by voters 0,1,2: 26/3 each, rho 1/3; f (cost 6) by
    voters 0 and 3: 3 each, rho 1/2. e first; voters 0..2 keep 4/3. f needs 6 from 4/3 + 10: voter 0
    cannot pay an equal 3, so voter 0 pays all 4/3 (poor) and voter 3 pays 14/3; rho = (14/3)/6 = 7/9.
    Outcome (e, f)."""
    outcome = mes.mes_cost(election(40, {"e": 26, "f": 6}, ["ef", "e", "e", "f"]))
    assert outcome.selected == ("e", "f")
    assert outcome.explanations["f"].details["rho"] == "7/9"
    assert outcome.explanations["f"].details["payment"] == "14/3"
    assert outcome.explanations["f"].details["poor_supporters"] == 1


def test_it_breaks_exact_ties_by_project_id_for_plain_mes_and_by_cost_then_votes_for_add1() -> None:
    """Budget 20, 2 voters with 10 each; b (cost 10) by voter 0, a (cost 10) by voter 1: both rho 1 -> tie,
    lexicographic: a then b. Both fit: (a, b)."""
    outcome = mes.mes_cost(election(20, {"b": 10, "a": 10}, ["b", "a"]))
    assert outcome.selected == ("a", "b")


def test_it_rejects_non_approval_ballots() -> None:
    cumulative = election(10, {"a": 5}, ["a"], vote_type="cumulative")
    for rule in (mes.mes_cost, mes.mes_card, mes.mes_cost_add1, mes.mes_cost_add1_greedy):
        with pytest.raises(ValueError, match="approval"):
            rule(cumulative)


def test_it_adds_one_unit_per_voter_while_the_outcome_fits() -> None:
    """Budget 100, 2 voters (50 each). a (cost 60) by both; b (cost 45) by voter 0; c (cost 40) by voter 1.
    b = 50: a: 30 each, rho 1/2; b: 45 alone rho 1; c rho 1 -> a; keep 20 each; b, c unaffordable: (a,),
    60. b = 51..: a still first (rho 1/2), keep b - 30; c needs 40: b - 30 >= 40 at b = 70 -> (a, c)
    costs 100 fits; b at 75: b - 30 >= 45 -> b also affordable -> (a, c, b)? cost 145 > 100: stop. The
    last that fits is the run at b = 74 (a, c)."""
    outcome = mes.mes_cost_add1(election(100, {"a": 60, "b": 45, "c": 40}, ["ab", "ac"]))
    assert set(outcome.selected) == {"a", "c"}
    assert outcome.details["voter_budget"] == "74"
    assert outcome.details["increments"] == 24
    completed = mes.mes_cost_add1_greedy(election(100, {"a": 60, "b": 45, "c": 40}, ["ab", "ac"]))
    assert set(completed.selected) == {"a", "c"}
    assert completed.explanations["b"].selected is False


def test_it_searches_instead_of_sweeping_when_too_many_budgets_are_needed() -> None:
    """The example above needs 24 increments; the sweep's first range is guessed at 2 x (100 - 60) / 2 + 16
    = 56 budgets. Within ``SWEEP_BUDGETS`` it sweeps; below it the search proves ranges instead (the sweep
    keeps a row of money per budget), with the same result."""
    e = election(100, {"a": 60, "b": 45, "c": 40}, ["ab", "ac"])
    with patch.object(mes, "SWEEP_BUDGETS", 56):
        swept = mes.mes_cost_add1(e)
    with patch.object(mes, "SWEEP_BUDGETS", 55):
        searched = mes.mes_cost_add1(e)
    assert swept.details["swept"] == 56 and "replays" not in swept.details
    assert "replays" in searched.details and "swept" not in searched.details
    assert swept.details["increments"] == searched.details["increments"] == 24
    assert swept.selected == searched.selected


def test_it_searches_instead_of_sweeping_when_the_money_would_not_fit() -> None:
    """The sweep holds a cell of money per budget and class: beyond ``sweep.MAX_CELLS`` it gives up and the
    search finds the same last budget (56 budgets need more than 100 cells once a class splits)."""
    e = election(100, {"a": 60, "b": 45, "c": 40}, ["ab", "ac"])
    with patch.object(sweep, "MAX_CELLS", 100):
        outcome = mes.mes_cost_add1(e)
    assert "replays" in outcome.details and "swept" not in outcome.details
    assert outcome.details["increments"] == 24 and set(outcome.selected) == {"a", "c"}


def test_it_completes_add1_greedily_by_supporters() -> None:
    """Budget 100, 3 voters. a (cost 95) by voters 0,1; b (cost 10) by voter 2; c (cost 50) by voter 0.
    With 33 1/3 each only b is affordable: (b,). Adding one per voter, a stays unaffordable up to 47
    each (2 * 47 < 95) and c up to 49; at 48 a is affordable (rho 1/2) and funded: a + b = 105 > 100, so
    add1 keeps the run at 47: (b,). Greedy completion by supporters: a (2 supporters) does not fit in
    the 90 left, c (1) does: (b, c)."""
    outcome = mes.mes_cost_add1_greedy(election(100, {"a": 95, "b": 10, "c": 50}, ["ac", "a", "b"]))
    assert outcome.selected == ("b", "c")
    assert outcome.details["increments"] == 14
    assert outcome.explanations["c"].details["stage"] == "greedy_completion"
    assert outcome.explanations["a"].reason == "insufficient_support"


# -- properties on random instances ---------------------------------------------------------------------


@st.composite
def elections(draw: st.DrawFn) -> Election:
    n_projects = draw(st.integers(1, 6))
    costs = {f"p{j}": draw(st.integers(1, 60)) for j in range(n_projects)}
    ids = list(costs)
    ballots = draw(st.lists(st.lists(st.sampled_from(ids), unique=True), min_size=1, max_size=8))
    budget = draw(st.integers(1, 150))
    projects = {pid: Project(pid, cost, {}) for pid, cost in costs.items()}
    votes = [Vote(str(i), tuple(b)) for i, b in enumerate(ballots)]
    return Election({"budget": str(budget), "vote_type": "approval"}, projects, votes, [], [])


def _replay(e: Election, selected: tuple[str, ...], utility: str) -> tuple[list[Fraction], list[Fraction]]:
    """Re-run the payments of ``selected`` with plain Fractions; returns the money left and each rho."""
    money = [Fraction(e.budget_exact, e.voter_count)] * e.voter_count
    rhos = []
    for pid in selected:
        cost = e.projects[pid].cost
        voters = [i for i, v in enumerate(e.votes) if pid in v.projects]
        level = _level([money[i] for i in voters], Fraction(cost))
        paid = sum(min(money[i], level) for i in voters)
        assert paid == cost  # the supporters pay exactly the cost
        for i in voters:
            money[i] -= min(money[i], level)
            assert money[i] >= 0  # nobody pays more than they have
        rhos.append(level / (cost if utility == "cost" else 1))
    return money, rhos


def _level(money: list[Fraction], cost: Fraction) -> Fraction:
    ordered = sorted(money)
    for c, value in enumerate(ordered):
        level = (cost - sum(ordered[:c], Fraction(0))) / (len(ordered) - c)
        if level <= value:
            return level
    raise AssertionError("not affordable")


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(["cost", "card"]))
def test_it_satisfies_the_defining_properties_of_equal_shares(e: Election, utility: str) -> None:
    outcome = (mes.mes_cost if utility == "cost" else mes.mes_card)(e)
    assert outcome.total_cost <= e.budget
    assert outcome.total_cost == sum(e.projects[p].cost for p in outcome.selected)
    money, rhos = _replay(e, outcome.selected, utility)
    assert rhos == sorted(rhos)  # prices never go down from round to round
    for pid, project in e.projects.items():
        if pid not in outcome.selected:
            held = sum((money[i] for i, v in enumerate(e.votes) if pid in v.projects), Fraction(0))
            assert held < project.cost  # nothing left over is affordable


def _float_mes(e: Election, utility: str) -> tuple[tuple[str, ...], float]:
    """A naive float MES; returns the outcome and the smallest relative gap between the two best prices."""
    matrix = profile.build(e)
    money = np.full(matrix.n_voters, float(e.budget_exact) / matrix.n_voters)
    left = {j for j in range(matrix.n_projects) if matrix.approvals[j] > 0}
    chosen: list[str] = []
    gap = np.inf
    while True:
        prices = {}
        for j in sorted(left):
            held = money[matrix.supporters_of(j)]
            cost = float(matrix.costs[j])
            if held.sum() >= cost * (1 + 1e-12):
                level = _float_level(held, cost)
                prices[j] = level / (cost if utility == "cost" else 1.0)
            elif held.sum() >= cost * (1 - 1e-12):
                gap = 0.0  # a near-tie on affordability
        if not prices:
            return tuple(chosen), gap
        ranked = sorted(prices.values())
        if len(ranked) > 1:
            gap = min(gap, (ranked[1] - ranked[0]) / ranked[0])
        best = min(prices, key=lambda k: (prices[k], matrix.project_ids[k]))
        held = money[matrix.supporters_of(best)]
        level = prices[best] * (float(matrix.costs[best]) if utility == "cost" else 1.0)
        money[matrix.supporters_of(best)] = np.maximum(held - level, 0.0)
        chosen.append(matrix.project_ids[best])
        left.discard(best)


def _float_level(held: np.ndarray, cost: float) -> float:
    ordered = np.sort(held)
    for c in range(len(ordered)):
        level = (cost - ordered[:c].sum()) / (len(ordered) - c)
        if level <= ordered[c]:
            return float(level)
    return float(ordered[-1])


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(["cost", "card"]))
def test_it_agrees_with_a_float_implementation_without_near_ties(e: Election, utility: str) -> None:
    expected, gap = _float_mes(e, utility)
    if gap < 1e-9:
        return  # a (near-)tie: floats cannot be trusted there, the exact engine decides
    outcome = (mes.mes_cost if utility == "cost" else mes.mes_card)(e)
    assert outcome.selected == expected


@settings(max_examples=60, deadline=None)
@given(elections())
def test_it_keeps_add1_within_budget_and_at_least_as_rich_as_plain_mes(e: Election) -> None:
    plain = mes.mes_cost(e)
    add1 = mes.mes_cost_add1(e)
    completed = mes.mes_cost_add1_greedy(e)
    assert add1.total_cost <= e.budget
    assert completed.total_cost <= e.budget
    assert set(add1.selected) <= set(completed.selected)
    assert int(str(add1.details["increments"])) >= 0
    for pid, project in e.projects.items():  # greedy completion is exhaustive
        if pid not in completed.selected:
            assert completed.total_cost + project.cost > e.budget or not any(
                pid in v.projects for v in e.votes
            )
    assert plain.total_cost <= e.budget


@pytest.mark.skipif(not WIELICZKA.exists(), reason="shared Pabulib data (../shared/data/pb) not available")
def test_it_reproduces_the_official_outcome_of_wieliczka_2023() -> None:
    from kenes.engines.pb import io

    e = io.load(WIELICZKA)
    official = {pid for pid, p in e.projects.items() if p.fields.get("selected") == "1"}
    outcome = mes.mes_cost_add1(e)
    assert set(outcome.selected) == official
    assert outcome.total_cost <= e.budget


def _add1_one_unit_at_a_time(e: Election) -> tuple[int, set[str]]:
    """The cities' loop written plainly: one exact MES run per unit of per-voter budget."""
    matrix = profile.build(e)
    inst = mes._instance(matrix, "cost", "cost_then_votes")
    floor, everything = matrix.budget // matrix.n_voters, len(inst.candidates())
    result, t = mes._Run(inst, Fraction(matrix.budget_exact, matrix.n_voters)).run(), 0
    while len(result.selected) < everything or t == 0:
        run = mes._Run(inst, Fraction(floor + t + 1)).run()
        if sum(inst.costs[j] for j in run.selected) > matrix.budget:
            break
        result, t = run, t + 1
        if len(run.selected) == everything:
            break
    return t, {matrix.project_ids[j] for j in inst.free() + result.selected}


@st.composite
def larger_elections(draw: st.DrawFn) -> Election:
    """Up to 40 voters and larger numbers, so that add-one runs for many units and the replays skip."""
    n_projects = draw(st.integers(2, 9))
    costs = {f"p{j}": draw(st.integers(1, 400)) for j in range(n_projects)}
    ids = list(costs)
    ballots = draw(st.lists(st.lists(st.sampled_from(ids), unique=True), min_size=5, max_size=40))
    budget = draw(st.integers(1, 1500))
    projects = {pid: Project(pid, cost, {}) for pid, cost in costs.items()}
    votes = [Vote(str(i), tuple(b)) for i, b in enumerate(ballots)]
    return Election({"budget": str(budget), "vote_type": "approval"}, projects, votes, [], [])


@settings(max_examples=120, deadline=None)
@given(st.one_of(elections(), larger_elections()), st.sampled_from(["search", "sweep"]))
def test_it_skips_budgets_only_where_add1_provably_gives_the_same_outcome(e: Election, engine: str) -> None:
    """Both add-one engines must give the last outcome that fits when stepping one unit at a time: the
    search (replays and their bounds skip many budgets at once; used for long ballots and large elections)
    and the sweep (every budget at once; used for the others)."""
    increments, selected = _add1_one_unit_at_a_time(e)
    with patch.object(mes, "_sweeps", lambda matrix: engine == "sweep"):
        outcome = mes.mes_cost_add1(e)
    assert outcome.details["increments"] == increments
    assert set(outcome.selected) == selected
    assert ("replays" in outcome.details) == (engine == "search" and e.voter_count > 0)


def _sweep(e: Election) -> tuple[mes._Instance, sweep.Sweep]:
    inst = mes._instance(profile.build(e), "cost", "cost_then_votes")
    ranks = [int(r) for r in inst.rank]
    return inst, sweep.Sweep(
        inst.matrix, inst.costs, ranks, inst.candidates(), rho_tol=mes.RHO_TOL, money_tol=mes.MONEY_TOL
    )


@settings(max_examples=150, deadline=None)
@given(st.one_of(elections(), larger_elections()))
def test_it_sweeps_every_budget_to_the_outcome_of_its_own_exact_run(e: Election) -> None:
    """``Sweep.funded_sets`` runs many budgets side by side; each budget it is sure of must fund exactly the
    set the exact engine funds at that budget (cost utilities, the cities' tie-breaking)."""
    inst, swept = _sweep(e)
    budgets = list(range(1, 3 * e.budget // max(e.voter_count, 1) + 12))
    for b, mask in zip(budgets, swept.funded_sets(budgets), strict=True):
        if mask != sweep.UNSURE:
            exact = mes._Run(inst, Fraction(b)).run().selected
            assert mask == sum(1 << j for j in exact), b


def test_it_leaves_a_budget_to_the_exact_engine_when_money_meets_a_cost_exactly() -> None:
    """3 voters. p (cost 6) by all three: rho 1/3; q (cost 4) by voters 0 and 1: rho 1/2. With 4 each, p
    costs them 2 each and voters 0 and 1 then hold exactly 4, q's cost: a float sum cannot tell affordable
    from not, so the sweep is unsure of that budget and add-one runs it exactly (q is funded). With 3 each
    they keep 1 + 1 < 4: (p,)."""
    e = election(12, {"p": 6, "q": 4}, ["pq", "pq", "p"])
    inst, swept = _sweep(e)
    assert swept.funded_sets([3, 4]) == [0b01, sweep.UNSURE]
    assert mes._Run(inst, Fraction(4)).run().selected == [0, 1]


def test_it_breaks_exact_ties_in_the_sweep_by_lower_cost_then_more_approvals() -> None:
    """2 voters with 10 each, both approving a (cost 16) and b (cost 12): both pay the full level in
    either, so both rhos are exactly 1/2. The cities' tie-breaking funds the cheaper b (6 each); a then
    needs 16 from 4 + 4: (b,). Funding a first would have left 2 + 2 for b: (a,)."""
    inst, swept = _sweep(election(20, {"a": 16, "b": 12}, ["ab", "ab"]))
    assert swept.funded_sets([10]) == [0b10]
    assert mes._Run(inst, Fraction(10)).run().selected == [1]


def test_it_counts_distinct_ballots_over_the_fundable_projects() -> None:
    """Six voters, three distinct ballots once the free project z (cost 0) is left out: {a, b} x 3,
    {a} x 2 ({a, z} counts as {a}), {} x 1."""
    e = election(10, {"a": 5, "b": 5, "z": 0}, ["ab", "ba", "ab", "a", "az", "z"])
    inst = mes._instance(profile.build(e), "cost", "cost_then_votes")
    ballots = sweep.Ballots.of(inst.matrix, inst.candidates())
    found = sorted(
        (tuple(np.flatnonzero(row).tolist()), weight)
        for row, weight in zip(ballots.approves, ballots.weight.tolist(), strict=True)
    )
    assert found == [((), 1.0), ((0,), 2.0), ((0, 1), 3.0)]


@settings(max_examples=150, deadline=None)
@given(st.one_of(elections(), larger_elections()), st.sampled_from(["cost", "card"]))
def test_it_funds_the_same_rounds_with_either_exact_run(e: Election, utility: str) -> None:
    """``_Run`` (voters grouped by payment history) and ``_VoterRun`` (per-voter floats, used for long
    ballots) are two exact engines for one run: same projects, prices, payments and money, round by round."""
    matrix = profile.build(e)
    inst = mes._instance(matrix, utility, "lexico")
    b = Fraction(matrix.budget_exact, matrix.n_voters)
    by_class, by_voter = mes._Run(inst, b).run(), mes._VoterRun(inst, b).run()
    assert by_class.rounds == by_voter.rounds
    for group in inst.groups:
        assert by_class.exact_money(group) == by_voter.exact_money(group)
