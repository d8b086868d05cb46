"""Word job descriptions read back with python-docx: headings, tables, Chinese text and East-Asian fonts."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from ecomperf.framework import Framework
from ecomperf.render.environment import TEMPLATE_DIR
from tests.conftest import REPO


def _open(data: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def manager_zh(mini: Framework) -> bytes:
    return mini.render_jd("store_manager", stage="mature", format="docx")


def test_docx_is_bytes_of_a_word_file(manager_zh: bytes) -> None:
    assert manager_zh[:2] == b"PK"
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(manager_zh)).namelist()


def test_headings_use_word_heading_styles(manager_zh: bytes) -> None:
    document = _open(manager_zh)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        ("Title", "店长岗位说明书"),
        ("Heading 1", "一、基本信息"),
        ("Heading 1", "二、岗位目的"),
        ("Heading 1", "三、岗位职责"),
        ("Heading 2", "产品运营"),
        ("Heading 1", "四、禁止事项"),
        ("Heading 1", "五、任职资格"),
        ("Heading 1", "六、胜任力模型"),
        ("Heading 2", "核心技能"),
        ("Heading 1", "七、参与流程"),
        ("Heading 1", "八、绩效考核"),
        ("Heading 2", "成熟期考核指标"),
        ("Heading 2", "大促期间的考核调整"),
        ("Heading 3", "双11大促（每年十一月）"),
        ("Heading 2", "考核等级"),
    ]


def test_duties_are_bullets_and_no_template_tag_is_left(manager_zh: bytes) -> None:
    document = _open(manager_zh)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[:2] == ["基于数据与用户反馈选品", "管理库存与补货"]
    xml = zipfile.ZipFile(io.BytesIO(manager_zh)).read("word/document.xml").decode("utf-8")
    assert "{%" not in xml and "{{" not in xml


def test_tables_have_one_row_per_item_and_chinese_text_intact(manager_zh: bytes) -> None:
    basic, forbidden, workflows, kpis, events, grades = (
        [[cell.text for cell in row.cells] for row in table.rows] for table in _open(manager_zh).tables
    )
    assert basic[0] == ["岗位名称", "店长"]
    assert forbidden == [["禁止事项", "原因", "职责归属"], ["不得：处理售后与纠纷", "售后由客服负责", "客户服务"]]
    assert len(workflows) == 1 + 2
    assert kpis[0] == ["考核指标", "指标定义", "权重", "目标值", "计分方式", "考核周期", "数据来源"]
    assert [row[0] for row in kpis[1:]] == ["商品交易总额", "毛利率", "库存周转率", "违规处罚次数"]
    assert kpis[3][3] == "≥ 4；3C数码：≥ 6"
    # Double 11 in the mature stage: GMV 40 -> 60, margin 30 -> 30, turnover 20 -> 10 (events.yaml)
    assert events[0] == ["适用阶段", "考核指标", "权重", "目标值"]
    assert events[1] == ["成熟期", "商品交易总额", "40% → 60%", "≥ 1000万"]
    assert [row[0] for row in grades] == ["等级", "A", "B", "C", "D"]


def test_header_rows_repeat_and_rows_do_not_split_across_pages(manager_zh: bytes) -> None:
    kpis = _open(manager_zh).tables[3]
    assert kpis.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in kpis.rows)


def test_styles_name_an_east_asian_font(manager_zh: bytes) -> None:
    document = _open(manager_zh)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Microsoft YaHei"
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Microsoft YaHei", name
        # A theme font would override the explicit one in Word.
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name


def test_page_is_a4(manager_zh: bytes) -> None:
    section = _open(manager_zh).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_english_docx_and_core_properties(mini: Framework) -> None:
    document = _open(mini.render_jd("service_agent", locale="en", format="docx"))
    assert document.paragraphs[0].text == "Job description: Customer-service agent"
    assert document.core_properties.title == "Job description: Customer-service agent"


def test_yaml_text_is_escaped_and_never_a_template(hostile: Framework) -> None:
    document = _open(hostile.render_jd("manager", locale="en", format="docx"))
    texts = [p.text for p in document.paragraphs]
    assert "Purpose {{ 7*7 }} <script>alert(1)</script>" in texts
    assert "Duty {{ 7*7 }} and {% if true %}x{% endif %}" in texts
    # A line break inside a duty becomes a line break in Word.
    assert "first line | pipe\nsecond line <b>bold</b>" in texts


def test_committed_template_is_what_the_build_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_docx_template", REPO / "scripts" / "build_docx_template.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path / "jd.docx")
    built, committed = zipfile.ZipFile(tmp_path / "jd.docx"), zipfile.ZipFile(TEMPLATE_DIR / "jd.docx")
    for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
        assert built.read(part) == committed.read(part), f"{part} differs: run scripts/build_docx_template.py"


def _grid_cm(table: object) -> list[float]:
    grid = table._tbl.tblGrid  # type: ignore[attr-defined]
    return [round(int(col.get(qn("w:w"))) / 1440 * 2.54, 1) for col in grid.findall(qn("w:gridCol"))]


def test_kpi_table_columns_are_sized_by_content_on_a_landscape_page(ecommerce_ops: Framework) -> None:
    document = _open(ecommerce_ops.render_jd("store_manager", stage="startup", locale="en", format="docx"))
    kpis = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI")
    # cm: name 3.3, definition 7.0, weight 1.9, target 4.3, scoring 4.0, cycle 1.9, source 3.7 = 26.1,
    # the width of A4 on its side (29.7) less two margins of 1.8
    assert _grid_cm(kpis) == [3.3, 7.0, 1.9, 4.3, 4.0, 1.9, 3.7]
    assert round(sum(_grid_cm(kpis)), 1) == 26.1
    layout = kpis._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"  # no client spreads them evenly
    for row in kpis.rows:
        widths = [round(int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) / 1440 * 2.54, 1) for cell in row.cells]
        assert widths == _grid_cm(kpis)
    first, performance = document.sections[0], document.sections[-1]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(performance.page_width.cm, 1), round(performance.page_height.cm, 1)) == (29.7, 21.0)
    assert performance.orientation == WD_ORIENT.LANDSCAPE


def test_the_landscape_section_starts_at_the_performance_heading(ecommerce_ops: Framework) -> None:
    document = _open(ecommerce_ops.render_jd("store_manager", locale="zh", format="docx"))
    body = list(document.element.body.iterchildren())
    breaks = [i for i, element in enumerate(body) if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    heading = next(i for i, p in enumerate(body) if "".join(p.itertext()).endswith("绩效考核"))
    assert breaks == [heading - 1]  # one break, right before 八、绩效考核: everything after it is landscape
    tables_after = [e for e in body[heading:] if e.tag == qn("w:tbl")]
    assert len(tables_after) == len(document.tables) - 3  # basic info, forbidden, workflows stay portrait


def test_kpi_and_event_cells_are_set_in_9_point_type(ecommerce_ops: Framework) -> None:
    document = _open(ecommerce_ops.render_jd("store_manager", stage="growth", locale="en", format="docx"))
    kpis = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI")
    events = next(t for t in document.tables if t.rows[0].cells[0].text == "Company stage")
    for table in (kpis, events):
        runs = [run for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs if run.text]
        assert {run.font.size.pt for run in runs} == {9.0}


def test_kpi_table_has_a_shaded_full_width_row_per_section(sectioned: Framework) -> None:
    kpis = _open(sectioned.render_jd("manager", stage="startup", locale="en", format="docx")).tables[-2]
    rows = [[cell.text for cell in row.cells] for row in kpis.rows]
    # python-docx repeats a merged cell's text once per grid column it spans
    assert rows[1] == ["Results (70%)"] * 7 and rows[4] == ["Behaviour (30%)"] * 7
    assert [row[0] for row in rows[2:4]] == ["GMV", "Margin"] and rows[2][2] == "42%"
    assert rows[6] == ["Not in a section"] * 7 and rows[7][0] == "Violations"
    span = kpis.rows[1]._tr.tc_lst[0].tcPr.find(qn("w:gridSpan"))
    assert span is not None and span.get(qn("w:val")) == "7"
