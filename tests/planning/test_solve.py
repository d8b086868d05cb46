"""Solving a formula KPI for one input: closed form where the formula allows, bracketing where it does not."""

from __future__ import annotations

import pytest

import ecomperf
from ecomperf.planning import whatif

KEEPER = {"revenue": 1_000_000, "cost": 700_000, "gmv": 1_000_000}
# kept_share = max(1,000,000 - 700,000, 0) / 1,000,000 = 30%: 75 points; gmv 100; total 87.5 (B)


def _kept_inputs(fw: ecomperf.Framework, grade: str) -> dict[str, ecomperf.InputNeed]:
    result = whatif(fw, "keeper", stage="startup", period="2026-10", actuals=KEEPER, grade=grade)
    kept = next(row for row in result.kpis if row.kpi == "kept_share")
    return {need.input: need for need in kept.inputs}


def test_a_formula_with_max_is_solved_by_bracketing(plan_fw: ecomperf.Framework) -> None:
    # A needs 25 more points from kept_share (weight 50): 100 points, 40%:
    # cost held at 70万: (r - 70万) / r = 0.4, r = 70万 / 0.6 = 1,166,666.67; revenue held: c = 60万
    inputs = _kept_inputs(plan_fw, "A")
    assert (inputs["revenue"].solved_by, inputs["revenue"].bound) == ("bracketing", "at_least")
    assert inputs["revenue"].needed == pytest.approx(1_166_666.667, abs=0.01)
    assert (inputs["cost"].solved_by, inputs["cost"].bound) == ("bracketing", "at_most")
    assert inputs["cost"].needed == pytest.approx(600_000, abs=0.01)


def test_a_reached_grade_brackets_how_far_an_input_may_move(plan_fw: ecomperf.Framework) -> None:
    # B (85) is reached; kept_share may fall to (85 - 50) × 100 / 50 = 70 points, 28%: cost up to 72万
    inputs = _kept_inputs(plan_fw, "B")
    assert inputs["cost"].bound == "at_most"
    assert inputs["cost"].needed == pytest.approx(720_000, abs=0.01)


def test_an_input_without_an_actual_cannot_be_solved(plan_fw: ecomperf.Framework) -> None:
    result = whatif(plan_fw, "seller", stage="startup", period="2026-10", grade="A",
                    actuals={"gmv": 900_000, "revenue": 1_000_000, "margin": 0.38, "response_hours": 30,
                             "rating": 92, "balance": 2.0, "on_time": 0.96, "violations": 0})
    margin = next(row for row in result.kpis if row.kpi == "margin")
    assert [(need.input, need.reachable) for need in margin.inputs] == [("revenue", False), ("cost", False)]
    assert "no actual for cost" in margin.inputs[0].reason


def test_a_conditional_formula_is_solved_by_bracketing(plan_fw: ecomperf.Framework) -> None:
    # if(revenue > 0, (revenue - cost) / revenue, 0) = 30% now (75 points); A needs 40%: cost at most 60万
    result = whatif(plan_fw, "guard", stage="startup", period="2026-10", actuals=KEEPER, grade="A")
    guarded = next(row for row in result.kpis if row.kpi == "guarded_margin")
    cost = next(need for need in guarded.inputs if need.input == "cost")
    assert (cost.solved_by, cost.bound) == ("bracketing", "at_most")
    assert cost.needed == pytest.approx(600_000, abs=0.01)
