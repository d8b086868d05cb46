"""Helpers the hostile cases share: write a framework into a case's folder and describe what a load found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecomperf import load_documents
from ecomperf.loading.documents import LoadResult
from tests.conftest import write_framework


def framework_with(workdir: str, files: dict[str, str], *, raw: dict[str, str] | None = None) -> Path:
    """The shared test framework under ``workdir/fw`` with ``files`` laid over it (dedented), and ``raw``
    files written byte for byte (for inputs whose exact characters and line ends matter)."""
    root = write_framework(Path(workdir) / "fw", files)
    for name, text in (raw or {}).items():
        (root / name).write_text(text, encoding="utf-8", newline="")
    return root


def found(result: LoadResult, root: Path) -> list[list[Any]]:
    """``[[code, file, line, column, message], ...]`` for every error, the file relative to ``root``.

    Warnings are left out: whether a reference rule stays quiet beside a refused document is the business
    of the validation tests, not of this suite.
    """
    rows: list[list[Any]] = []
    for problem in result.errors:
        span = problem.span
        file = Path(span.file).relative_to(root).as_posix() if span and Path(span.file).is_relative_to(root) else ""
        rows.append([problem.code, file, span.line if span else 0, span.column if span else 0, problem.message])
    return rows


def load_found(
    workdir: str, files: dict[str, str] | None = None, *, raw: dict[str, str] | None = None
) -> list[list[Any]]:
    """Write the framework (see :func:`framework_with`), load it, and return :func:`found` of the result."""
    root = framework_with(workdir, files or {}, raw=raw)
    return found(load_documents(root), root)
