"""Text that a spreadsheet would run as a formula, and how every writer keeps it text.

Input text reaches spreadsheets: employee names in score workbooks and CSV files, position and duty
texts in the ownership matrix. A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some spreadsheets skip before looking) is read as a formula by Excel and LibreOffice:
``=1+2`` shows ``3`` and ``=HYPERLINK(...)`` becomes a link. The rule lives here, once, for every writer:

* XLSX: the cell is a string cell (never openpyxl's formula type) with Excel's *quote prefix* set, the
  flag Excel itself stores when someone types ``'=1+2``: it shows ``=1+2`` and stays text when edited.
* CSV: a file has no cell types, so the text gets a leading apostrophe, as OWASP advises.

>>> looks_like_formula("=HYPERLINK(\\"http://x\\")"), inert_csv_text("-3 days"), inert_csv_text("Li Lei")
(True, "'-3 days", 'Li Lei')
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["FORMULA_STARTS", "inert_csv_text", "keep_as_text", "looks_like_formula"]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""


def looks_like_formula(value: object) -> bool:
    """Whether ``value`` is text that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert_csv_text(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would read it as a formula (for CSV)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def keep_as_text(cell: Any) -> None:
    """Make an openpyxl cell holding formula-like text a plain string cell with Excel's quote prefix.

    The cell keeps the text as written; only its type and style change.
    """
    cell.data_type = "s"
    cell.quotePrefix = True
