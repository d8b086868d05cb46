"""Scoring with target plans: the planned amount replaces even pro-rating, and the note says where it came from."""

from __future__ import annotations

import pytest

import ecomperf
from tests.conftest import REPO

MINI = REPO / "examples" / "mini-framework"
BUNDLED = REPO / "frameworks" / "ecommerce-ops"
ACTUALS = {"gmv": "500万", "sales_revenue": 100, "cost": 60, "violations": 0}


@pytest.fixture(scope="module")
def mini() -> ecomperf.Framework:
    return ecomperf.load(MINI)


def test_a_declared_double_11_month_carries_its_share(mini: ecomperf.Framework) -> None:
    # gmv_2027: 3000万 × Q4 35% × November 45% = 472.5万; 100 × 500万 / 472.5万 = 105.8201
    card = mini.score("store_manager", stage="startup", period="2027-11", actuals=ACTUALS)
    gmv = card.kpis[0]
    assert gmv.target is not None and gmv.target.value == 4_725_000
    assert gmv.score == pytest.approx(105.8201058, abs=1e-6)
    assert gmv.notes == ["target >= 472.5万 for 2027-11 from target plan gmv_2027 (3000万 for 2027, declared phasing)"]


def test_outside_the_plan_the_scorecard_target_applies(mini: ecomperf.Framework) -> None:
    card = mini.score("store_manager", stage="startup", period="2026-11", actuals=ACTUALS)
    assert card.kpis[0].target is not None and card.kpis[0].target.value == 2_000_000  # the card's >= 200万
    assert not any("target plan" in note for note in card.kpis[0].notes)


def test_an_event_target_wins_over_the_plan(mini: ecomperf.Framework) -> None:
    # the Double 11 event sets gmv >= 1000万 for mature stores: the most specific declaration for November
    card = mini.score("store_manager", stage="mature", period="2027-11",
                      actuals={**ACTUALS, "inventory_turnover": 5})
    assert card.kpis[0].target is not None and card.kpis[0].target.value == 10_000_000


def test_a_quarter_scored_by_period_takes_the_planned_quarter(mini: ecomperf.Framework) -> None:
    # the quarterly card of 2027-Q4, months given: 3000万 × 35% = 1050万
    months = {m: {"gmv": "400万", "sales_revenue": 100, "cost": 60, "violations": 0}
              for m in ("2027-10", "2027-11", "2027-12")}
    card = mini.score("store_manager", stage="startup", period="2027-Q4", actuals=months)
    assert card.kpis[0].target is not None and card.kpis[0].target.value == 10_500_000
    assert card.kpis[0].actual == 12_000_000  # 3 × 400万 rolled up


def test_the_bundled_head_of_ecommerce_is_scored_on_the_annual_plan() -> None:
    # gmv_2026: 1亿 → 2500万 for Q4 → 833.33万 for October (its quarterly card target was 2500万 pro-rated)
    fw = ecomperf.load(BUNDLED)
    card = fw.score("head_of_ecommerce", stage="startup", period="2026-10",
                    actuals={"new_user_growth_rate": "20%", "gmv": "833.33万", "repurchase_rate": "35%",
                             "gross_margin": "40%"}, context={"category": "apparel"})
    gmv = next(kpi for kpi in card.kpis if kpi.kpi == "gmv")
    assert gmv.target is not None and gmv.target.value == 8_333_333.34
    assert "from target plan gmv_2026 (1亿 for 2026, declared phasing)" in gmv.notes[-1]


def test_batch_scoring_uses_the_plan_too(mini: ecomperf.Framework) -> None:
    rows = [{"employee": "li", "position": "store_manager", "stage": "startup", "period": "2027-11", **ACTUALS}]
    for detail in (True, False):
        result = mini.score_many(rows, detail=detail)
        assert result.rows[0].scores["gmv"] == pytest.approx(105.8201058, abs=1e-6)
