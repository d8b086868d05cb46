"""Monthly actuals rolled up to quarters and years.

Rolling monthly actuals up to a quarter or year (:func:`collect`, :func:`rollup_actuals`) combines each
base metric by its ``aggregation`` (``sum``, ``mean``, ``last``, ``min``, ``max``) and then *recomputes*
formula metrics from the rolled-up inputs (:mod:`ecomperf.scoring.derive`): a quarterly conversion rate is
``Σ orders / Σ visitors``, not the mean of three monthly rates. A formula metric's own monthly values are
not rolled up unless the metric declares an ``aggregate`` other than ``recompute``.

"Not applicable" (``"n/a"``) is an explicit statement, not a gap: a metric that is n/a in some months
is rolled up over the months where it applies; one that is n/a in every month given is n/a for the
period. A formula metric with an n/a input is n/a too.

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
    >>> rollup_actuals(fw, {"2026-10": {...}, "2026-11": {...}, "2026-12": {...}}, "2026-Q4")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecomperf.errors import ScoringError
from ecomperf.model.index import FrameworkIndex
from ecomperf.periods import Period, PeriodError
from ecomperf.periods import rollup as combine
from ecomperf.problems import Problem
from ecomperf.scoring.actuals import parse_values
from ecomperf.scoring.derive import derive
from ecomperf.scoring.resolve import parse_period
from ecomperf.sentences import Sentence
from ecomperf.suggest import did_you_mean

__all__ = ["PeriodActuals", "RolledTable", "collect", "months_of", "rollup_actuals", "rollup_table"]

# --- roll-up --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodActuals:
    """Monthly actuals rolled up to one period (base metrics only; formula metrics come from :func:`derive`).

    Attributes:
        period: the period rolled up to.
        values: each rolled-up metric's value.
        not_applicable: metrics n/a in every month that mentions them.
        gaps: metrics left out because some month lacks them: metric → explanation.
        months: the months of ``period`` found in the data, in order.
        absent_months: the months of ``period`` missing from the data.
        unknown: names in the data that the framework does not declare.
        errors: values that are not numbers (period: message).
    """

    period: Period
    values: dict[str, float]
    not_applicable: frozenset[str]
    gaps: dict[str, str]
    months: tuple[Period, ...]
    absent_months: tuple[Period, ...]
    unknown: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def collect(
    fw: FrameworkIndex, monthly: Mapping[Period, Mapping[str, object]], to: Period, *, partial: bool = False
) -> PeriodActuals:
    """Roll the monthly actuals of the months of ``to`` up by each metric's aggregation.

    Metrics whose aggregation is ``recompute`` are not rolled up (recompute them with :func:`derive`).
    A metric absent from some months found in the data is a *gap* (listed, not rolled up) unless
    ``partial`` is true, in which case it is rolled up over the months that have it. Months absent from
    the data are listed in ``absent_months``; this function never raises for them.

    Args:
        fw: the framework declaring the metrics and their aggregation.
        monthly: month → (metric id → value); other keys are ignored.
        to: the period to roll up to.
        partial: roll metrics up over the months that have them.

    Returns:
        The rolled-up actuals with everything that is missing or wrong listed.
    """
    months = tuple(m for m in to.months() if m in monthly)
    absent = tuple(m for m in to.months() if m not in monthly)
    gathered = _gather(fw, [(month, monthly[month]) for month in months])
    values: dict[str, float] = {}
    gaps: dict[str, str] = {}
    for name, covered in gathered.seen.items():
        lacking = [str(m) for m in months if m not in covered]
        if lacking and not partial:
            gaps[name] = Sentence("no value for {months} (needed to roll up to {period})", months=tuple(lacking),
                                  period=str(to))
        elif name in gathered.series:
            values[name] = combine(gathered.series[name], fw.metrics[name].aggregation)
    fully_na = frozenset(
        name
        for name, count in gathered.not_applicable.items()
        if name not in gathered.series and name not in gaps and (name in gathered.seen or count == len(months))
    )
    return PeriodActuals(to, values, fully_na, gaps, months, absent, gathered.unknown, gathered.errors)


@dataclass(frozen=True)
class _Gathered:
    """Monthly values side by side: each rollable metric's series and the months that mention it."""

    series: dict[str, list[float]]
    seen: dict[str, set[Period]]
    not_applicable: dict[str, int]
    unknown: tuple[str, ...]
    errors: tuple[str, ...]


def _gather(fw: FrameworkIndex, months: list[tuple[Period, Mapping[str, object]]]) -> _Gathered:
    series: dict[str, list[float]] = {}
    seen: dict[str, set[Period]] = {}
    not_applicable: dict[str, int] = {}
    unknown: dict[str, None] = {}
    errors: list[str] = []
    for month, raw in months:
        parsed = parse_values(fw, raw, str(month))
        errors.extend(parsed.errors)
        unknown.update(dict.fromkeys(parsed.unknown))
        for name in parsed.not_applicable:
            not_applicable[name] = not_applicable.get(name, 0) + 1
        # A refused value is reported as an error already, not as a gap too. Metrics recomputed from
        # their inputs are not rolled up from their own monthly values.
        mentioned = [*parsed.refused, *parsed.not_applicable, *parsed.values]
        for name in mentioned:
            if fw.metrics[name].aggregation != "recompute":
                seen.setdefault(name, set()).add(month)
        for name, value in parsed.values.items():
            if fw.metrics[name].aggregation != "recompute":
                series.setdefault(name, []).append(value)
    return _Gathered(series, seen, not_applicable, tuple(unknown), tuple(errors))


def rollup_actuals(
    fw: FrameworkIndex, monthly_actuals: Mapping[str, Mapping[str, object]], to: str | Period, *, partial: bool = False
) -> dict[str, float]:
    """Roll monthly actuals up to ``to`` and recompute every formula metric from the rolled-up inputs.

    This is :meth:`ecomperf.Framework.rollup`.

    Args:
        fw: the framework declaring the metrics.
        monthly_actuals: month id (``"2026-10"``) → (metric id → value as in
            :func:`ecomperf.scoring.actuals.parse_actual`). Keys that are not months inside ``to`` are ignored.
        to: the quarter or year (or month) to roll up to.
        partial: accept months missing from the data and metrics missing from some months, rolling up
            what is there (a ``sum`` then covers fewer months; say so wherever the number is shown).

    Returns:
        Metric id → value for every base metric given and every formula metric that can be computed.
        Metrics n/a for the whole period and formula metrics that are undefined over it (division by
        zero) are left out; :func:`collect` and :func:`derive` report why.

    Raises:
        ScoringError: ``to`` or a key is not a period id, a value is not a number, a name is not a
            declared metric (with a "did you mean"), or, unless ``partial``, a month of ``to`` is
            missing from the data or a metric is missing from some months (each named).

    Example:
        >>> import ecomperf
        >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
        >>> q4 = rollup_actuals(fw, {"2026-10": {"gmv": 1e6}, "2026-11": {"gmv": 3e6}, "2026-12": {"gmv": 2e6}},
        ...                     "2026-Q4")  # doctest: +SKIP
        >>> q4["gmv"]  # doctest: +SKIP
        6000000.0
    """

    target = parse_period(to)
    rolled = collect(fw, months_of(monthly_actuals), target, partial=partial)
    problems = [Problem("ES103", text) for text in rolled.errors]
    problems += [
        Problem("ES105", f"{name!r} is not a declared metric{did_you_mean(name, fw.metrics)}")
        for name in rolled.unknown
    ]
    if not partial:
        if rolled.absent_months:
            problems.append(
                Problem("ES101", f"no actuals for {', '.join(map(str, rolled.absent_months))} (part of {target})")
            )
        problems += [Problem("ES101", f"{name}: {why}") for name, why in sorted(rolled.gaps.items())]
    if problems:
        raise ScoringError(f"cannot roll actuals up to {target}", problems=problems)
    derived = derive(fw, rolled.values, fw.metrics, rolled.not_applicable)
    return derived.values


def months_of(data: Mapping[Any, Mapping[str, object]]) -> dict[Period, Mapping[str, object]]:
    """Key a mapping of actuals by :class:`~ecomperf.periods.Period`, keeping only months.

    Args:
        data: period id (or Period) → (metric id → value).

    Returns:
        The months among the keys, as Periods, with their values.

    Raises:
        ScoringError: a key is not a period id (every bad key is listed).

    Example:
        >>> list(map(str, months_of({"2026-10": {}, "2026-Q4": {}})))
        ['2026-10']
    """
    found: dict[Period, Mapping[str, object]] = {}
    bad: list[Problem] = []
    for key, values in data.items():
        try:
            period = key if isinstance(key, Period) else Period.parse(key)
        except PeriodError as exc:
            bad.append(Problem("ES106", str(exc)))
            continue
        if period.kind == "month":
            found[period] = values
    if bad:
        raise ScoringError("actuals are keyed by something other than period ids", problems=bad)
    return found


# --- many employees at once -----------------------------------------------------------------------


@dataclass(frozen=True)
class RolledTable:
    """Many employees' months rolled up to one period: :func:`rollup_table`'s result, as columns.

    Attributes:
        period: the period rolled up to.
        employees: the employees rolled up, in order of first appearance.
        values: metric id -> each employee's rolled-up value (``None`` where that employee has none: the
            metric is not given, is n/a, or its formula is undefined); metrics no employee has are left out.
        errors: employee -> why that employee's months cannot be rolled up (the message of the
            :class:`~ecomperf.errors.ScoringError` :func:`rollup_actuals` raises for them); such an employee is
            not in :attr:`employees`.
    """

    period: Period
    employees: list[str]
    values: dict[str, list[float | None]]
    errors: dict[str, str]

    def row(self, employee: str) -> dict[str, float]:
        """One employee's rolled-up values: what :func:`rollup_actuals` returns for them."""
        place = self.employees.index(employee)
        return {name: value for name, column in self.values.items() if (value := column[place]) is not None}


def rollup_table(
    fw: FrameworkIndex, table: Mapping[str, Sequence[Any]], to: str | Period, *, partial: bool = False
) -> RolledTable:
    """Roll up the months of many employees at once: per employee exactly what :func:`rollup_actuals` gives.

    The table has one row per employee and month: an ``employee`` column, a ``period`` column (month ids) and
    one column per metric (numbers; an empty cell, ``None`` or NaN, is a value not given). A pandas DataFrame
    or a dict of lists or arrays will do. Rows of months outside ``to`` are ignored.

    Employees whose rows are plain numbers within their metrics' ranges, one row per month, are rolled up
    together in numpy: every month of ``to`` side by side, each metric combined by its aggregation (sums with
    ``math.fsum``, as :func:`ecomperf.periods.rollup` does), then formula metrics recomputed from the
    rolled-up inputs by :func:`ecomperf.scoring.vectorized.metric_arrays`, the array form of
    :func:`~ecomperf.scoring.derive.derive`. Every other employee (text such as ``"n/a"`` or ``"120万"``, a
    value out of range, a month missing or given twice, a metric missing from some months) is rolled up by
    :func:`rollup_actuals` itself, so their values or their error are the per-employee ones.

    Args:
        fw: the framework declaring the metrics.
        table: the columns, as described above.
        to: the quarter or year to roll up to.
        partial: as for :func:`rollup_actuals`.

    Returns:
        The rolled-up values per employee, and the employees that could not be rolled up, with the reason.

    Raises:
        ScoringError: ``to`` is not a period, the table lacks ``employee`` or ``period``, or a column is neither
            of them nor a declared metric (with a "did you mean"), or the columns differ in length.

    Example:
        >>> table = {"employee": ["li", "li", "li"], "period": ["2026-10", "2026-11", "2026-12"],
        ...          "gmv": [1e6, 3e6, 2e6]}
        >>> rollup_table(fw, table, "2026-Q4").values["gmv"]  # doctest: +SKIP
        [6000000.0]
    """
    import numpy as np  # start-up cost: numpy loads only when a table is rolled up

    from ecomperf.scoring.bounds import within_range  # start-up cost: numpy, as above
    from ecomperf.scoring.vectorized import metric_arrays  # start-up cost: numpy, as above

    target = parse_period(to)
    columns, employees, periods = _table_columns(fw, table)
    months = list(target.months())
    slot = {month: place for place, month in enumerate(months)}
    codes: dict[str, int] = {}
    employee_code = np.fromiter((codes.setdefault(name, len(codes)) for name in employees), dtype=np.intp,
                                count=len(employees))
    names = list(codes)
    month_of: dict[str, int] = {}  # period text -> slot in ``months``; -1 outside ``to``; -2 not a period
    for text in set(periods):
        try:
            period = Period.parse(text)
        except PeriodError:
            month_of[text] = -2
            continue
        month_of[text] = slot.get(period, -1) if period.kind == "month" else -1
    month = np.fromiter((month_of[text] for text in periods), dtype=np.intp, count=len(periods))
    slow = np.zeros(len(names), dtype=np.bool_)
    slow[employee_code[month == -2]] = True  # rollup_actuals names the bad key
    inside = month >= 0
    cell = employee_code * len(months) + month
    counts = np.bincount(cell[inside], minlength=len(names) * len(months)).reshape(len(names), len(months))
    slow |= (counts > 1).any(axis=1)  # a month given twice: the table cannot say which
    if not partial:
        slow |= (counts == 0).any(axis=1)  # a month missing: rollup_actuals names it
    rolled_up = {name: metric for name, metric in ((n, fw.metrics[n]) for n in columns)
                 if metric.aggregation != "recompute"}
    grids: dict[str, Any] = {}
    for name, (cells, usable) in columns.items():
        bad = ~usable | ~within_range(fw.metrics[name], cells)
        slow[employee_code[bad & inside]] = True
        if name not in rolled_up:
            continue
        grid = np.full((len(names), len(months)), np.nan)
        grid[employee_code[inside], month[inside]] = cells[inside]
        present = ~np.isnan(grid)
        if not partial:  # every month is there: a metric in some of them and not others is a gap
            slow |= present.any(axis=1) & ~present.all(axis=1)
        grids[name] = grid
    fast = np.flatnonzero(~slow)
    given = {name: _combine(grid[fast], fw.metrics[name].aggregation) for name, grid in grids.items()}
    found = metric_arrays(fw, given, list(fw.metrics), len(fast)) if len(fast) else {}
    if found is None:  # formulas in a cycle (a loaded framework has none): each employee on its own
        fast, found = fast[:0], {}
    values: dict[str, list[float | None]] = {}
    errors: dict[str, str] = {}
    singles: dict[str, dict[str, float]] = {}
    for code in np.flatnonzero(slow | np.isin(np.arange(len(names)), fast, invert=True)).tolist():
        name = names[code]
        try:
            singles[name] = rollup_actuals(fw, _months_of_one(table, columns, employee_code, code, periods), target,
                                           partial=partial)
        except ScoringError as exc:
            errors[name] = str(exc)
    kept = [code for code, name in enumerate(names) if name not in errors]
    metrics = [name for name in fw.metrics if (name in found and not np.isnan(found[name]).all())
               or any(name in single for single in singles.values())]
    for wanted in metrics:
        column = np.full(len(names), np.nan)
        if wanted in found:
            column[fast] = found[wanted]
        out: list[float | None] = [None if number != number else number for number in column[kept].tolist()]
        for place, code in enumerate(kept):
            if names[code] in singles:
                out[place] = singles[names[code]].get(wanted)
        values[wanted] = out
    return RolledTable(target, [names[code] for code in kept], values, errors)


def _table_columns(
    fw: FrameworkIndex, table: Mapping[str, Sequence[Any]]
) -> tuple[dict[str, tuple[Any, Any]], list[str], list[str]]:
    """The metric columns as (floats with NaN where empty, whether each cell is a plain number), and the
    employee and period columns as text."""
    import numpy as np  # start-up cost: numpy loads only when a table is rolled up

    for needed in ("employee", "period"):
        if needed not in table:
            raise ScoringError(f"the table has no {needed!r} column; it needs employee, period and one column "
                               "per metric")
    employees = ["" if cell is None else str(cell).strip() for cell in table["employee"]]
    periods = ["" if cell is None else str(cell).strip() for cell in table["period"]]
    columns: dict[str, tuple[Any, Any]] = {}
    for name in table:
        if name in ("employee", "period"):
            continue
        if name not in fw.metrics:
            raise ScoringError(f"column {name!r} is not a declared metric{did_you_mean(str(name), fw.metrics)}")
        cells = table[name]
        if len(cells) != len(employees):
            raise ScoringError(f"column {name!r} has {len(cells)} cells, the employee column {len(employees)}")
        kind = getattr(getattr(cells, "dtype", None), "kind", "")
        if kind in ("f", "i", "u"):  # a numeric array or Series: converted at once
            values = np.asarray(cells, dtype=np.float64)
            usable = ~np.isinf(values)
        else:
            listed = list(cells)
            values = np.array([_plain(cell) for cell in listed], dtype=np.float64)
            usable = np.array([_is_plain(cell) for cell in listed], dtype=np.bool_)
        columns[str(name)] = (values, usable)
    return columns, employees, periods


def _plain(cell: object) -> float:
    return float(cell) if _is_plain(cell) and cell is not None else math.nan  # type: ignore[arg-type]


def _is_plain(cell: object) -> bool:
    """A cell the arrays take: ``None``, or an int or float that is not a bool and not infinite."""
    if cell is None:
        return True
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return False
    return not math.isinf(cell)


def _combine(grid: Any, how: str) -> Any:
    """Each row of ``grid`` (NaN: no value that month) combined as :func:`ecomperf.periods.rollup` does."""
    import numpy as np  # start-up cost: numpy loads only when a table is rolled up

    full = (~np.isnan(grid)).all(axis=1).tolist()
    rows = [row if whole else [value for value in row if value == value]
            for row, whole in zip(grid.tolist(), full, strict=True)]
    if how == "sum":
        combined = [math.fsum(row) if row else math.nan for row in rows]
    elif how == "mean":
        combined = [math.fsum(row) / len(row) if row else math.nan for row in rows]
    elif how == "last":
        combined = [row[-1] if row else math.nan for row in rows]
    elif how == "min":
        combined = [min(row) if row else math.nan for row in rows]
    else:
        combined = [combine(row, how) if row else math.nan for row in rows]
    return np.asarray(combined, dtype=np.float64)


def _months_of_one(
    table: Mapping[str, Sequence[Any]], columns: Mapping[str, Any], employee_code: Any, code: int,
    periods: Sequence[str],
) -> dict[str, dict[str, object]]:
    """One employee's rows as :func:`rollup_actuals` takes them: period -> (metric -> the cell as given)."""
    import numpy as np  # start-up cost: numpy loads only when a table is rolled up

    found: dict[str, dict[str, object]] = {}
    for index in np.flatnonzero(employee_code == code).tolist():
        if periods[index] in found:
            raise ScoringError(f"two rows for {periods[index]}: the table must give each month once per employee")
        values = found.setdefault(periods[index], {})
        for name in columns:
            cell = table[name][index]
            if cell is None or (isinstance(cell, float) and math.isnan(cell)):
                continue
            values[name] = cell.item() if hasattr(cell, "item") else cell
    return found
