"""Scoring a card: weighted total, grade, bonus, veto, missing policies, n/a, formulas and bad input.

The base framework (conftest) grades S ≥ 110, A ≥ 100, B ≥ 85, C ≥ 70, D ≥ 0 and caps a veto breach at C.
The store manager's startup card is growth 40 (≥ 20%), GMV 30 (≥ 2000万), repurchase 20 (≥ 35%),
gross margin 10 (≥ 40%) and a weight-0 veto on violations (== 0).
"""

from __future__ import annotations

from typing import Any

import pytest

from ecomperf import ScoreCard, ScoringError
from ecomperf.framework import Framework
from ecomperf.scoring.card import compute_metrics, score

from .conftest import Build

GOOD: dict[str, Any] = {
    "user_growth_rate": "22%",  # 100 · 0.22 / 0.20 = 110
    "gmv": "2150万",  # 100 · 2150 / 2000 = 107.5
    "repurchase_rate": 0.35,  # 100
    "gross_margin": "36%",  # 100 · 0.36 / 0.40 = 90
    "violations": 0,
}


def startup(fw: Framework, actuals: dict[str, Any], **options: Any) -> ScoreCard:
    return fw.score("store_manager", stage="startup", period="2026-10", actuals=actuals, **options)


# --- totals and grades -----------------------------------------------------------------------------


def test_startup_card_total_grade_and_bonus(fw: Framework) -> None:
    card = startup(fw, GOOD, employee="li.lei")
    # 40·110 + 30·107.5 + 20·100 + 10·90 = 4400 + 3225 + 2000 + 900 = 10525 → / 100 = 105.25 → A, bonus 1.2
    assert [k.score for k in card.kpis] == [110.0, 107.5, 100.0, 90.0, 100.0]
    assert [k.weighted_score for k in card.kpis] == [44.0, 32.25, 20.0, 9.0, 0.0]
    assert (card.total, card.grade, card.uncapped_grade, card.bonus) == (105.25, "A", "A", 1.2)
    assert card.employee == "li.lei"
    assert (card.framework, card.position, card.stage, card.period) == ("scoring-test", "store_manager", "startup",
                                                                         "2026-10")
    assert card.grade_scale == ["S", "A", "B", "C", "D"]
    assert card.warnings == [] and card.dropped == [] and card.veto_breaches == []


def test_kpi_row_explains_itself(fw: Framework) -> None:
    row = startup(fw, GOOD).kpis[1]
    assert (row.kpi, row.unit, row.actual, row.achievement, row.method) == ("gmv", "currency", 21_500_000.0, 1.075,
                                                                           "linear")
    assert row.target is not None and str(row.target) == ">= 2000万"
    assert (row.cycle, row.period, row.weight) == ("monthly", "2026-10", 30.0)
    assert row.name == {"zh": "gmv", "en": "gmv"}


def test_actuals_exactly_on_target_earn_the_grade_boundary(fw: Framework) -> None:
    # every KPI exactly on target → 100 → A, even though 100 · 0.35 / 0.35 etc. are computed in binary
    card = startup(fw, {"user_growth_rate": 0.2, "gmv": 2e7, "repurchase_rate": "35%", "gross_margin": 0.4,
                        "violations": 0})
    assert (card.total, card.grade, card.bonus) == (100.0, "A", 1.2)


def test_all_kpis_at_the_cap_earn_the_top_grade(fw: Framework) -> None:
    # every KPI ≥ 1.2× target → 120 each → 120 → S, bonus 1.5
    card = startup(fw, {"user_growth_rate": 0.5, "gmv": "1亿", "repurchase_rate": 0.9, "gross_margin": 0.9,
                        "violations": 0})
    assert (card.total, card.grade, card.bonus) == (120.0, "S", 1.5)


def test_lower_is_better_card(fw: Framework) -> None:
    # response 20h vs ≤ 24h: 100·24/20 = 120; complaints 2.5% vs ≤ 2%: 100·2/2.5 = 80
    # 60·120 + 40·80 = 10400 → 104 → A
    card = fw.score("service_agent", stage="startup", period="2026-10",
                    actuals={"response_hours": "20h", "complaint_rate": "2.5%"})
    assert [k.score for k in card.kpis] == [120.0, 80.0]
    assert (card.total, card.grade) == (104.0, "A")


def test_module_function_and_framework_method_agree(fw: Framework) -> None:
    assert score(fw, "store_manager", stage="startup", period="2026-10", actuals=GOOD) == startup(fw, GOOD)


# --- veto ------------------------------------------------------------------------------------------


def test_veto_breach_caps_the_grade_but_not_the_total(fw: Framework) -> None:
    # 120 everywhere → 120 (S), but one violation breaches the veto → grade capped at C, bonus 0.6
    card = startup(fw, {"user_growth_rate": 0.5, "gmv": "1亿", "repurchase_rate": 0.9, "gross_margin": 0.9,
                        "violations": 1})
    assert (card.total, card.uncapped_grade, card.grade, card.bonus) == (120.0, "S", "C", 0.6)
    assert card.veto_breaches == ["violations"]
    veto = card.kpis[-1]
    assert (veto.score, veto.veto_breached, veto.weight) == (0.0, True, 0.0)
    # the outcome is explained on the KPI that breached; warnings are kept for doubtful data
    assert "veto breached (violations): grade capped at C" in card.kpis[-1].notes
    assert card.warnings == []


def test_a_veto_on_a_card_already_at_or_below_the_cap_never_says_capped(fw: Framework) -> None:
    # issue 12, item 3: 40·(0.1/0.2·100) + 30·(1000/2000·100) + 20·(0.1/0.35·100) + 10·(0.1/0.4·100)
    # = 40·50 + 30·50 + 20·28.571 + 10·25 = 2000 + 1500 + 571.43 + 250 = 4321.43 / 100 → 43.21: grade D
    card = startup(fw, {"user_growth_rate": 0.1, "gmv": "1000万", "repurchase_rate": 0.1, "gross_margin": 0.1,
                        "violations": 2})
    assert (round(card.total, 2), card.uncapped_grade, card.grade) == (43.21, "D", "D")
    note = card.kpis[-1].notes[-1]
    assert note == "veto breached (violations): grade D is already at or below the veto cap C"
    assert "capped at" not in note
    assert note.msgid == "veto breached ({kpis}): grade {grade} is already at or below the veto cap {cap}"


def test_veto_cap_never_raises_a_lower_grade(fw: Framework) -> None:
    # growth 5% (25), GMV 500万 (25), repurchase 7% (20), margin 8% (20):
    # 40·25 + 30·25 + 20·20 + 10·20 = 2350 → 23.5 → D; the cap at C does not lift it
    card = startup(fw, {"user_growth_rate": 0.05, "gmv": "500万", "repurchase_rate": 0.07, "gross_margin": 0.08,
                        "violations": 3})
    assert (card.total, card.grade, card.bonus) == (23.5, "D", 0.0)


def test_veto_zero_total_makes_the_total_zero(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: buyer
        name: Buyer
        scorecard:
          stages:
            startup:
              - {kpi: gmv, weight: 100, target: ">= 100万"}
              - {kpi: violations, weight: 0, target: "== 0", scoring: {method: veto, effect: zero_total}}
        """)
    card = fw.score("buyer", stage="startup", period="2026-10", actuals={"gmv": "110万", "violations": 1})
    # 100 · 110 / 100 = 110 → S before the veto; the breach sets the total to 0 → D, bonus 0
    assert (card.total, card.grade, card.bonus) == (0.0, "D", 0.0)
    assert (card.uncapped_total, card.uncapped_grade) == (110.0, "S")
    assert card.veto_breaches == ["violations"]


def test_weighted_veto_kpi_counts_in_the_total_when_met(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: buyer
        name: Buyer
        scorecard:
          stages:
            startup:
              - {kpi: gmv, weight: 80, target: ">= 100万"}
              - {kpi: violations, weight: 20, target: "<= 1"}
        """)
    # violations defaults to veto (zero direction); 1 ≤ 1 → 100. 80·90 + 20·100 = 9200 → 92 → B
    card = fw.score("buyer", stage="startup", period="2026-10", actuals={"gmv": "90万", "violations": 1})
    assert (card.total, card.grade) == (92.0, "B")
    assert card.kpis[1].method == "veto"


def test_veto_without_a_cap_rule_warns_instead_of_capping(build: Build) -> None:
    from .conftest import FRAMEWORK

    fw = build(framework=FRAMEWORK.replace("veto_caps_grade_at: C", "veto_caps_grade_at: null"))
    card = startup(fw, {**GOOD, "violations": 2})
    assert (card.total, card.grade) == (105.25, "A")
    assert any("sets no rules.veto_caps_grade_at" in w for w in card.warnings)


# --- missing actuals -------------------------------------------------------------------------------


def test_missing_error_lists_every_missing_metric_at_once(fw: Framework) -> None:
    with pytest.raises(ScoringError) as caught:
        startup(fw, {"user_growth_rate": 0.2})
    error = caught.value
    assert error.missing == ("gmv", "repurchase_rate", "gross_margin", "violations")
    assert len(error.problems) == 4
    message = str(error)
    assert "4 KPI(s) of store_manager have no value for 2026-10" in message
    # the formula metric explains which inputs it lacked
    assert "gross_margin (2026-10): missing: no actual, and no value for its inputs sales_revenue, cost" in message


def test_renormalize_drops_missing_kpis_and_reweights(fw: Framework) -> None:
    actuals = {k: v for k, v in GOOD.items() if k != "repurchase_rate"}
    card = startup(fw, actuals, missing="renormalize")
    # (40·110 + 30·107.5 + 10·90) / 80 = 8525 / 80 = 106.5625 → A
    assert (card.total, card.grade) == (106.5625, "A")
    assert [k.kpi for k in card.kpis] == ["user_growth_rate", "gmv", "gross_margin", "violations"]
    assert card.kpis[0].weighted_score == 55.0  # 40 · 110 / 80
    assert [(d.kpi, d.weight, d.reason) for d in card.dropped] == [("repurchase_rate", 20.0, "missing")]
    assert card.missing_policy == "renormalize"


def test_zero_policy_scores_missing_kpis_zero(fw: Framework) -> None:
    actuals = {k: v for k, v in GOOD.items() if k != "repurchase_rate"}
    card = startup(fw, actuals, missing="zero")
    # 40·110 + 30·107.5 + 20·0 + 10·90 = 8525 → 85.25 → B
    assert (card.total, card.grade) == (85.25, "B")
    row = card.kpis[2]
    assert (row.kpi, row.actual, row.score, row.achievement) == ("repurchase_rate", None, 0.0, None)
    assert row.notes == ["missing (no actual for 2026-10): scored 0 under missing='zero'"]


def test_none_counts_as_missing(fw: Framework) -> None:
    with pytest.raises(ScoringError) as caught:
        startup(fw, {**GOOD, "gmv": None})
    assert caught.value.missing == ("gmv",)


def test_missing_veto_kpi_is_reported_as_not_checked(fw: Framework) -> None:
    actuals = {k: v for k, v in GOOD.items() if k != "violations"}
    card = startup(fw, actuals, missing="renormalize")
    assert card.total == 105.25 and card.veto_breaches == []
    assert any("veto KPI 'violations' has no value" in w for w in card.warnings)


def test_unknown_missing_policy_is_refused(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="did you mean 'renormalize'"):
        startup(fw, GOOD, missing="renormalise")


# --- not applicable --------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["n/a", "N/A", "不适用"])
def test_not_applicable_kpi_is_dropped_and_weights_renormalised(fw: Framework, marker: str) -> None:
    card = startup(fw, {**GOOD, "repurchase_rate": marker})  # under the default missing="error"
    # as if the KPI were not on the card: 8525 / 80 = 106.5625 → A
    assert (card.total, card.grade) == (106.5625, "A")
    assert [(d.kpi, d.reason) for d in card.dropped] == [("repurchase_rate", "not applicable")]


def test_nothing_left_to_score_is_an_error(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="nothing left to score"):
        fw.score("service_agent", stage="startup", period="2026-10",
                 actuals={"response_hours": "n/a", "complaint_rate": "n/a"})


# --- formula metrics -------------------------------------------------------------------------------


def test_formula_metric_is_computed_from_its_inputs(fw: Framework) -> None:
    actuals = {**GOOD, "sales_revenue": "100万", "cost": "64万"}
    del actuals["gross_margin"]
    card = startup(fw, actuals)
    row = card.kpis[3]
    # (100万 - 64万) / 100万 = 0.36 → 100 · 0.36 / 0.40 = 90, as when given directly
    assert row.actual == pytest.approx(0.36)
    assert (row.score, row.computed) == (90.0, True)
    assert "computed from its formula (sales_revenue - cost) / sales_revenue" in row.notes
    assert card.total == 105.25


def test_a_given_formula_value_wins_over_its_inputs(fw: Framework) -> None:
    card = startup(fw, {**GOOD, "sales_revenue": 100, "cost": 90})  # inputs say 10%, given 36%
    assert (card.kpis[3].actual, card.kpis[3].computed) == (0.36, False)


def test_division_by_zero_makes_the_metric_undefined(fw: Framework) -> None:
    actuals = {**{k: v for k, v in GOOD.items() if k != "gross_margin"}, "sales_revenue": 0, "cost": 5}
    with pytest.raises(ScoringError) as caught:
        startup(fw, actuals)
    assert caught.value.missing == ("gross_margin",)
    assert "gross_margin (2026-10): undefined: division by zero in '(sales_revenue - cost) / sales_revenue' " \
           "(sales_revenue = 0, cost = 5)" in str(caught.value)


def test_undefined_metric_follows_the_missing_policy(fw: Framework) -> None:
    actuals = {**{k: v for k, v in GOOD.items() if k != "gross_margin"}, "sales_revenue": 0, "cost": 5}
    dropped = startup(fw, actuals, missing="renormalize")
    # (40·110 + 30·107.5 + 20·100) / 90 = 9625 / 90 = 106.944444444
    assert dropped.total == pytest.approx(106.944444444)
    assert [(d.kpi, d.reason) for d in dropped.dropped] == [("gross_margin", "undefined")]
    assert dropped.dropped[0].detail is not None and "division by zero" in dropped.dropped[0].detail
    zeroed = startup(fw, actuals, missing="zero")
    assert zeroed.total == 96.25  # 9625 / 100
    assert zeroed.kpis[3].notes[0].startswith("undefined (division by zero")


def test_compute_metrics_fills_formulas_recursively(fw: Framework) -> None:
    # orders_per_visitor_pct = conversion_rate · 100 = orders / visitors · 100 = 30 / 1000 · 100 = 3
    values, undefined = compute_metrics(fw, {"orders": 30.0, "visitors": 1000.0}, ["orders_per_visitor_pct"])
    assert values["orders_per_visitor_pct"] == pytest.approx(3.0)
    assert values["conversion_rate"] == pytest.approx(0.03)
    assert undefined == {}


def test_compute_metrics_reports_undefined_and_missing_inputs(fw: Framework) -> None:
    values, undefined = compute_metrics(fw, {"orders": 30.0, "visitors": 0.0, "cost": 1.0},
                                        ["orders_per_visitor_pct", "gross_margin", "gmv"])
    assert undefined["conversion_rate"] == "division by zero in 'orders / visitors' (orders = 30, visitors = 0)"
    assert undefined["orders_per_visitor_pct"].startswith("cannot compute conversion_rate * 100: conversion_rate")
    assert undefined["gross_margin"] == "no actual, and no value for its input sales_revenue"
    assert "gmv" not in undefined and "gmv" not in values  # a base metric without a value is simply missing


# --- bad input -------------------------------------------------------------------------------------


def test_bad_values_are_all_refused_at_once_naming_each_metric(fw: Framework) -> None:
    with pytest.raises(ScoringError) as caught:
        startup(fw, {**GOOD, "gmv": float("nan"), "repurchase_rate": True, "user_growth_rate": "",
                     "gross_margin": "high"})
    message = str(caught.value)
    assert len(caught.value.problems) == 4
    for fragment in ["'gmv' is nan", "'repurchase_rate' is True", "'user_growth_rate' is ''",
                     "'gross_margin' is 'high'"]:
        assert fragment in message


def test_infinite_actual_is_refused(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="'gmv' is inf"):
        startup(fw, {**GOOD, "gmv": float("inf")})


def test_undeclared_metrics_are_warned_about_with_a_suggestion(fw: Framework) -> None:
    card = startup(fw, {**GOOD, "gmvv": 5, "weather": "sunny"})
    assert card.warnings == [
        "actual 'gmvv' ignored: the framework declares no such metric; did you mean 'gmv'?",
        "actual 'weather' ignored: the framework declares no such metric",
    ]


def test_percent_written_as_a_whole_number_is_warned_about(fw: Framework) -> None:
    card = startup(fw, {**GOOD, "repurchase_rate": 35})
    assert 'repurchase_rate actual 35 means 3500%; percent actuals are fractions: did you mean 0.35 ("35%")?' \
        in card.warnings


def test_mixed_flat_and_period_actuals_are_refused(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="mix period mappings with plain values"):
        startup(fw, {"2026-10": GOOD, "gmv": 1})


def test_actuals_must_be_a_mapping(fw: Framework) -> None:
    with pytest.raises(ScoringError, match="must be a mapping"):
        startup(fw, [1, 2, 3])  # type: ignore[arg-type]


def test_kpi_without_a_target_cannot_be_scored(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: buyer
        name: Buyer
        scorecard:
          stages:
            startup:
              - {kpi: gmv, weight: 100}
        """)
    with pytest.raises(ScoringError, match="gmv of buyer in stage 'startup' have no target"):
        fw.score("buyer", stage="startup", period="2026-10", actuals={"gmv": 1})


# --- methods configured in YAML --------------------------------------------------------------------


def test_methods_declared_in_yaml_are_used(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: planner
        name: Planner
        scorecard:
          stages:
            startup:
              - kpi: repurchase_rate
                weight: 25
                target: ">= 30%"
                scoring: {method: bands, bands: [{min_achievement: 1.0, score: 100}, {min_achievement: 0.8, score: 60},
                                                 {min_achievement: 0, score: 0}]}
              - {kpi: user_growth_rate, weight: 25, target: ">= 20%",
                 scoring: {method: interpolate, threshold: 10%, stretch: 30%, cap: 150}}
              - {kpi: inventory_days, weight: 25, target: "30..45", scoring: {method: range, tolerance: 10}}
              - {kpi: gmv, weight: 25, target: ">= 100万", scoring: threshold}
        """)
    card = fw.score("planner", stage="startup", period="2026-10", actuals={
        "repurchase_rate": 0.27,  # 0.27 / 0.30 = 0.9 → the 0.8 band → 60
        "user_growth_rate": 0.25,  # 100 + (150 - 100) · (0.25 - 0.20) / (0.30 - 0.20) = 125
        "inventory_days": 48,  # 3 days above 45 of a 10-day tolerance: 100 - 100 · 3 / 10 = 70
        "gmv": "99万",  # misses ≥ 100万 → 0
    })
    # 25 · (60 + 125 + 70 + 0) = 6375 → 63.75 → D
    assert [k.score for k in card.kpis] == [60.0, 125.0, 70.0, 0.0]
    assert [k.method for k in card.kpis] == ["bands", "interpolate", "range", "threshold"]
    assert (card.total, card.grade) == (63.75, "D")


def test_range_metric_defaults_to_threshold(build: Build) -> None:
    fw = build(positions="""\
        apiVersion: ecomperf/v1
        kind: Position
        id: planner
        name: Planner
        scorecard:
          stages:
            startup:
              - {kpi: inventory_days, weight: 100, target: "30..45"}
        """)
    inside = fw.score("planner", stage="startup", period="2026-10", actuals={"inventory_days": 40})
    outside = fw.score("planner", stage="startup", period="2026-10", actuals={"inventory_days": 46})
    assert (inside.kpis[0].method, inside.total, outside.total) == ("threshold", 100.0, 0.0)


# --- the example framework and serialisation -------------------------------------------------------


def test_mini_framework_store_manager(mini: Framework) -> None:
    card = mini.score("store_manager", stage="startup", period="2026-10",
                      actuals={"gmv": "220万", "sales_revenue": "100万", "cost": "62万", "violations": 0})
    # GMV 220万 / 200万 → 110; margin (100 - 62) / 100 = 38% → 100 · 0.38 / 0.40 = 95
    # 60·110 + 40·95 = 10400 → 104 → A, bonus 1.2
    assert [k.score for k in card.kpis] == [110.0, 95.0, 100.0]
    assert (card.total, card.grade, card.bonus) == (104.0, "A", 1.2)
    assert card.kpis[1].computed


def test_scorecard_json_round_trip_is_lossless(fw: Framework) -> None:
    card = fw.score("store_manager", stage="mature", period="2026-11", employee="han.meimei",
                    context={"category": "electronics_3c"}, missing="renormalize",
                    actuals={"repurchase_rate": "n/a", "gmv": "2600万", "campaign_gmv": "1200万",
                             "inventory_turnover": 7, "orders": 45, "visitors": 1000, "violations": 1,
                             "gmvv": 3})
    again = ScoreCard.model_validate_json(card.model_dump_json())
    assert again == card
    assert card.dropped and card.veto_breaches and card.warnings and card.events
    turnover = next(k for k in card.kpis if k.kpi == "inventory_turnover")
    assert turnover.variant == {"category": "electronics_3c"}


def test_mapping_like_actuals_are_accepted(fw: Framework) -> None:
    class Row:  # e.g. a pandas Series: not a Mapping, but has .items()
        def items(self) -> Any:
            return GOOD.items()

    assert startup(fw, Row()).total == 105.25  # type: ignore[arg-type]


# --- relative weights ------------------------------------------------------------------------------
# An OKR objective: three key results weighted 1, 3 and 2, each scored 100 x progress / 100%.

KEY_RESULTS = "\n---\n".join(
    f"""\
    apiVersion: ecomperf/v1
    kind: Metric
    id: {kr}
    name: {{zh: {kr}, en: {kr}}}
    unit: percent
    source: {{zh: OKR, en: OKR}}
    """
    for kr in ("kr_reach", "kr_revenue", "kr_retention")
)
OKR_OWNER = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: okr_owner
    name: OKR owner
    scorecard:
      weights: relative
      stages:
        startup:
          - {kpi: kr_reach, weight: 1, target: ">= 100%"}
          - {kpi: kr_revenue, weight: 3, target: ">= 100%"}
          - {kpi: kr_retention, weight: 2, target: ">= 100%"}
          - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
    """
PROGRESS = {"kr_reach": 0.2, "kr_revenue": 0.8, "kr_retention": 1.0, "violations": 0}


def test_relative_weights_are_normalised_like_an_okr_objective(build: Build) -> None:
    fw = build(positions=OKR_OWNER, extra_metrics=KEY_RESULTS)
    card = fw.score("okr_owner", stage="startup", period="2026-10", actuals=PROGRESS)
    # (1·20 + 3·80 + 2·100) / (1 + 3 + 2) = 460 / 6 = 76.6667 → C (70 ≤ 76.67 < 85)
    assert card.total == 76.666666667
    assert card.grade == "C"
    # the card shows the weights in points of 100: 1/6, 3/6 and 2/6 of 100; the veto stays 0
    assert [round(k.weight, 4) for k in card.kpis] == [16.6667, 50.0, 33.3333, 0.0]
    assert [k.weighted_score for k in card.kpis[:3]] == [3.333333333, 40.0, 33.333333333]  # 16.67·20/100 …
    assert card.kpis[0].notes[0] == "relative weight 1 of 6 = 16.6667 points"
    assert not any("relative" in note for note in card.kpis[3].notes)  # weight 0 has nothing to scale


def test_relative_weights_then_follow_the_missing_policy(build: Build) -> None:
    fw = build(positions=OKR_OWNER, extra_metrics=KEY_RESULTS)
    actuals = {k: v for k, v in PROGRESS.items() if k != "kr_revenue"}
    card = fw.score("okr_owner", stage="startup", period="2026-10", actuals=actuals, missing="renormalize")
    # kr_revenue (50 points) dropped: (16.67·20 + 33.33·100) / 50 = 3666.67 / 50 = 73.3333, i.e. (1·20 + 2·100) / 3
    assert card.total == 73.333333333
    assert [(d.kpi, round(d.weight, 4)) for d in card.dropped] == [("kr_revenue", 50.0)]


def test_relative_weights_are_scaled_after_event_overrides(build: Build) -> None:
    event = """\
        apiVersion: ecomperf/v1
        kind: Event
        id: push
        name: Push
        periods: ["*-11"]
        overrides:
          - position: okr_owner
            weights: {kr_reach: 4}
        """
    fw = build(positions=OKR_OWNER, extra_metrics=KEY_RESULTS, events=event)
    card = fw.score("okr_owner", stage="startup", period="2026-11", actuals=PROGRESS)
    # weights 4/3/2 of 9 → 44.44, 33.33, 22.22; (4·20 + 3·80 + 2·100) / 9 = 520 / 9 = 57.7778
    assert [round(k.weight, 4) for k in card.kpis[:3]] == [44.4444, 33.3333, 22.2222]
    assert card.total == 57.777777778
    assert card.kpis[0].notes[0] == "weight 1 → 4 by event push; relative weight 4 of 9 = 44.4444 points"


def test_points_weights_are_left_as_they_are(fw: Framework) -> None:
    card = startup(fw, GOOD)
    assert [k.weight for k in card.kpis] == [40.0, 30.0, 20.0, 10.0, 0.0]
    assert not any("relative" in note for k in card.kpis for note in k.notes)
