"""Decompose a target plan: its total phased over quarters and months and split by owner, in cents that add up.

A :class:`~ecomperf.model.TargetPlan` declares a total for a year or a quarter. Its calendar
(:func:`plan_calendar`) holds one amount per month for the plan as a whole and for each column:

* the ``owner``, who carries the whole total (its column equals the plan's);
* each entry of ``shares``, who carries ``share`` of the plan in every month;
* the unassigned remainder, ``100% - Σ shares``, when the shares leave one.

Phasing: an annual total is spread over the quarters by the declared ``quarters`` shares, or evenly;
each quarter over its months by the declared ``months`` shares (shares of the quarter), or evenly. A
quarterly plan has months only.

Every amount is rounded to the cent (0.01 of the metric's unit) so that the published figures add up
exactly: the quarters to the total, each quarter's months to the quarter, each column's months to the
column's share of the total, and in every month the columns with a share plus the remainder to the
month's amount. Rounding uses the largest-remainder method in exact rational arithmetic (shares are
read as the decimals they were written as: ``30%`` is exactly 3/10), so 2000万 over three months is
666.67万, 666.67万 and 666.66万, and never sums to 2000.0001万.

Example:
    >>> from ecomperf.model import TargetPlan
    >>> plan = TargetPlan.model_validate({"apiVersion": "ecomperf/v1", "kind": "TargetPlan", "id": "q1",
    ...     "name": "Q1 GMV", "metric": "gmv", "period": "2026-Q1", "total": "2000万"})
    >>> plan_calendar(plan).totals
    (6666666.67, 6666666.67, 6666666.66)
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Final, Literal

from ecomperf.errors import ScoringError
from ecomperf.model import TargetPlan
from ecomperf.periods import Period, PeriodError

__all__ = ["CENT", "Allocation", "PlanCalendar", "phasing", "plan_calendar", "split"]

CENT: Final = Fraction(1, 100)
"""The unit every planned amount is rounded to."""

Role = Literal["owner", "share", "unassigned"]


@dataclass(frozen=True)
class Allocation:
    """One column of a plan's calendar: who carries which part of the total.

    Attributes:
        position: the position, ``None`` for the unassigned remainder.
        kpi: the metric the position is scored on for this part (the plan's metric unless the share names one).
        share: the fraction of the total it carries (1 for the owner).
        role: ``owner`` (the whole total), ``share`` (a declared share) or ``unassigned`` (the remainder).
    """

    position: str | None
    kpi: str
    share: Fraction
    role: Role


@dataclass(frozen=True)
class PlanCalendar:
    """The months of a plan with the amount of the plan and of every allocation in each.

    Attributes:
        plan: the plan.
        months: the months the plan covers, in order.
        allocations: the owner, the shares in declaration order, then the unassigned remainder if any.
    """

    plan: TargetPlan
    months: tuple[Period, ...]
    allocations: tuple[Allocation, ...]
    exact_totals: tuple[Fraction, ...]
    exact_amounts: tuple[tuple[Fraction, ...], ...]

    @property
    def totals(self) -> tuple[float, ...]:
        """The plan's amount in each month."""
        return tuple(float(value) for value in self.exact_totals)

    def amounts(self, allocation: int) -> tuple[float, ...]:
        """The amount of allocation number ``allocation`` in each month."""
        return tuple(float(value) for value in self.exact_amounts[allocation])

    @cached_property
    def quarters(self) -> tuple[Period, ...]:
        """The quarters the plan covers, in order."""
        return tuple(dict.fromkeys(month.parent("quarter") for month in self.months))

    def covers(self, period: Period) -> bool:
        """Whether every month of ``period`` lies within the plan."""
        return self.plan.covers.contains(period)

    def total_in(self, period: Period) -> float | None:
        """The plan's amount over ``period`` (a month, quarter or year), ``None`` outside the plan."""
        return self._sum(self.exact_totals, period)

    def amount_in(self, allocation: int, period: Period) -> float | None:
        """Allocation number ``allocation``'s amount over ``period``, ``None`` outside the plan."""
        return self._sum(self.exact_amounts[allocation], period)

    def find(self, position: str, kpi: str) -> int | None:
        """The number of the allocation ``position`` carries for ``kpi``, if any."""
        for number, allocation in enumerate(self.allocations):
            if allocation.position == position and allocation.kpi == kpi:
                return number
        return None

    def _sum(self, values: Sequence[Fraction], period: Period) -> float | None:
        if not self.covers(period):
            return None
        return float(sum((v for month, v in zip(self.months, values, strict=True) if period.contains(month)),
                         Fraction(0)))


def split(total: Fraction, weights: Sequence[Fraction], unit: Fraction = CENT) -> list[Fraction]:
    """Split ``total`` in proportion to ``weights`` into multiples of ``unit`` that sum to ``total`` exactly.

    Largest remainder: each part is first rounded down to the unit; the units left over go, one each,
    to the parts that lost most (ties to the earlier part). A total that is not itself a multiple of
    the unit leaves a last fraction of a unit, which goes to the part with the largest remainder.

    Example:
        >>> [float(part) for part in split(Fraction(100), [Fraction(1)] * 3)]
        [33.34, 33.33, 33.33]
    """
    whole = sum(weights, Fraction(0))
    if whole <= 0:
        raise ValueError("cannot split by weights that sum to 0 or less")
    exact = [total * weight / whole for weight in weights]
    parts = [math.floor(value / unit) * unit for value in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    left = total - sum(parts, Fraction(0))
    for index in order:
        if left < unit:
            break
        parts[index] += unit
        left -= unit
    if left:
        parts[order[0]] += left
    return [Fraction(part) for part in parts]


def phasing(plan: TargetPlan) -> dict[Period, Fraction]:
    """Each month's fraction of the plan's total, from the declared shares or evenly.

    Raises:
        ScoringError: a phasing key is not a quarter or month of the plan (validation, EP505, refuses
            such a plan when it is loaded).
    """
    covers = plan.covers
    quarters = [covers] if covers.kind == "quarter" else [Period("quarter", covers.year, q) for q in range(1, 5)]
    quarter_weights = _weights(plan.quarters, quarters, plan.id, "quarters")
    fractions: dict[Period, Fraction] = {}
    for quarter, quarter_share in zip(quarters, _normalised(quarter_weights), strict=True):
        months = list(quarter.months())
        declared = {key: value for key, value in plan.months.items() if _parse(key, plan.id, "months") in months}
        month_weights = _weights(declared, months, plan.id, "months")
        for month, month_share in zip(months, _normalised(month_weights), strict=True):
            fractions[month] = quarter_share * month_share
    unplaced = [key for key in plan.months if _parse(key, plan.id, "months") not in fractions]
    if unplaced:
        raise ScoringError(f"target plan {plan.id!r}: months {', '.join(unplaced)} are not months of {covers}")
    return fractions


def plan_calendar(plan: TargetPlan) -> PlanCalendar:
    """The plan's amounts per month: of the whole plan and of the owner, each share and the remainder.

    Calendars are kept for the last :data:`_CACHED` plans asked for (plans are frozen), so scoring many
    cards against one plan computes its calendar once.

    Raises:
        ScoringError: the phasing does not fit the plan, or the shares exceed 100% (validation refuses
            both when the framework is loaded, as EP505, EP501 and EP502).
    """
    cached = _CALENDARS.get(id(plan))
    if cached is not None and cached[0] is plan:
        _CALENDARS.move_to_end(id(plan))
        return cached[1]
    calendar = _calendar(plan)
    _CALENDARS[id(plan)] = (plan, calendar)
    if len(_CALENDARS) > _CACHED:
        _CALENDARS.popitem(last=False)
    return calendar


_CACHED: Final = 256
_CALENDARS: OrderedDict[int, tuple[TargetPlan, PlanCalendar]] = OrderedDict()


def _calendar(plan: TargetPlan) -> PlanCalendar:
    fractions = phasing(plan)
    months = tuple(fractions)
    total = Fraction(repr(plan.total))
    quarter_totals: dict[Period, Fraction] = {}
    by_quarter: dict[Period, list[Period]] = {}
    for month in months:
        by_quarter.setdefault(month.parent("quarter"), []).append(month)
    quarters = list(by_quarter)
    quarter_weights = [sum((fractions[m] for m in by_quarter[q]), Fraction(0)) for q in quarters]
    for quarter, amount in zip(quarters, _split_allowing_zero(total, quarter_weights), strict=True):
        quarter_totals[quarter] = amount
    totals: list[Fraction] = []
    for quarter in quarters:
        totals.extend(_split_allowing_zero(quarter_totals[quarter], [fractions[m] for m in by_quarter[quarter]]))
    allocations = _allocations(plan)
    amounts = _columns(total, totals, [len(by_quarter[q]) for q in quarters], allocations)
    return PlanCalendar(plan, months, tuple(allocations), tuple(totals), tuple(tuple(a) for a in amounts))


def _allocations(plan: TargetPlan) -> list[Allocation]:
    allocations: list[Allocation] = []
    if plan.owner is not None:
        allocations.append(Allocation(plan.owner, plan.metric, Fraction(1), "owner"))
    shares = [Fraction(repr(entry.share)) for entry in plan.shares]
    allocations.extend(
        Allocation(entry.position, entry.kpi or plan.metric, share, "share")
        for entry, share in zip(plan.shares, shares, strict=True)
    )
    remainder = 1 - sum(shares, Fraction(0))
    if remainder < 0 or any(share < 0 for share in shares):
        raise ScoringError(f"target plan {plan.id!r}: the shares of its owners exceed 100%")
    if shares and remainder > 0:
        allocations.append(Allocation(None, plan.metric, remainder, "unassigned"))
    return allocations


def _columns(
    total: Fraction, months: list[Fraction], sizes: list[int], allocations: list[Allocation]
) -> list[list[Fraction]]:
    """Each allocation's amount per month; the parts (shares and remainder) add up to every month's amount.

    A part's share of the total is split over the quarters, then each quarter's over its months (``sizes``
    months per quarter), in proportion to the plan's own amounts, so its quarters add up too.
    """
    parts = [number for number, allocation in enumerate(allocations) if allocation.role != "owner"]
    columns: list[list[Fraction]] = [list(months) if a.role == "owner" else [] for a in allocations]
    if not parts:
        return columns
    starts = [sum(sizes[:q]) for q in range(len(sizes))]
    quarters = [sum(months[start : start + size], Fraction(0)) for start, size in zip(starts, sizes, strict=True)]
    annual = _split_allowing_zero(total, [allocations[number].share for number in parts])
    # The largest part takes each month's rounding difference, so that the parts add up in every month.
    absorbing = max(parts, key=lambda number: (allocations[number].share, -number))
    for number, amount in zip(parts, annual, strict=True):
        if number == absorbing:
            continue
        for (start, size), quarter in zip(zip(starts, sizes, strict=True), _split_allowing_zero(amount, quarters),
                                          strict=True):
            columns[number].extend(_split_allowing_zero(quarter, months[start : start + size]))
    columns[absorbing] = [
        month - sum((columns[number][m] for number in parts if number != absorbing), Fraction(0))
        for m, month in enumerate(months)
    ]
    return columns


def _split_allowing_zero(total: Fraction, weights: Sequence[Fraction]) -> list[Fraction]:
    if sum(weights, Fraction(0)) == 0:
        return [Fraction(0)] * len(weights)
    return split(total, weights)


def _weights(declared: Mapping[str, float], periods: list[Period], plan: str, field: str) -> list[Fraction]:
    if not declared:
        return [Fraction(1)] * len(periods)
    by_period = {_parse(key, plan, field): Fraction(repr(value)) for key, value in declared.items()}
    missing = [str(period) for period in periods if period not in by_period]
    if missing:
        raise ScoringError(f"target plan {plan!r}: {field} gives no share for {', '.join(missing)}")
    return [by_period[period] for period in periods]


def _normalised(weights: list[Fraction]) -> list[Fraction]:
    whole = sum(weights, Fraction(0))
    if whole <= 0:
        raise ScoringError("phasing shares must sum to 100%, not 0%")
    return [weight / whole for weight in weights]


def _parse(key: str, plan: str, field: str) -> Period:
    try:
        return Period.parse(key)
    except PeriodError as exc:
        raise ScoringError(f"target plan {plan!r}: {field} key {key!r}: {exc}") from None
