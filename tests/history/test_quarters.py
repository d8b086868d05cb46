"""A quarter scored from three recorded months, against a hand-worked total; what cannot be scored is named."""

from __future__ import annotations

import pytest

import ecomperf
from ecomperf.errors import HistoryError
from ecomperf.history import History
from ecomperf.history.quarters import score_from_history
from tests.history.conftest import record_rows, row

Q4 = [
    row("ann", "2026-10", 300, 10_000, 30),
    row("ann", "2026-11", 900, 12_000, 18),
    row("ann", "2026-12", 300, 8_000, 21),
]


def test_the_quarter_is_rolled_up_from_the_recorded_inputs(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, Q4)
    scored = score_from_history(cycle_fw, history.entries(), "2026-Q4")
    assert scored.errors == [] and scored.notes == []
    (card,) = scored.cards
    # conversion: Σ orders / Σ visitors = 1500 / 30000 = 5% -> 100 (the mean of the monthly rates, 4.75%,
    # would give 95); response time: mean of 30, 18, 21 = 23h -> 100·24/23 = 104.347826087;
    # total = (60·100 + 40·104.347826087) / 100 = 101.739130435 -> A
    assert [(k.kpi, k.actual, k.score) for k in card.kpis] == [
        ("conversion_rate", 0.05, 100.0), ("response_hours", 23.0, 104.347826087), ("violations", 0.0, 100.0),
    ]
    assert (card.period, card.total, card.grade, card.bonus) == ("2026-Q4", 101.739130435, "A", 1.2)
    assert card.fingerprint == cycle_fw.fingerprint
    assert [entry.card.period for entry in scored.months["ann"]] == ["2026-10", "2026-11", "2026-12"]


def test_a_missing_month_is_named_and_the_employee_not_scored(
    history: History, cycle_fw: ecomperf.Framework
) -> None:
    record_rows(history, cycle_fw, [*Q4, row("bo", "2026-10", 500, 10_000, 24), row("bo", "2026-12", 500, 10_000, 24)])
    scored = score_from_history(cycle_fw, history.entries(), "2026-Q4")
    assert [card.employee for card in scored.cards] == ["ann"]
    assert scored.errors == [("bo", "no recorded card for 2026-11 (2026-Q4 needs 2026-10 to 2026-12); record the "
                                    "missing month(s) first")]


def test_a_change_of_position_within_the_quarter_is_not_guessed(
    history: History, cycle_fw: ecomperf.Framework
) -> None:
    record_rows(history, cycle_fw, [row("cy", "2026-10", 500, 10_000, 24), row("cy", "2026-11", 500, 10_000, 24),
                                    row("cy", "2026-12", "", "", 10, position="lead")])
    scored = score_from_history(cycle_fw, history.entries(), "2026-Q4")
    assert scored.cards == []
    assert scored.errors == [("cy", "the position changed within the period (2026-10: agent; 2026-11: agent; "
                                    "2026-12: lead), so its card is ambiguous")]


def test_a_ratio_recorded_without_its_inputs_is_named_with_the_inputs_to_record(
    history: History, cycle_fw: ecomperf.Framework
) -> None:
    months = [{"employee": "dee", "position": "agent", "stage": "launch", "period": period,
               "conversion_rate": "5%", "response_hours": 24, "violations": 0}
              for period in ("2026-10", "2026-11", "2026-12")]
    record_rows(history, cycle_fw, months)
    scored = score_from_history(cycle_fw, history.entries(), "2026-Q4")
    ((employee, reason),) = scored.errors
    assert employee == "dee"
    assert "conversion_rate" in reason
    assert reason.endswith("hint: conversion_rate was recorded as a monthly value, but a longer period "
                           "recomputes it from orders, visitors: record orders, visitors every month")


def test_superseded_months_are_not_used(history: History, cycle_fw: ecomperf.Framework) -> None:
    record_rows(history, cycle_fw, Q4)
    # December corrected to 600 orders: Σ orders 1800 / 30000 = 6% -> 120 (cap); 0.6·120 + 0.4·104.347826087
    # = 72 + 41.739130435 = 113.739130435
    record_rows(history, cycle_fw, [row("ann", "2026-12", 600, 8_000, 21)], replace=True)
    scored = score_from_history(cycle_fw, history.entries(all_versions=True), "2026-Q4")
    assert [card.total for card in scored.cards] == [113.739130435]


def test_only_quarters_and_years_are_rolled_up(cycle_fw: ecomperf.Framework) -> None:
    with pytest.raises(HistoryError, match="2026-10 is a month; scoring from history rolls months up to a quarter "
                                           r"or a year \(e.g. 2026-Q4 or 2026\)"):
        score_from_history(cycle_fw, [], "2026-10")
