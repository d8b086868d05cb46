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


# --- sections -------------------------------------------------------------------------------------


def test_weighted_sections_scale_each_section_to_its_share() -> None:
    from ecomperf.model import Section
    from ecomperf.model.weights import card_points

    sections = [Section(id="goals", weight=60), Section(id="self", weight=30), Section(id="feedback", weight=10)]
    # goals 30/70 of 60 -> 18, 42; self 100 of 30 -> 30; feedback 100 of 10 -> 10; a veto 0 stays 0
    weights = [("goals", 30.0), ("goals", 70.0), ("self", 100.0), ("feedback", 100.0), (None, 0.0)]
    assert card_points(weights, sections, "points") == [18.0, 42.0, 30.0, 10.0, 0.0]


def test_relative_sections_scale_both_levels() -> None:
    from ecomperf.model import Section
    from ecomperf.model.weights import card_points

    # sections 1 : 2 of 3; within goals 1 : 3 of 4: 100/4 * 1/3 = 8.33, 300/4 * 1/3 = 25; ratings 100 * 2/3
    sections = [Section(id="goals", weight=1), Section(id="ratings", weight=2)]
    points = card_points([("goals", 1.0), ("goals", 3.0), ("ratings", 5.0)], sections, "relative")
    assert points == [25.0 / 3, 75.0 / 3, 200.0 / 3]


def test_a_section_without_weight_left_drops_out() -> None:
    from ecomperf.model import Section
    from ecomperf.model.weights import card_points, section_shares

    sections = [Section(id="goals", weight=60), Section(id="feedback", weight=40)]
    # an event set the only feedback KPI to 0: goals carries the whole card
    assert section_shares(sections, [("goals", 100.0), ("feedback", 0.0)]) == {"goals": 60.0}
    assert card_points([("goals", 100.0), ("feedback", 0.0)], sections, "points") == [100.0, 0.0]


def test_sections_without_weights_only_group() -> None:
    from ecomperf.model import Section
    from ecomperf.model.weights import card_points

    sections = [Section(id="goals"), Section(id="behaviour")]
    assert card_points([("goals", 60.0), ("behaviour", 40.0)], sections, "points") == [60.0, 40.0]


def test_a_weighted_entry_outside_the_weighted_sections_has_no_points() -> None:
    from ecomperf.model import Section
    from ecomperf.model.weights import card_points

    assert card_points([("goals", 100.0), (None, 10.0)], [Section(id="goals", weight=100)], "points") == [100.0, None]


def test_stage_points_show_section_points() -> None:
    card = Scorecard.model_validate({
        "sections": [{"id": "goals", "weight": 60}, {"id": "self", "weight": 40}],
        "stages": {"startup": [{"kpi": "gmv", "section": "goals", "weight": 100},
                               {"kpi": "teamwork", "section": "self", "weight": 100}]},
    })
    assert stage_points("points", card, "startup") == {"gmv": 60.0, "teamwork": 40.0}
