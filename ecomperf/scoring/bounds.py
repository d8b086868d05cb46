"""Impossible actuals: a value outside its metric's valid range is refused, never clamped.

A metric's range is its ``bounds: [low, high]`` when it declares one, else its unit's
(:data:`ecomperf.model.metric.UNIT_BOUNDS`: counts, money, hours, days and turnovers are never negative).
Negative visitors, a negative GMV, negative hours or a 130% accuracy on a metric declared ``bounds: [0, 1]``
are mistakes in the data; scoring them would pay a bonus on a typo. :func:`out_of_range` gives the reason a
value is refused, :func:`within_range` the same test for a column of values (the fast path of
:mod:`ecomperf.batch.engine` sends rows that fail it to the scalar engine, which reports them).

The bounds are checked on the values given (each month's value before a roll-up) and on the values formulas
compute: inputs that are each possible can still be impossible together (13,000 orders from 10,000 visitors
make a conversion rate of 130%). :func:`computed_out_of_range` names the formula and its inputs, and the row is
refused in both engines, as for a value given (:func:`ecomperf.scoring.derive.derive` finds them; the array
engine sends such rows to the scalar one). A value combined from several raters is their (weighted or trimmed)
mean, which lies between values that were each checked, so it cannot leave the range.

Example:
    >>> from ecomperf.model import Metric
    >>> visitors = Metric.model_validate({"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "visitors",
    ...                                   "name": "Visitors", "unit": "count"})
    >>> out_of_range(visitors, -5.0)
    'below 0, the least a count can be; correct the value, or declare `bounds:` on metric visitors if it can be lower'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from ecomperf.model import Metric
from ecomperf.targets import format_quantity

if TYPE_CHECKING:  # the array engine imports this module, so its types are named only for the checker
    from ecomperf.scoring.vectorized import BoolArray, FloatArray

__all__ = ["computed_out_of_range", "out_of_range", "range_text", "within_range"]

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


def out_of_range(metric: Metric, value: float, *, fix: str = "the value") -> str | None:
    """Why ``value`` is impossible for ``metric``, or ``None`` when it lies within the valid range.

    ``fix`` names what to correct: the value given, or the inputs of a formula (:func:`computed_out_of_range`).
    """
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
            f"correct {fix}, or widen the metric's bounds"
        )
    lower = "lower" if side == "below" else "higher"
    return (
        f"{side} {shown}, the {least} {_UNIT_NOUNS.get(metric.unit, metric.unit)} can be; correct {fix}, "
        f"or declare `bounds:` on metric {metric.id} if it can be {lower}"
    )


def computed_out_of_range(metric: Metric, value: float, inputs: Mapping[str, float]) -> str | None:
    """Why the value ``metric``'s formula computed from ``inputs`` is impossible, or ``None`` when it is not.

    Example:
        >>> from ecomperf.model import Metric
        >>> rate = Metric.model_validate({"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "conversion_rate",
        ...     "name": "Conversion", "unit": "percent", "formula": "orders / visitors", "bounds": [0, 1]})
        >>> reason = computed_out_of_range(rate, 1.3, {"orders": 13000.0, "visitors": 10000.0})
        >>> reason.split(": above")[0]
        'conversion_rate = orders / visitors = 130% (orders 13000, visitors 10000)'
    """
    reason = out_of_range(metric, value, fix="the inputs")
    if reason is None:
        return None
    given = ", ".join(f"{name} {inputs[name]:g}" for name in metric.inputs if name in inputs)
    shown = format_quantity(value, metric.unit)
    return f"{metric.id} = {metric.formula} = {shown}{f' ({given})' if given else ''}: {reason}"


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
