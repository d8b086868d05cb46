"""Changes against the previous period and grade mixes over time."""

from __future__ import annotations

from ecomperf.scoring.results import ScoreCard
from ecomperf.scoring.trends import grade_mix, period_changes

SCALE = ["A", "B", "C", "D"]


def card(employee: str, period: str, total: float, grade: str) -> ScoreCard:
    return ScoreCard(framework="f", employee=employee, position="p", position_name="P", stage="s", period=period,
                     kpis=[], total=total, uncapped_grade=grade, grade=grade, bonus=1.0, grade_scale=SCALE)


def test_change_against_the_previous_month_in_points_and_grade_places() -> None:
    history = [card("li", "2026-09", 72.5, "C"), card("li", "2026-10", 101.25, "A")]
    (change,) = period_changes([history[1]], history)
    # 101.25 - 72.5 = 28.75 points; C (index 2) -> A (index 0): two places up
    assert (change.previous_period, change.total_change, change.grade_steps) == ("2026-09", 28.75, 2)
    assert change.known


def test_a_missing_previous_period_is_named_not_skipped() -> None:
    history = [card("li", "2026-08", 90.0, "B"), card("li", "2026-10", 80.0, "C")]
    (change,) = period_changes([history[1]], history)
    assert (change.previous_period, change.known, change.total_change) == ("2026-09", False, None)


def test_quarters_compare_with_the_previous_quarter_and_across_years() -> None:
    history = [card("li", "2025-Q4", 90.0, "B"), card("li", "2026-Q1", 85.5, "B"), card("li", "2026-01", 60.0, "D")]
    (change,) = period_changes([history[1]], history)
    assert (change.previous_period, change.total_change, change.grade_steps) == ("2025-Q4", -4.5, 0)


def test_grade_mix_counts_every_grade_per_period_in_order() -> None:
    cards = [card("a", "2026-10", 100, "A"), card("b", "2026-10", 80, "C"), card("a", "2026-09", 90, "B")]
    assert [(mix.period, mix.counts, mix.size) for mix in grade_mix(cards, SCALE)] == [
        ("2026-09", {"A": 0, "B": 1, "C": 0, "D": 0}, 1),
        ("2026-10", {"A": 1, "B": 0, "C": 1, "D": 0}, 2),
    ]
