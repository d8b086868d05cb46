"""Score many rows of actuals at once: one row per employee and period.

A row is a mapping of columns: ``employee``, ``position``, ``stage``, ``period``, one column per context
dimension of the framework (``category`` …) and one per metric (``gmv``, ``sales_revenue`` …). Empty
cells are missing values. :func:`score_many` scores every row, never stops at a bad one and never
drops one silently: each row ends up either in :attr:`BatchResult.rows` (and :attr:`BatchResult.cards`)
or in :attr:`BatchResult.errors` with its row number and the reason.

Row numbers count as a spreadsheet user does: the header is row 1, so the first data row is row 2.
Rows read from JSON or YAML files carry the line their object starts on instead (see :mod:`ecomperf.io.read`).

Two engines give the same numbers. With ``detail=True`` every row is scored by the scalar engine and
keeps its :class:`~ecomperf.scoring.results.ScoreCard` (:func:`ecomperf.scoring.card.score_card` against a card
resolved once per position, stage, period and context: what :func:`ecomperf.scoring.card.score` does for
one row). With ``detail=False`` rows are grouped by the card they resolve to and scored with numpy
(:mod:`ecomperf.scoring.vectorized`), one pass per KPI, without building an object per row; rows the fast path
cannot take (missing, "n/a" or malformed values, undefined formulas) are scored by the scalar engine,
so their results and error messages are exactly the scalar ones. Either way the scored rows come back
as columns (:class:`Summaries`) and, built on first use, as :class:`RowSummary` objects.

Example:
    >>> import ecomperf
    >>> fw = ecomperf.load("examples/mini-framework")  # doctest: +SKIP
    >>> result = fw.score_many([{"employee": "li", "position": "service_agent", "stage": "startup",
    ...                          "period": "2026-10", "inquiry_response_hours": 12}])  # doctest: +SKIP
    >>> result.rows[0].total, result.rows[0].grade  # doctest: +SKIP
    (120.0, 'A')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from ecomperf.batch.cells import (
    ROW_FAILURES,
    CardKey,
    Fields,
    Layout,
    metric_columns,
    metric_values,
    padded,
    read_fields,
    read_layout,
)
from ecomperf.batch.duplicates import KeepDuplicates, check_keep, drop_duplicates
from ecomperf.batch.raters import merge_rating_rows
from ecomperf.batch.results import (
    BatchResult,
    CardLayout,
    CardLayouts,
    KpiDetail,
    KpiExplanation,
    RowCards,
    RowError,
    Summaries,
)
from ecomperf.batch.rollup import roll_up, rollup_target
from ecomperf.batch.table import Table
from ecomperf.collection import paused_collection
from ecomperf.errors import ScoringError
from ecomperf.model import (
    BandsScoring,
    InterpolateScoring,
    LinearScoring,
    RangeScoring,
    ScoringMethod,
    ThresholdScoring,
)
from ecomperf.periods import Period
from ecomperf.scoring.bounds import within_range
from ecomperf.scoring.card import formula_note, removed_kpis, score_card
from ecomperf.scoring.methods import score_value
from ecomperf.scoring.missing import MissingPolicy, check_policy
from ecomperf.scoring.plan_targets import fit_targets
from ecomperf.scoring.plausibility import doubtful_percents, percent_warning, watches_percent
from ecomperf.scoring.raters import fold_rating_arrays, rating_key
from ecomperf.scoring.resolve import ResolvedCard, resolve_card
from ecomperf.scoring.results import ScoreCard
from ecomperf.scoring.sections import subtotal_arrays
from ecomperf.scoring.vectorized import BlockScores, BoolArray, FloatArray, IntArray, score_block
from ecomperf.sentences import Name

if TYPE_CHECKING:
    from ecomperf.model.index import FrameworkIndex

__all__ = ["card_details", "card_signature", "column_metric", "needed_metrics", "percent_warnings", "score_many"]

def _reason(exc: BaseException) -> str:
    """One line from an exception: the message, then its listed problems separated by ``;``."""
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    head, rest = lines[0], [line.removeprefix("- ") for line in lines[1:]]
    if not rest:
        return head
    return f"{head.rstrip(':')}: {'; '.join(rest)}"


# --- scoring --------------------------------------------------------------------------------------


def score_many(
    fw: FrameworkIndex,
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
    """Score every row of actuals; a bad row is reported with its row number and never stops the batch.

    Args:
        fw: the framework.
        rows: mappings (one per employee and period; an :class:`ActualsRow` keeps its row number) or a
            :class:`Table` from :mod:`ecomperf.io.read`.
        missing: what to do with a KPI without a value: ``"error"``, ``"renormalize"`` or ``"zero"``.
        stage: the stage of rows whose ``stage`` cell is empty.
        period: the period of rows whose ``period`` cell is empty.
        detail: also keep a :class:`~ecomperf.scoring.results.ScoreCard` per row (scalar engine); the
            default scores with numpy and returns only the summaries, with the same totals, grades and scores.
        progress: called now and then with the number of rows finished since the last call (for a
            progress bar); the calls add up to the number of rows.
        keep_duplicates: which of several rows for one employee and period to score, ``"first"`` or
            ``"last"``; by default none of them is (:mod:`ecomperf.batch.duplicates`).
        rollup: roll monthly rows up per employee before scoring: to one quarter or year (``"2026-Q4"``),
            or to every ``"quarter"`` or ``"year"`` the rows touch (:mod:`ecomperf.batch.rollup`).
        explain: also keep, without cards, what each card's KPI table shows besides the numbers: every KPI's
            notes, method, section, ratings and veto flag (:attr:`KpiDetail.explanation`) and every row's KPIs
            in card order with those left off (:attr:`BatchResult.layouts`), and each row's resolved card
            (:attr:`BatchResult.row_cards`); the values are those of the cards of ``detail=True``, which keeps
            them too, and :class:`~ecomperf.batch.cards.ExplainedCards` builds those cards from them. A row
            whose card has raters or whose veto was breached is then scored by the scalar engine (its notes
            are the card's).
        on_card: with ``detail``, hand each card to this callable, in input order, as soon as it is scored,
            instead of keeping it: :attr:`BatchResult.cards` is then empty, and a writer that streams the cards
            (``score -o out.json``) needs the memory of one card, not of the batch.

    Returns:
        The summaries (and with ``detail`` the cards) of the scored rows and the errors, each in input
        order, and warnings about the input as a whole (such as columns that are neither fields, context
        dimensions nor metrics). Rows whose every cell is empty are skipped. Every other input row is
        either scored (alone, or rolled up into a quarter whose :attr:`RowSummary.origin` names it) or
        reported in ``errors``.

    Raises:
        ScoringError: ``missing``, ``keep_duplicates`` or ``rollup`` is not a valid choice, or ``on_card`` is
            given without ``detail`` (a mistake of the caller, not of a row).
    """
    if on_card is not None and not detail:
        raise ScoringError("on_card receives the cards of detail=True: pass detail=True with it")
    missing = check_policy(missing)
    keep = check_keep(keep_duplicates)
    target = None if rollup is None else rollup_target(rollup)
    given = merge_rating_rows(fw, rows if isinstance(rows, Table) else Table.from_records(rows))
    cells = padded(given)
    layout, column_warnings = read_layout(fw, given)
    fields, superseded = drop_duplicates(given, read_fields(given, cells, layout, stage, period), keep)
    early = {
        index: _row_error(given, index, fields.employees[index], why, intended=index in superseded)
        for index, why in fields.errors.items()
    }
    table, warnings = given, [*given.warnings, *column_warnings]
    order: Sequence[int] = range(len(given.rows))
    if target is not None:
        rolled = roll_up(fw, given, cells, layout, fields, target)
        early.update(
            (index, _row_error(given, index, fields.employees[index], why)) for index, why in rolled.errors.items()
        )
        table, warnings = rolled.table, [*warnings, *rolled.warnings]
        order = [members[0] for members in rolled.members]
        cells = padded(table)
        layout, _ = read_layout(fw, table)
        fields = read_fields(table, cells, layout, None, None)
    engine = _Engine(fw, table, cells, layout, fields, missing, progress or _no_progress, explain=explain or detail,
                     card_sink=on_card)
    if detail:
        with paused_collection():  # a card per row: the collector would rescan them all and free nothing
            for index in fields.good:
                engine.scalar(index, keep_card=True)
    else:
        engine.vectorised()
    engine.report(len(given.rows) - len(fields.good))
    engine.flush()
    for index, reason in fields.errors.items():  # none after a roll-up: every rolled row has its fields
        engine.errors[index] = _row_error(table, index, fields.employees[index], reason)
    errors = {order[index]: error for index, error in engine.errors.items()} | early
    summaries = engine.summaries()
    good = np.flatnonzero(engine.scored)
    details = engine.details(summaries.scores, good)
    layouts = engine.layouts(good)
    row_cards = engine.row_cards(good)
    scored = [order[index] for index in np.flatnonzero(engine.scored).tolist()]
    return BatchResult(
        framework=fw.id,
        summaries=summaries,
        errors=[errors[index] for index in sorted(errors)],
        cards=[engine.cards[index] for index in sorted(engine.cards)],
        warnings=warnings,
        grades=tuple(grade.id for grade in fw.grades),
        source=table.source,
        encoding=table.encoding,
        display_scale=fw.rules.display_scale,
        sources=_sources(given),
        input_order=(*scored, *sorted(errors)),
        details=details,
        layouts=layouts,
        row_cards=row_cards,
    )


def _row_error(table: Table, index: int, employee: str, reason: str, *, intended: bool = False) -> RowError:
    origin = table.origins[index] if table.origins is not None else ""
    return RowError(table.numbers[index], employee, reason, origin, intended)


def _sources(table: Table) -> tuple[str, ...]:
    """The files the rows came from, in order (a row whose origin is not ``file:row`` counts as the table's)."""
    if table.origins is None:
        return () if table.source == "<rows>" else (table.source,)
    found = (_FILE_ROW.fullmatch(origin) for origin in table.origins)
    return tuple(dict.fromkeys(match[1] if match else table.source for match in found))


_FILE_ROW: Final = re.compile(r"(.+):\d+")


_PROGRESS_CHUNK: Final = 500
"""Rows finished between two calls of the progress callback."""


def _no_progress(rows: int) -> None:
    """The progress callback used when none is given."""


class _DetailColumns:
    """Per KPI, its score and what a card shows of it in every row, as arrays indexed by row; with
    ``explain``, also its notes, method, section, ratings and veto flag, and each row's card layout."""

    def __init__(self, size: int, *, explain: bool) -> None:
        self.size = size
        self.scores: dict[str, FloatArray] = {}
        self.actuals: dict[str, FloatArray] = {}
        self.achievements: dict[str, FloatArray] = {}
        self.weights: dict[str, FloatArray] = {}
        self.weighted: dict[str, FloatArray] = {}
        self.target_codes: dict[str, IntArray] = {}
        self.target_texts: dict[str, dict[str, int]] = {}
        self.explain = explain
        self.explained: dict[str, _Explained] = {}
        self.card_layouts = _Coded(size)
        self.uncapped: dict[int, float] = {}
        """Row -> its total before a ``zero_total`` veto set it to 0, where the two differ (with ``explain``)."""

    def column(self, kpi: str, of: dict[str, FloatArray] | None = None) -> FloatArray:
        """The score column of ``kpi`` (or its column in ``of``), NaN for rows it is not scored in."""
        columns = self.scores if of is None else of
        if kpi not in columns:
            columns[kpi] = np.full(self.size, math.nan)
        return columns[kpi]

    def target_column(self, kpi: str, text: str) -> tuple[IntArray, int]:
        """The target-code column of ``kpi`` (-1 for rows it is not scored in) and the code of ``text``."""
        if kpi not in self.target_codes:
            self.target_codes[kpi] = np.full(self.size, -1, dtype=np.intp)
            self.target_texts[kpi] = {}
        texts = self.target_texts[kpi]
        return self.target_codes[kpi], texts.setdefault(text, len(texts))

    def explanation(self, kpi: str, unit: str) -> _Explained:
        """The explanation columns of ``kpi``, whose metric's unit is ``unit`` (made on first use)."""
        found = self.explained.get(kpi)
        if found is None:
            found = self.explained[kpi] = _Explained(self.size, unit)
        return found

    def record_card(self, index: int, card: ScoreCard) -> None:
        """Note row ``index``'s KPI columns from its card."""
        for kpi in card.kpis:
            self.column(kpi.kpi)[index] = kpi.score
            self.column(kpi.kpi, self.actuals)[index] = math.nan if kpi.actual is None else kpi.actual
            self.column(kpi.kpi, self.achievements)[index] = math.nan if kpi.achievement is None else kpi.achievement
            self.column(kpi.kpi, self.weights)[index] = kpi.weight
            self.column(kpi.kpi, self.weighted)[index] = kpi.weighted_score
            codes, code = self.target_column(kpi.kpi, "" if kpi.target is None else str(kpi.target))
            codes[index] = code
            if self.explain:
                found = self.explanation(kpi.kpi, kpi.unit)
                found.notes.put(index, tuple(kpi.notes))
                found.methods.put(index, kpi.method)
                found.sections.put(index, kpi.section)
                found.ratings.put(index, tuple(kpi.ratings))
                found.veto[index] = kpi.veto_breached
                found.computed[index] = kpi.computed
        if self.explain:
            self.card_layouts.put(index, CardLayout(tuple(kpi.kpi for kpi in card.kpis), tuple(card.dropped)))
            if card.uncapped_total is not None and card.uncapped_total != card.total:
                self.uncapped[index] = card.uncapped_total

    def layouts(self, order: IntArray) -> CardLayouts | None:
        """The :class:`CardLayout` of the rows of ``order``, when explaining."""
        if not self.explain:
            return None
        layouts = list(self.card_layouts.values)
        used, codes = np.unique(self.card_layouts.codes[order], return_inverse=True)  # only the layouts of those rows
        return CardLayouts(codes.astype(np.intp).reshape(-1), tuple(layouts[code] for code in used.tolist()))

    def details(self, kpis: Iterable[str], order: IntArray) -> dict[str, KpiDetail]:
        """The detail columns of ``kpis`` at the rows of ``order``."""
        found: dict[str, KpiDetail] = {}
        for kpi in kpis:
            if kpi not in self.target_codes:  # scored, but by neither engine with detail: none to give
                continue
            found[kpi] = KpiDetail(
                actual=self.actuals[kpi][order], target_codes=self.target_codes[kpi][order],
                target_texts=tuple(self.target_texts[kpi]), achievement=self.achievements[kpi][order],
                score=self.scores[kpi][order], weight=self.weights[kpi][order], weighted=self.weighted[kpi][order],
                explanation=self.explained[kpi].at(order) if kpi in self.explained else None,
            )
        return found


def card_details(cards: Sequence[ScoreCard], kpis: Iterable[str]) -> tuple[dict[str, KpiDetail], CardLayouts]:
    """The detail columns of ``kpis`` (:attr:`BatchResult.details`, explained) and the layouts
    (:attr:`BatchResult.layouts`) of scored cards, one row per card: what ``score_many`` gives when it
    scores, for cards scored elsewhere (recorded in a history database)."""
    columns = _DetailColumns(len(cards), explain=True)
    for index, card in enumerate(cards):
        columns.record_card(index, card)
    order = np.arange(len(cards))
    layouts = columns.layouts(order)
    assert layouts is not None
    return columns.details(kpis, order), layouts


class _Engine(_DetailColumns):
    """Scores rows into columns indexed by row: totals, grades, KPI scores, veto breaches, cards, errors."""

    def __init__(
        self, fw: FrameworkIndex, table: Table, cells: Sequence[Sequence[Any]], layout: Layout, fields: Fields,
        missing: MissingPolicy, progress: Callable[[int], None], *, explain: bool = False,
        card_sink: Callable[[ScoreCard], None] | None = None,
    ) -> None:
        size = len(table.rows)
        super().__init__(size, explain=explain)
        self.fw = fw
        self.table = table
        self.cells = cells
        self.layout = layout
        self.fields = fields
        self.missing: MissingPolicy = missing
        self.progress = progress
        self._pending = 0
        self.scored = np.zeros(size, dtype=np.bool_)
        self.total = np.full(size, math.nan)
        self.grade = np.zeros(size, dtype=np.intp)
        self.subtotals: dict[str, FloatArray] = {}
        self.veto: dict[int, tuple[str, ...]] = {}
        self.cards: dict[int, ScoreCard] = {}
        self.card_sink = card_sink
        """Where a kept card goes instead of :attr:`cards`, when set (``score_many(on_card=...)``)."""
        self.errors: dict[int, RowError] = {}
        self.warnings: dict[int, tuple[str, ...]] = {}
        self._grade_index = {grade.id: index for index, grade in enumerate(fw.grades)}
        self._resolved: dict[CardKey, ResolvedCard | str] = {}

    def report(self, rows: int) -> None:
        """Count finished rows, passing them to the progress callback in chunks."""
        self._pending += rows
        if self._pending >= _PROGRESS_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Pass every finished row not yet reported to the progress callback."""
        if self._pending:
            self.progress(self._pending)
            self._pending = 0

    def resolve(self, key: CardKey) -> ResolvedCard | str:
        """The card of ``key``, or the reason it cannot be resolved (cached)."""
        if key not in self._resolved:
            position, stage, period, values = key
            context = {d: v for d, v in zip(self.layout.contexts, values, strict=True) if v}
            try:
                card = resolve_card(self.fw, position, stage=stage, period=period, context=context)
                self._resolved[key] = fit_targets(self.fw, card)  # a row holds one period's values
            except ROW_FAILURES as exc:
                self._resolved[key] = _reason(exc)
        return self._resolved[key]

    def scalar(self, index: int, *, keep_card: bool, counted: bool = True) -> None:
        """Score one row with the scalar engine (:func:`ecomperf.scoring.card.score_card`); ``counted=False``
        rescores a row already reported to the progress callback."""
        if counted:
            self.report(1)
        employee = self.fields.employees[index]
        resolved = self.resolve(self.fields.keys[index])
        if isinstance(resolved, str):
            self.errors[index] = _row_error(self.table, index, employee, resolved)
            return
        try:
            card = score_card(self.fw, resolved, metric_values(self.cells, index, self.layout),
                              missing=self.missing, employee=employee)
        except ROW_FAILURES as exc:
            self.errors[index] = _row_error(self.table, index, employee, _reason(exc))
            return
        if keep_card and self.card_sink is not None:
            self.card_sink(card)
        elif keep_card:
            self.cards[index] = card
        if card.warnings:
            self.warnings[index] = tuple(card.warnings)
        self.scored[index] = True
        self.total[index] = card.total
        self.grade[index] = self._grade_index[card.grade]
        self.record_card(index, card)
        for section in card.sections:
            self.column(section.section, self.subtotals)[index] = section.subtotal
        if card.veto_breaches:
            self.veto[index] = tuple(card.veto_breaches)

    def _explain_block(
        self, card: ResolvedCard, rows: IntArray, given: Mapping[str, FloatArray], scored: BlockScores
    ) -> None:
        """Note the explanation columns of a block's scored rows (``rows``, in the table): the notes of the
        scalar engine (:func:`ecomperf.scoring.card.score_card`) for flat actuals without raters and breaches:
        the entry's own note, the formula note where the actual was computed, and the method's note, which
        :func:`ecomperf.scoring.methods.score_value` gives for the few rows whose score can carry one."""
        detail = scored.detail
        assert detail is not None
        for position, entry in enumerate(card.entries):
            found = self.explanation(entry.kpi, entry.metric.unit)
            found.methods.put(rows, entry.method.method)
            found.sections.put(rows, entry.section)
            found.ratings.put(rows, ())
            found.veto[rows] = False
            own: tuple[str, ...] = (entry.note,) if entry.note else ()
            computed: BoolArray = np.zeros(len(rows), dtype=np.bool_)
            formula: tuple[str, ...] = ()
            if entry.metric.formula is not None:
                formula = (formula_note(self.fw, entry.kpi),)
                values = given.get(entry.kpi)
                computed = np.ones(len(rows), dtype=np.bool_) if values is None else np.isnan(values[scored.rows])
            notes = found.notes
            codes = np.where(computed, notes.code((*own, *formula)), notes.code(own))
            assert entry.target is not None
            actuals = detail.actuals[position]
            noted = _may_note(entry.method, scored.scores[position], entry.target.reference)
            for place in np.flatnonzero(noted).tolist():
                note = score_value(entry.method, float(actuals[place]), entry.target, entry.metric.direction).note
                if note is not None:
                    codes[place] = notes.code((*own, *(formula if computed[place] else ()), note))
            notes.codes[rows] = codes
            found.computed[rows] = computed
        self.card_layouts.put(rows, self._card_layout(card))

    def _card_layout(self, card: ResolvedCard) -> CardLayout:
        return CardLayout(tuple(entry.kpi for entry in card.entries), tuple(removed_kpis(self.fw, card)))

    def vectorised(self) -> None:
        """Score the rows in blocks that share a card; rows the arrays cannot take go to :meth:`scalar`."""
        values, usable = metric_columns(self.table, self.cells, self.layout)
        for name, column in values.items():  # impossible values are refused by the scalar engine
            usable &= within_range(self.fw.metrics[column_metric(name)], column)
        by_key: dict[CardKey, list[int]] = {}
        keys = self.fields.keys
        for index in self.fields.good:
            key = keys[index]
            if key in by_key:
                by_key[key].append(index)
            else:
                by_key[key] = [index]
        blocks: dict[str, tuple[ResolvedCard, list[int]]] = {}
        for key, members in by_key.items():
            resolved = self.resolve(key)
            if isinstance(resolved, str):
                for index in members:
                    self.scalar(index, keep_card=False)
                continue
            if self.explain and any(entry.metric.raters is not None for entry in resolved.entries):
                for index in members:  # the ratings and their notes come from the card
                    self.scalar(index, keep_card=False)
                continue
            if resolved.warnings:
                self.warnings.update(dict.fromkeys(members, resolved.warnings))
            signature = card_signature(resolved)
            if self.explain:
                # the notes of its entries (a target kept over the period …) and the KPIs an event removed
                # are on the card too
                signature += repr(([entry.note for entry in resolved.entries], resolved.removed))
            if signature in blocks:
                blocks[signature][1].extend(members)
            else:
                blocks[signature] = (resolved, list(members))
        for card, members in blocks.values():
            rows = np.array(members, dtype=np.intp)
            needed = needed_metrics(self.fw, [entry.kpi for entry in card.entries])
            given = {name: column[rows] for name, column in values.items() if column_metric(name) in needed}
            given, rated = fold_rating_arrays(self.fw, card, given)
            scored = score_block(self.fw, card, given, usable[rows], rated, detail=True)
            done = np.zeros(len(members), dtype=np.bool_)
            if scored is not None:
                done[scored.rows] = True
                self._record(rows[scored.rows], scored)
                for section, subtotal in subtotal_arrays(card, scored.scores):
                    self.column(section, self.subtotals)[rows[scored.rows]] = subtotal
                self._doubtful_percents(card, given, rows, scored.rows)
                if self.explain:
                    self._explain_block(card, rows[scored.rows], given, scored)
                    for place, breached in zip(scored.rows.tolist(), scored.breached, strict=True):
                        if breached:  # the veto's effect is noted on the card: scored again as a card
                            self.scalar(members[place], keep_card=False, counted=False)
            for position in np.flatnonzero(~done).tolist():
                self.scalar(members[position], keep_card=False)

    def _record(self, rows: IntArray, scored: BlockScores) -> None:
        self.report(len(rows))
        self.scored[rows] = True
        self.total[rows] = scored.total
        self.grade[rows] = scored.grade
        for kpi, points in zip(scored.kpis, scored.scores, strict=True):
            self.column(kpi)[rows] = points
        found = scored.detail
        if found is not None:
            for position, kpi in enumerate(scored.kpis):
                self.column(kpi, self.actuals)[rows] = found.actuals[position]
                self.column(kpi, self.achievements)[rows] = found.achievements[position]
                self.column(kpi, self.weights)[rows] = found.weights[position]
                self.column(kpi, self.weighted)[rows] = found.weighted[position]
                codes, code = self.target_column(kpi, found.targets[position])
                codes[rows] = code
        for row, breached in zip(rows.tolist(), scored.breached, strict=True):
            if breached:
                self.veto[row] = breached

    def _doubtful_percents(
        self, card: ResolvedCard, given: Mapping[str, FloatArray], rows: IntArray, scored: IntArray
    ) -> None:
        """The warnings of the scalar engine about percent actuals written as whole numbers, for the
        scored rows of one block (``given`` holds the block's values, NaN where a row gives none)."""
        for position, found in percent_warnings(card, given, scored).items():
            row = int(rows[scored[position]])
            self.warnings[row] = (*self.warnings.get(row, ()), *found)

    def row_cards(self, order: IntArray) -> RowCards | None:
        """The resolved card of each row of ``order``, with what else rebuilds its card, when explaining."""
        if not self.explain:
            return None
        keys = self.fields.keys
        codes: dict[CardKey, int] = {}
        cards: list[ResolvedCard] = []
        picked = np.empty(len(order), dtype=np.intp)
        for place, row in enumerate(order.tolist()):
            key = keys[row]
            code = codes.get(key)
            if code is None:
                resolved = self._resolved[key]
                assert isinstance(resolved, ResolvedCard)  # the row was scored
                code = codes[key] = len(cards)
                cards.append(resolved)
            picked[place] = code
        places = {int(row): place for place, row in enumerate(order.tolist()) if row in self.uncapped}
        uncapped = {place: self.uncapped[row] for row, place in places.items()}
        return RowCards(self.fw, picked, tuple(cards), uncapped, self.missing)

    def _card_place(self, row: int, kpi: str) -> int:
        """Where ``kpi`` stands on the card of ``row``: KPIs first scored in one row keep its card's order,
        whichever engine scored the rows before it."""
        resolved = self._resolved.get(self.fields.keys[row])
        if not isinstance(resolved, ResolvedCard):
            return 0
        kpis = [entry.kpi for entry in resolved.entries]
        return kpis.index(kpi) if kpi in kpis else len(kpis)

    def summaries(self) -> Summaries:
        """The scored rows as columns, in input order."""
        order = np.flatnonzero(self.scored)
        picked = order.tolist()
        keys = self.fields.keys
        numbers = self.table.numbers
        employees = self.fields.employees
        grade_ids = [grade.id for grade in self.fw.grades]
        bonuses = [grade.bonus for grade in self.fw.grades]
        grades = self.grade[order].tolist()
        scores = _listed(self.scores, order, self._card_place)
        contexts: dict[tuple[str, ...], Mapping[str, str]] = {}
        periods: dict[str, str] = {}
        for index in picked:
            _, _, period, values = keys[index]
            if values not in contexts:
                contexts[values] = MappingProxyType(
                    {d: v for d, v in zip(self.layout.contexts, values, strict=True) if v}
                )
            if period not in periods:
                periods[period] = str(Period.parse(period))
        return Summaries(
            rows=[numbers[index] for index in picked],
            employees=[employees[index] for index in picked],
            positions=[keys[index][0] for index in picked],
            stages=[keys[index][1] for index in picked],
            periods=[periods[keys[index][2]] for index in picked],
            totals=self.total[order].tolist(),
            grades=[grade_ids[grade] for grade in grades],
            bonuses=[bonuses[grade] for grade in grades],
            scores=scores,
            veto=[self.veto.get(index, ()) for index in picked],
            contexts=[contexts[keys[index][3]] for index in picked],
            subtotals=_listed(self.subtotals, order),
            warnings=[self.warnings.get(index, ()) for index in picked],
            origins=None if self.table.origins is None else [self.table.origins[index] for index in picked],
        )


class _Coded:
    """A column of codes, one per row (-1 where nothing is noted), into the distinct values seen, in order."""

    def __init__(self, size: int) -> None:
        self.codes: IntArray = np.full(size, -1, dtype=np.intp)
        self.values: dict[Any, int] = {}

    def code(self, value: Any) -> int:
        """The code of ``value`` (a new one the first time it is seen)."""
        return self.values.setdefault(value, len(self.values))

    def put(self, rows: int | IntArray, value: Any) -> None:
        """Give ``rows`` (one index, or an array of them) the code of ``value``."""
        self.codes[rows] = self.code(value)


class _Explained:
    """The explanation columns of one KPI while rows are scored (:class:`KpiExplanation` once done)."""

    def __init__(self, size: int, unit: str) -> None:
        self.unit = unit
        self.notes = _Coded(size)
        self.methods = _Coded(size)
        self.sections = _Coded(size)
        self.ratings = _Coded(size)
        self.veto: BoolArray = np.zeros(size, dtype=np.bool_)
        self.computed: BoolArray = np.zeros(size, dtype=np.bool_)

    def at(self, order: IntArray) -> KpiExplanation:
        """The columns at the rows of ``order``."""
        return KpiExplanation(
            note_codes=self.notes.codes[order], notes=tuple(self.notes.values),
            method_codes=self.methods.codes[order], methods=tuple(self.methods.values),
            section_codes=self.sections.codes[order], sections=tuple(self.sections.values),
            rating_codes=self.ratings.codes[order], ratings=tuple(self.ratings.values),
            veto_breached=self.veto[order], computed=self.computed[order], unit=self.unit,
        )


def _may_note(method: ScoringMethod, scores: FloatArray, reference: float) -> BoolArray:
    """The rows whose score the method may explain with a note (:func:`ecomperf.scoring.methods.score_value`
    decides): a clamped linear score or a target not above 0, any band, an interpolation at 0 or the cap, a
    range's floor, a veto's 0. More rows than need one may be named, never fewer."""
    every: BoolArray = np.ones(len(scores), dtype=np.bool_)
    match method:
        case ThresholdScoring():
            return ~every
        case LinearScoring():
            noted: BoolArray = every if reference <= 0 else (scores == method.cap) | (scores == method.floor)
        case InterpolateScoring():
            noted = (scores == 0.0) | (scores == method.cap)
        case RangeScoring():
            noted = scores == method.floor
        case BandsScoring():
            noted = every
        case _:
            noted = scores == 0.0  # a veto's breach
    return noted


def _listed(
    columns: Mapping[str, FloatArray], order: IntArray, place: Callable[[int, str], int] | None = None,
) -> dict[str, list[float | None]]:
    """The columns at the rows of ``order`` as lists (``None`` for NaN), in order of first appearance
    (columns first filled in one row in the order ``place(row, name)`` gives, else as they were made);
    columns empty in every such row are left out."""
    firsts: dict[str, int] = {}
    found: dict[str, list[float | None]] = {}
    for name, column in columns.items():
        picked = column[order]
        present = ~np.isnan(picked)
        if not present.any():
            continue
        firsts[name] = int(np.argmax(present))
        listed: list[float | None] = picked.tolist()
        if not present.all():
            listed = [value if keep else None for value, keep in zip(listed, present.tolist(), strict=True)]
        found[name] = listed
    if place is None:
        return {name: found[name] for name in sorted(found, key=lambda name: firsts[name])}  # stable: ties keep order
    rows = order.tolist()
    ranked = sorted(found, key=lambda name: (firsts[name], place(rows[firsts[name]], name)))
    return {name: found[name] for name in ranked}


def percent_warnings(
    card: ResolvedCard, given: Mapping[str, FloatArray], scored: IntArray
) -> dict[int, list[str]]:
    """Per position in ``scored`` (rows of one block), the scalar engine's warnings about percent actuals
    written as whole numbers (:mod:`ecomperf.scoring.plausibility`), in the order of the card's KPIs;
    ``given`` holds the block's values, NaN where a row gives none. Both fast paths ask this."""
    found: dict[int, list[str]] = {}
    for entry in card.entries:
        if entry.kpi not in given or not watches_percent(entry.metric.unit, entry.target):
            continue
        values = given[entry.kpi][scored]
        for position in np.flatnonzero(doubtful_percents(values)).tolist():
            warning = percent_warning(Name.of(entry.kpi, entry.metric.name), float(values[position]))
            found.setdefault(position, []).append(warning)
    return found


def card_signature(card: ResolvedCard) -> str:
    """Everything that decides a row's scores: cards with equal signatures score rows identically."""
    return repr([(card.position.id, card.stage)]
                + [(e.kpi, e.weight, e.target, e.method, e.metric.direction, e.section) for e in card.entries])


def column_metric(name: str) -> str:
    """The metric a column holds: its name, or the metric of a rating column (``quality@self``)."""
    key = rating_key(name)
    return name if key is None else key.metric


def needed_metrics(fw: FrameworkIndex, kpis: Iterable[str]) -> set[str]:
    """The KPIs and every metric their formulas read, directly or through other formulas."""
    needed: set[str] = set()
    stack = list(kpis)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        metric = fw.metrics.get(name)
        if metric is not None:
            stack.extend(metric.inputs)
    return needed


