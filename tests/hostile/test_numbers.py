"""Hostile numbers: huge, non-finite, decimal commas and stray grouping, in targets, fields and actuals.

Every one is refused with the field (or metric) named, never an ``OverflowError``, a ``decimal`` signal or
Python's 4,300-digit ``ValueError``, and never read as some other number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ecomperf import load_documents
from ecomperf.errors import ActualError
from ecomperf.scoring.actuals import parse_actual
from tests.conftest import BASE_FILES
from tests.hostile.bounded import Outcome
from tests.hostile.support import load_found
from tests.validation.test_problem_codes import MANAGER, positions

Hostile = Callable[..., Outcome]

# MANAGER's line 11 is `      - {kpi: margin, weight: 40, target: ">= 40%"}`: `weight:` at column 23, its
# value at 31, `target:` at 35.
MARGIN = '{kpi: margin, weight: 40, target: ">= 40%"}'
FRAMEWORK = textwrap.dedent(BASE_FILES["framework.yaml"])


def _with_margin(entry: str) -> dict[str, str | None]:
    return positions(MANAGER.replace(MARGIN, entry))


def _case(name: str, body: Callable[[str], Any]) -> Callable[[str], Any]:
    body.__name__ = name
    return body


# --- targets ------------------------------------------------------------------------------------------

HUGE_TARGETS = {
    "exponent_of_a_million": '">= 1e1000000"',
    "exponent_past_decimal_range": '">= 1e9999999999999999999999"',
    "integer_of_400_digits": "{op: '>=', value: 1" + "0" * 399 + "}",
    "shorthand_of_400_digits": '">= 1' + "0" * 399 + '"',
    "exponent_of_a_million_long_form": "{op: '>=', value: '1e1000000'}",
    "range_of_huge_bounds": '"1e400..1e500"',
}


@pytest.mark.parametrize("name", sorted(HUGE_TARGETS))
def test_a_huge_target_is_refused_at_the_target(hostile: Hostile, name: str) -> None:
    entry = MARGIN.replace('">= 40%"', HUGE_TARGETS[name])
    outcome = hostile(
        _case(f"case_target_{name}", lambda w: load_found(w, _with_margin(entry))), expect="refused", isolate=False
    )
    assert outcome.status == "ok", outcome
    # At the `target:` key (column 35), or for a YAML integer too large to read, at the number itself
    # (column 61, after `target: {op: '>=', value: `).
    column = 61 if name == "integer_of_400_digits" else 35
    assert [row[:4] for row in outcome.value] == [["EP104", "positions.yaml", 11, column]]


@pytest.mark.parametrize("name", sorted(HUGE_TARGETS))
def test_a_huge_target_gets_a_short_message_naming_the_field(framework_dir: Callable[..., Path], name: str) -> None:
    root = framework_dir(_with_margin(MARGIN.replace('">= 40%"', HUGE_TARGETS[name])))
    [problem] = load_documents(root).errors
    assert problem.message.startswith("scorecard.stages.startup.1.target")  # `.value: ` for a YAML integer
    assert "too large" in problem.message and len(problem.message) < 300, problem.message


COMMA_TARGETS = {
    "decimal_comma": ('">= 0,4"', "0,4"),
    "decimal_comma_with_suffix": '">= 1,5k"',
    "stray_grouping": '">= 1,2,3,4"',
    "group_of_two": '">= 12,34"',
    "leading_zero_group": '">= 0,500"',
}


@pytest.mark.parametrize("name", sorted(COMMA_TARGETS))
def test_a_comma_that_is_not_a_thousands_separator_is_refused_with_the_accepted_forms(
    hostile: Hostile, name: str
) -> None:
    spec = COMMA_TARGETS[name]
    target = spec[0] if isinstance(spec, tuple) else spec
    entry = MARGIN.replace('">= 40%"', target)
    outcome = hostile(
        _case(f"case_target_{name}", lambda w: load_found(w, _with_margin(entry))), expect="refused", isolate=False
    )
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value] == [["EP104", "positions.yaml", 11, 35]]
    assert "1,500,000" in outcome.value[0][4] and "0.5" in outcome.value[0][4]


def test_thousands_separators_in_groups_of_three_are_still_read() -> None:
    from ecomperf.targets import parse_quantity, parse_target

    # 1,500 = 1500; 12,345,678.5 = 12345678.5; 1,200万 = 1200 * 10,000 = 12,000,000
    assert parse_quantity("1,500") == 1500
    assert parse_quantity("12,345,678.5") == 12_345_678.5
    assert parse_target(">= 1,200万").value == 12_000_000


def test_an_integer_of_5000_digits_in_yaml_is_refused_with_a_short_message(hostile: Hostile) -> None:
    entry = MARGIN.replace("weight: 40", "weight: 1" + "0" * 4999)
    outcome = hostile(
        _case("case_weight_of_5000_digits", lambda w: load_found(w, _with_margin(entry))),
        expect="refused",
        isolate=False,
    )
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value] == [["EP104", "positions.yaml", 11, 31]]


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        ("positions.yaml", "weight: 40", "weight: 1" + "0" * 4999, (11, 31)),
        ("framework.yaml", "min: 100", "min: 1" + "0" * 400, (14, 18)),
        ("framework.yaml", "min: 100", "min: 0x1" + "0" * 300, (14, 18)),
    ],
    ids=["weight_of_5000_digits", "grade_min_of_401_digits", "grade_min_hex_of_301_digits"],
)
def test_a_huge_integer_in_yaml_gets_a_short_message_at_its_value(
    framework_dir: Callable[..., Path], file: str, old: str, new: str, where: tuple[int, int]
) -> None:
    files = _with_margin(MARGIN) if file == "positions.yaml" else {}
    text = (files.get(file) or textwrap.dedent(BASE_FILES[file])).replace(old, new, 1)
    [problem] = load_documents(framework_dir({**files, file: text})).errors
    assert (problem.code, problem.span.line, problem.span.column) == ("EP104", *where)  # the value itself
    assert "too large" in problem.message and len(problem.message) < 300, problem.message


# --- non-finite and out-of-range numbers in fields ------------------------------------------------------

GRADE_A = "- {id: A, min: 100, bonus: 1.2}"  # framework.yaml line 14; `min:` at column 13, `bonus:` at 23


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1e400"])
def test_a_grade_minimum_must_be_a_finite_number(hostile: Hostile, value: str) -> None:
    framework = FRAMEWORK.replace(GRADE_A, GRADE_A.replace("min: 100", f"min: {value}"))
    name = f"case_grade_min_{value.strip('.-')[:8]}{'_negative' if value.startswith('-') else ''}"
    outcome = hostile(
        _case(name, lambda w: load_found(w, {"framework.yaml": framework})), expect="refused", isolate=False
    )
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value] == [["EP104", "framework.yaml", 14, 13]]
    assert "finite" in outcome.value[0][4]


SCORING_FIELDS = {
    "linear_cap": "{method: linear, cap: .nan}",
    "linear_floor": "{method: linear, floor: -.inf}",
    "interpolate_cap": "{method: interpolate, threshold: 0.3, cap: .inf}",
    "range_floor": "{method: range, tolerance: 0.1, floor: .nan}",
    "band_score": "{method: bands, bands: [{min_achievement: 0, score: .inf}]}",
}


@pytest.mark.parametrize("name", sorted(SCORING_FIELDS))
def test_every_scoring_parameter_must_be_a_finite_number(hostile: Hostile, name: str) -> None:
    scoring = SCORING_FIELDS[name]
    entry = (
        MARGIN.replace("}", f", scoring: {scoring}}}", 1)
        if name != "range_floor"
        else ('{kpi: margin, weight: 40, target: "40%..50%", scoring: ' + scoring + "}")
    )
    outcome = hostile(
        _case(f"case_{name}", lambda w: load_found(w, _with_margin(entry))), expect="refused", isolate=False
    )
    assert outcome.status == "ok", outcome
    line = MANAGER.replace(MARGIN, entry).splitlines()[10]
    field = scoring.rsplit(",", 1)[-1].split(":")[0].strip(" {[")
    # The problem points at the field's own key inside the flow mapping (its last occurrence on the line).
    assert [row[:4] for row in outcome.value] == [["EP104", "positions.yaml", 11, line.rindex(f"{field}:") + 1]]
    assert "finite" in outcome.value[0][4]


# --- ids ----------------------------------------------------------------------------------------------

EVIL = 'apiVersion: ecomperf/v1\nkind: Position\nid: "evil\\n"\nname: Evil\n'


def test_an_id_with_a_trailing_newline_is_refused(hostile: Hostile) -> None:
    outcome = hostile(
        _case("case_position_id_with_newline", lambda w: load_found(w, raw={"evil.yaml": EVIL})),
        expect="refused",
        isolate=False,
    )
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value] == [["EP104", "evil.yaml", 3, 1]]


NEWLINE_IDS = {
    "framework_id": ("framework.yaml", "id: test-fw", 'id: "test-fw\\n"', 3, 1),
    "locale_key": ("framework.yaml", "name: {zh: 测试, en: Test}", 'name: {zh: 测试, "en\\n": Test}', 4, 1),
    "duty_reference": ("modules.yaml", "duty: channel_ops.expansion", 'duty: "channel_ops.expansion\\n"', 8, 6),
    "grade_id": ("framework.yaml", "id: A,", 'id: "A\\n",', 14, 6),
    "locale": ("framework.yaml", "locales: [zh, en]", 'locales: [zh, "en\\n"]', 5, 15),  # after "locales: [zh, "
}


@pytest.mark.parametrize("name", sorted(NEWLINE_IDS))
def test_names_with_a_trailing_newline_are_refused_everywhere(hostile: Hostile, name: str) -> None:
    file, old, new, line, column = NEWLINE_IDS[name]  # the key (or list item) of the refused name
    text = textwrap.dedent(BASE_FILES[file]).replace(old, new, 1)
    outcome = hostile(
        _case(f"case_{name}_with_newline", lambda w: load_found(w, {file: text})), expect="refused", isolate=False
    )
    assert outcome.status == "ok", outcome
    assert [row[:4] for row in outcome.value if row[0] == "EP104"] == [["EP104", file, line, column]]


# --- actuals ------------------------------------------------------------------------------------------

HUGE_ACTUALS: dict[str, Callable[[], object]] = {
    "int_of_400_digits": lambda: 10**400,
    "int_of_5000_digits": lambda: 10**5000,
    "fraction_of_400_digits": lambda: Fraction(10**400, 3),
    "decimal_exponent_of_a_million": lambda: Decimal("1e1000000"),
    "text_of_5000_digits": lambda: "9" * 5000,
    "text_exponent_of_a_million": lambda: "1e1000000",
}


@pytest.mark.parametrize("name", sorted(HUGE_ACTUALS))
def test_a_huge_actual_is_refused_naming_the_metric(hostile: Hostile, name: str) -> None:
    def case(workdir: str) -> Any:
        return parse_actual("gmv", HUGE_ACTUALS[name]())

    outcome = hostile(_case(f"case_actual_{name}", case), expect="refused", isolate=False)
    assert (outcome.status, outcome.type) == ("error", "ActualError"), outcome


@pytest.mark.parametrize("name", sorted(HUGE_ACTUALS))
def test_a_huge_actual_gets_a_short_message_naming_the_metric(name: str) -> None:
    with pytest.raises(ActualError) as caught:
        parse_actual("gmv", HUGE_ACTUALS[name]())
    message = str(caught.value)
    assert message.startswith("actual for 'gmv' is ") and len(message) < 300, message
    assert "too large" in message


@pytest.mark.parametrize("text", ["0,5", "1,5k", "1,2,3,4", "12,34"])
def test_an_actual_with_a_decimal_comma_is_refused(hostile: Hostile, text: str) -> None:
    outcome = hostile(
        _case(f"case_actual_comma_{text}", lambda w: parse_actual("gmv", text)), expect="refused", isolate=False
    )
    assert (outcome.status, outcome.type) == ("error", "ActualError"), outcome
    assert "0.5" in outcome.message and "1,500,000" in outcome.message


def test_a_huge_actual_in_one_row_does_not_stop_the_batch(hostile: Hostile) -> None:
    def case(workdir: str) -> Any:
        import ecomperf
        from tests.hostile.support import framework_with

        fw = ecomperf.load(framework_with(workdir, {}))
        base = {"position": "manager", "stage": "mature", "period": "2026-10"}
        result = fw.score_many(
            [{**base, "employee": "E1", "gmv": 10**400}, {**base, "employee": "E2", "gmv": 2_000_000}]
        )
        return {
            "scored": [row.employee for row in result.rows],
            "errors": [(e.row, e.reason[:200]) for e in result.errors],
        }

    outcome = hostile(_case("case_batch_row_of_400_digits", case), expect="refused", isolate=False)
    assert outcome.status == "ok", outcome
    # E2 scores (2,000,000 against ">= 200万" meets the target); E1 (row 2, records count from 2 like a
    # spreadsheet under its header) is reported, not scored.
    assert outcome.value["scored"] == ["E2"]
    assert [row for row, _ in outcome.value["errors"]] == [2]
