import math

import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kenes.engines import stats

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("function", [stats.median, stats.mean, lambda v: stats.percentile(v, 90)])
def test_it_returns_none_for_empty_input(function):
    assert function([]) is None
    assert function(iter(())) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [([7], 7.0), ([3, 1, 2], 2.0), ([1, 2, 3, 4], 2.5), ([15, 3, 9, 9], 9.0), ([0.5, 1.5], 1.0)],
)
def test_it_computes_the_median_by_hand(values, expected):
    assert stats.median(values) == expected


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1, 2, 3, 4], 90, 3.7),  # position 0.9 * 3 = 2.7 → 3 + 0.7 * (4 - 3)
        ([15, 20, 35, 40, 50], 40, 29.0),  # position 1.6 → 20 + 0.6 * 15
        ([15, 20, 35, 40, 50], 0, 15.0),
        ([15, 20, 35, 40, 50], 100, 50.0),
        ([2, 4, 6, 8, 10, 12, 14, 16, 18, 20], 90, 18.2),  # position 8.1 → 18 + 0.1 * 2
        ([5], 90, 5.0),
    ],
)
def test_it_interpolates_percentiles_linearly_as_numpy_does(values, q, expected):
    assert stats.percentile(values, q) == pytest.approx(expected)


def test_it_refuses_a_percentile_outside_0_to_100_and_nan_values():
    with pytest.raises(ValueError):
        stats.percentile([1, 2], 101)
    with pytest.raises(ValueError):
        stats.percentile([1, 2], -1)
    with pytest.raises(ValueError):
        stats.median([1, math.nan])


def test_it_computes_mean_and_rate_by_hand():
    assert stats.mean([1, 2, 3, 4]) == 2.5
    assert stats.mean([0.1] * 10) == 0.1  # compensated summation: no 0.9999999999999999
    assert stats.rate(3, 4) == 0.75
    assert stats.rate(0, 5) == 0.0
    assert stats.rate(0, 0) is None
    with pytest.raises(ValueError):
        stats.rate(-1, 2)


@given(st.lists(finite, min_size=1, max_size=40), st.floats(min_value=0, max_value=100))
def test_it_agrees_with_numpy(values, q):
    assert stats.percentile(values, q) == pytest.approx(float(numpy.percentile(values, q)), abs=1e-6)
    assert stats.median(values) == pytest.approx(float(numpy.median(values)), abs=1e-6)
    assert stats.mean(values) == pytest.approx(float(numpy.mean(values)), abs=1e-6)


@given(st.lists(finite, min_size=1, max_size=40), st.floats(min_value=0, max_value=100))
def test_it_stays_between_the_smallest_and_largest_value(values, q):
    result = stats.percentile(values, q)
    assert min(values) - 1e-9 <= result <= max(values) + 1e-9
