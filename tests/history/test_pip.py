"""Improvement-plan flags from the history, with each period's recorded card as evidence."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import ecomperf
from ecomperf.cli import app
from ecomperf.history import History
from ecomperf.scoring.review import pip_flags
from tests.history.conftest import record_rows, row

runner = CliRunner()

# pat: Sep 3% -> 60, 30h -> 80: 68 D; Oct 4% -> 80, 30h -> 80: 80 C; Nov 4% -> 80, 28h -> 85.714285714:
#      48 + 34.285714286 = 82.285714286 C. Three months at or below C: flagged (rules.pip).
# sam: the same, but November 5%, 24h: 100 A, so the run is only two months long.
MONTHS = [
    row("pat", "2026-09", 300, 10_000, 30), row("pat", "2026-10", 400, 10_000, 30),
    row("pat", "2026-11", 400, 10_000, 28),
    row("sam", "2026-09", 300, 10_000, 30), row("sam", "2026-10", 400, 10_000, 30),
    row("sam", "2026-11", 500, 10_000, 24),
]


def test_pip_flags_from_history_cite_the_recorded_cards(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, MONTHS)
    (flag,) = pip_flags(history.cards(kind="month"), cycle_fw.rules.pip, grades=cycle_fw.grades)
    assert (flag.employee, flag.periods, flag.grades) == ("pat", ["2026-09", "2026-10", "2026-11"], ["D", "C", "C"])
    assert flag.totals == [68.0, 80.0, 82.285714286]


def test_pip_db_prints_the_evidence(tmp_path: Path, cycle_dir: Path, cycle_fw: ecomperf.Framework) -> None:
    database = tmp_path / "perf.db"
    with History(database) as history:
        record_rows(history, cycle_fw, MONTHS, command="ecomperf score fw --actuals q.csv --record perf.db")
        ids = {(e.card.employee, e.card.period): e.id for e in history.entries()}
    result = runner.invoke(app, ["pip", str(cycle_dir), "--db", str(database)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "pat: 3 monthly periods in a row at or below C (2026-09 to 2026-11: D, C, C)" in result.output
    assert "Evidence: pat" in result.output
    for period, total in (("2026-09", "68.00"), ("2026-10", "80.00"), ("2026-11", "82.29")):
        line = next(line for line in result.output.splitlines() if line.startswith(f"│ {period}"))
        assert f"#{ids[('pat', period)]}" in line and total in line
    assert "recording #1: ecomperf score fw --actuals q.csv --record perf.db" in result.output
    assert "sam" not in result.output.split("Evidence")[0].split("Improvement-plan flags")[1]
