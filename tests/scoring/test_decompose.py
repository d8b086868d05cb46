"""Decomposing a target plan: phasing, owners' shares and cents that add up, worked by hand and as properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomperf.errors import ScoringError
from ecomperf.model import TargetPlan
from ecomperf.periods import Period
from ecomperf.scoring.decompose import CENT, plan_calendar, split


def _plan(**fields: object) -> TargetPlan:
    return TargetPlan.model_validate(
        {"apiVersion": "ecomperf/v1", "kind": "TargetPlan", "id": "p", "name": "Plan", "metric": "gmv",
         "period": "2026", "total": "1亿", **fields}
    )


def test_even_annual_plan_gives_quarters_of_a_quarter_and_cents_that_add_up() -> None:
    # 1亿 / 4 = 2500万 a quarter; 2500万 / 3 = 8,333,333.33…: the odd cent goes to the first month
    calendar = plan_calendar(_plan(owner="head"))
    assert calendar.totals[:3] == (8_333_333.34, 8_333_333.33, 8_333_333.33)
    assert calendar.total_in(Period.parse("2026-Q1")) == 25_000_000
    assert sum(calendar.exact_totals) == 100_000_000


def test_declared_phasing_lets_double_11_carry_more() -> None:
    # Q4 35% of 3000万 = 1050万; November 45% of it = 472.5万
    calendar = plan_calendar(_plan(total="3000万", quarters={"2026-Q1": "20%", "2026-Q2": "25%", "2026-Q3": "20%",
                                                             "2026-Q4": "35%"},
                                   months={"2026-10": "30%", "2026-11": "45%", "2026-12": "25%"}))
    assert calendar.total_in(Period.parse("2026-11")) == 4_725_000
    assert calendar.total_in(Period.parse("2026-Q4")) == 10_500_000
    assert calendar.total_in(Period.parse("2026-02")) == 2_000_000  # 20% of 3000万 over three months


def test_shares_split_every_month_and_leave_the_remainder_unassigned() -> None:
    # 30% and 20% of 1亿: 3000万 and 2000万 a year, 250万 and 166.67万 a month; 50% (5000万) unassigned
    calendar = plan_calendar(_plan(shares=[{"position": "product", "share": "30%"},
                                           {"position": "channel", "share": "20%"}]))
    roles = [(a.position, a.role, a.share) for a in calendar.allocations]
    assert roles == [("product", "share", Fraction(3, 10)), ("channel", "share", Fraction(1, 5)),
                     (None, "unassigned", Fraction(1, 2))]
    assert calendar.amounts(0)[0] == 2_500_000
    assert calendar.amount_in(1, Period.parse("2026")) == 20_000_000
    assert calendar.amount_in(2, Period.parse("2026-Q1")) == 12_500_000


def test_quarterly_plan_splits_over_its_months_only() -> None:
    # the seed's Q1 2000万 with the monthly figure left blank: 666.67万, 666.67万, 666.66万
    calendar = plan_calendar(_plan(period="2026-Q1", total="2000万", owner="store"))
    assert calendar.months == tuple(Period.parse(m) for m in ("2026-01", "2026-02", "2026-03"))
    assert calendar.totals == (6_666_666.67, 6_666_666.67, 6_666_666.66)
    assert calendar.total_in(Period.parse("2026")) is None  # the plan does not cover the year


def test_a_month_plan_is_refused_by_the_model() -> None:
    with pytest.raises(ValueError, match="not the month 2026-10"):
        _plan(period="2026-10")


def test_phasing_that_names_no_quarter_of_the_plan_is_an_error() -> None:
    with pytest.raises(ScoringError, match="gives no share for 2026-Q2"):
        plan_calendar(_plan(quarters={"2026-Q1": "100%"}))


def test_split_hands_the_odd_cents_to_the_largest_remainders() -> None:
    # 100 / 3 = 33.333…: 33.33 each and one cent left, to the first
    assert split(Fraction(100), [Fraction(1)] * 3) == [Fraction(3334, 100), Fraction(3333, 100), Fraction(3333, 100)]


_PERCENTS = st.lists(st.integers(1, 60), min_size=4, max_size=4)


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(100, 10**12),
    quarters=_PERCENTS,
    months=st.lists(st.integers(1, 9), min_size=3, max_size=3),
    shares=st.lists(st.integers(0, 33), max_size=3),  # at most 99% together
)
def test_decomposed_months_sum_back_to_the_annual_target(
    cents: int, quarters: list[int], months: list[int], shares: list[int]
) -> None:
    total = Fraction(cents, 100)
    quarter_shares = {f"2026-Q{i + 1}": f"{Fraction(q * 100, sum(quarters)).__float__():.15g}%" for i, q in
                      enumerate(quarters)}
    month_shares = {f"2026-{m:02d}": f"{Fraction(w * 100, sum(months)).__float__():.15g}%" for m, w in
                    zip((10, 11, 12), months, strict=True)}
    plan = _plan(total=float(total), quarters=quarter_shares, months=month_shares, owner="head",
                 shares=[{"position": f"p{i}", "share": f"{share}%"} for i, share in enumerate(shares)])
    calendar = plan_calendar(plan)
    assert sum(calendar.exact_totals) == Fraction(repr(float(total)))
    assert all(amount % CENT == 0 for amount in calendar.exact_totals) or Fraction(repr(float(total))) % CENT
    parts = [n for n, a in enumerate(calendar.allocations) if a.role != "owner"]
    for month in range(12):
        if parts:
            assert sum(calendar.exact_amounts[n][month] for n in parts) == calendar.exact_totals[month]
    for quarter in calendar.quarters:
        months_of = [m for m, month in enumerate(calendar.months) if quarter.contains(month)]
        assert calendar.total_in(quarter) == float(sum(calendar.exact_totals[m] for m in months_of))
