"""The Method of Equal Shares (MES) for approval ballots, exact and fast.

Every voter starts with an equal share ``b`` of the budget. A project ``c`` of cost ``C`` is *affordable* when
its supporters hold at least ``C`` between them. Each round MES funds the affordable project with the lowest
effective price ``rho``: the supporters pay ``min(money_i, rho * u_i(c))`` and these payments add up to ``C``.
With approval ballots every supporter has the same utility ``u`` (the cost ``C`` for cost utilities, 1 for
cardinality utilities), so all supporters who are not "poor" pay the same amount ``p = rho * u`` and ``p`` is
the water level: ``sum(min(money_i, p)) = C``. MES stops when no project is affordable.

Exactness. The state is kept in floats (vectorised NumPy) *and* exactly: a voter's exact money is ``0`` once
they paid everything ("broke"), otherwise ``b`` minus the exact prices ``p_r`` (``Fraction``) of the rounds in
which they paid; a boolean voter × round matrix records who paid when, so the exact money of any group of
voters is ``|group| * b - sum_r p_r * (number of them who paid in round r)``. Floats only *filter*: when two
candidate prices are within a relative 1e-6 of each other, when a project's supporters hold within 1e-9 of its
cost, or when a voter's money is within that band of the water level, the decision is taken on the exact
rationals. Every price used and reported is exact.

Ties (equal exact ``rho``): ``mes_cost`` / ``mes_card`` as pabutools' default ``lexico_tie_breaking``
(smallest project id in string order); the add-one rules as the cities' procedure (equalshares.net,
pabulib-checker): lower cost, then more approvals, then project id.

``mes_cost_add1``. As pabulib-checker's ``equalshares/add1``: run MES with ``b = budget / n``; then with
``b = floor(budget / n) + t`` for ``t = 1, 2, ...`` while the outcome's cost still fits the budget; the result
is the last outcome that fits. Instead of re-running MES for every ``t`` we skip ranges of ``b`` on which the
outcome provably cannot change: with the sequence of funded projects fixed, every voter's money is
non-decreasing in ``b`` and every project's price non-increasing, so if, at ``b1 > b0``, re-playing the
``b0`` sequence, no other project beats (or ties and wins against) the price the funded one had at ``b0``
and every project left over is still unaffordable, then every ``b`` in ``[b0, b1]`` gives the same outcome.
Only the funded *set* matters (it decides whether the outcome fits), so the replay goes by batches:
consecutive funded projects with pairwise disjoint supporters (and close prices) are funded in any order
with the same prices and the same final state; a batch must beat every other project as a whole (against
its largest price at ``b0``). A successful replay at ``b1`` is itself the run at ``b1`` (up to the order
inside batches), so the next replay starts from it; the step doubles after a success and halves after a
failure, and a failure at step 1 means a full run.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from . import greedy, profile
from .model import Election, Outcome, ProjectExplanation
from .profile import ApprovalMatrix

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

RHO_TOL = 1e-6  # relative band in which two float prices are compared exactly
MONEY_TOL = 1e-9  # relative band in which money vs. cost / water level is decided exactly
BATCH_TOL = 0.005  # prices this close (relative) may share a replay batch (a heuristic, not a tolerance)


@dataclass(eq=False)
class _Instance:
    """Static arrays of one election for one utility ("cost" or "card") and one tie-breaking order."""

    matrix: ApprovalMatrix
    utility: str
    rank: IntArray  # tie-breaking rank: lower wins among equal exact prices
    costs: list[int]
    util: FloatArray  # per project: the supporters' (common) utility u
    groups: list[npt.NDArray[np.int32]]  # supporters of each project

    @property
    def n_projects(self) -> int:
        return self.matrix.n_projects

    def candidates(self) -> list[int]:
        """Projects MES can fund by paying: supported and of positive cost."""
        return [j for j in range(self.n_projects) if self.costs[j] > 0 and len(self.groups[j]) > 0]

    def free(self) -> list[int]:
        """Supported projects of cost 0: funded first (as pabutools does), nobody pays."""
        return [j for j in range(self.n_projects) if self.costs[j] == 0 and len(self.groups[j]) > 0]


def _instance(matrix: ApprovalMatrix, utility: str, ties: str) -> _Instance:
    ids = matrix.project_ids
    costs = [int(c) for c in matrix.costs]
    approvals = [int(a) for a in matrix.approvals]
    if ties == "lexico":
        order = sorted(range(len(ids)), key=lambda j: ids[j])
    else:
        order = sorted(range(len(ids)), key=lambda j: (costs[j], -approvals[j], ids[j]))
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    util = np.asarray(costs if utility == "cost" else [1] * len(ids), dtype=np.float64)
    groups = [matrix.supporters_of(j) for j in range(len(ids))]
    return _Instance(matrix, utility, rank, costs, util, groups)


@dataclass
class _Round:
    project: int
    rho: Fraction
    price: Fraction  # what each non-poor supporter paid
    money_before: Fraction | None  # the supporters' total money when the project was reached (explain)
    poor: int  # supporters who paid all they had left


@dataclass(eq=False)
class _Run:
    """One MES run at per-voter budget ``b``; ``step`` funds one project."""

    inst: _Instance
    b: Fraction
    explain: bool = False  # also record the supporters' exact money when each project is reached
    money: FloatArray = field(init=False)
    broke: BoolArray = field(init=False)
    paid: BoolArray = field(init=False)  # voter × round: paid the round's price (column-major)
    prices: list[Fraction] = field(default_factory=list)
    rounds: list[_Round] = field(default_factory=list)
    active: set[int] = field(default_factory=set)
    lower: dict[int, float] = field(default_factory=dict)  # stale prices: lower bounds of current ones

    def __post_init__(self) -> None:
        n = self.inst.matrix.n_voters
        self.money = np.full(n, float(self.b))
        self.broke = np.zeros(n, dtype=np.bool_)
        self.paid = np.zeros((n, max(self.inst.n_projects, 1)), dtype=np.bool_, order="F")
        self._den = self.b.denominator
        self._scaled_b = self.b.numerator
        self._scaled: list[int] = []
        self.active = set(self.inst.candidates())
        for j in self.active:
            self.lower[j] = self.inst.costs[j] / (len(self.inst.groups[j]) * float(self.inst.util[j]))

    # -- exact money -------------------------------------------------------------------------------------
    def exact_money(self, voters: npt.NDArray[np.int32]) -> Fraction:
        """Exact total money of ``voters``."""
        live = voters[~self.broke[voters]]
        total = len(live) * self._scaled_b
        if len(live) and self.prices:
            counts = self.paid[live, : len(self.prices)].sum(axis=0, dtype=np.int64).tolist()
            total -= sum(map(operator.mul, self._scaled, counts))
        return Fraction(total, self._den)

    def _record(self, price: Fraction) -> None:
        """Append ``price``, keeping every price and ``b`` as integers over one common denominator."""
        den = math.lcm(self._den, price.denominator)
        factor = den // self._den
        if factor != 1:
            self._scaled = [x * factor for x in self._scaled]
            self._scaled_b *= factor
        self._den = den
        self._scaled.append(price.numerator * (den // price.denominator))
        self.prices.append(price)

    def exact_values(self, voters: npt.NDArray[np.int32]) -> list[tuple[Fraction, int]]:
        """Distinct exact money values among ``voters`` with their multiplicities, ascending."""
        values: dict[Fraction, int] = {}
        broke = int(self.broke[voters].sum())
        if broke:
            values[Fraction(0)] = broke
        live = voters[~self.broke[voters]]
        if len(live):
            rows, counts = np.unique(self.paid[live, : len(self.prices)], axis=0, return_counts=True)
            for row, count in zip(rows, counts, strict=True):
                value = self.b - sum((p for p, r in zip(self.prices, row, strict=True) if r), Fraction(0))
                values[value] = values.get(value, 0) + int(count)
        return sorted(values.items())

    # -- prices ------------------------------------------------------------------------------------------
    def affordable(self, j: int) -> bool:
        voters = self.inst.groups[j]
        total = float(self.money[voters].sum())
        cost = self.inst.costs[j]
        if abs(total - cost) > MONEY_TOL * max(cost, 1.0):
            return total > cost
        return self.exact_money(voters) >= cost

    def float_rho(self, j: int) -> float | None:
        """The float effective price of ``j`` (None when its supporters cannot pay for it)."""
        if not self.affordable(j):
            return None
        level = _water_level(self.money[self.inst.groups[j]], float(self.inst.costs[j]))
        return level / float(self.inst.util[j])

    def exact_price(self, j: int) -> tuple[Fraction, int]:
        """The exact water level ``p`` of project ``j`` and how many supporters are poor (money < p)."""
        voters = self.inst.groups[j]
        cost = self.inst.costs[j]
        money = self.money[voters]
        level = _water_level(money, float(cost))
        band = MONEY_TOL * (level + float(self.b))
        poor = voters[money < level - band]
        unsure = voters[np.abs(money - level) <= band]
        rich = len(voters) - len(poor) - len(unsure)
        return _exact_level(
            Fraction(cost) - self.exact_money(poor), self.exact_values(unsure), rich, len(poor)
        )

    def exact_rho(self, j: int) -> Fraction:
        return self.exact_price(j)[0] / int(self.inst.util[j])

    # -- a round -----------------------------------------------------------------------------------------
    def near_best(self, bound: float | None = None) -> list[int]:
        """Fresh prices of the projects that may be the cheapest (lazy: stale prices are lower bounds).
        With ``bound``, only projects whose price may be at most ``bound`` are refreshed and returned."""
        best = math.inf if bound is None else bound
        fresh: list[int] = []
        for j in sorted(self.active, key=self.lower.__getitem__):
            if self.lower[j] > best * (1 + RHO_TOL):
                break
            rho = self.float_rho(j)
            if rho is None:
                self.active.discard(j)
                continue
            self.lower[j] = rho
            fresh.append(j)
            if bound is None:
                best = min(best, rho)
        return [j for j in fresh if self.lower[j] <= best * (1 + RHO_TOL)]

    def choose(self) -> int | None:
        """The project MES funds next (exact comparison among near-ties), or None when none is affordable."""
        near = self.near_best()
        if len(near) <= 1:
            return near[0] if near else None
        exact = {j: self.exact_rho(j) for j in near}
        low = min(exact.values())
        return min((j for j in near if exact[j] == low), key=lambda j: int(self.inst.rank[j]))

    def fund(self, j: int) -> None:
        voters = self.inst.groups[j]
        price, poor_count = self.exact_price(j)
        before = self.exact_money(voters) if self.explain else None
        poor_mask = self._poor(voters, price)
        poor, rich = voters[poor_mask], voters[~poor_mask]
        self.money[poor] = 0.0
        self.broke[poor] = True
        self.money[rich] = np.maximum(self.money[rich] - float(price), 0.0)
        self.paid[rich, len(self.prices)] = True
        self._record(price)
        rho = price / int(self.inst.util[j])
        self.rounds.append(_Round(j, rho, price, before, poor_count))
        self.active.discard(j)

    def _poor(self, voters: npt.NDArray[np.int32], price: Fraction) -> BoolArray:
        """Which of ``voters`` hold (exactly) less than ``price``."""
        money = self.money[voters]
        level = float(price)
        band = MONEY_TOL * (level + float(self.b))
        poor = money < level - band
        unsure = np.flatnonzero(np.abs(money - level) <= band)
        if len(unsure):
            poor[unsure] = [value < price for value in self.exact_each(voters[unsure])]
        return poor

    def exact_each(self, voters: npt.NDArray[np.int32]) -> list[Fraction]:
        """The exact money of each of ``voters``."""
        rows, inverse = np.unique(self.paid[voters, : len(self.prices)], axis=0, return_inverse=True)
        values = [
            self.b - sum((p for p, r in zip(self.prices, row, strict=True) if r), Fraction(0)) for row in rows
        ]
        broke = self.broke[voters]
        return [Fraction(0) if broke[i] else values[int(k)] for i, k in enumerate(inverse.reshape(-1))]

    def run(self) -> _Run:
        while (j := self.choose()) is not None:
            self.fund(j)
        return self

    @property
    def selected(self) -> list[int]:
        return [r.project for r in self.rounds]


def _water_level(money: FloatArray, cost: float) -> float:
    """Float ``p`` with ``sum(min(money, p)) == cost`` (the supporters can afford the project)."""
    k = len(money)
    level = cost / k
    if float(money.min()) >= level:
        return level
    ordered = np.sort(money)
    before = np.concatenate(([0.0], np.cumsum(ordered)[:-1]))
    levels = (cost - before) / (k - np.arange(k))
    fits = levels <= ordered
    if not fits.any():  # affordable only up to float rounding: everybody pays all they have
        return float(ordered[-1])
    return float(levels[int(np.argmax(fits))])


def _exact_level(
    need: Fraction, unsure: list[tuple[Fraction, int]], rich: int, poor: int
) -> tuple[Fraction, int]:
    """Exact water level: ``need`` is the cost minus the money of the surely poor; ``unsure`` are the
    exact (value, count) of voters near the level, ascending; ``rich`` voters surely pay the level."""
    payers = rich + sum(count for _, count in unsure)
    for value, count in unsure:
        level = need / payers
        if level <= value:
            return level, poor
        need -= value * count
        payers -= count
        poor += count
    if payers == 0:
        raise ArithmeticError("the supporters cannot afford this project")
    return need / payers, poor


# -- plain MES -------------------------------------------------------------------------------------------


def _matrix(data: Election | ApprovalMatrix) -> ApprovalMatrix:
    matrix = profile.build(data) if isinstance(data, Election) else data
    if matrix.vote_type != "approval":
        raise ValueError(f"the Method of Equal Shares needs approval ballots, not {matrix.vote_type} ballots")
    return matrix


def _per_voter(matrix: ApprovalMatrix) -> Fraction:
    return matrix.budget_exact / matrix.n_voters if matrix.n_voters else Fraction(0)


def _plain(data: Election | ApprovalMatrix, utility: str, rule: str) -> Outcome:
    matrix = _matrix(data)
    inst = _instance(matrix, utility, "lexico")
    state = _Run(inst, _per_voter(matrix), explain=True).run()
    return _outcome(inst, state, rule, {"voter_budget": str(state.b)})


def mes_cost(data: Election | ApprovalMatrix) -> Outcome:
    """MES with cost utilities, no completion (pabutools ``method_of_equal_shares`` with ``Cost_Sat``)."""
    return _plain(data, "cost", "mes_cost")


def mes_card(data: Election | ApprovalMatrix) -> Outcome:
    """MES with cardinality utilities, no completion (pabutools with ``Cardinality_Sat``)."""
    return _plain(data, "card", "mes_card")


# -- add-one completion ----------------------------------------------------------------------------------


def _batches(inst: _Instance, rounds: list[_Round]) -> list[list[_Round]]:
    """Split a funded sequence into batches of consecutive rounds whose supporters are pairwise disjoint and
    whose prices are close (a heuristic: any split is sound). Funding a batch's projects in any order gives
    the same prices and the same state, so swaps inside a batch cannot change the outcome."""
    batches: list[list[_Round]] = []
    used = np.zeros(inst.matrix.n_voters, dtype=np.bool_)
    for step in rounds:
        group = inst.groups[step.project]
        if batches and _joins(batches[-1][0], step) and not used[group].any():
            batches[-1].append(step)
        else:
            batches.append([step])
            used[:] = False
        used[group] = True
    return batches


def _joins(first: _Round, step: _Round) -> bool:
    return abs(float(step.rho) - float(first.rho)) <= BATCH_TOL * float(first.rho)


def _replay(inst: _Instance, base: _Run, b1: int) -> _Run | None:
    """Replay ``base``'s funded sequence (by batches) at per-voter budget ``b1 > base.b``. When every batch
    still beats every other project (compared with its prices at ``base.b``) and nothing is left affordable,
    every budget in ``[base.b, b1]`` funds the same set (see the module docstring) and the replay, the MES
    run at ``b1`` up to the order inside batches, is returned; otherwise None."""
    replay = _Run(inst, Fraction(b1))
    for batch in _batches(inst, base.rounds):
        for step in batch:
            replay.active.discard(step.project)
        if not _batch_wins(replay, batch):
            return None
        for step in batch:
            replay.fund(step.project)
    if any(replay.affordable(j) for j in replay.active):
        return None
    return replay


def _batch_wins(replay: _Run, batch: list[_Round]) -> bool:
    rank = replay.inst.rank
    top = max(batch, key=lambda step: (step.rho, int(rank[step.project])))
    for j in replay.near_best(bound=float(top.rho)):
        rho = replay.exact_rho(j)
        if rho < top.rho or (rho == top.rho and rank[j] < rank[top.project]):
            return False
    return all(replay.affordable(step.project) for step in batch)


def _cost(inst: _Instance, state: _Run) -> int:
    return sum(inst.costs[j] for j in state.selected)


def _add1(matrix: ApprovalMatrix) -> tuple[_Instance, _Run, dict[str, object]]:
    inst = _instance(matrix, "cost", "cost_then_votes")
    result = _Run(inst, _per_voter(matrix)).run()
    floor = matrix.budget // matrix.n_voters if matrix.n_voters else 0
    increments, counter = 0, [1, 0]  # full runs, replays
    if matrix.n_voters:
        increments = _increments(inst, floor, counter)
    if increments:
        result = _Run(inst, Fraction(floor + increments)).run()
    details: dict[str, object] = {
        "voter_budget": str(result.b),
        "increments": increments,
        "runs": counter[0],
        "replays": counter[1],
    }
    return inst, _Run(inst, result.b, explain=True).run(), details


def _increments(inst: _Instance, floor: int, counter: list[int]) -> int:
    """How many units above ``floor`` the last per-voter budget whose MES outcome fits may be (0: none fits).
    From a proven outcome at ``b`` we replay at ``b + step`` (galloping: the step doubles after a success,
    halves after a failure); a failed replay at ``b + 1`` means a full MES run there."""
    budget, everything = inst.matrix.budget, len(inst.candidates())
    b, step = floor + 1, 1
    base: _Run | None = None
    while True:
        if base is None:
            base = _Run(inst, Fraction(b)).run()
            counter[0] += 1
            if _cost(inst, base) > budget:
                return b - 1 - floor
        if len(base.rounds) == everything:
            return b - floor
        counter[1] += 1
        replay = _replay(inst, base, b + step)
        if replay is not None:
            b, base, step = b + step, replay, step * 2
        elif step > 1:
            step //= 2
        else:
            b, base = b + 1, None


def mes_cost_add1(data: Election | ApprovalMatrix) -> Outcome:
    """The cities' procedure: MES with cost utilities and the add-one budget increments."""
    inst, state, details = _add1(_matrix(data))
    return _outcome(inst, state, "mes_cost_add1", details)


def mes_cost_add1_greedy(data: Election | ApprovalMatrix) -> Outcome:
    """``mes_cost_add1`` completed by utilitarian greedy (``greedy.complete``)."""
    matrix = _matrix(data)
    inst, state, details = _add1(matrix)
    added = greedy.complete(matrix, state.selected, "greedy")
    return _outcome(inst, state, "mes_cost_add1_greedy", details, added)


# -- outcome and explanations ----------------------------------------------------------------------------


def _outcome(
    inst: _Instance, state: _Run, rule: str, details: dict[str, object], added: list[int] | None = None
) -> Outcome:
    matrix = inst.matrix
    ids = matrix.project_ids
    free = inst.free()
    chosen = free + state.selected + (added or [])
    explanations = {ids[j]: _explain(inst, state, j, free, added or []) for j in range(matrix.n_projects)}
    total = sum(inst.costs[j] for j in chosen)
    return Outcome(
        rule=rule,
        selected=tuple(ids[j] for j in chosen),
        total_cost=total,
        budget=matrix.budget,
        explanations=explanations,
        details={"utility": inst.utility, "rounds": len(state.rounds), **details},
    )


def _explain(inst: _Instance, state: _Run, j: int, free: list[int], added: list[int]) -> ProjectExplanation:
    pid = inst.matrix.project_ids[j]
    supporters = len(inst.groups[j])
    base: dict[str, object] = {"cost": inst.costs[j], "supporters": supporters}
    funded = {r.project: (i, r) for i, r in enumerate(state.rounds, start=1)}
    if j in funded:
        number, step = funded[j]
        base.update(_round_details(number, step))
        return ProjectExplanation(pid, True, "funded", base)
    if j in free:
        return ProjectExplanation(pid, True, "funded", {**base, "round": 0, "rho": "0"})
    if j in added:
        return ProjectExplanation(pid, True, "funded", {**base, "stage": "greedy_completion"})
    if supporters == 0:
        return ProjectExplanation(pid, False, "no_support", base)
    money = state.exact_money(inst.groups[j])
    base.update({"supporters_money": _show(money), "supporters_money_value": float(money)})
    return ProjectExplanation(pid, False, "insufficient_support", base)


def _round_details(number: int, step: _Round) -> dict[str, object]:
    return {
        "round": number,
        "rho": _show(step.rho),
        "rho_value": float(step.rho),
        "payment": _show(step.price),
        "supporters_money": _show(step.money_before or Fraction(0)),
        "supporters_money_value": float(step.money_before or 0),
        "poor_supporters": step.poor,
    }


def _show(value: Fraction) -> str:
    return str(value)
