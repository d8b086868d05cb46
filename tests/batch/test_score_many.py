"""``Framework.score_many``: every row scored or reported with its row number, never dropped."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ecomperf
from ecomperf.batch.engine import score_many
from ecomperf.batch.results import BatchResult, RowError
from ecomperf.batch.table import ActualsRow, Table
from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from tests.conftest import REPO


def row(employee: str, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"employee": employee, "position": "service_agent", "stage": "startup",
                            "period": "2026-10"}
    return {**base, **values}


@pytest.mark.parametrize("detail", [True, False])
def test_a_bad_row_in_the_middle_is_reported_and_the_others_scored(mini: Framework, detail: bool) -> None:
    rows = [
        row("li", inquiry_response_hours=20),  # 100 · 24 / 20 = 120 -> A
        row("wang", inquiry_response_hours="soon"),
        row("zhao", inquiry_response_hours=30),  # 100 · 24 / 30 = 80 -> C
    ]
    result = mini.score_many(rows, detail=detail)
    assert [(r.row, r.employee, r.total, r.grade) for r in result.rows] == [(2, "li", 120.0, "A"),
                                                                             (4, "zhao", 80.0, "C")]
    assert [(e.row, e.employee) for e in result.errors] == [(3, "wang")]
    assert "actual for 'inquiry_response_hours' is 'soon'" in result.errors[0].reason
    assert len(result.cards) == (2 if detail else 0)
    assert not result.ok


def test_cards_and_rows_are_in_input_order(mini: Framework) -> None:
    rows = [row("a", inquiry_response_hours=20),
            row("b", position="store_manager", gmv=2e6, gross_margin=0.4, violations=0),
            row("c", inquiry_response_hours=24)]
    result = mini.score_many(rows, detail=True)
    assert [card.employee for card in result.cards] == ["a", "b", "c"]
    assert [summary.employee for summary in result.rows] == ["a", "b", "c"]
    assert result.kpi_ids == ["inquiry_response_hours", "gmv", "gross_margin", "violations"]


def test_on_card_receives_each_card_in_input_order_and_none_is_kept(mini: Framework) -> None:
    rows = [row("a", inquiry_response_hours=20),
            row("b", inquiry_response_hours="soon"),
            row("c", position="store_manager", gmv=2e6, gross_margin=0.4, violations=0),
            row("a", inquiry_response_hours=24, period="2026-11")]
    handed: list[Any] = []
    streamed = mini.score_many(rows, detail=True, on_card=handed.append)
    kept = mini.score_many(rows, detail=True)
    assert streamed.cards == [] and handed == kept.cards  # the same cards, in the same order
    assert [card.employee for card in handed] == ["a", "c", "a"]
    assert streamed.rows == kept.rows and streamed.errors == kept.errors


def test_on_card_without_detail_is_a_mistake_of_the_caller(mini: Framework) -> None:
    with pytest.raises(ScoringError, match="pass detail=True"):
        mini.score_many([row("a", inquiry_response_hours=20)], on_card=print)


def test_rows_missing_fields_are_errors_naming_the_field(mini: Framework) -> None:
    rows = [
        {"position": "service_agent", "stage": "startup", "period": "2026-10", "inquiry_response_hours": 1},
        row("b", position=" "),
        row("c", stage=None),
        row("d", period=""),
        row("e", period="2026-13"),
    ]
    reasons = [error.reason for error in mini.score_many(rows).errors]
    assert reasons[0] == "no employee: the employee cell is empty"
    assert reasons[1] == "no position: the position cell is empty"
    assert reasons[2].startswith("no stage: fill the stage column or give a default stage")
    assert reasons[3].startswith("no period: fill the period column or give a default period")
    assert reasons[4].startswith("cannot score period '2026-13'")


def test_stage_and_period_arguments_fill_rows_lacking_them(mini: Framework) -> None:
    rows = [{"employee": "li", "position": "service_agent", "inquiry_response_hours": 12},
            {"employee": "wang", "position": "service_agent", "stage": "startup", "period": "2026-09",
             "inquiry_response_hours": 12}]
    result = mini.score_many(rows, stage="mature", period="2026-Q4")
    # mature target <= 12h: 100; startup target <= 24h: 100 · 24 / 12 = 200 -> capped at 120
    assert [(r.stage, r.period, r.total) for r in result.rows] == [("mature", "2026-Q4", 100.0),
                                                                   ("startup", "2026-09", 120.0)]


def test_unknown_columns_are_warned_about_with_suggestions(mini: Framework) -> None:
    result = mini.score_many([row("li", inquiry_response_hours=20, GMV=5, department="ops")])
    assert result.warnings == [
        "ignored 2 column(s) that are neither a field (employee, position, stage, period), a context dimension "
        "nor a metric of mini-shop: GMV (did you mean gmv?), department"
    ]
    assert len(result.rows) == 1


def test_unknown_position_and_stage_get_suggestions(mini: Framework) -> None:
    result = mini.score_many([row("li", position="service_agnet"), row("wang", stage="matrue")])
    assert result.errors == [
        RowError(2, "li", "unknown position 'service_agnet'; did you mean 'service_agent'?"),
        RowError(3, "wang", "unknown stage 'matrue'; did you mean 'mature'?"),
    ]


@pytest.mark.parametrize("detail", [True, False])
def test_missing_policies(mini: Framework, detail: bool) -> None:
    rows = [row("li", position="store_manager", gmv=2.2e6, violations=0)]
    with_error = mini.score_many(rows, detail=detail)
    renormalised = mini.score_many(rows, missing="renormalize", detail=detail)
    zeroed = mini.score_many(rows, missing="zero", detail=detail)
    assert "gross_margin" in with_error.errors[0].reason
    # renormalise: only gmv counts, 110; zero: 0.6 · 110 + 0.4 · 0 = 66
    assert renormalised.rows[0].total == 110.0
    assert renormalised.rows[0].scores == {"gmv": 110.0, "violations": 100.0}
    assert (zeroed.rows[0].total, zeroed.rows[0].grade) == (66.0, "D")


def test_not_applicable_drops_the_kpi(mini: Framework) -> None:
    rows = [row("li", position="store_manager", gmv=2.2e6, gross_margin="n/a", violations=0)]
    for detail in (True, False):
        assert mini.score_many(rows, detail=detail).rows[0].scores == {"gmv": 110.0, "violations": 100.0}


def test_a_bad_policy_is_the_callers_mistake(mini: Framework) -> None:
    with pytest.raises(ScoringError, match=r"missing='renormalise' is not a policy.*did you mean 'renormalize'"):
        mini.score_many([], missing="renormalise")  # type: ignore[arg-type]


def test_blank_rows_are_skipped_not_reported(mini: Framework) -> None:
    table = Table(("employee", "position", "stage", "period", "inquiry_response_hours"),
                  [["li", "service_agent", "startup", "2026-10", "20"], ["", " ", "", "", ""],
                   ["wang", "service_agent", "startup", "2026-10", "24"]],
                  [2, 3, 4], text_cells=True)
    result = score_many(mini, table, detail=False)
    assert [r.row for r in result.rows] == [2, 4]
    assert result.errors == []


def test_actuals_rows_keep_their_row_numbers(mini: Framework) -> None:
    rows = [ActualsRow(row("li", inquiry_response_hours="x"), row=17)]
    assert mini.score_many(rows).errors[0].row == 17


def test_context_columns_choose_target_variants(mini: Framework) -> None:
    base = {"position": "store_manager", "stage": "mature", "period": "2026-10", "gmv": 5e6, "gross_margin": 0.4,
            "inventory_turnover": 6, "violations": 0}
    result = mini.score_many([{"employee": "a", "category": "apparel", **base},
                              {"employee": "b", "category": "electronics_3c", **base},
                              {"employee": "c", "category": "toys", **base}], detail=False)
    # turnover 6 against >= 4 is 150, capped at 120: 0.4·100 + 0.4·100 + 0.2·120 = 104; against >= 6: 100
    assert [(r.employee, r.total, dict(r.context)) for r in result.rows] == [
        ("a", 104.0, {"category": "apparel"}), ("b", 100.0, {"category": "electronics_3c"})]
    assert result.errors[0].reason.startswith("the context does not fit the framework: unknown category 'toys'")


def test_events_apply_by_period(mini: Framework) -> None:
    base = {"position": "store_manager", "stage": "mature", "gmv": 1e7, "gross_margin": 0.4,
            "inventory_turnover": 4, "violations": 0}
    result = mini.score_many([{"employee": "a", "period": "2026-10", **base},
                              {"employee": "a", "period": "2026-11", **base}], detail=False)
    # October: gmv 1000万 / 500万 -> 120 (cap): 0.4·120 + 0.4·100 + 0.2·100 = 108
    # November (double 11, gmv target 1000万, weights 60/30/10): 100
    assert [r.total for r in result.rows] == [108.0, 100.0]


def test_excel_dates_in_the_period_column_are_months(mini: Framework) -> None:
    rows = [row("li", period=dt.datetime(2026, 10, 1), inquiry_response_hours=24),
            row("wang", period=dt.date(2026, 10, 15), inquiry_response_hours=24)]
    result = mini.score_many(rows)
    assert [r.period for r in result.rows] == ["2026-10"]
    assert result.errors[0].reason.startswith("bad period: 2026-10-15 is a date")


def test_progress_adds_up_to_the_rows(mini: Framework) -> None:
    seen: list[int] = []
    rows = [row(f"e{i}", inquiry_response_hours=20 if i % 7 else "x") for i in range(1200)]
    rows.append({"employee": "", "position": ""})
    score_many(mini, rows, detail=False, progress=seen.append)
    assert sum(seen) == 1201


def test_lazily_built_rows_match_the_columns(mini: Framework) -> None:
    result = mini.score_many([row("li", inquiry_response_hours=20), row("wang", inquiry_response_hours=30)],
                             detail=False)
    summaries = result.summaries
    assert len(summaries) == 2
    assert (summaries.totals, summaries.grades, summaries.scores) == (
        [120.0, 80.0], ["A", "C"], {"inquiry_response_hours": [120.0, 80.0]})
    assert result.rows[1] == summaries[1]


def test_nan_cells_count_as_blank_like_pandas_means_them(mini: Framework) -> None:
    # df.to_dict("records") gives NaN for every blank cell, here an unused metric column
    rows = [{"employee": "li", "position": "service_agent", "stage": "startup", "period": "2026-10",
             "inquiry_response_hours": 12, "gmv": float("nan")}]
    result = mini.score_many(rows)
    assert result.errors == [] and result.rows[0].total == 120  # 100 · 24 / 12 = 200, capped at 120


def test_both_engines_give_each_row_its_card_warnings(mini: Framework) -> None:
    # issue 10, item 6: the warnings of a card reach every output, from either engine
    base = {"position": "store_manager", "period": "2026-10", "gmv": "600万", "sales_revenue": 100, "cost": 60,
            "inventory_turnover": 5, "violations": 0}
    rows = [{"employee": "li", "stage": "startup", **base, "gross_margin": 38},  # a whole-number percent
            {"employee": "wang", "stage": "mature", **base},  # no category: the variant's default target applies
            {"employee": "zhao", "stage": "mature", "category": "apparel", **base}]
    fast, detailed = mini.score_many(rows, detail=False), mini.score_many(rows, detail=True)
    expected = [
        ("li", ('gross_margin actual 38 means 3800%; percent actuals are fractions: did you mean 0.38 ("38%")?',)),
        ("wang", ("no 'category' in the context, so the default target applies to inventory_turnover (target "
                  "variants depend on category)",)),
        ("zhao", ()),
    ]
    assert [(r.employee, r.warnings) for r in fast.rows] == expected
    assert [(r.employee, r.warnings) for r in detailed.rows] == expected
    assert [tuple(card.warnings) for card in detailed.cards] == [warnings for _, warnings in expected]
    assert fast.warning_count == detailed.warning_count == 2


# --- issue 12, item 10: NaN in a row is an empty cell (as pandas writes one); infinity is refused ---------


def test_nan_in_a_row_is_an_empty_cell_and_infinity_is_refused() -> None:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    row = {"employee": "chen_jing", "position": "customer_service_agent", "stage": "startup", "period": "2026-10",
           "category": "apparel", "inquiry_response_time": 18, "customer_satisfaction": math.nan}
    strict = fw.score_many([row])
    # NaN reads as a missing actual: under missing="error" the row is reported, naming the metric
    assert strict.rows == [] and "customer_satisfaction" in strict.errors[0].reason
    assert "no actual for 2026-10" in strict.errors[0].reason
    renormalized = fw.score_many([row], missing="renormalize", detail=True)
    card = renormalized.cards[0]
    assert [(d.kpi, d.reason) for d in card.dropped] == [("customer_satisfaction", "missing")]
    assert not math.isnan(card.total)  # never a number: it cannot poison the total
    infinite = fw.score_many([{**row, "customer_satisfaction": math.inf}])
    assert infinite.rows == [] and "expected a finite number, got inf" in infinite.errors[0].reason
    # a single card's actuals are values, not cells: NaN there is refused
    with pytest.raises(ScoringError, match="got nan"):
        fw.score("customer_service_agent", stage="startup", period="2026-10",
                 actuals={"inquiry_response_time": 18, "customer_satisfaction": math.nan})


# --- explained detail columns: what a card's KPI table shows, without the cards ------------------------


def _kpi_tables_from_columns(result: Any) -> list[tuple[list[tuple[Any, ...]], tuple[Any, ...]]]:
    """Each scored row's KPI table as the explained detail columns give it: per KPI in card order its
    actual, target, achievement, score, weight, weighted score, method, veto flag, notes, section and
    ratings, then the KPIs left off."""
    layouts = result.layouts
    assert layouts is not None
    tables = []
    for index, code in enumerate(layouts.codes.tolist()):
        layout = layouts.layouts[code]
        kpis = []
        for kpi in layout.kpis:
            detail = result.details[kpi]
            found = detail.explanation
            actual, achievement = float(detail.actual[index]), float(detail.achievement[index])
            kpis.append((
                kpi, None if math.isnan(actual) else actual, detail.targets()[index],
                None if math.isnan(achievement) else achievement, float(detail.score[index]),
                float(detail.weight[index]), float(detail.weighted[index]), found.methods[found.method_codes[index]],
                bool(found.veto_breached[index]), tuple(found.notes[found.note_codes[index]]),
                found.sections[found.section_codes[index]], found.ratings[found.rating_codes[index]], found.unit,
                bool(found.computed[index]),
            ))
        tables.append((kpis, layout.dropped))
    return tables


def _kpi_tables_from_cards(result: Any) -> list[tuple[list[tuple[Any, ...]], tuple[Any, ...]]]:
    """The same, read from the cards of ``detail=True``."""
    return [([(k.kpi, k.actual, None if k.target is None else str(k.target), k.achievement, k.score, k.weight,
               k.weighted_score, k.method, k.veto_breached, tuple(k.notes), k.section,
               tuple(k.ratings), k.unit, k.computed) for k in card.kpis], tuple(card.dropped))
            for card in result.cards]


_BUNDLED = ["frameworks/ecommerce-ops", "frameworks/cross-border", "examples/mini-framework",
            "tests/fixtures/live-shop"]


@pytest.mark.parametrize("name", _BUNDLED)
@pytest.mark.parametrize("missing", ["renormalize", "zero"])
def test_explained_columns_are_the_cards_kpi_tables(name: str, missing: str) -> None:
    import random

    from tests.batch.test_vectorized import _random_bundled_rows

    fw = ecomperf.load(REPO / name)
    rows = _random_bundled_rows(fw, random.Random(2026), 250)  # quarters, event months, n/a, formulas given or not
    explained = score_many(fw, rows, missing=missing, explain=True)  # type: ignore[arg-type]
    cards = score_many(fw, rows, missing=missing, detail=True)  # type: ignore[arg-type]
    assert explained.rows == cards.rows and explained.errors == cards.errors
    assert not explained.cards
    assert _kpi_tables_from_columns(explained) == _kpi_tables_from_cards(cards)
    # detail=True keeps the same columns beside its cards
    assert _kpi_tables_from_columns(cards) == _kpi_tables_from_cards(cards)
    # KPIs first scored in one row keep the order of its card, whichever engine scored the rows before it
    assert explained.kpi_ids == cards.kpi_ids
    assert score_many(fw, rows, missing=missing).kpi_ids == cards.kpi_ids  # type: ignore[arg-type]


def test_explained_notes_name_the_cap_the_formula_and_the_veto(mini: Framework) -> None:
    rows = [
        # gmv 300万 / 200万 = 150 -> capped at 120; gross margin computed (300 - 120) / 300 = 60% of 35%: capped
        {"employee": "li", "position": "store_manager", "stage": "startup", "period": "2026-10",
         "category": "apparel", "gmv": 3_000_000, "sales_revenue": 300, "cost": 120, "inventory_turnover": 4,
         "violations": 0},
        # one violation breaches the veto: grade capped at C, noted on the veto KPI
        {"employee": "wang", "position": "store_manager", "stage": "startup", "period": "2026-10",
         "category": "apparel", "gmv": 3_000_000, "sales_revenue": 300, "cost": 120, "inventory_turnover": 4,
         "violations": 1},
    ]
    explained = score_many(mini, rows, explain=True)
    tables = _kpi_tables_from_columns(explained)
    assert tables == _kpi_tables_from_cards(score_many(mini, rows, detail=True))
    notes = {kpi[0]: [str(note) for note in kpi[9]] for kpi in tables[0][0]}
    assert notes["gmv"] == ["capped at 120 (uncapped 150)"]
    assert notes["gross_margin"][0].startswith("computed from its formula")
    veto = next(kpi for kpi in tables[1][0] if kpi[0] == "violations")
    assert veto[8] is True and any("grade capped at C" in note for note in veto[9])


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.tuples(st.sampled_from(["", "n/a", 0, 1, 2.5, 12, 24, 30, 1e6, 2e6, 5e6, 0.3]),
                                 st.sampled_from(["", 0, 1, 3]), st.sampled_from(["", 2.0, 4.0, 9.0])),
                       min_size=1, max_size=12),
       missing=st.sampled_from(["renormalize", "zero"]))
def test_explained_columns_are_the_cards_for_any_values(values: list[tuple[Any, Any, Any]], missing: str) -> None:
    fw = ecomperf.load(REPO / "examples" / "mini-framework")
    rows: list[dict[str, Any]] = []
    for number, (gmv, violations, turnover) in enumerate(values):
        rows.append({"employee": f"e{number}", "position": "store_manager", "stage": "mature",
                     "period": "2026-11", "category": "electronics_3c", "gmv": gmv, "sales_revenue": 200,
                     "cost": 150, "inventory_turnover": turnover, "violations": violations})
        rows.append(row(f"s{number}", inquiry_response_hours=gmv if gmv not in (0, 1e6, 2e6, 5e6) else 20))
    explained = score_many(fw, rows, missing=missing, explain=True)  # type: ignore[arg-type]
    cards = score_many(fw, rows, missing=missing, detail=True)  # type: ignore[arg-type]
    assert explained.errors == cards.errors
    assert _kpi_tables_from_columns(explained) == _kpi_tables_from_cards(cards)


def test_cards_recorded_elsewhere_give_the_same_columns(mini: Framework) -> None:
    from ecomperf.batch.engine import card_details

    rows = [row("li", inquiry_response_hours=20), row("zhao", inquiry_response_hours=30)]
    cards = score_many(mini, rows, detail=True)
    details, layouts = card_details(cards.cards, cards.kpi_ids)
    rebuilt = BatchResult(cards.framework, cards.summaries, [], details=details, layouts=layouts)
    assert _kpi_tables_from_columns(rebuilt) == _kpi_tables_from_cards(cards)
    # 100 · 24 / 20 = 120 (at the cap: no note), 100 · 24 / 30 = 80
    assert [table[0][0][4] for table in _kpi_tables_from_columns(rebuilt)] == [120.0, 80.0]
