"""The missing-value policy: one definition, used by the scalar engine, the batch engine and the CLI."""

from __future__ import annotations

import pytest

from ecomperf.cli.score import MissingOption
from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from ecomperf.scoring.missing import MISSING_POLICIES, check_policy


def test_the_policies_in_order() -> None:
    assert MISSING_POLICIES == ("error", "renormalize", "zero")


def test_the_cli_offers_exactly_the_policies() -> None:
    assert tuple(option.value for option in MissingOption) == MISSING_POLICIES


@pytest.mark.parametrize("policy", MISSING_POLICIES)
def test_a_policy_is_accepted(policy: str) -> None:
    assert check_policy(policy) == policy


def test_scalar_and_batch_refuse_a_misspelt_policy_with_the_same_message(mini: Framework) -> None:
    expected = "missing='renormalise' is not a policy; use 'error', 'renormalize', 'zero'; did you mean 'renormalize'?"
    with pytest.raises(ScoringError) as scalar:
        mini.score("service_agent", stage="startup", period="2026-10", actuals={}, missing="renormalise")  # type: ignore[arg-type]
    with pytest.raises(ScoringError) as batch:
        mini.score_many([], missing="renormalise")  # type: ignore[arg-type]
    assert str(scalar.value) == str(batch.value) == expected


def test_score_many_on_the_facade_reports_progress(mini: Framework) -> None:
    rows = [{"employee": f"e{i}", "position": "service_agent", "stage": "startup", "period": "2026-10",
             "inquiry_response_hours": 12} for i in range(3)]
    seen: list[int] = []
    mini.score_many(rows, progress=seen.append)
    assert sum(seen) == 3
