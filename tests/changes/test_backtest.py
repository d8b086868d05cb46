"""``ecomperf.backtest``: the same actuals under two versions, compared row by row."""

from __future__ import annotations

from pathlib import Path

import pytest

import ecomperf
from ecomperf.batch.table import Table
from ecomperf.changes.backtest import BacktestResult, backtest
from ecomperf.errors import ScoringError
from ecomperf.io.read import read_actuals
from tests.changes.edits import BUNDLED, EXAMPLES, bundled_copy

OCTOBER = EXAMPLES / "actuals-2026-10.csv"
Q3 = EXAMPLES / "actuals-2026-Q3.csv"


@pytest.fixture
def result(edited: Path) -> BacktestResult:
    return backtest(ecomperf.load(BUNDLED), ecomperf.load(edited), [read_actuals(OCTOBER), read_actuals(Q3)],
                    bonus_base=10_000)


def test_the_edited_copy_changes_the_grades_of_exactly_these_rows(result: BacktestResult) -> None:
    # E002 store_manager, growth, 2026-10. Scores: new-user growth 0.102/10% = 102, GMV 680万 against the
    # quarterly 2000万 pro-rated to 666.67万 = 102, GMV growth 10.5%/15% = 70, repurchase 35.7%/35% = 102,
    # gross margin (714万 - 422.688万)/714万 = 40.8%/40% = 102.
    #   old weights 25/20/10/30/15: (25·102 + 20·102 + 10·70 + 30·102 + 15·102)/100 = (9180 + 700)/100 = 98.8 → B
    #   new weights 25/20/5/35/15:  (25·102 + 20·102 + 5·70 + 35·102 + 15·102)/100 = (9690 + 350)/100 = 100.4 → A
    # E004 content_ops_specialist, growth, 2026-10: impressions 84万, interaction 3360/80000 = 4.2% against 5%,
    # conversion 1.68% against 2%: every KPI 84, old total 84 → C. New impressions target 80万: 84/80 = 105,
    #   (40·105 + 30·84 + 30·84)/100 = (4200 + 5040)/100 = 92.4 → B.
    # E002, 2026-07: every KPI but GMV growth scores 103, GMV growth 70: (90·103 + 700)/100 = 99.7 → B, and
    #   (95·103 + 350)/100 = 101.35 → A. August (98: 95.2 → 96.6) and September (105: 101.5 → 103.25) keep their
    #   grade, as do E004's Q3 months (74 → 81.4, 70 → 77, 72 → 79.2: all C).
    changed = [(o.employee, o.period, round(o.old.total, 2), round(o.new.total, 2), o.old.grade, o.new.grade)
               for o in result.changed if o.old is not None and o.new is not None]
    assert changed == [
        ("E002 李强", "2026-10", 98.8, 100.4, "B", "A"),
        ("E004 刘洋", "2026-10", 84.0, 92.4, "C", "B"),
        ("E002 李强", "2026-07", 99.7, 101.35, "B", "A"),
    ]
    assert result.grades_changed


def test_unchanged_totals_and_the_rows_neither_version_scores(result: BacktestResult) -> None:
    august = next(o for o in result.outcomes if o.employee == "E002 李强" and o.period == "2026-08")
    assert august.status == "unchanged"
    assert august.old is not None and august.new is not None
    assert (round(august.old.total, 2), round(august.new.total, 2)) == (95.2, 96.6)
    # E008 has no data_error_rate in either version: listed with the reason, in no mix and no pool
    assert [(o.employee, o.source, o.row) for o in result.not_scored] == [("E008 周敏", str(OCTOBER), 9)]
    assert "data_error_rate" in result.not_scored[0].reason
    assert len(result.outcomes) == 20 and len(result.compared) == 19 and result.one_sided == ()


def test_grade_mix_pool_and_positions(result: BacktestResult) -> None:
    # 19 rows under both: two B → A (E002 Oct and Jul) and one C → B (E004 Oct).
    assert [(g.grade, g.old, g.new, g.delta) for g in result.grade_mix] == [
        ("S", 1, 1, 0), ("A", 5, 7, 2), ("B", 6, 5, -1), ("C", 7, 6, -1), ("D", 0, 0, 0)]
    pool = result.pool
    # +0.2 (B 1.0 → A 1.2) twice and +0.4 (C 0.6 → B 1.0) once: +0.8 coefficients, +8000 at 10000 a point
    assert (pool.rows, pool.old_coefficients, pool.new_coefficients) == (19, 17.7, 18.5)
    assert (pool.old_amount, pool.new_amount, pool.amount_delta) == (177_000, 185_000, 8_000)
    effects = {e.position: e for e in result.positions}
    manager = effects["store_manager"]
    # four months of E002: (98.8 + 99.7 + 95.2 + 101.5)/4 = 98.8 before, (100.4 + 101.35 + 96.6 + 103.25)/4 = 100.4
    assert (manager.rows, manager.grades_up, manager.grades_down) == (4, 2, 0)
    assert (round(manager.old_mean_total or 0, 2), round(manager.new_mean_total or 0, 2)) == (98.8, 100.4)
    assert (manager.old_coefficients, manager.new_coefficients) == (4.2, 4.6)
    assert effects["customer_service_lead"].grades_up == 0


def test_a_new_kpi_without_an_actual_scores_under_the_old_version_only(tmp_path: Path) -> None:
    root = bundled_copy(tmp_path)
    path = root / "positions" / "customer_service_agent.yaml"
    text = path.read_text(encoding="utf-8")
    growth = (
        '    growth:\n'
        '      - {kpi: inquiry_response_time, weight: 50, target: "<= 24h"}  # seed-rule 74: reply within 24 hours\n'
        '      - {kpi: customer_satisfaction, weight: 50, target: ">= 90%"}  # seed-rule 75: satisfaction >= 90%\n'
    )
    assert growth in text
    path.write_text(text.replace(growth, growth.replace("weight: 50", "weight: 40")
                                 + '      - {kpi: store_rating, weight: 20, target: ">= 4.8"}\n'), encoding="utf-8")
    result = backtest(ecomperf.load(BUNDLED), ecomperf.load(root), read_actuals(OCTOBER))
    assert [(o.employee, o.status) for o in result.one_sided] == [("E006 杨帆", "old only")]
    assert "store_rating" in result.one_sided[0].reason
    assert result.grades_changed  # a row that no longer scores counts as a grade change


def test_bonus_base_from_a_column_is_taken_out_of_the_actuals(tmp_path: Path) -> None:
    fw = ecomperf.load(BUNDLED)
    rows = [
        {"employee": "E005", "position": "customer_service_lead", "stage": "growth", "period": "2026-10",
         "customer_satisfaction": 0.9, "inquiry_response_time": 24, "store_rating": 4.8, "base_salary": "1.5万"},
        {"employee": "E006", "position": "customer_service_agent", "stage": "growth", "period": "2026-10",
         "customer_satisfaction": 0.702, "inquiry_response_time": 30.77, "base_salary": ""},
    ]
    result = backtest(fw, fw, rows, bonus_base="base_salary")
    # E005 scores 100 → A (1.2): 1.2 · 15000 = 18000; E006 has no base, so no amount, and a warning says so
    assert [o.base for o in result.outcomes] == [15_000, None]
    assert result.pool.old_amount == result.pool.new_amount == 18_000
    assert result.pool.rows_without_base == 1
    assert result.warnings == ("<rows>:3: bonus base 'base_salary': the cell is empty; the row is left out of amounts",)


def test_bad_bonus_bases_are_refused_with_the_fix() -> None:
    fw = ecomperf.load(BUNDLED)
    table = read_actuals(OCTOBER)
    with pytest.raises(ScoringError, match="no bonus-base column 'salary'"):
        backtest(fw, fw, table, bonus_base="salary")
    with pytest.raises(ScoringError, match="negative"):
        backtest(fw, fw, table, bonus_base=-5)


def test_rows_as_mappings_and_to_pandas(edited: Path) -> None:
    pandas = pytest.importorskip("pandas")
    rows = list(read_actuals(OCTOBER).records())
    result = ecomperf.backtest(ecomperf.load(BUNDLED), ecomperf.load(edited), rows, missing="renormalize")
    frame = result.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 8
    changed = frame[frame["status"] == "changed"]
    assert changed["employee"].tolist() == ["E002 李强", "E004 刘洋"]
    assert changed["grade_new"].tolist() == ["A", "B"]
    assert [round(x, 1) for x in changed["total_delta"]] == [1.6, 8.4]


def test_json_ready_summary(result: BacktestResult) -> None:
    data = result.to_dict()
    assert data["rows"] == 20 and data["compared"] == 19 and data["grades_changed"] is True
    assert data["pool"]["coefficient_delta"] == 0.8 and data["pool"]["bonus_base"] == 10_000
    assert [row["employee"] for row in data["changed"]] == ["E002 李强", "E004 刘洋", "E002 李强"]
    assert data["not_scored"][0]["status"] == "not scored"


def test_an_empty_table_gives_an_empty_result() -> None:
    fw = ecomperf.load(BUNDLED)
    result = backtest(fw, fw, Table(("employee",), [], []))
    assert result.outcomes == () and not result.grades_changed and result.pool.rows == 0
