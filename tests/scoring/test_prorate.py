"""The one period rule: a KPI's target fitted to the months its value covers (summed metrics scale, rates keep theirs,
what cannot be scaled is refused), for flat and by-period actuals, in both engines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import ecomperf
from ecomperf.scoring.resolve import prorate_targets, resolve_card
from tests.conftest import BASE_FILES
from tests.scoring.conftest import build_framework

QUARTERLY = {
    "metrics.yaml": BASE_FILES["metrics.yaml"].replace(
        "id: gmv\n        name: {zh: GMV, en: GMV}\n        unit: currency\n        direction: higher\n"
        "        cycle: monthly",
        "id: gmv\n        name: {zh: GMV, en: GMV}\n        unit: currency\n        direction: higher\n"
        "        cycle: quarterly",
    ),
}


@pytest.fixture
def fw(framework_dir: Callable[..., Path]) -> ecomperf.Framework:
    loaded = ecomperf.load(framework_dir(QUARTERLY))
    assert loaded.metrics["gmv"].cycle == "quarterly"
    return loaded


def test_quarterly_money_target_is_pro_rated_on_a_monthly_card(fw: ecomperf.Framework) -> None:
    # manager, startup: gmv >= 100万 a quarter (weight 60), margin >= 40% (weight 40)
    card = fw.score("manager", stage="startup", period="2026-10",
                    actuals={"gmv": "40万", "revenue": 100, "cost": 60})
    gmv = card.kpis[0]
    # 100万 × 1/3 = 33.33万; linear 100 · 40 / 33.33 = 120 (the cap)
    assert gmv.target is not None and gmv.target.value == pytest.approx(1_000_000 / 3)
    assert gmv.score == 120
    assert gmv.notes[0] == "quarterly target >= 100万 pro-rated to 2026-10 (1/3 of 2026-Q4): >= 33.33万"
    # total: (60·120 + 40·100) / 100 = 112
    assert card.total == 112


def test_rates_keep_their_target_on_a_shorter_card(fw: ecomperf.Framework) -> None:
    resolved = resolve_card(fw, "manager", stage="startup", period="2026-10")
    margin = prorate_targets(resolved).entries[1]
    assert margin.target == resolved.entries[1].target  # margin is monthly: nothing to do


def test_by_period_actuals_roll_up_instead_of_pro_rating(fw: ecomperf.Framework) -> None:
    months = {"2026-10": {"gmv": "30万", "revenue": 100, "cost": 60},
              "2026-11": {"gmv": "40万", "revenue": 100, "cost": 60},
              "2026-12": {"gmv": "40万", "revenue": 100, "cost": 60}}
    card = fw.score("manager", stage="startup", period="2026-12", actuals=months)
    gmv = card.kpis[0]
    # Q4 gmv = 30 + 40 + 40 = 110万 against the full 100万: 110
    assert (gmv.period, gmv.actual, gmv.score) == ("2026-Q4", 1_100_000, 110)


def test_batch_rows_are_pro_rated_like_single_cards(fw: ecomperf.Framework) -> None:
    row = {"employee": "li", "position": "manager", "stage": "startup", "period": "2026-10",
           "gmv": "40万", "revenue": 100, "cost": 60}
    fast = fw.score_many([row], detail=False)
    detailed = fw.score_many([row], detail=True)
    assert fast.rows[0].total == detailed.rows[0].total == 112


# --- the one period rule (issue 10, item 1): every pairing of card period and KPI cycle ------------------

LIVE_HOST = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: live_host
    name: {zh: 主播, en: Live host}
    scorecard:
      cycle: monthly
      stages:
        startup:
          - {kpi: gmv,             weight: 60, target: ">= 500万"}
          - {kpi: conversion_rate, weight: 20, target: ">= 5%"}
          - {kpi: orders,          weight: 20, target: ">= 12000", cycle: annual}
          - {kpi: violations,      weight: 0,  target: "<= 1", scoring: veto}
    """

Q4_MONTHS = {
    "2026-10": {"gmv": "400万", "orders": 900, "visitors": 20000, "violations": 1},
    "2026-11": {"gmv": "650万", "orders": 1200, "visitors": 30000, "violations": 0},
    "2026-12": {"gmv": "600万", "orders": 900, "visitors": 25000, "violations": 1},
}


@pytest.fixture
def host(tmp_path: Path) -> ecomperf.Framework:
    return build_framework(tmp_path / "host", positions=LIVE_HOST)


def test_a_quarter_rolled_up_with_fw_rollup_is_scored_against_the_quarter_not_the_month(
    host: ecomperf.Framework,
) -> None:
    # The report: fw.rollup + score("2026-Q4") compared a quarterly GMV with the monthly target.
    quarter = host.rollup(Q4_MONTHS, "2026-Q4")
    card = host.score("live_host", stage="startup", period="2026-Q4", actuals=quarter)
    gmv, conversion, orders, violations = card.kpis
    # gmv: Σ 400万 + 650万 + 600万 = 1650万 against 3 × 500万 = 1500万 → 100 · 1650 / 1500 = 110
    # (before: against 500万 → 330, capped at 120)
    assert (gmv.actual, gmv.target.text if gmv.target else None, gmv.score) == (16_500_000, ">= 1500万", 110.0)
    assert "monthly target >= 500万 scaled to 2026-Q4 (3 × the monthly target): >= 1500万" in gmv.notes
    # conversion: Σ orders / Σ visitors = 3000 / 75000 = 4% against its own 5% (a rate keeps it) → 80
    assert (conversion.target.text if conversion.target else None, conversion.score) == (">= 5%", 80.0)
    # orders, annual: 12000 × 3/12 = 3000 for the quarter; Σ 900 + 1200 + 900 = 3000 → 100
    assert (orders.target.text if orders.target else None, orders.score) == (">= 3000", 100.0)
    # violations, a summed count: "<= 1" a month is "<= 3" a quarter; Σ 2 → not breached
    assert (violations.target.text if violations.target else None, violations.veto_breached) == ("<= 3", False)
    # total: (60·110 + 20·80 + 20·100) / 100 = (6600 + 1600 + 2000) / 100 = 102 → A
    assert (card.total, card.grade) == (102.0, "A")


def test_the_annual_and_the_monthly_entry_of_one_card_follow_the_same_rule(host: ecomperf.Framework) -> None:
    # Both are summed metrics; the month card scales the annual target down and keeps the monthly one.
    card = host.score("live_host", stage="startup", period="2026-11", actuals=Q4_MONTHS["2026-11"])
    gmv, _, orders, _ = card.kpis
    # gmv: 650万 against its own 500万 → 130 → cap 120; orders: 1200 against 12000 × 1/12 = 1000 → 120 (cap)
    assert (gmv.target.text if gmv.target else None, orders.target.text if orders.target else None) == (
        ">= 500万", ">= 1000")
    assert orders.notes[0] == "annual target >= 12000 pro-rated to 2026-11 (1/12 of 2026): >= 1000"


def test_by_period_actuals_scale_a_monthly_target_over_a_quarterly_card(host: ecomperf.Framework) -> None:
    card = host.score("live_host", stage="startup", period="2026-Q4", actuals=Q4_MONTHS, missing="renormalize")
    gmv, conversion, _ = card.kpis
    # the months are rolled up to the quarter: gmv 1650万 against 3 × 500万 → 110, conversion 4% → 80, as
    # for the flat quarter; the annual orders KPI is scored over 2026 by period, whose months are not given
    assert (gmv.period, gmv.score, conversion.score) == ("2026-Q4", 110.0, 80.0)
    assert [(d.kpi, d.reason) for d in card.dropped] == [("orders", "missing")]
    # (60·110 + 20·80) / 80 = 8200 / 80 = 102.5
    assert card.total == 102.5


def test_both_engines_score_a_quarter_row_by_the_same_rule(host: ecomperf.Framework) -> None:
    quarter = host.rollup(Q4_MONTHS, "2026-Q4")
    row = {"employee": "li", "position": "live_host", "stage": "startup", "period": "2026-Q4", **quarter}
    fast = host.score_many([row], detail=False)
    detailed = host.score_many([row], detail=True)
    # 102, as worked out for the single card
    assert fast.rows[0].total == detailed.rows[0].total == 102.0
    assert fast.rows[0].scores["gmv"] == detailed.rows[0].scores["gmv"] == 110.0


def test_a_target_that_cannot_be_fitted_is_refused_in_both_engines(tmp_path: Path) -> None:
    extra = """\
        apiVersion: ecomperf/v1
        kind: Metric
        id: gmv_over_floor
        name: {zh: 超额GMV, en: GMV over the floor}
        unit: currency
        direction: higher
        formula: gmv - 1000000
        cycle: monthly
        source: {zh: 后台, en: Back office}
        """
    position = """\
        apiVersion: ecomperf/v1
        kind: Position
        id: seller
        name: Seller
        scorecard:
          stages:
            startup:
              - {kpi: gmv_over_floor, weight: 100, target: ">= 200万"}
        """
    fw = build_framework(tmp_path / "fw", positions=position, extra_metrics=extra)
    # a month card needs no fitting: (300万 − 100万) / 200万 → 100
    assert fw.score("seller", stage="startup", period="2026-10", actuals={"gmv": "300万"}).total == 100.0
    with pytest.raises(ecomperf.ScoringError) as caught:
        fw.score("seller", stage="startup", period="2026-Q4", actuals={"gmv": "900万"})
    assert [p.code for p in caught.value.problems] == ["ES107"]
    assert "its formula gmv - 1000000 neither adds up over months nor stays a level" in str(caught.value)
    assert "declare the metric's `aggregate:`" in str(caught.value)
    row = {"employee": "li", "position": "seller", "stage": "startup", "period": "2026-Q4", "gmv": "900万"}
    for detail in (True, False):
        result = fw.score_many([row], detail=detail)
        assert [e.row for e in result.errors] == [2] and "ES107" not in result.errors[0].reason
        assert "cannot be fitted to 2026-Q4 (3 months)" in result.errors[0].reason


def test_interpolate_anchors_scale_with_the_target(tmp_path: Path) -> None:
    position = """\
        apiVersion: ecomperf/v1
        kind: Position
        id: seller
        name: Seller
        scorecard:
          stages:
            startup:
              - kpi: gmv
                weight: 100
                target: ">= 500万"
                scoring: {method: interpolate, threshold: 300万, stretch: 700万, cap: 120}
        """
    fw = build_framework(tmp_path / "fw", positions=position)
    card = fw.score("seller", stage="startup", period="2026-Q4", actuals={"gmv": "1650万"})
    # the quarter: threshold 900万, target 1500万, stretch 2100万; 1650万 is 150万 past the target, a quarter
    # of the way to the stretch: 100 + (120 − 100) · 0.25 = 105 (unscaled anchors would give the cap, 120)
    assert card.kpis[0].score == 105.0


def test_a_pro_rated_target_keeps_its_text(fw: ecomperf.Framework) -> None:
    card = fw.score("manager", stage="startup", period="2026-10",
                    actuals={"gmv": "40万", "revenue": 100, "cost": 60})
    target = card.kpis[0].target
    # 100万 / 3 = 33.33万, in the metric's unit (before: an empty text, shown as >= 333333.3333)
    assert target is not None and target.text == ">= 33.33万" and str(target) == ">= 33.33万"
