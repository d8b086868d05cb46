"""The loaded framework index: every document of one framework with its lookups, and no behaviour above them.

Validation rules, resolution, scoring, batch and render take a :class:`FrameworkIndex`. The public façade
:class:`ecomperf.Framework` extends it with the operations users call (score, render, roll up).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from ecomperf.errors import UnknownNameError
from ecomperf.model import (
    Document,
    Duty,
    Event,
    ForbiddenDuty,
    FrameworkSpec,
    Grade,
    KpiEntry,
    Metric,
    Module,
    Position,
    Rules,
    Stage,
    TargetPlan,
    Workflow,
)
from ecomperf.model.fingerprint import fingerprint
from ecomperf.problems import Problem
from ecomperf.suggest import did_you_mean

__all__ = ["Declared", "DutyInfo", "FrameworkIndex"]


@dataclass(frozen=True, slots=True)
class Declared:
    """The ids of one kind that the YAML declares, as far as it is known.

    ``name in declared`` is true for every id of :attr:`ids`, and for *any* id when :attr:`open` (a file that
    may declare this kind did not parse, so an id missing from :attr:`ids` may still be declared there).

    Example:
        >>> "gmv" in Declared(frozenset({"gmv"})), "cost" in Declared(frozenset({"gmv"}), open=True)
        (True, True)
    """

    ids: frozenset[str]
    open: bool = False

    def __contains__(self, name: object) -> bool:
        return self.open or name in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.ids))

    def __len__(self) -> int:
        return len(self.ids)


class DutyInfo(NamedTuple):
    """A duty together with its owner: ``ref`` is ``owner_id.duty_id``; ``owner_kind`` is Module or Position."""

    ref: str
    duty: Duty
    owner_kind: str
    owner_id: str


@dataclass(frozen=True)
class FrameworkIndex:
    """The documents of one validated framework, indexed. :func:`ecomperf.load` returns its façade.

    Attributes:
        spec: the ``kind: Framework`` document (stages, levels, contexts, grades, rules).
        metrics, modules, positions, workflows: documents by id, in file order.
        events: events in file order (order matters when several match one period).
        plans: target plans (``kind: TargetPlan``) by id, in file order.
        warnings: the warnings found while loading (errors prevent loading).
        root: the path the framework was loaded from.
        unparsed: while validating a framework that has errors: kind -> ids of documents that failed their
            own checks and could not be salvaged (see :meth:`declared`).
        open_kinds: while validating: kinds that a file which did not parse may declare.
        uncertain: while validating: ``(kind, id)`` -> paths inside a salvaged document that are not known
            (``("source",)``, ``("scorecard", "stages", "startup")``; :mod:`ecomperf.loading.salvage`; see
            :meth:`knows`). A Framework document that failed is a stand-in whose unknown paths are its fields.
    """

    spec: FrameworkSpec
    metrics: Mapping[str, Metric]
    modules: Mapping[str, Module]
    positions: Mapping[str, Position]
    events: tuple[Event, ...] = ()
    workflows: Mapping[str, Workflow] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    root: str = ""
    unparsed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    plans: Mapping[str, TargetPlan] = field(default_factory=dict)
    open_kinds: frozenset[str] = frozenset()
    uncertain: Mapping[tuple[str, str], frozenset[tuple[str | int, ...]]] = field(default_factory=dict)

    def declared(self, kind: str) -> Declared:
        """Ids of ``kind`` present in the YAML, including documents that failed their own checks; every id
        when a file that may declare ``kind`` did not parse (:class:`Declared`).

        Reference rules use this so that one broken document or file does not also produce an "unknown id"
        problem at every place that names it.
        """
        # built once per kind: rules ask for every name they check, and a fresh set each time grew quadratic
        declared = self._declared_views.get(kind)
        if declared is None:
            declared = Declared(frozenset(self._declared.get(kind, set())), open=kind in self.open_kinds)
            self._declared_views[kind] = declared
        return declared

    def knows(self, document: Document, *path: str | int) -> bool:
        """Whether the value at ``path`` inside ``document`` is known in full: false when a salvaged document lost
        it, a part of it or a value around it (its default stands in for what failed its check). Rules that
        rely on a field ask first: ``fw.knows(metric, "direction")``, ``fw.knows(fw.spec, "contexts", "region")``.
        """
        if not self.uncertain:  # nothing was salvaged, the usual case: rules ask this for every KPI entry
            return True
        kind = type(document).__name__.removesuffix("Spec")  # Metric, Position … and FrameworkSpec: Framework
        lost = self.uncertain.get((kind, document.id), frozenset())
        return not any(_related(path, unknown) for unknown in lost)

    def complete(self, kind: str, *path: str | int) -> bool:
        """Whether every document of ``kind`` is known (none unparsed, no unreadable file may hold one) and,
        with ``path``, knows the value there in full. A rule that concludes from absence ("no position carries
        this KPI") runs only when the documents it looks through are complete."""
        if kind in self.open_kinds or self.unparsed.get(kind):
            return False
        return not path or not any(
            k == kind and any(_related(path, unknown) for unknown in lost) for (k, _), lost in self.uncertain.items()
        )

    @cached_property
    def _declared_views(self) -> dict[str, Declared]:
        return {}

    @cached_property
    def _declared(self) -> dict[str, set[str]]:
        parsed: dict[str, Mapping[str, Any]] = {
            "Metric": self.metrics, "Module": self.modules, "Position": self.positions, "Workflow": self.workflows,
            "TargetPlan": self.plans,
        }
        kinds = set(parsed) | set(self.unparsed)
        return {kind: set(parsed.get(kind, {})) | set(self.unparsed.get(kind, frozenset())) for kind in kinds}

    @cached_property
    def kpi_entries(self) -> tuple[tuple[Document, tuple[str | int, ...], KpiEntry], ...]:
        """Every KPI entry with its document and its path there: scorecard stages, then event ``add`` entries.

        Gathered once: validation rules go through every entry, several of them each.
        """
        found: list[tuple[Document, tuple[str | int, ...], KpiEntry]] = []
        for position in self.positions.values():
            if position.scorecard is not None:
                for stage, entries in position.scorecard.stages.items():
                    path = ("scorecard", "stages", stage)
                    found.extend((position, (*path, number), entry) for number, entry in enumerate(entries))
        for event in self.events:
            for number, override in enumerate(event.overrides):
                found.extend((event, ("overrides", number, "add", k), entry) for k, entry in enumerate(override.add))
        return tuple(found)

    @property
    def id(self) -> str:
        """The framework id."""
        return self.spec.id

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the framework's documents as parsed; see :mod:`ecomperf.model.fingerprint`.

        Splitting files, reordering keys or reformatting leaves it unchanged; changing any value changes it.
        Every :class:`~ecomperf.scoring.results.ScoreCard` scored with this framework carries it.
        """
        return fingerprint([
            self.spec, *self.metrics.values(), *self.modules.values(), *self.positions.values(),
            *self.events, *self.workflows.values(), *self.plans.values(),
        ])

    @property
    def default_locale(self) -> str:
        """The first declared locale."""
        return self.spec.default_locale

    @property
    def stages(self) -> list[Stage]:
        """Company stages in declaration order."""
        return self.spec.stages

    @property
    def grades(self) -> list[Grade]:
        """Grades, highest first."""
        return self.spec.grades

    @property
    def rules(self) -> Rules:
        """Framework-wide rules (veto cap, improvement plans, distribution)."""
        return self.spec.rules

    @cached_property
    def duty_index(self) -> dict[str, DutyInfo]:
        """Every declared duty by its reference ``owner_id.duty_id`` (modules first, then positions)."""
        index: dict[str, DutyInfo] = {}
        for module in self.modules.values():
            for duty in module.responsibilities:
                ref = f"{module.id}.{duty.id}"
                index.setdefault(ref, DutyInfo(ref, duty, "Module", module.id))
        for position in self.positions.values():
            for duty in position.responsibilities:
                ref = f"{position.id}.{duty.id}"
                index.setdefault(ref, DutyInfo(ref, duty, "Position", position.id))
        return index

    def position(self, position_id: str) -> Position:
        """The position with this id.

        Raises:
            UnknownNameError: (a ``KeyError``) with a "did you mean" suggestion when the id is unknown.
        """
        try:
            return self.positions[position_id]
        except KeyError:
            hint = did_you_mean(position_id, self.positions)
            raise UnknownNameError(f"unknown position {position_id!r}{hint}") from None

    def duties_of(self, position_id: str) -> list[DutyInfo]:
        """Duties a position holds: those of its modules (in module order), then its own."""
        position = self.position(position_id)
        held = [
            self.duty_index[f"{module_id}.{duty.id}"]
            for module_id in position.modules
            if module_id in self.modules
            for duty in self.modules[module_id].responsibilities
        ]
        held.extend(self.duty_index[f"{position.id}.{duty.id}"] for duty in position.responsibilities)
        return held

    def forbidden_for(self, position_id: str) -> list[tuple[ForbiddenDuty, str]]:
        """Forbidden duties of a position with where each comes from (a module id or the position id)."""
        position = self.position(position_id)
        found = [
            (forbidden, module_id)
            for module_id in position.modules
            if module_id in self.modules
            for forbidden in self.modules[module_id].forbidden
        ]
        found.extend((forbidden, position.id) for forbidden in position.forbidden)
        return found

    def direct_reports(self, position_id: str) -> list[Position]:
        """Positions whose ``reports_to`` names this position."""
        return [p for p in self.positions.values() if p.reports_to == position_id]

    def workflows_of(self, position_id: str) -> Iterator[tuple[Workflow, str, str]]:
        """``(workflow, step_id, role)`` for every step the position owns (``owner``) or joins (``participant``)."""
        for workflow in self.workflows.values():
            for step in workflow.steps:
                if step.owner == position_id:
                    yield workflow, step.id, "owner"
                elif position_id in step.participants:
                    yield workflow, step.id, "participant"


def _related(path: tuple[str | int, ...], unknown: tuple[str | int, ...]) -> bool:
    """Whether one path lies inside the other (or they are the same): then ``path`` is not known in full."""
    common = min(len(path), len(unknown))
    return path[:common] == unknown[:common]
