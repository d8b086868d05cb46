"""Which input of a formula KPI moves, and to what: solve for one input with the others held.

A formula KPI such as ``gross_margin = (sales_revenue - cost) / sales_revenue`` reaches the value it
needs by moving one of its inputs. :func:`solve_input` finds the value of that input, the other inputs
and the other KPIs held at their actuals:

1. **Closed form** where the formula is linear, or linear-fractional, in the input
   (:func:`ecomperf.formula_forms.fractional_form`): ``x = (y·d − b) / (a − y·c)`` for the needed
   KPI value ``y``. Gross margin is linear in ``cost`` and linear-fractional in ``sales_revenue``, so both
   have closed forms: 40% margin with cost 4,700,000 needs revenue ``4,700,000 / 0.6 = 7,833,333.33``.
   The answer must lie on the same side of the formula's pole as the actual (a margin approaches 100%
   as revenue grows and never reaches it).
2. **Bracketing** otherwise (``min``, ``max``, ``abs``, ``round``, ``%``, a product of inputs):
   :func:`ecomperf.planning.floats.bracket` steps away from the actual by 1%, 2%, 4% … of it, in both
   directions, scoring the card at each step with the formula evaluated by
   :meth:`~ecomperf.formula.Formula.evaluate` (never ``eval``), until the card reaches the grade; then it
   bisects to the float between the last step that did not and the first that did.

Either way the last floating-point steps are settled on the card itself (:class:`~ecomperf.planning.probe.Probe`),
so the input returned makes the card reach the grade and the float just short of it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict

from ecomperf.formula_forms import Fractional, fractional_form
from ecomperf.planning.floats import bracket, highest_true, lowest_true, step_down, step_up
from ecomperf.planning.inverse import Bound
from ecomperf.planning.probe import Probe
from ecomperf.scoring.derive import derive
from ecomperf.targets import format_quantity

__all__ = ["InputNeed", "SolvedBy", "solve_input"]

SolvedBy = Literal["closed form", "bracketing", "none"]
"""How an input's value was found."""

_Test: TypeAlias = Callable[[float], bool]


class InputNeed(BaseModel):
    """The value one input of a formula KPI needs, the other inputs held.

    Attributes:
        input: the input's metric id.
        actual: its actual (``None`` when it has none).
        needed: the value it needs (the boundary; see ``bound``).
        bound: ``at_least`` / ``at_most`` / ``exactly`` / ``any`` / ``never``.
        reachable: whether moving this input alone reaches the grade.
        reason: how it was found, or why it cannot be.
        solved_by: ``closed form``, ``bracketing`` or ``none``.
        held: the other inputs and the values they are held at.
    """

    model_config = ConfigDict(frozen=True)

    input: str
    actual: float | None
    needed: float | None
    bound: Bound
    reachable: bool
    reason: str
    solved_by: SolvedBy
    held: dict[str, float] = {}


def solve_input(probe: Probe, kpi: str, name: str, needed: float | None, bound: Bound) -> InputNeed:
    """The value of input ``name`` of formula KPI ``kpi`` that makes the card reach the grade.

    Args:
        probe: the card and its actuals.
        kpi: a formula KPI of the card.
        name: one of the formula's inputs.
        needed: the KPI value needed (the boundary found for the KPI itself), if any.
        bound: the shape of the KPI's answer: ``at_least``/``at_most``/``exactly`` use ``needed``;
            ``any`` and ``never`` carry over to the input.
    """
    metric = probe.entry(kpi).metric
    formula = metric.parsed_formula
    assert formula is not None
    values = derive(probe.fw, probe.parsed.values, [kpi]).values
    absent = [other for other in formula.names if other not in values]
    if absent:
        return InputNeed(
            input=name, actual=values.get(name), needed=None, bound="never", reachable=False, solved_by="none",
            reason=f"cannot solve for {name}: no actual for {', '.join(absent)}, which {kpi}'s formula reads",
        )
    actual = values[name]
    held = {other: values[other] for other in formula.names if other != name}
    if bound in ("any", "never") or needed is None:
        why = "any value reaches the grade" if bound == "any" else f"no value of {kpi} reaches the grade"
        return InputNeed(input=name, actual=actual, needed=None, bound=bound, reachable=bound == "any",
                         reason=why, solved_by="none", held=held)

    def reaches(value: float) -> bool:
        return probe.reaches(probe.score({name: value}, release=[kpi]))

    form = fractional_form(formula, name, held)
    closed = _closed_form(form, needed, bound, actual, reaches)
    if closed is not None:
        value, input_bound = closed
        return _found(name, actual, value, input_bound, "closed form", kpi, needed, held, probe)
    found = _bracketing(reaches, actual, probe.reaches(probe.score({name: actual}, release=[kpi])))
    if found is None:
        return InputNeed(
            input=name, actual=actual, needed=None, bound="never", reachable=False, solved_by="bracketing",
            held=held, reason=f"no value of {name} (others held) makes {kpi} reach the grade",
        )
    value, input_bound = found
    return _found(name, actual, value, input_bound, "bracketing", kpi, needed, held, probe)


def _closed_form(
    form: Fractional | None, needed: float, bound: Bound, actual: float, reaches: _Test
) -> tuple[float, Bound] | None:
    """The input from the closed form, settled on the card; ``None`` when there is no usable closed form."""
    if form is None or form.increasing is None:
        return None
    guess = form.solve(needed)
    pole = form.pole()
    if guess is None or (pole is not None and (guess - pole) * (actual - pole) <= 0):
        return None  # the value lies across the pole (or is the asymptote): let bracketing look locally
    if bound == "exactly":
        return (guess, "exactly") if reaches(guess) else None
    rising = (bound == "at_least") == form.increasing
    value = lowest_true(reaches, guess) if rising else highest_true(reaches, guess)
    if value is None:
        return None
    return value, "at_least" if rising else "at_most"


def _bracketing(reaches: _Test, actual: float, reached: bool) -> tuple[float, Bound] | None:
    """The nearest boundary by stepping out from the actual (towards passing, or, when it passes, failing)."""
    if not reached:
        found = bracket(reaches, actual)
        if found is None:
            return None
        value, upwards = found
        return value, "at_least" if upwards else "at_most"
    found = bracket(lambda value: not reaches(value), actual)
    if found is None:
        return None
    value, upwards = found
    # the first failing value lies beyond the boundary: the last passing float is next to it
    return (step_down(value), "at_most") if upwards else (step_up(value), "at_least")


def _found(
    name: str, actual: float, value: float, bound: Bound, solved_by: SolvedBy, kpi: str, needed: float,
    held: dict[str, float], probe: Probe,
) -> InputNeed:
    unit = probe.fw.metrics[name].unit if name in probe.fw.metrics else None
    kpi_unit = probe.entry(kpi).metric.unit
    others = ", ".join(f"{other} held at {format_quantity(v, probe.fw.metrics[other].unit)}"
                       for other, v in held.items() if other in probe.fw.metrics)
    word = {"at_least": "at least", "at_most": "at most", "exactly": "exactly"}.get(bound, bound)
    reason = (
        f"{name} {word} {format_quantity(value, unit)} (now {format_quantity(actual, unit)})"
        + (f", {others}" if others else "")
        + f": {kpi} then reaches {format_quantity(needed, kpi_unit)} ({solved_by})"
    )
    return InputNeed(input=name, actual=actual, needed=value, bound=bound, reachable=True, reason=reason,
                     solved_by=solved_by, held=held)
