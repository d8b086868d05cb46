"""``kind: Metric`` — a measured input or a KPI computed by a formula."""


from functools import cached_property, lru_cache
from typing import Literal, Self

from pydantic import field_validator, model_validator
from pydantic_core import PydanticCustomError

from ecomperf.formula import Formula, FormulaError
from ecomperf.model.common import Cycle, Document, Id, LocalizedText, Quantity
from ecomperf.model.missing import MissingRule
from ecomperf.model.raters import Raters

__all__ = ["UNIT_BOUNDS", "Aggregate", "Direction", "Metric", "Unit"]

Unit = Literal["percent", "ratio", "currency", "count", "days", "hours", "score", "times"]
Direction = Literal["higher", "lower", "range", "zero"]
Aggregate = Literal["sum", "mean", "last", "min", "max", "recompute"]

_parse_formula = lru_cache(maxsize=8192)(Formula.parse)

_Bounds = tuple[float | None, float | None] | None

UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "count": (0.0, None),
    "currency": (0.0, None),
    "hours": (0.0, None),
    "days": (0.0, None),
    "times": (0.0, None),
    "percent": (None, None),
    "ratio": (None, None),
    "score": (None, None),
}
"""The range of values each unit allows when a metric declares no ``bounds`` (``None``: open on that side).

Counts, money, hours, days and turnovers are never negative. Percentages, ratios and scores have no range
of their own: a growth rate may be −5% or +150%, an ROI 3.5, an NPS −20; a metric that is a share of a whole
(an accuracy, a conversion or repurchase rate) declares ``bounds: [0, 1]`` so that 130% is refused.
"""


class Metric(Document):
    """A metric: a base measure (no formula) or a KPI computed from other metrics.

    Percent values are fractions (0.35); ``direction`` says which way is better (``zero`` = zero tolerance).

    Example YAML::

        kind: Metric
        id: gross_margin
        name: {zh: 毛利率, en: Gross margin}
        unit: percent
        direction: higher
        formula: (sales_revenue - cost) / sales_revenue
        cycle: monthly
    """

    kind: Literal["Metric"]
    name: LocalizedText
    unit: Unit
    direction: Direction = "higher"
    formula: str | None = None
    aggregate: Aggregate | None = None
    cycle: Cycle | None = None
    dimension: Id | None = None
    raters: Raters | None = None
    missing: MissingRule | None = None
    bounds: tuple[Quantity | None, Quantity | None] | None = None
    source: LocalizedText | None = None
    definition: LocalizedText | None = None
    note: LocalizedText | None = None

    @field_validator("formula")
    @classmethod
    def _formula_is_safe(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            _parse_formula(value)
        except FormulaError as exc:
            raise PydanticCustomError("EP211", "{reason}", {"reason": exc.message, "offset": exc.offset}) from None
        return value

    @model_validator(mode="after")
    def _recompute_needs_formula(self) -> Self:
        if self.aggregate == "recompute" and self.formula is None:
            raise PydanticCustomError(
                "EP104",
                "aggregate 'recompute' needs a formula; a base measure rolls up by sum, mean, last, min or max",
                {},
            )
        return self

    @field_validator("bounds")
    @classmethod
    def _bounds_in_order(cls, value: _Bounds) -> _Bounds:
        if value is not None:
            low, high = value
            if low is not None and high is not None and low > high:
                raise PydanticCustomError(
                    "EP104", "[{low}, {high}] runs backwards; write the lowest value first, e.g. [0, 1]",
                    {"low": f"{low:g}", "high": f"{high:g}"},
                )
        return value

    @property
    def valid_range(self) -> tuple[float | None, float | None]:
        """The least and the most a value of this metric can be: its ``bounds``, else its unit's
        (:data:`UNIT_BOUNDS`); ``None`` where a side is open.

        Example:
            >>> Metric.model_validate({"apiVersion": "ecomperf/v1", "kind": "Metric", "id": "visitors",
            ...                        "name": "Visitors", "unit": "count"}).valid_range
            (0.0, None)
        """
        return self.bounds if self.bounds is not None else UNIT_BOUNDS[self.unit]

    @cached_property
    def parsed_formula(self) -> Formula | None:
        """The formula parsed once (``None`` for base measures)."""
        return _parse_formula(self.formula) if self.formula is not None else None

    @property
    def inputs(self) -> tuple[str, ...]:
        """Names of the metrics the formula reads (empty for base measures)."""
        parsed = self.parsed_formula
        return parsed.names if parsed else ()

    @property
    def aggregation(self) -> Aggregate:
        """How values roll up over periods: the declared ``aggregate``, else ``recompute`` for formulas,
        ``sum`` for money and counts, ``mean`` for everything else."""
        if self.aggregate is not None:
            return self.aggregate
        if self.formula is not None:
            return "recompute"
        return "sum" if self.unit in {"currency", "count"} else "mean"
