"""The missing-value policy: what happens to a KPI (or one rater's rating) that has no actual. Its one home.

- ``error`` (default): the card is refused, and the error lists every KPI without a value;
- ``renormalize``: the KPI is dropped and the remaining weights scale up to the full total (within its
  section when the sections carry weights); a missing rater is dropped and the other ratings combine;
- ``zero``: the KPI is scored 0 at its full weight; a missing rater counts as a rating of 0 (combined
  before scoring) or a score of 0 (combined after scoring), which is how Frappe counts an absent
  self-appraisal.

The run chooses a default (``missing=`` of :func:`ecomperf.scoring.card.score`, ``--missing``). A metric
may declare its own ``missing:``, and a scorecard entry its own, which wins over the metric's: the rule of
one KPI is :func:`policy_for`. "n/a" is not missing: it takes the KPI (or the rater) off under every policy.

Example:
    >>> check_policy("renormalize")
    'renormalize'
    >>> policy_for("renormalize", entry=None, metric="zero")
    'zero'
"""

from __future__ import annotations

from typing import Final, get_args

from ecomperf.errors import ScoringError
from ecomperf.model.missing import MissingRule
from ecomperf.suggest import did_you_mean

__all__ = ["MISSING_POLICIES", "MissingPolicy", "check_policy", "policy_for"]

MissingPolicy = MissingRule
"""What to do with a KPI that has no actual: raise, drop it and renormalise the weights, or score it 0."""

MISSING_POLICIES: Final[tuple[MissingPolicy, ...]] = get_args(MissingRule)
"""Every policy, in the order the documentation lists them."""


def check_policy(missing: object) -> MissingPolicy:
    """``missing`` as a policy.

    Raises:
        ScoringError: ``missing`` is not one of :data:`MISSING_POLICIES` (with a "did you mean").
    """
    for policy in MISSING_POLICIES:
        if missing == policy:
            return policy
    raise ScoringError(
        f"missing={missing!r} is not a policy; use {', '.join(map(repr, MISSING_POLICIES))}"
        + did_you_mean(str(missing), MISSING_POLICIES)
    )


def policy_for(run: MissingPolicy, *, entry: MissingPolicy | None, metric: MissingPolicy | None) -> MissingPolicy:
    """The policy of one KPI: the scorecard entry's ``missing``, else the metric's, else the run's.

    Example:
        >>> policy_for("error", entry="zero", metric="renormalize"), policy_for("zero", entry=None, metric=None)
        ('zero', 'zero')
    """
    if entry is not None:
        return entry
    return metric if metric is not None else run
