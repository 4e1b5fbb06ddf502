"""``solve(election, rule)``: one entry point for every rule.

The election's NumPy arrays (``profile.of``: built when the file is loaded, or on an election's first solve,
then kept on it) are handed to the rule. Equal Shares lives
in ``mes.py`` and is imported only when asked for; each of its functions takes the ``ApprovalMatrix`` and
returns an ``Outcome``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from . import greedy, phragmen, profile
from .model import Election, Outcome
from .profile import ApprovalMatrix

RULES = (
    "greedy",
    "greedy_cost_ratio",
    "mes_cost",
    "mes_card",
    "mes_cost_add1",
    "mes_cost_add1_greedy",
    "phragmen",
)

# The vote types each rule is defined for.
ALL_TYPES = ("approval", "cumulative", "ordinal", "scoring")
VOTE_TYPES_OF = {
    "greedy": ALL_TYPES,
    "greedy_cost_ratio": ALL_TYPES,
    "mes_cost": ("approval",),
    "mes_card": ("approval",),
    "mes_cost_add1": ("approval",),
    "mes_cost_add1_greedy": ("approval",),
    "phragmen": ("approval",),
}


def _mes(rule: str) -> Callable[[ApprovalMatrix], Outcome]:
    mes = importlib.import_module(f"{__package__}.mes")  # loaded only when used
    function: Callable[[ApprovalMatrix], Outcome] = getattr(mes, rule)
    return function


def check(election: Election, rule: str) -> None:
    """Raise ``ValueError`` when ``rule`` is unknown or not defined for the election's vote type."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; valid rules: {', '.join(RULES)}")
    vote_type = election.vote_type
    if vote_type not in VOTE_TYPES_OF[rule]:
        allowed = ", ".join(VOTE_TYPES_OF[rule])
        raise ValueError(f"rule {rule!r} is defined for {allowed} ballots, not for {vote_type} ballots")


def solve(election: Election, rule: str) -> Outcome:
    """Run ``rule`` (one of ``RULES``) on ``election``."""
    check(election, rule)
    return solve_matrix(profile.of(election), rule)


def solve_matrix(matrix: ApprovalMatrix, rule: str) -> Outcome:
    """Run ``rule`` on an already built matrix (to run several rules on one election)."""
    if rule in ("greedy", "greedy_cost_ratio"):
        return greedy.run(matrix, rule)
    if rule == "phragmen":
        return phragmen.run(matrix)
    if rule in RULES:
        return _mes(rule)(matrix)
    raise ValueError(f"unknown rule {rule!r}; valid rules: {', '.join(RULES)}")
