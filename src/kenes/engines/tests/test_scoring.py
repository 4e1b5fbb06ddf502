import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kenes.engines import scoring
from kenes.engines.scoring import RankItem

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

scores = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=100),
        st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=12,
)


def test_it_takes_the_plain_mean_exactly():
    assert scoring.aggregate([7, 8, 8], method="mean", trim_min_experts=3) == Fraction(23, 3)
    assert scoring.aggregate([Decimal("7.5"), 8], method="mean", trim_min_experts=3) == Fraction(31, 4)


def test_it_drops_one_highest_and_one_lowest_score_when_enough_experts_scored():
    # 10 and 2 go; (5 + 6 + 7) / 3
    assert scoring.aggregate([2, 10, 5, 6, 7], method="trimmed_mean", trim_min_experts=5) == 6


def test_it_drops_only_one_copy_of_a_repeated_extreme():
    assert scoring.aggregate([9, 9, 9, 3], method="trimmed_mean", trim_min_experts=4) == 9
    assert scoring.aggregate([1, 1, 4, 10], method="trimmed_mean", trim_min_experts=4) == Fraction(5, 2)


def test_it_falls_back_to_the_mean_below_the_trimming_threshold():
    assert scoring.aggregate([2, 10, 6], method="trimmed_mean", trim_min_experts=4) == 6
    assert scoring.aggregate([0, 10, 10], method="trimmed_mean", trim_min_experts=4) == Fraction(20, 3)
    assert scoring.aggregate([0, 10, 10], method="trimmed_mean", trim_min_experts=3) == 10


@pytest.mark.parametrize(
    ("values", "kwargs", "error"),
    [
        ([], {"method": "mean", "trim_min_experts": 3}, ValueError),
        ([1, 2], {"method": "median", "trim_min_experts": 3}, ValueError),
        ([1, 2, 3], {"method": "trimmed_mean", "trim_min_experts": 2}, ValueError),
        ([1.5], {"method": "mean", "trim_min_experts": 3}, TypeError),
        ([Decimal("NaN")], {"method": "mean", "trim_min_experts": 3}, ValueError),
        (["7"], {"method": "mean", "trim_min_experts": 3}, TypeError),
    ],
)
def test_it_refuses_what_cannot_be_aggregated(values, kwargs, error):
    with pytest.raises(error):
        scoring.aggregate(values, **kwargs)


def test_it_normalises_the_criterion_weights():
    criteria = {"relevance": (3, [8, 10]), "budget": (1, [4, 4])}
    evaluation = scoring.evaluate(criteria, method="mean", trim_min_experts=3)
    assert evaluation.criteria == {"relevance": 9, "budget": 4}
    assert evaluation.total == Fraction(3 * 9 + 1 * 4, 4)
    doubled = {name: (weight * 2, values) for name, (weight, values) in criteria.items()}
    assert scoring.weighted_total(doubled, method="mean", trim_min_experts=3) == evaluation.total


def test_it_trims_each_criterion_separately():
    criteria = {"a": (Decimal("0.5"), [0, 5, 10]), "b": (Decimal("0.5"), [1, 2, 9])}
    assert scoring.weighted_total(criteria, method="trimmed_mean", trim_min_experts=3) == Fraction(7, 2)


@pytest.mark.parametrize(
    "criteria",
    [{}, {"a": (0, [5])}, {"a": (-1, [5]), "b": (2, [5])}, {"a": (1, [])}],
)
def test_it_refuses_an_evaluation_without_usable_weights_or_scores(criteria):
    with pytest.raises(ValueError):
        scoring.evaluate(criteria, method="mean", trim_min_experts=3)


def test_it_rounds_half_up_for_display_only():
    assert scoring.display(Fraction(23, 3)) == Decimal("7.67")
    assert scoring.display(Fraction(1, 8)) == Decimal("0.13")
    assert scoring.display(Fraction(5, 2), places=0) == Decimal("3")
    assert scoring.display(7) == Decimal("7.00")


def item(item_id, total, minutes=0, **criteria):
    return RankItem(id=item_id, total=total, submitted_at=T0 + timedelta(minutes=minutes), criteria=criteria)


def test_it_ranks_higher_totals_first_and_explains():
    ranked = scoring.rank([item(1, 7), item(2, Fraction(26, 3)), item(3, 8)], "earlier_submission")
    assert [(r.id, r.position, r.decided_by) for r in ranked] == [
        (2, 1, "total"),
        (3, 2, "total"),
        (1, 3, "total"),
    ]
    assert ranked[0].explanation == "Highest total, 8.67."
    assert ranked[1].explanation == "Total 8.00, lower than 8.67 of 2 (ranked 1)."


def test_it_does_not_let_display_rounding_create_a_tie():
    ranked = scoring.rank(
        [item("a", Fraction(2, 3)), item("b", Fraction(667, 1000), minutes=5)], "lot", lot_seed="s"
    )
    assert [r.id for r in ranked] == ["b", "a"]
    assert ranked[1].decided_by == "total"


def test_it_breaks_a_tie_by_the_criteria_in_the_given_order():
    items = [
        item("x", 8, minutes=0, relevance=8, budget=9),
        item("y", 8, minutes=5, relevance=9, budget=6),
        item("z", 8, minutes=9, relevance=9, budget=7),
    ]
    ranked = scoring.rank(items, "higher_criterion", criteria_order=["relevance", "budget"])
    assert [r.id for r in ranked] == ["z", "y", "x"]
    assert ranked[0].explanation == (
        "Tied on total 8.00 with y (ranked 2); placed before it: "
        "the higher score on criterion 'budget' decides (7.00 against 6.00)."
    )
    assert ranked[2].decided_by == "criterion"
    assert "'relevance'" in ranked[2].explanation


def test_it_falls_back_to_the_earlier_submission_then_the_id():
    items = [item(3, 5, minutes=1, a=5), item(2, 5, minutes=1, a=5), item(1, 5, minutes=2, a=5)]
    ranked = scoring.rank(items, "higher_criterion", criteria_order=["a"])
    assert [(r.id, r.decided_by) for r in ranked] == [(2, "id"), (3, "id"), (1, "submission")]
    assert "earlier submission" in ranked[2].explanation
    assert ranked[1].explanation.endswith("the smaller id ranks first.")


def test_it_draws_the_published_lot_reproducibly():
    items = [item(n, 5, minutes=n) for n in range(1, 6)]
    ranked = scoring.rank(items, "lot", lot_seed="CALL-2026-001/2026-04-01")
    expected = sorted(range(1, 6), key=lambda n: scoring.lot_number("CALL-2026-001/2026-04-01", n))
    assert [r.id for r in ranked] == expected
    assert {r.decided_by for r in ranked} == {"lot"}
    assert [
        r.id for r in scoring.rank(list(reversed(items)), "lot", lot_seed="CALL-2026-001/2026-04-01")
    ] == expected
    assert [r.id for r in scoring.rank(items, "lot", lot_seed="another seed")] == sorted(
        range(1, 6), key=lambda n: scoring.lot_number("another seed", n)
    )
    assert scoring.lot_number("s", 1) == hashlib.sha256(b"s:1").hexdigest()


def test_it_explains_a_single_application():
    [only] = scoring.rank([item(1, Fraction(15, 2))], "earlier_submission")
    assert (only.position, only.decided_by, only.explanation) == (
        1,
        "only",
        "The only ranked application; total 7.50.",
    )


@pytest.mark.parametrize(
    ("items", "tie_rule", "kwargs"),
    [
        ([item(1, 5), item(1, 6)], "earlier_submission", {}),
        ([item(1, 5)], "coin", {}),
        ([item(1, 5)], "lot", {}),
        ([item(1, 5)], "higher_criterion", {}),
        ([item(1, 5, a=1), item(2, 5)], "higher_criterion", {"criteria_order": ["a"]}),
    ],
)
def test_it_refuses_a_ranking_it_cannot_decide(items, tie_rule, kwargs):
    with pytest.raises(ValueError):
        scoring.rank(items, tie_rule, **kwargs)


# Properties


@PROPERTY_SETTINGS
@given(values=scores, threshold=st.integers(min_value=3, max_value=8))
def test_property_the_aggregate_lies_between_the_lowest_and_highest_score(values, threshold):
    for method in scoring.METHODS:
        result = scoring.aggregate(values, method=method, trim_min_experts=threshold)
        assert Fraction(min(values)) <= result <= Fraction(max(values))


@PROPERTY_SETTINGS
@given(values=scores, threshold=st.integers(min_value=3, max_value=8), data=st.data())
def test_property_the_aggregate_ignores_the_order_of_the_experts(values, threshold, data):
    shuffled = data.draw(st.permutations(values))
    for method in scoring.METHODS:
        assert scoring.aggregate(shuffled, method=method, trim_min_experts=threshold) == scoring.aggregate(
            values, method=method, trim_min_experts=threshold
        )


@PROPERTY_SETTINGS
@given(values=scores, threshold=st.integers(min_value=3, max_value=8))
def test_property_the_trimmed_mean_equals_its_definition(values, threshold):
    ordered = sorted(Fraction(v) for v in values)
    kept = ordered[1:-1] if len(ordered) >= threshold else ordered
    expected = sum(kept) / len(kept)
    assert scoring.aggregate(values, method="trimmed_mean", trim_min_experts=threshold) == expected


@PROPERTY_SETTINGS
@given(
    criteria=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.tuples(st.integers(min_value=1, max_value=5), scores),
        min_size=1,
    )
)
def test_property_the_weighted_total_lies_within_the_criterion_aggregates(criteria):
    evaluation = scoring.evaluate(criteria, method="trimmed_mean", trim_min_experts=3)
    assert min(evaluation.criteria.values()) <= evaluation.total <= max(evaluation.criteria.values())


rank_items = st.lists(
    st.builds(
        lambda total, minutes, a, b: (total, minutes, a, b),
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=2),
        st.integers(min_value=0, max_value=2),
    ),
    max_size=10,
)


def build(rows):
    return [item(index, total, minutes, a=a, b=b) for index, (total, minutes, a, b) in enumerate(rows)]


@PROPERTY_SETTINGS
@given(rows=rank_items, tie_rule=st.sampled_from(scoring.TIE_RULES), data=st.data())
def test_property_the_ranking_is_a_deterministic_total_order(rows, tie_rule, data):
    items = build(rows)
    kwargs = {"criteria_order": ["a", "b"], "lot_seed": "seed"}
    ranked = scoring.rank(items, tie_rule, **kwargs)
    assert [r.position for r in ranked] == list(range(1, len(items) + 1))
    assert sorted(r.id for r in ranked) == sorted(i.id for i in items)
    assert all(earlier.total >= later.total for earlier, later in zip(ranked, ranked[1:], strict=False))
    assert all(r.explanation for r in ranked)
    shuffled = data.draw(st.permutations(items))
    assert scoring.rank(shuffled, tie_rule, **kwargs) == ranked


@PROPERTY_SETTINGS
@given(rows=rank_items)
def test_property_the_criterion_rule_puts_the_better_first_criterion_ahead_among_equal_totals(rows):
    items = {i.id: i for i in build(rows)}
    ranked = scoring.rank(items.values(), "higher_criterion", criteria_order=["a", "b"])
    for earlier, later in zip(ranked, ranked[1:], strict=False):
        first, second = items[earlier.id], items[later.id]
        if first.total == second.total:
            assert (first.criteria["a"], first.criteria["b"]) >= (second.criteria["a"], second.criteria["b"])
            if first.criteria == second.criteria:
                assert (first.submitted_at, first.id) < (second.submitted_at, second.id)
