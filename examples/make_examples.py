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

The domestic team's rows also carry the **inputs of every formula KPI they give as a rate** (the store
manager's ``repurchase_rate`` comes with ``repeat_buyers`` and ``total_users``), because a quarter is
scored from recorded months by recomputing each rate from its summed inputs, never by averaging rates
(``ecomperf score --from-db … --period 2026-Q4``). The inputs are chosen so that the formula gives back the
rate as the file shows it, at the file's precision, so every monthly score is what it was without them
(a metric's own value wins over its formula); the KPIs of a month's card before events (the card its
quarter is scored on) are covered too, so November, whose Double 11 card replaces GMV with campaign and
daily GMV, still records the GMV a quarter needs, consistent with its daily GMV. A rate that no whole
inputs reproduce is left without them and named when the script runs (the data analyst's weekly-report
rate: 95% of a month's 4 or 5 weeks is no whole number of reports). The added columns follow the
existing ones, so the columns a file had keep their order. The cross-border file is one month with no
quarter to roll up, so its rates stay as the team exports them.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import ecomperf
from ecomperf.periods import Period
from ecomperf.scoring.derive import derive
from ecomperf.scoring.resolve import ResolvedCard, prorate_targets, resolve_card

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


def _card(fw: ecomperf.Framework, person: Employee, period: str, **options: Any) -> ResolvedCard:
    """The employee's card for a month, targets pro-rated to the month (``event=None``: before events)."""
    return prorate_targets(resolve_card(fw, person.position, stage=person.stage, period=period,
                                        context=person.context, **options))


def _kpi_value(person: Employee, entry: Any, level: float) -> float:
    """The KPI's actual at the employee's level (before rounding)."""
    reference = entry.target.reference if entry.target is not None else 0.0
    return _value(entry.metric.direction, reference, person.levels.get(entry.kpi, level))


def actuals_for(fw: ecomperf.Framework, person: Employee, period: str, level: float) -> dict[str, object]:
    """The metric columns of one row: each KPI's actual, or its base measures for the split ones."""
    card = _card(fw, person, period)
    values: dict[str, object] = {}
    for entry in card.entries:
        metric = entry.metric
        kpi_level = person.levels.get(entry.kpi, level)
        value = _kpi_value(person, entry, level)
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


# --- the inputs of the rates --------------------------------------------------------------------------

Known = Mapping[str, float]
"""The numbers of a row so far, by metric id: its columns, the inputs chosen, and formula values implied."""


def _fixed(amount: float) -> Callable[[float, Known, Period], float]:
    return lambda _value, _known, _month: amount


def _days(month: Period) -> int:
    return calendar.monthrange(month.year, month.index)[1]


def _weeks(month: Period) -> int:
    """The calendar weeks ending in the month (its Sundays), as ``weeks_in_period`` counts them."""
    return sum(1 for day in range(1, _days(month) + 1)
               if calendar.weekday(month.year, month.index, day) == calendar.SUNDAY)


@dataclass(frozen=True)
class Backing:
    """How a formula KPI given as its own value gets base inputs that give the value back.

    Attributes:
        free: the input worked out from the KPI's value and the other inputs.
        solve: its value, from the KPI's value and what is known.
        others: the other inputs the row does not have yet: each one's value from the KPI's value, what is
            known (earlier entries included) and the month.
    """

    free: str
    solve: Callable[[float, Known], float]
    others: dict[str, Callable[[float, Known, Period], float]] = field(default_factory=dict)


#: The formula KPIs the domestic files give as their own value, and how their inputs are chosen. An input
#: that is itself a formula metric (gmv) is backed in turn and not written: only base measures are.
BACKING: dict[str, Backing] = {
    "new_user_growth_rate": Backing("new_users", lambda v, k: v * k["prev_month_users"],
                                    {"prev_month_users": _fixed(100_000)}),
    "repurchase_rate": Backing("repeat_buyers", lambda v, k: v * k["total_users"], {"total_users": _fixed(100_000)}),
    "gmv": Backing("gmv_third_party", lambda v, k: v - k["gmv_self_operated"],
                   {"gmv_self_operated": lambda v, _k, _m: 0.6 * v}),
    "daily_gmv": Backing("gmv", lambda v, k: v + k["campaign_gmv"]),
    "gmv_growth_rate": Backing("prev_month_gmv", lambda v, k: k["gmv"] / (1 + v)),
    "ad_roas": Backing("ad_sales", lambda v, k: v * k["ad_cost"], {"ad_cost": _fixed(1_000_000)}),
    "store_conversion_rate": Backing("orders", lambda v, k: v * k["uv"]),
    "content_conversion_rate": Backing("content_buyers", lambda v, k: v * k["content_viewers"]),
    "selection_gmv_share": Backing("selected_product_gmv", lambda v, k: v * k["gmv"],
                                   {"gmv": lambda _v, k, _m: 1.1 * k["sales_revenue"]}),
    "selection_success_rate": Backing("products_meeting_expected_sales", lambda v, k: v * k["products_selected"],
                                      {"products_selected": _fixed(100)}),
    "hit_product_share": Backing("hit_product_sales", lambda v, k: v * k["sales_revenue"]),
    "inventory_days": Backing(
        "closing_inventory", lambda v, k: 2 * v * k["cost"] / k["days_in_period"] - k["opening_inventory"],
        {"days_in_period": lambda _v, _k, month: _days(month),
         "opening_inventory": lambda v, k, _m: 1.05 * v * k["cost"] / k["days_in_period"]},
    ),
    "listing_timeliness": Backing("new_products_ready_before_launch", lambda v, k: v * k["new_products_launched"],
                                  {"new_products_launched": _fixed(50)}),
    "product_info_error_rate": Backing("descriptions_with_errors", lambda v, k: v * k["descriptions_checked"],
                                       {"descriptions_checked": _fixed(10_000)}),
    "data_optimization_uplift": Backing("optimized_gmv_after", lambda v, k: (1 + v) * k["optimized_gmv_before"],
                                        {"optimized_gmv_before": _fixed(1_000_000)}),
    "weekly_analysis_report": Backing("weekly_reports_submitted", lambda v, k: v * k["weeks_in_period"],
                                      {"weeks_in_period": lambda _v, _k, month: _weeks(month)}),
}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _written(value: float, unit: str) -> float | int:
    """An input as the file writes it: rounded as a report shows it, whole numbers without a decimal point."""
    rounded = _rounded(value, unit)
    return int(rounded) if isinstance(rounded, float) and rounded.is_integer() else rounded


def _back(fw: ecomperf.Framework, kpi: str, value: float, trial: dict[str, float], month: Period) -> None:
    """Choose the inputs of ``kpi`` (recursively for formula inputs) into ``trial``, keeping what it has."""
    recipe = BACKING.get(kpi)
    if recipe is None:
        raise SystemExit(f"make_examples: {kpi} is given as a rate but BACKING has no recipe for its inputs "
                         f"({fw.metrics[kpi].formula}); add one")
    steps: list[tuple[str, Callable[[Known], float]]] = [
        (name, lambda known, choose=choose: choose(value, known, month)) for name, choose in recipe.others.items()
    ]
    steps.append((recipe.free, lambda known: recipe.solve(value, known)))
    for name, choose_one in steps:
        if name in trial:
            continue
        metric = fw.metrics[name]
        amount = _written(choose_one(trial), metric.unit)
        trial[name] = amount
        if metric.parsed_formula is not None:
            _back(fw, name, amount, trial, month)


def inputs_for(fw: ecomperf.Framework, person: Employee, period: str, level: float,
               values: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """The base inputs that back the row's rates (see the module docstring), and a note per rate left without.

    Covers the formula KPIs the row gives as their own value, and the KPIs of the month's card before
    events that the row lacks. Nothing in ``values`` is changed; only base measures are returned.
    """
    month = Period.parse(period)
    blank = {name for name, value in values.items() if value == ""}
    known = {name: number for name, value in values.items() if (number := _number(value)) is not None}
    on_card = _card(fw, person, period)
    wanted = [(entry.kpi, known[entry.kpi]) for entry in on_card.entries
              if entry.metric.parsed_formula is not None and entry.kpi in known]
    added: dict[str, object] = {}
    for entry in _card(fw, person, period, event=None).entries:
        if entry.kpi in {e.kpi for e in on_card.entries} or entry.kpi in known or entry.kpi in blank:
            continue
        value = _written(_kpi_value(person, entry, level), entry.metric.unit)
        if entry.metric.parsed_formula is None:
            added[entry.kpi] = known[entry.kpi] = value
        else:
            wanted.append((entry.kpi, value))
    notes = []
    for kpi, value in wanted:
        if kpi in known and kpi not in values:
            continue  # implied while backing another KPI (November's gmv, from its daily GMV)
        trial = dict(known)
        _back(fw, kpi, value, trial, month)
        base = {name: amount for name, amount in trial.items() if fw.metrics[name].parsed_formula is None}
        computed = derive(fw, base, [kpi]).values.get(kpi)
        chosen = [name for name in trial if name not in known]
        where = f"{person.employee} {period}: {kpi} = {value:g}"
        if blank & set(chosen):
            notes.append(f"{where} left without inputs: {', '.join(sorted(blank & set(chosen)))} left blank on purpose")
            continue
        if computed is None or _rounded(computed, fw.metrics[kpi].unit) != value:
            shown = ", ".join(f"{name} = {trial[name]:g}" for name in chosen)
            notes.append(f"{where} left without inputs: no whole inputs give it back ({shown} give {computed})")
            continue
        known.update(trial)
        added.update({name: trial[name] for name in chosen if fw.metrics[name].parsed_formula is None})
    return added, notes


# --- rows and files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a file: its columns as before, and the inputs added after them."""

    cells: dict[str, object]
    inputs: dict[str, object] = field(default_factory=dict)

    def values(self) -> dict[str, object]:
        """Every cell, by column."""
        return {**self.cells, **self.inputs}


def rows_for(fw: ecomperf.Framework, people: Iterable[tuple[Employee, dict[str, float]]], *,
             inputs: bool = True, notes: list[str] | None = None) -> list[Row]:
    """One row per employee and period, with the framework's context columns (and the rates' inputs)."""
    rows = []
    for person, months in people:
        for period, level in months.items():
            cells: dict[str, object] = {"employee": person.employee, "position": person.position,
                                        "stage": person.stage, "period": period}
            cells.update({dimension: person.context.get(dimension, "") for dimension in fw.spec.contexts})
            values = actuals_for(fw, person, period, level)
            cells.update(values)
            added, left = inputs_for(fw, person, period, level, values) if inputs else ({}, [])
            rows.append(Row(cells, added))
            if notes is not None:
                notes.extend(left)
    return rows


def columns_of(rows: list[Row]) -> list[str]:
    """The columns: every row's own cells first (first-seen order), then the added inputs."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row.cells))
    for row in rows:
        columns.update(dict.fromkeys(row.inputs))
    return list(columns)


def write_csv(path: Path, rows: list[Row]) -> None:
    """Write rows with the union of their columns (see :func:`columns_of`); absent cells stay empty."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns_of(rows), restval="")
        writer.writeheader()
        writer.writerows(row.values() for row in rows)


def write_xlsx(path: Path, sheets: dict[str, list[Row]]) -> None:
    """One sheet per framework, same columns as the CSV files."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns = columns_of(rows)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            values = row.values()
            sheet.append([None if values.get(c, "") == "" else values.get(c) for c in columns])
        sheet.freeze_panes = "A2"
    book.save(path)


def main() -> None:
    domestic = ecomperf.load(FRAMEWORKS / "ecommerce-ops")
    cross_border = ecomperf.load(FRAMEWORKS / "cross-border")
    notes: list[str] = []
    october = rows_for(domestic, [(p, {"2026-10": p.level}) for p in DOMESTIC], notes=notes)
    october_cb = rows_for(cross_border, [(p, {"2026-10": p.level}) for p in CROSS_BORDER], inputs=False)
    write_csv(HERE / "actuals-2026-10.csv", october)
    write_csv(HERE / "cross-border-actuals-2026-10.csv", october_cb)
    write_xlsx(HERE / "actuals-2026-10.xlsx", {"ecommerce-ops": october, "cross-border": october_cb})
    write_csv(HERE / "actuals-2026-Q3.csv", rows_for(domestic, QUARTER, notes=notes))
    for month, levels in LATE_MONTHS.items():
        people = [(replace(person, overrides={}), {month: level})
                  for person, level in zip(DOMESTIC, levels, strict=True)]
        write_csv(HERE / f"actuals-{month}.csv", rows_for(domestic, people, notes=notes))
    print("wrote actuals-2026-10.csv, cross-border-actuals-2026-10.csv, actuals-2026-10.xlsx, actuals-2026-Q3.csv, "
          "actuals-2026-11.csv, actuals-2026-12.csv")
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
