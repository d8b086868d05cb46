"""Sections on a scored card: subtotals, section weights, and dropped KPIs staying inside their section."""

from __future__ import annotations

from ecomperf.framework import Framework
from tests.scoring.conftest import Build

SECTIONED = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: seller
    name: {zh: 销售, en: Seller}
    scorecard:
      sections:
        - {id: results, name: {zh: 业绩, en: Results}WEIGHT_RESULTS}
        - {id: customers, name: {zh: 客户, en: Customers}WEIGHT_CUSTOMERS}
      stages:
        startup:
          - {kpi: gmv, section: results, weight: W_GMV, target: ">= 2000万"}
          - {kpi: gross_margin, section: results, weight: W_MARGIN, target: ">= 40%"}
          - {kpi: repurchase_rate, section: customers, weight: W_REPURCHASE, target: ">= 35%"}
          - {kpi: violations, weight: 0, target: "== 0", scoring: veto}
    """


def seller(build: Build, *, weighted: bool) -> Framework:
    text = SECTIONED
    values = {"WEIGHT_RESULTS": ", weight: 60", "WEIGHT_CUSTOMERS": ", weight: 40",
              "W_GMV": "70", "W_MARGIN": "30", "W_REPURCHASE": "100"} if weighted else {
        "WEIGHT_RESULTS": "", "WEIGHT_CUSTOMERS": "", "W_GMV": "50", "W_MARGIN": "20", "W_REPURCHASE": "30"}
    for name, value in values.items():
        text = text.replace(name, value)
    return build(positions=text)


ACTUALS = {"gmv": 2.2e7, "sales_revenue": 1e6, "cost": 7e5, "repurchase_rate": 0.28, "violations": 0}
# gmv 2200万 / 2000万 -> 110; margin (100万 - 70万) / 100万 = 30% of 40% -> 75; repurchase 28% of 35% -> 80


def test_sections_without_weights_group_the_card_and_add_subtotals(build: Build) -> None:
    card = seller(build, weighted=False).score("seller", stage="startup", period="2026-10", actuals=ACTUALS)
    # total as without sections: (50*110 + 20*75 + 30*80) / 100 = (5500 + 1500 + 2400) / 100 = 94
    assert card.total == 94.0
    # results (50*110 + 20*75) / 70 = 7000 / 70 = 100; customers 80; the veto belongs to no section
    assert [(s.section, s.weight, s.subtotal, s.kpis) for s in card.sections] == [
        ("results", 70.0, 100.0, ["gmv", "gross_margin"]), ("customers", 30.0, 80.0, ["repurchase_rate"])]
    assert [kpi.section for kpi in card.kpis] == ["results", "results", "customers", None]


def test_weighted_sections_make_the_total_the_weighted_sum_of_subtotals(build: Build) -> None:
    card = seller(build, weighted=True).score("seller", stage="startup", period="2026-10", actuals=ACTUALS)
    # results 70/30 within 60: gmv 42, margin 18 points; customers 40: subtotals (70*110 + 30*75)/100 = 99.5, 80
    assert [kpi.weight for kpi in card.kpis] == [42.0, 18.0, 40.0, 0.0]
    assert [s.subtotal for s in card.sections] == [99.5, 80.0]
    # total 0.6*99.5 + 0.4*80 = 59.7 + 32 = 91.7
    assert card.total == 91.7
    assert card.kpis[0].notes[0] == "weight 70 in section results (60 of 100) = 42 points"


def test_a_dropped_kpi_leaves_its_section_its_share(build: Build) -> None:
    fw = seller(build, weighted=True)
    card = fw.score("seller", stage="startup", period="2026-10", actuals={**ACTUALS, "gross_margin": "n/a"})
    # margin is n/a: gmv carries the whole 60 of results (42 * 60 / 42), so results = 110 and
    # the total is 0.6*110 + 0.4*80 = 66 + 32 = 98 (not (42*110 + 40*80) / 82 = 95.37)
    assert [kpi.weight for kpi in card.kpis] == [60.0, 40.0, 0.0]
    assert card.total == 98.0
    assert "section results keeps its share" in card.kpis[0].notes[-1]


def test_a_section_without_kpis_left_drops_out(build: Build) -> None:
    fw = seller(build, weighted=True)
    card = fw.score("seller", stage="startup", period="2026-10", actuals={**ACTUALS, "repurchase_rate": "n/a"},
                    missing="renormalize")
    # customers is empty: only results counts, 99.5
    assert [s.section for s in card.sections] == ["results"]
    assert card.total == 99.5


def test_unweighted_sections_renormalise_the_whole_card(build: Build) -> None:
    fw = seller(build, weighted=False)
    card = fw.score("seller", stage="startup", period="2026-10", actuals={**ACTUALS, "gross_margin": "n/a"})
    # as without sections: (50*110 + 30*80) / 80 = 7900 / 80 = 98.75
    assert card.total == 98.75
    assert [(s.section, s.subtotal) for s in card.sections] == [("results", 110.0), ("customers", 80.0)]


def test_a_missing_kpi_scored_zero_stays_at_its_weight(build: Build) -> None:
    fw = seller(build, weighted=True)
    card = fw.score("seller", stage="startup", period="2026-10",
                    actuals={key: value for key, value in ACTUALS.items() if key != "repurchase_rate"},
                    missing="zero")
    # customers 0 at its 40: 0.6*99.5 + 0 = 59.7
    assert [s.subtotal for s in card.sections] == [99.5, 0.0]
    assert card.total == 59.7
