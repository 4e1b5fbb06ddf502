"""The Method of Equal Shares (MES) for approval ballots, exact and fast.

Every voter starts with an equal share ``b`` of the budget. A project ``c`` of cost ``C`` is *affordable* when
its supporters hold at least ``C`` between them. Each round MES funds the affordable project with the lowest
effective price ``rho``: the supporters pay ``min(money_i, rho * u_i(c))`` and these payments add up to ``C``.
With approval ballots every supporter has the same utility ``u`` (the cost ``C`` for cost utilities, 1 for
cardinality utilities), so all supporters who are not "poor" pay the same amount ``p = rho * u`` and ``p`` is
the water level: ``sum(min(money_i, p)) = C``. MES stops when no project is affordable.

Exactness. A run (``_run``) is exact; two engines give the same rounds and ``_run`` picks by ballot length:

* ``_Run`` (the default): voters with the same payment history hold the same money, so they are kept in
  classes, each with its exact money (an integer over one common denominator). A project's price is the water
  level over the classes among its supporters: one ``bincount``, then integers in Python, so small elections
  (a few classes per project) need few NumPy calls, and no float is involved at all.
* ``_VoterRun`` (mean ballot longer than ``LONG_BALLOTS`` projects, where payment histories split the voters
  into hundreds of classes per project): each voter's money in floats plus a boolean voter × round matrix of
  who paid when, so the exact money of any group is ``|group| * b - sum_r p_r * (number of them who paid in
  round r)``.

In ``_VoterRun`` (and in the add-one search below) floats only *filter*: when two candidate prices are
within a relative 1e-6 of each other, when a project's supporters hold within 1e-9 of its cost, or when a
voter's money is within that band of the water level, the decision is taken on the exact rationals. Every
price used and reported is exact, and so is every amount in the explanations (for the projects left unfunded,
computed once at the end of the run).

Ties (equal exact ``rho``): ``mes_cost`` / ``mes_card`` as pabutools' default ``lexico_tie_breaking``
(smallest project id in string order); the add-one rules as the cities' procedure (equalshares.net,
pabulib-checker): lower cost, then more approvals, then project id.

``mes_cost_add1``. As pabulib-checker's ``equalshares/add1``: run MES with ``b = budget / n``; then with
``b = floor(budget / n) + t`` for ``t = 1, 2, ...`` while the outcome's cost still fits the budget; the result
is the last outcome that fits. Two engines find that last budget; the outcome reported is the exact engine's
run at it. Elections with short ballots and up to ``SWEEP_VOTERS`` voters run every budget side by side
(``sweep.Sweep``: voters who approve the same funded projects hold the same money at any budget, so the
budgets share their classes; Wieliczka 2023, whose funding order changes at 75 of its 164 budgets, is one).
The others search: only the funded *set* matters, so ``_Search`` proves ranges of ``b`` where it
cannot change. Runs are in floats (a decision needs a margin; exact ties of prices known exactly are compared
as Fractions; anything else goes to the exact engine). With the funding sequence fixed, money only rises with
``b`` and prices only fall; consecutive projects whose order cannot matter (voters shared between them pay the
full level in all) form batches. A replay of the sequence at ``b1`` carries per-voter growth rates: money at
``b1`` exceeds money at any ``b`` in ``[b0, b1]`` by at least ``grow * (b1 - b)``, and money at ``b`` exceeds
money at ``b0`` by at least ``rise * (b - b0)`` (both start at 1; a funded project passes on the fall of its
price to the voters who paid its full level at ``b0``, the others get 0). Hence each rival's rho is bounded
below by a line in ``b`` and each batch's rho above by a chord (the level is convex in ``b`` under an affine
lower bound of the money), and the replay proves exactly the budgets where the line stays above the chord for
every rival of every batch and every leftover project stays unaffordable. The outcome reported is the exact
engine's run at the budget found.
"""

from __future__ import annotations

import heapq
import math
import operator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from . import greedy, profile, sweep
from .model import Election, Outcome, ProjectExplanation
from .profile import ApprovalMatrix

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

RHO_TOL = 1e-6  # relative band in which two float prices are compared exactly
MONEY_TOL = 1e-9  # relative band in which money vs. cost / water level is decided exactly
BATCH_TOL = 0.005  # prices this close (relative) may share a replay batch (a heuristic, not a tolerance)
SHRINK_ABOVE = 4  # a replay longer than this that proves nothing is retried at a quarter of its step
PAUSE_MAX = 8  # at most this many budgets are run plainly after replays that proved nothing
WATER_PASSES = 8  # passes of the sort-free water level before it sorts
LONG_BALLOTS = 4.0  # mean ballot length from which ``_VoterRun`` is used instead of ``_Run``
SWEEP_VOTERS = 20_000  # add-one sweeps many budgets at once up to this many voters (short ballots)
SWEEP_BUDGETS = 4_096  # ... and up to this many budgets (Toulouse 2022: 1,744, 104 MB), else it searches
PAID_COLUMNS = 8  # rounds ``_VoterRun`` makes room for at first (then it doubles the room)


@dataclass(eq=False)
class _Instance:
    """Static arrays of one election for one utility ("cost" or "card") and one tie-breaking order."""

    matrix: ApprovalMatrix
    utility: str
    rank: IntArray  # tie-breaking rank: lower wins among equal exact prices
    costs: list[int]
    util: FloatArray  # per project: the supporters' (common) utility u
    iutil: list[int]  # the same, as integers
    groups: list[npt.NDArray[np.intp]]  # supporters of each project

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
    iutil = costs if utility == "cost" else [1] * len(ids)
    util = np.asarray(iutil, dtype=np.float64)
    return _Instance(matrix, utility, rank, costs, util, iutil, matrix.groups)


@dataclass
class _Round:
    project: int
    rho: Fraction
    price: Fraction  # what each non-poor supporter paid
    money_before: Fraction  # the supporters' total money when the project was reached
    poor: int  # supporters who paid all they had left


class _Offer(NamedTuple):
    """The exact price of a project at one point of a run, in the run's units (money times ``den``)."""

    key: float  # rho rounded to the nearest float (monotone: a smaller rho never has a larger key)
    need: int  # what the payers share: the cost minus what the poor supporters pay
    payers: int  # supporters who pay the full level ``need / payers``
    held: int  # the supporters' total money
    classes: list[int]  # the classes among its supporters
    money: list[int]  # the money of each of these classes
    den: int  # the run's denominator then


def _rho(got: _Offer, util: int) -> Fraction:
    return Fraction(got.need, got.payers * got.den * util)


@dataclass(eq=False)
class _Run:
    """One exact MES run at per-voter budget ``b``.

    Voters with the same payment history hold the same money, so they are kept in *classes*: ``cls[i]`` is
    voter ``i``'s class; class 0 holds 0. A project's price is the water level over the few distinct classes
    among its supporters, in integers (one ``bincount`` per project), so no float decides anything. Money is
    an integer over the denominator ``den``, which grows when a price needs it; rather than rescaling every
    class then, a class keeps the *epoch* (the denominator) it was created in and ``factor[epoch]`` scales it
    to the current one. Candidates wait in a heap keyed by their last price rounded to a float (prices only
    rise within a run, so a stale key is a lower bound; rounding is monotone) and the tie-breaking rank;
    equal keys are compared exactly.

    Most offers find a project unaffordable (on Wieliczka 2023, 43 of 84: each project left unfunded is
    tried once at least), and the exact count per class is wasted on them: ``fmoney`` keeps each class's
    money rounded to a float as well, and a project whose supporters surely hold less than its cost in floats
    (by more than ``MONEY_TOL``, far above the rounding of a sum) is set aside after two gathers and a sum."""

    inst: _Instance
    b: Fraction
    cls: npt.NDArray[np.intp] = field(init=False)
    values: list[int] = field(init=False)  # the money of each class, in units of its epoch
    epoch: list[int] = field(init=False)  # the epoch of each class
    factor: list[int] = field(init=False)  # per epoch: the current denominator over the epoch's
    den: int = field(init=False)
    fmoney: FloatArray = field(init=False)  # the money of each class rounded to a float (a filter only)
    rounds: list[_Round] = field(default_factory=list)

    def __post_init__(self) -> None:
        inst = self.inst
        self.cls = np.ones(inst.matrix.n_voters, dtype=np.intp)
        self.den = self.b.denominator
        self.values, self.epoch, self.factor = [0, self.b.numerator], [0, 0], [1]
        self.fmoney = np.zeros(64)
        self.fmoney[1] = self.b.numerator / self.b.denominator
        self.heap = sorted(
            (inst.costs[j] / (len(inst.groups[j]) * inst.iutil[j]), int(inst.rank[j]), j)
            for j in inst.candidates()
        )

    def holdings(self, voters: npt.NDArray[np.intp]) -> tuple[list[int], list[int], list[int]]:
        """The classes among ``voters``, how many are in each, and each class's money (times ``den``)."""
        return self._holdings(self.cls[voters])

    def _holdings(self, cls: npt.NDArray[np.intp]) -> tuple[list[int], list[int], list[int]]:
        """``holdings`` of the voters whose classes are ``cls``."""
        counts = np.bincount(cls)
        classes = counts.nonzero()[0]
        ids = classes.tolist()
        values, epoch, factor = self.values, self.epoch, self.factor
        return ids, counts[classes].tolist(), [values[c] * factor[epoch[c]] for c in ids]

    def exact_money(self, voters: npt.NDArray[np.intp]) -> Fraction:
        """Exact total money of ``voters``."""
        _, counts, money = self.holdings(voters)
        return Fraction(sum(map(operator.mul, money, counts)), self.den)

    def exact_moneys(self, projects: list[int]) -> list[Fraction]:
        """Exact total money of the supporters of each of ``projects`` (each has some): one ``bincount`` of
        (project, class) pairs, then the sums of count × money in Python integers (an object array)."""
        if not projects:
            return []
        groups = [self.inst.groups[j] for j in projects]
        owner = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
        width = len(self.values)
        counts = np.bincount(owner * width + self.cls[np.concatenate(groups)])
        keys = counts.nonzero()[0]
        values, epoch, factor = self.values, self.epoch, self.factor
        money = np.empty(width, dtype=object)
        money[:] = [values[c] * factor[epoch[c]] for c in range(width)]
        terms = np.multiply(money[keys % width], counts[keys])
        starts = np.flatnonzero(np.diff(keys // width, prepend=-1))
        return [Fraction(int(total), self.den) for total in np.add.reduceat(terms, starts)]

    def offer(self, j: int) -> _Offer | None:
        """The exact price of ``j`` now, or None when its supporters cannot afford it."""
        group = self.inst.groups[j]
        cls = self.cls[group]
        cost = self.inst.costs[j]
        if float(np.add.reduce(self.fmoney[cls])) < cost * (1 - MONEY_TOL):
            return None  # surely: each class's float is within 2**-53 of its money, the sum within k * 2**-53
        classes, counts, money = self._holdings(cls)
        held = sum(map(operator.mul, money, counts))
        need = cost * self.den
        if held < need:
            return None
        payers = len(group)
        if len(classes) > 1 and min(money) * payers < need:  # some supporters cannot pay the level C / k
            for value, count in sorted(zip(money, counts, strict=True)):
                if value * payers >= need:
                    break
                need -= value * count
                payers -= count
        key = need / (payers * self.den * self.inst.iutil[j])
        return _Offer(key, need, payers, held, classes, money, self.den)

    def choose(self) -> tuple[int, _Offer] | None:
        """The project MES funds next with its price (lowest exact rho, then rank), or None."""
        heap = self.heap
        offers: dict[int, _Offer] = {}
        best = math.inf
        while heap and heap[0][0] <= best:
            _, rank, j = heapq.heappop(heap)
            got = self.offer(j)
            if got is not None:  # else it stays unaffordable: money only falls
                offers[j] = got
                best = min(best, got.key)
        if not offers:
            return None
        util = self.inst.iutil
        tied = [j for j, got in offers.items() if got.key == best]
        if len(tied) > 1:
            low = min(_rho(offers[j], util[j]) for j in tied)
            tied = [j for j in tied if _rho(offers[j], util[j]) == low]
        chosen = min(tied, key=lambda j: int(self.inst.rank[j]))
        for j, got in offers.items():
            if j != chosen:
                heapq.heappush(heap, (got.key, int(self.inst.rank[j]), j))
        return chosen, offers[chosen]

    def fund(self, j: int, got: _Offer) -> None:
        """Fund ``j`` at ``got``: the payers pay the level, the others everything (class 0)."""
        group = self.inst.groups[j]
        gcd = math.gcd(got.need, got.payers)
        level, scale = got.need // gcd, got.payers // gcd  # the level is level / (den * scale)
        if scale != 1:
            self.den *= scale
            self.factor = [f * scale for f in self.factor]
            self.factor.append(1)
        values, epoch, now, den = self.values, self.epoch, len(self.factor) - 1, self.den
        lookup = np.zeros(len(values), dtype=np.intp)
        fresh: list[float] = []
        for c, money in zip(got.classes, got.money, strict=True):
            left = money * scale - level
            if left > 0:
                lookup[c] = len(values)
                values.append(left)
                epoch.append(now)
                fresh.append(left / den)  # correctly rounded
        if len(values) > len(self.fmoney):
            self.fmoney = np.concatenate([self.fmoney, np.zeros(max(len(values), 2 * len(self.fmoney)))])
        self.fmoney[len(values) - len(fresh) : len(values)] = fresh
        self.cls[group] = lookup[self.cls[group]]
        price = Fraction(level, self.den)
        rho = price / self.inst.iutil[j]
        self.rounds.append(_Round(j, rho, price, Fraction(got.held, got.den), len(group) - got.payers))

    def run(self) -> _Run:
        while (chosen := self.choose()) is not None:
            self.fund(*chosen)
        return self

    @property
    def selected(self) -> list[int]:
        return [r.project for r in self.rounds]


@dataclass(eq=False)
class _VoterRun:
    """One exact MES run at per-voter budget ``b`` that keeps each voter's money as a float (the filter) and
    a boolean voter × round matrix of who paid the full price when (exact money of any group: ``_spent``).
    Faster than ``_Run`` when long ballots split the voters into many payment histories (``_run``)."""

    inst: _Instance
    b: Fraction
    money: FloatArray = field(init=False)
    broke: BoolArray = field(init=False)
    paid: BoolArray = field(init=False)  # voter × round: paid the round's price (a row per voter, see _spent)
    prices: list[Fraction] = field(default_factory=list)
    rounds: list[_Round] = field(default_factory=list)
    active: set[int] = field(default_factory=set)
    heap: list[tuple[float, int]] = field(default_factory=list)  # (stale price: a lower bound, project)
    levels: dict[int, float] = field(default_factory=dict)  # float water levels found since the last round

    def __post_init__(self) -> None:
        n = self.inst.matrix.n_voters
        self.money = np.full(n, float(self.b))
        self.broke = np.zeros(n, dtype=np.bool_)
        self.paid = np.zeros((n, PAID_COLUMNS), dtype=np.bool_)  # widened as rounds come (``fund``)
        # Counts of payers are sums of 0/1 in this type, exact below 2**24 voters in float32.
        self._real = np.float32 if n < 2**24 else np.float64
        self._den = self.b.denominator
        self._scaled_b = self.b.numerator
        self._scaled: list[int] = []
        self.active = set(self.inst.candidates())
        self.heap = sorted(
            (self.inst.costs[j] / (len(self.inst.groups[j]) * self.inst.iutil[j]), j) for j in self.active
        )

    # -- exact money -------------------------------------------------------------------------------------
    def _spent(self, live: npt.NDArray[np.intp], weights: npt.NDArray[np.generic]) -> list[int]:
        """For each row of ``weights`` (0/1 per voter of ``live``, who are not broke): what those voters paid
        in all, times ``_den``. How many of them paid in each round is one gather of their rows of ``paid``
        and one float product (BLAS, exact: sums of 0/1 far below 2**24), then times each round's price in
        Python integers. (Summing the boolean rows in NumPy is four times slower: it casts element-wise.) The
        rows are at most twice as wide as the rounds so far: on Budapest 2024 (175 projects, 27 rounds) rows
        as wide as the projects made the run twice as slow."""
        rounds = len(self.prices)
        if not rounds or not len(live):
            return [0] * len(weights)
        counts = (weights @ self.paid[live].astype(self._real))[:, :rounds].astype(np.int64).tolist()
        return [sum(map(operator.mul, self._scaled, row)) for row in counts]

    def exact_money(self, voters: npt.NDArray[np.intp]) -> Fraction:
        """Exact total money of ``voters``."""
        live = voters[~self.broke[voters]]
        (spent,) = self._spent(live, np.ones((1, len(live)), dtype=self._real))
        return Fraction(len(live) * self._scaled_b - spent, self._den)

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

    def exact_values(self, voters: npt.NDArray[np.intp]) -> list[tuple[Fraction, int]]:
        """Distinct exact money values among ``voters`` with their multiplicities, ascending."""
        if not len(voters):
            return []
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
    def float_rho(self, j: int) -> float | None:
        """The float effective price of ``j`` (None when its supporters cannot pay for it); its float water
        level is kept in ``levels`` for ``fund`` (the money does not change before it)."""
        voters = self.inst.groups[j]
        held = self.money[voters]
        total = float(np.add.reduce(held))
        cost = self.inst.costs[j]
        if abs(total - cost) > MONEY_TOL * max(cost, 1.0):
            if total < cost:
                return None
        elif self.exact_money(voters) < cost:
            return None
        level = self.levels[j] = _water_level(held, float(cost))
        return level / float(self.inst.util[j])

    def exact_price(self, j: int) -> tuple[Fraction, int, Fraction, FloatArray]:
        """The exact water level ``p`` of project ``j``, how many supporters are poor (money < p), their
        exact total money and their float money. One product gives the money of all the supporters and
        of the surely poor ones."""
        voters = self.inst.groups[j]
        cost = self.inst.costs[j]
        money = self.money[voters]
        level = self.levels.get(j)
        if level is None:
            level = _water_level(money, float(cost))
        band = MONEY_TOL * (level + float(self.b))
        poor = money < level - band
        unsure = np.abs(money - level) <= band
        alive = ~self.broke[voters]
        live = voters[alive]
        weights = np.ones((2, len(live)), dtype=self._real)
        weights[1] = poor[alive]
        spent, spent_poor = self._spent(live, weights)
        den, scaled_b = self._den, self._scaled_b
        before = Fraction(len(live) * scaled_b - spent, den)
        need = cost * den - (int(np.count_nonzero(poor & alive)) * scaled_b - spent_poor)  # times den
        n_poor, n_unsure = int(np.count_nonzero(poor)), int(np.count_nonzero(unsure))
        rich = len(voters) - n_poor - n_unsure
        if not n_unsure:  # the common case, in integers: the rich pay need / rich
            if rich == 0:
                raise ArithmeticError("the supporters cannot afford this project")
            return Fraction(need, den * rich), n_poor, before, money
        unsure_values = self.exact_values(voters[unsure])
        price, poor_count = _exact_level(Fraction(need, den), unsure_values, rich, n_poor)
        return price, poor_count, before, money

    def exact_rho(self, j: int) -> Fraction:
        return self.exact_price(j)[0] / int(self.inst.util[j])

    # -- a round -----------------------------------------------------------------------------------------
    def near_best(self) -> list[int]:
        """Fresh prices of the projects that may be the cheapest (lazy: stale prices are lower bounds, kept
        in a heap; a project funded or found unaffordable leaves ``active`` and its entry is dropped)."""
        heap, active = self.heap, self.active
        best = math.inf
        fresh: list[tuple[float, int]] = []
        while heap and heap[0][0] <= best * (1 + RHO_TOL):
            _, j = heapq.heappop(heap)
            if j not in active:
                continue
            rho = self.float_rho(j)
            if rho is None:
                active.discard(j)
                continue
            fresh.append((rho, j))
            best = min(best, rho)
        for item in fresh:
            heapq.heappush(heap, item)
        return [j for rho, j in fresh if rho <= best * (1 + RHO_TOL)]

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
        price, poor_count, before, money = self.exact_price(j)
        poor_mask = self._poor(voters, money, price)
        self.money[voters] = np.where(poor_mask, 0.0, np.maximum(money - float(price), 0.0))
        self.broke[voters[poor_mask]] = True
        if len(self.prices) == self.paid.shape[1]:
            wider = np.zeros((len(self.paid), 2 * len(self.prices)), dtype=np.bool_)
            wider[:, : len(self.prices)] = self.paid
            self.paid = wider
        self.paid[voters[~poor_mask], len(self.prices)] = True
        self._record(price)
        util = self.inst.iutil[j]
        rho = price if util == 1 else price / util
        self.rounds.append(_Round(j, rho, price, before, poor_count))
        self.active.discard(j)
        self.levels.clear()

    def _poor(self, voters: npt.NDArray[np.intp], money: FloatArray, price: Fraction) -> BoolArray:
        """Which of ``voters`` (holding ``money`` in floats) hold (exactly) less than ``price``."""
        level = float(price)
        band = MONEY_TOL * (level + float(self.b))
        poor = money < level - band
        unsure = np.flatnonzero(np.abs(money - level) <= band)
        if len(unsure):
            poor[unsure] = [value < price for value in self.exact_each(voters[unsure])]
        return poor

    def exact_each(self, voters: npt.NDArray[np.intp]) -> list[Fraction]:
        """The exact money of each of ``voters``."""
        rows, inverse = np.unique(self.paid[voters, : len(self.prices)], axis=0, return_inverse=True)
        values = [
            self.b - sum((p for p, r in zip(self.prices, row, strict=True) if r), Fraction(0)) for row in rows
        ]
        broke = self.broke[voters]
        return [Fraction(0) if broke[i] else values[int(k)] for i, k in enumerate(inverse.reshape(-1))]

    def exact_moneys(self, projects: list[int]) -> list[Fraction]:
        """Exact total money of the supporters of each of ``projects``."""
        return [self.exact_money(self.inst.groups[j]) for j in projects]

    def run(self) -> _VoterRun:
        while (j := self.choose()) is not None:
            self.fund(j)
        return self

    @property
    def selected(self) -> list[int]:
        return [r.project for r in self.rounds]


_AnyRun = _Run | _VoterRun


def _run(inst: _Instance, b: Fraction) -> _AnyRun:
    """An exact MES run at ``b`` (not yet run): ``_Run`` (classes) unless the ballots are long. Both give the
    same rounds; with long ballots the payment histories split the voters into hundreds of classes per
    project, where the per-voter floats of ``_VoterRun`` are faster (Wawer 2020, mean ballot 8.7 projects:
    15 ms instead of 31 ms; Wieliczka 2023, 2.5 projects: 2 ms instead of 4 ms)."""
    return _VoterRun(inst, b) if _long_ballots(inst.matrix) else _Run(inst, b)


def _long_ballots(matrix: ApprovalMatrix) -> bool:
    return len(matrix.supporters) > LONG_BALLOTS * matrix.n_voters


def _water_level(money: FloatArray, cost: float, lowest: float | None = None, below: float = 0.0) -> float:
    """Float ``p`` with ``sum(min(money, p)) == cost`` (the supporters can afford the project); ``below`` is
    known to be at most ``p`` (e.g. the level earlier in the same run: levels only rise as money falls).

    Without sorting (Newton's method on the concave ``sum(min(money, p)) - cost``): starting from
    ``max(cost / k, below)``, the voters holding less than the current level pay all they have and the others
    share the rest; the level only rises, so the poor only grow, and it is the water level once no new voter
    turns poor (two to four passes); sorted if that takes long."""
    k = len(money)
    level = cost / k
    if (float(np.minimum.reduce(money)) if lowest is None else lowest) >= level:
        return level
    level = max(level, below)
    count = 0
    for _ in range(WATER_PASSES):
        poor = money < level
        now = int(np.count_nonzero(poor))
        if now == count:
            return level
        if now == k:  # affordable only up to float rounding: everybody pays all they have
            return float(np.maximum.reduce(money))
        count = now
        level = (cost - float(np.add.reduce(money.compress(poor)))) / (k - now)
    return sweep.sorted_level(money, np.ones(k), cost, float(k))


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
    matrix = profile.of(data) if isinstance(data, Election) else data
    if matrix.vote_type != "approval":
        raise ValueError(f"the Method of Equal Shares needs approval ballots, not {matrix.vote_type} ballots")
    return matrix


def _per_voter(matrix: ApprovalMatrix) -> Fraction:
    return matrix.budget_exact / matrix.n_voters if matrix.n_voters else Fraction(0)


def _plain(data: Election | ApprovalMatrix, utility: str, rule: str) -> Outcome:
    matrix = _matrix(data)
    inst = _instance(matrix, utility, "lexico")
    state = _run(inst, _per_voter(matrix)).run()
    return _outcome(inst, state, rule, {"voter_budget": str(state.b)})


def mes_cost(data: Election | ApprovalMatrix) -> Outcome:
    """MES with cost utilities, no completion (pabutools ``method_of_equal_shares`` with ``Cost_Sat``)."""
    return _plain(data, "cost", "mes_cost")


def mes_card(data: Election | ApprovalMatrix) -> Outcome:
    """MES with cardinality utilities, no completion (pabutools with ``Cardinality_Sat``)."""
    return _plain(data, "card", "mes_card")


# -- add-one completion ----------------------------------------------------------------------------------


class _Unsure(Exception):
    """A float comparison too close to call: the exact engine decides."""


NEVER = np.iinfo(np.int32).max  # ``poor_at`` of a voter who always paid the full level


@dataclass
class _Member:
    project: int
    rho: float  # at the budget of the run it belongs to
    held: FloatArray | None  # the supporters' money when it was funded, if some were (nearly) poor
    exact: tuple[int, int] | None  # the exact rho as (numerator, denominator), when known (``_Search.price``)


class _Price(NamedTuple):
    """A project's price at one point of a float run."""

    rho: float
    held: FloatArray  # its supporters' money
    level: float  # what each supporter who is not poor pays
    lowest: float  # the least money among its supporters
    exact: tuple[int, int] | None  # the exact rho as (numerator, denominator), when known


@dataclass
class _Batch:
    members: list[_Member]  # consecutive funded projects whose funding order does not matter
    first: float  # the first member's rho (a batch groups close prices)
    top: float  # the largest rho of the members


@dataclass
class _Base:
    """An MES outcome at per-voter budget ``b``: its funding sequence, split into batches, and for each voter
    the first batch in which they paid all they had (``NEVER`` if none)."""

    b: int
    batches: list[_Batch]
    poor_at: npt.NDArray[np.int32]

    @property
    def selected(self) -> list[int]:
        return [m.project for batch in self.batches for m in batch.members]


class _Search:
    """Float Equal Shares for the add-one search. Floats decide only with a margin: two prices within a
    relative ``RHO_TOL``, or supporters within ``MONEY_TOL`` of a cost, are decided exactly (a price equal to
    ``C / (k u)`` is exact when every supporter surely pays the full level) or raise ``_Unsure`` (a run then
    goes to the exact engine; a replay proves less, which is always safe).

    Written for few NumPy calls per project: the candidates wait in a heap keyed by a lower bound of their
    price (a stale price: prices only rise within a run), the price found when choosing a project is reused
    to fund it, and exact prices are kept as integer pairs until two of them must be compared."""

    def __init__(self, inst: _Instance) -> None:
        self.inst = inst
        self.groups = inst.groups
        self.costs = [float(c) for c in inst.costs]
        self.util = [float(u) for u in inst.util]
        self.icosts = list(inst.costs)
        self.iutil = [int(u) for u in inst.util]
        self.rank = [int(r) for r in inst.rank]
        self.candidates = inst.candidates()
        self.heap = sorted((self.costs[j] / (len(self.groups[j]) * self.util[j]), j) for j in self.candidates)
        self.n_voters = inst.matrix.n_voters
        self.flag = np.zeros(self.n_voters, dtype=np.int8)
        self.broke = np.zeros(self.n_voters, dtype=np.bool_)  # surely holds exactly 0 (this run)
        self.runs = self.exact_runs = self.replays = 0

    # -- one project -------------------------------------------------------------------------------------
    def price(self, money: FloatArray, j: int, b: float, below: float = 0.0) -> _Price | None:
        """The price of ``j`` at this point, or None when its supporters surely cannot afford it; ``below``
        is a lower bound of its rho (a stale one: prices only rise within a run)."""
        held = money[self.groups[j]]
        cost = self.costs[j]
        total = float(np.add.reduce(held))
        if abs(total - cost) <= MONEY_TOL * cost:
            raise _Unsure
        if total < cost:
            return None
        return self._price(held, j, b, below)

    def _price(self, held: FloatArray, j: int, b: float, below: float = 0.0) -> _Price:
        """The water level of ``j`` given its supporters' money ``held`` (they can afford it). The level is
        exact, ``C / (k - z)``, when the ``z`` supporters holding 0 are surely broke and every other one
        surely holds more than it; otherwise it is the float water level."""
        cost, k = self.costs[j], len(held)
        lowest = float(np.minimum.reduce(held))
        level = cost / k
        if lowest >= level + MONEY_TOL * (level + b):
            return _Price(level / self.util[j], held, level, lowest, (self.icosts[j], k * self.iutil[j]))
        if lowest == 0.0:  # the broke pay nothing: exact if the others surely pay C / (k - broke)
            broke = int(np.count_nonzero(held == 0.0))
            paying = cost / (k - broke) if broke < k else math.inf
            # every other supporter surely holds more than that level, and every one holding 0 is surely
            # broke (a broke voter always holds exactly 0.0, so it is enough that the counts agree)
            if (
                broke < k
                and int(np.count_nonzero(held < paying + MONEY_TOL * (paying + b))) == broke
                and int(np.count_nonzero(self.broke[self.groups[j]])) == broke
            ):
                exact = (self.icosts[j], (k - broke) * self.iutil[j])
                return _Price(paying / self.util[j], held, paying, lowest, exact)
        level = _water_level(held, cost, lowest, below * self.util[j] * (1 - 1e-12))
        return _Price(level / self.util[j], held, level, lowest, None)

    def fund(self, money: FloatArray, j: int, b: float, base: _Base, got: _Price | None = None) -> _Price:
        """Fund ``j`` (update ``money``; ``got``: its price if just computed on this ``money``) and put it in
        the current batch of ``base`` when its order cannot matter: a voter who supports two members of a
        batch must pay the full level in both (hold more than the sum of their levels), so that any order
        gives the same levels and the same money after it."""
        group = self.groups[j]
        if got is None:
            got = self._price(money[group], j, b)
        held, level = got.held, got.level
        band = MONEY_TOL * (level + b)
        near: BoolArray | None = None  # poor (or broke), or too close to the level to tell
        if got.lowest >= level + band:
            money[group] = held - level
        else:
            near = held < level + band
            if got.lowest < level - band:
                self.broke[group[held < level - band]] = True
            money[group] = np.maximum(held - level, 0.0)
        rho = level / self.util[j]
        member = _Member(j, rho, None if near is None else held, got.exact)
        batches = base.batches
        if batches:
            current = batches[-1]
            if abs(rho - current.first) <= BATCH_TOL * current.first:
                seen = self.flag[group]
                if int(np.maximum.reduce(seen)) < 2 and (near is None or not seen[near].any()):
                    current.members.append(member)
                    current.top = max(current.top, rho)
                    self.flag[group] = seen | 1 if near is None else np.where(near, 2, seen | 1)
                    if near is not None:
                        self._mark_poor(base, group[near])
                    return got
        self.flag.fill(0)
        self.flag[group] = 1 if near is None else np.where(near, 2, 1)
        batches.append(_Batch([member], rho, rho))
        if near is not None:
            self._mark_poor(base, group[near])
        return got

    @staticmethod
    def _mark_poor(base: _Base, poor: npt.NDArray[np.intp]) -> None:
        base.poor_at[poor] = np.minimum(base.poor_at[poor], len(base.batches) - 1)

    def _empty(self, b: int) -> tuple[FloatArray, _Base]:
        self.broke.fill(False)
        return np.full(self.n_voters, float(b)), _Base(b, [], np.full(self.n_voters, NEVER, dtype=np.int32))

    # -- a run -------------------------------------------------------------------------------------------
    def run(self, b: int) -> _Base:
        """MES at ``b`` (floats when every decision has a margin, else the exact engine)."""
        self.runs += 1
        try:
            return self._float_run(b)
        except _Unsure:
            self.exact_runs += 1
            return self.follow(_run(self.inst, Fraction(b)).run().selected, b)

    def _float_run(self, b: int) -> _Base:
        money, base = self._empty(b)
        heap = list(self.heap)  # (lower bound of the price, project); a sorted list is a heap
        while True:
            best = math.inf
            fresh: list[tuple[float, int, _Price]] = []
            while heap and heap[0][0] <= best * (1 + RHO_TOL):
                stale, j = heapq.heappop(heap)
                got = self.price(money, j, b, stale)
                if got is None:  # it stays unaffordable: money only falls
                    continue
                fresh.append((got.rho, j, got))
                best = min(best, got.rho)
            if not fresh:
                return base
            near = [item for item in fresh if item[0] <= best * (1 + RHO_TOL)]
            if len(near) > 1:
                if any(item[2].exact is None for item in near):
                    raise _Unsure
                near.sort(key=lambda item: (Fraction(*item[2].exact or (0, 1)), self.rank[item[1]]))
            chosen = near[0]
            for rho, j, _ in fresh:
                if j != chosen[1]:
                    heapq.heappush(heap, (rho, j))
            self.fund(money, chosen[1], b, base, chosen[2])

    def follow(self, sequence: list[int], b: int) -> _Base:
        """The batches of a known MES sequence at ``b`` (no decisions to take)."""
        money, base = self._empty(b)
        for j in sequence:
            self.fund(money, j, b, base)
        return base

    # -- a replay ----------------------------------------------------------------------------------------
    def replay(self, base: _Base, b1: int) -> tuple[_Base | None, int]:
        """Replay ``base``'s batches at ``b1 > base.b`` and prove for which budgets in ``[base.b, b1]`` MES
        funds the same set: returns the run at ``b1`` (up to the order inside batches) if all of them, else
        None, and the largest ``b`` such that every budget in ``[base.b, b]`` is proven.

        Bounds (module docstring): ``grow[i]`` is a rate such that voter ``i``'s money (at this point of the
        sequence) at ``b1`` exceeds that at any ``b`` in ``[base.b, b1]`` by at least ``grow[i] * (b1 - b)``;
        ``rise[i]`` one such that the money at ``b`` exceeds that at ``base.b`` by ``rise[i] * (b - base.b)``.
        A rival's rho is then bounded below by a line, each member's rho above by a chord, and the budgets
        where the line stays above the chord are proven."""
        self.replays += 1
        b0, delta = base.b, b1 - base.b
        money, new = self._empty(b1)
        grow, rise = np.ones(self.n_voters), np.ones(self.n_voters)
        active = set(self.candidates)
        heap = list(self.heap)
        last = b1
        try:
            for q, batch in enumerate(base.batches):
                active.difference_update(m.project for m in batch.members)
                bound = batch.top * (1 + RHO_TOL)
                uppers = [self._upper(m, rise, delta) for m in batch.members]  # levels at b1
                top1 = max(u / self.util[m.project] for m, u in zip(batch.members, uppers, strict=True))
                back: list[tuple[float, int]] = []
                while heap and heap[0][0] <= bound:
                    stale, j = heapq.heappop(heap)
                    if j not in active:  # funded by now
                        continue
                    got = self.price(money, j, b1, stale)
                    if got is None:
                        active.discard(j)
                        continue
                    back.append((got.rho, j))
                    if got.rho > bound or (got.exact is not None and self._loses_tie(j, got.exact, batch)):
                        continue
                    last = min(last, self._proven(base, batch, j, got, b1, top1, grow))
                    if last <= b0:
                        return None, b0
                for item in back:
                    heapq.heappush(heap, item)
                for member, upper in zip(batch.members, uppers, strict=True):
                    self._advance(base, q, member, upper, money, b1, new, grow, rise)
            last = min(last, self._unaffordable(active, money, b0, b1, grow))
        except _Unsure:
            return None, b0
        return (new if last >= b1 else None), max(last, b0)

    def _unaffordable(self, left: set[int], money: FloatArray, b0: int, b1: int, grow: FloatArray) -> int:
        """The largest budget up to which every project in ``left`` is surely unaffordable at the end: its
        supporters' total money at ``b`` is at most the total at ``b1`` minus ``sum(grow) * (b1 - b)``."""
        last = b1
        for j in left:
            group = self.groups[j]
            total, cost = float(np.add.reduce(money[group])), self.costs[j]
            if total < cost * (1 - MONEY_TOL):
                continue
            rate = float(np.add.reduce(grow[group]))
            if rate <= 0:
                return b0
            last = min(last, math.ceil(b1 - (total - cost * (1 - MONEY_TOL)) / rate) - 1)
        return max(b0, last)

    def _upper(self, member: _Member, rise: FloatArray, delta: int) -> float:
        """An upper bound of the member's level at ``base.b + delta``: its supporters hold at least
        ``held + rise * delta`` there, and the level only falls when they hold more."""
        if member.held is None:  # everybody paid the full level C / k at base.b: it stays so
            return member.rho * self.util[member.project]
        j = member.project
        return _water_level(member.held + rise[self.groups[j]] * delta, self.costs[j])

    def _advance(
        self,
        base: _Base,
        q: int,
        member: _Member,
        upper: float,
        money: FloatArray,
        b1: int,
        new: _Base,
        grow: FloatArray,
        rise: FloatArray,
    ) -> None:
        """Fund ``member`` at ``b1`` and carry the growth rates through it. Its level falls, from ``base.b``
        to ``b``, by at least ``(level0 - upper) / delta`` per unit (the level is convex in ``b`` under the
        lower bound of the money), and from ``b`` to ``b1`` by at least the growth of its poor supporters'
        money shared among the payers; voters who paid the full level at ``base.b`` (so at every larger
        budget) gain that fall, the others get rate 0 (their money can only be larger, never smaller)."""
        j = member.project
        group = self.groups[j]
        got = self.fund(money, j, b1, new)
        held, level = got.held, got.rho * self.util[j]
        fall = 0.0
        if got.lowest < level:
            poor = held < level
            payers = len(held) - int(np.count_nonzero(poor))
            fall = float(np.add.reduce(grow[group][poor])) / payers if payers else 0.0
        was_poor = base.poor_at[group] <= q  # did not pay the full level at base.b
        if fall != 0.0 or was_poor.any():
            grow[group] = np.where(was_poor, 0.0, grow[group] + fall)
        if member.held is not None:
            delta = b1 - base.b
            fall0 = max(0.0, (member.rho * self.util[j] - upper) / delta)
            rise[group] = np.where(was_poor, 0.0, rise[group] + fall0)

    def _loses_tie(self, j: int, exact: tuple[int, int], batch: _Batch) -> bool:
        """Rival ``j``'s rho is ``exact`` at ``b1``, so at least that at every smaller budget; the members'
        rhos are at most their exact rhos at ``base.b``. Does ``j`` lose for sure, by a larger rho or an
        exact tie and a worse rank than every member that could reach the same rho?"""
        close = [m for m in batch.members if m.rho >= batch.top * (1 - RHO_TOL)]
        if any(m.exact is None for m in close):
            return False
        exacts = {m.project: Fraction(*m.exact) for m in close if m.exact is not None}
        top = max(exacts.values())
        rank = max(self.rank[p] for p, value in exacts.items() if value == top)
        mine = Fraction(*exact)
        return mine > top or (mine == top and self.rank[j] > rank)

    def _proven(
        self,
        base: _Base,
        batch: _Batch,
        j: int,
        got: _Price,
        b1: int,
        upper: float,
        grow: FloatArray,
    ) -> int:
        """The largest budget up to which rival ``j`` (price ``got`` computed at ``b1``) surely loses to
        ``batch``. Lower bound of its rho at ``b``: its supporters poor at ``b1`` stay poor and pay
        everything, and hold at least ``grow * (b1 - b)`` less, so
        ``rho(b) >= (C - S + G * (b1 - b)) / (k - p) / u`` (``p`` poor voters holding ``S``, ``G`` the sum of
        their rates). Upper bound of the batch: the chord from its top at ``base.b`` to ``upper`` (the
        largest members' rho bound) at ``b1``."""
        b0, delta = base.b, b1 - base.b
        held, level = got.held, got.level
        poor = held < level
        payers = len(held) - int(np.count_nonzero(poor))
        if payers == 0:
            return b0
        scale = payers * self.util[j]
        low = (self.costs[j] - float(np.add.reduce(held[poor]))) / scale  # about the rho at b1
        slope = float(np.add.reduce(grow[self.groups[j]][poor])) / scale
        margin = RHO_TOL * batch.top
        gap0 = low + slope * delta - batch.top - margin  # at b0
        gap1 = low - upper - margin  # at b1
        if gap0 <= 0:
            return b0
        if gap1 > 0:
            return b1
        return max(b0, math.ceil(b0 + delta * gap0 / (gap0 - gap1)) - 1)


def _add1(matrix: ApprovalMatrix) -> tuple[_Instance, _AnyRun, dict[str, object]]:
    inst = _instance(matrix, "cost", "cost_then_votes")
    floor = matrix.budget // matrix.n_voters if matrix.n_voters else 0
    details: dict[str, object]
    if not matrix.n_voters:
        increments, details = 0, {}
    elif _sweeps(matrix) and (swept := _swept_increments(inst, floor)) is not None:
        increments, details = swept
    else:
        search = _Search(inst)
        increments = _increments(search, floor)
        details = {"runs": search.runs, "exact_runs": search.exact_runs, "replays": search.replays}
    b = Fraction(floor + increments) if increments else _per_voter(matrix)
    return inst, _run(inst, b).run(), {"voter_budget": str(b), "increments": increments, **details}


def _sweeps(matrix: ApprovalMatrix) -> bool:
    """Whether add-one sweeps every budget at once (``_swept_increments``) rather than searching
    (``_increments``): for short ballots and up to ``SWEEP_VOTERS`` voters. A sweep recomputes the classes
    of each node's supporters over the distinct ballots every round, which grows with the electorate
    (Łódź 2023, 70,747 voters: 1.08 s swept, 0.77 s searched), and long ballots split the voters into so
    many classes that a node's rows share little (Wawer 2020)."""
    return not _long_ballots(matrix) and matrix.n_voters <= SWEEP_VOTERS


def _swept_increments(inst: _Instance, floor: int) -> tuple[int, dict[str, object]] | None:
    """``_increments`` by running Equal Shares at many budgets at once (``sweep.Sweep``), a range of budgets
    at a time. The first range is guessed from one run at ``floor + 1``: each unit of per-voter budget adds
    ``n`` to the money, and about half of it ends up spent (Wieliczka 2023: 164 units where a full spend
    would take 78), so twice the units a full spend would need, and 16 more. Then as many as the trend of
    the outcomes' cost suggests are left before it passes the budget (a sixth more and 8; at least 16, at
    most four times the last range). The sweep keeps a row of money per budget, so it gives up (None: the
    search takes over, which proves long ranges at once) once more than ``SWEEP_BUDGETS`` budgets would be
    needed, or more than ``sweep.MAX_CELLS`` cells of money."""
    matrix = inst.matrix
    scan = _Scan(inst)
    spent = scan.cost(sum(1 << j for j in _Search(inst).run(floor + 1).selected))
    if spent > matrix.budget:
        return 0, {"swept": 0, "exact_runs": 0}
    ranks = [int(r) for r in inst.rank]
    swept = sweep.Sweep(matrix, inst.costs, ranks, scan.candidates, rho_tol=RHO_TOL, money_tol=MONEY_TOL)
    t, size, budgets = 1, int(2 * (matrix.budget - spent) / matrix.n_voters) + 16, 0
    while budgets + size <= SWEEP_BUDGETS:
        try:
            masks = swept.funded_sets(list(range(floor + t, floor + t + size)))
        except sweep.TooLarge:
            return None
        budgets += size
        stop = scan.stop(masks, floor + t, t)
        if stop is not None:
            return stop, {"swept": budgets, "exact_runs": scan.exact}
        slope = (scan.last - spent) / (t + size - 2) if t + size > 2 else 0.0
        guess = (matrix.budget - scan.last) / slope if slope > 0 else 2.0 * size
        t, size = t + size, int(min(max(guess * 7 / 6 + 8, 16), 4 * size))
    return None


@dataclass(eq=False)
class _Scan:
    """Reads the funded sets of consecutive budgets as the add-one procedure does (``_swept_increments``)."""

    inst: _Instance
    candidates: list[int] = field(init=False)
    everything: int = field(init=False)  # the bit mask of every project Equal Shares can fund
    costs: dict[int, int] = field(default_factory=dict)
    exact: int = 0  # budgets the sweep left unsure, run by the exact engine
    last: int = 0  # the cost of the last set read

    def __post_init__(self) -> None:
        self.candidates = self.inst.candidates()
        self.everything = sum(1 << j for j in self.candidates)

    def cost(self, mask: int) -> int:
        if mask not in self.costs:
            self.costs[mask] = sum(self.inst.costs[j] for j in self.candidates if mask >> j & 1)
        return self.costs[mask]

    def stop(self, masks: list[int], b: int, t: int) -> int | None:
        """The increment add-one ends on among the sets ``masks`` of budgets ``b, b + 1, ...`` (increments
        ``t, t + 1, ...``), or None when every one of them fits and leaves a project out."""
        for k, mask in enumerate(masks):
            if mask == sweep.UNSURE:
                self.exact += 1
                mask = sum(1 << j for j in _run(self.inst, Fraction(b + k)).run().selected)
            self.last = self.cost(mask)
            if self.last > self.inst.matrix.budget:
                return t + k - 1
            if mask == self.everything:
                return t + k
        return None


def _increments(search: _Search, floor: int) -> int:
    """How many units above ``floor`` the last per-voter budget whose MES outcome fits may be (0: none fits).
    From an outcome at ``b`` a replay at ``b + step`` proves the same set up to some budget ``last``: when all
    the way, the step doubles; otherwise MES runs at ``last + 1`` and the next step is about the range just
    proven. (At step 1 a run is as cheap as a replay and always decides, so it runs; the replay after it
    starts from the length of the last range proven rather than from 2: on Budapest 2024 that saves a
    tenth of the replays.) Where the outcome changes at almost every unit a replay proves nothing and costs
    time, so after one that proved nothing the next ``pause`` budgets are run plainly, ``pause`` doubling (up
    to ``PAUSE_MAX``) while replays keep failing: Wawer 2020 needs 166 runs + 21 replays instead of 162 + 81,
    Łódź 2023 83 + 11 instead of 82 + 40."""
    inst = search.inst
    budget, everything = inst.matrix.budget, len(search.candidates)
    b, step, proven, plain, pause = floor + 1, 1, 2, 0, 1
    base = search.run(b)
    while True:
        if sum(inst.costs[j] for j in base.selected) > budget:
            return b - 1 - floor
        if len(base.selected) == everything:
            return b - floor
        if step > 1 and not plain:
            replay, last = search.replay(base, b + step)
            if replay is not None:
                b, base, step, pause = b + step, replay, step * 2, 1
                proven = max(proven, step)
                continue
            if last == b and step > SHRINK_ABOVE:  # nothing proven: the bounds were too loose this far
                step //= 4
                continue
            if last > b:
                proven, pause = last - b, 1
            else:  # nothing proven at a short step: the outcome changes at almost every unit here
                plain, pause = pause, min(2 * pause, PAUSE_MAX)
            step = max(1, last - b)
        else:
            plain = max(0, plain - 1)
            last, step = b, max(2, proven)
        b = last + 1
        base = search.run(b)


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
    inst: _Instance, state: _AnyRun, rule: str, details: dict[str, object], added: list[int] | None = None
) -> Outcome:
    """The outcome with an explanation per project. Written as one loop with the dictionaries spelt out (no
    helper per project): on small elections the explanations were a third of the solve."""
    matrix = inst.matrix
    ids, costs, groups = matrix.project_ids, inst.costs, inst.groups
    free = inst.free()
    chosen = free + state.selected + (added or [])
    funded = {r.project: (i, r) for i, r in enumerate(state.rounds, start=1)}
    free_set, added_set = set(free), set(added or [])
    left = [j for j in range(matrix.n_projects) if len(groups[j]) and j not in funded]
    left = [j for j in left if j not in free_set and j not in added_set]
    money = dict(zip(left, state.exact_moneys(left), strict=True))  # of the unfunded supported projects
    explanations: dict[str, ProjectExplanation] = {}
    for j, pid in enumerate(ids):
        base: dict[str, object] = {"cost": costs[j], "supporters": len(groups[j])}
        if j in funded:
            number, step = funded[j]
            base["round"] = number
            base["rho"] = _show(step.rho)
            base["rho_value"] = _value(step.rho)
            base["payment"] = _show(step.price)
            base["supporters_money"] = _show(step.money_before)
            base["supporters_money_value"] = _value(step.money_before)
            base["poor_supporters"] = step.poor
            explanations[pid] = ProjectExplanation(pid, True, "funded", base)
        elif j in free_set:
            base["round"], base["rho"] = 0, "0"
            explanations[pid] = ProjectExplanation(pid, True, "funded", base)
        elif j in added_set:
            base["stage"] = "greedy_completion"
            explanations[pid] = ProjectExplanation(pid, True, "funded", base)
        elif j in money:
            held = money[j]
            base["supporters_money"], base["supporters_money_value"] = _show(held), _value(held)
            explanations[pid] = ProjectExplanation(pid, False, "insufficient_support", base)
        else:
            explanations[pid] = ProjectExplanation(pid, False, "no_support", base)
    return Outcome(
        rule=rule,
        selected=tuple(ids[j] for j in chosen),
        total_cost=sum(costs[j] for j in chosen),
        budget=matrix.budget,
        explanations=explanations,
        details={"utility": inst.utility, "rounds": len(state.rounds), **details},
    )


def _value(value: Fraction) -> float:
    """``float(value)`` (the same correctly rounded quotient) without the generic ``numbers`` path."""
    return value.numerator / value.denominator


def _show(value: Fraction) -> str:
    return str(value)
