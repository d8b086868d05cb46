"""Write a year's target calendar (:func:`ecomperf.planning.calendar.year_calendar`) as CSV, XLSX or JSON.

* **CSV**, long: one row per plan, column and month: ``plan, metric, position, kpi, role, share,
  period, amount``. Summing ``amount`` over one plan's ``role == plan`` rows gives the plan's total;
  over one position's rows, its share of it. UTF-8 with a byte-order mark, so Excel shows Chinese.
* **XLSX**, wide: one sheet per plan, a row per month with the quarter subtotals and the total, a
  column per position; the numbers are values (no formulas), formatted ``#,##0.00``.
* **JSON**: ``{"year", "plans": [...]}`` with :meth:`PlanView.to_dict` of each plan.

Files are written atomically (:func:`ecomperf.io.atomic.atomic_write`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ecomperf.errors import ActualsIOError
from ecomperf.io.atomic import atomic_write
from ecomperf.planning.calendar import PlanView

__all__ = ["CSV_HEADER", "plan_csv", "plan_json", "write_plan_xlsx"]

CSV_HEADER = ("plan", "metric", "position", "kpi", "role", "share", "period", "amount")
"""The columns of the long CSV."""


def _long_rows(views: Sequence[PlanView]) -> Iterator[list[Any]]:
    for view in views:
        for number, column in enumerate(view.columns):
            for row in view.rows:
                if row.kind == "month":
                    yield [view.plan.id, view.plan.metric, column.position or "", column.kpi, column.role,
                           repr(column.share), row.period, f"{row.amounts[number]:.2f}"]


def plan_csv(views: Sequence[PlanView]) -> str:
    """The long CSV text (with the byte-order mark)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(_long_rows(views))
    return buffer.getvalue()


def plan_json(year: int, views: Sequence[PlanView]) -> str:
    """The JSON text."""
    return json.dumps({"year": year, "plans": [view.to_dict() for view in views]}, ensure_ascii=False, indent=2) + "\n"


def write_plan_xlsx(path: str | Path, views: Sequence[PlanView]) -> None:
    """One sheet per plan: months, quarter subtotals and the total down, the plan and its positions across.

    Raises:
        ActualsIOError: openpyxl is not installed, or the file cannot be written.
    """
    try:
        from openpyxl import Workbook  # optional extra: openpyxl for [xlsx]
        from openpyxl.styles import Font  # the same
    except ImportError:  # pragma: no cover - openpyxl is an optional extra
        raise ActualsIOError(f"{path}: writing .xlsx needs openpyxl: pip install 'ecomperf[xlsx]'") from None
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for view in views:
        sheet = workbook.create_sheet(view.plan.id[:31])
        # every text cell is an id (snake_case) or a period id, so none can start a formula
        header = ["period", *(column.label for column in view.columns)]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        for row in view.rows:
            sheet.append([row.period, *row.amounts])
            if row.kind != "month":
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        for cells in sheet.iter_rows(min_row=2, min_col=2):
            for cell in cells:
                cell.number_format = "#,##0.00"
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 12
        for index in range(2, len(header) + 1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(16, len(header[index - 1]) + 2)
    atomic_write(path, workbook.save)

