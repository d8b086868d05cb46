"""How tables look in a spreadsheet: number formats by metric unit, column widths by content, print setup.

Every xlsx writer takes its layout from here, once: the score workbook (:mod:`ecomperf.io.xlsx`) and the
ownership matrix (:mod:`ecomperf.render.matrix`).

* **Numbers keep their exact value**; only the cell's number format rounds what is shown. A percent metric
  is stored as a fraction (``0.106``) and shown as ``10.6%``, next to a target written ``>= 10%``; totals,
  scores and weighted scores show two decimals; money and counts get thousands separators.
* **Column widths follow the content**, counted in the character cells a spreadsheet uses: a CJK
  character takes two.
* **Printing**: A4 landscape, every column on one page wide (as many pages down as the rows need), the
  header row repeated on every page, the sheet name and page number in the footer.

>>> unit_format("percent").shown(0.106), unit_format("currency").shown(2_200_000), display_width("店长 li")
('10.6%', '2,200,000.00', 7)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

__all__ = [
    "ACHIEVEMENT",
    "DECIMALS",
    "FOOTER",
    "LINE_HEIGHT",
    "MARGINS",
    "PAPER_A4",
    "NumberFormat",
    "column_width",
    "display_width",
    "unit_format",
    "wrapped_lines",
]


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """A spreadsheet number format and the Python format that shows a value the same way.

    Attributes:
        code: the Excel/LibreOffice format code written in the cell's style (``0.0%``).
        spec: the :func:`format` spec giving the text the cell shows (``.1%``), for fitting widths.
        suffix: literal text the code appends (``h`` for hours).
    """

    code: str
    spec: str
    suffix: str = ""

    def shown(self, value: float) -> str:
        """The text a cell with this format shows for ``value``.

        >>> DECIMALS.shown(77.998050049)
        '78.00'
        """
        return format(value, self.spec) + self.suffix


DECIMALS: Final = NumberFormat("0.00", ".2f")
"""Totals, scores, weighted scores, subtotals and bonuses: two decimals shown, the value kept exact."""

ACHIEVEMENT: Final = NumberFormat("0.0%", ".1%")
"""Achievements (actual / target, a fraction): ``1.1`` shows as ``110.0%``."""

_WHOLE_COUNT: Final = NumberFormat("#,##0", ",.0f")
_UNIT_FORMATS: Final[dict[str, NumberFormat]] = {
    "percent": NumberFormat("0.0%", ".1%"),
    "currency": NumberFormat("#,##0.00", ",.2f"),
    "count": NumberFormat("#,##0.00", ",.2f"),  # a count averaged or pro-rated; whole counts: _WHOLE_COUNT
    "hours": NumberFormat('0.0"h"', ".1f", "h"),
    "days": NumberFormat('0.0"d"', ".1f", "d"),
    "times": DECIMALS,
    "ratio": DECIMALS,
    "score": DECIMALS,
}


def unit_format(unit: str, value: float | None = None) -> NumberFormat:
    """The number format of an actual in a metric's ``unit``; a whole ``value`` of a count shows no decimals.

    An unknown unit gets two decimals.

    >>> unit_format("percent").code, unit_format("count", 12).code, unit_format("count", 2.5).code
    ('0.0%', '#,##0', '#,##0.00')
    """
    if unit == "count" and value is not None and float(value).is_integer():
        return _WHOLE_COUNT
    return _UNIT_FORMATS.get(unit, DECIMALS)


def display_width(text: str) -> int:
    """Character cells ``text`` takes in a spreadsheet column: wide and full-width (CJK) characters count two.

    >>> display_width("gmv"), display_width("店长")
    (3, 4)
    """
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


_MIN_WIDTH: Final = 6
_PADDING: Final = 2


def column_width(widest: int, most: int) -> int:
    """The width of a column whose widest cell takes ``widest`` character cells: a little padding, at least
    a few cells wide, at most ``most`` (longer text wraps or is cut off on screen).

    >>> column_width(3, 60), column_width(12, 60), column_width(90, 60)
    (6, 14, 60)
    """
    return min(max(widest + _PADDING, _MIN_WIDTH), most)


LINE_HEIGHT: Final = 16
"""Points per line of text in a row (11-point text, CJK included): the height of a row of ``n`` wrapped
lines is ``n * LINE_HEIGHT``. Spreadsheets do not grow a row for wrapped text they did not lay out
themselves, so the writers set it."""


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapping column ``width`` character cells wide: each line of the text
    broken every ``width - 1`` cells (the column's padding), as a spreadsheet breaks CJK text anywhere.

    >>> wrapped_lines("short", 10), wrapped_lines("初创期 25 / 成长期 25 / 成熟期 25", 12), wrapped_lines("a\\nb", 10)
    (1, 3, 2)
    """
    usable = max(width - 1, 1)
    return sum(max(1, -(-display_width(line) // int(usable))) for line in text.splitlines() or [""])


PAPER_A4: Final = 9
"""The paper size code of A4 in a sheet's page setup (Excel's numbering)."""

MARGINS: Final = (0.4, 0.4, 0.6, 0.6)
"""Left, right, top and bottom page margins, in inches (narrow: more columns fit the page width)."""

FOOTER: Final = "&L&A&R&P / &N"
"""The printed footer: the sheet's name on the left, the page of pages (``2 / 5``) on the right, in no language."""
