"""``kind: Framework`` — the framework's own settings: locales, stages, levels, contexts, grades, rules."""


from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from ecomperf.model.common import (
    Cycle,
    Document,
    FrameworkId,
    Id,
    LocalizedText,
    Node,
    NonNegativeQuantity,
    Quantity,
)
from ecomperf.model.display import DisplayScaleSpec
from ecomperf.model.posting import Organization
from ecomperf.model.weights import WeightMode

__all__ = [
    "ContextDimension",
    "ContextValue",
    "Dimension",
    "Distribution",
    "FrameworkSpec",
    "Grade",
    "Level",
    "PipRule",
    "Rules",
    "Stage",
]


class Stage(Node):
    """A company stage (企业阶段) such as startup, growth or mature."""

    id: Id
    name: LocalizedText
    description: LocalizedText | None = None


class Level(Node):
    """A job level (执行层 / 策略层 / 战略层)."""

    id: Id
    name: LocalizedText
    description: LocalizedText | None = None


class ContextValue(Node):
    """One value of a context dimension, e.g. ``electronics_3c`` of ``category``."""

    id: Id
    name: LocalizedText | None = None


def _value_shorthand(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


def _dimension_shorthand(value: Any) -> Any:
    return {"values": value} if isinstance(value, list) else value


class ContextDimension(Node):
    """A dimension that selects target variants (``category``, ``region`` …) and its allowed values.

    Short form ``category: [apparel, fmcg]`` or long form with names.
    """

    name: LocalizedText | None = None
    values: list[Annotated[ContextValue, BeforeValidator(_value_shorthand)]] = Field(min_length=1)

    @property
    def value_ids(self) -> list[str]:
        """The allowed value ids in declaration order."""
        return [value.id for value in self.values]


class Dimension(Node):
    """A KPI dimension (e.g. performance, efficiency) with its usual review cycle."""

    id: Id
    name: LocalizedText
    cycle: Cycle | None = None


class Grade(Node):
    """A grade: a total at or above ``min`` earns it; ``bonus`` is the bonus coefficient it pays."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_+-]*$")]
    name: LocalizedText | None = None
    min: float
    bonus: NonNegativeQuantity


class PipRule(Node):
    """``consecutive`` periods of ``cycle`` at or below ``below_grade`` flag an improvement plan."""

    consecutive: int = Field(ge=1)
    cycle: Literal["monthly", "quarterly", "annual"] = "monthly"
    below_grade: str


class Distribution(Node):
    """Advisory forced distribution: the share of each grade expected in a group of ``min_group`` or more."""

    shares: dict[str, Quantity] = Field(min_length=1)
    min_group: int = Field(default=25, ge=1)


class Rules(Node):
    """Framework-wide rules: veto cap, improvement plans, forced distribution, how weights are read, display scale."""

    veto_caps_grade_at: str | None = None
    pip: PipRule | None = None
    distribution: Distribution | None = None
    weights: WeightMode = "points"
    display_scale: DisplayScaleSpec | None = None


class FrameworkSpec(Document):
    """The single ``kind: Framework`` document of a framework."""

    kind: Literal["Framework"]
    id: FrameworkId
    name: LocalizedText
    version: str = "1.0"
    description: LocalizedText | None = None
    locales: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]] = Field(
        default=["zh", "en"], min_length=1
    )
    currency: str = "CNY"
    stages: list[Stage] = Field(min_length=1)
    levels: list[Level] = []
    contexts: dict[Id, Annotated[ContextDimension, BeforeValidator(_dimension_shorthand)]] = {}
    dimensions: list[Dimension] = []
    grades: list[Grade] = Field(min_length=1)
    rules: Rules = Rules()
    organization: Organization | None = None

    @field_validator("grades")
    @classmethod
    def _grades_fall_to_zero(cls, grades: list[Grade]) -> list[Grade]:
        mins = [grade.min for grade in grades]
        for upper, lower in pairwise(mins):
            if lower >= upper:
                raise PydanticCustomError(
                    "EP308",
                    "grades must be listed highest first with strictly falling min; {lower} follows {upper}",
                    {"lower": lower, "upper": upper},
                )
        if mins[-1] > 0:
            raise PydanticCustomError(
                "EP308",
                "the lowest grade starts at {low}, so a total below it earns no grade; give the last grade min: 0",
                {"low": mins[-1]},
            )
        return grades

    @property
    def default_locale(self) -> str:
        """The first declared locale."""
        return self.locales[0]

    @property
    def stage_ids(self) -> list[str]:
        """Declared stage ids in order."""
        return [stage.id for stage in self.stages]

    def grade_for(self, total: float) -> Grade:
        """The highest grade whose ``min`` the total reaches."""
        for grade in self.grades:
            if total >= grade.min:
                return grade
        return self.grades[-1]
