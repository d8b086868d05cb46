"""Build ``ecomperf/render/templates/jd.docx``, the Word template of job descriptions (岗位说明书).

Run it after changing the layout below; the result is committed so users need no build step::

    .venv/bin/python scripts/build_docx_template.py

The template is an ordinary Word file whose text holds docxtpl/Jinja tags (``{{ jd.title }}``,
``{%p for ... %}`` for repeated paragraphs, ``{%tr for ... %}`` for repeated table rows). It receives
``jd`` (``ecomperf.render.context.JobDescription``) and ``labels``. Every style names an East-Asian font
(``w:eastAsia``) so Chinese text shows in a CJK face rather than a Latin fallback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUTPUT = Path(__file__).resolve().parent.parent / "ecomperf" / "render" / "templates" / "jd.docx"
LATIN_FONT = "Calibri"
EAST_ASIAN_FONT = "Microsoft YaHei"
PORTRAIT_TEXT_WIDTH = 17.4
"""cm: A4 (21 cm) less two margins of 1.8 cm."""
LANDSCAPE_TEXT_WIDTH = 26.1
"""cm: A4 on its side (29.7 cm) less two margins of 1.8 cm; the performance section is landscape."""
TABLE_FONT_SIZE = 9
"""pt: the KPI and event tables are set smaller than body text so that rows stay a few lines high."""
KPI_WIDTHS = {
    # cm, by what each column holds: a name, a sentence or two, "40%", a target with its variants,
    # the scoring method in words, "Quarterly", the data source
    "name": 3.3, "definition": 7.0, "weight": 1.9, "target": 4.3, "scoring": 4.0, "cycle": 1.9, "source": 3.7,
}
HEADER_FILL = "DCE6F2"
SECTION_FILL = "F2F5FA"
"""The shading of a section's row in the KPI table, lighter than the header's."""
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def main() -> int:
    """Write the template to its place in the package and print where it went."""
    build(OUTPUT)
    print(f"wrote {OUTPUT}")
    return 0


def build(path: Path) -> None:
    """Write the Word template of job descriptions to ``path``."""
    document = Document()
    _page_setup(document)
    _fonts(document)
    _body(document)
    _footer(document)
    props = document.core_properties
    props.title = "{{ jd.document_title }}"
    props.subject = "{{ jd.framework_name }}"
    props.author = "ecomperf"
    props.language = "{{ labels.html_lang }}"
    props.created = props.modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    props.last_modified_by = "ecomperf"
    props.revision = 1
    document.save(str(path))


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2.0)


def _set_fonts(r_pr: Any) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in _THEME_ATTRIBUTES:
        # Theme fonts win over explicit ones in Word, so they must go for the explicit fonts to apply.
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)


def _fonts(document: Any) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults)
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    for style in styles:
        if style.type != WD_STYLE_TYPE.LIST:
            _set_fonts(style.element.get_or_add_rPr())
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT
        style.font.bold = True
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    styles["List Bullet"].paragraph_format.space_after = Pt(2)


def _paragraph(document: Any, text: str, style: str | None = None) -> None:
    document.add_paragraph(text, style=style)


def _tag(document: Any, tag: str) -> None:
    """A paragraph holding only a docxtpl ``{%p ... %}`` tag; docxtpl removes the paragraph itself."""
    document.add_paragraph(f"{{%p {tag} %}}")


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row: Any, flag: str) -> None:
    element = OxmlElement(flag)
    row._tr.get_or_add_trPr().append(element)


def _table(
    document: Any,
    headers: list[str] | None,
    loop: str,
    cells: list[str],
    widths: list[float],
    font_size: float | None = None,
) -> None:
    """A table of fixed column widths (cm): an optional header row repeated on every page, then one row
    per item of ``loop``. Rows never split across pages (``w:cantSplit``).

    The widths go into the table grid (``w:gridCol``, which LibreOffice and Word lay the table out by), into
    every cell (``w:tcW``) and into the table's own width, with a fixed layout so that no client
    redistributes them evenly.
    """
    rows = (1 if headers else 0) + 3
    table = document.add_table(rows=rows, cols=len(cells))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_width(table, sum(widths))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    first = 0
    if headers:
        header = table.rows[0]
        _row_flag(header, "w:tblHeader")
        _row_flag(header, "w:cantSplit")
        for cell, text in zip(header.cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            if font_size is not None:
                run.font.size = Pt(font_size)
            _shade(cell, HEADER_FILL)
        first = 1
    table.rows[first].cells[0].text = f"{{%tr for {loop} %}}"
    body = table.rows[first + 1]
    _row_flag(body, "w:cantSplit")
    for cell, text in zip(body.cells, cells, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        if font_size is not None:
            run.font.size = Pt(font_size)
    table.rows[first + 2].cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _kpi_table(document: Any) -> None:
    """The KPI table of one stage: the header, then per section (``table.groups``) a full-width row with the
    section's name and weight, shaded, and its KPIs; a card without sections has one group and no such row.

    The loops are docxtpl row tags (``{%tr ... %}``), each on a row of its own that docxtpl removes.
    """
    headers = [
        "{{ labels.kpi }}", "{{ labels.definition }}", "{{ labels.weight }}", "{{ labels.target }}",
        "{{ labels.scoring }}", "{{ labels.cycle }}", "{{ labels.source }}",
    ]
    cells = [
        "{{ row.name }}", "{{ row.definition }}", "{{ row.weight }}", "{{ row.target }}",
        "{{ row.scoring }}", "{{ row.cycle }}", "{{ row.source }}",
    ]
    widths = list(KPI_WIDTHS.values())
    tags = ["{%tr for group in table.groups %}", "{%tr if group.heading %}", None, "{%tr endif %}",
            "{%tr for row in group.rows %}", None, "{%tr endfor %}", "{%tr endfor %}"]
    table = document.add_table(rows=1 + len(tags), cols=len(cells))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_width(table, sum(widths))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    header = table.rows[0]
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(TABLE_FONT_SIZE)
        _shade(cell, HEADER_FILL)
    section_row, body = table.rows[3], table.rows[6]
    for row, tag in zip(table.rows[1:], tags, strict=True):
        if tag is not None:
            row.cells[0].text = tag
    heading = section_row.cells[0].merge(section_row.cells[-1])
    heading.text = ""
    run = heading.paragraphs[0].add_run("{{ group.heading }}")
    run.bold = True
    run.font.size = Pt(TABLE_FONT_SIZE)
    _shade(heading, SECTION_FILL)
    _row_flag(section_row, "w:cantSplit")
    _row_flag(body, "w:cantSplit")
    for cell, text in zip(body.cells, cells, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.font.size = Pt(TABLE_FONT_SIZE)


def _table_width(table: Any, width_cm: float) -> None:
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(width_cm / 2.54 * 1440)))  # twentieths of a point


def _landscape_section(document: Any) -> None:
    """Start a new page in landscape: the content added after this call (the performance section)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)


def _body(document: Any) -> None:
    _paragraph(document, "{{ jd.document_title }}", "Title")
    _paragraph(
        document,
        "{{ labels.framework }}{{ labels.colon }}{{ jd.framework_name }} · "
        "{{ labels.version }} {{ jd.framework_version }}",
    )
    _paragraph(document, "{{ jd.headings.basic_info }}", "Heading 1")
    _table(document, None, "field in jd.basic_info", ["{{ field.label }}", "{{ field.value }}"], [4.0, 13.4])

    _tag(document, "if jd.purpose")
    _paragraph(document, "{{ jd.headings.purpose }}", "Heading 1")
    _paragraph(document, "{{ jd.purpose }}")
    _tag(document, "endif")

    _tag(document, "if jd.responsibilities")
    _paragraph(document, "{{ jd.headings.responsibilities }}", "Heading 1")
    _tag(document, "for group in jd.responsibilities")
    _paragraph(document, "{{ group.heading }}", "Heading 2")
    _tag(document, "for duty in group.duties")
    _paragraph(document, "{{ duty }}", "List Bullet")
    _tag(document, "endfor")
    _tag(document, "endfor")
    _tag(document, "endif")

    _tag(document, "if jd.forbidden")
    _paragraph(document, "{{ jd.headings.forbidden }}", "Heading 1")
    _table(
        document,
        ["{{ labels.forbidden_duty }}", "{{ labels.reason }}", "{{ labels.belongs_to }}"],
        "item in jd.forbidden",
        ["{{ item.prohibition }}", "{{ item.reason }}", "{{ item.belongs_to }}"],
        [6.4, 8.0, 3.0],
    )
    _tag(document, "endif")

    _tag(document, "if jd.qualifications")
    _paragraph(document, "{{ jd.headings.qualifications }}", "Heading 1")
    _tag(document, "for qualification in jd.qualifications")
    _paragraph(document, "{{ qualification }}", "List Bullet")
    _tag(document, "endfor")
    _tag(document, "endif")

    _tag(document, "if jd.competencies")
    _paragraph(document, "{{ jd.headings.competencies }}", "Heading 1")
    _tag(document, "for group in jd.competencies")
    _paragraph(document, "{{ group.label }}", "Heading 2")
    _tag(document, "for entry in group.entries")
    _paragraph(document, "{{ entry }}", "List Bullet")
    _tag(document, "endfor")
    _tag(document, "endfor")
    _tag(document, "endif")

    _tag(document, "if jd.workflows")
    _paragraph(document, "{{ jd.headings.workflows }}", "Heading 1")
    _table(
        document,
        ["{{ labels.workflow }}", "{{ labels.step }}", "{{ labels.role }}", "{{ labels.when }}"],
        "row in jd.workflows",
        ["{{ row.workflow }}", "{{ row.step }}", "{{ row.role }}", "{{ row.when }}"],
        [5.0, 4.4, 2.6, 5.4],
    )
    _tag(document, "endif")

    _landscape_section(document)
    _paragraph(document, "{{ jd.headings.performance }}", "Heading 1")
    _tag(document, "for table in jd.performance")
    _paragraph(document, "{{ table.heading }}", "Heading 2")
    _tag(document, "if table.rows")
    _kpi_table(document)
    _tag(document, "else")
    _paragraph(document, "{{ labels.no_kpis }}")
    _tag(document, "endif")
    _tag(document, "else")
    _paragraph(document, "{{ labels.no_kpis }}")
    _tag(document, "endfor")
    _tag(document, "if jd.events")
    _paragraph(document, "{{ jd.events_heading }}", "Heading 2")
    _tag(document, "for event in jd.events")
    _paragraph(document, "{{ event.heading }}", "Heading 3")
    _table(
        document,
        ["{{ labels.stage }}", "{{ labels.kpi }}", "{{ labels.weight }}", "{{ labels.target }}"],
        "change in event.changes",
        ["{{ change.stage }}", "{{ change.name }}", "{{ change.weight }}", "{{ change.target }}"],
        [4.0, 9.1, 6.5, 6.5],
        TABLE_FONT_SIZE,
    )
    _tag(document, "endfor")
    _paragraph(document, "{{ jd.events_note }}")
    _tag(document, "endif")
    _paragraph(document, "{{ labels.grade_scale }}", "Heading 2")
    _table(
        document,
        ["{{ labels.grade }}", "{{ labels.grade_min }}", "{{ labels.bonus }}"],
        "grade in jd.grades",
        ["{{ grade.label }}", "{{ grade.min }}", "{{ grade.bonus }}"],
        [7.4, 5.0, 5.0],
    )
    _tag(document, "if jd.veto_rule")
    _paragraph(document, "{{ jd.veto_rule }}")
    _tag(document, "endif")
    closing = document.add_paragraph()
    run = closing.add_run("{{ labels.generated_by }}")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x70, 0x70, 0x70)


def _footer(document: Any) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    run = paragraph.add_run("{{ jd.framework_name }} · {{ jd.document_title }}")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x70, 0x70, 0x70)


if __name__ == "__main__":
    sys.exit(main())
