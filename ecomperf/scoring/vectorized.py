"""Array versions of the scoring methods, for scoring thousands of rows of one scorecard at once.

Each function here mirrors its scalar counterpart in :mod:`ecomperf.scoring.methods` and gives the same score,
bit for bit, for every finite actual: the same operations in the same order, the same edge cases
(a target not above 0, an actual of 0 when lower is better, undefined achievements), and the same
rounding to :data:`ecomperf.scoring.methods.PRECISION` places. ``tests/batch/test_vectorized.py`` checks this
with hypothesis against :func:`ecomperf.scoring.methods.score_value` for every method and direction.

Only scores and veto breaches are computed; the notes and achievements that explain a single card
come from the scalar engine when a :class:`~ecomperf.scoring.results.ScoreCard` is built.

Example:
    >>> import numpy as np
    >>> from ecomperf.model import LinearScoring
    >>> from ecomperf.targets import parse_target
    >>> score_array(LinearScoring(), np.array([0.22, 0.1, 0.5]), parse_target(">= 20%"), "higher").score
    array([110.,  50., 120.])
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias

import numpy as np
import numpy.typing as npt

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
from ecomperf.scoring.bounds import within_range
from ecomperf.scoring.methods import PRECISION
from ecomperf.targets import Target

if TYPE_CHECKING:
    from ecomperf.model import Grade
    from ecomperf.model.index import FrameworkIndex
    from ecomperf.scoring.resolve import ResolvedCard, ResolvedKpi

__all__ = [
    "ArrayResult",
    "BlockDetail",
    "BlockScores",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "achievement_array",
    "grade_index",
    "met_array",
    "metric_arrays",
    "score_array",
    "score_block",
    "sum_like_python",
    "tidy_array",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""A one-dimensional float64 array: one value per row."""

BoolArray: TypeAlias = npt.NDArray[np.bool_]
"""A one-dimensional bool array: one flag per row."""

IntArray: TypeAlias = npt.NDArray[np.intp]
"""A one-dimensional index array."""

_SCALE: Final = 10.0**PRECISION
# ``values * 10**PRECISION`` is one rounded multiplication, off by at most |product| * 2**-53. Below
# 2**40 that is under 2e-4, so only products within _TIE_WINDOW of a half can round to the other
# neighbour than Python's ``round`` (which rounds the exact value); those, and larger values, are
# rounded by Python itself.
_EXACT_LIMIT: Final = 2.0**40
_TIE_WINDOW: Final = 1e-3


@dataclass(frozen=True, slots=True)
class ArrayResult:
    """Scores of one KPI for many rows.

    Attributes:
        score: points per row, clamped and rounded exactly as :func:`ecomperf.scoring.methods.score_value` does.
        breached: per row, whether a ``veto`` KPI was breached (all ``False`` for other methods).
    """

    score: FloatArray
    breached: BoolArray


def tidy_array(values: FloatArray) -> FloatArray:
    """Round to :data:`~ecomperf.scoring.methods.PRECISION` places exactly like Python's ``round(v, PRECISION)``.

    ``numpy.round`` scales, rounds and divides back, which can pick the other neighbour when the scaled
    value lies within a rounding error of a half; Python rounds the exact binary value. The array result
    is computed the numpy way and the few values near a tie are redone with Python's ``round``, so every
    element equals the scalar engine's. ``-0.0`` becomes ``0.0``.

    Example:
        >>> tidy_array(np.array([110.00000000000001, -0.0, 1 / 3]))
        array([110.        ,   0.        ,   0.33333333])
    """
    with np.errstate(all="ignore"):
        scaled = values * _SCALE
        rounded = np.rint(scaled)
        result = rounded / _SCALE
        near_tie = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < _TIE_WINDOW
        unsafe = near_tie | ~(np.abs(scaled) < _EXACT_LIMIT)
    if unsafe.any():
        for index in np.flatnonzero(unsafe).tolist():
            result[index] = round(float(values[index]), PRECISION)
    return result + 0.0


def met_array(target: Target, actual: FloatArray) -> BoolArray:
    """Per row, whether the actual satisfies the target (:meth:`ecomperf.targets.Target.is_met`).

    Example:
        >>> from ecomperf.targets import parse_target
        >>> met_array(parse_target("90%..95%"), np.array([0.89, 0.9, 0.95, 0.96]))
        array([False,  True,  True, False])
    """
    if target.op == "range":
        assert target.low is not None and target.high is not None
        met: BoolArray = (actual >= target.low) & (actual <= target.high)
        return met
    value = target.value
    assert value is not None
    if target.op == ">=":
        return np.greater_equal(actual, value)
    if target.op == ">":
        return np.greater(actual, value)
    if target.op == "<=":
        return np.less_equal(actual, value)
    if target.op == "<":
        return np.less(actual, value)
    return np.equal(actual, value)


def score_array(method: ScoringMethod, actual: FloatArray, target: Target, direction: Direction) -> ArrayResult:
    """Score every actual against one target with one method: the array form of ``score_value``.

    Args:
        method: the KPI's scoring method.
        actual: finite actuals, one per row.
        target: the resolved target (the same for every row).
        direction: the metric's direction.

    Returns:
        Scores (rounded like the scalar engine) and veto breaches, one per row.

    Example:
        >>> from ecomperf.model import VetoScoring
        >>> from ecomperf.targets import parse_target
        >>> result = score_array(VetoScoring(), np.array([0.0, 2.0]), parse_target("== 0"), "zero")
        >>> result.score, result.breached
        (array([100.,   0.]), array([False,  True]))
    """
    x = np.asarray(actual, dtype=np.float64)
    breached = np.zeros(x.shape, dtype=np.bool_)
    with np.errstate(all="ignore"):
        match method:
            case LinearScoring():
                raw = _linear(method, x, target, direction)
            case ThresholdScoring():
                raw = np.where(met_array(target, x), 100.0, 0.0)
            case BandsScoring():
                raw = _bands(method, x, target, direction)
            case InterpolateScoring():
                raw = _interpolate(method, x, target)
            case RangeScoring():
                raw = _range(method, x, target)
            case VetoScoring():
                met = met_array(target, x)
                raw = np.where(met, 100.0, 0.0)
                breached = ~met
    return ArrayResult(tidy_array(np.asarray(raw, dtype=np.float64)), breached)


def _lower_is_better(direction: Direction) -> bool:
    return direction in ("lower", "zero")


def _linear(method: LinearScoring, x: FloatArray, target: Target, direction: Direction) -> FloatArray:
    reference = target.reference
    if reference <= 0:
        return np.where(met_array(target, x), 100.0, method.floor)
    ratio = reference / x if _lower_is_better(direction) else x / reference
    raw = 100.0 * ratio
    clamped = np.where(raw > method.cap, method.cap, np.where(raw < method.floor, method.floor, raw))
    if _lower_is_better(direction):
        clamped = np.where(x <= 0, method.cap, clamped)
    return clamped


def _ratio(x: FloatArray, target: Target, direction: Direction) -> tuple[FloatArray, BoolArray]:
    """Per row, ``x / t`` (``t / x`` when lower is better) and whether the scalar engine defines it: not for
    range and zero metrics, targets of 0 or below, actuals of 0 or below when lower is better, or ratios
    that overflow."""
    reference = target.reference
    if direction in ("range", "zero") or reference <= 0:
        return np.zeros(x.shape, dtype=np.float64), np.zeros(x.shape, dtype=np.bool_)
    with np.errstate(all="ignore"):
        if direction == "lower":
            positive = x > 0
            value = reference / np.where(positive, x, 1.0)
            return value, positive & np.isfinite(value)
        value = x / reference
        return value, np.isfinite(value)


def _achievement(x: FloatArray, target: Target, direction: Direction) -> FloatArray:
    """``x / t`` or ``t / x`` where the scalar engine defines it; elsewhere +inf when the target is met
    and -inf when not, which is how ``bands`` treats an undefined achievement (see :func:`_ratio`).
    """
    value, defined = _ratio(x, target, direction)
    undefined_value = np.where(met_array(target, x), np.inf, -np.inf)
    result: FloatArray = np.where(defined, value, undefined_value)
    return result


def achievement_array(x: FloatArray, target: Target, direction: Direction) -> FloatArray:
    """Per row, the achievement a :class:`~ecomperf.scoring.results.KpiScore` shows: ``x / t`` (``t / x`` when
    lower is better) rounded like the scalar engine's, NaN where the scalar engine gives ``None``.

    Example:
        >>> from ecomperf.targets import parse_target
        >>> achievement_array(np.array([0.22, 0.0]), parse_target(">= 20%"), "higher")
        array([1.1, 0. ])
        >>> achievement_array(np.array([12.0, 0.0]), parse_target("<= 24"), "lower")
        array([ 2., nan])
    """
    value, defined = _ratio(x, target, direction)
    result = np.full(x.shape, np.nan)
    result[defined] = tidy_array(value[defined])
    return result


def _bands(method: BandsScoring, x: FloatArray, target: Target, direction: Direction) -> FloatArray:
    achievement = _achievement(x, target, direction)
    result = np.full(x.shape, method.bands[-1].score, dtype=np.float64)
    settled = np.zeros(x.shape, dtype=np.bool_)
    for band in method.bands:
        reached = ~settled & (achievement >= band.min_achievement)
        result = np.where(reached, band.score, result)
        settled |= reached
    return result


def _interpolate(method: InterpolateScoring, x: FloatArray, target: Target) -> FloatArray:
    goal = target.reference
    span = goal - method.threshold
    if span == 0:
        return np.where(met_array(target, x), 100.0, 0.0)
    progress = (x - method.threshold) / span
    result = np.where(progress <= 0, 0.0, 100.0 * progress)
    if method.stretch is None or method.stretch == goal:
        return np.where(progress >= 1, 100.0, result)
    beyond = (x - goal) / (method.stretch - goal)
    beyond = np.where(beyond > 0.0, beyond, 0.0)  # max(0.0, beyond), NaN included
    above = np.where(beyond >= 1, method.cap, 100.0 + (method.cap - 100.0) * beyond)
    return np.where(progress >= 1, above, result)


def _range(method: RangeScoring, x: FloatArray, target: Target) -> FloatArray:
    if target.op == "range":
        assert target.low is not None and target.high is not None
        distance = np.where(x < target.low, target.low - x, x - target.high)
    else:
        distance = np.abs(x - target.reference)
    falling = 100.0 - (100.0 - method.floor) * distance / method.tolerance
    outside = np.where(distance >= method.tolerance, method.floor, falling)
    return np.where(met_array(target, x), 100.0, outside)


# --- whole cards ----------------------------------------------------------------------------------


def sum_like_python(terms: Sequence[FloatArray]) -> FloatArray:
    """Elementwise ``sum(terms)`` with exactly the rounding of the built-in ``sum`` of floats.

    Python 3.11 adds left to right; from 3.12 ``sum`` compensates rounding errors (Neumaier). The
    array sum follows whichever the running interpreter does, so totals match the scalar engine's.

    Example:
        >>> bool(sum_like_python([np.array([0.1]), np.array([0.2]), np.array([0.3])])[0] == sum([0.1, 0.2, 0.3]))
        True
    """
    if not terms:
        return np.zeros(0, dtype=np.float64)
    total = np.array(terms[0], dtype=np.float64)
    if sys.version_info < (3, 12):
        for term in terms[1:]:
            total = total + term
        return total
    compensation = np.zeros_like(total)
    with np.errstate(all="ignore"):
        for term in terms[1:]:
            added = total + term
            compensation += np.where(np.abs(total) >= np.abs(term), (total - added) + term, (term - added) + total)
            total = added
        usable = (compensation != 0) & np.isfinite(compensation)
    return np.where(usable, total + compensation, total)


def grade_index(grades: Sequence[Grade], totals: FloatArray) -> IntArray:
    """Per total, the index in ``grades`` (highest first) of the grade it earns, like ``grade_for``.

    Example:
        >>> from ecomperf.model import Grade
        >>> grades = [Grade(id="A", min=100, bonus=1.2), Grade(id="B", min=0, bonus=1)]
        >>> grade_index(grades, np.array([100.0, 99.9]))
        array([0, 1])
    """
    index = np.full(totals.shape, len(grades) - 1, dtype=np.intp)
    for position in range(len(grades) - 1, -1, -1):
        index = np.where(totals >= grades[position].min, position, index)
    return index


def metric_arrays(
    fw: FrameworkIndex, given: Mapping[str, FloatArray], wanted: Sequence[str], size: int
) -> dict[str, FloatArray] | None:
    """Each wanted metric per row: its own value, else computed from its formula's inputs (recursively).

    The array form of :func:`ecomperf.scoring.derive.derive`: a given value always wins over the formula; NaN
    marks a row where the metric has no value (missing, or its formula divides by zero) or where its formula
    computed a value outside the metric's bounds, so that the scalar engine refuses that row with the reason.

    Args:
        fw: the framework declaring the metrics.
        given: metric id -> values, NaN where the row has none.
        wanted: the metric ids needed.
        size: the number of rows.

    Returns:
        metric id -> values for every wanted metric, or ``None`` when the formulas refer to each other
        in a cycle (a loaded framework has none; the scalar engine reports it).
    """
    found: dict[str, FloatArray] = {}
    active: set[str] = set()
    missing = np.full(size, np.nan)

    def value_of(name: str) -> FloatArray | None:
        if name in found:
            return found[name]
        if name in active:
            return None
        own = given.get(name)
        metric = fw.metrics.get(name)
        formula = metric.parsed_formula if metric is not None else None
        if formula is None:
            result = own if own is not None else missing
        elif own is not None and not np.isnan(own).any():
            result = own
        else:
            active.add(name)
            inputs: dict[str, FloatArray] = {}
            for input_name in formula.names:
                values = value_of(input_name)
                if values is None:
                    return None
                inputs[input_name] = values
            active.discard(name)
            computed = formula.evaluate_array(inputs)
            assert metric is not None
            computed = np.where(within_range(metric, computed), computed, np.nan)  # impossible: not scored here
            result = computed if own is None else np.where(np.isnan(own), computed, own)
        found[name] = result
        return result

    for name in wanted:
        if value_of(name) is None:
            return None
    return {name: found[name] for name in wanted}


@dataclass(frozen=True, slots=True)
class BlockDetail:
    """What a :class:`~ecomperf.scoring.results.KpiScore` shows besides the score, for the scored rows of a block.

    Each tuple has one entry per KPI, in the order of :attr:`BlockScores.kpis`; arrays have one value per
    row of :attr:`BlockScores.rows`.

    Attributes:
        actuals: the value scored (given, computed from the formula, or the raters' combined rating).
        targets: the target as text (``>= 833.33万``, ``str(target)``), the same in every row of the block.
        achievements: ``x / t`` or ``t / x`` rounded as the scalar engine rounds it, NaN where it is undefined.
        weights: the weight each KPI carries on the total.
        weighted: the KPI's contribution to the total, ``weight × score / Σ weights``, rounded.
    """

    actuals: tuple[FloatArray, ...]
    targets: tuple[str, ...]
    achievements: tuple[FloatArray, ...]
    weights: tuple[float, ...]
    weighted: tuple[FloatArray, ...]


@dataclass(frozen=True, slots=True)
class BlockScores:
    """The scores of the rows of one block: rows that resolve to the same card.

    Attributes:
        rows: positions (within the block) of the rows scored; the others need the scalar engine.
        kpis: the KPI ids, in card order.
        scores: ``scores[k][i]`` is the score of KPI ``kpis[k]`` in row ``rows[i]``.
        total: the total per row (0 where a ``zero_total`` veto was breached).
        grade: per row, the index of the grade in ``fw.grades`` after any veto cap.
        breached: per row, the KPIs whose veto was breached (empty tuples for most rows).
        detail: actuals, targets, achievements and weighted scores, when :func:`score_block` was asked for
            them (``detail=True``); ``None`` otherwise.
    """

    rows: IntArray
    kpis: tuple[str, ...]
    scores: tuple[FloatArray, ...]
    total: FloatArray
    grade: IntArray
    breached: tuple[tuple[str, ...], ...]
    detail: BlockDetail | None = None


def score_block(
    fw: FrameworkIndex, card: ResolvedCard, given: Mapping[str, FloatArray], usable: BoolArray,
    scores: Mapping[str, FloatArray] | None = None, *, detail: bool = False,
) -> BlockScores | None:
    """Score every row of a block whose actuals are all plain numbers and whose KPIs all have a value.

    The array form of :func:`ecomperf.scoring.card.score_card` for flat actuals: the same KPI scores, total,
    grade and veto effects. Rows left out of :attr:`BlockScores.rows` (a value missing, n/a or not a
    number, a formula dividing by zero) must be scored by the scalar engine, which also produces their
    error messages.

    Args:
        fw: the framework.
        card: the card every row of the block resolves to.
        given: metric id -> values of the block's rows, NaN where a row has none.
        usable: per row, whether every metric cell of the row was read as a plain finite number.
        scores: KPI id -> its score in each row of the block, for KPIs scored elsewhere (the ratings of
            :func:`ecomperf.scoring.raters.fold_rating_arrays`); NaN sends a row to the scalar engine.
        detail: also compute what each KPI row of a card shows besides its score (:class:`BlockDetail`).

    Returns:
        The scores, or ``None`` when the card itself is for the scalar engine (a KPI without a target,
        no weight to score, formulas in a cycle).
    """
    entries = card.entries
    if not entries or any(entry.target is None for entry in entries):
        return None
    weights = sum(entry.weight for entry in entries)
    cap = fw.rules.veto_caps_grade_at
    if weights <= 0 or (cap is not None and cap not in [grade.id for grade in fw.grades]):
        return None
    size = len(usable)
    values = metric_arrays(fw, given, [entry.kpi for entry in entries], size)
    if values is None:
        return None
    given_scores = scores or {}
    ok = usable.copy()
    for entry in entries:
        ok &= ~np.isnan(values[entry.kpi])
        if entry.kpi in given_scores:
            ok &= ~np.isnan(given_scores[entry.kpi])
    rows = np.flatnonzero(ok)
    scores_of: list[FloatArray] = []
    breaches: list[BoolArray] = []
    for entry in entries:
        assert entry.target is not None
        if entry.kpi in given_scores:
            result = ArrayResult(given_scores[entry.kpi][rows], np.zeros(len(rows), dtype=np.bool_))
        else:
            result = score_array(entry.method, values[entry.kpi][rows], entry.target, entry.metric.direction)
        scores_of.append(result.score)
        breaches.append(result.breached)
    with np.errstate(all="ignore"):
        total = tidy_array(sum_like_python([entry.weight * score
                                            for entry, score in zip(entries, scores_of, strict=True)]) / weights)
    zeroing = np.zeros(len(rows), dtype=np.bool_)
    any_breach = np.zeros(len(rows), dtype=np.bool_)
    for entry, breached in zip(entries, breaches, strict=True):
        any_breach |= breached
        if isinstance(entry.method, VetoScoring) and entry.method.effect == "zero_total":
            zeroing |= breached
    final = np.where(zeroing, 0.0, total)
    grade = grade_index(fw.grades, final)
    ids = [g.id for g in fw.grades]
    if cap is not None:
        grade = np.where(any_breach & ~zeroing, np.maximum(grade, ids.index(cap)), grade)
    breached_rows: list[tuple[str, ...]] = [()] * len(rows)
    if any_breach.any():
        kpis = [entry.kpi for entry in entries]
        for position in np.flatnonzero(any_breach).tolist():
            breached_rows[position] = tuple(k for k, b in zip(kpis, breaches, strict=True) if b[position])
    found = None
    if detail:
        found = _block_detail(entries, [values[entry.kpi][rows] for entry in entries], scores_of, weights,
                              given_scores)
    return BlockScores(rows, tuple(entry.kpi for entry in entries), tuple(scores_of), final, grade,
                       tuple(breached_rows), found)


def _block_detail(
    entries: Sequence[ResolvedKpi], actuals: Sequence[FloatArray], scores: Sequence[FloatArray], weights: float,
    given_scores: Mapping[str, FloatArray],
) -> BlockDetail:
    """The :class:`BlockDetail` of a block's scored rows: every KPI is kept, so each carries its card weight
    (:func:`ecomperf.scoring.sections.kept_weights`), and a KPI whose raters' scores are combined has no
    achievement, as on a card."""
    achievements: list[FloatArray] = []
    weighted: list[FloatArray] = []
    for entry, actual, score in zip(entries, actuals, scores, strict=True):
        assert entry.target is not None
        if entry.kpi in given_scores:
            achievements.append(np.full(actual.shape, np.nan))
        else:
            achievements.append(achievement_array(actual, entry.target, entry.metric.direction))
        with np.errstate(all="ignore"):
            weighted.append(tidy_array(entry.weight * score / weights))
    targets = tuple(str(entry.target) if entry.target is not None else "" for entry in entries)
    return BlockDetail(tuple(actuals), targets, tuple(achievements), tuple(entry.weight for entry in entries),
                       tuple(weighted))
