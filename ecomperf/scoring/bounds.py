"""Impossible actuals: a value outside its metric's valid range is refused, never clamped.

A metric's range is its ``bounds: [low, high]`` when it declares one, else its unit's
(:data:`ecomperf.model.metric.UNIT_BOUNDS`: counts, money, hours, days and turnovers are never negative).
Negative visitors, a negative GMV, negative hours or a 130% accuracy on a metric declared ``bounds: [0, 1]``
are mistakes in the data; scoring them would pay a bonus on a typo. :func:`out_of_range` gives the reason a
value is refused, :func:`within_range` the same test for a column of values (the fast path of
:mod:`ecomperf.batch.engine` sends rows that fail it to the scalar engine, which reports them).

The bounds are checked on the values given (each month's value before a roll-up); a formula metric
computed from its inputs follows from inputs that were checked.

Example:
    >>> from ecomperf.model import Metric
    >>> visitors = Metric.model_validate({"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "visitors",
    ...                                   "name": "Visitors", "unit": "count"})
    >>> out_of_range(visitors, -5.0)
    'below 0, the least a count can be; correct the value, or declare `bounds:` on metric visitors if it can be lower'
"""

from __future__ import annotations

import numpy as np

from ecomperf.model import Metric
from ecomperf.scoring.vectorized import BoolArray, FloatArray
from ecomperf.targets import format_quantity

__all__ = ["out_of_range", "range_text", "within_range"]

_UNIT_NOUNS = {
    "count": "a count",
    "currency": "an amount of money",
    "hours": "a number of hours",
    "days": "a number of days",
    "times": "a number of times",
}


def range_text(metric: Metric) -> str:
    """The valid range in the metric's unit: ``[0%, 100%]``, ``[0, ∞)``.

    Example:
        >>> from ecomperf.model import Metric
        >>> share = Metric.model_validate({"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "accuracy",
        ...                                "name": "Accuracy", "unit": "percent", "bounds": [0, 1]})
        >>> range_text(share)
        '[0%, 100%]'
    """
    low, high = metric.valid_range
    left = "(-∞" if low is None else f"[{format_quantity(low, metric.unit)}"
    right = "∞)" if high is None else f"{format_quantity(high, metric.unit)}]"
    return f"{left}, {right}"


def out_of_range(metric: Metric, value: float) -> str | None:
    """Why ``value`` is impossible for ``metric``, or ``None`` when it lies within the valid range."""
    low, high = metric.valid_range
    if low is not None and value < low:
        side, limit, least = "below", low, "least"
    elif high is not None and value > high:
        side, limit, least = "above", high, "most"
    else:
        return None
    shown = format_quantity(limit, metric.unit)
    if metric.bounds is not None:
        return (
            f"{side} {shown}, the {least} metric {metric.id} allows (bounds: {range_text(metric)}); "
            "correct the value, or widen the metric's bounds"
        )
    lower = "lower" if side == "below" else "higher"
    return (
        f"{side} {shown}, the {least} {_UNIT_NOUNS.get(metric.unit, metric.unit)} can be; correct the value, "
        f"or declare `bounds:` on metric {metric.id} if it can be {lower}"
    )


def within_range(metric: Metric, values: FloatArray) -> BoolArray:
    """Per value, whether it lies within the metric's valid range (NaN, an empty cell, counts as within).

    Example:
        >>> from ecomperf.model import Metric
        >>> hours = Metric.model_validate({"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "hours",
        ...                                "name": "Hours", "unit": "hours"})
        >>> within_range(hours, np.array([3.0, -1.0, np.nan]))
        array([ True, False,  True])
    """
    low, high = metric.valid_range
    inside = np.ones(values.shape, dtype=np.bool_)
    if low is not None:
        inside &= ~(values < low)
    if high is not None:
        inside &= ~(values > high)
    return inside
