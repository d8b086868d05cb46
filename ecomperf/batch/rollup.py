"""Monthly rows rolled up into quarter (or year) rows, one per employee, before they are scored.

``score_many(rows, rollup="2026-Q4")`` (``ecomperf score --period 2026-Q4``) and ``rollup="quarter"``
(``--rollup quarter``) turn the monthly rows of each employee into one row for the quarter (or year), which
is then scored on the quarter's card like any other row, by either engine. The months are combined by
:func:`ecomperf.scoring.rollup.collect`, the one roll-up of the library: each base metric by its
``aggregate`` (GMV summed, a rate averaged, a stock level's last value), formula metrics recomputed from the
rolled-up inputs; the card's targets are then fitted to the quarter by the one period rule
(:func:`ecomperf.scoring.resolve.prorate_targets`).

Rows belong together when they name the same employee, position, stage and context. Nothing is guessed
and nothing is dropped; every input row ends up in a scored quarter or is reported:

* a quarter that lacks a month is not scored, and each of its rows is reported naming the missing months;
* a value refused in any month (not a number, impossible for its metric) fails the quarter, as does a
  metric given in some months and not others (its sum would cover fewer months than its target);
* a row whose period is not a month of the quarter asked for is reported; a row for the quarter itself
  is scored as it is.

Example:
    >>> result = fw.score_many(rows, rollup="2026-Q4")  # doctest: +SKIP
    >>> result.rows[0].period, result.rows[0].origin  # doctest: +SKIP
    ('2026-Q4', 'actuals.csv:2,5,8')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomperf.batch.cells import Fields, Layout
from ecomperf.batch.table import FIELDS, Table, is_empty
from ecomperf.errors import ScoringError
from ecomperf.model.index import FrameworkIndex
from ecomperf.periods import MONTHS_IN, Period, PeriodError, PeriodKind
from ecomperf.scoring.actuals import NOT_APPLICABLE
from ecomperf.scoring.rollup import collect

__all__ = ["RolledUp", "roll_up", "rollup_target"]


@dataclass(frozen=True)
class RolledUp:
    """The rows to score after a roll-up, and what became of every input row.

    Attributes:
        table: one row per quarter (or year) and employee, plus the rows that were already for one.
        members: per row of :attr:`table`, the input rows (indices) it was made from.
        errors: input row index -> why the row is not scored.
        warnings: things about the roll-up as a whole the user should know.
    """

    table: Table
    members: list[list[int]]
    errors: dict[int, str]
    warnings: list[str] = field(default_factory=list)


def rollup_target(rollup: str) -> Period | PeriodKind:
    """What ``rollup`` asks for: a period (``"2026-Q4"``, ``"2026"``) or a kind (``"quarter"``, ``"year"``).

    Raises:
        ScoringError: neither (the message shows both forms).

    Example:
        >>> rollup_target("quarter"), str(rollup_target("2026-q4"))
        ('quarter', '2026-Q4')
    """
    if rollup in ("quarter", "year"):
        return "quarter" if rollup == "quarter" else "year"
    try:
        period = Period.parse(rollup)
    except PeriodError as exc:
        raise ScoringError(f"cannot roll up to {rollup!r}: {exc}; or give quarter or year") from None
    if period.kind == "month":
        raise ScoringError(f"cannot roll up to {rollup}: it is a month; give a quarter (2026-Q4) or a year (2026)")
    return period


def roll_up(
    fw: FrameworkIndex,
    table: Table,
    cells: Sequence[Sequence[Any]],
    layout: Layout,
    fields: Fields,
    to: Period | PeriodKind,
) -> RolledUp:
    """Roll the good rows of ``table`` up to ``to`` (a period, or a kind of period) per employee.

    Args:
        fw: the framework (metric aggregations and ranges).
        table: the input rows.
        cells: the rows, padded to the header's width.
        layout: which column is which.
        fields: each row's employee and card key; only ``fields.good`` rows are rolled up.
        to: the quarter or year to roll up to, or ``"quarter"`` / ``"year"`` for every one the rows touch.

    Returns:
        The rolled-up rows and the input rows that are not scored, with why.
    """
    groups: dict[tuple[Any, ...], list[tuple[Period, int]]] = {}
    whole: list[int] = []
    errors: dict[int, str] = {}
    for index in fields.good:
        position, stage, period_text, context = fields.keys[index]
        period = Period.parse(period_text)  # read_fields checked it
        parent, problem = _parent(period, to)
        if problem:
            errors[index] = problem
        elif parent is None:
            whole.append(index)
        else:
            key = (fields.employees[index], position, stage, context, parent)
            groups.setdefault(key, []).append((period, index))
    out = _Builder(table, layout)
    for index in whole:
        position, stage, period_text, context = fields.keys[index]
        out.add([index], [fields.employees[index], position, stage, period_text], context,
                _values(cells, index, layout), origin=table.origin(index))
    recomputed: dict[str, None] = {}
    for (employee, position, stage, context, parent), months in groups.items():
        months.sort()
        indices = [index for _, index in months]
        monthly = {month: _values(cells, index, layout) for month, index in months}
        rolled = collect(fw, monthly, parent)
        problems = [*rolled.errors]
        if rolled.absent_months:
            problems.insert(0, f"no row for {', '.join(map(str, rolled.absent_months))} (needed for {parent})")
        problems += [f"{name} has {why}" for name, why in sorted(rolled.gaps.items())]
        if problems:
            listed = table.origin(indices[0]) if len(indices) == 1 else _origin(table, indices)
            reason = f"cannot roll {listed} up to {parent}: {'; '.join(problems)}"
            errors.update(dict.fromkeys(indices, reason))
            continue
        given = {name for values in monthly.values() for name in values}
        recomputed.update(dict.fromkeys(n for n in given if fw.metrics[n].aggregation == "recompute"))
        metrics: dict[str, object] = dict(rolled.values)
        metrics.update(dict.fromkeys(rolled.not_applicable, NOT_APPLICABLE))
        out.add(indices, [employee, position, stage, str(parent)], context, metrics)
    warnings = [
        f"the monthly values of {name} are not added up or averaged: it is recomputed from "
        f"{', '.join(fw.metrics[name].inputs)} over each quarter or year"
        for name in recomputed
    ]
    return RolledUp(out.table(), out.members, errors, warnings)


def _parent(period: Period, to: Period | PeriodKind) -> tuple[Period | None, str]:
    """The period a row's values roll up into (``None``: the row is for it already), or why it cannot."""
    if isinstance(to, Period):
        if period == to:
            return None, ""
        if period.kind == "month" and to.contains(period):
            return to, ""
        return None, f"period {period} is not a month of {to}, the period rolled up to"
    if period.kind == to:
        return None, ""
    if MONTHS_IN[period.kind] > MONTHS_IN[to]:
        return None, f"period {period} is a {period.kind}; it cannot be rolled up to a {to}"
    return period.parent(to), ""


def _values(cells: Sequence[Sequence[Any]], index: int, layout: Layout) -> dict[str, object]:
    row = cells[index]
    return {name: row[column] for name, column in layout.metrics.items() if not is_empty(row[column])}


def _origin(table: Table, indices: Sequence[int]) -> str:
    """``q4.csv:2,5,8`` for rows of one file, ``oct.csv:2, nov.csv:2, dec.csv:2`` across files."""
    if table.origins is None:
        return f"{table.source}:{','.join(str(table.numbers[index]) for index in indices)}"
    return ", ".join(table.origin(index) for index in indices)


class _Builder:
    """The rolled-up table, row by row."""

    def __init__(self, table: Table, layout: Layout) -> None:
        self.source = table
        self.contexts = list(layout.contexts)
        self.metrics = list(layout.metrics)
        self.columns = (*FIELDS, *self.contexts, *self.metrics)
        self.rows: list[Sequence[Any]] = []
        self.numbers: list[int] = []
        self.origins: list[str] = []
        self.members: list[list[int]] = []

    def add(
        self, indices: list[int], fields: list[str], context: Sequence[str], values: Mapping[str, object],
        origin: str | None = None,
    ) -> None:
        row = [*fields, *context, *(values.get(name) for name in self.metrics)]
        self._append(indices, row, origin if origin is not None else _origin(self.source, indices))

    def _append(self, indices: list[int], row: list[Any], origin: str) -> None:
        self.rows.append(tuple(row))
        self.numbers.append(self.source.numbers[indices[0]])
        self.origins.append(origin)
        self.members.append(indices)

    def table(self) -> Table:
        return Table(self.columns, self.rows, self.numbers, source=self.source.source,
                     encoding=self.source.encoding, origins=self.origins)
