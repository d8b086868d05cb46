"""Score many rows of actuals at once: one row per employee and period.

A row is a mapping of columns: ``employee``, ``position``, ``stage``, ``period``, one column per context
dimension of the framework (``category`` …) and one per metric (``gmv``, ``sales_revenue`` …). Empty
cells are missing values. :func:`score_many` scores every row, never stops at a bad one and never
drops one silently: each row ends up either in :attr:`BatchResult.rows` (and :attr:`BatchResult.cards`)
or in :attr:`BatchResult.errors` with its row number and the reason.

Row numbers count as a spreadsheet user does: the header is row 1, so the first data row is row 2.
Rows read from JSON or YAML files carry the line their object starts on instead (see :mod:`ecomperf.io.read`).

Two engines give the same numbers. With ``detail=True`` every row is scored by the scalar engine and
keeps its :class:`~ecomperf.scoring.results.ScoreCard` (:func:`ecomperf.scoring.card.score_card` against a card
resolved once per position, stage, period and context: what :func:`ecomperf.scoring.card.score` does for
one row). With ``detail=False`` rows are grouped by the card they resolve to and scored with numpy
(:mod:`ecomperf.scoring.vectorized`), one pass per KPI, without building an object per row; rows the fast path
cannot take (missing, "n/a" or malformed values, undefined formulas) are scored by the scalar engine,
so their results and error messages are exactly the scalar ones. Either way the scored rows come back
as columns (:class:`Summaries`) and, built on first use, as :class:`RowSummary` objects.

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
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, get_args

import numpy as np

from ecomperf.errors import EcomperfError, ScoringError
from ecomperf.periods import Period, PeriodError
from ecomperf.scoring.actuals import parse_actual
from ecomperf.scoring.card import score_card
from ecomperf.scoring.resolve import ResolvedCard, prorate_targets, resolve_card
from ecomperf.scoring.results import MissingPolicy, ScoreCard
from ecomperf.scoring.vectorized import BlockScores, BoolArray, FloatArray, IntArray, score_block
from ecomperf.suggest import closest, did_you_mean

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = [
    "FIELDS",
    "ActualsRow",
    "BatchResult",
    "RowError",
    "RowSummary",
    "Summaries",
    "Table",
    "is_empty",
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
    """Rows of actuals in columns, with the row number of each: what :mod:`ecomperf.io.read` readers return.

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
    """The score of one good row, without the per-KPI detail of a :class:`~ecomperf.scoring.results.ScoreCard`.

    Attributes:
        row: the row number (header = row 1).
        employee, position, stage, period: as in the row (period normalised, e.g. ``2026-Q4``).
        total: the weighted total; ``grade`` and ``bonus`` after any veto cap.
        scores: KPI id -> score for the KPIs on the total (dropped KPIs are absent).
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
class Summaries:
    """The scored rows as columns, in input order: one list per field, one per KPI.

    This is what the fast path produces and the CSV writer consumes, without an object per row;
    ``summaries[i]`` (and :attr:`BatchResult.rows`) gives the :class:`RowSummary` of one row.

    Attributes:
        rows, employees, positions, stages, periods, totals, grades, bonuses, veto, contexts: one entry
            per scored row (see :class:`RowSummary`); rows with equal contexts share one read-only mapping.
        scores: KPI id -> the KPI's score in each row (``None`` where the KPI is not on the row's total),
            KPIs in order of first appearance.
    """

    rows: list[int]
    employees: list[str]
    positions: list[str]
    stages: list[str]
    periods: list[str]
    totals: list[float]
    grades: list[str]
    bonuses: list[float]
    scores: dict[str, list[float | None]]
    veto: list[tuple[str, ...]]
    contexts: list[Mapping[str, str]]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> RowSummary:
        scores = {kpi: value for kpi, column in self.scores.items() if (value := column[index]) is not None}
        return RowSummary(
            self.rows[index], self.employees[index], self.positions[index], self.stages[index],
            self.periods[index], self.totals[index], self.grades[index], self.bonuses[index], scores,
            self.veto[index], self.contexts[index],
        )


@dataclass(frozen=True)
class BatchResult:
    """Everything :func:`score_many` found.

    Attributes:
        framework: the framework id.
        summaries: the scored rows as columns (:attr:`rows` has them as objects).
        errors: one :class:`RowError` per row that could not be scored, in input order.
        cards: one :class:`~ecomperf.scoring.results.ScoreCard` per scored row, in input order (empty when
            scored with ``detail=False``).
        warnings: problems with the input as a whole (unknown columns, reader notes).
        grades: the framework's grade ids, highest first (for colouring and reports).
        source: where the rows came from.
        encoding: the text encoding of the input file, when it was a text file.
    """

    framework: str
    summaries: Summaries
    errors: list[RowError]
    cards: list[ScoreCard] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    grades: tuple[str, ...] = ()
    source: str = "<rows>"
    encoding: str | None = None

    @cached_property
    def rows(self) -> list[RowSummary]:
        """One :class:`RowSummary` per scored row, in input order."""
        return [self.summaries[index] for index in range(len(self.summaries))]

    @property
    def ok(self) -> bool:
        """Whether every row was scored."""
        return not self.errors

    @property
    def kpi_ids(self) -> list[str]:
        """Every KPI scored in any row, in order of first appearance (the ``<kpi>_score`` columns)."""
        return list(self.summaries.scores)


def is_empty(value: object) -> bool:
    """Whether a cell counts as missing: ``None``, blank text, or how pandas marks a blank cell (a float
    NaN, ``pd.NA``), so that ``fw.score_many(df.to_dict("records"))`` works. Infinities are not blanks: they
    are refused as values.

    Example:
        >>> is_empty("  "), is_empty(0), is_empty(None), is_empty(float("nan"))
        (True, False, True, True)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value  # NaN
    return type(value).__name__ == "NAType"


# --- the columns of the input ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which column of the table holds what."""

    fields: Mapping[str, int]
    contexts: Mapping[str, int]
    metrics: Mapping[str, int]


def _layout(fw: FrameworkIndex, table: Table) -> tuple[_Layout, list[str]]:
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
    return _Layout(fields, contexts, metrics), warnings


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


def _column(rows: Sequence[Sequence[Any]], position: int | None) -> list[Any]:
    """One column of rows that are all at least ``position + 1`` cells long."""
    if position is None:
        return [None] * len(rows)
    return list(map(itemgetter(position), rows))


def _texts(table: Table, rows: Sequence[Sequence[Any]], position: int | None) -> list[str]:
    """A text column, stripped; ``""`` for empty cells."""
    if position is None:
        return [""] * len(rows)
    cells = _column(rows, position)
    if table.text_cells:
        return list(map(str.strip, cells))
    return list(map(_text, cells))


_Key = tuple[str, str, str, tuple[str, ...]]
"""What a row's card depends on: position, stage, period and the values of the context columns."""


@dataclass(frozen=True)
class _Fields:
    """The fields of every row: the card key of each, which rows to score, and why the others cannot be."""

    employees: list[str]
    keys: list[_Key]
    good: list[int]
    errors: dict[int, str]


def _read_fields(
    table: Table, rows: Sequence[Sequence[Any]], layout: _Layout, stage: str | None, period: str | None
) -> _Fields:
    size = len(rows)
    employees = _texts(table, rows, layout.fields.get("employee"))
    positions = _texts(table, rows, layout.fields.get("position"))
    stages = _texts(table, rows, layout.fields.get("stage"))
    if stage and "" in stages:
        stages = [value or stage for value in stages]
    periods, period_errors = _periods(_column(rows, layout.fields.get("period")), period or "")
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
            errors[index] = "no stage: fill the stage column or give a default stage (--stage)"
        elif index in period_errors:
            errors[index] = period_errors[index]
        else:
            errors[index] = "no period: fill the period column or give a default period (--period)"
    good = [index for index in range(size) if index not in errors] if errors else list(range(size))
    return _Fields(employees, keys, good, {index: why for index, why in errors.items() if why})


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


def _metric_values(rows: Sequence[Sequence[Any]], index: int, layout: _Layout) -> dict[str, Any]:
    cells = rows[index]
    values: dict[str, Any] = {}
    for metric, column in layout.metrics.items():
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


def _padded(table: Table) -> Sequence[Sequence[Any]]:
    """The rows, each at least as long as the header (missing cells are empty)."""
    width = len(table.columns)
    if not table.rows or min(map(len, table.rows)) >= width:
        return table.rows
    return [cells if len(cells) >= width else [*cells, *([None] * (width - len(cells)))] for cells in table.rows]


# --- scoring --------------------------------------------------------------------------------------


def score_many(
    fw: FrameworkIndex,
    rows: Iterable[Mapping[str, Any]] | Table,
    *,
    missing: MissingPolicy = "error",
    stage: str | None = None,
    period: str | None = None,
    detail: bool = True,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Score every row of actuals; a bad row is reported with its row number and never stops the batch.

    Args:
        fw: the framework.
        rows: mappings (one per employee and period; an :class:`ActualsRow` keeps its row number) or a
            :class:`Table` from :mod:`ecomperf.io.read`.
        missing: what to do with a KPI without a value: ``"error"``, ``"renormalize"`` or ``"zero"``.
        stage: the stage of rows whose ``stage`` cell is empty.
        period: the period of rows whose ``period`` cell is empty.
        detail: keep a :class:`~ecomperf.scoring.results.ScoreCard` per row (scalar engine); ``False`` scores
            with numpy and returns only the summaries, with the same totals, grades and scores.
        progress: called now and then with the number of rows finished since the last call (for a
            progress bar); the calls add up to the number of rows.

    Returns:
        The summaries (and with ``detail`` the cards) of the scored rows and the errors, each in input
        order, and warnings about the input as a whole (such as columns that are neither fields, context
        dimensions nor metrics). Rows whose every cell is empty are skipped.

    Raises:
        ScoringError: ``missing`` is not a policy (a mistake of the caller, not of a row).
    """
    if missing not in get_args(MissingPolicy):
        raise ScoringError(
            f"missing={missing!r} is not a policy; use {', '.join(map(repr, get_args(MissingPolicy)))}"
            + did_you_mean(str(missing), get_args(MissingPolicy))
        )
    table = rows if isinstance(rows, Table) else Table.from_records(rows)
    cells = _padded(table)
    layout, column_warnings = _layout(fw, table)
    fields = _read_fields(table, cells, layout, stage, period)
    engine = _Engine(fw, table, cells, layout, fields, missing, progress or _no_progress)
    if detail:
        for index in fields.good:
            engine.scalar(index, keep_card=True)
    else:
        engine.vectorised()
    engine.report(len(table.rows) - len(fields.good))
    engine.flush()
    for index, reason in fields.errors.items():
        engine.errors[index] = RowError(table.numbers[index], fields.employees[index], reason)
    return BatchResult(
        framework=fw.id,
        summaries=engine.summaries(),
        errors=[engine.errors[index] for index in sorted(engine.errors)],
        cards=[engine.cards[index] for index in sorted(engine.cards)],
        warnings=[*table.warnings, *column_warnings],
        grades=tuple(grade.id for grade in fw.grades),
        source=table.source,
        encoding=table.encoding,
    )


_PLAIN_NUMBERS: Final = re.compile(r"[0-9.eE+\- \t]*")
"""Characters of the cells a whole text column may be converted with ``float`` at once: plain decimal
numbers, for which ``float`` and :func:`ecomperf.scoring.actuals.parse_actual` agree. Anything else (``35%``,
``2000万``, ``1,200``, ``n/a``) is read cell by cell with ``parse_actual`` itself."""

_ROW_FAILURES: Final = (EcomperfError, ValueError, KeyError, TypeError)
"""What a bad row can raise while it is scored; anything else is a bug and propagates."""

_PROGRESS_CHUNK: Final = 500
"""Rows finished between two calls of the progress callback."""


def _no_progress(rows: int) -> None:
    """The progress callback used when none is given."""


class _Engine:
    """Scores rows into columns indexed by row: totals, grades, KPI scores, veto breaches, cards, errors."""

    def __init__(
        self, fw: FrameworkIndex, table: Table, cells: Sequence[Sequence[Any]], layout: _Layout, fields: _Fields,
        missing: MissingPolicy, progress: Callable[[int], None],
    ) -> None:
        self.fw = fw
        self.table = table
        self.cells = cells
        self.layout = layout
        self.fields = fields
        self.missing: MissingPolicy = missing
        self.progress = progress
        self._pending = 0
        size = len(table.rows)
        self.scored = np.zeros(size, dtype=np.bool_)
        self.total = np.full(size, math.nan)
        self.grade = np.zeros(size, dtype=np.intp)
        self.scores: dict[str, FloatArray] = {}
        self.veto: dict[int, tuple[str, ...]] = {}
        self.cards: dict[int, ScoreCard] = {}
        self.errors: dict[int, RowError] = {}
        self._grade_index = {grade.id: index for index, grade in enumerate(fw.grades)}
        self._resolved: dict[_Key, ResolvedCard | str] = {}

    def report(self, rows: int) -> None:
        """Count finished rows, passing them to the progress callback in chunks."""
        self._pending += rows
        if self._pending >= _PROGRESS_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Pass every finished row not yet reported to the progress callback."""
        if self._pending:
            self.progress(self._pending)
            self._pending = 0

    def resolve(self, key: _Key) -> ResolvedCard | str:
        """The card of ``key``, or the reason it cannot be resolved (cached)."""
        if key not in self._resolved:
            position, stage, period, values = key
            context = {d: v for d, v in zip(self.layout.contexts, values, strict=True) if v}
            try:
                card = resolve_card(self.fw, position, stage=stage, period=period, context=context)
                self._resolved[key] = prorate_targets(card)  # a row holds one period's values
            except _ROW_FAILURES as exc:
                self._resolved[key] = _reason(exc)
        return self._resolved[key]

    def column(self, kpi: str) -> FloatArray:
        """The score column of ``kpi`` (NaN for rows it is not scored in)."""
        if kpi not in self.scores:
            self.scores[kpi] = np.full(len(self.table.rows), math.nan)
        return self.scores[kpi]

    def scalar(self, index: int, *, keep_card: bool) -> None:
        """Score one row with the scalar engine (:func:`ecomperf.scoring.card.score_card`)."""
        self.report(1)
        employee = self.fields.employees[index]
        resolved = self.resolve(self.fields.keys[index])
        if isinstance(resolved, str):
            self.errors[index] = RowError(self.table.numbers[index], employee, resolved)
            return
        try:
            card = score_card(self.fw, resolved, _metric_values(self.cells, index, self.layout),
                              missing=self.missing, employee=employee)
        except _ROW_FAILURES as exc:
            self.errors[index] = RowError(self.table.numbers[index], employee, _reason(exc))
            return
        if keep_card:
            self.cards[index] = card
        self.scored[index] = True
        self.total[index] = card.total
        self.grade[index] = self._grade_index[card.grade]
        for kpi in card.kpis:
            self.column(kpi.kpi)[index] = kpi.score
        if card.veto_breaches:
            self.veto[index] = tuple(card.veto_breaches)

    def vectorised(self) -> None:
        """Score the rows in blocks that share a card; rows the arrays cannot take go to :meth:`scalar`."""
        values, usable = _metric_columns(self.table, self.cells, self.layout)
        by_key: dict[_Key, list[int]] = {}
        keys = self.fields.keys
        for index in self.fields.good:
            key = keys[index]
            if key in by_key:
                by_key[key].append(index)
            else:
                by_key[key] = [index]
        blocks: dict[str, tuple[ResolvedCard, list[int]]] = {}
        for key, members in by_key.items():
            resolved = self.resolve(key)
            if isinstance(resolved, str):
                for index in members:
                    self.scalar(index, keep_card=False)
                continue
            signature = _signature(resolved)
            if signature in blocks:
                blocks[signature][1].extend(members)
            else:
                blocks[signature] = (resolved, list(members))
        for card, members in blocks.values():
            rows = np.array(members, dtype=np.intp)
            needed = _needed_metrics(self.fw, [entry.kpi for entry in card.entries])
            given = {name: column[rows] for name, column in values.items() if name in needed}
            scored = score_block(self.fw, card, given, usable[rows])
            done = np.zeros(len(members), dtype=np.bool_)
            if scored is not None:
                done[scored.rows] = True
                self._record(rows[scored.rows], scored)
            for position in np.flatnonzero(~done).tolist():
                self.scalar(members[position], keep_card=False)

    def _record(self, rows: IntArray, scored: BlockScores) -> None:
        self.report(len(rows))
        self.scored[rows] = True
        self.total[rows] = scored.total
        self.grade[rows] = scored.grade
        for kpi, points in zip(scored.kpis, scored.scores, strict=True):
            self.column(kpi)[rows] = points
        for row, breached in zip(rows.tolist(), scored.breached, strict=True):
            if breached:
                self.veto[row] = breached

    def summaries(self) -> Summaries:
        """The scored rows as columns, in input order."""
        order = np.flatnonzero(self.scored)
        picked = order.tolist()
        keys = self.fields.keys
        numbers = self.table.numbers
        employees = self.fields.employees
        grade_ids = [grade.id for grade in self.fw.grades]
        bonuses = [grade.bonus for grade in self.fw.grades]
        grades = self.grade[order].tolist()
        firsts: dict[str, int] = {}
        scores: dict[str, list[float | None]] = {}
        for kpi, column in self.scores.items():
            picked_scores = column[order]
            present = ~np.isnan(picked_scores)
            if not present.any():
                continue
            firsts[kpi] = int(np.argmax(present))
            listed: list[float | None] = picked_scores.tolist()
            if not present.all():
                listed = [value if keep else None for value, keep in zip(listed, present.tolist(), strict=True)]
            scores[kpi] = listed
        ordered = sorted(scores, key=lambda kpi: firsts[kpi])  # stable: ties keep card order
        contexts: dict[tuple[str, ...], Mapping[str, str]] = {}
        periods: dict[str, str] = {}
        for index in picked:
            _, _, period, values = keys[index]
            if values not in contexts:
                contexts[values] = MappingProxyType(
                    {d: v for d, v in zip(self.layout.contexts, values, strict=True) if v}
                )
            if period not in periods:
                periods[period] = str(Period.parse(period))
        return Summaries(
            rows=[numbers[index] for index in picked],
            employees=[employees[index] for index in picked],
            positions=[keys[index][0] for index in picked],
            stages=[keys[index][1] for index in picked],
            periods=[periods[keys[index][2]] for index in picked],
            totals=self.total[order].tolist(),
            grades=[grade_ids[grade] for grade in grades],
            bonuses=[bonuses[grade] for grade in grades],
            scores={kpi: scores[kpi] for kpi in ordered},
            veto=[self.veto.get(index, ()) for index in picked],
            contexts=[contexts[keys[index][3]] for index in picked],
        )


def _signature(card: ResolvedCard) -> str:
    """Everything that decides a row's scores: cards with equal signatures score rows identically."""
    return repr([(card.position.id, card.stage)]
                + [(e.kpi, e.weight, e.target, e.method, e.metric.direction) for e in card.entries])


def _needed_metrics(fw: FrameworkIndex, kpis: Iterable[str]) -> set[str]:
    """The KPIs and every metric their formulas read, directly or through other formulas."""
    needed: set[str] = set()
    stack = list(kpis)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        metric = fw.metrics.get(name)
        if metric is not None:
            stack.extend(metric.inputs)
    return needed


def _metric_columns(
    table: Table, cells: Sequence[Sequence[Any]], layout: _Layout
) -> tuple[dict[str, FloatArray], BoolArray]:
    """Every metric column as floats (NaN where empty), and per row whether all its cells were usable.

    A row is unusable when any metric cell is not a plain finite number: "n/a", text that is not a
    number, NaN, or an infinity. Those rows are scored by the scalar engine, which reports them.
    """
    size = len(cells)
    usable = np.ones(size, dtype=np.bool_)
    values: dict[str, FloatArray] = {}
    for metric, position in layout.metrics.items():
        raw = _column(cells, position)
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
    except _ROW_FAILURES:
        return None
    return parsed if isinstance(parsed, float) else None
