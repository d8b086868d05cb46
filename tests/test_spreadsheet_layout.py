"""The layout every xlsx writer shares: number formats by unit, widths by content, wrapped lines."""

from __future__ import annotations

import pytest

from ecomperf.spreadsheet_layout import (
    ACHIEVEMENT,
    DECIMALS,
    column_width,
    display_width,
    unit_format,
    wrapped_lines,
)


@pytest.mark.parametrize(
    ("unit", "value", "code", "shown"),
    [
        ("percent", 0.106, "0.0%", "10.6%"),  # next to a target written ">= 10%"
        ("currency", 2_200_000, "#,##0.00", "2,200,000.00"),
        ("count", 12, "#,##0", "12"),  # a whole count: no decimals
        ("count", 2.5, "#,##0.00", "2.50"),  # an averaged count keeps them
        ("hours", 30.77, '0.0"h"', "30.8h"),
        ("days", 83.33, '0.0"d"', "83.3d"),
        ("times", 4.5, "0.00", "4.50"),
        ("ratio", 3.36, "0.00", "3.36"),
        ("score", 4.8, "0.00", "4.80"),
    ],
)
def test_each_unit_has_a_number_format_and_shows_like_it(unit: str, value: float, code: str, shown: str) -> None:
    number = unit_format(unit, value)
    assert (number.code, number.shown(value)) == (code, shown)


def test_totals_show_two_decimals_and_achievements_a_percent() -> None:
    assert (DECIMALS.code, DECIMALS.shown(77.998050049)) == ("0.00", "78.00")
    assert (ACHIEVEMENT.code, ACHIEVEMENT.shown(1.06)) == ("0.0%", "106.0%")


def test_cjk_characters_take_two_cells() -> None:
    assert display_width("E001 王芳") == 5 + 2 * 2
    assert display_width("（店铺主管）") == 6 * 2  # full-width brackets too
    assert display_width("gmv_score") == 9


def test_column_width_pads_and_bounds() -> None:
    assert column_width(9, 60) == 11  # 9 + 2 padding
    assert column_width(1, 60) == 6  # never narrower than 6
    assert column_width(113, 50) == 50  # the cap: longer text wraps


def test_wrapped_lines_count_each_line_broken_at_the_usable_width() -> None:
    # 113 characters in a column 50 wide: 49 usable per line -> 3 lines
    assert wrapped_lines("x" * 113, 50) == 3
    # "初创期 25 / 成长期 25" is 6+3+3+6+3 = 21 cells; 12 usable in a column 13 wide -> 2 lines
    assert wrapped_lines("初创期 25 / 成长期 25", 13) == 2
    assert wrapped_lines("one\ntwo\nthree", 40) == 3
    assert wrapped_lines("", 10) == 1
