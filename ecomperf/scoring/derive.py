"""Formula metrics derived from their inputs: the step every score runs before it scores a card.

A formula metric without its own actual is computed from its inputs, recursively and in dependency order
(:func:`derive`, the order from :class:`graphlib.TopologicalSorter`). Division by zero makes it
*undefined*, reported with the inputs that caused it, never ``inf`` and never a crash. A formula metric
with an n/a input is n/a too. A computed value outside its metric's bounds is *impossible*
(:func:`ecomperf.scoring.bounds.computed_out_of_range`): scoring refuses the row, as for an impossible actual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from graphlib import CycleError, TopologicalSorter
from typing import Literal, TypeAlias

from ecomperf.errors import ScoringError
from ecomperf.formula import MissingInput
from ecomperf.model.index import FrameworkIndex
from ecomperf.scoring.actuals import NotApplicable
from ecomperf.scoring.bounds import computed_out_of_range
from ecomperf.sentences import Formula, Name, Sentence, join_sentences

__all__ = ["Derived", "UndefinedKind", "derive"]

UndefinedKind: TypeAlias = Literal["missing", "undefined", "not applicable"]
"""Why a formula metric has no value: an input is missing, the formula divides by zero, or an input is n/a."""


# --- formula metrics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    """Actuals with formula metrics filled in.

    Attributes:
        values: the given values plus every formula metric that could be computed.
        computed: the metrics in ``values`` that were computed rather than given.
        reasons: metrics without a value and why: ``(kind, explanation)``; formula metrics that could not
            be computed, and the ``absent`` metrics passed in.
        not_applicable: metrics that are n/a, given as such or through an n/a input.
        impossible: computed metrics whose value lies outside their bounds, with the reason (formula, inputs
            and range); the value stays in ``values`` so that what reads it is computed as well.
    """

    values: dict[str, float]
    computed: frozenset[str] = frozenset()
    reasons: dict[str, tuple[UndefinedKind, str]] = field(default_factory=dict)
    not_applicable: frozenset[str] = frozenset()
    impossible: dict[str, str] = field(default_factory=dict)


def derive(
    fw: FrameworkIndex,
    values: Mapping[str, float],
    wanted: Iterable[str],
    not_applicable: Iterable[str] = (),
    absent: Mapping[str, str] | None = None,
) -> Derived:
    """Compute the ``wanted`` formula metrics that have no value, from their inputs, recursively.

    A metric's own value always wins over its formula. Inputs are computed first (topological order
    from :class:`graphlib.TopologicalSorter`), so a formula may read other formula metrics.

    Args:
        fw: the framework declaring the metrics.
        values: known values by metric id.
        wanted: the metrics needed; their formula inputs are pulled in as needed.
        not_applicable: metrics marked n/a (a formula reading one is n/a too).
        absent: metrics known to have no value, with the reason (e.g. a month missing from a roll-up);
            the reason is carried into the reasons of the formulas that read them.

    Returns:
        The filled values, which of them were computed, and why the others could not be.

    Raises:
        ScoringError: the formulas refer to each other in a cycle (a loaded framework has none).

    Example:
        >>> import ecomperf
        >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
        >>> derive(fw, {"sales_revenue": 0.0, "cost": 5.0}, ["gross_margin"]).reasons  # doctest: +SKIP
        {'gross_margin': ('undefined', "division by zero in '(sales_revenue - cost) / sales_revenue' ...")}
    """
    filled = dict(values)
    skipped = set(not_applicable)
    graph = _formula_graph(fw, filled, skipped, wanted)
    try:
        order = _static_order(tuple(graph.items()))
    except CycleError as exc:
        raise ScoringError(f"metric formulas form a cycle: {' -> '.join(exc.args[1])}") from None
    computed: set[str] = set()
    impossible: dict[str, str] = {}
    reasons: dict[str, tuple[UndefinedKind, str]] = {name: ("missing", why) for name, why in (absent or {}).items()}
    for name in order:
        if name not in graph:
            continue
        outcome = _compute_one(fw, name, filled, skipped, reasons)
        if isinstance(outcome, float):
            filled[name] = outcome
            computed.add(name)
            reasons.pop(name, None)
            if (why := computed_out_of_range(fw.metrics[name], outcome, filled)) is not None:
                impossible[name] = why
        elif isinstance(outcome, NotApplicable):
            skipped.add(name)
        else:
            reasons[name] = outcome
    return Derived(filled, frozenset(computed), reasons, frozenset(skipped), impossible)


@lru_cache(maxsize=1024)
def _static_order(graph: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The topological order of a formula graph, worked out once per graph: the rows of a batch that give
    the same metrics share one (a cycle raises :class:`graphlib.CycleError`, which is not cached)."""
    return tuple(TopologicalSorter(dict(graph)).static_order())


def _formula_graph(
    fw: FrameworkIndex, values: Mapping[str, float], skipped: set[str], wanted: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Formula metrics that need computing, each with its inputs (only those reachable from ``wanted``)."""
    graph: dict[str, tuple[str, ...]] = {}
    stack = list(wanted)
    while stack:
        name = stack.pop()
        if name in graph or name in values or name in skipped:
            continue
        metric = fw.metrics.get(name)
        if metric is None or metric.parsed_formula is None:
            continue
        graph[name] = metric.inputs
        stack.extend(metric.inputs)
    return graph


def formula_param(fw: FrameworkIndex, metric_id: str) -> Formula:
    """The formula of ``metric_id`` for a sentence, with the names of the metrics it reads."""
    metric = fw.metrics[metric_id]
    parsed = metric.parsed_formula
    reads = sorted(parsed.names) if parsed is not None else []
    return Formula(str(metric.formula or ""), tuple(_metric(fw, name) for name in reads))


def _metric(fw: FrameworkIndex, metric_id: str) -> Name:
    """A metric id with its name, for a sentence."""
    found = fw.metrics.get(metric_id)
    return Name.of(metric_id, found.name if found is not None else None)


def _compute_one(
    fw: FrameworkIndex,
    name: str,
    values: Mapping[str, float],
    skipped: set[str],
    reasons: Mapping[str, tuple[UndefinedKind, str]],
) -> float | NotApplicable | tuple[UndefinedKind, str]:
    formula = fw.metrics[name].parsed_formula
    assert formula is not None
    inputs = formula.names
    if any(i in skipped for i in inputs):
        return NotApplicable()
    try:
        # An input without a value matters only when the evaluation reads it: if(visitors > 0, orders /
        # visitors, 0) is 0 without `orders` when there are no visitors, as in the array engine.
        result = formula.evaluate(values)
    except MissingInput:
        result = None
    if result is not None:
        return result
    broken = [i for i in inputs if i in reasons]
    if broken:
        kind: UndefinedKind = "missing" if all(reasons[i][0] == "missing" for i in broken) else "undefined"
        detail = tuple(Sentence("{input} has no value ({reason})", input=_metric(fw, i), reason=reasons[i][1])
                       for i in broken)
        return kind, Sentence("cannot compute {formula}: {detail}", formula=formula_param(fw, name),
                              detail=_semicolons(detail))
    absent = [i for i in inputs if i not in values]
    if absent:
        if len(absent) == 1:
            return "missing", Sentence("no actual, and no value for its input {input}", input=_metric(fw, absent[0]))
        return "missing", Sentence("no actual, and no value for its inputs {inputs}",
                                   inputs=tuple(_metric(fw, i) for i in absent))
    given = ", ".join(f"{i} = {values[i]:g}" for i in inputs)
    return "undefined", Sentence("division by zero in '{formula}' ({given})", formula=formula_param(fw, name),
                                 given=given)


def _semicolons(parts: tuple[str, ...]) -> str:
    """``a; b; c``, each part kept translatable."""
    joined = parts[0]
    for part in parts[1:]:
        joined = join_sentences(joined, part)
    return joined
