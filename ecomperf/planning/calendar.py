"""The target calendar of a year: every plan's amounts per position and month, with the sums that check them.

:func:`year_calendar` gathers the target plans (``kind: TargetPlan``) of one year and lays each out as
:class:`PlanView`: one column per allocation (the plan as a whole, its owner, each share, the
unassigned remainder) and one row per month, per quarter and for the whole plan. The amounts come
from :func:`ecomperf.scoring.decompose.plan_calendar`, in cents that add up, and :attr:`PlanView.checks` states
the checks exactly (in rational arithmetic): the months add up to the plan's total, and in every month
the shares and the remainder add up to the month's amount.

``ecomperf plan FW --year 2026`` prints this; :mod:`ecomperf.planning.export` writes it as CSV, XLSX
or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from ecomperf.errors import ScoringError
from ecomperf.model import TargetPlan
from ecomperf.model.index import FrameworkIndex
from ecomperf.scoring.decompose import CENT, Allocation, PlanCalendar, plan_calendar
from ecomperf.suggest import did_you_mean
from ecomperf.targets import format_quantity

__all__ = ["Column", "PlanView", "RowKind", "ViewRow", "year_calendar"]

RowKind = Literal["month", "quarter", "total"]


@dataclass(frozen=True)
class Column:
    """One column of a plan's calendar: the plan itself (``role == "plan"``) or one allocation."""

    label: str
    position: str | None
    kpi: str
    role: Literal["plan", "owner", "share", "unassigned"]
    share: float
    scored: bool


@dataclass(frozen=True)
class ViewRow:
    """One row of a plan's calendar: a month, a quarter's subtotal or the plan's total."""

    period: str
    kind: RowKind
    amounts: tuple[float, ...]


@dataclass(frozen=True)
class PlanView:
    """One plan laid out for people: columns, rows (months, quarter subtotals, total) and the checks."""

    plan: TargetPlan
    unit: str
    columns: tuple[Column, ...]
    rows: tuple[ViewRow, ...]
    checks: tuple[tuple[str, bool], ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: the plan, each column with its amount per period, and the checks."""
        return {
            "plan": self.plan.id,
            "metric": self.plan.metric,
            "period": self.plan.period,
            "total": self.plan.total,
            "unit": self.unit,
            "columns": [
                {
                    "position": column.position, "kpi": column.kpi, "role": column.role, "share": column.share,
                    "scored": column.scored,
                    "amounts": {row.period: row.amounts[number] for row in self.rows},
                }
                for number, column in enumerate(self.columns)
            ],
            "checks": [{"check": text, "ok": ok} for text, ok in self.checks],
        }


def year_calendar(fw: FrameworkIndex, year: int, position: str | None = None) -> list[PlanView]:
    """The plans of ``year`` (annual plans of it and quarterly plans within it), in file order.

    Args:
        fw: the framework.
        year: the calendar year, e.g. 2026.
        position: show only this position's columns (the plan's own column is always shown, so that the
            sums can be read against it); plans that give the position nothing are left out.

    Raises:
        ScoringError: an unknown position, or no plan for the year (the message lists the years planned).
    """
    if position is not None and position not in fw.positions:
        raise ScoringError(f"unknown position {position!r}{did_you_mean(position, fw.positions)}")
    plans = [plan for plan in fw.plans.values() if plan.covers.year == year]
    if not plans:
        years = sorted({plan.covers.year for plan in fw.plans.values()})
        planned = f"; plans exist for {', '.join(map(str, years))}" if years else "; the framework has no TargetPlan"
        raise ScoringError(f"no target plan for {year}{planned}")
    views = [_view(fw, plan_calendar(plan), position) for plan in plans]
    shown = [view for view in views if position is None or len(view.columns) > 1]
    if not shown:
        raise ScoringError(f"no target plan of {year} gives {position} a share")
    return shown


def _view(fw: FrameworkIndex, calendar: PlanCalendar, position: str | None) -> PlanView:
    plan = calendar.plan
    metric = fw.metrics.get(plan.metric)
    unit = metric.unit if metric is not None else "currency"
    wanted = [
        number for number, allocation in enumerate(calendar.allocations)
        if position is None or allocation.position == position
    ]
    columns = [Column(plan.id, None, plan.metric, "plan", 1.0, False)]
    columns += [_column(fw, calendar.allocations[number]) for number in wanted]
    series = [calendar.exact_totals, *(calendar.exact_amounts[number] for number in wanted)]
    rows: list[ViewRow] = []
    for quarter in calendar.quarters:
        months = [m for m, month in enumerate(calendar.months) if quarter.contains(month)]
        rows.extend(ViewRow(str(calendar.months[m]), "month", tuple(float(s[m]) for s in series)) for m in months)
        if plan.covers.kind == "year":
            rows.append(ViewRow(str(quarter), "quarter", tuple(float(sum((s[m] for m in months), Fraction(0)))
                                                                for s in series)))
    rows.append(ViewRow(plan.period, "total", tuple(float(sum(s, Fraction(0))) for s in series)))
    return PlanView(plan, unit, tuple(columns), tuple(rows), _checks(calendar, unit))


def _column(fw: FrameworkIndex, allocation: Allocation) -> Column:
    if allocation.position is None:
        return Column("(unassigned)", None, allocation.kpi, "unassigned", float(allocation.share), False)
    return Column(
        allocation.position, allocation.position, allocation.kpi, allocation.role, float(allocation.share),
        _scored(fw, allocation.position, allocation.kpi),
    )


def _scored(fw: FrameworkIndex, position: str, kpi: str) -> bool:
    """Whether some stage of the position's scorecard carries the KPI (so the plan changes its score)."""
    found = fw.positions.get(position)
    if found is None or found.scorecard is None:
        return False
    return any(entry.kpi == kpi for entries in found.scorecard.stages.values() for entry in entries)


def _checks(calendar: PlanCalendar, unit: str) -> tuple[tuple[str, bool], ...]:
    plan = calendar.plan
    total = Fraction(repr(plan.total))
    months = sum(calendar.exact_totals, Fraction(0))
    checks = [(f"the months add up to the total {format_quantity(plan.total, unit)}", months == total)]
    parts = [n for n, a in enumerate(calendar.allocations) if a.role != "owner"]
    if parts:
        each_month = all(
            sum((calendar.exact_amounts[n][m] for n in parts), Fraction(0)) == calendar.exact_totals[m]
            for m in range(len(calendar.months))
        )
        checks.append(("in every month the shares and the unassigned remainder add up to the month", each_month))
        for n in parts:
            allocation = calendar.allocations[n]
            who = allocation.position or "the unassigned remainder"
            expected = sum(calendar.exact_amounts[n], Fraction(0))
            to_the_cent = abs(expected - total * allocation.share) < CENT * len(parts)
            checks.append((f"{who}'s months add up to its {format_quantity(float(allocation.share), 'percent')} "
                           "of the total, to the cent", to_the_cent))
    return tuple(checks)
