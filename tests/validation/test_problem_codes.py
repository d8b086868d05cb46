"""One test per problem code: a minimal bad framework and the exact code, location and message expected.

Locations are ``file:line:column`` (1-based). Each test states in a comment which token it points at.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from ecomperf.loading.documents import LoadResult
from tests.conftest import BASE_FILES, codes_at

Load = Callable[..., LoadResult]

MANAGER = """\
apiVersion: ecomperf/v1
kind: Position
id: manager
name: {zh: 店长, en: Manager}
level: mid
modules: [product_ops]
scorecard:
  stages:
    startup:
      - {kpi: gmv, weight: 60, target: ">= 100万"}
      - {kpi: margin, weight: 40, target: ">= 40%"}
"""
CHANNEL_LEAD = textwrap.dedent(BASE_FILES["positions.yaml"]).split("---\n")[1]


def positions(manager: str) -> dict[str, str | None]:
    """The positions file with ``manager`` (a variant of MANAGER) first and the channel lead second."""
    return {"positions.yaml": manager + "---\n" + CHANNEL_LEAD}


def only(result: LoadResult, code: str) -> list[tuple[str, str]]:
    return [item for item in codes_at(result) if item[0] == code]


def message(result: LoadResult, code: str) -> str:
    return next(p.message for p in result.problems if p.code == code)


def test_base_framework_is_clean(load_problems: Load) -> None:
    assert load_problems().problems == ()


def test_ep101_yaml_syntax_error_points_at_the_bad_token(load_problems: Load) -> None:
    result = load_problems({"extra.yaml": "apiVersion: ecomperf/v1\nkind: Metric\nid: [oops\n"})
    # the flow sequence opened on line 3 is never closed: the parser notices at the end of input (4:1),
    # and the problem points at the bracket that needs closing
    assert only(result, "EP101") == [("EP101", "extra.yaml:3:5")]
    assert "YAML syntax error" in message(result, "EP101")


def test_ep101_python_tags_are_refused_not_constructed(load_problems: Load) -> None:
    bad = "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: !!python/object/apply:os.system [echo hacked]\n"
    result = load_problems({"extra.yaml": bad})
    assert only(result, "EP101") == [("EP101", "extra.yaml:4:7")]
    assert "not allowed" in message(result, "EP101")


def test_ep102_duplicate_key_names_both_lines(load_problems: Load) -> None:
    bad = "apiVersion: ecomperf/v1\nkind: Metric\nid: dup\nname: A\nunit: count\nname: B\n"
    result = load_problems({"extra.yaml": bad})
    assert only(result, "EP102") == [("EP102", "extra.yaml:6:1")]
    assert message(result, "EP102") == "duplicate key 'name': first at line 4, again here"
    problem = next(p for p in result.problems if p.code == "EP102")
    assert problem.related[0].line == 4


def test_ep103_unknown_field_suggests_the_close_name(load_problems: Load) -> None:
    bad = "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: count\ndirecton: lower\n"
    result = load_problems({"extra.yaml": bad})
    assert only(result, "EP103") == [("EP103", "extra.yaml:6:1")]
    assert message(result, "EP103") == "unknown field 'directon'; did you mean 'direction'?"


def test_ep103_unknown_field_inside_a_kpi_entry_points_at_that_field(load_problems: Load) -> None:
    bad = MANAGER.replace('{kpi: margin, weight: 40, target: ">= 40%"}', '{kpi: margin, wieght: 40, target: ">= 40%"}')
    result = load_problems(positions(bad))
    # line 11 is the margin entry; "wieght" starts at column 23 (after "      - {kpi: margin, ")
    assert ("EP103", "positions.yaml:11:23") in codes_at(result)
    assert "did you mean 'weight'?" in message(result, "EP103")


def test_ep104_wrong_value_points_at_the_field(load_problems: Load) -> None:
    bad = "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: kilos\n"
    result = load_problems({"extra.yaml": bad})
    assert only(result, "EP104") == [("EP104", "extra.yaml:5:1")]
    assert "unit" in message(result, "EP104") and "'kilos'" in message(result, "EP104")


def test_ep104_bad_target_says_what_it_got_and_shows_an_example(load_problems: Load) -> None:
    bad = MANAGER.replace('target: ">= 40%"', 'target: "40%"')
    result = load_problems(positions(bad))
    # the problem points at the `target:` key of the margin entry
    assert ("EP104", "positions.yaml:11:35") in codes_at(result)
    text = message(result, "EP104")
    assert "'40%' has no operator" in text and '">= 95%"' in text


def test_ep104_leading_zero_number_is_refused_as_ambiguous(load_problems: Load) -> None:
    bad = "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: count\ndefinition: 012\n"
    result = load_problems({"extra.yaml": bad})
    assert only(result, "EP104") == [("EP104", "extra.yaml:6:13")]
    assert "ambiguous" in message(result, "EP104")


def test_ep104_yes_is_text_not_a_boolean(load_problems: Load) -> None:
    bad = BASE_FILES["modules.yaml"].replace("{id: selection, text:", "{id: selection, shared: yes, text:")
    result = load_problems({"modules.yaml": bad})
    assert only(result, "EP104") == [("EP104", "modules.yaml:6:21")]
    assert message(result, "EP104") == "responsibilities.0.shared: Input should be a valid boolean, got 'yes'"


def test_ep104_nan_target_is_refused(load_problems: Load) -> None:
    bad = MANAGER.replace('target: ">= 40%"', 'target: {op: ">=", value: .nan}')
    result = load_problems(positions(bad))
    assert "finite" in message(result, "EP104")


def test_ep105_unknown_kind_suggests_the_close_one(load_problems: Load) -> None:
    result = load_problems({"extra.yaml": "apiVersion: ecomperf/v1\nkind: Postion\nid: x\n"})
    assert only(result, "EP105") == [("EP105", "extra.yaml:2:1")]
    assert message(result, "EP105") == "kind 'Postion' is not a known kind; did you mean 'Position'?"


def test_ep105_missing_api_version(load_problems: Load) -> None:
    result = load_problems({"extra.yaml": "kind: Metric\nid: x\n"})
    assert only(result, "EP105") == [("EP105", "extra.yaml:1:1")]
    assert message(result, "EP105") == "apiVersion is missing; expected ecomperf/v1"


def test_ep106_no_framework_document(load_problems: Load) -> None:
    result = load_problems({"framework.yaml": None})
    assert [code for code, _ in codes_at(result)] == ["EP106"]


def test_ep106_two_framework_documents(load_problems: Load) -> None:
    second = BASE_FILES["framework.yaml"].replace("id: test-fw", "id: other")
    result = load_problems({"zz.yaml": second})
    assert only(result, "EP106") == [("EP106", "zz.yaml:2:1")]


def test_ep107_missing_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import ecomperf

    result = ecomperf.load_documents(tmp_path / "nope")
    assert [p.code for p in result.problems] == ["EP107"]


def test_ep201_unknown_metric_on_scorecard(load_problems: Load) -> None:
    bad = MANAGER.replace("{kpi: margin,", "{kpi: marg1n,")
    result = load_problems(positions(bad))
    assert only(result, "EP201") == [("EP201", "positions.yaml:11:10")]  # the `kpi:` key of the entry
    assert message(result, "EP201") == "unknown metric 'marg1n'; did you mean 'margin'?"


def test_ep202_unknown_module(load_problems: Load) -> None:
    bad = MANAGER.replace("modules: [product_ops]", "modules: [product_op]")
    result = load_problems(positions(bad))
    assert only(result, "EP202") == [("EP202", "positions.yaml:6:11")]
    assert "did you mean 'product_ops'?" in message(result, "EP202")


def test_ep203_unknown_position_in_reports_to(load_problems: Load) -> None:
    bad = BASE_FILES["positions.yaml"].replace("reports_to: manager", "reports_to: manger")
    result = load_problems({"positions.yaml": bad})
    assert only(result, "EP203") == [("EP203", "positions.yaml:19:1")]
    assert "did you mean 'manager'?" in message(result, "EP203")


def test_ep204_unknown_stage_points_at_the_stage_key(load_problems: Load) -> None:
    bad = MANAGER.replace("    startup:", "    startp:")
    result = load_problems(positions(bad))
    assert only(result, "EP204") == [("EP204", "positions.yaml:9:5")]
    assert "did you mean 'startup'?" in message(result, "EP204")


def test_ep205_unknown_context_value_in_variant(load_problems: Load) -> None:
    bad = (
        MANAGER
        + '      - {kpi: cac, weight: 0, target: "<= 40", variants: [{when: {category: food}, target: "<= 30"}]}\n'
    )
    result = load_problems(positions(bad))
    assert [code for code, _ in only(result, "EP205")] == ["EP205"]
    assert message(result, "EP205").startswith("unknown category value 'food'")


def test_ep205_level_needs_a_declaration(load_problems: Load) -> None:
    bad = MANAGER.replace("level: mid", "level: senior")
    result = load_problems(positions(bad))
    assert only(result, "EP205") == [("EP205", "positions.yaml:5:1")]


def test_ep206_formula_names_unknown_metric(load_problems: Load) -> None:
    bad = BASE_FILES["metrics.yaml"].replace(
        "formula: (revenue - cost) / revenue", "formula: (revenue - cots) / revenue"
    )
    result = load_problems({"metrics.yaml": bad})
    assert [code for code, _ in only(result, "EP206")] == ["EP206"]
    assert message(result, "EP206") == "unknown metric 'cots'; did you mean 'cost'?"


def test_ep207_formula_cycle_shows_the_path(load_problems: Load) -> None:
    cyc = (
        "apiVersion: ecomperf/v1\nkind: Metric\nid: a\nname: A\nunit: count\nformula: b + 1\n---\n"
        "apiVersion: ecomperf/v1\nkind: Metric\nid: b\nname: B\nunit: count\nformula: a * 2\n"
    )
    result = load_problems({"cycle.yaml": cyc})
    assert [code for code, _ in only(result, "EP207")] == ["EP207"]
    text = message(result, "EP207")
    assert text in {"formula cycle: a -> b -> a", "formula cycle: b -> a -> b"}


def test_ep208_reports_to_cycle(load_problems: Load) -> None:
    bad = MANAGER.replace("level: mid", "level: mid\nreports_to: channel_lead")  # channel_lead reports to manager
    result = load_problems(positions(bad))
    assert [code for code, _ in only(result, "EP208")] == ["EP208"]
    assert "manager" in message(result, "EP208") and "channel_lead" in message(result, "EP208")


def test_ep209_duplicate_document_id(load_problems: Load) -> None:
    dup = "apiVersion: ecomperf/v1\nkind: Metric\nid: gmv\nname: Again\nunit: count\n"
    result = load_problems({"zz.yaml": dup})
    assert only(result, "EP209") == [("EP209", "zz.yaml:3:1")]


def test_ep210_unknown_duty_reference(load_problems: Load) -> None:
    bad = BASE_FILES["modules.yaml"].replace("duty: channel_ops.expansion", "duty: channel_ops.expand")
    result = load_problems({"modules.yaml": bad})
    assert only(result, "EP210") == [("EP210", "modules.yaml:8:6")]
    assert "did you mean 'channel_ops.expansion'?" in message(result, "EP210")


@pytest.mark.parametrize(
    ("formula", "column"),
    [
        ("__import__('os').system('x')", 10),  # the call starts the value: "formula: " is 9 characters
        ("revenue.real", 17),  # the ".real" attribute
        ("revenue ** 2", 18),  # the "**" operator
    ],
)
def test_ep211_disallowed_formula_syntax(load_problems: Load, formula: str, column: int) -> None:
    bad = BASE_FILES["metrics.yaml"].replace("formula: (revenue - cost) / revenue", f"formula: {formula}")
    result = load_problems({"metrics.yaml": bad})
    assert only(result, "EP211") == [("EP211", f"metrics.yaml:32:{column}")]


def test_ep301_weights_sum_points_at_the_stage_key(load_problems: Load) -> None:
    bad = MANAGER.replace("weight: 40,", "weight: 30,")
    result = load_problems(positions(bad))
    assert only(result, "EP301") == [("EP301", "positions.yaml:9:5")]
    assert message(result, "EP301") == "weights of stage 'startup' sum to 90, not 100 (gmv 60 + margin 30)"


RELATIVE_RULES = {"framework.yaml": BASE_FILES["framework.yaml"].replace(
    "veto_caps_grade_at: C\n", "veto_caps_grade_at: C\n          weights: relative\n")}
ONE_TO_THREE = MANAGER.replace("weight: 60,", "weight: 1,").replace("weight: 40,", "weight: 3,")


def test_ep301_relative_weights_of_any_size_are_fine_framework_wide(load_problems: Load) -> None:
    # 1 + 3 = 4 is no sum of points, but relative weights are scaled to 100 (25 and 75)
    assert load_problems({**RELATIVE_RULES, **positions(ONE_TO_THREE)}).problems == ()


def test_ep301_a_scorecard_may_declare_its_own_relative_weights(load_problems: Load) -> None:
    card = ONE_TO_THREE.replace("scorecard:\n", "scorecard:\n  weights: relative\n")
    assert load_problems(positions(card)).problems == ()


def test_ep301_a_scorecard_may_keep_points_where_the_framework_is_relative(load_problems: Load) -> None:
    card = ONE_TO_THREE.replace("scorecard:\n", "scorecard:\n  weights: points\n")
    result = load_problems({**RELATIVE_RULES, **positions(card)})
    assert message(result, "EP301") == "weights of stage 'startup' sum to 4, not 100 (gmv 1 + margin 3)"


def test_ep301_relative_weights_need_one_positive_weight(load_problems: Load) -> None:
    card = MANAGER.replace("weight: 60,", "weight: 0,").replace("weight: 40,", "weight: 0,")
    result = load_problems({**RELATIVE_RULES, **positions(card)})
    assert only(result, "EP301") == [("EP301", "positions.yaml:9:5")]  # the `startup:` key
    assert message(result, "EP301") == (
        "weights of stage 'startup' are relative and sum to 0: there is nothing to normalise to 100"
    )


def test_ep301_hint_offers_relative_weights(load_problems: Load) -> None:
    result = load_problems(positions(ONE_TO_THREE))
    problem = next(p for p in result.problems if p.code == "EP301")
    assert problem.hint == (
        "add 96 points across the KPIs, or declare `weights: relative` on the scorecard to have them scaled to 100"
    )


def test_an_unknown_weights_mode_is_a_type_problem(load_problems: Load) -> None:
    result = load_problems(positions(MANAGER.replace("scorecard:\n", "scorecard:\n  weights: relatve\n")))
    assert only(result, "EP104") == [("EP104", "positions.yaml:8:3")]  # the `weights:` key
    assert "'points' or 'relative'" in message(result, "EP104")


def test_ep302_target_operator_against_direction(load_problems: Load) -> None:
    bad = BASE_FILES["positions.yaml"].replace('target: "<= 40"', 'target: ">= 40"')
    result = load_problems({"positions.yaml": bad})
    assert only(result, "EP302") == [("EP302", "positions.yaml:24:33")]  # the `target:` key
    assert "contradicts metric 'cac' (direction lower)" in message(result, "EP302")


def test_ep303_kpi_listed_twice(load_problems: Load) -> None:
    bad = MANAGER.replace('{kpi: margin, weight: 40, target: ">= 40%"}', '{kpi: gmv, weight: 40, target: ">= 1"}')
    result = load_problems(positions(bad))
    assert only(result, "EP303") == [("EP303", "positions.yaml:11:9")]  # the second entry


def test_ep304_veto_on_a_non_zero_metric(load_problems: Load) -> None:
    bad = BASE_FILES["positions.yaml"].replace(
        '{kpi: cac, weight: 100, target: "<= 40"}', '{kpi: cac, weight: 100, target: "<= 40", scoring: veto}'
    )
    result = load_problems({"positions.yaml": bad})
    assert only(result, "EP304") == [("EP304", "positions.yaml:24:50")]  # the `scoring:` key


def test_ep305_event_weights_must_still_sum_to_100(load_problems: Load) -> None:
    event = (
        "apiVersion: ecomperf/v1\nkind: Event\nid: d11\nname: D11\nperiods: ['*-11']\noverrides:\n"
        "  - position: manager\n    stages: [startup]\n    weights: {gmv: 70}\n"
    )
    result = load_problems({"events.yaml": event})
    assert only(result, "EP305") == [("EP305", "events.yaml:9:5")]
    assert "sum to 110" in message(result, "EP305")


def test_ep305_relative_weights_after_an_event_only_need_one_positive_weight(load_problems: Load) -> None:
    d11 = (
        "apiVersion: ecomperf/v1\nkind: Event\nid: d11\nname: D11\nperiods: ['*-11']\noverrides:\n"
        "  - position: manager\n    stages: [startup]\n    weights: {gmv: 5}\n"
    )
    # relative 5 and 40 are scaled to 11.1 and 88.9: nothing to report
    assert load_problems({**RELATIVE_RULES, "events.yaml": d11}).problems == ()
    zeroed = d11.replace("weights: {gmv: 5}", "weights: {gmv: 0, margin: 0}")
    result = load_problems({**RELATIVE_RULES, "events.yaml": zeroed})
    assert only(result, "EP305") == [("EP305", "events.yaml:9:5")]
    assert message(result, "EP305") == (
        "during 'd11', manager's 'startup' weights are relative and sum to 0: there is nothing to normalise to 100"
    )


def test_ep306_bands_with_a_gap_at_the_bottom(load_problems: Load) -> None:
    bad = MANAGER.replace(
        '{kpi: margin, weight: 40, target: ">= 40%"}',
        '{kpi: margin, weight: 40, target: ">= 40%", scoring: {method: bands, '
        "bands: [{min_achievement: 1, score: 100}, {min_achievement: 0.5, score: 50}]}}",
    )
    result = load_problems(positions(bad))
    assert [code for code, _ in only(result, "EP306")] == ["EP306"]
    assert "min_achievement: 0" in message(result, "EP306")


def test_ep306_interpolate_anchors_out_of_order(load_problems: Load) -> None:
    bad = MANAGER.replace(
        '{kpi: margin, weight: 40, target: ">= 40%"}',
        '{kpi: margin, weight: 40, target: ">= 40%", scoring: {method: interpolate, threshold: 50%, stretch: 60%}}',
    )
    result = load_problems(positions(bad))
    assert only(result, "EP306") == [("EP306", "positions.yaml:11:53")]  # the `scoring:` key
    assert "threshold < target < stretch" in message(result, "EP306")


def test_ep307_overlapping_events_warn(load_problems: Load) -> None:
    events = (
        "apiVersion: ecomperf/v1\nkind: Event\nid: a\nname: A\nperiods: ['*-11']\noverrides:\n"
        "  - {position: manager, stages: [mature], weights: {gmv: 100}}\n---\n"
        "apiVersion: ecomperf/v1\nkind: Event\nid: b\nname: B\nperiods: ['2026-11']\noverrides:\n"
        "  - {position: manager, stages: [mature], weights: {gmv: 100}}\n"
    )
    result = load_problems({"events.yaml": events})
    problems = [p for p in result.problems if p.code == "EP307"]
    assert [(p.severity, p.span.line if p.span else 0) for p in problems] == [("warning", 13)]


def test_ep308_grades_must_fall_to_zero(load_problems: Load) -> None:
    bad = BASE_FILES["framework.yaml"].replace("{id: D, min: 0, bonus: 0}", "{id: D, min: 10, bonus: 0}")
    result = load_problems({"framework.yaml": bad})
    assert [code for code, _ in only(result, "EP308")] == ["EP308"]


def test_ep212_rule_names_unknown_grade(load_problems: Load) -> None:
    bad = BASE_FILES["framework.yaml"].replace("veto_caps_grade_at: C", "veto_caps_grade_at: E")
    result = load_problems({"framework.yaml": bad})
    assert only(result, "EP212") == [("EP212", "framework.yaml:19:3")]


def test_ep214_event_reweights_a_kpi_the_stage_lacks(load_problems: Load) -> None:
    event = (
        "apiVersion: ecomperf/v1\nkind: Event\nid: d11\nname: D11\nperiods: ['*-11']\noverrides:\n"
        "  - position: manager\n    stages: [mature]\n    weights: {gmv: 50, cac: 50}\n"
    )
    result = load_problems({"events.yaml": event})
    assert only(result, "EP214") == [("EP214", "events.yaml:9:24")]


def test_ep215_period_pattern_that_matches_nothing(load_problems: Load) -> None:
    event = (
        "apiVersion: ecomperf/v1\nkind: Event\nid: d11\nname: D11\nperiods: ['*-13']\noverrides:\n"
        "  - position: manager\n    stages: [mature]\n    weights: {gmv: 100}\n"
    )
    result = load_problems({"events.yaml": event})
    assert only(result, "EP215") == [("EP215", "events.yaml:5:11")]


def test_ep401_position_holds_a_forbidden_duty(load_problems: Load) -> None:
    bad = MANAGER.replace("modules: [product_ops]", "modules: [product_ops, channel_ops]")
    result = load_problems(positions(bad))
    assert only(result, "EP401") == [("EP401", "positions.yaml:6:1")]
    assert message(result, "EP401") == (
        "position 'manager' holds duty 'channel_ops.expansion' (through module 'channel_ops'), "
        "which module 'product_ops' forbids"
    )


def test_ep402_module_kpi_on_no_scorecard_warns(load_problems: Load) -> None:
    bad = BASE_FILES["modules.yaml"].replace("kpis: [gmv]", "kpis: [gmv, violations, revenue]")
    result = load_problems({"modules.yaml": bad})
    assert [(p.code, p.severity, p.message) for p in result.problems] == [
        ("EP402", "warning", "module 'product_ops' KPI 'revenue' is on no position's scorecard")
    ]


def test_ep403_duty_held_twice_warns_unless_shared(load_problems: Load) -> None:
    bad = BASE_FILES["positions.yaml"].replace("modules: [channel_ops]", "modules: [channel_ops, product_ops]")
    result = load_problems({"positions.yaml": bad})
    assert [(p.code, p.severity) for p in result.problems if p.code == "EP403"] == [("EP403", "warning")]
    shared = BASE_FILES["modules.yaml"].replace("{id: selection,", "{id: selection, shared: true,")
    assert not [p for p in load_problems({"positions.yaml": bad, "modules.yaml": shared}).problems if p.code == "EP403"]


def test_ep404_kpi_without_target_or_source_warns(load_problems: Load) -> None:
    bad = textwrap.dedent(BASE_FILES["metrics.yaml"]).replace("source: {zh: 后台, en: Back office}\n---", "---", 1)
    result = load_problems({"metrics.yaml": bad})
    warnings = [p for p in result.problems if p.code == "EP404"]
    assert [p.message for p in warnings] == [
        "KPI 'gmv' has no data source (SMART: measurable and time-bound)",
        "KPI 'gmv' has no data source (SMART: measurable and time-bound)",
    ]


def test_ep405_text_missing_a_declared_locale_warns(load_problems: Load) -> None:
    bad = BASE_FILES["modules.yaml"].replace("{zh: 选品, en: Selection}", "{zh: 选品}")
    result = load_problems({"modules.yaml": bad})
    assert [(p.code, p.message) for p in result.problems] == [("EP405", "responsibilities.0.text: no en text")]


def test_every_problem_of_a_broken_framework_is_reported_at_once(load_problems: Load) -> None:
    bad_metric = "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: count\ndirecton: lower\n"
    bad_weights = MANAGER.replace("weight: 40,", "weight: 30,").replace("modules: [product_ops]", "modules: [nope]")
    result = load_problems({"extra.yaml": bad_metric, **positions(bad_weights)})
    assert sorted(code for code, _ in codes_at(result)) == ["EP103", "EP202", "EP301"]


def test_unknown_scoring_method_suggests_the_close_one(load_problems: Load) -> None:
    bad = CHANNEL_LEAD.replace("scoring: veto}", "scoring: vetoo}")
    result = load_problems({"positions.yaml": MANAGER + "---\n" + bad})
    problem = next(p for p in result.problems if p.code == "EP104")
    assert problem.message == "scorecard.stages.startup.1.scoring: unknown method 'vetoo'; did you mean 'veto'?"
    assert problem.hint == "one of: linear, threshold, bands, interpolate, range, veto"


def test_a_number_where_text_belongs_says_how_to_quote_it(load_problems: Load) -> None:
    result = load_problems(positions(MANAGER.replace("name: {zh: 店长, en: Manager}", "name: 123")))
    problem = next(p for p in result.problems if p.code == "EP104")
    assert problem.message == "name: expected text: a plain string or {zh: ..., en: ...}, got 123"


def test_a_framework_document_with_bad_grades_is_not_also_reported_missing(load_problems: Load) -> None:
    bad = BASE_FILES["framework.yaml"].replace("{id: D, min: 0, bonus: 0}", "{id: D, min: 10, bonus: 0}")
    result = load_problems({"framework.yaml": bad})
    # only EP308, pointing at the `grades:` key (line 13), and no false "no Framework document" EP106
    assert codes_at(result) == [("EP308", "framework.yaml:13:1")]


def test_a_duty_listed_twice_by_one_position_is_one_holder(load_problems: Load) -> None:
    twice = MANAGER.replace(
        "modules: [product_ops]",
        "modules: [product_ops]\nresponsibilities:\n  - {id: pricing, text: {zh: 定价, en: Pricing}}\n"
        "  - {id: pricing, text: {zh: 定价, en: Pricing}}",
    )
    result = load_problems(positions(twice))
    assert [p.code for p in result.problems] == ["EP209"]


def test_ep405_reaches_text_nested_in_scorecards(load_problems: Load) -> None:
    noted = MANAGER.replace('{kpi: margin, weight: 40, target: ">= 40%"}',
                            '{kpi: margin, weight: 40, target: ">= 40%", note: {zh: 注}}')
    result = load_problems(positions(noted))
    assert [(p.code, p.message) for p in result.problems] == [
        ("EP405", "scorecard.stages.startup.1.note: no en text")]
