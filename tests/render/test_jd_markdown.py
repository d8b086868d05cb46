"""Markdown job descriptions: sections, their content, and text from YAML treated as data."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import ecomperf
from ecomperf.errors import RenderError
from ecomperf.framework import Framework
from tests.conftest import BASE_FILES, write_framework


def _headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("#")]


def _table_rows(markdown: str, header_start: str) -> list[list[str]]:
    """Cells of the table whose header row starts with ``| header_start``, header and divider excluded."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header_start}"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_sections_follow_the_chinese_convention_in_order(mini: Framework) -> None:
    md = mini.render_jd("store_manager", stage="mature")
    assert _headings(md) == [
        "# 店长岗位说明书",
        "## 一、基本信息",
        "## 二、岗位目的",
        "## 三、岗位职责",
        "### 产品运营",
        "## 四、禁止事项",
        "## 五、任职资格",
        "## 六、胜任力模型",
        "### 核心技能",
        "## 七、参与流程",
        "## 八、绩效考核",
        "### 成熟期考核指标",
        "### 大促期间的考核调整",
        "#### 双11大促（每年十一月）",
        "### 考核等级",
    ]


def test_english_labels_and_numbering(mini: Framework) -> None:
    md = mini.render_jd("service_agent", stage="startup", locale="en")
    assert _headings(md)[:4] == [
        "# Job description: Customer-service agent",
        "## 1. Basic information",
        "## 2. Purpose",
        "## 3. Responsibilities",
    ]


def test_default_locale_is_the_frameworks_first(mini: Framework) -> None:
    assert mini.render_jd("store_manager") == mini.render_jd("store_manager", locale="zh")


def test_basic_information_names_the_reporting_line(mini: Framework) -> None:
    manager = dict(_table_rows(mini.render_jd("store_manager", locale="en"), "Title"))
    assert manager["Level"] == "Strategy"
    assert manager["Reports to"] == "None"
    assert manager["Direct reports"] == "Customer-service agent"  # derived from service_agent.reports_to
    agent = dict(_table_rows(mini.render_jd("service_agent", locale="en"), "Title"))
    assert agent["Reports to"] == "Store manager"


def test_forbidden_duty_is_a_prohibition_with_the_reason(mini: Framework) -> None:
    rows = _table_rows(mini.render_jd("store_manager", locale="en"), "Prohibition")
    assert rows == [
        ["Must not: Handle after-sales issues and disputes", "After-sales belongs to customer service",
         "Customer service"]
    ]
    zh = _table_rows(mini.render_jd("store_manager", locale="zh"), "禁止事项")
    assert zh[0][0] == "不得：处理售后与纠纷"


def test_workflows_list_step_role_and_when(mini: Framework) -> None:
    rows = _table_rows(mini.render_jd("service_agent", locale="en"), "Workflow")
    assert rows == [["Campaign workflow", "Preparation", "Participant", "1-2 months before"]]


def test_kpi_table_of_one_stage_with_units_variants_and_veto(mini: Framework) -> None:
    rows = _table_rows(mini.render_jd("store_manager", stage="mature", locale="en"), "KPI")
    assert [row[0] for row in rows] == ["GMV", "Gross margin", "Inventory turnover", "Platform penalties"]
    gmv, margin, turnover, penalties = rows
    assert gmv[2:4] == ["40%", "≥ 5M"]  # 500万 = 5,000,000, written the English way
    assert margin[3] == "≥ 40%"
    # The variant is named by the context value's name (electronics_3c -> "Consumer electronics").
    assert turnover[3] == "≥ 4; Consumer electronics: ≥ 6"
    assert penalties[3:5] == ["= 0", "Veto (a breach caps the grade at C)"]
    assert gmv[5:] == ["Monthly", "Platform analytics"]


def test_variant_in_chinese_uses_chinese_punctuation(mini: Framework) -> None:
    assert "| ≥ 4；3C数码：≥ 6 |" in mini.render_jd("store_manager", stage="mature")


def test_hours_keep_their_unit(mini: Framework) -> None:
    assert "| ≤ 24h |" in mini.render_jd("service_agent", stage="startup")


def test_without_a_stage_every_stage_gets_its_table(mini: Framework) -> None:
    md = mini.render_jd("store_manager", locale="en")
    assert "### KPIs: Startup" in md and "### KPIs: Mature" in md
    assert "| Company stage | All stages |" in md


def test_grade_scale_lists_every_grade_with_bonus(mini: Framework) -> None:
    rows = _table_rows(mini.render_jd("store_manager", locale="en"), "Grade")
    assert rows == [["A", "100", "1.2"], ["B", "85", "1"], ["C", "70", "0.6"], ["D", "0", "0"]]


def test_module_duties_are_grouped_under_the_module_name_and_own_duties_follow(hostile: Framework) -> None:
    md = hostile.render_jd("manager", locale="en")
    assert md.index("### Product ops\n\n- Selection\n") < md.index("### Position-specific duties")


def test_template_syntax_in_yaml_text_prints_literally(hostile: Framework) -> None:
    md = hostile.render_jd("manager", locale="en")
    assert "- Duty {{ 7*7 }} and {% if true %}x{% endif %}" in md
    assert "49" not in md


def test_table_breaking_characters_are_escaped_in_cells(hostile: Framework) -> None:
    md = hostile.render_jd("manager", locale="en")
    assert "| Direct reports | Channel lead \\| team 1 |" in md
    matrix_row = next(line for line in hostile.matrix(locale="en").splitlines() if "first line" in line)
    assert "first line \\| pipe<br>second line" in matrix_row


def test_multi_line_list_item_stays_inside_the_item(hostile: Framework) -> None:
    assert "- first line | pipe\n  second line" in hostile.render_jd("manager", locale="en")


def test_html_tags_from_yaml_cannot_reach_a_markdown_renderer(hostile: Framework) -> None:
    md = hostile.render_jd("manager", locale="en")
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script>alert(1)&lt;/script>" in md


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"position": "store_manger"}, "unknown position 'store_manger'; did you mean 'store_manager'?"),
        ({"stage": "matur"}, "unknown stage 'matur'; did you mean 'mature'?"),
        ({"locale": "eng"}, "unknown locale 'eng'; did you mean 'en'?"),
        ({"format": "htm"}, "unknown format 'htm'; did you mean 'html'?"),
        ({"locale": "fr"}, "unknown locale 'fr'; known: zh, en"),
    ],
)
def test_unknown_choices_raise_render_error_with_a_suggestion(
    mini: Framework, kwargs: dict[str, str], message: str
) -> None:
    arguments = {"position": "store_manager", **kwargs}
    with pytest.raises(RenderError) as caught:
        mini.render_jd(**arguments)
    assert str(caught.value) == message


def test_a_module_limited_to_other_stages_is_left_out_of_a_stage_jd(framework_dir: Callable[..., Path]) -> None:
    modules = BASE_FILES["modules.yaml"].replace("id: product_ops\n", "id: product_ops\n        stages: [mature]\n")
    framework = ecomperf.load(framework_dir({"modules.yaml": modules}))
    startup = framework.render_jd("manager", stage="startup", locale="en")
    mature = framework.render_jd("manager", stage="mature", locale="en")
    assert "Selection" not in startup and "Channel expansion" not in startup  # duties and forbidden duties
    assert "### Product ops\n\n- Selection" in mature
    assert "| Must not: Channel expansion | Focus | Channel ops |" in mature


def test_relative_weights_are_shown_in_points_of_100(tmp_path: Path) -> None:
    positions = BASE_FILES["positions.yaml"].replace(
        "        scorecard:\n          stages:\n            startup:\n              - {kpi: gmv, weight: 60,",
        "        scorecard:\n          weights: relative\n          stages:\n            startup:\n"
        "              - {kpi: gmv, weight: 1,",
    ).replace("{kpi: margin, weight: 40,", "{kpi: margin, weight: 2,", 1)
    fw = ecomperf.load(write_framework(tmp_path / "fw", {"positions.yaml": positions}))
    rows = _table_rows(fw.render_jd("manager", stage="startup", locale="en"), "KPI")
    # relative 1 and 2 of 3: 33.3333% and 66.6667% of the card
    assert [row[2] for row in rows] == ["33.3333%", "66.6667%"]


def test_each_section_has_its_heading_and_table(sectioned: Framework) -> None:
    md = sectioned.render_jd("manager", stage="startup", locale="zh")
    assert [h for h in _headings(md) if h.startswith("####")] == ["#### 业绩（70%）", "#### 行为（30%）", "#### 未分项"]
    # the first table is the results section's: gmv 60 and margin 40 of 70 points = 42 and 28
    assert [(row[0], row[2]) for row in _table_rows(md, "考核指标")] == [("GMV", "42%"), ("毛利率", "28%")]
