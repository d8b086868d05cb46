"""Quickstart: load a bundled framework, score one person's month, print it, render a job description.

    .venv/bin/python examples/quickstart.py
"""

from __future__ import annotations

from pathlib import Path

import ecomperf
from ecomperf.targets import format_quantity

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    print(f"{fw.id}: {len(fw.positions)} positions, {len(fw.metrics)} metrics, stages {fw.spec.stage_ids}")

    # A store manager in the startup stage, October 2026. Formula KPIs (margin, growth, repurchase)
    # are computed from the base measures an operations lead exports; money may use 万.
    card = fw.score(
        "store_manager",
        stage="startup",
        period="2026-10",
        context={"category": "apparel"},
        actuals={
            "new_users": 23_000, "prev_month_users": 100_000,      # new-user growth 23%
            "gmv": "720万",                                           # quarterly target, pro-rated to the month
            "repeat_buyers": 3_300, "total_users": 10_000,           # repurchase 33%
            "sales_revenue": 7_000_000, "cost": 4_100_000,           # gross margin 41.4%
            "oversell_orders": 0,                                    # zero tolerance: not breached
        },
    )
    print(f"\n{card.position} {card.period} ({card.stage}): total {card.total:.2f}, grade {card.grade}, "
          f"bonus x{card.bonus}")
    for kpi in card.kpis:
        target = kpi.target.display(kpi.unit) if kpi.target else "-"
        actual = format_quantity(kpi.actual, kpi.unit) if kpi.actual is not None else "missing"
        print(f"  {kpi.kpi:<22} actual {actual:>9}  target {target:<12} score {kpi.score:6.1f} "
              f"x weight {kpi.weight:g}")
    for warning in card.warnings:
        print(f"  warning: {warning}")

    jd = fw.render_jd("store_manager", stage="startup", locale="en", format="md")
    print("\n" + "\n".join(jd.splitlines()[:25]) + "\n  …")


if __name__ == "__main__":
    main()
