"""The score scale for display: totals shown out of 5 or 10 beside their points, rounded as declared.

``rules.display_scale: 5`` shows a total of 75.33 points as 3.77 out of 5 (``total × 5 / 100``), rounded
half up to 2 decimals unless the Framework declares otherwise (``{out_of: 5, decimals: 3}``). Grades,
bonuses and improvement plans stay defined on points; the scale is for people used to stars (Frappe,
OrangeHRM). :meth:`DisplayScale.shown` is the one home of the conversion.

Example:
    >>> DisplayScale(out_of=5, decimals=3).shown(75.333333333)
    3.767
"""


from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import BeforeValidator, Field

from ecomperf.model.common import Node, Quantity

__all__ = ["POINT_DECIMALS", "DisplayScale", "DisplayScaleSpec", "shown_points"]

_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


class DisplayScale(Node):
    """Show totals out of ``out_of`` (5, 10 …) with ``decimals`` places, rounded ``half_up`` or ``half_even``."""

    out_of: Quantity = Field(gt=0)
    decimals: int = Field(default=2, ge=0, le=6)
    rounding: Literal["half_up", "half_even"] = "half_up"

    def shown(self, points: float) -> float:
        """``points`` (out of 100) on this scale, rounded as declared.

        The arithmetic is decimal on the shortest text of the float, so 3.7666666665 rounds to 3.767 and
        8.825 to 8.83 (half up), as a person rounding the printed number would.

        Example:
            >>> DisplayScale(out_of=10).shown(88.25), DisplayScale(out_of=10, rounding="half_even").shown(88.25)
            (8.83, 8.82)
        """
        exact = Decimal(repr(float(points))) * Decimal(repr(float(self.out_of))) / Decimal(100)
        step = Decimal(1).scaleb(-self.decimals)
        return float(exact.quantize(step, rounding=_ROUNDING[self.rounding])) + 0.0

    @property
    def label(self) -> str:
        """The scale as people write it: ``"5"``, ``"10"``, ``"4.5"``.

        Example:
            >>> DisplayScale(out_of=5).label
            '5'
        """
        return f"{self.out_of:g}"


def _number_shorthand(value: Any) -> Any:
    return {"out_of": value} if isinstance(value, int | float | str) and not isinstance(value, bool) else value


DisplayScaleSpec = Annotated[
    DisplayScale, BeforeValidator(_number_shorthand, json_schema_input_type=Quantity | DisplayScale)
]
"""A display scale as written: a number (``5``, the maximum, 2 decimals half up) or the long form."""


POINT_DECIMALS: Final = 2
"""Decimal places of points (totals, section subtotals, KPI scores) in the tables people read: the CSV, the
workbook's number format, the Markdown table and the terminal. JSON keeps the full precision."""

POINTS: Final = DisplayScale(out_of=100, decimals=POINT_DECIMALS)
"""Points shown as points: 100 out of 100, :data:`POINT_DECIMALS` places, half up."""


def shown_points(points: float) -> float:
    """``points`` rounded as tables show them (:data:`POINT_DECIMALS` places, half up).

    >>> shown_points(105.9999992), shown_points(77.998050049), shown_points(88.125)
    (106.0, 78.0, 88.13)
    """
    return POINTS.shown(points)
