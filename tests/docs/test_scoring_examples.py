"""The scoring pages: worked numbers come from the engine, and the formulas written next to them agree."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from scripts.docs import runner, scoring
from scripts.docs._common import DOCS

METHOD_CASES = [
    pytest.param(name, actual, id=f"{name}-{actual:g}")
    for name in scoring.examples()["methods"]
    for actual in scoring.method_example(name).actuals
]
CARDS = list(scoring.examples()["cards"])


@pytest.mark.parametrize(("name", "actual"), METHOD_CASES)
def test_hand_calculation_on_the_page_matches_the_engine(name: str, actual: float) -> None:
    worked = scoring.work(scoring.method_example(name), actual)
    assert math.isclose(worked.by_hand, worked.score, abs_tol=1e-9), worked.calculation


def test_every_scoring_method_has_an_example() -> None:
    from ecomperf.model import ScoringMethod

    documented = {scoring.method_example(name).method.method for name in scoring.examples()["methods"]}
    declared = {model.model_fields["method"].default for model in _union_members(ScoringMethod)}
    assert documented == declared


def _union_members(annotation: object) -> list[type]:
    import typing

    from pydantic import BaseModel

    found: list[type] = []
    for argument in typing.get_args(annotation):
        if isinstance(argument, type) and issubclass(argument, BaseModel):
            found.append(argument)
        else:
            found.extend(_union_members(argument))
    return found


def test_linear_example_numbers() -> None:
    # 100 × 22% ÷ 20% = 110; 100 × 15% ÷ 20% = 75; 100 × 30% ÷ 20% = 150, capped at 120
    example = scoring.method_example("linear")
    assert [scoring.work(example, x).score for x in example.actuals] == [110.0, 75.0, 120.0]


@pytest.mark.parametrize("name", list(scoring.examples()["methods"]))
def test_chart_is_valid_svg_with_one_curve(name: str) -> None:
    root = ET.fromstring(scoring.chart(name))
    assert root.tag.endswith("svg")
    assert root.findall("{http://www.w3.org/2000/svg}polyline")


@pytest.mark.parametrize("name", CARDS)
def test_card_total_is_the_weighted_mean_shown_on_the_page(name: str) -> None:
    import ecomperf

    try:
        card = scoring.score_card(name)
    except ecomperf.ScoringError:
        assert name == "missing-error"
        return
    if card.total == 0 and card.veto_breaches:
        return
    weighted = [row for row in card.kpis if row.weight]
    total = sum(row.weight * row.score for row in weighted) / sum(row.weight for row in weighted)
    assert math.isclose(total, card.total, abs_tol=1e-6)
    assert scoring.weighted_sum_text(card).endswith(f"= {round(card.total, 2):g}")


def test_first_card_example_numbers() -> None:
    # gmv 230万 ÷ 200万 = 115; margin (100万 - 58万) ÷ 100万 = 42% ÷ 40% = 105; (60·115 + 40·105) ÷ 100 = 111
    card = scoring.score_card("startup")
    assert (card.total, card.grade) == (111.0, "A")


def test_veto_example_caps_the_grade() -> None:
    card = scoring.score_card("veto")
    assert (card.uncapped_grade, card.grade) == ("A", "C")


@pytest.mark.parametrize("name", CARDS)
def test_card_renders(name: str) -> None:
    assert "fw.score(" in scoring.render_card(name)


def test_rollup_recomputes_formula_metrics_from_summed_inputs() -> None:
    months = scoring.examples()["rollups"]["q4"]["months"].values()
    revenue = sum(m["sales_revenue"] for m in months)
    cost = sum(m["cost"] for m in months)
    result = scoring.rollup_result("q4")
    assert math.isclose(result["gross_margin"], (revenue - cost) / revenue)


def test_pip_example_flags_a_recovered_and_an_ongoing_run() -> None:
    import ecomperf

    flags = ecomperf.pip_flags(scoring.pip_cards("agents"), scoring.framework().rules.pip)
    assert [(flag.employee, flag.ongoing) for flag in flags] == [("li", True), ("wang", False)]
    assert "li" in scoring.render_pip("agents")


def test_distribution_example_is_judged() -> None:
    report = scoring.distribution("agents")
    assert report.groups[0].size == 30 and not report.groups[0].too_small
    assert "| A |" in scoring.render_distribution("agents")


@pytest.mark.parametrize("name", list(scoring.examples()["methods"]))
def test_entry_shown_for_a_method_is_a_valid_scorecard_entry(name: str) -> None:
    import yaml

    from ecomperf.model import KpiEntry

    example = scoring.method_example(name)
    entry = {"kpi": example.kpi, "weight": 40, "target": example.target_text, "scoring": example.scoring_spec}
    parsed = yaml.safe_load(scoring._entry_yaml(entry))
    assert KpiEntry.model_validate(parsed[0]).scoring == example.method


def test_relative_weights_example_prints_the_hand_worked_okr_total() -> None:
    (output,) = runner.run((DOCS / "scoring" / "cards.md").read_text(encoding="utf-8")).outputs
    # weights 1/3/2 of 6 → 16.6667, 50, 33.3333 points; (1·20 + 3·80 + 2·100) / 6 = 76.6667 → C
    assert output.splitlines() == [
        "kr_reach      score  20.00  weight  16.6667  (relative weight 1 of 6 = 16.6667 points)",
        "kr_revenue    score  80.00  weight  50.0000  (relative weight 3 of 6 = 50 points)",
        "kr_retention  score 100.00  weight  33.3333  (relative weight 2 of 6 = 33.3333 points)",
        "total 76.6667, grade C",
    ]
