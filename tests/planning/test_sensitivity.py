"""Sensitivity of the total to each KPI, worked by hand on the seller's card."""

from __future__ import annotations

import pytest

import ecomperf
from ecomperf.planning import whatif
from tests.planning.conftest import SELLER


@pytest.fixture(scope="module")
def sensitivities(plan_fw: ecomperf.Framework) -> dict[str, ecomperf.Sensitivity]:
    result = whatif(plan_fw, "seller", stage="startup", period="2026-10", actuals=SELLER, grade="A")
    return {row.kpi: row.sensitivity for row in result.kpis}


def test_linear_kpi_is_worth_its_slope(sensitivities: dict[str, ecomperf.Sensitivity]) -> None:
    # GMV 90万 → 90.9万: 90 → 90.9 points, × 30 / 100 = 0.27; the cap 120 is at 120万: 30万 and 9 points left
    gmv = sensitivities["gmv"]
    assert (gmv.points_up, gmv.points_down) == (0.27, -0.27)
    assert gmv.headroom == pytest.approx(300_000, abs=1e-3)
    assert gmv.headroom_points == 9.0


def test_a_lower_is_better_kpi_improves_downwards(sensitivities: dict[str, ecomperf.Sensitivity]) -> None:
    # response 30h → 29.7h: p = (48 - 29.7) / 24 = 0.7625, 76.25 points: +1.25 × 0.15 = 0.1875;
    # the stretch 12h is 18h away, (120 - 75) × 0.15 = 6.75 points
    response = sensitivities["response_hours"]
    assert response.points_up == pytest.approx(0.1875)
    assert response.points_down == pytest.approx(-0.1875)
    assert response.headroom == pytest.approx(18.0)
    assert response.headroom_points == 6.75


def test_a_met_threshold_is_worth_nothing_more(sensitivities: dict[str, ecomperf.Sensitivity]) -> None:
    # 96% → 96.96% stays met; 95.04% too: no change either way, and no headroom
    on_time = sensitivities["on_time"]
    assert (on_time.points_up, on_time.points_down, on_time.headroom, on_time.headroom_points) == (0.0, 0.0, 0.0, 0.0)


def test_a_band_that_is_not_left_by_1_percent_shows_no_change(sensitivities: dict[str, ecomperf.Sensitivity]) -> None:
    # rating 92 (achievement 1.022) → 91.08 is still above 90: the 100 band either way
    assert sensitivities["rating"].points_down == 0.0
