"""The score workbook (issue 12 item 6, issue 13): number formats by unit, print setup, widths, streaming.

The structure is read back with openpyxl: each cell's number format and value, the page setup, the print
titles, the frozen panes and the filter. The numbers are those of ``examples/actuals-2026-10.csv`` scored
against ``frameworks/ecommerce-ops`` with ``--missing renormalize``, as ``make demo`` writes them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import ecomperf
from ecomperf.batch.results import BatchResult
from ecomperf.io.read import read_actuals
from ecomperf.io.write import write_results
from ecomperf.io.xlsx import write_xlsx, xlsx_rows
from tests.conftest import REPO


@pytest.fixture(scope="module")
def october() -> BatchResult:
    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    return fw.score_many(read_actuals(REPO / "examples" / "actuals-2026-10.csv"), missing="renormalize",
                         detail=True)


@pytest.fixture(scope="module")
def book(october: BatchResult, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "scores.xlsx"
    write_results(path, october)
    return openpyxl.load_workbook(path)


def _detail_row(book: openpyxl.Workbook, employee: str, kpi: str) -> dict[str, Any]:
    """The cells of one Detail row by column name."""
    sheet = book["Detail"]
    names = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == employee and row[5].value == kpi:
            return dict(zip(names, row, strict=True))
    raise AssertionError(f"no Detail row for {employee} {kpi}")


def _summary_row(book: openpyxl.Workbook, employee: str) -> dict[str, Any]:
    sheet = book["Summary"]
    names = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == employee)
    return dict(zip(names, row, strict=True))


# --- number formats by unit (#12 item 6) ---------------------------------------------------------------------


def test_a_percent_actual_shows_as_a_percent_next_to_its_target(book: openpyxl.Workbook) -> None:
    # E001's new-user growth: 10.6% against ">= 10%"; the cell keeps the fraction 0.106, shown as 10.6%
    row = _detail_row(book, "E001 王芳", "new_user_growth_rate")
    assert (row["actual"].value, row["actual"].number_format) == (0.106, "0.0%")
    assert row["target"].value == ">= 10%"
    # achievement 0.106 / 0.10 = 1.06, shown 106.0%; score 106 with two decimals
    assert (row["achievement"].value, row["achievement"].number_format) == (1.06, "0.0%")
    assert (row["score"].value, row["score"].number_format) == (106, "0.00")
    # weighted score 25 · 106 / 100 = 26.5 (weights of the card add up to 100)
    assert (row["weighted_score"].value, row["weighted_score"].number_format) == (26.5, "0.00")
    assert (row["weight"].value, row["weight"].number_format) == (25, "General")  # a whole weight as it is


def test_money_counts_hours_and_days_have_formats_of_their_own(book: openpyxl.Workbook) -> None:
    gmv = _detail_row(book, "E001 王芳", "gmv")["actual"]
    assert (gmv.value, gmv.number_format) == (8_833_333, "#,##0.00")  # shown 8,833,333.00 (yuan)
    oversold = _detail_row(book, "E007 赵磊", "oversell_orders")["actual"]
    assert (oversold.value, oversold.number_format) == (2, "#,##0")  # a whole count: no decimals
    hours = _detail_row(book, "E006 杨帆", "inquiry_response_time")["actual"]
    assert (hours.value, hours.number_format) == (30.77, '0.0"h"')  # shown 30.8h, next to "<= 24h"
    days = _detail_row(book, "E007 赵磊", "inventory_days")["actual"]
    assert (days.value, days.number_format) == (83.33, '0.0"d"')  # shown 83.3d, next to "<= 90d"


def test_totals_and_scores_show_two_decimals_and_keep_their_value(book: openpyxl.Workbook) -> None:
    row = _summary_row(book, "E006 杨帆")
    # 0.5 · 78 + 0.5 · 77.99805 (24h / 30.77h = 0.7799805 of the target) = 77.999025024: shown 78.00
    assert (row["total"].value, row["total"].number_format) == (77.999025024, "0.00")
    assert row["bonus"].number_format == "0.00"
    assert row["inquiry_response_time_score"].number_format == "0.00"


# --- layout and print setup ----------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Summary", "Detail", "Errors"])
def test_every_sheet_prints_landscape_one_page_wide_with_the_header_on_each_page(
    book: openpyxl.Workbook, title: str
) -> None:
    sheet = book[title]
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # one page wide (1 is the attribute's default, so xlsxwriter leaves it out), as many pages down as needed
    assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.print_options.gridLines
    assert sheet.freeze_panes == "C2"  # the header, and the row and employee columns
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"


def _width(sheet: Any, column: str) -> int:
    """A column's width in characters (the file adds Excel's few pixels of cell padding to it)."""
    return int(sheet.column_dimensions[column].width)


def test_widths_follow_the_content_and_cjk_counts_double(book: openpyxl.Workbook) -> None:
    summary = book["Summary"]
    # "E001 王芳": 5 + 2 · 2 = 9 cells, +2 padding = 11; "customer_service_agent" 22 + 2 = 24 for the position
    assert _width(summary, "B") == 11
    assert _width(summary, "C") == 24
    # the Detail notes column stops at 50 and wraps; a row with a long note is as tall as its lines
    detail = book["Detail"]
    assert _width(detail, "O") == 50
    note = _detail_row(book, "E001 王芳", "repurchase_rate")["notes"]
    assert note.alignment.wrap_text
    assert detail.row_dimensions[note.row].height >= 2 * 16


def test_summary_scores_read_upwards_under_their_kpi_ids(book: openpyxl.Workbook) -> None:
    summary = book["Summary"]
    heading = next(cell for cell in summary[1] if cell.value == "new_user_growth_rate_score")
    assert heading.alignment.textRotation == 90
    # the column is as wide as its numbers ("106.00": 6 + 2), not as its 26-character heading
    assert _width(summary, heading.column_letter) == 8
    assert summary["F1"].alignment.textRotation == 0  # "total" stays level


# --- streaming and progress (#13) ----------------------------------------------------------------------------


def test_the_workbook_is_streamed_with_inline_strings(october: BatchResult, tmp_path: Path) -> None:
    # constant_memory mode writes each row's text in the row itself: no shared-strings table is kept
    path = tmp_path / "scores.xlsx"
    write_xlsx(path, october)
    with zipfile.ZipFile(path) as archive:
        assert "xl/sharedStrings.xml" not in archive.namelist()
        assert b't="inlineStr"' in archive.read("xl/worksheets/sheet2.xml")


def test_progress_adds_up_to_the_rows_written(october: BatchResult, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ecomperf.io.xlsx._PROGRESS_CHUNK", 4)
    calls: list[int] = []
    write_xlsx(tmp_path / "scores.xlsx", october, progress=calls.append)
    # 8 Summary rows + 34 Detail rows (33 KPIs scored, 1 dropped) + 0 errors = 42
    assert xlsx_rows(october) == 8 + 34
    assert sum(calls) == 42
    assert max(calls) == 4


def _names(rows: int) -> Iterator[dict[str, object]]:
    for number in range(rows):
        yield {"employee": f"e{number}", "position": "service_agent", "stage": "startup", "period": "2026-10",
               "inquiry_response_hours": 12}


def test_rows_past_the_width_sample_are_written_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ecomperf.io.xlsx._WIDTH_SAMPLE", 2)
    fw = ecomperf.load(REPO / "examples" / "mini-framework")
    path = tmp_path / "scores.xlsx"
    write_xlsx(path, fw.score_many(list(_names(5)), detail=True))
    summary = openpyxl.load_workbook(path)["Summary"]
    assert [row[1].value for row in summary.iter_rows(min_row=2)] == ["e0", "e1", "e2", "e3", "e4"]
    assert _width(summary, "B") == len("employee") + 2  # fitted to the header and e0, e1


# --- text stays text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["<r>x & y</r>", "<r><t>bold</t></r>", "<b>", "a < b"])
def test_text_shaped_like_markup_stays_text(tmp_path: Path, name: str) -> None:
    # xlsxwriter's constant_memory mode copies "<r>…</r>" into the sheet XML as rich text: a name like
    # "<r>x & y</r>" made a workbook nobody could open
    fw = ecomperf.load(REPO / "examples" / "mini-framework")
    rows = [{"employee": name, "position": "service_agent", "stage": "startup", "period": "2026-10",
             "inquiry_response_hours": 12}]
    path = tmp_path / "scores.xlsx"
    write_xlsx(path, fw.score_many(rows, detail=True))
    book = openpyxl.load_workbook(path)
    assert book["Summary"]["B2"].value == name
    assert book["Detail"]["B2"].value == name


# --- the Detail sheet written from the explained detail columns (#13) ------------------------------------


def _cells(path: Path) -> dict[str, list[list[tuple[Any, str, Any, Any]]]]:
    """Every cell of every sheet: its value, number format, fill and wrapping, read back with openpyxl."""
    book = openpyxl.load_workbook(path)
    return {sheet.title: [[(cell.value, cell.number_format, cell.fill.fgColor.rgb, cell.alignment.wrap_text)
                           for cell in row] for row in sheet.iter_rows()] for sheet in book}


def _layout(path: Path) -> dict[str, tuple[Any, ...]]:
    """Every sheet's widths, row heights, frozen panes, filter and print setup."""
    book = openpyxl.load_workbook(path)
    return {sheet.title: ({k: v.width for k, v in sheet.column_dimensions.items()},
                          {k: v.height for k, v in sheet.row_dimensions.items()}, sheet.freeze_panes,
                          sheet.auto_filter.ref, sheet.print_title_rows, sheet.page_setup.orientation)
            for sheet in book}


_BUNDLED = ["frameworks/ecommerce-ops", "frameworks/cross-border", "examples/mini-framework",
            "tests/fixtures/live-shop"]


@pytest.mark.parametrize("name", _BUNDLED)
@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_workbook_from_columns_is_the_workbook_of_the_cards(name: str, locale: str, tmp_path: Path) -> None:
    import dataclasses
    import random

    from tests.batch.test_vectorized import _random_bundled_rows

    fw = ecomperf.load(REPO / name)
    rows = _random_bundled_rows(fw, random.Random(1311), 120)
    explained = fw.score_many(rows, missing="renormalize", explain=True)  # no card per row
    cards = fw.score_many(rows, missing="renormalize", detail=True)
    recorded = dataclasses.replace(cards, details={}, layouts=None)  # cards without columns (a history database)
    written = {}
    for label, result in (("columns", explained), ("cards", cards), ("recorded", recorded)):
        written[label] = tmp_path / f"{label}.xlsx"
        write_xlsx(written[label], result, locale=locale, index=fw)
    columns = _cells(written["columns"])
    assert columns == _cells(written["cards"]) == _cells(written["recorded"])
    assert _layout(written["columns"]) == _layout(written["cards"])
    detail = columns["Detail" if locale == "en" else "明细"]
    assert len(detail) - 1 == sum(len(card.kpis) + len(card.dropped) for card in cards.cards) > 100


def test_detail_cells_are_the_cards_values(tmp_path: Path) -> None:
    """Detail read back cell by cell is what each card says of each KPI, in the order of the cards."""
    from ecomperf.render.sentences import dropped_reason, sentences_text

    fw = ecomperf.load(REPO / "frameworks" / "ecommerce-ops")
    table = read_actuals(REPO / "examples" / "actuals-2026-10.csv")
    path = tmp_path / "columns.xlsx"
    write_xlsx(path, fw.score_many(table, missing="renormalize", explain=True), locale="en", index=fw)
    cards = fw.score_many(table, missing="renormalize", detail=True)
    expected: list[list[Any]] = []
    for summary, card in zip(cards.rows, cards.cards, strict=True):
        lead = [summary.row, summary.employee, card.position, card.stage, card.period]
        for kpi in card.kpis:
            ratings = "; ".join(f"{r.rater} {'—' if r.value is None else f'{r.value:g}'}" for r in kpi.ratings)
            expected.append([*lead, kpi.kpi, kpi.actual, None if kpi.target is None else str(kpi.target),
                             kpi.achievement, kpi.score, kpi.weight, kpi.weighted_score, kpi.method,
                             "yes" if kpi.veto_breached else None, "; ".join(sentences_text(kpi.notes, "en")) or None,
                             kpi.section, ratings or None])
        for dropped in card.dropped:
            expected.append([*lead, dropped.kpi, None, None, None, None, dropped.weight, None, None, None,
                             f"not on the total: {dropped_reason(dropped, 'en')}", None, None])
    detail = [[value for value, *_ in row] for row in _cells(path)["Detail"][1:]]
    assert detail == expected
    assert any(row[14] and "not on the total" in row[14] for row in detail)  # E008's missing KPI, left off
