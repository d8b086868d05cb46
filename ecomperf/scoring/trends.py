"""Scorecards over time: each card's change against the same employee's previous period, and grade mixes.

Pure functions of :class:`~ecomperf.scorecard.ScoreCard` lists (wherever the cards come from: the
history store, a batch, JSON files), used by ``ecomperf history`` and the HTML reports.

The *previous period* of a card is the period of the same kind just before it (2026-09 for 2026-10,
2026-Q3 for 2026-Q4, 2025 for 2026). When the employee has no card for it, the change is unknown and
says which period is missing: a card two months back is not silently used instead.

Example:
    >>> from ecomperf.scoring.results import ScoreCard
    >>> def card(period, total, grade):
    ...     return ScoreCard(framework="f", employee="li", position="p", position_name="P", stage="s",
    ...                      period=period, kpis=[], total=total, uncapped_grade=grade, grade=grade, bonus=1,
    ...                      grade_scale=["A", "B", "C"])
    >>> [c.total_change for c in period_changes([card("2026-10", 92.5, "B")], [card("2026-09", 80.0, "C")])]
    [12.5]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ecomperf.periods import Period, PeriodError
from ecomperf.scoring.methods import PRECISION
from ecomperf.scoring.results import ScoreCard

__all__ = ["GradeMix", "PeriodChange", "grade_mix", "period_changes", "previous_period"]


@dataclass(frozen=True)
class PeriodChange:
    """One card against the same employee's card for the previous period.

    Attributes:
        period: the card's period; ``previous_period`` the one compared with.
        previous_total, previous_grade: the previous card's, or ``None`` when there is none.
        total_change: ``total - previous_total`` (points), ``None`` without a previous card.
        grade_steps: places moved on the grade scale, positive when better (C to B is +1), ``None``
            without a previous card or when a grade is not on the card's scale.
        grade: the card's own grade.
    """

    period: str
    previous_period: str | None
    previous_total: float | None = None
    previous_grade: str | None = None
    total_change: float | None = None
    grade_steps: int | None = None
    grade: str | None = None

    @property
    def known(self) -> bool:
        """Whether a previous card was found."""
        return self.previous_total is not None


@dataclass(frozen=True)
class GradeMix:
    """How many cards of one period earned each grade.

    Attributes:
        period: the period id.
        counts: grade id → number of cards, every grade of the scale present (0 when nobody earned it).
        size: the number of cards.
    """

    period: str
    counts: dict[str, int]
    size: int


def previous_period(period: str | Period) -> Period | None:
    """The period of the same kind just before ``period`` (``None`` before 1900).

    >>> str(previous_period("2026-01")), str(previous_period("2026-Q1"))
    ('2025-12', '2025-Q4')
    """
    parsed = period if isinstance(period, Period) else Period.parse(period)
    try:
        return parsed.previous()
    except PeriodError:
        return None


def period_changes(cards: Iterable[ScoreCard], history: Iterable[ScoreCard]) -> list[PeriodChange]:
    """Each card's change against the same employee's card for the previous period, in the order given.

    Args:
        cards: the cards to describe; each needs an ``employee`` (cards without one get no change).
        history: the cards to look the previous periods up in (it may include ``cards`` themselves); one
            card per employee and period, as the history store's current versions are.

    Returns:
        One :class:`PeriodChange` per card.
    """
    known: dict[tuple[str, str], ScoreCard] = {}
    for card in history:
        if card.employee is not None:
            known[(card.employee, str(Period.parse(card.period)))] = card
    changes: list[PeriodChange] = []
    for card in cards:
        before = previous_period(card.period)
        earlier = None if before is None or card.employee is None else known.get((card.employee, str(before)))
        if earlier is None:
            changes.append(PeriodChange(card.period, None if before is None else str(before), grade=card.grade))
            continue
        changes.append(PeriodChange(
            period=card.period,
            previous_period=str(before),
            previous_total=earlier.total,
            previous_grade=earlier.grade,
            total_change=round(card.total - earlier.total, PRECISION) + 0.0,
            grade_steps=_steps(earlier.grade, card.grade, card.grade_scale or earlier.grade_scale),
            grade=card.grade,
        ))
    return changes


def _steps(before: str, after: str, scale: Sequence[str]) -> int | None:
    if before not in scale or after not in scale:
        return None
    return scale.index(before) - scale.index(after)


def grade_mix(cards: Iterable[ScoreCard], grades: Sequence[str]) -> list[GradeMix]:
    """The grade counts of each period, oldest first (periods sort as :class:`~ecomperf.periods.Period` does).

    Args:
        cards: one card per employee and period.
        grades: the grade scale, highest first; grades not on it are counted after it.

    >>> from ecomperf.scoring.results import ScoreCard
    >>> card = ScoreCard(framework="f", employee="li", position="p", position_name="P", stage="s",
    ...                  period="2026-10", kpis=[], total=90, uncapped_grade="B", grade="B", bonus=1)
    >>> grade_mix([card], ["A", "B"])[0].counts
    {'A': 0, 'B': 1}
    """
    by_period: dict[Period, Counter[str]] = {}
    for card in cards:
        by_period.setdefault(Period.parse(card.period), Counter())[card.grade] += 1
    mixes = []
    for period in sorted(by_period):
        counts = by_period[period]
        order = [*grades, *sorted(set(counts).difference(grades))]
        mixes.append(GradeMix(str(period), {grade: counts.get(grade, 0) for grade in order}, sum(counts.values())))
    return mixes
