"""Cross-document rules. Each rule is a small function that yields problems; one crashing rule becomes
a reported problem (EP900) rather than a traceback, so every other rule still reports.

Codes: EP2xx references, EP3xx scorecards, EP4xx organisation. Add a rule by writing a function
``rule(fw) -> Iterable[Problem]`` decorated with :func:`rule` and listing it in ``DEFAULT_RULES``.
"""

from __future__ import annotations

import functools
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise
from typing import Any

from pydantic import AfterValidator, BaseModel

from ecomperf.model import Document, KpiEntry, Metric, Position
from ecomperf.model.common import _check_text
from ecomperf.model.index import FrameworkIndex
from ecomperf.model.introspect import union_members
from ecomperf.model.overrides import apply_overrides
from ecomperf.model.scoring_spec import BandsScoring, InterpolateScoring, RangeScoring, ThresholdScoring, VetoScoring
from ecomperf.periods import PeriodError, validate_pattern
from ecomperf.problems import Problem, Span
from ecomperf.suggest import did_you_mean
from ecomperf.targets import Target

__all__ = ["DEFAULT_RULES", "Rule", "rule", "validate"]

Rule = Callable[[FrameworkIndex], Iterable[Problem]]

_OPERATORS_FOR: dict[str, set[str]] = {
    "higher": {">=", ">"},
    "lower": {"<=", "<"},
    "range": {"range"},
    "zero": {"==", "<="},
}


def rule(function: Callable[[FrameworkIndex], Iterable[Problem]]) -> Rule:
    """Wrap a rule so that an exception inside it is reported as problem EP900 instead of crashing."""

    @functools.wraps(function)
    def safe(fw: FrameworkIndex) -> list[Problem]:
        try:
            return list(function(fw))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            return [
                Problem(
                    "EP900",
                    f"internal error in rule {function.__name__}: {exc!r}",
                    None,
                    hint="please report this; the other rules still ran",
                )
            ]

    return safe


def validate(fw: FrameworkIndex, rules: Iterable[Rule] | None = None) -> list[Problem]:
    """Run every rule (``DEFAULT_RULES`` unless given) and return all problems found."""
    found: list[Problem] = []
    for check in DEFAULT_RULES if rules is None else rules:
        found.extend(check(fw))
    return found


def _unknown(code: str, kind: str, name: str, known: Iterable[str], span: Span, hint: str = "") -> Problem:
    names = sorted(set(known))
    suggestion = did_you_mean(name, names, list_known=False)
    if not hint:
        hint = f"declared {kind}s: {', '.join(names)}" if names and len(names) <= 12 else f"declare the {kind} first"
    return Problem(code, f"unknown {kind} {name!r}{suggestion}", span, hint=hint)


def _stage_entries(position: Position) -> Iterator[tuple[str, int, KpiEntry]]:
    if position.scorecard is None:
        return
    for stage, entries in position.scorecard.stages.items():
        for number, entry in enumerate(entries):
            yield stage, number, entry


# --- EP2xx references ---------------------------------------------------------------------------


@rule
def unknown_metrics(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP201: KPIs named on modules, duties, scorecards and events must be declared metrics."""
    known = fw.metrics
    declared = fw.declared("Metric")
    hint = "add a `kind: Metric` document with this id"
    named: list[tuple[str, Document, tuple[str | int, ...]]] = []
    for module in fw.modules.values():
        named.extend((kpi, module, ("kpis", number)) for number, kpi in enumerate(module.kpis))
        for number, duty in enumerate(module.responsibilities):
            named.extend((kpi, module, ("responsibilities", number, "kpis", k)) for k, kpi in enumerate(duty.kpis))
    for position in fw.positions.values():
        for number, duty in enumerate(position.responsibilities):
            named.extend((kpi, position, ("responsibilities", number, "kpis", k)) for k, kpi in enumerate(duty.kpis))
        named.extend(
            (entry.kpi, position, ("scorecard", "stages", stage, number, "kpi"))
            for stage, number, entry in _stage_entries(position)
        )
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            named.extend(
                (entry.kpi, event, ("overrides", number, "add", k, "kpi")) for k, entry in enumerate(override.add)
            )
    for name, document, path in named:
        if name not in declared:
            yield _unknown("EP201", "metric", name, known, document.span(*path), hint=hint)


@rule
def unknown_modules(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP202: a position's modules must be declared."""
    for position in fw.positions.values():
        for number, module in enumerate(position.modules):
            if module not in fw.declared("Module"):
                yield _unknown("EP202", "module", module, fw.modules, position.span("modules", number))


@rule
def unknown_positions(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP203: reports_to, event overrides and workflow steps must name declared positions."""
    known = fw.positions
    declared = fw.declared("Position")
    for position in known.values():
        if position.reports_to is not None and position.reports_to not in declared:
            yield _unknown("EP203", "position", position.reports_to, known, position.span("reports_to"))
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            if override.position not in declared:
                yield _unknown(
                    "EP203", "position", override.position, known, event.span("overrides", number, "position")
                )
    for workflow in fw.workflows.values():
        for number, step in enumerate(workflow.steps):
            if step.owner not in declared:
                yield _unknown("EP203", "position", step.owner, known, workflow.span("steps", number, "owner"))
            for k, participant in enumerate(step.participants):
                if participant not in declared:
                    yield _unknown(
                        "EP203", "position", participant, known, workflow.span("steps", number, "participants", k)
                    )


@rule
def unknown_stages(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP204: stages named by scorecards, modules and events must be declared on the Framework."""
    known = fw.spec.stage_ids
    hint = f"declared stages: {', '.join(known)} (Framework `stages:`)"
    for position in fw.positions.values():
        if position.scorecard is not None:
            for stage in position.scorecard.stages:
                if stage not in known:
                    yield _unknown("EP204", "stage", stage, known, position.span("scorecard", "stages", stage), hint)
    for module in fw.modules.values():
        for number, stage in enumerate(module.stages or []):
            if stage not in known:
                yield _unknown("EP204", "stage", stage, known, module.span("stages", number), hint)
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            for k, stage in enumerate(override.stages or []):
                if stage not in known:
                    yield _unknown("EP204", "stage", stage, known, event.span("overrides", number, "stages", k), hint)


@rule
def unknown_levels_and_contexts(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP205: levels and variant conditions must use declared levels, context dimensions and values."""
    levels = [level.id for level in fw.spec.levels]
    contexts = fw.spec.contexts
    for position in fw.positions.values():
        if position.level is not None and position.level not in levels:
            hint = (
                "the Framework declares no levels; add `levels:` to it"
                if not levels
                else f"declared levels: {', '.join(levels)} (Framework `levels:`)"
            )
            yield _unknown("EP205", "level", position.level, levels, position.span("level"), hint)
        for stage, number, entry in _stage_entries(position):
            for v, variant in enumerate(entry.variants):
                yield from _check_when(
                    variant.when, contexts, position, ("scorecard", "stages", stage, number, "variants", v, "when")
                )
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            for k, entry in enumerate(override.add):
                for v, variant in enumerate(entry.variants):
                    yield from _check_when(
                        variant.when, contexts, event, ("overrides", number, "add", k, "variants", v, "when")
                    )


def _check_when(
    when: Mapping[str, str | list[str]], contexts: Mapping[str, Any], document: Document, base: tuple[str | int, ...]
) -> Iterator[Problem]:
    for dimension, wanted in when.items():
        if dimension not in contexts:
            hint = (
                "the Framework declares no contexts; add `contexts:` to it"
                if not contexts
                else f"declared contexts: {', '.join(contexts)} (Framework `contexts:`)"
            )
            yield _unknown("EP205", "context", dimension, contexts, document.span(*base, dimension), hint)
            continue
        values = contexts[dimension].value_ids
        for value in [wanted] if isinstance(wanted, str) else wanted:
            if value not in values:
                yield _unknown(
                    "EP205",
                    f"{dimension} value",
                    value,
                    values,
                    document.span(*base, dimension),
                    f"declared {dimension} values: {', '.join(values)}",
                )


@rule
def formula_references(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP206 unknown names in formulas; EP207 formulas that refer back to themselves (with the cycle path)."""
    graph: dict[str, list[str]] = {}
    for metric in fw.metrics.values():
        inputs = list(metric.inputs)
        for name in inputs:
            if name not in fw.declared("Metric"):
                yield _unknown(
                    "EP206",
                    "metric",
                    name,
                    fw.metrics,
                    metric.span("formula"),
                    hint="declare it as a base measure (a Metric without formula) or fix the name",
                )
        graph[metric.id] = [name for name in inputs if name in fw.metrics]
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        cycle = list(reversed(exc.args[1]))
        first = fw.metrics[cycle[0]]
        yield Problem(
            "EP207",
            f"formula cycle: {' -> '.join(cycle)}",
            first.span("formula"),
            hint="a metric cannot depend on itself; make one of them a measured base metric",
        )


@rule
def reporting_cycles(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP208: reporting lines must not loop."""
    graph = {p.id: [p.reports_to] for p in fw.positions.values() if p.reports_to in fw.positions}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        cycle = list(reversed(exc.args[1]))
        yield Problem(
            "EP208",
            f"reports_to cycle: {' -> '.join(cycle)}",
            fw.positions[cycle[0]].span("reports_to"),
            hint="one position in the loop must report outside it (or to no one)",
        )


@rule
def duplicate_inner_ids(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP209: ids inside documents (stages, levels, grades, duties, steps) must be unique too."""
    spec = fw.spec
    for field_name in ("stages", "levels", "grades", "dimensions"):
        items = getattr(spec, field_name)
        yield from _duplicates([item.id for item in items], spec, field_name)
    for module in fw.modules.values():
        yield from _duplicates([d.id for d in module.responsibilities], module, "responsibilities")
    for position in fw.positions.values():
        yield from _duplicates([d.id for d in position.responsibilities], position, "responsibilities")
    for workflow in fw.workflows.values():
        yield from _duplicates([s.id for s in workflow.steps], workflow, "steps")


def _duplicates(ids: list[str], document: Document, field_name: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for number, item_id in enumerate(ids):
        if item_id in seen:
            yield Problem(
                "EP209",
                f"duplicate id {item_id!r} in {field_name}",
                document.span(field_name, number, "id"),
                hint=f"first used at {document.span(field_name, seen[item_id], 'id')}",
                related=(document.span(field_name, seen[item_id], "id"),),
            )
        else:
            seen[item_id] = number


@rule
def unknown_duty_references(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP210: forbidden duties must name a declared duty ``owner_id.duty_id``."""
    index = fw.duty_index
    documents: list[Document] = [*fw.modules.values(), *fw.positions.values()]
    for document in documents:
        for number, forbidden in enumerate(getattr(document, "forbidden", [])):
            if forbidden.duty not in index:
                yield _unknown(
                    "EP210",
                    "duty",
                    forbidden.duty,
                    index,
                    document.span("forbidden", number, "duty"),
                    hint="write module_id.duty_id or position_id.duty_id of a declared responsibility",
                )


@rule
def unknown_grades_and_dimensions(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP212 rules naming undeclared grades; EP213 metrics naming undeclared dimensions."""
    spec = fw.spec
    grades = [grade.id for grade in spec.grades]
    rules = spec.rules
    if rules.veto_caps_grade_at is not None and rules.veto_caps_grade_at not in grades:
        yield _unknown("EP212", "grade", rules.veto_caps_grade_at, grades, spec.span("rules", "veto_caps_grade_at"))
    if rules.pip is not None and rules.pip.below_grade not in grades:
        yield _unknown("EP212", "grade", rules.pip.below_grade, grades, spec.span("rules", "pip", "below_grade"))
    if rules.distribution is not None:
        for grade in rules.distribution.shares:
            if grade not in grades:
                yield _unknown("EP212", "grade", grade, grades, spec.span("rules", "distribution", "shares", grade))
    dimensions = [d.id for d in spec.dimensions]
    for metric in fw.metrics.values():
        if metric.dimension is not None and metric.dimension not in dimensions:
            yield _unknown(
                "EP213",
                "dimension",
                metric.dimension,
                dimensions,
                metric.span("dimension"),
                hint="declare it under the Framework's `dimensions:`",
            )


@rule
def event_references(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP214 event overrides of KPIs the stage does not carry; EP215 period patterns matching no period."""
    for event in fw.events:
        for number, pattern in enumerate(event.periods):
            try:
                validate_pattern(pattern)
            except PeriodError as exc:
                yield Problem(
                    "EP215",
                    str(exc),
                    event.span("periods", number),
                    hint="use period ids or patterns such as 2026-11, *-11, 2026-Q4, 2026",
                )
        for number, override in enumerate(event.overrides):
            position = fw.positions.get(override.position)
            if position is None or position.scorecard is None:
                continue
            added = {entry.kpi for entry in override.add}
            for stage in _override_stages(fw, position, override.stages):
                carried = {entry.kpi for entry in position.scorecard.stages.get(stage, [])} | added
                for field_name in ("weights", "targets"):
                    for kpi in getattr(override, field_name):
                        if kpi not in carried:
                            yield Problem(
                                "EP214",
                                f"{field_name} names KPI {kpi!r}, which {position.id}'s {stage} scorecard "
                                "does not carry",
                                event.span("overrides", number, field_name, kpi),
                                hint=f"list it under `add:` with a weight and target, or remove it from `{field_name}`",
                            )


def _override_stages(fw: FrameworkIndex, position: Position, stages: list[str] | None) -> list[str]:
    assert position.scorecard is not None
    declared = list(position.scorecard.stages)
    return declared if stages is None else [s for s in stages if s in declared]


# --- EP3xx scorecards ---------------------------------------------------------------------------


def _weights_text(total: float) -> str:
    return f"{total:g}"


@rule
def stage_weights(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP301: the weights of each stage's KPIs must sum to 100."""
    for position in fw.positions.values():
        if position.scorecard is None:
            continue
        for stage, entries in position.scorecard.stages.items():
            total = sum(entry.weight for entry in entries)
            if abs(total - 100) > 1e-9:
                listed = " + ".join(f"{e.kpi} {e.weight:g}" for e in entries if e.weight) or "nothing"
                yield Problem(
                    "EP301",
                    f"weights of stage {stage!r} sum to {_weights_text(total)}, not 100 ({listed})",
                    position.span("scorecard", "stages", stage),
                    hint=f"{'add' if total < 100 else 'remove'} {abs(100 - total):g} points across the KPIs",
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


def _entries_everywhere(fw: FrameworkIndex) -> Iterator[tuple[Document, tuple[str | int, ...], KpiEntry]]:
    for position in fw.positions.values():
        for stage, number, entry in _stage_entries(position):
            yield position, ("scorecard", "stages", stage, number), entry
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            for k, entry in enumerate(override.add):
                yield event, ("overrides", number, "add", k), entry


@rule
def target_directions(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP302: target operators must agree with the metric's direction."""
    for document, path, entry in _entries_everywhere(fw):
        metric = fw.metrics.get(entry.kpi)
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
                metric = fw.metrics.get(kpi)
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
    for document, path, entry in _entries_everywhere(fw):
        metric = fw.metrics.get(entry.kpi)
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
    """EP305: after an event's overrides, each affected stage's weights must still sum to 100."""
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            position = fw.positions.get(override.position)
            if position is None or position.scorecard is None:
                continue
            for stage in _override_stages(fw, position, override.stages):
                effective = apply_overrides(position.scorecard.stages[stage], [event], position.id, stage)
                if effective.ignored:  # EP214 reports the KPIs the override names but the card lacks
                    continue
                weights = {kpi: found.weight for kpi, found in effective.kpis.items()}
                total = sum(weights.values())
                if abs(total - 100) > 1e-9:
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
    for document, path, entry in _entries_everywhere(fw):
        metric = fw.metrics.get(entry.kpi)
        scoring = entry.scoring
        if metric is None or scoring is None:
            continue
        span = document.span(*path, "scoring")
        needs_target = isinstance(scoring, InterpolateScoring | RangeScoring | BandsScoring)
        if needs_target and entry.target is None:
            yield Problem(
                "EP306",
                f"{scoring.method} scoring of {entry.kpi!r} needs a target",
                span,
                hint="add `target:` to the KPI entry",
            )
            continue
        if isinstance(scoring, RangeScoring) and entry.target is not None and entry.target.op != "range":
            yield Problem(
                "EP309",
                f'range scoring of {entry.kpi!r} needs a range target such as "90%..95%", got {entry.target}',
                span,
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
                    span,
                )


@rule
def overlapping_events(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP307 (warning): two events that match the same period override the same KPI weight of a position."""
    from ecomperf.periods import Period

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


# --- EP4xx organisation -------------------------------------------------------------------------


@rule
def forbidden_duties_held(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP401: a position must not hold a duty that one of its modules (or itself) forbids."""
    for position in fw.positions.values():
        held = {info.ref: info for info in fw.duties_of(position.id)}
        for forbidden, source in fw.forbidden_for(position.id):
            if forbidden.duty in held:
                origin = "its own forbidden list" if source == position.id else f"module {source!r}"
                holder = held[forbidden.duty]
                via = "its own responsibilities" if holder.owner_kind == "Position" else f"module {holder.owner_id!r}"
                yield Problem(
                    "EP401",
                    f"position {position.id!r} holds duty {forbidden.duty!r} (through {via}), which {origin} forbids",
                    position.span("modules") if holder.owner_kind == "Module" else position.span("id"),
                    hint="give the duty to another position, or drop the module that forbids it",
                )


@rule
def unowned_module_kpis(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP402 (warning): every module KPI should be on some position's scorecard."""
    carried = {entry.kpi for position in fw.positions.values() for _, _, entry in _stage_entries(position)}
    carried |= {entry.kpi for event in fw.events for o in event.overrides for entry in o.add}
    for module in fw.modules.values():
        for number, kpi in enumerate(module.kpis):
            if kpi not in carried and kpi in fw.metrics:
                yield Problem(
                    "EP402",
                    f"module {module.id!r} KPI {kpi!r} is on no position's scorecard",
                    module.span("kpis", number),
                    severity="warning",
                    hint="put it on the scorecard of a position that holds the module, or drop it",
                )


@rule
def duties_held_twice(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP403 (warning): a duty held by several positions without being marked ``shared``."""
    holders: dict[str, list[str]] = defaultdict(list)
    for position in fw.positions.values():
        for ref in dict.fromkeys(info.ref for info in fw.duties_of(position.id)):
            holders[ref].append(position.id)
    for ref, positions in holders.items():
        info = fw.duty_index[ref]
        shared = info.duty.shared or (info.owner_kind == "Module" and fw.modules[info.owner_id].shared)
        if len(positions) > 1 and not shared:
            owner: Document = fw.modules[info.owner_id] if info.owner_kind == "Module" else fw.positions[info.owner_id]
            number = next(i for i, d in enumerate(owner.responsibilities) if d.id == info.duty.id)  # type: ignore[attr-defined]
            yield Problem(
                "EP403",
                f"duty {ref!r} is held by {len(positions)} positions: {', '.join(positions)}",
                owner.span("responsibilities", number),
                severity="warning",
                hint="give it one owner, or mark it `shared: true` (or the module) if sharing is intended",
            )


@rule
def smart_kpis(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP404 (warning): a KPI needs a target, and its metric a cycle and a data source (SMART)."""
    for document, path, entry in _entries_everywhere(fw):
        metric = fw.metrics.get(entry.kpi)
        if metric is None:
            continue
        missing = []
        if entry.target is None and metric.direction != "zero":
            missing.append("target")
        if entry.cycle is None and metric.cycle is None:
            missing.append("cycle")
        if metric.source is None:
            missing.append("data source")
        if missing:
            yield Problem(
                "EP404",
                f"KPI {entry.kpi!r} has no {_either(missing)} (SMART: measurable and time-bound)",
                document.span(*path),
                severity="warning",
                hint="add the target on the entry; cycle and source on the Metric",
            )


def _either(items: list[str]) -> str:
    """``"a"``, ``"a or b"``, ``"a, b or c"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


@rule
def missing_locales(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP405 (warning): localised text should carry every locale the framework declares, and no others."""
    locales = fw.spec.locales
    documents: list[Document] = [
        fw.spec,
        *fw.metrics.values(),
        *fw.modules.values(),
        *fw.positions.values(),
        *fw.events,
        *fw.workflows.values(),
    ]
    for document in documents:
        for path, text in _texts(document, ()):
            if isinstance(text, dict):
                absent = [loc for loc in locales if loc not in text]
                extra = [loc for loc in text if loc not in locales]
                if absent or extra:
                    parts = ([f"no {', '.join(absent)} text"] if absent else []) + (
                        [f"undeclared locale {', '.join(extra)}"] if extra else []
                    )
                    yield Problem(
                        "EP405",
                        f"{'.'.join(map(str, path))}: {'; '.join(parts)}",
                        document.span(*path),
                        severity="warning",
                        hint=f"give the text in every declared locale ({', '.join(locales)})",
                    )


def _is_text_annotation(annotation: Any, metadata: Iterable[Any] = ()) -> bool:
    if any(isinstance(m, AfterValidator) and m.func is _check_text for m in metadata):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        return _is_text_annotation(args[0], args[1:])
    return any(_is_text_annotation(arg) for arg in typing.get_args(annotation) if typing.get_origin(arg) is not list)


def _list_item(annotation: Any) -> Any:
    for candidate in union_members(annotation):
        if typing.get_origin(candidate) is list:
            return typing.get_args(candidate)[0]
    return None


@functools.cache
def _text_plan(model_class: type[BaseModel]) -> tuple[tuple[str, str, str], ...]:
    """For each field: (attribute, YAML key, how to look for text) — worked out once per model class."""
    plan = []
    for name, info in model_class.model_fields.items():
        key = info.alias or name
        item = _list_item(info.annotation)
        if item is not None and _is_text_annotation(item):
            plan.append((name, key, "text_list"))
        elif item is None and _is_text_annotation(info.annotation, info.metadata):
            plan.append((name, key, "text"))
        elif _may_hold_text(info.annotation):
            plan.append((name, key, "nested"))
    return tuple(plan)


def _may_hold_text(annotation: Any) -> bool:
    """Whether a value of this type can contain localised text somewhere inside (targets, ids and numbers
    cannot, so the locale check does not walk into them)."""
    for member in union_members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            if _text_plan(member):
                return True
        elif typing.get_origin(member) in (list, dict) and any(
            _may_hold_text(arg) for arg in typing.get_args(member)
        ):
            return True
    return False


def _texts(model: BaseModel, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    for name, key, how in _text_plan(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        if how == "text":
            yield (*path, key), value
        elif how == "text_list":
            for number, item in enumerate(value):
                yield (*path, key, number), item
        else:
            yield from _nested_texts(value, (*path, key))


def _nested_texts(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, BaseModel):
        yield from _texts(value, path)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            if isinstance(item, BaseModel | list | dict):
                yield from _nested_texts(item, (*path, number))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, BaseModel | list):
                yield from _nested_texts(item, (*path, key))


DEFAULT_RULES: tuple[Rule, ...] = (
    unknown_metrics,
    unknown_modules,
    unknown_positions,
    unknown_stages,
    unknown_levels_and_contexts,
    formula_references,
    reporting_cycles,
    duplicate_inner_ids,
    unknown_duty_references,
    unknown_grades_and_dimensions,
    event_references,
    stage_weights,
    target_directions,
    kpi_listed_twice,
    veto_and_direction,
    event_weights,
    method_parameters,
    overlapping_events,
    distribution_shares,
    forbidden_duties_held,
    unowned_module_kpis,
    duties_held_twice,
    smart_kpis,
    missing_locales,
)
"""Every rule ``ecomperf.load`` runs, in order."""
