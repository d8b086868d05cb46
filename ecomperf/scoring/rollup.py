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

from collections.abc import Mapping
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

__all__ = ["PeriodActuals", "collect", "months_of", "rollup_actuals"]

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
