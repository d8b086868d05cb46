"""Sensitivity: what 1% more or less of one KPI's actual is worth in total points, and how far its cap is.

For each KPI of a card, with the other KPIs held at their actuals:

* ``points_up``: the change of the total when the actual improves by 1% of itself (×1.01 when higher
  is better, ×0.99 when lower is better; for a range metric, 1% of itself towards the target);
* ``points_down``: the change when it worsens by 1% (the other way; negative or 0);
* ``headroom``: how much further the actual can improve before the KPI's score stops rising (its
  cap, or 100 for methods that stop there), in the metric's unit; ``headroom_points``: the total
  points still to gain on the way, ``(best − score) · weight / Σ weights``.

Both points are measured by scoring the moved card with the engine (:class:`~ecomperf.planning.probe.Probe`),
so a score that is capped, floored or jumps shows as such: a KPI above its cap is worth 0 points per 1%.

Example:
    A linear GMV KPI weighted 30 of 100, target 2000万, actual 1800万: +1% is 1818万, score
    90.9 instead of 90, so ``points_up`` is 0.3 · 0.9 = 0.27; the cap 120 is reached at 2400万, so
    ``headroom`` is 600万 and ``headroom_points`` 0.3 · (120 − 90) = 9.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ecomperf.planning.inverse import best_score, needed_for_score
from ecomperf.planning.probe import Probe
from ecomperf.scoring.methods import PRECISION

__all__ = ["STEP", "Sensitivity", "kpi_sensitivity"]

STEP = 0.01
"""The relative change measured: 1% of the actual."""


class Sensitivity(BaseModel):
    """What moving one KPI's actual is worth on the total (see the module docstring).

    Attributes:
        points_up: total points gained by a 1% improvement of the actual.
        points_down: total points changed by a 1% worsening (0 or negative).
        best_score: the highest score the KPI's method gives.
        headroom: how far the actual can still improve before the score stops rising (``None`` when
            no actual reaches the best score, e.g. a range KPI outside its band by more than its tolerance).
        headroom_points: the total points still available from this KPI.
    """

    model_config = ConfigDict(frozen=True)

    points_up: float
    points_down: float
    best_score: float
    headroom: float | None
    headroom_points: float


def _improved(direction: str, actual: float, reference: float, sign: float) -> float:
    step = STEP * abs(actual) * sign
    if direction == "higher":
        return actual + step
    if direction in ("lower", "zero"):
        return actual - step
    return actual + (step if reference >= actual else -step)


def kpi_sensitivity(probe: Probe, kpi: str) -> Sensitivity:
    """The sensitivity of the probe's total to ``kpi``'s actual."""
    row, entry = probe.row(kpi), probe.entry(kpi)
    base = probe.base.total
    assert entry.target is not None  # scoring refuses a card with a target missing
    direction = entry.metric.direction
    actual = row.actual if row.actual is not None else 0.0
    up = probe.total({kpi: _improved(direction, actual, entry.target.reference, 1.0)})
    down = probe.total({kpi: _improved(direction, actual, entry.target.reference, -1.0)})
    best = best_score(entry.method, entry.target, direction)
    weights = probe.weights
    gain = (best - row.score) * row.weight / weights if weights else 0.0
    return Sensitivity(
        points_up=_tidy(0.0 if up is None else up - base),
        points_down=_tidy(0.0 if down is None else down - base),
        best_score=best,
        headroom=_headroom(probe, kpi, best, actual),
        headroom_points=_tidy(max(0.0, gain)),
    )


def _headroom(probe: Probe, kpi: str, best: float, actual: float) -> float | None:
    entry = probe.entry(kpi)
    assert entry.target is not None
    needed = needed_for_score(entry.method, entry.target, entry.metric.direction, best)
    match needed.bound:
        case "at_least":
            assert needed.value is not None
            return max(0.0, needed.value - actual)
        case "at_most":
            assert needed.value is not None
            return max(0.0, actual - needed.value)
        case "exactly":
            assert needed.value is not None
            return abs(actual - needed.value)
        case "within":
            assert needed.low is not None and needed.high is not None
            return max(0.0, needed.low - actual, actual - needed.high)
        case "any":
            return 0.0
    return None


def _tidy(value: float) -> float:
    return round(value, PRECISION) + 0.0
