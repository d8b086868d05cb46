"""The shape of a validation rule, the wrapper that turns a crashing rule into EP900, and shared helpers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

from ecomperf.model import Document, KpiEntry, Position, Scorecard
from ecomperf.model.index import FrameworkIndex
from ecomperf.model.weights import WeightMode, weight_mode
from ecomperf.problems import Problem, Span
from ecomperf.suggest import did_you_mean

__all__ = ["Rule", "card_weight_mode", "entries_everywhere", "override_stages", "rule", "stage_entries", "unknown"]

Rule = Callable[[FrameworkIndex], Iterable[Problem]]
"""A rule: reads the framework index, yields problems."""


def rule(function: Callable[[FrameworkIndex], Iterable[Problem]]) -> Rule:
    """Wrap a rule so that an exception inside it is reported as problem EP900 instead of crashing."""

    @functools.wraps(function)
    def safe(fw: FrameworkIndex) -> list[Problem]:
        try:
            return list(function(fw))
        except Exception as exc:  # a rule bug must not hide the other rules' findings
            return [
                Problem(
                    "EP900",
                    f"internal error in rule {function.__name__}: {exc!r}",
                    None,
                    hint="please report this; the other rules still ran",
                )
            ]

    return safe


def unknown(code: str, kind: str, name: str, known: Iterable[str], span: Span, hint: str = "") -> Problem:
    """An "unknown <kind> <name>" problem with a "did you mean" and, when short, the declared names."""
    names = sorted(set(known))
    suggestion = did_you_mean(name, names, list_known=False)
    if not hint:
        hint = f"declared {kind}s: {', '.join(names)}" if names and len(names) <= 12 else f"declare the {kind} first"
    return Problem(code, f"unknown {kind} {name!r}{suggestion}", span, hint=hint)


def stage_entries(position: Position) -> Iterator[tuple[str, int, KpiEntry]]:
    """``(stage, index, entry)`` for every KPI entry of the position's scorecard."""
    if position.scorecard is None:
        return
    for stage, entries in position.scorecard.stages.items():
        for number, entry in enumerate(entries):
            yield stage, number, entry


def override_stages(fw: FrameworkIndex, position: Position, stages: list[str] | None) -> list[str]:
    """The stages of the position's scorecard an override names (every stage when it names none)."""
    assert position.scorecard is not None
    declared = list(position.scorecard.stages)
    return declared if stages is None else [s for s in stages if s in declared]


def card_weight_mode(fw: FrameworkIndex, card: Scorecard) -> WeightMode | None:
    """How the card's weights count (:func:`~ecomperf.model.weights.weight_mode`), or ``None`` when that is not
    known: the card names no mode and the Framework's ``rules.weights`` failed its check. Weight sums are then
    not checked, since 60 + 60 is wrong in points and right in relative weights."""
    if card.weights is None and not fw.knows(fw.spec, "rules", "weights"):
        return None
    return weight_mode(fw.rules.weights, card.weights)


def entries_everywhere(fw: FrameworkIndex) -> Iterator[tuple[Document, tuple[str | int, ...], KpiEntry]]:
    """Every KPI entry with its document and path: scorecard stages, then event ``add`` entries
    (:attr:`~ecomperf.model.index.FrameworkIndex.kpi_entries`, gathered once for every rule that asks)."""
    return iter(fw.kpi_entries)
