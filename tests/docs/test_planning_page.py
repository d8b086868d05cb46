"""The Planning page: its examples run and print the numbers its text works out by hand."""

from __future__ import annotations

from scripts.docs import runner
from scripts.docs._common import DOCS

PAGE = (DOCS / "planning" / "index.md").read_text(encoding="utf-8")


def test_every_example_runs_and_prints_something() -> None:
    result = runner.run(PAGE)
    assert len(result.outputs) == PAGE.count("<!-- ecomperf:output -->")
    assert all(output.strip() for output in result.outputs)


def test_the_outputs_agree_with_the_hand_worked_numbers() -> None:
    whatif, cap, inputs, methods, sensitivity, calendar, scored = runner.run(PAGE).outputs
    assert "total 98.625, grade B; A needs 100" in whatif
    for text in ("20.6875%", "680.56万", "37.4062%", "43%", "cheapest single move: new_user_growth_rate"):
        assert text in whatif
    assert "106.62, below 110 for S" in cap
    assert "sales_revenue  at_least 8,771,929.82" in inputs and "cost           at_most  4,560,000.00" in inputs
    for text in ("at_most  30", "at_least 80  (jump)", "at_most  18", "within   1.4..2.6", "exactly  0  (jump)"):
        assert text in methods
    assert "new_user_growth_rate   +1%: +0.4000" in sensitivity and "headroom 8.00 points" in sensitivity
    assert "2026-Q1 25,000,000.00 | 25,000,000.00 | 7,500,000.00 | 5,000,000.00 | 12,500,000.00" in calendar
    assert ">= 472.5万 -> 105.8201" in scored
