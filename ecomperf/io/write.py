"""Results out: CSV, JSON, Markdown and HTML writers, and the choice of writer by suffix.

Every writer writes atomically (:mod:`ecomperf.io.atomic`): a failure never leaves a partial file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from pydantic_core import to_json

from ecomperf.batch.results import BatchResult, RowSummary
from ecomperf.collection import paused_collection
from ecomperf.errors import ActualsIOError
from ecomperf.io.atomic import atomic_write
from ecomperf.markdown import md_cell
from ecomperf.model.display import POINT_DECIMALS, shown_points
from ecomperf.model.index import FrameworkIndex
from ecomperf.spreadsheet_text import inert_csv_text

if TYPE_CHECKING:
    from ecomperf.scoring.results import ScoreCard

__all__ = [
    "OUTPUT_FORMATS",
    "CardStream",
    "json_pieces",
    "result_in_locale",
    "scores_header",
    "summary_header",
    "write_csv",
    "write_html",
    "write_json",
    "write_jsonl",
    "write_markdown",
    "write_parquet",
    "write_results",
]

OUTPUT_FORMATS: Final = {
    ".csv": "CSV, one row per employee and period",
    ".xlsx": "Excel workbook: summary, detail and errors sheets",
    ".json": "JSON: score cards, errors and warnings",
    ".md": "Markdown table",
    ".html": "HTML team report",
    ".parquet": "Parquet, one row per employee and period (needs ecomperf[arrow])",
    ".jsonl": "JSON Lines, one object per row, streamed from CSV or Parquet input (needs ecomperf[arrow])",
}
"""Result file suffixes :func:`write_results` understands."""

_SUMMARY_FIELDS: Final = ("employee", "position", "stage", "period", "total", "grade", "bonus")

def write_results(
    path: str | Path, result: BatchResult, *, locale: str | None = None, index: FrameworkIndex | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write ``result`` in the format its suffix names (see :data:`OUTPUT_FORMATS`), atomically.

    ``locale`` (``zh`` or ``en``) chooses the language of the HTML report's labels and of the engine's
    sentences in every format (notes, warnings, the reasons of KPIs left off a total; see
    :func:`result_in_locale`); without it they are written in English. ``index``, the framework that
    scored the result, lets the HTML report name events, context values and dropped KPIs. ``progress`` is
    called with the rows written now and then while a workbook, JSON cards or HTML pages are written
    (:func:`ecomperf.io.xlsx.write_xlsx`, :func:`write_json`, :func:`write_html`).

    Raises:
        ActualsIOError: an unknown suffix (the message lists the supported ones), HTML reports not
            available, or the file cannot be written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    writers: dict[str, Callable[[Path, BatchResult], None]] = {
        ".csv": write_csv,
        ".xlsx": _write_xlsx,
        ".json": write_json,
        ".md": write_markdown,
        ".html": write_html,
        ".parquet": write_parquet,
        ".jsonl": write_jsonl,
    }
    if suffix not in writers:
        raise ActualsIOError(
            f"{target}: cannot write {suffix or 'files without a suffix'}; supported: "
            + ", ".join(f"{s} ({d})" for s, d in OUTPUT_FORMATS.items())
        )
    if suffix == ".html":
        write_html(target, result, locale=locale, index=index, progress=progress)
    elif suffix == ".json":
        write_json(target, result, locale=locale, progress=progress)  # it writes the sentences of each card
    elif suffix == ".xlsx":
        _write_xlsx(target, result, locale=locale or "en", index=index, progress=progress)  # it writes the sentences
    else:
        writers[suffix](target, result if locale is None else result_in_locale(result, locale))


def result_in_locale(result: BatchResult, locale: str) -> BatchResult:
    """``result`` with each card's notes, warnings and dropped-KPI details, and each row's warnings, written in
    ``locale`` (:func:`ecomperf.render.sentences.card_in_locale`); ids, numbers and grades are unchanged."""
    from ecomperf.render.sentences import card_in_locale, sentences_text  # start-up cost: catalogues load on use

    with paused_collection():  # a copy of every card: the collector would rescan the batch and free nothing
        summaries = replace(result.summaries, warnings=[tuple(sentences_text(warnings, locale))
                                                        for warnings in result.summaries.warnings])
        return replace(result, summaries=summaries, cards=[card_in_locale(card, locale) for card in result.cards])


def summary_header(result: BatchResult) -> list[str]:
    """The CSV header: ``row, employee, position, stage, period, total, grade, bonus, veto``, then ``total_of_5``
    and ``<section>_subtotal …`` when the framework has a display scale or the cards have sections
    (:meth:`~ecomperf.batch.results.BatchResult.subtotal_columns`), then ``<kpi>_score …`` and ``reason``."""
    return scores_header([name for name, _ in result.subtotal_columns()], result.kpi_ids)


def scores_header(extra: Sequence[str], kpis: Sequence[str]) -> list[str]:
    """The CSV header for these subtotal columns and KPIs (:func:`summary_header`; the streaming writer's too).

    Example:
        >>> scores_header([], ["gmv"])
        ['row', 'employee', 'position', 'stage', 'period', 'total', 'grade', 'bonus', 'veto', 'gmv_score', 'reason']
    """
    return ["row", *_SUMMARY_FIELDS, "veto", *extra, *(f"{kpi}_score" for kpi in kpis), "reason"]


def write_csv(path: str | Path, result: BatchResult) -> None:
    """One line per input row, in input order (:func:`summary_header`); UTF-8 with a BOM so Excel shows Chinese.

    A scored row has its total, grade, bonus, the veto KPIs it breached and its KPI scores; a row that was not
    scored has those cells empty and says why in ``reason``, so the file accounts for every input row. ``row``
    is the input row number (``file:row`` when several files were read, every row for a rolled-up quarter).
    Totals, subtotals and KPI scores are rounded as every table shows them
    (:func:`ecomperf.model.display.shown_points`: 2 decimals, half up; ``total_of_5`` as its scale declares);
    bonus coefficients are written as they are. A KPI not on a row's total is an empty cell.
    Text that a spreadsheet would run as a formula (an employee named ``=HYPERLINK(...)``) gets a leading
    apostrophe, as OWASP advises for CSV exports; position, stage and period are ids and cannot start so.
    """
    table = result.summaries
    columns: list[Iterable[object]] = [
        table.origins if table.origins is not None else table.rows,
        map(inert_csv_text, table.employees), table.positions, table.stages, table.periods,
        (repr(shown_points(total)) for total in table.totals),
        table.grades,
        map(repr, table.bonuses),
        map(", ".join, table.veto),
        *(["" if value is None else repr(value if name.startswith("total_of_") else shown_points(value))
           for value in values] for name, values in result.subtotal_columns()),  # total_of_5: rounded as declared
        *(["" if value is None else repr(shown_points(value)) for value in scores] for scores in table.scores.values()),
        [""] * len(table),
    ]
    extras = len(result.subtotal_columns())
    blank = [""] * (len(_SUMMARY_FIELDS) - 1 + 1 + extras + len(table.scores))  # position … bonus, veto, the rest
    failed = [[error.origin or error.row, inert_csv_text(error.employee), *blank, inert_csv_text(error.reason)]
              for error in result.errors]

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            handle.write("\ufeff")  # the BOM; the utf-8-sig codec would encode every row in Python
            writer = csv.writer(handle)
            writer.writerow(summary_header(result))
            scored = zip(*columns, strict=True)
            if not failed:
                writer.writerows(scored)
                return
            for place in _input_sequence(result):
                writer.writerow(next(scored) if place < len(table) else failed[place - len(table)])

    atomic_write(path, write)


def _input_sequence(result: BatchResult) -> Iterable[int]:
    """The scored rows (``0 … n-1``) and the errors (``n …``) interleaved in input order."""
    order = result.input_order
    if len(order) != len(result.summaries) + len(result.errors):
        return range(len(order) or len(result.summaries) + len(result.errors))
    return sorted(range(len(order)), key=order.__getitem__)


def write_json(
    path: str | Path, result: BatchResult, *, locale: str | None = None, progress: Callable[[int], None] | None = None,
) -> None:
    """``{"framework", "source", "cards" (or "rows" without detail), "errors", "warnings"}`` as UTF-8 JSON.

    The cards are those the result keeps (``detail=True``) or, for a result scored with ``explain``, those
    its columns give (:class:`~ecomperf.batch.cards.ExplainedCards`, built as they are written); a result with
    neither has ``rows``, one summary per scored row. The document is written piece by piece (:class:`CardStream`,
    :func:`json_pieces`): one card or row is serialised at a time, so the memory the write needs is that of
    one row, not of the whole file. ``locale`` writes the engine's sentences in that language (as
    :func:`result_in_locale`); ``progress`` is called now and then with the cards written since the last call.
    """

    def write(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            if not result.cards and result.row_cards is None:
                handle.writelines(json_pieces(result if locale is None else result_in_locale(result, locale)))
                return
            stream = CardStream(handle, result.framework, result.source, locale=locale)
            if result.cards:
                for card in result.cards:
                    stream.card(card)
            else:
                stream.explained(result, progress=progress)
            stream.finish(result)

    atomic_write(path, write)


def json_pieces(result: BatchResult) -> Iterator[bytes]:
    r"""The bytes of :func:`write_json`'s document for the cards the result keeps (or its rows), in order:
    joined, they are ``pydantic_core.to_json(document, indent=2) + b"\n"``, but only one card or row is held
    at a time.

    Example:
        >>> from ecomperf.batch.results import BatchResult, Summaries
        >>> empty = Summaries([], [], [], [], [], [], [], [], {}, [], [])
        >>> b"".join(json_pieces(BatchResult("fw", empty, []))).decode()
        '{\n  "framework": "fw",\n  "source": "<rows>",\n  "rows": [],\n  "errors": [],\n  "warnings": []\n}\n'
    """
    yield _json_head(result.framework, result.source)
    if result.cards:
        yield b',\n  "cards": '  # each serialised by pydantic, as card.model_dump_json() would
        yield from _json_array(result.cards)
    else:
        yield b',\n  "rows": '
        yield from _json_array(_json_rows(result))
    yield from _json_tail(result)


class CardStream:
    r""":func:`write_json`'s document with cards, written while they come: :meth:`card` writes each card as
    ``score_many(detail=True, on_card=...)`` hands it over, :meth:`explained` every card of a result scored
    with ``explain``, :meth:`finish` the rest.

    The bytes are those of :func:`json_pieces` for the result with its cards; memory is that of one card.

    Example:
        >>> import io
        >>> from ecomperf.batch.results import BatchResult, Summaries
        >>> handle = io.BytesIO()
        >>> stream = CardStream(handle, "fw", "<rows>")
        >>> stream.finish(BatchResult("fw", Summaries([], [], [], [], [], [], [], [], {}, [], []), []))
        >>> handle.getvalue().decode()
        '{\n  "framework": "fw",\n  "source": "<rows>",\n  "rows": [],\n  "errors": [],\n  "warnings": []\n}\n'
    """

    def __init__(self, handle: BinaryIO, framework: str, source: str, *, locale: str | None = None) -> None:
        self._handle = handle
        self._locale = locale
        self._cards = 0
        handle.write(_json_head(framework, source))

    def card(self, card: ScoreCard) -> None:
        """Write ``card`` (in the stream's locale) as the next item of ``cards``."""
        if self._locale is not None:
            from ecomperf.render.sentences import card_in_locale  # start-up cost: catalogues load on use

            card = card_in_locale(card, self._locale)
        self._item(card)

    def explained(self, result: BatchResult, *, progress: Callable[[int], None] | None = None) -> None:
        """Write the card of every scored row of ``result`` (scored with ``explain``), in the stream's locale,
        each built from the result's columns as it is written (:class:`~ecomperf.batch.cards.ExplainedCards`);
        ``progress`` is called with the cards written, :data:`~ecomperf.batch.cards.CHUNK_ROWS` at a time."""
        from ecomperf.batch.cards import CHUNK_ROWS, ExplainedCards  # start-up cost: numpy loads only with results

        translate = None
        if self._locale is not None:
            from ecomperf.render.sentences import sentence_text  # start-up cost: catalogues load on use

            translate = partial(sentence_text, locale=self._locale)
        written = 0
        for document in ExplainedCards(result, translate=translate).documents():
            self._item(document)
            written += 1
            if progress is not None and written == CHUNK_ROWS:
                progress(written)
                written = 0
        if progress is not None and written:
            progress(written)

    def _item(self, item: Any) -> None:
        self._handle.write((b',\n  "cards": ' if not self._cards else b"") + _json_item(item, self._cards == 0))
        self._cards += 1

    def finish(self, result: BatchResult) -> None:
        """Close ``cards`` (or write ``"rows": []`` when no card came) and write the errors and warnings."""
        self._handle.write(b"\n  ]" if self._cards else b',\n  "rows": []')
        self._handle.writelines(_json_tail(result))


def _json_head(framework: str, source: str) -> bytes:
    return b'{\n  "framework": ' + to_json(framework) + b',\n  "source": ' + to_json(source)


def _json_tail(result: BatchResult) -> Iterator[bytes]:
    yield b',\n  "errors": '
    yield from _json_array(
        {"row": e.row, **({"origin": e.origin} if e.origin else {}), "employee": e.employee, "reason": e.reason}
        for e in result.errors
    )
    yield b',\n  "warnings": '
    yield from _json_array(result.warnings)
    yield b"\n}\n"


def _json_rows(result: BatchResult) -> Iterator[dict[str, Any]]:
    """The ``rows`` of :func:`write_json` without cards: each row's summary, and its total on the display scale."""
    shown = result.shown_totals()
    scale = result.display_scale
    table = result.summaries
    for index in range(len(table)):
        row = _summary_dict(table[index])
        if shown is not None and scale is not None:
            row["shown_total"], row["display_scale"] = shown[index], scale.out_of
        yield row


def _json_array(items: Iterable[Any]) -> Iterator[bytes]:
    """A JSON array nested one level deep in an ``indent=2`` document, one item serialised at a time.

    JSON strings hold no raw line breaks, so indenting every line of an item's own ``indent=2`` text by
    four spaces gives exactly what serialising the whole document at once gives.
    """
    first = True
    for item in items:
        yield _json_item(item, first)
        first = False
    yield b"[]" if first else b"\n  ]"


def _json_item(item: Any, first: bool) -> bytes:
    """One item of a :func:`_json_array`, with what goes before it."""
    return (b"[\n    " if first else b",\n    ") + to_json(item, indent=2).replace(b"\n", b"\n    ")


def _summary_dict(summary: RowSummary) -> dict[str, Any]:
    return {
        "row": summary.row, **({"origin": summary.origin} if summary.origin else {}),
        "employee": summary.employee, "position": summary.position,
        "stage": summary.stage, "period": summary.period, "context": dict(summary.context),
        "total": summary.total, "grade": summary.grade, "bonus": summary.bonus,
        "scores": dict(summary.scores), "veto": list(summary.veto), "warnings": list(summary.warnings),
        **({"subtotals": dict(summary.subtotals)} if summary.subtotals else {}),
    }


def write_markdown(path: str | Path, result: BatchResult) -> None:
    """A Markdown table of the scores, then the rows that failed and the warnings."""
    lines = [f"# Scores: {result.framework}", ""]
    extra = result.subtotal_columns()
    header = ["Row", "Employee", "Position", "Stage", "Period", "Total", "Grade", "Bonus",
              *(name for name, _ in extra), "Veto"]
    lines += _md_table(
        header,
        (
            [s.origin or str(s.row), s.employee, s.position, s.stage, s.period, f"{s.total:.{POINT_DECIMALS}f}",
             s.grade, f"{s.bonus:g}", *("" if values[index] is None else f"{values[index]:g}" for _, values in extra),
             ", ".join(s.veto)]
            for index, s in enumerate(result.rows)
        ),
        numeric={0, 5, 7, *range(8, 8 + len(extra))},
    )
    if result.errors:
        lines += ["", f"## Rows not scored ({len(result.errors)})", ""]
        lines += _md_table(["Row", "Employee", "Reason"],
                           ([e.origin or str(e.row), e.employee, e.reason] for e in result.errors), numeric={0})
    if result.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {_md_cell(warning)}" for warning in result.warnings]
    text = "\n".join(lines) + "\n"

    def write(temporary: Path) -> None:
        temporary.write_text(text, encoding="utf-8")

    atomic_write(path, write)


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> list[str]:
    rule = ["---:" if index in numeric else "---" for index in range(len(header))]
    out = [f"| {' | '.join(header)} |", f"|{'|'.join(rule)}|"]
    out += [f"| {' | '.join(_md_cell(cell) for cell in row)} |" for row in rows]
    return out


def _md_cell(text: str) -> str:
    return md_cell(" ".join(text.split()))


def write_html(
    path: str | Path, result: BatchResult, *, locale: str | None = None, page_rows: int | None = None,
    index: FrameworkIndex | None = None, progress: Callable[[int], None] | None = None,
) -> None:
    """The team report of :mod:`ecomperf.render.report` of the result's cards (those it keeps, or for a result
    scored with ``explain`` those its columns give, built a page at a time), one page at a time.

    Up to :data:`~ecomperf.render.report.PAGE_ROWS` (2,000) cards, one page at ``path``. Above, ``path`` is
    the index (the team's figures and a line per page) and the pages of 2,000 cards each are written beside
    it as ``<stem>-01.html`` …; each page is written atomically as soon as it is rendered, the index last.
    ``page_rows`` sets another page size. The page is in ``locale``; ``index`` (the framework that scored
    the result) names the KPIs left off a total. ``progress`` is called with the cards of each page once it
    is written.
    """
    from ecomperf.render.report import PAGE_ROWS, team_report_pages  # start-up cost: Jinja only for HTML

    target = Path(path)
    from ecomperf.batch.cards import result_cards  # start-up cost: numpy loads only with results

    cards = result_cards(result)
    size = PAGE_ROWS if page_rows is None else page_rows
    pages = team_report_pages(cards, result.errors, locale, grades=list(result.grades), stem=target.stem,
                              page_rows=size, index=index)
    left = len(cards)
    for name, html in pages:
        data = html.encode("utf-8")

        def write(temporary: Path, data: bytes = data) -> None:
            temporary.write_bytes(data)

        atomic_write(target.with_name(name), write)
        # a page holds up to `size` cards; the last file is the index (none) or the one page (all of them)
        shown = left if name == f"{target.stem}.html" else min(size, left)
        if progress is not None and shown:
            progress(shown)
        left -= shown


def write_jsonl(path: str | Path, result: BatchResult) -> None:
    """JSON Lines: one object per row in row order, a row of :func:`write_json` or ``{row, employee, error}``."""
    lines = [(s.row, _summary_dict(s)) for s in result.rows]
    lines += [(e.row, {"row": e.row, "employee": e.employee, "error": e.reason}) for e in result.errors]
    text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for _, item in sorted(lines, key=lambda x: x[0]))

    def write(temporary: Path) -> None:
        temporary.write_text(text, encoding="utf-8", newline="\n")

    atomic_write(path, write)


def write_parquet(path: str | Path, result: BatchResult) -> None:
    """The scored rows as Parquet (:meth:`~ecomperf.batch.results.BatchResult.to_arrow`); needs pyarrow."""
    try:
        import pyarrow.parquet as pq  # optional extra [arrow]
    except ImportError:  # pragma: no cover - pyarrow is in the dev extra
        raise ActualsIOError(f"{path}: writing .parquet needs pyarrow: pip install 'ecomperf[arrow]'") from None
    table = result.to_arrow(detail=False)  # the shape of the CSV, as the streamed Parquet has it

    def write(temporary: Path) -> None:
        pq.write_table(table, str(temporary))

    atomic_write(path, write)


def _write_xlsx(
    path: Path, result: BatchResult, *, locale: str = "en", index: FrameworkIndex | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    from ecomperf.io.xlsx import write_xlsx  # start-up cost: xlsxwriter loads only for .xlsx outputs

    write_xlsx(path, result, locale=locale, index=index, progress=progress)
