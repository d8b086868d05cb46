"""Resolve the KPIs a position is scored on: stage, event overrides, target variants and methods.

Scoring happens in two steps. :func:`resolve_card` works out *what* is scored: the KPI list of the
position's stage, with the overrides of the events that apply in the period, the target variant the
context selects and the scoring method of each KPI. :func:`ecomperf.scoring.card.score` then scores
actuals against that list. Keeping the first step apart lets the batch path resolve a card once and
score thousands of rows against it.

Resolution rules, in order:

1. The stage's KPI entries, in YAML order.
2. Events: by default every event whose ``periods`` match the period, in file order; ``event=`` names
   one event (id or :class:`~ecomperf.model.Event`, or a list of them) to apply regardless of its
   periods, and ``event=None`` applies none. Only overrides for this position and stage count. Each
   override first adds its ``add`` KPIs, then sets ``weights``, then ``targets``; a later event wins
   over an earlier one. A weight set to 0 takes the KPI off the card (except a ``veto`` KPI, which
   carries weight 0 anyway and still guards the grade).
3. Targets: an event's target wins; otherwise the first target variant whose ``when`` matches the
   context; otherwise the entry's own target. A ``zero``-direction KPI without a target means ``== 0``.
4. Method: the entry's ``scoring``, else :func:`ecomperf.scoring.methods.default_method` of the metric's direction.
5. Cycle: the entry's ``cycle``, else the metric's, else the scorecard's.
6. Weights: with ``weights: relative`` (the scorecard's, else the Framework's ``rules.weights``) the
   weights left after the events are scaled to sum to 100 (:mod:`ecomperf.model.weights`), and each
   entry's note says what its relative weight was. With weighted sections each weight counts within its
   section and is scaled by the section's share of the card (:func:`ecomperf.model.weights.card_points`).
7. Period: :func:`prorate_targets` fits each target to the months its value covers (summed metrics scale,
   rates keep theirs, what cannot be scaled is refused); both engines call it.

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
    >>> card = resolve_card(fw, "store_manager", stage="mature", period="2026-11")  # doctest: +SKIP
    >>> [entry.weight for entry in card.entries]  # doctest: +SKIP
    [60.0, 30.0, 10.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from ecomperf.errors import ScoringError
from ecomperf.model import (
    Event,
    InterpolateScoring,
    KpiEntry,
    Metric,
    Position,
    RangeScoring,
    ScoringMethod,
    VetoScoring,
)
from ecomperf.model.index import FrameworkIndex
from ecomperf.model.missing import MissingRule
from ecomperf.model.overrides import EffectiveKpi, apply_overrides
from ecomperf.model.sections import Section
from ecomperf.model.weights import WeightMode, card_points, section_shares, weight_mode
from ecomperf.periods import MONTHS_IN, Period, PeriodError, cycle_kind, cycle_months
from ecomperf.problems import Problem
from ecomperf.scoring.growth import Growth, aggregation_word, growth_of
from ecomperf.scoring.methods import default_method
from ecomperf.sentences import Name, Sentence, join_sentences
from ecomperf.suggest import did_you_mean
from ecomperf.targets import Target, format_quantity

__all__ = [
    "ResolvedCard", "ResolvedKpi", "growth_of_entry", "kpi_period", "parse_period", "prorate_targets",
    "resolve_card",
]

_ZERO_TARGET = Target(op="==", value=0.0, text="== 0")


@dataclass(frozen=True)
class ResolvedKpi:
    """One KPI as it will be scored.

    Attributes:
        kpi: the metric id.
        metric: the metric document.
        weight: the weight on this card in points of 100 (after events; relative weights scaled to 100).
        target: the target after events and variants (``None`` when the entry declares none).
        variant: the ``when`` of the target variant used, if any.
        method: the scoring method.
        cycle: the review cycle (``monthly``, ``quarterly`` …).
        note: how the entry was resolved, when something changed it (variant, event), else ``None``.
        event_target: the target was set by an event's override (a target plan then does not replace it).
        section: the scorecard section the KPI belongs to, if the card has sections.
        missing: the entry's own ``missing:`` rule (``None`` leaves it to the metric's, then the run's;
            see :func:`ecomperf.scoring.missing.policy_for`).
        growth: how the metric's value grows with the months scored (decides how the target is fitted to
            them; see :func:`prorate_targets`); ``None`` for entries built by hand.
    """

    kpi: str
    metric: Metric
    weight: float
    target: Target | None
    variant: dict[str, str | list[str]] | None
    method: ScoringMethod
    cycle: str
    note: str | None = None
    event_target: bool = False
    section: str | None = None
    missing: MissingRule | None = None
    growth: Growth | None = None


@dataclass(frozen=True)
class ResolvedCard:
    """The KPIs of one position, stage and period, ready to score.

    Attributes:
        position: the position document.
        stage: the stage id.
        period: the period scored.
        events: the events whose overrides changed this card, in the order applied.
        entries: the KPIs, stage order first, then KPIs added by events.
        warnings: things the analyst should know (e.g. a context dimension a variant needs is absent).
        context: the context the variants were chosen from.
        removed: KPIs an event took off the card (weight set to 0), with the event id.
        sections: the scorecard's sections (empty when it has none).
    """

    position: Position
    stage: str
    period: Period
    events: tuple[Event, ...]
    entries: tuple[ResolvedKpi, ...]
    warnings: tuple[str, ...]
    context: Mapping[str, str] = field(default_factory=dict)
    removed: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def weighted_sections(self) -> bool:
        """Whether the sections carry weights, so that each keeps its share of the card."""
        return bool(self.sections) and all(section.weight is not None for section in self.sections)


def resolve_card(
    fw: FrameworkIndex,
    position: str,
    *,
    stage: str,
    period: str | Period,
    context: Mapping[str, str] | None = None,
    event: Any = ...,
) -> ResolvedCard:
    """Work out the KPIs ``position`` is scored on in ``stage`` and ``period``.

    Args:
        fw: the framework.
        position: a position id.
        stage: a stage id declared by the framework and carried by the position's scorecard.
        period: a period id (``"2026-11"``, ``"2026-Q4"``, ``"2026"``) or :class:`~ecomperf.periods.Period`.
        context: values of the framework's context dimensions (``{"category": "apparel"}``).
        event: ``...`` (default) for the events whose periods match; an event id or
            :class:`~ecomperf.model.Event` (or an iterable of them) to apply those instead; ``None`` for none.

    Returns:
        The resolved card.

    Raises:
        ScoringError: unknown position, stage, event, context dimension or value (with a "did you mean"
            suggestion), a position without a scorecard, or a period that is not a period id.
    """
    found = _position(fw, position)
    entries = _stage_entries(fw, found, stage)
    when = parse_period(period)
    ctx = _context(fw, context)
    chosen, warnings = _events(fw, when, event)
    effective = apply_overrides(entries, chosen, found.id, stage)
    drafts = effective.kpis
    applied = list(effective.applied)
    event_warnings = list(effective.ignored)
    if event is not ...:
        event_warnings += [
            Sentence("event '{event}' has no override for {position} in stage '{stage}'", event=Name.of(e.id, e.name),
                     position=Name.of(found.id, found.name), stage=stage)
            for e in chosen if e not in applied
        ]
    resolved, removed = _finish_all(fw, drafts, found, ctx)
    assert found.scorecard is not None
    sections = tuple(found.scorecard.sections)
    resolved = _in_points(resolved, sections, weight_mode(fw.rules.weights, found.scorecard.weights))
    warnings = [*warnings, *event_warnings, *_variant_warnings(drafts.values(), ctx)]
    return ResolvedCard(found, stage, when, tuple(applied), tuple(resolved), tuple(warnings), ctx, tuple(removed),
                        sections)


def kpi_period(card_period: Period, cycle: str) -> Period:
    """The period a KPI of ``cycle`` is scored over on a card for ``card_period``, when actuals come by period.

    The period of the cycle's kind that contains ``card_period``; ``card_period`` itself when the
    cycle is shorter (a monthly KPI on a quarterly card is scored over the quarter).

    Example:
        >>> str(kpi_period(Period.parse("2026-12"), "quarterly"))
        '2026-Q4'
    """
    kind = cycle_kind(cycle)
    if MONTHS_IN[kind] <= MONTHS_IN[card_period.kind]:
        return card_period
    return card_period.parent(kind)


def prorate_targets(card: ResolvedCard, *, by_period: bool = False) -> ResolvedCard:
    """Fit each KPI's target to the months its value covers: the one period rule of both engines.

    A KPI's target is written for its review cycle (``monthly``: one month, ``quarterly``: three, ``annual``:
    twelve). The value it is scored on covers the card's period when the actuals are flat (one spreadsheet
    row per employee and period), or the period of its own cycle that contains the card's period when the
    actuals come by period (:func:`kpi_period`; a KPI of a shorter cycle is scored over the card's period).
    When the two lengths differ, how the metric grows with months (:func:`ecomperf.scoring.growth.growth_of`)
    decides:

    * a **summed** metric (``aggregate: sum``, or a formula that adds summed metrics) has its target, and the
      absolute anchors of its method (``interpolate`` threshold and stretch, ``range`` tolerance), scaled by
      months scored / months of the cycle: a monthly ``gmv >= 500万`` on the card of 2026-Q4 becomes
      ``>= 1500万``; a quarterly ``>= 2000万`` on the card of 2026-10 becomes ``>= 666.67万``;
    * a **rate or level** (``mean``, ``last``, ``min``, ``max``, or a formula such as ``orders / visitors``)
      keeps its target;
    * a metric that is **neither** (a formula such as ``gmv - 100``) cannot be fitted: the card is refused
      with :class:`~ecomperf.errors.ScoringError` (code ES107) naming every such KPI, instead of comparing
      values of one length of period with a target for another.

    Either way the KPI's note says what was done, and a scaled target keeps a text in the metric's unit
    (``>= 1500万``), so nothing is scaled silently.

    Args:
        card: the resolved card.
        by_period: the actuals are keyed by period (``{"2026-10": {...}}``) rather than flat.

    Raises:
        ScoringError: a KPI whose target would need fitting cannot be fitted (ES107).

    Example:
        a ``monthly`` KPI ``gmv >= 500万`` on the card of ``2026-Q4`` is scored against ``>= 1500万``.
    """
    fitted: list[ResolvedKpi] = []
    refused: list[Problem] = []
    for entry in card.entries:
        covered = kpi_period(card.period, entry.cycle) if by_period else card.period
        result = _fit(entry, covered)
        if isinstance(result, Problem):
            refused.append(result)
        else:
            fitted.append(result)
    if refused:
        raise ScoringError(
            f"cannot score {card.position.id} over {card.period}: a target written for another length of "
            "period cannot be fitted to it",
            problems=refused,
        )
    entries = tuple(fitted)
    return card if entries == card.entries else replace(card, entries=entries)


def _fit(entry: ResolvedKpi, covered: Period) -> ResolvedKpi | Problem:
    """``entry`` with its target fitted to ``covered``, or the ES107 problem saying why it cannot be."""
    cycle_length = cycle_months(entry.cycle)
    months = len(covered.months())
    if months == cycle_length or entry.target is None:
        return entry
    growth = entry.growth or growth_of_entry(entry)
    own = Sentence("{cycle} target {target}", cycle=cycle_word(entry.cycle),
                   target=entry.target.display(entry.metric.unit))
    span = Sentence("{months} months", months=months) if months > 1 else Sentence("1 month")
    if growth.summed is None:
        return Problem(
            "ES107",
            f"{entry.kpi}: the {own} cannot be fitted to {covered} ({span}): {growth.reason}; declare the "
            "metric's `aggregate:` (sum if it adds up over months, mean or last if it is a level), or score "
            f"it on {entry.cycle} cards",
        )
    if not growth.summed:
        note = Sentence("{target} kept over {period} ({span}): {reason}", target=own, period=str(covered), span=span,
                        reason=growth.reason)
        return replace(entry, note=join_sentences(entry.note, note))
    share = months / cycle_length
    target = _scaled_target(entry.target, share, entry.metric.unit)
    if target.display() == entry.target.display():  # "== 0" is "== 0" over any period
        return entry
    if months < cycle_length:
        whole = covered.parent(cycle_kind(entry.cycle))
        note = Sentence("{target} pro-rated to {period} ({months}/{cycle_months} of {whole}): {fitted}", target=own,
                        period=str(covered), months=months, cycle_months=cycle_length, whole=str(whole),
                        fitted=target.text)
    else:
        note = Sentence("{target} scaled to {period} ({times} × the {cycle} target): {fitted}", target=own,
                        period=str(covered), times=months // cycle_length, cycle=cycle_word(entry.cycle),
                        fitted=target.text)
    return replace(entry, target=target, method=_scaled_method(entry.method, share),
                   note=join_sentences(entry.note, note))


def growth_of_entry(entry: ResolvedKpi) -> Growth:
    """The growth of an entry built without one (by hand): its metric's aggregation alone decides.

    A formula metric recomputed from its inputs needs the framework to decide (:func:`growth_of`), so it
    counts as neither summed nor a level here.
    """
    how = entry.metric.aggregation
    if how == "recompute":
        return Growth(None, Sentence("its formula {formula} is not classified (resolve the card first)",
                                     formula=str(entry.metric.formula)))
    if how == "sum":
        return Growth(True, Sentence("it adds up over months (aggregate: sum)"))
    return Growth(False, Sentence("it does not add up over months (aggregate: {how})", how=aggregation_word(how)))


def _scaled_target(target: Target, share: float, unit: str) -> Target:
    scaled = target.model_copy(
        update={
            "value": None if target.value is None else target.value * share,
            "low": None if target.low is None else target.low * share,
            "high": None if target.high is None else target.high * share,
        }
    )
    return scaled.model_copy(update={"text": scaled.display(unit)})


def _scaled_method(method: ScoringMethod, share: float) -> ScoringMethod:
    """The method with its absolute anchors (not its points or achievement ratios) scaled like the target."""
    if isinstance(method, InterpolateScoring):
        stretch = None if method.stretch is None else method.stretch * share
        return method.model_copy(update={"threshold": method.threshold * share, "stretch": stretch})
    if isinstance(method, RangeScoring):
        return method.model_copy(update={"tolerance": method.tolerance * share})
    return method


_CYCLE_WORDS: Final = {"daily": Sentence("daily"), "weekly": Sentence("weekly"), "monthly": Sentence("monthly"),
                       "quarterly": Sentence("quarterly"), "annual": Sentence("annual"),
                       "yearly": Sentence("yearly")}


def cycle_word(cycle: str) -> str:
    """A review cycle as a word documents translate (``monthly``); an unknown cycle as written."""
    return _CYCLE_WORDS.get(cycle, cycle)


def join_notes(notes: Iterable[str | None]) -> str | None:
    """Notes as one ``a; b`` sentence (each kept translatable), or ``None`` without any."""
    joined: str | None = None
    for note in notes:
        if note:
            joined = join_sentences(joined, note)
    return joined


def parse_period(period: str | Period) -> Period:
    """A :class:`~ecomperf.periods.Period` from an id, raising :class:`ScoringError` for a bad one.

    Example:
        >>> str(parse_period("2026-q4"))
        '2026-Q4'
    """
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(period)
    except PeriodError as exc:
        raise ScoringError(f"cannot score period {period!r}: {exc}") from None


# --- lookups --------------------------------------------------------------------------------------


def _position(fw: FrameworkIndex, position: str) -> Position:
    found = fw.positions.get(position)
    if found is None:
        raise ScoringError(f"unknown position {position!r}{did_you_mean(position, fw.positions)}")
    return found


def _stage_entries(fw: FrameworkIndex, position: Position, stage: str) -> list[KpiEntry]:
    if stage not in fw.spec.stage_ids:
        raise ScoringError(f"unknown stage {stage!r}{did_you_mean(stage, fw.spec.stage_ids)}")
    if position.scorecard is None:
        raise ScoringError(f"position {position.id!r} has no scorecard")
    stages = position.scorecard.stages
    if stage not in stages:
        raise ScoringError(
            f"position {position.id!r} has no scorecard for stage {stage!r}; its stages: {', '.join(stages)}"
        )
    return stages[stage]


def _metric(fw: FrameworkIndex, kpi: str) -> Metric:
    metric = fw.metrics.get(kpi)
    if metric is None:  # validation (EP201) prevents this in a loaded framework
        raise ScoringError(f"KPI {kpi!r} is not a declared metric{did_you_mean(kpi, fw.metrics)}")
    return metric


def _context(fw: FrameworkIndex, context: Mapping[str, str] | None) -> dict[str, str]:
    given = dict(context or {})
    declared = fw.spec.contexts
    problems: list[Problem] = []
    for dimension, value in given.items():
        if dimension not in declared:
            problems.append(
                Problem("ES104", f"unknown context dimension {dimension!r}{did_you_mean(dimension, declared)}")
            )
            continue
        values = declared[dimension].value_ids
        if value not in values:
            problems.append(Problem("ES104", f"unknown {dimension} {value!r}{did_you_mean(str(value), values)}"))
    if problems:
        raise ScoringError("the context does not fit the framework", problems=problems)
    return given


# --- events ---------------------------------------------------------------------------------------


def _events(fw: FrameworkIndex, period: Period, event: Any) -> tuple[list[Event], list[str]]:
    """The events to apply, and warnings about explicitly chosen events outside their periods."""
    if event is ...:
        return [e for e in fw.events if any(period.matches(p) for p in e.periods)], []
    if event is None:
        return [], []
    wanted = [event] if isinstance(event, str | Event) else list(event)
    by_id = {e.id: e for e in fw.events}
    chosen: list[Event] = []
    warnings: list[str] = []
    for item in wanted:
        if isinstance(item, Event):
            found = item
        elif isinstance(item, str) and item in by_id:
            found = by_id[item]
        else:
            raise ScoringError(f"unknown event {item!r}{did_you_mean(str(item), by_id)}")
        if not any(period.matches(p) for p in found.periods):
            warnings.append(Sentence("event '{event}' applied as asked, although its periods ({periods}) do not "
                                     "include {period}", event=Name.of(found.id, found.name),
                                     periods=tuple(found.periods), period=str(period)))
        chosen.append(found)
    return chosen, warnings


# --- finishing an entry ---------------------------------------------------------------------------


def _finish_all(
    fw: FrameworkIndex, drafts: dict[str, EffectiveKpi], position: Position, ctx: Mapping[str, str]
) -> tuple[list[ResolvedKpi], list[tuple[str, str]]]:
    """The resolved entries, and the KPIs an event took off the card (with the event id)."""
    resolved: list[ResolvedKpi] = []
    removed: list[tuple[str, str]] = []
    for draft in drafts.values():
        metric = _metric(fw, draft.entry.kpi)
        method = draft.entry.scoring or default_method(metric.direction)
        if draft.zeroed_by is not None and not isinstance(method, VetoScoring):
            removed.append((draft.entry.kpi, draft.zeroed_by))
        else:
            resolved.append(replace(_finish(fw, draft, metric, method, position, ctx), growth=growth_of(fw, metric)))
    return resolved, removed


def _finish(
    fw: FrameworkIndex, draft: EffectiveKpi, metric: Metric, method: ScoringMethod, position: Position,
    ctx: Mapping[str, str],
) -> ResolvedKpi:
    entry = draft.entry
    notes: list[str] = list(draft.notes)
    variant: dict[str, str | list[str]] | None = None
    target = entry.target
    if draft.event_target is not None:
        target = draft.event_target
    else:
        for candidate in entry.variants:
            if candidate.matches(dict(ctx)):
                target, variant = candidate.target, dict(candidate.when)
                notes.append(Sentence("target {target} from variant {when}", target=str(target),
                                      when=_when_text(fw, candidate.when)))
                break
    if target is None and metric.direction == "zero":
        target = _ZERO_TARGET
        notes.append(Sentence("zero tolerance: target == 0"))
    assert position.scorecard is not None
    cycle = entry.cycle or metric.cycle or position.scorecard.cycle
    return ResolvedKpi(
        kpi=entry.kpi,
        metric=metric,
        weight=float(draft.weight),
        target=target,
        variant=variant,
        method=method,
        cycle=cycle,
        note=join_notes(notes),
        event_target=draft.event_target is not None,
        section=entry.section,
        missing=entry.missing,
    )


def _in_points(entries: list[ResolvedKpi], sections: tuple[Section, ...], mode: WeightMode) -> list[ResolvedKpi]:
    """The entries with their weights as points of 100 on the card, each saying what it was when that changed.

    Raises:
        ScoringError: a weighted entry outside every weighted section (validation reports it as EP311).
    """
    raw = [(entry.section, entry.weight) for entry in entries]
    shares = section_shares(sections, raw)
    if mode == "points" and not shares:
        return entries
    points = card_points(raw, sections, mode)
    total = sum(weight for _, weight in raw)
    scaled: list[ResolvedKpi] = []
    for entry, value in zip(entries, points, strict=True):
        if value is None:
            raise ScoringError(
                f"KPI {entry.kpi!r} carries weight {entry.weight:g} but belongs to no weighted section of the card; "
                "give it `section:`"
            )
        if entry.weight:
            note = _weight_note(entry, value, shares, raw, total, mode)
            entry = replace(entry, weight=value, note=join_notes([entry.note, note]))
        scaled.append(entry)
    return scaled


def _weight_note(
    entry: ResolvedKpi, points: float, shares: Mapping[str, float], raw: list[tuple[str | None, float]],
    total: float, mode: WeightMode,
) -> str:
    shown = format_quantity(points)
    if not shares:
        return Sentence("relative weight {weight:g} of {total:g} = {points} points", weight=entry.weight, total=total,
                        points=shown)
    assert entry.section is not None
    own = sum(weight for section, weight in raw if section == entry.section)
    share = Sentence("{share:g} of {shares:g}", share=shares[entry.section], shares=sum(shares.values()))
    if mode == "relative":
        return Sentence("relative weight {weight:g} of {own:g} in section {section} ({share}) = {points} points",
                        weight=entry.weight, own=own, section=entry.section, share=share, points=shown)
    return Sentence("weight {weight:g} in section {section} ({share}) = {points} points", weight=entry.weight,
                    section=entry.section, share=share, points=shown)


def _when_text(fw: FrameworkIndex, when: Mapping[str, str | list[str]]) -> tuple[str, ...]:
    """A variant's condition, one ``dimension=value`` sentence per dimension (``category=apparel``)."""
    return tuple(_condition(fw, dimension, values) for dimension, values in when.items())


def _condition(fw: FrameworkIndex, dimension: str, values: str | list[str]) -> Sentence:
    declared = fw.spec.contexts.get(dimension)
    names = {value.id: value.name for value in declared.values} if declared is not None else {}
    dimension_name = Name.of(dimension, declared.name if declared is not None else None)
    return Sentence("{dimension}={value}", dimension=dimension_name,
                    value=_alternatives([values] if isinstance(values, str) else values, names))


def _alternatives(values: list[str], names: Mapping[str, str | Mapping[str, str] | None]) -> Name | Sentence:
    """Context values a variant accepts: ``a|b`` (each by its name in documents)."""
    first = Name.of(values[0], names.get(values[0]))
    if len(values) == 1:
        return first
    return Sentence("{first}|{rest}", first=first, rest=_alternatives(values[1:], names))


def _variant_warnings(drafts: Iterable[EffectiveKpi], ctx: Mapping[str, str]) -> list[str]:
    """One warning per context dimension that variants depend on but the context leaves out."""
    needed: dict[str, list[str]] = {}
    for draft in drafts:
        if draft.event_target is not None:
            continue
        for variant in draft.entry.variants:
            if variant.matches(dict(ctx)):
                break  # variants after the chosen one could not have mattered
            for dimension in variant.when:
                if dimension not in ctx and draft.entry.kpi not in needed.setdefault(dimension, []):
                    needed[dimension].append(draft.entry.kpi)
    return [
        Sentence("no '{dimension}' in the context, so the default target applies to {kpis} (target variants depend "
                 "on {dimension})", dimension=dimension, kpis=tuple(kpis))
        for dimension, kpis in needed.items()
    ]
