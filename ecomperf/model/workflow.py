"""``kind: Workflow`` — a standard operating procedure tying positions to the steps they own."""


from typing import Literal

from pydantic import Field

from ecomperf.model.common import Document, Id, LocalizedText, Node

__all__ = ["Workflow", "WorkflowStep"]


class WorkflowStep(Node):
    """One step: who owns it, who takes part, when it happens and what it does and produces."""

    id: Id
    name: LocalizedText
    owner: Id
    participants: list[Id] = []
    when: LocalizedText | None = None
    actions: list[LocalizedText] = []
    outputs: list[LocalizedText] = []


class Workflow(Document):
    """A process (SOP) made of ordered steps."""

    kind: Literal["Workflow"]
    name: LocalizedText
    cadence: LocalizedText | None = None
    description: LocalizedText | None = None
    steps: list[WorkflowStep] = Field(min_length=1)
