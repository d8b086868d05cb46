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
from ecomperf.sentences import Name, Sentence
from ecomperf.targets import Target

__all__ = ["WHOLE_PERCENT", "doubtful_percents", "percent_warning", "watches_percent"]

WHOLE_PERCENT: Final = 2.0
"""A percent actual at least this large (in absolute value) looks like a whole-number percentage."""


def watches_percent(unit: str, target: Target | None) -> bool:
    """Whether actuals of a KPI in ``unit`` against ``target`` are checked for whole-number percentages:
    percent KPIs whose target is below 100% (a target of 150% makes a value of 2 plausible)."""
    return unit == "percent" and target is not None and abs(target.reference) < 1


def percent_warning(kpi: str | Name, value: float) -> Sentence:
    """The warning for a percent actual that looks like a whole number (``kpi``: its id, or its :class:`Name`).

    >>> percent_warning("gross_margin", 38)
    'gross_margin actual 38 means 3800%; percent actuals are fractions: did you mean 0.38 ("38%")?'
    """
    return Sentence("{kpi} actual {value:g} means {percent:g}%; percent actuals are fractions: did you mean "
                    "{fraction:g} (\"{value:g}%\")?", kpi=kpi, value=value, percent=value * 100, fraction=value / 100)


def doubtful_percents(values: FloatArray) -> BoolArray:
    """Per value, whether it looks like a whole-number percentage (NaN, a value not given, does not).

    Example:
        >>> doubtful_percents(np.array([0.35, 35.0, np.nan, -2.0]))
        array([False,  True, False,  True])
    """
    with np.errstate(invalid="ignore"):
        doubtful: BoolArray = np.abs(values) >= WHOLE_PERCENT
    return doubtful
