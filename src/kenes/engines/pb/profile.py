"""NumPy view of an election, built once per ``Election`` and shared by every rule.

``of(election)`` returns the election's matrix, building it on first use and keeping it on the (frozen)
election; ``io.load`` / ``io.loads`` build it while loading, so a solve never pays for it. The arrays are
read-only: rules share them.

Projects are numbered ``0..m-1`` in file order (``ApprovalMatrix.project_ids``) and voters ``0..n-1`` in
file order. Two CSR structures hold the same ballots:

* per voter: ``ballot_ptr`` (n+1) / ``ballot_projects`` — the projects of voter ``i`` are
  ``ballot_projects[ballot_ptr[i]:ballot_ptr[i+1]]`` in ballot order (best first for ordinal);
* per project: ``support_ptr`` (m+1) / ``supporters`` (int32 voter indices, ascending) with
  ``support_points`` aligned — the voters of project ``j`` are
  ``supporters[support_ptr[j]:support_ptr[j+1]]``.

``support_points`` is the voter's additive satisfaction from that one project under the vote type's natural
measure: 1 for approval, the points given for cumulative/scoring (pabutools' ``Additive_Cardinal_Sat``), the
Borda score ``len(ballot) - position - 1`` for ordinal (pabutools' ``Additive_Borda_Sat``: the last-ranked
project scores 0).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .model import Election

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
IntpArray = npt.NDArray[np.intp]

_CACHE = "_matrix"  # the attribute under which ``of`` keeps an election's matrix


@dataclass(frozen=True, eq=False)
class ApprovalMatrix:
    project_ids: tuple[str, ...]
    index: dict[str, int]
    costs: IntArray
    n_voters: int
    budget: int
    budget_exact: Fraction
    vote_type: str
    ballot_ptr: IntArray
    ballot_projects: Int32Array
    ballot_points: IntArray
    support_ptr: IntArray
    supporters: Int32Array
    support_points: IntArray
    groups: list[IntpArray]  # supporters of each project as platform-size indices (views into one array)
    approvals: IntArray  # number of voters who put each project on their ballot (any vote type)

    @property
    def n_projects(self) -> int:
        return len(self.project_ids)

    @property
    def total_points(self) -> IntArray:
        """Sum of ``support_points`` per project (approval: the approvals; cumulative: the points;
        ordinal: the Borda score)."""
        sums = np.zeros(self.n_projects, dtype=np.int64)
        owner = np.repeat(np.arange(self.n_projects), self.approvals)
        np.add.at(sums, owner, self.support_points)
        return sums

    def supporters_of(self, j: int) -> Int32Array:
        return self.supporters[self.support_ptr[j] : self.support_ptr[j + 1]]

    def points_of(self, j: int) -> IntArray:
        return self.support_points[self.support_ptr[j] : self.support_ptr[j + 1]]

    def ballot_of(self, i: int) -> Int32Array:
        return self.ballot_projects[self.ballot_ptr[i] : self.ballot_ptr[i + 1]]

    def dense(self) -> npt.NDArray[np.bool_]:
        """voter × project boolean approval matrix (tests; the add-one sweep's distinct ballots, up to
        ``mes.SWEEP_VOTERS`` voters)."""
        matrix = np.zeros((self.n_voters, self.n_projects), dtype=np.bool_)
        voters = np.repeat(np.arange(self.n_voters), np.diff(self.ballot_ptr))
        matrix[voters, self.ballot_projects] = True
        return matrix


def _ballot_points(election: Election, lengths: IntArray) -> IntArray:
    vote_type = election.vote_type
    total = int(lengths.sum())
    if vote_type in ("cumulative", "scoring"):
        points = (v.points if v.points is not None else (1,) * len(v.projects) for v in election.votes)
        return np.fromiter(itertools.chain.from_iterable(points), dtype=np.int64, count=total)
    if vote_type == "ordinal":
        # Borda: len - position - 1 for each position of each ballot.
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        positions = np.arange(total, dtype=np.int64) - starts
        return np.repeat(lengths, lengths) - positions - 1
    return np.ones(total, dtype=np.int64)


def build(election: Election) -> ApprovalMatrix:
    """Build the arrays of ``election`` (O(total ballot length), one pass in Python over the votes)."""
    project_ids = tuple(election.projects)
    index = {pid: j for j, pid in enumerate(project_ids)}
    ballots = [vote.projects for vote in election.votes]
    lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=len(ballots))
    flat = map(index.__getitem__, itertools.chain.from_iterable(ballots))
    ballot_projects = np.fromiter(flat, dtype=np.int32, count=int(lengths.sum()))
    ballot_ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ballot_ptr[1:])
    ballot_points = _ballot_points(election, lengths)
    voter_of = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
    order = np.argsort(ballot_projects, kind="stable")  # voters ascending within each project
    counts = np.bincount(ballot_projects, minlength=len(project_ids)).astype(np.int64)
    support_ptr = np.zeros(len(project_ids) + 1, dtype=np.int64)
    np.cumsum(counts, out=support_ptr[1:])
    # Platform-size indices: NumPy converts int32 index arrays on every gather (twice the time).
    supporters, support_points = voter_of[order], ballot_points[order]
    groups = np.split(supporters.astype(np.intp), support_ptr[1:-1]) if project_ids else []
    costs = np.asarray([election.projects[pid].cost for pid in project_ids], dtype=np.int64)
    arrays: list[npt.NDArray[np.generic]] = [
        costs,
        counts,
        ballot_ptr,
        ballot_projects,
        ballot_points,
        support_ptr,
    ]
    for array in [*arrays, supporters, support_points, *groups]:
        array.flags.writeable = False
    return ApprovalMatrix(
        project_ids=project_ids,
        index=index,
        costs=costs,
        n_voters=len(lengths),
        budget=election.budget,
        budget_exact=election.budget_exact,
        vote_type=election.vote_type,
        ballot_ptr=ballot_ptr,
        ballot_projects=ballot_projects,
        ballot_points=ballot_points,
        support_ptr=support_ptr,
        supporters=supporters,
        support_points=support_points,
        groups=groups,
        approvals=counts,
    )


def of(election: Election) -> ApprovalMatrix:
    """The matrix of ``election``: built on first use, then kept on the election and reused. (An ``Election``
    is frozen; do not change its lists or dicts in place once it has been solved.)"""
    matrix: ApprovalMatrix | None = election.__dict__.get(_CACHE)
    if matrix is None:
        matrix = build(election)
        object.__setattr__(election, _CACHE, matrix)
    return matrix


def cost_utility(matrix: ApprovalMatrix) -> IntArray:
    """Per (project, supporter) entry, aligned with ``supporters``: the project's cost (``Cost_Sat``)."""
    return np.repeat(matrix.costs, matrix.approvals)


def cardinality_utility(matrix: ApprovalMatrix) -> IntArray:
    """Per (project, supporter) entry: 1 (``Cardinality_Sat``)."""
    return np.ones(len(matrix.supporters), dtype=np.int64)


def points_utility(matrix: ApprovalMatrix) -> IntArray:
    """Per (project, supporter) entry: the points (cumulative) or Borda score (ordinal); 1 for approval."""
    return matrix.support_points
