"""One exception tree: everything ecomperf raises on bad input or use is an EcomperfError."""

from __future__ import annotations

import inspect

import pytest

import ecomperf
from ecomperf import errors
from ecomperf.framework import Framework
from ecomperf.problems import Problem


def test_every_exception_class_derives_from_ecomperf_error() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, BaseException)]
    assert classes, "errors.py defines the tree"
    assert all(issubclass(c, errors.EcomperfError) for c in classes)


def test_the_tree_is_drawn_in_the_module_docstring() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        if name != "SCORING_CODES":
            assert name in doc, f"{name} is missing from the tree in errors.py"


def test_an_unknown_position_is_a_key_error_and_an_ecomperf_error(mini: Framework) -> None:
    with pytest.raises(ecomperf.UnknownNameError) as caught:
        mini.position("servce_agent")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "unknown position 'servce_agent'; did you mean 'service_agent'?"


def test_reviews_raise_review_errors_that_are_value_errors(mini: Framework) -> None:
    card = ecomperf.ScoreCard(
        framework="f", position="p", position_name="p", stage="s", period="2026-01", kpis=[], total=50,
        uncapped_grade="C", grade="C", bonus=0, grade_scale=["A", "C"],
    )
    assert mini.rules.pip is not None
    with pytest.raises(ecomperf.ReviewError, match="has no employee") as caught:
        ecomperf.pip_flags([card], mini.rules.pip, grades=["A", "C"])
    assert isinstance(caught.value, ValueError)


def test_scoring_error_problems_are_problems_everywhere(mini: Framework) -> None:
    with pytest.raises(ecomperf.ScoringError) as caught:
        mini.score("service_agent", stage="startup", period="2026-10", actuals={})
    assert caught.value.problems and all(isinstance(p, Problem) for p in caught.value.problems)
    assert {p.code for p in caught.value.problems} <= set(errors.SCORING_CODES)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: ecomperf.load("no/such/folder"), ecomperf.FrameworkError),
        (lambda: __import__("ecomperf.targets").targets.parse_target(">= lots"), errors.TargetError),
        (lambda: __import__("ecomperf.periods").periods.Period.parse("2026-13"), errors.PeriodError),
        (lambda: __import__("ecomperf.formula").formula.Formula.parse("a ** 2"), errors.FormulaError),
    ],
)
def test_parsers_raise_ecomperf_errors(call: object, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        call()  # type: ignore[operator]
    assert isinstance(caught.value, ecomperf.EcomperfError)
