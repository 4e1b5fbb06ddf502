"""Descriptive statistics for indicators (accountability figures, monitoring): plain functions on
plain numbers, no Django. Every function returns ``None`` for empty input rather than raising or
returning NaN, so that callers can show "no data" instead of a made-up zero.

``percentile`` interpolates linearly between the closest ranks, exactly like NumPy's default
(``numpy.percentile(values, q, method="linear")``): the q-th percentile of n sorted values sits at
position ``q / 100 * (n - 1)``. NumPy itself is not needed at run time.
"""

import math
from collections.abc import Iterable

Number = int | float


def _finite_sorted(values: Iterable[Number]) -> list[float]:
    numbers = [float(v) for v in values]
    if any(math.isnan(v) for v in numbers):
        raise ValueError("values must not contain NaN")
    return sorted(numbers)


def percentile(values: Iterable[Number], q: float) -> float | None:
    """The ``q``-th percentile (0 ≤ q ≤ 100) with linear interpolation; ``None`` when empty."""
    if not 0 <= q <= 100 or math.isnan(q):
        raise ValueError("q must be between 0 and 100")
    ordered = _finite_sorted(values)
    if not ordered:
        return None
    position = q / 100 * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    low_value, high_value = ordered[lower], ordered[upper]
    if fraction == 0 or low_value == high_value:
        return low_value
    return low_value + (high_value - low_value) * fraction


def median(values: Iterable[Number]) -> float | None:
    """The middle value (the mean of the two middle values for an even count); ``None`` when empty."""
    return percentile(values, 50)


def mean(values: Iterable[Number]) -> float | None:
    """The arithmetic mean (compensated summation); ``None`` when empty."""
    numbers = [float(v) for v in values]
    if not numbers:
        return None
    return math.fsum(numbers) / len(numbers)


def rate(numerator: Number, denominator: Number) -> float | None:
    """``numerator / denominator`` as a fraction (0.75, not 75); ``None`` when the denominator is 0."""
    if numerator < 0 or denominator < 0:
        raise ValueError("counts must not be negative")
    if denominator == 0:
        return None
    return numerator / denominator
