"""Several rows for one employee and period (issue 10, item 4): reported with every row number, none scored."""

from __future__ import annotations

from typing import Any

import pytest

from ecomperf.errors import ScoringError
from ecomperf.framework import Framework


def row(employee: str, hours: float, period: str = "2026-10") -> dict[str, Any]:
    return {"employee": employee, "position": "service_agent", "stage": "startup", "period": period,
            "inquiry_response_hours": hours}


@pytest.mark.parametrize("detail", [True, False])
def test_both_rows_are_reported_and_neither_is_scored(mini: Framework, detail: bool) -> None:
    # The report: the same employee and period twice in one file were scored twice.
    rows = [row("li", 20), row("wang", 30), row("li", 12), row("li", 24, "2026-11")]
    result = mini.score_many(rows, detail=detail)
    # wang: 24 / 30 → 80; li in November: 24 / 24 → 100; li's two October rows (2 and 4) are not scored
    assert [(r.row, r.employee, r.total) for r in result.rows] == [(3, "wang", 80.0), (5, "li", 100.0)]
    assert [(e.row, e.reason) for e in result.errors] == [
        (2, "employee li has 2 rows for 2026-10 (rows 2 and 4); none is scored: delete the extra rows, or pass "
            "keep_duplicates='first' or keep_duplicates='last'"),
        (4, "employee li has 2 rows for 2026-10 (rows 2 and 4); none is scored: delete the extra rows, or pass "
            "keep_duplicates='first' or keep_duplicates='last'"),
    ]
    assert not result.ok


@pytest.mark.parametrize(("keep", "kept", "total"), [("first", 2, 120.0), ("last", 4, 100.0)])
def test_the_caller_may_keep_the_first_or_the_last(mini: Framework, keep: str, kept: int, total: float) -> None:
    rows = [row("li", 20), row("wang", 30), row("li", 24)]
    result = mini.score_many(rows, keep_duplicates=keep)  # type: ignore[arg-type]
    # first: 24 / 20 → 120; last: 24 / 24 → 100; the other row is reported as left out, which is not a failure
    assert [(r.row, r.total) for r in result.rows if r.employee == "li"] == [(kept, total)]
    assert [(e.row, e.intended) for e in result.errors] == [(6 - kept, True)]
    assert f"row {kept} is (keep_duplicates='{keep}')" in result.errors[0].reason
    assert result.ok


def test_periods_are_compared_as_periods(mini: Framework) -> None:
    rows = [{**row("li", 20), "period": "2026-Q4"}, {**row("li", 20), "period": "2026-q4"}]
    result = mini.score_many(rows)
    assert result.rows == [] and [e.row for e in result.errors] == [2, 3]


def test_an_unknown_choice_is_refused(mini: Framework) -> None:
    with pytest.raises(ScoringError, match=r"keep_duplicates='firts' is not a choice; use keep_duplicates='first' or "
                                           r"keep_duplicates='last'; did you mean 'first'\?"):
        mini.score_many([row("li", 20)], keep_duplicates="firts")  # type: ignore[arg-type]
