"""Excel workbooks of results: summary, detail, errors and warnings sheets, styled, streamed (write-only)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any, Final

from ecomperf.batch.results import BatchResult
from ecomperf.errors import ActualsIOError
from ecomperf.io.atomic import atomic_write, ensure_folder
from ecomperf.render.messages import translate
from ecomperf.render.sentences import dropped_reason
from ecomperf.spreadsheet_text import keep_as_text, looks_like_formula

__all__ = ["grade_fills", "write_xlsx"]

# --- xlsx -----------------------------------------------------------------------------------------

# Grade fills from the best grade (green) to the worst (red); Excel's own "good/neutral/bad" tints.
_GRADE_FILLS: Final = ("C6EFCE", "E2EFDA", "FFEB9C", "FCE4D6", "FFC7CE")
_HEADER_FILL: Final = "D9E1F2"
_MAX_WIDTH: Final = 60
_WIDTH_SAMPLE: Final = 2000
_SHEET_ROWS: Final = 1_048_575
"""Data rows per sheet: Excel's limit of 1,048,576 rows less the header."""


def grade_fills(grades: Sequence[str]) -> dict[str, str]:
    """An RGB fill per grade, spread from green (best) to red (worst).

    Example:
        >>> grade_fills(["A", "B", "C"])
        {'A': 'C6EFCE', 'B': 'FFEB9C', 'C': 'FFC7CE'}
    """
    if len(grades) == 1:
        return {grades[0]: _GRADE_FILLS[0]}
    last = len(_GRADE_FILLS) - 1
    return {
        grade: _GRADE_FILLS[round(index * last / (len(grades) - 1))] for index, grade in enumerate(grades)
    }


def write_xlsx(path: str | Path, result: BatchResult, *, locale: str = "en") -> None:
    """A workbook with a *Summary* sheet (grade cells coloured), a *Detail* sheet with one row per KPI
    score (when the result has cards), an *Errors* sheet and, when there are any, a *Warnings* sheet.

    Every sheet has a bold, frozen header row and column widths fitted to its first rows. A table longer
    than Excel's row limit continues on ``Detail (2)`` and so on.
    """
    try:
        from openpyxl import Workbook  # optional extra [xlsx]
    except ImportError:  # pragma: no cover - openpyxl is an optional extra
        raise ActualsIOError(f"{path}: writing .xlsx needs openpyxl: pip install 'ecomperf[xlsx]'") from None
    ensure_folder(Path(path))  # before the write-only workbook opens its row streams
    kpis = result.kpi_ids
    extra = result.subtotal_columns()
    fills = grade_fills(result.grades)
    workbook = Workbook(write_only=True)
    summary_rows = (
        [s.origin or s.row, s.employee, s.position, s.stage, s.period, s.total, s.grade, s.bonus, ", ".join(s.veto),
         *(values[index] for _, values in extra), *(s.scores.get(kpi) for kpi in kpis)]
        for index, s in enumerate(result.rows)
    )
    decimals = result.display_scale.decimals if result.display_scale is not None else 2
    shown = "0." + "0" * decimals if decimals else "0"
    _sheet(
        workbook, "Summary",
        ["row", "employee", "position", "stage", "period", "total", "grade", "bonus", "veto",
         *(name for name, _ in extra), *(f"{kpi}_score" for kpi in kpis)],
        summary_rows,
        formats={5: "0.00", 7: "0.00", **{9 + i: shown if name.startswith("total_of_") else "0.00"
                                          for i, (name, _) in enumerate(extra)},
                 **{9 + len(extra) + i: "0.00" for i in range(len(kpis))}},
        fill_column=6, fills=fills,
    )
    if result.cards:
        # raw numbers: a number format per cell would double the time of the largest sheet
        _sheet(workbook, "Detail", _DETAIL_HEADER, _detail_rows(result, locale), formats={})
    _sheet(workbook, "Errors", ["row", "employee", "reason"],
           ([e.origin or e.row, e.employee, e.reason] for e in result.errors), formats={})
    if result.warnings:
        _sheet(workbook, "Warnings", ["warning"], ([w] for w in result.warnings), formats={})

    def write(temporary: Path) -> None:
        workbook.save(temporary)

    atomic_write(path, write)


_DETAIL_HEADER: Final = [
    "row", "employee", "position", "stage", "period", "kpi", "actual", "target", "achievement", "score",
    "weight", "weighted_score", "method", "veto_breached", "notes", "section", "ratings",
]


def _detail_rows(result: BatchResult, locale: str) -> Iterable[list[Any]]:
    for summary, card in zip(result.rows, result.cards, strict=True):
        lead = [summary.origin or summary.row, summary.employee, card.position, card.stage, card.period]
        for kpi in card.kpis:
            yield [
                *lead, kpi.kpi, kpi.actual, str(kpi.target) if kpi.target is not None else None,
                kpi.achievement, kpi.score, kpi.weight, kpi.weighted_score, kpi.method,
                "yes" if kpi.veto_breached else "", "; ".join(kpi.notes), kpi.section,
                "; ".join(f"{r.rater} {'—' if r.value is None else f'{r.value:g}'}" for r in kpi.ratings) or None,
            ]
        for dropped in card.dropped:
            yield [*lead, dropped.kpi, None, None, None, None, dropped.weight, None, None, "",
                   translate(locale, "not on the total: {reason}", reason=dropped_reason(dropped, locale))]


def _sheet(
    workbook: Any,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    formats: dict[int, str],
    fill_column: int | None = None,
    fills: dict[str, str] | None = None,
) -> None:
    """Write one table: a bold, frozen header, widths fitted to the first rows, and as many sheets
    (``Title``, ``Title (2)`` …) as Excel's row limit needs."""
    from openpyxl.cell import WriteOnlyCell  # optional extra [xlsx]
    from openpyxl.styles import Font, PatternFill  # optional extra [xlsx]
    from openpyxl.utils import get_column_letter  # optional extra [xlsx]

    iterator = iter(rows)
    sample = list(islice(iterator, _WIDTH_SAMPLE))
    widths = [_display_width(name) for name in header]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            if value is not None:
                widths[index] = max(widths[index], _display_width(_shown(value, formats.get(index))))
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    pattern_fills = {grade: PatternFill("solid", fgColor=rgb) for grade, rgb in (fills or {}).items()}

    def new_sheet(part: int) -> Any:
        sheet = workbook.create_sheet(title if part == 1 else f"{title} ({part})")
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cell.fill = header_fill
            header_cells.append(cell)
        sheet.append(header_cells)
        return sheet

    part, written = 1, 0
    sheet = new_sheet(part)
    for row in chain(sample, iterator):
        if written == _SHEET_ROWS:
            part, written = part + 1, 0
            sheet = new_sheet(part)
        cells: list[Any] = []
        for index, value in enumerate(row):
            number_format = formats.get(index)
            fill = pattern_fills.get(value) if index == fill_column and isinstance(value, str) else None
            text = looks_like_formula(value)
            if (number_format is None or not isinstance(value, int | float)) and fill is None and not text:
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if text:
                keep_as_text(cell)  # input text such as "=HYPERLINK(...)" stays text, never a formula
            if number_format is not None:
                cell.number_format = number_format
            if fill is not None:
                cell.fill = fill
            cells.append(cell)
        sheet.append(cells)
        written += 1


def _shown(value: object, number_format: str | None) -> str:
    if isinstance(value, float) and number_format is not None:
        return f"{value:.2f}"
    return str(value)


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
