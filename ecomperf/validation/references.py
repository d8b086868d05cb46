"""EP2xx rules: every name a document uses (metric, module, position, stage, level, context, duty, grade)
is declared."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from graphlib import CycleError, TopologicalSorter

from ecomperf.model import Document, Rules
from ecomperf.model.index import FrameworkIndex
from ecomperf.periods import PeriodError, validate_pattern
from ecomperf.problems import Problem
from ecomperf.validation.base import override_stages, rule, stage_entries, unknown

__all__ = [
    "duplicate_inner_ids",
    "event_references",
    "formula_references",
    "reporting_cycles",
    "unknown_duty_references",
    "unknown_grades_and_dimensions",
    "unknown_levels_and_contexts",
    "unknown_metrics",
    "unknown_modules",
    "unknown_positions",
    "unknown_stages",
]

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
            for stage, number, entry in stage_entries(position)
        )
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            named.extend(
                (entry.kpi, event, ("overrides", number, "add", k, "kpi")) for k, entry in enumerate(override.add)
            )
    for name, document, path in named:
        if name not in declared:
            yield unknown("EP201", "metric", name, known, document.span(*path), hint=hint)


@rule
def unknown_modules(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP202: a position's modules must be declared."""
    for position in fw.positions.values():
        for number, module in enumerate(position.modules):
            if module not in fw.declared("Module"):
                yield unknown("EP202", "module", module, fw.modules, position.span("modules", number))


@rule
def unknown_positions(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP203: reports_to, event overrides and workflow steps must name declared positions."""
    known = fw.positions
    declared = fw.declared("Position")
    for position in known.values():
        if position.reports_to is not None and position.reports_to not in declared:
            yield unknown("EP203", "position", position.reports_to, known, position.span("reports_to"))
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            if override.position not in declared:
                yield unknown(
                    "EP203", "position", override.position, known, event.span("overrides", number, "position")
                )
    for workflow in fw.workflows.values():
        for number, step in enumerate(workflow.steps):
            if step.owner not in declared:
                yield unknown("EP203", "position", step.owner, known, workflow.span("steps", number, "owner"))
            for k, participant in enumerate(step.participants):
                if participant not in declared:
                    yield unknown(
                        "EP203", "position", participant, known, workflow.span("steps", number, "participants", k)
                    )


@rule
def unknown_stages(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP204: stages named by scorecards, modules and events must be declared on the Framework."""
    if not fw.knows(fw.spec, "stages"):
        return  # the Framework's stages failed their check: it says so once
    known = fw.spec.stage_ids
    hint = f"declared stages: {', '.join(known)} (Framework `stages:`)"
    for position in fw.positions.values():
        if position.scorecard is not None:
            for stage in position.scorecard.stages:
                if stage not in known:
                    yield unknown("EP204", "stage", stage, known, position.span("scorecard", "stages", stage), hint)
    for module in fw.modules.values():
        for number, stage in enumerate(module.stages or []):
            if stage not in known:
                yield unknown("EP204", "stage", stage, known, module.span("stages", number), hint)
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            for k, stage in enumerate(override.stages or []):
                if stage not in known:
                    yield unknown("EP204", "stage", stage, known, event.span("overrides", number, "stages", k), hint)


@rule
def unknown_levels_and_contexts(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP205: levels and variant conditions must use declared levels, context dimensions and values."""
    levels = [level.id for level in fw.spec.levels]
    for position in fw.positions.values():
        if position.level is not None and position.level not in levels and fw.knows(fw.spec, "levels"):
            hint = (
                "the Framework declares no levels; add `levels:` to it"
                if not levels
                else f"declared levels: {', '.join(levels)} (Framework `levels:`)"
            )
            yield unknown("EP205", "level", position.level, levels, position.span("level"), hint)
        for stage, number, entry in stage_entries(position):
            for v, variant in enumerate(entry.variants):
                yield from _check_when(
                    fw, variant.when, position, ("scorecard", "stages", stage, number, "variants", v, "when")
                )
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            for k, entry in enumerate(override.add):
                for v, variant in enumerate(entry.variants):
                    yield from _check_when(
                        fw, variant.when, event, ("overrides", number, "add", k, "variants", v, "when")
                    )


def _check_when(
    fw: FrameworkIndex, when: Mapping[str, str | list[str]], document: Document, base: tuple[str | int, ...]
) -> Iterator[Problem]:
    contexts = fw.spec.contexts
    for dimension, wanted in when.items():
        if not fw.knows(fw.spec, "contexts", dimension):
            continue  # the Framework's declaration of it failed its check
        if dimension not in contexts:
            hint = (
                "the Framework declares no contexts; add `contexts:` to it"
                if not contexts
                else f"declared contexts: {', '.join(contexts)} (Framework `contexts:`)"
            )
            yield unknown("EP205", "context", dimension, contexts, document.span(*base, dimension), hint)
            continue
        values = contexts[dimension].value_ids
        for value in [wanted] if isinstance(wanted, str) else wanted:
            if value not in values:
                yield unknown(
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
                yield unknown(
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
    """EP209: ids inside documents (stages, levels, grades, duties, steps, sections) must be unique too."""
    spec = fw.spec
    for field_name in ("stages", "levels", "grades", "dimensions"):
        items = getattr(spec, field_name)
        yield from _duplicates([item.id for item in items], spec, field_name)
    for module in fw.modules.values():
        yield from _duplicates([d.id for d in module.responsibilities], module, "responsibilities")
    for position in fw.positions.values():
        yield from _duplicates([d.id for d in position.responsibilities], position, "responsibilities")
        if position.scorecard is not None:
            yield from _duplicates([s.id for s in position.scorecard.sections], position, "scorecard", "sections")
    for workflow in fw.workflows.values():
        yield from _duplicates([s.id for s in workflow.steps], workflow, "steps")


def _duplicates(ids: list[str], document: Document, *path: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for number, item_id in enumerate(ids):
        if item_id in seen:
            yield Problem(
                "EP209",
                f"duplicate id {item_id!r} in {path[-1]}",
                document.span(*path, number, "id"),
                hint=f"first used at {document.span(*path, seen[item_id], 'id')}",
                related=(document.span(*path, seen[item_id], "id"),),
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
            if forbidden.duty not in index and _duties_known(fw, forbidden.duty.partition(".")[0]):
                yield unknown(
                    "EP210",
                    "duty",
                    forbidden.duty,
                    index,
                    document.span("forbidden", number, "duty"),
                    hint="write module_id.duty_id or position_id.duty_id of a declared responsibility",
                )


def _duties_known(fw: FrameworkIndex, owner: str) -> bool:
    """Whether every duty of ``owner`` (a module or position id) is known, so that one missing is missing."""
    if owner in fw.modules:
        return fw.knows(fw.modules[owner], "responsibilities")
    if owner in fw.positions:
        return fw.knows(fw.positions[owner], "responsibilities")
    return "." not in owner and owner not in fw.declared("Module") and owner not in fw.declared("Position")


@rule
def unknown_grades_and_dimensions(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP212 rules naming undeclared grades; EP213 metrics naming undeclared dimensions."""
    spec = fw.spec
    grades = [grade.id for grade in spec.grades]
    rules = spec.rules if fw.knows(spec, "grades") else Rules()  # unknown grades: nothing to check against
    if rules.veto_caps_grade_at is not None and rules.veto_caps_grade_at not in grades:
        yield unknown("EP212", "grade", rules.veto_caps_grade_at, grades, spec.span("rules", "veto_caps_grade_at"))
    if rules.pip is not None and rules.pip.below_grade not in grades:
        yield unknown("EP212", "grade", rules.pip.below_grade, grades, spec.span("rules", "pip", "below_grade"))
    if rules.distribution is not None:
        for grade in rules.distribution.shares:
            if grade not in grades:
                yield unknown("EP212", "grade", grade, grades, spec.span("rules", "distribution", "shares", grade))
    dimensions = [d.id for d in spec.dimensions]
    for metric in fw.metrics.values():
        if metric.dimension is not None and metric.dimension not in dimensions and fw.knows(spec, "dimensions"):
            yield unknown(
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
            for stage in override_stages(fw, position, override.stages):
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
