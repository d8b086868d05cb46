"""Monthly rows rolled up per employee to the quarter's card (issue 10, item 2), by both engines."""

from __future__ import annotations

from typing import Any

import pytest

from ecomperf.batch.table import Table
from ecomperf.errors import ScoringError
from ecomperf.framework import Framework


def month(employee: str, period: str, gmv: str, revenue: float, cost: float) -> dict[str, Any]:
    return {"employee": employee, "position": "store_manager", "stage": "startup", "period": period, "gmv": gmv,
            "sales_revenue": revenue, "cost": cost, "violations": 0}


ROWS = [
    month("li", "2026-10", "200万", 100, 62), month("wang", "2026-10", "150万", 100, 70),
    month("li", "2026-11", "250万", 100, 60), month("wang", "2026-11", "160万", 100, 70),
    month("li", "2026-12", "210万", 100, 61),
]


@pytest.mark.parametrize("detail", [True, False])
@pytest.mark.parametrize("rollup", ["2026-Q4", "quarter"])
def test_months_roll_up_to_one_quarter_card_per_employee(mini: Framework, detail: bool, rollup: str) -> None:
    result = mini.score_many(ROWS, rollup=rollup, detail=detail)
    # li: gmv 660万 against 3 × 200万 = 600万 → 110 (·0.6 = 66); margin (300 − 183) / 300 = 39% against 40%
    # → 97.5 (·0.4 = 39): 105 → A
    assert [(r.employee, r.period, r.total, r.grade, r.origin) for r in result.rows] == [
        ("li", "2026-Q4", 105.0, "A", "<rows>:2,4,6")]
    # wang lacks December: each of his two rows is reported, naming the month
    assert [(e.row, e.employee) for e in result.errors] == [(3, "wang"), (5, "wang")]
    assert all("no row for 2026-12 (needed for 2026-Q4)" in e.reason for e in result.errors)
    if detail:
        gmv = result.cards[0].kpis[0]
        assert (gmv.actual, str(gmv.target)) == (6_600_000, ">= 600万")


def test_every_input_row_is_accounted_for(mini: Framework) -> None:
    rows = [*ROWS, month("li", "2026-09", "1万", 1, 1)]
    result = mini.score_many(rows, rollup="2026-Q4")
    # 6 rows in: 3 rolled into li's quarter, 2 of wang's reported, September reported as outside the quarter
    covered = [number for r in result.rows for number in r.origin.partition(":")[2].split(",")]
    assert sorted([*map(int, covered), *(e.row for e in result.errors)]) == [2, 3, 4, 5, 6, 7]
    assert result.errors[-1].reason == "period 2026-09 is not a month of 2026-Q4, the period rolled up to"


def test_a_refused_month_fails_the_quarter_with_its_reason(mini: Framework) -> None:
    rows = [month("li", "2026-10", "200万", 100, 62), month("li", "2026-11", "-5万", 100, 60),
            month("li", "2026-12", "210万", 100, 61)]
    result = mini.score_many(rows, rollup="2026-Q4")
    assert result.rows == []
    assert [e.row for e in result.errors] == [2, 3, 4]
    assert "2026-11: actual for 'gmv' is '-5万': below 0" in result.errors[0].reason


def test_a_metric_missing_from_one_month_fails_the_quarter(mini: Framework) -> None:
    rows = [month("li", "2026-10", "200万", 100, 62), {**month("li", "2026-11", "", 100, 60), "gmv": None},
            month("li", "2026-12", "210万", 100, 61)]
    result = mini.score_many(rows, rollup="2026-Q4")
    # a sum over two months against a three-month target would be wrong: the quarter is refused
    assert "gmv has no value for 2026-11 (needed to roll up to 2026-Q4)" in result.errors[0].reason


def test_rows_of_several_files_roll_up_together(mini: Framework) -> None:
    tables = [Table.from_records([row], source=f"{row['period']}.csv") for row in ROWS if row["employee"] == "li"]
    result = mini.score_many(Table.concat(tables), rollup="2026-Q4")
    assert [(r.total, r.origin) for r in result.rows] == [(105.0, "2026-10.csv:2, 2026-11.csv:2, 2026-12.csv:2")]
    assert result.sources == ("2026-10.csv", "2026-11.csv", "2026-12.csv")


def test_a_month_is_not_a_roll_up_target(mini: Framework) -> None:
    with pytest.raises(ScoringError, match="cannot roll up to 2026-10: it is a month"):
        mini.score_many(ROWS, rollup="2026-10")
