"""``ecomperf score``, ``ecomperf pip`` and ``ecomperf distribution`` as a user runs them."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from typer.testing import CliRunner

from ecomperf.cli import app
from tests.chinese_text import assert_chinese
from tests.conftest import MINI, REPO

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
        book = openpyxl.load_workbook(out)  # the mini framework's first locale is zh: the sheets are named in zh
        assert book.sheetnames == ["汇总", "明细", "未评分"]
        assert book["汇总"]["G1"].value == "等级" and book["汇总"]["G2"].value == "A"
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


def test_progress_bar_while_a_big_workbook_is_written(
    actuals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    advanced: list[int] = []
    monkeypatch.setattr("ecomperf.cli.score.PROGRESS_ROWS", 1)
    monkeypatch.setattr("ecomperf.io.xlsx._PROGRESS_CHUNK", 1)
    # the runner swaps sys.stderr for its own stream: the terminal test sees one that says it is a terminal
    monkeypatch.setattr("ecomperf.cli.score.sys", SimpleNamespace(stderr=SimpleNamespace(isatty=lambda: True)))
    monkeypatch.setattr("rich.progress.Progress.advance", lambda self, task, rows: advanced.append(rows))
    out = tmp_path / "s.xlsx"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    # the actuals' 2 rows scored (one call), then the workbook's rows written one by one: 2 on Summary, 4 on
    # Detail (3 KPIs of the store manager, 1 of the service agent)
    assert advanced == [2] + [1] * (2 + 4)
    assert out.exists()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """The options of every ``score_many`` call the command makes (it still scores)."""
    from ecomperf.batch import engine

    calls: list[dict[str, object]] = []
    original = engine.score_many

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "score_many", spy)
    return calls


@pytest.mark.parametrize("suffix", [".json", ".html"])
def test_progress_bar_while_big_cards_are_written_from_the_explained_columns(
    actuals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, asked: list[dict[str, object]]
) -> None:
    advanced: list[int] = []
    monkeypatch.setattr("ecomperf.cli.score.PROGRESS_ROWS", 1)
    monkeypatch.setattr("ecomperf.cli.score.sys", SimpleNamespace(stderr=SimpleNamespace(isatty=lambda: True)))
    monkeypatch.setattr("rich.progress.Progress.advance", lambda self, task, rows: advanced.append(rows))
    out = tmp_path / f"s{suffix}"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    # scored without a card per row; the 2 rows scored (one call), then the 2 cards written (one call)
    assert [(kwargs["detail"], kwargs["explain"]) for kwargs in asked] == [(False, True)]
    assert advanced == [2, 2]
    assert out.exists()


def test_a_workbook_is_written_from_the_explained_columns_without_cards(
    actuals: Path, tmp_path: Path, asked: list[dict[str, object]]
) -> None:
    out = tmp_path / "s.xlsx"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "-o", str(out), "--locale", "en"])
    assert result.exit_code == 0, result.stderr
    assert [(kwargs["detail"], kwargs["explain"]) for kwargs in asked] == [(False, True)]
    detail = openpyxl.load_workbook(out)["Detail"]
    # the store manager's 3 KPIs and the service agent's 1, each with its row number and KPI
    assert [(row[0], row[5]) for row in detail.iter_rows(min_row=2, values_only=True)] == [
        (2, "gmv"), (2, "gross_margin"), (2, "violations"), (3, "inquiry_response_hours")]


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


def test_per_employee_pages_are_those_of_the_cards_and_are_built_from_the_explained_columns(
    tmp_path: Path, asked: list[dict[str, object]]
) -> None:
    import ecomperf
    from ecomperf.io.read import read_actuals
    from ecomperf.render.report import per_employee_pages

    actuals = REPO / "examples" / "actuals-2026-10.csv"
    framework = REPO / "frameworks" / "ecommerce-ops"
    folder = tmp_path / "cards"
    args = ["score", str(framework), "--actuals", str(actuals), "-o", str(folder), "--per-employee",
            "--missing", "renormalize"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [(kwargs["detail"], kwargs["explain"]) for kwargs in asked] == [(False, True)]
    fw = ecomperf.load(framework)
    cards = fw.score_many(read_actuals(actuals), missing="renormalize", detail=True).cards
    expected = per_employee_pages(cards, fw.default_locale, index=fw)
    assert len(expected) == len(cards) > 1
    assert sorted(path.name for path in folder.iterdir()) == sorted(expected)
    for name, html in expected.items():
        assert (folder / name).read_text(encoding="utf-8") == html, name


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


# --- issue 10: several files, quarters, duplicates, warnings, spelling, outputs that are inputs ---------------

HEADER = "employee,position,stage,period,gmv,sales_revenue,cost,violations\n"
MONTHS = {
    "oct.csv": "li,store_manager,startup,2026-10,200万,100,62,0\nwang,store_manager,startup,2026-10,150万,100,70,0\n",
    "nov.csv": "li,store_manager,startup,2026-11,250万,100,60,0\nwang,store_manager,startup,2026-11,160万,100,70,1\n",
    "dec.csv": "li,store_manager,startup,2026-12,210万,100,61,0\n",
}


@pytest.fixture
def months(tmp_path: Path) -> Path:
    folder = tmp_path / "q4"
    folder.mkdir()
    for name, rows in MONTHS.items():
        (folder / name).write_text(HEADER + rows, encoding="utf-8")
    return folder


def _rows(stdout: str) -> list[tuple[str, str, str, str]]:
    """(employee, period, total, grade) of each row of the terminal table."""
    found = []
    for line in stdout.splitlines():
        cells = [cell.strip() for cell in line.strip()[1:-1].split("│")]
        if line.startswith("│") and len(cells) == 7:
            found.append((cells[0], cells[2], cells[3], cells[4]))
    return found


def test_every_actuals_file_given_is_scored(months: Path) -> None:
    # The report: --actuals oct --actuals nov --actuals dec scored December alone and exited 0.
    result = runner.invoke(app, ["score", str(MINI), *(f"--actuals={months / n}" for n in MONTHS)])
    assert result.exit_code == 0, result.stderr
    # li Oct: gmv 200/200 → 100·0.6 = 60, margin 38%/40% → 95·0.4 = 38: 98 B; wang Oct: 75·0.6 + 75·0.4 = 75 C
    # li Nov: 250/200 → 120 (cap)·0.6 = 72, margin 40% → 40: 112 A; wang Nov: 80·0.6 + 75·0.4 = 78, veto → C
    # li Dec: 210/200 → 105·0.6 = 63, margin 39% → 97.5·0.4 = 39: 102 A
    assert _rows(result.stdout) == [
        ("li", "2026-10", "98.00", "B"), ("wang", "2026-10", "75.00", "C"), ("li", "2026-11", "112.00", "A"),
        ("wang", "2026-11", "78.00", "C"), ("li", "2026-12", "102.00", "A")]


def test_a_pattern_reads_every_file_it_matches(months: Path) -> None:
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(months / "*.csv")])
    assert result.exit_code == 0, result.stderr
    assert "mini-shop: 5 scored, 0 not scored" in result.stdout


def test_a_pattern_that_matches_nothing_is_a_usage_error(months: Path) -> None:
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(months / "*.xlsx")])
    assert result.exit_code == 2
    assert "matches no file" in result.stderr


@pytest.mark.parametrize("flags", [["--period", "2026-Q4"], ["--rollup", "quarter"]])
def test_a_quarter_rolls_the_months_up_per_employee_and_names_missing_months(
    months: Path, flags: list[str]
) -> None:
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(months / "*.csv"), *flags])
    assert result.exit_code == 1
    # li: gmv 200万 + 250万 + 210万 = 660万 against 3 × 200万 = 600万 → 110·0.6 = 66; margin recomputed from
    # the sums, (300 − 183) / 300 = 39% against 40% → 97.5·0.4 = 39; total 105 → A
    assert _rows(result.stdout) == [("li", "2026-Q4", "105.00", "A")]
    # wang has no December: both of his rows are reported, naming the month
    wang = [line for line in result.stderr.splitlines() if ": wang: " in line]
    assert len(wang) == 2
    assert all("no row for 2026-12 (needed for 2026-Q4)" in line for line in wang)
    assert result.stderr.splitlines()[-1] == "2 row(s) not scored; the others were."


def test_a_quarter_row_says_which_rows_it_was_rolled_up_from(months: Path, tmp_path: Path) -> None:
    out = tmp_path / "q4.csv"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(months / "*.csv"), "--period", "2026-Q4",
                                 "-o", str(out)])
    assert result.exit_code == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    # li's quarter names its three rows, month by month; wang's two rows are reported
    li = next(line for line in lines if line["employee"] == "li")
    assert li["row"] == f"{months / 'oct.csv'}:2, {months / 'nov.csv'}:2, {months / 'dec.csv'}:2"
    assert (li["period"], li["total"], li["reason"]) == ("2026-Q4", "105.0", "")
    assert [line["row"] for line in lines if line["employee"] == "wang"] == [
        f"{months / 'nov.csv'}:3", f"{months / 'oct.csv'}:3"]


def test_duplicate_rows_are_reported_with_both_numbers_and_neither_scored(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(HEADER + MONTHS["oct.csv"] + MONTHS["oct.csv"].splitlines()[1] + "\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(path)])
    assert result.exit_code == 1
    assert _rows(result.stdout) == [("li", "2026-10", "98.00", "B")]
    assert f"{path}:3: wang: employee wang has 2 rows for 2026-10 (rows 3 and 4); none is scored: delete the " \
           "extra rows, or pass --keep-duplicates first or --keep-duplicates last" in result.stderr
    kept = runner.invoke(app, ["score", str(MINI), "--actuals", str(path), "--keep-duplicates", "last"])
    assert kept.exit_code == 0, kept.stderr
    # wang row 4 (a copy of row 3): 75 C, as in October above
    assert _rows(kept.stdout) == [("li", "2026-10", "98.00", "B"), ("wang", "2026-10", "75.00", "C")]
    assert f"{path}:3: wang: a second row for employee wang in 2026-10: not scored, row 4 is " \
           "(--keep-duplicates last)" in kept.stderr
    assert "1 duplicate row(s) left out, as --keep-duplicates asks." in kept.stderr


def test_duplicates_written_to_a_file_name_the_cli_flags_and_are_kept_as_asked(tmp_path: Path) -> None:
    # -o scores.csv streams the file; its messages and exit status are the row-by-row path's
    path = tmp_path / "a.csv"
    path.write_text(HEADER + MONTHS["oct.csv"] + MONTHS["oct.csv"].splitlines()[1] + "\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{path}:4: wang: employee wang has 2 rows for 2026-10 (rows 3 and 4); none is scored: delete the " \
           "extra rows, or pass --keep-duplicates first or --keep-duplicates last" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1] == "2 row(s) not scored; the others were."
    kept = runner.invoke(app, ["score", str(MINI), "--actuals", str(path), "-o", str(out), "--keep-duplicates", "last"])
    assert kept.exit_code == 0, kept.stderr
    assert "1 duplicate row(s) left out, as --keep-duplicates asks." in kept.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        # wang's row 4, a copy of row 3, is scored as October above: 75 C; row 3 is left out, with its reason
        assert [(r["row"], r["employee"], r["total"], r["grade"]) for r in csv.DictReader(handle)] == [
            ("2", "li", "98.0", "B"), ("3", "wang", "", ""), ("4", "wang", "75.0", "C")]


def test_card_warnings_reach_the_terminal_and_strict_fails_on_them(tmp_path: Path) -> None:
    # The report: "actual 12 means 1200%" appeared only in HTML, xlsx and JSON; the terminal said 71.73 C, exit 0.
    path = tmp_path / "a.csv"
    path.write_text("employee,position,stage,period,gmv,gross_margin,violations\n"
                    "li,store_manager,startup,2026-10,200万,38,0\n", encoding="utf-8")
    warning = (f"{path}:2: li: warning: gross_margin actual 38 means 3800%; percent actuals are fractions: "
               "did you mean 0.38 (\"38%\")?")
    for output in ([], ["-o", str(tmp_path / "s.csv")], ["-o", str(tmp_path / "s.json")]):
        plain = runner.invoke(app, ["score", str(MINI), "--actuals", str(path), *output])
        assert plain.exit_code == 0, plain.stderr
        assert warning in plain.stderr.splitlines()
        strict = runner.invoke(app, ["score", str(MINI), "--actuals", str(path), "--strict", *output])
        assert strict.exit_code == 1
        assert "1 warning(s), and --strict makes warnings fail the run." in strict.stderr


def test_cli_messages_name_cli_flags(tmp_path: Path) -> None:
    # The report: the CLI said "pass missing='renormalize'"; its flag is --missing renormalize.
    path = tmp_path / "a.csv"
    path.write_text("employee,position,stage,period,gmv,violations\nli,store_manager,startup,2026-10,220万,0\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(path)])
    assert result.exit_code == 1
    assert "or pass --missing renormalize or --missing zero" in result.stderr
    assert "missing='" not in result.stderr


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink", "pattern"])
def test_an_output_that_is_an_input_is_refused_before_anything_is_read(tmp_path: Path, link: str) -> None:
    # The report: score -a a.csv -o a.csv exited 0 and replaced the actuals with the scores.
    path = tmp_path / "a.csv"
    path.write_text(GOOD, encoding="utf-8")
    output = {"same": path, "symlink": tmp_path / "link.csv", "hardlink": tmp_path / "hard.csv",
              "pattern": path}[link]
    if link == "symlink":
        output.symlink_to(path)
    elif link == "hardlink":
        output.hardlink_to(path)
    given = str(tmp_path / "*.csv") if link == "pattern" else str(path)
    broken = tmp_path / "not-a-framework"  # would fail to load, if it were read before the check
    broken.mkdir()
    result = runner.invoke(app, ["score", str(broken), "--actuals", given, "-o", str(output)])
    assert result.exit_code == 2
    assert "writing the scores there would replace the actuals; write to another file" in result.stderr
    assert "does not load" not in result.stderr
    assert path.read_text(encoding="utf-8") == GOOD


# --- issue 12, items 3 and 11: reports in one language; the CSV rounds and names the veto ----------------

ECOMMERCE = REPO / "frameworks" / "ecommerce-ops"
@pytest.fixture
def october_with_trouble(tmp_path: Path) -> Path:
    """The bundled October actuals, with E007 (a veto breach already) also giving hit_product_share as 32.4
    (a whole-number percent: a plausibility warning) and no product_info_error_rate nor its inputs (a KPI
    renormalised away under --missing renormalize)."""
    with (REPO / "examples" / "actuals-2026-10.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    e007 = next(row for row in rows if row["employee"].startswith("E007"))
    e007["hit_product_share"] = "32.4"
    for column in ("product_info_error_rate", "descriptions_checked", "descriptions_with_errors"):
        e007[column] = ""
    path = tmp_path / "october.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _score(actuals: Path, output: Path, *more: str) -> None:
    result = runner.invoke(app, ["score", str(ECOMMERCE), "--actuals", str(actuals), "--missing", "renormalize",
                                 "-o", str(output), *more])
    assert result.exit_code == 0, result.output


def test_a_chinese_html_report_carries_no_english_engine_sentence(tmp_path: Path, october_with_trouble: Path) -> None:
    report = tmp_path / "october.html"
    _score(october_with_trouble, report)  # zh: the framework's first locale
    html = report.read_text(encoding="utf-8")
    card = html[html.index('id="card-7"'):]  # E007 赵磊
    card = card[: card.index("</table>")]
    # the veto note, by the metric's name; the KPI renormalised away, by its name and reason
    assert "触发否决项（超卖订单数）：等级封顶为 C" in card
    assert "产品描述错误率" in card and "缺失：没有实际值" in card
    assert "由公式 (销售收入 - 商品销售成本) / 销售收入 计算得出" in html  # formulas name their metrics
    cells = re.findall(r'<td class="notes">(.*?)</td>', html, flags=re.DOTALL)
    texts = [re.sub(r"<[^>]+>", " ", cell) for cell in cells]
    assert any("3240%" in text for text in texts)  # the plausibility warning, in the team table
    assert_chinese([text for text in texts if text.strip()])


def test_a_chinese_workbook_carries_no_english_engine_sentence(tmp_path: Path, october_with_trouble: Path) -> None:
    book = tmp_path / "october.xlsx"
    _score(october_with_trouble, book, "--locale", "zh")
    workbook = openpyxl.load_workbook(book, read_only=True)
    sheets = {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}
    workbook.close()  # a read-only workbook keeps its file open until closed
    assert list(sheets) == ["汇总", "明细", "未评分"]
    rows = sheets["明细"]
    notes = rows[0].index("说明")
    texts = [str(row[notes]) for row in rows[1:] if row[notes]]
    e007 = [str(row[notes]) for row in rows[1:] if str(row[1]).startswith("E007") and row[notes]]
    assert "触发否决：实际 2，目标 == 0；触发否决项（超卖订单数）：等级封顶为 C" in e007  # clauses joined with ；
    assert any(text.startswith("未计入总分：缺失") for text in e007)  # the renormalised KPI
    assert_chinese(texts)
    # one language per workbook: every heading, and every cell ecomperf writes itself (names, methods,
    # "triggered") is Chinese; only ids of the input (employees, periods) and numbers are left as they came
    summary, detail = sheets["汇总"], sheets["明细"]
    headings = [*summary[0][:9], *detail[0], *sheets["未评分"][0]]  # then the KPIs' own names (商品交易总额（GMV）)
    assert not [h for h in headings if re.search(r"[A-Za-z]{2}", str(h))], headings
    assert all(str(h).endswith(("得分", "小计")) and not re.fullmatch(r"[a-z_]+得分", str(h)) for h in summary[0][9:])
    assert summary[0][:9] == ("行号", "员工", "岗位", "适用阶段", "考核期", "总分", "等级", "绩效系数", "否决项触发")
    e007_summary = next(row for row in summary[1:] if str(row[1]).startswith("E007"))
    assert e007_summary[8] == "超卖订单数"  # the breached veto KPI by its name, not oversell_orders
    columns = detail[0]
    written = {column: {row[columns.index(column)] for row in detail[1:]} - {None}
               for column in ("岗位", "适用阶段", "考核指标", "计分方式", "已触发否决")}
    for column, values in written.items():  # names, not ids (a name may hold an acronym: 访客数（UV）)
        assert values and not [v for v in values if re.fullmatch(r"[a-z0-9_]+", str(v))], (column, values)
    assert written["已触发否决"] == {"已触发否决"}


def test_an_english_workbook_keeps_the_column_ids_of_the_csv(tmp_path: Path, october_with_trouble: Path) -> None:
    book = tmp_path / "october.xlsx"
    _score(october_with_trouble, book, "--locale", "en")
    workbook = openpyxl.load_workbook(book, read_only=True)
    sheets = {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}
    workbook.close()
    assert list(sheets) == ["Summary", "Detail", "Errors"]
    assert sheets["Summary"][0][:9] == ("row", "employee", "position", "stage", "period", "total", "grade", "bonus",
                                        "veto")
    assert "weighted_score" in sheets["Detail"][0]


def test_the_same_report_in_english_names_metrics_and_keeps_the_sentences(
    tmp_path: Path, october_with_trouble: Path
) -> None:
    report = tmp_path / "october.html"
    _score(october_with_trouble, report, "--locale", "en")
    html = report.read_text(encoding="utf-8")
    assert "veto breached (Oversold orders): grade capped at C" in html
    assert "hit_product_share actual 32.4 means 3240%" not in html  # the KPI by its name, not its id
    assert "actual 32.4 means 3240%; percent actuals are fractions: did you mean 0.324" in html


def test_an_unknown_locale_is_a_usage_error(actuals: Path) -> None:
    result = runner.invoke(app, ["score", str(MINI), "--actuals", str(actuals), "--locale", "fr"])
    assert result.exit_code == 2 and "unknown locale 'fr'" in result.output


def test_the_csv_rounds_totals_and_scores_and_names_the_veto(tmp_path: Path) -> None:
    out = tmp_path / "october.csv"
    _score(REPO / "examples" / "actuals-2026-10.csv", out)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    for row in rows:  # every total and score has at most 2 decimals, as the workbook and Markdown show them
        for column, value in row.items():
            if (column == "total" or column.endswith("_score")) and value:
                assert value == repr(round(float(value), 2)), (column, value)
    e007 = next(row for row in rows if row["employee"].startswith("E007"))
    # a total over 100 with grade C: the veto column says why
    assert float(e007["total"]) > 100 and e007["grade"] == "C" and e007["veto"] == "oversell_orders"


def _dup_and_bad(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.csv"
    lines = GOOD.splitlines(keepends=True)
    path.write_text(lines[0] + lines[1] + BAD_ROW + lines[2] + lines[1], encoding="utf-8")  # li twice, wang bad
    return path


@pytest.mark.parametrize(
    ("case", "locale"),
    [
        ("ecommerce-ops", "zh"), ("ecommerce-ops", "en"), ("cross-border", "en"), ("two-files", "zh"),
        ("quarter", "en"), ("duplicates", "en"), ("keep-last", "zh"), ("nothing-scored", "en"),
    ],
)
def test_json_cards_are_written_as_they_are_scored_with_the_bytes_of_the_whole_result(
    case: str, locale: str, tmp_path: Path
) -> None:
    # `score -o out.json` hands each card to the file as it is scored (score_many(on_card=...)), holding one
    # card at a time: the document must be byte for byte the one written from every card held at once.
    import ecomperf
    from ecomperf.batch.table import Table
    from ecomperf.io.read import read_actuals
    from ecomperf.io.write import result_in_locale, write_json
    from ecomperf.spelling import spelled_for

    frameworks = REPO / "frameworks"
    examples = REPO / "examples"
    framework, files, options, keyword = {
        "ecommerce-ops": (frameworks / "ecommerce-ops", [examples / "actuals-2026-10.csv"], [], {}),
        "cross-border": (frameworks / "cross-border", [examples / "cross-border-actuals-2026-10.csv"], [], {}),
        "two-files": (frameworks / "ecommerce-ops",
                      [examples / "actuals-2026-10.csv", examples / "actuals-2026-11.csv"], [], {}),
        "quarter": (frameworks / "ecommerce-ops", [examples / "actuals-2026-Q3.csv"],
                    ["--rollup", "quarter", "--missing", "renormalize"], {"rollup": "quarter",
                                                                          "missing": "renormalize"}),
        "duplicates": (MINI, [_dup_and_bad(tmp_path)], [], {}),
        "keep-last": (MINI, [_dup_and_bad(tmp_path)], ["--keep-duplicates", "last"], {"keep_duplicates": "last"}),
        "nothing-scored": (MINI, [_write(tmp_path, GOOD.splitlines(keepends=True)[0] + BAD_ROW)], [], {}),
    }[case]
    streamed = tmp_path / "streamed.json"
    arguments = ["score", str(framework), *(part for file in files for part in ("--actuals", str(file))),
                 *options, "--locale", locale, "-o", str(streamed)]
    done = runner.invoke(app, arguments)
    assert done.exit_code in (0, 1), done.stderr  # 1: some example rows are not scored, on purpose
    fw = ecomperf.load(framework)
    table = Table.concat([read_actuals(file) for file in files])
    whole = tmp_path / "whole.json"
    with spelled_for("cli"):  # the messages name --flags, as the command's do
        write_json(whole, result_in_locale(fw.score_many(table, detail=True, **keyword), locale))
    assert streamed.read_bytes() == whole.read_bytes()
    cards = json.loads(streamed.read_bytes()).get("cards", [])
    assert (len(cards) == 0) is (case == "nothing-scored")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "only-bad.csv"
    path.write_text(text, encoding="utf-8")
    return path
