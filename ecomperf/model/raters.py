"""Several raters for one metric: who rates it and how their ratings combine into one.

A metric with ``raters`` is measured by people (self, manager, peers …) rather than read from a system.
Each rating arrives as ``metric@role`` (``quality@manager``) or ``metric@role:who`` (``quality@peer:wang``,
several raters of one role); :mod:`ecomperf.scoring.raters` combines them:

* ``mean`` (default): the mean of every rating, each rater counting once;
* ``weighted``: each role's ratings averaged, then the roles weighted by their ``weight``;
* ``trimmed_mean``: the ratings sorted, ``⌊trim × n⌋`` dropped from each end, the rest averaged (the
  definition of ``scipy.stats.trim_mean``; with few ratings nothing is dropped).

``of: ratings`` (default) combines the ratings into one actual and scores it once, as if the metric had
been measured; ``of: scores`` scores each rating against the KPI's target and combines the scores. The two
differ when the method is not a straight line: against ``>= 4`` with threshold scoring, ratings 5 and 3
combine to 4 (100 points) before scoring, and to 100 and 0 (50 points) after.

Raters are anonymous in every output unless their role says ``anonymous: false``: a card shows the role
(``peer``) and numbers the raters of a role, never who they are.

Example YAML::

    kind: Metric
    id: teamwork
    unit: score
    raters:
      combine: weighted
      roles:
        - {id: self, weight: 20}
        - {id: manager, weight: 50}
        - {id: peer, weight: 30}
"""


from typing import Annotated, Any, Literal, Self, TypeAlias

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from ecomperf.model.common import Id, Node, Quantity

__all__ = ["Combine", "CombineOf", "RaterRole", "Raters"]

Combine: TypeAlias = Literal["mean", "weighted", "trimmed_mean"]
"""How ratings combine: plain mean, weighted by role, or mean after trimming both ends."""

CombineOf: TypeAlias = Literal["ratings", "scores"]
"""What is combined: the ratings (before scoring) or each rating's score (after scoring)."""


class RaterRole(Node):
    """One role that rates the metric (``self``, ``manager``, ``peer`` …).

    ``weight`` is the role's share under ``combine: weighted`` (any positive sizes); ``anonymous: false``
    shows who each rater of the role is (``peer wang``) instead of numbering them (``peer 1``).
    """

    id: Id
    weight: Quantity | None = Field(default=None, gt=0)
    anonymous: bool = True


def _role_shorthand(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


class Raters(Node):
    """Who rates a metric and how the ratings combine; see :mod:`ecomperf.model.raters`."""

    roles: list[Annotated[RaterRole, BeforeValidator(_role_shorthand, json_schema_input_type=Id | RaterRole)]] = Field(
        min_length=1)
    combine: Combine = "mean"
    of: CombineOf = "ratings"
    trim: Quantity | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [role.id for role in self.roles]
        twice = sorted({role for role in ids if ids.count(role) > 1})
        if twice:
            raise PydanticCustomError(
                "EP312", "rater role {roles} is listed twice; list each role once", {"roles": ", ".join(twice)}
            )
        unweighted = [role.id for role in self.roles if role.weight is None]
        weighted = [role.id for role in self.roles if role.weight is not None]
        if self.combine == "weighted" and unweighted:
            raise PydanticCustomError(
                "EP312",
                "combine: weighted needs a weight on every role; {roles} has none",
                {"roles": ", ".join(unweighted)},
            )
        if self.combine != "weighted" and weighted:
            raise PydanticCustomError(
                "EP312",
                "role weights ({roles}) count only with combine: weighted, not {combine}",
                {"roles": ", ".join(weighted), "combine": self.combine},
            )
        if self.combine == "trimmed_mean":
            if self.trim is None:
                raise PydanticCustomError(
                    "EP312", "combine: trimmed_mean needs trim, the share cut from each end (e.g. trim: 10%)", {}
                )
            if not 0 <= self.trim < 0.5:
                raise PydanticCustomError(
                    "EP312",
                    "trim {trim} is the share cut from each end and must be at least 0 and below 50%",
                    {"trim": self.trim},
                )
        elif self.trim is not None:
            raise PydanticCustomError(
                "EP312", "trim counts only with combine: trimmed_mean, not {combine}", {"combine": self.combine}
            )
        return self

    @property
    def role_ids(self) -> list[str]:
        """The role ids in declaration order."""
        return [role.id for role in self.roles]

    def role(self, role_id: str) -> RaterRole | None:
        """The role ``role_id``, or ``None`` when the metric declares no such role."""
        return next((role for role in self.roles if role.id == role_id), None)
