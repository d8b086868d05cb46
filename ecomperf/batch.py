"""Score many rows of actuals at once: one row per employee and period.

A row is a mapping of columns: ``employee``, ``position``, ``stage``, ``period``, one column per context
dimension of the framework (``category`` …) and one per metric (``gmv``, ``sales_revenue`` …). Empty
cells are missing values. :func:`score_many` scores every row, never stops at a bad one and never
drops one silently: each row ends up either in :attr:`BatchResult.rows` (and :attr:`BatchResult.cards`)
or in :attr:`BatchResult.errors` with its row number and the reason.

Row numbers count as a spreadsheet user does: the header is row 1, so the first data row is row 2.
Rows read from JSON or YAML files carry the line their object starts on instead (see :mod:`ecomperf.io`).

Two engines give the same numbers. With ``detail=True`` every row is scored by the scalar engine
(:func:`ecomperf.scoring.score`) and keeps its :class:`~ecomperf.scorecard.ScoreCard`. With
``detail=False`` rows are grouped by the card they resolve to and scored with numpy
(:mod:`ecomperf.vectorized`), one pass per KPI, without building a Pydantic object per row; rows the
fast path cannot take (missing, "n/a" or malformed values, undefined formulas) are scored by the
scalar engine, so their results and error messages are exactly the scalar ones.

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
    >>> result = fw.score_many([{"employee": "li", "position": "service_agent", "stage": "startup",
    ...                          "period": "2026-10", "inquiry_response_hours": 12}])  # doctest: +SKIP
    >>> result.rows[0].total, result.rows[0].grade  # doctest: +SKIP
    (120.0, 'A')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any, Final

from ecomperf.errors import EcomperfError
from ecomperf.periods import Period, PeriodError
from ecomperf.scorecard import MissingPolicy, ScoreCard

if TYPE_CHECKING:
    from ecomperf.framework import Framework

__all__ = [
    "FIELDS",
    "ActualsRow",
    "BatchResult",
    "RowError",
    "RowSummary",
    "Table",
    "score_many",
]

FIELDS: Final = ("employee", "position", "stage", "period")
"""The columns every row carries besides context dimensions and metrics."""

FIRST_DATA_ROW: Final = 2
"""Row number of the first row of a list of mappings: row 1 is the (implied) header."""


class ActualsRow(dict[str, Any]):
    """One input row: a ``dict`` of column to value that also remembers its row number.

    Attributes:
        row: the 1-based row number used in messages (the header is row 1).

    Example:
        >>> row = ActualsRow({"employee": "li", "gmv": "210万"}, row=7)
        >>> row["gmv"], row.row
        ('210万', 7)
    """

    __slots__ = ("row",)

    def __init__(self, values: Mapping[str, Any], row: int) -> None:
        super().__init__(values)
        self.row = row


@dataclass(slots=True)
class Table:
    """Rows of actuals in columns, with the row number of each: what :mod:`ecomperf.io` readers return.

    Cells are kept as read (strings from CSV, numbers and strings from spreadsheets); a cell that is
    ``None`` or blank text is a missing value.

    Attributes:
        columns: the header, stripped of surrounding spaces (``""`` for a column without a header).
        rows: the cells of each data row, in column order (a row may be shorter: missing cells are empty).
        numbers: the row number of each data row.
        source: where the rows came from, for messages (a file path, or ``"<rows>"``).
        encoding: the text encoding the file was read with, when it was a text file.
        sheet: the worksheet read, for spreadsheets.
        text_cells: every cell is a ``str`` (CSV), which lets the fast path convert whole columns at once.
        bad_rows: row index -> why that row cannot be used (e.g. more cells than the header has columns).
        warnings: things the reader noticed that the user should know.
    """

    columns: tuple[str, ...]
    rows: list[Sequence[Any]]
    numbers: list[int]
    source: str = "<rows>"
    encoding: str | None = None
    sheet: str | None = None
    text_cells: bool = False
    bad_rows: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, source: str = "<rows>") -> Table:
        """Build a table from mappings; the columns are every key seen, in order of first appearance.

        A record that is an :class:`ActualsRow` keeps its row number; others are numbered from row 2.

        Example:
            >>> table = Table.from_records([{"employee": "li"}, {"employee": "wang", "gmv": 5}])
            >>> table.columns, table.numbers, table.rows[0]
            (('employee', 'gmv'), [2, 3], ('li', None))
        """
        items = list(records)
        order: dict[str, int] = {}
        for record in items:
            for key in record:
                order.setdefault(str(key).strip(), len(order))
        columns = tuple(order)
        rows: list[Sequence[Any]] = []
        numbers: list[int] = []
        for position, record in enumerate(items):
            cells: list[Any] = [None] * len(columns)
            for key, value in record.items():
                cells[order[str(key).strip()]] = value
            rows.append(tuple(cells))
            numbers.append(record.row if isinstance(record, ActualsRow) else position + FIRST_DATA_ROW)
        return cls(columns, rows, numbers, source=source)

    def records(self) -> Iterator[ActualsRow]:
        """Each row as an :class:`ActualsRow`, without its empty cells and unnamed columns."""
        for cells, number in zip(self.rows, self.numbers, strict=True):
            values = {
                name: value
                for name, value in zip(self.columns, cells, strict=False)
                if name and not is_empty(value)
            }
            yield ActualsRow(values, number)


@dataclass(frozen=True, slots=True)
class RowSummary:
    """The score of one good row, without the per-KPI detail of a :class:`~ecomperf.scorecard.ScoreCard`.

    Attributes:
        row: the row number (header = row 1).
        employee, position, stage, period: as in the row (period normalised, e.g. ``2026-Q4``).
        total: the weighted total; ``grade`` and ``bonus`` after any veto cap.
        scores: KPI id -> score, in card order, for the KPIs on the total (dropped KPIs are absent).
        veto: the veto KPIs breached.
        context: the row's context dimensions.
    """

    row: int
    employee: str
    position: str
    stage: str
    period: str
    total: float
    grade: str
    bonus: float
    scores: Mapping[str, float]
    veto: tuple[str, ...] = ()
    context: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_card(cls, row: int, card: ScoreCard) -> RowSummary:
        """The summary of a scored card."""
        return cls(
            row=row,
            employee=card.employee or "",
            position=card.position,
            stage=card.stage,
            period=card.period,
            total=card.total,
            grade=card.grade,
            bonus=card.bonus,
            scores={kpi.kpi: kpi.score for kpi in card.kpis},
            veto=tuple(card.veto_breaches),
            context=dict(card.context),
        )


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be scored.

    Attributes:
        row: the row number (header = row 1).
        employee: the employee named in the row (``""`` when the cell is empty).
        reason: what is wrong, on one line.
    """

    row: int
    employee: str
    reason: str

    def format(self, source: str) -> str:
        """``source:row: employee: reason``, the line printed on stderr by ``ecomperf score``.

        Example:
            >>> RowError(5, "li", "no actual for gmv").format("actuals.csv")
            'actuals.csv:5: li: no actual for gmv'
        """
        return f"{source}:{self.row}: {self.employee or '-'}: {self.reason}"


@dataclass(frozen=True)
class BatchResult:
    """Everything :func:`score_many` found.

    Attributes:
        framework: the framework id.
        cards: one :class:`~ecomperf.scorecard.ScoreCard` per good row, in input order (empty when
            scored with ``detail=False``).
        rows: one :class:`RowSummary` per good row, in input order.
        errors: one :class:`RowError` per row that could not be scored, in input order.
        warnings: problems with the input as a whole (unknown columns, reader notes).
        grades: the framework's grade ids, highest first (for colouring and reports).
        source: where the rows came from.
        encoding: the text encoding of the input file, when it was a text file.
    """

    framework: str
    cards: list[ScoreCard]
    rows: list[RowSummary]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)
    grades: tuple[str, ...] = ()
    source: str = "<rows>"
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        """Whether every row was scored."""
        return not self.errors

    @property
    def kpi_ids(self) -> list[str]:
        """Every KPI scored in any row, in order of first appearance (the ``<kpi>_score`` columns)."""
        seen: dict[str, None] = {}
        for summary in self.rows:
            for kpi in summary.scores:
                seen.setdefault(kpi)
        return list(seen)


def is_empty(value: object) -> bool:
    """Whether a cell counts as missing: ``None``, blank text or a float NaN (an empty spreadsheet cell).

    Example:
        >>> is_empty("  "), is_empty(0), is_empty(None)
        (True, False, True)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return False


# --- reading the columns of a row -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which column of the table holds what."""

    fields: Mapping[str, int]
    contexts: Mapping[str, int]
    metrics: Mapping[str, int]
    unknown: tuple[str, ...]


def _layout(fw: Framework, table: Table) -> tuple[_Layout, list[str]]:
    fields: dict[str, int] = {}
    contexts: dict[str, int] = {}
    metrics: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(table.columns):
        if not name:
            continue
        if name in FIELDS:
            fields.setdefault(name, index)
        elif name in fw.spec.contexts:
            contexts.setdefault(name, index)
        elif name in fw.metrics:
            metrics.setdefault(name, index)
        else:
            unknown.append(name)
    warnings: list[str] = []
    if unknown:
        known = [*FIELDS, *fw.spec.contexts, *fw.metrics]
        lowered = {name.lower(): name for name in known}
        described = []
        for name in unknown:
            close = get_close_matches(name.lower(), list(lowered), n=1)
            described.append(f"{name} (did you mean {lowered[close[0]]}?)" if close else name)
        warnings.append(
            f"ignored {len(unknown)} column(s) that are neither a field ({', '.join(FIELDS)}), a context "
            f"dimension nor a metric of {fw.id}: {', '.join(described)}"
        )
    return _Layout(fields, contexts, metrics, tuple(unknown)), warnings


def _text(value: object) -> str | None:
    """A text cell (employee, position, stage, context value) as a stripped string; ``None`` when empty."""
    if is_empty(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _period_text(value: object) -> str | None:
    """A period cell as text; a spreadsheet date on the 1st of a month (Excel turns ``2026-10`` into
    2026-10-01) becomes that month, an integer year becomes the year."""
    if isinstance(value, dt.datetime | dt.date):
        if value.day != 1:
            raise PeriodError(
                f"{value.isoformat()[:10]} is a date; scores are per month, quarter or year "
                "(write 2026-10, 2026-Q4 or 2026, formatted as text)"
            )
        return f"{value.year}-{value.month:02d}"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return _text(value)


class _RowProblem(EcomperfError):
    """A row that cannot be scored; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class _Row:
    """The fields of one usable row."""

    index: int
    number: int
    employee: str
    position: str
    stage: str
    period: str
    context: tuple[tuple[str, str], ...]


def _read_row(
    table: Table, index: int, layout: _Layout, stage: str | None, period: str | None
) -> _Row:
    cells = table.rows[index]

    def cell(position: int | None) -> Any:
        return cells[position] if position is not None and position < len(cells) else None

    if index in table.bad_rows:
        raise _RowProblem(table.bad_rows[index])
    employee = _text(cell(layout.fields.get("employee")))
    if employee is None:
        raise _RowProblem("no employee: the employee cell is empty")
    position = _text(cell(layout.fields.get("position")))
    if position is None:
        raise _RowProblem("no position: the position cell is empty")
    row_stage = _text(cell(layout.fields.get("stage"))) or stage
    if row_stage is None:
        raise _RowProblem("no stage: fill the stage column or give a default stage (--stage)")
    row_period = _period_text(cell(layout.fields.get("period"))) or period
    if row_period is None:
        raise _RowProblem("no period: fill the period column or give a default period (--period)")
    row_period = str(Period.parse(row_period))
    context = tuple(
        (dimension, text)
        for dimension, column in layout.contexts.items()
        if (text := _text(cell(column))) is not None
    )
    return _Row(index, table.numbers[index], employee, position, row_stage, row_period, context)


def _metric_values(table: Table, index: int, layout: _Layout) -> dict[str, Any]:
    cells = table.rows[index]
    values: dict[str, Any] = {}
    for metric, column in layout.metrics.items():
        if column < len(cells):
            value = cells[column]
            if not is_empty(value):
                values[metric] = value.strip() if isinstance(value, str) else value
    return values


def _reason(exc: BaseException) -> str:
    """One line from an exception: the message, then its listed problems separated by ``;``."""
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    head, rest = lines[0], [line.removeprefix("- ") for line in lines[1:]]
    if not rest:
        return head
    return f"{head.rstrip(':')}: {'; '.join(rest)}"


def score_many(
    fw: Framework,
    rows: Iterable[Mapping[str, Any]] | Table,
    *,
    missing: MissingPolicy = "error",
    stage: str | None = None,
    period: str | None = None,
    detail: bool = True,
) -> BatchResult:
    """Score every row; see the module documentation and :meth:`ecomperf.Framework.score_many`."""
    raise NotImplementedError
