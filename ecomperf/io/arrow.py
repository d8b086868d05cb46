"""Actuals and scores as Arrow record batches: streaming CSV and Parquet readers, and the score writers.

The readers never hold the whole file: they yield :class:`Chunk` objects of at most ``block_size`` bytes of
input (CSV) or ``batch_rows`` rows (Parquet), each a record batch of text (CSV) or typed (Parquet) columns
with an int64 ``row`` column, so memory stays bounded whatever the file's size. They keep the guarantees
of :mod:`ecomperf.io.read`:

* row numbers are a spreadsheet's: the header is row 1, blank lines are counted (and their rows skipped
  when scored); for Parquet the first row is row 2, as if under a header;
* a CSV row with fewer cells than the header is padded, one with more non-empty cells is reported as a
  bad row, and both keep their row numbers (Arrow hands them to :class:`Chunk.extra`, a small
  :class:`~ecomperf.batch.table.Table`, so they are scored row by row rather than dropped);
* UTF-8 with or without a byte-order mark, else GB18030 (:func:`open_actuals` retries in GB18030 when the
  bytes are not UTF-8), comma, tab or semicolon separated (guessed from the header line like
  :func:`ecomperf.io.read.read_csv`), a header naming a column twice is refused.

The score writers format numbers and text exactly as :func:`ecomperf.io.write.write_csv` does (``repr`` of
each float, an apostrophe before text a spreadsheet would run as a formula, ``\\r\\n`` line ends, UTF-8 with
a byte-order mark) without a Python call per cell.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ecomperf.batch.arrow_arrays import bools, from_numpy, text_lengths, text_scalar, texts, valid
from ecomperf.batch.arrow_arrays import numbers as _numbers_of
from ecomperf.batch.columnar import ROW_COLUMN
from ecomperf.batch.table import Table
from ecomperf.errors import ActualsIOError
from ecomperf.io.read import _DELIMITERS, MAX_CELL_CHARS, _column_letter, _fit, _header
from ecomperf.io.write import scores_header
from ecomperf.model.display import POINT_DECIMALS, shown_points
from ecomperf.spreadsheet_text import FORMULA_STARTS

__all__ = [
    "ARROW_INPUTS",
    "BLOCK_SIZE",
    "Chunk",
    "NotUtf8",
    "format_floats",
    "open_actuals",
    "scores_csv_bytes",
    "shown_points_array",
    "write_bom_and_header",
]

ARROW_INPUTS: Final = {".csv": "CSV", ".tsv": "CSV (tab separated)", ".parquet": "Parquet"}
"""Input suffixes the streaming readers take."""

BLOCK_SIZE: Final = 4 << 20
"""Bytes of CSV per record batch (4 MiB: about 50,000 rows of a typical actuals file)."""

_HEAD_BYTES: Final = 1 << 16
_QUOTED_CHARACTERS: Final = (",", '"', "\r", "\n")  # what makes csv.writer quote a cell
# constant texts for compute functions (a Python str would be converted through pyarrow's pandas shim)
_EMPTY: Final = text_scalar("")
_WHOLE: Final = text_scalar(".0")
_APOSTROPHE: Final = text_scalar("'")
_QUOTE: Final = text_scalar('"')
_LINE_END: Final = text_scalar("\r\n")
_COMMA: Final = text_scalar(",")


class NotUtf8(ActualsIOError):
    """The CSV bytes are not UTF-8 (raised mid-stream; :func:`open_actuals` with ``encoding="gb18030"`` again)."""


@dataclass
class Chunk:
    """One record batch of input rows, plus the rows Arrow could not put in it.

    Attributes:
        batch: the rows, with an int64 ``row`` column of row numbers.
        extra: rows with a different number of cells than the header (padded, or marked bad), with their
            row numbers, for the row-by-row path; ``None`` when there are none.
    """

    batch: pa.RecordBatch
    extra: Table | None = None


@dataclass
class ArrowActuals:
    """An open actuals file read as a stream of :class:`Chunk` objects (iterate it once).

    Attributes:
        source: the file, for messages.
        columns: the header.
        encoding: the text encoding (CSV), else ``None``.
        warnings: things the reader noticed (columns with values but no header).
    """

    source: str
    columns: tuple[str, ...]
    chunks: Iterator[Chunk]
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Chunk]:
        return self.chunks


def open_actuals(
    path: str | Path, *, encoding: str | None = None, block_size: int = BLOCK_SIZE,
    columns: Sequence[str] | None = None,
) -> ArrowActuals:
    """Open a ``.csv``, ``.tsv`` or ``.parquet`` file of actuals for streaming (see the module docstring).

    Args:
        path: the file.
        encoding: ``None`` to read UTF-8 (with or without BOM); ``"gb18030"`` after :class:`NotUtf8`.
        block_size: bytes of CSV per batch.
        columns: read only these columns (those the file has) and ``row``: a cheap pass over the key
            columns. Rows handed to :attr:`Chunk.extra` keep every cell.

    Raises:
        ActualsIOError: the file is missing, is not CSV or Parquet, or its header names a column twice;
            :class:`NotUtf8` while iterating when the bytes are not UTF-8.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in ARROW_INPUTS:
        raise ActualsIOError(f"{file}: the streaming reader takes {', '.join(ARROW_INPUTS)}, not {suffix}")
    if not file.is_file():
        raise ActualsIOError(f"{file}: no such file" if not file.exists() else f"{file}: is not a file")
    if suffix == ".parquet":
        return _open_parquet(file, columns)
    return _open_csv(file, "\t" if suffix == ".tsv" else None, encoding, block_size, columns)


def _open_parquet(file: Path, wanted: Sequence[str] | None) -> ArrowActuals:
    import pyarrow.parquet as pq  # start-up cost: Parquet support loads only for .parquet files

    try:
        handle = pq.ParquetFile(file)
    except (pa.ArrowException, OSError) as exc:
        raise ActualsIOError(f"{file}: not a readable Parquet file ({exc})") from None
    columns = tuple(handle.schema_arrow.names)
    read = None if wanted is None else [name for name in columns if name in wanted or name == ROW_COLUMN]

    def chunks() -> Iterator[Chunk]:
        first = 2
        for batch in handle.iter_batches(batch_size=65_536, columns=read):
            numbers = from_numpy(np.arange(first, first + batch.num_rows, dtype=np.int64))
            first += batch.num_rows
            yield Chunk(batch.append_column(ROW_COLUMN, numbers) if ROW_COLUMN not in batch.schema.names
                        else batch)

    return ArrowActuals(str(file), columns, chunks())


def _open_csv(
    file: Path, delimiter: str | None, encoding: str | None, block_size: int, wanted: Sequence[str] | None
) -> ArrowActuals:
    with file.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    bom = head.startswith(codecs.BOM_UTF8)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    text = head.decode(encoding or "utf-8-sig", errors="replace")
    if delimiter is None:
        end = text.find("\n")
        first_line = text if end < 0 else text[:end]
        delimiter = next((d for d in _DELIMITERS if d in first_line), ",")
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    skipped = 0
    header: list[str] = []
    for record in records:
        if "".join(record).strip():
            header = [cell.strip() for cell in record]
            break
        skipped += 1
    columns = _header(header, file, skipped + 1)
    names = [name if name else f"\0{index}" for index, name in enumerate(columns)]
    unnamed = [name for name in names if name.startswith("\0")]
    actuals = ArrowActuals(str(file), columns, iter(()), encoding=encoding or ("utf-8-sig" if bom else "utf-8"))
    if not header:
        return actuals
    invalid: list[tuple[int, str]] = []

    def handler(row: Any) -> str:
        invalid.append((int(row.number), str(row.text)))
        return "skip"

    read = pacsv.ReadOptions(use_threads=False, block_size=block_size, skip_rows=skipped + 1, column_names=names,
                             encoding=encoding or "utf8")
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                               invalid_row_handler=handler)
    included = [] if wanted is None else [name for name in names if name in wanted] or names[:1]
    if wanted is not None:
        unnamed = []  # not read, so not checked: the full pass notes them
    convert = pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, strings_can_be_null=False,
                                   quoted_strings_can_be_null=False, include_columns=included)

    def chunks() -> Iterator[Chunk]:
        numbering = _Numbering(skipped + 2)
        try:
            reader = pacsv.open_csv(file, read_options=read, parse_options=parse, convert_options=convert)
            for batch in reader:
                numbers, extra_rows = numbering.take(batch.num_rows, invalid)
                _check_cell_lengths(file, batch, numbers)
                yield Chunk(_named(batch, unnamed, actuals, numbers), _extra(extra_rows, columns, delimiter))
            _, extra_rows = numbering.take(0, invalid, final=True)
            if extra_rows:
                empty = pa.RecordBatch.from_arrays([pa.nulls(0, pa.string()) for _ in columns if _],
                                                   names=[c for c in columns if c])
                yield Chunk(empty.append_column(ROW_COLUMN, pa.nulls(0, pa.int64())),
                            _extra(extra_rows, columns, delimiter))
        except pa.ArrowInvalid as exc:
            message = str(exc)
            if "UTF8" in message or "utf8" in message.lower():
                raise NotUtf8(f"{file}: the file is not UTF-8") from None
            raise ActualsIOError(f"{file}: not valid CSV: {message}") from None

    actuals.chunks = chunks()
    return actuals


def _check_cell_lengths(file: Path, batch: pa.RecordBatch, numbers: pa.Array) -> None:
    """Refuse a cell longer than :data:`~ecomperf.io.read.MAX_CELL_CHARS`, as the row-by-row reader does (the
    streamed file has no row or size limit: memory stays bounded by the batch)."""
    for column in batch.columns:
        if len(column) and int(text_lengths(column).max()) <= MAX_CELL_CHARS:
            continue  # no cell has more bytes than the limit, so none has more characters
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > MAX_CELL_CHARS:
            row = numbers[pc.index(lengths, longest).as_py()].as_py()
            raise ActualsIOError(
                f"{file}:{row}: a cell is longer than {MAX_CELL_CHARS:,} characters, the most a spreadsheet cell "
                "holds; is a quote (\") left open above this row?"
            )


class _Numbering:
    """Row numbers for the rows Arrow yields, skipping those it handed to the invalid-row handler."""

    def __init__(self, first: int) -> None:
        self.next = first

    def take(
        self, size: int, invalid: list[tuple[int, str]], *, final: bool = False
    ) -> tuple[pa.Array, list[tuple[int, str]]]:
        skipped = sorted(number for number, _ in invalid)
        candidates = np.arange(self.next, self.next + size + len(skipped), dtype=np.int64)
        if skipped:
            candidates = candidates[~np.isin(candidates, np.asarray(skipped, dtype=np.int64))]
        numbers = candidates[:size]
        if size:
            self.next = int(numbers[-1]) + 1
        done = [(number, text) for number, text in invalid if final or number < self.next]
        invalid[:] = [(number, text) for number, text in invalid if not (final or number < self.next)]
        return from_numpy(numbers), sorted(done)


def _named(batch: pa.RecordBatch, unnamed: list[str], actuals: ArrowActuals, numbers: pa.Array) -> pa.RecordBatch:
    """The batch without its unnamed columns (noting any that hold values), with its row numbers."""
    for name in unnamed:
        column = batch.column(name)
        if pc.any(pc.not_equal(pc.utf8_trim_whitespace(column), _EMPTY)).as_py():
            letter = _column_letter(int(name[1:]))
            note = f"column(s) {letter} have values but no header; their values are ignored"
            if note not in actuals.warnings:
                actuals.warnings.append(note)
    kept = [name for name in batch.schema.names if name not in unnamed]
    return batch.select(kept).append_column(ROW_COLUMN, numbers)


def _extra(rows: list[tuple[int, str]], columns: Sequence[str], delimiter: str) -> Table | None:
    """The rows Arrow skipped, parsed and fitted to the header as :func:`ecomperf.io.read.read_csv` does."""
    if not rows:
        return None
    cells: list[Sequence[Any]] = []
    numbers: list[int] = []
    bad: dict[int, str] = {}
    for number, text in rows:
        parsed = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        if not parsed:
            continue
        width = len(columns)
        cells.append(parsed if len(parsed) == width else _fit(list(parsed), width, len(cells), bad))
        numbers.append(number)
    return Table(tuple(columns), cells, numbers, text_cells=True, bad_rows=bad)


# --- writing scores ---------------------------------------------------------------------------------


def format_floats(values: pa.Array) -> pa.Array:
    """Each float as Python's ``repr`` writes it (``110.0``, ``98.5``, ``1e-05``); null stays null.

    Arrow formats the usual magnitudes (shortest round-trip digits, as ``repr``) and ``.0`` is added to whole
    numbers; the rare values either writes in exponent notation (``1e-05``, ``1e+10`` in Arrow) and those that
    are not finite are formatted by ``repr`` itself. The tests on each value are numpy's, and Arrow's text is
    searched for an exponent only when its bytes hold an ``e`` at all.

    Example:
        >>> format_floats(pa.array([110.0, 98.5, None, 1e-05])).to_pylist()
        ['110.0', '98.5', None, '1e-05']
    """
    values = values.cast(pa.float64())
    if values.null_count == len(values):
        return pa.nulls(len(values), pa.string())
    numbers = np.asarray(_numbers_of(values), dtype=np.float64)  # NaN where null
    present = valid(values) if values.null_count else None
    text = pc.cast(values, pa.string())
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(numbers)
        unusual = ~np.isfinite(numbers) | ((magnitude < 1e-4) & (magnitude != 0.0)) | (magnitude >= 1e16)
        whole = np.floor(numbers) == numbers
    if present is not None:
        unusual &= present
    if _bytes_hold(text, b"e"):
        unusual |= bools(pc.match_substring(text, "e"))
    whole &= ~unusual
    if whole.any():
        suffix = pc.if_else(from_numpy(whole), _WHOLE, _EMPTY)
        text = pc.binary_join_element_wise(text, suffix, _EMPTY)
    if unusual.any():
        positions = np.flatnonzero(unusual)
        fixed = text.to_pylist()
        for position, value in zip(positions.tolist(), numbers[positions].tolist(), strict=True):
            fixed[position] = repr(value)
        text = texts(fixed)
    return text


def _bytes_hold(text: pa.Array, *needles: bytes) -> bool:
    """Whether the characters of a string array hold one of the single-byte ``needles`` anywhere: one numpy
    pass over its value buffer, far cheaper than a test per cell when (as usually) none does."""
    data = _value_bytes(text)
    return any(bool((data == needle[0]).any()) for needle in needles)


def _value_bytes(text: pa.Array) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """The bytes of a string array's values (those of its slice), as a numpy view of its value buffer."""
    text = text.cast(pa.string())
    buffers = text.buffers()
    if len(text) == 0 or buffers[2] is None:
        return np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[text.offset: text.offset + len(text) + 1]
    return np.frombuffer(buffers[2], dtype=np.uint8)[int(offsets[0]):int(offsets[-1])]


def _first_bytes(text: pa.Array) -> np.ndarray[Any, np.dtype[np.int16]]:
    """Per cell of a string array without nulls, its first byte (-1 for an empty cell)."""
    buffers = text.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[text.offset: text.offset + len(text) + 1]
    starts, ends = offsets[:-1], offsets[1:]
    first = np.full(len(text), -1, dtype=np.int16)
    if buffers[2] is None:
        return first
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    filled = ends > starts
    first[filled] = data[starts[filled]]
    return first


def shown_points_array(values: pa.Array) -> pa.Array:
    """Points rounded as :func:`ecomperf.model.display.shown_points` rounds each (2 decimals, half up on the
    printed number), for a whole column; null stays null.

    numpy rounds every value that is not within a hair of a tie; the near-ties (``88.125``, ``1.005``, whose
    binary value lies just below the printed one) and the huge values (10**13 and more, where a hundredth
    is below an ulp) go through ``shown_points`` itself, so every result is the scalar rule's.

    Example:
        >>> shown_points_array(pa.array([105.9999992, 88.125, 1.005, None])).to_pylist()
        [106.0, 88.13, 1.01, None]
    """
    numbers = np.array(_numbers_of(values.cast(pa.float64())), dtype=np.float64)  # NaN where null
    factor = 10.0 ** POINT_DECIMALS
    scaled = numbers * factor
    rounded = np.round(scaled) / factor + 0.0
    with np.errstate(invalid="ignore"):
        near_tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
        near_tie |= np.abs(numbers) >= 1e13  # beyond an ulp of a hundredth numpy's product is not the rule's
    for position in np.flatnonzero(near_tie).tolist():
        rounded[position] = shown_points(float(numbers[position]))
    return from_numpy(rounded, mask=np.isnan(numbers))


def _text_cells(values: pa.Array, *, inert: bool) -> pa.Array:
    """Text as ``csv.writer`` writes it (quoted when it holds a comma, quote or line break)."""
    text = pc.fill_null(values.cast(pa.string()), _EMPTY)
    if inert:  # a leading apostrophe: a spreadsheet would run the cell as a formula (OWASP)
        starts = np.isin(_first_bytes(text), np.frombuffer("".join(FORMULA_STARTS).encode("ascii"), dtype=np.uint8))
        if starts.any():
            text = pc.if_else(from_numpy(starts), pc.binary_join_element_wise(_APOSTROPHE, text, _EMPTY), text)
    if not _bytes_hold(text, *(character.encode("ascii") for character in _QUOTED_CHARACTERS)):
        return text
    special = _any_of(text, pc.match_substring, _QUOTED_CHARACTERS)
    if special is None:
        return text
    quoted = pc.binary_join_element_wise(_QUOTE, pc.replace_substring(text, '"', '""'), _QUOTE, _EMPTY)
    return pc.if_else(special, quoted, text)


def _any_of(text: pa.Array, test: Any, patterns: Sequence[str]) -> pa.Array | None:
    """Per cell, whether ``test(cell, pattern)`` holds for some pattern; ``None`` when it holds for none."""
    found = None
    for pattern in patterns:
        hit = test(text, pattern)
        found = hit if found is None else pc.or_(found, hit)
    return found if found is not None and pc.any(found).as_py() else None


def scores_csv_bytes(batch: pa.RecordBatch, kpis: Sequence[str]) -> bytes:
    """Every row of an output batch as lines of :func:`ecomperf.io.write.write_csv`'s CSV: a scored row with
    its total, grade, bonus, veto KPIs and scores; a row not scored with those cells empty and its ``reason``.

    When no cell holds a quote, comma or line break (usually: nothing is quoted), Arrow's CSV writer writes
    the cells as they are; otherwise each line is one Arrow join of its cells (the last one carries the line
    end).
    """
    if not batch.num_rows:
        return b""
    cells = [
        pc.cast(batch.column(ROW_COLUMN), pa.string()),
        _text_cells(batch.column("employee"), inert=True),
        *(_text_cells(batch.column(name), inert=False) for name in ("position", "stage", "period")),
        _points_cells(batch.column("total")),
        _text_cells(batch.column("grade"), inert=False),
        _few_floats_cells(batch.column("bonus")),
        _text_cells(batch.column("veto"), inert=False),
        *(_points_cells(batch.column(f"{kpi}_score")) for kpi in kpis),
        _text_cells(batch.column("error"), inert=True),
    ]
    special = tuple(character.encode("ascii") for character in _QUOTED_CHARACTERS)
    if not any(_bytes_hold(cell, *special) for cell in cells):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(pa.RecordBatch.from_arrays(cells, names=[str(place) for place in range(len(cells))]), sink,
                        write_options=_PLAIN_LINES)
        written: bytes = sink.getvalue().to_pybytes()
        return written
    cells[-1] = pc.binary_join_element_wise(cells[-1], _LINE_END, _EMPTY)
    return _joined(pc.binary_join_element_wise(*cells, _COMMA))


_PLAIN_LINES: Final = pacsv.WriteOptions(include_header=False, quoting_style="none", eol="\r\n")
"""Arrow's CSV writer for cells already written as text that need no quotes: each as it is, ``\r\n`` ends."""


_DECIMALS: Final = texts([".0", *(f".{hundredth:02d}".rstrip("0") for hundredth in range(1, 100)), ""])
"""The decimals of a points cell by its hundredths (``.0``, ``.01`` … ``.5`` … ``.99``), then ``""`` (null)."""


def _few_floats_cells(values: pa.Array) -> pa.Array:
    """A float column of few distinct values (``bonus``: one per grade) as :func:`format_floats` writes it,
    empty where null: each distinct value formatted once."""
    encoded = pc.dictionary_encode(values.cast(pa.float64()))
    if 4 * len(encoded.dictionary) > len(values):
        return pc.fill_null(format_floats(values), _EMPTY)
    return pc.fill_null(format_floats(encoded.dictionary).take(encoded.indices), _EMPTY)


_TABLED: Final = 100_000
"""Points below 1000 (100,000 hundredths) are written from a table of their texts, built on first use."""


@functools.cache
def _points_table() -> pa.Array:
    """The text of every ``k / 100`` for ``k`` below :data:`_TABLED` (as :func:`_points_cells` writes it), then
    ``""`` (for null)."""
    decimals = _DECIMALS.to_pylist()[:100]
    return texts([f"{whole}{decimal}" for whole in range(_TABLED // 100) for decimal in decimals] + [""])


def _points_cells(values: pa.Array) -> pa.Array:
    """A points column rounded by :func:`shown_points_array` and written as ``repr`` writes each value,
    empty where null (``98.5``, ``110.0``).

    A rounded value is ``k / 100`` for a whole ``k``; below 10**13 (an ulp under a hundredth) ``repr`` writes
    it as the digits of ``k`` with a point before the last two and their trailing zeros dropped (one ``0``
    kept), which is what is joined here: the whole part, cast by Arrow, and the decimals from a table. A column
    with a negative value or one not of that form is written by :func:`format_floats`.
    """
    rounded = shown_points_array(values)
    numbers = np.asarray(_numbers_of(rounded), dtype=np.float64)
    valid = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        hundredths = np.rint(numbers * 100.0)
        exact = ~valid | ((hundredths / 100.0 == numbers) & (numbers >= 0.0) & (numbers < 1e13))
    if not exact.all():
        return pc.fill_null(format_floats(rounded), _EMPTY)
    whole = np.where(valid, hundredths, 0.0).astype(np.int64)
    if len(whole) >= _TABLED // 10 and int(whole.max()) < _TABLED:  # the usual points of a big batch: lookups
        return _points_table().take(from_numpy(np.where(valid, whole, _TABLED)))
    ends = np.where(valid, whole % 100, 100)
    text = pc.cast(pa.Array.from_buffers(pa.int64(), len(whole), [None, pa.py_buffer(whole // 100)]), pa.string())
    if not valid.all():
        text = pc.if_else(from_numpy(valid), text, _EMPTY)
    decimals = _DECIMALS.take(pa.Array.from_buffers(pa.int64(), len(ends), [None, pa.py_buffer(ends)]))
    return pc.binary_join_element_wise(text, decimals, _EMPTY)


def _joined(lines: pa.Array) -> bytes:
    """The concatenated values of a string array without nulls: its value buffer, sliced."""
    lines = lines.cast(pa.string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset: lines.offset + len(lines) + 1]
    data = lines.buffers()[2]
    if data is None:
        return b""
    whole: bytes = data.to_pybytes()
    return whole[int(offsets[0]):int(offsets[-1])]


def write_bom_and_header(handle: BinaryIO, kpis: Sequence[str]) -> None:
    """The byte-order mark and the header line of the scores CSV (see :func:`ecomperf.io.write.summary_header`)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(scores_header([], kpis))
    handle.write(("\ufeff" + buffer.getvalue()).encode("utf-8"))
