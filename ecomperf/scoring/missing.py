"""The missing-value policy: what happens to a KPI that has no actual. Its one home.

- ``error`` (default): the card is refused, and the error lists every KPI without a value;
- ``renormalize``: the KPI is dropped and the remaining weights scale up to the full total;
- ``zero``: the KPI is scored 0 at its full weight.

Example:
    >>> check_policy("renormalize")
    'renormalize'
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from ecomperf.errors import ScoringError
from ecomperf.suggest import did_you_mean

__all__ = ["MISSING_POLICIES", "MissingPolicy", "check_policy"]

MissingPolicy = Literal["error", "renormalize", "zero"]
"""What to do with a KPI that has no actual: raise, drop it and renormalise the weights, or score it 0."""

MISSING_POLICIES: Final[tuple[MissingPolicy, ...]] = get_args(MissingPolicy)
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
