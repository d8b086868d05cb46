"""Excel workbooks of results: Summary, Detail, Errors and Warnings sheets, streamed with xlsxwriter.

The workbook is written row after row in xlsxwriter's ``constant_memory`` mode: each row goes to disk
when the next one starts, so no sheet is ever held whole in memory, whatever the number of rows. The
layout comes from :mod:`ecomperf.spreadsheet_layout`: number formats by metric unit (the value in the cell
stays exact), column widths by content, a frozen and filterable header that repeats on every printed
page, A4 landscape fitted to one page wide.

Text from the input (employee names, context values) is always written as text: formula-like text gets
Excel's quote prefix (:mod:`ecomperf.spreadsheet_text`), and text shaped like xlsxwriter's rich-string
markup is written through its rich-string call, so that it stays characters and never becomes XML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, cast

from ecomperf.batch.results import BatchResult, CardLayouts, KpiDetail
from ecomperf.collection import paused_collection
from ecomperf.errors import ActualsIOError
from ecomperf.io.atomic import atomic_write, ensure_folder, scratch_folder
from ecomperf.model import localize
from ecomperf.model.index import FrameworkIndex
from ecomperf.render.labels import labels_for
from ecomperf.render.messages import translate
from ecomperf.render.sentences import dropped_reason, sentences_text
from ecomperf.scoring.raters import Rating
from ecomperf.spreadsheet_layout import (
    ACHIEVEMENT,
    DECIMALS,
    FOOTER,
    LINE_HEIGHT,
    MARGINS,
    PAPER_A4,
    NumberFormat,
    column_width,
    display_width,
    unit_format,
    wrapped_lines,
)
from ecomperf.spreadsheet_text import FORMULA_STARTS, looks_like_formula

__all__ = ["grade_fills", "write_table", "write_xlsx", "xlsx_rows"]

# Grade fills from the best grade (green) to the worst (red); Excel's own "good/neutral/bad" tints.
_GRADE_FILLS: Final = ("C6EFCE", "E2EFDA", "FFEB9C", "FCE4D6", "FFC7CE")
_HEADER_FILL: Final = "D9E1F2"
_MAX_WIDTH: Final = 60
_NOTES_WIDTH: Final = 50
_WIDTH_SAMPLE: Final = 2000
"""Rows of each table whose cells fit the column widths (the header always counts)."""
_SHEET_ROWS: Final = 1_048_575
"""Data rows per sheet: Excel's limit of 1,048,576 rows less the header."""
_POINTS_PER_CELL: Final = 6
"""Height in points one character cell of an upright heading takes."""
_PROGRESS_CHUNK: Final = 1000
"""Rows written between two calls of the progress callback."""


def grade_fills(grades: Sequence[str]) -> dict[str, str]:
    """An RGB fill per grade, spread from green (best) to red (worst).

    Example:
        >>> grade_fills(["A", "B", "C"])
        {'A': 'C6EFCE', 'B': 'FFEB9C', 'C': 'FFC7CE'}
    """
    if len(grades) == 1:
        return {grades[0]: _GRADE_FILLS[0]}
    last = len(_GRADE_FILLS) - 1
    return {
        grade: _GRADE_FILLS[round(index * last / (len(grades) - 1))] for index, grade in enumerate(grades)
    }


def xlsx_rows(result: BatchResult) -> int:
    """The data rows :func:`write_xlsx` writes over all its sheets: what its progress calls add up to.

    One per scored row on Summary, one per KPI (and dropped KPI) of every card on Detail, one per error
    and one per warning.
    """
    explained = _explained(result)
    detail = explained[1].kpi_rows() if explained is not None else 0
    return len(result.summaries) + detail + len(result.errors) + len(result.warnings)


def _explained(result: BatchResult) -> tuple[Mapping[str, KpiDetail], CardLayouts] | None:
    """What the Detail sheet is written from: the result's explained detail columns
    (``score_many(explain=True)`` or ``detail=True``), else those of its cards (cards recorded in a history
    database); ``None`` when the result has neither, or no scored row (no Detail sheet)."""
    if not len(result.summaries):
        return None
    if result.layouts is not None:
        return result.details, result.layouts
    if not result.cards:
        return None
    from ecomperf.batch.engine import card_details  # start-up cost: numpy loads only with a result of cards

    return card_details(result.cards, result.kpi_ids)


def write_xlsx(
    path: str | Path, result: BatchResult, *, locale: str = "en", index: FrameworkIndex | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """A workbook with a *Summary* sheet (grade cells coloured), a *Detail* sheet with one row per KPI
    score (when the result has cards), an *Errors* sheet and, when there are any, a *Warnings* sheet.

    Every sheet has a bold header row, frozen, filterable and repeated on each printed page; number formats
    by column (and, for actuals, by the metric's unit); column widths fitted to the header and the first
    rows. A table longer than Excel's row limit continues on ``Detail (2)`` and so on.

    Args:
        path: the ``.xlsx`` file to write (atomically: a failure leaves no partial file).
        result: what :func:`~ecomperf.batch.engine.score_many` returned.
        locale: the language of the workbook, and of the engine's sentences in it (notes, the reasons KPIs
            are left off a total: :mod:`ecomperf.render.sentences`). In ``en`` the sheets are *Summary*,
            *Detail*, *Errors* and *Warnings* and the headings are the column ids the CSV uses
            (``weighted_score``); in any other locale the sheet names, headings and fixed words (methods,
            "yes") come from the labels of :mod:`ecomperf.render.labels`, so that a Chinese workbook carries
            no English word of ecomperf's.
        index: the framework that scored ``result``: with it, a non-English workbook names positions,
            stages, KPIs and sections instead of showing their ids.
        progress: called now and then with the number of rows written since the last call; the calls add
            up to :func:`xlsx_rows`.

    Raises:
        ActualsIOError: xlsxwriter is not installed, or the file cannot be written.
    """
    report = progress or _no_progress
    words = _Words(locale, index)

    def write(book: _Book) -> None:
        _summary(book, result, words)
        explained = _explained(result)
        if explained is not None:
            _detail(book, result, *explained, words)
        errors = book.table(words.sheet("Errors"), [words.heading(h) for h in ("row", "employee", "reason")],
                            [book.style(), book.style(), book.style()])
        for error in result.errors:
            errors.add([error.origin or error.row, error.employee, error.reason])
        errors.close()
        if result.warnings:
            warnings = book.table(words.sheet("Warnings"), [words.heading("warning")], [book.style()],
                                  freeze_columns=0)
            for warning in result.warnings:
                warnings.add([warning])
            warnings.close()

    _stream(path, write, report)


def write_table(
    path: str | Path,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    numbers: Mapping[int, NumberFormat] | None = None,
    grade_column: int | None = None,
    grades: Sequence[str] = (),
) -> None:
    """A workbook of one table, laid out as the score workbook's sheets are (see :func:`write_xlsx`).

    Args:
        path: the ``.xlsx`` file to write, atomically.
        title: the sheet's name.
        header: the column names.
        rows: the rows, each as long as the header at most; ``None`` leaves a cell empty.
        numbers: number formats by column index; other numbers show as Excel's *General* does.
        grade_column: the column holding grades, filled with :func:`grade_fills` of ``grades``.
        grades: the framework's grades, best first.

    Raises:
        ActualsIOError: xlsxwriter is not installed, or the file cannot be written.
    """

    def write(book: _Book) -> None:
        base = [book.style((numbers or {}).get(column)) for column in range(len(header))]
        by_grade = {} if grade_column is None else {
            grade: [*base[:grade_column], book.style(fill=rgb), *base[grade_column + 1:]]
            for grade, rgb in grade_fills(grades).items()
        } if grades else {}
        table = book.table(title, header, base, freeze_columns=0)
        for row in rows:
            table.add(row, by_grade.get(row[grade_column]) if grade_column is not None and by_grade else None)
        table.close()

    _stream(path, write, _no_progress)


def _stream(path: str | Path, write: Callable[[_Book], None], progress: Callable[[int], None]) -> None:
    """Write a workbook atomically with xlsxwriter in ``constant_memory`` mode: ``write`` adds its sheets."""
    try:
        import xlsxwriter  # optional extra [xlsx]
    except ImportError:  # pragma: no cover - xlsxwriter is an optional extra
        raise ActualsIOError(f"{path}: writing .xlsx needs xlsxwriter: pip install 'ecomperf[xlsx]'") from None
    ensure_folder(Path(path))

    def save(temporary: Path) -> None:
        workbook = xlsxwriter.Workbook(str(temporary), {
            "constant_memory": True,  # each row is flushed when the next starts: memory stays flat
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "tmpdir": str(scratch_folder(temporary)),  # its row files beside the output, removed with it
        })
        with paused_collection():  # the result's cards are not rescanned while the rows stream out
            write(_Book(workbook, progress))
            workbook.close()

    atomic_write(path, save)


def _no_progress(rows: int) -> None:
    """The progress callback used when none is given."""


# --- the sheets -----------------------------------------------------------------------------------


def _summary(book: _Book, result: BatchResult, words: _Words) -> None:
    """One row per scored row: the total, grade (filled), bonus, veto, subtotals and each KPI's score."""
    s = result.summaries
    kpis = result.kpi_ids
    extra = result.subtotal_columns()
    decimals = result.display_scale.decimals if result.display_scale is not None else 2
    shown = NumberFormat("0." + "0" * decimals if decimals else "0", f".{decimals}f")
    header = [*map(words.heading, _SUMMARY_LEAD),
              *(words.column(name) for name, _ in extra), *(words.column(f"{kpi}_score") for kpi in kpis)]
    plain, number = book.style(), book.style(DECIMALS)
    base = [plain, plain, plain, plain, plain, number, plain, number, plain,
            *(book.style(shown if name.startswith("total_of_") else DECIMALS) for name, _ in extra),
            *(number for _ in kpis)]
    by_grade = {grade: [*base[:6], book.style(fill=rgb), *base[7:]]
                for grade, rgb in grade_fills(result.grades).items()} if result.grades else {}
    table = book.table(words.sheet("Summary"), header, base, upright=len(_SUMMARY_LEAD))  # the scores read upwards
    rows = [origin or row for origin, row in zip(s.origins, s.rows, strict=True)] if s.origins else s.rows
    columns = [column for _, column in extra] + [s.scores[kpi] for kpi in kpis]
    for index, (row, employee, position, stage, period, total, grade, bonus, veto) in enumerate(
        zip(rows, s.employees, s.positions, s.stages, s.periods, s.totals, s.grades, s.bonuses, s.veto, strict=True)
    ):
        table.add(
            [row, employee, words.position(position), words.stage(stage), period, total, grade, bonus,
             words.kpis(veto), *(column[index] for column in columns)],
            by_grade.get(grade, base),
        )
    table.close()


_DETAIL_HEADER: Final = [
    "row", "employee", "position", "stage", "period", "kpi", "actual", "target", "achievement", "score",
    "weight", "weighted_score", "method", "veto_breached", "notes", "section", "ratings",
]
_ACTUAL: Final = _DETAIL_HEADER.index("actual")
_WEIGHT: Final = _DETAIL_HEADER.index("weight")
_NOTES: Final = _DETAIL_HEADER.index("notes")


def _detail(book: _Book, result: BatchResult, details: Mapping[str, KpiDetail], layouts: CardLayouts,
            words: _Words) -> None:
    """One row per KPI of every scored row's card (and per KPI left off its total), in card order, written
    from the detail columns (:class:`~ecomperf.batch.results.KpiDetail`): no card is needed."""
    plain, number = book.style(), book.style(DECIMALS)
    base = [plain] * len(_DETAIL_HEADER)
    base[_DETAIL_HEADER.index("achievement")] = book.style(ACHIEVEMENT)
    base[_DETAIL_HEADER.index("score")] = number
    base[_DETAIL_HEADER.index("weighted_score")] = number
    base[_NOTES] = book.style(wrap=True)
    styles: dict[tuple[NumberFormat, NumberFormat | None], list[_Style]] = {}

    def styled(actual: NumberFormat, weight: NumberFormat | None) -> list[_Style]:
        key = (actual, weight)
        if key not in styles:
            chosen = list(base)
            chosen[_ACTUAL] = book.style(actual)
            chosen[_WEIGHT] = book.style(weight)
            styles[key] = chosen
        return styles[key]

    table = book.table(words.sheet("Detail"), [words.heading(h) for h in _DETAIL_HEADER], base,
                       widest={_NOTES: _NOTES_WIDTH})
    s = result.summaries
    rows = [origin or row for origin, row in zip(s.origins, s.rows, strict=True)] if s.origins else s.rows
    positions, stages = _words_of(s.positions, words.position), _words_of(s.stages, words.stage)
    columns = {kpi: _KpiCells(kpi, detail, words, styled) for kpi, detail in details.items()}
    locale = words.locale
    dropped_rows: dict[int, list[list[Any]]] = {}  # per layout, the rows of its KPIs left off (lead cells blank)
    listed = [[columns[kpi] for kpi in layout.kpis] for layout in layouts.layouts]
    for index, (code, row, employee, period) in enumerate(
        zip(layouts.codes.tolist(), rows, s.employees, s.periods, strict=True)
    ):
        lead = [row, employee, positions[index], stages[index], period]
        for cells in listed[code]:
            values, chosen = cells.row(index)
            table.add([*lead, *values], chosen)
        layout = layouts.layouts[code]
        if layout.dropped:
            if code not in dropped_rows:
                dropped_rows[code] = [
                    [words.kpi(dropped.kpi), None, None, None, None, dropped.weight, None, None, None,
                     translate(locale, "not on the total: {reason}", reason=dropped_reason(dropped, locale))]
                    for dropped in layout.dropped
                ]
            for dropped, cells in zip(layout.dropped, dropped_rows[code], strict=True):
                table.add([*lead, *cells], styled(DECIMALS, _weight_format(dropped.weight)))
    table.close()


def _words_of(ids: Sequence[str], word: Callable[[str], str]) -> list[str]:
    """Each id by its word (a position's name …), each distinct id named once."""
    named = {found: word(found) for found in dict.fromkeys(ids)}
    return [named[found] for found in ids]


class _KpiCells:
    """The Detail cells of one KPI from its detail columns: values as Python lists, the dictionary-encoded
    texts (method, notes, section, ratings) written once per distinct value, in the workbook's words."""

    def __init__(self, kpi: str, detail: KpiDetail, words: _Words,
                 styled: Callable[[NumberFormat, NumberFormat | None], list[_Style]]) -> None:
        explained = detail.explanation
        assert explained is not None, "the Detail sheet needs the explained detail columns (score_many(explain=True))"
        self.name = words.kpi(kpi)
        self.actual = _nullable(detail.actual)
        self.target: list[str | None] = [text or None for text in [*detail.target_texts, None]]
        self.target_codes = detail.target_codes.tolist()
        self.achievement = _nullable(detail.achievement)
        self.score = detail.score.tolist()
        self.weight = detail.weight.tolist()
        self.weighted = detail.weighted.tolist()
        self.methods = [words.method(method) for method in explained.methods]
        self.method_codes = explained.method_codes.tolist()
        self.veto = explained.veto_breached.tolist()
        self.yes = words.yes
        self.notes = explained.notes
        self.note_texts: dict[int, str | None] = {}
        self.note_codes = explained.note_codes.tolist()
        self.sections = [words.section(section) for section in explained.sections]
        self.section_codes = explained.section_codes.tolist()
        self.ratings = [_ratings(ratings) for ratings in explained.ratings]
        self.rating_codes = explained.rating_codes.tolist()
        self.words = words
        self.unit = explained.unit
        self.styled = styled
        self.styles: dict[tuple[bool, bool], list[_Style]] = {}  # by (a whole count?, a whole weight?)

    def row(self, index: int) -> tuple[list[Any], list[_Style]]:
        """The cells from ``kpi`` on of the KPI's row of scored row ``index``, and their styles."""
        code = self.note_codes[index]
        notes = self.note_texts.get(code, _UNSEEN)
        if notes is _UNSEEN:
            words = self.words
            found = self.notes[code]
            notes = self.note_texts[code] = words.clauses.join(sentences_text(found, words.locale)) if found else None
        actual, weight = self.actual[index], self.weight[index]
        key = (self.unit == "count" and actual is not None and float(actual).is_integer(), float(weight).is_integer())
        styles = self.styles.get(key)
        if styles is None:
            styles = self.styles[key] = self.styled(unit_format(self.unit, actual), _weight_format(weight))
        return [
            self.name, actual, self.target[self.target_codes[index]], self.achievement[index], self.score[index],
            weight, self.weighted[index], self.methods[self.method_codes[index]],
            self.yes if self.veto[index] else None, notes, self.sections[self.section_codes[index]],
            self.ratings[self.rating_codes[index]],
        ], styles


_UNSEEN: Final = "\0unseen"
"""A note text not yet written (``None`` is a row without notes)."""


def _nullable(values: Any) -> list[float | None]:
    """An array as a list, ``None`` for NaN."""
    listed: list[float | None] = values.tolist()
    return [None if value != value else value for value in listed]  # NaN is the one float unequal to itself


_SUMMARY_LEAD: Final = ("row", "employee", "position", "stage", "period", "total", "grade", "bonus", "veto")
"""The Summary columns before the subtotals and KPI scores (the headings after them stand upright)."""

_HEADING_LABELS: Final = {"veto": "veto_breaches", "veto_breached": "veto_breached", "reason": "dropped_reason",
                          "warning": "warnings"}
"""Column ids whose label has another key in :mod:`ecomperf.render.labels` (the rest share the id)."""


class _Words:
    """The words of one workbook: sheet names, headings and the names of ids, in its locale.

    English keeps the column ids the CSV uses and the ids in cells, as before; any other locale takes its
    labels (:func:`ecomperf.render.labels.labels_for`) and, with the framework at hand, its names.
    """

    def __init__(self, locale: str, index: FrameworkIndex | None) -> None:
        self.locale = locale
        self.index = index if locale != "en" else None
        self.labels = labels_for(locale)
        self.plain = locale == "en"
        self.clauses = "; " if self.plain else self.labels["clause_sep"]
        self.yes = "yes" if self.plain else self.labels["veto_breached"]
        fallback = index.default_locale if index is not None else locale
        self._fallback = fallback
        self._stages = {} if self.index is None else {stage.id: stage.name for stage in self.index.stages}
        self._sections = {} if self.index is None else {
            section.id: section.name for position in self.index.positions.values() if position.scorecard
            for section in position.scorecard.sections if section.name is not None}

    def sheet(self, name: str) -> str:
        """``Summary``, ``Detail``, ``Errors`` or ``Warnings`` in the workbook's locale."""
        return name if self.plain else self.labels[f"sheet_{name.lower()}"]

    def heading(self, column: str) -> str:
        """A fixed column's heading: its id in English, its label otherwise."""
        return column if self.plain else self.labels.get(_HEADING_LABELS.get(column, column), column)

    def column(self, name: str) -> str:
        """The heading of a computed column: ``total_of_5``, ``<section>_subtotal`` or ``<kpi>_score``."""
        if self.plain:
            return name
        if name.startswith("total_of_"):
            return self.labels["shown_total"].format(scale=name.removeprefix("total_of_"))
        if name.endswith("_subtotal"):
            return f"{self.section(name.removesuffix('_subtotal'))}{self.labels['subtotal']}"
        return f"{self.kpi(name.removesuffix('_score'))}{self.labels['score']}"

    def _name(self, text: str | dict[str, str] | None, fallback: str) -> str:
        return localize(text, self.locale, self._fallback) or fallback

    def position(self, position: str) -> str:
        """A position by its name (its id in English or without the framework)."""
        found = None if self.index is None else self.index.positions.get(position)
        return position if found is None else self._name(found.name, position)

    def stage(self, stage: str) -> str:
        """A stage by its name (its id in English or without the framework)."""
        return self._name(self._stages.get(stage), stage)

    def kpi(self, kpi: str) -> str:
        """A KPI by its metric's name (its id in English or without the framework)."""
        found = None if self.index is None else self.index.metrics.get(kpi)
        return kpi if found is None else self._name(found.name, kpi)

    def kpis(self, kpis: Sequence[str]) -> str:
        """KPIs by name, joined as the locale lists things."""
        return (", " if self.plain else self.labels["list_sep"]).join(map(self.kpi, kpis))

    def section(self, section: str | None) -> str | None:
        """A section by its name (its id in English or without the framework)."""
        return None if section is None else self._name(self._sections.get(section), section)

    def method(self, method: str) -> str:
        """A scoring method: its id in English, its label otherwise."""
        return method if self.plain else self.labels.get(f"method_{method}", method)


def _weight_format(weight: float) -> NumberFormat | None:
    """Whole weights as they are (``30``); a weight with a fraction (relative weights) with two decimals."""
    return None if float(weight).is_integer() else DECIMALS


def _ratings(ratings: Sequence[Rating]) -> str | None:
    """Each rater's rating (``self 4; manager —``), or ``None`` for a metric without raters."""
    return "; ".join(f"{r.rater} {'—' if r.value is None else f'{r.value:g}'}" for r in ratings) or None


# --- writing tables with xlsxwriter ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    """How one cell is written: its xlsxwriter format (``None``: the default) and the number format that
    decides the text it shows (for fitting the column width)."""

    cell: Any
    number: NumberFormat | None = None
    wrap: bool = False


class _Book:
    """The workbook being written: its formats (each made once) and the progress of its rows."""

    def __init__(self, workbook: Any, progress: Callable[[int], None]) -> None:
        self.workbook = workbook
        self.progress = progress
        self.header = workbook.add_format({"bold": True, "bg_color": f"#{_HEADER_FILL}", "bottom": 1})
        self.upright_header = workbook.add_format({"bold": True, "bg_color": f"#{_HEADER_FILL}", "bottom": 1,
                                            "rotation": 90, "align": "center"})
        self.quoted = workbook.add_format({"quote_prefix": True})  # "=1+2" shows as written, never as 3
        self._styles: dict[tuple[NumberFormat | None, str | None, bool], _Style] = {}

    def style(self, number: NumberFormat | None = None, *, fill: str | None = None, wrap: bool = False) -> _Style:
        """The style of cells with this number format, fill and wrapping (made once per workbook)."""
        key = (number, fill, wrap)
        if key not in self._styles:
            properties: dict[str, Any] = {}
            if number is not None:
                properties["num_format"] = number.code
            if fill is not None:
                properties["bg_color"] = f"#{fill}"
            if wrap:
                properties |= {"text_wrap": True, "valign": "top"}
            self._styles[key] = _Style(self.workbook.add_format(properties) if properties else None, number, wrap)
        return self._styles[key]

    def table(self, title: str, header: Sequence[str], styles: Sequence[_Style], *, freeze_columns: int = 2,
              widest: dict[int, int] | None = None, upright: int | None = None) -> _Table:
        """Start a table on a new sheet ``title``: ``widest`` caps some columns' widths, and the headings from
        column ``upright`` on read upwards (narrow columns of numbers under long KPI ids)."""
        return _Table(self, title, header, styles, freeze_columns, widest or {}, upright)


class _Table:
    """One table written row by row, on as many sheets (``Title``, ``Title (2)`` …) as Excel's row limit
    needs, each with the header, widths and print setup.

    The first rows are held back (at most :data:`_WIDTH_SAMPLE`) until they have set the column widths: a
    row with wrapping text then gets the height its lines need before it is written, as a streamed
    row must.
    """

    def __init__(self, book: _Book, title: str, header: Sequence[str], styles: Sequence[_Style],
                 freeze_columns: int, widest: dict[int, int], upright: int | None) -> None:
        self.book = book
        self.title = title
        self.header = header
        self.styles = styles
        self.freeze_columns = freeze_columns
        self.widest = widest
        self.upright = len(header) if upright is None else upright
        # an upright heading takes the height of its row, and the width of one line of text
        self.widths = [display_width(name) if index < self.upright else 2 for index, name in enumerate(header)]
        self.sample: list[tuple[Sequence[Any], Sequence[_Style]]] | None = []
        self.sheets: list[tuple[Any, int]] = []  # each full sheet and its rows
        self.sheet: Any = None
        self.written = 0
        self.pending = 0
        self.columns: list[int] = []
        self.write_string: Callable[..., Any] = _no_sheet  # the first sheet's, once the widths are known
        self.write_number: Callable[..., Any] = _no_sheet

    def add(self, values: Sequence[Any], styles: Sequence[_Style] | None = None) -> None:
        """Write one row; ``None`` and empty text leave the cell empty."""
        chosen = styles or self.styles
        if self.sample is None:
            self._write(values, chosen)
            return
        self.sample.append((values, chosen))
        self._fit(values, chosen)
        if len(self.sample) == _WIDTH_SAMPLE:
            self._start()

    def close(self) -> None:
        """Write what is held back, set every sheet's filter range, and report the rows not yet reported."""
        if self.sample is not None:
            self._start()
        self.sheets.append((self.sheet, self.written))
        for sheet, rows in self.sheets:
            sheet.autofilter(0, 0, rows, len(self.header) - 1)
        if self.pending:
            self.book.progress(self.pending)
            self.pending = 0

    def _start(self) -> None:
        """Fix the widths from the rows held back, open the first sheet and write those rows."""
        self.columns = [column_width(width, self.widest.get(column, _MAX_WIDTH))
                        for column, width in enumerate(self.widths)]
        sample, self.sample = self.sample or [], None
        self._new_sheet()
        for values, styles in sample:
            self._write(values, styles)

    def _fit(self, values: Sequence[Any], styles: Sequence[_Style]) -> None:
        widths = self.widths
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                width = max(map(display_width, value.splitlines() or [""]))
            else:
                number = styles[column].number
                width = len(number.shown(value) if number is not None else _general(value))
            if width > widths[column]:
                widths[column] = width

    def _new_sheet(self) -> None:
        if self.sheet is not None:
            self.sheets.append((self.sheet, self.written))
        part = len(self.sheets) + 1
        sheet = self.book.workbook.add_worksheet(self.title if part == 1 else f"{self.title} ({part})")
        for column, width in enumerate(self.columns):
            sheet.set_column(column, column, width)
        if self.upright < len(self.header):
            sheet.set_row(0, min(_POINTS_PER_CELL * max(map(display_width, self.header[self.upright:])) + 8, 300))
        for column, name in enumerate(self.header):
            sheet.write_string(0, column, name, self.book.header if column < self.upright else self.book.upright_header)
        sheet.freeze_panes(1, self.freeze_columns)
        sheet.set_landscape()
        sheet.set_paper(PAPER_A4)
        sheet.fit_to_pages(1, 0)  # one page wide, as many pages down as the rows need
        sheet.repeat_rows(0)
        left, right, top, bottom = MARGINS
        sheet.set_margins(left=left, right=right, top=top, bottom=bottom)
        sheet.set_footer(FOOTER)
        sheet.hide_gridlines(0)  # gridlines on paper too: a printed table is read along its rows
        self.sheet, self.written = sheet, 0
        self.write_string, self.write_number = _unwrapped(sheet, "write_string"), _unwrapped(sheet, "write_number")

    def _write(self, values: Sequence[Any], styles: Sequence[_Style]) -> None:
        """Write one row: the loop every cell of the workbook goes through, kept to the calls that write."""
        if self.written == _SHEET_ROWS:
            self._new_sheet()
        row = self.written + 1
        write_string, write_number = self.write_string, self.write_number
        lines = 1
        column = -1
        for value, style in zip(values, styles, strict=False):  # a row may be shorter than the header
            column += 1
            if value is None:
                continue
            if isinstance(value, str):
                if not value:
                    continue
                if style.wrap and len(value) * 2 >= self.columns[column] - 1:  # it may not fit on one line
                    lines = max(lines, wrapped_lines(value, self.columns[column]))
                if value[0] in _SPECIAL_STARTS:
                    _write_special(self.sheet, row, column, value, style.cell, self.book.quoted)
                else:
                    write_string(row, column, value, style.cell)
            else:
                write_number(row, column, value, style.cell)
        if lines > 1:  # before the next row starts, when this one is flushed
            self.sheet.set_row(row, lines * LINE_HEIGHT)
        self.written += 1
        self.pending += 1
        if self.pending == _PROGRESS_CHUNK:
            self.book.progress(self.pending)
            self.pending = 0


def _no_sheet(*cell: Any) -> None:
    """Where a cell would go before the table's first sheet is open (never called: rows wait until then)."""
    raise AssertionError("no sheet open yet")


def _unwrapped(sheet: Any, name: str) -> Callable[..., Any]:
    """The sheet's ``write_string`` or ``write_number`` without xlsxwriter's A1-notation wrapper (each cell is
    given by row and column numbers already): the same method, one call layer less per cell."""
    method = getattr(type(sheet), name)
    inner = getattr(method, "__wrapped__", None)  # functools.wraps keeps the undecorated method
    return cast("Callable[..., Any]", inner.__get__(sheet) if inner is not None else getattr(sheet, name))


_SPECIAL_STARTS: Final = frozenset((*FORMULA_STARTS, "<"))
"""First characters of text that needs more than a plain string cell (most text starts otherwise)."""


def _write_special(sheet: Any, row: int, column: int, text: str, style: Any, quoted: Any) -> None:
    """Write text starting with one of :data:`_SPECIAL_STARTS` as a string cell that shows exactly ``text``."""
    if looks_like_formula(text):
        sheet.write_string(row, column, text, quoted)
    elif text.startswith("<r>") and text.endswith("</r>"):
        # constant_memory mode copies such a string into the XML as rich-text markup; as three plain
        # fragments of a rich string it is escaped like any other text
        sheet.write_rich_string(row, column, text[0], text[1], text[2:], *([style] if style is not None else []))
    else:
        sheet.write_string(row, column, text, style)


def _general(value: object) -> str:
    """The text Excel's *General* format shows for a number (some ten significant digits)."""
    return f"{value:.10g}" if isinstance(value, float) else str(value)
