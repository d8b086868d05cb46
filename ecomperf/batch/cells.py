"""Reading the cells of an actuals table: which column is which, the fields of each row, metric columns as floats."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from ecomperf.batch.table import FIELDS, Table, is_empty
from ecomperf.errors import EcomperfError
from ecomperf.periods import PeriodError
from ecomperf.scoring.actuals import parse_actual
from ecomperf.scoring.raters import rating_columns, rating_key
from ecomperf.scoring.vectorized import BoolArray, FloatArray
from ecomperf.spelling import option
from ecomperf.suggest import closest

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = [
    "ROW_FAILURES",
    "CardKey",
    "Fields",
    "Layout",
    "column_of",
    "metric_columns",
    "metric_values",
    "padded",
    "read_fields",
    "read_layout",
]

ROW_FAILURES: Final = (EcomperfError, ValueError, KeyError, TypeError)
"""What a bad row can raise while it is scored; anything else is a bug and propagates."""

# --- the columns of the input ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column of the table holds what."""

    fields: Mapping[str, int]
    contexts: Mapping[str, int]
    metrics: Mapping[str, int]


def read_layout(fw: FrameworkIndex, table: Table) -> tuple[Layout, list[str]]:
    fields: dict[str, int] = {}
    contexts: dict[str, int] = {}
    metrics: dict[str, int] = {}
    unknown: list[str] = []
    ratings, rating_problems = rating_columns(fw, table.columns)
    for index, name in enumerate(table.columns):
        if not name:
            continue
        if name in FIELDS:
            fields.setdefault(name, index)
        elif name in fw.spec.contexts:
            contexts.setdefault(name, index)
        elif name in fw.metrics or name in ratings:  # a rating column (quality@manager) holds a metric's values
            metrics.setdefault(name, index)
        elif rating_key(name) is None:  # unusable rating columns are reported below, without the rater
            unknown.append(name)
    warnings: list[str] = list(dict.fromkeys(rating_problems))
    if unknown:
        known = [*FIELDS, *fw.spec.contexts, *fw.metrics]
        described = []
        for name in unknown:
            close = closest(name, known, ignore_case=True)
            described.append(f"{name} (did you mean {close}?)" if close else name)
        warnings.append(
            f"ignored {len(unknown)} column(s) that are neither a field ({', '.join(FIELDS)}), a context "
            f"dimension nor a metric of {fw.id}: {', '.join(described)}"
        )
    for name in ("employee", "position"):
        if name not in fields and table.rows:
            warnings.append(f"the input has no {name!r} column, so no row can be scored")
    return Layout(fields, contexts, metrics), warnings


def _text(value: object) -> str:
    """A text cell (employee, position, stage, context value) as a stripped string; ``""`` when empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _period_text(value: object) -> str:
    """A period cell as text. A spreadsheet date on the 1st of a month (Excel turns ``2026-10`` typed
    into a cell into 2026-10-01) is that month; an integer year is the year."""
    if isinstance(value, dt.datetime | dt.date):
        if value.day != 1:
            raise PeriodError(
                f"{value.isoformat()[:10]} is a date; scores are per month, quarter or year "
                "(write 2026-10, 2026-Q4 or 2026, formatted as text)"
            )
        return f"{value.year}-{value.month:02d}"
    return _text(value)


def column_of(rows: Sequence[Sequence[Any]], position: int | None) -> list[Any]:
    """One column of rows that are all at least ``position + 1`` cells long."""
    if position is None:
        return [None] * len(rows)
    return list(map(itemgetter(position), rows))


def _texts(table: Table, rows: Sequence[Sequence[Any]], position: int | None) -> list[str]:
    """A text column, stripped; ``""`` for empty cells."""
    if position is None:
        return [""] * len(rows)
    cells = column_of(rows, position)
    if table.text_cells:
        return list(map(str.strip, cells))
    return list(map(_text, cells))


CardKey = tuple[str, str, str, tuple[str, ...]]
"""What a row's card depends on: position, stage, period and the values of the context columns."""


@dataclass(frozen=True)
class Fields:
    """The fields of every row: the card key of each, which rows to score, and why the others cannot be."""

    employees: list[str]
    keys: list[CardKey]
    good: list[int]
    errors: dict[int, str]


def read_fields(
    table: Table, rows: Sequence[Sequence[Any]], layout: Layout, stage: str | None, period: str | None
) -> Fields:
    size = len(rows)
    employees = _texts(table, rows, layout.fields.get("employee"))
    positions = _texts(table, rows, layout.fields.get("position"))
    stages = _texts(table, rows, layout.fields.get("stage"))
    if stage and "" in stages:
        stages = [value or stage for value in stages]
    periods, period_errors = _periods(column_of(rows, layout.fields.get("period")), period or "")
    contexts = [_texts(table, rows, column) for column in layout.contexts.values()]
    context_values: list[tuple[str, ...]] = list(zip(*contexts, strict=True)) if contexts else [()] * size
    keys = list(zip(positions, stages, periods, context_values, strict=True))
    suspects = set(table.bad_rows) | set(period_errors)
    for column in (employees, positions, stages, periods):
        if "" in column:
            suspects.update(index for index, value in enumerate(column) if not value)
    errors: dict[int, str] = {}
    for index in sorted(suspects):
        if index not in table.bad_rows and all(is_empty(cell) for cell in rows[index]):
            errors[index] = ""  # a blank row: skipped, as a spreadsheet user expects
        elif index in table.bad_rows:
            errors[index] = table.bad_rows[index]
        elif not employees[index]:
            errors[index] = "no employee: the employee cell is empty"
        elif not positions[index]:
            errors[index] = "no position: the position cell is empty"
        elif not stages[index]:
            errors[index] = f"no stage: fill the stage column or give a default stage ({option('stage')})"
        elif index in period_errors:
            errors[index] = period_errors[index]
        else:
            errors[index] = f"no period: fill the period column or give a default period ({option('period')})"
    good = [index for index in range(size) if index not in errors] if errors else list(range(size))
    return Fields(employees, keys, good, {index: why for index, why in errors.items() if why})


def _periods(cells: list[Any], default: str) -> tuple[list[str], dict[int, str]]:
    """Each period cell as text (``default`` when empty), and the rows whose cell is not a period."""
    try:
        distinct = set(cells)
    except TypeError:  # an unhashable cell, e.g. a list in JSON
        distinct = None
    if distinct is not None:
        texts: dict[Any, str] = {}
        problems: dict[Any, str] = {}
        for cell in distinct:
            try:
                texts[cell] = _period_text(cell) or default
            except PeriodError as exc:
                problems[cell] = f"bad period: {exc}"
        if not problems:
            return [texts[cell] for cell in cells], {}
    result: list[str] = []
    errors: dict[int, str] = {}
    for index, cell in enumerate(cells):
        try:
            result.append(_period_text(cell) or default)
        except PeriodError as exc:
            errors[index] = f"bad period: {exc}"
            result.append("")
    return result, errors


def metric_values(rows: Sequence[Sequence[Any]], index: int, layout: Layout) -> dict[str, Any]:
    cells = rows[index]
    values: dict[str, Any] = {}
    for metric, column in layout.metrics.items():
        value = cells[column]
        if not is_empty(value):
            values[metric] = value.strip() if isinstance(value, str) else value
    return values


def padded(table: Table) -> Sequence[Sequence[Any]]:
    """The rows, each at least as long as the header (missing cells are empty)."""
    width = len(table.columns)
    if not table.rows or min(map(len, table.rows)) >= width:
        return table.rows
    return [cells if len(cells) >= width else [*cells, *([None] * (width - len(cells)))] for cells in table.rows]


_PLAIN_NUMBERS: Final = re.compile(r"[0-9.eE+\- \t]*")
"""Characters of the cells a whole text column may be converted with ``float`` at once: plain decimal
numbers, for which ``float`` and :func:`ecomperf.scoring.actuals.parse_actual` agree. Anything else (``35%``,
``2000万``, ``1,200``, ``n/a``) is read cell by cell with ``parse_actual`` itself."""


def metric_columns(
    table: Table, cells: Sequence[Sequence[Any]], layout: Layout
) -> tuple[dict[str, FloatArray], BoolArray]:
    """Every metric column as floats (NaN where empty), and per row whether all its cells were usable.

    A row is unusable when any metric cell is neither empty (``None``, blank, NaN: see
    :func:`~ecomperf.batch.table.is_empty`) nor a plain finite number: "n/a", text that is not a number, or an
    infinity. Those rows are scored by the scalar engine, which reports them.
    """
    size = len(cells)
    usable = np.ones(size, dtype=np.bool_)
    values: dict[str, FloatArray] = {}
    for metric, position in layout.metrics.items():
        raw = column_of(cells, position)
        column = _plain_column(raw) if table.text_cells else None
        if column is None:
            column = np.empty(size, dtype=np.float64)
            for index, cell in enumerate(raw):
                number = _cell_number(metric, cell)
                if number is None:
                    usable[index] = False
                    number = math.nan
                column[index] = number
        values[metric] = column
    return values, usable


def _plain_column(cells: list[str]) -> FloatArray | None:
    """A text column converted at once when every cell is a plain decimal number or empty, else ``None``."""
    if not _PLAIN_NUMBERS.fullmatch("".join(cells)):
        return None
    try:
        column = np.fromiter(map(float, cells), dtype=np.float64, count=len(cells))
    except ValueError:  # an empty cell, or a stray sign or exponent
        try:  # "nan" marks the empty cells, as NaN does in the result
            column = np.fromiter(map(float, [cell or "nan" for cell in cells]), dtype=np.float64, count=len(cells))
        except ValueError:
            return None
    return None if np.isinf(column).any() else column


def _cell_number(metric: str, cell: Any) -> float | None:
    """One metric cell: its value, NaN when empty, ``None`` when the scalar engine must read it."""
    if is_empty(cell):
        return math.nan
    kind = type(cell)
    if kind is float or kind is int:
        try:
            number = float(cell)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    try:
        parsed = parse_actual(metric, cell)
    except ROW_FAILURES:
        return None
    return parsed if isinstance(parsed, float) else None
