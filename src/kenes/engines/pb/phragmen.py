"""Sequential Phragmén for approval ballots, identical to pabutools 1.2's ``sequential_phragmen`` (resolute,
lexicographic tie-breaking, no initial loads).

Voters earn virtual money continuously; a project is bought as soon as its supporters together hold its cost,
and buying it sets every supporter's *load* to the same new value
``(sum of the supporters' loads + cost) / supporters``. Each round picks the project with the smallest new
load (ties: project id in string order). Budget semantics (pabutools'): projects dearer than the whole budget
are never considered; the rule **stops** — it does not skip — as soon as one of the projects with the
smallest new load no longer fits in what is left. Projects nobody approves have an infinite load: they are
only reached once every supported project is bought, and then taken in id order while *all* of them fit.

Exactness: every voter's load is one of at most (rounds + 1) values, so loads are stored as a group number per
voter and one exact value per group (integers over one common denominator), beside a float load per voter.
Each round one NumPy ``reduceat`` sums the float loads of every project's supporters; that estimate of every
new load finds the candidates near the minimum (a relative 1e-9, far above the rounding of a sum), and only
those are recomputed exactly, from how many of their supporters sit in each group, to choose (the float never
decides).
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .model import Outcome, ProjectExplanation
from .profile import ApprovalMatrix

_REL_TOL = 1e-9


class _State:
    def __init__(self, matrix: ApprovalMatrix) -> None:
        self.matrix = matrix
        self.group = np.zeros(matrix.n_voters, dtype=np.int64)
        self.den = 1  # every level is scaled[g] / den: exact sums without a gcd per addition
        self.scaled = [0]
        self.load = np.zeros(matrix.n_voters)  # float load per voter (the filter's estimate only)
        self.approvals = matrix.approvals
        self.supported = self.approvals > 0
        self.starts = matrix.support_ptr[:-1][self.supported]  # segments of the supported projects
        self.entries = matrix.supporters.astype(np.intp)  # platform-size indices: faster gathers
        self.estimate = np.full(matrix.n_projects, np.inf)  # projects nobody supports: infinite
        self.costs = matrix.costs[self.supported].astype(np.float64)
        self.counts = self.approvals[self.supported].astype(np.float64)

    def estimates(self) -> npt.NDArray[np.float64]:
        """Float new load of every project (inf for projects nobody supports)."""
        if len(self.starts):
            sums = np.add.reduceat(self.load[self.entries], self.starts)
            self.estimate[self.supported] = (sums + self.costs) / self.counts
        return self.estimate

    def exact_load(self, j: int) -> Fraction | None:
        """The new load if project ``j`` were bought now; None for a project nobody supports (infinite)."""
        if self.approvals[j] == 0:
            return None
        counts = np.bincount(self.group[self.matrix.groups[j]], minlength=len(self.scaled))
        nonzero = np.flatnonzero(counts).tolist()
        total = sum(map(operator.mul, counts[nonzero].tolist(), [self.scaled[g] for g in nonzero]))
        den = self.den
        return Fraction(total + int(self.matrix.costs[j]) * den, int(self.approvals[j]) * den)

    def buy(self, j: int, load: Fraction | None) -> None:
        if load is None:
            return
        den = math.lcm(self.den, load.denominator)
        if den != self.den:
            factor = den // self.den
            self.scaled = [x * factor for x in self.scaled]
            self.den = den
        self.scaled.append(load.numerator * (den // load.denominator))
        voters = self.matrix.groups[j]
        self.group[voters] = len(self.scaled) - 1
        self.load[voters] = float(load)


def _candidates(state: _State, estimate: npt.NDArray[np.float64], open_: npt.NDArray[np.bool_]) -> list[int]:
    """The open projects whose float new load is within a relative tolerance of the minimum."""
    idx = np.flatnonzero(open_)
    near = estimate[idx]
    best = float(near.min())
    if np.isinf(best):
        return idx.tolist()  # type: ignore[no-any-return]
    return idx[near <= best + abs(best) * _REL_TOL + 1e-12].tolist()  # type: ignore[no-any-return]


def _argmin(state: _State, open_: npt.NDArray[np.bool_]) -> tuple[list[int], Fraction | None]:
    """All open projects tied for the smallest exact new load, in id order, and that load."""
    exact = {j: state.exact_load(j) for j in _candidates(state, state.estimates(), open_)}
    finite = [load for load in exact.values() if load is not None]
    best = min(finite) if finite else None
    tied = [j for j, load in exact.items() if load == best]
    return sorted(tied, key=lambda j: state.matrix.project_ids[j]), best


def run(matrix: ApprovalMatrix) -> Outcome:
    ids = matrix.project_ids
    state = _State(matrix)
    open_ = matrix.costs <= matrix.budget
    explanations: dict[str, ProjectExplanation] = {}
    spent = 0
    selected: list[str] = []
    while open_.any():
        tied, load = _argmin(state, open_)
        blocked = [j for j in tied if spent + int(matrix.costs[j]) > matrix.budget]
        if blocked:
            for j in blocked:
                explanations[ids[j]] = _explain(matrix, j, False, "over_budget", load, spent)
            break
        j = tied[0]
        explanations[ids[j]] = _explain(matrix, j, True, "funded", load, spent)
        state.buy(j, load)
        selected.append(ids[j])
        spent += int(matrix.costs[j])
        open_[j] = False
    for j in range(matrix.n_projects):
        if ids[j] not in explanations:
            too_dear = int(matrix.costs[j]) > matrix.budget
            explanations[ids[j]] = _explain(
                matrix, j, False, "over_budget" if too_dear else "not_reached", None, spent
            )
    return Outcome(
        rule="phragmen",
        selected=tuple(selected),
        total_cost=spent,
        budget=matrix.budget,
        explanations={pid: explanations[pid] for pid in ids},
        details={"max_load": str(Fraction(max(state.scaled), state.den))},
    )


def _explain(
    matrix: ApprovalMatrix, j: int, selected: bool, reason: str, load: Fraction | None, spent: int
) -> ProjectExplanation:
    details: dict[str, object] = {
        "supporters": int(matrix.approvals[j]),
        "cost": int(matrix.costs[j]),
        "budget_left": matrix.budget - spent,
    }
    if reason != "not_reached":
        details["load"] = "inf" if load is None else str(load)
    return ProjectExplanation(matrix.project_ids[j], selected, reason, details)
