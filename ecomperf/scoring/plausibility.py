"""Actuals that are possible but doubtful: a percentage written as a whole number (35 for 35%).

Percent actuals are fractions (0.35). A value of 2 or more for a percent KPI whose target is below 100% is
far more likely a whole-number percentage typed into a cell than a 200% rate, so the card carries a warning
(and ``ecomperf score --strict`` fails). Both engines ask this module: the scalar one value by value
(:func:`percent_warning`), the fast path for a column at once (:func:`doubtful_percents`).

Example:
    >>> from ecomperf.targets import parse_target
    >>> percent_warning("repurchase_rate", 35.0)
    'repurchase_rate actual 35 means 3500%; percent actuals are fractions: did you mean 0.35 ("35%")?'
"""

from __future__ import annotations

from typing import Final

import numpy as np

from ecomperf.scoring.vectorized import BoolArray, FloatArray
from ecomperf.targets import Target

__all__ = ["WHOLE_PERCENT", "doubtful_percents", "percent_warning", "watches_percent"]

WHOLE_PERCENT: Final = 2.0
"""A percent actual at least this large (in absolute value) looks like a whole-number percentage."""


def watches_percent(unit: str, target: Target | None) -> bool:
    """Whether actuals of a KPI in ``unit`` against ``target`` are checked for whole-number percentages:
    percent KPIs whose target is below 100% (a target of 150% makes a value of 2 plausible)."""
    return unit == "percent" and target is not None and abs(target.reference) < 1


def percent_warning(kpi: str, value: float) -> str:
    """The warning for a percent actual that looks like a whole number."""
    return (
        f"{kpi} actual {value:g} means {value * 100:g}%; percent actuals are fractions: "
        f"did you mean {value / 100:g} (\"{value:g}%\")?"
    )


def doubtful_percents(values: FloatArray) -> BoolArray:
    """Per value, whether it looks like a whole-number percentage (NaN, a value not given, does not).

    Example:
        >>> doubtful_percents(np.array([0.35, 35.0, np.nan, -2.0]))
        array([False,  True, False,  True])
    """
    with np.errstate(invalid="ignore"):
        doubtful: BoolArray = np.abs(values) >= WHOLE_PERCENT
    return doubtful
