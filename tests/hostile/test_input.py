"""Hostile or broken input is refused with a clear problem, and nothing in it is executed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ecomperf.loading.documents import LoadResult
from ecomperf.loading.yaml_source import MAX_FILE_BYTES

Load = Callable[..., LoadResult]

BOMB = """\
apiVersion: ecomperf/v1
kind: Metric
id: bomb
name: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_without_expanding(load_problems: Load) -> None:
    result = load_problems({"bomb.yaml": BOMB})
    assert [(p.code, p.span.line if p.span else 0) for p in result.problems] == [("EP101", 1)]
    assert "expands to more than" in result.problems[0].message


def test_recursive_alias_is_refused(load_problems: Load) -> None:
    result = load_problems({"loop.yaml": "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: &a [*a]\n"})
    assert [p.code for p in result.problems] == ["EP101"]


def test_python_object_tag_does_not_run(load_problems: Load, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = (
        "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nunit: count\n"
        f"name: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    result = load_problems({"evil.yaml": evil})
    assert [p.code for p in result.problems] == ["EP101"]
    assert not marker.exists()


def test_formula_injection_is_refused(load_problems: Load) -> None:
    metric = (
        "apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: X\nunit: count\n"
        "formula: __import__('os').system('echo hi')\n"
    )
    result = load_problems({"x.yaml": metric})
    assert [p.code for p in result.problems] == ["EP211"]


def test_oversized_file_is_refused(load_problems: Load) -> None:
    padding = "# " + "x" * 98 + "\n"
    big = padding * (MAX_FILE_BYTES // len(padding) + 10)
    result = load_problems({"big.yaml": big})
    assert [p.code for p in result.problems] == ["EP101"]
    assert "MiB" in result.problems[0].message


def test_non_utf8_file_names_the_byte_and_line(framework_dir: Callable[..., Path]) -> None:
    import ecomperf

    root = framework_dir()
    (root / "gbk.yaml").write_bytes("apiVersion: ecomperf/v1\nkind: Metric\nid: x\nname: 毛利率\n".encode("gbk"))
    result = ecomperf.load_documents(root)
    assert [(p.code, p.span.line if p.span else 0) for p in result.problems] == [("EP101", 4)]
    assert "not UTF-8" in result.problems[0].message


def test_infinite_target_is_refused(load_problems: Load) -> None:
    from tests.validation.test_problem_codes import MANAGER, positions

    result = load_problems(positions(MANAGER.replace('target: ">= 40%"', "target: {op: '>=', value: .inf}")))
    assert [p.code for p in result.problems if p.severity == "error"] == ["EP104"]
    assert "finite" in result.problems[-1].message
