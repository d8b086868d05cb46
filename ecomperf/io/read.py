"""Actuals in: CSV, XLSX, JSON and YAML readers.

Readers return a :class:`~ecomperf.batch.table.Table`: the header, the cells of each data row as read, and
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

Limits (the ``MAX_*`` constants below, listed on docs/reference/limits.md) are checked before anything is
expanded: only regular files are read (a FIFO is refused, never waited on), their size, the rows of a file
or worksheet, the length of a cell, the expanded size of a workbook (from its zip directory) and the
nesting of JSON. A key written twice in a JSON or YAML row, or two keys that are one once trimmed, fail
that row.

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
import re
import stat
import threading
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any, Final, cast

from ecomperf.batch.table import Table, key_collision
from ecomperf.errors import ActualsIOError
from ecomperf.loading.yaml_messages import explain_syntax
from ecomperf.loading.yaml_source import MAX_FILE_BYTES as MAX_YAML_BYTES
from ecomperf.loading.yaml_source import parse_yaml

__all__ = [
    "INPUT_FORMATS",
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_ROWS",
    "MAX_XLSX_CELL_BYTES",
    "MAX_XLSX_ROWS",
    "MAX_XLSX_XML_BYTES",
    "decode_text",
    "read_actuals",
    "read_csv",
    "read_json",
    "read_parquet",
    "read_xlsx",
    "read_yaml",
]

INPUT_FORMATS: Final = {
    ".csv": "CSV",
    ".tsv": "CSV (tab separated)",
    ".xlsx": "Excel workbook",
    ".xlsm": "Excel workbook",
    ".json": "JSON list of objects",
    ".yaml": "YAML list of mappings",
    ".yml": "YAML list of mappings",
    ".parquet": "Parquet (needs ecomperf[arrow])",
}
"""Actuals file suffixes :func:`read_actuals` understands."""

MAX_FILE_BYTES: Final = 1024 * 1024 * 1024
"""Largest actuals file read (1 GiB on disk); YAML actuals keep the framework files' 4 MiB."""

MAX_ROWS: Final = 2_000_000
"""Most rows of a CSV, JSON or YAML actuals file (the header and blank rows count)."""

MAX_CELL_CHARS: Final = 32_767
"""Longest CSV cell, in characters: what one spreadsheet cell holds."""

MAX_XLSX_ROWS: Final = 1_048_576
"""Most rows of one worksheet: Excel's own limit, so a sheet with more was not made by Excel."""

MAX_XLSX_XML_BYTES: Final = 1024 * 1024 * 1024
"""Most bytes a workbook's parts may expand to, all together (1 GiB), read from the zip directory."""

MAX_XLSX_CELL_BYTES: Final = 10 * MAX_CELL_CHARS
"""Longest text of a workbook's XML between two tags (327,670 bytes): room for 32,767 characters, each
written as an escape of up to ten bytes, and far beyond what Excel writes."""

MAX_JSON_DEPTH: Final = 64
"""Deepest nesting of JSON actuals that is located when Python's JSON reader cannot read it."""

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
    if suffix == ".parquet":
        return read_parquet(file)
    return read_csv(file, delimiter="\t" if suffix == ".tsv" else None)


@contextmanager
def _regular_file(file: Path, limit: int = MAX_FILE_BYTES) -> Iterator[IO[bytes]]:
    """Open ``file`` for reading if it is a regular file of at most ``limit`` bytes.

    The file is opened without blocking and checked on its descriptor, so a FIFO, socket or device named
    ``actuals.csv`` is refused at once instead of waiting forever for a writer, and nothing can swap the
    file between the check and the read.
    """
    try:
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ActualsIOError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise ActualsIOError(f"{file}: is a folder; give the actuals file") from None
    except OSError as exc:
        raise ActualsIOError(f"{file}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise ActualsIOError(f"{file}: is a folder; give the actuals file")
        if not stat.S_ISREG(info.st_mode):
            raise ActualsIOError(
                f"{file}: is not a regular file (a pipe, socket or device); save the actuals to a file and give that"
            )
        if info.st_size > limit:
            raise ActualsIOError(
                f"{file}: is {_size(info.st_size)}; actuals files are read up to {_size(limit)}: "
                "split the rows into several files and give each with --actuals"
            )
        yield handle


def _read_bytes(file: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    with _regular_file(file, limit) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise ActualsIOError(f"{file}: cannot read: {exc.strerror or exc}") from None


def _size(size: int) -> str:
    """``1073741825`` -> ``'1,024.0 MiB'``: a size as the limits on the input-limits page are written."""
    return f"{size / 1024 / 1024:,.1f} MiB"


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
        with _field_limit(MAX_CELL_CHARS):
            records = list(islice(reader, MAX_ROWS + 1))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ActualsIOError(
                f"{file}:{reader.line_num}: a cell is longer than {MAX_CELL_CHARS:,} characters, the most a "
                "spreadsheet cell holds; is a quote (\") left open above this line?"
            ) from None
        raise ActualsIOError(f"{file}:{reader.line_num}: not valid CSV: {exc}") from None
    if len(records) > MAX_ROWS:
        raise ActualsIOError(
            f"{file}:{reader.line_num}: the file has more than {MAX_ROWS:,} rows, the most read from one file; "
            "split the rows into several files and give each with --actuals"
        )
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


_FIELD_LIMIT_LOCK: Final = threading.Lock()


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """``csv.field_size_limit(limit)`` while the block runs, then the caller's limit again.

    The limit is the csv module's, shared by the process: the lock keeps two of ecomperf's readers from
    restoring each other's value.
    """
    with _FIELD_LIMIT_LOCK:
        before = csv.field_size_limit(limit)
        try:
            yield
        finally:
            csv.field_size_limit(before)


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
        import openpyxl  # optional extra [xlsx]
    except ImportError:  # pragma: no cover - openpyxl is an optional extra
        raise ActualsIOError(f"{file}: reading .xlsx needs openpyxl: pip install 'ecomperf[xlsx]'") from None
    with _regular_file(file) as handle:
        _check_workbook(handle, file)
        handle.seek(0)
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for bad files
            raise ActualsIOError(f"{file}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
        return _read_sheet(workbook, file, sheet)


def _read_sheet(workbook: Any, file: Path, sheet: str | None) -> Table:
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


_ROW_TAG: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_DIMENSION: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref=[\"'][A-Z]*\d*:?[A-Z]*(\d+)[\"']")
_CHUNK: Final = 256 * 1024  # at most MAX_XLSX_CELL_BYTES: a longer text cannot hide inside one chunk


def _check_workbook(handle: IO[bytes], file: Path) -> None:
    """Refuse a workbook that would expand past the limits, reading only its zip directory and streaming its
    worksheets and shared texts through a counter (never holding more than a chunk of them).

    The zip directory gives every part's expanded size (and :mod:`zipfile` never expands a part past it);
    the worksheets' ``<row>`` tags are counted, and the longest run of text between two tags is measured.
    """
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ActualsIOError(f"{file}: not a readable .xlsx workbook (BadZipFile: {exc})") from None
    with archive:
        parts = archive.infolist()
        expanded = sum(part.file_size for part in parts)
        if expanded > MAX_XLSX_XML_BYTES:
            biggest = max(parts, key=lambda part: part.file_size)
            raise ActualsIOError(
                f"{file}: the workbook expands to {_size(expanded)} ({biggest.filename} alone to "
                f"{_size(biggest.file_size)}), more than the {_size(MAX_XLSX_XML_BYTES)} ecomperf reads; a sheet of "
                "actuals is far smaller: save the rows as CSV, or split them over several workbooks"
            )
        for part in parts:
            name = part.filename.lower()
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _scan_part(archive, part, file, rows=True)
            elif name.endswith("sharedstrings.xml"):
                _scan_part(archive, part, file, rows=False)


def _scan_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, file: Path, *, rows: bool) -> None:
    """Count the rows of one worksheet part (or check the texts of the shared-strings part) as it streams."""
    count, carry, since_tag, first = 0, b"", 0, True
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                if rows and first:
                    claimed = _DIMENSION.search(chunk)
                    if claimed is not None and int(claimed.group(1)) > MAX_XLSX_ROWS:
                        _too_many_rows(file, part, f"its dimension says {int(claimed.group(1)):,}")
                    first = False
                start = chunk.find(b"<")
                if start < 0:
                    since_tag += len(chunk)
                else:
                    if since_tag + start > MAX_XLSX_CELL_BYTES:
                        break
                    since_tag = len(chunk) - chunk.rfind(b"<") - 1
                if since_tag > MAX_XLSX_CELL_BYTES:
                    break
                if rows:
                    buffer = carry + chunk
                    count += len(_ROW_TAG.findall(buffer)) - len(_ROW_TAG.findall(carry))
                    carry = buffer[-32:]
                    if count > MAX_XLSX_ROWS:
                        _too_many_rows(file, part, f"more than {MAX_XLSX_ROWS:,}")
            else:
                return
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ActualsIOError(f"{file}: not a readable .xlsx workbook ({part.filename}: {exc})") from None
    where = f"the sheet {part.filename}, near row {max(count, 1):,}" if rows else "the shared texts of the workbook"
    raise ActualsIOError(
        f"{file}: {where} holds a text of more than {MAX_XLSX_CELL_BYTES:,} bytes; a cell holds at most "
        f"{MAX_CELL_CHARS:,} characters: shorten that cell or save the rows as CSV"
    )


def _too_many_rows(file: Path, part: zipfile.ZipInfo, found: str) -> None:
    raise ActualsIOError(
        f"{file}: the sheet {part.filename} has too many rows ({found}); a worksheet holds at most "
        f"{MAX_XLSX_ROWS:,} rows, as in Excel: split the rows over several workbooks or save them as CSV"
    )


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
    decoder = json.JSONDecoder(object_pairs_hook=_json_object, parse_int=_json_int)
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
                raise fail(exc.pos, f"not valid JSON: {_json_mistake(exc.msg, text, exc.pos)}") from None
            except RecursionError:
                raise fail(_too_deep_at(text, position), f"not valid actuals: nested more than {MAX_JSON_DEPTH} "
                           "levels deep; each row is one flat object of names and values") from None
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


def read_parquet(path: str | Path) -> Table:
    """Read a Parquet file whole; the first row is row 2, as if under a header (stream big files with
    :mod:`ecomperf.io.arrow` instead).

    Raises:
        ActualsIOError: pyarrow is not installed, or the file is not readable Parquet.
    """
    file = Path(path)
    try:
        import pyarrow.parquet as pq  # optional extra [arrow]
    except ImportError:  # pragma: no cover - pyarrow is in the dev extra
        raise ActualsIOError(f"{file}: reading .parquet needs pyarrow: pip install 'ecomperf[arrow]'") from None
    with _regular_file(file) as handle:
        try:
            data = pq.read_table(handle)
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError and others for bad files
            raise ActualsIOError(f"{file}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None
    columns = tuple(name.strip() for name in data.column_names)
    rows: list[Sequence[Any]] = list(zip(*(column.to_pylist() for column in data.columns), strict=True))
    return Table(columns, rows, list(range(2, 2 + len(rows))), source=str(file))


class _DuplicatedKeys(dict[str, Any]):
    """A JSON object that names a key twice: the keys as written, for the row's error."""

    __slots__ = ("twice",)

    def __init__(self, pairs: list[tuple[str, Any]], twice: list[str]) -> None:
        super().__init__(pairs)
        self.twice = twice


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of JSON, remembering keys written twice (``json`` would keep the last value silently)."""
    values = dict(pairs)
    if len(values) == len(pairs):
        return values
    counts = Counter(key for key, _ in pairs)
    return _DuplicatedKeys(pairs, [key for key, count in counts.items() if count > 1])


def _json_int(digits: str) -> int | str:
    """A JSON integer; past 400 digits its text, which the actual parser refuses as too large with the metric
    named (``int()`` of 4,300 digits and more raises ``ValueError``, and none fits a float)."""
    return int(digits) if len(digits) <= 400 else digits


def _too_deep_at(text: str, position: int) -> int:
    """Where the item starting at ``position`` opens its bracket number ``MAX_JSON_DEPTH + 1``."""
    depth, index, quoted = 0, position, False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return index
        elif char in "]}":
            depth -= 1
        index += 1
    return position


_JSON_MISTAKES: Final = {
    "Expecting property name enclosed in double quotes": "a name must be written in double quotes (\"gmv\": 1)",
    "Expecting ':' delimiter": "a name must be followed by ':' and its value (\"gmv\": 1)",
    "Expecting ',' delimiter": "a ',' is missing between two entries (or a number starts with 0: write 7, not 07)",
    "Invalid control character at": "a line break or control character inside quotes; write it as \\n, or close "
                                     "the quote",
    "Invalid \\escape": "a backslash starts an escape JSON does not know; write \\\\ for a backslash",
    "Unterminated string starting at": "a text in quotes is never closed; add the closing \"",
}


def _json_mistake(reason: str, text: str, position: int) -> str:
    """The JSON library's reason in plain words, with the fix: a trailing comma, single quotes, bare words."""
    after = text[position : position + 1]
    expects_name = reason.startswith("Expecting property name")
    if not after and (expects_name or reason == "Expecting value"):
        return "the file ends inside the list; close every '{' with '}' and the list with ']'"
    if (expects_name and after == "}") or (reason == "Expecting value" and after in {"]", "}"}):
        return f"a comma before '{after}': JSON allows none after the last entry; remove it"
    if expects_name and after == "'":
        return "names and texts are written in double quotes in JSON, not single quotes"
    if reason == "Expecting value":
        word = re.match(r"[^\s,\]}]*", text[position : position + 40])
        shown = word.group(0) if word else ""
        if not shown:
            return "a value is missing here: write a number, a text in double quotes, or null"
        return (f"{shown!r} is not a JSON value: write a text in double quotes (\"{shown}\"), a number as 1200.5, "
                "or true, false, null in lower case")
    return _JSON_MISTAKES.get(reason, reason)


def read_yaml(path: str | Path) -> Table:
    """Read a YAML list of mappings (safely: plain data only); each row's number is its line.

    Raises:
        ActualsIOError: a YAML error (with its line), several documents, or not a list at the top.
    """

    file = Path(path)
    data = _read_bytes(file, MAX_YAML_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ActualsIOError(f"{file}:{line}: YAML must be UTF-8 (byte {exc.start + 1} is not)") from None
    documents, problems = parse_yaml(text, str(file))
    errors = [explain_syntax(problem, text) for problem in problems if problem.severity == "error"]
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
            twice = item.twice if isinstance(item, _DuplicatedKeys) else None
            collision = f"the {kind} names {twice[0]!r} twice; keep one" if twice else key_collision(item)
            if collision is not None:
                bad[index] = collision
        else:
            bad[index] = f"expected an {kind} with employee, position … keys, got {type(item).__name__}"
        rows.append(cells)
    return Table(columns, rows, list(lines), source=str(file), encoding="utf-8", bad_rows=bad)


# --- writing --------------------------------------------------------------------------------------
