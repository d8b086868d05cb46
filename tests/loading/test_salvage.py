"""One error never hides another (issue 10, item 9): rules run on what is known beside a broken document."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ecomperf.loading.documents import LoadResult, read_index
from tests.conftest import BASE_FILES, LIVE_SHOP

Load = Callable[..., LoadResult]

# manager's margin target contradicts the metric's direction (higher): EP302 whatever else is wrong
CONTRADICTION = BASE_FILES["positions.yaml"].replace('{kpi: margin, weight: 40, target: ">= 40%"}',
                                                     '{kpi: margin, weight: 40, target: "<= 40%"}')


def _codes(result: LoadResult) -> list[str]:
    return [problem.code for problem in result.problems]


def test_a_typo_in_a_metric_field_does_not_hide_ep302_on_a_position(load_problems: Load) -> None:
    # The report: a typo in a metric field hid EP302 until the typo was fixed.
    metrics = BASE_FILES["metrics.yaml"].replace("        formula: (revenue - cost) / revenue\n",
                                                 "        formula: (revenue - cost) / revenue\n        defintion: x\n")
    result = load_problems({"metrics.yaml": metrics, "positions.yaml": CONTRADICTION})
    assert _codes(result) == ["EP103", "EP302"]
    assert "target <= 40% uses '<=', which contradicts metric 'margin' (direction higher)" in result.problems[1].message


def test_a_field_that_is_not_known_is_not_relied_on(load_problems: Load) -> None:
    # 'sorce' is probably 'source': the metric's source is unknown, so EP404 does not claim it has none
    metrics = BASE_FILES["metrics.yaml"].replace("        source: {zh: 财务, en: Finance}\n        ---\n        "
                                                 "apiVersion: ecomperf/v1\n        kind: Metric\n        id: margin",
                                                 "        source: {zh: 财务, en: Finance}\n        ---\n        "
                                                 "apiVersion: ecomperf/v1\n        kind: Metric\n        id: margin\n"
                                                 "        sorce: ERP", 1)
    metrics = metrics.replace("        formula: (revenue - cost) / revenue\n        cycle: monthly\n"
                              "        source: {zh: 财务, en: Finance}\n",
                              "        formula: (revenue - cost) / revenue\n        cycle: monthly\n")
    result = load_problems({"metrics.yaml": metrics, "positions.yaml": CONTRADICTION})
    assert _codes(result) == ["EP103", "EP302"]
    assert "did you mean 'source'?" in result.problems[0].message


def test_a_misspelt_direction_is_not_replaced_by_its_default(load_problems: Load) -> None:
    # 'directon: lower' leaves the direction unknown: comparing '<=' with the default 'higher' would be a
    # second, false problem
    metrics = BASE_FILES["metrics.yaml"].replace("        id: margin\n        name: {zh: 毛利率, en: Margin}\n"
                                                 "        unit: percent\n        direction: higher\n",
                                                 "        id: margin\n        name: {zh: 毛利率, en: Margin}\n"
                                                 "        unit: percent\n        directon: lower\n")
    result = load_problems({"metrics.yaml": metrics, "positions.yaml": CONTRADICTION})
    assert _codes(result) == ["EP103"]


def test_a_broken_position_is_still_checked_for_what_it_shows(load_problems: Load) -> None:
    # an unknown field on channel_lead, and its stage weights sum to 90: both reported at once
    positions = BASE_FILES["positions.yaml"].replace("        reports_to: manager\n",
                                                     "        reports_to: manager\n        levle: mid\n")
    positions = positions.replace('{kpi: cac, weight: 100, target: "<= 40"}', '{kpi: cac, weight: 90, target: "<= 40"}')
    result = load_problems({"positions.yaml": positions})
    assert _codes(result) == ["EP103", "EP301"]


def test_a_document_with_a_wrong_id_is_not_salvaged(load_problems: Load) -> None:
    # its id is unknown, so nothing can be said about it; references to it stay quiet (declared, broken)
    positions = BASE_FILES["positions.yaml"].replace("id: channel_lead", "id: Channel-Lead")
    result = load_problems({"positions.yaml": positions})
    assert _codes(result) == ["EP104"]


# --- a broken framework.yaml: every other document is still checked, against what it is known to declare -----

def _live_shop(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> LoadResult:
    root = shutil.copytree(LIVE_SHOP, tmp_path / "live-shop")
    for name, (old, new) in edits.items():
        text = (root / name).read_text(encoding="utf-8")
        assert old in text
        (root / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return read_index(root)


# two real mistakes beside framework.yaml: ad_spend is lower-is-better (EP302) and live_opz is no position (EP203)
ELSEWHERE = {"media_buyer.yaml": ('target: "<= 50万"', 'target: ">= 50万"'),
             "customer_service.yaml": ("reports_to: live_ops", "reports_to: live_opz")}


def _located(result: LoadResult) -> list[tuple[str, str]]:
    return [(p.code, Path(p.span.file).name if p.span else "") for p in result.problems]


def test_a_framework_yaml_that_does_not_parse_hides_no_problem_elsewhere(tmp_path: Path) -> None:
    tab = {"framework.yaml": ("  - {id: D, min: 0, bonus: 0}", "\t- {id: D, min: 0, bonus: 0}")}
    result = _live_shop(tmp_path, {**tab, **ELSEWHERE})
    assert _located(result) == [("EP203", "customer_service.yaml"), ("EP101", "framework.yaml"),
                                ("EP302", "media_buyer.yaml")]
    # said once, on the syntax error; no stage, level or grade is reported unknown meanwhile
    assert "the Framework's stages, levels, contexts, dimensions, grades, locales and rules count as declared" in (
        result.problems[1].hint or "")


def test_a_framework_document_that_fails_its_model_hides_no_problem_elsewhere(tmp_path: Path) -> None:
    bonus = {"framework.yaml": ("  - {id: D, min: 0, bonus: 0}", "  - {id: D, min: 0, bonus: zero}")}
    stage = {"events.yaml": ("stages: [startup]", "stages: [startp]")}
    result = _live_shop(tmp_path, {**bonus, **ELSEWHERE, **stage})
    # the grades are lost, the stages are not: the event's misspelt stage is still found (EP204)
    assert _located(result) == [("EP203", "customer_service.yaml"), ("EP204", "events.yaml"),
                                ("EP104", "framework.yaml"), ("EP302", "media_buyer.yaml")]
    assert "until the Framework document is valid, its grades count as declared" in (result.problems[2].hint or "")


def test_salvage_keeps_the_good_fields_beside_a_broken_value(tmp_path: Path) -> None:
    # rules.pip.consecutive is broken: rules.pip is lost, rules.veto_caps_grade_at is kept and still checked
    rules = {"framework.yaml": ("  veto_caps_grade_at: C", "  veto_caps_grade_at: E\n  pip: {consecutive: x, "
                                "cycle: monthly, below_grade: Q}")}
    result = _live_shop(tmp_path, rules)
    assert [(p.code, p.message) for p in result.problems] == [
        ("EP212", "unknown grade 'E'"),  # below_grade Q is inside the lost pip: not reported as well
        ("EP104", "rules.pip.consecutive: Input should be a valid integer, unable to parse string as an integer, "
                  "got 'x'"),
    ]


def test_one_broken_stage_of_a_scorecard_leaves_the_other_stages_checked(tmp_path: Path) -> None:
    # startup's roas weight is broken; growth's weights sum to 90, not 100 (EP301), which is still found
    edits = {"media_buyer.yaml": ("{kpi: roas, weight: 70,", "{kpi: roas, weight: lots,")}
    growth = ("      - {kpi: roas, weight: 100, target: \">= 3\"}", "      - {kpi: roas, weight: 90, target: \">= 3\"}")
    text = (LIVE_SHOP / "media_buyer.yaml").read_text(encoding="utf-8").replace(*edits["media_buyer.yaml"])
    root = shutil.copytree(LIVE_SHOP, tmp_path / "live-shop")
    (root / "media_buyer.yaml").write_text(text.replace(*growth), encoding="utf-8")
    result = read_index(root)
    assert [p.code for p in result.problems] == ["EP104", "EP301"]
    assert "weights of stage 'growth'" in result.problems[1].message


def _leaves(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for number, value in enumerate(node) for leaf in _leaves(value, (*path, number))]
    return [path]


def _mutations() -> list[tuple[str, int, tuple[str | int, ...]]]:
    found = []
    for file in sorted(LIVE_SHOP.glob("*.yaml")):
        for number, document in enumerate(yaml.safe_load_all(file.read_text(encoding="utf-8"))):
            found.extend((file.name, number, leaf) for leaf in _leaves(document)
                         if leaf[0] not in {"apiVersion", "kind", "id"})
    return found[::4]  # every fourth value of the ~280, for time


@pytest.mark.parametrize(("name", "number", "leaf"), _mutations())
def test_one_broken_value_anywhere_gives_problems_only_where_it_is(
    tmp_path: Path, name: str, number: int, leaf: tuple[str | int, ...]
) -> None:
    # a value no field accepts (a list holding a mapping) in place of any one value of the live shop: it is an
    # error, and no rule reports a problem in another file (no cascade from what salvage lost)
    root = shutil.copytree(LIVE_SHOP, tmp_path / "live-shop")
    documents = list(yaml.safe_load_all((root / name).read_text(encoding="utf-8")))
    node = documents[number]
    for key in leaf[:-1]:
        node = node[key]
    node[leaf[-1]] = ["oops", {"x": 1}]
    (root / name).write_text(yaml.safe_dump_all(documents, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = read_index(root)
    assert result.errors
    assert {Path(p.span.file).name if p.span else "" for p in result.problems} == {name}
