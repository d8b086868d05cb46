"""Quarters and years from recorded months: each employee's monthly inputs rolled up and scored.

:func:`score_from_history` takes the current monthly cards of a period's months and, per employee,
scores the period's card with the scoring engine's own roll-up (``actuals`` by period, see
:mod:`ecomperf.scoring` and :mod:`ecomperf.rollup`): summed metrics are summed, means averaged, ratios
recomputed from their rolled-up inputs, and targets follow the engine's one period rule
(:func:`ecomperf.resolve.prorate_targets` and the scoring docs). Nothing is guessed:

* an employee missing a month is not scored, and the months are named;
* an employee whose position, stage or context changed within the period is not scored (the card of
  the period would be ambiguous), unless ``stage`` is given for every employee;
* a metric recorded only as a monthly ratio, without the inputs it is recomputed from, is named with
  the inputs to record;
* months scored by another version of the framework are reported, since the quarter is scored with the
  framework given.

Example:
    >>> from ecomperf import History, load
    >>> fw = load("frameworks/ecommerce-ops")  # doctest: +SKIP
    >>> months = History("perf.db").entries(kind="month", start="2026-Q4", end="2026-Q4")  # doctest: +SKIP
    >>> scored = score_from_history(fw, months, "2026-Q4")  # doctest: +SKIP
    >>> [(c.employee, c.total) for c in scored.cards], scored.errors  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ecomperf.errors import HistoryError, ScoringError
from ecomperf.history.codec import InputValue
from ecomperf.history.inputs import card_inputs
from ecomperf.history.store import RecordedCard
from ecomperf.model.fingerprint import short_fingerprint
from ecomperf.periods import Period, PeriodError
from ecomperf.scoring.card import score
from ecomperf.scoring.missing import MissingPolicy
from ecomperf.scoring.results import ScoreCard

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex as Framework

__all__ = ["PeriodScores", "score_from_history"]


@dataclass(frozen=True)
class PeriodScores:
    """The cards of one quarter or year scored from recorded months.

    Attributes:
        period: the period scored.
        cards: one card per employee who could be scored, by employee.
        months: for each of those employees, the recorded monthly cards used (the evidence).
        errors: ``(employee, reason)`` for each employee who could not be scored.
        notes: things to know about the whole run (other framework versions, cards recorded without inputs).
    """

    period: Period
    cards: list[ScoreCard]
    months: dict[str, list[RecordedCard]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def score_from_history(
    fw: Framework,
    entries: Iterable[RecordedCard],
    period: str | Period,
    *,
    missing: MissingPolicy = "error",
    stage: str | None = None,
) -> PeriodScores:
    """Score ``period`` for every employee with recorded monthly cards in it.

    Args:
        fw: the framework to score with.
        entries: recorded cards (other periods, kinds and superseded versions are ignored).
        period: a quarter or year, e.g. ``"2026-Q4"``.
        missing: the missing-value policy for the period's KPIs, as for :func:`ecomperf.scoring.score`.
        stage: score every employee under this stage instead of the one on their monthly cards.

    Returns:
        The scored cards, the months each came from, and why the others could not be scored.

    Raises:
        HistoryError: ``period`` is not a quarter or year.
    """
    target = _target(period)
    months = target.months()
    by_employee: dict[str, dict[Period, RecordedCard]] = {}
    for entry in entries:
        when = entry.period
        if entry.current and when.kind == "month" and target.contains(when) and entry.card.employee:
            by_employee.setdefault(entry.card.employee, {})[when] = entry
    scored = PeriodScores(target, [])
    without_inputs: list[str] = []
    other_versions: dict[str, set[str]] = {}
    for employee in sorted(by_employee):
        recorded = by_employee[employee]
        absent = [str(month) for month in months if month not in recorded]
        if absent:
            scored.errors.append((employee, (
                f"no recorded card for {', '.join(absent)} ({target} needs {months[0]} to {months[-1]}); "
                "record the missing month(s) first"
            )))
            continue
        used = [recorded[month] for month in months]
        reason = _ambiguity(used, stage)
        if reason:
            scored.errors.append((employee, reason))
            continue
        for entry in used:
            if entry.card.fingerprint != fw.fingerprint:
                other_versions.setdefault(str(entry.card.fingerprint), set()).add(entry.card.period)
            if entry.inputs is None:
                without_inputs.append(f"{employee} {entry.card.period}")
        actuals = {entry.card.period: _inputs(entry) for entry in used}
        first = used[-1].card
        try:
            card = score(fw, first.position, stage=stage or first.stage, period=target, actuals=actuals,
                         context=first.context, missing=missing, employee=employee)
        except ScoringError as exc:
            scored.errors.append((employee, _one_line(exc, _hints(fw, actuals, exc.missing))))
            continue
        scored.cards.append(card)
        scored.months[employee] = used
        lacking = [dropped.kpi for dropped in card.dropped if dropped.reason in {"missing", "undefined"}]
        scored.notes.extend(f"{employee}: {hint}" for hint in _hints(fw, actuals, lacking))
    for fingerprint, periods in sorted(other_versions.items()):
        scored.notes.append(
            f"months {', '.join(sorted(periods))} were scored with framework version {short_fingerprint(fingerprint)}; "
            f"{target} is scored with {fw.id} {fw.spec.version} ({short_fingerprint(fw.fingerprint)}) from the "
            "recorded inputs"
        )
    if without_inputs:
        scored.notes.append(
            f"{len(without_inputs)} monthly card(s) were recorded without their input values "
            f"({', '.join(without_inputs[:5])}{' …' if len(without_inputs) > 5 else ''}); the KPI actuals on "
            "those cards stand in for them, so formula KPIs cannot be recomputed there"
        )
    return scored


def _target(period: str | Period) -> Period:
    try:
        target = period if isinstance(period, Period) else Period.parse(period)
    except PeriodError as exc:
        raise HistoryError(f"--period: {exc}") from None
    if target.kind == "month":
        raise HistoryError(
            f"{target} is a month; scoring from history rolls months up to a quarter or a year "
            f"(e.g. {target.parent('quarter')} or {target.year})"
        )
    return target


def _inputs(entry: RecordedCard) -> dict[str, InputValue]:
    return dict(entry.inputs) if entry.inputs is not None else dict(card_inputs(entry.card))


def _ambiguity(used: list[RecordedCard], stage: str | None) -> str | None:
    """Why the period's card is ambiguous: the position, stage or context changed between months."""
    for name, value in (("position", lambda c: c.position), ("stage", lambda c: c.stage),
                        ("context", lambda c: ", ".join(f"{k}={v}" for k, v in sorted(c.context.items())))):
        if name == "stage" and stage is not None:
            continue
        seen = {entry.card.period: value(entry.card) or "(none)" for entry in used}
        if len(set(seen.values())) > 1:
            changes = "; ".join(f"{month}: {shown}" for month, shown in seen.items())
            hint = " (give --stage to score the period under one stage)" if name == "stage" else ""
            return f"the {name} changed within the period ({changes}), so its card is ambiguous{hint}"
    return None


def _hints(fw: Framework, actuals: Mapping[str, Mapping[str, InputValue]], kpis: Iterable[str]) -> list[str]:
    """The KPIs without a value (and the formula metrics they read) that were recorded as their own monthly
    value although a longer period recomputes them from their inputs."""
    relevant = set(kpis)
    relevant.update(name for kpi in list(relevant) if kpi in fw.metrics for name in fw.metrics[kpi].inputs)
    hints = []
    given = {name for values in actuals.values() for name in values}
    for name in sorted(given & relevant):
        metric = fw.metrics.get(name)
        if metric is None or metric.aggregation != "recompute" or metric.parsed_formula is None:
            continue
        lacking = [i for i in metric.inputs if not all(i in values for values in actuals.values())]
        if lacking:
            hints.append(
                f"hint: {name} was recorded as a monthly value, but a longer period recomputes it from "
                f"{', '.join(metric.inputs)}: record {', '.join(lacking)} every month"
            )
    return hints


def _one_line(exc: ScoringError, hints: list[str]) -> str:
    lines = [line.strip().removeprefix("- ") for line in str(exc).splitlines() if line.strip()]
    return "; ".join([lines[0].rstrip(":"), *lines[1:], *hints]) if lines else type(exc).__name__
