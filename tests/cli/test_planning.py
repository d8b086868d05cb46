"""``ecomperf whatif`` and ``ecomperf plan`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecomperf.cli import app
from tests.conftest import REPO

runner = CliRunner()
MINI = str(REPO / "examples" / "mini-framework")
BUNDLED = str(REPO / "frameworks" / "ecommerce-ops")
ROWS = (
    "employee,position,stage,period,category,gmv,sales_revenue,cost,violations,inquiry_response_hours\n"
    "li,store_manager,startup,2026-10,,180万,100,62,0,\n"  # 0.6·90 + 0.4·95 = 92 -> B
    "zhao,service_agent,startup,2026-10,,,,,,30\n"  # 24 / 30 = 80 -> C
)


@pytest.fixture
def actuals(tmp_path: Path) -> Path:
    path = tmp_path / "actuals.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def test_whatif_table_names_the_needed_gmv_and_the_cheapest_move(actuals: Path) -> None:
    # A lacks 8 points: GMV (weight 60) must score 90 + 800 / 60 = 103.33: 206.67万
    result = runner.invoke(app, ["whatif", MINI, "--actuals", str(actuals), "--employee", "li", "--grade", "A"])
    assert result.exit_code == 0, result.output
    assert "li (store_manager, startup, 2026-10): total 92.00, grade B; A needs 100." in result.output
    assert "Cheapest single move: gmv to 206.67万 (+14.8%)." in result.output


def test_whatif_json_has_the_issue_shape(actuals: Path) -> None:
    result = runner.invoke(app, ["whatif", MINI, "-a", str(actuals), "-e", "li", "-g", "A", "--format", "json"])
    data = json.loads(result.stdout)
    assert list(data)[:4] == ["employee", "grade", "needed_total", "kpis"]
    gmv = data["kpis"][0]
    assert list(gmv)[:5] == ["kpi", "actual", "needed", "reachable", "reason"]
    assert (gmv["kpi"], gmv["reachable"], round(gmv["needed"], 2)) == ("gmv", True, 2_066_666.67)


def test_whatif_html_holds_the_tornado_chart(actuals: Path, tmp_path: Path) -> None:
    out = tmp_path / "li.html"
    result = runner.invoke(app, ["whatif", MINI, "-a", str(actuals), "-e", "li", "-g", "A", "-f", "html",
                                 "--locale", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<section id="sensitivity">' in html and 'class="chart tornado"' in html


def test_whatif_solve_for_takes_kpi_equals_input(actuals: Path) -> None:
    result = runner.invoke(app, ["whatif", MINI, "-a", str(actuals), "-e", "li", "-g", "B", "-f", "json",
                                 "--solve-for", "gross_margin=cost"])
    margin = next(k for k in json.loads(result.stdout)["kpis"] if k["kpi"] == "gross_margin")
    assert [need["input"] for need in margin["inputs"]] == ["cost"]


def test_whatif_asks_for_an_employee_when_the_file_has_several(actuals: Path) -> None:
    result = runner.invoke(app, ["whatif", MINI, "-a", str(actuals), "-g", "A"])
    assert result.exit_code == 2
    assert "has 2 rows; choose one with --employee (employees: li, zhao)" in result.output


def test_whatif_refuses_an_unknown_grade_and_employee(actuals: Path) -> None:
    result = runner.invoke(app, ["whatif", MINI, "-a", str(actuals), "-e", "li", "-g", "Z"])
    assert result.exit_code == 2 and "--grade 'Z' is not a grade of mini-shop" in result.output
    result = runner.invoke(app, ["whatif", MINI, "-a", str(actuals), "-e", "wu", "-g", "A"])
    assert result.exit_code == 1 and "no row for employee 'wu'; employees in the file: li, zhao" in result.output


def test_whatif_refuses_a_bad_solve_for(actuals: Path) -> None:
    result = runner.invoke(app, ["whatif", MINI, "-a", str(actuals), "-e", "li", "-g", "A", "--solve-for", "margin"])
    assert result.exit_code == 2 and "write KPI=INPUT" in result.output


def test_plan_table_checks_the_sums() -> None:
    result = runner.invoke(app, ["plan", BUNDLED, "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "✓ the months add up to the total 1亿" in result.output
    assert "gmv_2026: gmv 1亿 for 2026" in result.output


def test_plan_csv_and_json_go_to_stdout() -> None:
    result = runner.invoke(app, ["plan", BUNDLED, "--year", "2026", "--position", "store_manager", "-f", "csv"])
    lines = result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0] == "plan,metric,position,kpi,role,share,period,amount"
    assert "store_gmv_2026_q1,gmv,store_manager,gmv,owner,1.0,2026-03,6666666.66" in lines
    data = json.loads(runner.invoke(app, ["plan", BUNDLED, "-y", "2026", "-f", "json"]).stdout)
    assert [plan["plan"] for plan in data["plans"]] == ["gmv_2026", "store_gmv_2026_q1"]


def test_plan_xlsx_needs_a_file(tmp_path: Path) -> None:
    assert runner.invoke(app, ["plan", BUNDLED, "-y", "2026", "-f", "xlsx"]).exit_code == 2
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["plan", BUNDLED, "-y", "2026", "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 0


def test_plan_for_a_year_without_plans_says_which_years_have_them() -> None:
    result = runner.invoke(app, ["plan", BUNDLED, "--year", "2030"])
    assert result.exit_code == 1 and "no target plan for 2030; plans exist for 2026" in result.output


def test_whatif_finds_an_employee_by_the_id_before_the_name() -> None:
    # The example sheets hold "E002 李强" in one cell; "E002" alone must find that row.
    actuals = str(REPO / "examples" / "actuals-2026-10.csv")
    result = runner.invoke(app, ["whatif", BUNDLED, "-a", actuals, "-e", "E002", "-g", "A"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("E002 李强 (store_manager, growth, 2026-10): total 98.80, grade B; A needs 100.")
