"""Periods: monthly actuals roll up by each metric's aggregation; formula metrics are recomputed.

Base metrics of the test framework and their aggregation: gmv, orders, visitors (currency/count → sum),
repurchase_rate (percent → mean), inventory_turnover (last), inventory_days (max), stock_low (min);
conversion_rate = orders / visitors is recomputed.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomperf import ScoringError
from ecomperf.framework import Framework
from ecomperf.periods import Period
from ecomperf.scoring.rollup import collect, months_of, rollup_actuals, rollup_table

from .conftest import Build
from .test_derive import SAFE_CONVERSION

Q4: dict[str, dict[str, Any]] = {
    "2026-10": {"gmv": "100万", "orders": 30, "visitors": 1000, "repurchase_rate": 0.30, "inventory_turnover": 4,
                "inventory_days": 30, "stock_low": 12},
    "2026-11": {"gmv": "300万", "orders": 200, "visitors": 4000, "repurchase_rate": 0.40, "inventory_turnover": 6,
                "inventory_days": 50, "stock_low": 7},
    "2026-12": {"gmv": "200万", "orders": 10, "visitors": 1000, "repurchase_rate": 0.35, "inventory_turnover": 5,
                "inventory_days": 40, "stock_low": 9},
}


def test_each_metric_rolls_up_by_its_aggregation(fw: Framework) -> None:
    q4 = fw.rollup(Q4, "2026-Q4")
    assert q4["gmv"] == 6_000_000  # sum: 100万 + 300万 + 200万
    assert q4["orders"] == 240 and q4["visitors"] == 6000  # sum
    assert q4["repurchase_rate"] == pytest.approx(0.35)  # mean of 30%, 40%, 35%
    assert q4["inventory_turnover"] == 5  # last (December)
    assert q4["inventory_days"] == 50  # max
    assert q4["stock_low"] == 7  # min


def test_ratio_metrics_are_recomputed_from_summed_inputs(fw: Framework) -> None:
    q4 = fw.rollup(Q4, "2026-Q4")
    # Σ orders / Σ visitors = 240 / 6000 = 4%; the mean of the monthly rates (3%, 5%, 1%) would be 3%
    assert q4["conversion_rate"] == pytest.approx(0.04)
    monthly_rates = [m["orders"] / m["visitors"] for m in Q4.values()]
    assert sum(monthly_rates) / 3 == pytest.approx(0.03)
    # formulas over formulas follow: conversion_rate · 100 = 4
    assert q4["orders_per_visitor_pct"] == pytest.approx(4.0)


def test_monthly_values_of_a_recomputed_metric_are_not_averaged(fw: Framework) -> None:
    months = {month: {**values, "conversion_rate": 0.99} for month, values in Q4.items()}
    assert fw.rollup(months, "2026-Q4")["conversion_rate"] == pytest.approx(0.04)


def test_a_year_rolls_up_from_its_months(fw: Framework) -> None:
    year = {f"2026-{m:02d}": {"gmv": m * 10_000} for m in range(1, 13)}
    # 1 + 2 + … + 12 = 78 → 78万
    assert fw.rollup(year, "2026")["gmv"] == 780_000


def test_missing_months_are_named(fw: Framework) -> None:
    with pytest.raises(ScoringError, match=r"no actuals for 2026-10, 2026-11 \(part of 2026-Q4\)"):
        fw.rollup({"2026-12": Q4["2026-12"]}, "2026-Q4")


def test_partial_rolls_up_the_months_present(fw: Framework) -> None:
    q4 = fw.rollup({"2026-10": Q4["2026-10"], "2026-12": Q4["2026-12"]}, "2026-Q4", partial=True)
    assert q4["gmv"] == 3_000_000  # 100万 + 200万
    assert q4["conversion_rate"] == pytest.approx(40 / 2000)


def test_a_metric_missing_from_one_month_is_named(fw: Framework) -> None:
    months = {**Q4, "2026-11": {k: v for k, v in Q4["2026-11"].items() if k != "gmv"}}
    with pytest.raises(ScoringError, match=r"gmv: no value for 2026-11 \(needed to roll up to 2026-Q4\)"):
        fw.rollup(months, "2026-Q4")
    assert fw.rollup(months, "2026-Q4", partial=True)["gmv"] == 3_000_000


def test_not_applicable_months_are_skipped_and_all_na_is_left_out(fw: Framework) -> None:
    months = {
        "2026-10": {"gmv": 1, "repurchase_rate": "n/a", "stock_low": "n/a"},
        "2026-11": {"gmv": 2, "repurchase_rate": 0.4, "stock_low": "n/a"},
        "2026-12": {"gmv": 3, "repurchase_rate": 0.2, "stock_low": "n/a"},
    }
    q4 = fw.rollup(months, "2026-Q4")
    assert q4["repurchase_rate"] == pytest.approx(0.3)  # mean of November and December only
    assert "stock_low" not in q4


def test_undefined_formulas_are_left_out_of_the_rollup(fw: Framework) -> None:
    months = {m: {"orders": 0, "visitors": 0} for m in ("2026-10", "2026-11", "2026-12")}
    q4 = fw.rollup(months, "2026-Q4")
    assert q4 == {"orders": 0, "visitors": 0}  # 0 / 0 has no value


def test_rollup_refuses_bad_keys_values_and_names(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="'2026-13' is not a period id"):
        fw.rollup({"2026-13": {}}, "2026-Q4")
    with pytest.raises(ScoringError) as caught:
        fw.rollup({**Q4, "2026-11": {**Q4["2026-11"], "gmv": "lots", "gmvv": 1}}, "2026-Q4")
    assert tuple(p.message for p in caught.value.problems) == (
        "2026-11: actual for 'gmv' is 'lots': expected a number such as 0.35, \"35%\", \"2000万\", \"1.2亿\", "
        "\"15k\" or \"24h\", got 'lots'",
        "'gmvv' is not a declared metric; did you mean 'gmv'?",
    )


def test_collect_reports_absent_months_without_raising(fw: Framework) -> None:
    rolled = collect(fw, months_of({"2026-11": Q4["2026-11"]}), Period.parse("2026-Q4"))
    assert [str(m) for m in rolled.absent_months] == ["2026-10", "2026-12"]
    assert [str(m) for m in rolled.months] == ["2026-11"]


# --- scoring over the period of each KPI's cycle ---------------------------------------------------

OPS_LEAD = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: ops_lead
    name: Ops lead
    scorecard:
      cycle: monthly
      stages:
        startup:
          - {kpi: gmv, weight: 50, target: ">= 200万"}
          - {kpi: conversion_rate, weight: 50, target: ">= 5%", cycle: quarterly}
    """


def test_quarterly_kpi_on_a_monthly_card_is_scored_on_the_quarter(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    card = fw.score("ops_lead", stage="startup", period="2026-12", actuals=Q4)
    gmv, conversion = card.kpis
    # gmv (monthly): December 200万 against 200万 → 100
    assert (gmv.period, gmv.actual, gmv.score) == ("2026-12", 2_000_000, 100.0)
    # conversion (quarterly): Σ 240 / Σ 6000 = 4% against 5% → 80 (December alone, 1%, would give 20)
    assert conversion.actual == pytest.approx(0.04)
    assert (conversion.period, conversion.score) == ("2026-Q4", 80.0)
    assert conversion.computed
    assert "rolled up over 2026-Q4 from 2026-10, 2026-11, 2026-12" in conversion.notes
    # 50·100 + 50·80 = 9000 → 90 → B
    assert (card.total, card.grade) == (90.0, "B")


def test_quarter_months_missing_follow_the_missing_policy(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    december = {"2026-12": Q4["2026-12"]}
    with pytest.raises(ScoringError) as caught:
        fw.score("ops_lead", stage="startup", period="2026-12", actuals=december)
    assert caught.value.missing == ("conversion_rate",)
    assert "no actuals for 2026-10, 2026-11 (needed for 2026-Q4)" in str(caught.value)
    card = fw.score("ops_lead", stage="startup", period="2026-12", actuals=december, missing="renormalize")
    assert [(d.kpi, d.reason) for d in card.dropped] == [("conversion_rate", "missing")]
    assert card.total == 100.0


def test_a_value_given_for_the_quarter_itself_is_used(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    card = fw.score("ops_lead", stage="startup", period="2026-12",
                    actuals={"2026-12": {"gmv": "200万"}, "2026-Q4": {"conversion_rate": "5%"}})
    assert [k.score for k in card.kpis] == [100.0, 100.0]
    assert card.kpis[1].period == "2026-Q4" and not card.kpis[1].computed


def test_monthly_kpi_on_a_quarterly_card_is_scored_over_the_quarter(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    card = fw.score("ops_lead", stage="startup", period="2026-Q4", actuals=Q4)
    # gmv: Σ 600万 against the monthly 200万 scaled to the quarter (3 × 200万 = 600万) → 100;
    # conversion 4% against its own 5% (a rate keeps its target) → 80. (50·100 + 50·80) / 100 = 90 → B
    assert [(k.period, k.score) for k in card.kpis] == [("2026-Q4", 100.0), ("2026-Q4", 80.0)]
    assert card.kpis[0].target is not None and card.kpis[0].target.text == ">= 600万"
    assert (card.total, card.grade) == (90.0, "B")


def test_the_card_month_missing_from_period_actuals_is_missing(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    with pytest.raises(ScoringError) as caught:
        fw.score("ops_lead", stage="startup", period="2027-01", actuals=Q4)
    assert caught.value.missing == ("gmv", "conversion_rate")
    assert "gmv (2027-01): missing: no actuals for 2027-01" in str(caught.value)


def test_gaps_inside_a_quarter_are_explained_on_the_kpi(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    months = {**Q4, "2026-11": {k: v for k, v in Q4["2026-11"].items() if k != "visitors"}}
    with pytest.raises(ScoringError) as caught:
        fw.score("ops_lead", stage="startup", period="2026-12", actuals=months)
    assert "visitors has no value (no value for 2026-11 (needed to roll up to 2026-Q4))" in str(caught.value)


def test_undeclared_metrics_in_any_month_are_warned_about(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    months = {**Q4, "2026-10": {**Q4["2026-10"], "ordres": 3}}
    card = fw.score("ops_lead", stage="startup", period="2026-12", actuals=months)
    assert card.warnings == ["actual 'ordres' ignored: the framework declares no such metric; did you mean 'orders'?"]


def test_a_kpi_not_applicable_all_quarter_is_dropped(build: Build) -> None:
    fw = build(positions=OPS_LEAD)
    months = {m: {**values, "orders": "n/a"} for m, values in Q4.items()}
    card = fw.score("ops_lead", stage="startup", period="2026-12", actuals=months)
    # orders n/a → conversion_rate (orders / visitors) n/a → dropped; gmv alone: 100
    assert [(d.kpi, d.reason) for d in card.dropped] == [("conversion_rate", "not applicable")]
    assert card.total == 100.0


# --- a conditional formula over a quarter ---------------------------------------------------------

def test_a_quarter_recomputes_the_condition_from_rolled_up_inputs(build: Build) -> None:
    fw = build(extra_metrics=SAFE_CONVERSION)
    months = {"2026-10": {"orders": 6, "visitors": 0}, "2026-11": {"orders": 4, "visitors": 0},
              "2026-12": {"orders": 0, "visitors": 0}}
    assert fw.rollup(months, "2026-Q4")["safe_conversion"] == 0.0  # Σ visitors = 0: the else value
    months["2026-12"] = {"orders": 0, "visitors": 500}
    assert fw.rollup(months, "2026-Q4")["safe_conversion"] == 0.02  # Σ orders 10 / Σ visitors 500


# --- many employees at once: rollup_table ----------------------------------------------------------

_TABLE_METRICS = ("gmv", "orders", "visitors", "repurchase_rate", "inventory_turnover", "inventory_days", "stock_low")
_ODD = st.sampled_from([-3.0, "n/a", "120万", float("nan"), 0.0])  # out of range, n/a, shorthand, blank, zero
_CELLS = st.integers(0, 59).flatmap(
    lambda pick: _ODD if pick == 0 else st.none() if pick == 1 else st.integers(0, 5000).map(float) if pick < 5
    else st.floats(0, 1e7, allow_nan=False)
)
"""Mostly plain numbers (the employees the arrays roll up), now and then a cell only the per-employee path takes."""


@st.composite
def _employee_months(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rows of up to 5 employees: usually every month of Q4 once, sometimes one missing or given twice."""
    rows = []
    for number in range(draw(st.integers(1, 5))):
        months = ["2026-10", "2026-11", "2026-12"]
        twist = draw(st.integers(0, 9))
        if twist == 0:
            months = months[:2]  # December missing
        elif twist == 1:
            months = [*months, "2026-11"]  # November twice
        elif twist == 2:
            months = [*months, "2027-01"]  # a month of another quarter: ignored
        dropped = draw(st.sampled_from([None, None, None, "orders", "stock_low"]))  # a metric not given at all
        for month in months:
            row: dict[str, Any] = {"employee": f"e{number}", "period": month}
            for metric in _TABLE_METRICS:
                cell = draw(_CELLS) if metric != dropped else None
                row[metric] = draw(st.floats(0, 1e7, allow_nan=False)) if cell is None and draw(st.booleans()) \
                    else cell
            rows.append(row)
    return rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_employee_months(), partial=st.booleans())
def test_a_table_rolls_up_like_each_employee_on_their_own(fw: Framework, rows: list[dict[str, Any]],
                                                          partial: bool) -> None:
    table = {name: [row[name] for row in rows] for name in ("employee", "period", *_TABLE_METRICS)}
    rolled = rollup_table(fw, table, "2026-Q4", partial=partial)
    for employee in dict.fromkeys(row["employee"] for row in rows):
        mine = [row for row in rows if row["employee"] == employee]
        months = [row["period"] for row in mine]
        if len(set(months)) < len(months):
            assert rolled.errors[employee].startswith("two rows for 2026-11")
            continue
        given = {row["period"]: {k: v for k, v in row.items() if k in _TABLE_METRICS and v is not None
                                 and not (isinstance(v, float) and math.isnan(v))} for row in mine}
        try:
            expected = rollup_actuals(fw, given, "2026-Q4", partial=partial)
        except ScoringError as exc:
            assert rolled.errors[employee] == str(exc)
            continue
        assert rolled.row(employee) == expected, employee


def test_a_table_of_numbers_sums_and_recomputes_like_the_months_one_by_one(fw: Framework) -> None:
    # li: gmv 1 + 3 + 2 = 6 (sum); conversion recomputed from orders / visitors: (30 + 200 + 10) / 6000 = 0.04
    table = {"employee": ["li"] * 3 + ["wang"] * 2, "period": ["2026-10", "2026-11", "2026-12", "2026-10", "2026-11"],
             "gmv": [1e6, 3e6, 2e6, 5e6, 5e6], "orders": [30.0, 200.0, 10.0, 1.0, 1.0],
             "visitors": [1000.0, 4000.0, 1000.0, 10.0, 10.0]}
    rolled = rollup_table(fw, table, "2026-Q4")
    assert rolled.employees == ["li"]
    assert rolled.row("li")["gmv"] == 6e6
    assert rolled.row("li") == rollup_actuals(fw, {"2026-10": {"gmv": 1e6, "orders": 30, "visitors": 1000},
                                                   "2026-11": {"gmv": 3e6, "orders": 200, "visitors": 4000},
                                                   "2026-12": {"gmv": 2e6, "orders": 10, "visitors": 1000}}, "2026-Q4")
    assert rolled.errors["wang"].startswith("cannot roll actuals up to 2026-Q4")  # December is missing


def test_a_column_that_is_no_metric_is_refused_with_a_suggestion(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="'gvm' is not a declared metric; did you mean 'gmv'"):
        rollup_table(fw, {"employee": ["li"], "period": ["2026-10"], "gvm": [1.0]}, "2026-Q4")
