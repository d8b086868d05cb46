"""Sections of a scorecard: KPIs grouped (goals / self / feedback, or the four dimensions), each with a subtotal.

A scorecard lists its ``sections``; each KPI entry names its ``section``. A section's subtotal is the
weighted mean of its KPIs' scores. Without section weights the sections only group the card: the total
is the usual ``Σ wᵢ·sᵢ / Σ wᵢ`` over every KPI. With section weights (every section carries one, such
as Frappe's 60/30/10), the KPI weights count *within* their section (each section's weights sum to 100,
or are relative sizes) and the total is the weighted sum of the subtotals; :func:`ecomperf.model.weights.card_points`
turns both into the points of 100 each KPI carries on the card.

Example YAML::

    scorecard:
      sections:
        - {id: goals, name: {zh: 目标, en: Goals}, weight: 60}
        - {id: behaviour, name: {zh: 行为, en: Behaviour}, weight: 40}
      stages:
        startup:
          - {kpi: gmv, section: goals, weight: 100, target: ">= 200万"}
          - {kpi: teamwork, section: behaviour, weight: 100, target: ">= 4"}
"""


from pydantic import Field

from ecomperf.model.common import Id, LocalizedText, Node, Quantity

__all__ = ["Section"]


class Section(Node):
    """One section of a scorecard: an id, a name people read, and optionally its weight on the card."""

    id: Id
    name: LocalizedText | None = None
    weight: Quantity | None = Field(default=None, gt=0)
