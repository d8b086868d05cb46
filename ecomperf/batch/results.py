"""The output of batch scoring: row summaries (as columns and objects), cards, and the rows that failed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ecomperf.scoring.results import ScoreCard

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ecomperf.model import DisplayScale

__all__ = ["BatchResult", "RowError", "RowSummary", "Summaries"]

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

    def columns(self) -> dict[str, list[Any]]:
        """The scored rows as columns: ``row``, ``employee``, ``position``, ``stage``, ``period``, one per
        context dimension used, ``total``, ``grade``, ``bonus``, ``veto`` (comma separated), ``<kpi>_score``.

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
        return columns

    def to_pandas(self) -> pd.DataFrame:
        """The scored rows as a pandas DataFrame, one row per scored row (:meth:`columns`); needs pandas.

        Example:
            >>> fw.score_many(rows).to_pandas().groupby("position")["total"].mean()  # doctest: +SKIP
        """
        import pandas as pd  # optional: pandas is the caller's, not a dependency of ecomperf

        return pd.DataFrame(self.columns())

    def to_arrow(self) -> pa.Table:
        """The scored rows as an Arrow table (:meth:`columns`); needs pyarrow (``ecomperf[arrow]``)."""
        import pyarrow as pa  # optional extra [arrow]

        columns = self.columns()
        types = {"row": pa.int64(), "total": pa.float64(), "bonus": pa.float64()}
        types |= {name: pa.float64() for name in columns if name.endswith(("_score", "_subtotal"))}
        types |= {name: pa.float64() for name in columns if name.startswith("total_of_")}
        return pa.table({name: pa.array(values, types.get(name, pa.string())) for name, values in columns.items()})
