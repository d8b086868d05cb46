"""EP4xx rules: the organisation is consistent (forbidden duties, owned KPIs, duties held twice, SMART KPIs)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ecomperf.model import Document, Event, Position
from ecomperf.model.index import FrameworkIndex
from ecomperf.problems import Problem
from ecomperf.validation.base import entries_everywhere, rule, stage_entries

__all__ = [
    "duties_held_twice",
    "forbidden_duties_held",
    "smart_kpis",
    "unowned_module_kpis",
]

# --- EP4xx organisation -------------------------------------------------------------------------


@rule
def forbidden_duties_held(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP401: a position must not hold a duty that one of its modules (or itself) forbids."""
    for position in fw.positions.values():
        held = {info.ref: info for info in fw.duties_of(position.id)}
        for forbidden, source in fw.forbidden_for(position.id):
            if forbidden.duty in held:
                origin = "its own forbidden list" if source == position.id else f"module {source!r}"
                holder = held[forbidden.duty]
                via = "its own responsibilities" if holder.owner_kind == "Position" else f"module {holder.owner_id!r}"
                yield Problem(
                    "EP401",
                    f"position {position.id!r} holds duty {forbidden.duty!r} (through {via}), which {origin} forbids",
                    position.span("modules") if holder.owner_kind == "Module" else position.span("id"),
                    hint="give the duty to another position, or drop the module that forbids it",
                )


@rule
def unowned_module_kpis(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP402 (warning): every module KPI should be on some position's scorecard."""
    if not fw.complete("Position", "scorecard") or not fw.complete("Event", "overrides"):
        return  # a scorecard that is not known may carry it
    carried = {entry.kpi for position in fw.positions.values() for _, _, entry in stage_entries(position)}
    carried |= {entry.kpi for event in fw.events for o in event.overrides for entry in o.add}
    for module in fw.modules.values():
        for number, kpi in enumerate(module.kpis):
            if kpi not in carried and kpi in fw.metrics:
                yield Problem(
                    "EP402",
                    f"module {module.id!r} KPI {kpi!r} is on no position's scorecard",
                    module.span("kpis", number),
                    severity="warning",
                    hint="put it on the scorecard of a position that holds the module, or drop it",
                )


@rule
def duties_held_twice(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP403 (warning): a duty held by several positions without being marked ``shared``."""
    holders: dict[str, list[str]] = defaultdict(list)
    for position in fw.positions.values():
        for ref in dict.fromkeys(info.ref for info in fw.duties_of(position.id)):
            holders[ref].append(position.id)
    for ref, positions in holders.items():
        info = fw.duty_index[ref]
        if info.owner_kind == "Module" and not fw.knows(fw.modules[info.owner_id], "shared"):
            continue  # the module may say the duty is shared
        shared = info.duty.shared or (info.owner_kind == "Module" and fw.modules[info.owner_id].shared)
        if len(positions) > 1 and not shared:
            owner: Document = fw.modules[info.owner_id] if info.owner_kind == "Module" else fw.positions[info.owner_id]
            number = next(i for i, d in enumerate(owner.responsibilities) if d.id == info.duty.id)  # type: ignore[attr-defined]
            yield Problem(
                "EP403",
                f"duty {ref!r} is held by {len(positions)} positions: {', '.join(positions)}",
                owner.span("responsibilities", number),
                severity="warning",
                hint="give it one owner, or mark it `shared: true` (or the module) if sharing is intended",
            )


@rule
def smart_kpis(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP404 (warning): a KPI needs a target, a review cycle (on the entry, its metric or the scorecard) and
    its metric a data source (SMART)."""
    for document, path, entry in entries_everywhere(fw):
        metric = fw.metrics.get(entry.kpi)
        if metric is None:
            continue
        missing = []
        if entry.target is None and fw.knows(metric, "direction") and metric.direction != "zero":
            missing.append("target")
        if (
            entry.cycle is None and metric.cycle is None and fw.knows(metric, "cycle")
            and not _scorecard_cycle(fw, document, path)
        ):
            missing.append("cycle")
        if metric.source is None and fw.knows(metric, "source"):
            missing.append("data source")
        if missing:
            yield Problem(
                "EP404",
                f"KPI {entry.kpi!r} has no {_either(missing)} (SMART: measurable and time-bound)",
                document.span(*path),
                severity="warning",
                hint="add the target on the entry; a cycle on the entry, the Metric or the scorecard; "
                "the source on the Metric",
            )


def _scorecard_cycle(fw: FrameworkIndex, document: Document, path: tuple[str | int, ...]) -> bool:
    """Whether the scorecard the entry is scored on declares a ``cycle:`` (its default is not a declaration)."""
    position: Position | None
    if isinstance(document, Position):
        position = document
    elif isinstance(document, Event) and path[:1] == ("overrides",) and isinstance(path[1], int):
        position = fw.positions.get(document.overrides[path[1]].position)
    else:
        position = None
    scorecard = None if position is None else position.scorecard
    if position is not None and not fw.knows(position, "scorecard", "cycle"):
        return True  # the card's cycle failed its check: it may well declare one
    return scorecard is not None and "cycle" in scorecard.model_fields_set


def _either(items: list[str]) -> str:
    """``"a"``, ``"a or b"``, ``"a, b or c"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
