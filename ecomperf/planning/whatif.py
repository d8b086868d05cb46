"""What-if: the actual each KPI needs for a grade, the others held at their actuals, or why no actual will do.

:func:`whatif` resolves and scores an employee's card (:func:`ecomperf.scoring.resolve.resolve_card`, the
targets fitted to the period by :func:`ecomperf.scoring.plan_targets.fit_targets`, then
:func:`ecomperf.scoring.card.score_card`), and then asks, KPI by KPI: what must this actual be for the
total to reach the grade's minimum, everything else as it is?

With ``W = Σ wᵢ`` over the KPIs on the total and ``G`` the grade's minimum, KPI ``k`` needs the score
``sₖ* = (G·W − Σᵢ≠ₖ wᵢ·sᵢ) / wₖ``; the method's exact inverse (:func:`ecomperf.planning.inverse.needed_for_score`)
turns that score into an actual, and the last floating-point steps are settled on the card itself, so
the actual returned earns the grade and, where the method is continuous, the float just short of it
does not. When that is impossible the answer says why:

* ``cap``: even the KPI's best score (the linear cap, 100 for threshold and range …) leaves the total short;
* ``veto``: a breached veto KPI caps the grade below the one wanted (or zeroes the total), so only
  meeting that veto's target helps;
* ``weight``: the KPI carries no weight on the total (a veto that is not breached);
* ``jump`` (reachable, but worth knowing): the method jumps, so the total lands above the minimum.

When the card already earns the grade, each KPI's answer is how far its actual can fall before the
grade is lost (``why: reached``).

For a formula KPI every input of the formula (or the one asked for in ``solve_for``) is also solved for,
the other inputs held (:func:`ecomperf.planning.solve.solve_input`): which input moves, and to what.

The cheapest single move is the KPI whose needed change is the smallest fraction of its actual. Each KPI
also carries its sensitivity (:mod:`ecomperf.planning.sensitivity`).

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("frameworks/ecommerce-ops")  # doctest: +SKIP
    >>> result = whatif(fw, "store_manager", stage="startup", period="2026-10", grade="A",
    ...                 actuals={...}, context={"category": "apparel"})  # doctest: +SKIP
    >>> [(k.kpi, k.needed, k.reason) for k in result.kpis]  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ecomperf.errors import ScoringError
from ecomperf.model import Grade, VetoScoring
from ecomperf.model.index import FrameworkIndex
from ecomperf.planning.floats import highest_true, lowest_true
from ecomperf.planning.inverse import Bound, Needed, needed_for_score
from ecomperf.planning.probe import Probe
from ecomperf.planning.sensitivity import Sensitivity, kpi_sensitivity
from ecomperf.planning.solve import InputNeed, solve_input
from ecomperf.scoring.methods import PRECISION
from ecomperf.scoring.missing import MissingPolicy
from ecomperf.scoring.plan_targets import fit_targets
from ecomperf.scoring.resolve import resolve_card
from ecomperf.scoring.results import ScoreCard
from ecomperf.suggest import did_you_mean
from ecomperf.targets import format_quantity

__all__ = ["KpiNeed", "WhatIf", "Why", "whatif"]

Why = Literal["needed", "jump", "reached", "cap", "veto", "weight"]
"""Why a KPI's answer is what it is (see the module docstring)."""


class KpiNeed(BaseModel):
    """The answer for one KPI: the actual it needs for the grade, the others held, or why none will do.

    Attributes:
        kpi: the metric id; ``name`` its localised name; ``unit`` its unit.
        method: the scoring method; ``weight`` the KPI's weight on the card.
        actual: the actual scored; ``score`` its score.
        needed: the actual needed (a boundary: see ``bound``), ``None`` when none is needed or none will do.
        bound: ``at_least``, ``at_most``, ``exactly``, ``within`` (``low``..``high``), ``any`` or ``never``.
        reachable: whether moving this KPI alone earns the grade.
        why: the kind of answer (:data:`Why`); ``reason`` says it in words with the numbers.
        change: ``needed - actual``; ``relative_change`` the same as a fraction of ``|actual|``
            (``None`` when the actual is 0).
        sensitivity: what 1% of the actual is worth, and the headroom before the cap.
        inputs: for a formula KPI, the value each input needs with the others held.
    """

    model_config = ConfigDict(frozen=True)

    kpi: str
    name: str | dict[str, str]
    unit: str
    method: str
    weight: float
    actual: float | None
    score: float
    needed: float | None
    bound: Bound
    low: float | None = None
    high: float | None = None
    reachable: bool
    why: Why
    reason: str
    change: float | None = None
    relative_change: float | None = None
    sensitivity: Sensitivity
    inputs: list[InputNeed] = []


class WhatIf(BaseModel):
    """What one employee's card needs for a grade.

    Attributes:
        framework, employee, position, stage, period: the card.
        grade: the grade wanted; ``needed_total`` its minimum total.
        total, current_grade: the card as scored now; ``reached`` whether it already earns ``grade``.
        kpis: one answer per KPI on the total, in card order.
        cheapest: the KPI whose needed change is the smallest fraction of its actual (``None`` when the
            grade is reached, or no single KPI can reach it).
        card: the scored card itself.
    """

    model_config = ConfigDict(frozen=True)

    framework: str
    employee: str | None
    position: str
    stage: str
    period: str
    grade: str
    needed_total: float
    total: float
    current_grade: str
    reached: bool
    kpis: list[KpiNeed]
    cheapest: str | None
    card: ScoreCard

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON of ``ecomperf whatif --format json``.

        ``{"employee", "grade", "needed_total", "kpis": [{"kpi", "actual", "needed", "reachable", "reason",
        …}], …}``: those keys first, then the rest of the answer (bound, why, change, sensitivity,
        inputs; the current total and grade, the cheapest move).
        """
        kpis = [
            {
                "kpi": row.kpi, "actual": row.actual, "needed": row.needed, "reachable": row.reachable,
                "reason": row.reason,
                **row.model_dump(exclude={"kpi", "actual", "needed", "reachable", "reason", "name"}),
            }
            for row in self.kpis
        ]
        return {
            "employee": self.employee, "grade": self.grade, "needed_total": self.needed_total, "kpis": kpis,
            "position": self.position, "stage": self.stage, "period": self.period, "total": self.total,
            "current_grade": self.current_grade, "reached": self.reached, "cheapest": self.cheapest,
        }

    def tornado(self) -> list[tuple[str, float, float]]:
        """``(KPI, points for −1%, points for +1%)`` rows for the tornado chart of the HTML card."""
        return [(row.kpi, row.sensitivity.points_down, row.sensitivity.points_up) for row in self.kpis]

    def to_html(self, *, locale: str | None = None) -> str:
        """The employee's HTML scorecard with the tornado chart of these sensitivities."""
        from ecomperf.render.report import scorecard_html  # lazy: rendering loads Jinja, planning need not

        return scorecard_html(self.card, locale=locale, sensitivity=self.tornado())


def whatif(
    fw: FrameworkIndex,
    position: str,
    *,
    stage: str,
    period: str,
    actuals: Mapping[str, Any],
    grade: str,
    context: Mapping[str, str] | None = None,
    event: Any = ...,
    missing: MissingPolicy = "error",
    employee: str | None = None,
    solve_for: Mapping[str, str] | None = None,
) -> WhatIf:
    """What a position's card needs, KPI by KPI, to earn ``grade`` (see the module docstring).

    Args:
        fw: the framework.
        position, stage, period, context, event, missing, employee: as for :func:`ecomperf.scoring.card.score`.
        actuals: the flat actuals of ``period`` (``{metric: value}``).
        grade: the grade wanted, e.g. ``"A"``.
        solve_for: formula KPI -> the one input to solve for (``{"gross_margin": "sales_revenue"}``);
            without an entry every input of a formula KPI is solved for.

    Returns:
        The answer per KPI, the cheapest move and the scored card.

    Raises:
        ScoringError: as :func:`ecomperf.scoring.card.score` does; an unknown grade; actuals given by period;
            a ``solve_for`` naming a KPI that is not a formula KPI of the card, or not one of its inputs.
    """
    wanted = _grade(fw, grade)
    if any(isinstance(value, Mapping) for value in actuals.values()):
        raise ScoringError(
            "whatif takes the actuals of one period ({metric: value}), not actuals by period; "
            "roll them up first (Framework.rollup)"
        )
    resolved = resolve_card(fw, position, stage=stage, period=period, context=context, event=event)
    probe = Probe(fw, fit_targets(fw, resolved), actuals, wanted, missing, employee)
    base = probe.base
    chosen = _check_solve_for(probe, solve_for or {})
    kpis = [_kpi_need(probe, row.kpi, chosen.get(row.kpi)) for row in base.kpis]
    reached = probe.reaches(base)
    return WhatIf(
        framework=fw.id, employee=employee, position=base.position, stage=base.stage, period=base.period,
        grade=wanted.id, needed_total=wanted.min, total=base.total, current_grade=base.grade, reached=reached,
        kpis=kpis, cheapest=None if reached else _cheapest(kpis), card=base,
    )


# --- one KPI -------------------------------------------------------------------------------------


def _kpi_need(probe: Probe, kpi: str, solve: str | None) -> KpiNeed:
    row, entry = probe.row(kpi), probe.entry(kpi)
    answer = _answer(probe, kpi)
    needed, bound, why, reason = answer
    actual = row.actual
    change = relative = None
    if needed is not None and actual is not None and bound in ("at_least", "at_most", "exactly"):
        change = _tidy(needed - actual)
        relative = _tidy(change / abs(actual)) if actual != 0 else None
    inputs: list[InputNeed] = []
    if entry.metric.parsed_formula is not None and (solve is not None or _has_inputs(probe, kpi)):
        names = [solve] if solve is not None else list(entry.metric.inputs)
        kpi_bound: Bound = bound if bound != "within" else "never"
        inputs = [solve_input(probe, kpi, name, needed, kpi_bound) for name in names]
    low = high = None
    if isinstance(needed, tuple):  # within
        low, high = needed
        needed = None
    return KpiNeed(
        kpi=kpi, name=entry.metric.name, unit=entry.metric.unit, method=entry.method.method, weight=row.weight,
        actual=actual, score=row.score, needed=needed, bound=bound, low=low, high=high,
        reachable=bound != "never", why=why, reason=reason, change=change, relative_change=relative,
        sensitivity=kpi_sensitivity(probe, kpi), inputs=inputs,
    )


def _has_inputs(probe: Probe, kpi: str) -> bool:
    """Whether any input of the KPI's formula has an actual (otherwise the KPI was given as it is)."""
    return any(name in probe.parsed.values for name in probe.entry(kpi).metric.inputs)


_Answer = tuple[Any, Bound, Why, str]


def _answer(probe: Probe, kpi: str) -> _Answer:
    """``(needed, bound, why, reason)`` for one KPI; ``needed`` is ``(low, high)`` for ``within``."""
    row, entry = probe.row(kpi), probe.entry(kpi)
    blocking = _blocking_vetoes(probe)
    others = [k for k in blocking if k != kpi]
    unit = entry.metric.unit
    grade = probe.grade
    if others:
        listed = ", ".join(others)
        return None, "never", "veto", (
            f"veto {listed} is breached and {_veto_effect(probe, others)}: no actual of {kpi} earns {grade.id} "
            f"until {listed} meets its target"
        )
    if row.weight == 0 and kpi not in blocking:
        return None, "any" if probe.reaches(probe.base) else "never", "weight", (
            f"{kpi} carries no weight on the total: its actual does not move it (it only guards the grade)"
        )
    assert entry.target is not None
    weights = probe.weights
    others_points = sum(r.weight * r.score for r in probe.base.kpis if r.kpi != kpi)
    wanted_score = (grade.min * weights - others_points) / row.weight if row.weight else 100.0
    if kpi in blocking:  # its own breach is in the way: it must meet its target, whatever the total needs
        wanted_score = max(wanted_score, 100.0)
    needed = needed_for_score(entry.method, entry.target, entry.metric.direction, wanted_score)
    reached = probe.reaches(probe.base)
    if not needed.reachable:
        best_total = (others_points + row.weight * needed.best) / weights
        return None, "never", "cap", (
            f"even at its best score ({needed.best:g}) {kpi} leaves the total at {best_total:.2f}, "
            f"below {grade.min:g} for {grade.id}"
        )
    settled = _settle(probe, kpi, needed, row.actual)
    if settled is None:
        if kpi in blocking:
            return None, "never", "veto", (
                f"meeting {kpi}'s target lifts its veto, but the total {probe.base.uncapped_total or 0:.2f} "
                f"stays below {grade.min:g} for {grade.id}"
            )
        return None, "never", "cap", f"no actual of {kpi} alone earns {grade.id}"
    value, bound = settled
    return _explain(probe, kpi, value, bound, needed, reached, unit)


def _settle(probe: Probe, kpi: str, needed: Needed, actual: float | None) -> tuple[Any, Bound] | None:
    """The method's boundary settled on the card: the exact float where the card starts to earn the grade."""

    def reaches(value: float) -> bool:
        return math.isfinite(value) and probe.reaches(probe.score({kpi: value}))

    match needed.bound:
        case "any":
            return None, "any"
        case "exactly":
            return (needed.value, "exactly") if needed.value is not None and reaches(needed.value) else None
        case "at_least" | "at_most":
            assert needed.value is not None
            found = lowest_true(reaches, needed.value) if needed.bound == "at_least" else highest_true(
                reaches, needed.value)
            return None if found is None else (found, needed.bound)
    assert needed.low is not None and needed.high is not None
    low, high = lowest_true(reaches, needed.low), highest_true(reaches, needed.high)
    if low is None or high is None:
        return None
    if actual is not None and actual < low:
        return low, "at_least"
    if actual is not None and actual > high:
        return high, "at_most"
    return (low, high), "within"


def _explain(
    probe: Probe, kpi: str, value: Any, bound: Bound, needed: Needed, reached: bool, unit: str
) -> _Answer:
    grade = probe.grade
    if bound == "any":
        return None, "any", "reached", f"the card earns {grade.id} whatever {kpi}'s actual, the others held"
    shown = (
        f"{format_quantity(value[0], unit)}..{format_quantity(value[1], unit)}"
        if bound == "within" else format_quantity(value, unit)
    )
    word = {"at_least": "at least", "at_most": "at most", "exactly": "exactly", "within": "within"}[bound]
    if reached:
        return value, bound, "reached", (
            f"already earns {grade.id} (total {probe.base.total:.2f}); {kpi} keeps it while {word} {shown}"
        )
    moved = probe.score({kpi: value if bound != "within" else value[0]})
    total = moved.total if moved is not None else float("nan")
    if needed.jump:
        return value, bound, "jump", (
            f"{word} {shown}: the {probe.entry(kpi).method.method} score jumps there, so the total lands at "
            f"{total:.2f} (needed {grade.min:g})"
        )
    return value, bound, "needed", f"{word} {shown}: the total then reaches {total:.2f} for {grade.id}"


# --- the card as a whole -------------------------------------------------------------------------


def _blocking_vetoes(probe: Probe) -> list[str]:
    """Breached veto KPIs that keep the grade below the one wanted, whatever the total."""
    ids = [grade.id for grade in probe.fw.grades]
    wanted = ids.index(probe.grade.id)
    cap = probe.fw.rules.veto_caps_grade_at
    found = []
    for row in probe.base.kpis:
        if not row.veto_breached:
            continue
        if _effect(probe, row.kpi) == "zero_total":
            blocks = ids.index(probe.fw.spec.grade_for(0.0).id) > wanted
        else:
            blocks = cap is not None and ids.index(cap) > wanted
        if blocks:
            found.append(row.kpi)
    return found


def _effect(probe: Probe, kpi: str) -> str:
    method = probe.entry(kpi).method
    return method.effect if isinstance(method, VetoScoring) else "cap_grade"


def _veto_effect(probe: Probe, kpis: list[str]) -> str:
    if any(_effect(probe, kpi) == "zero_total" for kpi in kpis):
        return "sets the total to 0"
    return f"caps the grade at {probe.fw.rules.veto_caps_grade_at}"


def _cheapest(kpis: list[KpiNeed]) -> str | None:
    candidates = [row for row in kpis if row.reachable and row.why in ("needed", "jump")]
    if not candidates:
        return None
    return min(candidates, key=lambda row: math.inf if row.relative_change is None else abs(row.relative_change)).kpi


def _check_solve_for(probe: Probe, solve_for: Mapping[str, str]) -> dict[str, str]:
    on_card = {row.kpi for row in probe.base.kpis}
    for kpi, name in solve_for.items():
        if kpi not in on_card:
            raise ScoringError(f"solve_for: {kpi!r} is not a KPI on this card{did_you_mean(kpi, on_card)}")
        inputs = probe.entry(kpi).metric.inputs
        if not inputs:
            raise ScoringError(f"solve_for: {kpi!r} has no formula, so it has no input to solve for")
        if name not in inputs:
            raise ScoringError(f"solve_for: {name!r} is not an input of {kpi}'s formula{did_you_mean(name, inputs)}")
    return dict(solve_for)


def _grade(fw: FrameworkIndex, grade: str) -> Grade:
    for candidate in fw.grades:
        if candidate.id == grade:
            return candidate
    raise ScoringError(f"unknown grade {grade!r}{did_you_mean(grade, [g.id for g in fw.grades])}")


def _tidy(value: float) -> float:
    return round(value, PRECISION) + 0.0
