"""Cross-document rules of target plans (``kind: TargetPlan``): codes EP501-EP506, plus EP201/EP203 references.

* EP501: phasing shares (quarters of the year, months of a quarter) must cover every period of their
  group and sum to 100%; no share may be below 0% or above 100%.
* EP502: owners' shares must be between 0% and 100% and sum to at most 100% (with a declared
  ``unassigned`` remainder: exactly 100%).
* EP503 (warning): owners' shares below 100% leave part of the total to nobody; the warning gives its
  size, and declaring it as ``unassigned:`` says that is intended.
* EP504: a decomposed metric must add up over months (see :func:`summed`) and be higher- or
  lower-is-better; an owner's KPI must also be in the plan's unit.
* EP505: phasing keys must be quarters or months of the plan's period (the period itself is checked
  by the model: a year or a quarter).
* EP506: one position may carry only one planned amount of a metric for any period.

:data:`PLAN_RULES` lists the rules; :data:`ecomperf.validation.DEFAULT_RULES` runs them after the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Final

from ecomperf.formula_forms import linear_terms
from ecomperf.model import TargetPlan
from ecomperf.model.index import FrameworkIndex
from ecomperf.periods import Period, PeriodError
from ecomperf.problems import Problem
from ecomperf.targets import format_quantity
from ecomperf.validation.base import Rule, rule, unknown

__all__ = ["PLAN_RULES", "plan_metrics", "plan_overlaps", "plan_phasing", "plan_references", "plan_shares", "summed"]

_TOLERANCE: Final = 1e-9


def summed(fw: FrameworkIndex, metric_id: str) -> bool:
    """Whether a metric adds up over months, so that a target of it can be split into months and owners.

    A base measure aggregated by ``sum`` is summed (money and counts are, unless they declare another
    ``aggregate``); so is a formula that is a linear combination of summed metrics with constant
    coefficients and no constant term (``gmv = gmv_self_operated + gmv_third_party``). Rates, ratios,
    means and levels (``last``) are not: 30% a month is not 360% a year.

    Example:
        ``gmv`` (a sum of two summed measures) is summed; ``gross_margin`` (a ratio) is not.
    """
    return _summed(fw, metric_id, frozenset())


def _summed(fw: FrameworkIndex, metric_id: str, seen: frozenset[str]) -> bool:
    metric = fw.metrics.get(metric_id)
    if metric is None or metric_id in seen:
        return False
    if metric.aggregation == "sum":
        return True
    parsed = metric.parsed_formula
    if metric.aggregation != "recompute" or parsed is None:
        return False
    terms = linear_terms(parsed)
    return terms is not None and all(_summed(fw, name, seen | {metric_id}) for name in terms)


def _percent(value: float) -> str:
    return format_quantity(value, "percent")


@rule
def plan_references(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP201 plans naming undeclared metrics; EP203 plans naming undeclared positions."""
    metric_hint = "add a `kind: Metric` document with this id"
    position_hint = "add a `kind: Position` document with this id, or fix the name"
    for plan in fw.plans.values():
        if plan.metric not in fw.declared("Metric"):
            yield unknown("EP201", "metric", plan.metric, fw.metrics, plan.span("metric"), metric_hint)
        if plan.owner is not None and plan.owner not in fw.declared("Position"):
            yield unknown("EP203", "position", plan.owner, fw.positions, plan.span("owner"), position_hint)
        for number, share in enumerate(plan.shares):
            if share.position not in fw.declared("Position"):
                span = plan.span("shares", number, "position")
                yield unknown("EP203", "position", share.position, fw.positions, span, position_hint)
            if share.kpi is not None and share.kpi not in fw.declared("Metric"):
                span = plan.span("shares", number, "kpi")
                yield unknown("EP201", "metric", share.kpi, fw.metrics, span, metric_hint)


@rule
def plan_phasing(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP505 phasing keys outside the plan's period; EP501 phasing shares that do not make 100%."""
    for plan in fw.plans.values():
        covers = plan.covers
        if covers.kind == "quarter" and plan.quarters:
            yield Problem(
                "EP505",
                f"plan {plan.id!r} covers the quarter {covers}, so it has no quarters to phase",
                plan.span("quarters"),
                hint="remove `quarters:`; phase the quarter over its months with `months:`",
            )
        else:
            quarters, problems = _phasing_keys(plan, "quarters", "quarter", covers)
            yield from problems
            yield from _group(plan, "quarters", quarters, _quarters_of(covers), f"the year {covers}")
        months, problems = _phasing_keys(plan, "months", "month", covers)
        yield from problems
        for quarter in [covers] if covers.kind == "quarter" else _quarters_of(covers):
            listed = {month: key for month, key in months.items() if quarter.contains(month)}
            yield from _group(plan, "months", listed, list(quarter.months()), f"the quarter {quarter}")


def _quarters_of(year: Period) -> list[Period]:
    return [Period("quarter", year.year, index) for index in range(1, 5)]


def _phasing_keys(plan: TargetPlan, field: str, kind: str, covers: Period) -> tuple[dict[Period, str], list[Problem]]:
    """The valid keys of ``field`` by period, and a problem for every key that is not a ``kind`` of the plan."""
    found: dict[Period, str] = {}
    problems: list[Problem] = []
    declared: Mapping[str, float] = getattr(plan, field)
    for key in declared:
        example = f"{covers.year}-Q4" if kind == "quarter" else f"{covers.months()[-1]}"
        try:
            period = Period.parse(key)
        except PeriodError as exc:
            problems.append(Problem("EP505", f"{field}: {exc}", plan.span(field, key), hint=f"write e.g. {example}"))
            continue
        if period.kind != kind or not covers.contains(period):
            problems.append(
                Problem(
                    "EP505",
                    f"{field}: {key!r} is not a {kind} of the plan's period {covers}",
                    plan.span(field, key),
                    hint=f"{field} keys are the {kind}s of {covers}, e.g. {example}",
                )
            )
            continue
        found[period] = key
    return found, problems


def _group(
    plan: TargetPlan, field: str, listed: Mapping[Period, str], members: list[Period], whole: str
) -> Iterator[Problem]:
    """EP501 for one group (the quarters of a year, the months of a quarter): all or none, summing to 100%."""
    declared: Mapping[str, float] = getattr(plan, field)
    for key in listed.values():
        share = declared[key]
        if not 0 <= share <= 1:
            yield Problem(
                "EP501",
                f"{field}: the share of {key} is {_percent(share)}; a share lies between 0% and 100%",
                plan.span(field, key),
                hint=f"give {key} its part of {whole} as a percentage such as 30%",
            )
            return
    if not listed:
        return
    missing = [str(period) for period in members if period not in listed]
    if missing:
        yield Problem(
            "EP501",
            f"{field} lists {', '.join(listed.values())} of {whole} but not {', '.join(missing)}",
            plan.span(field, next(iter(listed.values()))),
            hint=f"give every one of {', '.join(map(str, members))} a share, or none of them for an even split",
        )
        return
    total = math.fsum(declared[key] for key in listed.values())
    if abs(total - 1) > _TOLERANCE:
        parts = " + ".join(f"{key} {_percent(declared[key])}" for key in listed.values())
        yield Problem(
            "EP501",
            f"{field.removesuffix('s')} shares of {whole} sum to {_percent(total)}, not 100% ({parts})",
            plan.span(field, next(iter(listed.values()))),
            hint=f"{'add' if total < 1 else 'take away'} {_percent(abs(1 - total))} across them",
        )


@rule
def plan_shares(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP502 owners' shares out of range or above 100%; EP503 (warning) an undeclared unassigned remainder."""
    for plan in fw.plans.values():
        bad = False
        for number, entry in enumerate(plan.shares):
            if not 0 <= entry.share <= 1:
                bad = True
                yield Problem(
                    "EP502",
                    f"the share of {entry.position} is {_percent(entry.share)}; a share lies between 0% and 100%",
                    plan.span("shares", number, "share"),
                    hint="write the part of the total this owner delivers, e.g. 30%",
                )
        if bad or not plan.shares:
            continue
        shares = math.fsum(entry.share for entry in plan.shares)
        parts = " + ".join(f"{entry.position} {_percent(entry.share)}" for entry in plan.shares)
        metric = fw.metrics.get(plan.metric)
        unit = metric.unit if metric is not None and metric.unit != "percent" else None
        if shares > 1 + _TOLERANCE:
            yield Problem(
                "EP502",
                f"owners' shares of plan {plan.id!r} sum to {_percent(shares)}, more than 100% ({parts})",
                plan.span("shares"),
                hint=f"take away {_percent(shares - 1)}: together the owners can deliver at most the whole total",
            )
            continue
        remainder = max(0.0, 1 - shares)
        size = f"{_percent(remainder)} ({format_quantity(plan.total * remainder, unit)})"
        if plan.unassigned is not None:
            if abs(plan.unassigned - remainder) > _TOLERANCE:
                yield Problem(
                    "EP502",
                    f"owners' shares ({parts}) leave {size} unassigned, but the plan declares unassigned: "
                    f"{_percent(plan.unassigned)}",
                    plan.span("unassigned"),
                    hint=f"write unassigned: {_percent(remainder)}, or change the shares",
                )
        elif remainder > _TOLERANCE:
            yield Problem(
                "EP503",
                f"owners' shares of plan {plan.id!r} sum to {_percent(shares)}: {size} of the total is assigned "
                f"to nobody ({parts})",
                plan.span("shares"),
                severity="warning",
                hint=f"give the rest to an owner, or declare it: unassigned: {_percent(remainder)}",
            )


@rule
def plan_metrics(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP504: a decomposed metric (and each owner's KPI) must be summed, directional, in the plan's unit."""
    for plan in fw.plans.values():
        metric = fw.metrics.get(plan.metric)
        if metric is None:
            continue
        yield from _decomposable(fw, plan, plan.metric, ("metric",), None)
        for number, entry in enumerate(plan.shares):
            if entry.kpi is not None and entry.kpi in fw.metrics:
                yield from _decomposable(fw, plan, entry.kpi, ("shares", number, "kpi"), metric.unit)


def _decomposable(
    fw: FrameworkIndex, plan: TargetPlan, metric_id: str, path: tuple[str | int, ...], unit: str | None
) -> Iterator[Problem]:
    metric = fw.metrics[metric_id]
    if not summed(fw, metric_id):
        how = f"its formula {metric.formula}" if metric.formula else f"it aggregates by {metric.aggregation}"
        yield Problem(
            "EP504",
            f"metric {metric_id!r} does not add up over months ({how}), so plan {plan.id!r} cannot split it "
            "into months and owners",
            plan.span(*path),
            hint="decompose a summed measure (money or counts aggregated by sum, or a sum of them) and keep "
            "rates on the scorecard",
        )
    elif metric.direction not in ("higher", "lower"):
        yield Problem(
            "EP504",
            f"metric {metric_id!r} has direction {metric.direction}; a planned amount is a goal to reach "
            "(higher) or a budget to stay within (lower)",
            plan.span(*path),
            hint="decompose a higher- or lower-is-better metric",
        )
    elif unit is not None and metric.unit != unit:
        yield Problem(
            "EP504",
            f"owner KPI {metric_id!r} is in {metric.unit}, but plan {plan.id!r} splits {plan.metric!r} in {unit}",
            plan.span(*path),
            hint=f"name a KPI in {unit} that measures this owner's part of {plan.metric}",
        )


@rule
def plan_overlaps(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP506: a position carries at most one planned amount of a metric for any period."""
    # each carried amount keeps the path of its entry; a location is looked up only for a problem
    seen: dict[tuple[str, str], list[tuple[TargetPlan, tuple[str | int, ...]]]] = {}
    for plan in fw.plans.values():
        carried: list[tuple[str, str, tuple[str | int, ...]]] = (
            [(plan.owner, plan.metric, ("owner",))] if plan.owner is not None else []
        )
        carried += [
            (entry.position, entry.kpi or plan.metric, ("shares", number, "position"))
            for number, entry in enumerate(plan.shares)
        ]
        for position, kpi, path in carried:
            earlier = seen.setdefault((position, kpi), [])
            for other, where in earlier:
                if other.covers.contains(plan.covers) or plan.covers.contains(other.covers):
                    same = other is plan
                    yield Problem(
                        "EP506",
                        f"{position} already carries {kpi} for {other.covers}"
                        + (" in this plan" if same else f" in plan {other.id!r}")
                        + f"; a second planned amount for {plan.covers} would leave its target ambiguous",
                        plan.span(*path),
                        hint="give each position one planned amount of a metric per period: merge the entries "
                        "or plan different periods",
                        related=(other.span(*where),),
                    )
                    break
            earlier.append((plan, path))


PLAN_RULES: tuple[Rule, ...] = (
    plan_references,
    plan_phasing,
    plan_shares,
    plan_metrics,
    plan_overlaps,
)
"""The target-plan rules, in the order ``ecomperf.load`` runs them."""
