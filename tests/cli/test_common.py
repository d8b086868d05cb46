"""What every command shares: one problem-line format, one way to fail."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import typer
from rich.console import Console

from ecomperf.cli.common import fail, load_framework, print_problem, print_problems, usage_error
from ecomperf.problems import Problem, Span


@pytest.mark.parametrize(
    "problem",
    [
        Problem("EP301", "weights of stage 'startup' sum to 90", Span("p.yaml", 4, 5), hint="add 10 points"),
        Problem("EP404", "KPI 'gmv' has no cycle", Span("p.yaml", 9, 7), severity="warning"),
        Problem("EP900", "internal error [red]not markup[/red]", None),
        # line 100: rich once read `:100:` as the emoji code of 💯, and `[x]` in a path as markup
        Problem("EP404", "KPI 'gmv' :smile: here", Span("[x]/p.yaml", 100, 5), hint="see :x:", severity="warning"),
    ],
)
def test_the_terminal_line_is_the_exception_line(problem: Problem) -> None:
    out = io.StringIO()
    print_problem(Console(file=out, highlight=False, soft_wrap=True), problem)
    assert out.getvalue() == problem.format() + "\n"


@pytest.mark.parametrize("colour", ["FORCE_COLOR", None])
def test_problems_print_the_same_with_rich_or_without(
    colour: str | None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # captured stdout is no terminal: plain lines; FORCE_COLOR hands them to rich, which colours them
    problems = [Problem("EP301", "weights sum to 90", Span("p.yaml", 100, 5), hint="add 10 points"),
                Problem("EP404", "no cycle", Span("p.yaml", 9, 7), severity="warning")]
    if colour:
        monkeypatch.setenv(colour, "1")
    print_problems(problems, "Found 1 error(s) and 1 warning(s) in 1 file(s).")
    out = capsys.readouterr().out
    shown = out if colour is None else __import__("re").sub("\x1b\\[[0-9;]*m", "", out)
    assert shown == ("p.yaml:100:5: EP301 weights sum to 90\n    hint: add 10 points\n"
                     "p.yaml:9:7: EP404 warning: no cycle\nFound 1 error(s) and 1 warning(s) in 1 file(s).\n")
    assert ("\x1b[" in out) == (colour is not None)


def test_usage_errors_exit_2_and_failures_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_error("--stage 'x' is not a stage").exit_code == 2
    assert fail("the file is gone").exit_code == 1
    assert capsys.readouterr().err == "error: --stage 'x' is not a stage\nerror: the file is gone\n"


def test_a_framework_that_does_not_load_prints_its_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f.yaml").write_text("apiVersion: ecomperf/v1\nkind: Metrc\nid: x\n", encoding="utf-8")
    with pytest.raises(typer.Exit) as caught:
        load_framework(tmp_path)
    assert caught.value.exit_code == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'f.yaml'}:2:1: EP105 kind 'Metrc' is not a known kind; did you mean 'Metric'?" in err
    assert "the framework does not load" in err
