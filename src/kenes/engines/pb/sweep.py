"""Equal Shares at many per-voter budgets at once: the add-one search for elections of modest size.

The cities' add-one procedure (``mes.mes_cost_add1``) runs Equal Shares at ``b = floor(budget / n) + t`` for
``t = 1, 2, ...`` and keeps the last outcome that fits the budget. On Wieliczka 2023 that is 164 runs, and the
funding order changes at 75 of them, so proving ranges of budgets where the outcome cannot change
(``mes._Search``) saves little there. ``Sweep`` runs a whole range of budgets side by side instead, one row
per budget, so that each NumPy call serves many budgets.

Why budgets can share work: within one run, two voters who approve the same funded projects have paid the
same amounts (or gone poor together), so they hold the same money. Voters therefore fall into *classes*
that depend only on the projects funded so far, not on the budget. A *node* is a sequence of funded
projects with its classes; the rows whose runs funded exactly that sequence sit in it, each holding its own
money per class. A project's price in a row is the water level over the classes of its supporters: their
*histogram* (which classes, how many voters in each), found once per node and project with one
``bincount``, serves every row of the node. Wieliczka's 164 runs of about 26 rounds pass through 753 nodes
instead of 4,300 run-rounds, and every round of every run is computed in one batch of NumPy calls per round
number (about 32 batches instead of 4,300). Each class's money sits in a column of one run x column array
that never moves: funding a project gives its supporters' classes new columns and leaves the others alone.

The ballots are first reduced to the distinct ones with their multiplicities (Wieliczka: 6,586 voters,
1,190 distinct ballots over the projects Equal Shares can fund).

Floats only filter, with the margins ``mes`` passes in (``mes.MONEY_TOL``, ``mes.RHO_TOL``, the search's own):
a project's supporters holding within ``money_tol`` of its cost, a class within that band of the level it
is charged, or two prices within ``rho_tol`` of each
other that are not both known exactly, make the row *unsure*, and the caller runs that budget with the exact
engine. A price is known exactly when every supporter either surely pays the full level or holds exactly
nothing (money is set to 0.0 only by a sure decision that the class was poor): with cost utilities it is
``cost / (payers * cost) = 1 / payers``. Within a run a project's price only rises (money only falls), so a
price seen in an earlier round is a lower bound, and a row only computes the prices that may beat its best
one, as the heap of a single run does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .profile import ApprovalMatrix

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntpArray = npt.NDArray[np.intp]

WATER_PASSES = 8  # passes of Newton's method before a water level is found by sorting
AHEAD = 4  # a run with no affordable price yet computes this many prices at once (the lowest bounds)
UNSURE = -1  # the outcome of a budget the floats could not decide
MAX_CELLS = 2**25  # the most money cells (runs x columns, 8 bytes each: 256 MiB) a sweep may hold


class TooLarge(Exception):
    """The sweep would need more than ``MAX_CELLS`` cells of money: the caller should search instead."""


@dataclass(frozen=True, eq=False)
class Ballots:
    """The distinct ballots over the projects Equal Shares can fund, with their multiplicities."""

    weight: FloatArray  # voters per distinct ballot
    approves: BoolArray  # distinct ballot x project
    groups: list[IntpArray]  # the distinct ballots approving each project

    @classmethod
    def of(cls, matrix: ApprovalMatrix, candidates: list[int]) -> Ballots:
        keep = np.zeros(matrix.n_projects, dtype=np.bool_)
        keep[candidates] = True
        dense = matrix.dense() & keep
        packed = np.ascontiguousarray(np.packbits(dense, axis=1))
        rows = packed.view(np.dtype((np.void, max(packed.shape[1], 1))))[:, 0] if packed.size else None
        if rows is None:  # no project at all
            return cls(np.asarray([float(matrix.n_voters)]), dense[:1], [])
        _, first, counts = np.unique(rows, return_index=True, return_counts=True)
        approves = dense[first]
        groups = [np.flatnonzero(approves[:, j]) for j in range(matrix.n_projects)]
        return cls(counts.astype(np.float64), approves, groups)


@dataclass(eq=False)
class _Nodes:
    """The nodes the live runs are in after some rounds: a node is a sequence of funded projects with its
    classes. ``cls[k]`` gives the class of each distinct ballot in node ``k``; a class is a column of
    ``_Runs.money``. Columns are never renumbered: funding a project gives its supporters' classes new
    columns (from ``width[k]`` on) and leaves the others where they are."""

    masks: list[int]  # per node: the bit mask of its funded projects
    cls: npt.NDArray[np.intp]  # node x distinct ballot
    width: IntpArray  # per node: the columns in use


@dataclass(eq=False)
class _Runs:
    """Every budget's run, each a row: its money per class (column) and lower bounds of its prices."""

    budget: FloatArray
    money: FloatArray  # run x column
    stale: FloatArray  # run x project of ``ids``: lower bounds of the prices (inf: funded or unaffordable)
    ids: IntpArray  # the projects some live run may still fund (the others' columns are dropped)

    def widen(self, width: int) -> None:
        """Make room for ``width`` columns (at least doubling, so that the copies stay few, within
        ``MAX_CELLS``; ``TooLarge`` beyond)."""
        if width > self.money.shape[1]:
            if len(self.money) * width > MAX_CELLS:
                raise TooLarge
            room = min(max(width, 2 * self.money.shape[1]), MAX_CELLS // max(len(self.money), 1))
            grown = np.zeros((len(self.money), room))
            grown[:, : self.money.shape[1]] = self.money
            self.money = grown


@dataclass(frozen=True, eq=False)
class _Histograms:
    """For some (node, project) pairs, the classes among the project's supporters in that node and the
    number of voters in each: pair ``q`` owns ``classes[offsets[q]:offsets[q + 1]]`` and ``counts`` alike."""

    classes: IntpArray
    counts: FloatArray
    offsets: IntpArray

    def expand(self, which: IntpArray) -> tuple[IntpArray, IntpArray, IntpArray]:
        """The entries of pairs ``which`` laid end to end: (index of each entry, start of each pair's
        entries, number of entries of each pair)."""
        lengths = (self.offsets[1:] - self.offsets[:-1])[which]
        ends = np.cumsum(lengths)
        starts = ends - lengths
        index = np.arange(int(ends[-1])) + np.repeat(self.offsets[which] - starts, lengths)
        return index, starts, lengths


class Sweep:
    """Equal Shares with cost utilities and the cities' tie-breaking (``rank``) at many budgets at once."""

    def __init__(
        self,
        matrix: ApprovalMatrix,
        costs: list[int],
        rank: list[int],
        candidates: list[int],
        *,
        rho_tol: float,
        money_tol: float,
    ) -> None:
        self.rho_tol, self.money_tol = rho_tol, money_tol  # relative bands decided exactly (module docstring)
        self.rank = np.asarray(rank, dtype=np.intp)
        self.n_projects = matrix.n_projects
        self.ballots = Ballots.of(matrix, candidates)
        groups = self.ballots.groups
        self.ptr = np.zeros(self.n_projects + 1, dtype=np.intp)
        np.cumsum([len(g) for g in groups], out=self.ptr[1:])
        self.members = np.concatenate(groups) if groups else np.zeros(0, dtype=np.intp)
        self.costs = np.asarray(costs, dtype=np.float64)
        self.supporters = np.asarray([len(g) for g in matrix.groups], dtype=np.float64)
        self.start = np.full(self.n_projects, np.inf)
        for j in candidates:  # the level is at least cost / supporters, and rho = level / cost
            self.start[j] = 1.0 / self.supporters[j]

    def funded_sets(self, budgets: list[int]) -> list[int]:
        """For each per-voter budget, the bit mask of the projects Equal Shares funds, or ``UNSURE``. Raises
        ``TooLarge`` when the money of so many runs would not fit in ``MAX_CELLS``."""
        found = [UNSURE] * len(budgets)
        count = len(budgets)
        values = np.asarray(budgets, dtype=np.float64)
        ids = np.flatnonzero(np.isfinite(self.start))
        runs = _Runs(values, values[:, None].copy(), np.tile(self.start[ids], (count, 1)), ids)
        nodes = _Nodes([0], np.zeros((1, len(self.ballots.weight)), dtype=np.intp), np.ones(1, dtype=np.intp))
        live, node = np.arange(count), np.zeros(count, dtype=np.intp)
        while len(live):
            live, node, nodes = self._round(runs, live, node, nodes, found)
        return found

    # -- one round of every live run -----------------------------------------------------------------------
    def _round(
        self, runs: _Runs, live: IntpArray, node: IntpArray, nodes: _Nodes, found: list[int]
    ) -> tuple[IntpArray, IntpArray, _Nodes]:
        """One round of the runs ``live`` (in nodes ``node``): price what may win, record the runs that stop,
        fund the winners. Returns the runs still going, their nodes and those nodes."""
        alive = np.isfinite(runs.stale[live]).any(axis=0)
        if not alive.all():  # no live run can fund these any more
            runs.stale, runs.ids = runs.stale[:, alive], runs.ids[alive]
        ids = runs.ids
        stale = runs.stale[live]
        b = runs.budget[live]
        count = len(live)
        fresh = np.zeros(stale.shape, dtype=np.bool_)
        levels = np.zeros(stale.shape)
        payers = np.zeros(stale.shape)  # where the price is known exactly: the voters paying the level
        unsure = np.zeros(count, dtype=np.bool_)
        best = np.full(count, np.inf)
        need = self._needs(stale, fresh, best)
        m = self.n_projects
        while True:
            need[unsure] = False
            at, local = np.nonzero(need)
            if not len(at):
                break
            projects = ids[local]
            pairs, which = np.unique(node[at] * m + projects, return_inverse=True)
            hist = self._histograms(nodes, pairs // m, pairs % m)
            price, level, known = self._price(hist, which, projects, runs.money, live[at], b[at], at, unsure)
            stale[at, local], levels[at, local], payers[at, local] = price, level, known
            fresh[at, local] = True
            best = np.where(fresh, stale, np.inf).min(axis=1)
            need = self._needs(stale, fresh, best)
        runs.stale[live] = stale
        done = np.flatnonzero(~np.isfinite(best) & ~unsure)
        for row, k in zip(live[done].tolist(), node[done].tolist(), strict=True):
            found[row] = nodes.masks[k]
        going = np.flatnonzero(np.isfinite(best) & ~unsure)
        if not len(going):
            return going, going, nodes
        winners = self._winners(ids, going, stale, fresh, best, payers, unsure)
        keep = ~unsure[going]
        going, winners = going[keep], winners[keep]
        if not len(going):
            return going, going, nodes
        runs.stale[live[going], winners] = np.inf
        return self._fund(runs, live[going], node[going], ids[winners], levels[going, winners], nodes)

    def _supporters(self, projects: IntpArray) -> tuple[IntpArray, IntpArray]:
        """The distinct ballots approving each of ``projects``, laid end to end, and how many each has."""
        starts = self.ptr[projects]
        lengths = self.ptr[projects + 1] - starts
        ends = np.cumsum(lengths)
        return self.members[np.arange(int(ends[-1])) + np.repeat(starts - (ends - lengths), lengths)], lengths

    def _histograms(self, nodes: _Nodes, owners: IntpArray, projects: IntpArray) -> _Histograms:
        """The classes among the supporters of ``projects[q]`` in node ``owners[q]``, for every ``q``, with
        the number of voters in each (the ballots' multiplicities summed per (pair, class) key). Each key
        elects one of its entries as its representative by a scatter into an uninitialised table, so that
        nothing scans the whole (pair, column) range: only the entries are touched."""
        members, lengths = self._supporters(projects)
        span = int(nodes.width.max())
        pair = np.repeat(np.arange(len(projects)), lengths)
        column = nodes.cls[np.repeat(owners, lengths), members]
        keys = pair * span + column
        entries = np.arange(len(keys))
        representative = np.empty(len(projects) * span, dtype=np.intp)
        representative[keys] = entries
        mine = representative[keys]
        totals = np.bincount(mine, weights=self.ballots.weight[members], minlength=len(keys))
        chosen = np.flatnonzero(mine == entries)
        offsets = np.zeros(len(projects) + 1, dtype=np.intp)
        np.cumsum(np.bincount(pair[chosen], minlength=len(projects)), out=offsets[1:])
        return _Histograms(column[chosen], totals[chosen].astype(np.float64, copy=False), offsets)

    def _needs(self, stale: FloatArray, fresh: BoolArray, best: FloatArray) -> BoolArray:
        """The prices each run must compute next: those whose lower bound may beat its best price, or, for
        a run with no affordable price yet, the ``AHEAD`` with the lowest lower bounds (near its end a run
        finds most projects unaffordable, one after the other)."""
        need = (stale <= best[:, None] * (1 + self.rho_tol)) & ~fresh
        empty = np.flatnonzero(~np.isfinite(best))
        if len(empty):
            pending = np.where(fresh[empty], np.inf, stale[empty])
            ahead = min(AHEAD, pending.shape[1])
            lowest = np.argpartition(pending, ahead - 1, axis=1)[:, :ahead]
            rows = np.repeat(empty, ahead)
            columns = lowest.reshape(-1)
            ok = np.isfinite(stale[rows, columns]) & ~fresh[rows, columns]
            need[empty] = False
            need[rows[ok], columns[ok]] = True
        return need

    def _price(
        self,
        hist: _Histograms,
        which: IntpArray,
        projects: IntpArray,
        money: FloatArray,
        rows: IntpArray,
        b: FloatArray,
        at: IntpArray,
        unsure: BoolArray,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """The price (rho) of ``projects[k]`` in run ``rows[k]`` (row ``at[k]`` of this round's arrays),
        whose supporters' classes are the pair ``which[k]`` of ``hist``, for every ``k``: (the prices, inf
        where the supporters cannot afford it; the levels; the voters paying the level where the price is
        known exactly, else 0)."""
        index, starts, lengths = hist.expand(which)
        counts = hist.counts[index]
        held = money.take(np.repeat(rows * money.shape[1], lengths) + hist.classes[index])
        cost, supporters = self.costs[projects], self.supporters[projects]
        spent = held * counts
        total = np.add.reduceat(spent, starts)
        close = np.abs(total - cost) <= self.money_tol * cost
        if close.any():
            unsure[at[close]] = True
        can = total > cost
        zero = held == 0.0
        paying = supporters - np.add.reduceat(np.where(zero, counts, 0.0), starts)
        level = cost / np.maximum(paying, 1.0)
        rest = np.minimum.reduceat(np.where(zero, np.inf, held), starts)
        sure = can & (rest >= level + self.money_tol * (level + b))
        hard = can & ~sure
        if hard.any():
            entries = np.repeat(hard, lengths)
            level[hard] = _water_levels(
                held[entries],
                counts[entries],
                spent[entries],
                lengths[hard],
                cost[hard],
                supporters[hard],
            )
        return np.where(can, level / cost, np.inf), level, np.where(sure, paying, 0.0)

    def _winners(
        self,
        ids: IntpArray,
        going: IntpArray,
        stale: FloatArray,
        fresh: BoolArray,
        best: FloatArray,
        payers: FloatArray,
        unsure: BoolArray,
    ) -> IntpArray:
        """The project (column of ``ids``) each going run funds: the lowest price; near ties compared
        exactly, then by rank. With cost utilities a price known exactly is ``cost / (payers * cost)``, so
        the lowest is the one with the most payers; a near tie with a price not known exactly is unsure."""
        prices = np.where(fresh[going], stale[going], np.inf)
        winners = prices.argmin(axis=1)
        near = prices <= best[going, None] * (1 + self.rho_tol)
        tied = np.flatnonzero(near.sum(axis=1) > 1)
        if len(tied):
            near, known = near[tied], payers[going[tied]]
            unsure[going[tied[(near & (known == 0.0)).any(axis=1)]]] = True
            score = np.where(near, known, -1.0)
            most = near & (score == score.max(axis=1)[:, None])
            rank = self.rank[ids]
            winners[tied] = np.where(most, rank, np.iinfo(np.intp).max).argmin(axis=1)
        return winners

    def _fund(
        self,
        runs: _Runs,
        rows: IntpArray,
        node: IntpArray,
        winners: IntpArray,
        level: FloatArray,
        nodes: _Nodes,
    ) -> tuple[IntpArray, IntpArray, _Nodes]:
        """Runs ``rows`` (in nodes ``node``) fund ``winners`` at ``level``: each moves to a child node, where
        the winner's supporters leave their classes for new columns holding what they have left (nothing
        when they held less than the level). Runs with a class too close to the level to tell stop here
        (unsure)."""
        m = self.n_projects
        edges, child = np.unique(node * m + winners, return_inverse=True)
        parents, projects = edges // m, edges % m
        hist = self._histograms(nodes, parents, projects)
        index, starts, lengths = hist.expand(child)
        where = np.repeat(rows * runs.money.shape[1], lengths) + hist.classes[index]
        held = runs.money.take(where)
        level = np.repeat(level, lengths)
        band = self.money_tol * (level + np.repeat(runs.budget[rows], lengths))
        sure = ~np.logical_or.reduceat(np.abs(held - level) <= band, starts)
        # the child of each edge: new columns from the parent's width on, one per class of the winner's
        per = hist.offsets[1:] - hist.offsets[:-1]
        base = nodes.width[parents]
        slot = np.arange(len(hist.classes)) - np.repeat(hist.offsets[:-1], per)
        runs.widen(int((base + per).max()))
        columns = np.repeat(base[child], lengths) + (np.arange(len(index)) - np.repeat(starts, lengths))
        runs.money.put(
            np.repeat(rows * runs.money.shape[1], lengths) + columns,
            np.where(held < level, 0.0, held - level),
        )
        span = int(nodes.width.max())
        lookup = np.zeros((len(edges), span), dtype=np.intp)
        lookup[np.repeat(np.arange(len(edges)), per), hist.classes] = slot
        cls = nodes.cls[parents]
        members, lens = self._supporters(projects)
        edge = np.repeat(np.arange(len(edges)), lens)
        cls[edge, members] = base[edge] + lookup[edge, cls[edge, members]]
        masks = [nodes.masks[p] | (1 << j) for p, j in zip(parents.tolist(), projects.tolist(), strict=True)]
        return rows[sure], child[sure], _Nodes(masks, cls, base + per)


def _water_levels(
    held: FloatArray,
    counts: FloatArray,
    spent: FloatArray,
    lengths: IntpArray,
    cost: FloatArray,
    supporters: FloatArray,
) -> FloatArray:
    """Per group of entries (``lengths`` entries each, laid end to end: money ``held`` of each class,
    ``counts`` voters in it, ``spent = held * counts``), the level ``p`` with ``sum(counts * min(held, p)) ==
    cost``. Newton's method on the concave left side, as ``mes._water_level``: from ``cost / supporters``,
    the classes holding less than the level pay all they hold and the others share the rest; the level only
    rises, and it is the water level once no class turns poor (two to four passes); groups still moving after
    ``WATER_PASSES`` are sorted."""
    starts = np.cumsum(lengths) - lengths
    level = cost / supporters
    poor_weight = np.zeros(len(lengths))
    for _ in range(WATER_PASSES):
        poor = held < np.repeat(level, lengths)
        weight = np.add.reduceat(np.where(poor, counts, 0.0), starts)
        if (weight == poor_weight).all():
            return level
        moving = weight != poor_weight
        poor_weight = weight
        paid = np.add.reduceat(np.where(poor, spent, 0.0), starts)
        level = np.where(moving, (cost - paid) / np.maximum(supporters - weight, 1.0), level)
    for k in np.flatnonzero(moving).tolist():  # rare: sort the classes
        part = slice(int(starts[k]), int(starts[k] + lengths[k]))
        level[k] = sorted_level(held[part], counts[part], float(cost[k]), float(supporters[k]))
    return level


def sorted_level(held: FloatArray, counts: FloatArray, cost: float, supporters: float) -> float:
    """The water level of one group by sorting (``counts`` voters holding each of ``held``): in ascending
    money, the first whose money reaches what the rest must share. Also ``mes._water_level``'s fallback."""
    order = np.argsort(held)
    values, weights = held[order], counts[order]
    spent = values * weights
    before = np.cumsum(spent) - spent
    left = supporters - (np.cumsum(weights) - weights)
    share = (cost - before) / np.maximum(left, 1.0)
    fits = np.flatnonzero(share <= values)
    return float(share[fits[0]]) if len(fits) else float(values[-1])
