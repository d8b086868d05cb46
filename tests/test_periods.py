"""Period ids: parsing, ordering, containment, neighbours, patterns and roll-ups."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomperf.periods import (
    CYCLE_KIND,
    MAX_YEAR,
    MIN_YEAR,
    Period,
    PeriodError,
    is_consecutive,
    rollup,
    validate_pattern,
)


def p(text: str) -> Period:
    return Period.parse(text)


# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "year", "index"),
    [
        ("2026-10", "month", 2026, 10),
        ("2026-01", "month", 2026, 1),
        ("2026-Q4", "quarter", 2026, 4),
        ("2026-q1", "quarter", 2026, 1),
        ("2026", "year", 2026, 1),
        (" 2026-10 ", "month", 2026, 10),
        ("1900-01", "month", 1900, 1),
        ("2999-Q4", "quarter", 2999, 4),
    ],
)
def test_parse_reads_kind_year_and_index(text: str, kind: str, year: int, index: int) -> None:
    period = p(text)
    assert (period.kind, period.year, period.index) == (kind, year, index)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("2026-10", "2026-10"), ("2026-q4", "2026-Q4"), ("2026", "2026"), (" 2026-03", "2026-03")],
)
def test_str_is_the_canonical_id(text: str, canonical: str) -> None:
    assert str(p(text)) == canonical


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-13", "(months run 01-12)"),
        ("2026-00", "(months run 01-12)"),
        ("2026-1", "(write the month with two digits: 2026-01)"),
        ("2026-Q5", "(quarters run Q1-Q4)"),
        ("2026-Q0", "(quarters run Q1-Q4)"),
        ("1899", "(years run 1900-2999)"),
        ("3000-01", "(years run 1900-2999)"),
        ("2026-10-01", "(that is a date"),
        ("26-10", ""),
        ("2026/10", ""),
        ("October 2026", ""),
        ("", ""),
    ],
)
def test_invalid_id_is_refused_with_the_accepted_forms(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as caught:
        p(text)
    message = str(caught.value)
    assert message.startswith(f"{text!r} is not a period id")
    assert reason in message
    assert message.endswith("use 2026-10 (month), 2026-Q4 (quarter) or 2026 (year)")


def test_the_design_message_for_month_13() -> None:
    with pytest.raises(PeriodError, match=r"^'2026-13' is not a period id .*; use 2026-10 \(month\)"):
        p("2026-13")


def test_an_int_year_is_refused_with_a_hint_to_quote_it() -> None:
    with pytest.raises(PeriodError, match="quote it as '2026'"):
        Period.parse(2026)  # type: ignore[arg-type]


def test_period_error_is_a_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(
    ("kind", "year", "index"),
    [("week", 2026, 1), ("month", 2026, 13), ("quarter", 2026, 5), ("year", 2026, 2), ("month", 1899, 1)],
)
def test_constructor_checks_its_arguments(kind: str, year: int, index: int) -> None:
    with pytest.raises(PeriodError):
        Period(kind, year, index)  # type: ignore[arg-type]


# --- ordering ------------------------------------------------------------------------------------


def test_periods_sort_by_end_month_then_shorter_first() -> None:
    texts = ["2026", "2027-01", "2026-Q4", "2026-12", "2025-12", "2026-11", "2026-Q3", "2026-10"]
    assert [str(period) for period in sorted(map(p, texts))] == [
        "2025-12",
        "2026-Q3",  # ends in September
        "2026-10",
        "2026-11",
        "2026-12",
        "2026-Q4",
        "2026",
        "2027-01",
    ]


def test_months_compare_chronologically_across_years() -> None:
    assert p("2025-12") < p("2026-01") < p("2026-02")


def test_equal_ids_give_equal_and_hashable_periods() -> None:
    assert p("2026-q4") == p("2026-Q4")
    assert len({p("2026-Q4"), p("2026-q4"), Period("quarter", 2026, 4)}) == 1


# --- months, containment, parents ----------------------------------------------------------------


def test_months_of_a_quarter() -> None:
    assert [str(month) for month in p("2026-Q2").months()] == ["2026-04", "2026-05", "2026-06"]


def test_months_of_a_year_are_january_to_december() -> None:
    months = p("2026").months()
    assert len(months) == 12
    assert (str(months[0]), str(months[-1])) == ("2026-01", "2026-12")


def test_a_month_covers_itself() -> None:
    assert p("2026-07").months() == (p("2026-07"),)


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("2026", "2026-Q3", True),
        ("2026", "2026-07", True),
        ("2026-Q3", "2026-09", True),
        ("2026-Q3", "2026-10", False),
        ("2026-Q3", "2026", False),
        ("2026", "2027-01", False),
        ("2026-05", "2026-05", True),
    ],
)
def test_contains(outer: str, inner: str, expected: bool) -> None:
    assert p(outer).contains(p(inner)) is expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("2026-11", "quarter", "2026-Q4"),
        ("2026-03", "quarter", "2026-Q1"),
        ("2026-04", "quarter", "2026-Q2"),
        ("2026-11", "year", "2026"),
        ("2026-Q2", "year", "2026"),
        ("2026-Q2", "quarter", "2026-Q2"),
    ],
)
def test_parent(text: str, kind: str, expected: str) -> None:
    assert str(p(text).parent(kind)) == expected  # type: ignore[arg-type]


def test_a_longer_period_has_no_shorter_parent() -> None:
    with pytest.raises(PeriodError, match="lies in no single month"):
        p("2026-Q2").parent("month")


# --- neighbours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "following"),
    [("2026-12", "2027-01"), ("2026-10", "2026-11"), ("2026-Q4", "2027-Q1"), ("2026", "2027")],
)
def test_next_and_previous_cross_year_boundaries(text: str, following: str) -> None:
    assert p(text).next() == p(following)
    assert p(following).previous() == p(text)


def test_no_period_after_the_last_year() -> None:
    with pytest.raises(PeriodError, match="has no next"):
        p(f"{MAX_YEAR}-12").next()
    with pytest.raises(PeriodError, match="has no previous"):
        p(f"{MIN_YEAR}-Q1").previous()


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        ("2026-12", "2027-01", True),
        ("2026-Q4", "2027-Q1", True),
        ("2025", "2026", True),
        ("2026-10", "2026-12", False),
        ("2026-11", "2026-10", False),
        ("2026-12", "2027-Q1", False),  # different kinds
        ("2026-03", "2026-03", False),
    ],
)
def test_is_consecutive(earlier: str, later: str, expected: bool) -> None:
    assert is_consecutive(p(earlier), p(later)) is expected


# --- patterns ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("2026-11", "*-11", True),
        ("2025-11", "*-11", True),
        ("2026-10", "*-11", False),
        ("2026-Q4", "*-11", False),
        ("2026-06", "2026-06", True),
        ("2026-Q3", "2026-Q*", True),
        ("2026-Q3", "2026-q3", True),  # q matches Q, as in Period.parse
        ("2026-03", "2026-Q*", False),
        ("2026", "2026", True),
        ("2026-01", "2026", False),
        ("2026-01", "2026*", True),
    ],
)
def test_matches_uses_shell_patterns_on_the_canonical_id(text: str, pattern: str, expected: bool) -> None:
    assert p(text).matches(pattern) is expected


@pytest.mark.parametrize("pattern", ["*-11", "2026-06", "2026-Q*", "2026-q4", "*", "1999-*", "2[5-9]??-0[1-3]"])
def test_validate_pattern_accepts_patterns_that_can_match(pattern: str) -> None:
    validate_pattern(pattern)


@pytest.mark.parametrize("pattern", ["*-13", "2026-Q5", "abc", "2026-1", "3000-*", "*-11-*"])
def test_validate_pattern_refuses_patterns_that_match_nothing(pattern: str) -> None:
    with pytest.raises(PeriodError, match="matches no period id"):
        validate_pattern(pattern)


@pytest.mark.parametrize("pattern", ["", "  "])
def test_validate_pattern_refuses_empty_patterns(pattern: str) -> None:
    with pytest.raises(PeriodError, match="non-empty"):
        validate_pattern(pattern)


# --- cycles and roll-ups -------------------------------------------------------------------------


def test_cycles_map_to_the_period_kind_they_are_scored_over() -> None:
    assert dict(CYCLE_KIND) == {
        "daily": "month",
        "weekly": "month",
        "monthly": "month",
        "quarterly": "quarter",
        "annual": "year",
    }


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("sum", 300.0),  # 120 + 100 + 80
        ("mean", 100.0),  # 300 / 3
        ("last", 80.0),
        ("min", 80.0),
        ("max", 120.0),
    ],
)
def test_rollup_of_three_months(how: str, expected: float) -> None:
    assert rollup([120.0, 100.0, 80.0], how) == expected


def test_rollup_sum_does_not_drift() -> None:
    assert rollup([0.1] * 10, "sum") == 1.0  # plain sum() gives 0.9999999999999999


def test_rollup_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        rollup([], "sum")


@pytest.mark.parametrize(("how", "hint"), [("recompute", "recomputed"), ("median", "use sum, mean")])
def test_rollup_refuses_unknown_methods(how: str, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        rollup([1.0], how)


# --- properties ----------------------------------------------------------------------------------

periods = st.one_of(
    st.builds(Period, st.just("month"), st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 12)),
    st.builds(Period, st.just("quarter"), st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 4)),
    st.builds(Period, st.just("year"), st.integers(MIN_YEAR, MAX_YEAR)),
)


@given(periods)
def test_parse_of_str_round_trips(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(periods)
def test_months_are_consecutive_and_contained(period: Period) -> None:
    months = period.months()
    assert len(months) == {"month": 1, "quarter": 3, "year": 12}[period.kind]
    assert all(is_consecutive(a, b) for a, b in pairwise(months))
    assert all(period.contains(month) and month.parent(period.kind) == period for month in months)


@given(periods)
def test_next_then_previous_is_identity(period: Period) -> None:
    if period.year < MAX_YEAR:
        assert period.next().previous() == period
        assert is_consecutive(period, period.next())
        assert period < period.next()


# --- cycles: the one home of "how many months" ----------------------------------------------------


@pytest.mark.parametrize(
    ("cycle", "kind", "months"),
    [("daily", "month", 1), ("weekly", "month", 1), ("monthly", "month", 1), ("quarterly", "quarter", 3),
     ("annual", "year", 12)],
)
def test_each_cycle_is_scored_over_its_kind(cycle: str, kind: str, months: int) -> None:
    from ecomperf.periods import cycle_kind, cycle_months

    assert cycle_kind(cycle) == kind
    assert cycle_months(cycle) == months


def test_an_unknown_cycle_is_a_period_error_naming_the_known_ones() -> None:
    from ecomperf.periods import PeriodError, cycle_kind

    with pytest.raises(PeriodError, match=r"'fortnightly' is not a review cycle; use one of daily, weekly, monthly"):
        cycle_kind("fortnightly")


def test_scoring_and_pro_rating_refuse_an_unknown_cycle_the_same_way() -> None:
    # Both used to read their own month table: kpi_period raised KeyError, pro-rating fell back silently.
    from dataclasses import replace

    import ecomperf
    from ecomperf.periods import Period, PeriodError
    from ecomperf.scoring.card import kpi_period
    from ecomperf.scoring.resolve import prorate_targets, resolve_card
    from tests.conftest import MINI

    card = resolve_card(ecomperf.load(MINI), "service_agent", stage="startup", period="2026-10")
    odd = replace(card, entries=tuple(replace(entry, cycle="fortnightly") for entry in card.entries))
    with pytest.raises(PeriodError, match="not a review cycle"):
        kpi_period(Period.parse("2026-10"), "fortnightly")
    with pytest.raises(PeriodError, match="not a review cycle"):
        prorate_targets(odd)
