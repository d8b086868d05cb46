"""``score --record``, ``--replace``, ``--from-db``, ``history`` and ``distribution --db`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ecomperf.cli import app
from ecomperf.history import History
from tests.chinese_text import assert_chinese
from tests.conftest import REPO

runner = CliRunner()
WIDE = {"COLUMNS": "220"}

HEADER = "employee,position,stage,period,orders,visitors,response_hours,violations\n"
OCTOBER = HEADER + (
    "ann,agent,launch,2026-10,300,10000,30,0\n"  # 68 D (see test_store.py)
    "bo,agent,launch,2026-10,900,12000,18,0\n"  # 120 A
)
NOVEMBER = HEADER + (
    "ann,agent,launch,2026-11,500,10000,24,0\n"  # 5% -> 100, 24h -> 100: 100 A (+32, D -> A: +3 grades)
    "bo,agent,launch,2026-11,600,12000,24,0\n"  # 5% -> 100: 100 A (-20, grade same)
)
DECEMBER = HEADER + (
    "ann,agent,launch,2026-12,700,8000,21,0\n"
    "bo,agent,launch,2026-12,700,12000,24,0\n"
)


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _record(cycle_dir: Path, actuals: Path, database: Path, *extra: str) -> object:
    return runner.invoke(app, ["score", str(cycle_dir), "--actuals", str(actuals), "--record", str(database), *extra],
                         env=WIDE)


@pytest.fixture
def recorded(tmp_path: Path, cycle_dir: Path) -> Path:
    database = tmp_path / "perf.db"
    for name, text in (("oct.csv", OCTOBER), ("nov.csv", NOVEMBER)):
        result = _record(cycle_dir, _file(tmp_path, name, text), database)
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return database


def test_score_record_records_every_row_and_says_so(tmp_path: Path, cycle_dir: Path) -> None:
    database = tmp_path / "perf.db"
    result = _record(cycle_dir, _file(tmp_path, "oct.csv", OCTOBER), database)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert f"Recorded 2 card(s) in {database} as recording #1." in result.output  # type: ignore[attr-defined]
    with History(database) as history:
        (entry, _) = history.entries()
    assert entry.command == f"ecomperf score {cycle_dir} --actuals {tmp_path / 'oct.csv'} --record {database}"
    assert entry.source == str(tmp_path / "oct.csv")


def test_recording_the_same_file_again_is_refused_with_exit_1(recorded: Path, tmp_path: Path, cycle_dir: Path) -> None:
    result = _record(cycle_dir, tmp_path / "oct.csv", recorded)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "nothing recorded: 2 card(s) are already recorded" in result.output  # type: ignore[attr-defined]
    assert "ann 2026-10: card #1 (version 1)" in result.output  # type: ignore[attr-defined]


def test_replace_records_a_correction_and_history_shows_both(
    recorded: Path, tmp_path: Path, cycle_dir: Path
) -> None:
    fixed = _file(tmp_path, "oct-fixed.csv", HEADER + "ann,agent,launch,2026-10,500,10000,30,0\n")  # 92 B
    result = _record(cycle_dir, fixed, recorded, "--replace")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "1 of them correcting earlier cards (kept as superseded)" in result.output  # type: ignore[attr-defined]
    current = json.loads(runner.invoke(app, ["history", str(recorded), "-e", "ann", "-f", "json"]).output)
    assert [(r["period"], r["total"], r["version"]) for r in current] == [("2026-10", 92.0, 2), ("2026-11", 100.0, 1)]
    every = json.loads(runner.invoke(app, ["history", str(recorded), "-e", "ann", "-f", "json",
                                           "--all-versions"]).output)
    assert [(r["period"], r["total"], r["current"]) for r in every] == [
        ("2026-10", 68.0, False), ("2026-10", 92.0, True), ("2026-11", 100.0, True)]
    table = runner.invoke(app, ["history", str(recorded), "--all-versions"], env=WIDE).output
    assert "superseded" in table and "current" in table


def test_a_row_that_fails_mid_file_records_nothing_from_the_file(tmp_path: Path, cycle_dir: Path) -> None:
    database = tmp_path / "perf.db"
    bad = _file(tmp_path, "oct.csv", HEADER + "ann,agent,launch,2026-10,300,10000,30,0\n"
                "cy,agent,launch,2026-10,lots,10000,30,0\n" "bo,agent,launch,2026-10,900,12000,18,0\n")
    result = _record(cycle_dir, bad, database)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"{bad}:3: cy:" in result.output  # type: ignore[attr-defined]
    assert "nothing recorded in" in result.output and "1 row(s) were not scored" in result.output  # type: ignore[attr-defined]
    with History(database) as history:
        assert history.count(all_versions=True) == 0


def test_history_json_lists_changes_against_the_previous_period(recorded: Path) -> None:
    result = runner.invoke(app, ["history", str(recorded), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"employee", "position", "period", "total", "grade", "bonus", "fingerprint"} <= set(rows[0])
    by_key = {(r["employee"], r["period"]): r for r in rows}
    # ann: 68 D -> 100 A: +32 points, three grades up; bo: 120 A -> 100 A: -20, same grade
    assert (by_key[("ann", "2026-11")]["total_change"], by_key[("ann", "2026-11")]["grade_change"]) == (32.0, 3)
    assert (by_key[("bo", "2026-11")]["total_change"], by_key[("bo", "2026-11")]["grade_change"]) == (-20.0, 0)
    assert by_key[("ann", "2026-10")]["total_change"] is None
    assert by_key[("ann", "2026-10")]["previous_period"] == "2026-09"


def test_history_filters_keep_the_change_from_outside_the_range(recorded: Path) -> None:
    result = runner.invoke(app, ["history", str(recorded), "--from", "2026-11", "-f", "csv", "-e", "ann"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["period"], r["total_change"], r["previous_grade"]) for r in rows] == [("2026-11", "32.0", "D")]


def test_history_table_shows_change_and_grade_change(recorded: Path) -> None:
    result = runner.invoke(app, ["history", str(recorded), "--position", "agent"], env=WIDE)
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "ann" in line and "2026-11" in line)
    assert "+32.00" in line and "D→A ▲3" in line
    assert "no 2026-09" in next(line for line in result.output.splitlines() if "ann" in line and "2026-10" in line)


def test_history_xlsx_and_html(recorded: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "history.xlsx"
    assert runner.invoke(app, ["history", str(recorded), "-f", "xlsx", "-o", str(workbook)]).exit_code == 0
    sheet = openpyxl.load_workbook(workbook)["History"]
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == ["card_id", "employee", "position", "stage", "period", "total"]
    assert sheet.max_row == 5
    page = tmp_path / "trend.html"
    trend = runner.invoke(app, ["history", str(recorded), "-f", "html", "-o", str(page), "--locale", "en"])
    assert trend.exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and html.count('<svg class="chart trend"') == 2
    team = runner.invoke(app, ["history", str(recorded), "-f", "html", "--period", "2026-11"]).output
    assert "等级分布" in team and "各期等级分布" in team and "+32.0" in team


def test_xlsx_needs_an_output_file(recorded: Path) -> None:
    result = runner.invoke(app, ["history", str(recorded), "-f", "xlsx"])
    assert result.exit_code == 2 and "--format xlsx needs -o FILE.xlsx" in result.output


def test_history_of_a_missing_database_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["history", str(tmp_path / "nope.db")])
    assert result.exit_code == 1 and "no history database at" in result.output
    assert not (tmp_path / "nope.db").exists()


def test_score_from_db_scores_the_quarter_and_names_missing_months(
    recorded: Path, tmp_path: Path, cycle_dir: Path
) -> None:
    december = _file(tmp_path, "dec.csv", DECEMBER.replace("bo,agent,launch,2026-12,700,12000,24,0\n", ""))
    assert _record(cycle_dir, december, recorded).exit_code == 0  # type: ignore[attr-defined]
    result = runner.invoke(app, ["score", str(cycle_dir), "--from-db", str(recorded), "--period", "2026-Q4",
                                 "-o", str(tmp_path / "q4.json")], env=WIDE)
    assert result.exit_code == 1  # bo has no December
    assert "bo: no recorded card for 2026-12 (2026-Q4 needs 2026-10 to 2026-12)" in result.output
    # ann: orders 300 + 500 + 700 = 1500 over 10000 + 10000 + 8000 = 28000 visitors: 5.357142857% -> 107.142857143;
    # hours (30 + 24 + 21) / 3 = 25 -> 100·24/25 = 96; total = 0.6·107.142857143 + 0.4·96 = 64.285714286 + 38.4
    cards = json.loads((tmp_path / "q4.json").read_text(encoding="utf-8"))["cards"]
    assert [(c["employee"], c["period"], c["total"], c["grade"]) for c in cards] == [
        ("ann", "2026-Q4", 102.685714286, "A")]
    assert "ann: 2026-Q4 from cards #1, #3, #5" in result.output


def test_score_from_db_can_record_the_quarter(recorded: Path, tmp_path: Path, cycle_dir: Path) -> None:
    assert _record(cycle_dir, _file(tmp_path, "dec.csv", DECEMBER), recorded).exit_code == 0  # type: ignore[attr-defined]
    result = runner.invoke(app, ["score", str(cycle_dir), "--from-db", str(recorded), "--period", "2026-Q4",
                                 "--record", str(recorded)], env=WIDE)
    assert result.exit_code == 0, result.output
    quarters = json.loads(runner.invoke(app, ["history", str(recorded), "--kind", "quarter", "-f", "json"]).output)
    assert [(r["employee"], r["period"]) for r in quarters] == [("ann", "2026-Q4"), ("bo", "2026-Q4")]
    assert quarters[0]["total"] == 102.685714286


def test_usage_errors(recorded: Path, tmp_path: Path, cycle_dir: Path) -> None:
    both = runner.invoke(app, ["score", str(cycle_dir), "--actuals", str(tmp_path / "oct.csv"),
                               "--from-db", str(recorded), "--period", "2026-Q4"])
    assert both.exit_code == 2 and "give the actuals with --actuals FILE, or" in both.output
    no_period = runner.invoke(app, ["score", str(cycle_dir), "--from-db", str(recorded)])
    assert no_period.exit_code == 2 and "--from-db needs --period" in no_period.output
    replace = runner.invoke(app, ["score", str(cycle_dir), "--actuals", str(tmp_path / "oct.csv"), "--replace"])
    assert replace.exit_code == 2 and "--replace corrects recorded cards" in replace.output
    month = runner.invoke(app, ["score", str(cycle_dir), "--from-db", str(recorded), "--period", "2026-10"])
    assert month.exit_code == 1 and "2026-10 is a month" in month.output


def test_distribution_from_db(recorded: Path, cycle_dir: Path) -> None:
    result = runner.invoke(app, ["distribution", str(cycle_dir), "--db", str(recorded), "--period", "2026-11"],
                           env=WIDE)
    assert result.exit_code == 0, result.output
    # two agents, both A in November: 2 actual against 20% × 2 = 0.4 expected
    line = next(line for line in result.output.splitlines() if line.startswith("│ agent"))
    assert "2/0.4" in line and "A over (+1.6)" in line
    no_period = runner.invoke(app, ["distribution", str(cycle_dir), "--db", str(recorded)])
    assert no_period.exit_code == 2 and "--db needs --period" in no_period.output


def test_a_chinese_team_report_from_the_history_carries_no_english_engine_sentence(tmp_path: Path) -> None:
    database = tmp_path / "perf.db"
    recorded = runner.invoke(app, ["score", str(REPO / "frameworks" / "ecommerce-ops"), "--actuals",
                                   str(REPO / "examples" / "actuals-2026-10.csv"), "--missing", "renormalize",
                                   "--record", str(database)], env=WIDE)
    assert recorded.exit_code == 0, recorded.output
    report = tmp_path / "team.html"
    shown = runner.invoke(app, ["history", str(database), "--period", "2026-10", "--format", "html",
                                "-o", str(report)], env=WIDE)
    assert shown.exit_code == 0, shown.output
    html = report.read_text(encoding="utf-8")
    # the notes read back from the database, written in the framework's first locale as when scored
    assert "由公式 (销售收入 - 商品销售成本) / 销售收入 计算得出" in html
    assert "2026-10 目标 &gt;= 833.33万，来自目标计划 gmv_2026" in html
    cells = re.findall(r'<td class="notes">(.*?)</td>', html, flags=re.DOTALL)
    texts = [re.sub(r"<[^>]+>", " ", cell) for cell in cells if cell.strip()]
    assert len(texts) >= 6  # E001, E002, E004, E007, E008 at least
    assert_chinese(texts)
