"""Scoring methods: how one KPI's actual ``x`` and target ``t`` become a score in points.

100 points means "target met exactly" under ``linear`` scoring. Each method is a small pure function;
:func:`score_value` dispatches on the method declared in YAML (see
:mod:`ecomperf.model.scoring_spec`) and returns a :class:`MethodResult`.

Achievement is the ratio the analyst reads first: ``x / t`` when higher is better, ``t / x`` when
lower is better; ``None`` where that ratio does not exist (a target of 0, or an actual of 0 for a
lower-is-better metric, or a target of 0 or below) and for ``range``/``zero`` metrics, whose
targets are bounds, not goals.

Example:
    >>> from ecomperf.model import LinearScoring
    >>> from ecomperf.targets import parse_target
    >>> score_value(LinearScoring(), 0.22, parse_target(">= 20%"), "higher").score
    110.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

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
from ecomperf.sentences import Sentence
from ecomperf.targets import Target

__all__ = ["PRECISION", "MethodResult", "default_method", "score_value"]

PRECISION: Final = 9
"""Scores are rounded to this many decimal places.

Binary floating point turns ``100 · 0.22 / 0.2`` into ``110.00000000000001``; rounding removes that
noise so that an actual exactly on target scores exactly 100 and a total exactly on a grade boundary
earns the grade.
"""


@dataclass(frozen=True, slots=True)
class MethodResult:
    """The outcome of scoring one actual against one target.

    Attributes:
        score: points, already clamped to the method's floor and cap.
        achievement: ``x / t`` (higher is better) or ``t / x`` (lower), ``None`` where undefined.
        breached: a ``veto`` KPI whose target was not met.
        note: why the score is what it is when that is not obvious (capped, floored, fallback).
    """

    score: float
    achievement: float | None
    breached: bool = False
    note: str | None = None


def default_method(direction: Direction) -> ScoringMethod:
    """The method used when a KPI entry declares no ``scoring``.

    ``linear`` (floor 0, cap 120) for ``higher`` and ``lower`` metrics; ``veto`` for ``zero``
    (zero tolerance); ``threshold`` for ``range`` metrics, because a range target has no single
    number to take a ratio against and ``range`` scoring needs a ``tolerance`` only HR can choose.

    Example:
        >>> default_method("zero").method, default_method("range").method
        ('veto', 'threshold')
    """
    if direction == "zero":
        return VetoScoring()
    if direction == "range":
        return ThresholdScoring()
    return LinearScoring()


def score_value(method: ScoringMethod, actual: float, target: Target, direction: Direction) -> MethodResult:
    """Score ``actual`` against ``target`` with ``method``.

    Args:
        method: the KPI's scoring method (see each ``_score_*`` function below for its formula).
        actual: the actual value ``x`` (finite).
        target: the resolved target ``t``; range targets use their bounds, ratios their midpoint.
        direction: the metric's direction; ``higher`` and ``range`` are scored as "more is better"
            where a ratio is needed, ``lower`` and ``zero`` as "less is better".

    Returns:
        The score, achievement, veto breach and an explanatory note.

    Example:
        >>> from ecomperf.model import ThresholdScoring
        >>> from ecomperf.targets import parse_target
        >>> score_value(ThresholdScoring(), 30.0, parse_target("<= 24h"), "lower").score
        0.0
    """
    achievement = _achievement(actual, target, direction)
    match method:
        case LinearScoring():
            result = _score_linear(method, actual, target, direction, achievement)
        case ThresholdScoring():
            result = MethodResult(100.0 if target.is_met(actual) else 0.0, achievement)
        case BandsScoring():
            result = _score_bands(method, actual, target, direction, achievement)
        case InterpolateScoring():
            result = _score_interpolate(method, actual, target, achievement)
        case RangeScoring():
            result = _score_range(method, actual, target)
        case VetoScoring():
            result = _score_veto(actual, target)
    return MethodResult(_tidy(result.score), _tidy_optional(result.achievement), result.breached, result.note)


# --- achievement ---------------------------------------------------------------------------------


def _lower_is_better(direction: Direction) -> bool:
    return direction in ("lower", "zero")


def _achievement(actual: float, target: Target, direction: Direction) -> float | None:
    """``x / t`` or ``t / x``, where that ratio means something; else ``None``.

    ``None`` for range and zero metrics, for targets of 0 or below (a ratio against them does not
    grow with performance), and, when lower is better, for actuals of 0 or below (nothing can be
    better, and ``t / x`` would be infinite or negative).
    """
    if direction in ("range", "zero"):
        return None
    reference = target.reference
    if reference <= 0:
        return None
    ratio = (reference / actual if actual > 0 else math.inf) if direction == "lower" else actual / reference
    return ratio if math.isfinite(ratio) else None  # a subnormal actual can overflow t / x


# --- the methods ---------------------------------------------------------------------------------


def _score_linear(
    method: LinearScoring, actual: float, target: Target, direction: Direction, achievement: float | None
) -> MethodResult:
    """Linear: ``100 · x / t`` (higher) or ``100 · t / x`` (lower), clamped to ``[floor, cap]``.

    Edge cases, chosen so that no bonus ever rests on a division by zero:

    * lower is better and ``x <= 0`` (with ``t > 0``): nothing can be better, so the score is ``cap``;
    * ``t <= 0`` (e.g. ``">= 0%"`` growth or ``"<= 0"`` days): ``x / t`` has no meaning, so the KPI is
      scored as a threshold: 100 when the target is met, else ``floor``; the note says so.
    """
    reference = target.reference
    if reference <= 0:
        met = target.is_met(actual)
        return MethodResult(
            100.0 if met else method.floor,
            achievement,
            note=Sentence("target {target} is not above 0, so no ratio: scored 100 (met)", target=str(target)) if met
            else Sentence("target {target} is not above 0, so no ratio: scored floor (not met)", target=str(target)),
        )
    if _lower_is_better(direction) and actual <= 0:
        best = Sentence("actual {actual:g} is the best possible: scored the cap", actual=actual)
        return MethodResult(method.cap, achievement, note=best)
    raw = 100.0 * (reference / actual if _lower_is_better(direction) else actual / reference)
    return _clamp(raw, method.floor, method.cap, achievement)


def _clamp(raw: float, floor: float, cap: float, achievement: float | None) -> MethodResult:
    if raw > cap:
        return MethodResult(cap, achievement, note=Sentence("capped at {cap:g} (uncapped {raw:g})", cap=cap,
                                                                  raw=_tidy(raw)))
    if raw < floor:
        return MethodResult(floor, achievement, note=Sentence("raised to the floor {floor:g} (unfloored {raw:g})",
                                                                    floor=floor, raw=_tidy(raw)))
    return MethodResult(raw, achievement)


def _score_bands(
    method: BandsScoring, actual: float, target: Target, direction: Direction, achievement: float | None
) -> MethodResult:
    """Bands: the score of the first band (highest first) whose ``min_achievement`` the achievement reaches.

    Bands are half-open: with bands at 1.0 and 0.8, an achievement of exactly 0.8 earns the 0.8 band
    and 0.9999 does too. Achievement is ``x / t`` or ``t / x``; where it is undefined, an actual that
    meets the target earns the top band (lower is better and ``x <= 0``, or ``t <= 0`` and met) and
    one that does not earns the bottom band.
    """
    value = achievement
    if value is None:
        value = float("inf") if target.is_met(actual) else float("-inf")
    for band in method.bands:
        if value >= band.min_achievement:
            return MethodResult(band.score, achievement, note=Sentence("band from {band:g}", band=band.min_achievement))
    bottom = method.bands[-1]
    return MethodResult(bottom.score, achievement, note=Sentence("below every band: scored the lowest ({score:g})",
                                                                            score=bottom.score))


def _score_interpolate(
    method: InterpolateScoring, actual: float, target: Target, achievement: float | None
) -> MethodResult:
    """Interpolate between value anchors: ``threshold`` → 0, target → 100, ``stretch`` → ``cap``.

    With ``p = (x - threshold) / (t - threshold)``: ``p <= 0`` scores 0, ``0 < p < 1`` scores
    ``100 · p``; at or beyond the target, without a stretch the score is 100, with one it is
    ``100 + (cap - 100) · (x - t) / (stretch - t)``, at most ``cap``. Because only differences of
    anchors are divided, the same formula serves falling anchors (lower is better: threshold 48h,
    target 24h, stretch 12h) and targets of 0.
    """
    goal = target.reference
    span = goal - method.threshold
    if span == 0:  # validation refuses this; score it as a threshold rather than divide by zero
        return MethodResult(100.0 if target.is_met(actual) else 0.0, achievement)
    progress = (actual - method.threshold) / span
    if progress <= 0:
        return MethodResult(0.0, achievement, note=Sentence("at or beyond the threshold {threshold:g}: scored 0",
                                                                       threshold=method.threshold))
    if progress < 1:
        return MethodResult(100.0 * progress, achievement)
    if method.stretch is None or method.stretch == goal:
        return MethodResult(100.0, achievement)
    # clamped at 0 too: an actual a rounding error short of the target can land here
    beyond = max(0.0, (actual - goal) / (method.stretch - goal))
    if beyond >= 1:
        return MethodResult(method.cap, achievement, note=Sentence("stretch {stretch:g} reached: scored the cap",
                                                                         stretch=method.stretch))
    return MethodResult(100.0 + (method.cap - 100.0) * beyond, achievement)


def _score_range(method: RangeScoring, actual: float, target: Target) -> MethodResult:
    """Range: 100 inside ``[low, high]``; outside, ``100 - (100 - floor) · d / tolerance``, at least ``floor``.

    ``d`` is the distance to the nearer bound, so the score reaches ``floor`` at ``tolerance`` outside
    either bound. A one-sided target (``>= v``) is treated as the range it describes, with ``v`` as its
    only bound.
    """
    if target.is_met(actual):
        return MethodResult(100.0, None)
    if target.op == "range":
        assert target.low is not None and target.high is not None
        distance = target.low - actual if actual < target.low else actual - target.high
    else:
        distance = abs(actual - target.reference)
    if distance >= method.tolerance:
        return MethodResult(method.floor, None, note=Sentence("{distance:g} outside the range: scored the floor",
                                                                       distance=_tidy(distance)))
    return MethodResult(100.0 - (100.0 - method.floor) * distance / method.tolerance, None)


def _score_veto(actual: float, target: Target) -> MethodResult:
    """Veto: 100 when the target is met; otherwise the KPI scores 0 and is *breached*.

    What a breach does to the card (cap the grade or zero the total) is decided by the scorecard.
    """
    if target.is_met(actual):
        return MethodResult(100.0, None)
    return MethodResult(0.0, None, breached=True, note=Sentence("veto breached: {actual:g} against target {target}",
                                                                      actual=actual, target=str(target)))


# --- helpers -------------------------------------------------------------------------------------


def _tidy(value: float) -> float:
    return round(value, PRECISION) + 0.0  # + 0.0 turns -0.0 into 0.0


def _tidy_optional(value: float | None) -> float | None:
    return None if value is None else _tidy(value)

