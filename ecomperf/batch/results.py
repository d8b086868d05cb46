"""The output of batch scoring: row summaries (as columns and objects), cards, and the rows that failed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from ecomperf.scoring.results import DroppedKpi, ScoreCard
from ecomperf.sentences import EngineText

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pyarrow as pa

    from ecomperf.model import DisplayScale
    from ecomperf.model.index import FrameworkIndex
    from ecomperf.scoring.missing import MissingPolicy
    from ecomperf.scoring.raters import Rating
    from ecomperf.scoring.resolve import ResolvedCard

__all__ = [
    "DETAIL_COLUMNS", "BatchResult", "CardLayout", "CardLayouts", "KpiDetail", "KpiExplanation", "RowCards",
    "RowError", "RowSummary", "Summaries",
]

DETAIL_COLUMNS: Final = ("actual", "target", "achievement", "weight", "weighted")
"""The detail columns of each KPI in :meth:`BatchResult.columns`, ``<kpi>_actual`` … after the scores."""

@dataclass(frozen=True, slots=True)
class RowSummary:
    """The score of one good row, without the per-KPI detail of a :class:`~ecomperf.scoring.results.ScoreCard`.

    Attributes:
        row: the row number (header = row 1).
        employee, position, stage, period: as in the row (period normalised, e.g. ``2026-Q4``).
        total: the weighted total; ``grade`` and ``bonus`` after any veto cap.
        scores: KPI id -> score for the KPIs on the total (dropped KPIs are absent).
        veto: the veto KPIs breached.
        context: the row's context dimensions.
        subtotals: section id -> subtotal, for cards with sections.
        warnings: what the card warns about (a percent written as a whole number, a context a target
            variant needs …), as on its :class:`~ecomperf.scoring.results.ScoreCard`.
        origin: where the row came from when that is more than one file's row number (``nov.csv:4``, or
            every row a quarter was rolled up from); ``""`` otherwise.
    """

    row: int
    employee: str
    position: str
    stage: str
    period: str
    total: float
    grade: str
    bonus: float
    scores: Mapping[str, float]
    veto: tuple[str, ...] = ()
    context: Mapping[str, str] = field(default_factory=dict)
    subtotals: Mapping[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    origin: str = ""

    def where(self, source: str) -> str:
        """``source:row``, or the row's :attr:`origin` when it has one."""
        return self.origin or f"{source}:{self.row}"


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be scored.

    Attributes:
        row: the row number (header = row 1).
        employee: the employee named in the row (``""`` when the cell is empty).
        reason: what is wrong, on one line.
        origin: where the row came from when that is more than one file's row number (see
            :attr:`RowSummary.origin`); ``""`` otherwise.
        intended: the row was left out as the caller asked (a duplicate under ``keep_duplicates``): it is
            reported like the others, but is not a failure.
    """

    row: int
    employee: str
    reason: str
    origin: str = ""
    intended: bool = False

    def where(self, source: str) -> str:
        """``source:row``, or the row's :attr:`origin` when it has one."""
        return self.origin or f"{source}:{self.row}"

    def format(self, source: str) -> str:
        """``source:row: employee: reason``, the line printed on stderr by ``ecomperf score``.

        Example:
            >>> RowError(5, "li", "no actual for gmv").format("actuals.csv")
            'actuals.csv:5: li: no actual for gmv'
            >>> RowError(2, "li", "no row for 2026-11", origin="oct.csv:2, dec.csv:2").format("oct.csv")
            'oct.csv:2, dec.csv:2: li: no row for 2026-11'
        """
        return f"{self.where(source)}: {self.employee or '-'}: {self.reason}"


@dataclass(frozen=True)
class KpiDetail:
    """One KPI across the scored rows, as a :class:`~ecomperf.scoring.results.KpiScore` shows it, in arrays.

    Each array has one value per scored row, in the order of :class:`Summaries`; in a row where the KPI is
    not on the total (not on the row's card, or dropped) every float is NaN and :attr:`target_codes` is -1.
    No object is built per row: the target texts are dictionary-encoded, as Arrow and pandas store them.

    Attributes:
        actual: the value scored (``KpiScore.actual``; NaN also where a missing value was scored 0).
        target_codes: per row, the index of its target's text in :attr:`target_texts`, or -1.
        target_texts: the distinct target texts (``>= 833.33万``, as ``str(KpiScore.target)`` shows them).
        achievement: ``KpiScore.achievement``, NaN where it is undefined.
        score: ``KpiScore.score``.
        weight: ``KpiScore.weight``, the weight the KPI carries on the row's total.
        weighted: ``KpiScore.weighted_score``, ``weight × score / Σ weights``.
        explanation: the KPI's notes, method, section, ratings and veto flag in every row, when the result
            was scored with ``explain`` (or ``detail``); ``None`` otherwise.
    """

    actual: npt.NDArray[np.float64]
    target_codes: npt.NDArray[np.intp]
    target_texts: tuple[str, ...]
    achievement: npt.NDArray[np.float64]
    score: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]
    weighted: npt.NDArray[np.float64]
    explanation: KpiExplanation | None = None

    def targets(self) -> list[str | None]:
        """The target text of each row (``None`` where the KPI is not on the total).

        Example:
            >>> result.details["gmv"].targets()  # doctest: +SKIP
            ['>= 200万', None]
        """
        texts = [*self.target_texts, None]  # code -1 picks the None
        return [texts[code] for code in self.target_codes.tolist()]

    def columns(self, kpi: str) -> dict[str, list[Any]]:
        """``<kpi>_actual``, ``<kpi>_target``, ``<kpi>_achievement``, ``<kpi>_weight``, ``<kpi>_weighted`` as
        lists, ``None`` where a value is absent (see :data:`DETAIL_COLUMNS`)."""
        return {
            f"{kpi}_actual": _nullable(self.actual), f"{kpi}_target": self.targets(),
            f"{kpi}_achievement": _nullable(self.achievement), f"{kpi}_weight": _nullable(self.weight),
            f"{kpi}_weighted": _nullable(self.weighted),
        }


@dataclass(frozen=True)
class KpiExplanation:
    """What a :class:`~ecomperf.scoring.results.KpiScore` says about its score besides the numbers, for one KPI
    across the scored rows, dictionary-encoded: per row a code into a few distinct values (-1 where the KPI
    is not on the row's total).

    Attributes:
        note_codes, notes: ``KpiScore.notes`` (as a tuple of sentences) of each row.
        method_codes, methods: ``KpiScore.method``.
        section_codes, sections: ``KpiScore.section`` (``None`` on cards without sections).
        rating_codes, ratings: ``KpiScore.ratings`` (empty for metrics without raters).
        veto_breached: ``KpiScore.veto_breached``.
        computed: ``KpiScore.computed``, the actual was computed from the metric's formula.
        unit: ``KpiScore.unit``, the unit of the KPI's metric.
    """

    note_codes: npt.NDArray[np.intp]
    notes: tuple[tuple[EngineText, ...], ...]
    method_codes: npt.NDArray[np.intp]
    methods: tuple[str, ...]
    section_codes: npt.NDArray[np.intp]
    sections: tuple[str | None, ...]
    rating_codes: npt.NDArray[np.intp]
    ratings: tuple[tuple[Rating, ...], ...]
    veto_breached: npt.NDArray[np.bool_]
    computed: npt.NDArray[np.bool_]
    unit: str


@dataclass(frozen=True, slots=True)
class CardLayout:
    """The rows of one card, as its KPI table lists them: the KPIs on the total in card order, then those left off.

    Attributes:
        kpis: ``[kpi.kpi for kpi in card.kpis]``.
        dropped: ``card.dropped``.
    """

    kpis: tuple[str, ...]
    dropped: tuple[DroppedKpi, ...] = ()


@dataclass(frozen=True)
class CardLayouts:
    """The :class:`CardLayout` of every scored row, dictionary-encoded (rows of one card share one).

    Attributes:
        codes: per scored row, in the order of :class:`Summaries`, the index of its layout in :attr:`layouts`.
        layouts: the distinct layouts.
    """

    codes: npt.NDArray[np.intp]
    layouts: tuple[CardLayout, ...]

    def kpi_rows(self) -> int:
        """The KPI rows of every card together: its KPIs and those left off (a Detail sheet's rows).

        Example:
            two rows of a card of one KPI and one of a card of two give 4.
        """
        import numpy as np  # start-up cost: numpy loads only with batch results

        sizes = np.array([len(layout.kpis) + len(layout.dropped) for layout in self.layouts], dtype=np.int64)
        return int(sizes[self.codes].sum()) if len(self.codes) else 0


@dataclass(frozen=True)
class RowCards:
    """What rebuilds each scored row's :class:`~ecomperf.scoring.results.ScoreCard` besides the explained
    columns (:attr:`BatchResult.details`, :attr:`BatchResult.layouts`): :mod:`ecomperf.batch.cards` builds the
    cards from them when a caller asks, so that a batch never has to hold one per row.

    Attributes:
        framework: the framework that scored the rows.
        codes: per scored row, in the order of :class:`Summaries`, the index of its card in :attr:`cards`.
        cards: the distinct cards the rows were scored against (position, stage, period and context resolved).
        uncapped: place in :class:`Summaries` -> the row's total before a ``zero_total`` veto set it to 0,
            for the rows where the two differ (``ScoreCard.uncapped_total``; elsewhere it is the total).
        missing: the missing-value policy the rows were scored under (``ScoreCard.missing_policy``).
    """

    framework: FrameworkIndex
    codes: npt.NDArray[np.intp]
    cards: tuple[ResolvedCard, ...]
    uncapped: Mapping[int, float]
    missing: MissingPolicy


def _nullable(values: npt.NDArray[np.float64]) -> list[float | None]:
    """The array as a list, ``None`` for NaN."""
    listed: list[float | None] = values.tolist()
    return [None if value != value else value for value in listed]  # NaN is the one float unequal to itself


@dataclass(frozen=True)
class Summaries:
    """The scored rows as columns, in input order: one list per field, one per KPI.

    This is what the fast path produces and the CSV writer consumes, without an object per row;
    ``summaries[i]`` (and :attr:`BatchResult.rows`) gives the :class:`RowSummary` of one row.

    Attributes:
        rows, employees, positions, stages, periods, totals, grades, bonuses, veto, contexts: one entry
            per scored row (see :class:`RowSummary`); rows with equal contexts share one read-only mapping.
        scores: KPI id -> the KPI's score in each row (``None`` where the KPI is not on the row's total),
            KPIs in order of first appearance.
        subtotals: section id -> the section's subtotal in each row (``None`` where the row's card has no
            such section), sections in order of first appearance.
        warnings: per scored row, its card's warnings (empty when none; the list may be empty altogether).
        origins: per scored row, where it came from (see :attr:`RowSummary.origin`), or ``None``.
    """

    rows: list[int]
    employees: list[str]
    positions: list[str]
    stages: list[str]
    periods: list[str]
    totals: list[float]
    grades: list[str]
    bonuses: list[float]
    scores: dict[str, list[float | None]]
    veto: list[tuple[str, ...]]
    contexts: list[Mapping[str, str]]
    subtotals: dict[str, list[float | None]] = field(default_factory=dict)
    warnings: list[tuple[str, ...]] = field(default_factory=list)
    origins: list[str] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> RowSummary:
        scores = {kpi: value for kpi, column in self.scores.items() if (value := column[index]) is not None}
        subtotals = {name: value for name, column in self.subtotals.items() if (value := column[index]) is not None}
        return RowSummary(
            self.rows[index], self.employees[index], self.positions[index], self.stages[index],
            self.periods[index], self.totals[index], self.grades[index], self.bonuses[index], scores,
            self.veto[index], self.contexts[index], subtotals, self.warnings[index] if self.warnings else (),
            self.origins[index] if self.origins else "",
        )


@dataclass(frozen=True)
class BatchResult:
    """Everything :func:`score_many` found.

    Attributes:
        framework: the framework id.
        summaries: the scored rows as columns (:attr:`rows` has them as objects).
        errors: one :class:`RowError` per row that could not be scored, in input order.
        cards: one :class:`~ecomperf.scoring.results.ScoreCard` per scored row, in input order (empty when
            scored with ``detail=False``).
        warnings: problems with the input as a whole (unknown columns, reader notes).
        grades: the framework's grade ids, highest first (for colouring and reports).
        source: where the rows came from (the first file, when several were read).
        encoding: the text encoding of the input file, when it was a text file.
        display_scale: the framework's ``rules.display_scale``, for writers that show totals on it too.
        sources: every input file, in the order read (empty for rows given in Python).
        input_order: the place in the input of each scored row, then of each error (their first row, for a
            quarter rolled up from months); :meth:`lines` reads it. Empty when unknown.
        details: KPI id -> its actual, target, achievement, weight and weighted score in every scored row
            (:class:`KpiDetail`), KPIs in the order of :attr:`kpi_ids`; filled by both engines, without cards.
            Empty for results built elsewhere.
        layouts: each scored row's KPIs in card order and those left off (:class:`CardLayouts`), when scored
            with ``explain`` or ``detail``: with :attr:`details`' explanations, what a card's KPI table shows.
        row_cards: with :attr:`details` and :attr:`layouts`, what rebuilds each row's card when scored with
            ``explain`` or ``detail`` (:class:`RowCards`; :class:`ecomperf.batch.cards.ExplainedCards` builds them).
    """

    framework: str
    summaries: Summaries
    errors: list[RowError]
    cards: list[ScoreCard] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    grades: tuple[str, ...] = ()
    source: str = "<rows>"
    encoding: str | None = None
    display_scale: DisplayScale | None = None
    sources: tuple[str, ...] = ()
    input_order: tuple[int, ...] = ()
    details: dict[str, KpiDetail] = field(default_factory=dict)
    layouts: CardLayouts | None = None
    row_cards: RowCards | None = None

    def lines(self) -> list[RowSummary | RowError]:
        """Every scored row and every row not scored, in the order of the input: one entry per input row
        (a quarter rolled up from months is one entry for all of them)."""
        entries: list[RowSummary | RowError] = [*self.rows, *self.errors]
        if len(self.input_order) != len(entries):
            return entries
        return [entry for _, entry in sorted(zip(self.input_order, entries, strict=True), key=lambda pair: pair[0])]

    @cached_property
    def rows(self) -> list[RowSummary]:
        """One :class:`RowSummary` per scored row, in input order."""
        return [self.summaries[index] for index in range(len(self.summaries))]

    @property
    def ok(self) -> bool:
        """Whether every row was scored, or left out as asked (:attr:`RowError.intended`)."""
        return not self.failed

    @property
    def failed(self) -> list[RowError]:
        """The rows that could not be scored (not those left out as asked)."""
        return [error for error in self.errors if not error.intended]

    @property
    def warning_count(self) -> int:
        """Warnings about the input as a whole plus every scored row's card warnings."""
        return len(self.warnings) + sum(map(len, self.summaries.warnings))

    @property
    def kpi_ids(self) -> list[str]:
        """Every KPI scored in any row, in order of first appearance (the ``<kpi>_score`` columns)."""
        return list(self.summaries.scores)

    @property
    def section_ids(self) -> list[str]:
        """Every section with a subtotal in any row, in order of first appearance (``<section>_subtotal``)."""
        return list(self.summaries.subtotals)

    def shown_totals(self) -> list[float] | None:
        """Each row's total on the display scale, or ``None`` when the framework declares no scale."""
        scale = self.display_scale
        return None if scale is None else [scale.shown(total) for total in self.summaries.totals]

    def subtotal_columns(self) -> list[tuple[str, list[float | None]]]:
        """The columns tabular outputs add after ``bonus``: the total on the display scale
        (``total_of_5``), when the framework has one, then one ``<section>_subtotal`` per section.

        Example:
            a framework with ``display_scale: 5`` and sections goals and self gives ``total_of_5``,
            ``goals_subtotal``, ``self_subtotal``.
        """
        columns: list[tuple[str, list[float | None]]] = []
        shown = self.shown_totals()
        if shown is not None and self.display_scale is not None:
            columns.append((f"total_of_{self.display_scale.label}", list(shown)))
        columns += [(f"{section}_subtotal", values) for section, values in self.summaries.subtotals.items()]
        return columns

    def columns(self, *, detail: bool = True) -> dict[str, list[Any]]:
        """The scored rows as columns: ``row``, ``employee``, ``position``, ``stage``, ``period``, one per
        context dimension used, ``total``, ``grade``, ``bonus``, ``veto`` (comma separated), ``<kpi>_score``,
        then, with ``detail`` and when the result has :attr:`details`, each KPI's :data:`DETAIL_COLUMNS`
        (``gmv_actual``, ``gmv_target``, ``gmv_achievement``, ``gmv_weight``, ``gmv_weighted`` …).

        Rows that could not be scored are in :attr:`errors`, not here.

        Example:
            >>> result.columns()["total"]  # doctest: +SKIP
            [104.0, 80.0]
        """
        table = self.summaries
        dimensions = list(dict.fromkeys(name for context in table.contexts for name in context))
        columns: dict[str, list[Any]] = {
            "row": table.rows, "employee": table.employees, "position": table.positions, "stage": table.stages,
            "period": table.periods,
        }
        for dimension in dimensions:
            columns[dimension] = [context.get(dimension) for context in table.contexts]
        columns |= {"total": table.totals, "grade": table.grades, "bonus": table.bonuses,
                    "veto": [", ".join(veto) for veto in table.veto]}
        columns |= dict(self.subtotal_columns())
        columns |= {f"{kpi}_score": scores for kpi, scores in table.scores.items()}
        if detail:
            for kpi, found in self.details.items():
                columns |= found.columns(kpi)
        return columns

    def to_pandas(self, *, detail: bool = True) -> pd.DataFrame:
        """The scored rows as a pandas DataFrame, one row per scored row (:meth:`columns`); needs pandas.

        Example:
            >>> fw.score_many(rows).to_pandas().groupby("position")["total"].mean()  # doctest: +SKIP
        """
        import pandas as pd  # optional: pandas is the caller's, not a dependency of ecomperf

        return pd.DataFrame(self.columns(detail=detail))

    def to_arrow(self, *, detail: bool = True) -> pa.Table:
        """The scored rows as an Arrow table (:meth:`columns`); needs pyarrow (``ecomperf[arrow]``)."""
        import pyarrow as pa  # optional extra [arrow]

        columns = self.columns(detail=detail)
        types = {"row": pa.int64(), "total": pa.float64(), "bonus": pa.float64()}
        types |= {name: pa.float64() for name in columns if name.endswith(("_score", "_subtotal"))}
        if detail:
            types |= {f"{kpi}_{part}": pa.float64() for kpi in self.details
                      for part in DETAIL_COLUMNS if part != "target"}
        types |= {name: pa.float64() for name in columns if name.startswith("total_of_")}
        return pa.table({name: pa.array(values, types.get(name, pa.string())) for name, values in columns.items()})
