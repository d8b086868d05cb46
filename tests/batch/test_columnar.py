"""The columnar path gives exactly the scalar engine's answers, row for row, whatever the batch holds.

Rows come from the strategy of ``test_vectorized`` (the methods framework: one KPI per method, variants, a
veto, formulas; odd cells such as "n/a", "1,200", NaN, shorthand "120万"; unknown positions and stages, bad
periods; values outside their metric's range, such as a revenue of -5 or negative hours), with now and
then a whole-number percent (a conversion of 5, which the card warns about) and an impossible count (-1
violations). Employees repeat (ten names for up to 25 rows), so rows giving one employee and period twice
come up. Each batch is scored by :func:`score_arrow` as text columns (what CSV gives) and as typed columns
(what Parquet gives), and each row is checked against :func:`ecomperf.scoring.card.score` on its own, or
against the duplicate rule of :mod:`ecomperf.batch.duplicates`.
"""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomperf.batch.columnar import ColumnarScorer, framework_kpis, output_schema, score_arrow
from ecomperf.batch.duplicates import period_id
from ecomperf.batch.engine import score_many
from ecomperf.batch.table import Table, is_empty
from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from tests.batch.test_vectorized import rows as plain_rows


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """A row of ``test_vectorized``; one in eight has a whole-number percent or an impossible count."""
    row = draw(plain_rows())
    twist = draw(st.integers(0, 15))
    if twist == 0:
        row["conversion"] = 5  # 5 means 500% against a target of 5%: a warning, still scored
    elif twist == 1:
        row["violations"] = -1  # a count is never negative: refused
    return row


def _scalar(fw: Framework, row: dict[str, Any], missing: str) -> tuple[str, Any]:
    """What scoring.score makes of one row: ("card", (total, grade, bonus, scores, veto, warnings)) or
    ("error", None). Blank cells (None, "", NaN) are left out, as the batch reads them."""
    actuals = {k: v for k, v in row.items() if k in fw.metrics and not is_empty(v)}
    context = {"category": row["category"]} if row["category"] else None
    try:
        card = fw.score(row["position"], stage=row["stage"], period=row["period"], actuals=actuals,
                        context=context, missing=missing, employee=row["employee"])  # type: ignore[arg-type]
    except ScoringError:
        return "error", None
    return "card", (card.total, card.grade, card.bonus, {k.kpi: k.score for k in card.kpis},
                    tuple(card.veto_breaches), list(card.warnings))


def _text_batch(batch: list[dict[str, Any]]) -> pa.RecordBatch:
    """The rows as a CSV would give them: every cell text, empty for a blank (None, or pandas' NaN)."""
    columns = list(batch[0])

    def text(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        return repr(value) if isinstance(value, float) else str(value)

    return pa.record_batch({c: pa.array([text(row[c]) for row in batch], pa.string()) for c in columns})


def _typed_batch(batch: list[dict[str, Any]]) -> pa.RecordBatch | None:
    """The rows as Parquet would type them (a float column when every cell is a number or blank)."""
    arrays: dict[str, pa.Array] = {}
    for column in batch[0]:
        cells = [row[column] for row in batch]
        numeric = all(cell is None or (isinstance(cell, int | float) and not isinstance(cell, bool)) for cell in cells)
        if numeric and any(cell is not None for cell in cells):
            arrays[column] = pa.array([None if c is None else float(c) for c in cells], pa.float64())
        elif all(cell is None or isinstance(cell, str) for cell in cells):
            arrays[column] = pa.array(cells, pa.string())
        else:
            return None  # mixed types: no Parquet column holds them
    return pa.record_batch(arrays)


def _check_against_scalar(fw: Framework, batch: list[dict[str, Any]], out: pa.RecordBatch, missing: str) -> None:
    by_row = {record["row"]: record for record in out.to_pylist()}
    # every generated row names an employee, position, stage and period, so each takes part in the
    # duplicate rule; "2026-q4" and "2026-Q4" are one period, "2026-13" is compared as written
    pairs = [(row["employee"], period_id(row["period"])) for row in batch]
    for number, row in enumerate(batch, start=2):
        record = by_row[number]  # never dropped: no generated row is blank
        repeats = [place for place, pair in enumerate(pairs, start=2) if pair == pairs[number - 2]]
        if len(repeats) > 1:
            employee, period = pairs[number - 2]
            assert record["total"] is None and record["error"].startswith(
                f"employee {employee} has {len(repeats)} rows for {period} ("), row
            continue
        kind, expected = _scalar(fw, row, missing)
        if kind == "error":
            assert record["error"] is not None and record["total"] is None, row
            continue
        total, grade, bonus, scores, veto, warnings = expected
        assert record["error"] is None, (row, record["error"])
        assert (record["total"], record["grade"], record["bonus"]) == (total, grade, bonus), row
        assert record["veto"] == ", ".join(veto)
        assert (record["warnings"] or []) == warnings, row
        got = {kpi: record[f"{kpi}_score"] for kpi in framework_kpis(fw) if record[f"{kpi}_score"] is not None}
        assert got == scores, row


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=25), missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_text_columns_score_like_the_scalar_engine(methods_fw: Framework, batch: list[dict[str, Any]],
                                                   missing: str) -> None:
    # repr of a float read back by the scalar engine is the same float, so CSV text loses nothing
    out = score_arrow(methods_fw, _text_batch(batch), missing=missing)  # type: ignore[arg-type]
    _check_against_scalar(methods_fw, batch, out, missing)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=25), missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_typed_columns_score_like_the_scalar_engine(methods_fw: Framework, batch: list[dict[str, Any]],
                                                    missing: str) -> None:
    typed = _typed_batch(batch)
    if typed is None:
        return
    out = score_arrow(methods_fw, typed, missing=missing)  # type: ignore[arg-type]
    _check_against_scalar(methods_fw, batch, out, missing)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=25))
def test_errors_are_the_row_by_row_paths_word_for_word(methods_fw: Framework, batch: list[dict[str, Any]]) -> None:
    text = _text_batch(batch)
    out = score_arrow(methods_fw, text, missing="error")
    errors = [(r["row"], r["employee"], r["error"]) for r in out.to_pylist() if r["error"] is not None]
    cells = list(zip(*(column.to_pylist() for column in text.columns), strict=True))
    same_text = Table(tuple(text.schema.names), cells, list(range(2, 2 + len(cells))), text_cells=True)
    expected = score_many(methods_fw, same_text, detail=False).errors
    assert errors == [(e.row, e.employee, e.reason) for e in expected]


def test_every_batch_has_the_same_columns(methods_fw: Framework) -> None:
    schema = output_schema(methods_fw)
    good = pa.record_batch({"employee": ["a"], "position": ["seller"], "stage": ["mature"], "period": ["2026-10"],
                            "revenue": [1e6], "hours": [10.0], "violations": [0.0]})
    bad = pa.record_batch({"employee": ["b"], "position": ["nobody"]})
    assert score_arrow(methods_fw, good).schema == schema
    assert score_arrow(methods_fw, bad).schema == schema
    assert schema.names[:12] == ["row", "employee", "position", "stage", "period", "category", "total", "grade",
                                 "bonus", "veto", "error", "revenue_score"]


def test_a_row_column_numbers_the_rows_and_blank_rows_are_skipped(methods_fw: Framework) -> None:
    batch = pa.record_batch({
        "row": pa.array([10, 11, 12], pa.int64()), "employee": ["a", None, "c"],
        "position": ["seller", None, "nobody"], "stage": ["mature", None, "mature"],
        "period": ["2026-10", None, "2026-10"], "revenue": ["1000000", None, ""], "hours": ["10", None, ""],
        "violations": ["0", None, ""],
    })
    out = score_arrow(methods_fw, batch).to_pylist()
    # row 11 is blank: skipped as a spreadsheet user expects; row 12 names an unknown position
    assert [r["row"] for r in out] == [10, 12]
    assert out[1]["error"].startswith("unknown position 'nobody'")


def test_a_scorer_reuses_its_cards_across_batches(methods_fw: Framework, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    from ecomperf.batch import columnar

    original = columnar.resolve_card
    monkeypatch.setattr(columnar, "resolve_card", lambda *a, **k: calls.append(a[1]) or original(*a, **k))
    scorer = ColumnarScorer(methods_fw)
    batch = pa.record_batch({"employee": ["a", "b"], "position": ["seller", "seller"], "stage": ["mature"] * 2,
                             "period": ["2026-10"] * 2, "revenue": [1e6, 2e6], "hours": [10.0, 12.0],
                             "violations": [0.0, 0.0]})
    first, second = scorer.score(batch), scorer.score(batch, first_row=4)
    assert calls == ["seller"]  # one key, resolved once for both batches
    assert second.column("row").to_pylist() == [4, 5]
    assert first.column("total").to_pylist() == second.column("total").to_pylist()
    assert not any(math.isnan(t) for t in first.column("total").to_pylist())
