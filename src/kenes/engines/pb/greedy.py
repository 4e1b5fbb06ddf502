"""Utilitarian greedy rules, identical to pabutools 1.2's ``greedy_utilitarian_welfare`` (resolute, default
lexicographic tie-breaking).

Every project gets a *density*: the total satisfaction it brings divided by its cost. Projects are taken in
decreasing density, ties by project id (Python string order, as pabutools' ``lexico_tie_breaking``); a
project is funded when its cost fits in what is left of the budget, otherwise skipped (the rule goes on, so
the outcome is exhaustive). Densities are exact ``Fraction``s; no float decides anything.

Satisfaction (the numerator), per rule and vote type:

* ``greedy`` — approval: ``Cost_Sat`` (supporters × cost, so the density is the number of supporters:
  "greedy by votes"); cumulative / scoring: ``Additive_Cardinal_Sat`` (the points); ordinal:
  ``Additive_Borda_Sat`` (``len(ballot) - position - 1`` summed over ballots).
* ``greedy_cost_ratio`` — ``Cardinality_Sat`` for every vote type: the number of ballots naming the project,
  so the density is supporters / cost ("greedy by votes per cost").

Edge cases copied from pabutools: a project with total satisfaction 0 has density 0 (it is still funded at
the end if it fits); a project of cost 0 with positive satisfaction has infinite density (first). For the
ordinal (non-additive in pabutools) path a cost-0 project is first whatever its satisfaction.
"""

from __future__ import annotations

from fractions import Fraction

from .model import Outcome, ProjectExplanation
from .profile import ApprovalMatrix

Density = tuple[int, Fraction]  # (1 for infinite, else 0; the finite density)


def satisfaction_totals(matrix: ApprovalMatrix, rule: str) -> list[int]:
    """Total satisfaction of each project (project order of ``matrix``) under the rule's measure."""
    if rule == "greedy_cost_ratio":
        return [int(v) for v in matrix.approvals]
    if matrix.vote_type == "approval":
        return [int(v) for v in matrix.approvals * matrix.costs]
    return [int(v) for v in matrix.total_points]


def satisfaction_name(matrix: ApprovalMatrix, rule: str) -> str:
    if rule == "greedy_cost_ratio":
        return "Cardinality_Sat"
    return {"approval": "Cost_Sat", "ordinal": "Additive_Borda_Sat"}.get(
        matrix.vote_type, "Additive_Cardinal_Sat"
    )


def _density(total: int, cost: int, *, ordinal: bool) -> Density:
    if cost == 0 and (total > 0 or ordinal):
        return (1, Fraction(0))
    if total <= 0:
        return (0, Fraction(0))
    return (0, Fraction(total, cost))


def _show(density: Density) -> str:
    return "inf" if density[0] else str(density[1])


def greedy_order(matrix: ApprovalMatrix, rule: str = "greedy") -> tuple[list[int], list[Density], list[int]]:
    """Project indices in the order the rule considers them, with every project's density and satisfaction."""
    totals = satisfaction_totals(matrix, rule)
    ordinal = matrix.vote_type == "ordinal" and rule == "greedy"
    densities = [_density(t, int(c), ordinal=ordinal) for t, c in zip(totals, matrix.costs, strict=True)]
    ids = matrix.project_ids
    order = sorted(range(matrix.n_projects), key=lambda j: (-densities[j][0], -densities[j][1], ids[j]))
    return order, densities, totals


def run(matrix: ApprovalMatrix, rule: str) -> Outcome:
    """``greedy`` or ``greedy_cost_ratio`` on ``matrix``."""
    order, densities, totals = greedy_order(matrix, rule)
    ids = matrix.project_ids
    remaining = matrix.budget
    selected: list[str] = []
    explanations: dict[str, ProjectExplanation] = {}
    approvals = matrix.approvals
    for rank, j in enumerate(order, start=1):
        cost = int(matrix.costs[j])
        fits = cost <= remaining
        details: dict[str, object] = {
            "rank": rank,
            "score": _show(densities[j]),
            "satisfaction": totals[j],
            "supporters": int(approvals[j]),
            "cost": cost,
            "budget_left": remaining,
        }
        explanations[ids[j]] = ProjectExplanation(ids[j], fits, "funded" if fits else "over_budget", details)
        if fits:
            selected.append(ids[j])
            remaining -= cost
    return Outcome(
        rule=rule,
        selected=tuple(selected),
        total_cost=matrix.budget - remaining,
        budget=matrix.budget,
        explanations={pid: explanations[pid] for pid in ids},
        details={"satisfaction": satisfaction_name(matrix, rule), "order": [ids[j] for j in order]},
    )


def complete(matrix: ApprovalMatrix, chosen: list[int], rule: str = "greedy") -> list[int]:
    """Extend the project indices ``chosen`` greedily (pabutools' ``initial_budget_allocation``): the other
    projects in the rule's order, each taken when it fits in the budget left. Returns only the added ones."""
    order, _, _ = greedy_order(matrix, rule)
    taken = set(chosen)
    remaining = matrix.budget - sum(int(matrix.costs[j]) for j in chosen)
    added: list[int] = []
    for j in order:
        if j not in taken and int(matrix.costs[j]) <= remaining:
            added.append(j)
            remaining -= int(matrix.costs[j])
    return added
