"""The numbers the peers' own test suites assert, reproduced by ecomperf cards (see tests/peers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ecomperf
from ecomperf.framework import Framework
from tests.peers import FRAPPE, FRAPPE_ACTUALS, OKR, ORANGEHRM, okr_actuals, variant


@pytest.fixture(scope="module")
def frappe() -> Framework:
    return ecomperf.load(FRAPPE)


@pytest.fixture(scope="module")
def okr() -> Framework:
    return ecomperf.load(OKR)


def test_frappe_final_score_is_3_767(frappe: Framework) -> None:
    card = frappe.score("engineer", stage="default", period="2026", actuals=FRAPPE_ACTUALS)
    # goals: 5/5 -> 100 points at 30, 3/5 -> 60 at 70: 0.3*100 + 0.7*60 = 72 points = 3.6 of 5 (Frappe's 3.6)
    # ratings: 0.8 -> 80 at 70, 0.7 -> 70 at 30, self and feedback alike: 0.7*80 + 0.3*70 = 77 = 3.85 of 5
    # total: (1*72 + 2*77) / 3 = 226 / 3 = 75.333333333 points = 3.7666666667 of 5 -> 3.767
    assert [(s.section, s.subtotal, s.shown) for s in card.sections] == [("goals", 72.0, 3.6), ("ratings", 77.0, 3.85)]
    assert card.total == 75.333333333
    assert (card.shown_total, card.display_scale) == (3.767, 5.0)
    assert card.grade == "B"  # grades stay on points: 75.33 >= 60


def test_frappe_counts_absent_self_appraisal_and_feedback_as_zero(frappe: Framework) -> None:
    # test_manual_kra_rating: goals only -> (3.6 + 0 + 0) / 3 = 1.2; here (1*72 + 2*0) / 3 = 24 points = 1.2 of 5
    card = frappe.score("engineer", stage="default", period="2026",
                        actuals={"kra_quality": 5, "kra_development": 3})
    assert (card.total, card.shown_total) == (24.0, 1.2)


def test_frappe_without_self_appraisal_counts_it_as_zero(frappe: Framework) -> None:
    actuals = {key: value for key, value in FRAPPE_ACTUALS.items() if not key.endswith("@self")}
    card = frappe.score("engineer", stage="default", period="2026", actuals=actuals)
    # Frappe: (3.6 + 0 + 3.85) / 3 = 2.4833; here each criterion is (0 + rating) / 2: 40 and 35 points,
    # ratings 0.7*40 + 0.3*35 = 38.5, total (72 + 2*38.5) / 3 = 49.666666667 = 2.483 of 5
    assert (card.total, card.shown_total) == (49.666666667, 2.483)
    problem_solving = next(kpi for kpi in card.kpis if kpi.kpi == "problem_solving")
    assert [(r.rater, r.value, r.note) for r in problem_solving.ratings] == [
        ("self", None, "no rating: counted as 0"), ("feedback", 0.8, None)]


def test_frappe_final_score_formula_60_30_10(tmp_path: Path) -> None:
    # frappe/hrms#690: final = 60% goals + 30% self + 10% feedback. Goals keep 60; the rated criteria
    # carry 40, self 3 : feedback 1 within them. Self 0.8/0.7 and feedback 0.6/0.5 (at 70/30):
    # self 77, feedback 0.7*60 + 0.3*50 = 57; criteria per rating: problem solving (3*80 + 60)/4 = 75,
    # excellence (3*70 + 50)/4 = 65 -> section 0.7*75 + 0.3*65 = 72 (= 0.75*77 + 0.25*57)
    # total 0.6*72 + 0.4*72 = 72 points = 3.6 of 5 (Frappe: 0.6*3.6 + 0.3*3.85 + 0.1*2.85 = 3.6)
    fw = variant(tmp_path, FRAPPE,
                 ("raters: {roles: [self, feedback]}",
                  "raters: {combine: weighted, roles: [{id: self, weight: 3}, {id: feedback, weight: 1}]}"),
                 ("  weights: relative\n", ""), ("Goals}, weight: 1}", "Goals}, weight: 60}"),
                 ("feedback}, weight: 2}", "feedback}, weight: 40}"))
    actuals = {**FRAPPE_ACTUALS, "problem_solving@feedback": 0.6, "excellence@feedback": 0.5}
    card = fw.score("engineer", stage="default", period="2026", actuals=actuals)
    assert [(s.section, s.weight, s.subtotal) for s in card.sections] == [
        ("goals", 60.0, 72.0), ("ratings", 40.0, 72.0)]
    assert (card.total, card.shown_total) == (72.0, 3.6)


def test_okr_objective_of_key_results_weighted_1_3_2(okr: Framework) -> None:
    # progress 20% (10% -> 20% of the way from 0 to 50%), 80% and 100%; relative weights 1/3/2 of 6:
    # (1*20 + 3*80 + 2*100) / 6 = 460 / 6 = 76.666666667 -> 76.6667 shown with 4 decimals
    actuals = okr_actuals((0.0, 0.5, 0.1), (0.2, 0.7, 0.6), (0.3, 0.3, 0.4))
    card = okr.score("growth_team", stage="default", period="2026-Q4", actuals=actuals)
    assert [kpi.actual for kpi in card.kpis] == [0.2, pytest.approx(0.8), 1.0]
    assert [kpi.score for kpi in card.kpis] == [20.0, 80.0, 100.0]
    assert card.total == 76.666666667
    assert card.shown_total == 76.6667


def test_okr_progress_below_the_start_shows_and_scores_zero(okr: Framework) -> None:
    # key result 1 fell from its start of 10% to 5% on the way to 50%: progress (5 - 10) / 40 = -12.5%,
    # which the card shows; okr-tracker counts it as 0%, as linear scoring (floor 0) does:
    # (1*0 + 3*80 + 2*100) / 6 = 440 / 6 = 73.333333333
    actuals = okr_actuals((0.1, 0.5, 0.05), (0.2, 0.7, 0.6), (0.3, 0.3, 0.4))
    card = okr.score("growth_team", stage="default", period="2026-Q4", actuals=actuals)
    assert card.kpis[0].actual == pytest.approx(-0.125)
    assert card.kpis[0].score == 0.0
    assert card.total == 73.333333333


def test_orangehrm_ratings_count_as_shares_of_their_maximum() -> None:
    fw = ecomperf.load(ORANGEHRM)
    actuals = {"code_coverage@supervisor": 75, "code_coverage@self": 95, "code_stability@supervisor": 4,
               "code_stability@self": 4, "velocity@supervisor": 3, "velocity@self": 5}
    card = fw.score("software_engineer", stage="default", period="2026", actuals=actuals)
    # supervisor 3 : self 1 -> coverage (3*75 + 95) / 4 = 80 of 100 -> 80; stability 4 of 5 -> 80;
    # velocity (3*3 + 5) / 4 = 3.5 of 5 -> 70; equal weights: (80 + 80 + 70) / 3 = 76.666666667 -> 3.83 of 5
    assert [kpi.score for kpi in card.kpis] == [80.0, 80.0, 70.0]
    assert (card.total, card.shown_total, card.grade) == (76.666666667, 3.83, "meets")
