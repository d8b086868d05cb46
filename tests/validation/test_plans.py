"""Target-plan rules: each code with a minimal plan, its exact location and message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ecomperf
from ecomperf.loading.documents import LoadResult
from ecomperf.validation.plans import summed
from tests.conftest import REPO, codes_at

HEAD = """\
apiVersion: ecomperf/v1
kind: TargetPlan
id: gmv_2026
name: {zh: GMV目标, en: GMV target}
metric: gmv
period: "2026"
total: 1200万
"""

Load = Callable[..., LoadResult]
TWO_SHARES = "shares:\n  - {position: manager, share: %s}\n  - {position: channel_lead, share: %s}\n"


def _plan(load_problems: Load, body: str) -> LoadResult:
    return load_problems({"plans.yaml": HEAD + body})


def _messages(result: LoadResult, code: str) -> list[str]:
    return [p.message for p in result.problems if p.code == code]


def test_a_clean_plan_loads_without_problems(load_problems: Load) -> None:
    result = _plan(load_problems, "owner: manager\nshares: [{position: channel_lead, share: 20%, kpi: cac}]\n"
                                  "unassigned: 80%\n")
    assert codes_at(result) == []
    assert result.framework is not None and list(result.framework.plans) == ["gmv_2026"]


def test_ep501_quarter_shares_must_sum_to_100(load_problems: Load) -> None:
    quarters = "quarters: {2026-Q1: 20%, 2026-Q2: 20%, 2026-Q3: 20%, 2026-Q4: 30%}\n"
    result = _plan(load_problems, "owner: manager\n" + quarters)
    assert codes_at(result) == [("EP501", "plans.yaml:9:12")]  # the first key of the group
    assert _messages(result, "EP501") == [
        "quarter shares of the year 2026 sum to 90%, not 100% (2026-Q1 20% + 2026-Q2 20% + 2026-Q3 20% + 2026-Q4 30%)"]


def test_ep501_a_quarter_listed_in_part_names_the_months_missing(load_problems: Load) -> None:
    result = _plan(load_problems, "owner: manager\nmonths: {2026-11: 60%, 2026-12: 40%}\n")
    assert _messages(result, "EP501") == ["months lists 2026-11, 2026-12 of the quarter 2026-Q4 but not 2026-10"]


def test_ep501_a_share_above_100_percent(load_problems: Load) -> None:
    result = _plan(load_problems, "owner: manager\nmonths: {2026-10: 120%, 2026-11: -10%, 2026-12: -10%}\n")
    assert _messages(result, "EP501") == ["months: the share of 2026-10 is 120%; a share lies between 0% and 100%"]


def test_ep502_owners_shares_above_100(load_problems: Load) -> None:
    result = _plan(load_problems, TWO_SHARES % ("70%", "40%"))
    assert codes_at(result) == [("EP502", "plans.yaml:8:1")]
    assert "sum to 110%, more than 100% (manager 70% + channel_lead 40%)" in _messages(result, "EP502")[0]


def test_ep502_a_declared_remainder_must_match(load_problems: Load) -> None:
    result = _plan(load_problems, "shares: [{position: manager, share: 30%}]\nunassigned: 60%\n")
    assert _messages(result, "EP502") == [
        "owners' shares (manager 30%) leave 70% (840万) unassigned, but the plan declares unassigned: 60%"]


def test_ep503_warns_with_the_size_of_the_remainder(load_problems: Load) -> None:
    # 1200万 × (100% - 30% - 20%) = 600万 assigned to nobody
    result = _plan(load_problems, TWO_SHARES % ("30%", "20%"))
    [problem] = result.problems
    assert (problem.code, problem.severity) == ("EP503", "warning")
    assert problem.message == ("owners' shares of plan 'gmv_2026' sum to 50%: 50% (600万) of the total is assigned "
                               "to nobody (manager 30% + channel_lead 20%)")
    assert result.framework is not None  # a warning: the framework loads


def test_ep504_a_rate_cannot_be_decomposed(load_problems: Load) -> None:
    result = load_problems({"plans.yaml": HEAD.replace("metric: gmv", "metric: margin") + "owner: manager\n"})
    assert codes_at(result) == [("EP504", "plans.yaml:5:1")]
    assert "metric 'margin' does not add up over months (its formula (revenue - cost) / revenue)" in _messages(
        result, "EP504")[0]


def test_ep504_an_owner_kpi_in_another_unit(load_problems: Load) -> None:
    result = _plan(load_problems, "shares: [{position: channel_lead, share: 20%, kpi: violations}]\nunassigned: 80%\n")
    messages = _messages(result, "EP504")
    assert any("has direction zero" in m for m in messages)


def test_ep505_phasing_keys_outside_the_plan(load_problems: Load) -> None:
    result = _plan(load_problems, "owner: manager\nquarters: {2027-Q1: 100%}\n")
    assert ("EP505", "plans.yaml:9:12") in codes_at(result)
    assert "quarters: '2027-Q1' is not a quarter of the plan's period 2026" in _messages(result, "EP505")


def test_ep505_a_month_is_not_a_plan_period(load_problems: Load) -> None:
    result = load_problems({"plans.yaml": HEAD.replace('period: "2026"', "period: 2026-10") + "owner: manager\n"})
    assert [code for code, _ in codes_at(result)] == ["EP505"]


def test_ep506_the_same_position_twice_for_overlapping_periods(load_problems: Load) -> None:
    second = HEAD.replace("id: gmv_2026", "id: gmv_q1").replace('period: "2026"', "period: 2026-Q1")
    result = load_problems({"plans.yaml": HEAD + "owner: manager\n---\n" + second + "owner: manager\n"})
    assert codes_at(result) == [("EP506", "plans.yaml:17:1")]
    assert _messages(result, "EP506")[0].startswith("manager already carries gmv for 2026 in plan 'gmv_2026'")


def test_unknown_metric_and_position_in_a_plan(load_problems: Load) -> None:
    result = load_problems({"plans.yaml": HEAD.replace("metric: gmv", "metric: gmvv") + "owner: manger\n"})
    assert sorted(code for code, _ in codes_at(result)) == ["EP201", "EP203"]
    assert "unknown metric 'gmvv'; did you mean 'gmv'?" in _messages(result, "EP201")


def test_plan_text_is_checked_for_every_locale(load_problems: Load) -> None:
    result = load_problems({"plans.yaml": HEAD.replace("{zh: GMV目标, en: GMV target}", "{zh: GMV目标}")
                            + "owner: manager\n"})
    assert [(p.code, p.message) for p in result.problems] == [("EP405", "name: no en text")]


def test_summed_follows_sums_of_summed_metrics() -> None:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    assert summed(fw, "gmv")  # gmv_self_operated + gmv_third_party, both summed
    assert not summed(fw, "gross_margin")
    assert not summed(fw, "repurchase_rate")


def test_the_bundled_plans_encode_the_seed_breakdown(tmp_path: Path) -> None:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    annual, quarter = fw.plans["gmv_2026"], fw.plans["store_gmv_2026_q1"]
    assert (annual.total, annual.owner, annual.unassigned) == (100_000_000, "head_of_ecommerce", 0.5)
    assert [(s.position, s.share) for s in annual.shares] == [("product_ops_specialist", 0.3),
                                                               ("channel_ops_specialist", 0.2)]
    assert (quarter.period, quarter.total, quarter.owner) == ("2026-Q1", 20_000_000, "store_manager")
