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
voter and one exact ``Fraction`` per group. Each round counts, with one NumPy ``bincount``, how many
supporters of each project sit in each group; a float estimate of every new load finds the candidates near
the minimum, and only those are recomputed exactly to choose (the float never decides).
"""

from __future__ import annotations

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
        self.levels: list[Fraction] = [Fraction(0)]
        self.entry_project = np.repeat(np.arange(matrix.n_projects, dtype=np.int64), matrix.approvals)
        self.approvals = matrix.approvals

    def counts(self) -> npt.NDArray[np.int64]:
        """(projects × groups) number of each project's supporters in each load group."""
        groups = len(self.levels)
        keys = self.entry_project * groups + self.group[self.matrix.supporters]
        return np.bincount(keys, minlength=self.matrix.n_projects * groups).reshape(-1, groups)

    def exact_load(self, j: int, counts: npt.NDArray[np.int64]) -> Fraction | None:
        """The new load if project ``j`` were bought now; None for a project nobody supports (infinite)."""
        if self.approvals[j] == 0:
            return None
        total = sum(
            (int(c) * level for c, level in zip(counts[j], self.levels, strict=True) if c), Fraction(0)
        )
        return (total + int(self.matrix.costs[j])) / int(self.approvals[j])

    def buy(self, j: int, load: Fraction | None) -> None:
        if load is None:
            return
        self.levels.append(load)
        self.group[self.matrix.supporters_of(j)] = len(self.levels) - 1


def _candidates(state: _State, counts: npt.NDArray[np.int64], open_: list[int]) -> list[int]:
    """The open projects whose float new load is within a relative tolerance of the minimum."""
    levels = np.array([float(level) for level in state.levels])
    idx = np.array(open_, dtype=np.int64)
    approvals = state.approvals[idx].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = (counts[idx] @ levels + state.matrix.costs[idx]) / approvals
    estimate[approvals == 0] = np.inf
    best = float(estimate.min())
    if np.isinf(best):
        return [int(j) for j in idx]
    return [int(j) for j in idx[estimate <= best + abs(best) * _REL_TOL + 1e-12]]


def _argmin(
    state: _State, counts: npt.NDArray[np.int64], open_: list[int]
) -> tuple[list[int], Fraction | None]:
    """All open projects tied for the smallest exact new load, in id order, and that load."""
    exact = {j: state.exact_load(j, counts) for j in _candidates(state, counts, open_)}
    finite = [load for load in exact.values() if load is not None]
    best = min(finite) if finite else None
    tied = [j for j, load in exact.items() if load == best]
    return sorted(tied, key=lambda j: state.matrix.project_ids[j]), best


def run(matrix: ApprovalMatrix) -> Outcome:
    ids = matrix.project_ids
    state = _State(matrix)
    open_ = [j for j in range(matrix.n_projects) if int(matrix.costs[j]) <= matrix.budget]
    explanations: dict[str, ProjectExplanation] = {}
    spent = 0
    selected: list[str] = []
    while open_:
        counts = state.counts()
        tied, load = _argmin(state, counts, open_)
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
        open_.remove(j)
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
        details={"max_load": str(max(state.levels))},
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
