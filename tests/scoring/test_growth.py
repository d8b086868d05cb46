"""How a metric grows with the months its period covers: summed, a level, or neither (refused when fitted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomperf.framework import Framework
from ecomperf.scoring.growth import growth_of

from .conftest import build_framework

FORMULAS = {
    "net_gmv": "gmv - campaign_gmv",  # two sums: a sum
    "gmv_share": "campaign_gmv / gmv",  # a sum over a sum: a level
    "stock_cover": "(inventory_turnover + stock_low) / 2 / orders * visitors",  # level / sum · sum: a level
    "gmv_floor": "gmv - 100",  # a sum minus a constant: neither
    "gmv_squared": "gmv * orders",  # a sum times a sum: neither
    "gmv_at_least": "max(gmv, 100)",  # a sum above 100, a constant below: neither
    "scaled_margin": "gross_margin * 100",  # a formula over a formula: a level
}


@pytest.fixture(scope="module")
def fw(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    extra = "\n---\n".join(
        f"apiVersion: ecomperf/v1\nkind: Metric\nid: {name}\nname: {name}\nunit: count\nformula: {formula}\n"
        for name, formula in FORMULAS.items()
    )
    return build_framework(tmp_path_factory.mktemp("growth"), extra_metrics=extra)


@pytest.mark.parametrize(
    ("metric", "summed"),
    [
        ("gmv", True),  # currency: sum
        ("orders", True),  # count: sum
        ("repurchase_rate", False),  # percent: mean
        ("inventory_turnover", False),  # last
        ("stock_low", False),  # min
        ("conversion_rate", False),  # orders / visitors
        ("net_gmv", True),
        ("gmv_share", False),
        ("stock_cover", False),
        ("gmv_floor", None),
        ("gmv_squared", None),
        ("gmv_at_least", None),
        ("scaled_margin", False),
    ],
)
def test_each_metric_is_summed_a_level_or_neither(fw: Framework, metric: str, summed: bool | None) -> None:
    assert growth_of(fw, fw.metrics[metric]).summed is summed


def test_the_reason_names_the_aggregate_or_the_formula(fw: Framework) -> None:
    assert growth_of(fw, fw.metrics["gmv"]).reason == "it adds up over months (aggregate: sum)"
    assert growth_of(fw, fw.metrics["repurchase_rate"]).reason == "it does not add up over months (aggregate: mean)"
    assert growth_of(fw, fw.metrics["conversion_rate"]).reason == "its formula orders / visitors is a rate or level"
    assert growth_of(fw, fw.metrics["gmv_floor"]).reason == (
        "its formula gmv - 100 neither adds up over months nor stays a level")


def test_a_declared_aggregate_wins_over_the_formula(tmp_path: Path) -> None:
    extra = ("apiVersion: ecomperf/v1\nkind: Metric\nid: gmv_floor\nname: x\nunit: currency\n"
             "formula: gmv - 100\naggregate: sum\n")
    fw = build_framework(tmp_path / "fw", extra_metrics=extra)
    assert growth_of(fw, fw.metrics["gmv_floor"]).summed is True
