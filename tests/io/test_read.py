"""Reading actuals: CSV (UTF-8, BOM, GB18030), XLSX, JSON and YAML, with the row numbers users see."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from ecomperf.batch.table import ActualsRow
from ecomperf.errors import ActualsIOError
from ecomperf.io.read import decode_text, read_actuals

HEADER = "employee,position,stage,period,gmv\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_rows_are_numbered_like_a_spreadsheet(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.csv", HEADER + "li,store_manager,startup,2026-10,100\n"
                                                             "wang,store_manager,startup,2026-10,200\n"))
    assert table.columns == ("employee", "position", "stage", "period", "gmv")
    assert table.numbers == [2, 3]  # the header is row 1
    assert table.encoding == "utf-8"
    assert table.text_cells


def test_blank_lines_are_skipped_but_still_counted(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.csv", HEADER + "\nli,sm,startup,2026-10,1\n\nwang,sm,startup,2026-10,2\n"))
    assert table.numbers == [3, 5]
    assert [row[0] for row in table.rows] == ["li", "wang"]


def test_utf8_bom_is_removed_from_the_first_column_name(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.csv", HEADER + "李,店长,startup,2026-10,1\n", "utf-8-sig"))
    assert table.columns[0] == "employee"
    assert table.encoding == "utf-8-sig"
    assert table.rows[0][0] == "李"


def test_gb18030_from_a_chinese_excel_is_read_and_reported(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.csv", HEADER + "王小明,店长,startup,2026-10,220万\n", "gb18030"))
    assert table.encoding == "gb18030"
    assert list(table.rows[0]) == ["王小明", "店长", "startup", "2026-10", "220万"]


def test_bytes_that_are_no_known_encoding_are_refused_with_the_line(tmp_path: Path) -> None:
    # 0x80 0x7f is invalid in both UTF-8 and GB18030 (a lead byte needs a trail byte of 0x30-0xfe)
    path = tmp_path / "a.csv"
    path.write_bytes(HEADER.encode() + b"li,sm,startup,2026-10,\x80\x7f\n")
    with pytest.raises(ActualsIOError, match=r"a\.csv:2: the file is neither UTF-8 nor GB18030"):
        read_actuals(path)


def test_empty_cells_are_missing_values(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.csv", HEADER + "li,sm,,2026-10,  \n"))
    record = next(table.records())
    assert record == {"employee": "li", "position": "sm", "period": "2026-10"}
    assert isinstance(record, ActualsRow)
    assert record.row == 2


def test_short_rows_are_padded_and_long_rows_with_data_are_bad(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.csv", HEADER + "li,sm,startup\nwang,sm,startup,2026-10,1,oops\n"
                                                             "zhao,sm,startup,2026-10,1,,\n"))
    assert list(table.rows[0]) == ["li", "sm", "startup", "", ""]
    assert table.bad_rows == {1: "the row has 6 cells but the header names 5 columns (extra: 'oops')"}
    assert len(table.rows[2]) == 5  # trailing empty cells are harmless


def test_semicolon_and_tab_separators_are_recognised(tmp_path: Path) -> None:
    semicolon = read_actuals(write(tmp_path / "a.csv", "employee;gmv\nli;1,5\n"))
    tab = read_actuals(write(tmp_path / "b.tsv", "employee\tgmv\nli\t2\n"))
    assert (semicolon.columns, list(semicolon.rows[0])) == (("employee", "gmv"), ["li", "1,5"])
    assert (tab.columns, list(tab.rows[0])) == (("employee", "gmv"), ["li", "2"])


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match=r"a\.csv:1: column 'gmv' appears twice \(columns B and C\)"):
        read_actuals(write(tmp_path / "a.csv", "employee,gmv,gmv\nli,1,2\n"))


def test_values_without_a_header_are_warned_about(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.csv", "employee,,gmv\nli,x,2\n"))
    assert table.warnings == ["column(s) B have values but no header; their values are ignored"]


def test_unknown_suffix_lists_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match=r"cannot read \.xls; .*\.csv.*\.xlsx.*Save old \.xls workbooks as \.xlsx"):
        read_actuals(write(tmp_path / "a.xls", "x"))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match="no such file"):
        read_actuals(tmp_path / "nope.csv")


def test_decode_text_reports_the_encoding() -> None:
    assert decode_text("员工".encode("gb18030")) == ("员工", "gb18030")
    assert decode_text("\ufeffa".encode()) == ("a", "utf-8-sig")
    assert decode_text("a".encode("utf-16")) == ("a", "utf-16")


# --- xlsx ------------------------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_reads_the_first_sheet_with_sheet_row_numbers(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", {
        "Q4": [["employee", "gmv"], ["li", 100], [None, None], ["wang", 2.5]],
        "Other": [["employee"], ["x"]],
    })
    table = read_actuals(path)
    assert (table.sheet, table.columns, table.numbers) == ("Q4", ("employee", "gmv"), [2, 4])
    assert [list(row) for row in table.rows] == [["li", 100], ["wang", 2.5]]


def test_xlsx_sheet_by_name_and_a_missing_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", {"Q4": [["employee"], ["li"]], "Other": [["employee"], ["x"]]})
    assert read_actuals(path, sheet="Other").rows == [["x"]]
    with pytest.raises(ActualsIOError, match="no worksheet named 'Q5'; the workbook has 'Q4', 'Other'"):
        read_actuals(path, sheet="Q5")


def test_xlsx_header_may_sit_below_a_blank_row(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", {"S": [[None], ["employee", "period"], ["li", dt.datetime(2026, 10, 1)]]})
    table = read_actuals(path)
    assert table.numbers == [3]
    assert table.rows[0][1] == dt.datetime(2026, 10, 1)


def test_sheet_option_is_for_workbooks_only(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match="--sheet applies to Excel workbooks only"):
        read_actuals(write(tmp_path / "a.csv", HEADER), sheet="x")


def test_a_broken_workbook_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match=r"not a readable \.xlsx workbook"):
        read_actuals(write(tmp_path / "a.xlsx", "not a zip"))


# --- json and yaml ---------------------------------------------------------------------------------


def test_json_rows_carry_the_line_their_object_starts_on(tmp_path: Path) -> None:
    text = '[\n  {"employee": "li", "gmv": 1},\n\n  {"employee": "wang",\n   "gmv": null, "stage": "mature"}\n]\n'
    table = read_actuals(write(tmp_path / "a.json", text))
    assert table.numbers == [2, 4]
    assert table.columns == ("employee", "gmv", "stage")
    assert list(table.rows[1]) == ["wang", None, "mature"]


def test_json_that_is_not_a_list_is_refused_with_its_position(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match=r"a\.json:1:1: expected a JSON list of objects"):
        read_actuals(write(tmp_path / "a.json", json.dumps({"employee": "li"})))
    with pytest.raises(ActualsIOError, match=r"b\.json:2:\d+: not valid JSON"):
        read_actuals(write(tmp_path / "b.json", '[{"employee": "li"},\n {"employee": }]'))


def test_json_items_that_are_not_objects_are_bad_rows(tmp_path: Path) -> None:
    table = read_actuals(write(tmp_path / "a.json", '[{"employee": "li"}, 5]'))
    assert table.bad_rows == {1: "expected an object with employee, position … keys, got int"}


def test_yaml_rows_carry_their_line_and_scalars_stay_plain(tmp_path: Path) -> None:
    text = "- employee: li\n  period: 2026-10\n  gmv: 220万\n- employee: wang\n  period: '2026'\n  gmv: 1e3\n"
    table = read_actuals(write(tmp_path / "a.yaml", text))
    assert table.numbers == [1, 4]
    assert [list(row) for row in table.rows] == [["li", "2026-10", "220万"], ["wang", "2026", 1000.0]]


def test_yaml_refuses_tags_instead_of_constructing_objects(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match="EP101"):
        read_actuals(write(tmp_path / "a.yml", "- !!python/object/apply:os.system ['true']\n"))


def test_yaml_must_be_a_list(tmp_path: Path) -> None:
    with pytest.raises(ActualsIOError, match="expected a YAML list of mappings"):
        read_actuals(write(tmp_path / "a.yaml", "employee: li\n"))
