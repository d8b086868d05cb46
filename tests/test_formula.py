"""Safe metric formulas: the whitelist, exact results, undefined values, and scalar/array agreement."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomperf.formula import MAX_LENGTH, MAX_NODES, Formula, FormulaError, MissingInput

# --- allowed constructs -------------------------------------------------------------------------

SEVEN_AND_TWO = {"a": 7.0, "b": 2.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b", 9.0),
        ("a - b", 5.0),
        ("a * b", 14.0),
        ("a / b", 3.5),
        ("a % b", 1.0),  # 7 = 3·2 + 1
        ("a % -3", -2.0),  # the remainder takes the divisor's sign: 7 = -3·-3 - 2
        ("-a + +b", -5.0),
        ("a + b * 2", 11.0),  # * binds tighter than +
        ("(a + b) * 2", 18.0),
        ("min(a, b)", 2.0),
        ("max(a, b, 10)", 10.0),
        ("abs(b - a)", 5.0),
        ("round(a / b)", 4.0),  # 3.5 rounds half to even: 4
        ("round(5 / 2)", 2.0),  # 2.5 rounds half to even: 2
        ("round(a / 8, 2)", 0.88),  # 0.875 -> 87.5 -> 88 (even) -> 0.88
        ("round(a * 25, -1)", 180.0),  # 175 -> 17.5 -> 18 (even) -> 180
        ("1_000 * a + 0.5 + .5 + 1e1", 7011.0),
        ("0x10 + a", 23.0),  # any Python integer literal is a number
    ],
)
def test_allowed_construct_gives_exact_result(text: str, expected: float) -> None:
    assert Formula.parse(text).evaluate(SEVEN_AND_TWO) == expected


def test_gross_margin_example_from_the_design() -> None:
    # (200 - 150) / 200 = 0.25
    assert Formula.parse("(revenue - cost) / revenue").evaluate({"revenue": 200, "cost": 150}) == 0.25


def test_names_are_listed_once_in_order_of_first_appearance() -> None:
    formula = Formula.parse("(revenue - cost) / revenue + min(cost, tax) * max(revenue, 1)")
    assert formula.names == ("revenue", "cost", "tax")


def test_function_names_are_not_metric_names() -> None:
    assert Formula.parse("round(abs(min(a, b)) + max(a, c), 2)").names == ("a", "b", "c")


def test_formula_without_names_is_a_constant() -> None:
    formula = Formula.parse("2 * 3")
    assert formula.names == ()
    assert formula.evaluate({}) == 6.0


def test_result_is_a_float_even_for_int_inputs() -> None:
    result = Formula.parse("a + b").evaluate({"a": 7, "b": 2})
    assert result == 9.0
    assert type(result) is float


def test_numpy_and_decimal_scalars_are_accepted() -> None:
    from decimal import Decimal

    assert Formula.parse("a / b").evaluate({"a": np.float32(3.0), "b": Decimal("4")}) == 0.75  # type: ignore[dict-item]


def test_extra_values_are_ignored() -> None:
    assert Formula.parse("a * 2").evaluate({"a": 1.5, "unused": "text"}) == 3.0  # type: ignore[dict-item]


def test_leading_and_trailing_whitespace_and_line_breaks_inside_parentheses_are_fine() -> None:
    formula = Formula.parse("  (revenue\n  - cost) / revenue\n")
    assert formula.evaluate({"revenue": 4.0, "cost": 1.0}) == 0.75  # (4 - 1) / 4


def test_formula_of_exactly_the_maximum_length_is_accepted() -> None:
    assert Formula.parse("a" * MAX_LENGTH).names == ("a" * MAX_LENGTH,)


def test_str_is_the_text_and_parse_equals_constructor() -> None:
    formula = Formula.parse("a+b")
    assert str(formula) == "a+b"
    assert formula == Formula("a+b")
    assert hash(formula) == hash(Formula("a+b"))
    assert formula != Formula("a + b")  # equality is textual


def test_formula_survives_pickling() -> None:
    formula = pickle.loads(pickle.dumps(Formula.parse("a / b")))
    assert formula.evaluate({"a": 1.0, "b": 4.0}) == 0.25


def test_a_non_string_formula_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be a string"):
        Formula(42)  # type: ignore[arg-type]


# --- refused constructs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("__import__('os')", 0, "'__import__()' is not an allowed function"),
        ("__import__('os').system('ls')", 0, "'__import__()' is not an allowed function"),
        ("a.b", 1, "attribute access '.b'"),
        ("a  .b", 3, "attribute access '.b'"),
        ("a**2", 1, "'**' (power) is not allowed"),
        ("a // b", 2, "'//' (floor division)"),
        ("a ^ 2", 2, "'^' (bitwise xor)"),
        ("a[0]", 1, "indexing"),
        ("(a)[0]", 3, "indexing"),
        ("[x for x in y]", 0, "comprehension"),
        ("lambda: 1", 0, "'lambda'"),
        ("a if b else c", 2, "'if ... else'"),
        ("a < b", 2, "'<' (comparison)"),
        ("a and b", 2, "'and'"),
        ("not a", 0, "'not'"),
        ("~a", 0, "'~'"),
        ("'s'", 0, "text in quotes ('s')"),
        ("f'{a}'", 0, "f-string"),
        ("True", 0, "'True' (a boolean)"),
        ("None", 0, "'None'"),
        ("1j", 0, "complex number"),
        ("1e999", 0, "too large"),
        ("a, b", 0, "a tuple"),
        ("{a}", 0, "a set"),
        ("(x := 1)", 1, "':='"),
        ("max(*a)", 4, "'*' unpacking"),
        ("min(a)", 0, "min() takes at least 2 arguments, got 1"),
        ("abs(a, b)", 0, "abs() takes exactly 1 argument, got 2"),
        ("round(a, 1, 2)", 0, "round() takes 1 or 2 arguments, got 3"),
        ("round(a, b)", 9, "second argument of round() must be a whole number"),
        ("round(a, 0.5)", 9, "second argument of round() must be a whole number"),
        ("round(a, 16)", 9, "from -15 to 15"),
        ("round(a, ndigits=2)", 9, "keyword argument 'ndigits='"),
        ("foo(a)", 0, "'foo()' is not an allowed function"),
        ("(a + b)(c)", 7, "calling 'a + b' is not allowed"),
        ("min", 0, "'min' is a function"),
        ("Revenue", 0, "'Revenue' is not a valid metric name"),
        ("_hidden + a", 0, "'_hidden' is not a valid metric name"),
        ("a + ｒevenue", 4, "'ｒevenue' is not a valid metric name"),  # full-width r, NFKC'd by Python
        ("a" * (MAX_LENGTH + 1), MAX_LENGTH, "the limit is 500"),
        ("-" * 300 + "a", 0, f"the limit is {MAX_NODES}"),
        ("", 0, "formula is empty"),
        ("   ", 0, "formula is empty"),
        ("a +", 3, "not a valid expression"),  # the end of the text
        ("(a + b", 0, "'(' was never closed"),
        ("  a ** 2", 4, "'**'"),  # offsets count the leading spaces
        ("(a +\n b ** 2)", 8, "'**'"),  # and line breaks: '(a +\n' is 5 characters, ' b ' 3 more
        ("收入 + )", 5, "unmatched ')'"),  # offsets are in characters, not UTF-8 bytes
        ("a + \0b", 4, "null bytes"),
    ],
)
def test_refused_construct_raises_ep211_at_its_offset(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.parse(text)
    error = caught.value
    assert error.code == "EP211"
    assert error.offset == offset
    assert fragment in error.message
    assert str(error) == error.message
    assert isinstance(error, ValueError)


def test_refusal_lists_what_is_allowed() -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.parse("a ** 2")
    assert caught.value.message == (
        "'**' (power) is not allowed in formulas; "
        "allowed: numbers, metric names, + - * / %, parentheses, min() max() abs() round()"
    )


def test_the_earliest_problem_in_the_text_is_reported() -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.parse("a ** 2 < b.c")
    assert caught.value.offset == 2  # '**' comes before '<' (7) and '.c' (10)


def test_formula_error_survives_pickling() -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.parse("a ** 2")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.message, copy.offset, copy.code, copy.text) == (
        caught.value.message,
        2,
        "EP211",
        "a ** 2",
    )


# --- undefined results and bad inputs (scalar) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a / b", {"a": 1.0, "b": 0.0}),
        ("a / b", {"a": 1.0, "b": -0.0}),
        ("a % b", {"a": 1.0, "b": 0.0}),
        ("1 / (a - a) + 5", {"a": 3.0}),
        ("min(a / b, 1)", {"a": 1.0, "b": 0.0}),
        ("a / b", {"a": np.float64(1.0), "b": np.float64(0.0)}),  # no numpy warning either
        ("a * a", {"a": 1e200}),  # overflows to inf
        ("min(a * a, 1)", {"a": 1e200}),  # inf hidden by min is still undefined
        ("1 / (a * a)", {"a": 1e200}),  # 1 / inf would be 0, hiding the overflow
        ("a + 1", {"a": math.nan}),
        ("a + 1", {"a": math.inf}),
        ("round(a)", {"a": math.inf}),
        ("a + 1", {"a": 10**400}),  # an int too large for a float
    ],
)
def test_undefined_result_is_none(text: str, values: dict[str, float]) -> None:
    assert Formula.parse(text).evaluate(values) is None


def test_missing_input_is_a_key_error_naming_the_metric() -> None:
    with pytest.raises(MissingInput) as caught:
        Formula.parse("orders / visitors").evaluate({"orders": 3.0})
    assert caught.value.name == "visitors"
    assert isinstance(caught.value, KeyError)
    assert "visitors" in str(caught.value)


@pytest.mark.parametrize("value", ["1.5", True, None, np.array([1.0, 2.0])])
def test_non_numeric_scalar_input_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="'a'"):
        Formula.parse("a + 1").evaluate({"a": value})  # type: ignore[dict-item]


# --- arrays -------------------------------------------------------------------------------------


def test_array_division_by_zero_is_nan_at_exactly_those_positions() -> None:
    formula = Formula.parse("(revenue - cost) / revenue")
    result = formula.evaluate_array(
        {"revenue": np.array([200.0, 0.0, 50.0, -0.0]), "cost": np.array([150.0, 10.0, 50.0, 0.0])}
    )
    # (200-150)/200 = 0.25; 0 -> undefined; (50-50)/50 = 0; -0 -> undefined
    np.testing.assert_array_equal(result, [0.25, np.nan, 0.0, np.nan])
    assert result.dtype == np.float64


def test_array_modulo_by_zero_is_nan() -> None:
    result = Formula.parse("a % b").evaluate_array({"a": np.array([7.0, 7.0]), "b": np.array([2.0, 0.0])})
    np.testing.assert_array_equal(result, [1.0, np.nan])


def test_array_overflow_and_non_finite_inputs_are_nan() -> None:
    result = Formula.parse("min(a * a, 1) + b").evaluate_array(
        {"a": np.array([1e200, 0.5, 0.5, 0.5]), "b": np.array([0.0, np.inf, np.nan, 1.0])}
    )
    np.testing.assert_array_equal(result, [np.nan, np.nan, np.nan, 1.25])  # min(0.25, 1) + 1


def test_array_scalars_broadcast() -> None:
    result = Formula.parse("a * rate").evaluate_array({"a": np.array([1.0, 2.0, 3.0]), "rate": 0.5})
    np.testing.assert_array_equal(result, [0.5, 1.0, 1.5])


def test_array_min_and_max_work_elementwise() -> None:
    values = {"a": np.array([1.0, 5.0]), "b": np.array([3.0, 2.0])}
    np.testing.assert_array_equal(Formula.parse("min(a, b)").evaluate_array(values), [1.0, 2.0])
    np.testing.assert_array_equal(Formula.parse("max(a, b, 4)").evaluate_array(values), [4.0, 5.0])


def test_array_round_is_half_to_even_like_the_scalar_path() -> None:
    values = np.array([0.5, 1.5, 2.5, 2.675, -2.5, 0.125])
    formula = Formula.parse("round(a) + round(a, 2)")
    expected = [formula.evaluate({"a": float(value)}) for value in values]
    # round(2.675, 2): 2.675 * 100 is exactly 267.5 in binary, which rounds to 268 -> 2.68 in both
    # paths (Python's own round(2.675, 2) says 2.67); 0.125 * 100 = 12.5 -> 12 -> 0.12
    assert expected == [0.0 + 0.5, 2.0 + 1.5, 2.0 + 2.5, 3.0 + 2.68, -2.0 - 2.5, 0.0 + 0.12]
    np.testing.assert_array_equal(formula.evaluate_array({"a": values}), expected)


def test_array_of_only_scalars_is_zero_dimensional() -> None:
    result = Formula.parse("a / b").evaluate_array({"a": 1.0, "b": 4.0})
    assert result.shape == ()
    assert result == 0.25


def test_array_result_is_never_the_callers_own_array() -> None:
    revenue = np.array([1.0, 2.0])
    result = Formula.parse("revenue").evaluate_array({"revenue": revenue})
    result[0] = 99.0
    assert revenue[0] == 1.0


def test_array_inputs_may_be_int_arrays_or_lists() -> None:
    result = Formula.parse("a / b").evaluate_array({"a": np.array([1, 3]), "b": [2, 4]})  # type: ignore[dict-item]
    np.testing.assert_array_equal(result, [0.5, 0.75])


def test_array_of_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="dtype"):
        Formula.parse("a + 1").evaluate_array({"a": np.array(["1", "2"])})


def test_array_shapes_that_cannot_broadcast_are_a_value_error_naming_the_inputs() -> None:
    with pytest.raises(ValueError, match=r"a \(2,\), b \(3,\)"):
        Formula.parse("a + b").evaluate_array({"a": np.zeros(2), "b": np.zeros(3)})


def test_array_missing_input_names_the_metric() -> None:
    with pytest.raises(MissingInput, match="b"):
        Formula.parse("a + b").evaluate_array({"a": np.zeros(2)})


# --- scalar and array paths agree ---------------------------------------------------------------

PROPERTY_FORMULAS = [
    "(a - b) / a",
    "min(a, b) * 2 - abs(c)",
    "a % b",
    "round(a / b, 2) + max(a, c, 1)",
    "round(c * 7.5, -1) - round(a)",
    "min(a * 1e303, b) + a / (b - c)",  # |a| > ~180 overflows inside min
]
moderate = st.one_of(
    st.just(0.0),
    st.integers(-5, 5).map(float),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
rows = st.lists(st.tuples(moderate, moderate, moderate), min_size=1, max_size=12)


@pytest.mark.parametrize("text", PROPERTY_FORMULAS)
@settings(max_examples=50)  # x 6 formulas x up to 12 rows each
@given(rows=rows)
def test_evaluate_array_matches_evaluate_elementwise(text: str, rows: list[tuple[float, float, float]]) -> None:
    formula = Formula.parse(text)
    columns = np.array(rows).T
    vector = formula.evaluate_array(dict(zip(("a", "b", "c"), columns, strict=True)))
    for position, (a, b, c) in enumerate(rows):
        scalar = formula.evaluate({"a": a, "b": b, "c": c})
        if scalar is None:
            assert math.isnan(vector[position]), (text, a, b, c)
        else:
            assert vector[position] == scalar, (text, a, b, c)
