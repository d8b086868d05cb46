"""EP3xx rules: scorecards add up (weights, targets against direction, methods, events, distribution)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from ecomperf.model import Document, Metric, Scorecard
from ecomperf.model.index import FrameworkIndex
from ecomperf.model.overrides import apply_overrides
from ecomperf.model.scoring_spec import BandsScoring, InterpolateScoring, RangeScoring, ThresholdScoring, VetoScoring
from ecomperf.periods import Period
from ecomperf.problems import Problem
from ecomperf.targets import Target
from ecomperf.validation.base import card_weight_mode, entries_everywhere, override_stages, rule

__all__ = [
    "distribution_shares",
    "event_weights",
    "kpi_listed_twice",
    "method_parameters",
    "overlapping_events",
    "stage_weights",
    "target_directions",
    "veto_and_direction",
]

_OPERATORS_FOR: dict[str, set[str]] = {
    "higher": {">=", ">"},
    "lower": {"<=", "<"},
    "range": {"range"},
    "zero": {"==", "<="},
}



# --- EP3xx scorecards ---------------------------------------------------------------------------


def _directed(fw: FrameworkIndex, kpi: str) -> Metric | None:
    """The metric of ``kpi`` when it is known and its direction is known (a salvaged metric may not know it)."""
    metric = fw.metrics.get(kpi)
    return metric if metric is not None and fw.knows(metric, "direction") else None


def _weights_text(total: float) -> str:
    return f"{total:g}"


def _weighted_sections(scorecard: Scorecard) -> bool:
    """Whether the scorecard's sections carry weights (its KPI weights then count within each section)."""
    return bool(scorecard.sections) and all(section.weight is not None for section in scorecard.sections)


@rule
def stage_weights(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP301: the weights of each stage's KPIs must sum to 100 (relative weights: to more than 0)."""
    for position in fw.positions.values():
        if position.scorecard is None:
            continue
        if _weighted_sections(position.scorecard):
            continue  # with section weights each section sums to 100 (validation/sections.py)
        mode = card_weight_mode(fw, position.scorecard)
        if mode is None:
            continue
        relative = mode == "relative"
        for stage, entries in position.scorecard.stages.items():
            total = sum(entry.weight for entry in entries)
            if relative and total <= 0:  # relative weights only need something to normalise
                yield Problem(
                    "EP301",
                    f"weights of stage {stage!r} are relative and sum to 0: there is nothing to normalise to 100",
                    position.span("scorecard", "stages", stage),
                    hint="give at least one KPI a positive weight",
                )
            elif not relative and abs(total - 100) > 1e-9:
                listed = " + ".join(f"{e.kpi} {e.weight:g}" for e in entries if e.weight) or "nothing"
                yield Problem(
                    "EP301",
                    f"weights of stage {stage!r} sum to {_weights_text(total)}, not 100 ({listed})",
                    position.span("scorecard", "stages", stage),
                    hint=f"{'add' if total < 100 else 'remove'} {abs(100 - total):g} points across the KPIs, "
                    "or declare `weights: relative` on the scorecard to have them scaled to 100",
                )


def _check_target(
    target: Target | None, metric: Metric, document: Document, path: tuple[str | int, ...], what: str
) -> Iterator[Problem]:
    if target is None:
        return
    allowed = _OPERATORS_FOR[metric.direction]
    if target.op not in allowed:
        yield Problem(
            "EP302",
            f"{what} {target} uses {target.op!r}, which contradicts metric {metric.id!r} "
            f"(direction {metric.direction})",
            document.span(*path),
            hint=f"use {' or '.join(sorted(allowed))} for a {metric.direction}-is-better metric, "
            f"or change the metric's direction",
        )
    elif metric.direction == "zero" and target.op == "==" and target.value != 0:
        yield Problem(
            "EP302",
            f"{what} {target} on zero-tolerance metric {metric.id!r} must be == 0 or <= N",
            document.span(*path),
            hint="write `== 0` (nothing tolerated) or `<= N` (N tolerated)",
        )


@rule
def target_directions(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP302: target operators must agree with the metric's direction."""
    for document, path, entry in entries_everywhere(fw):
        metric = _directed(fw, entry.kpi)
        if metric is None:
            continue
        yield from _check_target(entry.target, metric, document, (*path, "target"), "target")
        for v, variant in enumerate(entry.variants):
            yield from _check_target(
                variant.target, metric, document, (*path, "variants", v, "target"), "variant target"
            )
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            for kpi, target in override.targets.items():
                metric = _directed(fw, kpi)
                if metric is not None:
                    yield from _check_target(
                        target, metric, event, ("overrides", number, "targets", kpi), "override target"
                    )


@rule
def kpi_listed_twice(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP303: a KPI appears at most once per stage."""
    for position in fw.positions.values():
        if position.scorecard is None:
            continue
        for stage, entries in position.scorecard.stages.items():
            first: dict[str, int] = {}
            for number, entry in enumerate(entries):
                if entry.kpi in first:
                    yield Problem(
                        "EP303",
                        f"KPI {entry.kpi!r} is listed twice in stage {stage!r}",
                        position.span("scorecard", "stages", stage, number),
                        hint="merge the two entries into one with the combined weight",
                        related=(position.span("scorecard", "stages", stage, first[entry.kpi]),),
                    )
                else:
                    first[entry.kpi] = number


@rule
def veto_and_direction(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP304: veto scoring belongs to zero-direction metrics, and zero-direction metrics to veto or threshold."""
    for document, path, entry in entries_everywhere(fw):
        metric = _directed(fw, entry.kpi)
        if metric is None:
            continue
        is_veto = isinstance(entry.scoring, VetoScoring)
        if is_veto and metric.direction != "zero":
            yield Problem(
                "EP304",
                f"veto scoring on {metric.id!r}, whose direction is {metric.direction!r}, not zero",
                document.span(*path, "scoring"),
                hint="use veto only for zero-tolerance metrics (direction: zero), or change the method",
            )
        if (
            metric.direction == "zero"
            and entry.scoring is not None
            and not isinstance(entry.scoring, VetoScoring | ThresholdScoring)
        ):
            yield Problem(
                "EP304",
                f"{entry.scoring.method} scoring on zero-tolerance metric {metric.id!r}",
                document.span(*path, "scoring"),
                hint="zero-tolerance metrics are scored by veto (the default) or threshold",
            )


@rule
def event_weights(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP305: after an event's overrides, each affected stage's weights must still sum to 100 (relative: above 0)."""
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            position = fw.positions.get(override.position)
            if position is None or position.scorecard is None or _weighted_sections(position.scorecard):
                continue  # with section weights each section sums to 100 (validation/sections.py)
            for stage in override_stages(fw, position, override.stages):
                effective = apply_overrides(position.scorecard.stages[stage], [event], position.id, stage)
                if effective.ignored:  # EP214 reports the KPIs the override names but the card lacks
                    continue
                weights = {kpi: found.weight for kpi, found in effective.kpis.items()}
                total = sum(weights.values())
                mode = card_weight_mode(fw, position.scorecard)
                if mode is None:
                    continue
                if mode == "relative":
                    if total <= 0:
                        yield Problem(
                            "EP305",
                            f"during {event.id!r}, {position.id}'s {stage!r} weights are relative and sum to 0: "
                            "there is nothing to normalise to 100",
                            event.span("overrides", number, "weights"),
                            hint="leave at least one KPI a positive weight",
                        )
                elif abs(total - 100) > 1e-9:
                    listed = " + ".join(f"{k} {w:g}" for k, w in weights.items() if w)
                    yield Problem(
                        "EP305",
                        f"during {event.id!r}, {position.id}'s {stage!r} weights sum to {total:g}, not 100 ({listed})",
                        event.span("overrides", number, "weights"),
                        hint="adjust `weights:` so that the card still sums to 100",
                    )


@rule
def method_parameters(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP306 interpolate anchors out of order or methods lacking a target; EP309 method against target shape."""
    for document, path, entry in entries_everywhere(fw):
        metric = _directed(fw, entry.kpi)
        scoring = entry.scoring
        if metric is None or scoring is None:
            continue
        needs_target = isinstance(scoring, InterpolateScoring | RangeScoring | BandsScoring)
        if needs_target and entry.target is None:
            yield Problem(
                "EP306",
                f"{scoring.method} scoring of {entry.kpi!r} needs a target",
                document.span(*path, "scoring"),
                hint="add `target:` to the KPI entry",
            )
            continue
        if isinstance(scoring, RangeScoring) and entry.target is not None and entry.target.op != "range":
            yield Problem(
                "EP309",
                f'range scoring of {entry.kpi!r} needs a range target such as "90%..95%", got {entry.target}',
                document.span(*path, "scoring"),
            )
        if isinstance(scoring, InterpolateScoring) and entry.target is not None:
            target = entry.target.reference
            anchors = [scoring.threshold, target] + ([scoring.stretch] if scoring.stretch is not None else [])
            rising = metric.direction != "lower"
            ordered = all((b > a) if rising else (b < a) for a, b in pairwise(anchors))
            if not ordered:
                order = "threshold < target < stretch" if rising else "threshold > target > stretch"
                yield Problem(
                    "EP306",
                    f"interpolate anchors of {entry.kpi!r} must run {order} for a {metric.direction} metric, "
                    f"got {' , '.join(f'{a:g}' for a in anchors)}",
                    document.span(*path, "scoring"),
                )


@rule
def overlapping_events(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP307 (warning): two events that match the same period override the same KPI weight of a position."""

    sample = [Period.parse(f"2026-{m:02d}") for m in range(1, 13)]
    sample += [Period.parse(f"2026-Q{q}") for q in range(1, 5)] + [Period.parse("2026")]
    for i, first in enumerate(fw.events):
        for second in fw.events[i + 1 :]:
            shared = [
                p
                for p in sample
                if any(p.matches(x) for x in first.periods) and any(p.matches(x) for x in second.periods)
            ]
            if not shared:
                continue
            touched = {(o.position, k) for o in first.overrides for k in [*o.weights, *(e.kpi for e in o.add)]}
            clash = sorted(
                {(o.position, k) for o in second.overrides for k in [*o.weights, *(e.kpi for e in o.add)]} & touched
            )
            if clash:
                yield Problem(
                    "EP307",
                    f"events {first.id!r} and {second.id!r} both apply in {shared[0]} and both change "
                    f"{', '.join(f'{p}.{k}' for p, k in clash[:4])}; the later one ({second.id!r}) wins",
                    second.span("periods"),
                    severity="warning",
                    hint="narrow one event's periods, or merge the overrides into one event",
                )


@rule
def distribution_shares(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP310: advisory distribution shares must sum to 100%."""
    distribution = fw.spec.rules.distribution
    if distribution is None:
        return
    total = sum(distribution.shares.values())
    if abs(total - 1) > 1e-6:
        yield Problem(
            "EP310",
            f"distribution shares sum to {total * 100:g}%, not 100%",
            fw.spec.span("rules", "distribution", "shares"),
            hint="make the grade shares add up to 100%",
        )
