"""Ratings given as long rows: one row per rater, with a ``rater`` column, merged into the row they rate.

A spreadsheet of reviews often has one row per rater rather than one column::

    employee  position  stage    period  rater       teamwork  gmv
    li        seller    startup  2026-Q4             .         2100000
    li        seller    startup  2026-Q4  self        4
    li        seller    startup  2026-Q4  manager     3
    li        seller    startup  2026-Q4  peer:wang   5

:func:`merge_rating_rows` turns the rows with a ``rater`` into rating columns (``teamwork@self``,
``teamwork@manager``, ``teamwork@peer:wang``) of the row of the same employee, position, stage, period and
context without one, so that the engines see what wide columns would give them
(:mod:`ecomperf.scoring.raters`). When no such row exists, the first rating row stands for it. A rating
row that gives a metric without raters, or repeats a rater, is reported with its own row number and
never merged; who the rater is never appears in a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from ecomperf.batch.table import FIELDS, Table, is_empty
from ecomperf.scoring.raters import RATING_MARK, rating_key

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = ["RATER_COLUMN", "merge_rating_rows"]

RATER_COLUMN: Final = "rater"
"""The column that says who gave a row's ratings: a role (``manager``) or ``role:who`` (``peer:wang``)."""


def merge_rating_rows(fw: FrameworkIndex, table: Table) -> Table:
    """``table`` with its rating rows (a non-empty ``rater`` cell) merged into the rows they rate.

    Returns ``table`` itself when it has no ``rater`` column. Otherwise the ``rater`` column is gone, each
    rating row's metric cells are in rating columns of the row it rates, and rows that could not be
    merged are in the result with their reason in :attr:`~ecomperf.batch.table.Table.bad_rows`.
    """
    if RATER_COLUMN not in table.columns:
        return table
    rater_at = table.columns.index(RATER_COLUMN)
    identity = [index for index, name in enumerate(table.columns) if name in FIELDS or name in fw.spec.contexts]
    metrics = [(index, name) for index, name in enumerate(table.columns)
               if name in fw.metrics or rating_key(name) is not None]
    blank: Any = "" if table.text_cells else None
    kept: list[list[Any]] = []
    numbers: list[int] = []
    bad: dict[int, str] = {}
    bases: dict[tuple[str, ...], int] = {}
    added: dict[str, None] = {}
    extra: dict[int, dict[str, Any]] = {}
    pending: list[tuple[int, Sequence[Any], str]] = []
    for index, cells in enumerate(table.rows):
        rater = _text(cells[rater_at] if rater_at < len(cells) else None)
        if index in table.bad_rows or not rater:
            key = _key(cells, identity)
            if index not in table.bad_rows:
                bases.setdefault(key, len(kept))
            else:
                bad[len(kept)] = table.bad_rows[index]
            kept.append(_without(cells, rater_at, len(table.columns)))
            numbers.append(table.numbers[index])
        else:
            pending.append((index, cells, rater))
    for index, cells, rater in pending:
        key = _key(cells, identity)
        problem = _problem(fw, cells, metrics, rater)
        if problem is None and key not in bases:
            bases[key] = len(kept)
            base = _without(cells, rater_at, len(table.columns))
            for position, _ in metrics:  # the ratings go to rating columns; the base row keeps the rest
                base[position if position < rater_at else position - 1] = blank
            kept.append(base)
            numbers.append(table.numbers[index])
        if problem is None:
            problem = _merge(extra.setdefault(bases[key], {}), cells, metrics, rater, added)
        if problem is not None:
            bad[len(kept)] = problem
            kept.append(_without(cells, rater_at, len(table.columns)))
            numbers.append(table.numbers[index])
    columns = tuple(name for position, name in enumerate(table.columns) if position != rater_at) + tuple(added)
    order = sorted(range(len(kept)), key=lambda index: numbers[index])  # rows stay in the order of the input
    rows: list[Sequence[Any]] = [
        [*kept[index], *(extra.get(index, {}).get(name, blank) for name in added)] for index in order
    ]
    reasons = {place: bad[index] for place, index in enumerate(order) if index in bad}
    return Table(columns, rows, [numbers[index] for index in order], source=table.source, encoding=table.encoding,
                 sheet=table.sheet, text_cells=table.text_cells, bad_rows=reasons, warnings=list(table.warnings))


def _text(cell: object) -> str:
    return "" if is_empty(cell) else str(cell).strip()


def _key(cells: Sequence[Any], identity: Sequence[int]) -> tuple[str, ...]:
    return tuple(_text(cells[index]) if index < len(cells) else "" for index in identity)


def _without(cells: Sequence[Any], position: int, width: int) -> list[Any]:
    padded = list(cells) + [None] * (width - len(cells))
    return padded[:position] + padded[position + 1:]


def _role(rater: str) -> str:
    return rater.partition(":")[0].strip()


def _problem(fw: FrameworkIndex, cells: Sequence[Any], metrics: Sequence[tuple[int, str]], rater: str) -> str | None:
    """Why a rating row cannot be merged, naming the role but never the rater."""
    role = _role(rater)
    for position, name in metrics:
        if position >= len(cells) or is_empty(cells[position]):
            continue
        if rating_key(name) is not None:
            return (f"the row gives {RATER_COLUMN} {role!r} and also the rating column {name.partition(':')[0]}; "
                    "give each rating once, in a column or in a rater row")
        metric = fw.metrics[name]
        if metric.raters is None:
            return (f"the row gives {RATER_COLUMN} {role!r}, but {name} has no raters; give {name} on the "
                    f"employee's own row, with {RATER_COLUMN} empty")
    return None


def _merge(
    extra: dict[str, Any], cells: Sequence[Any], metrics: Sequence[tuple[int, str]], rater: str,
    added: dict[str, None],
) -> str | None:
    """Put the row's ratings into ``extra`` (the rating columns of the row it rates), or say why not."""
    ratings = [(f"{name}{RATING_MARK}{rater}", cells[position]) for position, name in metrics
               if position < len(cells) and not is_empty(cells[position])]
    repeated = [name for name, _ in ratings if name in extra]
    if repeated:
        shown = ", ".join(f"{name.partition(RATING_MARK)[0]}{RATING_MARK}{_role(rater)}" for name in repeated)
        return f"{shown}: the same rater is given twice for this employee and period; give each rater once"
    for name, value in ratings:
        extra[name] = value
        added.setdefault(name)
    return None
