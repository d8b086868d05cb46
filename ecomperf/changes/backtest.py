"""Backtest a framework change: score the same actuals under the old and the new version, and compare.

:func:`backtest` runs :func:`ecomperf.batch.score_many` on every table of actuals once per version and
pairs the results row by row. It reports:

* the grade mix before and after, over the rows that score under both versions;
* every row (employee and period) whose grade or bonus coefficient changes, with both totals;
* the bonus pool: the sum of the coefficients before and after, and the amounts when a bonus base is
  given (one amount for everyone, or a column of the actuals holding each row's base);
* the effect per position;
* rows that score under one version only, with the reason the other refused them (a new KPI without an
  actual, for example), and rows that score under neither.

The grade mix and the pool are taken over the same rows on both sides (those that score under both), so
that a row the new version cannot score does not look like a lower pool; those rows are listed instead.

Actuals come as tables (:class:`ecomperf.batch.Table`, what :func:`ecomperf.io.read_actuals` returns) or as
rows of mappings. The history store gives its recorded cards as such a table
(:meth:`ecomperf.History.actuals`): each row is then a recorded card, cited as ``perf.db card #42``
(:attr:`RowOutcome.where`) instead of a file row.

Example:
    >>> result = ecomperf.backtest(old, new, read_actuals("examples/actuals-2026-10.csv"))  # doctest: +SKIP
    >>> [(r.employee, r.old.grade, r.new.grade) for r in result.changed]  # doctest: +SKIP
    [('E002 李强', 'B', 'A')]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from ecomperf.batch.engine import score_many
from ecomperf.batch.results import RowSummary
from ecomperf.batch.table import Table, is_empty
from ecomperf.changes.diff import VersionInfo
from ecomperf.errors import QuantityError, ScoringError
from ecomperf.model.index import FrameworkIndex
from ecomperf.scoring.missing import MissingPolicy
from ecomperf.suggest import did_you_mean
from ecomperf.targets import parse_quantity

if TYPE_CHECKING:
    import pandas

__all__ = [
    "BacktestResult",
    "BonusPool",
    "GradeCount",
    "PositionEffect",
    "RowOutcome",
    "Status",
    "backtest",
]

Status = Literal["unchanged", "changed", "old only", "new only", "not scored"]
"""How a row fared: same grade and bonus, a different grade or bonus, scored under one version only, or
under neither."""

_COLUMNS = (
    "source", "row", "where", "employee", "position", "stage", "period", "status", "total_old", "total_new",
    "total_delta", "grade_old", "grade_new", "bonus_old", "bonus_new", "amount_old", "amount_new", "reason",
)


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """One row of actuals under both versions.

    Attributes:
        source: the file (or ``"<rows>"``, or the history database) the row came from; ``row`` its row number
            there (header = row 1), or the card's id for a recorded card.
        employee, position, stage, period: as the row gives them.
        old, new: the row's score under each version, ``None`` where that version could not score it.
        old_error, new_error: why a version could not score the row (``None`` where it could).
        base: the row's bonus base, when one was given.
        origin: where the row came from when ``source:row`` does not say it (``perf.db card #42``), else ``""``.
    """

    source: str
    row: int
    employee: str
    position: str
    stage: str
    period: str
    old: RowSummary | None
    new: RowSummary | None
    old_error: str | None = None
    new_error: str | None = None
    base: float | None = None
    origin: str = ""

    @property
    def where(self) -> str:
        """How reports cite the row: ``actuals.csv:5``, or the recorded card (``perf.db card #42``)."""
        return self.origin or f"{self.source}:{self.row}"

    @property
    def status(self) -> Status:
        """``unchanged``, ``changed`` (grade or bonus), ``old only``, ``new only`` or ``not scored``."""
        if self.old is not None and self.new is not None:
            same = self.old.grade == self.new.grade and self.old.bonus == self.new.bonus
            return "unchanged" if same else "changed"
        if self.old is not None:
            return "old only"
        return "new only" if self.new is not None else "not scored"

    @property
    def grade_changed(self) -> bool:
        """Scored under both versions with different grades."""
        return self.old is not None and self.new is not None and self.old.grade != self.new.grade

    @property
    def total_delta(self) -> float | None:
        """New total minus old total (``None`` unless both versions scored the row)."""
        if self.old is None or self.new is None:
            return None
        return self.new.total - self.old.total

    @property
    def old_amount(self) -> float | None:
        """Old bonus coefficient times the bonus base (``None`` without either)."""
        return None if self.old is None or self.base is None else self.old.bonus * self.base

    @property
    def new_amount(self) -> float | None:
        """New bonus coefficient times the bonus base (``None`` without either)."""
        return None if self.new is None or self.base is None else self.new.bonus * self.base

    @property
    def reason(self) -> str:
        """Why the row scores under one version only (or neither); ``""`` when both score it."""
        if self.old is not None and self.new is None:
            return self.new_error or ""
        if self.new is not None and self.old is None:
            return self.old_error or ""
        if self.old is None and self.new is None:
            if self.old_error == self.new_error:
                return self.new_error or ""
            return f"old: {self.old_error}; new: {self.new_error}"
        return ""

    def to_dict(self) -> dict[str, Any]:
        """The row as one record of :meth:`BacktestResult.to_pandas`."""
        return {
            "source": self.source, "row": self.row, "where": self.where, "employee": self.employee,
            "position": self.position, "stage": self.stage, "period": self.period, "status": self.status,
            "total_old": self.old.total if self.old else None, "total_new": self.new.total if self.new else None,
            "total_delta": self.total_delta,
            "grade_old": self.old.grade if self.old else None, "grade_new": self.new.grade if self.new else None,
            "bonus_old": self.old.bonus if self.old else None, "bonus_new": self.new.bonus if self.new else None,
            "amount_old": self.old_amount, "amount_new": self.new_amount, "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class GradeCount:
    """How many rows earn ``grade`` under each version."""

    grade: str
    old: int
    new: int

    @property
    def delta(self) -> int:
        """``new - old``."""
        return self.new - self.old


@dataclass(frozen=True, slots=True)
class BonusPool:
    """The bonus pool over the rows scored under both versions.

    Attributes:
        rows: how many rows it covers.
        old_coefficients, new_coefficients: the sum of the bonus coefficients under each version.
        old_amount, new_amount: the sum of coefficient × base (``None`` when no base was given).
        rows_without_base: rows left out of the amounts because their base cell is empty or not a number.
    """

    rows: int
    old_coefficients: float
    new_coefficients: float
    old_amount: float | None = None
    new_amount: float | None = None
    rows_without_base: int = 0

    @property
    def coefficient_delta(self) -> float:
        """``new_coefficients - old_coefficients`` (to 9 decimals, as the sums)."""
        return round(self.new_coefficients - self.old_coefficients, 9)

    @property
    def amount_delta(self) -> float | None:
        """``new_amount - old_amount`` (``None`` without a base)."""
        if self.old_amount is None or self.new_amount is None:
            return None
        return round(self.new_amount - self.old_amount, 9)


@dataclass(frozen=True, slots=True)
class PositionEffect:
    """What the change does to one position, over its rows scored under both versions.

    Attributes:
        position: the position id.
        rows: rows of this position scored under both versions.
        grades_up, grades_down: rows whose grade rises or falls.
        old_mean_total, new_mean_total: the mean total under each version.
        old_coefficients, new_coefficients: the sum of the bonus coefficients under each version.
        one_sided: rows of this position scored under one version only.
    """

    position: str
    rows: int
    grades_up: int
    grades_down: int
    old_mean_total: float | None
    new_mean_total: float | None
    old_coefficients: float
    new_coefficients: float
    one_sided: int = 0


@dataclass(frozen=True)
class BacktestResult:
    """The outcome of every row of actuals under both versions, and the summaries built from them.

    Attributes:
        old, new: which frameworks were compared.
        outcomes: one :class:`RowOutcome` per input row (blank rows skipped), in input order.
        grades: grade ids highest first: the new version's, then any only the old one has.
        warnings: notes about the input as a whole (from either version's scoring, and bonus bases).
        bonus_base: the bonus base given: one amount, the name of the column holding each row's, or ``None``.
        position_names: the name of every position of either version (the new version's where both have it).
    """

    old: VersionInfo
    new: VersionInfo
    outcomes: tuple[RowOutcome, ...]
    grades: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    bonus_base: float | str | None = None
    position_names: Mapping[str, str | dict[str, str]] = field(default_factory=dict)

    @property
    def base_given(self) -> bool:
        """Whether a bonus base (an amount or a column) was given, so that the pool has amounts."""
        return self.bonus_base is not None

    @cached_property
    def compared(self) -> tuple[RowOutcome, ...]:
        """Rows scored under both versions: what the grade mix, the pool and the position effects cover."""
        return tuple(o for o in self.outcomes if o.old is not None and o.new is not None)

    @cached_property
    def changed(self) -> tuple[RowOutcome, ...]:
        """Rows whose grade or bonus coefficient changes."""
        return tuple(o for o in self.outcomes if o.status == "changed")

    @cached_property
    def one_sided(self) -> tuple[RowOutcome, ...]:
        """Rows scored under one version only, with :attr:`RowOutcome.reason` saying why not the other."""
        return tuple(o for o in self.outcomes if o.status in ("old only", "new only"))

    @cached_property
    def not_scored(self) -> tuple[RowOutcome, ...]:
        """Rows neither version could score."""
        return tuple(o for o in self.outcomes if o.status == "not scored")

    @property
    def grades_changed(self) -> bool:
        """Whether any grade changes, or any row scores under one version only (what ``--fail-on-grade-change``
        refuses)."""
        return any(o.grade_changed for o in self.outcomes) or bool(self.one_sided)

    @cached_property
    def grade_mix(self) -> tuple[GradeCount, ...]:
        """Rows per grade under each version, over :attr:`compared`, highest grade first."""
        old = Counter(o.old.grade for o in self.compared if o.old is not None)
        new = Counter(o.new.grade for o in self.compared if o.new is not None)
        return tuple(GradeCount(grade, old.get(grade, 0), new.get(grade, 0)) for grade in self.grades)

    @cached_property
    def pool(self) -> BonusPool:
        """The bonus pool over :attr:`compared`."""
        rows = self.compared
        old = _sum(o.old.bonus for o in rows if o.old is not None)
        new = _sum(o.new.bonus for o in rows if o.new is not None)
        if not self.base_given:
            return BonusPool(len(rows), old, new)
        with_base = [o for o in rows if o.base is not None]
        return BonusPool(
            len(rows), old, new,
            old_amount=_sum(o.old_amount or 0.0 for o in with_base),
            new_amount=_sum(o.new_amount or 0.0 for o in with_base),
            rows_without_base=len(rows) - len(with_base),
        )

    @cached_property
    def positions(self) -> tuple[PositionEffect, ...]:
        """The effect per position, positions in order of first appearance."""
        order = list(dict.fromkeys(o.position for o in self.outcomes if o.status != "not scored"))
        return tuple(self._position(position) for position in order)

    def _position(self, position: str) -> PositionEffect:
        rows = [o for o in self.compared if o.position == position]
        ranks = {grade: index for index, grade in enumerate(self.grades)}
        up = down = 0
        for o in rows:
            assert o.old is not None and o.new is not None
            before, after = ranks.get(o.old.grade, 0), ranks.get(o.new.grade, 0)
            up += after < before
            down += after > before
        return PositionEffect(
            position=position,
            rows=len(rows),
            grades_up=up,
            grades_down=down,
            old_mean_total=_mean(o.old.total for o in rows if o.old is not None),
            new_mean_total=_mean(o.new.total for o in rows if o.new is not None),
            old_coefficients=_sum(o.old.bonus for o in rows if o.old is not None),
            new_coefficients=_sum(o.new.bonus for o in rows if o.new is not None),
            one_sided=sum(1 for o in self.one_sided if o.position == position),
        )

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data: what ``ecomperf backtest --format json`` prints.

        Keys: ``old``, ``new`` (id, version, source), ``rows``, ``compared``, ``grades_changed``,
        ``grade_mix``, ``changed``, ``pool``, ``positions``, ``one_sided``, ``not_scored``, ``warnings``.
        """
        pool = self.pool
        return {
            "old": _version_dict(self.old),
            "new": _version_dict(self.new),
            "rows": len(self.outcomes),
            "compared": len(self.compared),
            "grades_changed": self.grades_changed,
            "grade_mix": [{"grade": g.grade, "old": g.old, "new": g.new, "delta": g.delta} for g in self.grade_mix],
            "changed": [o.to_dict() for o in self.changed],
            "pool": {
                "rows": pool.rows, "bonus_base": self.bonus_base,
                "old_coefficients": pool.old_coefficients, "new_coefficients": pool.new_coefficients,
                "coefficient_delta": pool.coefficient_delta,
                "old_amount": pool.old_amount, "new_amount": pool.new_amount,
                "amount_delta": pool.amount_delta,
                "rows_without_base": pool.rows_without_base,
            },
            "positions": [
                {
                    "position": e.position, "rows": e.rows, "grades_up": e.grades_up, "grades_down": e.grades_down,
                    "old_mean_total": e.old_mean_total, "new_mean_total": e.new_mean_total,
                    "old_coefficients": e.old_coefficients, "new_coefficients": e.new_coefficients,
                    "one_sided": e.one_sided,
                }
                for e in self.positions
            ],
            "one_sided": [o.to_dict() for o in self.one_sided],
            "not_scored": [o.to_dict() for o in self.not_scored],
            "warnings": list(self.warnings),
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One :meth:`RowOutcome.to_dict` per row, in input order."""
        return [outcome.to_dict() for outcome in self.outcomes]

    def to_pandas(self) -> pandas.DataFrame:
        """Every row under both versions as a ``pandas.DataFrame`` (needs pandas).

        Columns: ``source, row, where, employee, position, stage, period, status, total_old, total_new,
        total_delta, grade_old, grade_new, bonus_old, bonus_new, amount_old, amount_new, reason``.

        Raises:
            ImportError: pandas is not installed (``pip install pandas``).
        """
        from ecomperf.changes._pandas import data_frame  # start-up cost: pandas only when asked for

        return data_frame(self.to_records(), _COLUMNS)


def backtest(
    old: FrameworkIndex,
    new: FrameworkIndex,
    actuals: Table | Sequence[Table] | Iterable[Mapping[str, Any]],
    *,
    missing: MissingPolicy = "error",
    stage: str | None = None,
    period: str | None = None,
    bonus_base: float | str | None = None,
) -> BacktestResult:
    """Score the same actuals under ``old`` and ``new`` and compare the outcomes row by row.

    Args:
        old: the version before the change.
        new: the version after it.
        actuals: a table of actuals (:func:`ecomperf.io.read_actuals`), several tables (e.g. one per file),
            the recorded cards of the history store (:meth:`ecomperf.History.actuals`), or rows of mappings
            as :func:`ecomperf.batch.score_many` takes them.
        missing: what to do with a KPI without an actual, under both versions (see ``score_many``).
        stage, period: the stage and period of rows that leave them empty.
        bonus_base: the amount a coefficient of 1 pays (``10000``), or the name of a column of the actuals
            that holds each row's base; the pool is then also given in amounts.

    Returns:
        The outcome of every row and the summaries (grade mix, changed rows, pool, positions).

    Raises:
        ScoringError: ``missing`` is not a policy, or ``bonus_base`` names a column a table lacks, or is
            a negative or non-finite number.

    Example:
        >>> result = backtest(old, new, read_actuals("actuals.csv"), missing="renormalize", bonus_base=10_000)
        ... # doctest: +SKIP
        >>> result.pool.old_amount, result.pool.new_amount  # doctest: +SKIP
        (86000.0, 90000.0)
    """
    tables = _tables(actuals)
    amount = _base_amount(bonus_base)
    outcomes: list[RowOutcome] = []
    warnings: list[str] = []
    for table in tables:
        scored, bases, base_warnings = _split_base(table, bonus_base if amount is None else None)
        outcomes.extend(_compare(old, new, scored, bases, amount, missing, stage, period, warnings))
        warnings.extend(base_warnings)
    grades = tuple(dict.fromkeys([*(g.id for g in new.grades), *(g.id for g in old.grades)]))
    names = {p.id: p.name for p in old.positions.values()} | {p.id: p.name for p in new.positions.values()}
    return BacktestResult(
        VersionInfo.of(old), VersionInfo.of(new), tuple(outcomes), grades, tuple(dict.fromkeys(warnings)),
        bonus_base=amount if amount is not None else bonus_base, position_names=names,
    )


def _tables(actuals: Table | Sequence[Table] | Iterable[Mapping[str, Any]]) -> list[Table]:
    if isinstance(actuals, Table):
        return [actuals]
    items: list[Any] = list(actuals)
    if items and all(isinstance(item, Table) for item in items):
        return items
    return [Table.from_records(items)]


def _base_amount(bonus_base: float | str | None) -> float | None:
    """The bonus base as one amount, or ``None`` when it is absent or names a column."""
    if bonus_base is None or (isinstance(bonus_base, str) and not _is_number(bonus_base)):
        return None
    try:
        value = parse_quantity(bonus_base)
    except QuantityError as exc:
        raise ScoringError(f"bonus base: {exc}") from None
    if value < 0:
        raise ScoringError(f"bonus base {bonus_base!r} is negative; give the amount a coefficient of 1 pays")
    return value


def _is_number(text: str) -> bool:
    try:
        parse_quantity(text)
    except QuantityError:
        return False
    return True


def _split_base(table: Table, column: float | str | None) -> tuple[Table, dict[int, float], list[str]]:
    """The table without its bonus-base column, each row's base by row number, and problems with bases."""
    if not isinstance(column, str):
        return table, {}, []
    if column not in table.columns:
        raise ScoringError(
            f"{table.source} has no bonus-base column {column!r}{did_you_mean(column, [c for c in table.columns if c])}"
        )
    position = table.columns.index(column)
    bases: dict[int, float] = {}
    problems: list[str] = []
    for index, (cells, number) in enumerate(zip(table.rows, table.numbers, strict=True)):
        cell = cells[position] if position < len(cells) else None
        if all(is_empty(value) for value in cells):
            continue
        try:
            if is_empty(cell):
                raise QuantityError("the cell is empty")
            value = parse_quantity(cell.strip() if isinstance(cell, str) else cell)
            if value < 0:
                raise QuantityError(f"{value:g} is negative")
        except QuantityError as exc:
            problems.append(f"{table.origin(index)}: bonus base {column!r}: {exc}; the row is left out of amounts")
            continue
        bases[number] = value
    rows: list[Sequence[Any]] = [
        tuple(value for index, value in enumerate(cells) if index != position) for cells in table.rows
    ]
    columns = tuple(name for index, name in enumerate(table.columns) if index != position)
    return replace(table, columns=columns, rows=rows), bases, problems


def _compare(
    old: FrameworkIndex, new: FrameworkIndex, table: Table, bases: Mapping[int, float], amount: float | None,
    missing: MissingPolicy, stage: str | None, period: str | None, warnings: list[str],
) -> list[RowOutcome]:
    before = score_many(old, table, missing=missing, stage=stage, period=period, detail=False)
    after = score_many(new, table, missing=missing, stage=stage, period=period, detail=False)
    warnings.extend(f"old version: {w}" for w in before.warnings if w not in after.warnings)
    warnings.extend(f"new version: {w}" for w in after.warnings if w not in before.warnings)
    warnings.extend(w for w in after.warnings if w in before.warnings)
    old_rows = {summary.row: summary for summary in before.rows}
    new_rows = {summary.row: summary for summary in after.rows}
    old_errors = {error.row: error.reason for error in before.errors}
    new_errors = {error.row: error.reason for error in after.errors}
    fields = _row_fields(table)
    origins = {} if table.origins is None else dict(zip(table.numbers, table.origins, strict=True))
    outcomes = []
    for number in table.numbers:
        if not any(number in found for found in (old_rows, new_rows, old_errors, new_errors)):
            continue  # a blank row, skipped by both
        scored = new_rows.get(number) or old_rows.get(number)
        employee, position, stage_id, period_id = (
            (scored.employee, scored.position, scored.stage, scored.period) if scored else fields[number]
        )
        outcomes.append(RowOutcome(
            source=table.source, row=number, employee=employee, position=position, stage=stage_id, period=period_id,
            old=old_rows.get(number), new=new_rows.get(number), old_error=old_errors.get(number),
            new_error=new_errors.get(number), base=amount if amount is not None else bases.get(number),
            origin=origins.get(number, ""),
        ))
    return outcomes


def _row_fields(table: Table) -> dict[int, tuple[str, str, str, str]]:
    """Employee, position, stage and period of each row as written (for rows no version could score)."""
    positions = {name: index for index, name in reversed(list(enumerate(table.columns)))}

    def cell(cells: Sequence[Any], name: str) -> str:
        index = positions.get(name)
        value = cells[index] if index is not None and index < len(cells) else None
        return "" if is_empty(value) else str(value).strip()

    return {
        number: (cell(cells, "employee"), cell(cells, "position"), cell(cells, "stage"), cell(cells, "period"))
        for cells, number in zip(table.rows, table.numbers, strict=True)
    }


def _version_dict(version: VersionInfo) -> dict[str, str]:
    return {"id": version.id, "version": version.version, "source": version.source}


def _sum(values: Iterable[float]) -> float:
    """An exact sum, rounded to 9 decimals so that 0.1 + 0.2 reads 0.3 (coefficients have a few decimals)."""
    return round(math.fsum(values), 9)


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None
