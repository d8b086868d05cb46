"""Rows that give the same employee and period twice: reported with every row number, and none scored.

Two rows for one employee and one period are a copy-paste slip or two versions of the same month; scoring
both would count the employee twice in a distribution and pay two bonuses. By default every such row is
reported, naming all of them, and none is scored. ``keep_duplicates="first"`` (``--keep-duplicates first``)
scores the first of them and reports the others as duplicates of it; ``"last"`` keeps the last.

The period is compared as a period (``2026-q4`` and ``2026-Q4`` are one quarter); the position, stage and
context are not part of the comparison: an employee has one card per period.

Example:
    >>> check_keep("last")
    'last'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final, Literal, TypeAlias, get_args

from ecomperf.batch.cells import Fields
from ecomperf.batch.table import Table
from ecomperf.errors import ScoringError
from ecomperf.periods import Period, PeriodError
from ecomperf.spelling import option
from ecomperf.suggest import did_you_mean

__all__ = ["KEEP_CHOICES", "KeepDuplicates", "check_keep", "drop_duplicates", "duplicate_errors", "period_id"]

KeepDuplicates: TypeAlias = Literal["first", "last"]
"""Which of several rows for one employee and period to score; ``None`` scores none of them."""

KEEP_CHOICES: Final[tuple[KeepDuplicates, ...]] = get_args(KeepDuplicates)


def check_keep(keep: object) -> KeepDuplicates | None:
    """``keep`` as a choice (``None``, ``"first"`` or ``"last"``).

    Raises:
        ScoringError: anything else (with a "did you mean").
    """
    if keep is None:
        return None
    for choice in KEEP_CHOICES:
        if keep == choice:
            return choice
    raise ScoringError(
        f"{option('keep_duplicates', str(keep))} is not a choice; use "
        f"{' or '.join(option('keep_duplicates', c) for c in KEEP_CHOICES)}{did_you_mean(str(keep), KEEP_CHOICES)}"
    )


def drop_duplicates(table: Table, fields: Fields, keep: KeepDuplicates | None) -> tuple[Fields, frozenset[int]]:
    """``fields`` with the rows that repeat an employee and period moved from ``good`` to ``errors``, and
    the rows left out because ``keep`` chose another (reported, but as asked)."""
    ids = {text: period_id(text) for text in {fields.keys[index][2] for index in fields.good}}
    pairs = [(fields.employees[index], ids[fields.keys[index][2]]) for index in fields.good]
    if len(set(pairs)) == len(pairs):
        return fields, frozenset()
    groups: dict[tuple[str, str], list[int]] = {}
    for index, pair in zip(fields.good, pairs, strict=True):
        groups.setdefault(pair, []).append(index)
    errors, superseded = duplicate_errors(groups, lambda members: _names(table, members), keep)
    if not errors:
        return fields, frozenset()
    good = [index for index in fields.good if index not in errors]
    return Fields(fields.employees, fields.keys, good, {**fields.errors, **errors}), frozenset(superseded)


def duplicate_errors(
    groups: Mapping[tuple[str, str], Sequence[int]], names: Callable[[Sequence[int]], Sequence[str]],
    keep: KeepDuplicates | None,
) -> tuple[dict[int, str], set[int]]:
    """The reason each repeated row is not scored, and the rows left out because ``keep`` chose another.

    Args:
        groups: (employee, period) -> the rows giving it, in input order (groups of one are ignored); a row
            is any whole number the caller uses (an index into a table, or a row number of a stream).
        names: how to name rows in a message (``["3", "7"]`` within one file, ``["oct.csv:3", ...]``
            across files); a list of one row number is written ``row 3``, of several ``rows 3 and 7``.
        keep: ``None``, ``"first"`` or ``"last"``.

    Example:
        >>> duplicate_errors({("li", "2026-10"): [3, 7]}, lambda rows: [str(r) for r in rows], "last")[1]
        {3}
    """
    errors: dict[int, str] = {}
    superseded: set[int] = set()
    for (employee, period), members in groups.items():
        if len(members) < 2:
            continue
        if keep is None:
            listed = _listed(names(members))
            remedy = " or ".join(option("keep_duplicates", choice) for choice in KEEP_CHOICES)
            for index in members:
                errors[index] = (
                    f"employee {employee} has {len(members)} rows for {period} ({listed}); none is scored: "
                    f"delete the extra rows, or pass {remedy}"
                )
            continue
        kept = members[0] if keep == "first" else members[-1]
        for index in members:
            if index != kept:
                superseded.add(index)
                errors[index] = (
                    f"a second row for employee {employee} in {period}: not scored, {_listed(names([kept]))} is "
                    f"({option('keep_duplicates', keep)})"
                )
    return errors, superseded


def period_id(text: str) -> str:
    """A period cell's text as the period it names (``2026-q4`` -> ``2026-Q4``); the text itself when it
    names none (the scorer reports such a row when it resolves the row's card)."""
    try:
        return str(Period.parse(text))
    except PeriodError:  # reported by the scorer when the row's card is resolved
        return text


def _names(table: Table, members: Sequence[int]) -> list[str]:
    """The rows of ``table`` at ``members`` as messages name them: ``file:row`` across files, else the number."""
    if table.origins is not None:
        return [table.origin(index) for index in members]
    return [str(table.numbers[index]) for index in members]


def _listed(names: Sequence[str]) -> str:
    """``row 3``, ``rows 3 and 7`` (row numbers), ``oct.csv:3 and nov.csv:3`` (rows across files)."""
    prefix = "" if not all(name.isdigit() for name in names) else ("row " if len(names) == 1 else "rows ")
    text = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return prefix + text
