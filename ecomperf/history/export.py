"""The history as a table: one row per recorded card with its change against the previous period.

What ``ecomperf history`` prints and writes (CSV, JSON, XLSX); the HTML trend report is
:mod:`ecomperf.render.history`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from ecomperf.history.store import RecordedCard
from ecomperf.scoring.trends import PeriodChange, period_changes
from ecomperf.spreadsheet_layout import DECIMALS
from ecomperf.spreadsheet_text import inert_csv_text as inert  # the one rule for formula-like text

__all__ = ["COLUMNS", "history_rows", "render_csv", "render_json", "write_xlsx"]

COLUMNS: Final = (
    "card_id", "employee", "position", "stage", "period", "total", "total_change", "previous_period",
    "previous_total", "grade", "previous_grade", "grade_change", "bonus", "veto_breaches", "framework",
    "framework_version", "fingerprint", "version", "current", "superseded_at", "recorded_at", "command",
    "source",
)
"""The fields of a history row, in order (the CSV header and the JSON keys)."""


def history_rows(entries: Sequence[RecordedCard], reference: Sequence[RecordedCard]) -> list[dict[str, Any]]:
    """One row per entry, with its change against the same employee's card for the previous period.

    Args:
        entries: the cards to list (any filter, superseded versions included or not).
        reference: the current cards to look previous periods up in (unfiltered by period, so that the
            first listed month still has its change).

    Returns:
        Dicts keyed by :data:`COLUMNS`; ``grade_change`` counts places on the grade scale (+1: one grade
        better), ``None`` where unknown.
    """
    changes = period_changes([entry.card for entry in entries], [entry.card for entry in reference if entry.current])
    return [_row(entry, change) for entry, change in zip(entries, changes, strict=True)]


def _row(entry: RecordedCard, change: PeriodChange) -> dict[str, Any]:
    card = entry.card
    return {
        "card_id": entry.id,
        "employee": card.employee,
        "position": card.position,
        "stage": card.stage,
        "period": card.period,
        "total": card.total,
        "total_change": change.total_change,
        "previous_period": change.previous_period,
        "previous_total": change.previous_total,
        "grade": card.grade,
        "previous_grade": change.previous_grade,
        "grade_change": change.grade_steps,
        "bonus": card.bonus,
        "veto_breaches": list(card.veto_breaches),
        "framework": card.framework,
        "framework_version": card.framework_version,
        "fingerprint": card.fingerprint,
        "version": entry.version,
        "current": entry.current,
        "superseded_at": None if entry.superseded_at is None else entry.superseded_at.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(),
        "command": entry.command,
        "source": entry.source,
    }


def render_json(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a JSON list of objects (UTF-8 text, Chinese kept as is)."""
    return json.dumps(list(rows), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def render_csv(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as CSV with a header; free text that a spreadsheet would run as a formula is made inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(name, row[name]) for name in COLUMNS])
    return buffer.getvalue()


_TEXT: Final = frozenset({"employee", "command", "source"})


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    text = str(value)
    return inert(text) if name in _TEXT else text


_NUMERIC: Final = frozenset({"total", "total_change", "previous_total", "bonus"})


def write_xlsx(path: str | Path, rows: Sequence[dict[str, Any]], grades: Sequence[str]) -> None:
    """A workbook with a *History* sheet (grade cells coloured as in score reports), written atomically.

    Raises:
        ActualsIOError: xlsxwriter is missing or the file cannot be written.
    """
    from ecomperf.io.xlsx import write_table  # start-up cost: xlsxwriter loads only for .xlsx outputs

    numbers = {index: DECIMALS for index, name in enumerate(COLUMNS) if name in _NUMERIC}
    body = (
        [", ".join(value) if isinstance(value, list) else ("yes" if value else "no") if isinstance(value, bool)
         else value for value in (row[name] for name in COLUMNS)]
        for row in rows
    )
    write_table(path, "History", list(COLUMNS), body, numbers=numbers, grade_column=COLUMNS.index("grade"),
                grades=list(grades))
