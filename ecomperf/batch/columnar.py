"""Score Arrow record batches of actuals into Arrow record batches of scores: the columnar batch path.

:func:`score_arrow` is the public function: an Arrow record batch (or table) in, one record batch out, with
one row per input row and the same columns whatever the input holds (:func:`output_schema`). It needs
``pyarrow`` (``pip install 'ecomperf[arrow]'``) and runs wherever the actuals already are: in a script, per
partition on Dask (``map_partitions``) or Spark (``mapInArrow``); see the *Scale out* page of the docs.

How a batch is scored, so that the answers are exactly those of :func:`ecomperf.batch.engine.score_many`:

* The key columns (``position``, ``stage``, ``period`` and the context dimensions) are dictionary-encoded
  in Arrow; only their few distinct values are read in Python. Each distinct key's card is resolved once
  (:func:`ecomperf.scoring.resolve.resolve_card`, cached across batches) and rows whose cards score alike
  form one block.
* Metric columns become float64 arrays. Each block is scored by
  :func:`ecomperf.scoring.vectorized.score_block`, the array form of the scalar engine.
* Every row the arrays cannot take (an empty field, a bad period, a card that does not resolve, a cell that
  is not a plain number such as ``35%``, ``0,5`` or ``n/a``, a value outside its metric's valid range
  (:mod:`ecomperf.scoring.bounds`), a missing value, a formula dividing by zero) is scored by
  :func:`~ecomperf.batch.engine.score_many` itself, so its result or its error message is the one the
  row-by-row path gives. A row is never dropped: it comes out with a total or with an ``error``. Rows whose
  every cell is empty are skipped, as spreadsheet users expect.
* A card's warnings (a percent written as a whole number, a context a target variant needs) are those of
  the row-by-row path, in the ``warnings`` column.
* Rows that give one employee and period twice are reported with every row number and none is scored
  unless ``keep_duplicates`` says which (:mod:`ecomperf.batch.duplicates`), across the whole input: a
  stream of batches first shows the scorer the key columns of every batch (:meth:`ColumnarScorer.note_keys`,
  a cheap pass reading only ``employee``, ``position``, ``stage`` and ``period``), then scores them.

Row numbers come from a ``row`` column of whole numbers (or their text) when the batch has one (the readers
of :mod:`ecomperf.io.arrow` add it: the header is row 1), else they count from ``first_row``.

Example:
    >>> import pyarrow as pa  # doctest: +SKIP
    >>> batch = pa.record_batch({"employee": ["li"], "position": ["service_agent"], "stage": ["startup"],
    ...                          "period": ["2026-10"], "inquiry_response_hours": [12.0]})  # doctest: +SKIP
    >>> score_arrow(fw, batch).to_pylist()[0]["total"]  # doctest: +SKIP
    120.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecomperf.batch.arrow_arrays import (
    NULL_TEXT,
    bools,
    floats,
    from_numpy,
    text_hashes,
    text_lengths,
    text_lists,
    text_scalar,
    texts,
    valid,
)
from ecomperf.batch.arrow_arrays import numbers as _numbers_of
from ecomperf.batch.cells import ROW_FAILURES, CardKey, padded, read_fields, read_layout
from ecomperf.batch.duplicates import KeepDuplicates, check_keep, duplicate_errors, period_id
from ecomperf.batch.engine import card_signature, column_metric, needed_metrics, percent_warnings, score_many
from ecomperf.batch.results import BatchResult
from ecomperf.batch.table import FIELDS, Table
from ecomperf.errors import PeriodError, ScoringError
from ecomperf.periods import Period
from ecomperf.scoring.bounds import within_range
from ecomperf.scoring.missing import MissingPolicy, check_policy
from ecomperf.scoring.plan_targets import fit_targets
from ecomperf.scoring.resolve import ResolvedCard, resolve_card
from ecomperf.scoring.vectorized import BoolArray, FloatArray, IntArray, score_block

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = [
    "ROW_COLUMN", "ColumnarScorer", "KpiOrder", "columnar_complete", "framework_kpis", "output_schema", "score_arrow",
]

ROW_COLUMN: Final = "row"
"""The integer column that carries each row's number (the header is row 1)."""

_JOIN_KPIS: Final = ", ".join
"""How the ``veto`` column lists breached KPIs (as the xlsx Summary sheet shows them)."""

_EMPTY: Final = text_scalar("")
"""The empty text, as the scalar compute functions take (a Python ``""`` would go through pandas' shim)."""

_PLAIN_NUMBER: Final = r"^[0-9.eE+\- \t]*$"
"""Text cells converted in Arrow: plain decimal numbers, which ``float`` and
:func:`ecomperf.scoring.actuals.parse_actual` read alike (see :mod:`ecomperf.batch.cells`). Other text
(``35%``, ``2000万``, ``n/a``) is read by the row-by-row path."""


def columnar_complete(fw: FrameworkIndex) -> bool:
    """Whether :func:`output_schema` holds everything the row path writes for ``fw``: not yet when the
    framework shows totals on a display scale or its scorecards have sections (subtotal columns)."""
    if getattr(fw.rules, "display_scale", None) is not None:
        return False
    return not any(position.scorecard is not None and getattr(position.scorecard, "sections", None)
                   for position in fw.positions.values())


def _mirrored(fw: FrameworkIndex, card: ResolvedCard) -> bool:
    """Whether the arrays score ``card`` themselves; cards with sections or rated metrics (several raters)
    go row by row, through the path that folds ratings and adds subtotals."""
    return not any(getattr(entry, "section", None) or getattr(entry.metric, "raters", None)
                   for entry in card.entries)


def framework_kpis(fw: FrameworkIndex) -> tuple[str, ...]:
    """Every KPI a card of ``fw`` can score: scorecard entries, then KPIs events add, in file order.

    Example:
        >>> framework_kpis(fw)  # doctest: +SKIP
        ('gmv', 'gross_margin', 'violations', 'inventory_turnover', 'inquiry_response_hours')
    """
    found: dict[str, None] = {}
    for position in fw.positions.values():
        if position.scorecard is not None:
            for entries in position.scorecard.stages.values():
                found.update(dict.fromkeys(entry.kpi for entry in entries))
    for event in fw.events:
        for override in event.overrides:
            found.update(dict.fromkeys(entry.kpi for entry in override.add))
    return tuple(found)


def output_schema(fw: FrameworkIndex, kpis: Sequence[str] | None = None) -> pa.Schema:
    """The columns :func:`score_arrow` returns, the same for every batch (what Spark and Dask ask up front).

    ``row`` (int64), ``employee``, ``position``, ``stage``, ``period`` (normalised, e.g. ``2026-Q4``), one
    string column per context dimension, ``total``, ``grade``, ``bonus``, ``veto`` (the breached veto KPIs,
    comma separated), ``error`` (why the row was not scored; null when it was), then ``<kpi>_score`` per KPI
    (null where the KPI is not on the row's total), then ``warnings`` (the card's warnings; null when none). A
    row that was not scored has only ``row``, ``employee`` and ``error``.

    Args:
        fw: the framework.
        kpis: the KPIs to give a score column (default :func:`framework_kpis`).
    """
    text = pa.string()
    fields = [pa.field(ROW_COLUMN, pa.int64()), *(pa.field(name, text) for name in FIELDS)]
    fields += [pa.field(dimension, text) for dimension in fw.spec.contexts]
    fields += [pa.field("total", pa.float64()), pa.field("grade", text), pa.field("bonus", pa.float64()),
               pa.field("veto", text), pa.field("error", text)]
    fields += [pa.field(f"{kpi}_score", pa.float64()) for kpi in (framework_kpis(fw) if kpis is None else kpis)]
    fields.append(pa.field("warnings", pa.list_(text)))
    return pa.schema(fields)


def score_arrow(
    fw: FrameworkIndex,
    data: pa.RecordBatch | pa.Table,
    *,
    missing: MissingPolicy = "error",
    stage: str | None = None,
    period: str | None = None,
    kpis: Sequence[str] | None = None,
    first_row: int = 2,
    keep_duplicates: KeepDuplicates | None = None,
) -> pa.RecordBatch:
    """Score an Arrow record batch or table of actuals into one record batch of :func:`output_schema`.

    Args:
        fw: the framework.
        data: one row per employee and period: ``employee``, ``position``, ``stage``, ``period``, context
            and metric columns (strings as read from CSV, or typed numbers); optionally ``row``.
        missing: ``"error"``, ``"renormalize"`` or ``"zero"``, as for ``score_many``.
        stage, period: for rows whose cell is empty.
        kpis: the KPI score columns (default every KPI of the framework).
        first_row: the number of the first row when ``data`` has no ``row`` column.
        keep_duplicates: which of several rows for one employee and period to score (``"first"``,
            ``"last"``); by default none of them is.

    Returns:
        One row per input row that is not blank, in input order: scored, or with its ``error``.

    Raises:
        ScoringError: ``missing`` or ``keep_duplicates`` is not a choice.
    """
    scorer = ColumnarScorer(fw, missing=missing, stage=stage, period=period, kpis=kpis,
                            keep_duplicates=keep_duplicates)
    batch = data.combine_chunks().to_batches()[0] if isinstance(data, pa.Table) and data.num_rows else data
    if isinstance(batch, pa.Table):  # a table without rows
        batch = pa.RecordBatch.from_arrays([pa.nulls(0, f.type) for f in batch.schema], schema=batch.schema)
    scorer.note_keys(batch, first_row=first_row)
    return scorer.score(batch, first_row=first_row)


# --- the scorer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Keys:
    """The card key of every row of a batch, as codes into a small table of distinct keys."""

    index: IntArray  # per row: the position of its key in ``keys`` (-1: a field is empty or the period bad)
    keys: list[CardKey]
    periods: list[str]  # per key: the normalised period


class ColumnarScorer:
    """Scores record batches one after another, sharing resolved cards across them (a stream of batches).

    To find rows that repeat an employee and period across batches, show the scorer every batch with
    :meth:`note_keys` (only the key columns are needed) before scoring the first; a batch scored without
    that is checked for repeats within itself.

    Attributes:
        kpis: the KPIs given a ``<kpi>_score`` column.
        warnings: problems with the input columns, found on the first batch (unknown columns and such).
        superseded: the row numbers left out because ``keep_duplicates`` chose another row (reported, but as
            asked: :attr:`ecomperf.batch.results.RowError.intended`).
    """

    def __init__(
        self,
        fw: FrameworkIndex,
        *,
        missing: MissingPolicy = "error",
        stage: str | None = None,
        period: str | None = None,
        kpis: Sequence[str] | None = None,
        keep_duplicates: KeepDuplicates | None = None,
    ) -> None:
        self.fw = fw
        self.missing: MissingPolicy = check_policy(missing)
        self.keep = check_keep(keep_duplicates)
        self.superseded: set[int] = set()
        self._seen: list[tuple[IntArray, pa.Array, IntArray]] = []  # row numbers, employees, period codes
        self._period_ids: dict[str, int] = {}  # period id -> its code in ``_seen``
        self._duplicates: dict[int, tuple[str, str]] | None = None
        self._ahead = False
        self.stage = stage
        self.period = period
        self.kpis: tuple[str, ...] = framework_kpis(fw) if kpis is None else tuple(kpis)
        self.schema = output_schema(fw, self.kpis)
        self.warnings: list[str] = []
        self._columns_checked = False
        self._cards: dict[CardKey, ResolvedCard | None] = {}
        self._periods: dict[str, str | None] = {}
        self._signatures: dict[CardKey, str] = {}  # per key, its card's signature (cards of one signature score alike)

    # -- one batch --------------------------------------------------------------------------------

    def score(self, batch: pa.RecordBatch, *, extra: Table | None = None, first_row: int = 2) -> pa.RecordBatch:
        """Score ``batch`` (and the rows of ``extra``, which the reader could not put in a batch)."""
        if not self._ahead:  # not shown every batch's keys first: repeats are looked for within this batch
            self._note(batch, extra, first_row)
            self._find_duplicates()
        elif self._duplicates is None:
            self._find_duplicates()
        names = [name for name in batch.schema.names if name != ROW_COLUMN]
        numbers = self._numbers(batch, first_row)
        table_view = Table(tuple(names), [()] if batch.num_rows else [], [])
        layout, warnings = read_layout(self.fw, table_view)
        if not self._columns_checked:
            self.warnings.extend(warnings)
            self._columns_checked = True
        columns = {name: batch.column(name) for name in names}
        employee = _trimmed(columns.get("employee"), batch.num_rows)
        keys = self._keys(columns, layout.contexts, batch.num_rows, employee)
        repeated = self._repeated(numbers)
        if repeated is not None:
            keys = _Keys(np.where(repeated, -1, keys.index), keys.keys, keys.periods)
        fast, parts = self._score_blocks(columns, layout.metrics, keys, list(layout.contexts))
        fallback = np.setdiff1d(np.arange(batch.num_rows), fast, assume_unique=True)
        pieces = [self._fast_piece(parts, numbers, employee, keys, layout.contexts)] if parts else []
        if repeated is not None:
            fallback = fallback[~repeated[fallback]]
        duplicates = self._duplicate_piece(numbers[repeated] if repeated is not None else [], extra)
        if duplicates is not None:
            pieces.append(duplicates)
        slow = self._fallback(batch, names, numbers, fallback, self._without_repeats(extra))
        if slow is not None:
            pieces.append(self._result_piece(slow))
        return self._assemble(pieces)

    # -- rows that repeat an employee and period --------------------------------------------------

    def note_keys(self, batch: pa.RecordBatch, *, extra: Table | None = None, first_row: int = 2) -> None:
        """Note the employee and period of every row of ``batch`` (and ``extra``) that names an employee,
        position, stage and period: the rows :mod:`ecomperf.batch.duplicates` compares. Only the ``employee``,
        ``position``, ``stage``, ``period`` and ``row`` columns are read.

        Raises:
            ScoringError: called after scoring began (repeats must be known before the first batch is scored).
        """
        if self._duplicates is not None:
            raise ScoringError("note_keys: every batch's keys must be noted before the first batch is scored")
        self._ahead = True
        self._note(batch, extra, first_row)

    def _note(self, batch: pa.RecordBatch, extra: Table | None, first_row: int) -> None:
        size = batch.num_rows
        names = batch.schema.names
        numbers = self._numbers(batch, first_row)
        employee = _trimmed(batch.column("employee") if "employee" in names else None, size)
        scorable = bools(pc.not_equal(employee, _EMPTY))
        codes: dict[str, tuple[IntArray, list[str]]] = {}
        for name in ("position", "stage", "period"):
            code, values = _encoded(batch.column(name) if name in names else None, size, period=name == "period")
            if name == "stage" and self.stage:
                code, values = _default(code, values, self.stage)
            if name == "period" and self.period:
                code, values = _default(code, values, self.period)
            present = np.array([bool(value) and value != _BAD_PERIOD for value in values], dtype=np.bool_)
            scorable &= present[code] if len(values) else False
            codes[name] = (code, values)
        code, values = codes["period"]
        picked = np.flatnonzero(scorable)
        ids = np.asarray([self._period_code(value) for value in values], dtype=np.int64)[code[picked]]
        self._seen.append((numbers[picked], employee.take(from_numpy(picked)), ids))
        if extra is not None and extra.rows:
            layout, _ = read_layout(self.fw, extra)
            fields = read_fields(extra, padded(extra), layout, self.stage, self.period)
            self._seen.append((
                np.asarray([extra.numbers[index] for index in fields.good], dtype=np.int64),
                texts([fields.employees[index] for index in fields.good]),
                np.asarray([self._period_code(fields.keys[index][2]) for index in fields.good], dtype=np.int64),
            ))

    def _period_code(self, text: str) -> int:
        """A small whole number per period id (rows for one employee and period repeat each other)."""
        return self._period_ids.setdefault(period_id(text), len(self._period_ids))

    def _find_duplicates(self) -> None:
        """The reason of every row noted that repeats an employee and period (row number -> employee, reason).

        A hash of each row's employee and period is counted in numpy (:func:`_hash_candidates`); only rows
        whose hashes meet are compared exactly: employees and periods coded apart (each employee once, in
        Arrow; periods are few), a row's pair the whole number ``employee * periods + period``.
        """
        self._duplicates = {}
        seen, self._seen = self._seen, []
        if not seen:
            return
        numbers = np.concatenate([part[0] for part in seen])
        if len(numbers) < 2:
            return
        parts = [part[1].cast(pa.string()) for part in seen]
        periods = np.concatenate([part[2] for part in seen])
        candidates = _hash_candidates(parts, periods)
        if candidates is not None and not len(candidates):
            return
        employees = pa.concat_arrays(parts)
        compared = np.arange(len(numbers)) if candidates is None else candidates
        encoded = pc.dictionary_encode(employees if candidates is None else employees.take(from_numpy(candidates)))
        if len(encoded.dictionary) == len(compared):  # no employee is named twice
            return
        codes = np.asarray(_numbers_of(encoded.indices), dtype=np.int64)
        pairs = codes * max(len(self._period_ids), 1) + periods[compared]
        if len(encoded.dictionary) * max(len(self._period_ids), 1) <= 4 * len(pairs):
            repeated = np.bincount(pairs)[pairs] > 1
        else:
            _, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
            repeated = counts[inverse] > 1
        if not repeated.any():
            return
        picked = compared[repeated]
        picked = picked[np.argsort(numbers[picked], kind="stable")]  # each group in input order
        groups: dict[tuple[str, str], list[int]] = {}
        names: dict[int, str] = {}
        ids = list(self._period_ids)
        for number, name, when in zip(numbers[picked].tolist(), employees.take(from_numpy(picked)).to_pylist(),
                                      periods[picked].tolist(), strict=True):
            groups.setdefault((name, ids[when]), []).append(number)
            names[number] = name
        errors, superseded = duplicate_errors(groups, lambda rows: [str(row) for row in rows], self.keep)
        self._duplicates = {number: (names[number], reason) for number, reason in errors.items()}
        self.superseded = superseded

    def _repeated(self, numbers: IntArray) -> BoolArray | None:
        """Per row, whether it repeats an employee and period; ``None`` when no row of the input does."""
        if not self._duplicates:
            return None
        found = np.isin(numbers, np.fromiter(self._duplicates, dtype=np.int64, count=len(self._duplicates)))
        return found if found.any() else None

    def _without_repeats(self, extra: Table | None) -> Table | None:
        """``extra`` without the rows that repeat an employee and period (they are reported as such)."""
        if extra is None or not self._duplicates or not any(n in self._duplicates for n in extra.numbers):
            return extra
        kept = [index for index, number in enumerate(extra.numbers) if number not in self._duplicates]
        place = {index: new for new, index in enumerate(kept)}
        return Table(extra.columns, [extra.rows[index] for index in kept], [extra.numbers[index] for index in kept],
                     source=extra.source, encoding=extra.encoding, text_cells=extra.text_cells,
                     bad_rows={place[index]: why for index, why in extra.bad_rows.items() if index in place})

    def _duplicate_piece(self, numbers: Sequence[int] | IntArray, extra: Table | None) -> dict[str, Any] | None:
        """The rows of this batch that repeat an employee and period, each with its reason."""
        if not self._duplicates:
            return None
        rows = [int(number) for number in numbers]
        if extra is not None:
            rows += [number for number in extra.numbers if number in self._duplicates]
        if not rows:
            return None
        found = [self._duplicates[number] for number in rows]
        return {ROW_COLUMN: from_numpy(np.asarray(rows, dtype=np.int64)), "employee": texts([e for e, _ in found]),
                "error": texts([why for _, why in found])}

    def _numbers(self, batch: pa.RecordBatch, first_row: int) -> IntArray:
        if ROW_COLUMN not in batch.schema.names:
            return np.arange(first_row, first_row + batch.num_rows, dtype=np.int64)
        column = batch.column(ROW_COLUMN)
        refused = ScoringError(f"the {ROW_COLUMN!r} column must hold a whole row number in every row "
                               f"(it numbers the rows in messages); rename it if it means something else")
        try:  # whole numbers, or their text (a CSV read with every column as text)
            numbers = pc.cast(pc.utf8_trim_whitespace(column) if _is_text(column.type) else column, pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise refused from None
        if numbers.null_count:
            raise refused
        return np.asarray(_numbers_of(numbers), dtype=np.int64)

    def _keys(
        self, columns: Mapping[str, pa.Array], contexts: Mapping[str, int], size: int, employee: pa.Array
    ) -> _Keys:
        """Each row's card key, without reading the rows one by one."""
        codes: list[IntArray] = []
        texts: list[list[str]] = []
        for name in ("position", "stage", "period", *contexts):
            code, values = _encoded(columns.get(name), size, period=name == "period")
            if name == "stage" and self.stage:
                code, values = _default(code, values, self.stage)
            if name == "period" and self.period:
                code, values = _default(code, values, self.period)
            codes.append(code)
            texts.append(values)
        combined = np.zeros(size, dtype=np.int64)
        for code, values in zip(codes, texts, strict=True):
            combined = combined * max(len(values), 1) + code
        firsts, inverse = _distinct(combined)
        keys: list[CardKey] = []
        periods: list[str] = []
        good = np.ones(len(firsts), dtype=np.bool_)
        for number, row in enumerate(firsts.tolist()):
            position, stage, period, *context = (values[code[row]] for code, values in zip(codes, texts, strict=True))
            keys.append((position, stage, period, tuple(context)))
            normalised = self._period(period)
            periods.append(normalised or "")
            if not (position and stage and normalised):
                good[number] = False
        index = np.where(good[inverse], inverse, -1)
        empty_employee = ~bools(pc.not_equal(employee, _EMPTY))
        index = np.where(empty_employee, -1, index)
        return _Keys(index.astype(np.intp), keys, periods)

    def _period(self, text: str) -> str | None:
        if text not in self._periods:
            try:
                self._periods[text] = str(Period.parse(text)) if text else None
            except PeriodError:
                self._periods[text] = None
        return self._periods[text]

    def _card(self, key: CardKey, contexts: Sequence[str]) -> ResolvedCard | None:
        if key not in self._cards:
            position, stage, period, values = key
            context = {d: v for d, v in zip(contexts, values, strict=True) if v}
            try:
                card = resolve_card(self.fw, position, stage=stage, period=period, context=context)
                self._cards[key] = fit_targets(self.fw, card)  # a row holds one period's values
            except ROW_FAILURES:
                self._cards[key] = None  # the row-by-row path reports why
        return self._cards[key]

    def _score_blocks(
        self, columns: Mapping[str, pa.Array], metrics: Mapping[str, int], keys: _Keys, context_names: list[str]
    ) -> tuple[IntArray, list[tuple[IntArray, Any, dict[int, tuple[str, ...]]]]]:
        """Score every block of rows sharing a card; the rows scored and, per block, its scores."""
        blocks: dict[str, tuple[ResolvedCard, list[int]]] = {}
        for number, key in enumerate(keys.keys):
            if not keys.periods[number] or not key[0] or not key[1]:
                continue
            card = self._card(key, context_names)
            if card is None or not _mirrored(self.fw, card):
                continue
            signature = self._signatures.get(key)
            if signature is None:
                signature = self._signatures[key] = card_signature(card)
            if signature in blocks:
                blocks[signature][1].append(number)
            else:
                blocks[signature] = (card, [number])
        if not blocks:
            return np.zeros(0, dtype=np.intp), []
        # a stable sort of the rows by key; numpy radix-sorts 16-bit whole numbers (a batch has few keys)
        order = np.argsort(keys.index.astype(np.int16) if len(keys.keys) < 2**15 - 1 else keys.index, kind="stable")
        sorted_index = keys.index[order]
        bounds = np.searchsorted(sorted_index, np.arange(len(keys.keys) + 1))
        values: dict[str, FloatArray] = {}
        usable = np.ones(len(keys.index), dtype=np.bool_)
        # every metric column, used by the card or not: the scalar engine refuses a row with any bad value,
        # or with a value outside the metric's valid range
        for name in metrics:
            column, ok = _floats(columns[name])
            values[name] = column
            usable &= ok & within_range(self.fw.metrics[column_metric(name)], column)
        done: list[IntArray] = []
        parts: list[tuple[IntArray, Any, dict[int, tuple[str, ...]]]] = []
        for card, members in blocks.values():
            rows = (order[bounds[members[0]]:bounds[members[0] + 1]] if len(members) == 1  # already in order
                    else np.sort(np.concatenate([order[bounds[m]:bounds[m + 1]] for m in members])))
            needed = needed_metrics(self.fw, [entry.kpi for entry in card.entries])
            given = {name: column[rows] for name, column in values.items() if name in needed}
            scored = score_block(self.fw, card, given, usable[rows])
            if scored is None or not len(scored.rows):
                continue
            picked = rows[scored.rows]
            done.append(picked)
            found: dict[int, tuple[str, ...]] = {
                place: tuple(warnings) for place, warnings in percent_warnings(card, given, scored.rows).items()}
            if any(self._cards[keys.keys[m]].warnings for m in members):  # type: ignore[union-attr]
                # each row has its own key's warnings (cards of several keys can score alike)
                for place, key in enumerate(keys.index[picked].tolist()):
                    own = self._cards[keys.keys[key]].warnings  # type: ignore[union-attr]
                    if own:
                        found[place] = (*own, *found.get(place, ()))
            parts.append((picked, scored, found))
        fast = np.sort(np.concatenate(done)) if done else np.zeros(0, dtype=np.intp)
        return fast, parts

    # -- the pieces of the output -----------------------------------------------------------------

    def _fast_piece(
        self, parts: list[tuple[IntArray, Any, dict[int, tuple[str, ...]]]], numbers: IntArray, employee: pa.Array,
        keys: _Keys, contexts: Mapping[str, int],
    ) -> dict[str, Any]:
        rows = np.concatenate([picked for picked, _, _ in parts])
        total = np.concatenate([scored.total for _, scored, _ in parts])
        grade = np.concatenate([scored.grade for _, scored, _ in parts])
        veto_texts, veto = self._veto(parts, len(rows))
        scores = {kpi: np.full(len(rows), math.nan) for kpi in self.kpis}
        warned: dict[int, tuple[str, ...]] = {}
        start = 0
        for picked, scored, found in parts:
            for kpi, points in zip(scored.kpis, scored.scores, strict=True):
                if kpi in scores:
                    scores[kpi][start:start + len(picked)] = points
            warned.update((start + place, warnings) for place, warnings in found.items())
            start += len(picked)
        if len(parts) > 1:  # blocks one after another: put the rows back in input order, in numpy
            order = np.argsort(rows, kind="stable")
            rows, total, grade, veto = rows[order], total[order], grade[order], veto[order]
            scores = {kpi: points[order] for kpi, points in scores.items()}
            if warned:
                place_of = np.empty(len(order), dtype=np.intp)
                place_of[order] = np.arange(len(order))
                warned = {int(place_of[place]): warnings for place, warnings in warned.items()}
        key_index = keys.index[rows]
        piece: dict[str, Any] = {
            ROW_COLUMN: from_numpy(numbers[rows]),
            "employee": employee if len(rows) == len(employee) else employee.take(from_numpy(rows)),  # all in order
            "position": _by_key([key[0] for key in keys.keys], key_index),
            "stage": _by_key([key[1] for key in keys.keys], key_index),
            "period": _by_key(keys.periods, key_index),
        }
        for number, dimension in enumerate(contexts):
            piece[dimension] = _by_key([key[3][number] or None for key in keys.keys], key_index)
        grades = texts([g.id for g in self.fw.grades])
        bonuses = from_numpy(np.array([g.bonus for g in self.fw.grades], dtype=np.float64))
        grade_index = from_numpy(grade)
        piece.update(
            total=from_numpy(total), grade=grades.take(grade_index), bonus=bonuses.take(grade_index),
            veto=veto_texts.take(from_numpy(veto)), error=pa.nulls(len(rows), pa.string()),
        )
        for kpi, points in scores.items():
            piece[f"{kpi}_score"] = from_numpy(points, mask=np.isnan(points))
        if warned:
            piece["warnings"] = text_lists([warned.get(place) for place in range(len(rows))])
        return piece

    @staticmethod
    def _veto(parts: list[tuple[IntArray, Any, dict[int, tuple[str, ...]]]], size: int) -> tuple[pa.Array, IntArray]:
        """The ``veto`` cells of the scored rows, as the distinct texts (the breached KPIs joined, ``""`` for
        none) and a code per row into them."""
        codes = np.zeros(size, dtype=np.int64)
        found: dict[tuple[str, ...], int] = {(): 0}
        start = 0
        for picked, scored, _ in parts:
            breached = scored.breached
            lengths = np.fromiter(map(len, breached), dtype=np.intp, count=len(breached))
            for place in np.flatnonzero(lengths).tolist():
                codes[start + place] = found.setdefault(breached[place], len(found))
            start += len(picked)
        return texts([_JOIN_KPIS(kpis) for kpis in found]), codes

    def _fallback(
        self, batch: pa.RecordBatch, names: list[str], numbers: IntArray, rows: IntArray, extra: Table | None
    ) -> BatchResult | None:
        """Score the rows the arrays could not take (and the reader's extra rows) row by row."""
        if not len(rows) and (extra is None or not extra.rows):
            return None
        picked = batch.select(names).take(from_numpy(rows)) if len(rows) else None
        cells: list[Sequence[Any]] = list(zip(*(column.to_pylist() for column in picked.columns), strict=True)) if (
            picked is not None and names) else [() for _ in rows]
        row_numbers = numbers[rows].tolist()
        bad: dict[int, str] = {}
        if extra is not None and extra.rows:
            position = {name: index for index, name in enumerate(extra.columns)}
            for index, row in enumerate(extra.rows):
                cells.append(tuple(row[position[name]] if name in position and position[name] < len(row) else None
                                   for name in names))
                if index in extra.bad_rows:
                    bad[len(cells) - 1] = extra.bad_rows[index]
            row_numbers.extend(extra.numbers)
        table = Table(tuple(names), cells, row_numbers, bad_rows=bad)
        return score_many(self.fw, table, missing=self.missing, stage=self.stage, period=self.period, detail=False)

    def _result_piece(self, result: BatchResult) -> dict[str, Any]:
        table = result.summaries
        size, errors = len(table), len(result.errors)
        nulls: list[None] = [None] * errors
        piece: dict[str, Any] = {
            ROW_COLUMN: from_numpy(np.asarray([*table.rows, *(e.row for e in result.errors)], dtype=np.int64)),
            "employee": texts([*table.employees, *(e.employee for e in result.errors)]),
            "position": texts([*table.positions, *nulls]),
            "stage": texts([*table.stages, *nulls]),
            "period": texts([*table.periods, *nulls]),
        }
        for dimension in self.fw.spec.contexts:
            piece[dimension] = texts([*(c.get(dimension) for c in table.contexts), *nulls])
        piece.update(
            total=floats([*table.totals, *nulls]),
            grade=texts([*table.grades, *nulls]),
            bonus=floats([*table.bonuses, *nulls]),
            veto=texts([*(", ".join(v) for v in table.veto), *nulls]),
            error=texts([*([None] * size), *(e.reason for e in result.errors)]),
        )
        for kpi in self.kpis:
            column = table.scores.get(kpi)
            piece[f"{kpi}_score"] = floats([*(column or [None] * size), *nulls])
        if any(table.warnings):
            piece["warnings"] = text_lists([*(list(found) or None for found in table.warnings), *nulls])
        return piece

    def _assemble(self, pieces: list[dict[str, Any]]) -> pa.RecordBatch:
        schema = self.schema
        if not pieces:
            return pa.RecordBatch.from_arrays([pa.nulls(0, field.type) for field in schema], schema=schema)
        arrays = []
        for field in schema:
            parts = [piece.get(field.name) for piece in pieces]
            chunks = [part if part is not None else pa.nulls(len(piece[ROW_COLUMN]), field.type)
                      for part, piece in zip(parts, pieces, strict=True)]
            typed = [chunk if chunk.type == field.type else chunk.cast(field.type) for chunk in chunks]
            arrays.append(typed[0] if len(typed) == 1 else pa.concat_arrays(typed))
        batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
        numbers = _numbers_of(batch.column(ROW_COLUMN))
        if len(numbers) < 2 or bool(np.all(numbers[1:] > numbers[:-1])):
            return batch
        return batch.take(from_numpy(np.argsort(numbers, kind="stable")))


# --- columns --------------------------------------------------------------------------------------


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _trimmed(column: pa.Array | None, size: int) -> pa.Array:
    """A text column stripped of surrounding whitespace, ``""`` where empty (the ``employee`` column)."""
    if column is None:
        return texts([""] * size)
    if _is_text(column.type):
        return pc.fill_null(pc.utf8_trim_whitespace(column.cast(pa.string())), _EMPTY)
    from ecomperf.batch.cells import _text  # the one rule for a non-text cell as text (12.0 -> "12")

    return texts([_text(value) for value in column.to_pylist()])


def _encoded(column: pa.Array | None, size: int, *, period: bool) -> tuple[IntArray, list[str]]:
    """Codes per row into a list of distinct stripped texts (``""`` for empty cells)."""
    if column is None:
        return np.zeros(size, dtype=np.intp), [""]
    from ecomperf.batch.cells import _period_text, _text  # the one rule for a cell as text or as a period

    convert = _period_text if period else _text
    encoded = pc.dictionary_encode(column, null_encoding="encode")
    texts: dict[str, int] = {}
    lookup: list[int] = []
    for value in encoded.dictionary.to_pylist():
        try:
            text = convert(value)
        except PeriodError:
            text = _BAD_PERIOD  # never a period: the row-by-row path reports the cell
        lookup.append(texts.setdefault(text, len(texts)))
    indices = _numbers_of(encoded.indices)
    return np.asarray(lookup, dtype=np.intp)[indices], list(texts)


def _hash_candidates(employees: list[pa.Array], periods: IntArray) -> IntArray | None:
    """The rows (of the employee arrays one after another) whose employee and period might repeat another
    row's: those whose 64-bit hash of both meets another row's. ``None`` (compare every row) when an
    employee is too long to hash (:data:`~ecomperf.batch.arrow_arrays.HASHED_BYTES`).

    Hashes go into about twice as many buckets as rows by their top bits; only rows sharing a bucket are
    sorted, to find those sharing the whole hash.
    """
    hashed = []
    for part in employees:
        found = text_hashes(part)
        if found is None:
            return None
        hashed.append(found)
    keys = np.concatenate(hashed) * np.uint64(0x9E3779B97F4A7C15) + periods.astype(np.uint64)
    keys *= np.uint64(0xBF58476D1CE4E5B9)  # mixed, so the top bits depend on every bit of both
    width = max(10, int(len(keys) * 2).bit_length())
    buckets = (keys >> np.uint64(64 - width)).astype(np.intp)
    shared = np.flatnonzero(np.bincount(buckets, minlength=1 << width)[buckets] > 1)
    if not len(shared):
        return shared
    _, inverse, counts = np.unique(keys[shared], return_inverse=True, return_counts=True)
    return shared[counts[inverse] > 1]


def _distinct(combined: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct values of whole numbers in increasing order, as a row holding each and, per row, the
    place of its value: a count when the values are small (card keys), else a sort (``np.unique``)."""
    if not len(combined) or int(combined.max()) >= 4 * len(combined) + 1024:
        _, firsts, inverse = np.unique(combined, return_index=True, return_inverse=True)
        return firsts, inverse
    counts = np.bincount(combined)
    present = np.flatnonzero(counts)
    place = np.zeros(len(counts), dtype=np.intp)
    place[present] = np.arange(len(present))
    inverse = place[combined]
    firsts = np.zeros(len(present), dtype=np.intp)
    firsts[inverse] = np.arange(len(combined))  # a row of each value (which one does not matter)
    return firsts, inverse


def _default(code: IntArray, values: list[str], default: str) -> tuple[IntArray, list[str]]:
    """Empty cells of a field take ``default`` (``--stage``, ``--period``)."""
    if "" not in values:
        return code, values
    empty = values.index("")
    if default in values:
        target = values.index(default)
    else:
        values = [*values, default]
        target = len(values) - 1
    return np.where(code == empty, target, code), values


_BAD_PERIOD: Final = "\0bad"
"""What :func:`_encoded` gives a period cell that is no period (a date that is not the 1st of a month)."""


def _by_key(values: list[Any], key_index: IntArray) -> pa.Array:
    return texts(values).take(from_numpy(key_index))


def _floats(column: pa.Array) -> tuple[FloatArray, BoolArray]:
    """A metric column as floats (NaN where empty) and, per row, whether the arrays may score its cell.

    Unusable cells go to the row-by-row path: text that is not a plain decimal number, a NaN or infinite
    value, a boolean, or anything that is not a number.
    """
    size = len(column)
    kind = column.type
    if pa.types.is_null(kind):
        return np.full(size, math.nan), np.ones(size, dtype=np.bool_)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        values = np.asarray(_numbers_of(column.cast(pa.float64())), dtype=np.float64)
        present = valid(column)
        usable = ~present | np.isfinite(values)  # a NaN or infinite value is refused by the scalar engine
        return np.where(present, values, math.nan), usable
    if not _is_text(kind):
        return np.full(size, math.nan), np.zeros(size, dtype=np.bool_)
    text = column.cast(pa.string())
    is_blank = ~valid(text) | (text_lengths(text) == 0)
    try:
        # Arrow reads exactly the plain decimals float() reads, and also "nan" and "inf", refused below
        numbers = pc.cast(pc.if_else(from_numpy(is_blank), NULL_TEXT, text) if is_blank.any() else text,
                          pa.float64())
    except pa.ArrowInvalid:  # some cell is not a number: convert the plain ones, leave the rest
        plain = ~is_blank & bools(pc.match_substring_regex(text, _PLAIN_NUMBER))
        candidates = pc.if_else(from_numpy(plain), text, NULL_TEXT)
        try:
            numbers = pc.cast(candidates, pa.float64())
        except pa.ArrowInvalid:  # a plain-looking cell that is no number ("1e", "--1") or has spaces
            numbers = floats([_plain_float(cell) for cell in candidates.to_pylist()])
    values = np.asarray(_numbers_of(numbers), dtype=np.float64)  # NaN where not a number
    usable = is_blank | np.isfinite(values)
    return np.where(is_blank, math.nan, values), usable


def _plain_float(cell: str | None) -> float | None:
    if cell is None:
        return None
    try:
        return float(cell)
    except ValueError:
        return None


# --- the order of the KPI columns in a file -------------------------------------------------------


class KpiOrder:
    """The KPIs scored in a stream of output batches, in the order ``score_many`` gives its KPI columns.

    A KPI comes after those first scored in an earlier row; KPIs first scored in the same row keep the order
    of that row's card. Feed every output batch to :meth:`observe`, in order; read :attr:`kpis` at the end.
    """

    def __init__(self, fw: FrameworkIndex, kpis: Iterable[str]) -> None:
        self.fw = fw
        self._candidates = list(kpis)
        self.kpis: list[str] = []
        self._cards: dict[tuple[str, str, str, tuple[tuple[str, str], ...]], list[str]] = {}

    def observe(self, batch: pa.RecordBatch) -> None:
        """Note the KPIs first scored in ``batch``."""
        firsts: dict[int, list[str]] = {}
        for kpi in self._candidates:
            column = batch.column(f"{kpi}_score")
            if column.null_count == len(column):
                continue
            first = int(np.argmax(valid(column)))
            firsts.setdefault(first, []).append(kpi)
        for row in sorted(firsts):
            found = firsts[row]
            order = self._card_order(batch, row)
            found.sort(key=lambda kpi: order.index(kpi) if kpi in order else len(order))
            self.kpis.extend(found)
        self._candidates = [kpi for kpi in self._candidates if kpi not in self.kpis]

    def _card_order(self, batch: pa.RecordBatch, row: int) -> list[str]:
        values = batch.slice(row, 1).to_pylist()[0]
        context = tuple((d, values[d]) for d in self.fw.spec.contexts if values.get(d))
        key = (values["position"], values["stage"], values["period"], context)
        if key not in self._cards:
            try:
                card = resolve_card(self.fw, key[0], stage=key[1], period=key[2], context=dict(context))
                self._cards[key] = [entry.kpi for entry in card.entries]
            except ROW_FAILURES:
                self._cards[key] = []
        return self._cards[key]
