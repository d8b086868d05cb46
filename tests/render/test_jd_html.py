"""HTML job descriptions: structure read back with html.parser, escaping, self-contained and printable."""

from __future__ import annotations

from ecomperf.framework import Framework
from tests.render.html_outline import outline


def test_headings_in_chinese(mini: Framework) -> None:
    page = outline(mini.render_jd("store_manager", stage="mature", format="html"))
    assert page.headings == [
        ("h1", "店长岗位说明书"),
        ("h2", "一、基本信息"),
        ("h2", "二、岗位目的"),
        ("h2", "三、岗位职责"),
        ("h3", "产品运营"),
        ("h2", "四、禁止事项"),
        ("h2", "五、任职资格"),
        ("h2", "六、胜任力模型"),
        ("h3", "核心技能"),
        ("h2", "七、参与流程"),
        ("h2", "八、绩效考核"),
        ("h3", "成熟期考核指标"),
        ("h3", "大促期间的考核调整"),
        ("h4", "双11大促（每年十一月）"),
        ("h3", "考核等级"),
    ]


def test_tables_hold_basic_information_forbidden_workflows_kpis_and_grades(mini: Framework) -> None:
    html = mini.render_jd("store_manager", stage="mature", locale="en", format="html")
    page = outline(html)
    basic, forbidden, workflows, kpis, events, grades = page.tables
    assert basic[0] == ["Title", "Store manager"]
    assert ["Direct reports", "Customer-service agent"] in basic
    assert forbidden[1] == [
        "Must not: Handle after-sales issues and disputes",
        "After-sales belongs to customer service",
        "Customer service",
    ]
    # The workflow's name spans its steps; the cadence is shown under it.
    assert workflows[1] == ["Campaign workflow Each major promotion", "Preparation", "Owner", "1-2 months before"]
    assert workflows[2] == ["Review", "Owner", "3-7 days after"]
    assert kpis[0] == ["KPI", "Definition", "Weight", "Target", "Scoring", "Cycle", "Data source"]
    assert len(kpis) == 1 + 4
    assert kpis[3][3] == "≥ 4; Consumer electronics: ≥ 6"
    assert "Consumer electronics: ≥\u00a06" in html  # a no-break space: "≥ 6" never wraps in two
    # one stage shown: no stage column; GMV 40% -> 60% and its target 500万 -> 1000万 (10M) during Double 11
    assert events[0] == ["KPI", "Weight", "Target"]
    assert events[1] == ["GMV", "40% → 60%", "≥ 10M"]
    assert [row[0] for row in grades[1:]] == ["A", "B", "C", "D"]


def test_one_kpi_table_per_stage_without_a_stage(mini: Framework) -> None:
    page = outline(mini.render_jd("store_manager", locale="en", format="html"))
    assert ("h3", "KPIs: Startup") in page.headings and ("h3", "KPIs: Mature") in page.headings
    kpi_tables = [table for table in page.tables if table[0][0] == "KPI"]
    assert [len(table) - 1 for table in kpi_tables] == [3, 4]


def test_lang_follows_the_locale(mini: Framework) -> None:
    zh = outline(mini.render_jd("store_manager", format="html"))
    en = outline(mini.render_jd("store_manager", locale="en", format="html"))
    assert ("html", {"lang": "zh-CN"}) in zh.tags and ("html", {"lang": "en"}) in en.tags


def test_page_is_self_contained(mini: Framework) -> None:
    html = mini.render_jd("store_manager", format="html")
    page = outline(html)
    assert not [tag for tag, attrs in page.tags if tag in {"script", "link", "img", "iframe"}]
    assert not [attrs for _, attrs in page.tags if "src" in attrs or "href" in attrs]
    assert "url(" not in page.style and "@import" not in page.style


def test_page_prints_on_a4_without_splitting_rows_and_prefers_cjk_fonts(mini: Framework) -> None:
    style = outline(mini.render_jd("store_manager", format="html")).style
    assert "@page { size: A4; margin:" in style
    assert "tr { break-inside: avoid; page-break-inside: avoid; }" in style
    assert "thead { display: table-header-group; }" in style
    assert "@media print" in style
    assert '"Microsoft YaHei"' in style and '"Noto Sans CJK SC"' in style


def test_html_from_yaml_is_escaped_and_template_syntax_is_literal(hostile: Framework) -> None:
    html = hostile.render_jd("manager", locale="en", format="html")
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = outline(html)
    assert "Purpose {{ 7*7 }} <script>alert(1)</script>" in page.text
    assert "Duty {{ 7*7 }} and {% if true %}x{% endif %}" in page.text
    assert [tag for tag, _ in page.tags].count("script") == 0


def test_kpi_table_has_a_row_per_section_before_its_kpis(sectioned: Framework) -> None:
    html = sectioned.render_jd("manager", stage="startup", locale="en", format="html")
    table = next(t for t in outline(html).tables if t[0][0] == "KPI")
    assert [row[0] for row in table[1:]] == [
        "Results (70%)", "GMV", "Margin", "Behaviour (30%)", "CAC", "Not in a section", "Violations"]
    assert '<tr class="section-head" data-section="results"><th colspan="7">Results (70%)</th></tr>' in html
