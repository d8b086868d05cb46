"""Impossible actuals (issue 10, item 3): refused with the row, the metric and its range; never clamped."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ecomperf
from ecomperf.framework import Framework

from .conftest import FRAMEWORK, METRICS, build_framework, write

ACCURACY = """\
    apiVersion: ecomperf/v1
    kind: Metric
    id: forecast_accuracy
    name: {zh: 预测准确率, en: Forecast accuracy}
    unit: percent
    direction: higher
    bounds: [0, 1]
    cycle: monthly
    source: {zh: ERP, en: ERP}
    """

PLANNER = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: planner
    name: Planner
    scorecard:
      stages:
        startup:
          - {kpi: forecast_accuracy, weight: 50, target: ">= 90%"}
          - {kpi: conversion_rate,   weight: 30, target: ">= 5%"}
          - {kpi: response_hours,    weight: 20, target: "<= 24h"}
    """


@pytest.fixture(scope="module")
def fw(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    return build_framework(tmp_path_factory.mktemp("bounds"), positions=PLANNER, extra_metrics=ACCURACY)


def _score(fw: Framework, **actuals: object) -> ecomperf.ScoreCard:
    values = {"forecast_accuracy": "95%", "orders": 50, "visitors": 1000, "response_hours": 12, **actuals}
    return fw.score("planner", stage="startup", period="2026-10", actuals=values)


def test_values_inside_their_ranges_score_as_before(fw: Framework) -> None:
    # accuracy 95/90 → 105.555555556; conversion 50/1000 = 5% → 100; hours 24/12 → 200 → cap 120
    # (50·105.555555556 + 30·100 + 20·120) / 100 = (5277.7777778 + 3000 + 2400) / 100 = 106.777777778
    assert _score(fw).total == 106.777777778


@pytest.mark.parametrize(
    ("metric", "value", "reason"),
    [
        ("visitors", -5, "below 0, the least a count can be; correct the value, or declare `bounds:` on metric "
                         "visitors if it can be lower"),
        ("response_hours", "-2h", "below 0h, the least a number of hours can be"),
        ("forecast_accuracy", "130%", "above 100%, the most metric forecast_accuracy allows (bounds: [0%, 100%]); "
                                      "correct the value, or widen the metric's bounds"),
    ],
)
def test_an_impossible_value_is_refused_naming_metric_value_and_range(
    fw: Framework, metric: str, value: object, reason: str
) -> None:
    with pytest.raises(ecomperf.ScoringError) as caught:
        _score(fw, **{metric: value})
    message = str(caught.value)
    assert f"actual for {metric!r} is {value!r}: {reason}" in message
    assert [p.code for p in caught.value.problems] == ["ES103"]


def test_negative_gmv_is_refused(tmp_path: Path) -> None:
    fw = build_framework(tmp_path / "fw")
    with pytest.raises(ecomperf.ScoringError, match=r"actual for 'gmv' is '-200万': below 0"):
        fw.score("service_agent", stage="startup", period="2026-10",
                 actuals={"response_hours": 12, "complaint_rate": "1%", "gmv": "-200万"})


def test_a_percent_without_bounds_may_be_negative_or_above_100(tmp_path: Path) -> None:
    # growth rates are percentages: −5% and +150% are real values, so percent has no range of its own
    position = """\
        apiVersion: ecomperf/v1
        kind: Position
        id: grower
        name: Grower
        scorecard:
          stages:
            startup:
              - {kpi: user_growth_rate, weight: 100, target: ">= 20%"}
        """
    fw = build_framework(tmp_path / "fw", positions=position)
    card = fw.score("grower", stage="startup", period="2026-10", actuals={"user_growth_rate": "-5%"})
    # −5% / 20% → −25 → floor 0
    assert card.total == 0.0


def test_both_engines_refuse_the_same_rows_with_the_row_number(fw: Framework) -> None:
    good = {"employee": "li", "position": "planner", "stage": "startup", "period": "2026-10",
            "forecast_accuracy": 0.95, "orders": 50, "visitors": 1000, "response_hours": 12}
    rows = [good, {**good, "employee": "wang", "forecast_accuracy": 1.3}, {**good, "employee": "zhao", "visitors": -5}]
    for detail in (True, False):
        result = fw.score_many(rows, detail=detail)
        # li scores 106.777777778 (worked out above); wang (row 3) and zhao (row 4) are refused, not clamped
        assert [(r.row, r.total) for r in result.rows] == [(2, 106.777777778)]
        assert [(e.row, e.employee) for e in result.errors] == [(3, "wang"), (4, "zhao")]
        assert "actual for 'forecast_accuracy' is 1.3: above 100%" in result.errors[0].reason
        assert "actual for 'visitors' is -5: below 0" in result.errors[1].reason


def test_a_negative_month_is_refused_before_it_is_rolled_up(fw: Framework) -> None:
    months = {"2026-10": {"orders": 10, "visitors": 100}, "2026-11": {"orders": 10, "visitors": -100},
              "2026-12": {"orders": 10, "visitors": 100}}
    # Σ visitors would be 100, a plausible number that hides the typo
    with pytest.raises(ecomperf.ScoringError, match=r"2026-11: actual for 'visitors' is -100: below 0"):
        fw.rollup(months, "2026-Q4")


def test_bounds_that_run_backwards_are_a_problem_at_the_field(tmp_path: Path) -> None:
    root = write(tmp_path / "bad", {"framework.yaml": FRAMEWORK, "metrics.yaml": METRICS,
                                    "extra.yaml": ACCURACY.replace("bounds: [0, 1]", "bounds: [1, 0]")})
    result = ecomperf.load_documents(root)
    assert [(p.code, p.message, p.span.line if p.span else 0) for p in result.errors] == [
        ("EP104", "bounds: [1, 0] runs backwards; write the lowest value first, e.g. [0, 1]", 7)]


# --- values computed by formulas: the inputs may each be possible and impossible together -----------------

STREAMER_OCTOBER = {"gmv": "800万", "live_hours": 130, "new_followers": 9000, "violations": 0}


def test_a_computed_value_outside_its_bounds_is_refused_with_formula_inputs_and_range(
    live_shop: Framework,
) -> None:
    # 13,000 orders from 10,000 visitors: conversion_rate = orders / visitors = 1.3, and bounds: [0, 1]
    actuals = {**STREAMER_OCTOBER, "orders": 13000, "visitors": 10000}
    with pytest.raises(ecomperf.ScoringError) as raised:
        live_shop.score("streamer", stage="startup", period="2026-10", actuals=actuals)
    assert [problem.message for problem in raised.value.problems] == [
        "conversion_rate = orders / visitors = 130% (orders 13000, visitors 10000): above 100%, the most metric "
        "conversion_rate allows (bounds: [0%, 100%]); correct the inputs, or widen the metric's bounds"
    ]


def test_a_computed_value_at_its_bound_is_scored(live_shop: Framework) -> None:
    # conversion 10000/10000 = 100% (allowed: the bound itself) → 1/0.03 → capped 120
    # gmv 800万/500万 → 160 → cap 120; hours 130/120 → 108.333333333; followers 9000 against 12万/12 = 10000 → 90
    # (50·120 + 20·120 + 10·108.333333333 + 20·90) / 100 = (6000 + 2400 + 1083.33333333 + 1800) / 100
    actuals = {**STREAMER_OCTOBER, "orders": 10000, "visitors": 10000}
    card = live_shop.score("streamer", stage="startup", period="2026-10", actuals=actuals)
    assert card.total == 112.833333333


def test_a_computed_value_is_refused_with_its_row_by_both_engines(live_shop: Framework) -> None:
    row = {"employee": "wang", "position": "streamer", "stage": "startup", "period": "2026-10", **STREAMER_OCTOBER}
    rows = [{**row, "orders": 14000, "visitors": 400000}, {**row, "employee": "li", "orders": 13000, "visitors": 10000}]
    for detail in (True, False):  # detail: the scalar engine; without: the array engine
        result = live_shop.score_many(rows, detail=detail)
        # wang: conversion 3.5% → 116.666666667: (6000 + 20·116.666666667 + 1083.33333333 + 1800) / 100 = 112.166…
        assert [(r.row, r.total) for r in result.rows] == [(2, 112.166666667)]
        assert [(e.row, e.employee) for e in result.errors] == [(3, "li")]
        assert "conversion_rate = orders / visitors = 130% (orders 13000, visitors 10000): above 100%" in (
            result.errors[0].reason)


@settings(max_examples=80, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 3000), st.integers(1, 3000)), min_size=1, max_size=8))
def test_both_engines_refuse_exactly_the_rows_whose_computed_rate_leaves_its_bounds(
    live_shop: Framework, pairs: list[tuple[int, int]]
) -> None:
    rows = [{"employee": f"e{number}", "position": "streamer", "stage": "startup", "period": "2026-10",
             **STREAMER_OCTOBER, "orders": orders, "visitors": visitors}
            for number, (orders, visitors) in enumerate(pairs)]
    scalar, vector = live_shop.score_many(rows, detail=True), live_shop.score_many(rows, detail=False)
    expected = [number + 2 for number, (orders, visitors) in enumerate(pairs) if orders > visitors]
    assert [e.row for e in scalar.errors] == [e.row for e in vector.errors] == expected
    assert [(r.row, r.total) for r in scalar.rows] == [(r.row, r.total) for r in vector.rows]
