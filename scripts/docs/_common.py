"""Paths and small helpers shared by the documentation generators."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
"""The repository root."""

DOCS = REPO / "docs"
"""The mkdocs ``docs_dir``."""

FRAMEWORKS = REPO / "frameworks"
"""The bundled frameworks, one folder each."""

EXAMPLES = REPO / "examples"
"""Sample frameworks and data that a newcomer runs."""

_CLI_ENV = {"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}


def run_cli(args: Sequence[str]) -> tuple[int, str]:
    """Run ``ecomperf ARGS`` in-process and return its exit code and everything it printed.

    The command runs in the current directory, so relative paths in its output stay short.
    """
    from typer.testing import CliRunner

    from ecomperf.cli import app

    runner = CliRunner(env=_CLI_ENV)
    result = runner.invoke(app, list(args), prog_name="ecomperf", catch_exceptions=False)
    return result.exit_code, result.output


_BOX_DRAWING = frozenset("┏┃━│─┌└┡╇")


def console(command: str, output: str) -> str:
    """A ``console`` code block: the command after ``$``, then its output."""
    return screen(f"$ {command}\n{output.rstrip()}")


def screen(body: str) -> str:
    """A terminal screen. Long lines wrap on the page, except in screens with tables (``.nowrap``),
    whose box-drawing lines would break apart; those scroll instead."""
    classes = ("nowrap",) if _BOX_DRAWING & set(body) else ()
    return fence(body, "console", classes=classes)


def fence(body: str, language: str = "", classes: tuple[str, ...] = (), **attributes: str) -> str:
    """A fenced code block whose fence is longer than any backtick run in ``body``."""
    ticks = "```"
    while ticks in body:
        ticks += "`"
    extra = "".join(f' {key}="{value}"' for key, value in attributes.items())
    if classes:
        dotted = " ".join(f".{name}" for name in (language, *classes) if name)
        return f"{ticks}{{ {dotted}{extra} }}\n{body.rstrip()}\n{ticks}\n"
    return f"{ticks}{language}{extra}\n{body.rstrip()}\n{ticks}\n"


def write_files(root: Path, files: Mapping[str, str | None]) -> None:
    """Write ``files`` (relative path -> text) under ``root``; ``None`` deletes the file."""
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A temporary directory that is also the current directory while the block runs."""
    with tempfile.TemporaryDirectory(prefix="ecomperf-docs-") as folder, contextlib.chdir(folder):
        yield Path(folder)


def copy_tree(source: Path, target: Path) -> None:
    """Copy a framework folder (or file), leaving out hidden files and folders."""
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        return
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))


def relative(path: str | os.PathLike[str], start: Path = REPO) -> str:
    """``path`` relative to ``start`` with forward slashes (``path`` unchanged when outside it)."""
    try:
        return Path(path).resolve().relative_to(start).as_posix()
    except ValueError:
        return Path(path).as_posix()
