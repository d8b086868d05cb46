"""Each scoring method, one behaviour per test, with the arithmetic worked out in the comment."""

from __future__ import annotations

import pytest

from ecomperf.model import (
    Band,
    BandsScoring,
    InterpolateScoring,
    LinearScoring,
    RangeScoring,
    ThresholdScoring,
    VetoScoring,
)
from ecomperf.scoring.methods import MethodResult, default_method, score_value
from ecomperf.targets import parse_target

LINEAR = LinearScoring()


# --- defaults --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "method"),
    [("higher", "linear"), ("lower", "linear"), ("zero", "veto"), ("range", "threshold")],
)
def test_default_method_per_direction(direction: str, method: str) -> None:
    assert default_method(direction).method == method  # type: ignore[arg-type]


def test_default_linear_runs_from_0_to_120() -> None:
    default = default_method("higher")
    assert isinstance(default, LinearScoring)
    assert (default.floor, default.cap) == (0, 120)


# --- linear ----------------------------------------------------------------------------------------


def test_linear_higher_is_actual_over_target() -> None:
    # 100 · 0.22 / 0.20 = 110 (exactly: binary noise 110.00000000000001 is rounded away)
    assert score_value(LINEAR, 0.22, parse_target(">= 20%"), "higher") == MethodResult(110.0, 1.1)


def test_linear_lower_is_target_over_actual() -> None:
    # 100 · 24 / 30 = 80; achievement 24 / 30 = 0.8
    assert score_value(LINEAR, 30.0, parse_target("<= 24h"), "lower") == MethodResult(80.0, 0.8)


def test_linear_is_capped_and_says_so() -> None:
    # 100 · 3000万 / 2000万 = 150 → cap 120
    result = score_value(LINEAR, 30_000_000, parse_target(">= 2000万"), "higher")
    assert result.score == 120.0
    assert result.achievement == 1.5
    assert result.note == "capped at 120 (uncapped 150)"


def test_linear_floor_and_cap_are_configurable() -> None:
    # 100 · 0.1 / 0.4 = 25 → floor 50;  100 · 0.8 / 0.4 = 200 → cap 150
    method = LinearScoring(floor=50, cap=150)
    assert score_value(method, 0.1, parse_target(">= 40%"), "higher").score == 50.0
    assert score_value(method, 0.8, parse_target(">= 40%"), "higher").score == 150.0


def test_linear_negative_actual_is_floored() -> None:
    # growth of -10% against +20%: 100 · -0.1 / 0.2 = -50 → floor 0
    assert score_value(LINEAR, -0.1, parse_target(">= 20%"), "higher").score == 0.0


def test_linear_lower_with_actual_zero_meets_the_cap() -> None:
    # no complaints at all: 100 · 2% / 0 has no value; nothing can be better → cap 120
    result = score_value(LINEAR, 0.0, parse_target("<= 2%"), "lower")
    assert result.score == 120.0
    assert result.achievement is None


def test_linear_target_zero_is_scored_as_a_threshold() -> None:
    # ">= 0%" growth: x / 0 has no meaning, so met → 100, missed → floor
    target = parse_target(">= 0%")
    met = score_value(LINEAR, 0.05, target, "higher")
    missed = score_value(LINEAR, -0.01, target, "higher")
    assert (met.score, met.achievement) == (100.0, None)
    assert missed.score == 0.0
    assert met.note is not None and "not above 0" in met.note


# --- threshold -------------------------------------------------------------------------------------


def test_threshold_is_all_or_nothing() -> None:
    target = parse_target(">= 95%")
    assert score_value(ThresholdScoring(), 0.95, target, "higher").score == 100.0
    assert score_value(ThresholdScoring(), 0.9499, target, "higher").score == 0.0


def test_threshold_on_a_range_target() -> None:
    target = parse_target("30..45")
    assert score_value(ThresholdScoring(), 45.0, target, "range") == MethodResult(100.0, None)
    assert score_value(ThresholdScoring(), 46.0, target, "range").score == 0.0


# --- bands -----------------------------------------------------------------------------------------

BANDS = BandsScoring(
    bands=[
        Band(min_achievement=1.2, score=120),
        Band(min_achievement=1.0, score=100),
        Band(min_achievement=0.8, score=60),
        Band(min_achievement=0, score=0),
    ]
)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (130.0, 120.0),  # 130 / 100 = 1.30 ≥ 1.2
        (120.0, 120.0),  # exactly 1.2: the band includes its lower edge
        (119.0, 100.0),  # 1.19 < 1.2 → the 1.0 band (half-open [1.0, 1.2))
        (100.0, 100.0),
        (80.0, 60.0),  # exactly 0.8
        (79.99, 0.0),
        (-5.0, 0.0),  # below every band → the lowest
    ],
)
def test_bands_pick_the_first_band_reached(actual: float, expected: float) -> None:
    assert score_value(BANDS, actual, parse_target(">= 100"), "higher").score == expected


def test_bands_for_lower_is_better_use_target_over_actual() -> None:
    # target 24h, actual 30h: achievement 24 / 30 = 0.8 → 60;  actual 20h: 1.2 → 120
    assert score_value(BANDS, 30.0, parse_target("<= 24h"), "lower").score == 60.0
    assert score_value(BANDS, 20.0, parse_target("<= 24h"), "lower").score == 120.0


def test_bands_without_an_achievement_use_the_top_or_bottom_band() -> None:
    # lower is better, actual 0 → best possible → top band; target 0 missed → bottom band
    assert score_value(BANDS, 0.0, parse_target("<= 24h"), "lower").score == 120.0
    assert score_value(BANDS, -1.0, parse_target(">= 0"), "higher").score == 0.0


# --- interpolate -----------------------------------------------------------------------------------

RISING = InterpolateScoring(threshold=0.15, stretch=0.25, cap=120)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (0.10, 0.0),  # below the threshold
        (0.15, 0.0),  # at the threshold
        (0.175, 50.0),  # (0.175 - 0.15) / (0.20 - 0.15) = 0.5 → 50
        (0.20, 100.0),  # the target
        (0.225, 110.0),  # 100 + (120 - 100) · (0.225 - 0.20) / (0.25 - 0.20) = 110
        (0.25, 120.0),  # the stretch
        (0.40, 120.0),  # beyond the stretch: the cap
    ],
)
def test_interpolate_rising_anchors(actual: float, expected: float) -> None:
    assert score_value(RISING, actual, parse_target(">= 20%"), "higher").score == expected


def test_interpolate_without_stretch_stops_at_100() -> None:
    method = InterpolateScoring(threshold=0.15)
    assert score_value(method, 0.30, parse_target(">= 20%"), "higher").score == 100.0


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (50.0, 0.0),  # slower than the 48h threshold
        (36.0, 50.0),  # (36 - 48) / (24 - 48) = 0.5 → 50
        (24.0, 100.0),
        (18.0, 110.0),  # 100 + 20 · (18 - 24) / (12 - 24) = 110
        (6.0, 120.0),
    ],
)
def test_interpolate_falling_anchors_for_lower_is_better(actual: float, expected: float) -> None:
    method = InterpolateScoring(threshold=48, stretch=12, cap=120)
    assert score_value(method, actual, parse_target("<= 24h"), "lower").score == expected


def test_interpolate_with_a_target_of_zero() -> None:
    # complaints: threshold 4, target 0 → 2 complaints is halfway: (2 - 4) / (0 - 4) = 0.5 → 50
    method = InterpolateScoring(threshold=4)
    assert score_value(method, 2.0, parse_target("<= 0"), "lower").score == 50.0
    assert score_value(method, 0.0, parse_target("<= 0"), "lower").score == 100.0


# --- range -----------------------------------------------------------------------------------------

RANGE = RangeScoring(tolerance=10, floor=0)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (30.0, 100.0),  # on the low bound
        (40.0, 100.0),  # inside
        (45.0, 100.0),  # on the high bound
        (50.0, 50.0),  # 5 days above 45: 100 - 100 · 5 / 10 = 50
        (26.0, 60.0),  # 4 days below 30: 100 - 100 · 4 / 10 = 60
        (55.0, 0.0),  # exactly tolerance outside → floor
        (90.0, 0.0),
    ],
)
def test_range_falls_off_linearly_outside_the_bounds(actual: float, expected: float) -> None:
    assert score_value(RANGE, actual, parse_target("30..45"), "range").score == expected


def test_range_falls_to_its_floor() -> None:
    # floor 40: 5 outside of 10 → 100 - (100 - 40) · 0.5 = 70
    method = RangeScoring(tolerance=10, floor=40)
    assert score_value(method, 50.0, parse_target("30..45"), "range").score == 70.0
    assert score_value(method, 80.0, parse_target("30..45"), "range").score == 40.0


# --- veto ------------------------------------------------------------------------------------------


def test_veto_not_breached_scores_100() -> None:
    assert score_value(VetoScoring(), 0.0, parse_target("== 0"), "zero") == MethodResult(100.0, None)


def test_veto_breached_scores_0_and_is_flagged() -> None:
    result = score_value(VetoScoring(), 1.0, parse_target("== 0"), "zero")
    assert (result.score, result.breached) == (0.0, True)
    assert result.note == "veto breached: 1 against target == 0"


def test_veto_with_a_tolerance() -> None:
    # "<= 2": two penalties are tolerated, a third breaches
    assert not score_value(VetoScoring(), 2.0, parse_target("<= 2"), "zero").breached
    assert score_value(VetoScoring(), 3.0, parse_target("<= 2"), "zero").breached


# --- regressions found by the property tests -------------------------------------------------------


def test_interpolate_a_rounding_error_short_of_target_scores_100_not_less() -> None:
    # falling anchors 3 → ~0 → 0: 3 - 2.2e-16 rounds to 3.0, so the actual lands in the stretch branch
    # a hair *before* the target; the stretch part is clamped at 0 instead of going hugely negative
    method = InterpolateScoring(threshold=3.0, stretch=0.0, cap=130)
    result = score_value(method, 2.220446049250313e-16, parse_target({"op": "<=", "value": 1.6e-259}), "lower")
    assert result.score == 100.0


def test_a_subnormal_actual_does_not_overflow_the_achievement() -> None:
    # 24 / 2.2e-313 is infinite: no achievement, and the linear score is the cap
    result = score_value(LINEAR, 2.2250738585e-313, parse_target("<= 24h"), "lower")
    assert (result.score, result.achievement) == (120.0, None)


def test_negative_targets_have_no_achievement() -> None:
    # ">= -5%" (shrink by at most 5%): -3% / -5% = 0.6 would wrongly read as a miss; met → top band
    result = score_value(BANDS, -0.03, parse_target(">= -5%"), "higher")
    assert (result.score, result.achievement) == (120.0, None)
