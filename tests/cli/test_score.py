"""``ecomperf score``, ``ecomperf pip`` and ``ecomperf distribution`` as a user runs them."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ecomperf.cli import app
from tests.conftest import MINI

runner = CliRunner()

GOOD = (
    "employee,position,stage,period,category,gmv,sales_revenue,cost,violations,inquiry_response_hours\n"
    "li,store_manager,startup,2026-10,,220万,100,62,0,\n"  # 0.6·110 + 0.4·95 = 104 -> A
    "zhao,service_agent,startup,2026-10,,,,,,30\n"  # 24 / 30 = 80 -> C
)
BAD_ROW = "wang,store_manager,startup,2026-10,,lots,100,62,0,\n"


@pytest.fixture
def actuals(tmp_path: Path) -> Path:
    path = tmp_path / "actuals.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def with_bad_row(tmp_path: Path) -> Path:
    path = tmp_path / "actuals.csv"
    lines = GOOD.splitlines(keepends=True)
    path.write_text(lines[0] + lines[1] + BAD_ROW + lines[2], encoding="utf-8")
    return path


def test_without_output_prints_a_table_and_exits_0(actuals: Path) -> None:
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals)])
    assert result.exit_code == 0, result.stderr
    assert "mini-shop: 2 scored, 0 not scored" in result.stdout
    header = next(line for line in result.stdout.splitlines() if "Employee" in line)
    assert [cell.strip() for cell in header.strip("┃ ").split("┃")] == [
        "Employee", "Position", "Period", "Total", "Grade", "Bonus", "Veto"]
    li = next(line for line in result.stdout.splitlines() if " li " in line)
    assert "104.00" in li and " A " in li and "1.2" in li
    assert result.stderr == ""


def test_a_bad_row_is_reported_on_stderr_the_others_written_exit_1(with_bad_row: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(with_bad_row), "-o", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(
        f"{with_bad_row}:3: wang: actuals for store_manager in 2026-10 are not all usable numbers")
    assert lines[-1] == "1 row(s) not scored; the others were."
    with out.open(encoding="utf-8-sig", newline="") as handle:
        # every input row is in the file; wang's has no total and says why
        assert [(r["employee"], r["total"], bool(r["reason"])) for r in csv.DictReader(handle)] == [
            ("li", "104.0", False), ("wang", "", True), ("zhao", "80.0", False)]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".md", ".html"])
def test_every_output_format_is_written(actuals: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"scores{suffix}"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == f"Wrote 2 scored row(s) to {out}."
    if suffix == ".csv":
        assert "li,store_manager,startup,2026-10,104.0,A,1.2" in out.read_text(encoding="utf-8-sig")
    elif suffix == ".xlsx":
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == ["Summary", "Detail", "Errors"]
        assert book["Summary"]["G2"].value == "A"
    elif suffix == ".json":
        assert [card["grade"] for card in json.loads(out.read_text(encoding="utf-8"))["cards"]] == ["A", "C"]
    elif suffix == ".md":
        assert "| 2 | li | store_manager | startup | 2026-10 | 104.00 | A | 1.2 |  |" in out.read_text(encoding="utf-8")
    else:
        assert "zhao" in out.read_text(encoding="utf-8")


def test_unknown_output_suffix_is_a_usage_error(actuals: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "unknown output format .pdf; supported: .csv" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--missing", "ignore"], "Invalid value for '--missing'"),
        (["--stage", "matrue"], "--stage 'matrue' is not a stage of mini-shop; did you mean 'mature'?"),
        (["--period", "2026-13"], "--period: '2026-13' is not a period id"),
        (["--sheet", "Oct"], "--sheet applies to Excel workbooks only, not actuals.csv"),
    ],
)
def test_usage_errors_exit_2(actuals: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), *args])
    assert result.exit_code == 2
    assert message in result.stderr or message in result.output


def test_missing_actuals_file_is_a_usage_error(tmp_path: Path) -> None:
    assert runner.invoke(app, ["score", str(MINI), "--actuals", str(tmp_path / "none.csv")]).exit_code == 2


def test_missing_policy_option(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("employee,position,stage,period,gmv,violations\nli,store_manager,startup,2026-10,220万,0\n",
                    encoding="utf-8")
    failing = runner.invoke(app, ["score", str(MINI), "--actuals", str(path)])
    renormalised = runner.invoke(app, ["score", str(MINI), "--actuals", str(path), "--missing", "renormalize"])
    assert failing.exit_code == 1 and "gross_margin" in failing.stderr
    assert renormalised.exit_code == 0 and "110.00" in renormalised.stdout


def test_a_framework_that_does_not_load_prints_its_problems_like_validate(tmp_path: Path, actuals: Path) -> None:
    broken = tmp_path / "fw"
    broken.mkdir()
    (broken / "x.yaml").write_text("apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: kg\n",
                                   encoding="utf-8")
    result = runner.invoke(app, ["score", str(broken), "--actuals", str(actuals)])
    assert result.exit_code == 1
    assert f"{broken / 'x.yaml'}:5:1: EP104" in result.stderr
    assert "the framework does not load" in result.stderr


def test_unreadable_actuals_exit_1_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"employee": "li"}', encoding="utf-8")
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(path)])
    assert result.exit_code == 1
    assert "expected a JSON list of objects" in result.stderr


def test_gb18030_input_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(GOOD.replace("li,", "李四,").encode("gb18030"))
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(path)])
    assert result.exit_code == 0
    assert f"note: {path} is not UTF-8; read it as GB18030" in result.stderr
    assert "李四" in result.stdout


def test_xlsx_input_with_sheet(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Oct")
    for line in GOOD.splitlines():
        sheet.append([cell or None for cell in line.split(",")])
    book.save(path)
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(path), "--sheet", "Oct"])
    assert result.exit_code == 0, result.stderr
    assert "2 scored" in result.stdout


def test_progress_bar_for_big_inputs_on_a_terminal(
    actuals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ecomperf.cli.score.PROGRESS_ROWS", 1)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.exists()


def test_pip_flags_consecutive_low_grades(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    rows = ["employee,position,stage,period,inquiry_response_hours"]
    rows += [f"li,service_agent,startup,2026-{m:02d},40" for m in (7, 8, 9)]  # 60 -> D three months running
    rows += [f"wang,service_agent,startup,2026-{m:02d},20" for m in (7, 8, 9)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["pip", str(MINI), "--actuals", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "li: 3 monthly periods in a row at or below C (2026-07 to 2026-09: D, D, D)" in result.stdout
    assert "wang" not in result.stdout.split("Improvement-plan flags")[1].split("li:")[0].replace("li", "")


def test_pip_without_flags_says_so(actuals: Path) -> None:
    result = runner.invoke(app, ["pip", str(MINI), "--actuals", str(actuals)])
    assert result.exit_code == 0
    assert "No improvement-plan flags" in result.stdout


def test_distribution_by_position_and_department(methods_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    rows = ["employee,position,stage,period,revenue,hours,violations"]
    rows += [f"e{i},seller,mature,2026-10,{v},12,0" for i, v in enumerate([3e6, 2e6, 1.5e6, 1e6])]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    by_position = runner.invoke(app, ["distribution", str(methods_dir), "--actuals", str(path)])
    by_department = runner.invoke(app, ["distribution", str(methods_dir), "--actuals", str(path), "--by",
                                        "department"])
    assert by_position.exit_code == 0, by_position.stderr
    # 4 sellers, shares 10/20/50/15/5 %: B expects 2.0 but has 1 (totals 120, 100, 87.5, 75 -> S, A, B, C)
    seller = next(line for line in by_position.stdout.splitlines() if "seller" in line)
    assert [cell.strip() for cell in seller.strip("│ ").split("│")][:7] == [
        "seller", "4", "1/0.4", "1/0.8", "1/2.0", "1/0.6", "0/0.2"]
    assert "B under" in seller
    assert by_department.exit_code == 0
    assert "销售部" in by_department.stdout  # the department in the framework's first locale


def test_distribution_needs_a_declared_distribution(actuals: Path) -> None:
    result = runner.invoke(app, ["distribution", str(MINI), "--actuals", str(actuals)])
    assert result.exit_code == 1
    assert "declares no rules.distribution" in result.stderr


def test_per_employee_writes_one_scorecard_page_per_person(actuals: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "-o", str(folder), "--per-employee"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir()) == ["li.2026-10.html", "zhao.2026-10.html"]
    page = (folder / "li.2026-10.html").read_text(encoding="utf-8")
    assert "绩效考核报告 · li" in page and "104.0" in page  # 0.6·110 + 0.4·95 = 104, grade A
    assert "Wrote 2 scorecard page(s)" in result.output


def test_per_employee_still_writes_the_good_rows_and_reports_the_bad(with_bad_row: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    args = ["score", str(MINI), "--actuals", str(with_bad_row), "-o", str(folder), "--per-employee"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert len(list(folder.iterdir())) == 2 and "wang" in result.output


def test_per_employee_needs_a_folder(actuals: Path, tmp_path: Path) -> None:
    for output in ([], ["-o", str(tmp_path / "scores.html")]):
        result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), *output, "--per-employee"])
        assert result.exit_code == 2
        assert "--per-employee writes a folder of pages: give -o a folder" in result.output


def test_the_terminal_table_shows_the_display_scale_and_subtotals(tmp_path: Path) -> None:
    from tests.peers import FRAPPE

    actuals = tmp_path / "appraisals.csv"
    actuals.write_text(
        "employee,position,stage,period,rater,kra_quality,kra_development,problem_solving,excellence\n"
        "li,engineer,default,2026,,5,3,,\n"
        "li,engineer,default,2026,self,,,0.8,0.7\n"
        "li,engineer,default,2026,feedback,,,0.8,0.7\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(FRAPPE), "--actuals", str(actuals)],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "Employee" in line)
    assert [cell.strip() for cell in header.strip("┃ ").split("┃")] == [
        "Employee", "Position", "Period", "Total", "Grade", "Bonus", "of 5", "goals", "ratings", "Veto"]
    li = next(line for line in result.stdout.splitlines() if " li " in line)
    # Frappe's final score: 75.33 points, 3.767 of 5; goals 72, self-appraisal and feedback 77
    assert [cell.strip() for cell in li.strip("│ ").split("│")][3:9] == ["75.33", "B", "1", "3.767", "72", "77"]
