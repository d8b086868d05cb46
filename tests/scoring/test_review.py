"""Improvement-plan flags and the forced-distribution check: evidence for a conversation, never an action.

The base framework's pip rule is 3 monthly periods in a row at or below C (grades S A B C D); its
distribution asks for S 10%, A 20%, B 50%, C 15%, D 5% in groups of at least 10.
"""

from __future__ import annotations

import pytest

from ecomperf import DistributionReport, ScoreCard, distribution_report, pip_flags
from ecomperf.framework import Framework
from ecomperf.model import Distribution, PipRule

SCALE = ["S", "A", "B", "C", "D"]
TOTALS = {"S": 115.0, "A": 105.0, "B": 90.0, "C": 75.0, "D": 50.0}


def card(employee: str | None, period: str, grade: str, position: str = "store_manager") -> ScoreCard:
    """A minimal scored card; review functions only read employee, position, period, total and grade."""
    return ScoreCard(framework="t", employee=employee, position=position, position_name=position, stage="startup",
                     period=period, kpis=[], total=TOTALS[grade], uncapped_grade=grade, grade=grade,
                     bonus=0.0, grade_scale=SCALE)


def history(employee: str, start_month: int, grades: str, year: int = 2026) -> list[ScoreCard]:
    """Consecutive monthly cards from ``year-start_month``, one grade letter per month."""
    return [card(employee, f"{year}-{start_month + i:02d}", g) for i, g in enumerate(grades)]


# --- improvement plans -----------------------------------------------------------------------------


def test_three_months_in_a_row_at_or_below_c_raise_a_flag(fw: Framework) -> None:
    flags = pip_flags(history("wang", 1, "BCDC"), fw.rules.pip)
    # February C, March D, April C: three in a row at or below C (D is below C)
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.employee, flag.position, flag.periods) == ("wang", "store_manager", ["2026-02", "2026-03", "2026-04"])
    assert (flag.grades, flag.totals) == (["C", "D", "C"], [75.0, 50.0, 75.0])
    assert (flag.below_grade, flag.consecutive, flag.ongoing) == ("C", 3, True)
    assert flag.message == ("wang: 3 monthly periods in a row at or below C (2026-02 to 2026-04: C, D, C); "
                            "review whether an improvement plan is needed")


def test_two_low_months_are_not_enough(fw: Framework) -> None:
    assert pip_flags(history("wang", 1, "ACCBCC"), fw.rules.pip) == []


def test_a_gap_in_periods_resets_the_count(fw: Framework) -> None:
    # C in Jan, Feb, then no card for March, then C in April: the run is broken by the missing month
    cards = [*history("wang", 1, "CC"), *history("wang", 4, "C")]
    assert pip_flags(cards, fw.rules.pip) == []


def test_a_run_across_the_year_end_counts(fw: Framework) -> None:
    cards = [*history("wang", 11, "DC", year=2025), *history("wang", 1, "C")]
    assert pip_flags(cards, fw.rules.pip)[0].periods == ["2025-11", "2025-12", "2026-01"]


def test_the_latest_qualifying_run_is_reported_once_per_employee(fw: Framework) -> None:
    # Jan-Mar C C C, April A, May-Aug D D D D, September B: one flag, for May-August, no longer ongoing
    flags = pip_flags(history("wang", 1, "CCCADDDDB"), fw.rules.pip)
    assert len(flags) == 1
    assert flags[0].periods == ["2026-05", "2026-06", "2026-07", "2026-08"]
    assert not flags[0].ongoing


def test_flags_are_per_employee_and_cards_may_come_in_any_order(fw: Framework) -> None:
    cards = [*history("zhao", 1, "DDD"), *history("li", 1, "AAA"), *history("chen", 1, "CCC")]
    flags = pip_flags(list(reversed(cards)), fw.rules.pip)
    assert [f.employee for f in flags] == ["chen", "zhao"]


def test_only_cards_of_the_rule_cycle_count(fw: Framework) -> None:
    quarterly = [card("wang", p, "D") for p in ("2026-Q1", "2026-Q2", "2026-Q3")]
    assert pip_flags(quarterly, fw.rules.pip) == []
    rule = PipRule(consecutive=2, cycle="quarterly", below_grade="D")
    assert pip_flags(quarterly, rule)[0].periods == ["2026-Q1", "2026-Q2", "2026-Q3"]


def test_the_capped_grade_is_what_counts(fw: Framework) -> None:
    # a veto breach capped an S total to C: it counts as C
    capped = [card("wang", f"2026-0{m}", "C").model_copy(update={"total": 120.0, "uncapped_grade": "S"})
              for m in (1, 2, 3)]
    assert len(pip_flags(capped, fw.rules.pip)) == 1


def test_no_rule_flags_nobody() -> None:
    assert pip_flags(history("wang", 1, "DDD"), None) == []


def test_cards_without_employee_or_twice_in_a_period_are_refused(fw: Framework) -> None:
    with pytest.raises(ValueError, match="has no employee"):
        pip_flags([card(None, "2026-01", "D")], fw.rules.pip)
    with pytest.raises(ValueError, match="'wang' has two cards for 2026-01"):
        pip_flags([card("wang", "2026-01", "D"), card("wang", "2026-01", "C")], fw.rules.pip)


def test_the_grade_scale_can_be_given(fw: Framework) -> None:
    bare = [c.model_copy(update={"grade_scale": []}) for c in history("wang", 1, "DDD")]
    with pytest.raises(ValueError, match=r"pass grades=fw\.grades"):
        pip_flags(bare, fw.rules.pip)
    assert len(pip_flags(bare, fw.rules.pip, grades=fw.grades)) == 1


def test_pip_flags_on_scored_cards(fw: Framework) -> None:
    low = {"response_hours": 40, "complaint_rate": 0.04}  # 100·24/40 = 60, 100·2/4 = 50 → 56 → D
    cards = [fw.score("service_agent", stage="startup", period=f"2026-0{m}", actuals=low, employee="zhou")
             for m in (7, 8, 9)]
    assert [c.grade for c in cards] == ["D", "D", "D"]
    assert pip_flags(cards, fw.rules.pip)[0].totals == [56.0, 56.0, 56.0]


# --- forced distribution ---------------------------------------------------------------------------


def team(position: str, grades: str, period: str = "2026-12") -> list[ScoreCard]:
    return [card(f"{position}{i}", period, g, position) for i, g in enumerate(grades)]


def test_a_group_matching_the_shares_has_no_deviations(fw: Framework) -> None:
    # 20 people: expected S 2, A 4, B 10, C 3, D 1
    cards = team("ops", "SS" + "AAAA" + "B" * 10 + "CCC" + "D")
    report = distribution_report(cards, fw.rules.distribution, fw.grades)
    group = report.groups[0]
    assert (group.group, group.size, group.too_small, group.deviations) == ("ops", 20, False, [])
    assert [(r.grade, r.expected_count, r.actual_count) for r in group.rows] == [
        ("S", 2.0, 2), ("A", 4.0, 4), ("B", 10.0, 10), ("C", 3.0, 3), ("D", 1.0, 1)]


def test_deviations_list_expected_and_actual(fw: Framework) -> None:
    # 20 people, 6 S instead of 2, 8 B instead of 10, no D instead of 1
    cards = team("ops", "S" * 6 + "AAAA" + "B" * 8 + "CC")
    report = distribution_report(cards, fw.rules.distribution, fw.grades)
    rows = {r.grade: r for r in report.groups[0].deviations}
    assert sorted(rows) == ["B", "C", "D", "S"]
    s = rows["S"]
    # S: expected 10% of 20 = 2, actual 6 = 30% → 4 people over
    assert (s.expected_share, s.expected_count, s.actual_count, s.actual_share, s.deviation, s.status) == (
        0.1, 2.0, 6, 0.3, 4.0, "over")
    assert (rows["B"].deviation, rows["B"].status) == (-2.0, "under")
    assert (rows["C"].expected_count, rows["C"].actual_count, rows["C"].status) == (3.0, 2, "under")
    assert report.deviations[0] == ("ops", s)


def test_fractional_expectations_allow_rounding_either_way(fw: Framework) -> None:
    # 15 people: S expected 1.5 → 1 or 2 are fine; A 3; B 7.5 → 7 or 8; C 2.25 → 2 or 3; D 0.75 → 0 or 1
    cards = team("ops", "S" + "AAA" + "B" * 8 + "CCC")
    assert distribution_report(cards, fw.rules.distribution, fw.grades).groups[0].deviations == []


def test_small_groups_are_reported_not_judged(fw: Framework) -> None:
    cards = team("ops", "SSSSS")  # 5 people, all S: far off, but below min_group 10
    group = distribution_report(cards, fw.rules.distribution, fw.grades).groups[0]
    assert (group.size, group.too_small, group.deviations) == (5, True, [])
    assert group.rows[0].actual_count == 5


def test_groups_by_position_by_default_or_by_any_function(fw: Framework) -> None:
    cards = [*team("ops", "B" * 10), *team("service", "C" * 12)]
    report = distribution_report(cards, fw.rules.distribution, fw.grades)
    assert [(g.group, g.size) for g in report.groups] == [("ops", 10), ("service", 12)]
    everyone = distribution_report(cards, fw.rules.distribution, fw.grades, group_by=lambda c: "all")
    assert [(g.group, g.size) for g in everyone.groups] == [("all", 22)]
    by_period = distribution_report(cards, fw.rules.distribution, fw.grades, group_by="period")
    assert [g.group for g in by_period.groups] == ["2026-12"]


def test_the_report_round_trips_through_json(fw: Framework) -> None:
    report = distribution_report(team("ops", "S" * 10), fw.rules.distribution, fw.grades)
    assert DistributionReport.model_validate_json(report.model_dump_json()) == report


def test_counting_someone_twice_is_warned_about(fw: Framework) -> None:
    cards = [*team("ops", "B" * 10), card("ops0", "2026-11", "B", "ops")]
    report = distribution_report(cards, fw.rules.distribution, fw.grades)
    assert report.warnings == ["group 'ops' counts ops0 more than once; pass one card per employee"]
    assert report.groups[0].periods == ["2026-11", "2026-12"]


def test_distribution_needs_a_declared_rule_and_known_grades(fw: Framework) -> None:
    with pytest.raises(ValueError, match=r"no rules\.distribution"):
        distribution_report([], None, fw.grades)
    with pytest.raises(ValueError, match="not on the grade scale"):
        distribution_report([card("a", "2026-01", "A")], Distribution(shares={"B": 1.0}), ["B"])
    with pytest.raises(ValueError, match="not a ScoreCard field"):
        distribution_report([], fw.rules.distribution, fw.grades, group_by="department")
