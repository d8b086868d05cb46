"""What-if on a card: the actual each KPI needs for a grade, worked by hand, and properties that hold for any card."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ecomperf
from ecomperf.errors import ScoringError
from ecomperf.planning import whatif
from ecomperf.scoring.card import score
from tests.conftest import REPO
from tests.planning.conftest import SELLER


def _need(result: ecomperf.WhatIf, kpi: str) -> ecomperf.KpiNeed:
    return next(row for row in result.kpis if row.kpi == kpi)


def _seller(fw: ecomperf.Framework, grade: str, **changes: object) -> ecomperf.WhatIf:
    return whatif(fw, "seller", stage="startup", period="2026-10", actuals={**SELLER, **changes}, grade=grade)


def test_linear_kpi_needs_the_points_the_card_lacks(plan_fw: ecomperf.Framework) -> None:
    # total 92.25 (B); A lacks 7.75 points = 775 weighted points; GMV (weight 30) must score
    # 90 + 775 / 30 = 115.8333, i.e. 1.158333 × 100万 = 1,158,333.33
    result = _seller(plan_fw, "A")
    assert (result.total, result.current_grade, result.reached) == (92.25, "B", False)
    gmv = _need(result, "gmv")
    assert (gmv.bound, gmv.why, gmv.reachable) == ("at_least", "needed", True)
    assert gmv.needed == pytest.approx(1_158_333.333, abs=0.01)
    assert gmv.relative_change == pytest.approx(0.287037, abs=1e-6)  # 1,158,333.33 / 900,000 - 1


def test_a_kpi_that_cannot_carry_the_card_says_the_cap(plan_fw: ecomperf.Framework) -> None:
    # margin would need 95 + 775 / 20 = 133.75 > the cap 120; at 120 the total is 92.25 + 0.2 × 25 = 97.25
    margin = _need(_seller(plan_fw, "A"), "margin")
    assert (margin.reachable, margin.why, margin.needed) == (False, "cap", None)
    assert "97.25, below 100 for A" in margin.reason


def test_the_cheapest_move_is_the_only_reachable_one(plan_fw: ecomperf.Framework) -> None:
    # interpolate, bands, range and threshold KPIs already score their best; only GMV can move the card to A
    result = _seller(plan_fw, "A")
    assert [row.kpi for row in result.kpis if row.reachable and row.why == "needed"] == ["gmv"]
    assert result.cheapest == "gmv"


def test_interpolate_kpi_of_a_reached_grade_says_how_far_it_may_fall(plan_fw: ecomperf.Framework) -> None:
    # B (85): the others give 92.25 - 0.15 × 75 = 81; response must score (85 - 81) × 100 / 15 = 26.667:
    # p = 0.26667 of the way from 48h to 24h, 48 - 0.26667 × 24 = 41.6h at most
    response = _need(_seller(plan_fw, "B"), "response_hours")
    assert (response.bound, response.why) == ("at_most", "reached")
    assert response.needed == pytest.approx(41.6, abs=1e-6)


def test_threshold_and_bands_jump_to_their_bound(plan_fw: ecomperf.Framework) -> None:
    # B: on_time needs (85 - 77.25) × 100 / 15 = 51.7 points: only met (100) will do: >= 95%;
    # rating needs (85 - 82.25) × 100 / 10 = 27.5 points: the 60 band from achievement 0.8: 0.8 × 90 = 72
    result = _seller(plan_fw, "B", on_time=0.9, rating=70)
    # now 92.25 - 15 - 10 = 67.25 (D): on_time alone gives 82.25, rating alone 73.25: neither reaches B
    assert [_need(result, k).why for k in ("on_time", "rating")] == ["cap", "cap"]
    result = _seller(plan_fw, "B", on_time=0.9)
    on_time = _need(result, "on_time")
    assert (on_time.bound, on_time.needed, on_time.why) == ("at_least", 0.95, "jump")
    assert "total lands at 92.25" in on_time.reason
    rating = _need(_seller(plan_fw, "B", rating=70), "rating")
    assert (rating.bound, rating.why) == ("at_least", "jump")
    assert rating.needed == pytest.approx(72.0)


def test_range_kpi_inside_its_band_reports_the_band_it_may_move_in(plan_fw: ecomperf.Framework) -> None:
    # B: balance must score 27.5: d = (100 - 27.5) × 0.5 / 100 = 0.3625 outside 1.5..2.5
    balance = _need(_seller(plan_fw, "B"), "balance")
    assert balance.bound == "within"
    assert (balance.low, balance.high) == (pytest.approx(1.1375), pytest.approx(2.8625))


def test_range_kpi_outside_its_band_needs_the_nearer_edge(plan_fw: ecomperf.Framework) -> None:
    # balance 3.0 scores 100 - 100 × 0.5 / 0.5 = 0: total 82.25 (C); B needs 27.5 points: at most 2.8625
    balance = _need(_seller(plan_fw, "B", balance=3.0), "balance")
    assert (balance.bound, balance.why) == ("at_most", "needed")
    assert balance.needed == pytest.approx(2.8625)


def test_a_breached_veto_blocks_every_other_kpi(plan_fw: ecomperf.Framework) -> None:
    # one violation caps the grade at C: no other actual earns B, and meeting == 0 restores 92.25 (B)
    result = _seller(plan_fw, "B", violations=1)
    assert result.current_grade == "C"
    assert {row.kpi: row.why for row in result.kpis if row.kpi != "violations"} == dict.fromkeys(
        ["gmv", "margin", "response_hours", "rating", "balance", "on_time"], "veto")
    assert "veto violations is breached and caps the grade at C" in _need(result, "gmv").reason
    violations = _need(result, "violations")
    assert (violations.bound, violations.needed, violations.reachable) == ("exactly", 0.0, True)


def test_a_veto_below_the_cap_does_not_block(plan_fw: ecomperf.Framework) -> None:
    # C is the cap itself, so the breach does not stand in the way of C; the card already earns it
    result = _seller(plan_fw, "C", violations=1)
    assert result.reached and _need(result, "gmv").why == "reached"


def test_weightless_kpi_says_it_does_not_move_the_total(plan_fw: ecomperf.Framework) -> None:
    violations = _need(_seller(plan_fw, "A"), "violations")
    assert (violations.why, violations.reachable) == ("weight", False)


def test_formula_kpi_solves_each_input_in_closed_form(plan_fw: ecomperf.Framework) -> None:
    # B: margin needs (85 - 73.25) × 100 / 20 = 58.75 points: 0.5875 × 40% = 23.5%;
    # cost held at 62万: revenue = 62万 / (1 - 0.235) = 810,457.52; revenue held at 100万: cost = 76.5万
    margin = _need(_seller(plan_fw, "B"), "margin")
    assert margin.needed == pytest.approx(0.235, abs=1e-9)
    inputs = {need.input: need for need in margin.inputs}
    assert inputs["revenue"].needed == pytest.approx(810_457.516, abs=0.01)
    assert (inputs["revenue"].bound, inputs["revenue"].solved_by) == ("at_least", "closed form")
    assert inputs["cost"].needed == pytest.approx(765_000, abs=0.01)
    assert (inputs["cost"].bound, inputs["cost"].held) == ("at_most", {"revenue": 1_000_000.0})


def test_solve_for_names_the_one_input(plan_fw: ecomperf.Framework) -> None:
    result = whatif(plan_fw, "seller", stage="startup", period="2026-10", actuals=SELLER, grade="B",
                    solve_for={"margin": "cost"})
    assert [need.input for need in _need(result, "margin").inputs] == ["cost"]


def test_solve_for_refuses_what_is_not_an_input(plan_fw: ecomperf.Framework) -> None:
    with pytest.raises(ScoringError, match="'gmv' is not an input of margin's formula"):
        whatif(plan_fw, "seller", stage="startup", period="2026-10", actuals=SELLER, grade="B",
               solve_for={"margin": "gmv"})
    with pytest.raises(ScoringError, match="'gmv' has no formula"):
        whatif(plan_fw, "seller", stage="startup", period="2026-10", actuals=SELLER, grade="B",
               solve_for={"gmv": "revenue"})


def test_unknown_grade_is_refused_with_a_suggestion(plan_fw: ecomperf.Framework) -> None:
    with pytest.raises(ScoringError, match="unknown grade 'a'"):
        _seller(plan_fw, "a")


def test_actuals_by_period_are_refused(plan_fw: ecomperf.Framework) -> None:
    with pytest.raises(ScoringError, match="one period"):
        whatif(plan_fw, "seller", stage="startup", period="2026-10", actuals={"2026-10": SELLER}, grade="A")


def test_json_starts_with_the_issue_shape(plan_fw: ecomperf.Framework) -> None:
    data = _seller(plan_fw, "A").to_json_dict()
    assert list(data)[:4] == ["employee", "grade", "needed_total", "kpis"]
    assert list(data["kpis"][0])[:5] == ["kpi", "actual", "needed", "reachable", "reason"]
    assert (data["grade"], data["needed_total"], data["kpis"][0]["kpi"]) == ("A", 100.0, "gmv")


def test_bundled_store_manager_worked_on_the_planning_page() -> None:
    # (40·100 + 30·97.5 + 20·100 + 10·93.75) / 100 = 98.625; A lacks 137.5 weighted points:
    # new users 20% × (1 + 137.5/40/100) = 20.6875%, GMV 666.67万 × 1.020833 = 680.56万,
    # repurchase 35% × 1.06875 = 37.406%, margin 40% × 1.075 = 43%
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    result = fw.whatif("store_manager", stage="startup", period="2026-10", grade="A", context={"category": "apparel"},
                       actuals={"new_user_growth_rate": "20%", "gmv": "650万", "repurchase_rate": "35%",
                                "sales_revenue": "800万", "cost": "500万", "oversell_orders": 0})
    needed = {row.kpi: row.needed for row in result.kpis}
    assert result.total == 98.625
    assert needed["new_user_growth_rate"] == pytest.approx(0.206875, abs=1e-9)
    assert needed["gmv"] == pytest.approx(20_000_000 / 3 * 1.0208333333, abs=0.01)
    assert needed["repurchase_rate"] == pytest.approx(0.35 * 1.06875, abs=1e-9)
    assert needed["gross_margin"] == pytest.approx(0.43, abs=1e-9)
    assert result.cheapest == "new_user_growth_rate"


# --- properties ----------------------------------------------------------------------------------

_ACTUALS = st.fixed_dictionaries(
    {
        "gmv": st.floats(100_000, 2_000_000),
        "revenue": st.floats(500_000, 2_000_000),
        "cost": st.floats(100_000, 450_000),
        "response_hours": st.floats(6, 60),
        "rating": st.floats(40, 120),
        "balance": st.floats(0.5, 3.5),
        "on_time": st.floats(0.8, 1.0),
        "violations": st.sampled_from([0, 0, 0, 1]),
    }
)
_CONTINUOUS = {"linear", "interpolate", "range"}


def _card(fw: ecomperf.Framework, actuals: dict[str, float]) -> ecomperf.ScoreCard:
    return score(fw, "seller", stage="startup", period="2026-10", actuals=actuals)


def _earns(fw: ecomperf.Framework, card: ecomperf.ScoreCard, grade: str) -> bool:
    ids = [g.id for g in fw.grades]
    return ids.index(card.grade) <= ids.index(grade)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actuals=_ACTUALS, grade=st.sampled_from(["A", "B", "C"]))
def test_scoring_the_returned_actual_reaches_the_grade(
    plan_fw: ecomperf.Framework, actuals: dict[str, float], grade: str
) -> None:
    result = whatif(plan_fw, "seller", stage="startup", period="2026-10", actuals=actuals, grade=grade)
    minimum = result.needed_total
    held = {row.kpi: row.actual for row in result.card.kpis if row.actual is not None}
    for row in result.kpis:
        if row.needed is None or row.bound not in ("at_least", "at_most", "exactly"):
            continue
        card = _card(plan_fw, {**actuals, **held, row.kpi: row.needed})
        assert card.total >= minimum - 0.01 or not _earns(plan_fw, result.card, "D")
        assert _earns(plan_fw, card, grade), (row.kpi, row.needed, card.total)
        if row.method in _CONTINUOUS and row.why in ("needed", "reached") and row.bound != "exactly":
            # just short of the boundary, on the losing side, the grade is not earned
            short = math.nextafter(row.needed, -math.inf if row.bound == "at_least" else math.inf)
            assert not _earns(plan_fw, _card(plan_fw, {**actuals, **held, row.kpi: short}), grade), row.kpi


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actuals=_ACTUALS, grade=st.sampled_from(["A", "B"]))
def test_an_input_solved_for_makes_the_formula_kpi_reach_the_grade(
    plan_fw: ecomperf.Framework, actuals: dict[str, float], grade: str
) -> None:
    result = whatif(plan_fw, "seller", stage="startup", period="2026-10", actuals=actuals, grade=grade)
    held = {row.kpi: row.actual for row in result.card.kpis if row.actual is not None and row.kpi != "margin"}
    for need in next(row for row in result.kpis if row.kpi == "margin").inputs:
        if need.needed is None:
            continue
        moved = {**actuals, **held, need.input: need.needed}
        moved.pop("margin", None)
        assert _earns(plan_fw, _card(plan_fw, moved), grade), need
