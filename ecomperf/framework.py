"""The loaded framework: every document of one framework, indexed, with the operations users call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from ecomperf.model import (
    Duty,
    Event,
    ForbiddenDuty,
    FrameworkSpec,
    Grade,
    Metric,
    Module,
    Position,
    Rules,
    Stage,
    Workflow,
)
from ecomperf.problems import Problem

if TYPE_CHECKING:
    from ecomperf.batch.engine import BatchResult, Table
    from ecomperf.scoring.card import MissingPolicy, ScoreCard

__all__ = ["DutyInfo", "Framework"]


@dataclass(frozen=True, slots=True)
class DutyInfo:
    """A duty together with its owner: ``ref`` is ``owner_id.duty_id``; ``owner_kind`` is Module or Position."""

    ref: str
    duty: Duty
    owner_kind: str
    owner_id: str


@dataclass(frozen=True)
class Framework:
    """A validated framework. Build one with :func:`ecomperf.load`.

    Attributes:
        spec: the ``kind: Framework`` document (stages, levels, contexts, grades, rules).
        metrics, modules, positions, workflows: documents by id, in file order.
        events: events in file order (order matters when several match one period).
        warnings: the warnings found while loading (errors prevent loading).
        root: the path the framework was loaded from.
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

    def declared(self, kind: str) -> set[str]:
        """Ids of ``kind`` present in the YAML, including documents that failed their own checks.

        Reference rules use this so that one broken document does not also produce an "unknown id"
        problem at every place that names it.
        """
        return self._declared.get(kind, set())

    @cached_property
    def _declared(self) -> dict[str, set[str]]:
        parsed: dict[str, Mapping[str, Any]] = {
            "Metric": self.metrics, "Module": self.modules, "Position": self.positions, "Workflow": self.workflows,
        }
        kinds = set(parsed) | set(self.unparsed)
        return {kind: set(parsed.get(kind, {})) | set(self.unparsed.get(kind, frozenset())) for kind in kinds}

    @property
    def id(self) -> str:
        """The framework id."""
        return self.spec.id

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
            KeyError: with a "did you mean" suggestion when the id is unknown.
        """
        try:
            return self.positions[position_id]
        except KeyError:
            raise KeyError(_unknown("position", position_id, self.positions)) from None

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

    @overload
    def render_jd(
        self,
        position: str,
        *,
        stage: str | None = ...,
        locale: str | None = ...,
        format: Literal["md", "html", "jsonld"] = ...,
        template_dir: str | PathLike[str] | None = ...,
    ) -> str: ...
    @overload
    def render_jd(
        self,
        position: str,
        *,
        stage: str | None = ...,
        locale: str | None = ...,
        format: Literal["docx"],
        template_dir: str | PathLike[str] | None = ...,
    ) -> bytes: ...
    @overload
    def render_jd(
        self,
        position: str,
        *,
        stage: str | None = ...,
        locale: str | None = ...,
        format: str,
        template_dir: str | PathLike[str] | None = ...,
    ) -> str | bytes: ...
    def render_jd(
        self,
        position: str,
        *,
        stage: str | None = None,
        locale: str | None = None,
        format: str = "md",
        template_dir: str | PathLike[str] | None = None,
    ) -> str | bytes:
        """Render a position's job description (岗位说明书); see :func:`ecomperf.render.jd.render_jd`.

        Args:
            position: position id.
            stage: the company stage whose KPI table to show; ``None`` shows one table per stage.
            locale: one of the framework's locales; ``None`` for the default locale.
            format: ``md``, ``html`` or ``jsonld`` (``str``), or ``docx`` (``bytes``).
            template_dir: a folder of templates that replace the built-in ones by file name (sandboxed).

        Raises:
            RenderError: unknown position, stage, locale or format, or a failing template.

        >>> fw.render_jd("store_manager", stage="startup", locale="en")  # doctest: +SKIP
        '# Job description: Store manager\\n...'
        """
        from ecomperf.render.jd import render_jd

        return render_jd(
            self, position, stage=stage, locale=locale, format=format,
            template_dir=None if template_dir is None else Path(template_dir),
        )

    def matrix(self, *, format: str = "md", locale: str | None = None) -> str | bytes:
        """The KPI and duty ownership matrix; see :func:`ecomperf.render.matrix.render_matrix`.

        Args:
            format: ``md`` or ``html`` (``str``), or ``xlsx`` (``bytes``).
            locale: one of the framework's locales; ``None`` for the default locale.

        Raises:
            RenderError: unknown format or locale.
        """
        from ecomperf.render.matrix import render_matrix

        return render_matrix(self, format=format, locale=locale)

    def score(
        self,
        position: str,
        *,
        stage: str,
        period: str,
        actuals: Mapping[str, Any],
        context: Mapping[str, str] | None = None,
        event: Any = ...,
        missing: MissingPolicy = "error",
        employee: str | None = None,
    ) -> ScoreCard:
        """Score one position's actuals for one period; see :func:`ecomperf.scoring.card.score`."""
        from ecomperf.scoring.card import score

        return score(
            self, position, stage=stage, period=period, actuals=actuals, context=context, event=event,
            missing=missing, employee=employee,
        )

    def score_many(
        self,
        rows: Iterable[Mapping[str, Any]] | Table,
        *,
        missing: MissingPolicy = "error",
        stage: str | None = None,
        period: str | None = None,
        detail: bool = True,
    ) -> BatchResult:
        """Score many rows of actuals (one per employee and period); see :func:`ecomperf.batch.engine.score_many`.

        Each row maps ``employee``, ``position``, ``stage``, ``period``, the framework's context
        dimensions and metric ids to values; ``stage`` and ``period`` fill rows lacking them. A bad row
        is reported in ``result.errors`` with its row number (the first row is row 2, as in a
        spreadsheet under its header) and never stops the others.

        Example:
            >>> result = fw.score_many(rows, missing="renormalize")  # doctest: +SKIP
            >>> [(r.employee, r.total, r.grade) for r in result.rows], result.errors  # doctest: +SKIP
        """
        from ecomperf.batch.engine import score_many

        return score_many(self, rows, missing=missing, stage=stage, period=period, detail=detail)

    def rollup(
        self, monthly_actuals: Mapping[str, Mapping[str, Any]], to: str, *, partial: bool = False
    ) -> dict[str, float]:
        """Roll monthly actuals up to a quarter or year; see :func:`ecomperf.scoring.rollup.rollup_actuals`.

        Each base metric is combined by its ``aggregation`` (sum, mean, last, min, max) over the months
        of ``to``; formula metrics are recomputed from the rolled-up inputs (a quarterly conversion rate
        is ``Σ orders / Σ visitors``).

        Args:
            monthly_actuals: month id → (metric id → value).
            to: the period to roll up to, e.g. ``"2026-Q4"`` or ``"2026"``.
            partial: accept months missing from the data (otherwise a ScoringError names them).

        Returns:
            Metric id → rolled-up value.

        Raises:
            ScoringError: bad period ids or values, undeclared metrics, or missing months unless ``partial``.
        """
        from ecomperf.scoring.rollup import rollup_actuals

        return rollup_actuals(self, monthly_actuals, to, partial=partial)


def _unknown(kind: str, name: str, known: Mapping[str, Any]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(known)) or 'none'}"
    return f"unknown {kind} {name!r}{hint}"
