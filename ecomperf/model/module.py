"""``kind: Module`` — a block of work with its duties, forbidden duties and KPIs."""


from typing import Literal

from pydantic import StrictBool

from ecomperf.model.common import Document, DutyRef, Id, LocalizedText, Node

__all__ = ["Duty", "ForbiddenDuty", "Module"]


class Duty(Node):
    """One responsibility. Referenced elsewhere as ``owner_id.duty_id``.

    Attributes:
        kpis: the metrics that measure this duty (the duty↔KPI mapping).
        shared: several positions may hold this duty on purpose (silences EP403).
    """

    id: Id
    text: LocalizedText
    kpis: list[Id] = []
    shared: StrictBool = False


class ForbiddenDuty(Node):
    """A duty the holder must not take on (禁止事项), with the reason people will read."""

    duty: DutyRef
    reason: LocalizedText | None = None


class Module(Document):
    """A module of work (产品运营, 用户运营 …) that positions take on.

    A position that lists a module inherits its responsibilities, its forbidden duties and its KPIs.
    ``stages`` limits the company stages in which the module exists (all when omitted).
    """

    kind: Literal["Module"]
    name: LocalizedText
    description: LocalizedText | None = None
    stages: list[Id] | None = None
    shared: StrictBool = False
    responsibilities: list[Duty] = []
    forbidden: list[ForbiddenDuty] = []
    kpis: list[Id] = []
