"""Regenerate the sample actuals under examples/ (deterministic; run after changing a bundled scorecard).

    python examples/make_examples.py

Writes, for the bundled frameworks:

* ``actuals-2026-10.csv`` — one month of the domestic team (ecommerce-ops), one row per employee;
* ``cross-border-actuals-2026-10.csv`` — the same month for the cross-border team;
* ``actuals-2026-10.xlsx`` — both teams in one workbook, one sheet per framework;
* ``actuals-2026-Q3.csv`` — three months of part of the domestic team; one employee stays at grade C or
  below all quarter, which flags an improvement plan.
* ``actuals-2026-11.csv`` and ``actuals-2026-12.csv`` — the domestic team's November (Double 11) and
  December, so that with October the history demo has a whole fourth quarter. October's one-off
  problems (E007's oversold orders, E008's missing audit) do not recur.

Each employee has a performance level: KPI actuals are derived from the KPI's target on the employee's
card (``level`` × target for higher-is-better, target / ``level`` for lower-is-better) and, for a few
formula metrics, split into the base measures an operations lead actually exports (revenue and cost
rather than the margin). Values are rounded as a report would show them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import ecomperf
from ecomperf.scoring.resolve import prorate_targets, resolve_card

HERE = Path(__file__).resolve().parent
FRAMEWORKS = HERE.parent / "frameworks"


@dataclass(frozen=True)
class Employee:
    """One sample employee: who, on which card, and how well they did (1.0 = exactly on target)."""

    employee: str
    position: str
    stage: str
    level: float
    context: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, object] = field(default_factory=dict)
    levels: dict[str, float] = field(default_factory=dict)


DOMESTIC = [
    Employee("E001 王芳", "head_of_ecommerce", "growth", 1.06, {"category": "apparel"}),
    Employee("E002 李强", "store_manager", "growth", 1.02, {"category": "apparel"},
             levels={"gmv_growth_rate": 0.7}),
    Employee("E003 张伟", "promotion_specialist", "growth", 1.12, {"category": "apparel"}),
    Employee("E004 刘洋", "content_ops_specialist", "growth", 0.84, {"category": "apparel"}),
    Employee("E005 陈静", "customer_service_lead", "growth", 1.0, {"category": "apparel"}),
    Employee("E006 杨帆", "customer_service_agent", "growth", 0.78, {"category": "apparel"}),
    # two oversold orders: the zero-tolerance veto caps this otherwise strong month at grade C
    Employee("E007 赵磊", "product_ops_specialist", "growth", 1.08, {"category": "apparel"},
             overrides={"oversell_orders": 2}),
    # the data team did not deliver this month's error audit: a missing value the scorer reports
    Employee("E008 周敏", "data_ops_specialist", "growth", 0.95, {"category": "apparel"},
             overrides={"data_errors_found": "", "data_points_checked": ""}),
]

CROSS_BORDER = [
    Employee("C001 Chen Yu", "cb_operations_specialist", "growth", 1.04,
             {"product_type": "standard", "fulfilment": "overseas_warehouse"}),
    Employee("C002 Lin Na", "cb_operations_manager", "growth", 1.1,
             {"category": "electronics_3c", "product_type": "non_standard", "price_tier": "regular"}),
    Employee("C003 Huang Lei", "cb_customer_experience_lead", "growth", 0.97,
             {"price_tier": "high_ticket", "category": "durables"}),
    Employee("C004 Wu Ting", "cb_supply_chain_specialist", "growth", 0.92,
             {"region": "remote", "category": "apparel", "fulfilment": "direct"}),
    Employee("C005 Sun Hao", "cb_marketing_specialist", "growth", 0.8, {"product_type": "standard"}),
]

QUARTER = [
    (DOMESTIC[1], {"2026-07": 1.03, "2026-08": 0.98, "2026-09": 1.05}),
    (DOMESTIC[3], {"2026-07": 0.74, "2026-08": 0.7, "2026-09": 0.72}),  # three months at C or below: PIP flag
    (DOMESTIC[4], {"2026-07": 0.96, "2026-08": 1.01, "2026-09": 1.04}),
    (DOMESTIC[5], {"2026-07": 0.8, "2026-08": 0.9, "2026-09": 0.99}),
]

#: November and December of the domestic team, one level per employee in DOMESTIC order; E004 stays weak.
LATE_MONTHS = {
    "2026-11": [1.08, 1.05, 1.1, 0.8, 1.02, 0.85, 1.04, 0.97],
    "2026-12": [1.03, 0.99, 1.15, 0.76, 1.0, 0.9, 1.06, 0.99],
}

#: Formula KPIs exported as base measures: kpi -> (numerator, denominator, typical denominator).
SPLITS: dict[str, tuple[str, str, float]] = {
    "gross_margin": ("", "", 0),
    "conversion_rate": ("orders", "visitors", 120_000),
    "store_conversion_rate": ("orders", "uv", 300_000),
    "interaction_rate": ("content_interacting_users", "content_viewers", 80_000),
    "content_conversion_rate": ("content_buyers", "content_viewers", 80_000),
    "report_timeliness_rate": ("reports_on_time", "reports_due", 20),
    "data_error_rate": ("data_errors_found", "data_points_checked", 4_000),
    "stockout_rate": ("stockout_orders", "orders", 9_000),
    "dispute_rate": ("disputed_orders", "orders", 9_000),
}


def _value(direction: str, target: float, level: float) -> float:
    if direction == "lower":
        return target / level if target else 0.0
    if direction == "zero":
        return 0.0
    return target * level


def _rounded(value: float, unit: str) -> float | int:
    if unit in {"currency", "count"}:
        return round(value)
    if unit in {"percent", "ratio"}:
        return round(value, 4)
    return round(value, 2)


def actuals_for(fw: ecomperf.Framework, person: Employee, period: str, level: float) -> dict[str, object]:
    """The metric columns of one row: each KPI's actual, or its base measures for the split ones."""
    card = prorate_targets(resolve_card(fw, person.position, stage=person.stage, period=period,
                                        context=person.context))
    values: dict[str, object] = {}
    for entry in card.entries:
        metric = entry.metric
        reference = entry.target.reference if entry.target is not None else 0.0
        kpi_level = person.levels.get(entry.kpi, level)
        value = _value(metric.direction, reference, kpi_level)
        if entry.kpi == "gross_margin":
            revenue = 7_000_000 * kpi_level
            values.update(sales_revenue=round(revenue), cost=round(revenue * (1 - value)))
        elif entry.kpi in SPLITS and SPLITS[entry.kpi][1] not in values:
            numerator, denominator, base = SPLITS[entry.kpi]
            values[denominator] = round(base)
            values[numerator] = round(value * base)
        else:
            values[entry.kpi] = _rounded(value, metric.unit)
    values.update(person.overrides)
    return values


def rows_for(fw: ecomperf.Framework, people: Iterable[tuple[Employee, dict[str, float]]]) -> list[dict[str, object]]:
    """One row per employee and period, with the framework's context columns."""
    rows = []
    for person, months in people:
        for period, level in months.items():
            row: dict[str, object] = {"employee": person.employee, "position": person.position,
                                      "stage": person.stage, "period": period}
            row.update({dimension: person.context.get(dimension, "") for dimension in fw.spec.contexts})
            row.update(actuals_for(fw, person, period, level))
            rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    """Write rows with the union of their columns (first-seen order); absent cells stay empty."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), restval="")
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(path: Path, sheets: dict[str, list[dict[str, object]]]) -> None:
    """One sheet per framework, same columns as the CSV files."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None if row.get(c, "") == "" else row.get(c) for c in columns])
        sheet.freeze_panes = "A2"
    book.save(path)


def main() -> None:
    domestic = ecomperf.load(FRAMEWORKS / "ecommerce-ops")
    cross_border = ecomperf.load(FRAMEWORKS / "cross-border")
    october = rows_for(domestic, [(p, {"2026-10": p.level}) for p in DOMESTIC])
    october_cb = rows_for(cross_border, [(p, {"2026-10": p.level}) for p in CROSS_BORDER])
    write_csv(HERE / "actuals-2026-10.csv", october)
    write_csv(HERE / "cross-border-actuals-2026-10.csv", october_cb)
    write_xlsx(HERE / "actuals-2026-10.xlsx", {"ecommerce-ops": october, "cross-border": october_cb})
    write_csv(HERE / "actuals-2026-Q3.csv", rows_for(domestic, QUARTER))
    for month, levels in LATE_MONTHS.items():
        people = [(replace(person, overrides={}), {month: level})
                  for person, level in zip(DOMESTIC, levels, strict=True)]
        write_csv(HERE / f"actuals-{month}.csv", rows_for(domestic, people))
    print("wrote actuals-2026-10.csv, cross-border-actuals-2026-10.csv, actuals-2026-10.xlsx, actuals-2026-Q3.csv, "
          "actuals-2026-11.csv, actuals-2026-12.csv")


if __name__ == "__main__":
    main()
