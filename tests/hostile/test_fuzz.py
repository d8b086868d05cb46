"""Fuzzing: the loader (mutations of the bundled frameworks' files), the YAML reader, and the target, formula
and actual parsers. Only ecomperf errors may escape, and every reported location must exist in its file.

The number of examples comes from a hypothesis profile: ``ecomperf-short`` in ``make test`` (a few seconds,
derandomized so that a run is repeatable), ``ecomperf-fuzz`` with ``make fuzz`` (``ECOMPERF_FUZZ=long``:
thousands of examples per test, random, with hypothesis's example database keeping what it found).
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ecomperf
from ecomperf.errors import EcomperfError
from ecomperf.formula import Formula
from ecomperf.loading.yaml_source import editor_lines, parse_yaml
from ecomperf.problems import Problem
from ecomperf.scoring.actuals import NOT_APPLICABLE, parse_actual
from ecomperf.targets import parse_quantity, parse_target
from tests.conftest import REPO

settings.register_profile(
    "ecomperf-short",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "ecomperf-fuzz",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ = settings.get_profile("ecomperf-fuzz" if os.environ.get("ECOMPERF_FUZZ") == "long" else "ecomperf-short")
"""The settings of every test here; the parser tests run 8 times as many examples as the loader's."""
FUZZ_PARSERS = settings(FUZZ, max_examples=FUZZ.max_examples * 8)

FRAMEWORKS = ("examples/mini-framework", "frameworks/cross-border", "frameworks/ecommerce-ops")

# Values that have broken a reader before, or are likely to: put in place of a scalar or inserted anywhere.
HOSTILE_SCALARS = [
    ".nan",
    ".inf",
    "-.inf",
    "1e400",
    "9" * 500,
    "0x" + "f" * 300,
    "012",
    "NO",
    "~",
    "",
    "[Metric]",
    "{a: b}",
    "&a x",
    "*a",
    "*missing",
    "!!python/object/apply:os.system ['true']",
    '"\\x07bell"',
    '"\\u2028"',
    "0,5",
    '">= 1,5k"',
    '">= 1e1000000"',
    '">= 1e9999999999999999999999"',
    "'evil\\n'",
    "- x",
    "<script>",
    "a: b: c",
    "{{ 7*7 }}",
    "\t",
    "# comment",
    "'unclosed",
    "[unclosed",
    "{unclosed",
    "? complex",
    "<<: {}",
    "---",
    "...",
]
HOSTILE_CHARACTERS = "\t\r\n\x00\x07\x1b\x85\u2028\u2029\ufeff\ufffe:{}[],&*!|>'\"%@`#-? "


@st.composite
def mutations(draw: st.DrawFn, text: str) -> str:
    """``text`` with one random edit: an insertion, a deletion, a replaced scalar, a duplicated or dropped line."""
    kind = draw(st.sampled_from(["insert", "delete", "scalar", "line", "truncate"]))
    position = draw(st.integers(0, len(text)))
    if kind == "insert":
        junk = draw(
            st.one_of(
                st.sampled_from(HOSTILE_SCALARS),
                st.text(alphabet=st.sampled_from(HOSTILE_CHARACTERS), min_size=1, max_size=8),
                st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8),
            )
        )
        return text[:position] + junk + text[position:]
    if kind == "delete":
        return text[:position] + text[position + draw(st.integers(1, 40)) :]
    if kind == "truncate":
        return text[:position]
    lines = text.splitlines(keepends=True) or [""]
    index = draw(st.integers(0, len(lines) - 1))
    if kind == "line":
        return "".join(lines[:index] + draw(st.sampled_from([[], [lines[index]] * 2])) + lines[index + 1 :])
    key, sep, _ = lines[index].partition(": ")
    replacement = draw(st.sampled_from(HOSTILE_SCALARS))
    lines[index] = f"{key}{sep or ': '}{replacement}\n"
    return "".join(lines)


def assert_located(problem: Problem, root: Path) -> None:
    """The problem's location (and its related ones) exist in the file: line in range, column at most one past
    the end of that line, both counted as editors count them."""
    for span in (problem.span, *problem.related):
        if span is None:
            continue
        path = Path(span.file)
        assert path == root or root in path.parents, (problem.format(), root)
        if not path.is_file():  # a folder, a broken link: it is pointed at as a whole
            assert (span.line, span.column) == (1, 1), problem.format()
            continue
        lines = editor_lines(path.read_text(encoding="utf-8-sig", errors="replace")) or [""]
        assert 1 <= span.line <= len(lines), (problem.format(), len(lines))
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, (problem.format(), lines[span.line - 1])


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A private copy of each framework, so that a mutated file can be written and put back."""
    folder = tmp_path_factory.mktemp("fuzz")
    return {name: Path(shutil.copytree(REPO / name, folder / Path(name).name)) for name in FRAMEWORKS}


def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.yaml"))


@contextmanager
def mutated(file: Path, text: str) -> Iterator[None]:
    original = file.read_bytes()
    file.write_text(text, encoding="utf-8", newline="")
    try:
        yield
    finally:
        file.write_bytes(original)


@FUZZ
@given(data=st.data())
def test_the_loader_survives_any_edit_of_a_bundled_framework(copies: dict[str, Path], data: st.DataObject) -> None:
    root = copies[data.draw(st.sampled_from(FRAMEWORKS), label="framework")]
    file = data.draw(st.sampled_from(_files(root)), label="file")
    text = data.draw(mutations(file.read_text(encoding="utf-8")), label="text")
    with mutated(file, text):
        result = ecomperf.load_documents(root)  # never raises: every problem is returned
        for problem in result.problems:
            assert_located(problem, root)
        if result.framework is None:
            with pytest.raises(ecomperf.FrameworkError):
                ecomperf.load(root)


@FUZZ_PARSERS
@given(text=st.text(alphabet=st.sampled_from(HOSTILE_CHARACTERS + "abk0123456789.e\\nx"), max_size=60))
def test_the_yaml_reader_returns_problems_at_real_places_for_any_text(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    text = text.removeprefix("\ufeff")  # as the loader passes it: decoded with utf-8-sig, which drops a BOM
    file = tmp_path_factory.getbasetemp() / "fuzz.yaml"
    file.write_text(text, encoding="utf-8", newline="")
    _, problems = parse_yaml(text, str(file))
    for problem in problems:
        assert problem.code.startswith("EP1")
        assert_located(problem, file.parent)


NUMBERISH = st.text(alphabet=st.sampled_from("0123456789,._eE+- %万亿kKMhd"), max_size=24)
TARGETISH = st.builds(
    lambda op, low, dots, high: f"{op}{low}{dots}{high}",
    st.sampled_from(["", ">= ", "<=", "== ", ">", "< ", "≥ ", "= ", "=> "]),
    NUMBERISH,
    st.sampled_from(["", "", "..", "...", " .. "]),
    NUMBERISH,
)
ANY_NUMBER = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**6000),
    st.floats(),
    st.fractions(),
    st.decimals(),
    st.booleans(),
    st.none(),
)


@FUZZ_PARSERS
@given(
    raw=st.one_of(
        TARGETISH,
        st.text(max_size=30),
        ANY_NUMBER,
        st.dictionaries(st.sampled_from(["op", "value", "min", "max"]), st.one_of(TARGETISH, ANY_NUMBER), max_size=3),
    )
)
def test_the_target_parser_refuses_with_an_ecomperf_error_or_gives_finite_numbers(raw: object) -> None:
    try:
        target = parse_target(raw)
    except EcomperfError as exc:
        assert isinstance(exc, ValueError) and len(str(exc)) < 600
        return
    numbers = [target.value] if target.op != "range" else [target.low, target.high]
    assert all(n is not None and math.isfinite(n) for n in numbers)


@FUZZ_PARSERS
@given(raw=st.one_of(NUMBERISH, ANY_NUMBER, st.text(max_size=30)))
def test_the_actual_parser_refuses_with_an_ecomperf_error_or_gives_a_finite_number(raw: object) -> None:
    try:
        value = parse_actual("gmv", raw)
    except EcomperfError as exc:
        assert isinstance(exc, ValueError) and "'gmv'" in str(exc) and len(str(exc)) < 600
        return
    assert value is NOT_APPLICABLE or math.isfinite(value)


def test_quantities_parsed_from_text_agree_with_the_decimal_reading() -> None:
    # a spot check of the exact decimal scaling the fuzzed parser relies on: 1,234.5万 = 12,345,000
    assert parse_quantity("1,234.5万") == float(Decimal("1234.5") * 10_000) == 12_345_000.0
    assert parse_actual("m", Fraction(1, 8)) == 0.125


FORMULA_PARTS = st.sampled_from(
    [
        "gmv",
        "cost",
        "orders",
        "visitors",
        "1",
        "0",
        "1e308",
        "1e400",
        "2.5",
        "_",
        "+",
        "-",
        "*",
        "/",
        "%",
        "**",
        "(",
        ")",
        ",",
        "min(",
        "max(",
        "abs(",
        "round(",
        " ",
        "__import__",
        ".",
        "[0]",
        "lambda",
        "'x'",
        "9" * 400,
    ]
)


@FUZZ_PARSERS
@given(parts=st.lists(FORMULA_PARTS, max_size=14), values=st.lists(st.floats(), min_size=4, max_size=4))
def test_the_formula_parser_refuses_with_an_ecomperf_error_and_evaluates_without_raising(
    parts: list[str], values: list[float]
) -> None:
    text = "".join(parts)
    try:
        formula = Formula.parse(text)
    except EcomperfError as exc:
        assert isinstance(exc, ValueError) and 0 <= exc.offset <= len(text)  # type: ignore[attr-defined]
        return
    inputs = dict(zip(["gmv", "cost", "orders", "visitors"], values, strict=True))
    assume(set(formula.names) <= set(inputs))
    result = formula.evaluate(inputs)
    assert result is None or math.isfinite(result)


# --- the CSV reader ---------------------------------------------------------------------------------------------

CSV_PIECES = st.one_of(
    st.sampled_from([",", ";", "\t", "\n", "\r\n", "\r", '"', '""', " ", "", "\ufeff", "0,5", "200万", "li",
                     "store_manager", "startup", "2026-10", "employee", "gmv", "=1+1", "\x00", "nan", "1e400"]),
    st.text(max_size=8),
)


@FUZZ_PARSERS
@given(pieces=st.lists(CSV_PIECES, max_size=60), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_the_csv_reader_refuses_with_an_ecomperf_error_and_reports_only_rows_that_exist(
    tmp_path_factory: pytest.TempPathFactory, mini: ecomperf.Framework, pieces: list[str], encoding: str
) -> None:
    import csv
    import io

    from ecomperf.io.read import read_csv

    text = "employee,position,stage,period,gmv\n" + "".join(pieces)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    file = tmp_path_factory.mktemp("csv") / "a.csv"
    file.write_bytes(data)
    try:
        table = read_csv(file)
    except EcomperfError as exc:
        assert str(exc).startswith(f"{file}"), exc
        return
    # every row number the reader gives is a record of the file (the header is row 1)
    records = len(list(csv.reader(io.StringIO(data.decode(table.encoding or "utf-8"), newline=""),
                                  delimiter=next((d for d in ",\t;" if d in text.split("\n", 1)[0]), ","))))
    assert all(2 <= number <= records for number in table.numbers), (table.numbers, records)
    assert set(table.bad_rows) <= set(range(len(table.rows)))
    result = mini.score_many(table)
    reported = {error.row for error in result.errors} | {row.row for row in result.rows}
    assert reported <= set(table.numbers)
