"""How weights are read: points of 100 as given, or relative sizes scaled to 100."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomperf.model import Scorecard
from ecomperf.model.weights import as_points, stage_points, weight_mode


def test_points_are_returned_as_given() -> None:
    assert as_points([60, 30, 10, 0], "points") == [60.0, 30.0, 10.0, 0.0]


def test_relative_weights_are_scaled_to_100() -> None:
    # 1 + 3 + 2 = 6: 100/6, 300/6, 200/6; a veto KPI's 0 stays 0
    assert as_points([1, 3, 2, 0], "relative") == [100 / 6, 50.0, 200 / 6, 0.0]


def test_relative_weights_summing_to_zero_are_left_alone() -> None:
    assert as_points([0, 0], "relative") == [0.0, 0.0]  # EP301 reports the stage


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=10).filter(lambda w: sum(w) > 0))
def test_relative_weights_always_sum_to_100(weights: list[float]) -> None:
    assert math.isclose(sum(as_points(weights, "relative")), 100.0, rel_tol=1e-12)


@pytest.mark.parametrize(
    ("framework", "card", "expected"),
    [("points", None, "points"), ("relative", None, "relative"), ("relative", "points", "points"),
     ("points", "relative", "relative")],
)
def test_a_scorecard_overrides_the_framework_mode(framework: str, card: str | None, expected: str) -> None:
    assert weight_mode(framework, card) == expected  # type: ignore[arg-type]


def test_stage_points_reads_the_cards_own_mode() -> None:
    card = Scorecard.model_validate({"weights": "relative", "stages": {"startup": [
        {"kpi": "gmv", "weight": 3, "target": ">= 1"}, {"kpi": "margin", "weight": 1, "target": ">= 1"}]}})
    assert stage_points("points", card, "startup") == {"gmv": 75.0, "margin": 25.0}  # 3 and 1 of 4
