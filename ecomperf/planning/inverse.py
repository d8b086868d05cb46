"""Exact inverses of the scoring methods: which actuals score at least a given number of points.

:func:`needed_for_score` is the inverse of :func:`ecomperf.scoring.methods.score_value`. For each method the
boundary comes from a closed form (what the method's formula gives when solved for ``x``), then
:func:`ecomperf.planning.floats.lowest_true` settles the last floating-point steps against the forward
scorer, rounding to :data:`ecomperf.scoring.methods.PRECISION` decimals included. So ``score_value`` of the
returned boundary reaches the score, and for a continuous method the float just short of it does not.

==============  ==============================================================  ======================
method          closed form for a score ``s`` (``t`` the target)                 shape of the answer
==============  ==============================================================  ======================
``linear``      higher: ``x = s·t/100``; lower: ``x = 100·t/s``                 at least / at most
                (``s`` above the cap: never; at or below the floor: any ``x``)
``threshold``   the target's own bound (``>= t``: ``t``; ``> t``: the float      jump to 100
                after ``t``; ``90%..95%``: the range)
``bands``       the lowest band whose score reaches ``s``: ``x = m·t`` (higher)  jump to the band
                or ``x = t/m`` (lower), ``m`` its ``min_achievement``
``interpolate`` ``x = threshold + s/100·(t − threshold)`` below the target,      at least / at most
                ``x = t + (s−100)/(cap−100)·(stretch − t)`` beyond it
``range``       ``d = (100 − s)·tolerance/(100 − floor)`` outside either bound:  within
                ``[low − d, high + d]``
``veto``        the target's bound, as ``threshold``                             jump to 100
==============  ==============================================================  ======================

Example:
    >>> from ecomperf.model import LinearScoring
    >>> from ecomperf.targets import parse_target
    >>> needed = needed_for_score(LinearScoring(), parse_target(">= 2000万"), "higher", 90.0)
    >>> needed.bound, round(needed.value)  # 90 · 2000万 / 100
    ('at_least', 18000000)
    >>> needed.value  # scores are rounded to 9 decimals: 89.9999999995 already counts as 90
    17999999.999900002
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Literal

from ecomperf.model import (
    BandsScoring,
    InterpolateScoring,
    LinearScoring,
    RangeScoring,
    ScoringMethod,
    ThresholdScoring,
    VetoScoring,
)
from ecomperf.model.metric import Direction
from ecomperf.planning.floats import highest_true, lowest_true, step_down, step_up
from ecomperf.scoring.methods import score_value
from ecomperf.targets import Target

__all__ = ["Bound", "Needed", "best_score", "needed_for_score"]

Bound = Literal["at_least", "at_most", "exactly", "within", "any", "never"]
"""The shape of a set of actuals: ``x >= value``, ``x <= value``, ``x == value``, ``low <= x <= high``,
every actual, or none."""


@dataclass(frozen=True, slots=True)
class Needed:
    """The actuals for which a method scores at least a given score.

    Attributes:
        bound: the shape of the set (see :data:`Bound`).
        value: the boundary for ``at_least``, ``at_most`` and ``exactly``.
        low, high: the bounds for ``within``.
        jump: the score jumps at the boundary (threshold, bands, veto): the float just short of it
            scores less, by a whole step.
        best: the highest score the method can give for this target.
    """

    bound: Bound
    value: float | None = None
    low: float | None = None
    high: float | None = None
    jump: bool = False
    best: float = 100.0

    @property
    def reachable(self) -> bool:
        """Whether any actual reaches the score."""
        return self.bound != "never"

    def admits(self, actual: float) -> bool:
        """Whether ``actual`` lies in the set."""
        match self.bound:
            case "any":
                return True
            case "never":
                return False
            case "at_least":
                assert self.value is not None
                return actual >= self.value
            case "at_most":
                assert self.value is not None
                return actual <= self.value
            case "exactly":
                return actual == self.value
        assert self.low is not None and self.high is not None
        return self.low <= actual <= self.high


def best_score(method: ScoringMethod, target: Target, direction: Direction) -> float:
    """The highest score ``method`` gives any actual against ``target``.

    Example:
        >>> from ecomperf.model import LinearScoring
        >>> from ecomperf.targets import parse_target
        >>> best_score(LinearScoring(cap=150), parse_target(">= 10"), "higher")
        150.0
    """
    match method:
        case LinearScoring():
            return float(method.cap) if target.reference > 0 else max(100.0, float(method.floor))
        case BandsScoring():
            scores = [band.score for band in method.bands]
            if target.reference > 0:
                return float(max(scores))
            return float(max(scores[0], scores[-1]))
        case InterpolateScoring():
            if method.stretch is None or method.stretch == target.reference or method.threshold == target.reference:
                return 100.0
            return max(100.0, float(method.cap))
    return 100.0


def needed_for_score(method: ScoringMethod, target: Target, direction: Direction, score: float) -> Needed:
    """The actuals that score at least ``score`` points with ``method`` against ``target``.

    Args:
        method: the KPI's scoring method.
        target: the resolved target.
        direction: the metric's direction.
        score: the score wanted.

    Returns:
        The set, exact to the float: :func:`ecomperf.scoring.methods.score_value` of its boundary reaches
        ``score``, and of the float just outside it does not.

    Example:
        >>> from ecomperf.model import ThresholdScoring
        >>> from ecomperf.targets import parse_target
        >>> needed_for_score(ThresholdScoring(), parse_target("<= 24h"), "lower", 50.0)
        Needed(bound='at_most', value=24.0, low=None, high=None, jump=True, best=100.0)
    """
    best = best_score(method, target, direction)
    if score > best:
        return Needed("never", best=best)
    match method:
        case LinearScoring():
            found = _linear(method, target, direction, score)
        case ThresholdScoring() | VetoScoring():
            found = Needed("any") if score <= 0 else _met(target)
        case BandsScoring():
            found = _bands(method, target, direction, score)
        case InterpolateScoring():
            found = _interpolate(method, target, score)
        case RangeScoring():
            found = _range(method, target, score)
    return _settle(found, method, target, direction, score, best)


# --- the closed forms ----------------------------------------------------------------------------


def _met(target: Target) -> Needed:
    """The actuals that meet ``target``: its own bound."""
    value = target.value
    match target.op:
        case ">=":
            return Needed("at_least", value, jump=True)
        case ">":
            assert value is not None
            return Needed("at_least", step_up(value), jump=True)
        case "<=":
            return Needed("at_most", value, jump=True)
        case "<":
            assert value is not None
            return Needed("at_most", step_down(value), jump=True)
        case "==":
            return Needed("exactly", value, jump=True)
    return Needed("within", low=target.low, high=target.high, jump=True)


def _linear(method: LinearScoring, target: Target, direction: Direction, score: float) -> Needed:
    if score <= method.floor:
        return Needed("any")
    reference = target.reference
    if reference <= 0:  # scored as a threshold: 100 when met, else the floor
        return _met(target)
    if direction in ("lower", "zero"):
        if score <= 0:  # every positive actual scores above 0, and 0 or below scores the cap
            return Needed("any")
        return Needed("at_most", 100.0 * reference / score)
    return Needed("at_least", score * reference / 100.0)


def _bands(method: BandsScoring, target: Target, direction: Direction, score: float) -> Needed:
    bands = method.bands
    if bands[-1].score >= score:  # the bottom band is the score of every achievement, even none
        return Needed("any")
    reference = target.reference
    if reference <= 0:  # no achievement: met earns the top band, not met the bottom one
        return _met(target) if bands[0].score >= score else Needed("never")
    qualifying = [band for band in bands if band.score >= score]
    lowest = qualifying[-1].min_achievement
    if direction in ("lower", "zero"):
        return Needed("at_most", reference / lowest, jump=True)
    return Needed("at_least", lowest * reference, jump=True)


def _interpolate(method: InterpolateScoring, target: Target, score: float) -> Needed:
    if score <= 0:
        return Needed("any")
    goal = target.reference
    span = goal - method.threshold
    if span == 0:  # scored as a threshold
        return _met(target)
    rising = span > 0
    if score <= 100:
        value = method.threshold + score / 100.0 * span
    else:
        assert method.stretch is not None  # best_score allows scores above 100 only with a stretch
        value = goal + (score - 100.0) / (method.cap - 100.0) * (method.stretch - goal)
    return Needed("at_least" if rising else "at_most", value)


def _range(method: RangeScoring, target: Target, score: float) -> Needed:
    if score <= method.floor:
        return Needed("any")
    distance = (100.0 - score) * method.tolerance / (100.0 - method.floor)
    if target.op == "range":
        assert target.low is not None and target.high is not None
        return Needed("within", low=target.low - distance, high=target.high + distance)
    value = target.reference
    if target.op in (">=", ">"):
        return Needed("at_least", value - distance)
    if target.op in ("<=", "<"):
        return Needed("at_most", value + distance)
    return Needed("within", low=value - distance, high=value + distance)


# --- the last floating-point steps ---------------------------------------------------------------


def _settle(
    found: Needed, method: ScoringMethod, target: Target, direction: Direction, score: float, best: float
) -> Needed:
    """``found`` with each boundary moved to the exact float where the forward scorer reaches ``score``."""

    def reaches(actual: float) -> bool:
        return math.isfinite(actual) and score_value(method, actual, target, direction).score >= score

    def edge(value: float | None, upwards: bool) -> float | None:
        if value is None or math.isnan(value):
            return value
        start = max(-sys.float_info.max, min(sys.float_info.max, value))  # 100·t/s overflows for a tiny s
        return lowest_true(reaches, start) if upwards else highest_true(reaches, start)

    match found.bound:
        case "at_least":
            value = edge(found.value, upwards=True)
            return Needed("at_least", value, jump=found.jump, best=best) if value is not None else _never(best)
        case "at_most":
            value = edge(found.value, upwards=False)
            return Needed("at_most", value, jump=found.jump, best=best) if value is not None else _never(best)
        case "within":
            low, high = edge(found.low, upwards=True), edge(found.high, upwards=False)
            if low is None or high is None or low > high:
                return _never(best)
            return Needed("within", low=low, high=high, jump=found.jump, best=best)
    return Needed(found.bound, found.value, jump=found.jump, best=best)


def _never(best: float) -> Needed:
    return Needed("never", best=best)
