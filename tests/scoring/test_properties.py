"""Properties that must hold for every input, checked with hypothesis."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomperf import ScoreCard
from ecomperf.framework import Framework
from ecomperf.model import Band, BandsScoring, InterpolateScoring, LinearScoring, ThresholdScoring
from ecomperf.scoring.card import score_card
from ecomperf.scoring.methods import score_value
from ecomperf.scoring.resolve import resolve_card
from ecomperf.targets import Target

from .conftest import build_framework

MIXED = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: mixed
    name: Mixed
    scorecard:
      stages:
        startup:
          - {kpi: user_growth_rate, weight: 20, target: ">= 20%"}
          - {kpi: gmv, weight: 20, target: ">= 100万", scoring: {method: linear, floor: 20, cap: 150}}
          - kpi: repurchase_rate
            weight: 15
            target: ">= 30%"
            scoring: {method: bands, bands: [{min_achievement: 1.1, score: 115}, {min_achievement: 0.9, score: 80},
                                             {min_achievement: 0, score: 10}]}
          - {kpi: response_hours, weight: 15, target: "<= 24h",
             scoring: {method: interpolate, threshold: 48, stretch: 12, cap: 130}}
          - {kpi: inventory_days, weight: 10, target: "30..45", scoring: {method: range, tolerance: 15, floor: 5}}
          - {kpi: complaint_rate, weight: 10, target: "<= 2%"}
          - {kpi: gross_margin, weight: 10, target: ">= 40%", scoring: threshold}
          - {kpi: violations, weight: 0, target: "== 0"}
    """
FLOOR, CAP = 0.0, 150.0  # the lowest floor and highest cap of the methods above
KPIS = ["user_growth_rate", "gmv", "repurchase_rate", "response_hours", "inventory_days", "complaint_rate",
        "gross_margin"]

SETTINGS = settings(max_examples=60, deadline=None)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    return build_framework(Path(tmp_path_factory.mktemp("mixed")), positions=MIXED)


reals = st.floats(min_value=-1e3, max_value=1e8, allow_nan=False, allow_infinity=False)
actuals_strategy = st.fixed_dictionaries(
    {
        "user_growth_rate": st.floats(-1, 2),
        "gmv": st.floats(0, 5e6),
        "repurchase_rate": st.floats(0, 1),
        "response_hours": st.floats(0, 100),
        "inventory_days": st.floats(0, 120),
        "complaint_rate": st.floats(0, 0.2),
        "gross_margin": st.floats(-1, 1),
        "violations": st.sampled_from([0, 0, 1]),
    }
)


def _card(fw: Framework, actuals: dict[str, Any], **options: Any) -> ScoreCard:
    return fw.score("mixed", stage="startup", period="2026-10", actuals=actuals, **options)


@SETTINGS
@given(actuals=actuals_strategy)
def test_total_lies_between_the_lowest_floor_and_the_highest_cap(mixed: Framework, actuals: dict[str, Any]) -> None:
    card = _card(mixed, actuals)
    assert FLOOR <= card.total <= CAP
    assert all(FLOOR <= k.score <= CAP for k in card.kpis)


@SETTINGS
@given(actuals=actuals_strategy, k=st.floats(0.01, 1000))
def test_scaling_every_weight_changes_nothing(mixed: Framework, actuals: dict[str, Any], k: float) -> None:
    resolved = resolve_card(mixed, "mixed", stage="startup", period="2026-10")
    scaled = replace(resolved, entries=tuple(replace(e, weight=e.weight * k) for e in resolved.entries))
    plain, heavy = score_card(mixed, resolved, actuals), score_card(mixed, scaled, actuals)
    assert heavy.total == pytest.approx(plain.total, abs=1e-8)
    assert [r.weighted_score for r in heavy.kpis] == pytest.approx([r.weighted_score for r in plain.kpis], abs=1e-8)


@SETTINGS
@given(actuals=actuals_strategy, dropped=st.sampled_from(KPIS))
def test_renormalize_equals_scoring_without_the_kpi(mixed: Framework, actuals: dict[str, Any], dropped: str) -> None:
    partial = {name: value for name, value in actuals.items() if name != dropped}
    renormalized = _card(mixed, partial, missing="renormalize")
    resolved = resolve_card(mixed, "mixed", stage="startup", period="2026-10")
    without = replace(resolved, entries=tuple(e for e in resolved.entries if e.kpi != dropped))
    expected = score_card(mixed, without, actuals)
    assert renormalized.total == pytest.approx(expected.total, abs=1e-8)
    assert renormalized.kpis == expected.kpis


directions = st.sampled_from(["higher", "lower"])
methods = st.sampled_from(
    [
        LinearScoring(),
        LinearScoring(floor=30, cap=200),
        ThresholdScoring(),
        BandsScoring(bands=[Band(min_achievement=1.2, score=120), Band(min_achievement=0.8, score=60),
                            Band(min_achievement=0, score=0)]),
    ]
)


@settings(max_examples=300, deadline=None)
@given(method=methods, direction=directions, target=st.floats(0, 1e6), a=reals, b=reals)
def test_a_better_actual_never_scores_lower(method: Any, direction: str, target: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    goal = Target(op=">=" if direction == "higher" else "<=", value=target)
    at_low = score_value(method, low, goal, direction).score  # type: ignore[arg-type]
    at_high = score_value(method, high, goal, direction).score  # type: ignore[arg-type]
    if direction == "higher":
        assert at_low <= at_high
    else:
        assert at_low >= at_high


@settings(max_examples=300, deadline=None)
@given(
    direction=directions,
    anchors=st.lists(st.floats(-1e4, 1e4), min_size=3, max_size=3, unique=True).map(sorted),
    a=reals,
    b=reals,
)
def test_interpolate_is_monotone_both_ways(direction: str, anchors: list[float], a: float, b: float) -> None:
    small, middle, large = anchors
    threshold, stretch = (small, large) if direction == "higher" else (large, small)
    method = InterpolateScoring(threshold=threshold, stretch=stretch, cap=130)
    goal = Target(op=">=" if direction == "higher" else "<=", value=middle)
    low, high = sorted((a, b))
    at_low = score_value(method, low, goal, direction).score  # type: ignore[arg-type]
    at_high = score_value(method, high, goal, direction).score  # type: ignore[arg-type]
    assert (at_low <= at_high) if direction == "higher" else (at_low >= at_high)


counts = st.integers(0, 10**6)


@SETTINGS
@given(orders=st.lists(counts, min_size=3, max_size=3), visitors=st.lists(st.integers(1, 10**7), min_size=3,
                                                                           max_size=3))
def test_ratio_rollup_is_the_ratio_of_sums(fw: Framework, orders: list[int], visitors: list[int]) -> None:
    months = {f"2026-{10 + i}": {"orders": o, "visitors": v} for i, (o, v) in enumerate(zip(orders, visitors,
                                                                                             strict=True))}
    assert fw.rollup(months, "2026-Q4")["conversion_rate"] == pytest.approx(sum(orders) / sum(visitors))


@SETTINGS
@given(actuals=actuals_strategy, policy=st.sampled_from(["renormalize", "zero"]), drop=st.sets(st.sampled_from(KPIS),
                                                                                                max_size=3))
def test_scorecard_json_round_trip_is_lossless(
    mixed: Framework, actuals: dict[str, Any], policy: str, drop: set[str]
) -> None:
    given_actuals = {name: ("n/a" if name == "gmv" else value) for name, value in actuals.items() if name not in drop}
    card = _card(mixed, given_actuals, missing=policy, employee="e1", context={"category": "fmcg"})
    assert ScoreCard.model_validate_json(card.model_dump_json()) == card
