"""How event overrides change a stage's KPIs: the one rule that validation (EP305) and scoring both apply.

For one position and stage, the events apply in order. Each matching override first adds its ``add``
entries, then sets ``weights`` (0 takes a KPI off the card) and then ``targets`` of KPIs on the card; a later
override of the same KPI wins. An override that names a KPI which is not on the card changes nothing and
is reported (validation reports it as EP214 before a framework ever loads).

Example:
    >>> from ecomperf.model import KpiEntry
    >>> stage = [KpiEntry(kpi="gmv", weight=60, target=">= 1"), KpiEntry(kpi="margin", weight=40, target=">= 1")]
    >>> event = Event.model_validate({
    ...     "apiVersion": "ecomperf/v1", "kind": "Event", "id": "double_11", "name": "Double 11",
    ...     "periods": ["*-11"], "overrides": [{"position": "p", "weights": {"gmv": 80, "margin": 20}}]})
    >>> {kpi: k.weight for kpi, k in apply_overrides(stage, [event], "p", "growth").kpis.items()}
    {'gmv': 80.0, 'margin': 20.0}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ecomperf.model.event import Event, EventOverride
from ecomperf.model.position import KpiEntry
from ecomperf.sentences import Name, Sentence
from ecomperf.targets import Target

__all__ = ["EffectiveKpi", "EffectiveStage", "apply_overrides", "override_applies"]


@dataclass
class EffectiveKpi:
    """One KPI entry of a stage after event overrides.

    Attributes:
        entry: the scorecard (or event ``add``) entry.
        weight: the weight after overrides.
        event_target: the target an event set, replacing the entry's own; ``None`` when no event set one.
        zeroed_by: the event that set the weight to 0, taking the KPI off the card.
        notes: what each override changed, in order.
    """

    entry: KpiEntry
    weight: float
    event_target: Target | None = None
    zeroed_by: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EffectiveStage:
    """A stage's KPIs after the events' overrides.

    Attributes:
        kpis: the KPIs by id, stage order first, then KPIs added by events.
        applied: the events that had an override for this position and stage, in order.
        ignored: one sentence per override of a KPI that is not on the card (it changed nothing).
    """

    kpis: dict[str, EffectiveKpi]
    applied: tuple[Event, ...]
    ignored: tuple[str, ...]


def override_applies(override: EventOverride, position_id: str, stage: str) -> bool:
    """Whether ``override`` changes ``position_id``'s card in ``stage`` (no ``stages`` means every stage)."""
    return override.position == position_id and (override.stages is None or stage in override.stages)


def apply_overrides(
    entries: Sequence[KpiEntry], events: Iterable[Event], position_id: str, stage: str
) -> EffectiveStage:
    """Apply the overrides of ``events`` to a stage's ``entries``, in order (see the module docstring)."""
    kpis = {entry.kpi: EffectiveKpi(entry, entry.weight) for entry in entries}
    applied: list[Event] = []
    ignored: list[str] = []
    for event in events:
        overrides = [o for o in event.overrides if override_applies(o, position_id, stage)]
        for override in overrides:
            ignored.extend(_apply(kpis, override, event))
        if overrides:
            applied.append(event)
    return EffectiveStage(kpis, tuple(applied), tuple(ignored))


def _apply(kpis: dict[str, EffectiveKpi], override: EventOverride, event: Event) -> list[str]:
    ignored: list[str] = []
    event_id, name = event.id, Name.of(event.id, event.name)
    for entry in override.add:
        kpis[entry.kpi] = EffectiveKpi(entry, entry.weight, notes=[Sentence("added by event {event}", event=name)])
    for kpi, weight in override.weights.items():
        if kpi not in kpis:
            ignored.append(Sentence("event '{event}' sets the weight of '{kpi}', which is not on the card; ignored",
                                    event=name, kpi=kpi))
            continue
        effective = kpis[kpi]
        effective.notes.append(Sentence("weight {old:g} → {new:g} by event {event}", old=effective.weight, new=weight,
                                        event=name))
        effective.weight = weight
        effective.zeroed_by = event_id if weight == 0 else None
    for kpi, target in override.targets.items():
        if kpi not in kpis:
            ignored.append(Sentence("event '{event}' sets the target of '{kpi}', which is not on the card; ignored",
                                    event=name, kpi=kpi))
            continue
        kpis[kpi].event_target = target
        kpis[kpi].notes.append(Sentence("target {target} by event {event}", target=str(target), event=name))
    return ignored
