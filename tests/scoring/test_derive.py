"""Formula metrics computed from their inputs (:func:`ecomperf.scoring.derive.derive`), with conditions.

The base framework (conftest) has conversion_rate = orders / visitors; safe_conversion, added here, guards
it against a month without visitors.
"""

from __future__ import annotations

from ecomperf.scoring.derive import derive

from .conftest import Build

SAFE_CONVERSION = """\
    apiVersion: ecomperf/v1
    kind: Metric
    id: safe_conversion
    name: {zh: 转化率（无访客为零）, en: Conversion (zero without visitors)}
    unit: percent
    formula: if(visitors > 0, conversion_rate, 0)
    source: {zh: 后台, en: Back office}
    """


def test_an_undefined_input_in_the_untaken_branch_leaves_the_formula_defined(build: Build) -> None:
    fw = build(extra_metrics=SAFE_CONVERSION)
    derived = derive(fw, {"orders": 5.0, "visitors": 0.0}, ["safe_conversion", "conversion_rate"])
    # 5 / 0 is undefined, but with no visitors safe_conversion takes its else value, 0
    assert derived.values["safe_conversion"] == 0.0
    assert derived.reasons["conversion_rate"][0] == "undefined"
    assert "safe_conversion" not in derived.reasons


def test_the_branch_taken_is_computed_from_its_inputs(build: Build) -> None:
    fw = build(extra_metrics=SAFE_CONVERSION)
    derived = derive(fw, {"orders": 5.0, "visitors": 200.0}, ["safe_conversion"])
    assert derived.values["safe_conversion"] == 0.025  # 5 / 200


def test_an_input_only_the_untaken_branch_reads_may_be_missing(build: Build) -> None:
    fw = build(extra_metrics=SAFE_CONVERSION)
    assert derive(fw, {"visitors": 0.0}, ["safe_conversion"]).values["safe_conversion"] == 0.0  # no orders needed
    reasons = derive(fw, {"visitors": 200.0}, ["safe_conversion"]).reasons
    assert reasons["safe_conversion"] == (
        "missing",
        "cannot compute if(visitors > 0, conversion_rate, 0): conversion_rate has no value "
        "(no actual, and no value for its input orders)",
    )
