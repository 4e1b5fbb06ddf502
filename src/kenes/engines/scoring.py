"""Expert scores of grant applications: aggregation per criterion, the weighted total, and the ranking
with a configured tie rule. Plain functions on plain numbers, no Django.

Exactness. Scores come in as ``int``, ``Decimal`` or ``Fraction`` (never ``float``: 0.1 has no exact
binary value) and every result is an exact ``Fraction``: the mean of 7, 8 and 8 is 23/3, which no
``Decimal`` holds. Ranking compares these exact values, so rounding can never create or break a tie.
``display()`` rounds a result to a ``Decimal`` (two places, half up) for pages, exports and the
explanation strings only; store or compare the exact value, not the displayed one.

Aggregation of the expert scores of one criterion (``aggregate``):

- ``"mean"``: the arithmetic mean of all scores.
- ``"trimmed_mean"``: when at least ``trim_min_experts`` experts scored (``trim_min_experts`` ≥ 3),
  exactly one highest and one lowest score are dropped (one copy each, even when several experts gave
  that score) and the rest are averaged; with fewer experts it is the plain mean.

The weighted total of an application (``weighted_total`` / ``evaluate``): each criterion's scores are
aggregated as above, then combined as Σ wᵢ·aᵢ / Σ wᵢ, i.e. the weights are normalised to sum to 1. The
total is therefore on the criteria's common score scale; if criteria use different scales, rescale the
scores (for example to a share of the maximum) before calling.

Ranking (``rank``): higher total first. Applications with equal totals are ordered by the call's tie
rule, then always by earlier submission, then by id, so the order is total and deterministic:

- ``"higher_criterion"``: the higher aggregate on the criteria in the given order (pass the criteria
  heaviest first, in listed order among equal weights), criterion by criterion;
- ``"earlier_submission"``: the earlier submitted application;
- ``"lot"``: a published lot: the SHA-256 of ``"<seed>:<id>"``, smallest first. Anyone holding the
  published seed and the ids can redo the draw; the seed must be fixed and published before scores are
  known (for example the call's reference with its closing date).

Every ranked application gets ``decided_by`` (what separated it from its neighbour: ``"only"``,
``"total"``, ``"criterion"``, ``"submission"``, ``"lot"`` or ``"id"``) and an English ``explanation``;
the web layer translates from ``decided_by`` and the figures, not from the English text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

Score = int | Decimal | Fraction
Method = Literal["mean", "trimmed_mean"]
TieRule = Literal["higher_criterion", "earlier_submission", "lot"]
METHODS: tuple[Method, ...] = ("mean", "trimmed_mean")
TIE_RULES: tuple[TieRule, ...] = ("higher_criterion", "earlier_submission", "lot")
MIN_TRIM_EXPERTS = 3


def _exact(value: Score) -> Fraction:
    if isinstance(value, float) or not isinstance(value, int | Decimal | Fraction):
        raise TypeError(f"scores must be int, Decimal or Fraction, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("scores must be finite")
    return Fraction(value)


def display(value: Score, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, for showing only (never for comparing)."""
    exact = _exact(value)
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(quantum, ROUND_HALF_UP)


def aggregate(scores: Iterable[Score], *, method: Method, trim_min_experts: int) -> Fraction:
    """The exact aggregate of one criterion's expert scores (see the module docstring)."""
    values = sorted(_exact(score) for score in scores)
    if not values:
        raise ValueError("a criterion needs at least one score")
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}")
    if method == "trimmed_mean":
        if trim_min_experts < MIN_TRIM_EXPERTS:
            raise ValueError("a trimmed mean needs trim_min_experts of at least 3")
        if len(values) >= trim_min_experts:
            values = values[1:-1]
    return sum(values, Fraction(0)) / len(values)


@dataclass(frozen=True)
class Evaluation:
    """One application's aggregate per criterion (in the order given) and its weighted total."""

    criteria: dict[str, Fraction]
    total: Fraction


def evaluate(
    criteria: Mapping[str, tuple[Score, Sequence[Score]]], *, method: Method, trim_min_experts: int
) -> Evaluation:
    """Aggregate every criterion (criterion → (weight, expert scores)) and combine them by weight.

    Weights must not be negative and must not all be zero; they are normalised over the criteria given.
    """
    if not criteria:
        raise ValueError("an evaluation needs at least one criterion")
    weights = {name: _exact(weight) for name, (weight, _) in criteria.items()}
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("criterion weights must not be negative")
    weight_sum = sum(weights.values(), Fraction(0))
    if weight_sum == 0:
        raise ValueError("criterion weights must not all be zero")
    aggregates = {
        name: aggregate(scores, method=method, trim_min_experts=trim_min_experts)
        for name, (_, scores) in criteria.items()
    }
    total = sum((weights[name] * value for name, value in aggregates.items()), Fraction(0)) / weight_sum
    return Evaluation(criteria=aggregates, total=total)


def weighted_total(
    criteria: Mapping[str, tuple[Score, Sequence[Score]]], *, method: Method, trim_min_experts: int
) -> Fraction:
    """The exact weighted total of one application; see ``evaluate``."""
    return evaluate(criteria, method=method, trim_min_experts=trim_min_experts).total


@dataclass(frozen=True)
class RankItem:
    """An application to rank: its id (unique, all of one type), total, per-criterion aggregates and
    submission time (all timezone-aware or all naive)."""

    id: int | str
    total: Score
    submitted_at: datetime
    criteria: Mapping[str, Score] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranked:
    id: int | str
    position: int
    total: Fraction
    decided_by: str
    explanation: str


def lot_number(seed: str, item_id: int | str) -> str:
    """The published lot of one application: SHA-256 hex of ``"<seed>:<id>"`` (smaller ranks first)."""
    return hashlib.sha256(f"{seed}:{item_id}".encode()).hexdigest()


def _components(
    item: RankItem, tie_rule: TieRule, criteria_order: Sequence[str], lot_seed: str
) -> list[tuple[str, str, object]]:
    """The ordered comparison keys of one item as (decided_by, label, sort value); lower sorts first."""
    keys: list[tuple[str, str, object]] = [("total", "", -_exact(item.total))]
    if tie_rule == "higher_criterion":
        keys += [("criterion", name, -_exact(item.criteria[name])) for name in criteria_order]
    elif tie_rule == "lot":
        keys.append(("lot", "", lot_number(lot_seed, item.id)))
    keys.append(("submission", "", item.submitted_at))
    keys.append(("id", "", item.id))
    return keys


def rank(
    items: Iterable[RankItem],
    tie_rule: TieRule,
    *,
    criteria_order: Sequence[str] = (),
    lot_seed: str = "",
) -> list[Ranked]:
    """Positions 1..n (no shared places), best first, each with how it was decided."""
    if tie_rule not in TIE_RULES:
        raise ValueError(f"unknown tie rule {tie_rule!r}")
    pool = list(items)
    if len({item.id for item in pool}) != len(pool):
        raise ValueError("application ids must be unique")
    if tie_rule == "higher_criterion":
        missing = [item.id for item in pool if not set(criteria_order) <= set(item.criteria)]
        if missing or not criteria_order:
            raise ValueError("the criterion tie rule needs criteria_order and every criterion's score")
    if tie_rule == "lot" and not lot_seed:
        raise ValueError("the lot tie rule needs the published lot_seed")
    keyed = [(_components(item, tie_rule, criteria_order, lot_seed), item) for item in pool]
    keyed.sort(key=lambda pair: [value for _, _, value in pair[0]])
    result = []
    for index, (_, item) in enumerate(keyed):
        decided_by, explanation = _explain(index, keyed)
        result.append(Ranked(item.id, index + 1, _exact(item.total), decided_by, explanation))
    return result


def _first_difference(
    a: list[tuple[str, str, object]], b: list[tuple[str, str, object]]
) -> tuple[str, str, object, object]:
    for (decided_by, label, value_a), (_, _, value_b) in zip(a, b, strict=True):
        if value_a != value_b:
            return decided_by, label, value_a, value_b
    raise ValueError("two applications cannot compare equal")  # unreachable: ids are unique


def _explain(index: int, keyed: list[tuple[list[tuple[str, str, object]], RankItem]]) -> tuple[str, str]:
    keys, item = keyed[index]
    total = display(item.total)
    if len(keyed) == 1:
        return "only", f"The only ranked application; total {total}."
    if index == 0:
        decided_by, label, _, _ = _first_difference(keys, keyed[1][0])
        if decided_by == "total":
            return "total", f"Highest total, {total}."
        other = keyed[1][1]
        return decided_by, f"Tied on total {total} with {other.id} (ranked 2); placed before it: " + _reason(
            decided_by, label, item, other
        )
    above_keys, above = keyed[index - 1]
    decided_by, label, _, _ = _first_difference(above_keys, keys)
    if decided_by == "total":
        return "total", f"Total {total}, lower than {display(above.total)} of {above.id} (ranked {index})."
    return decided_by, f"Tied on total {total} with {above.id} (ranked {index}); placed after it: " + _reason(
        decided_by, label, above, item
    )


def _reason(decided_by: str, label: str, better: RankItem, worse: RankItem) -> str:
    if decided_by == "criterion":
        return (
            f"the higher score on criterion {label!r} decides "
            f"({display(better.criteria[label])} against {display(worse.criteria[label])})."
        )
    if decided_by == "lot":
        return "the published lot decides (the smaller SHA-256 of seed and id ranks first)."
    if decided_by == "submission":
        return (
            f"the earlier submission decides ({better.submitted_at.isoformat()} "
            f"before {worse.submitted_at.isoformat()})."
        )
    return "submitted at the same moment; the smaller id ranks first."
