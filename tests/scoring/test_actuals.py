"""Reading actual values: what an analyst types is accepted, what would corrupt a bonus is refused."""

from __future__ import annotations

import copy
import math
import pickle
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from ecomperf.errors import ScoringError
from ecomperf.scoring.actuals import NOT_APPLICABLE, ActualError, NotApplicable, is_not_applicable, parse_actual


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0.35, 0.35),
        (12, 12.0),
        ("35%", 0.35),
        (" 35 % ", 0.35),
        ("2000万", 20_000_000.0),
        ("1.2亿", 120_000_000.0),
        ("15k", 15_000.0),
        ("24h", 24.0),
        ("-5%", -0.05),
        ("1,234.5", 1234.5),
        (np.float64(0.5), 0.5),
        (np.int64(7), 7.0),
        (Decimal("0.35"), 0.35),
        (Fraction(1, 4), 0.25),
    ],
)
def test_numbers_and_shorthand_are_read(raw: object, expected: float) -> None:
    assert parse_actual("m", raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["n/a", "N/A", " n/a ", "不适用", NOT_APPLICABLE])
def test_not_applicable_markers(raw: object) -> None:
    assert parse_actual("m", raw) is NOT_APPLICABLE


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
        (Decimal("NaN"), "finite"),
        (np.float64("nan"), "finite"),
        (True, "yes/no"),
        (False, "yes/no"),
        (np.bool_(True), "yes/no"),
        ("", "empty"),
        ("   ", "empty"),
        (None, "no value"),
        ("lots", "expected a number"),
        ("35%%", "expected a number"),
        ("nan", "expected a number"),
        ([1, 2], "expected a number"),
    ],
)
def test_unusable_values_are_refused_naming_metric_and_value(raw: object, why: str) -> None:
    with pytest.raises(ActualError) as caught:
        parse_actual("gross_margin", raw)
    message = str(caught.value)
    assert "'gross_margin'" in message
    assert repr(raw) in message
    assert why in message
    assert caught.value.metric == "gross_margin"


def test_actual_error_is_both_a_scoring_error_and_a_value_error() -> None:
    with pytest.raises(ScoringError):
        parse_actual("gmv", "lots")
    with pytest.raises(ValueError, match="gmv"):
        parse_actual("gmv", "lots")


def test_not_applicable_is_a_singleton_that_survives_copy_and_pickle() -> None:
    assert NotApplicable() is NOT_APPLICABLE
    assert copy.deepcopy(NOT_APPLICABLE) is NOT_APPLICABLE
    assert pickle.loads(pickle.dumps(NOT_APPLICABLE)) is NOT_APPLICABLE
    assert repr(NOT_APPLICABLE) == "n/a"
    assert not NOT_APPLICABLE


def test_is_not_applicable_only_recognises_the_markers() -> None:
    assert is_not_applicable("N/A") and is_not_applicable(NOT_APPLICABLE)
    assert not is_not_applicable("na") and not is_not_applicable(0) and not is_not_applicable(None)
