"""KPIs reviewed over a longer cycle than the card: pro-rated targets for flat actuals, roll-ups otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import ecomperf
from ecomperf.scoring.resolve import prorate_targets, resolve_card
from tests.conftest import BASE_FILES

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
