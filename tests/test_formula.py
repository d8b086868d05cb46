"""Safe metric formulas: the whitelist, exact results, undefined values, and scalar/array agreement."""

from __future__ import annotations

import math
import pickle
import warnings
from collections.abc import Callable, Mapping

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


# --- conditions: if(), comparisons, and/or/not ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("if(a > b, a, b)", 7.0),  # 7 > 2: the first value
        ("if(a < b, a, b)", 2.0),  # 7 < 2 is false: the second value
        ("if(a >= 7, 1, 0)", 1.0),  # 7 >= 7
        ("if(a <= 6.5, 1, 0)", 0.0),
        ("if(a == 7, 1, 0)", 1.0),
        ("if(a != 7, 1, 0)", 0.0),
        ("if(a > b + 4, 1, 0)", 1.0),  # arithmetic binds tighter: 7 > 6
        ("if(a % 2 == 1, 1, 0)", 1.0),  # 7 % 2 = 1
        ("if(b < a < 10, 1, 0)", 1.0),  # 2 < 7 and 7 < 10
        ("if(b < a < 5, 1, 0)", 0.0),  # 2 < 7 but not 7 < 5
        ("if(10 > a >= 7 > b, 1, 0)", 1.0),  # 10 > 7, 7 >= 7, 7 > 2
        ("if(a > 5 and b > 5, 1, 0)", 0.0),
        ("if(a > 5 or b > 5, 1, 0)", 1.0),
        ("if(not a > 5, 1, 0)", 0.0),  # not binds looser than >: not (7 > 5)
        ("if(not (a > 5 and b > 5), 1, 0)", 1.0),
        ("if(a > 5 or b > 5 and b > 9, 1, 0)", 1.0),  # and binds tighter: 7 > 5 or (2 > 5 and 2 > 9)
        ("if(a > 1 and b > 1 and a + b == 9, 1, 0)", 1.0),
        ("if(a > 8 or b > 8 or a - b == 5, 1, 0)", 1.0),  # 7 - 2 = 5
        ("if(a > b, if(b > 1, 10, 20), 30)", 10.0),
        ("if(not if(a > 5, 1, 0) > 0, 10, 20)", 20.0),  # inner if is 1; 1 > 0; not -> false -> 20
        ("a * if(b > 1, 2, 3) + 1", 15.0),  # 7 * 2 + 1
        ("if(a > b, a - b, b - a) / 5", 1.0),  # (7 - 2) / 5
        ("-if(a > b, a, b)", -7.0),
        ("max(if(a > b, 0, 1), round(a / b))", 4.0),  # max(0, round(3.5) = 4)
        ("if (a > b, 1, 0)", 1.0),  # a space before the parenthesis is fine
        ("if(a > b,\n   1,  # yes\n   0)", 1.0),  # and so are line breaks and comments
        ("a + 1  # if(x, y, z) in a comment is not code", 8.0),
    ],
)
def test_condition_gives_exact_result(text: str, expected: float) -> None:
    assert Formula.parse(text).evaluate(SEVEN_AND_TWO) == expected


@pytest.mark.parametrize(
    ("gmv", "expected"),
    [
        (1_500_000, 10_000.0),  # (1,500,000 - 1,000,000) x 2% = 10,000
        (1_000_000, 0.0),  # not above the threshold
        (800_000, 0.0),
    ],
)
def test_bonus_applies_only_above_the_threshold(gmv: float, expected: float) -> None:
    bonus = Formula.parse("if(gmv > 1_000_000, (gmv - 1_000_000) * 0.02, 0)")
    assert bonus.evaluate({"gmv": gmv}) == expected
    assert bonus.evaluate_array({"gmv": np.array([float(gmv)])})[0] == expected


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("if(b > 0, a / b, 0)", {"a": 1.0, "b": 0.0}, 0.0),  # the division is never computed
        ("if(b == 0, 0, a / b)", {"a": 1.0, "b": 0.0}, 0.0),
        ("if(a > 0, 1, a % b)", {"a": 1.0, "b": 0.0}, 1.0),
        ("if(a > 0, 1, b)", {"a": 1.0, "b": math.nan}, 1.0),  # an undefined input the branch reads
        ("if(a > 0, 1, b)", {"a": 1.0, "b": math.inf}, 1.0),
        ("if(a > 0, 1, b * b)", {"a": 1.0, "b": 1e200}, 1.0),  # an overflow in the untaken branch
        ("if(b != 0 and a / b > 1, 1, 0)", {"a": 1.0, "b": 0.0}, 0.0),  # and stops at false
        ("if(b == 0 or a / b > 1, 1, 0)", {"a": 1.0, "b": 0.0}, 1.0),  # or stops at true
        ("if(a < b < a / b, 1, 0)", {"a": 1.0, "b": 0.0}, 0.0),  # a chain stops at its first false step
        ("if(a > 0, 2, 1 / 0)", {"a": 1.0}, 2.0),
    ],
)
def test_undefined_parts_that_are_not_evaluated_do_not_matter(
    text: str, values: dict[str, float], expected: float
) -> None:
    formula = Formula.parse(text)
    assert formula.evaluate(values) == expected
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not one numpy warning either
        vector = formula.evaluate_array({name: np.array([value, 2.0]) for name, value in values.items()})
    assert vector[0] == expected


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("if(a / b > 1, 1, 0)", {"a": 1.0, "b": 0.0}),  # the condition itself is undefined
        ("if(a > 0, a / b, 0)", {"a": 1.0, "b": 0.0}),  # the branch taken is undefined
        ("if(a > 0, 1, 0)", {"a": math.nan}),
        ("if(a * a > 1, 1, 0)", {"a": 1e200}),  # inf > 1 would hide the overflow
        ("if(min(a * a, 1) == 1, 1, 0)", {"a": 1e200}),
        ("if(a > 0 and b / c > 1, 1, 0)", {"a": 1.0, "b": 1.0, "c": 0.0}),  # and reads its right side
        ("if(a < 0 or b / c > 1, 1, 0)", {"a": 1.0, "b": 1.0, "c": 0.0}),
        ("if(not a / b > 1, 1, 0)", {"a": 1.0, "b": 0.0}),
        ("if(0 < a < b / c, 1, 0)", {"a": 1.0, "b": 1.0, "c": 0.0}),  # the chain goes on after 0 < 1
        ("if(a > 0, a * a, 0)", {"a": 1e200}),  # the value taken overflows
        ("1 / if(a > 0, a * a, 1)", {"a": 1e200}),  # 1 / inf would be 0, hiding the overflow
    ],
)
def test_undefined_parts_that_are_evaluated_make_the_result_undefined(text: str, values: dict[str, float]) -> None:
    formula = Formula.parse(text)
    assert formula.evaluate(values) is None
    vector = formula.evaluate_array({name: np.array([value]) for name, value in values.items()})
    assert math.isnan(vector[0])


def test_array_conditions_pick_per_row_without_warnings() -> None:
    formula = Formula.parse("if(visitors > 0, orders / visitors, 0)")
    visitors = np.array([0.0, 200.0, 0.0, -0.0, np.nan])
    orders = np.array([3.0, 10.0, np.nan, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = formula.evaluate_array({"visitors": visitors, "orders": orders})
    # 0 visitors -> 0 (3 / 0 never matters); 10 / 200 = 0.05; no orders and no visitors -> 0;
    # -0 visitors is not above 0 -> 0; an undefined visitor count decides nothing -> undefined
    np.testing.assert_array_equal(result, [0.0, 0.05, 0.0, 0.0, np.nan])


def test_array_logic_broadcasts_scalars_and_keeps_undefined_rows() -> None:
    formula = Formula.parse("if(a > limit and not b == 0, 1, 2)")
    result = formula.evaluate_array({"a": np.array([5.0, 5.0, 1.0, np.nan, 5.0]), "limit": 3.0,
                                     "b": np.array([1.0, 0.0, np.nan, 1.0, np.nan])})
    # 5 > 3 and 1 != 0 -> 1; b == 0 -> 2; 1 > 3 is false, b never read -> 2; a undefined -> undefined;
    # 5 > 3 and then b is read, undefined -> undefined
    np.testing.assert_array_equal(result, [1.0, 2.0, 2.0, np.nan, np.nan])


def test_names_include_both_branches_in_order_of_appearance() -> None:
    formula = Formula.parse("if(visitors > 0 and not refunds > orders, orders / visitors, fallback) + orders")
    assert formula.names == ("visitors", "refunds", "orders", "fallback")


def test_scalar_reads_only_the_inputs_its_evaluation_needs() -> None:
    formula = Formula.parse("if(visitors > 0, orders / visitors, 0)")
    assert formula.evaluate({"visitors": 0.0}) == 0.0  # orders is never read
    with pytest.raises(MissingInput, match="orders"):
        formula.evaluate({"visitors": 5.0})


def test_array_needs_every_input_even_of_an_untaken_branch() -> None:
    # Arrays hold many rows, so absence is per row (NaN), never a missing column.
    with pytest.raises(MissingInput, match="orders"):
        Formula.parse("if(visitors > 0, orders / visitors, 0)").evaluate_array({"visitors": np.zeros(2)})


def test_if_is_not_taken_for_a_metric_named_like_it() -> None:
    # 'if' inside a name is not the function; the placeholder never leaks into names or messages
    formula = Formula.parse("if(gift > diff, gift, diff)")
    assert formula.names == ("gift", "diff")
    assert formula.evaluate({"gift": 1.0, "diff": 3.0}) == 3.0
    assert "IF" not in str(formula)


def test_conditional_formula_survives_pickling() -> None:
    formula = pickle.loads(pickle.dumps(Formula.parse("if(0 <= a < 1, a, 1)")))
    assert (formula.evaluate({"a": 0.5}), formula.evaluate({"a": 3.0})) == (0.5, 1.0)


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
        ("a if b else c", 2, "'if ... else' (conditional expression) is not allowed in formulas; write if("),
        ("a if (b) else c", 2, "'if ... else'"),  # an 'if' after a value is Python's keyword, not a call
        ("a is b", 2, "'is' (a membership or identity test) is not allowed"),
        ("a not in b", 2, "'not in' (a membership or identity test)"),
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
        ("if(a > 0, b)", 0, "if() takes exactly 3 arguments, got 2: write if(condition, value_if_true, value_if_false"),
        ("if(a > 0, b, c, d)", 0, "if() takes exactly 3 arguments, got 4"),
        ("1 + if()", 4, "if() takes exactly 3 arguments, got 0"),
        ("if(a > 0, b, c=1)", 13, "keyword argument 'c='"),
        ("if(a > 0, *b)", 10, "'*' unpacking"),
        ("IF(a > 0, b, c)", 0, "'IF()' is not an allowed function; did you mean if()?"),
        ("ｉｆ(a > 0, b, c)", 0, "'ｉｆ()' is not an allowed function"),  # full-width, NFKC'd to 'if' by Python
        ("if + 1", 0, "a condition is written if(condition, value_if_true, value_if_false)"),
        ("if(a > 0, b, c", 2, "'(' was never closed"),
        ("if(a > 0, b ** 2, c)", 12, "'**'"),  # the 'if' placeholder keeps every offset
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
        # numbers and conditions do not mix; the offset is the part of the wrong kind
        ("a < b", 0, "'a < b' is a condition (true or false), not a number; a formula must compute a number: "
                     "to count it as 1 or 0, write if(a < b, 1, 0)"),
        ("(a > b) * 5", 1, "'a > b' is a condition (true or false), not a number; '*' needs numbers on both sides"),
        ("-(a > b)", 2, "'-' needs a number"),
        ("min(a > b, c)", 4, "min() takes numbers"),
        ("if((a < b) < c, 1, 0)", 4, "a comparison compares numbers"),
        ("if(a > 0, b > 1, c)", 10, "'b > 1' is a condition (true or false), not a number; if() gives one of two"),
        ("if(a, b, c)", 3, "'a' is a number, not a condition; the first argument of if() is the condition it tests: "
                           "compare it, e.g. a > 0 or a != 0"),
        ("if(a > 0 and b, 1, 0)", 13, "'b' is a number, not a condition; 'and' joins conditions"),
        ("if(a or b > 0, 1, 0)", 3, "'a' is a number, not a condition; 'or' joins conditions"),
        ("if(not a, 1, 0)", 7, "'a' is a number, not a condition; 'not' needs a condition"),
        ("if(a > 0, b, c) > 1", 0, "is a condition (true or false), not a number; a formula must compute a number"),
        # chains run one way only
        ("if(a < b > c, 1, 0)", 9, "the chained comparison 'a < b > c' is not allowed: a chain must run one way, "
                                  "like 0 <= x < 1 (only < and <=, or only > and >=); write a < b and b > c"),
        ("if(a == b == c, 1, 0)", 10, "write a == b and b == c"),
        ("if(0 <= a != b, 1, 0)", 10, "write 0 <= a and a != b"),
        ("if(1 < a < b >= c, 1, 0)", 13, "write a < b and b >= c"),
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
        "'**' (power) is not allowed in formulas; allowed: numbers, metric names, + - * / %, parentheses, "
        "comparisons < <= > >= == !=, and or not, min() max() abs() round() if()"
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


# --- generated conditional formulas: scalar, array and a reference agree --------------------------
# Each generated formula comes with a reference: a plain Python function, written independently of
# ecomperf, that evaluates it with the documented semantics (lazy if/and/or/chains; any evaluated
# division by zero or non-finite value is undefined).


class _Undefined(Exception):
    pass


Reference = Callable[[Mapping[str, float]], float]
Generated = tuple[str, Reference]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise _Undefined
    return value


def _leaf_name(name: str) -> Generated:
    return name, lambda v: _finite(v[name])


def _leaf_number(value: float) -> Generated:
    return repr(value), lambda v: value


def _arithmetic(symbol: str, left: Generated, right: Generated) -> Generated:
    (left_text, f), (right_text, g) = left, right

    def run(v: Mapping[str, float]) -> float:
        x, y = f(v), g(v)
        if symbol in "/%" and y == 0:
            raise _Undefined
        result = {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else 0.0, "%": x % y if y else 0.0}[symbol]
        return _finite(result)

    return f"({left_text} {symbol} {right_text})", run


def _function(name: str, args: list[Generated]) -> Generated:
    texts = ", ".join(text for text, _ in args)
    parts = [run for _, run in args]
    if name == "round1":

        def round_one(v: Mapping[str, float]) -> float:
            x = parts[0](v)
            return x if not math.isfinite(x * 10) else round(x * 10) / 10  # numpy's algorithm, as documented

        return f"round({texts}, 1)", round_one
    pick: Callable[[list[float]], float] = {"min": min, "max": max, "abs": lambda x: abs(x[0]),
                                             "round": lambda x: float(round(x[0]))}[name]
    return f"{name}({texts})", lambda v: _finite(pick([part(v) for part in parts]))


Condition = tuple[str, Callable[[Mapping[str, float]], bool]]
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y, "==": lambda x, y: x == y, "!=": lambda x, y: x != y,
}


def _comparison(left: Generated, symbol: str, right: Generated) -> Condition:
    return f"{left[0]} {symbol} {right[0]}", lambda v: _OPERATORS[symbol](left[1](v), right[1](v))


def _chain(first: Generated, symbols: tuple[str, str], middle: Generated, last: Generated) -> Condition:
    def run(v: Mapping[str, float]) -> bool:
        x, y = first[1](v), middle[1](v)
        if not _OPERATORS[symbols[0]](x, y):
            return False  # the last operand is never computed
        return _OPERATORS[symbols[1]](y, last[1](v))

    return f"{first[0]} {symbols[0]} {middle[0]} {symbols[1]} {last[0]}", run


def _logic(symbol: str, left: Condition, right: Condition) -> Condition:
    if symbol == "and":
        return f"({left[0]}) and ({right[0]})", lambda v: left[1](v) and right[1](v)
    return f"({left[0]}) or ({right[0]})", lambda v: left[1](v) or right[1](v)


def _if(test: Condition, then: Generated, otherwise: Generated) -> Generated:
    return f"if({test[0]}, {then[0]}, {otherwise[0]})", lambda v: then[1](v) if test[1](v) else otherwise[1](v)


def _conditions(numbers: st.SearchStrategy[Generated]) -> st.SearchStrategy[Condition]:
    simple = st.one_of(
        st.builds(_comparison, numbers, st.sampled_from(list(_OPERATORS)), numbers),
        st.builds(_chain, numbers, st.sampled_from([("<", "<="), ("<=", "<"), (">", ">="), (">=", ">=")]),
                  numbers, numbers),
    )
    return st.one_of(
        simple,
        st.builds(_logic, st.sampled_from(["and", "or"]), simple, simple),
        simple.map(lambda c: (f"not ({c[0]})", lambda v, c=c: not c[1](v))),
    )


def _extend(numbers: st.SearchStrategy[Generated]) -> st.SearchStrategy[Generated]:
    return st.one_of(
        st.builds(_arithmetic, st.sampled_from(list("+-*/%")), numbers, numbers),
        st.builds(_function, st.sampled_from(["min", "max"]), st.lists(numbers, min_size=2, max_size=3)),
        st.builds(_function, st.sampled_from(["abs", "round", "round1"]), st.lists(numbers, min_size=1, max_size=1)),
        st.builds(_if, _conditions(numbers), numbers, numbers),
        st.builds(_if, _conditions(numbers), numbers, numbers),  # twice as likely: conditions are the point
    )


conditional_formulas = st.recursive(
    st.one_of(
        st.sampled_from(["a", "b", "c"]).map(_leaf_name),
        st.sampled_from([0.0, 1.0, 2.0, 0.5, -3.0, 1e300]).map(_leaf_number),
    ),
    _extend,
    max_leaves=16,
).filter(lambda generated: "if(" in generated[0] and len(generated[0]) <= MAX_LENGTH)

inputs = st.one_of(  # mostly small and equal values, so that divisions by zero and ties are common
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, math.nan, 1e200]),
    st.sampled_from([0.0, 1.0, 2.0]),
    st.integers(-3, 3).map(float),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
input_rows = st.lists(st.tuples(inputs, inputs, inputs), min_size=1, max_size=8)


def _reference(run: Reference, values: Mapping[str, float]) -> float | None:
    try:
        return run(values)
    except (_Undefined, OverflowError):
        return None


@settings(max_examples=300, deadline=None)
@given(generated=conditional_formulas, rows=input_rows)
def test_generated_conditional_formulas_agree_in_scalar_array_and_reference(
    generated: Generated, rows: list[tuple[float, float, float]]
) -> None:
    text, run = generated
    formula = Formula.parse(text)
    columns = dict(zip(("a", "b", "c"), np.array(rows).T, strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vector = np.broadcast_to(formula.evaluate_array(columns), len(rows))  # 0-d when no name is read
    for position, (a, b, c) in enumerate(rows):
        values = {"a": a, "b": b, "c": c}
        scalar = formula.evaluate(values)
        expected = _reference(run, values)
        assert scalar == expected or (scalar is None and expected is None), (text, values, scalar, expected)
        if scalar is None:
            assert math.isnan(vector[position]), (text, values)
        else:
            assert vector[position] == scalar, (text, values)


@settings(max_examples=100, deadline=None)
@given(generated=conditional_formulas, rows=input_rows)
def test_an_undefined_untaken_branch_never_changes_the_result(
    generated: Generated, rows: list[tuple[float, float, float]]
) -> None:
    # if(a > b, F, 1 / 0) is F wherever a > b and undefined elsewhere; if(a > b, 1 / 0, F) the reverse.
    text, _ = generated
    plain = Formula.parse(text)
    guarded = Formula.parse(f"if(a > b, {text}, 1 / 0)")
    flipped = Formula.parse(f"if(a > b, 1 / 0, {text})")
    columns = dict(zip(("a", "b", "c"), np.array(rows).T, strict=True))
    inside, outside = guarded.evaluate_array(columns), flipped.evaluate_array(columns)
    for position, (a, b, c) in enumerate(rows):
        values = {"a": a, "b": b, "c": c}
        taken = a > b if not (math.isnan(a) or math.isnan(b)) else None
        value = plain.evaluate(values)
        expect_inside = value if taken else None
        expect_outside = value if taken is False else None
        assert guarded.evaluate(values) == expect_inside
        assert flipped.evaluate(values) == expect_outside
        assert (math.isnan(inside[position]) if expect_inside is None else inside[position] == expect_inside)
        assert (math.isnan(outside[position]) if expect_outside is None else outside[position] == expect_outside)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("(a-b)/(a)", "(a - b) / a", True),
        ("1_000 * a", "1000*a", True),
        ("if(a > b, a, b)", "if((a > b), (a), b)", True),
        ("a - b", "a + b", False),
        ("if(a < b < c, 1, 0)", "if(a < b <= c, 1, 0)", False),
        ("max(a, b)", "min(a, b)", False),
        ("round(a, 1)", "round(a, 2)", False),
        ("if(a > b and b > c, a, c)", "if(a > b or b > c, a, c)", False),
    ],
)
def test_same_as_compares_the_expressions_not_the_spelling(first: str, second: str, same: bool) -> None:
    assert Formula.parse(first).same_as(Formula.parse(second)) is same
    assert Formula.parse(second).same_as(Formula.parse(first)) is same


def test_the_tree_comparison_tells_node_kinds_apart_whose_fields_are_equal() -> None:
    from ecomperf.formula import _Neg, _Not, _Num, _same_tree

    # the nodes are named tuples: `==` alone would call these two equal
    assert _Neg(_Num(1.0)) == _Not(_Num(1.0))  # type: ignore[arg-type]
    assert not _same_tree(_Neg(_Num(1.0)), _Not(_Num(1.0)))  # type: ignore[arg-type]
    assert _same_tree(_Neg(_Num(1.0)), _Neg(_Num(1)))
