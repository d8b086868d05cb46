"""Targets from target plans: a position's KPI takes its planned amount for the period it is scored over.

:func:`fit_targets` is the step between resolving a card (:func:`ecomperf.scoring.resolve.resolve_card`) and
scoring it. For each KPI it looks for a :class:`~ecomperf.model.TargetPlan` that gives the card's
position an amount of that KPI (as the plan's ``owner`` or through one of its ``shares``) and covers
the whole period the KPI is scored over; the planned amount (:mod:`ecomperf.scoring.decompose`) then replaces
the KPI's target, and the KPI's note says which plan it came from and how it was phased. KPIs without
a plan have their target fitted to the months their value covers by the one period rule
(:func:`ecomperf.scoring.resolve.prorate_targets`: summed metrics scale, rates keep theirs, what cannot be
fitted is refused).

The planned target keeps the operator of the scorecard's target (``>=`` or ``>`` for a higher-is-better
metric, ``<=`` or ``<`` for a lower one). It replaces the scorecard's target and a variant's; a target
set by an event's override is the most specific declaration for its period and is kept.

Example:
    With a plan ``gmv_2026`` (1亿 for 2026, Q4's months phased 30% / 45% / 25%) owned by
    ``head_of_ecommerce``, that position's quarterly ``gmv >= 2500万`` is scored on the monthly card of
    2026-11 against ``>= 1125万`` (2500万 × 45%) instead of the even ``>= 833.33万``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ecomperf.model import TargetPlan
from ecomperf.model.index import FrameworkIndex
from ecomperf.periods import Period
from ecomperf.scoring.decompose import PlanCalendar, plan_calendar
from ecomperf.scoring.resolve import ResolvedCard, ResolvedKpi, prorate_targets
from ecomperf.sentences import Sentence, join_sentences
from ecomperf.targets import Operator, Target, format_quantity

__all__ = ["fit_targets", "planned_target"]


def fit_targets(
    fw: FrameworkIndex, card: ResolvedCard, *, scored_over: Callable[[ResolvedKpi], Period] | None = None
) -> ResolvedCard:
    """The card with planned targets where a plan covers a KPI, other targets as the actuals require.

    Args:
        fw: the framework holding the plans.
        card: the resolved card.
        scored_over: the period each KPI is scored over when the actuals are given by period (see
            :func:`ecomperf.scoring.resolve.kpi_period`); ``None`` when the actuals hold the card's period
            only, in which case every KPI is scored over the card's period. Either way targets without a
            plan are fitted to the months scored (:func:`ecomperf.scoring.resolve.prorate_targets`).

    Raises:
        ScoringError: a target without a plan cannot be fitted to the months scored (ES107).

    Returns:
        The card to score.
    """
    fitted = prorate_targets(card, by_period=scored_over is not None)
    if not fw.plans:
        return fitted
    entries = []
    changed = False
    for original, current in zip(card.entries, fitted.entries, strict=True):
        period = card.period if scored_over is None else scored_over(original)
        planned = planned_target(fw, card.position.id, original, period)
        changed = changed or planned is not None
        entries.append(current if planned is None else planned)
    return replace(fitted, entries=tuple(entries)) if changed else fitted


def planned_target(fw: FrameworkIndex, position: str, entry: ResolvedKpi, period: Period) -> ResolvedKpi | None:
    """``entry`` with the target a plan gives ``position`` for ``period``, or ``None`` when no plan does."""
    if entry.metric.direction not in ("higher", "lower") or entry.event_target:
        return None
    for plan in fw.plans.values():
        if not plan.covers.contains(period) or not _carries(plan, position, entry.kpi):
            continue
        calendar = plan_calendar(plan)
        number = calendar.find(position, entry.kpi)
        if number is None:
            continue
        amount = calendar.amount_in(number, period)
        assert amount is not None  # the plan covers the period
        unit = entry.metric.unit
        operator = _operator(entry)
        target = Target(op=operator, value=amount, text=f"{operator} {format_quantity(amount, unit)}")
        note = _note(calendar, number, period, target, unit)
        joined = join_sentences(entry.note, note)
        return replace(entry, target=target, note=joined)
    return None


def _carries(plan: TargetPlan, position: str, kpi: str) -> bool:
    if plan.owner == position and plan.metric == kpi:
        return True
    return any(share.position == position and (share.kpi or plan.metric) == kpi for share in plan.shares)


def _operator(entry: ResolvedKpi) -> Operator:
    kept = entry.target.op if entry.target is not None else None
    if entry.metric.direction == "higher":
        return ">" if kept == ">" else ">="
    return "<" if kept == "<" else "<="


def _note(calendar: PlanCalendar, number: int, period: Period, target: Target, unit: str) -> str:
    plan = calendar.plan
    allocation = calendar.allocations[number]
    total = format_quantity(plan.total, unit)
    phased = Sentence("declared phasing") if plan.quarters or plan.months else Sentence("even phasing")
    if allocation.role == "owner":
        return Sentence("target {target} for {period} from target plan {plan} ({total} for {plan_period}, {phasing})",
                        target=target.display(unit), period=str(period), plan=plan.id, total=total,
                        plan_period=str(plan.period), phasing=phased)
    return Sentence("target {target} for {period} from target plan {plan} ({share} of {total} for {plan_period}, "
                    "{phasing})", target=target.display(unit), period=str(period), plan=plan.id,
                    share=format_quantity(float(allocation.share), "percent"), total=total,
                    plan_period=str(plan.period), phasing=phased)
