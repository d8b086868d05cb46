"""Hostile actuals files: zip bombs, oversized CSV, deep JSON, pipes, keys that collide, syntax mistakes.

Each is refused with the file (and row or line) named and the limit or the fix, before it is expanded, and
never with a traceback, a hang or a memory blow-up: the big inputs are generated inside the bounded child
(small on disk) and run under its memory cap and timeout. The limits are on docs/reference/limits.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ecomperf.io.read import MAX_CELL_CHARS, MAX_ROWS, MAX_XLSX_ROWS
from tests.hostile.bounded import Outcome
from tests.hostile.workbooks import inline_row, write_workbook

Hostile = Callable[..., Outcome]

HEADER = ("employee", "position", "stage", "period", "gmv", "sales_revenue", "cost", "violations")
LI = {"employee": "li", "position": "store_manager", "stage": "startup", "period": "2026-10", "gmv": "200万",
      "sales_revenue": 100, "cost": 62, "violations": 0}


def _refusal(call: Callable[[], Any], file: Path) -> dict[str, Any]:
    """What a read refused: the message and the size of the file on disk (the bombs are small there)."""
    from ecomperf.errors import ActualsIOError

    size = file.stat().st_size if file.exists() and file.is_file() else 0
    try:
        call()
    except ActualsIOError as exc:
        return {"refused": str(exc).replace(str(file.parent), "DIR"), "bytes_on_disk": size}
    return {"refused": None, "bytes_on_disk": size}


def _read(file: Path) -> dict[str, Any]:
    from ecomperf.io.read import read_actuals

    return _refusal(lambda: read_actuals(file), file)


def _scored(file: Path) -> list[list[Any]]:
    """``[[row, reason], ...]`` of the rows of ``file`` that the mini framework did not score."""
    import ecomperf
    from tests.conftest import MINI

    result = ecomperf.load(MINI).score_many(ecomperf.read_actuals(file))
    return [[error.row, error.reason[:300]] for error in result.errors] + [[s.row, "scored"] for s in result.rows]


# --- XLSX zip bombs -----------------------------------------------------------------------------------------


def case_xlsx_five_million_rows(workdir: str) -> Any:
    # 5,000,000 rows of one number, no <dimension>: about 130 MB of XML in well under 1 MB on disk
    file = Path(workdir) / "rows.xlsx"
    block = inline_row(1.0) * 10_000
    write_workbook(file, (block for _ in range(500)))
    return _read(file)


def test_an_xlsx_of_five_million_rows_is_refused_by_counting_rows_as_they_stream(hostile: Hostile) -> None:
    outcome = hostile(case_xlsx_five_million_rows, expect="refused")
    assert outcome.status == "ok", outcome
    assert outcome.value["bytes_on_disk"] < 2_000_000
    assert outcome.value["refused"] == (
        f"DIR/rows.xlsx: the sheet xl/worksheets/sheet1.xml has too many rows (more than {MAX_XLSX_ROWS:,}); a "
        f"worksheet holds at most {MAX_XLSX_ROWS:,} rows, as in Excel: split the rows over several workbooks or "
        "save them as CSV"
    )


def case_xlsx_dimension_of_five_million_rows(workdir: str) -> Any:
    file = Path(workdir) / "claims.xlsx"
    write_workbook(file, [inline_row("employee"), inline_row("li")], dimension="A1:H5000000")
    return _read(file)


def test_an_xlsx_whose_dimension_claims_five_million_rows_is_refused_at_its_first_chunk(hostile: Hostile) -> None:
    outcome = hostile(case_xlsx_dimension_of_five_million_rows, expect="refused", together=_SMALL)
    assert outcome.status == "ok", outcome
    assert "too many rows (its dimension says 5,000,000)" in outcome.value["refused"]


def case_xlsx_cell_of_one_and_a_half_gigabytes(workdir: str) -> Any:
    # one shared text of 1,500 MiB of "a": about 1.5 MB on disk
    file = Path(workdir) / "cell.xlsx"
    chunk = b"a" * (1 << 24)
    write_workbook(file, [b'<row><c t="s"><v>0</v></c></row>'],
                   shared=[b"<si><t>", *(chunk for _ in range(94)), b"</t></si>"])
    return _read(file)


def test_an_xlsx_cell_of_1_5_gb_is_refused_from_the_zip_directory(hostile: Hostile) -> None:
    outcome = hostile(case_xlsx_cell_of_one_and_a_half_gigabytes, expect="refused")
    assert outcome.status == "ok", outcome
    assert outcome.value["bytes_on_disk"] < 3_000_000
    # 94 x 16 MiB = 1,504 MiB of text, plus the XML around it (a few hundred bytes)
    assert outcome.value["refused"].startswith(
        "DIR/cell.xlsx: the workbook expands to 1,504.0 MiB (xl/sharedStrings.xml alone to 1,504.0 MiB), more "
        "than the 1,024.0 MiB ecomperf reads"
    )


def case_xlsx_cell_of_two_megabytes(workdir: str) -> Any:
    # under the size limit, but one text of 2 MiB: refused by the streaming scan, not read into openpyxl
    file = Path(workdir) / "long.xlsx"
    write_workbook(file, [inline_row("employee"), inline_row("x" * (2 << 20))])
    return _read(file)


def case_xlsx_shared_text_of_two_megabytes(workdir: str) -> Any:
    file = Path(workdir) / "shared.xlsx"
    write_workbook(file, [b'<row><c t="s"><v>0</v></c></row>'], shared=[b"<si><t>", b"y" * (2 << 20), b"</t></si>"])
    return _read(file)


def case_xlsx_ordinary(workdir: str) -> Any:
    from ecomperf.io.read import read_actuals

    file = write_workbook(Path(workdir) / "ok.xlsx", [inline_row(*HEADER), inline_row("li", "store_manager",
                                                      "startup", "2026-10", "200万", 100.0, 62.0, 0.0)])
    table = read_actuals(file)
    return [list(table.columns), [list(row) for row in table.rows], table.numbers]


_SMALL = (case_xlsx_cell_of_two_megabytes, case_xlsx_shared_text_of_two_megabytes, case_xlsx_ordinary,
          case_xlsx_dimension_of_five_million_rows)


def test_a_cell_longer_than_the_limit_is_refused_before_openpyxl_reads_it(hostile: Hostile) -> None:
    inline = hostile(case_xlsx_cell_of_two_megabytes, expect="refused", together=_SMALL)
    shared = hostile(case_xlsx_shared_text_of_two_megabytes, expect="refused", together=_SMALL)
    assert inline.status == shared.status == "ok", (inline, shared)
    assert inline.value["refused"] == (
        "DIR/long.xlsx: the sheet xl/worksheets/sheet1.xml, near row 2 holds a text of more than 327,670 bytes; "
        f"a cell holds at most {MAX_CELL_CHARS:,} characters: shorten that cell or save the rows as CSV"
    )
    assert shared.value["refused"].startswith("DIR/shared.xlsx: the shared texts of the workbook holds a text of ")


def test_an_ordinary_hand_made_workbook_passes_the_checks(hostile: Hostile) -> None:
    outcome = hostile(case_xlsx_ordinary, expect="neutralised", together=_SMALL)
    assert outcome.value == [list(HEADER), [["li", "store_manager", "startup", "2026-10", "200万", 100, 62, 0]], [2]]


# --- CSV ----------------------------------------------------------------------------------------------------


def case_csv_cell_too_long(workdir: str) -> Any:
    file = Path(workdir) / "long.csv"
    file.write_text("employee,note\nli,ok\nwang," + "x" * (MAX_CELL_CHARS + 1) + "\n", encoding="utf-8")
    return _read(file)


def case_csv_quote_left_open(workdir: str) -> Any:
    # an open quote swallows the rest of the file into one cell: 2,000 lines of 50 characters
    file = Path(workdir) / "open.csv"
    file.write_text('employee,note\nli,"oops\n' + ("y" * 49 + "\n") * 2_000, encoding="utf-8")
    return _read(file)


def case_csv_too_many_rows(workdir: str) -> Any:
    file = Path(workdir) / "rows.csv"
    file.write_text("employee\n" + "li\n" * MAX_ROWS, encoding="utf-8")  # header + 2,000,000 rows: 6 MB
    return _read(file)


def case_csv_of_more_than_a_gibibyte(workdir: str) -> Any:
    file = Path(workdir) / "huge.csv"
    with file.open("wb") as handle:  # sparse: no block of it is on disk
        handle.truncate(1024 * 1024 * 1024 + 1)
    return _read(file)


_CSV = (case_csv_cell_too_long, case_csv_quote_left_open, case_csv_too_many_rows, case_csv_of_more_than_a_gibibyte)


def test_a_csv_cell_longer_than_a_spreadsheet_cell_is_refused_at_its_line(hostile: Hostile) -> None:
    outcome = hostile(case_csv_cell_too_long, expect="refused", together=_CSV)
    assert outcome.value["refused"] == (
        "DIR/long.csv:3: a cell is longer than 32,767 characters, the most a spreadsheet cell holds; is a quote "
        '(") left open above this line?'
    )


def test_a_quote_left_open_is_refused_where_the_cell_grows_too_long(hostile: Hostile) -> None:
    outcome = hostile(case_csv_quote_left_open, expect="refused", together=_CSV)
    # the cell is 'oops\n' (5) and then 50 characters a line: 5 + 50 x 655 = 32,755, 5 + 50 x 656 = 32,805 > 32,767,
    # so the 656th line after line 2, line 658, is where it grows too long
    assert outcome.value["refused"].startswith("DIR/open.csv:658: a cell is longer than 32,767 characters")


def test_a_csv_of_more_rows_than_the_limit_is_refused(hostile: Hostile) -> None:
    outcome = hostile(case_csv_too_many_rows, expect="refused", together=_CSV)
    assert outcome.value["refused"] == (
        f"DIR/rows.csv:{MAX_ROWS + 1}: the file has more than {MAX_ROWS:,} rows, the most read from one file; split "
        "the rows into several files and give each with --actuals"
    )


def test_a_csv_larger_than_a_gibibyte_is_refused_before_it_is_read(hostile: Hostile) -> None:
    outcome = hostile(case_csv_of_more_than_a_gibibyte, expect="refused", together=_CSV)
    assert outcome.value == {
        "refused": "DIR/huge.csv: is 1,024.0 MiB; actuals files are read up to 1,024.0 MiB: split the rows into "
                   "several files and give each with --actuals",
        "bytes_on_disk": 1024 * 1024 * 1024 + 1,
    }


# --- JSON ---------------------------------------------------------------------------------------------------


def case_json_nested_100000_deep(workdir: str) -> Any:
    file = Path(workdir) / "deep.json"
    file.write_text("[" + "[" * 100_000 + "]" * 100_001, encoding="utf-8")
    return _read(file)


def case_json_integer_of_5000_digits(workdir: str) -> Any:
    file = Path(workdir) / "big.json"
    text = json.dumps([LI, {**LI, "employee": "wang"}], indent=1).replace('"violations": 0\n }\n]',
                                                                          '"violations": 1' + "0" * 4999 + "\n }\n]")
    file.write_text(text, encoding="utf-8")
    return _scored(file)


def case_json_duplicate_key(workdir: str) -> Any:
    file = Path(workdir) / "twice.json"
    body = json.dumps(LI)[:-1] + ', "gmv": "900万"}'
    file.write_text(f"[\n{body},\n{json.dumps({**LI, 'employee': 'wang'})}\n]\n", encoding="utf-8")
    return _scored(file)


def case_json_keys_colliding_after_trimming(workdir: str) -> Any:
    file = Path(workdir) / "trim.json"
    file.write_text(json.dumps([{**LI, " gmv": "900万"}]), encoding="utf-8")
    return _scored(file)


def case_json_trailing_comma(workdir: str) -> Any:
    file = Path(workdir) / "comma.json"
    file.write_text('[\n  {"employee": "li", "gmv": 5,}\n]\n', encoding="utf-8")
    return _read(file)


def case_json_single_quotes(workdir: str) -> Any:
    file = Path(workdir) / "quotes.json"
    file.write_text("[\n  {'employee': 'li'}\n]\n", encoding="utf-8")
    return _read(file)


def case_json_bare_word(workdir: str) -> Any:
    file = Path(workdir) / "word.json"
    file.write_text('[{"employee": li}]', encoding="utf-8")
    return _read(file)


_JSON = (case_json_nested_100000_deep, case_json_integer_of_5000_digits, case_json_duplicate_key,
         case_json_keys_colliding_after_trimming, case_json_trailing_comma, case_json_single_quotes,
         case_json_bare_word)


def test_json_nested_100000_deep_is_refused_where_it_goes_too_deep(hostile: Hostile) -> None:
    outcome = hostile(case_json_nested_100000_deep, expect="refused", together=_JSON)
    # the list is column 1, its first item opens at column 2, and the 65th level at column 2 + 64 = 66
    assert outcome.value["refused"] == (
        "DIR/deep.json:1:66: not valid actuals: nested more than 64 levels deep; each row is one flat object of "
        "names and values"
    )


def test_a_json_integer_of_5000_digits_fails_its_row_only(hostile: Hostile) -> None:
    outcome = hostile(case_json_integer_of_5000_digits, expect="refused", together=_JSON)
    assert outcome.status == "ok", outcome
    # json.dumps(indent=1) puts li's object on line 2 and wang's, ten lines later, on line 12
    (row, reason), scored = outcome.value
    assert row == 12 and "'violations'" in reason and "too large" in reason
    assert scored == [2, "scored"]


def test_a_key_written_twice_in_a_json_row_is_refused_with_the_key(hostile: Hostile) -> None:
    outcome = hostile(case_json_duplicate_key, expect="refused", together=_JSON)
    assert outcome.value == [[2, "the object names 'gmv' twice; keep one"], [3, "scored"]]


def test_json_keys_that_collide_once_trimmed_are_refused_naming_both(hostile: Hostile) -> None:
    outcome = hostile(case_json_keys_colliding_after_trimming, expect="refused", together=_JSON)
    assert outcome.value == [[1, "the keys 'gmv' and ' gmv' both name the column 'gmv'; keep one"]]


def test_json_syntax_mistakes_are_told_in_plain_words_with_the_fix(hostile: Hostile) -> None:
    comma = hostile(case_json_trailing_comma, expect="refused", together=_JSON)
    quotes = hostile(case_json_single_quotes, expect="refused", together=_JSON)
    word = hostile(case_json_bare_word, expect="refused", together=_JSON)
    assert comma.value["refused"] == (
        "DIR/comma.json:2:31: not valid JSON: a comma before '}': JSON allows none after the last entry; remove it"
    )
    assert quotes.value["refused"] == (
        "DIR/quotes.json:2:4: not valid JSON: names and texts are written in double quotes in JSON, not single quotes"
    )
    assert word.value["refused"] == (
        "DIR/word.json:1:15: not valid JSON: 'li' is not a JSON value: write a text in double quotes (\"li\"), a "
        "number as 1200.5, or true, false, null in lower case"
    )


# --- YAML ---------------------------------------------------------------------------------------------------


def case_yaml_keys_colliding_after_trimming(workdir: str) -> Any:
    file = Path(workdir) / "trim.yaml"
    file.write_text("- employee: li\n  position: store_manager\n  stage: startup\n  period: 2026-10\n"
                    "  gmv: 200万\n  ' gmv': 900万\n  sales_revenue: 100\n  cost: 62\n  violations: 0\n",
                    encoding="utf-8")
    return _scored(file)


def case_yaml_duplicate_key(workdir: str) -> Any:
    file = Path(workdir) / "twice.yaml"
    file.write_text("- employee: li\n  gmv: 200万\n  gmv: 900万\n", encoding="utf-8")
    return _read(file)


def case_yaml_tab(workdir: str) -> Any:
    file = Path(workdir) / "tab.yaml"
    file.write_text("- employee: li\n\tgmv: 200万\n", encoding="utf-8")
    return _read(file)


_YAML = (case_yaml_keys_colliding_after_trimming, case_yaml_duplicate_key, case_yaml_tab)


def test_yaml_keys_that_collide_once_trimmed_are_refused_naming_both(hostile: Hostile) -> None:
    outcome = hostile(case_yaml_keys_colliding_after_trimming, expect="refused", together=_YAML)
    assert outcome.value == [[1, "the keys 'gmv' and ' gmv' both name the column 'gmv'; keep one"]]


def test_a_key_written_twice_in_yaml_actuals_is_refused_at_its_line(hostile: Hostile) -> None:
    outcome = hostile(case_yaml_duplicate_key, expect="refused", together=_YAML)
    assert outcome.value["refused"].startswith("DIR/twice.yaml:3:3: EP102 duplicate key 'gmv': first at line 2")


def test_a_yaml_syntax_mistake_in_actuals_is_told_in_plain_words(hostile: Hostile) -> None:
    outcome = hostile(case_yaml_tab, expect="refused", together=_YAML)
    assert "DIR/tab.yaml:2:1: EP101 YAML syntax error: a tab character indents line 2" in outcome.value["refused"]


# --- not a file, not mappings -------------------------------------------------------------------------------


def case_fifo_as_actuals(workdir: str) -> Any:
    fifo = Path(workdir) / "actuals.csv"
    os.mkfifo(fifo)
    return _read(fifo)


def case_fifo_as_actuals_on_the_command_line(workdir: str) -> Any:
    from typer.testing import CliRunner

    from ecomperf.cli import app
    from tests.conftest import MINI

    fifo = Path(workdir) / "actuals.csv"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["score", str(MINI), "--actuals", str(fifo)])
    return [result.exit_code, result.output.replace(workdir, "DIR"), repr(result.exception)]


def case_score_many_of_lists(workdir: str) -> Any:
    import ecomperf
    from tests.conftest import MINI

    try:
        ecomperf.load(MINI).score_many([["li", "store_manager", "startup", "2026-10"]])  # type: ignore[list-item]
    except ecomperf.EcomperfError as exc:
        return [type(exc).__name__, isinstance(exc, TypeError), isinstance(exc, ecomperf.ScoringError), str(exc)]
    return None


_OTHER = (case_fifo_as_actuals, case_fifo_as_actuals_on_the_command_line, case_score_many_of_lists)


def test_a_fifo_given_as_actuals_is_refused_without_waiting_for_a_writer(hostile: Hostile) -> None:
    read = hostile(case_fifo_as_actuals, expect="refused", together=_OTHER, timeout=20)
    command = hostile(case_fifo_as_actuals_on_the_command_line, expect="refused", together=_OTHER, timeout=20)
    assert read.value["refused"] == (
        "DIR/actuals.csv: is not a regular file (a pipe, socket or device); save the actuals to a file and give that"
    )
    assert command.value[0] == 2  # a usage error, found before the framework is loaded
    assert "error: --actuals DIR/actuals.csv is not a regular file (a pipe, socket or device)" in command.value[1]
    assert "Traceback" not in command.value[1]


def test_score_many_of_lists_is_an_ecomperf_error_that_is_a_type_error(hostile: Hostile) -> None:
    outcome = hostile(case_score_many_of_lists, expect="refused", together=_OTHER, timeout=20)
    assert outcome.value == [
        "RowsTypeError", True, True,
        "row 2 is a list, not a mapping: give each row as a dict of column to value ({'employee': 'li', 'gmv': "
        "1200}), or read a file with ecomperf.read_actuals",
    ]

