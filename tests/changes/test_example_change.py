"""The prepared change of ``examples/change`` (what ``make demo`` shows) says what its README says."""

from __future__ import annotations

import runpy
from pathlib import Path

import ecomperf
from ecomperf.io.read import read_actuals
from tests.changes.edits import BUNDLED, EXAMPLES

LAY_OVER = runpy.run_path(str(EXAMPLES / "change" / "lay_over.py"))["lay_over"]


def test_the_2027_proposal_changes_two_scorecards_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "ecommerce-ops-2027"
    replaced = LAY_OVER(target)
    result = ecomperf.diff(ecomperf.load(BUNDLED), ecomperf.load(target))
    assert [(c.id, c.field, c.old, c.new) for c in result] == [
        ("customer_service_agent/growth/inquiry_response_time", "weight", 50, 40),
        ("customer_service_agent/growth/customer_satisfaction", "weight", 50, 40),
        ("customer_service_agent/growth/store_rating", None, None, {"weight": 20, "target": ">= 4.8"}),
        ("store_manager/growth/gmv_growth_rate", "weight", 10, 5),
        ("store_manager/growth/repurchase_rate", "weight", 30, 35),
    ]
    assert {Path(c.location.rsplit(":", 1)[0]).relative_to(target) for c in result} == set(replaced)


def test_its_backtest_raises_e002_and_cannot_score_the_agent_without_a_store_rating(tmp_path: Path) -> None:
    target = tmp_path / "ecommerce-ops-2027"
    LAY_OVER(target)
    tables = [read_actuals(EXAMPLES / "actuals-2026-10.csv"), read_actuals(EXAMPLES / "actuals-2026-Q3.csv")]
    result = ecomperf.backtest(ecomperf.load(BUNDLED), ecomperf.load(target), tables, bonus_base=10_000)
    # E002 October: (25·102 + 20·102 + 5·70 + 35·102 + 15·102)/100 = 100.4, B → A (see test_backtest.py)
    assert [(o.employee, o.period, o.old.grade, o.new.grade) for o in result.changed
            if o.old is not None and o.new is not None] == [("E002 李强", "2026-10", "B", "A"),
                                                            ("E002 李强", "2026-07", "B", "A")]
    assert [(o.employee, o.period, o.status) for o in result.one_sided] == [
        ("E006 杨帆", period, "old only") for period in ("2026-10", "2026-07", "2026-08", "2026-09")]
    assert all("store_rating" in o.reason for o in result.one_sided)
    # two rows B → A: +0.4 coefficients, +4000 at 10000 per point
    assert (result.pool.coefficient_delta, result.pool.amount_delta) == (0.4, 4000)
