"""Formula injection: every xlsx writer keeps formula-like input text as text, with one rule.

The same injection list goes through the score workbook (an employee's name) and the ownership matrix
(position, module and duty texts); each cell must come back as written, a string cell with Excel's quote
prefix. Where LibreOffice is installed, it opens the matrix and must show the text, not a result.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import textwrap
from pathlib import Path

import openpyxl
import pytest

import ecomperf
from ecomperf.io.write import write_results
from ecomperf.spreadsheet_text import FORMULA_STARTS, inert_csv_text, looks_like_formula
from tests.conftest import REPO, write_framework

INJECTIONS = [
    "=1+2",
    '=HYPERLINK("http://example.invalid","click")',
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+2",
    "\r=1+2",
]


def test_every_formula_start_is_in_the_injection_list() -> None:
    assert {text[0] for text in INJECTIONS} == set(FORMULA_STARTS)


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_is_recognised_and_csv_gets_an_apostrophe(text: str) -> None:
    assert looks_like_formula(text)
    assert inert_csv_text(text) == "'" + text


def test_ordinary_text_and_numbers_are_left_alone() -> None:
    assert not looks_like_formula("店长 = store manager")
    assert not looks_like_formula(-3)
    assert inert_csv_text("Li Lei") == "Li Lei"


def _cells_holding(book: openpyxl.Workbook, text: str) -> list[openpyxl.cell.Cell]:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == text]


def _assert_kept_as_text(book: openpyxl.Workbook, text: str) -> None:
    cells = _cells_holding(book, text)
    assert cells, f"{text!r} is missing from the workbook"
    for cell in cells:
        assert (cell.data_type, cell.quotePrefix) == ("s", True), (cell.coordinate, text)


@pytest.mark.parametrize("text", INJECTIONS)
def test_score_workbook_keeps_an_employee_name_as_text(tmp_path: Path, text: str) -> None:
    fw = ecomperf.load(REPO / "examples" / "mini-framework")
    result = fw.score_many([{"employee": text, "position": "service_agent", "stage": "startup", "period": "2026-10",
                             "inquiry_response_hours": 12}], detail=True)
    path = tmp_path / "scores.xlsx"
    write_results(path, result)
    # score_many trims the whitespace around an employee's name ("\t=1+2" is scored as "=1+2")
    _assert_kept_as_text(openpyxl.load_workbook(path), text.strip())  # on both Summary and Detail


def _matrix_framework(root: Path, text: str) -> ecomperf.Framework:
    # the injection as a position's name, a module's name and a duty's text
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    modules = f"""\
        apiVersion: ecomperf/v1
        kind: Module
        id: product_ops
        name: "{quoted}"
        responsibilities:
          - {{id: selection, text: "{quoted}"}}
        kpis: [gmv]
        ---
        apiVersion: ecomperf/v1
        kind: Module
        id: channel_ops
        name: {{zh: 渠道运营, en: Channel ops}}
        responsibilities:
          - {{id: expansion, text: {{zh: 渠道拓展, en: Channel expansion}}}}
        kpis: [cac]
        """
    positions = f"""\
        apiVersion: ecomperf/v1
        kind: Position
        id: manager
        name: "{quoted}"
        modules: [product_ops]
        ---
        apiVersion: ecomperf/v1
        kind: Position
        id: channel_lead
        name: {{zh: 渠道主管, en: Channel lead}}
        modules: [channel_ops]
        """
    write_framework(root, {"modules.yaml": textwrap.dedent(modules), "positions.yaml": textwrap.dedent(positions)})
    return ecomperf.load(root)


@pytest.mark.parametrize("text", INJECTIONS)
def test_ownership_matrix_keeps_names_and_duties_as_text(tmp_path: Path, text: str) -> None:
    fw = _matrix_framework(tmp_path / "fw", text)
    book = openpyxl.load_workbook(io.BytesIO(fw.matrix(format="xlsx")))
    _assert_kept_as_text(book, text)
    # header (position), the duty text and the "belongs to" column (module) all carry it
    assert len(_cells_holding(book, text)) >= 3


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_text_not_the_formula_result(tmp_path: Path) -> None:
    fw = _matrix_framework(tmp_path / "fw", "=1+2")
    (tmp_path / "matrix.xlsx").write_bytes(fw.matrix(format="xlsx", locale="en"))
    # the duties sheet is the second; LibreOffice's CSV filter takes the sheet number as its 12th token
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2', "--outdir", str(tmp_path),
         str(tmp_path / "matrix.xlsx")],
        check=True, capture_output=True, timeout=120,
    )
    [exported] = tmp_path.glob("matrix*.csv")
    rows = list(csv.reader(exported.read_text(encoding="utf-8").splitlines()))
    assert rows[1][:2] == ["=1+2", "=1+2"]  # the duty text and its module, as written (not 3)
