"""Sections of a scored card: the weights the kept KPIs carry, and each section's subtotal.

The one home of two rules (the weights themselves come from :func:`ecomperf.model.weights.card_points`):

* **a dropped KPI stays inside its section** when the sections carry weights: the section keeps its share
  of the card and its remaining KPIs scale up (:func:`kept_weights`); a section left without KPIs drops
  out and the others scale up, as KPIs do on a card without sections. Without section weights, dropping
  a KPI renormalises the whole card, as it always has;
* **a subtotal** is ``Σ wᵢ·sᵢ / Σ wᵢ`` over the section's KPIs of positive weight, rounded like every score
  (:func:`section_scores`; :func:`subtotal_arrays` gives the same floats for the batch engine).

Because every KPI weight is already in points of the card, the total stays ``Σ wᵢ·sᵢ / Σ wᵢ`` over every
KPI kept: with section weights that is exactly the weighted sum of the subtotals.

Example:
    a card of goals 60 (KRAs at 30/70) and behaviour 40: the KRAs carry 18 and 42 points. When the second
    KRA is "n/a", the first carries the section's 60 points alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ecomperf.scoring.methods import PRECISION
from ecomperf.scoring.results import SectionScore

if TYPE_CHECKING:
    from ecomperf.model import DisplayScale
    from ecomperf.scoring.resolve import ResolvedCard, ResolvedKpi
    from ecomperf.scoring.vectorized import FloatArray

__all__ = ["kept_weights", "section_scores", "subtotal_arrays"]


def kept_weights(card: ResolvedCard, kept: Sequence[ResolvedKpi]) -> list[float]:
    """The weight each kept KPI carries on the total, in the order of ``kept``.

    Its card weight, except on a card with weighted sections where a section lost KPIs (dropped as
    missing, undefined or n/a): that section's remaining KPIs share its full weight in proportion.

    Example:
        a section of 60 points holding KPIs of 18 and 42 points, the second dropped: the first carries
        18 × 60 / 18 = 60.
    """
    if not card.weighted_sections:
        return [entry.weight for entry in kept]
    full: dict[str | None, float] = {}
    for entry in card.entries:
        full[entry.section] = full.get(entry.section, 0.0) + entry.weight
    have: dict[str | None, float] = {}
    for entry in kept:
        have[entry.section] = have.get(entry.section, 0.0) + entry.weight
    return [
        entry.weight * full[entry.section] / have[entry.section]
        if have[entry.section] > 0 and have[entry.section] != full[entry.section] else entry.weight
        for entry in kept
    ]


def section_scores(
    card: ResolvedCard, kept: Sequence[tuple[ResolvedKpi, float, float]], scale: DisplayScale | None = None,
) -> list[SectionScore]:
    """Each section's subtotal, in declared order.

    Args:
        card: the resolved card.
        kept: ``(entry, weight carried, score)`` of every KPI on the total, in card order.
        scale: the framework's display scale, to show each subtotal on it too.

    Returns:
        One :class:`~ecomperf.scoring.results.SectionScore` per section that holds a KPI of positive weight
        on this card; a section whose KPIs were all dropped (or weigh 0) has no subtotal.
    """
    result: list[SectionScore] = []
    for section in card.sections:
        members = [(entry, weight, score) for entry, weight, score in kept if entry.section == section.id]
        weights = [weight for _, weight, _ in members if weight > 0]
        if not weights:
            continue
        total = sum(weight * score for _, weight, score in members if weight > 0) / sum(weights)
        subtotal = round(total, PRECISION) + 0.0
        result.append(SectionScore(
            section=section.id,
            name=section.name,
            weight=round(sum(weights), PRECISION) + 0.0,
            subtotal=subtotal,
            shown=None if scale is None else scale.shown(subtotal),
            kpis=[entry.kpi for entry, _, _ in members],
        ))
    return result


def subtotal_arrays(
    card: ResolvedCard, scores: Sequence[FloatArray]
) -> list[tuple[str, FloatArray]]:
    """:func:`section_scores` for many rows at once, every KPI of the card kept (the batch engine's rows).

    Args:
        card: the resolved card.
        scores: each entry's scores, in card order.

    Returns:
        ``(section id, subtotal per row)`` for each section holding a KPI of positive weight, equal bit for
        bit to the scalar subtotals of the same rows.
    """
    from ecomperf.scoring.vectorized import sum_like_python, tidy_array  # start-up cost: numpy, batch only

    result: list[tuple[str, FloatArray]] = []
    for section in card.sections:
        members = [(entry.weight, column) for entry, column in zip(card.entries, scores, strict=True)
                   if entry.section == section.id and entry.weight > 0]
        if not members:
            continue
        total = sum_like_python([weight * column for weight, column in members]) / sum(w for w, _ in members)
        result.append((section.id, tidy_array(total)))
    return result

