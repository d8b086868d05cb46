"""Reviews across many scorecards: improvement-plan flags and the forced-distribution check.

Both produce *evidence for a conversation*, never a decision:

* :func:`pip_flags` flags an employee whose grade was at or below ``rules.pip.below_grade`` for
  ``rules.pip.consecutive`` periods in a row (绩效改进计划). Whether a plan follows is a manager's
  call; the flag carries the periods, totals and grades that triggered it.
* :func:`distribution_report` compares each group's grade mix with the advisory shares of
  ``rules.distribution`` (强制分布) and lists the grades that deviate. Groups smaller than
  ``min_group`` are reported as too small to judge: with eight people a 10% share is 0.8 of a person.

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("frameworks/ecommerce-ops")  # doctest: +SKIP
    >>> flags = pip_flags(cards, fw.rules.pip)  # doctest: +SKIP
    >>> report = distribution_report(cards, fw.rules.distribution, fw.grades)  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ecomperf.errors import ReviewError
from ecomperf.model import Distribution, Grade, PipRule
from ecomperf.periods import Period, PeriodError, cycle_kind, is_consecutive
from ecomperf.scoring.results import ScoreCard

__all__ = [
    "DistributionReport",
    "GradeShare",
    "GroupDistribution",
    "PipFlag",
    "distribution_report",
    "pip_flags",
]


# --- improvement plans -----------------------------------------------------------------------------


class PipFlag(BaseModel):
    """An employee whose grade was at or below the rule's grade for enough periods in a row.

    A flag for a manager to review, not an action.

    Attributes:
        employee: the employee id.
        position: the position on the latest card of the run.
        below_grade: the rule's grade (the run is at or below it).
        consecutive: how many periods in a row the rule asks for.
        periods, totals, grades: the evidence, one entry per period of the run, oldest first. The run
            may be longer than ``consecutive``.
        ongoing: the run reaches the employee's latest card (``False``: the employee has since recovered).
        message: one sentence for a report.
    """

    model_config = ConfigDict(frozen=True)

    employee: str
    position: str
    below_grade: str
    consecutive: int
    periods: list[str]
    totals: list[float]
    grades: list[str]
    ongoing: bool
    message: str


def pip_flags(
    cards: Iterable[ScoreCard], rule: PipRule | None, *, grades: Sequence[str | Grade] | None = None
) -> list[PipFlag]:
    """Flag employees with ``rule.consecutive`` periods in a row at or below ``rule.below_grade``.

    Only cards whose period is of the rule's cycle count (monthly cards for a monthly rule). Periods
    must follow each other: a gap (a month with no card) resets the count, because nothing is known
    about the missing month. When an employee has several qualifying runs, the latest is reported, so
    there is at most one flag per employee; ``ongoing`` tells whether it reaches their latest card. The
    final (veto-capped) grade is used.

    Args:
        cards: scored cards of any number of employees and periods; each needs ``employee``.
        rule: the rule, usually ``fw.rules.pip``; ``None`` (no rule declared) flags nobody.
        grades: the grade scale, highest first (ids or :class:`~ecomperf.model.Grade`); by default the
            cards' own ``grade_scale``.

    Returns:
        The flags, ordered by employee id.

    Raises:
        ValueError: a card has no employee, two cards share an employee and period, the grade scale is
            unknown, or a grade is not on it.

    Example:
        >>> from ecomperf.model import PipRule
        >>> pip_flags([], PipRule(consecutive=3, below_grade="C"), grades=["A", "B", "C", "D"])
        []
    """
    if rule is None:
        return []
    kind = cycle_kind(rule.cycle)
    chosen = [card for card in cards if _period(card).kind == kind]
    if not chosen:
        return []
    scale = _scale(chosen, grades)
    if rule.below_grade not in scale:
        raise ReviewError(f"pip rule grade {rule.below_grade!r} is not on the grade scale {scale}")
    limit = scale.index(rule.below_grade)
    flags = []
    for employee, history in sorted(_by_employee(chosen).items()):
        run = _latest_run(history, lambda card: _rank(card, scale) >= limit, rule.consecutive)
        if run:
            flags.append(_flag(employee, run, rule, ongoing=run[-1] is history[-1]))
    return flags


def _by_employee(cards: Iterable[ScoreCard]) -> dict[str, list[ScoreCard]]:
    history: dict[str, dict[Period, ScoreCard]] = {}
    for card in cards:
        if card.employee is None:
            raise ReviewError(f"a card for {card.position} in {card.period} has no employee; pip flags follow people")
        period = _period(card)
        mine = history.setdefault(card.employee, {})
        if period in mine:
            raise ReviewError(f"employee {card.employee!r} has two cards for {period}; keep one per period")
        mine[period] = card
    return {employee: [mine[p] for p in sorted(mine)] for employee, mine in history.items()}


def _latest_run(history: Sequence[ScoreCard], below: Callable[[ScoreCard], bool], length: int) -> list[ScoreCard]:
    """The latest run of at least ``length`` consecutive periods whose cards are ``below`` (else empty)."""
    best: list[ScoreCard] = []
    run: list[ScoreCard] = []
    for card in history:
        if not below(card):
            run = []
            continue
        if run and not is_consecutive(_period(run[-1]), _period(card)):
            run = []
        run.append(card)
        if len(run) >= length:
            best = list(run)
    return best


def _flag(employee: str, run: list[ScoreCard], rule: PipRule, *, ongoing: bool) -> PipFlag:
    periods = [card.period for card in run]
    grades = [card.grade for card in run]
    message = (
        f"{employee}: {len(run)} {rule.cycle} periods in a row at or below {rule.below_grade} "
        f"({periods[0]} to {periods[-1]}: {', '.join(grades)}); review whether an improvement plan is needed"
    )
    return PipFlag(
        employee=employee,
        position=run[-1].position,
        below_grade=rule.below_grade,
        consecutive=rule.consecutive,
        periods=periods,
        totals=[card.total for card in run],
        grades=grades,
        ongoing=ongoing,
        message=message,
    )


# --- forced distribution ---------------------------------------------------------------------------


class GradeShare(BaseModel):
    """One grade of one group: expected against actual.

    Attributes:
        grade: the grade id.
        expected_share: the share ``rules.distribution`` asks for (0.1 = 10%).
        expected_count: ``expected_share × group size`` (fractional).
        actual_count: cards with this grade.
        actual_share: ``actual_count / group size``.
        deviation: ``actual_count - expected_count`` (positive: more people than expected).
        status: ``over`` or ``under`` when the actual count lies outside the expected count rounded
            down and up (2.5 expected allows 2 or 3), else ``ok``.
    """

    model_config = ConfigDict(frozen=True)

    grade: str
    expected_share: float
    expected_count: float
    actual_count: int
    actual_share: float
    deviation: float
    status: Literal["ok", "over", "under"]


class GroupDistribution(BaseModel):
    """The grade mix of one group (a position, a department …).

    Attributes:
        group: the group key.
        size: number of cards in it.
        too_small: fewer than ``min_group`` cards: reported, not judged (``rows`` still show the mix).
        rows: one row per grade, highest first.
        deviations: the rows whose status is not ``ok`` (always empty when ``too_small``).
        periods: the periods the group's cards cover (more than one usually means mixed-up input).
    """

    model_config = ConfigDict(frozen=True)

    group: str
    size: int
    too_small: bool
    rows: list[GradeShare]
    deviations: list[GradeShare]
    periods: list[str]


class DistributionReport(BaseModel):
    """The forced-distribution check of many cards, one entry per group, ordered by group key.

    Attributes:
        min_group: the smallest group judged.
        groups: the groups.
        warnings: e.g. an employee counted twice in one group.
    """

    model_config = ConfigDict(frozen=True)

    min_group: int
    groups: list[GroupDistribution]
    warnings: list[str] = []

    @property
    def deviations(self) -> list[tuple[str, GradeShare]]:
        """Every deviating grade as ``(group, row)``, across groups."""
        return [(group.group, row) for group in self.groups for row in group.deviations]


def distribution_report(
    cards: Iterable[ScoreCard],
    distribution: Distribution | None,
    grades: Sequence[str | Grade],
    group_by: str | Callable[[ScoreCard], str] = "position",
) -> DistributionReport:
    """Compare each group's grade mix with the advisory shares of ``rules.distribution``.

    Pass one card per employee for one review period. A grade deviates when its actual count lies
    outside the expected count rounded down and up: with 30 people and a 10% share, exactly 3 is
    expected; with 25 people, 2 or 3 are. Grades without a share are expected at 0%.

    Args:
        cards: scored cards.
        distribution: usually ``fw.rules.distribution``.
        grades: the grade scale, highest first (ids or :class:`~ecomperf.model.Grade`), e.g. ``fw.grades``.
        group_by: a ScoreCard field name (``"position"``, ``"stage"``, ``"period"`` …) or a function of
            the card returning the group key (e.g. a department looked up from the position).

    Returns:
        The report.

    Raises:
        ValueError: no distribution is declared, ``group_by`` names no card field, or a card's grade
            is not on the scale.

    Example:
        >>> from ecomperf.model import Distribution
        >>> report = distribution_report([], Distribution(shares={"A": 0.2, "B": 0.8}), ["A", "B"])
        >>> report.groups
        []
    """
    if distribution is None:
        raise ReviewError("the framework declares no rules.distribution to compare against")
    scale = [g.id if isinstance(g, Grade) else g for g in grades]
    key = _group_key(group_by)
    groups: dict[str, list[ScoreCard]] = {}
    for card in cards:
        if card.grade not in scale:
            raise ReviewError(f"card grade {card.grade!r} is not on the grade scale {scale}")
        groups.setdefault(key(card), []).append(card)
    warnings = [w for name, members in groups.items() for w in _duplicates(name, members)]
    reported = [_group(name, groups[name], distribution, scale) for name in sorted(groups)]
    return DistributionReport(min_group=distribution.min_group, groups=reported, warnings=warnings)


def _group_key(group_by: str | Callable[[ScoreCard], str]) -> Callable[[ScoreCard], str]:
    if callable(group_by):
        return group_by
    if group_by not in ScoreCard.model_fields:
        raise ReviewError(f"group_by={group_by!r} is not a ScoreCard field; use e.g. 'position' or a function")
    return lambda card: str(getattr(card, group_by))


def _group(name: str, members: list[ScoreCard], distribution: Distribution, scale: list[str]) -> GroupDistribution:
    size = len(members)
    too_small = size < distribution.min_group
    rows = [_share(grade, members, distribution.shares.get(grade, 0.0)) for grade in scale]
    return GroupDistribution(
        group=name,
        size=size,
        too_small=too_small,
        rows=rows,
        deviations=[] if too_small else [row for row in rows if row.status != "ok"],
        periods=sorted({card.period for card in members}),
    )


def _share(grade: str, members: list[ScoreCard], share: float) -> GradeShare:
    size = len(members)
    actual = sum(card.grade == grade for card in members)
    expected = share * size
    tolerance = 1e-9  # 0.1 × 30 is 3.0000000000000004 in binary
    if actual > math.ceil(expected - tolerance):
        status: Literal["ok", "over", "under"] = "over"
    elif actual < math.floor(expected + tolerance):
        status = "under"
    else:
        status = "ok"
    return GradeShare(
        grade=grade,
        expected_share=share,
        expected_count=round(expected, 9),
        actual_count=actual,
        actual_share=round(actual / size, 9),
        deviation=round(actual - expected, 9),
        status=status,
    )


def _duplicates(name: str, members: list[ScoreCard]) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for card in members:
        if card.employee is not None:
            if card.employee in seen and card.employee not in twice:
                twice.append(card.employee)
            seen.add(card.employee)
    if not twice:
        return []
    return [f"group {name!r} counts {', '.join(twice)} more than once; pass one card per employee"]


# --- helpers ---------------------------------------------------------------------------------------


def _period(card: ScoreCard) -> Period:
    try:
        return Period.parse(card.period)
    except PeriodError as exc:  # pragma: no cover - cards are built with valid periods
        raise ReviewError(f"card period {card.period!r}: {exc}") from None


def _scale(cards: Sequence[ScoreCard], grades: Sequence[str | Grade] | None) -> list[str]:
    if grades is not None:
        return [g.id if isinstance(g, Grade) else g for g in grades]
    for card in cards:
        if card.grade_scale:
            return list(card.grade_scale)
    if not cards:
        return []
    raise ReviewError("the cards carry no grade scale; pass grades=fw.grades")


def _rank(card: ScoreCard, scale: list[str]) -> int:
    if card.grade not in scale:
        raise ReviewError(f"card grade {card.grade!r} is not on the grade scale {scale}")
    return scale.index(card.grade)
