"""A framework change backtested on the recorded cards of the history store (``History.actuals``,
``ecomperf backtest --db``), on SQLite and on PostgreSQL; each row names its recorded card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ecomperf
from ecomperf.cli import app
from ecomperf.history import History
from ecomperf.history.actuals import recorded_table
from ecomperf.scoring.results import ScoreCard
from tests.history.conftest import CYCLE_FILES, record_rows, row, write_cycle_framework

runner = CliRunner()
WIDE = {"COLUMNS": "220"}

#: The change: the agent's conversion target in the launch stage falls from 5% to 4%.
LOWER_TARGET = {
    "positions.yaml": CYCLE_FILES["positions.yaml"].replace(
        '{kpi: conversion_rate, weight: 60, target: ">= 5%"}', '{kpi: conversion_rate, weight: 60, target: ">= 4%"}'
    )
}

MONTHS = [
    row("ann", "2026-09", 300, 10_000, 24),  # before the range asked for
    row("ann", "2026-10", 240, 6_000, 20),
    row("ann", "2026-11", 500, 10_000, 24),
    row("lee", "2026-10", 0, 0, 10, position="lead"),  # visitors 0: the lead has no conversion KPI anyway
]


@pytest.fixture
def changed(tmp_path: Path) -> ecomperf.Framework:
    """The cycle-test framework with the agent's conversion target lowered to 4%."""
    assert LOWER_TARGET["positions.yaml"] != CYCLE_FILES["positions.yaml"]
    return ecomperf.load(write_cycle_framework(tmp_path / "changed-fw", LOWER_TARGET))


def test_recorded_months_are_scored_again_under_both_versions(
    history: History, cycle_fw: ecomperf.Framework, changed: ecomperf.Framework
) -> None:
    record_rows(history, cycle_fw, MONTHS)
    table = history.actuals(start="2026-10", end="2026-12")
    result = ecomperf.backtest(cycle_fw, changed, table)
    ids = {(e.card.employee, e.card.period): e.id for e in history.entries()}
    # ann 2026-10: conversion 240/6000 = 4%, recomputed from the recorded orders and visitors; response 20h.
    #   old: 100·4/5 = 80, 100·24/20 = 120: (60·80 + 40·120)/100 = (4800 + 4800)/100 = 96 -> B (1.0)
    #   new: 100·4/4 = 100:                 (60·100 + 40·120)/100 = (6000 + 4800)/100 = 108 -> A (1.2)
    # ann 2026-11: 500/10000 = 5%, 24h: old 100·5/5 = 100 and 100 -> 100 A; new 100·5/4 = 125, capped at 120:
    #   (60·120 + 40·100)/100 = 112 -> A, the same grade and bonus (unchanged, although the total moves).
    # lee 2026-10 (lead): response 10h against 12h: 100·12/10 = 120 under both -> A. ann 2026-09 is out of range.
    outcomes = {(o.employee, o.period): o for o in result.outcomes}
    assert sorted(outcomes) == [("ann", "2026-10"), ("ann", "2026-11"), ("lee", "2026-10")]
    october = outcomes["ann", "2026-10"]
    assert october.old is not None and october.new is not None
    assert (october.old.total, october.old.grade, october.new.total, october.new.grade) == (96.0, "B", 108.0, "A")
    november = outcomes["ann", "2026-11"]
    assert november.old is not None and november.new is not None
    assert (november.old.total, november.new.total, november.status) == (100.0, 112.0, "unchanged")
    assert [(o.employee, o.period) for o in result.changed] == [("ann", "2026-10")]
    # the bonus pool: B 1.0 -> A 1.2 for ann's October, A 1.2 twice unchanged: 3.4 -> 3.6
    assert (result.pool.old_coefficients, result.pool.new_coefficients) == (3.4, 3.6)
    # each row is its recorded card, not a file row
    assert october.row == ids["ann", "2026-10"] and october.source == history.where
    assert october.where == f"{history.where} card #{ids['ann', '2026-10']}"
    assert result.to_records()[0]["where"] == f"{history.where} card #{ids['ann', '2026-10']}"


def test_the_old_version_gives_back_the_recorded_totals(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, MONTHS)
    result = ecomperf.backtest(cycle_fw, cycle_fw, history.actuals())
    recorded = {(e.card.employee, e.card.period): e.card.total for e in history.entries()}
    again = {(o.employee, o.period): o.old.total for o in result.outcomes if o.old is not None}
    assert again == recorded and len(again) == 4 and not result.changed


def test_only_current_versions_count_and_filters_apply(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, MONTHS)
    record_rows(history, cycle_fw, [row("ann", "2026-10", 300, 6_000, 20)], replace=True)  # a correction
    current = {e.card.period: e.id for e in history.entries(employee="ann")}
    table = history.actuals(employee="ann", start="2026-10")
    # the corrected October (5% -> 100; (60·100 + 40·120)/100 = 108) replaces the first; September is out
    assert table.numbers == [current["2026-10"], current["2026-11"]]
    assert table.columns[:4] == ("employee", "position", "stage", "period")
    cells = dict(zip(table.columns, table.rows[0], strict=True))
    assert (cells["employee"], cells["period"], cells["orders"], cells["visitors"]) == ("ann", "2026-10", 300, 6_000)
    assert table.origin(0) == f"{history.where} card #{current['2026-10']}"
    assert [s.total for s in cycle_fw.score_many(table).rows] == [108.0, 100.0]


def test_context_and_not_applicable_values_come_back(tmp_path: Path, history: History) -> None:
    contexts = CYCLE_FILES["framework.yaml"].replace(
        "        grades:", "        contexts:\n          channel: [web, shop]\n        grades:")
    fw = ecomperf.load(write_cycle_framework(tmp_path / "ctx-fw", {"framework.yaml": contexts}))
    record_rows(history, fw, [{**row("ann", "2026-10", 240, 6_000, "n/a"), "channel": "shop"}])
    table = history.actuals()
    cells = dict(zip(table.columns, table.rows[0], strict=True))
    assert table.columns.index("channel") < table.columns.index("orders")
    assert (cells["channel"], cells["response_hours"]) == ("shop", "n/a")
    # n/a drops response time: 4%/5% = 80 on the conversion KPI alone -> 80, as recorded
    (summary,) = fw.score_many(table).rows
    assert summary.total == history.entries()[0].card.total == 80.0


def test_cards_recorded_without_inputs_fall_back_to_their_kpi_actuals(
    history: History, cycle_fw: ecomperf.Framework
) -> None:
    card: ScoreCard = cycle_fw.score("agent", stage="launch", period="2026-10", employee="ann",
                                     actuals={"conversion_rate": 0.04, "response_hours": 20, "violations": 0})
    history.record([card], framework=cycle_fw)  # a script that kept no inputs
    (entry,) = history.entries()
    table = recorded_table(history.entries(), where="perf.db")
    assert dict(zip(table.columns, table.rows[0], strict=True))["conversion_rate"] == 0.04
    assert table.warnings == [
        f"1 card(s) were recorded without their input values (#{entry.id} (ann 2026-10)); their KPI actuals stand "
        "in for them, so a formula KPI is not recomputed there under either version"
    ]
    assert [s.total for s in cycle_fw.score_many(table).rows] == [96.0]  # as recorded: (60·80 + 40·120)/100


# --- ecomperf backtest --db -------------------------------------------------------------------------------


@pytest.fixture
def databased(db_url: str, cycle_fw: ecomperf.Framework) -> str:
    with History(db_url) as store:
        record_rows(store, cycle_fw, MONTHS)
    return db_url


def test_backtest_db_reports_the_changed_card(databased: str, cycle_dir: Path, tmp_path: Path) -> None:
    new = write_cycle_framework(tmp_path / "changed-fw", LOWER_TARGET)
    result = runner.invoke(app, ["backtest", str(cycle_dir), str(new), "--db", databased, "--from", "2026-10",
                                   "--to", "2026-Q4", "--format", "json"], env=WIDE)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    with History(databased) as store:
        where = store.where
        card = next(e.id for e in store.entries() if e.card.employee == "ann" and e.card.period == "2026-10")
    assert (data["rows"], data["compared"]) == (3, 3)
    (changed,) = data["changed"]
    assert (changed["where"], changed["employee"], changed["period"]) == (f"{where} card #{card}", "ann", "2026-10")
    assert (changed["total_old"], changed["total_new"], changed["grade_old"], changed["grade_new"]) == (
        96.0, 108.0, "B", "A")
    # without --from, September counts too: 300/10000 = 3%: old 100·3/5 = 60, (60·60 + 40·100)/100 = 76 -> C;
    # new 100·3/4 = 75, (60·75 + 40·100)/100 = 85 -> B: two grade changes
    gate = runner.invoke(app, ["backtest", str(cycle_dir), str(new), "--db", databased, "--fail-on-grade-change"],
                         env=WIDE)
    assert gate.exit_code == 1  # 1 means "grades change", never "the database failed"
    assert "2 grade change(s) and 0 row(s) scored under one version only" in " ".join(gate.stderr.split())


def test_a_card_the_new_version_cannot_score_is_cited_with_the_reason(
    databased: str, cycle_dir: Path, tmp_path: Path
) -> None:
    # the new version also scores the lead on conversion; lee's month recorded 0 orders of 0 visitors
    lead = CYCLE_FILES["positions.yaml"].replace(
        '              - {kpi: response_hours, weight: 100, target: "<= 12h"}',
        '              - {kpi: response_hours, weight: 50, target: "<= 12h"}\n'
        '              - {kpi: conversion_rate, weight: 50, target: ">= 5%"}')
    assert lead != CYCLE_FILES["positions.yaml"]
    new = write_cycle_framework(tmp_path / "lead-fw", {"positions.yaml": lead})
    command = ["backtest", str(cycle_dir), str(new), "--db", databased, "--locale", "en"]
    shown = runner.invoke(app, [*command, "--format", "md"], env=WIDE)
    data = json.loads(runner.invoke(app, [*command, "--format", "json"], env=WIDE).stdout)
    assert shown.exit_code == 0, shown.output
    with History(databased) as store:
        cited = f"{store.where} card #{next(e.id for e in store.entries() if e.card.employee == 'lee')}"
    line = next(line for line in shown.stdout.splitlines() if cited in line)
    assert "| lee | Lead | 2026-10 | Before |" in line and "division by zero" in line  # old version only
    (one_sided,) = data["one_sided"]
    assert (one_sided["where"], one_sided["status"]) == (cited, "old only")
    assert "conversion_rate (2026-10): undefined: division by zero in 'orders / visitors'" in one_sided["reason"]


def test_backtest_db_usage_errors_exit_2(databased: str, cycle_dir: Path, tmp_path: Path) -> None:
    actuals = tmp_path / "oct.csv"
    actuals.write_text("employee,position,stage,period\n", encoding="utf-8")
    cases = [
        (["--db", databased, "--actuals", str(actuals)], "not both"),
        ([], "no actuals: give --actuals FILE"),
        (["--actuals", str(actuals), "--from", "2026-10"], "--from choose recorded cards: give them with --db DB"),
        (["--db", databased, "--from", "2026-13"], "--from:"),
        (["--db", databased, "--from", "2027-01"], "holds no current card of cycle-shop from 2027-01; nothing to"),
        (["--db", str(tmp_path / "missing.db")], "no history database at"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, ["backtest", str(cycle_dir), str(cycle_dir), *extra], env=WIDE)
        assert result.exit_code == 2, (extra, result.output)
        assert message in " ".join(result.stderr.split()), (extra, result.stderr)
