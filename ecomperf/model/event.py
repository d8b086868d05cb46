"""``kind: Event`` — a period-bound change of weights and targets, such as Double 11."""


from typing import Literal

from pydantic import Field

from ecomperf.model.common import Document, Id, LocalizedText, Node, Quantity, TargetSpec
from ecomperf.model.position import KpiEntry

__all__ = ["Event", "EventOverride"]


class EventOverride(Node):
    """How one position's scorecard changes while the event is on.

    ``weights`` reweights KPIs already on the stage (0 takes one off); ``targets`` replaces targets;
    ``add`` puts KPIs on the card that the stage does not carry. The result must sum to 100.
    """

    position: Id
    stages: list[Id] | None = None
    weights: dict[Id, Quantity] = {}
    targets: dict[Id, TargetSpec] = {}
    add: list[KpiEntry] = []


class Event(Document):
    """An event whose ``periods`` (shell-style patterns such as ``*-11``) select the periods it applies to."""

    kind: Literal["Event"]
    name: LocalizedText
    description: LocalizedText | None = None
    periods: list[str] = Field(min_length=1)
    overrides: list[EventOverride] = Field(min_length=1)
