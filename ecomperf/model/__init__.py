"""Typed, frozen models of every YAML document kind. Nothing here reads YAML or renders anything.

The modules that define models do not write ``from __future__ import annotations``: Pydantic builds every
model class when its module is imported, and would otherwise compile and evaluate each annotation string
(start-up cost: a few percent of ``ecomperf validate``). A method returning its own model says ``Self``.
"""

from ecomperf.model.common import Document, LocalizedText, Node, localize
from ecomperf.model.display import DisplayScale
from ecomperf.model.event import Event, EventOverride
from ecomperf.model.framework import (
    ContextDimension,
    ContextValue,
    Dimension,
    Distribution,
    FrameworkSpec,
    Grade,
    Level,
    PipRule,
    Rules,
    Stage,
)
from ecomperf.model.metric import Metric
from ecomperf.model.module import Duty, ForbiddenDuty, Module
from ecomperf.model.plan import PlanShare, TargetPlan
from ecomperf.model.position import Competencies, KpiEntry, Position, Scorecard, TargetVariant
from ecomperf.model.posting import JobLocation, Organization, PostalAddress, SalaryBand
from ecomperf.model.raters import RaterRole, Raters
from ecomperf.model.scoring_spec import (
    SHORTHAND_METHODS,
    Band,
    BandsScoring,
    InterpolateScoring,
    LinearScoring,
    RangeScoring,
    ScoringMethod,
    ThresholdScoring,
    VetoScoring,
)
from ecomperf.model.sections import Section
from ecomperf.model.workflow import Workflow, WorkflowStep

KINDS: dict[str, type[Document]] = {
    "Framework": FrameworkSpec,
    "Metric": Metric,
    "Module": Module,
    "Position": Position,
    "Event": Event,
    "Workflow": Workflow,
    "TargetPlan": TargetPlan,
}
"""Document models by their ``kind``."""

__all__ = [
    "KINDS",
    "SHORTHAND_METHODS",
    "Band",
    "BandsScoring",
    "Competencies",
    "ContextDimension",
    "ContextValue",
    "Dimension",
    "DisplayScale",
    "Distribution",
    "Document",
    "Duty",
    "Event",
    "EventOverride",
    "ForbiddenDuty",
    "FrameworkSpec",
    "Grade",
    "InterpolateScoring",
    "JobLocation",
    "KpiEntry",
    "Level",
    "LinearScoring",
    "LocalizedText",
    "Metric",
    "Module",
    "Node",
    "Organization",
    "PipRule",
    "PlanShare",
    "Position",
    "PostalAddress",
    "RangeScoring",
    "RaterRole",
    "Raters",
    "Rules",
    "SalaryBand",
    "Scorecard",
    "ScoringMethod",
    "Section",
    "Stage",
    "TargetPlan",
    "TargetVariant",
    "ThresholdScoring",
    "VetoScoring",
    "Workflow",
    "WorkflowStep",
    "localize",
]
