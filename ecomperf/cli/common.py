"""What every command shares: loading a framework or failing with its problems, printing problems, errors,
and the output files of ``-o``.

Exit status everywhere: 1 when the input is wrong (a framework that does not load, rows that fail),
2 when the command line itself is wrong (a usage error), including an output that cannot be written: a
folder given as a file, a file in the way of a folder, a folder without write permission, or a file that
another run is writing at the same time. Each of those is one ``error: …`` line naming the path and the fix.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ecomperf.cli._app import console
from ecomperf.errors import OutputError
from ecomperf.problems import Problem

if TYPE_CHECKING:
    from rich.console import Console

    from ecomperf.framework import Framework

__all__ = [
    "fail", "load_framework", "output_errors", "output_file", "output_folder", "print_problem", "print_problems",
    "usage_error",
]


def print_problem(out: Console, problem: Problem) -> None:
    """Print ``problem`` as :meth:`Problem.format` does, coloured when ``out`` is a terminal.

    Neither the location nor the texts go through rich's markup or emoji codes (``a.yaml:100:5`` stays
    itself; rich would read ``:100:`` as an emoji).
    """
    from rich.markup import escape  # start-up cost: rich loads only when printing to a terminal

    colour = "red" if problem.severity == "error" else "yellow"
    out.print(f"[bold]{escape(problem.where)}[/bold]: [{colour}]{problem.code}[/{colour}] ", end="", markup=True,
              emoji=False)
    out.print(problem.text, markup=False, emoji=False)
    if problem.hint:
        out.print("    hint: ", end="", style="dim")
        out.print(problem.hint, markup=False, style="dim", emoji=False)


def print_problems(problems: Iterable[Problem], summary: str, *, stderr: bool = False) -> None:
    """Print each problem (:func:`print_problem`), then ``summary``, on stdout (or stderr).

    When the stream is no terminal (a pipe, a file, a test's capture) and no colour is forced, the lines are
    written as they are, without loading rich: the same text, as rich prints no colour there. Rich takes
    over for terminals, for ``FORCE_COLOR`` or ``TTY_COMPATIBLE`` (rich's own switches), and for text with
    control characters, which rich strips or expands.
    """
    problems = list(problems)
    stream = sys.stderr if stderr else sys.stdout
    if _plain(stream, problems, summary):
        stream.write("".join(f"{problem.format()}\n" for problem in problems) + f"{summary}\n")
        return
    out = console(stderr=stderr)
    for problem in problems:
        print_problem(out, problem)
    out.print(summary, markup=False, emoji=False)


def _plain(stream: object, problems: list[Problem], summary: str) -> bool:
    """Whether rich would print ``problems`` and ``summary`` to ``stream`` as plain, uncoloured text."""
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        if isatty is not None and isatty():
            return False
    except ValueError:  # a closed stream, as rich decides
        pass
    texts = [summary, *(text for p in problems for text in (p.where, p.text, p.hint or ""))]
    return not any(character < " " for text in texts for character in text)


def load_framework(path: Path) -> Framework:
    """Load the framework, or print its problems the way ``ecomperf validate`` does and exit 1."""
    from ecomperf.framework import load_documents  # start-up cost: --help never loads the engine

    result = load_documents(path)
    if result.framework is None:
        errors = len(result.errors)
        print_problems(result.problems, f"{path}: the framework does not load ({errors} error(s)); run "
                       f"`ecomperf validate {path}`.", stderr=True)
        raise typer.Exit(1)
    return result.framework


def usage_error(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; the exit (status 2) to raise for a wrong command line."""
    return fail(message, 2)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr; the exit to raise (status 1 unless ``code`` says otherwise)."""
    console(stderr=True).print(message if message.startswith("error:") else f"error: {message}", markup=False)
    return typer.Exit(code)


def output_file(ctx: typer.Context, path: Path) -> Path:
    """Claim ``-o PATH`` for the command of ``ctx`` (:func:`ecomperf.io.atomic.claim`) before any work is done.

    The claim is released when the command ends. A path that cannot be written, or that another run is
    writing, exits with status 2 and one line naming it and the fix.
    """
    from ecomperf.io.atomic import claim  # start-up cost: only when there is an output

    with output_errors():
        ctx.with_resource(claim(path))
    return path


def output_folder(path: Path) -> Path:
    """Check, before any work, that files can be written in the folder ``-o PATH`` (created when missing)."""
    from ecomperf.io.atomic import check_folder  # start-up cost: only when there is an output

    with output_errors():
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path}: is a file; give a folder to write the documents into")
        check_folder(path)
    return path


@contextmanager
def output_errors() -> Iterator[None]:
    """Turn an :class:`~ecomperf.errors.OutputError` of the block into ``error: …`` and exit status 2."""
    try:
        yield
    except OutputError as exc:
        raise usage_error(str(exc)) from None
