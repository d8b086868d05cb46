"""The display scale: totals out of 5 or 10 beside their points, rounded as declared."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ecomperf.model import DisplayScale, Rules


def test_a_total_is_shown_out_of_the_scale() -> None:
    # 75.333333333 * 5 / 100 = 3.76666666665 -> 3 decimals, half up: 3.767 (Frappe's final score)
    assert DisplayScale(out_of=5, decimals=3).shown(75.333333333) == 3.767


def test_ten_point_scale_with_the_default_two_decimals() -> None:
    # 88.25 * 10 / 100 = 8.825 exactly as written -> 8.83 half up
    assert DisplayScale(out_of=10).shown(88.25) == 8.83


def test_half_even_rounding_when_declared() -> None:
    # 8.825 -> 8.82 with banker's rounding; 8.835 -> 8.84
    scale = DisplayScale(out_of=10, rounding="half_even")
    assert (scale.shown(88.25), scale.shown(88.35)) == (8.82, 8.84)


def test_rounding_works_on_the_printed_number_not_binary_noise() -> None:
    # 2.675 is 2.67499999999999982236431605997495353221893310546875 in binary; written 2.675 it rounds up
    assert DisplayScale(out_of=100).shown(2.675) == 2.68


def test_a_number_is_the_scale_with_defaults() -> None:
    rules = Rules.model_validate({"display_scale": 5})
    assert rules.display_scale == DisplayScale(out_of=5, decimals=2, rounding="half_up")


@pytest.mark.parametrize("bad", [0, -5, {"out_of": 5, "decimals": 7}, {"out_of": 5, "rounding": "up"}])
def test_a_scale_must_be_positive_with_sensible_rounding(bad: object) -> None:
    with pytest.raises(ValidationError):
        Rules.model_validate({"display_scale": bad})
