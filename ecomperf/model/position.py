"""``kind: Position`` — a job (岗位): duties, forbidden duties, competencies and a scorecard per stage."""


from typing import Literal

from pydantic import Field

from ecomperf.model.common import Cycle, Document, Id, LocalizedText, Node, NonNegativeQuantity, TargetSpec
from ecomperf.model.missing import MissingRule
from ecomperf.model.module import Duty, ForbiddenDuty
from ecomperf.model.posting import EmploymentType, JobLocation, SalaryBand
from ecomperf.model.scoring_spec import ScoringMethod
from ecomperf.model.sections import Section
from ecomperf.model.weights import WeightMode

__all__ = ["Competencies", "KpiEntry", "Position", "Scorecard", "TargetVariant"]


class TargetVariant(Node):
    """A target that replaces the default when every ``when`` condition holds (first match wins).

    ``when`` maps a context dimension to one value or a list of values: ``{category: electronics_3c}``.
    """

    when: dict[Id, Id | list[Id]] = Field(min_length=1)
    target: TargetSpec

    def matches(self, context: dict[str, str]) -> bool:
        """Whether ``context`` satisfies every condition."""
        for dimension, wanted in self.when.items():
            allowed = [wanted] if isinstance(wanted, str) else wanted
            if context.get(dimension) not in allowed:
                return False
        return True


class KpiEntry(Node):
    """One KPI on a scorecard: which metric, its weight (points of 100 or relative), its target, how it is scored."""

    kpi: Id
    weight: NonNegativeQuantity
    target: TargetSpec | None = None
    variants: list[TargetVariant] = []
    scoring: ScoringMethod | None = None
    cycle: Cycle | None = None
    section: Id | None = None
    missing: MissingRule | None = None
    note: LocalizedText | None = None


class Scorecard(Node):
    """The KPIs of a position, one weighted list per company stage, optionally grouped into sections."""

    cycle: Cycle = "monthly"
    weights: WeightMode | None = None
    sections: list[Section] = []
    stages: dict[Id, list[KpiEntry]] = Field(min_length=1)


class Competencies(Node):
    """The four-part competency model (专业知识 / 核心技能 / 通用能力 / 职业素养)."""

    professional_knowledge: list[LocalizedText] = []
    core_skills: list[LocalizedText] = []
    general_abilities: list[LocalizedText] = []
    professional_qualities: list[LocalizedText] = []


class Position(Document):
    """A position (岗位). Duties come from its ``modules`` and its own ``responsibilities``.

    A position's own duties are referenced as ``position_id.duty_id``.
    """

    kind: Literal["Position"]
    name: LocalizedText
    department: LocalizedText | None = None
    level: Id | None = None
    reports_to: Id | None = None
    purpose: LocalizedText | None = None
    occupational_category: str | None = None
    modules: list[Id] = []
    responsibilities: list[Duty] = []
    forbidden: list[ForbiddenDuty] = []
    qualifications: list[LocalizedText] = []
    competencies: Competencies | None = None
    scorecard: Scorecard | None = None
    employment_type: EmploymentType | list[EmploymentType] | None = None
    location: JobLocation | None = None
    salary: SalaryBand | None = None
