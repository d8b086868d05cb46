"""The target calendar of a year and its exports: the bundled seed breakdown, worked by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import ecomperf
from ecomperf.errors import ScoringError
from ecomperf.planning import year_calendar
from ecomperf.planning.export import CSV_HEADER, plan_csv, plan_json, write_plan_xlsx
from tests.conftest import REPO


@pytest.fixture(scope="module")
def fw() -> ecomperf.Framework:
    return ecomperf.load(REPO / "frameworks" / "ecommerce-ops")


def test_the_annual_plan_has_a_column_per_owner_and_the_remainder(fw: ecomperf.Framework) -> None:
    annual = year_calendar(fw, 2026)[0]
    assert [(c.label, c.role, c.share) for c in annual.columns] == [
        ("gmv_2026", "plan", 1.0), ("head_of_ecommerce", "owner", 1.0), ("product_ops_specialist", "share", 0.3),
        ("channel_ops_specialist", "share", 0.2), ("(unassigned)", "unassigned", 0.5)]
    rows = {row.period: row.amounts for row in annual.rows}
    # 1亿 / 4 = 2500万 a quarter; 30% = 750万, 20% = 500万, 50% = 1250万
    assert rows["2026-Q1"] == (25_000_000, 25_000_000, 7_500_000, 5_000_000, 12_500_000)
    assert rows["2026"] == (100_000_000, 100_000_000, 30_000_000, 20_000_000, 50_000_000)
    assert all(ok for _, ok in annual.checks)


def test_the_seed_q1_plan_splits_2000万_into_months(fw: ecomperf.Framework) -> None:
    quarter = year_calendar(fw, 2026)[1]
    assert [row.amounts[0] for row in quarter.rows] == [6_666_666.67, 6_666_666.67, 6_666_666.66, 20_000_000]


def test_a_position_filter_keeps_its_columns_and_the_plans_that_give_it_one(fw: ecomperf.Framework) -> None:
    views = year_calendar(fw, 2026, "store_manager")
    assert [(view.plan.id, [c.label for c in view.columns]) for view in views] == [
        ("store_gmv_2026_q1", ["store_gmv_2026_q1", "store_manager"])]


def test_unknown_position_and_year_are_errors(fw: ecomperf.Framework) -> None:
    with pytest.raises(ScoringError, match="did you mean 'store_manager'"):
        year_calendar(fw, 2026, "store_manger")
    with pytest.raises(ScoringError, match="no target plan for 2030; plans exist for 2026"):
        year_calendar(fw, 2030)


def test_csv_is_long_and_its_sums_check_back(fw: ecomperf.Framework) -> None:
    text = plan_csv(year_calendar(fw, 2026))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == CSV_HEADER
    plan_total = sum(float(r["amount"]) for r in rows if r["plan"] == "gmv_2026" and r["role"] == "plan")
    product = sum(float(r["amount"]) for r in rows if r["position"] == "product_ops_specialist")
    assert (round(plan_total, 2), round(product, 2)) == (100_000_000, 30_000_000)


def test_json_lists_every_column_with_its_amounts(fw: ecomperf.Framework) -> None:
    data = json.loads(plan_json(2026, year_calendar(fw, 2026)))
    assert data["year"] == 2026
    product = data["plans"][0]["columns"][2]
    assert (product["position"], product["kpi"], product["amounts"]["2026-Q4"]) == (
        "product_ops_specialist", "selected_product_gmv", 7_500_000)
    assert all(check["ok"] for check in data["plans"][0]["checks"])


def test_xlsx_has_a_sheet_per_plan_with_values(fw: ecomperf.Framework, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(path, year_calendar(fw, 2026))
    book = load_workbook(path)
    assert book.sheetnames == ["gmv_2026", "store_gmv_2026_q1"]
    sheet = book["gmv_2026"]
    assert [cell.value for cell in sheet[1]][:3] == ["period", "gmv_2026", "head_of_ecommerce"]
    assert (sheet["A5"].value, sheet["B5"].value, sheet["B5"].number_format) == ("2026-Q1", 25_000_000, "#,##0.00")
