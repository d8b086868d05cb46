"""``kind: TargetPlan`` — a target of a summed metric, phased over quarters and months and split by owner.

A plan says, for one summed metric (GMV, new users …), what the whole of a year or a quarter must
reach, how that total is spread over the quarters and months (evenly unless shares are declared: a
Double 11 month may carry more), and which positions carry the whole of it or a share of it. Scoring
uses the planned amount of a position's KPI for the period scored instead of pro-rating the
scorecard's target evenly; ``ecomperf plan`` prints the calendar. The arithmetic is in
:mod:`ecomperf.scoring.decompose`; the checks (shares that sum to 100%, a metric that is summed) in
:mod:`ecomperf.validation.plans`.
"""


from typing import Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from ecomperf.model.common import Document, Id, LocalizedText, Node, Quantity
from ecomperf.periods import Period, PeriodError

__all__ = ["PlanShare", "TargetPlan"]


class PlanShare(Node):
    """One owner's share of a plan: a position (a team is declared as the position that stands for it)
    and the fraction of the total it must deliver, in every period of the plan.

    ``kpi`` names the metric the owner is scored on when it is not the plan's own metric (product
    operations answer for the GMV of the products they selected: ``selected_product_gmv``).
    """

    position: Id
    share: Quantity
    kpi: Id | None = None
    note: LocalizedText | None = None


class TargetPlan(Document):
    """A decomposed target: ``total`` of ``metric`` over ``period``, phased and split by owner.

    Example YAML::

        kind: TargetPlan
        id: gmv_2026
        name: {zh: 2026年GMV目标分解, en: 2026 GMV target breakdown}
        metric: gmv
        period: "2026"
        total: 1亿
        owner: head_of_ecommerce
        months: {2026-10: 30%, 2026-11: 45%, 2026-12: 25%}
        shares:
          - {position: product_ops_specialist, share: 30%, kpi: selected_product_gmv}
          - {position: channel_ops_specialist, share: 20%, kpi: channel_gmv}
        unassigned: 50%
    """

    kind: Literal["TargetPlan"]
    name: LocalizedText
    description: LocalizedText | None = None
    metric: Id
    period: str
    total: Quantity = Field(gt=0)
    owner: Id | None = None
    quarters: dict[str, Quantity] = {}
    months: dict[str, Quantity] = {}
    shares: list[PlanShare] = []
    unassigned: Quantity | None = None

    @field_validator("period", mode="before")
    @classmethod
    def _year_or_quarter(cls, value: object) -> object:
        try:
            period = Period.parse(value)  # type: ignore[arg-type]
        except PeriodError as exc:
            raise PydanticCustomError("EP505", "{reason}", {"reason": str(exc)}) from None
        if period.kind == "month":
            raise PydanticCustomError(
                "EP505",
                "a plan covers a year ('2026') or a quarter ('2026-Q1'), not the month {period}; "
                "a month's target is the scorecard's own",
                {"period": str(period)},
            )
        return str(period)

    @property
    def covers(self) -> Period:
        """The period the total covers."""
        return Period.parse(self.period)
