"""The public façade: :class:`Framework` and :func:`load`, the only module that calls up into the layers below.

A :class:`Framework` is the loaded :class:`~ecomperf.model.index.FrameworkIndex` plus the operations users
call: scoring one card or many, rolling months up, rendering job descriptions and the ownership matrix.
Each method imports its layer when called, so ``import ecomperf`` stays light (start-up cost: numpy,
Jinja and openpyxl load only for the commands that need them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from ecomperf.errors import FrameworkError
from ecomperf.loading.documents import LoadResult, read_index
from ecomperf.model.index import FrameworkIndex

if TYPE_CHECKING:
    from ecomperf.batch.duplicates import KeepDuplicates
    from ecomperf.batch.results import BatchResult
    from ecomperf.batch.table import Table
    from ecomperf.changes.backtest import BacktestResult
    from ecomperf.changes.diff import FrameworkDiff
    from ecomperf.planning.whatif import WhatIf
    from ecomperf.scoring.missing import MissingPolicy
    from ecomperf.scoring.results import ScoreCard
    from ecomperf.scoring.rollup import RolledTable

__all__ = ["Framework", "load", "load_documents", "load_revision", "revision_documents"]


@dataclass(frozen=True)
class Framework(FrameworkIndex):
    """A validated framework with the operations users call. Build one with :func:`ecomperf.load`.

    Attributes:
        spec: the ``kind: Framework`` document (stages, levels, contexts, grades, rules).
        metrics, modules, positions, workflows: documents by id, in file order.
        events: events in file order (order matters when several match one period).
        warnings: the warnings found while loading (errors prevent loading).
        root: the path the framework was loaded from.
    """

    @classmethod
    def from_index(cls, index: FrameworkIndex) -> Framework:
        """The façade over an index (the index itself when it already is one)."""
        if isinstance(index, Framework):
            return index
        return cls(**{f.name: getattr(index, f.name) for f in fields(FrameworkIndex)})

    @overload
    def render_jd(
        self,
        position: str,
        *,
        stage: str | None = ...,
        locale: str | None = ...,
        format: Literal["md", "html", "jsonld"] = ...,
        template_dir: str | PathLike[str] | None = ...,
        date_posted: dt.date | None = ...,
        valid_through: dt.date | None = ...,
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
        date_posted: dt.date | None = ...,
        valid_through: dt.date | None = ...,
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
        date_posted: dt.date | None = ...,
        valid_through: dt.date | None = ...,
    ) -> str | bytes: ...
    def render_jd(
        self,
        position: str,
        *,
        stage: str | None = None,
        locale: str | None = None,
        format: str = "md",
        template_dir: str | PathLike[str] | None = None,
        date_posted: dt.date | None = None,
        valid_through: dt.date | None = None,
    ) -> str | bytes:
        """Render a position's job description (岗位说明书); see :func:`ecomperf.render.jd.render_jd`.

        Args:
            position: position id.
            stage: the company stage whose KPI table to show; ``None`` shows one table per stage.
            locale: one of the framework's locales; ``None`` for the default locale.
            format: ``md``, ``html`` or ``jsonld`` (``str``), or ``docx`` (``bytes``).
            template_dir: a folder of templates that replace the built-in ones by file name (sandboxed).
            date_posted, valid_through: for ``jsonld``, the posting's publication and closing dates.

        Raises:
            RenderError: unknown position, stage, locale or format, or a failing template.

        >>> fw.render_jd("store_manager", stage="startup", locale="en")  # doctest: +SKIP
        '# Job description: Store manager\\n...'
        """
        from ecomperf.render.jd import render_jd  # start-up cost: Jinja loads on first use

        return render_jd(
            self, position, stage=stage, locale=locale, format=format,
            template_dir=None if template_dir is None else Path(template_dir),
            date_posted=date_posted, valid_through=valid_through,
        )

    def matrix(self, *, format: str = "md", locale: str | None = None) -> str | bytes:
        """The KPI and duty ownership matrix; see :func:`ecomperf.render.matrix.render_matrix`.

        Args:
            format: ``md`` or ``html`` (``str``), or ``xlsx`` (``bytes``).
            locale: one of the framework's locales; ``None`` for the default locale.

        Raises:
            RenderError: unknown format or locale.
        """
        from ecomperf.render.matrix import render_matrix  # start-up cost: Jinja loads on first use

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
        from ecomperf.scoring.card import score  # start-up cost: the engine loads on first use

        return score(
            self, position, stage=stage, period=period, actuals=actuals, context=context, event=event,
            missing=missing, employee=employee,
        )

    def whatif(
        self,
        position: str,
        *,
        stage: str,
        period: str,
        actuals: Mapping[str, Any],
        grade: str,
        context: Mapping[str, str] | None = None,
        event: Any = ...,
        missing: MissingPolicy = "error",
        employee: str | None = None,
        solve_for: Mapping[str, str] | None = None,
    ) -> WhatIf:
        """The actual each KPI needs for ``grade``, the others held; see :func:`ecomperf.planning.whatif.whatif`.

        Example:
            >>> result = fw.whatif("store_manager", stage="startup", period="2026-10", grade="A",
            ...                    actuals={...})  # doctest: +SKIP
            >>> result.cheapest, [(k.kpi, k.needed, k.reachable) for k in result.kpis]  # doctest: +SKIP
        """
        from ecomperf.planning.whatif import whatif  # start-up cost: the engine loads on first use

        return whatif(
            self, position, stage=stage, period=period, actuals=actuals, grade=grade, context=context,
            event=event, missing=missing, employee=employee, solve_for=solve_for,
        )

    def score_many(
        self,
        rows: Iterable[Mapping[str, Any]] | Table,
        *,
        missing: MissingPolicy = "error",
        stage: str | None = None,
        period: str | None = None,
        detail: bool = False,
        progress: Callable[[int], None] | None = None,
        keep_duplicates: KeepDuplicates | None = None,
        rollup: str | None = None,
        explain: bool = False,
        on_card: Callable[[ScoreCard], None] | None = None,
    ) -> BatchResult:
        """Score many rows of actuals (one per employee and period); see :func:`ecomperf.batch.engine.score_many`.

        Each row maps ``employee``, ``position``, ``stage``, ``period``, the framework's context
        dimensions and metric ids to values; ``stage`` and ``period`` fill rows lacking them. An empty cell
        (``None``, blank text, or NaN, as pandas writes one) is a missing actual, handled as ``missing``
        says; infinity is refused. A bad row
        is reported in ``result.errors`` with its row number (the first row is row 2, as in a
        spreadsheet under its header) and never stops the others. Several rows for one employee and
        period are all reported, and none is scored, unless ``keep_duplicates`` is ``"first"`` or
        ``"last"``. ``rollup="2026-Q4"`` (or ``"quarter"``, ``"year"``) rolls monthly rows up per employee
        and scores the quarter's card.

        The fast path is the default: rows are scored in blocks with numpy and come back as summaries
        (``result.rows``, ``result.to_pandas()``, ``result.to_arrow()``); ``detail=True`` also keeps each
        row's full :class:`~ecomperf.scoring.results.ScoreCard` in ``result.cards`` (notes, achievements),
        at about 30 times the cost per row. Totals, grades and scores are the same either way.
        ``explain=True`` keeps, without cards, what the cards' KPI tables show (notes, methods, veto flags,
        the KPIs left off) as columns: what the workbook's Detail sheet is written from, and what
        :class:`~ecomperf.batch.cards.ExplainedCards` builds the same cards from when they are read, a
        chunk at a time (scoring and building every card takes about 60% of the time of ``detail``, and never
        holds every card at once; the JSON writer's mappings about a third). With ``detail``,
        ``on_card`` receives each card in input order as it is scored, and ``result.cards`` stays empty.

        Example:
            >>> result = fw.score_many(rows, missing="renormalize")  # doctest: +SKIP
            >>> [(r.employee, r.total, r.grade) for r in result.rows], result.errors  # doctest: +SKIP
        """
        from ecomperf.batch.engine import score_many  # start-up cost: numpy loads on first use

        return score_many(
            self, rows, missing=missing, stage=stage, period=period, detail=detail, progress=progress,
            keep_duplicates=keep_duplicates, rollup=rollup, explain=explain, on_card=on_card,
        )

    def diff(self, new: Framework) -> FrameworkDiff:
        """The semantic changes from this version to ``new``; see :func:`ecomperf.changes.diff.diff`."""
        from ecomperf.changes.diff import diff  # start-up cost: loaded when a diff is asked for

        return diff(self, new)

    def backtest(
        self,
        new: Framework,
        actuals: Table | Iterable[Mapping[str, Any]],
        *,
        missing: MissingPolicy = "error",
        bonus_base: float | str | None = None,
    ) -> BacktestResult:
        """Score ``actuals`` under this version and ``new``; see :func:`ecomperf.changes.backtest.backtest`."""
        from ecomperf.changes.backtest import backtest  # start-up cost: numpy loads on first use

        return backtest(self, new, actuals, missing=missing, bonus_base=bonus_base)

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
        from ecomperf.scoring.rollup import rollup_actuals  # start-up cost: the engine loads on first use

        return rollup_actuals(self, monthly_actuals, to, partial=partial)

    def rollup_table(
        self, table: Mapping[str, Sequence[Any]], to: str, *, partial: bool = False
    ) -> RolledTable:
        """Roll up many employees' months at once; see :func:`ecomperf.scoring.rollup.rollup_table`.

        ``table`` has an ``employee`` column, a ``period`` column of months and one column per metric (a
        pandas DataFrame or a dict of lists); each employee's values are exactly what :meth:`rollup` gives
        for their months, computed together in numpy. Employees that cannot be rolled up are in ``errors``.

        Example:
            >>> fw.rollup_table(frame, "2026").values["gmv"][:2]  # doctest: +SKIP
            [54000000.0, 61000000.0]
        """
        from ecomperf.scoring.rollup import rollup_table  # start-up cost: the engine loads on first use

        return rollup_table(self, table, to, partial=partial)




def load(path: str | Path) -> Framework:
    """Load and validate a framework from a folder (every ``*.yaml``/``*.yml`` below it) or one file.

    Args:
        path: the framework folder or a single YAML file.

    Returns:
        The validated :class:`Framework`; its ``warnings`` hold any warnings.

    Raises:
        FrameworkError: when any error was found; ``.problems`` lists them all with locations.

    >>> fw = load("frameworks/ecommerce-ops")  # doctest: +SKIP
    >>> fw.positions["store_manager"].name  # doctest: +SKIP
    {'zh': '店长', 'en': 'Store manager'}
    """
    result = load_documents(path)
    if result.framework is None:
        raise FrameworkError(result.problems)
    return result.framework


def load_documents(path: str | Path) -> LoadResult[Framework]:
    """Load like :func:`load` but return every problem instead of raising (used by ``ecomperf validate``).

    ``result.framework`` is a :class:`Framework`, or ``None`` when any error was found.
    """
    result = read_index(path)
    framework = None if result.framework is None else Framework.from_index(result.framework)
    return LoadResult(framework, result.problems, result.files)


def revision_documents(revision: str, path: str, *, cwd: str | Path | None = None) -> LoadResult[Framework]:
    """Like :func:`load_documents`, for the framework at ``path`` as it was at git ``revision`` (no checkout).

    Raises:
        RevisionError: git is missing, no such revision, or nothing under ``path`` at it
            (see :func:`ecomperf.changes.revisions.read_revision`).
    """
    from ecomperf.changes.revisions import revision_index  # start-up cost: git runs only for revisions

    result = revision_index(revision, path, cwd=cwd)
    framework = None if result.framework is None else Framework.from_index(result.framework)
    return LoadResult(framework, result.problems, result.files)


def load_revision(revision: str, path: str, *, cwd: str | Path | None = None) -> Framework:
    """Load and validate the framework at ``path`` as it was at git ``revision``, without a checkout.

    Args:
        revision: a commit, branch or tag (``HEAD~1``, ``main``, ``v2026``).
        path: the framework folder or file, relative to ``cwd`` (as for ``git diff REV -- PATH``).
        cwd: the folder git runs in (default: the current folder).

    Raises:
        RevisionError: git is missing, no such revision, or nothing under ``path`` at it.
        FrameworkError: the framework at that revision does not load; ``.problems`` lists why.

    >>> old = load_revision("HEAD~1", "frameworks/ecommerce-ops")  # doctest: +SKIP
    >>> ecomperf.diff(old, load("frameworks/ecommerce-ops"))  # doctest: +SKIP
    """
    result = revision_documents(revision, path, cwd=cwd)
    if result.framework is None:
        raise FrameworkError(result.problems)
    return result.framework
