"""The streaming readers and writers keep every guarantee of the row-by-row ones.

Each file is scored twice: streamed (:func:`ecomperf.io.columnar.score_file`) and row by row
(:func:`ecomperf.io.read.read_actuals`, ``score_many``, :func:`ecomperf.io.write.write_csv`). The CSVs must be
the same bytes and the rows not scored the same rows with the same reasons, with a block size small enough
that the file spans many record batches.
"""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomperf.batch.engine import score_many
from ecomperf.errors import ActualsIOError
from ecomperf.framework import Framework
from ecomperf.io import arrow, columnar
from ecomperf.io.arrow import format_floats, open_actuals, shown_points_array
from ecomperf.io.columnar import score_file
from ecomperf.io.read import read_actuals
from ecomperf.io.write import write_csv
from ecomperf.model.display import shown_points

HEADER = "employee,position,stage,period,category,gmv,sales_revenue,cost,violations,inquiry_response_hours\n"
ROWS = [
    "li,store_manager,startup,2026-10,,220万,100,62,0,\n",  # shorthand: scored row by row, 104 -> A
    "zhao,service_agent,startup,2026-10,,,,,,30\n",  # 24 / 30 = 80 -> C
    "\n",  # a blank line: skipped, but counted
    "wang,store_manager,startup,2026-10,,lots,100,62,0,\n",  # not a number: reported
    "qian,service_agent,startup,2026-11\n",  # short: padded, then no actual for the KPI
    "sun,service_agent,startup,2026-10,,,,,,12,,,\n",  # extra empty cells: fine, 120 -> A
    "zhou,service_agent,startup,2026-10,,,,,,12,,x\n",  # an extra cell with a value: a bad row
    '"wu\nnewline",service_agent,startup,2026-10,,,,,,24\n',  # a quoted line break: one record, 100
    "=cmd,service_agent,mature,2026-12,,,,,,6\n",  # text a spreadsheet would run: written inert
]


def _both(fw: Framework, source: Path, tmp_path: Path, *, missing: str = "error") -> tuple[bytes, bytes, list, list]:
    streamed = score_file(fw, source, tmp_path / "streamed.csv", missing=missing)  # type: ignore[arg-type]
    result = score_many(fw, read_actuals(source), missing=missing, detail=False)  # type: ignore[arg-type]
    write_csv(tmp_path / "rows.csv", result)
    return ((tmp_path / "streamed.csv").read_bytes(), (tmp_path / "rows.csv").read_bytes(),
            [(e.row, e.employee, e.reason) for e in streamed.errors],
            [(e.row, e.employee, e.reason) for e in result.errors])


@pytest.mark.parametrize("block_size", [arrow.BLOCK_SIZE, 256])
def test_a_file_of_odd_rows_streams_to_the_same_bytes_and_errors(
    mini: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_size: int
) -> None:
    source = tmp_path / "actuals.csv"
    # 30 copies, each with its own employees (li0, li1 …); li0's row once more at the end: a duplicate
    # of row 2 that only a pass over the whole file sees
    copies = ["".join(_renamed(row, copy) for row in ROWS) for copy in range(30)]
    source.write_text(HEADER + "".join(copies) + _renamed(ROWS[0], 0), encoding="utf-8")
    opened = arrow.open_actuals
    monkeypatch.setattr(columnar, "open_actuals", lambda path, encoding=None, columns=None: opened(
        path, encoding=encoding, block_size=block_size, columns=columns))
    streamed, rows, streamed_errors, row_errors = _both(mini, source, tmp_path)
    assert streamed == rows
    assert streamed_errors == row_errors
    # li0 on row 2 and on the last row (1 header + 30 copies of 9 lines + 1 = 272)
    duplicate = ("employee li0 has 2 rows for 2026-10 (rows 2 and 272); none is scored: delete the extra rows, "
                 "or pass keep_duplicates='first' or keep_duplicates='last'")
    assert streamed_errors[0] == (2, "li0", duplicate) and streamed_errors[-1] == (272, "li0", duplicate)
    # then rows 5 (lots), 6 (qian: no actual), 8 (zhou: extra cell) of the first copy; the next copy starts 9 later
    assert [number for number, _, _ in streamed_errors[1:4]] == [5, 6, 8]
    assert streamed_errors[4][0] == 5 + len(ROWS)


def _renamed(row: str, copy: int) -> str:
    """``row`` with its employee suffixed by ``copy`` (``li`` -> ``li3``), quoted names included."""
    name, rest = ("\"wu", row[3:]) if row.startswith('"wu') else (row.split(",", 1)[0], "," + row.split(",", 1)[1]
                                                                     if "," in row else "")
    return row if not rest else f"{name}{copy}{rest}"


def test_keep_duplicates_streams_like_the_row_path(mini: Framework, tmp_path: Path) -> None:
    source = tmp_path / "actuals.csv"
    source.write_text(HEADER + ROWS[1] + ROWS[0] + ROWS[1].replace(",30", ",24"), encoding="utf-8")
    for keep in ("first", "last"):
        streamed = score_file(mini, source, tmp_path / "streamed.csv", keep_duplicates=keep)  # type: ignore[arg-type]
        result = score_many(mini, read_actuals(source), keep_duplicates=keep)  # type: ignore[arg-type]
        write_csv(tmp_path / "rows.csv", result)
        assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "rows.csv").read_bytes()
        assert [(e.row, e.reason, e.intended) for e in streamed.errors] == [
            (e.row, e.reason, e.intended) for e in result.errors]
    # zhao twice: with "last", row 4 is kept (24 h against a target of 24: 100) and row 2 is left out as asked
    assert [(e.row, e.intended) for e in streamed.errors] == [(2, True)]
    assert "zhao,service_agent,startup,2026-10,100.0,A,1.2" in (tmp_path / "streamed.csv").read_text("utf-8-sig")


def test_missing_policies_stream_alike(mini: Framework, tmp_path: Path) -> None:
    source = tmp_path / "actuals.csv"
    source.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    for missing in ("renormalize", "zero"):
        streamed, rows, streamed_errors, row_errors = _both(mini, source, tmp_path, missing=missing)
        assert (streamed, streamed_errors) == (rows, row_errors)


def test_blank_lines_above_the_header_count_as_rows(mini: Framework, tmp_path: Path) -> None:
    source = tmp_path / "actuals.csv"
    source.write_text("\n\n" + HEADER + "".join(ROWS), encoding="utf-8")
    streamed, rows, streamed_errors, row_errors = _both(mini, source, tmp_path)
    assert (streamed, streamed_errors) == (rows, row_errors)
    assert streamed_errors[0][0] == 7  # 'lots' is on line 7: two blank lines, the header, three rows before


def test_gb18030_is_read_after_utf8_fails(mini: Framework, tmp_path: Path) -> None:
    source = tmp_path / "actuals.csv"
    source.write_bytes((HEADER + ROWS[1].replace("zhao", "赵六") + ROWS[0]).encode("gb18030"))
    result = score_file(mini, source, tmp_path / "out.csv")
    assert result.encoding == "gb18030"
    assert "赵六,service_agent,startup,2026-10,80.0,C,0.6" in (tmp_path / "out.csv").read_text("utf-8-sig")


def test_a_header_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "actuals.csv"
    source.write_text("employee,gmv,gmv\nli,1,2\n", encoding="utf-8")
    with pytest.raises(Exception, match="column 'gmv' appears twice"):
        open_actuals(source)


def test_parquet_in_and_out_keeps_every_row(mini: Framework, tmp_path: Path) -> None:
    table = pa.table({"employee": ["li", "zhao", "wang"], "position": ["store_manager", "service_agent", "nobody"],
                      "stage": ["startup"] * 3, "period": ["2026-10"] * 3,
                      "gmv": [2_200_000.0, None, None], "sales_revenue": [100.0, None, None],
                      "cost": [62.0, None, None], "violations": [0.0, None, None],
                      "inquiry_response_hours": [None, 30.0, None]})
    pq.write_table(table, tmp_path / "in.parquet")
    result = score_file(mini, tmp_path / "in.parquet", tmp_path / "out.parquet")
    out = pq.read_table(tmp_path / "out.parquet").to_pylist()
    # li: 0.6·110 + 0.4·95 = 104 (A); zhao: 100·24/30 = 80 (C); wang: an unknown position, kept with its error
    assert [(r["row"], r["total"], r["grade"]) for r in out] == [(2, 104.0, "A"), (3, 80.0, "C"), (4, None, None)]
    assert out[2]["error"].startswith("unknown position 'nobody'")
    assert result.scored == 2 and [e.row for e in result.errors] == [4]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_written_as_repr_writes_them(value: float) -> None:
    assert format_floats(pa.array([value])).to_pylist() == [repr(value)]


def test_float_formatting_keeps_nulls() -> None:
    # 110 is whole (110.0); 1e-05 and 1e+16 are where repr switches to exponents
    values = pa.array([110.0, None, 1e-05, 1e16, -0.0, 0.1 + 0.2, math.pi])
    assert format_floats(values).to_pylist() == ["110.0", None, "1e-05", "1e+16", "-0.0", "0.30000000000000004",
                                                 "3.141592653589793"]


def test_json_lines_stream_one_object_per_row_like_the_row_path(mini: Framework, tmp_path: Path) -> None:
    import json

    from ecomperf.io.write import write_jsonl

    source = tmp_path / "actuals.csv"
    source.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    score_file(mini, source, tmp_path / "streamed.jsonl")
    write_jsonl(tmp_path / "rows.jsonl", score_many(mini, read_actuals(source)))
    streamed = [json.loads(line) for line in (tmp_path / "streamed.jsonl").read_text("utf-8").splitlines()]
    rows = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text("utf-8").splitlines()]
    assert streamed == rows
    # li (row 2): 0.6·110 + 0.4·95 = 104, A; wang (row 5) is not a number: an error line
    assert (streamed[0]["employee"], streamed[0]["total"], streamed[0]["grade"]) == ("li", 104.0, "A")
    assert streamed[2]["row"] == 5 and "not all usable numbers" in streamed[2]["error"]


# points as every table shows them: the column form gives the scalar rule's float for every value, ties included
@given(st.lists(st.one_of(st.floats(-1e20, 1e20, allow_nan=False),
                          st.integers(-100_000, 100_000).map(lambda k: k / 1000),  # 88.125, 1.005: printed ties
                          st.none()), max_size=40))
def test_points_rounded_in_arrow_are_the_scalar_rule(values: list[float | None]) -> None:
    expected = [None if value is None else shown_points(value) for value in values]
    assert shown_points_array(pa.array(values, pa.float64())).to_pylist() == expected


def test_a_streamed_cell_longer_than_a_spreadsheet_cell_is_refused_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    # header is row 1, so the third data line is row 4
    path.write_text("employee,position\nli,a\nwang,b\nzhao," + "x" * 40_000 + "\n", encoding="utf-8")
    with pytest.raises(ActualsIOError, match=r"long.csv:4: a cell is longer than 32,767 characters"):
        for _ in open_actuals(path):
            pass


# a points cell is repr of the scalar rule's rounding: 98.5 -> "98.5", 110 -> "110.0", 0.004 -> "0.0",
# a negative or huge column goes through format_floats; null -> ""
@given(st.lists(st.one_of(st.floats(0, 1e6, allow_nan=False),
                          st.integers(0, 100_000).map(lambda k: k / 1000),
                          st.floats(-1e20, 1e20, allow_nan=False), st.none()), max_size=40))
def test_points_cells_are_repr_of_the_scalar_rounding(values: list[float | None]) -> None:
    expected = ["" if value is None else repr(shown_points(value)) for value in values]
    assert arrow._points_cells(pa.array(values, pa.float64())).to_pylist() == expected


def test_points_cells_by_hand() -> None:
    # 98.5 keeps one decimal, 110 gets ".0", 1.005 rounds half up to 1.01, 0.004 to 0.0, 12.3 stays 12.3
    cells = arrow._points_cells(pa.array([98.5, 110.0, 1.005, 0.004, None, 12.3]))
    assert cells.to_pylist() == ["98.5", "110.0", "1.01", "0.0", "", "12.3"]


# text cells as csv.writer quotes them, with the apostrophe of inert_csv_text before formula starts
@given(st.lists(st.one_of(st.text(max_size=6), st.sampled_from(["=1+1", "-3", "a,b", 'say "hi"', "x\r\ny"]),
                          st.none()), max_size=30), st.booleans())
def test_text_cells_are_written_as_csv_writer_writes_them(values: list[str | None], inert: bool) -> None:
    import csv
    import io

    from ecomperf.spreadsheet_text import looks_like_formula

    def written(value: str | None) -> str:
        text = "" if value is None else ("'" + value if inert and looks_like_formula(value) else value)
        buffer = io.StringIO()
        csv.writer(buffer).writerow([text])  # write_csv's writer: "\r\n" ends a line, so "\r" is quoted
        return buffer.getvalue().removesuffix("\r\n") if text else ""

    cells = arrow._text_cells(pa.array(values, pa.string()), inert=inert).to_pylist()
    assert cells == [written(value) for value in values]


def test_the_points_table_writes_every_hundredth_below_1000_as_repr() -> None:
    # k/100 for every k below 100,000: 0.0, 0.01, ... 98.5, ... 999.99, each as repr writes the float; then ""
    table = arrow._points_table().to_pylist()
    assert table[:-1] == [repr(k / 100) for k in range(100_000)]
    assert table[-1] == ""


def test_a_big_batch_of_points_is_written_from_the_table_as_a_small_one_is_joined() -> None:
    # 20,000 cells (the table is used from 10,000): 0.0, 0.01, ..., 199.99 and a null every 7th cell
    values = [None if k % 7 == 0 else k / 100 for k in range(20_000)]
    big = arrow._points_cells(pa.array(values, pa.float64())).to_pylist()
    small = [cell for start in range(0, 20_000, 1000)
             for cell in arrow._points_cells(pa.array(values[start:start + 1000], pa.float64())).to_pylist()]
    assert big == small == ["" if value is None else repr(shown_points(value)) for value in values]


def test_bonus_cells_are_formatted_once_per_value_as_format_floats_writes_them() -> None:
    # 0.0, 0.6, 1.2 and null repeated: few distinct values, so each is formatted once and looked up
    column = pa.array([0.0, 0.6, 1.2, None] * 50, pa.float64())
    assert arrow._few_floats_cells(column).to_pylist() == ["0.0", "0.6", "1.2", ""] * 50


@pytest.mark.parametrize("hashes", ["every row collides", "too long to hash"])
def test_repeats_are_found_exactly_whatever_the_hashes_say(
    mini: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hashes: str
) -> None:
    # The hash only picks the rows to compare. Every hash equal (all rows compared) or no hash (an employee
    # longer than 64 bytes) must still find li0 on rows 2 and 272 and nothing else: the row path's errors.
    import numpy as np

    from ecomperf.batch import columnar as batch_columnar

    fake = (lambda part: np.zeros(len(part), dtype=np.uint64)) if hashes == "every row collides" else (
        lambda part: None)
    monkeypatch.setattr(batch_columnar, "text_hashes", fake)
    source = tmp_path / "actuals.csv"
    copies = ["".join(_renamed(row, copy) for row in ROWS) for copy in range(30)]
    source.write_text(HEADER + "".join(copies) + _renamed(ROWS[0], 0), encoding="utf-8")
    streamed, rows, streamed_errors, row_errors = _both(mini, source, tmp_path)
    assert streamed == rows
    assert streamed_errors == row_errors
    assert [number for number, employee, _ in streamed_errors if employee == "li0"] == [2, 272]
