"""The float-lattice searches that settle every inverse on the forward scorer."""

from __future__ import annotations

import math

from ecomperf.planning.floats import bracket, highest_true, lowest_true


def test_lowest_true_finds_the_float_where_a_test_turns_true() -> None:
    # 3x >= 1 first holds at the float nearest 1/3 from above
    found = lowest_true(lambda x: x * 3 >= 1, 0.2)
    assert found is not None and found * 3 >= 1 > math.nextafter(found, 0) * 3


def test_lowest_true_walks_down_when_the_start_already_passes() -> None:
    assert lowest_true(lambda x: x >= 10.0, 1e6) == 10.0


def test_highest_true_mirrors_it() -> None:
    assert highest_true(lambda x: x <= -2.5, 100.0) == -2.5


def test_lowest_true_is_none_when_nothing_passes() -> None:
    assert lowest_true(lambda x: False, 1.0) is None


def test_bracket_steps_out_both_ways_and_takes_the_nearer_side() -> None:
    # from 100, 1% steps doubling: +1, -1, +2, -2, +4, -4 …: the test holds below 95 first
    assert bracket(lambda x: x <= 95 or x >= 1000, 100.0) == (95.0, False)
    assert bracket(lambda x: x >= 1234.5, 0.0) == (1234.5, True)  # from 0, steps of 0.01
    assert bracket(lambda x: False, 1.0) is None
