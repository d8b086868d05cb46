"""How KPI weights are read: points of 100 (the default) or relative sizes normalised to 100.

``rules.weights`` on the Framework sets the mode for every card; ``weights`` on a position's scorecard
overrides it for that card:

* ``points`` (default): each weight is points out of 100 and a stage's weights must sum to 100 (EP301;
  EP305 after an event's overrides).
* ``relative``: weights are sizes of any positive scale, such as the 1/3/2 of an OKR objective's key
  results, and each stage (after event overrides) is normalised to 100: ``wᵢ × 100 / Σ w``. A weight of
  0 stays 0 (a veto KPI), and a stage needs at least one positive weight.

Scoring, job descriptions and the ownership matrix show the normalised weights, so a card always reads in
points of 100. This is the one home of the rule; validation, card resolution and rendering call it.

Example:
    >>> as_points([1, 3, 2], "relative")
    [16.666666666666668, 50.0, 33.333333333333336]
    >>> as_points([60, 40], "points")
    [60.0, 40.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:  # for annotations only: position.py imports WeightMode from here
    from ecomperf.model.position import Scorecard

__all__ = ["WeightMode", "as_points", "stage_points", "weight_mode"]

WeightMode: TypeAlias = Literal["points", "relative"]
"""``points``: points of 100 that must sum to 100; ``relative``: any positive sizes, normalised to 100."""


def weight_mode(framework: WeightMode, card: WeightMode | None) -> WeightMode:
    """The mode of one scorecard: its own ``weights`` when set, else the Framework's ``rules.weights``.

    Example:
        >>> weight_mode("points", "relative"), weight_mode("relative", None)
        ('relative', 'relative')
    """
    return card if card is not None else framework


def as_points(weights: Sequence[float], mode: WeightMode) -> list[float]:
    """The weights of one stage as points of 100.

    In ``points`` mode the weights are returned as they are (as floats); in ``relative`` mode each is
    ``w × 100 / Σ w``. A relative stage whose weights sum to 0 has nothing to normalise and is returned
    unchanged (validation reports it as EP301; scoring then finds no weight to score).

    Args:
        weights: the weights in card order.
        mode: how to read them.

    Returns:
        One weight per input, in the same order.
    """
    values = [float(weight) for weight in weights]
    total = sum(values)
    if mode == "points" or total <= 0:
        return values
    return [value * 100 / total for value in values]


def stage_points(framework: WeightMode, scorecard: Scorecard, stage: str) -> dict[str, float]:
    """KPI id -> weight in points of 100 for one stage of ``scorecard`` as declared (before any event).

    Args:
        framework: the Framework's ``rules.weights``.
        scorecard: the position's scorecard.
        stage: a stage id of the scorecard.
    """
    entries = scorecard.stages[stage]
    points = as_points([entry.weight for entry in entries], weight_mode(framework, scorecard.weights))
    return {entry.kpi: weight for entry, weight in zip(entries, points, strict=True)}
