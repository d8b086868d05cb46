"""The missing-value policy: one definition, used by the scalar engine, the batch engine and the CLI."""

from __future__ import annotations

import pytest

from ecomperf.cli.score import MissingOption
from ecomperf.errors import ScoringError
from ecomperf.framework import Framework
from ecomperf.scoring.missing import MISSING_POLICIES, check_policy
from tests.scoring.conftest import Build


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


def test_the_entry_rule_wins_over_the_metric_and_the_run() -> None:
    from ecomperf.scoring.missing import policy_for

    assert policy_for("error", entry="zero", metric="renormalize") == "zero"
    assert policy_for("error", entry=None, metric="renormalize") == "renormalize"
    assert policy_for("zero", entry=None, metric=None) == "zero"



# --- per metric and per scorecard entry -----------------------------------------------------------

SURVEY = """\
    apiVersion: ecomperf/v1
    kind: Metric
    id: survey
    name: {zh: 满意度, en: Survey}
    unit: score
    cycle: monthly
    source: {zh: 问卷, en: Survey}
    missing: zero
    """

SELLER = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: seller
    name: {zh: 销售, en: Seller}
    scorecard:
      stages:
        startup:
          - {kpi: gmv, weight: 50, target: ">= 2000万"}
          - {kpi: repurchase_rate, weight: 30, target: ">= 35%"ENTRY}
          - {kpi: survey, weight: 20, target: ">= 4"}
    """


def _seller(build: Build, entry: str = "") -> Framework:
    return build(positions=SELLER.replace("ENTRY", f", missing: {entry}" if entry else ""), extra_metrics=SURVEY)


def test_a_metric_rule_overrides_the_run(build: Build) -> None:
    # survey says zero: without it the card scores 0 at weight 20, even though the run says error:
    # (50*100 + 30*100 + 20*0) / 100 = 80
    card = _seller(build).score("seller", stage="startup", period="2026-10",
                                actuals={"gmv": 2e7, "repurchase_rate": 0.35})
    assert card.total == 80.0
    assert card.kpis[2].notes[-1] == "missing (no actual for 2026-10): scored 0 under missing='zero'"


def test_an_entry_rule_overrides_the_metric_and_the_run(build: Build) -> None:
    # repurchase_rate renormalizes on this card; survey still zero: (50*100 + 20*0) / 70 = 71.428571429
    fw = _seller(build, entry="renormalize")
    card = fw.score("seller", stage="startup", period="2026-10", actuals={"gmv": 2e7}, missing="error")
    assert [d.kpi for d in card.dropped] == ["repurchase_rate"]
    assert card.total == 71.428571429


def test_an_error_rule_refuses_even_under_a_lenient_run(build: Build) -> None:
    fw = _seller(build, entry="error")
    with pytest.raises(ScoringError) as raised:
        fw.score("seller", stage="startup", period="2026-10", actuals={"gmv": 2e7, "survey": 4},
                 missing="renormalize")
    assert raised.value.missing == ("repurchase_rate",)
