"""Data model of a participatory-budgeting election (Pabulib's META / PROJECTS / VOTES) and of an outcome.

Everything is a plain frozen dataclass; nothing here computes a rule. ``fields`` keep every column exactly as
read (strings, file order) so that ``io.dump`` can write the file back unchanged.

Money: costs are integers (Pabulib costs are whole currency units; ``"4000.0"`` is read as 4000, a cost
with a real fractional part is a format error). The budget in META may be written with decimals:
``Election.budget_exact`` is that value as an exact ``Fraction`` and ``Election.budget`` its floor. Since
every cost is an integer, "total cost ≤ budget_exact" and "total cost ≤ budget" are the same condition, so
feasibility never depends on the choice; only rules that divide the budget among voters (Equal Shares)
use ``budget_exact``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

VOTE_TYPES = ("approval", "cumulative", "ordinal", "scoring")


class PbFormatError(ValueError):
    """A malformed Pabulib file. ``line`` is 1-based (0 when the problem is not tied to one line)."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        self.line = line
        self.problem = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Project:
    id: str
    cost: int
    fields: dict[str, str] = field(default_factory=dict, compare=True)


@dataclass(frozen=True)
class Vote:
    """One ballot. Approval: the approved projects in file order. Ordinal: the ranking, best first.
    Cumulative / scoring: the projects with ``points`` aligned to them."""

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[int, ...] | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Election:
    meta: dict[str, str]
    projects: dict[str, Project]
    votes: list[Vote]
    project_columns: list[str]
    vote_columns: list[str]

    @property
    def vote_type(self) -> str:
        value = self.meta.get("vote_type", "approval").strip()
        return "approval" if value == "choose-1" else value

    @property
    def budget_exact(self) -> Fraction:
        return Fraction(self.meta["budget"].strip().replace(",", "."))

    @property
    def budget(self) -> int:
        return math.floor(self.budget_exact)

    @property
    def voter_count(self) -> int:
        return len(self.votes)


@dataclass(frozen=True)
class ProjectExplanation:
    """Why a project was (not) funded. ``reason`` is a stable code: "funded", "over_budget" (did not fit
    in what was left), "insufficient_support" (its supporters could not pay for it, Equal Shares),
    "not_reached" (the rule stopped before considering it), "no_support" (nobody voted for it)."""

    project_id: str
    selected: bool
    reason: str
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    rule: str
    selected: tuple[str, ...]
    total_cost: int
    budget: int
    explanations: dict[str, ProjectExplanation] = field(default_factory=dict)
    details: dict[str, object] = field(default_factory=dict)
