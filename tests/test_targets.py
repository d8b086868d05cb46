"""Target and quantity shorthand."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomperf.targets import (
    QUANTITY_PATTERN,
    TARGET_PATTERN,
    QuantityError,
    TargetError,
    format_quantity,
    parse_quantity,
    parse_target,
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("35%", 0.35),
        ("2000万", 20_000_000),
        ("1.2亿", 120_000_000),
        ("15k", 15_000),
        ("2M", 2_000_000),
        ("24h", 24),
        ("7d", 7),
        (4, 4.0),
        ("1,000", 1000),
        ("-5%", -0.05),
        ("1e3", 1000),
    ],
)
def test_quantities(raw: object, value: float) -> None:
    assert parse_quantity(raw) == value


@pytest.mark.parametrize("raw", [True, "", "abc", "5 kg", float("nan"), float("inf"), None, [1]])
def test_bad_quantities_are_refused(raw: object) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(raw)


@pytest.mark.parametrize(
    ("raw", "op", "value"),
    [
        (">= 95%", ">=", 0.95),
        ("<= 24h", "<=", 24),
        ("< 2%", "<", 0.02),
        ("== 0", "==", 0),
        ("> 0", ">", 0),
        ("≥ 4", ">=", 4),
        ("= 0", "==", 0),
        ({"op": ">=", "value": 0.95}, ">=", 0.95),
        (">= 2000万", ">=", 2e7),
    ],
)
def test_target_shorthand_and_long_form(raw: object, op: str, value: float) -> None:
    target = parse_target(raw)
    assert (target.op, target.value) == (op, value)


def test_range_targets() -> None:
    target = parse_target("90%..95%")
    assert (target.op, target.low, target.high) == ("range", 0.9, 0.95)
    assert parse_target({"min": 0.9, "max": "95%"}) == target.model_copy(update={"text": "0.9..95%"})
    assert target.is_met(0.92) and not target.is_met(0.96)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("95%", "has no operator"),
        (4, 'e.g. ">= 4"'),
        (">= x", "got 'x'"),
        ("95%..90%", "runs backwards"),
        ({"op": "~", "value": 1}, "not one of"),
        ({"value": 1}, "either {op, value} or {min, max}"),
        (">=", "missing"),
    ],
)
def test_bad_targets_say_what_they_got_and_how_to_fix(raw: object, fragment: str) -> None:
    with pytest.raises(TargetError, match=None) as info:
        parse_target(raw)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.35, "percent", "35%"),
        (20_000_000, "currency", "2000万"),
        (120_000_000, "currency", "1.2亿"),
        (24, "hours", "24h"),
        (4, "times", "4"),
        (12_345, "currency", "1.23万"), (20_000_000 / 3, "currency", "666.67万"), (9_999, "currency", "9999"),
    ],
)
def test_format_quantity(value: float, unit: str, text: str) -> None:
    assert format_quantity(value, unit) == text


@given(st.integers(min_value=0, max_value=10_000))
def test_percent_shorthand_matches_the_fraction(basis_points: int) -> None:
    # "12.34%" must read as exactly 0.1234, not 0.12340000000000001
    text = f"{basis_points / 100:g}%"
    assert parse_quantity(text) == float(f"{basis_points / 10_000:.12g}")
    assert parse_quantity(f"{basis_points}万") == basis_points * 10_000


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.sampled_from([">=", "<=", ">", "<"]))
def test_target_is_met_agrees_with_its_operator(value: float, op: str) -> None:
    target = parse_target({"op": op, "value": value})
    assert target.is_met(value) == (op in {">=", "<="})


# The JSON Schema patterns (what an editor checks) and the parser (what `validate` checks) must agree.
_SHORTHAND_ALPHABET = "0123456789.,_eE+- %万亿kKMhd><=≥≤x"
_shorthand = st.text(alphabet=_SHORTHAND_ALPHABET, max_size=12)


def _re_accepts(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


@given(_shorthand)
def test_quantity_pattern_accepts_what_the_parser_accepts(text: str) -> None:
    try:
        parse_quantity(text)
        parsed, reason = True, ""
    except QuantityError as exc:
        parsed, reason = False, str(exc)
    # the one refusal a pattern cannot see: a number too large for a float ("1e999" is infinite)
    assert _re_accepts(QUANTITY_PATTERN, text) == parsed or "finite" in reason


@given(_shorthand)
def test_target_pattern_accepts_what_the_parser_accepts(text: str) -> None:
    try:
        parse_target(text)
        parsed, reason = True, ""
    except TargetError as exc:
        parsed, reason = False, str(exc)
    # what a pattern cannot see: a range written backwards ("5..1") and numbers too large for a float
    assert _re_accepts(TARGET_PATTERN, text) == parsed or "backwards" in reason or "finite" in reason


@pytest.mark.parametrize(
    ("text", "accepted"),
    [(">= 95%", True), ("90%..95%", True), ("≤ 24h", True), ("about 200万", False), (">= 40 percent", False),
     ("40%", False), (">= 1..2", False)],
)
def test_target_pattern_examples(text: str, accepted: bool) -> None:
    assert _re_accepts(TARGET_PATTERN, text) is accepted
