"""Actuals in, results out: CSV, XLSX, JSON and YAML readers; CSV, XLSX, JSON, Markdown and HTML writers.

Readers return a :class:`~ecomperf.batch.engine.Table`: the header, the cells of each data row as read, and
the row number of each row for messages. Row numbers are what a spreadsheet shows: the header is
row 1, the first data row is row 2, and blank rows are skipped but still counted. JSON and YAML rows
carry the line their object starts on, which is what an editor shows. Empty cells are missing values.

======  =====================================================================================
input   how it is read
======  =====================================================================================
CSV     UTF-8 with or without a byte-order mark; when the bytes are not UTF-8, GB18030 (what a
        Chinese-locale Excel exports), and :attr:`Table.encoding` says which was used. Comma,
        tab or semicolon separated (guessed from the header line; ``.tsv`` is always tab).
XLSX    openpyxl, values only (a formula cell gives its last computed value); the first sheet or
        the one named. A period typed as ``2026-10`` that Excel turned into a date is read back
        as the month.
JSON    a list of objects.
YAML    a list of mappings, read safely (YAML 1.2 scalars, no tags, no object construction).
======  =====================================================================================

Writers are chosen by the output file's suffix (:data:`OUTPUT_FORMATS`) and write atomically: to a
temporary file in the same folder, then :func:`os.replace`, so a failure never leaves a partial file.

Example:
    >>> table = read_actuals("actuals.csv")  # doctest: +SKIP
    >>> table.encoding, table.columns[:2], table.numbers[:2]  # doctest: +SKIP
    ('gb18030', ('employee', 'position'), [2, 3])
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any, Final, cast

from ecomperf.batch.engine import BatchResult, RowSummary, Table
from ecomperf.errors import ActualsIOError

__all__ = [
    "INPUT_FORMATS",
    "OUTPUT_FORMATS",
    "ActualsIOError",
    "atomic_write",
    "decode_text",
    "read_actuals",
    "read_csv",
    "read_json",
    "read_xlsx",
    "read_yaml",
    "summary_header",
    "write_csv",
    "write_html",
    "write_json",
    "write_markdown",
    "write_results",
    "write_xlsx",
]

INPUT_FORMATS: Final = {
    ".csv": "CSV",
    ".tsv": "CSV (tab separated)",
    ".xlsx": "Excel workbook",
    ".xlsm": "Excel workbook",
    ".json": "JSON list of objects",
    ".yaml": "YAML list of mappings",
    ".yml": "YAML list of mappings",
}
"""Actuals file suffixes :func:`read_actuals` understands."""

OUTPUT_FORMATS: Final = {
    ".csv": "CSV, one row per employee and period",
    ".xlsx": "Excel workbook: summary, detail and errors sheets",
    ".json": "JSON: score cards, errors and warnings",
    ".md": "Markdown table",
    ".html": "HTML team report",
}
"""Result file suffixes :func:`write_results` understands."""

_SUMMARY_FIELDS: Final = ("employee", "position", "stage", "period", "total", "grade", "bonus")
_DELIMITERS: Final = (",", "\t", ";")
_JSON_SPACE: Final = " \t\r\n"


# --- reading --------------------------------------------------------------------------------------


def read_actuals(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read an actuals file, choosing the reader by its suffix (see :data:`INPUT_FORMATS`).

    Args:
        path: a ``.csv``, ``.tsv``, ``.xlsx``, ``.json``, ``.yaml`` or ``.yml`` file.
        sheet: the worksheet of a workbook to read (default: the first).

    Returns:
        The rows with their row numbers.

    Raises:
        ActualsIOError: the file is missing, has an unknown suffix, or cannot be parsed.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in INPUT_FORMATS:
        raise ActualsIOError(
            f"{file}: cannot read {suffix or 'files without a suffix'}; actuals files may be "
            + ", ".join(f"{s} ({d})" for s, d in INPUT_FORMATS.items())
            + (". Save old .xls workbooks as .xlsx" if suffix == ".xls" else "")
        )
    if sheet is not None and suffix not in {".xlsx", ".xlsm"}:
        raise ActualsIOError(f"{file}: --sheet applies to Excel workbooks only, not {suffix} files")
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(file, sheet=sheet)
    if suffix == ".json":
        return read_json(file)
    if suffix in {".yaml", ".yml"}:
        return read_yaml(file)
    return read_csv(file, delimiter="\t" if suffix == ".tsv" else None)


def _read_bytes(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise ActualsIOError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise ActualsIOError(f"{file}: is a folder; give the actuals file") from None
    except OSError as exc:
        raise ActualsIOError(f"{file}: cannot read: {exc.strerror or exc}") from None


def decode_text(data: bytes, *, source: str = "<bytes>") -> tuple[str, str]:
    """Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    Returns:
        The text and the encoding used: ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"`` or ``"gb18030"``.

    Raises:
        ActualsIOError: the bytes are none of these.

    Example:
        >>> decode_text("员工".encode("gb18030"))
        ('员工', 'gb18030')
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        first = exc
    if encoding == "utf-8":
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    line = data[: first.start].count(b"\n") + 1
    raise ActualsIOError(
        f"{source}:{line}: the file is neither UTF-8 nor GB18030 (byte {first.start + 1} cannot be decoded); "
        "save it as 'CSV UTF-8' from Excel"
    )


def read_csv(path: str | Path, *, delimiter: str | None = None) -> Table:
    """Read a CSV file (see the module documentation for encodings and separators).

    Args:
        path: the file.
        delimiter: the separator; guessed from the header line when ``None``.

    Raises:
        ActualsIOError: undecodable bytes, malformed CSV, or a header naming a column twice.
    """
    file = Path(path)
    text, encoding = decode_text(_read_bytes(file), source=str(file))
    if delimiter is None:
        end = text.find("\n")
        first_line = text if end < 0 else text[:end]
        delimiter = next((d for d in _DELIMITERS if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ActualsIOError(f"{file}:{reader.line_num}: not valid CSV: {exc}") from None
    start = 0
    while start < len(records) and not "".join(records[start]).strip():
        start += 1  # blank rows above the header
    if start == len(records):
        return Table((), [], [], source=str(file), encoding=encoding, text_cells=True)
    header = [cell.strip() for cell in records[start]]
    width = len(header)
    rows = cast(list[Sequence[Any]], records[start + 1 :])
    numbers = list(range(start + 2, start + 2 + len(rows)))
    bad: dict[int, str] = {}
    if [] in rows or any(length != width for length in set(map(len, rows))):
        rows, numbers, bad = _fit_rows(rows, numbers, width)
    columns = _header(header, file, start + 1)
    return Table(columns, rows, numbers, source=str(file), encoding=encoding, text_cells=True,
                 bad_rows=bad, warnings=_unnamed_columns(columns, rows))


def _fit_rows(
    rows: list[Sequence[Any]], numbers: list[int], width: int
) -> tuple[list[Sequence[Any]], list[int], dict[int, str]]:
    """Drop empty lines (their row numbers stay counted) and fit every row to the header's width."""
    kept: list[Sequence[Any]] = []
    kept_numbers: list[int] = []
    bad: dict[int, str] = {}
    for cells, number in zip(rows, numbers, strict=True):
        if not cells:
            continue
        kept.append(cells if len(cells) == width else _fit(list(cells), width, len(kept), bad))
        kept_numbers.append(number)
    return kept, kept_numbers, bad


def _fit(cells: list[Any], width: int, index: int, bad: dict[int, str]) -> list[Any]:
    """Pad a short row; a long row keeps its extra cells only when they are all empty."""
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    extra = [cell for cell in cells[width:] if cell is not None and str(cell).strip()]
    if extra:
        shown = ", ".join(repr(cell) for cell in extra[:3]) + (" …" if len(extra) > 3 else "")
        bad[index] = f"the row has {len(cells)} cells but the header names {width} columns (extra: {shown})"
    return cells[:width]


def _header(cells: Sequence[str], file: Path, row: int) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for position, name in enumerate(cells):
        if not name:
            continue
        if name in seen:
            raise ActualsIOError(
                f"{file}:{row}: column {name!r} appears twice (columns {_column_letter(seen[name])} and "
                f"{_column_letter(position)}); keep one"
            )
        seen[name] = position
    return tuple(cells)


def _unnamed_columns(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    unnamed = [position for position, name in enumerate(columns) if not name]
    used = [
        position for position in unnamed
        if any(position < len(row) and row[position] is not None and str(row[position]).strip() for row in rows)
    ]
    if not used:
        return []
    letters = ", ".join(_column_letter(position) for position in used)
    return [f"column(s) {letters} have values but no header; their values are ignored"]


def _column_letter(position: int) -> str:
    """``0`` -> ``A``, ``26`` -> ``AA``: how a spreadsheet names a column."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_xlsx(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read the first worksheet of an Excel workbook, or the one named ``sheet``.

    The header is the first non-empty row; row numbers are the sheet's own.

    Raises:
        ActualsIOError: not a readable workbook, no such sheet, or a header naming a column twice.
    """
    file = Path(path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is an optional extra
        raise ActualsIOError(f"{file}: reading .xlsx needs openpyxl: pip install 'ecomperf[xlsx]'") from None
    if not file.is_file():
        _read_bytes(file)  # raises the right message
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for bad files
        raise ActualsIOError(f"{file}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        if sheet is None:
            if not workbook.worksheets:
                raise ActualsIOError(f"{file}: the workbook has no worksheet")
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames and sheet in [ws.title for ws in workbook.worksheets]:
            worksheet = workbook[sheet]
        else:
            raise ActualsIOError(
                f"{file}: no worksheet named {sheet!r}; the workbook has {', '.join(map(repr, workbook.sheetnames))}"
            )
        title: str = worksheet.title
        header: list[str] | None = None
        header_row = 0
        rows: list[Sequence[Any]] = []
        numbers: list[int] = []
        bad: dict[int, str] = {}
        width = 0
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
            cells = list(values)
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            if header is None:
                header = [("" if cell is None else str(cell)).strip() for cell in cells]
                header_row, width = number, len(header)
                continue
            if len(cells) != width:
                cells = _fit(cells, width, len(rows), bad)
            rows.append(cells)
            numbers.append(number)
    finally:
        workbook.close()
    columns = _header(header or [], file, header_row)
    return Table(columns, rows, numbers, source=str(file), sheet=title, bad_rows=bad,
                 warnings=_unnamed_columns(columns, rows))


def read_json(path: str | Path) -> Table:
    """Read a JSON list of objects; each row's number is the line its object starts on.

    Raises:
        ActualsIOError: not JSON, or not a list at the top.
    """
    file = Path(path)
    data = _read_bytes(file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ActualsIOError(f"{file}:{line}: JSON must be UTF-8 (byte {exc.start + 1} is not)") from None
    items, lines = _json_items(text, file)
    return _records_table(items, lines, file, "object")


def _json_items(text: str, file: Path) -> tuple[list[Any], list[int]]:
    """Parse the top-level list one item at a time, remembering the line each item starts on."""
    decoder = json.JSONDecoder()
    counted_to, line = 0, 1

    def line_at(position: int) -> int:
        nonlocal counted_to, line
        line += text.count("\n", counted_to, position)
        counted_to = position
        return line

    def skip(position: int) -> int:
        while position < len(text) and text[position] in _JSON_SPACE:
            position += 1
        return position

    def fail(position: int, message: str) -> ActualsIOError:
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return ActualsIOError(f"{file}:{text.count(chr(10), 0, position) + 1}:{column}: {message}")

    position = skip(0)
    if position >= len(text) or text[position] != "[":
        raise fail(position, "expected a JSON list of objects, one per employee and period: [{...}, {...}]")
    position = skip(position + 1)
    items: list[Any] = []
    lines: list[int] = []
    if position < len(text) and text[position] == "]":
        position = skip(position + 1)
    else:
        while True:
            try:
                item, end = decoder.raw_decode(text, position)
            except json.JSONDecodeError as exc:
                raise fail(exc.pos, f"not valid JSON: {exc.msg}") from None
            items.append(item)
            lines.append(line_at(position))
            position = skip(end)
            if position < len(text) and text[position] == ",":
                position = skip(position + 1)
                continue
            if position < len(text) and text[position] == "]":
                position = skip(position + 1)
                break
            raise fail(position, "not valid JSON: expected ',' or ']' after an item of the list")
    if position < len(text):
        raise fail(position, "not valid JSON: extra data after the list")
    return items, lines


def read_yaml(path: str | Path) -> Table:
    """Read a YAML list of mappings (safely: plain data only); each row's number is its line.

    Raises:
        ActualsIOError: a YAML error (with its line), several documents, or not a list at the top.
    """
    from ecomperf.loading.yaml_source import parse_yaml

    file = Path(path)
    data = _read_bytes(file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ActualsIOError(f"{file}:{line}: YAML must be UTF-8 (byte {exc.start + 1} is not)") from None
    documents, problems = parse_yaml(text, str(file))
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise ActualsIOError("\n".join(problem.format() for problem in errors))
    if len(documents) > 1:
        raise ActualsIOError(f"{file}: holds {len(documents)} YAML documents; put every row in one list")
    if not documents or documents[0].data is None:
        return Table((), [], [], source=str(file), encoding="utf-8")
    document = documents[0]
    if not isinstance(document.data, list):
        raise ActualsIOError(
            f"{document.source.span()}: expected a YAML list of mappings, one per employee and period "
            "(each item starting with '- ')"
        )
    lines = [document.source.span(index).line for index in range(len(document.data))]
    return _records_table(document.data, lines, file, "mapping")


def _records_table(items: Sequence[Any], lines: Sequence[int], file: Path, kind: str) -> Table:
    order: dict[str, int] = {}
    for item in items:
        if isinstance(item, dict):
            for key in item:
                order.setdefault(str(key).strip(), len(order))
    columns = tuple(order)
    rows: list[Sequence[Any]] = []
    bad: dict[int, str] = {}
    for index, item in enumerate(items):
        cells: list[Any] = [None] * len(columns)
        if isinstance(item, dict):
            for key, value in item.items():
                cells[order[str(key).strip()]] = value
        else:
            bad[index] = f"expected an {kind} with employee, position … keys, got {type(item).__name__}"
        rows.append(cells)
    return Table(columns, rows, list(lines), source=str(file), encoding="utf-8", bad_rows=bad)


# --- writing --------------------------------------------------------------------------------------


def ensure_folder(target: Path) -> Path:
    """Create the folder ``target`` will be written in (and its parents); return it.

    Raises:
        ActualsIOError: it cannot be created (a file is in the way, no permission).
    """
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ActualsIOError(f"{target}: cannot create the folder {folder}: {exc.strerror or exc}") from None
    return folder


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``path`` only if it succeeds.

    The temporary file sits in the same folder (so :func:`os.replace` is atomic) and is removed when
    ``write`` raises; an existing ``path`` is then left as it was. A new file gets the permissions a
    plain ``open()`` would give it; an existing one keeps its own.

    Missing folders on the way to ``path`` are created, as ``mkdir -p`` would.

    Raises:
        ActualsIOError: the folder cannot be created or written.
    """
    target = Path(path)
    folder = ensure_folder(target)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise ActualsIOError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ActualsIOError(f"{target}: cannot write in {folder}: {exc.strerror or exc}") from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb+") as handle:  # on disk before the rename makes it visible
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        temporary.replace(target)  # os.replace: atomic within one file system
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_results(path: str | Path, result: BatchResult, *, locale: str | None = None) -> None:
    """Write ``result`` in the format its suffix names (see :data:`OUTPUT_FORMATS`), atomically.

    ``locale`` (``zh`` or ``en``) chooses the language of the HTML report's labels.

    Raises:
        ActualsIOError: an unknown suffix (the message lists the supported ones), HTML reports not
            available, or the file cannot be written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    writers: dict[str, Callable[[Path, BatchResult], None]] = {
        ".csv": write_csv,
        ".xlsx": write_xlsx,
        ".json": write_json,
        ".md": write_markdown,
        ".html": write_html,
    }
    if suffix not in writers:
        raise ActualsIOError(
            f"{target}: cannot write {suffix or 'files without a suffix'}; supported: "
            + ", ".join(f"{s} ({d})" for s, d in OUTPUT_FORMATS.items())
        )
    if suffix == ".html":
        write_html(target, result, locale=locale)
    else:
        writers[suffix](target, result)


def summary_header(result: BatchResult) -> list[str]:
    """The CSV header: ``employee, position, stage, period, total, grade, bonus, <kpi>_score …``."""
    return [*_SUMMARY_FIELDS, *(f"{kpi}_score" for kpi in result.kpi_ids)]


def write_csv(path: str | Path, result: BatchResult) -> None:
    """One row per scored input row (:func:`summary_header`); UTF-8 with a BOM so Excel shows Chinese.

    Numbers are written in full precision (``repr``); a KPI not on a row's total is an empty cell.
    Text that a spreadsheet would run as a formula (an employee named ``=HYPERLINK(...)``) gets a leading
    apostrophe, as OWASP advises for CSV exports; position, stage and period are ids and cannot start so.
    Errors are not written here: callers report them (``ecomperf score`` on stderr).
    """
    table = result.summaries
    columns: list[Iterable[object]] = [
        map(_inert, table.employees), table.positions, table.stages, table.periods, map(repr, table.totals),
        table.grades,
        map(repr, table.bonuses),
        *(["" if value is None else repr(value) for value in scores] for scores in table.scores.values()),
    ]

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            handle.write("\ufeff")  # the BOM; the utf-8-sig codec would encode every row in Python
            writer = csv.writer(handle)
            writer.writerow(summary_header(result))
            writer.writerows(zip(*columns, strict=True))

    atomic_write(path, write)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_json(path: str | Path, result: BatchResult) -> None:
    """``{"framework", "source", "cards" (or "rows" without detail), "errors", "warnings"}`` as UTF-8 JSON."""
    from pydantic_core import to_json

    payload: dict[str, Any] = {"framework": result.framework, "source": result.source}
    if result.cards:
        payload["cards"] = result.cards  # serialised by pydantic, as card.model_dump_json() would
    else:
        payload["rows"] = [_summary_dict(summary) for summary in result.rows]
    payload["errors"] = [{"row": e.row, "employee": e.employee, "reason": e.reason} for e in result.errors]
    payload["warnings"] = list(result.warnings)
    data = to_json(payload, indent=2) + b"\n"

    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    atomic_write(path, write)


def _summary_dict(summary: RowSummary) -> dict[str, Any]:
    return {
        "row": summary.row, "employee": summary.employee, "position": summary.position,
        "stage": summary.stage, "period": summary.period, "context": dict(summary.context),
        "total": summary.total, "grade": summary.grade, "bonus": summary.bonus,
        "scores": dict(summary.scores), "veto": list(summary.veto),
    }


def write_markdown(path: str | Path, result: BatchResult) -> None:
    """A Markdown table of the scores, then the rows that failed and the warnings."""
    lines = [f"# Scores: {result.framework}", ""]
    header = ["Row", "Employee", "Position", "Stage", "Period", "Total", "Grade", "Bonus", "Veto"]
    lines += _md_table(
        header,
        (
            [str(s.row), s.employee, s.position, s.stage, s.period, f"{s.total:.2f}", s.grade, f"{s.bonus:g}",
             ", ".join(s.veto)]
            for s in result.rows
        ),
        numeric={0, 5, 7},
    )
    if result.errors:
        lines += ["", f"## Rows not scored ({len(result.errors)})", ""]
        lines += _md_table(["Row", "Employee", "Reason"],
                           ([str(e.row), e.employee, e.reason] for e in result.errors), numeric={0})
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
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def write_html(path: str | Path, result: BatchResult, *, locale: str | None = None) -> None:
    """The team report of :mod:`ecomperf.render.report` (needs the per-row cards).

    Raises:
        ActualsIOError: the report renderer is not part of this version yet.
    """
    try:
        from ecomperf.render import report
    except ImportError:
        report = None  # type: ignore[assignment]
    team_report_html: Callable[..., str] | None = getattr(report, "team_report_html", None)
    if team_report_html is None:
        raise ActualsIOError(
            f"{path}: HTML team reports are not available in this version yet; write "
            + ", ".join(s for s in OUTPUT_FORMATS if s != ".html")
        )
    html = team_report_html(result.cards, result.errors, locale, grades=list(result.grades))

    def write(temporary: Path) -> None:
        temporary.write_text(html, encoding="utf-8")

    atomic_write(path, write)


# --- xlsx -----------------------------------------------------------------------------------------

# Grade fills from the best grade (green) to the worst (red); Excel's own "good/neutral/bad" tints.
_GRADE_FILLS: Final = ("C6EFCE", "E2EFDA", "FFEB9C", "FCE4D6", "FFC7CE")
_HEADER_FILL: Final = "D9E1F2"
_MAX_WIDTH: Final = 60
_WIDTH_SAMPLE: Final = 2000
_SHEET_ROWS: Final = 1_048_575
"""Data rows per sheet: Excel's limit of 1,048,576 rows less the header."""


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


def write_xlsx(path: str | Path, result: BatchResult) -> None:
    """A workbook with a *Summary* sheet (grade cells coloured), a *Detail* sheet with one row per KPI
    score (when the result has cards), an *Errors* sheet and, when there are any, a *Warnings* sheet.

    Every sheet has a bold, frozen header row and column widths fitted to its first rows. A table longer
    than Excel's row limit continues on ``Detail (2)`` and so on.
    """
    try:
        from openpyxl import Workbook
    except ImportError:  # pragma: no cover - openpyxl is an optional extra
        raise ActualsIOError(f"{path}: writing .xlsx needs openpyxl: pip install 'ecomperf[xlsx]'") from None
    ensure_folder(Path(path))  # before the write-only workbook opens its row streams
    kpis = result.kpi_ids
    fills = grade_fills(result.grades)
    workbook = Workbook(write_only=True)
    summary_rows = (
        [s.row, s.employee, s.position, s.stage, s.period, s.total, s.grade, s.bonus, ", ".join(s.veto),
         *(s.scores.get(kpi) for kpi in kpis)]
        for s in result.rows
    )
    _sheet(
        workbook, "Summary",
        ["row", "employee", "position", "stage", "period", "total", "grade", "bonus", "veto",
         *(f"{kpi}_score" for kpi in kpis)],
        summary_rows,
        formats={5: "0.00", 7: "0.00", **{9 + i: "0.00" for i in range(len(kpis))}},
        fill_column=6, fills=fills,
    )
    if result.cards:
        # raw numbers: a number format per cell would double the time of the largest sheet
        _sheet(workbook, "Detail", _DETAIL_HEADER, _detail_rows(result), formats={})
    _sheet(workbook, "Errors", ["row", "employee", "reason"], ([e.row, e.employee, e.reason] for e in result.errors),
           formats={})
    if result.warnings:
        _sheet(workbook, "Warnings", ["warning"], ([w] for w in result.warnings), formats={})

    def write(temporary: Path) -> None:
        workbook.save(temporary)

    atomic_write(path, write)


_DETAIL_HEADER: Final = [
    "row", "employee", "position", "stage", "period", "kpi", "actual", "target", "achievement", "score",
    "weight", "weighted_score", "method", "veto_breached", "notes",
]


def _detail_rows(result: BatchResult) -> Iterable[list[Any]]:
    for summary, card in zip(result.rows, result.cards, strict=True):
        lead = [summary.row, summary.employee, card.position, card.stage, card.period]
        for kpi in card.kpis:
            yield [
                *lead, kpi.kpi, kpi.actual, str(kpi.target) if kpi.target is not None else None,
                kpi.achievement, kpi.score, kpi.weight, kpi.weighted_score, kpi.method,
                "yes" if kpi.veto_breached else "", "; ".join(kpi.notes),
            ]
        for dropped in card.dropped:
            yield [*lead, dropped.kpi, None, None, None, None, dropped.weight, None, None, "",
                   f"not on the total: {dropped.reason}"]


def _sheet(
    workbook: Any,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    formats: dict[int, str],
    fill_column: int | None = None,
    fills: dict[str, str] | None = None,
) -> None:
    """Write one table: a bold, frozen header, widths fitted to the first rows, and as many sheets
    (``Title``, ``Title (2)`` …) as Excel's row limit needs."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    iterator = iter(rows)
    sample = list(islice(iterator, _WIDTH_SAMPLE))
    widths = [_display_width(name) for name in header]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            if value is not None:
                widths[index] = max(widths[index], _display_width(_shown(value, formats.get(index))))
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    pattern_fills = {grade: PatternFill("solid", fgColor=rgb) for grade, rgb in (fills or {}).items()}

    def new_sheet(part: int) -> Any:
        sheet = workbook.create_sheet(title if part == 1 else f"{title} ({part})")
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cell.fill = header_fill
            header_cells.append(cell)
        sheet.append(header_cells)
        return sheet

    part, written = 1, 0
    sheet = new_sheet(part)
    for row in chain(sample, iterator):
        if written == _SHEET_ROWS:
            part, written = part + 1, 0
            sheet = new_sheet(part)
        cells: list[Any] = []
        for index, value in enumerate(row):
            number_format = formats.get(index)
            fill = pattern_fills.get(value) if index == fill_column and isinstance(value, str) else None
            text = isinstance(value, str) and value.startswith("=")
            if (number_format is None or not isinstance(value, int | float)) and fill is None and not text:
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if text:
                cell.data_type = "s"  # input text such as "=HYPERLINK(...)" stays text, never a formula
            if number_format is not None:
                cell.number_format = number_format
            if fill is not None:
                cell.fill = fill
            cells.append(cell)
        sheet.append(cells)
        written += 1


def _shown(value: object, number_format: str | None) -> str:
    if isinstance(value, float) and number_format is not None:
        return f"{value:.2f}"
    return str(value)


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
