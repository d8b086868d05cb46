"""How a metric's value grows with the length of the period it covers: the input of the one period rule.

Scored over a quarter instead of a month, a **summed** metric (GMV, orders, a count of complaints) is about
three times as large, while a **level** (a rate, a mean, a last value: conversion rate, response hours,
headcount) is not. :func:`growth_of` says which a metric is, so that
:func:`ecomperf.scoring.resolve.prorate_targets` can fit its target to the months scored:

* a base metric grows with the months when its ``aggregation`` is ``sum``, and is a level otherwise
  (``mean``, ``last``, ``min``, ``max``); a formula metric that declares an ``aggregate`` follows it too;
* a formula metric recomputed from its inputs (``aggregate: recompute``, the default for formulas) grows like
  its formula does: ``orders / visitors`` divides two sums and is a level, ``gmv - campaign_gmv`` subtracts
  two sums and is summed, ``(revenue - cost) / revenue · days_in_period`` is a level. A formula that mixes
  the two, such as ``gmv - 100`` or ``gmv * orders``, grows in no fixed proportion: its target cannot be
  fitted to another length of period, and scoring it over one is refused.

The growth of a formula is read from its structure (:func:`ecomperf.formula_forms.degree`): each summed
input has degree 1, each level degree 0, and the formula's degree follows from its operations, so
``max(gmv, 100)`` (summed above 100, constant below) and ``gmv * orders`` (degree 2) are neither. A formula
with a condition (``if(…)``) has no fixed degree either; the metric can say how it behaves with
``aggregate:``.

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
    >>> growth_of(fw, fw.metrics["gross_margin"]).summed  # doctest: +SKIP
    False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ecomperf.formula_forms import degree
from ecomperf.model import Metric
from ecomperf.model.index import FrameworkIndex
from ecomperf.scoring.derive import formula_param
from ecomperf.sentences import Sentence

__all__ = ["Growth", "aggregation_word", "growth_of"]


@dataclass(frozen=True, slots=True)
class Growth:
    """How a metric's value grows with the months its period covers.

    Attributes:
        summed: ``True`` when the value is a sum over the months (its target scales with them), ``False``
            when it is a level or rate (its target stays), ``None`` when neither (its target cannot be fitted
            to another length of period).
        reason: why, in words, for notes and refusals (``"it adds up over months (aggregate: sum)"``).
    """

    summed: bool | None
    reason: str


def growth_of(fw: FrameworkIndex, metric: Metric) -> Growth:
    """How ``metric``'s value grows with the months of the period it covers (see the module docstring).

    Example:
        >>> import ecomperf
        >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
        >>> growth_of(fw, fw.metrics["gmv"])  # doctest: +SKIP
        Growth(summed=True, reason='it adds up over months (aggregate: sum)')
    """
    how = metric.aggregation
    if how == "sum":
        return Growth(True, Sentence("it adds up over months (aggregate: sum)"))
    if how != "recompute":
        return Growth(False, Sentence("it does not add up over months (aggregate: {how})", how=aggregation_word(how)))
    degree = _degree(fw, metric.id, frozenset())
    formula = formula_param(fw, metric.id)
    if degree == 1:
        return Growth(True, Sentence("its formula {formula} adds up over months", formula=formula))
    if degree == 0:
        return Growth(False, Sentence("its formula {formula} is a rate or level", formula=formula))
    return Growth(None, Sentence("its formula {formula} neither adds up over months nor stays a level",
                                 formula=formula))


_AGGREGATION_WORDS: Final = {"mean": Sentence("mean"), "last": Sentence("last"), "min": Sentence("min"),
                             "max": Sentence("max"), "sum": Sentence("sum")}


def aggregation_word(how: str) -> str:
    """A metric's ``aggregate:`` as a word documents translate (``mean``); anything else as written."""
    return _AGGREGATION_WORDS.get(how, how)


def _degree(fw: FrameworkIndex, metric_id: str, active: frozenset[str]) -> int | None:
    """1 for a sum over months, 0 for a level, another number or ``None`` for anything else (or a cycle)."""
    metric = fw.metrics.get(metric_id)
    if metric is None or metric_id in active:
        return None
    how = metric.aggregation
    if how != "recompute":
        return 1 if how == "sum" else 0
    formula = metric.parsed_formula
    if formula is None:  # pragma: no cover - the model refuses recompute without a formula
        return None
    degrees: dict[str, int] = {}
    for name in formula.names:
        found = _degree(fw, name, active | {metric_id})
        if found is None:
            return None
        degrees[name] = found
    return degree(formula, degrees)
