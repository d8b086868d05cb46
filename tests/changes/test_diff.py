"""``ecomperf.diff``: semantic changes between two loaded frameworks, each with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ecomperf
from ecomperf.changes.diff import Change, FrameworkDiff, diff
from tests.changes.edits import BUNDLED, bundled_copy, move_duty, split_file
from tests.conftest import BASE_FILES, write_framework


def _facts(result: FrameworkDiff) -> list[tuple[object, ...]]:
    return [(c.kind, c.id, c.field, c.old, c.new) for c in result]


def _line_of(path: Path, text: str, start: str | None = None) -> int:
    """The 1-based line of the first line of ``path`` holding ``text`` (after the line holding ``start``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if start in line) if start else 0
    return next(i for i, line in enumerate(lines) if i >= first and text in line) + 1


def _pair(tmp_path: Path, old: dict[str, str | None], new: dict[str, str | None]) -> FrameworkDiff:
    before = ecomperf.load(write_framework(tmp_path / "old", old))
    after = ecomperf.load(write_framework(tmp_path / "new", new))
    return diff(before, after)


def test_the_four_edits_report_exactly_their_changes_and_nothing_else(edited: Path) -> None:
    result = ecomperf.diff(ecomperf.load(BUNDLED), ecomperf.load(edited))
    # The split of metrics/core.yaml into two files is not a change: nothing else is reported.
    assert _facts(result) == [
        ("duty", "portfolio", "owner", "product_ops", "activity_ops"),
        ("kpi", "content_ops_specialist/growth/content_impressions", "target", ">= 1000000", ">= 800000"),
        ("kpi", "store_manager/growth/gmv_growth_rate", "weight", 10, 5),
        ("kpi", "store_manager/growth/repurchase_rate", "weight", 30, 35),
    ]
    modules, content, manager = (edited / "modules" / "operations.yaml", edited / "positions" /
                                 "content_ops_specialist.yaml", edited / "positions" / "store_manager.yaml")
    assert [c.location for c in result] == [
        f"{modules}:{_line_of(modules, '- id: portfolio')}",
        f"{content}:{_line_of(content, 'content_impressions, weight: 40')}",
        f"{manager}:{_line_of(manager, 'kpi: gmv_growth_rate, weight: 5')}",
        f"{manager}:{_line_of(manager, 'weight: 35')}",
    ]
    assert [c.action for c in result] == ["moved", "changed", "changed", "changed"]
    assert [group for group, _ in result.by_group()] == ["modules", "scorecards"]


def test_a_version_against_itself_has_no_changes_and_is_false() -> None:
    fw = ecomperf.load(BUNDLED)
    result = diff(fw, fw)
    assert not result
    assert len(result) == 0 and result.to_records() == []


def test_renamed_split_and_reordered_files_and_shorthand_rewrites_are_not_changes(tmp_path: Path) -> None:
    root = bundled_copy(tmp_path)
    (root / "positions" / "store_manager.yaml").rename(root / "positions" / "store-manager.yml")
    split_file(root)
    path = root / "positions" / "store-manager.yml"
    text = path.read_text(encoding="utf-8")
    # key order inside a mapping, a percent written as a fraction, the list of modules reordered
    text = text.replace('- {kpi: gmv_growth_rate, weight: 10, target: ">= 15%"}',
                        '- {target: {op: ">=", value: 0.15}, weight: 10, kpi: gmv_growth_rate}')
    path.write_text(text, encoding="utf-8")
    head = root / "positions" / "head_of_ecommerce.yaml"
    text = head.read_text(encoding="utf-8")
    assert "modules: [strategic_planning, team_management, resource_integration]" in text
    head.write_text(text.replace("modules: [strategic_planning, team_management, resource_integration]",
                                 "modules: [resource_integration, strategic_planning, team_management]"),
                    encoding="utf-8")
    assert _facts(diff(ecomperf.load(BUNDLED), ecomperf.load(root))) == []


def test_a_moved_duty_carries_its_forbidden_references_with_it(tmp_path: Path) -> None:
    # product_ops.selection moves to channel_ops; the audit module that forbade product_ops.selection now
    # forbids channel_ops.selection: the same duty, so the only change is the move.
    old = {"modules.yaml": BASE_FILES["modules.yaml"].rstrip(" ") + """\
        ---
        apiVersion: ecomperf/v1
        kind: Module
        id: audit
        name: {zh: 审计, en: Audit}
        forbidden:
          - {duty: product_ops.selection, reason: {zh: 独立, en: Independence}}
        """}
    new_modules = old["modules.yaml"]
    new_modules = new_modules.replace(
        "        responsibilities:\n          - {id: selection, text: {zh: 选品, en: Selection}}\n",
        "        responsibilities: []\n", 1)
    new_modules = new_modules.replace(
        "          - {id: expansion, text: {zh: 渠道拓展, en: Channel expansion}}\n",
        "          - {id: expansion, text: {zh: 渠道拓展, en: Channel expansion}}\n"
        "          - {id: selection, text: {zh: 选品, en: Selection}}\n")
    new_modules = new_modules.replace("{duty: product_ops.selection,", "{duty: channel_ops.selection,")
    result = _pair(tmp_path, old, {"modules.yaml": new_modules})
    assert _facts(result) == [("duty", "selection", "owner", "product_ops", "channel_ops")]


def test_metric_changes_compare_meaning_formula_by_its_parse_and_aggregate_by_its_default(tmp_path: Path) -> None:
    metrics = BASE_FILES["metrics.yaml"]
    # "(revenue - cost) / revenue" and "(revenue-cost)/(revenue)" parse alike; cost's aggregate defaults to sum.
    rewritten = metrics.replace("formula: (revenue - cost) / revenue", "formula: (revenue-cost)/(revenue)")
    rewritten = rewritten.replace("        id: cost\n        name: {zh: 成本, en: Cost}\n        unit: currency\n",
                                  "        id: cost\n        name: {zh: 成本, en: Cost}\n        unit: currency\n"
                                  "        aggregate: sum\n")
    assert _facts(_pair(tmp_path / "same", {}, {"metrics.yaml": rewritten})) == []
    changed = metrics.replace("formula: (revenue - cost) / revenue", "formula: (revenue - cost) / cost")
    changed = changed.replace("        id: cac\n        name: {zh: 获客成本, en: CAC}\n        unit: currency\n"
                              "        direction: lower\n",
                              "        id: cac\n        name: {zh: 获客成本, en: CAC}\n        unit: currency\n"
                              "        direction: lower\n        aggregate: mean\n")
    result = _pair(tmp_path / "changed", {}, {"metrics.yaml": changed})
    assert _facts(result) == [
        ("metric", "margin", "formula", "(revenue - cost) / revenue", "(revenue - cost) / cost"),
        ("metric", "cac", "aggregate", "sum", "mean"),
    ]


def test_added_and_removed_documents_are_one_change_each_located_in_their_own_version(tmp_path: Path) -> None:
    extra = """\
        apiVersion: ecomperf/v1
        kind: Metric
        id: refund_rate
        name: {zh: 退款率, en: Refund rate}
        unit: percent
        direction: lower
        """
    result = _pair(tmp_path, {"extra.yaml": extra}, {"workflows.yaml": """\
        apiVersion: ecomperf/v1
        kind: Workflow
        id: weekly_review
        name: {zh: 周复盘, en: Weekly review}
        steps:
          - {id: collect, name: {zh: 收集, en: Collect}, owner: manager}
        """})
    assert _facts(result) == [
        ("metric", "refund_rate", None, {"name": {"zh": "退款率", "en": "Refund rate"}, "unit": "percent",
                                        "direction": "lower"}, None),
        ("workflow", "weekly_review", None, None, {"zh": "周复盘", "en": "Weekly review"}),
    ]
    removed, added = result
    assert removed.action == "removed" and removed.location == f"{tmp_path / 'old' / 'extra.yaml'}:1"
    assert added.action == "added" and added.location == f"{tmp_path / 'new' / 'workflows.yaml'}:1"


def test_position_level_reporting_line_and_modules(tmp_path: Path) -> None:
    positions = BASE_FILES["positions.yaml"]
    changed = positions.replace("        level: mid\n        modules: [product_ops]\n", "        modules: []\n")
    changed = changed.replace("        reports_to: manager\n", "")
    result = _pair(tmp_path, {}, {"positions.yaml": changed})
    assert _facts(result) == [
        ("position", "manager", "level", "mid", None),
        ("position", "manager", "modules", ["product_ops"], []),
        ("position", "channel_lead", "reports_to", "manager", None),
    ]
    level, modules, _ = result
    # a removed field is located in the old version, a changed one in the new
    assert level.location == f"{tmp_path / 'old' / 'positions.yaml'}:5"
    assert modules.location == f"{tmp_path / 'new' / 'positions.yaml'}:5"


def test_kpi_added_removed_variant_and_method_changes(tmp_path: Path) -> None:
    positions = BASE_FILES["positions.yaml"]
    changed = positions.replace(
        '              - {kpi: gmv, weight: 60, target: ">= 100万"}\n'
        '              - {kpi: margin, weight: 40, target: ">= 40%"}\n',
        '              - kpi: gmv\n'
        '                weight: 60\n'
        '                target: ">= 100万"\n'
        '                variants:\n'
        '                  - {when: {category: electronics_3c}, target: ">= 150万"}\n'
        '                scoring: {method: linear, cap: 150}\n'
        '              - {kpi: cac, weight: 40, target: "<= 40"}\n',
    )
    # an explicit veto on a zero-tolerance KPI is its default method: not a change
    changed = changed.replace('{kpi: violations, weight: 0, target: "== 0", scoring: veto}',
                              '{kpi: violations, weight: 0}')
    result = _pair(tmp_path, {}, {"positions.yaml": changed})
    assert _facts(result) == [
        ("kpi", "manager/startup/gmv", "variants", [], [{"when": {"category": "electronics_3c"},
                                                          "target": ">= 150万"}]),
        ("kpi", "manager/startup/gmv", "scoring.cap", 120, 150),
        ("kpi", "manager/startup/cac", None, None, {"weight": 40, "target": "<= 40"}),
        ("kpi", "manager/startup/margin", None, {"weight": 40, "target": ">= 40%"}, None),
    ]


def test_event_overrides_compare_by_their_effect_per_position_and_stage(tmp_path: Path) -> None:
    event = """\
        apiVersion: ecomperf/v1
        kind: Event
        id: double_11
        name: {zh: 双11, en: Double 11}
        periods: ["*-11"]
        overrides:
          - {position: manager, stages: [startup], weights: {gmv: 70, margin: 30}}
        """
    # The same effect written as two overrides is no change; a new target for mature is one.
    split = event.replace("          - {position: manager, stages: [startup], weights: {gmv: 70, margin: 30}}\n",
                          "          - {position: manager, stages: [startup], weights: {gmv: 70}}\n"
                          "          - {position: manager, stages: [startup], weights: {margin: 30}}\n"
                          "          - {position: manager, stages: [mature], targets: {gmv: \">= 300万\"}}\n")
    result = _pair(tmp_path, {"events.yaml": event}, {"events.yaml": split})
    assert _facts(result) == [("override", "double_11/manager/mature", "targets.gmv", None, ">= 300万")]
    assert result[0].location == f"{tmp_path / 'new' / 'events.yaml'}:9"


def test_grades_bonus_coefficients_and_rules(tmp_path: Path) -> None:
    framework = BASE_FILES["framework.yaml"]
    changed = framework.replace("{id: A, min: 100, bonus: 1.2}", "{id: A, min: 105, bonus: 1.3}")
    changed = changed.replace("          veto_caps_grade_at: C\n",
                              "          veto_caps_grade_at: D\n          pip: {consecutive: 2, below_grade: C}\n")
    result = _pair(tmp_path, {}, {"framework.yaml": changed})
    assert _facts(result) == [
        ("grade", "A", "min", 100, 105),
        ("grade", "A", "bonus", 1.2, 1.3),
        ("rule", "rules", "veto_caps_grade_at", "C", "D"),
        ("rule", "rules", "pip", None, {"consecutive": 2, "cycle": "monthly", "below_grade": "C"}),
    ]
    assert [group for group, _ in result.by_group()] == ["grades"]


def test_a_stage_context_value_and_level_added(tmp_path: Path) -> None:
    framework = BASE_FILES["framework.yaml"]
    changed = framework.replace("          - {id: mature, name: {zh: 成熟期, en: Mature}}\n",
                                "          - {id: mature, name: {zh: 成熟期, en: Mature}}\n"
                                "          - {id: growth, name: {zh: 成长期, en: Growth}}\n")
    changed = changed.replace("category: [apparel, electronics_3c]", "category: [apparel, electronics_3c, fmcg]")
    result = _pair(tmp_path, {}, {"framework.yaml": changed})
    assert _facts(result) == [
        ("stage", "growth", None, None, {"zh": "成长期", "en": "Growth"}),
        ("context", "category", "values.fmcg", None, {"id": "fmcg"}),
    ]


def test_json_records_have_exactly_the_six_keys() -> None:
    change = Change("kpi", "manager/startup/gmv", "weight", 60, 70, None)
    assert change.to_dict() == {"kind": "kpi", "id": "manager/startup/gmv", "field": "weight", "old": 60, "new": 70,
                                "location": ""}


def test_to_pandas_has_one_row_per_change(edited: Path) -> None:
    pandas = pytest.importorskip("pandas")
    frame = diff(ecomperf.load(BUNDLED), ecomperf.load(edited)).to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["kind", "id", "field", "old", "new", "location"]
    assert frame["kind"].tolist() == ["duty", "kpi", "kpi", "kpi"]


def test_to_pandas_without_pandas_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pandas(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    fw = ecomperf.load(BUNDLED)
    with pytest.raises(ImportError, match="pip install pandas"):
        diff(fw, fw).to_pandas()


def test_the_facade_method_is_the_same_diff(tmp_path: Path) -> None:
    root = bundled_copy(tmp_path)
    move_duty(root)
    old, new = ecomperf.load(BUNDLED), ecomperf.load(root)
    assert _facts(old.diff(new)) == _facts(diff(old, new)) == [("duty", "portfolio", "owner", "product_ops",
                                                                 "activity_ops")]
    shutil.rmtree(root)


def test_scorecard_settings_and_conditional_formulas(tmp_path: Path) -> None:
    relative = BASE_FILES["positions.yaml"].replace(
        "        scorecard:\n          stages:\n",
        "        scorecard:\n          weights: relative\n          stages:\n", 1)
    metrics = BASE_FILES["metrics.yaml"].replace("formula: (revenue - cost) / revenue",
                                                 "formula: if(revenue > 0, (revenue - cost) / revenue, 0)")
    # the same conditional formula spelled differently is no change; the weights mode of one scorecard is one
    spaced = metrics.replace("if(revenue > 0, (revenue - cost) / revenue, 0)",
                             "if((revenue>0), (revenue-cost)/revenue, 0)")
    result = _pair(tmp_path, {"metrics.yaml": metrics}, {"metrics.yaml": spaced, "positions.yaml": relative})
    assert _facts(result) == [("scorecard", "manager", "weights", None, "relative")]
