"""The algebraic form of formulas, read from their structure: sums of inputs, linear-fractional forms, degrees."""

from __future__ import annotations

import pytest

from ecomperf.formula import Formula
from ecomperf.formula_forms import Fractional, degree, fractional_form, linear_terms


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("gmv_self_operated + gmv_third_party", {"gmv_self_operated": 1.0, "gmv_third_party": 1.0}),
        ("(a - b) * 2", {"a": 2.0, "b": -2.0}),
        ("-a / 4", {"a": -0.25}),
    ],
)
def test_linear_combinations_give_their_coefficients(text: str, terms: dict[str, float]) -> None:
    assert linear_terms(Formula.parse(text)) == terms


@pytest.mark.parametrize("text", ["a + 1", "a / b", "a * b", "max(a, b)", "round(a)", "a % 3", "2", "if(a > 0, a, b)"])
def test_other_formulas_are_not_linear_combinations(text: str) -> None:
    assert linear_terms(Formula.parse(text)) is None


def test_margin_is_linear_in_cost() -> None:
    # (revenue - cost) / revenue with revenue 200: f(c) = (-c + 200) / 200 = -0.005 c + 1
    form = fractional_form(Formula.parse("(revenue - cost) / revenue"), "cost", {"revenue": 200.0})
    assert form == Fractional(a=-0.005, b=1.0, c=0.0, d=1.0)
    assert form is not None and form.linear and form.increasing is False
    assert form.solve(0.25) == 150.0  # 1 - c / 200 = 0.25


def test_margin_is_linear_fractional_in_revenue() -> None:
    # (r - 60) / r: a = 1, b = -60, c = 1, d = 0; 40% needs r = 60 / 0.6 = 100; the pole is r = 0
    form = fractional_form(Formula.parse("(revenue - cost) / revenue"), "revenue", {"cost": 60.0})
    assert form == Fractional(1.0, -60.0, 1.0, 0.0)
    assert form is not None and form.solve(0.4) == 100.0 and form.pole() == 0.0
    assert form.solve(1.0) is None  # the asymptote: a margin of 100% is never reached


def test_common_factors_of_the_input_cancel() -> None:
    # a/x + b/x = (a + b) / x, not a quadratic over x²
    form = fractional_form(Formula.parse("a / x + b / x"), "x", {"a": 1.0, "b": 2.0})
    assert form == Fractional(0.0, 3.0, 1.0, 0.0)


@pytest.mark.parametrize("text", ["max(x, 1)", "x * x + 1", "round(x / 3, 2)", "if(x > 0, x, 0)"])
def test_formulas_outside_the_form_return_none(text: str) -> None:
    assert fractional_form(Formula.parse(text), "x", {}) is None


def test_a_held_input_without_a_value_gives_no_form() -> None:
    assert fractional_form(Formula.parse("x / y"), "x", {}) is None


# --- degree: how a formula scales when its inputs scale with the months (issue 10, item 1) -------------------

SUMS = {"gmv": 1, "campaign_gmv": 1, "orders": 1, "visitors": 1, "cost": 1, "revenue": 1, "days": 1}
LEVELS = {"stock": 0, "rate": 0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gmv - campaign_gmv", 1),  # a sum minus a sum: triples over a quarter
        ("orders / visitors", 0),  # a sum over a sum: the same rate
        ("(revenue - cost) / revenue", 0),
        ("(stock + stock) / 2 / cost * days", 0),  # a level over a sum times a sum
        ("rate * 100", 0),  # a constant times a level
        ("0.5 * (gmv + orders) - 0", 1),  # the literal 0 adds to any degree
        ("min(gmv, orders)", 1),
        ("abs(gmv - cost)", 1),
        ("round(rate, 2)", 0),
        ("gmv * orders", 2),  # grows with the square of the months
        ("gmv / stock", 1),
        ("stock / gmv", -1),
        ("gmv - 100", None),  # a sum and a constant: neither
        ("max(gmv, 100)", None),
        ("round(gmv)", None),
        ("gmv % orders", None),
        ("gmv / 0", None),
        ("unknown + gmv", None),  # an input whose degree is not given
    ],
)
def test_the_degree_follows_from_the_operations(text: str, expected: int | None) -> None:
    assert degree(Formula.parse(text), {**SUMS, **LEVELS}) == expected


def test_a_condition_has_no_degree() -> None:
    assert degree(Formula.parse("if(gmv > 100, gmv, 0)"), SUMS) is None
