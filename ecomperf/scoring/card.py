"""Score a position's actuals for one period: KPI scores, weighted total, grade, bonus and veto.

:func:`score` is :meth:`ecomperf.Framework.score`. It resolves the card (stage, events, variants; see
:mod:`ecomperf.scoring.resolve`), reads the actuals, computes formula metrics that were not given, scores each
KPI by its method (:mod:`ecomperf.scoring.methods`) and combines them::

    total = Σ wᵢ·sᵢ / Σ wᵢ        over the KPIs kept (weight-0 veto KPIs do not move it)
    grade = the highest grade whose min the total reaches, then capped by a breached veto

Scores, achievements and totals are rounded to :data:`ecomperf.scoring.methods.PRECISION` decimal places so
that binary noise never costs a grade.

Actuals come in two shapes:

* **flat**: ``{metric id: value}``, the values for ``period``. Every KPI is scored on these values, so a
  KPI reviewed over another cycle than ``period`` (a quarterly GMV target on a monthly card, a monthly
  one on the card of a quarter) has its target fitted to ``period`` by the one period rule
  (:func:`ecomperf.scoring.resolve.prorate_targets`: summed metrics scale, rates keep theirs, what cannot
  be scaled is refused) and the KPI's notes say so; a target plan's amount for the period replaces it
  where a plan covers the KPI (:mod:`ecomperf.scoring.plan_targets`);
* **by period**: ``{period id: {metric id: value}}``. Each KPI is then scored over the period of its
  own cycle that contains ``period`` (:data:`ecomperf.periods.CYCLE_KIND`): a quarterly KPI on the
  monthly card of 2026-12 is scored on 2026-Q4, rolled up from the months given (or taken from a
  ``"2026-Q4"`` key when one is given). A KPI whose cycle is shorter than ``period`` (a monthly KPI on
  a quarterly card) is scored over ``period``, its target fitted to it by the same rule.

Missing actuals follow ``missing``:

* ``"error"`` (default): raise :class:`~ecomperf.errors.ScoringError` listing *every* KPI without a
  value at once (``.missing`` holds their ids, ``.problems`` the reasons);
* ``"renormalize"``: drop them and renormalise the remaining weights (``ScoreCard.dropped`` says so);
* ``"zero"``: score them 0 (their notes say so).

Each KPI may declare its own rule (``missing:`` on the scorecard entry, else on the metric), which wins
over ``missing`` (:func:`ecomperf.scoring.missing.policy_for`). A metric with raters takes its actual from
the ratings ``metric@role`` (:mod:`ecomperf.scoring.raters`), and a card with sections carries each
section's subtotal (:mod:`ecomperf.scoring.sections`).

A formula metric without its own actual is computed from its inputs (``KpiScore.computed``); when the
formula divides by zero the metric is *undefined* and treated like a missing one, with the reason.
``"n/a"`` marks a KPI not applicable: it is dropped under every policy. Values that are not numbers are
refused, all of them in one error. Names the framework does not declare are reported as card warnings
(with a "did you mean" when one is close), never silently ignored.

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
    >>> card = fw.score("service_agent", stage="startup", period="2026-10",
    ...                 actuals={"inquiry_response_hours": 20})  # doctest: +SKIP
    >>> card.total, card.grade  # 100·24/20 = 120  # doctest: +SKIP
    (120.0, 'A')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

from ecomperf.errors import ScoringError
from ecomperf.model import Grade, VetoScoring
from ecomperf.model.index import FrameworkIndex
from ecomperf.periods import Period
from ecomperf.problems import Problem
from ecomperf.scoring.actuals import parse_values
from ecomperf.scoring.derive import Derived, derive, formula_param
from ecomperf.scoring.methods import PRECISION, MethodResult, score_value
from ecomperf.scoring.missing import MissingPolicy, check_policy, policy_for
from ecomperf.scoring.plan_targets import fit_targets
from ecomperf.scoring.plausibility import WHOLE_PERCENT, percent_warning, watches_percent
from ecomperf.scoring.raters import Combined, Prepared, prepare_ratings, score_ratings
from ecomperf.scoring.resolve import (
    ResolvedCard,
    ResolvedKpi,
    kpi_period,
    parse_period,
    resolve_card,
)
from ecomperf.scoring.results import DroppedKpi, KpiScore, ScoreCard
from ecomperf.scoring.rollup import collect, months_of
from ecomperf.scoring.sections import kept_weights, section_scores
from ecomperf.sentences import Name, Sentence
from ecomperf.spelling import option
from ecomperf.suggest import closest

__all__ = [
    "MissingPolicy", "ScoreCard", "card_fields", "compute_metrics", "formula_note", "kpi_fields", "kpi_period",
    "removed_kpis", "score", "score_card",
]


_Status = Literal["ok", "not applicable", "missing", "undefined"]


def score(
    fw: FrameworkIndex,
    position: str,
    *,
    stage: str,
    period: str | Period,
    actuals: Mapping[str, Any],
    context: Mapping[str, str] | None = None,
    event: Any = ...,
    missing: MissingPolicy = "error",
    employee: str | None = None,
) -> ScoreCard:
    """Score one position's actuals for one period.

    Args:
        fw: the framework.
        position: a position id.
        stage: the company stage whose KPI list applies.
        period: the period scored (``"2026-10"``, ``"2026-Q4"``, ``"2026"``).
        actuals: flat ``{metric: value}`` or by period ``{period: {metric: value}}`` (see the module
            docstring); values as :func:`ecomperf.scoring.actuals.parse_actual` reads them.
        context: context values that choose target variants (``{"category": "electronics_3c"}``).
        event: ``...`` applies the events whose periods match; an event id, an Event or a list of them
            applies those; ``None`` applies none.
        missing: ``"error"``, ``"renormalize"`` or ``"zero"`` (see the module docstring).
        employee: an employee id to put on the card.

    Returns:
        The scored card.

    Raises:
        ScoringError: unknown position, stage, event or context (with a suggestion); a KPI without a
            target; values that are not numbers; missing or undefined KPIs under ``missing="error"``
            (all listed, ids in ``.missing``); no weight left to score.

    Example:
        >>> import ecomperf
        >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
        >>> fw.score("store_manager", stage="startup", period="2026-10",
        ...          actuals={"gmv": "220万", "gross_margin": "38%", "violations": 0}).total  # doctest: +SKIP
        104.0
    """
    policy = check_policy(missing)
    card = resolve_card(fw, position, stage=stage, period=period, context=context, event=event)
    flat = isinstance(actuals, Mapping) and _by_period(actuals) is None
    when = card.period
    card = fit_targets(fw, card, scored_over=None if flat else lambda entry: kpi_period(when, entry.cycle))
    return score_card(fw, card, actuals, missing=policy, employee=employee)


def score_card(
    fw: FrameworkIndex,
    card: ResolvedCard,
    actuals: Mapping[str, Any],
    *,
    missing: MissingPolicy = "error",
    employee: str | None = None,
) -> ScoreCard:
    """Score actuals against a card resolved by :func:`ecomperf.scoring.resolve.resolve_card`.

    This is :func:`score` without the resolution step, for callers that score many rows of one card.

    Args:
        fw: the framework the card was resolved from.
        card: the resolved card.
        actuals: as for :func:`score`.
        missing: as for :func:`score`.
        employee: as for :func:`score`.

    Returns:
        The scored card.

    Raises:
        ScoringError: as for :func:`score`.
    """
    policy = check_policy(missing)
    _require_targets(card)
    given = _as_mapping(actuals)
    prepared = prepare_ratings(fw, card, given, policy, by_period=_by_period(given) is not None)
    observations, warnings = _observe(fw, card, prepared.actuals)
    tally = _Tally(fw, policy)
    for entry in card.entries:
        tally.add(entry, _with_ratings(entry, observations[entry.kpi], prepared))
    tally.raise_for_missing(card)
    warnings = [*card.warnings, *prepared.warnings, *warnings, *tally.warnings]
    return _assemble(fw, card, tally, warnings, policy, employee)


def compute_metrics(
    fw: FrameworkIndex, values: Mapping[str, float], wanted: Iterable[str]
) -> tuple[dict[str, float], dict[str, str]]:
    """Fill in the ``wanted`` formula metrics that have no value, from their inputs (recursively).

    Args:
        fw: the framework declaring the metrics.
        values: known values by metric id (floats; parse raw values with
            :func:`ecomperf.scoring.actuals.parse_actual` first).
        wanted: metric ids needed. Base metrics without a value appear in neither result: they are
            simply missing.

    Returns:
        ``(values, undefined)``: a new dict with the given and the computed values, and for every formula
        metric that could not be computed, the reason (``"division by zero in '(a - b) / a' (a = 0, b = 3)"``,
        ``"no actual, and no value for its input b"``).

    Raises:
        ScoringError: the formulas refer to each other in a cycle (a loaded framework has none).

    Example:
        >>> import ecomperf
        >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
        >>> values, undefined = compute_metrics(fw, {"sales_revenue": 200.0, "cost": 150.0},
        ...                                     ["gross_margin"])  # doctest: +SKIP
        >>> values["gross_margin"]  # doctest: +SKIP
        0.25
    """
    derived = derive(fw, values, wanted)
    return derived.values, {name: why for name, (_, why) in derived.reasons.items()}


# --- reading actuals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Observation:
    """What is known about one KPI's value in the period it is scored over."""

    period: Period
    status: _Status
    value: float | None = None
    computed: bool = False
    detail: str | None = None
    source: str | None = None
    ratings: Combined | None = None


def _with_ratings(entry: ResolvedKpi, seen: _Observation, prepared: Prepared) -> _Observation:
    """The observation with the KPI's ratings, when its metric is rated (see :mod:`ecomperf.scoring.raters`)."""
    raters = entry.metric.raters
    if raters is None or not prepared.combined:
        return seen
    combined = prepared.of(None if None in prepared.combined else seen.period, entry.kpi)
    if combined is None:
        if raters.of == "scores" and seen.status == "ok" and any(entry.kpi in found for found in
                                                                  prepared.combined.values()):
            raise ScoringError(
                f"{entry.kpi} combines the scores of its raters (of: scores), which needs the ratings of "
                f"{seen.period} itself; give them for {seen.period} rather than for its months"
            )
        return seen
    if combined.status == "missing":
        return replace(seen, detail=combined.detail) if seen.status == "missing" else seen
    return replace(seen, ratings=combined)


def _as_mapping(actuals: object) -> Mapping[Any, Any]:
    if isinstance(actuals, Mapping):
        return actuals
    items = getattr(actuals, "items", None)
    if callable(items):  # e.g. a pandas Series
        return dict(items())
    raise ScoringError(f"actuals must be a mapping of metric ids to values, got {type(actuals).__name__}")


def _by_period(actuals: Mapping[Any, Any]) -> dict[Period, Mapping[str, object]] | None:
    """The actuals keyed by period when they are nested, ``None`` when they are flat."""
    nested = [key for key, value in actuals.items() if isinstance(value, Mapping)]
    if not nested:
        return None
    if len(nested) != len(actuals):
        flat = sorted(str(key) for key, value in actuals.items() if not isinstance(value, Mapping))
        raise ScoringError(
            "actuals mix period mappings with plain values; give either {metric: value} or "
            f"{{period: {{metric: value}}}} (plain values for: {', '.join(flat)})"
        )
    return {parse_period(key): value for key, value in actuals.items()}


def _observe(
    fw: FrameworkIndex, card: ResolvedCard, actuals: Mapping[Any, Any]
) -> tuple[dict[str, _Observation], list[str]]:
    """Each KPI's observation, and warnings about names the framework does not declare."""
    data = _by_period(actuals)
    periods = {
        entry.kpi: card.period if data is None else kpi_period(card.period, entry.cycle) for entry in card.entries
    }
    wanted: dict[Period, list[str]] = {}
    for kpi, period in periods.items():
        wanted.setdefault(period, []).append(kpi)
    errors: list[str] = []
    unknown: dict[str, None] = {}
    found: dict[str, _Observation] = {}
    for period, kpis in wanted.items():
        source = _source(fw, data if data is not None else {period: actuals}, period, kpis)
        errors.extend(source.errors)
        unknown.update(dict.fromkeys(source.unknown))
        found.update(_classify(period, kpis, source))
    if errors:
        raise ScoringError(
            f"actuals for {card.position.id} in {card.period} are not all usable numbers",
            problems=[Problem("ES103", text) for text in errors],
        )
    if data is not None:  # names in months not used by any KPI are still worth a warning
        for values in data.values():
            unknown.update(dict.fromkeys(str(k) for k in values if k not in fw.metrics))
    return found, [_unknown_warning(name, fw) for name in unknown]


def _unknown_warning(name: str, fw: FrameworkIndex) -> str:
    suggestion = closest(name, fw.metrics)
    if suggestion is None:
        return Sentence("actual '{name}' ignored: the framework declares no such metric", name=name)
    return Sentence("actual '{name}' ignored: the framework declares no such metric; did you mean '{suggestion}'?",
                    name=name, suggestion=suggestion)


@dataclass(frozen=True)
class _Source:
    """Values available for one period, and what went wrong reading them."""

    derived: Derived | None
    absent: str | None = None
    note: str | None = None
    errors: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


def _source(
    fw: FrameworkIndex, data: Mapping[Period, Mapping[str, object]], period: Period, kpis: list[str]
) -> _Source:
    """The values for ``period``: given for it directly, or rolled up from its months."""
    where = f"{period}: " if len(data) > 1 else ""
    if period in data:
        parsed = parse_values(fw, data[period], where.removesuffix(": "))
        if parsed.errors:
            return _Source(None, errors=parsed.errors, unknown=parsed.unknown)
        derived = derive(fw, parsed.values, kpis, parsed.not_applicable)
        if derived.impossible:  # refused like an impossible actual, never scored
            return _Source(None, errors=tuple(where + why for why in derived.impossible.values()),
                           unknown=parsed.unknown)
        return _Source(derived, unknown=parsed.unknown)
    if period.kind == "month":
        return _Source(None, absent=Sentence("no actuals for {period}", period=str(period)))
    rolled = collect(fw, months_of(data), period)
    if rolled.absent_months:
        months = tuple(map(str, rolled.absent_months))
        return _Source(None, absent=Sentence("no actuals for {months} (needed for {period})", months=months,
                                             period=str(period)), errors=rolled.errors, unknown=rolled.unknown)
    derived = derive(fw, rolled.values, kpis, rolled.not_applicable, rolled.gaps)
    note = Sentence("rolled up over {period} from {months}", period=str(period), months=tuple(map(str, rolled.months)))
    impossible = tuple(f"{period}: {why}" for why in derived.impossible.values())
    return _Source(derived, note=note, errors=rolled.errors + impossible, unknown=rolled.unknown)


def _classify(period: Period, kpis: Iterable[str], source: _Source) -> dict[str, _Observation]:
    derived = source.derived
    found: dict[str, _Observation] = {}
    for kpi in kpis:
        if derived is None:
            found[kpi] = _Observation(period, "missing", detail=source.absent)
        elif kpi in derived.not_applicable:
            found[kpi] = _Observation(period, "not applicable", detail=Sentence("marked n/a"))
        elif kpi in derived.values:
            found[kpi] = _Observation(
                period, "ok", derived.values[kpi], kpi in derived.computed, source=source.note
            )
        elif kpi in derived.reasons:
            kind, why = derived.reasons[kpi]
            status: _Status = "missing" if kind == "missing" else "undefined"
            found[kpi] = _Observation(period, status, detail=why)
        else:
            found[kpi] = _Observation(period, "missing", detail=Sentence("no actual for {period}", period=str(period)))
    return found


# --- scoring the KPIs -----------------------------------------------------------------------------


class _Tally:
    """Scored rows, dropped KPIs and missing ones, collected over the card's entries."""

    def __init__(self, fw: FrameworkIndex, policy: MissingPolicy) -> None:
        self.fw = fw
        self.policy = policy
        self.rows: list[tuple[ResolvedKpi, _Observation, MethodResult | None, list[str]]] = []
        self.dropped: list[DroppedKpi] = []
        self.missing: list[str] = []
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def add(self, entry: ResolvedKpi, seen: _Observation) -> None:
        veto = isinstance(entry.method, VetoScoring)
        policy = policy_for(self.policy, entry=entry.missing, metric=entry.metric.missing)
        if seen.status == "not applicable":
            self.dropped.append(DroppedKpi(kpi=entry.kpi, weight=entry.weight, reason="not applicable",
                                           detail=seen.detail))
        elif seen.status == "ok":
            value = seen.value
            assert value is not None and entry.target is not None
            rated = seen.ratings
            if rated is not None and entry.metric.raters is not None and entry.metric.raters.of == "scores":
                result, rated = score_ratings(entry, rated)
                seen = replace(seen, ratings=rated)
            else:
                result = score_value(entry.method, value, entry.target, entry.metric.direction)
            self.rows.append((entry, seen, result, _notes(self.fw, entry, seen, result)))
            if not seen.computed:
                self.warnings.extend(_percent_warning(entry, value))
        elif policy == "error":
            self.missing.append(entry.kpi)
            code = "ES101" if seen.status == "missing" else "ES102"
            self.problems.append(Problem(code, f"{entry.kpi} ({seen.period}): {seen.status}: {seen.detail}"))
        else:
            if veto:
                self.warnings.append(Sentence("veto KPI '{kpi}' has no value ({detail}), so it was not checked",
                                              kpi=_name(entry), detail=seen.detail or ""))
            if policy == "renormalize":
                self.dropped.append(DroppedKpi(kpi=entry.kpi, weight=entry.weight, reason=seen.status,
                                               detail=seen.detail))
            else:
                note = Sentence("{status} ({detail}): scored 0 under {option}", status=_status(seen.status),
                                detail=seen.detail or "", option=option("missing", "zero"))
                self.rows.append((entry, seen, None, [*_resolution_notes(self.fw, entry, seen), note]))

    def raise_for_missing(self, card: ResolvedCard) -> None:
        if self.missing:
            raise ScoringError(
                f"{len(self.missing)} KPI(s) of {card.position.id} have no value for {card.period} "
                f"({', '.join(self.missing)}); give the actuals, mark them \"n/a\", or pass "
                f"{option('missing', 'renormalize')} or {option('missing', 'zero')}",
                problems=self.problems,
                missing=self.missing,
            )


def _resolution_notes(fw: FrameworkIndex, entry: ResolvedKpi, seen: _Observation) -> list[str]:
    notes = [entry.note] if entry.note else []
    if seen.source:
        notes.append(seen.source)
    if seen.ratings is not None:
        notes.extend(seen.ratings.notes)
    if seen.computed and entry.metric.formula is not None:
        notes.append(formula_note(fw, entry.kpi))
    return notes


def formula_note(fw: FrameworkIndex, kpi: str) -> str:
    """The note of a KPI whose actual was computed from its metric's formula (the batch engine's too)."""
    return Sentence("computed from its formula {formula}", formula=formula_param(fw, kpi))


def _notes(fw: FrameworkIndex, entry: ResolvedKpi, seen: _Observation, result: MethodResult) -> list[str]:
    notes = _resolution_notes(fw, entry, seen)
    if result.note:
        notes.append(result.note)
    return notes


def _percent_warning(entry: ResolvedKpi, value: float) -> list[str]:
    """A warning when a percent actual looks like it was written as a whole number (35 for 35%)."""
    if not watches_percent(entry.metric.unit, entry.target) or abs(value) < WHOLE_PERCENT:
        return []
    return [percent_warning(_name(entry), value)]


# --- the card -------------------------------------------------------------------------------------


def _assemble(
    fw: FrameworkIndex,
    card: ResolvedCard,
    tally: _Tally,
    warnings: list[str],
    policy: MissingPolicy,
    employee: str | None,
) -> ScoreCard:
    used = kept_weights(card, [entry for entry, *_ in tally.rows])
    weights = sum(used)
    if weights <= 0:
        raise ScoringError(
            f"nothing left to score for {card.position.id} in {card.period}: every weighted KPI was dropped "
            f"({', '.join(f'{d.kpi}: {d.reason}' for d in tally.dropped) or 'none on the card'})"
        )
    kpis = [_kpi_score(entry, seen, result, notes, weight, weights)
            for (entry, seen, result, notes), weight in zip(tally.rows, used, strict=True)]
    total = _tidy(sum(weight * row.score for weight, row in zip(used, kpis, strict=True)) / weights)
    zeroing = [e.kpi for e, _, r, _ in tally.rows if r is not None and r.breached and _effect(e) == "zero_total"]
    final_total, grade, note = _verdict(fw, total, [row.kpi for row in kpis if row.veto_breached], zeroing)
    if note and not zeroing and fw.rules.veto_caps_grade_at is None:
        warnings.append(note)  # a breach the framework gives no effect: worth checking
    elif note:  # the outcome of a breach, explained on the KPIs that caused it (a warning is for doubtful data)
        kpis = [row.model_copy(update={"notes": [*row.notes, note]}) if row.veto_breached else row for row in kpis]
    scale = fw.rules.display_scale
    sections = section_scores(card, [(entry, weight, row.score) for (entry, *_), weight, row
                                     in zip(tally.rows, used, kpis, strict=True)], scale)
    dropped = [*tally.dropped, *removed_kpis(fw, card)]
    return ScoreCard(
        **card_fields(fw, card),
        employee=employee,
        kpis=kpis,
        dropped=dropped,
        missing_policy=policy,
        total=final_total,
        uncapped_total=total,
        uncapped_grade=fw.spec.grade_for(total).id,
        grade=grade.id,
        bonus=grade.bonus,
        veto_breaches=[row.kpi for row in kpis if row.veto_breached],
        warnings=warnings,
        sections=sections,
        shown_total=None if scale is None else scale.shown(final_total),
    )


def card_fields(fw: FrameworkIndex, card: ResolvedCard) -> dict[str, Any]:
    """The fields of a :class:`ScoreCard` that the framework and the resolved card decide, whatever the
    actuals: its framework, position, stage, period, events, context and scales (both engines build cards
    with them)."""
    scale = fw.rules.display_scale
    return {
        "framework": fw.id,
        "position": card.position.id,
        "position_name": card.position.name,
        "stage": card.stage,
        "stage_name": next((stage.name for stage in fw.stages if stage.id == card.stage), None),
        "period": str(card.period),
        "events": [event.id for event in card.events],
        "context": dict(card.context),
        "grade_scale": [g.id for g in fw.grades],
        "framework_version": fw.spec.version,
        "fingerprint": fw.fingerprint,
        "display_scale": None if scale is None else scale.out_of,
    }


def kpi_fields(entry: ResolvedKpi) -> dict[str, Any]:
    """The fields of a :class:`KpiScore` that the resolved entry decides, whatever the actual: the KPI, its
    name and unit, target and variant, method, cycle and section."""
    return {
        "kpi": entry.kpi,
        "name": entry.metric.name,
        "unit": entry.metric.unit,
        "target": entry.target,
        "variant": entry.variant,
        "method": entry.method.method,
        "cycle": entry.cycle,
        "section": entry.section,
    }


def removed_kpis(fw: FrameworkIndex, card: ResolvedCard) -> list[DroppedKpi]:
    """The KPIs an event removed from ``card`` (weight 0), as a scored card lists them last among its dropped."""
    return [DroppedKpi(kpi=kpi, weight=0.0, reason="removed by event",
                       detail=Sentence("event {event} sets its weight to 0", event=_event_name(fw, event)))
            for kpi, event in card.removed]


def _kpi_score(
    entry: ResolvedKpi, seen: _Observation, result: MethodResult | None, notes: list[str], weight: float,
    weights: float,
) -> KpiScore:
    points = 0.0 if result is None else result.score
    if weight != entry.weight:
        notes = [*notes, Sentence("section {section} keeps its share: weight {old:g} scaled to {new:g} for the KPIs "
                                  "left off it", section=entry.section or "", old=entry.weight, new=weight)]
    return KpiScore(
        **kpi_fields(entry),
        actual=seen.value if result is not None else None,
        computed=seen.computed,
        achievement=None if result is None else result.achievement,
        score=points,
        weight=weight,
        weighted_score=_tidy(weight * points / weights),
        veto_breached=result is not None and result.breached,
        period=str(seen.period),
        notes=notes,
        ratings=list(seen.ratings.shown) if seen.ratings is not None else [],
    )


def _effect(entry: ResolvedKpi) -> str | None:
    return entry.method.effect if isinstance(entry.method, VetoScoring) else None


def _verdict(
    fw: FrameworkIndex, total: float, breaches: list[str], zeroing: list[str]
) -> tuple[float, Grade, str | None]:
    """The total and grade after vetoes, with a note when a veto changed them.

    A ``zero_total`` breach sets the total to 0 (and the grade follows); any other breach caps the grade.
    """
    if zeroing:
        zeroed = Sentence("veto breached ({kpis}): the total is set to 0 (uncapped {total:g})",
                          kpis=_names(fw, zeroing), total=total)
        return 0.0, fw.spec.grade_for(0.0), zeroed
    grade = fw.spec.grade_for(total)
    if not breaches:
        return total, grade, None
    capped, note = _cap(fw, grade, breaches)
    return total, capped, note


def _cap(fw: FrameworkIndex, grade: Grade, breaches: list[str]) -> tuple[Grade, str]:
    """Cap ``grade`` at ``rules.veto_caps_grade_at``: the result is no better than that grade.

    The note says "capped" only when the cap lowered the grade; a grade already at or below the cap says so.
    """
    cap_id = fw.rules.veto_caps_grade_at
    listed = _names(fw, breaches)
    if cap_id is None:
        return grade, Sentence("veto breached ({kpis}), but the framework sets no rules.veto_caps_grade_at: grade "
                               "not capped", kpis=listed)
    ids = [g.id for g in fw.grades]
    if ids.index(grade.id) >= ids.index(cap_id):
        return grade, Sentence("veto breached ({kpis}): grade {grade} is already at or below the veto cap {cap}",
                               kpis=listed, grade=grade.id, cap=cap_id)
    return fw.grades[ids.index(cap_id)], Sentence("veto breached ({kpis}): grade capped at {grade}", kpis=listed,
                                                   grade=cap_id)


def _names(fw: FrameworkIndex, kpis: Iterable[str]) -> tuple[Name, ...]:
    """KPI ids with their metrics' names, for a sentence."""
    return tuple(Name.of(kpi, metric.name if (metric := fw.metrics.get(kpi)) is not None else None) for kpi in kpis)


def _name(entry: ResolvedKpi) -> Name:
    return Name.of(entry.kpi, entry.metric.name)


def _event_name(fw: FrameworkIndex, event: str) -> Name:
    found = next((candidate for candidate in fw.events if candidate.id == event), None)
    return Name.of(event, found.name if found is not None else None)


_STATUS_WORDS: Final = {"missing": Sentence("missing"), "undefined": Sentence("undefined"),
                        "not applicable": Sentence("not applicable")}


def _status(status: str) -> str:
    """The status word of a KPI without a value, as a sentence documents translate."""
    return _STATUS_WORDS.get(status, status)


# --- helpers --------------------------------------------------------------------------------------


def _require_targets(card: ResolvedCard) -> None:
    lacking = [entry.kpi for entry in card.entries if entry.target is None]
    if lacking:
        raise ScoringError(
            f"KPI(s) {', '.join(lacking)} of {card.position.id} in stage {card.stage!r} have no target to score "
            "against; add `target:` to the scorecard entry"
        )


def _tidy(value: float) -> float:
    return round(value, PRECISION) + 0.0
