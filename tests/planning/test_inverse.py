"""The inverse of each scoring method, worked by hand, and its exact agreement with the forward scorer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomperf.model import (
    Band,
    BandsScoring,
    InterpolateScoring,
    LinearScoring,
    RangeScoring,
    ScoringMethod,
    ThresholdScoring,
    VetoScoring,
)
from ecomperf.model.metric import Direction
from ecomperf.planning.inverse import best_score, needed_for_score
from ecomperf.scoring.methods import score_value
from ecomperf.targets import parse_target

BANDS = BandsScoring(bands=[Band(min_achievement=1, score=100), Band(min_achievement=0.8, score=60),
                            Band(min_achievement=0, score=0)])


def test_linear_higher_is_score_times_target() -> None:
    # 100·x/t = 90 with t = 2000万: x = 90 × 2000万 / 100 = 1800万 (to within the 9-decimal rounding)
    needed = needed_for_score(LinearScoring(), parse_target(">= 2000万"), "higher", 90)
    assert needed.bound == "at_least"
    assert needed.value == pytest.approx(18_000_000, abs=1e-3)


def test_linear_lower_is_target_over_score() -> None:
    # 100·t/x = 80 with t = 24h: x = 100 × 24 / 80 = 30h at most
    needed = needed_for_score(LinearScoring(), parse_target("<= 24h"), "lower", 80)
    assert (needed.bound, needed.value) == ("at_most", pytest.approx(30.0))


def test_linear_above_the_cap_is_never_and_at_the_floor_is_any() -> None:
    target = parse_target(">= 2000万")
    assert needed_for_score(LinearScoring(), target, "higher", 120.5).bound == "never"
    assert needed_for_score(LinearScoring(floor=50), target, "higher", 50).bound == "any"


def test_linear_with_a_target_of_zero_is_a_threshold() -> None:
    # ">= 0%" has no ratio: 100 when met, else the floor; 60 points need the target itself
    needed = needed_for_score(LinearScoring(), parse_target(">= 0%"), "higher", 60)
    assert (needed.bound, needed.value, needed.jump) == ("at_least", 0.0, True)


def test_threshold_needs_the_bound_and_a_strict_one_the_next_float() -> None:
    assert needed_for_score(ThresholdScoring(), parse_target(">= 95%"), "higher", 50).value == 0.95
    strict = needed_for_score(ThresholdScoring(), parse_target("< 2%"), "lower", 100)
    assert (strict.bound, strict.value) == ("at_most", math.nextafter(0.02, 0))


def test_bands_need_the_lowest_band_that_pays_enough() -> None:
    # 50 points: the 60 band from achievement 0.8: higher 0.8 × 100 = 80; lower 24 / 0.8 = 30h
    assert needed_for_score(BANDS, parse_target(">= 100"), "higher", 50).value == pytest.approx(80)
    assert needed_for_score(BANDS, parse_target("<= 24h"), "lower", 50).value == pytest.approx(30)
    assert needed_for_score(BANDS, parse_target(">= 100"), "higher", 0).bound == "any"


def test_interpolate_below_and_beyond_the_target() -> None:
    method = InterpolateScoring(threshold=48, stretch=12)  # 48h -> 0, 24h -> 100, 12h -> 120
    target = parse_target("<= 24h")
    # 75 = 100 × (48 - x) / 24: x = 30h;  110 = 100 + 20 × (x - 24) / (12 - 24): x = 18h
    assert needed_for_score(method, target, "lower", 75).value == pytest.approx(30)
    assert needed_for_score(method, target, "lower", 110).value == pytest.approx(18)
    assert needed_for_score(method, target, "lower", 121).bound == "never"


def test_range_widens_the_band_by_the_distance_the_score_allows() -> None:
    # 80 = 100 - 100 × d / 0.5: d = 0.1, so 1.4..2.6
    needed = needed_for_score(RangeScoring(tolerance=0.5), parse_target("1.5..2.5"), "range", 80)
    assert (needed.bound, needed.low, needed.high) == ("within", pytest.approx(1.4), pytest.approx(2.6))


def test_veto_needs_the_target_met() -> None:
    needed = needed_for_score(VetoScoring(), parse_target("== 0"), "zero", 100)
    assert (needed.bound, needed.value, needed.jump) == ("exactly", 0.0, True)


def test_best_score_per_method() -> None:
    assert best_score(LinearScoring(cap=150), parse_target(">= 1"), "higher") == 150
    assert best_score(InterpolateScoring(threshold=0.1), parse_target(">= 0.3"), "higher") == 100
    assert best_score(BANDS, parse_target(">= 100"), "higher") == 100


# --- exact agreement with score_value ------------------------------------------------------------

CASES: list[tuple[ScoringMethod, str, Direction, bool]] = [
    (LinearScoring(), ">= 2000万", "higher", True),
    (LinearScoring(floor=20, cap=150), ">= 0.2", "higher", True),
    (LinearScoring(), "<= 24h", "lower", True),
    (ThresholdScoring(), "> 5", "higher", False),
    (BANDS, ">= 100", "higher", False),
    (BANDS, "<= 24", "lower", False),
    (InterpolateScoring(threshold=0.1, stretch=0.5, cap=130), ">= 0.3", "higher", True),
    (InterpolateScoring(threshold=48, stretch=12), "<= 24h", "lower", True),
    (RangeScoring(tolerance=0.5, floor=20), "1.5..2.5", "range", True),
    (RangeScoring(tolerance=3), ">= 10", "range", True),
    (VetoScoring(), "<= 2", "zero", False),
]


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from(CASES), score=st.floats(-20, 170))
def test_the_boundary_scores_enough_and_the_float_outside_it_does_not(
    case: tuple[ScoringMethod, str, Direction, bool], score: float
) -> None:
    method, text, direction, _ = case
    target = parse_target(text)
    needed = needed_for_score(method, target, direction, score)

    def scores(x: float) -> float:
        return score_value(method, x, target, direction).score

    if needed.bound == "never":
        assert score > needed.best
    elif needed.bound == "any":
        assert all(scores(x) >= score for x in (-1e9, -1.0, 0.0, 0.5, 2.0, 1e3, 1e9))
    elif needed.bound == "within":
        assert needed.low is not None and needed.high is not None
        assert scores(needed.low) >= score > scores(math.nextafter(needed.low, -math.inf))
        assert scores(needed.high) >= score > scores(math.nextafter(needed.high, math.inf))
    elif needed.bound == "exactly":
        assert needed.value is not None and scores(needed.value) >= score
    else:
        assert needed.value is not None
        outside = math.nextafter(needed.value, -math.inf if needed.bound == "at_least" else math.inf)
        assert scores(needed.value) >= score > scores(outside)
