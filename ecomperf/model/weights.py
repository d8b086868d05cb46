"""How KPI weights are read: points of 100 (the default) or relative sizes normalised to 100.

``rules.weights`` on the Framework sets the mode for every card; ``weights`` on a position's scorecard
overrides it for that card:

* ``points`` (default): each weight is points out of 100 and a stage's weights must sum to 100 (EP301;
  EP305 after an event's overrides).
* ``relative``: weights are sizes of any positive scale, such as the 1/3/2 of an OKR objective's key
  results, and each stage (after event overrides) is normalised to 100: ``wᵢ × 100 / Σ w``. A weight of
  0 stays 0 (a veto KPI), and a stage needs at least one positive weight.

With weighted sections (:mod:`ecomperf.model.sections`) the KPI weights count within their section: each
section's weights become points of 100 as above, and are then scaled by the section's share of the card
(``Sₛ / Σ S``), so that a KPI of weight 30 in a section of weight 60 carries 18 points (:func:`card_points`).

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
    from ecomperf.model.sections import Section

__all__ = ["WeightMode", "as_points", "card_points", "section_shares", "stage_points", "weight_mode"]

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


def section_shares(sections: Sequence[Section], weights: Sequence[tuple[str | None, float]]) -> dict[str, float]:
    """Each weighted section's weight, over the sections that hold a positive KPI weight in this stage.

    Empty when the sections carry no weights (they then only group the card). A section whose KPIs all
    weigh 0 in this stage (an event took them off) drops out, and the others scale up to the card.

    Example:
        >>> from ecomperf.model.sections import Section
        >>> sections = [Section(id="goals", weight=60), Section(id="self", weight=30),
        ...             Section(id="feedback", weight=10)]
        >>> section_shares(sections, [("goals", 100), ("self", 100)])
        {'goals': 60.0, 'self': 30.0}
    """
    if not sections or any(section.weight is None for section in sections):
        return {}
    present = {section for section, weight in weights if weight > 0}
    return {section.id: float(section.weight or 0) for section in sections if section.id in present}


def card_points(
    weights: Sequence[tuple[str | None, float]], sections: Sequence[Section], mode: WeightMode
) -> list[float | None]:
    """The weights of one stage as points of 100 on the card, sections taken into account.

    Without weighted sections this is :func:`as_points` of the weights. With them, each section's weights
    are made points of 100 by ``mode`` and scaled by the section's share, ``p × Sₛ / Σ S`` over the
    sections of :func:`section_shares`. An entry of positive weight outside every weighted section has no
    place on such a card: its result is ``None`` (validation reports it as EP311).

    Args:
        weights: ``(section id or None, weight)`` per entry, in card order.
        sections: the scorecard's sections.
        mode: how to read the weights.

    Example:
        >>> from ecomperf.model.sections import Section
        >>> sections = [Section(id="goals", weight=60), Section(id="behaviour", weight=40)]
        >>> card_points([("goals", 30), ("goals", 70), ("behaviour", 100)], sections, "points")
        [18.0, 42.0, 40.0]
    """
    shares = section_shares(sections, weights)
    if not shares:
        return list(as_points([weight for _, weight in weights], mode))
    total = sum(shares.values())
    result: list[float | None] = [0.0 if weight <= 0 else None for _, weight in weights]
    for section, share in shares.items():
        members = [index for index, (owner, _) in enumerate(weights) if owner == section]
        points = as_points([weights[index][1] for index in members], mode)
        for index, value in zip(members, points, strict=True):
            result[index] = value * share / total if value else 0.0
    return result


def stage_points(framework: WeightMode, scorecard: Scorecard, stage: str) -> dict[str, float]:
    """KPI id -> weight in points of 100 for one stage of ``scorecard`` as declared (before any event).

    Args:
        framework: the Framework's ``rules.weights``.
        scorecard: the position's scorecard.
        stage: a stage id of the scorecard.
    """
    entries = scorecard.stages[stage]
    points = card_points([(entry.section, entry.weight) for entry in entries], scorecard.sections,
                         weight_mode(framework, scorecard.weights))
    return {entry.kpi: weight or 0.0 for entry, weight in zip(entries, points, strict=True)}
