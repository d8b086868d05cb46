"""The numpy scoring path gives exactly the scalar engine's numbers.

Two levels: every method against :func:`ecomperf.scoring.methods.score_value` for random actuals, targets and
directions; and whole rows through :func:`ecomperf.batch.engine.score_many` (``detail=False``) against
:func:`ecomperf.scoring.card.score` one row at a time, including rows the fast path must hand back to the
scalar engine (missing, "n/a", text, shorthand).
"""

from __future__ import annotations

import math
import re
import sys
import textwrap
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ecomperf
from ecomperf.batch.engine import score_many
from ecomperf.batch.results import BatchResult
from ecomperf.batch.table import Table, is_empty
from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from ecomperf.model import (
    Band,
    BandsScoring,
    Grade,
    InterpolateScoring,
    LinearScoring,
    RangeScoring,
    ScoringMethod,
    ThresholdScoring,
    VetoScoring,
)
from ecomperf.model.metric import Direction
from ecomperf.scoring.methods import PRECISION, score_value
from ecomperf.scoring.vectorized import grade_index, met_array, score_array, sum_like_python, tidy_array
from ecomperf.targets import Target
from tests.methods_framework import METHODS_FRAMEWORK

DIRECTIONS: list[Direction] = ["higher", "lower", "range", "zero"]
OPERATORS = [">=", ">", "<=", "<", "=="]

numbers = st.one_of(
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False),
    st.floats(min_value=-2.0, max_value=2.0, allow_nan=False),
    st.sampled_from([0.0, -0.0, 0.05, 0.3, 1.0, 24.0, 100.0]),
)


@st.composite
def targets(draw: st.DrawFn) -> Target:
    if draw(st.booleans()):
        low, high = sorted((draw(numbers), draw(numbers)))
        return Target(op="range", low=low, high=high)
    return Target(op=draw(st.sampled_from(OPERATORS)), value=draw(numbers))


@st.composite
def methods(draw: st.DrawFn) -> ScoringMethod:
    kind = draw(st.sampled_from(["linear", "threshold", "bands", "interpolate", "range", "veto"]))
    if kind == "linear":
        floor = draw(st.sampled_from([0.0, 20.0, -10.0]))
        return LinearScoring(floor=floor, cap=draw(st.sampled_from([100.0, 120.0, 150.0])))
    if kind == "threshold":
        return ThresholdScoring()
    if kind == "bands":
        lows = sorted(draw(st.lists(st.floats(0.01, 3.0), min_size=0, max_size=3, unique=True)), reverse=True)
        bands = [Band(min_achievement=low, score=draw(st.floats(0, 150))) for low in [*lows, 0.0]]
        return BandsScoring(bands=bands)
    if kind == "interpolate":
        stretch = draw(st.one_of(st.none(), numbers))
        return InterpolateScoring(threshold=draw(numbers), stretch=stretch, cap=draw(st.sampled_from([100.0, 130.0])))
    if kind == "range":
        return RangeScoring(tolerance=draw(st.floats(0.01, 50.0)), floor=draw(st.sampled_from([0.0, 40.0])))
    return VetoScoring(effect=draw(st.sampled_from(["cap_grade", "zero_total"])))


@settings(max_examples=600, deadline=None)
@given(method=methods(), target=targets(), direction=st.sampled_from(DIRECTIONS),
       actuals=st.lists(numbers, min_size=1, max_size=12))
def test_every_method_scores_arrays_exactly_as_score_value(
    method: ScoringMethod, target: Target, direction: Direction, actuals: list[float]
) -> None:
    expected = [score_value(method, actual, target, direction) for actual in actuals]
    result = score_array(method, np.array(actuals), target, direction)
    assert result.score.tolist() == [e.score for e in expected]
    assert result.breached.tolist() == [e.breached for e in expected]


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize(
    "method",
    [LinearScoring(), ThresholdScoring(), BandsScoring(bands=[Band(min_achievement=1, score=100),
                                                              Band(min_achievement=0, score=10)]),
     InterpolateScoring(threshold=0.1, stretch=0.5), RangeScoring(tolerance=0.1), VetoScoring()],
    ids=lambda method: method.method,
)
def test_edge_actuals_score_alike(method: ScoringMethod, direction: Direction) -> None:
    # zero, negative, exactly on target, tiny and huge actuals against a target of 0.2 and one of 0
    actuals = [0.0, -0.0, -1.0, 0.2, 1e-300, 1e300, -1e300, 0.19999999999999998]
    for target in (Target(op=">=", value=0.2), Target(op="<=", value=0.0), Target(op="range", low=0.1, high=0.3)):
        expected = [score_value(method, a, target, direction).score for a in actuals]
        assert score_array(method, np.array(actuals), target, direction).score.tolist() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False), min_size=1, max_size=50))
def test_tidy_array_rounds_exactly_like_python_round(values: list[float]) -> None:
    assert tidy_array(np.array(values)).tolist() == [round(v, PRECISION) + 0.0 for v in values]


def test_tidy_array_gets_halfway_cases_right() -> None:
    # 2.675e-9 * 1e9 is 2.675 exactly in neither; values built to sit on or next to a tie
    values = [k / 2e9 for k in range(1, 2001)] + [0.5000000005, 110.00000000000001, 1 / 3]
    assert tidy_array(np.array(values)).tolist() == [round(v, PRECISION) + 0.0 for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=8))
def test_sum_like_python_matches_builtin_sum(terms: list[float]) -> None:
    arrays = [np.array([term]) for term in terms]
    assert sum_like_python(arrays)[0] == sum(terms)


def test_met_array_follows_target_is_met() -> None:
    actuals = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    for target in [Target(op=op, value=0.5) for op in OPERATORS] + [Target(op="range", low=0.0, high=1.0)]:
        assert met_array(target, actuals).tolist() == [target.is_met(a) for a in actuals.tolist()]


def test_grade_index_takes_the_highest_grade_reached() -> None:
    grades = [Grade(id="A", min=100, bonus=1.2), Grade(id="B", min=85, bonus=1), Grade(id="D", min=0, bonus=0)]
    # 100 is A exactly; 99.999999999 is B; a negative total falls to the last grade
    assert grade_index(grades, np.array([100.0, 99.999999999, 85.0, 0.0, -5.0])).tolist() == [0, 1, 1, 2, 2]


# --- whole rows ------------------------------------------------------------------------------------

METRIC_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "revenue": st.one_of(st.floats(5e5, 3e6), st.sampled_from([0, 1_000_000, "120万", -5.0])),
    "cost": st.one_of(st.floats(0, 2e6), st.sampled_from([0, 700_000])),
    "margin": st.one_of(st.none(), st.none(), st.floats(-0.5, 0.9), st.sampled_from(["30%", 0.3])),
    "hours": st.one_of(st.floats(-1, 60), st.sampled_from([0, 12, 24, 48, "24h"])),
    "share": st.one_of(st.floats(0, 0.6), st.sampled_from([0.2, 0.3, 0.1, 0.4])),
    "conversion": st.one_of(st.floats(0, 0.1), st.sampled_from([0.05, 0.04, 0.06, 0])),
    "growth": st.one_of(st.floats(-0.2, 0.6), st.sampled_from([0.05, 0.2, 0.4])),
    "refund_days": st.one_of(st.floats(0, 14), st.sampled_from([7, 7.0001])),
    "violations": st.sampled_from([0, 0, 0, 1, 2]),
    "complaints": st.sampled_from([0, 1, 2, 3, 5]),
}
ODD_CELLS = st.sampled_from([None, None, "", "n/a", "不适用", "abc", float("nan"), float("inf"), True, "1,200"])


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = {
        "employee": f"e{draw(st.integers(0, 9))}",
        "position": draw(st.sampled_from(["seller"] * 9 + ["sellerr"])),
        "stage": draw(st.sampled_from(["startup", "mature"] * 5 + ["growthh"])),
        "period": draw(st.sampled_from(["2026-10", "2026-11"] * 4 + ["2026-q4", "2026-13"])),
        "category": draw(st.sampled_from(["apparel", "electronics_3c", None] * 3 + ["toys"])),
    }
    for metric, values in METRIC_VALUES.items():
        row[metric] = draw(ODD_CELLS) if draw(st.integers(0, 29)) == 0 else draw(values)
    return row


def _scalar(fw: Framework, row: dict[str, Any], missing: str) -> tuple[str, Any]:
    """What scoring.score makes of one row: ("card", (total, grade, bonus, scores)) or ("error", reason).

    Blank cells (None, "", and the NaN pandas uses for a blank) are left out, as the batch reads them.
    """
    actuals = {k: v for k, v in row.items() if k in fw.metrics and not is_empty(v)}
    context = {"category": row["category"]} if row["category"] else None
    try:
        card = fw.score(row["position"], stage=row["stage"], period=row["period"], actuals=actuals,
                        context=context, missing=missing, employee=row["employee"])  # type: ignore[arg-type]
    except ScoringError:
        return "error", None
    return "card", (card.total, card.grade, card.bonus, {k.kpi: k.score for k in card.kpis}, tuple(card.veto_breaches))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=25), missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_fast_path_equals_scalar_score_row_by_row(
    methods_fw: Framework, batch: list[dict[str, Any]], missing: str
) -> None:
    # one row per employee: several rows for one employee and period are refused as duplicates, which
    # a single score call cannot see (tests/batch/test_duplicates.py covers them)
    batch = [{**row, "employee": f"e{number}"} for number, row in enumerate(batch)]
    result = score_many(methods_fw, batch, missing=missing, detail=False)  # type: ignore[arg-type]
    scored = {summary.row: summary for summary in result.rows}
    failed = {error.row: error for error in result.errors}
    for number, row in enumerate(batch, start=2):
        kind, expected = _scalar(methods_fw, row, missing)
        if kind == "error":
            assert number in failed and number not in scored, row
            continue
        summary = scored[number]
        total, grade, bonus, scores, veto = expected
        assert (summary.total, summary.grade, summary.bonus, summary.veto) == (total, grade, bonus, veto), row
        assert dict(summary.scores) == scores, row


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=25))
def test_text_columns_take_the_same_path_as_numbers(methods_fw: Framework, batch: list[dict[str, Any]]) -> None:
    # A CSV gives every cell as text; the whole-column conversion must agree with cell-by-cell parsing.
    columns = tuple(batch[0])
    cells = [["" if row[c] is None else repr(row[c]) if isinstance(row[c], float) else str(row[c]) for c in columns]
             for row in batch]
    text = Table(columns, list(cells), list(range(2, len(batch) + 2)), text_cells=True)
    fast = score_many(methods_fw, text, missing="renormalize", detail=False)
    slow = score_many(methods_fw, Table(columns, list(cells), list(range(2, len(batch) + 2))),
                      missing="renormalize", detail=True)
    assert fast.rows == slow.rows
    assert fast.errors == slow.errors


def test_detail_and_fast_paths_report_identical_errors(methods_fw: Framework) -> None:
    batch = [
        {"employee": "a", "position": "seller", "stage": "mature", "period": "2026-10", "revenue": 1e6, "hours": 10,
         "violations": 0},
        {"employee": "b", "position": "seller", "stage": "mature", "period": "2026-10", "revenue": "lots",
         "hours": 10, "violations": 0},
        {"employee": "c", "position": "seller", "stage": "mature", "period": "2026-10", "hours": 10, "violations": 0},
        {"employee": "d", "position": "seller", "stage": "mature", "period": "2026-10", "revenue": "n/a",
         "hours": "n/a", "violations": 0},
    ]
    fast, detail = (score_many(methods_fw, batch, detail=flag) for flag in (False, True))
    assert fast.errors == detail.errors
    assert [e.row for e in fast.errors] == [3, 4, 5]
    assert "nothing left to score" in fast.errors[2].reason


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12+ sums floats with compensation")
def test_left_to_right_sum_on_311() -> None:
    # 0.1 + 0.2 + 0.3 in this order is 0.6000000000000001, which is what sum() gives on 3.11
    assert sum_like_python([np.array([0.1]), np.array([0.2]), np.array([0.3])])[0] == 0.6000000000000001


def test_nan_never_leaks_into_scores(methods_fw: Framework) -> None:
    row = {"employee": "a", "position": "seller", "stage": "mature", "period": "2026-10", "revenue": 2e6,
           "hours": 12, "violations": 0}
    summary = score_many(methods_fw, [row], detail=False).rows[0]
    assert all(not math.isnan(value) for value in summary.scores.values())
    # revenue 2e6 against >= 200万 scores 100; hours 12 against <= 12h (interpolate) scores 100
    assert summary.total == 100.0


def test_clean_rows_never_reach_the_scalar_engine(methods_fw: Framework, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scalar engine was called for a clean row")

    monkeypatch.setattr("ecomperf.batch.engine.score_card", refuse)
    batch = [
        {"employee": f"e{i}", "position": "seller", "stage": stage, "period": period, "category": category,
         "revenue": 1.5e6 + i, "cost": 1e6, "hours": 20 - i, "share": 0.25, "conversion": 0.045, "growth": 0.3,
         "refund_days": 7, "violations": i % 2, "complaints": i % 4}
        for i, (stage, period, category) in enumerate(
            [("startup", "2026-10", "apparel"), ("startup", "2026-11", None), ("mature", "2026-11", "electronics_3c"),
             ("mature", "2026-10", "apparel"), ("startup", "2026-Q4", None)]
        )
    ]
    result = score_many(methods_fw, batch, detail=False)
    assert not result.errors
    assert len(result.rows) == 5


def test_bundled_framework_fast_path_equals_scalar() -> None:
    # Every position and stage of frameworks/ecommerce-ops, with events (November), quarters, context
    # variants, formula metrics given or computed, and a few "n/a" cells; 400 rows of random numbers.
    import random

    import ecomperf
    from tests.conftest import REPO

    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    batch = _random_bundled_rows(fw, random.Random(20261111), 400)
    fast = score_many(fw, batch, missing="renormalize", detail=False)
    scalar = score_many(fw, batch, missing="renormalize", detail=True)
    assert fast.errors == scalar.errors
    assert fast.rows == scalar.rows
    assert len(fast.rows) > 300


# --- conditional formulas: the array engine takes the rows the scalar engine computes ---------------

CONDITIONAL_FRAMEWORK = {
    "framework.yaml": """\
        apiVersion: ecomperf/v1
        kind: Framework
        id: conditional-test
        name: {zh: 条件公式测试, en: Conditional formula test}
        locales: [zh, en]
        stages:
          - {id: startup, name: {zh: 初创期, en: Startup}}
        grades:
          - {id: A, min: 100, bonus: 1.2}
          - {id: B, min: 60, bonus: 1.0}
          - {id: D, min: 0, bonus: 0}
        """,
    "metrics.yaml": "\n---\n".join(
        f"""\
        apiVersion: ecomperf/v1
        kind: Metric
        id: {metric}
        name: {{zh: {metric}, en: {metric}}}
        unit: {unit}
        cycle: monthly
        source: {{zh: 后台, en: Back office}}{formula}
        """
        for metric, unit, formula in [
            ("revenue", "currency", ""),
            ("cost", "currency", ""),
            ("orders", "count", ""),
            ("visitors", "count", ""),
            ("conversion", "percent", "\n        formula: orders / visitors"),
            ("safe_conversion", "percent", "\n        formula: if(visitors > 0, conversion, 0)"),
            ("margin_bonus", "currency",
             "\n        formula: if(revenue > 1000000 and (revenue - cost) / revenue >= 0.3,"
             " (revenue - 1000000) * 0.02, 0)"),
            ("healthy", "ratio", "\n        formula: if(0 <= cost / revenue < 0.7 or not orders > 10, 1, 0)"),
        ]
    ),
    "positions.yaml": """\
        apiVersion: ecomperf/v1
        kind: Position
        id: seller
        name: {zh: 销售, en: Seller}
        scorecard:
          stages:
            startup:
              - {kpi: safe_conversion, weight: 40, target: ">= 3%"}
              - {kpi: margin_bonus, weight: 30, target: ">= 10000"}
              - {kpi: healthy, weight: 30, target: ">= 1", scoring: threshold}
        """,
}


@pytest.fixture(scope="module")
def conditional_fw(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """A card whose KPIs are all conditional formulas, one of them guarding another formula's division."""
    root = tmp_path_factory.mktemp("conditional-fw")
    for name, text in CONDITIONAL_FRAMEWORK.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return ecomperf.load(root)


CONDITIONAL_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "revenue": st.one_of(st.floats(0, 3e6), st.sampled_from([0, 1_000_000, 1_500_000])),
    "cost": st.one_of(st.floats(0, 3e6), st.sampled_from([0, 450_000, 1_050_000])),
    "orders": st.sampled_from([0, 3, 10, 11, 40]),
    "visitors": st.sampled_from([0, 0, 100, 1000]),
}


@st.composite
def conditional_rows(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = {"employee": f"e{draw(st.integers(0, 9))}", "position": "seller", "stage": "startup",
                           "period": "2026-10", "category": None}
    for metric, values in CONDITIONAL_VALUES.items():
        row[metric] = draw(st.sampled_from([None, "n/a"])) if draw(st.integers(0, 9)) == 0 else draw(values)
    return row


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(conditional_rows(), min_size=1, max_size=20),
       missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_conditional_formulas_score_alike_in_both_engines(
    conditional_fw: Framework, batch: list[dict[str, Any]], missing: str
) -> None:
    batch = [{**row, "employee": f"e{number}"} for number, row in enumerate(batch)]  # no duplicate rows
    result = score_many(conditional_fw, batch, missing=missing, detail=False)  # type: ignore[arg-type]
    scored = {summary.row: summary for summary in result.rows}
    failed = {error.row for error in result.errors}
    for number, row in enumerate(batch, start=2):
        kind, expected = _scalar(conditional_fw, row, missing)
        if kind == "error":
            assert number in failed and number not in scored, row
            continue
        total, grade, bonus, scores, veto = expected
        summary = scored[number]
        assert (summary.total, summary.grade, summary.bonus, summary.veto) == (total, grade, bonus, veto), row
        assert dict(summary.scores) == scores, row


def test_a_guarded_division_by_zero_stays_on_the_array_path(
    conditional_fw: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scalar engine was called for a row the arrays can score")

    monkeypatch.setattr("ecomperf.batch.engine.score_card", refuse)
    row = {"employee": "e1", "position": "seller", "stage": "startup", "period": "2026-10",
           "revenue": 1_500_000, "cost": 900_000, "orders": 0, "visitors": 0}
    summary = score_many(conditional_fw, [row], detail=False).rows[0]
    # safe_conversion: no visitors -> 0 (0 / 0 is never computed) -> 0 points;
    # margin_bonus: 1.5M > 1M and (1.5M - 0.9M) / 1.5M = 0.4 >= 0.3 -> (1.5M - 1M) x 2% = 10,000 -> 100 points;
    # healthy: 0.9M / 1.5M = 0.6 < 0.7 -> 1 -> meets >= 1 -> 100 points;
    # total (40 x 0 + 30 x 100 + 30 x 100) / 100 = 60 -> B
    assert dict(summary.scores) == {"safe_conversion": 0.0, "margin_bonus": 100.0, "healthy": 100.0}
    assert (summary.total, summary.grade) == (60.0, "B")


# --- relative weights: tripled relative weights score exactly as the points they normalise to -------


@pytest.fixture(scope="module")
def relative_methods_fw(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """The one-KPI-per-method framework with every weight tripled and declared relative."""

    def triple(text: str) -> str:
        return re.sub(r"(weight: |revenue: |hours: )(\d+)", lambda m: f"{m[1]}{int(m[2]) * 3}", text)

    files = dict(METHODS_FRAMEWORK)
    files["positions.yaml"] = triple(files["positions.yaml"]).replace(
        "        scorecard:\n", "        scorecard:\n          weights: relative\n")
    files["events.yaml"] = triple(files["events.yaml"])
    root = tmp_path_factory.mktemp("relative-methods-fw")
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return ecomperf.load(root)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=20))
def test_relative_weights_score_as_the_points_they_scale_to_in_both_engines(
    methods_fw: Framework, relative_methods_fw: Framework, batch: list[dict[str, Any]]
) -> None:
    # 20/15/15/10/10/15/15 tripled is 60/45/…, of 300: w x 100 / 300 gives back exactly 20, 15, …
    points = score_many(methods_fw, batch, missing="renormalize", detail=False)
    fast = score_many(relative_methods_fw, batch, missing="renormalize", detail=False)
    scalar = score_many(relative_methods_fw, batch, missing="renormalize", detail=True)
    assert fast.rows == scalar.rows == points.rows
    assert fast.errors == scalar.errors


# --- raters, sections and per-metric missing rules: both engines alike ------------------------------

EXPRESS_FRAMEWORK = {
    "framework.yaml": """\
        apiVersion: ecomperf/v1
        kind: Framework
        id: express-test
        name: {zh: 表达力测试, en: Expressiveness test}
        locales: [zh, en]
        stages:
          - {id: startup, name: {zh: 初创期, en: Startup}}
        grades:
          - {id: A, min: 100, bonus: 1.2}
          - {id: B, min: 70, bonus: 1.0}
          - {id: D, min: 0, bonus: 0}
        rules:
          veto_caps_grade_at: B
          display_scale: {out_of: 5, decimals: 3}
        """,
    "metrics.yaml": "\n---\n".join(
        f"""\
        apiVersion: ecomperf/v1
        kind: Metric
        id: {metric}
        name: {{zh: {metric}, en: {metric}}}
        unit: {unit}
        cycle: monthly
        source: {{zh: 后台, en: Back office}}{extra}
        """
        for metric, unit, extra in [
            ("gmv", "currency", ""),
            ("orders", "count", ""),
            ("visitors", "count", ""),
            ("conversion", "percent", "\n        formula: if(visitors > 0, orders / visitors, 0)"),
            ("violations", "count", "\n        direction: zero"),
            ("survey", "score", "\n        missing: zero"),
            ("teamwork", "score", "\n        raters: {roles: [self, manager, peer]}"),
            ("quality", "score", "\n        raters: {combine: weighted, of: scores, roles: [{id: self, weight: 1},"
                                 " {id: manager, weight: 3}]}"),
            ("service", "score", "\n        missing: renormalize\n        raters: {combine: trimmed_mean, trim: 25%,"
                                 " roles: [peer, customer]}"),
        ]
    ),
    "positions.yaml": """\
        apiVersion: ecomperf/v1
        kind: Position
        id: seller
        name: {zh: 销售, en: Seller}
        scorecard:
          sections:
            - {id: results, name: {zh: 业绩, en: Results}, weight: 60}
            - {id: behaviour, name: {zh: 行为, en: Behaviour}, weight: 40}
          stages:
            startup:
              - {kpi: gmv, section: results, weight: 70, target: ">= 100万"}
              - {kpi: conversion, section: results, weight: 30, target: ">= 3%"}
              - {kpi: teamwork, section: behaviour, weight: 40, target: ">= 4", scoring: {method: linear, cap: 125}}
              - {kpi: quality, section: behaviour, weight: 30, target: ">= 4", scoring: threshold}
              - {kpi: service, section: behaviour, weight: 20, target: ">= 4",
                 scoring: {method: interpolate, threshold: 2, stretch: 5, cap: 120}}
              - {kpi: survey, section: behaviour, weight: 10, target: ">= 4", missing: renormalize}
              - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
        ---
        apiVersion: ecomperf/v1
        kind: Position
        id: buyer
        name: {zh: 采购, en: Buyer}
        scorecard:
          weights: relative
          sections:
            - {id: results, name: {zh: 业绩, en: Results}}
            - {id: behaviour, name: {zh: 行为, en: Behaviour}}
          stages:
            startup:
              - {kpi: gmv, section: results, weight: 3, target: ">= 80万"}
              - {kpi: teamwork, section: behaviour, weight: 1, target: ">= 3.5"}
              - {kpi: survey, section: behaviour, weight: 2, target: ">= 4"}
        """,
}


@pytest.fixture(scope="module")
def express_fw(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """Raters combined three ways (before and after scoring), weighted and plain sections, per-metric rules."""
    root = tmp_path_factory.mktemp("express-fw")
    for name, text in EXPRESS_FRAMEWORK.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return ecomperf.load(root)


RATINGS = st.one_of(st.floats(0, 5), st.sampled_from([1, 2, 3, 3.5, 4, 4.5, 5]))
EXPRESS_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "gmv": st.one_of(st.floats(0, 2e6), st.sampled_from([1_000_000, "120万"])),
    "orders": st.sampled_from([0, 10, 30]),
    "visitors": st.sampled_from([0, 500, 1000]),
    "violations": st.sampled_from([0, 0, 0, 1]),
    "survey": RATINGS,
    **dict.fromkeys(["teamwork@self", "teamwork@manager", "teamwork@peer:a", "teamwork@peer:b", "quality@self",
                     "quality@manager", "service@peer:a", "service@peer:b", "service@peer:c", "service@customer"],
                    RATINGS),
}


@st.composite
def express_rows(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = {"employee": f"e{draw(st.integers(0, 9))}", "position": draw(st.sampled_from(
        ["seller", "seller", "buyer"])), "stage": "startup", "period": "2026-10"}
    gaps = draw(st.sampled_from([0, 0, 8, 40]))  # a third of the rows complete: those take the array path
    for column, values in EXPRESS_VALUES.items():
        roll = draw(st.integers(0, 399))
        row[column] = None if roll < gaps else "n/a" if roll < gaps * 1.25 else draw(values)
    return row


def _express_scalar(fw: Framework, row: dict[str, Any], missing: str) -> tuple[Any, ...] | None:
    """What Framework.score makes of one row: its numbers, or None when it refuses the row."""
    actuals = {k: v for k, v in row.items() if k not in ("employee", "position", "stage", "period") and not is_empty(v)}
    try:
        card = fw.score(row["position"], stage=row["stage"], period=row["period"], actuals=actuals,
                        missing=missing, employee=row["employee"])  # type: ignore[arg-type]
    except ScoringError:
        return None
    return (card.total, card.grade, card.bonus, {k.kpi: k.score for k in card.kpis}, tuple(card.veto_breaches),
            {s.section: s.subtotal for s in card.sections}, card.shown_total)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(express_rows(), min_size=1, max_size=20),
       missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_raters_sections_and_missing_rules_score_alike_in_both_engines(
    express_fw: Framework, batch: list[dict[str, Any]], missing: str
) -> None:
    batch = [{**row, "employee": f"e{number}"} for number, row in enumerate(batch)]  # no duplicate rows
    fast = score_many(express_fw, batch, missing=missing, detail=False)  # type: ignore[arg-type]
    slow = score_many(express_fw, batch, missing=missing, detail=True)  # type: ignore[arg-type]
    assert fast.rows == slow.rows
    assert fast.errors == slow.errors
    assert fast.shown_totals() == slow.shown_totals()
    scored = {summary.row: summary for summary in fast.rows}
    shown = dict(zip([s.row for s in fast.rows], fast.shown_totals() or [], strict=True))
    for number, row in enumerate(batch, start=2):
        expected = _express_scalar(express_fw, row, missing)
        if expected is None:
            assert number not in scored, row
            continue
        summary = scored[number]
        total, grade, bonus, scores, veto, subtotals, shown_total = expected
        assert (summary.total, summary.grade, summary.bonus, summary.veto) == (total, grade, bonus, veto), row
        assert dict(summary.scores) == scores, row
        assert dict(summary.subtotals) == subtotals, row
        assert shown[number] == shown_total, row


def test_complete_ratings_stay_on_the_array_path(express_fw: Framework, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the scalar engine was called for a row the arrays can score")

    monkeypatch.setattr("ecomperf.batch.engine.score_card", refuse)
    row = {"employee": "e1", "position": "seller", "stage": "startup", "period": "2026-10", "gmv": 1_000_000,
           "orders": 30, "visitors": 1000, "violations": 0, "survey": 4,
           "teamwork@self": 4, "teamwork@manager": 3, "teamwork@peer:a": 5, "teamwork@peer:b": 4,
           "quality@self": 5, "quality@manager": 3,
           "service@peer:a": 1, "service@peer:b": 4, "service@peer:c": 5, "service@customer": 4}
    summary = score_many(express_fw, [row], detail=False).rows[0]
    # gmv 100; conversion 30/1000 = 3% -> 100; results 100
    # teamwork (4 + 3 + 5 + 4) / 4 = 4 -> 100; quality after scoring: self 5 -> 100, manager 3 -> 0,
    # (1*100 + 3*0) / 4 = 25; service: 1, 4, 4, 5 sorted, floor(0.25*4) = 1 cut from each end -> (4 + 4) / 2 = 4
    # -> 100; survey 4 -> 100; behaviour (40*100 + 30*25 + 20*100 + 10*100) / 100 = 77.5
    # total 0.6*100 + 0.4*77.5 = 91
    assert dict(summary.scores) == {"gmv": 100.0, "conversion": 100.0, "teamwork": 100.0, "quality": 25.0,
                                    "service": 100.0, "survey": 100.0, "violations": 100.0}
    assert dict(summary.subtotals) == {"results": 100.0, "behaviour": 77.5}
    assert summary.total == 91.0


# --- detail columns: what each KpiScore of a card shows, from the array engine ------------------------


def _nan_as_none(value: float) -> float | None:
    return None if math.isnan(value) else value


def _assert_details_are_the_cards(fast: BatchResult, slow: BatchResult) -> None:
    """Every detail column of the fast result (no cards) equals the KpiScore values of the detail=True cards;
    a KPI not on a row's card is NaN (target code -1) there."""
    assert not fast.cards and len(slow.cards) == len(fast.rows)
    assert list(fast.details) == fast.kpi_ids
    for position, card in enumerate(slow.cards):
        on_card = {kpi.kpi: kpi for kpi in card.kpis}
        for kpi_id, detail in fast.details.items():
            kpi = on_card.get(kpi_id)
            shown = (_nan_as_none(float(detail.actual[position])), detail.targets()[position],
                     _nan_as_none(float(detail.achievement[position])), _nan_as_none(float(detail.score[position])),
                     _nan_as_none(float(detail.weight[position])), _nan_as_none(float(detail.weighted[position])))
            if kpi is None:
                assert shown == (None,) * 6, (card.employee, kpi_id)
                continue
            assert kpi.target is not None
            assert shown == (kpi.actual, kpi.target.text, kpi.achievement, kpi.score, kpi.weight,
                             kpi.weighted_score), (card.employee, kpi_id)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(rows(), min_size=1, max_size=25), missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_detail_columns_equal_the_cards_of_every_method(
    methods_fw: Framework, batch: list[dict[str, Any]], missing: str
) -> None:
    # every method and direction, shorthand and odd cells (those rows go to the scalar engine, which
    # fills their detail from its card), variants by category
    batch = [{**row, "employee": f"e{number}"} for number, row in enumerate(batch)]
    fast = score_many(methods_fw, batch, missing=missing, detail=False)  # type: ignore[arg-type]
    slow = score_many(methods_fw, batch, missing=missing, detail=True)  # type: ignore[arg-type]
    _assert_details_are_the_cards(fast, slow)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(express_rows(), min_size=1, max_size=20),
       missing=st.sampled_from(["error", "renormalize", "zero"]))
def test_detail_columns_equal_the_cards_with_raters_and_sections(
    express_fw: Framework, batch: list[dict[str, Any]], missing: str
) -> None:
    # raters (a combined rating is the actual; combined scores have no achievement), weighted sections
    # (a KPI dropped under renormalize lends its weight to the rest of its section: weight differs)
    batch = [{**row, "employee": f"e{number}"} for number, row in enumerate(batch)]
    fast = score_many(express_fw, batch, missing=missing, detail=False)  # type: ignore[arg-type]
    slow = score_many(express_fw, batch, missing=missing, detail=True)  # type: ignore[arg-type]
    _assert_details_are_the_cards(fast, slow)


def test_detail_columns_of_one_row_by_hand(mini: Framework) -> None:
    # li: gmv 220万 against >= 200万: achievement 1.1, score 110, weighted 60 · 110 / 100 = 66;
    # gross margin (100 - 62) / 100 = 0.38 computed, against >= 40%: 0.95, 95, 40 · 95 / 100 = 38
    rows = [{"employee": "li", "position": "store_manager", "stage": "startup", "period": "2026-10",
             "gmv": "220万", "sales_revenue": 100, "cost": 62, "violations": 0}]
    result = score_many(mini, rows)
    columns = result.columns()
    assert (columns["gmv_actual"], columns["gmv_target"], columns["gmv_achievement"], columns["gmv_score"],
            columns["gmv_weighted"]) == ([2_200_000.0], [">= 200万"], [1.1], [110.0], [66.0])
    assert (columns["gross_margin_actual"], columns["gross_margin_achievement"],
            columns["gross_margin_weighted"]) == ([0.38], [0.95], [38.0])
    assert math.isnan(result.details["violations"].achievement[0])  # a zero metric has no achievement
    assert columns["violations_achievement"] == [None]
    assert result.to_arrow().column("gmv_target").to_pylist() == [">= 200万"]
    assert "gmv_actual" not in result.to_arrow(detail=False).column_names


def test_bundled_framework_detail_columns_equal_the_cards() -> None:
    # events (November), quarters, context variants and formula metrics, given or computed
    import random

    from tests.conftest import REPO

    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    batch = _random_bundled_rows(fw, random.Random(20261212), 150)
    fast = score_many(fw, batch, missing="renormalize", detail=False)
    slow = score_many(fw, batch, missing="renormalize", detail=True)
    assert len(fast.rows) > 100
    _assert_details_are_the_cards(fast, slow)


def _random_bundled_rows(fw: Any, rng: Any, count: int) -> list[dict[str, Any]]:
    """``count`` rows of random numbers for every position and stage of a bundled framework: context values
    on 70% of rows, formula metrics given on 30%, a few "n/a" percents, quarters and event months."""
    contexts = {dimension: spec.value_ids for dimension, spec in fw.spec.contexts.items()}
    batch: list[dict[str, Any]] = []
    for number in range(count):
        position = rng.choice([p for p in fw.positions.values() if p.scorecard is not None])
        assert position.scorecard is not None
        row: dict[str, Any] = {"employee": f"e{number}", "position": position.id,
                               "stage": rng.choice(list(position.scorecard.stages)),
                               "period": rng.choice(["2026-10", "2026-11", "2026-06", "2026-Q4"])}
        row.update({d: rng.choice(values) for d, values in contexts.items() if rng.random() < 0.7})
        for metric in fw.metrics.values():
            if metric.formula is not None and rng.random() < 0.7:
                continue
            if metric.direction == "zero":
                row[metric.id] = rng.choice([0, 0, 0, 1])
            elif metric.unit in ("percent", "ratio"):
                row[metric.id] = rng.choice([round(rng.uniform(0, 1), 4)] * 30 + ["n/a"])
            else:
                row[metric.id] = round(rng.uniform(0, 1e4 if metric.unit != "currency" else 1e7), 2)
        batch.append(row)
    return batch
