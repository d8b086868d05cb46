"""How one KPI's actual becomes a score: the method declarations (computed in :mod:`ecomperf.scoring.card`)."""


from itertools import pairwise
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from ecomperf.model.common import Node, Quantity

__all__ = [
    "SHORTHAND_METHODS",
    "Band",
    "BandsScoring",
    "InterpolateScoring",
    "LinearScoring",
    "RangeScoring",
    "ScoringMethod",
    "ThresholdScoring",
    "VetoScoring",
]


class LinearScoring(Node):
    """``100·x/t`` (higher is better) or ``100·t/x`` (lower), clamped to ``[floor, cap]``."""

    method: Literal["linear"] = "linear"
    floor: float = 0
    cap: float = 120

    @model_validator(mode="after")
    def _floor_below_cap(self) -> Self:
        if self.floor > self.cap:
            raise PydanticCustomError(
                "EP306", "linear floor {floor} is above its cap {cap}", {"floor": self.floor, "cap": self.cap}
            )
        return self


class ThresholdScoring(Node):
    """100 when the target is met, else 0."""

    method: Literal["threshold"] = "threshold"


class Band(Node):
    """One row of a band table: achievement (actual/target) at or above ``min_achievement`` scores ``score``."""

    min_achievement: Quantity
    score: float


class BandsScoring(Node):
    """A table of bands, highest first; the first band whose ``min_achievement`` is reached gives the score.

    The last band must start at 0 so that every achievement falls into some band.
    """

    method: Literal["bands"] = "bands"
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_cover_the_axis(self) -> Self:
        lows = [band.min_achievement for band in self.bands]
        for upper, lower in pairwise(lows):
            if lower >= upper:
                raise PydanticCustomError(
                    "EP306",
                    "bands must be listed highest first with strictly falling min_achievement; {lower} follows {upper}",
                    {"lower": lower, "upper": upper},
                )
        if lows[-1] > 0:
            raise PydanticCustomError(
                "EP306",
                "the last band starts at {low}, leaving achievements below it without a score; "
                "end the table with a band of min_achievement: 0",
                {"low": lows[-1]},
            )
        return self


class InterpolateScoring(Node):
    """0 at or beyond ``threshold``, straight lines to 100 at the target and to ``cap`` at ``stretch``."""

    method: Literal["interpolate"] = "interpolate"
    threshold: Quantity
    stretch: Quantity | None = None
    cap: float = 120


class RangeScoring(Node):
    """100 inside the target range, falling linearly to ``floor`` at ``tolerance`` outside either bound."""

    method: Literal["range"] = "range"
    tolerance: Quantity
    floor: float = 0

    @model_validator(mode="after")
    def _tolerance_positive(self) -> Self:
        if self.tolerance <= 0:
            raise PydanticCustomError(
                "EP306", "range tolerance must be above 0, got {tolerance}", {"tolerance": self.tolerance}
            )
        return self


class VetoScoring(Node):
    """Zero tolerance: a breach scores 0 and caps the grade (``cap_grade``) or zeroes the total (``zero_total``)."""

    method: Literal["veto"] = "veto"
    effect: Literal["cap_grade", "zero_total"] = "cap_grade"


def _method_shorthand(value: Any) -> Any:
    return {"method": value} if isinstance(value, str) else value


SHORTHAND_METHODS = ("linear", "threshold", "veto")
"""The methods that need no parameters and so can be named alone (``scoring: veto``)."""

_Methods = Annotated[
    LinearScoring | ThresholdScoring | BandsScoring | InterpolateScoring | RangeScoring | VetoScoring,
    Field(discriminator="method"),
]

ScoringMethod = Annotated[
    _Methods,
    # The editor schema names what the shorthand accepts: a parameterless method's name, or a mapping.
    BeforeValidator(_method_shorthand, json_schema_input_type=Literal[SHORTHAND_METHODS] | _Methods),
]
"""A scoring method: a name (``veto``) or a mapping with ``method`` and its parameters."""
