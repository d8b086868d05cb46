"""The metric values each scored row was scored from, kept beside its card so that quarters can be rolled up.

A card keeps each KPI's actual, but not the inputs of formula KPIs (a conversion rate's orders and
visitors); a quarter needs those, because ratios are recomputed from summed inputs. So a recording keeps,
per card, every metric value of its input row: numbers as parsed (``"35%"`` is 0.35, ``"210万"`` is
2100000) and ``"n/a"`` for values marked not applicable. A metric with raters is kept as its combined
rating, never rater by rater, so that nothing in the store says who rated whom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecomperf.batch.results import BatchResult
from ecomperf.batch.table import Table
from ecomperf.history.codec import InputValue
from ecomperf.scoring.actuals import parse_values
from ecomperf.scoring.results import ScoreCard

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex as Framework

__all__ = ["NOT_APPLICABLE", "card_inputs", "row_inputs", "scored_inputs"]

NOT_APPLICABLE = "n/a"
"""How a recorded input marks a metric as not applicable."""


def row_inputs(fw: Framework, table: Table) -> dict[int, dict[str, InputValue]]:
    """Each row's metric values, parsed, by row number (columns that are not metrics are left out).

    Values that do not parse are left out too: such a row is not scored, so it is never recorded.
    """
    found: dict[int, dict[str, InputValue]] = {}
    for record in table.records():
        raw = {name: value for name, value in record.items() if name in fw.metrics}
        parsed = parse_values(fw, raw)
        values: dict[str, InputValue] = dict(parsed.values)
        values.update(dict.fromkeys(sorted(parsed.not_applicable), NOT_APPLICABLE))
        found[record.row] = values
    return found


def scored_inputs(fw: Framework, result: BatchResult, table: Table) -> list[dict[str, InputValue]]:
    """The inputs of each card of ``result`` (scored with ``detail=True`` from ``table``), in card order.

    Raises:
        ValueError: ``result`` has no card per scored row (scored with ``detail=False``).
    """
    if len(result.cards) != len(result.summaries):
        raise ValueError("the result keeps no card per scored row; score with detail=True to record it")
    by_row = row_inputs(fw, table)
    return [{**by_row.get(row, {}), **_combined_ratings(card)}
            for row, card in zip(result.summaries.rows, result.cards, strict=True)]


def _combined_ratings(card: ScoreCard) -> dict[str, InputValue]:
    """The combined rating of each rated KPI: the value a roll-up reads (the raters themselves are not kept)."""
    return {kpi.kpi: kpi.actual for kpi in card.kpis if kpi.ratings and kpi.actual is not None}


def card_inputs(card: ScoreCard) -> dict[str, InputValue]:
    """What a card recorded without its inputs still tells: the actual of every KPI that was given.

    Computed KPIs are left out (their inputs are what a roll-up needs, and the card does not keep them).
    """
    return {kpi.kpi: kpi.actual for kpi in card.kpis if kpi.actual is not None and not kpi.computed}
