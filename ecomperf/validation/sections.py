"""EP311 sections of a scorecard, EP301/EP305 weights within weighted sections, EP312 raters against scoring.

Sections are checked the way stage weights are: each entry names a declared section; either every section
carries a weight or none does; declared section weights sum to 100 (or, with ``weights: relative``, are
sizes of any scale); and with section weights the KPI weights of each section sum to 100 in every stage
(EP301), also after an event's overrides (EP305). The rule itself (how the weights combine) is
:func:`ecomperf.model.weights.card_points`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ecomperf.model import Document, KpiEntry, Position, VetoScoring
from ecomperf.model.index import FrameworkIndex
from ecomperf.model.overrides import apply_overrides
from ecomperf.model.sections import Section
from ecomperf.problems import Problem
from ecomperf.validation.base import card_weight_mode, entries_everywhere, override_stages, rule, unknown

__all__ = ["rated_scoring", "section_references", "section_weights", "weighted_section_events"]


def _weighted(sections: Sequence[Section]) -> bool:
    return bool(sections) and all(section.weight is not None for section in sections)


def _entry_problems(
    document: Document, path: tuple[str | int, ...], entry: KpiEntry, sections: Sequence[Section], owner: str,
) -> Iterator[Problem]:
    ids = [section.id for section in sections]
    if entry.section is not None and entry.section not in ids:
        hint = "" if ids else f"declare `sections:` on the scorecard of {owner}, or drop `section:`"
        yield unknown("EP311", "section", entry.section, ids, document.span(*path, "section"), hint=hint)
    elif entry.section is None and sections and entry.weight > 0:
        yield Problem(
            "EP311",
            f"KPI {entry.kpi!r} carries weight {entry.weight:g} but names no section, and the scorecard of "
            f"{owner} has sections ({', '.join(ids)})",
            document.span(*path),
            hint="add `section:` to the entry; only weight-0 entries (veto KPIs) may stand outside the sections",
        )


@rule
def section_references(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP311: every scorecard entry (and event ``add`` entry) with weight names a declared section."""
    for position in fw.positions.values():
        if position.scorecard is None:
            continue
        for stage, entries in position.scorecard.stages.items():
            for number, entry in enumerate(entries):
                yield from _entry_problems(position, ("scorecard", "stages", stage, number), entry,
                                           position.scorecard.sections, position.id)
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            target = fw.positions.get(override.position)
            if target is None or target.scorecard is None:
                continue
            for k, entry in enumerate(override.add):
                yield from _entry_problems(event, ("overrides", number, "add", k), entry,
                                           target.scorecard.sections, target.id)


@rule
def section_weights(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP311 section weights all or none, summing to 100, none empty; EP301 KPI weights per weighted section."""
    for position in fw.positions.values():
        card = position.scorecard
        if card is None or not card.sections:
            continue
        given = [section for section in card.sections if section.weight is not None]
        if given and len(given) < len(card.sections):
            for number, section in enumerate(card.sections):
                if section.weight is None:
                    yield Problem(
                        "EP311",
                        f"section {section.id!r} has no weight while {', '.join(s.id for s in given)} "
                        f"{'has' if len(given) == 1 else 'have'} one",
                        position.span("scorecard", "sections", number),
                        hint="give every section a weight (the total is then their weighted sum) or none "
                        "(the sections then only group the card)",
                    )
            continue
        if not given:
            continue
        mode = card_weight_mode(fw, card)
        if mode is None:
            continue
        relative = mode == "relative"
        total = sum(float(section.weight or 0) for section in card.sections)
        if not relative and abs(total - 100) > 1e-9:
            listed = " + ".join(f"{s.id} {float(s.weight or 0):g}" for s in card.sections)
            yield Problem(
                "EP311",
                f"section weights sum to {total:g}, not 100 ({listed})",
                position.span("scorecard", "sections"),
                hint="make the section weights add up to 100, or declare `weights: relative` on the scorecard",
            )
        for stage, entries in card.stages.items():
            yield from _stage_sections(position, stage, entries, card.sections, relative)


def _stage_sections(
    position: Position, stage: str, entries: Sequence[KpiEntry], sections: Sequence[Section], relative: bool,
) -> Iterator[Problem]:
    declared = {section.id for section in sections}
    misnamed = any(entry.section is not None and entry.section not in declared for entry in entries)
    for section in sections:
        members = [entry for entry in entries if entry.section == section.id]
        total = sum(entry.weight for entry in members)
        span = position.span("scorecard", "stages", stage)
        if total <= 0 and misnamed:
            continue  # an entry names an unknown section (reported above): that is the one problem to fix
        if total <= 0:
            yield Problem(
                "EP311",
                f"section {section.id!r} carries weight {float(section.weight or 0):g} but no KPI of stage {stage!r} "
                "with a weight is in it",
                span,
                hint=f"add a KPI with `section: {section.id}` to the stage, or take the section off the scorecard",
            )
        elif not relative and abs(total - 100) > 1e-9:
            listed = " + ".join(f"{e.kpi} {e.weight:g}" for e in members if e.weight)
            yield Problem(
                "EP301",
                f"weights of section {section.id!r} in stage {stage!r} sum to {total:g}, not 100 ({listed})",
                span,
                hint=f"{'add' if total < 100 else 'remove'} {abs(100 - total):g} points across the section's KPIs: "
                "with section weights, each section's KPI weights add up to 100",
            )


@rule
def weighted_section_events(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP305: after an event's overrides, each weighted section's KPI weights still sum to 100."""
    for event in fw.events:
        for number, override in enumerate(event.overrides):
            position = fw.positions.get(override.position)
            if position is None or position.scorecard is None or not _weighted(position.scorecard.sections):
                continue
            if card_weight_mode(fw, position.scorecard) in {"relative", None}:
                continue
            for stage in override_stages(fw, position, override.stages):
                effective = apply_overrides(position.scorecard.stages[stage], [event], position.id, stage)
                if effective.ignored:  # EP214 reports the KPIs the override names but the card lacks
                    continue
                for section in position.scorecard.sections:
                    weights = {kpi: found.weight for kpi, found in effective.kpis.items()
                               if found.entry.section == section.id}
                    total = sum(weights.values())
                    if total > 0 and abs(total - 100) > 1e-9:
                        listed = " + ".join(f"{k} {w:g}" for k, w in weights.items() if w)
                        yield Problem(
                            "EP305",
                            f"during {event.id!r}, section {section.id!r} of {position.id}'s {stage!r} card "
                            f"sums to {total:g}, not 100 ({listed})",
                            event.span("overrides", number, "weights"),
                            hint="adjust `weights:` so that each section still sums to 100",
                        )


@rule
def rated_scoring(fw: FrameworkIndex) -> Iterator[Problem]:
    """EP312: a rated metric has no formula; a KPI whose raters combine their scores (``of: scores``) is no veto."""
    for rated in fw.metrics.values():
        if rated.raters is not None and rated.formula is not None:
            yield Problem(
                "EP312",
                f"metric {rated.id!r} is rated by people (raters), so it cannot also have a formula",
                rated.span("raters"),
                hint="rate an input metric and compute this one from it, or drop `raters:`",
            )
    for document, path, entry in entries_everywhere(fw):
        metric = fw.metrics.get(entry.kpi)
        if metric is None or metric.raters is None or metric.raters.of != "scores":
            continue
        if isinstance(entry.scoring, VetoScoring) or (entry.scoring is None and metric.direction == "zero"):
            yield Problem(
                "EP312",
                f"veto scoring of {entry.kpi!r}, whose raters combine their scores (of: scores); a veto needs "
                "one value to check",
                document.span(*path, "scoring"),
                hint="combine the ratings into one value with `of: ratings`, or score the KPI another way",
            )
