"""The ownership matrix in Markdown, HTML and Excel: weights per stage, how duties are held, gaps flagged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

import ecomperf
from ecomperf.errors import RenderError
from ecomperf.framework import Framework
from ecomperf.render.matrix import ownership_matrix
from tests.conftest import BASE_FILES, write_framework
from tests.render.html_outline import outline

MODULES = BASE_FILES["modules.yaml"].replace("kpis: [gmv]", "kpis: [gmv, revenue]")
MORE_MODULES = """\
    apiVersion: ecomperf/v1
    kind: Module
    id: service
    name: {zh: 客服, en: Service}
    shared: true
    responsibilities:
      - {id: answers, text: {zh: 答复咨询, en: Answer questions}}
    ---
    apiVersion: ecomperf/v1
    kind: Module
    id: orphan
    name: {zh: 闲置模块, en: Orphan}
    responsibilities:
      - {id: nobody, text: {zh: 无人负责, en: Nobody does this}}
    """

POSITIONS = BASE_FILES["positions.yaml"].replace("modules: [product_ops]", "modules: [product_ops, service]")
ASSISTANT = """\
    apiVersion: ecomperf/v1
    kind: Position
    id: assistant
    name: {zh: 运营助理, en: Assistant}
    reports_to: manager
    modules: [product_ops, service]
    scorecard:
      stages:
        startup:
          - {kpi: gmv, weight: 100, target: ">= 50万"}
    """


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """Revenue is a module KPI on no scorecard; product_ops is held twice; service twice but shared; orphan never."""
    root = tmp_path_factory.mktemp("matrix") / "fw"
    files: dict[str, str | None] = {
        "modules.yaml": MODULES,
        "more_modules.yaml": MORE_MODULES,
        "positions.yaml": POSITIONS,
        "positions_more.yaml": ASSISTANT,
    }
    return ecomperf.load(write_framework(root, files))


def test_kpi_rows_show_weight_per_stage_and_flag_unowned(gaps: Framework) -> None:
    matrix = ownership_matrix(gaps, "en")
    assert [column.id for column in matrix.positions] == ["manager", "channel_lead", "assistant"]
    rows = {row.kpi: row for row in matrix.kpis}
    assert rows["gmv"].cells == ("Startup 60 / Mature 100", "", "Startup 100")
    assert rows["margin"].cells == ("Startup 40", "", "")
    assert rows["violations"].cells == ("", "Startup veto", "")
    assert rows["revenue"].cells == ("", "", "") and rows["revenue"].status == "unowned"
    assert [kpi for kpi, row in rows.items() if row.status] == ["revenue"]


def test_duty_rows_say_how_each_position_holds_the_duty(gaps: Framework) -> None:
    rows = {row.ref: row for row in ownership_matrix(gaps, "en").duties}
    assert rows["product_ops.selection"].cells == ("● module", "", "● module")
    assert rows["product_ops.selection"].status == "multiple"
    assert rows["service.answers"].status == "shared"
    assert rows["orphan.nobody"].status == "unheld"
    assert rows["channel_ops.expansion"].status == ""


def test_markdown_marks_flagged_rows(gaps: Framework) -> None:
    md = gaps.matrix(locale="en")
    assert isinstance(md, str)
    assert "| KPI | Manager | Channel lead | Assistant | Note |" in md
    assert "| **⚠ Revenue** |  |  |  | no position owns it |" in md
    assert "| **⚠ Selection** | Product ops | ● module |  | ● module | held by several positions |" in md
    assert "| Answer questions | Service | ● module |  | ● module | shared (declared) |" in md
    assert "| GMV | Startup 60 / Mature 100 |  | Startup 100 |  |" in md


def test_html_rows_carry_flag_classes(gaps: Framework) -> None:
    html = gaps.matrix(format="html", locale="en")
    assert isinstance(html, str)
    page = outline(html)
    kpis, duties = page.tables
    assert kpis[0] == ["KPI", "Manager", "Channel lead", "Assistant", "Note"]
    assert len(kpis) == 1 + 5 and len(duties) == 1 + 4
    rows = [attrs for tag, attrs in page.tags if tag == "tr"]
    flagged = [attrs.get("data-kpi") or attrs.get("data-duty") for attrs in rows if attrs.get("class") == "flag"]
    assert flagged == ["revenue", "product_ops.selection", "orphan.nobody"]
    soft = [attrs.get("data-duty") for attrs in rows if attrs.get("class") == "soft"]
    assert soft == ["service.answers"]


def test_xlsx_has_a_sheet_per_half_with_flagged_rows_filled(gaps: Framework) -> None:
    data = gaps.matrix(format="xlsx", locale="zh")
    assert isinstance(data, bytes)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["指标 × 岗位", "职责 × 岗位"]
    kpis, duties = workbook["指标 × 岗位"], workbook["职责 × 岗位"]
    assert [cell.value for cell in kpis[1]] == ["考核指标", "店长", "渠道主管", "运营助理", "提示"]
    by_name = {row[0].value: row for row in kpis.iter_rows(min_row=2)}
    assert by_name["GMV"][1].value == "初创期 60 / 成熟期 100"
    assert by_name["收入"][4].value == "无岗位承担"
    assert by_name["收入"][0].fill.fgColor.rgb.endswith("FDE2E2")
    assert by_name["GMV"][0].fill.fill_type is None
    assert kpis.freeze_panes == "B2" and duties.freeze_panes == "C2"


def test_xlsx_prints_landscape_one_page_wide_with_the_header_on_each_page(gaps: Framework) -> None:
    workbook = load_workbook(io.BytesIO(gaps.matrix(format="xlsx", locale="zh")))
    for sheet in workbook:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.auto_filter.ref == sheet.dimensions


def test_xlsx_columns_fit_one_stage_per_line_and_rows_grow_with_their_lines(gaps: Framework) -> None:
    kpis = load_workbook(io.BytesIO(gaps.matrix(format="xlsx", locale="zh")))["指标 × 岗位"]
    by_name = {row[0].value: row for row in kpis.iter_rows(min_row=2)}
    cell = by_name["GMV"][1]
    assert cell.value == "初创期 60 / 成熟期 100"
    # the widest piece is "初创期 60 /" (6 + 5 = 11 cells): the column is 11 + 2 wide; the whole text, 22
    # cells, takes 2 lines of the 12 usable, 16 points each
    assert kpis.column_dimensions[cell.column_letter].width == 13
    assert kpis.row_dimensions[cell.row].height == 2 * 16


def test_unknown_format_or_locale(gaps: Framework) -> None:
    with pytest.raises(RenderError, match="unknown format 'xls'; did you mean 'xlsx'"):
        gaps.matrix(format="xls")
    with pytest.raises(RenderError, match="unknown locale"):
        gaps.matrix(locale="de")


def test_bundled_frameworks_render_in_every_format(ecommerce_ops: Framework, cross_border: Framework) -> None:
    for framework in (ecommerce_ops, cross_border):
        for fmt in ("md", "html", "xlsx"):
            assert framework.matrix(format=fmt)


def test_matrix_text_from_yaml_is_escaped_in_html(hostile: Framework, tmp_path: Path) -> None:
    html = hostile.matrix(format="html")
    assert isinstance(html, str)
    assert "<b>" not in html and "&lt;b&gt;粗体&lt;/b&gt;" in html


def test_relative_weights_appear_in_points_of_100(tmp_path: Path) -> None:
    relative = BASE_FILES["framework.yaml"].replace(
        "veto_caps_grade_at: C\n", "veto_caps_grade_at: C\n          weights: relative\n")
    positions = BASE_FILES["positions.yaml"].replace("{kpi: gmv, weight: 60,", "{kpi: gmv, weight: 3,").replace(
        "{kpi: margin, weight: 40,", "{kpi: margin, weight: 1,")
    fw = ecomperf.load(write_framework(tmp_path / "fw", {"framework.yaml": relative, "positions.yaml": positions}))
    rows = {row.kpi: row for row in ownership_matrix(fw, "en").kpis}
    # startup 3 and 1 of 4 → 75 and 25; mature gmv alone (100 of 100) stays 100
    assert rows["gmv"].cells[0] == "Startup 75 / Mature 100"
    assert rows["margin"].cells[0] == "Startup 25"


def test_html_columns_are_fixed_so_the_matrix_fits_its_page(ecommerce_ops: Framework) -> None:
    html = ecommerce_ops.matrix(format="html", locale="en")
    positions = len(ecommerce_ops.positions)
    # one column per position plus the label and note columns (the duties half adds the module column)
    assert html.count("<col>") == 2 * positions
    assert "table-layout: fixed" in html and "position: sticky; top: 0" in html
    assert "@page { size: A4 landscape" in html
    assert 'class="nowrap"' not in html  # nothing in the matrix refuses to wrap but a single stage weight


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a PDF Chromium printed."""
    import re

    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def test_in_chromium_the_matrix_fits_1366_px_keeps_its_header_and_prints_landscape(
    ecommerce_ops: Framework, tmp_path: Path
) -> None:
    from tests.browser import BINARY, SKIP_REASON, Chromium

    if BINARY is None:
        pytest.skip(SKIP_REASON)
    printed: dict[str, list[tuple[float, float]]] = {}
    with Chromium() as browser:  # one browser for both languages: starting one is most of the cost
        for locale in ("zh", "en"):
            page = tmp_path / f"matrix.{locale}.html"
            page.write_text(ecommerce_ops.matrix(format="html", locale=locale), encoding="utf-8")
            session = browser.open(page.as_uri(), width=1366, height=900, offline=True)
            assert browser.evaluate(session, "document.documentElement.scrollWidth <= innerWidth"), locale
            browser.evaluate(session, "window.scrollTo(0, 1500)")
            # the KPI table's header row stays at the top of the window while its rows scroll under it
            top = browser.evaluate(session, "document.querySelector('#kpis thead th').getBoundingClientRect().top")
            assert top == 0, locale
            printed[locale] = _pdf_pages(browser.print_pdf(session))
    for pages in printed.values():
        assert pages and all(width > height for width, height in pages)  # A4 landscape: 842 × 595 points
        # 13 positions, 55 KPIs and 79 duties: 9 (zh) and 13 (en) pages; unwrapped and portrait it took 28
        assert len(pages) <= 14
